package openaigo_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/apierr/apierr/adapters/openaigo"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// completion is a chat completion as the OpenAI API reference shows it
// ("The chat completion object",
// https://platform.openai.com/docs/api-reference/chat/object).
const completion = `{"id":"chatcmpl-123","object":"chat.completion","created":1677652288,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how may I assist you today?"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}`

const done = "data: [DONE]\n\n"

// newRetrying returns a client whose one installation line is
// openaigo.WithRetries(retryhttp.NewClient(...)), with waits recorded
// instead of slept.
func newRetrying(url string, w *sdktest.Waits) openai.Client {
	return openai.NewClient(option.WithBaseURL(url), option.WithAPIKey("sk-test"),
		openaigo.WithRetries(retryhttp.NewClient(&retryhttp.Transport{Policy: &policy.Policy{Clock: w}})))
}

// TestRetries runs the sequences through the real SDK with the
// retrying transport installed: the outcome, the requests the server saw,
// and the POST body of every retry byte-identical to the first.
func TestRetries(t *testing.T) {
	overloadedChunk := sdktest.Case(t, "openai/stream_error_chunk_overloaded").Body
	tests := []struct {
		name     string
		steps    []sdktest.Step
		stream   bool
		wantText string // streamed or completed text on success
		wantCat  string // category of the error, "" for success
		minWait  time.Duration
	}{
		{name: "429 with Retry-After then 200", steps: []sdktest.Step{
			sdktest.Reply(t, "openai/rate_limit_rpm_seconds", http.Header{"Retry-After": {"1"}}),
			{Body: completion, Header: http.Header{"Content-Type": {"application/json"}}},
		}, wantText: "Hello there, how may I assist you today?", minWait: time.Second},
		{name: "503, 503, 200", steps: []sdktest.Step{
			sdktest.Reply(t, "openai/model_overloaded_503", nil),
			sdktest.Reply(t, "openai/model_overloaded_503", nil),
			{Body: completion, Header: http.Header{"Content-Type": {"application/json"}}},
		}, wantText: "Hello there, how may I assist you today?"},
		{name: "insufficient_quota, no retry", steps: []sdktest.Step{
			sdktest.Reply(t, "openai/insufficient_quota", nil),
		}, wantCat: "quota_exceeded"},
		{name: "400 context length, no retry", steps: []sdktest.Step{
			sdktest.Reply(t, "openai/context_length_exceeded", nil),
		}, wantCat: "context_length_exceeded"},
		{name: "connection reset then 200", steps: []sdktest.Step{
			{Reset: true},
			{Body: completion, Header: http.Header{"Content-Type": {"application/json"}}},
		}, wantText: "Hello there, how may I assist you today?"},
		{name: "stream: error event before any token, retried", stream: true, steps: []sdktest.Step{
			{Events: []string{overloadedChunk}},
			{Events: []string{chunk, done}},
		}, wantText: "Hello"},
		{name: "stream: error event after a token, not retried", stream: true, steps: []sdktest.Step{
			{Events: []string{chunk, overloadedChunk}},
		}, wantText: "Hello", wantCat: "unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := sdktest.New(t, tt.steps...)
			var waits sdktest.Waits
			client := newRetrying(srv.URL, &waits)
			var text string
			var err error
			if tt.stream {
				stream := client.Chat.Completions.NewStreaming(context.Background(), params)
				defer stream.Close()
				for stream.Next() {
					if len(stream.Current().Choices) > 0 {
						text += stream.Current().Choices[0].Delta.Content
					}
				}
				err = stream.Err()
			} else {
				var resp *openai.ChatCompletion
				resp, err = client.Chat.Completions.New(context.Background(), params)
				if err == nil {
					text = resp.Choices[0].Message.Content
				}
			}
			r, failed := openaigo.Classify(err)
			if got := r.Category.String(); failed != (tt.wantCat != "") || failed && got != tt.wantCat {
				t.Errorf("Classify(%v) = %v, %v; want category %q", err, r, failed, tt.wantCat)
			}
			if tt.wantText != "" && text != tt.wantText {
				t.Errorf("text = %q, want %q", text, tt.wantText)
			}
			checkRequests(t, srv, len(tt.steps))
			if w := waits.All(); len(w) != len(tt.steps)-1 || len(w) > 0 && w[0] < tt.minWait {
				t.Errorf("waits = %v, want %d of them, the first at least %v", w, len(tt.steps)-1, tt.minWait)
			}
		})
	}
}

// checkRequests checks that the server saw want requests with one body.
func checkRequests(t *testing.T, srv *sdktest.Server, want int) {
	t.Helper()
	bodies := srv.Bodies()
	if len(bodies) != want {
		t.Fatalf("server saw %d requests, want %d", len(bodies), want)
	}
	if bodies[0] == "" {
		t.Fatal("empty POST body")
	}
	for i, b := range bodies[1:] {
		if diff := cmp.Diff(bodies[0], b); diff != "" {
			t.Errorf("body of attempt %d differs from the first (-first +resent):\n%s", i+2, diff)
		}
	}
}

// TestStreamOrder checks, with no clock, that the first token reaches the
// caller after the server sent it and before the server sends the second:
// the server waits for the test to close gate, which it does only once the
// SDK handed it the first token. A transport that held the stream back
// would never deliver it, and the test would fail on its deadline.
func TestStreamOrder(t *testing.T) {
	sent, gate := make(chan struct{}), make(chan struct{})
	srv := sdktest.New(t, sdktest.Step{Events: []string{chunk, chunk, done}, Sent: sent, Gate: gate})
	var waits sdktest.Waits
	client := newRetrying(srv.URL, &waits)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stream := client.Chat.Completions.NewStreaming(ctx, params)
	defer stream.Close()
	if !stream.Next() {
		t.Fatalf("no first token: %v", stream.Err())
	}
	select {
	case <-sent:
	default:
		t.Fatal("the caller had a token before the server sent one")
	}
	if got := stream.Current().Choices[0].Delta.Content; got != "Hello" {
		t.Errorf("first token = %q", got)
	}
	close(gate) // only now may the server send the second token
	n := 1
	for stream.Next() {
		n++
	}
	if err := stream.Err(); err != nil || n != 2 {
		t.Errorf("stream ended with %v after %d chunks, want nil after 2", err, n)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Error("the stream was held back until the deadline")
	}
}
