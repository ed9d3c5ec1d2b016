package anthropicsdk_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/apierr/apierr/adapters/anthropicsdk"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/google/go-cmp/cmp"
)

// Stream events as the Messages streaming documentation shows them
// (https://docs.anthropic.com/en/api/messages-streaming, "Basic streaming
// request" example).
const (
	messageStart = "event: message_start\n" +
		`data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-opus-4-6", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}` + "\n\n"
	blockStart = "event: content_block_start\n" +
		`data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}` + "\n\n"
	textDelta = "event: content_block_delta\n" +
		`data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}` + "\n\n"
	blockStop    = "event: content_block_stop\n" + `data: {"type": "content_block_stop", "index": 0}` + "\n\n"
	messageDelta = "event: message_delta\n" +
		`data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}` + "\n\n"
	messageStop = "event: message_stop\n" + `data: {"type": "message_stop"}` + "\n\n"
)

var params = anthropic.MessageNewParams{
	Model:     anthropic.Model("claude-opus-4-6"),
	MaxTokens: 64,
	Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Say hello"))},
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

func newClient(url string, opts ...option.RequestOption) anthropic.Client {
	return anthropic.NewClient(append([]option.RequestOption{option.WithBaseURL(url), option.WithAPIKey("sk-ant-test"), option.WithMaxRetries(0)}, opts...)...)
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
			name: "anthropic/rate_limit_error with retry-after",
			step: sdktest.Reply(t, "anthropic/rate_limit_error", http.Header{"Retry-After": {"7"}}),
			want: summary{Category: "rate_limited", Retryable: true, Status: 429, RetryAfter: 7 * time.Second, RetryAfterSource: classify.SourceRetryAfter},
		},
		{
			name: "anthropic/credit_balance_too_low",
			step: sdktest.Reply(t, "anthropic/credit_balance_too_low", nil),
			want: summary{Category: "quota_exceeded", Status: 400},
		},
		{
			name: "anthropic/prompt_too_long",
			step: sdktest.Reply(t, "anthropic/prompt_too_long", nil),
			want: summary{Category: "context_length_exceeded", Status: 400},
		},
		{
			name: "anthropic/overloaded_529",
			step: sdktest.Reply(t, "anthropic/overloaded_529", nil),
			want: summary{Category: "unavailable", Retryable: true, Status: 529},
		},
		{
			name: "nginx/502_bad_gateway",
			step: sdktest.Reply(t, "nginx/502_bad_gateway", nil),
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
			client := newClient(srv.URL)
			_, err := client.Messages.New(context.Background(), params)
			r, ok := anthropicsdk.Classify(err)
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

// TestClassifyStreamErrorTrap streams a token, then the published error
// event (anthropic/stream_error_event_overloaded). The SDK returns an
// *anthropic.Error with StatusCode 200 whose Response is the consumed
// stream: classify.Response on it says OK (the trap), Classify says
// unavailable, as the event does.
func TestClassifyStreamErrorTrap(t *testing.T) {
	c := sdktest.Case(t, "anthropic/stream_error_event_overloaded")
	srv := sdktest.New(t, sdktest.Step{Events: []string{messageStart, blockStart, textDelta, c.Body}})
	client := newClient(srv.URL)
	stream := client.Messages.NewStreaming(context.Background(), params)
	defer stream.Close() // else the body and its connection outlive the test
	var text string
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "content_block_delta" {
			text += ev.Delta.Text
		}
	}
	if text != "Hello" {
		t.Errorf("streamed %q, want %q", text, "Hello")
	}
	err := stream.Err()
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 200 || apiErr.Response == nil {
		t.Fatalf("stream.Err() = %#v, want *anthropic.Error with StatusCode 200 and a Response", err)
	}
	if trap, _ := classify.Response(apiErr.Response); !trap.OK {
		t.Logf("classify.Response on the consumed stream no longer says OK: %v", trap)
	}
	r, ok := anthropicsdk.Classify(err)
	want := summary{Category: "unavailable", Retryable: true, Status: 200}
	if diff := cmp.Diff(want, sum(r)); !ok || diff != "" {
		t.Errorf("Classify = %v, %v (-want +got):\n%s", r, ok, diff)
	}
	if r.Message != c.Want.Message || r.Type != "overloaded_error" {
		t.Errorf("Message, Type = %q, %q; want %q, overloaded_error", r.Message, r.Type, c.Want.Message)
	}
}

func TestClassifyNil(t *testing.T) {
	if r, ok := anthropicsdk.Classify(nil); ok {
		t.Errorf("Classify(nil) = %v, true; want false", r)
	}
}
