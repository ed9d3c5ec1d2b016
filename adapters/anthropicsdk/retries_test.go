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
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
	"github.com/google/go-cmp/cmp"
)

// message is a Messages API response as the API reference shows it
// (https://docs.anthropic.com/en/api/messages, response example).
const message = `{"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"Hi! My name is Claude."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":2095,"output_tokens":503}}`

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// newRetrying returns a client whose one installation line is
// anthropicsdk.WithRetries(retryhttp.NewClient(...)), with waits recorded
// instead of slept.
func newRetrying(url string, w *sdktest.Waits) anthropic.Client {
	return anthropic.NewClient(option.WithBaseURL(url), option.WithAPIKey("sk-ant-test"),
		anthropicsdk.WithRetries(retryhttp.NewClient(&retryhttp.Transport{Policy: &policy.Policy{Clock: w}})))
}

// TestRetries runs the sequences through the real SDK with the
// retrying transport installed: the outcome, the requests the server saw,
// and the POST body of every retry byte-identical to the first.
func TestRetries(t *testing.T) {
	overloaded := sdktest.Case(t, "anthropic/stream_error_event_overloaded").Body
	tests := []struct {
		name     string
		steps    []sdktest.Step
		stream   bool
		wantText string
		wantCat  string
		minWait  time.Duration
	}{
		{name: "429 with Retry-After then 200", steps: []sdktest.Step{
			sdktest.Reply(t, "anthropic/rate_limit_error", http.Header{"Retry-After": {"1"}}),
			{Body: message, Header: jsonHeader},
		}, wantText: "Hi! My name is Claude.", minWait: time.Second},
		{name: "529, 529, 200", steps: []sdktest.Step{
			sdktest.Reply(t, "anthropic/overloaded_529", nil),
			sdktest.Reply(t, "anthropic/overloaded_529", nil),
			{Body: message, Header: jsonHeader},
		}, wantText: "Hi! My name is Claude."},
		{name: "credit balance too low (insufficient quota), no retry", steps: []sdktest.Step{
			sdktest.Reply(t, "anthropic/credit_balance_too_low", nil),
		}, wantCat: "quota_exceeded"},
		{name: "400 prompt too long, no retry", steps: []sdktest.Step{
			sdktest.Reply(t, "anthropic/prompt_too_long", nil),
		}, wantCat: "context_length_exceeded"},
		{name: "connection reset then 200", steps: []sdktest.Step{
			{Reset: true},
			{Body: message, Header: jsonHeader},
		}, wantText: "Hi! My name is Claude."},
		{name: "stream: error event before any token, retried", stream: true, steps: []sdktest.Step{
			{Events: []string{overloaded}},
			{Events: []string{messageStart, blockStart, textDelta, blockStop, messageDelta, messageStop}},
		}, wantText: "Hello"},
		{name: "stream: error event after a token, not retried (the trap)", stream: true, steps: []sdktest.Step{
			{Events: []string{messageStart, blockStart, textDelta, overloaded}},
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
				stream := client.Messages.NewStreaming(context.Background(), params)
				defer stream.Close()
				for stream.Next() {
					if ev := stream.Current(); ev.Type == "content_block_delta" {
						text += ev.Delta.Text
					}
				}
				err = stream.Err()
			} else {
				var msg *anthropic.Message
				msg, err = client.Messages.New(context.Background(), params)
				if err == nil {
					text = msg.Content[0].Text
				}
			}
			r, failed := anthropicsdk.Classify(err)
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
// SDK handed it the first token.
func TestStreamOrder(t *testing.T) {
	sent, gate := make(chan struct{}), make(chan struct{})
	srv := sdktest.New(t, sdktest.Step{Events: []string{messageStart + blockStart + textDelta, textDelta, blockStop, messageDelta, messageStop}, Sent: sent, Gate: gate})
	var waits sdktest.Waits
	client := newRetrying(srv.URL, &waits)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stream := client.Messages.NewStreaming(ctx, params)
	defer stream.Close()
	var text string
	for text == "" && stream.Next() {
		if ev := stream.Current(); ev.Type == "content_block_delta" {
			text = ev.Delta.Text
		}
	}
	if text != "Hello" {
		t.Fatalf("first token = %q, err %v", text, stream.Err())
	}
	select {
	case <-sent:
	default:
		t.Fatal("the caller had a token before the server sent one")
	}
	close(gate) // only now may the server send the second token
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "content_block_delta" {
			text += ev.Delta.Text
		}
	}
	if err := stream.Err(); err != nil || text != "HelloHello" {
		t.Errorf("stream ended with %v, text %q; want nil, HelloHello", err, text)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Error("the stream was held back until the deadline")
	}
}

// TestErrBeforeReadingIsNil is why the README reads the stream before
// stream.Err() (issue 16): a stream whose error event comes inside the
// 200 has no error yet right after NewStreaming; read to its end, it has.
func TestErrBeforeReadingIsNil(t *testing.T) {
	overloaded := sdktest.Case(t, "anthropic/stream_error_event_overloaded").Body
	srv := sdktest.New(t, sdktest.Step{Events: []string{messageStart, blockStart, textDelta, overloaded}})
	var waits sdktest.Waits
	client := newRetrying(srv.URL, &waits)
	stream := client.Messages.NewStreaming(context.Background(), params)
	defer stream.Close()
	if err := stream.Err(); err != nil {
		t.Fatalf("stream.Err() before reading = %v; the README's order would then work", err)
	}
	for stream.Next() {
	}
	if r, failed := anthropicsdk.Classify(stream.Err()); !failed || r.Category.String() != "unavailable" {
		t.Errorf("after reading: Classify = %v, %v; want unavailable", r, failed)
	}
	checkRequests(t, srv, 1)
}
