package classify_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/parse"
)

// TestBedrockStreamExceptions classifies the exception messages that
// Bedrock's ConverseStream and InvokeModelWithResponseStream send inside a
// 200 response (the exception members of ConverseStreamOutput in
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html).
// The payloads are the messages users reported from such frames where one
// was published, else the exception's documented description.
func TestBedrockStreamExceptions(t *testing.T) {
	start := esMessage([][2]string{{":event-type", "messageStart"}, {":content-type", "application/json"}, {":message-type", "event"}}, `{"role":"assistant"}`)
	for _, c := range []struct {
		exception, payload string
		category           catalog.Category
		retryable          bool
	}{
		// https://github.com/aws-samples/aws-genai-llm-chatbot/issues/220
		{"throttlingException", `{"message":"Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again."}`, catalog.RateLimited, true},
		// https://github.com/aws-samples/foundation-model-benchmarking-tool/issues/247
		{"serviceUnavailableException", `{"message":"Bedrock is unable to process your request."}`, catalog.Unavailable, true},
		// https://github.com/hydro-project/infinity/pull/124 (a mid-stream event error)
		{"internalServerException", `{"message":"The system encountered an unexpected error during processing. Try your request again."}`, catalog.ServerError, true},
		// API reference: "An error occurred while streaming the response. Retry your request."
		{"modelStreamErrorException", `{"message":"An error occurred while streaming the response. Retry your request."}`, catalog.Unavailable, true},
		// https://github.com/daisuke-awaji/moca/issues/254 (ValidationException)
		{"validationException", `{"message":"The model returned the following errors: prompt is too long: 200049 tokens > 200000 maximum"}`, catalog.ContextLengthExceeded, false},
		// API reference: ModelTimeoutException
		{"modelTimeoutException", `{"message":"The request took too long to process. Processing time exceeded the model timeout length."}`, catalog.Timeout, true},
	} {
		t.Run(c.exception, func(t *testing.T) {
			body := append(append([]byte(nil), start...), esMessage([][2]string{
				{":exception-type", c.exception}, {":content-type", "application/json"}, {":message-type", "exception"},
			}, c.payload)...)
			h := http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}}
			r := classify.Classify(200, h, body)
			type view struct {
				Category  catalog.Category
				Retryable bool
				OK        bool
				Type      string
				Format    parse.Format
			}
			want := view{c.category, c.retryable, false, c.exception, parse.FormatEventStream}
			got := view{r.Category, r.Retryable, r.OK, r.Type, r.Format}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if r.Message == "" {
				t.Error("no message from the exception's payload")
			}
		})
	}
	// A stream of events only is a success.
	if r := classify.Classify(200, http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}}, start); !r.OK {
		t.Errorf("a stream without an exception: %v, want OK", r)
	}
}

func esMessage(headers [][2]string, payload string) []byte {
	return []byte(sdktest.EventStreamMessage(headers, payload))
}
