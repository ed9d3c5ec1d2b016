package openaigo_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/apierr/apierr/adapters/openaigo"
	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/ssestream"
)

// chunk is a chat-completions stream chunk as the OpenAI API reference
// shows it ("The chat completion chunk object", streaming example,
// https://platform.openai.com/docs/api-reference/chat-streaming).
const chunk = `data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", "system_fingerprint": "fp_44709d6fcb", "choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"logprobs":null,"finish_reason":null}]}` + "\n\n"

var params = openai.ChatCompletionNewParams{
	Model:    openai.ChatModel("gpt-4o-mini"),
	Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say hello")},
}

// summary is the part of a Result the tests compare.
type summary struct {
	Category         string
	Retryable, OK    bool
	Status           int
	RetryAfter       time.Duration
	RetryAfterSource string
}

func sum(r classify.Result) summary {
	return summary{r.Category.String(), r.Retryable, r.OK, r.Status, r.RetryAfter, r.RetryAfterSource}
}

// TestClassify sends one request through the real SDK, with its retries
// off, to a server that replays a published response, and classifies the
// error the SDK returned.
func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		step sdktest.Step
		want summary
	}{
		{
			// Headers survive: Retry-After comes from the response.
			name: "openai/rate_limit_rpm_seconds with Retry-After",
			step: sdktest.Reply(t, "openai/rate_limit_rpm_seconds", http.Header{"Retry-After": {"7"}}),
			want: summary{Category: "rate_limited", Retryable: true, Status: 429, RetryAfter: 7 * time.Second, RetryAfterSource: classify.SourceRetryAfter},
		},
		{
			name: "openai/insufficient_quota",
			step: sdktest.Reply(t, "openai/insufficient_quota", nil),
			want: summary{Category: "quota_exceeded", Status: 429},
		},
		{
			name: "openai/context_length_exceeded",
			step: sdktest.Reply(t, "openai/context_length_exceeded", nil),
			want: summary{Category: "context_length_exceeded", Status: 400},
		},
		{
			name: "openai/model_overloaded_503",
			step: sdktest.Reply(t, "openai/model_overloaded_503", nil),
			want: summary{Category: "unavailable", Retryable: true, Status: 503},
		},
		{
			// No "error" object: the SDK's RawJSON is empty, the body decides.
			name: "openai/cloudflare_bad_gateway_html",
			step: sdktest.Reply(t, "openai/cloudflare_bad_gateway_html", nil),
			want: summary{Category: "unavailable", Retryable: true, Status: 502},
		},
		{
			name: "connection reset",
			step: sdktest.Step{Reset: true},
			want: summary{Category: "network", Retryable: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := sdktest.New(t, tt.step)
			client := openai.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
			_, err := client.Chat.Completions.New(context.Background(), params)
			r, ok := openaigo.Classify(err)
			if !ok {
				t.Fatalf("Classify(%v) reported nothing to classify", err)
			}
			if diff := cmp.Diff(tt.want, sum(r)); diff != "" {
				t.Errorf("Classify(%v) (-want +got):\n%s", err, diff)
			}
			if got := srv.Requests(); got != 1 {
				t.Errorf("server saw %d requests, want 1", got)
			}
		})
	}
}

// TestClassifyKeepsBody checks that Classify leaves the response body of an
// *openai.Error readable.
func TestClassifyKeepsBody(t *testing.T) {
	c := sdktest.Case(t, "openai/cloudflare_bad_gateway_html")
	srv := sdktest.New(t, sdktest.Reply(t, c.Name, nil))
	client := openai.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
	_, err := client.Chat.Completions.New(context.Background(), params)
	openaigo.Classify(err)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *openai.Error", err)
	}
	r, _ := classify.Response(apiErr.Response)
	if r.Category != catalog.Unavailable {
		t.Errorf("the body after Classify classifies as %v, want unavailable", r)
	}
}

// TestClassifyStreamErrorAfterTokens streams a token, then the published
// error chunk (openai/stream_error_chunk_overloaded): the SDK returns an
// *ssestream.StreamError, which Classify classifies as the chunk says.
func TestClassifyStreamErrorAfterTokens(t *testing.T) {
	c := sdktest.Case(t, "openai/stream_error_chunk_overloaded")
	srv := sdktest.New(t, sdktest.Step{Events: []string{chunk, c.Body}})
	client := openai.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
	stream := client.Chat.Completions.NewStreaming(context.Background(), params)
	defer stream.Close()
	var text string
	for stream.Next() {
		if len(stream.Current().Choices) > 0 {
			text += stream.Current().Choices[0].Delta.Content
		}
	}
	if text != "Hello" {
		t.Errorf("streamed %q, want %q", text, "Hello")
	}
	err := stream.Err()
	var streamErr *ssestream.StreamError
	if !errors.As(err, &streamErr) {
		t.Fatalf("stream.Err() = %v, want *ssestream.StreamError", err)
	}
	r, ok := openaigo.Classify(err)
	want := summary{Category: "unavailable", Retryable: true, Status: 200}
	if diff := cmp.Diff(want, sum(r)); !ok || diff != "" {
		t.Errorf("Classify = %v, %v (-want +got):\n%s", r, ok, diff)
	}
	if r.Message != c.Want.Message {
		t.Errorf("Message = %q, want %q", r.Message, c.Want.Message)
	}
}

func TestClassifyNil(t *testing.T) {
	if r, ok := openaigo.Classify(nil); ok {
		t.Errorf("Classify(nil) = %v, true; want false", r)
	}
}
