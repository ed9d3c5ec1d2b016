package goopenai_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/apierr/apierr/adapters/goopenai"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/google/go-cmp/cmp"
	"github.com/sashabaranov/go-openai"
)

// chunk is a chat-completions stream chunk as the OpenAI API reference
// shows it ("The chat completion chunk object", streaming example,
// https://platform.openai.com/docs/api-reference/chat-streaming).
const chunk = `data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", "system_fingerprint": "fp_44709d6fcb", "choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"logprobs":null,"finish_reason":null}]}` + "\n\n"

// done ends a chat-completions stream (same reference).
const done = "data: [DONE]\n\n"

var request = openai.ChatCompletionRequest{
	Model:    openai.GPT4oMini,
	Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Say hello"}},
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

func config(url string) openai.ClientConfig {
	cfg := openai.DefaultConfig("sk-test")
	cfg.BaseURL = url + "/v1"
	return cfg
}

// TestClassify sends one request through the real go-openai client to a
// server that replays a published response, and classifies the error it
// returned.
func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		step sdktest.Step
		want summary
	}{
		{
			// go-openai drops the headers: Retry-After: 7 is lost, the
			// message's "Please try again in 20s" is what remains.
			name: "openai/rate_limit_rpm_seconds, headers lost",
			step: sdktest.Reply(t, "openai/rate_limit_rpm_seconds", http.Header{"Retry-After": {"7"}}),
			want: summary{Category: "rate_limited", Retryable: true, Status: 429, RetryAfter: 20 * time.Second, RetryAfterSource: classify.SourceMessage},
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
			// Not an OpenAI error object: a *RequestError with the raw body.
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
			client := openai.NewClientWithConfig(config(srv.URL))
			_, err := client.CreateChatCompletion(context.Background(), request)
			r, ok := goopenai.Classify(err)
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

// TestClassifyStream reads streams through go-openai: the io.EOF that ends
// a normal stream is not a failure; the published error chunk
// (openai/stream_error_chunk_overloaded) after a token classifies as the
// chunk says.
func TestClassifyStream(t *testing.T) {
	c := sdktest.Case(t, "openai/stream_error_chunk_overloaded")
	tests := []struct {
		name   string
		events []string
		wantOK bool
		want   summary
	}{
		{name: "end of stream", events: []string{chunk, done}, want: summary{Category: "unknown", OK: true}},
		{name: "error chunk after a token", events: []string{chunk, c.Body}, wantOK: true,
			want: summary{Category: "unavailable", Retryable: true, Status: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := sdktest.New(t, sdktest.Step{Events: tt.events})
			client := openai.NewClientWithConfig(config(srv.URL))
			stream, err := client.CreateChatCompletionStream(context.Background(), request)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			var text string
			for {
				var resp openai.ChatCompletionStreamResponse
				resp, err = stream.Recv()
				if err != nil {
					break
				}
				text += resp.Choices[0].Delta.Content
			}
			if text != "Hello" {
				t.Errorf("streamed %q, want %q", text, "Hello")
			}
			if tt.wantOK != (err != io.EOF) {
				t.Fatalf("stream ended with %v", err)
			}
			r, ok := goopenai.Classify(err)
			if ok != tt.wantOK {
				t.Fatalf("Classify(%v) = %v, %v; want ok=%v", err, r, ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, sum(r)); diff != "" {
				t.Errorf("Classify(%v) (-want +got):\n%s", err, diff)
			}
			if ok && r.Message != c.Want.Message {
				t.Errorf("Message = %q, want %q", r.Message, c.Want.Message)
			}
		})
	}
}

// TestClassifyWrappedEOF: an io.EOF inside a transport error is a broken
// connection, not the end of a stream.
func TestClassifyWrappedEOF(t *testing.T) {
	err := &urlError{io.EOF}
	r, ok := goopenai.Classify(err)
	if !ok || r.Category.String() != "network" || !r.Retryable {
		t.Errorf("Classify(wrapped io.EOF) = %v, %v; want network, retryable", r, ok)
	}
	if !errors.Is(err, io.EOF) {
		t.Fatal("test error does not wrap io.EOF")
	}
}

type urlError struct{ err error }

func (e *urlError) Error() string { return "Post \"http://127.0.0.1/v1\": " + e.err.Error() }
func (e *urlError) Unwrap() error { return e.err }

func TestClassifyNil(t *testing.T) {
	if r, ok := goopenai.Classify(nil); ok {
		t.Errorf("Classify(nil) = %v, true; want false", r)
	}
}
