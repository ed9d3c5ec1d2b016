// Package integration tests apierr inside clients that the core module
// must not depend on; it is a module of its own (see go.mod).
package integration

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/policy"
)

const okJSON = `{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]}`

// tokens is a chat-completions stream of two tokens, the shape of
// https://platform.openai.com/docs/api-reference/chat-streaming.
const tokens = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
	"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"

const postBody = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}],"stream":true}`

// client is a go-retryablehttp client deciding with p's hooks; the waits
// p chooses are recorded and not slept (retryablehttp has no injectable
// timer, so the recorded Backoff returns 0).
func client(ts *httptest.Server, p *policy.Policy, waits *[]time.Duration) *retryablehttp.Client {
	c := retryablehttp.NewClient()
	c.HTTPClient = ts.Client()
	c.Logger = nil
	c.RetryMax = 5
	c.CheckRetry = p.CheckRetry
	c.Backoff = func(min, max time.Duration, n int, resp *http.Response) time.Duration {
		*waits = append(*waits, p.Backoff(min, max, n, resp))
		return 0
	}
	return c
}

// TestRetryableHTTPSequences runs the acceptance sequences through
// go-retryablehttp with Policy.CheckRetry and Policy.Backoff.
func TestRetryableHTTPSequences(t *testing.T) {
	rate := sdktest.Case(t, "openai/rate_limit_rpm_seconds")
	over := sdktest.Case(t, "openai/model_overloaded_503")
	quota := sdktest.Case(t, "openai/insufficient_quota")
	ctxLen := sdktest.Case(t, "openai/context_length_exceeded")
	streamErr := sdktest.Case(t, "anthropic/stream_error_event_overloaded")
	okStream := sdktest.Step{Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: tokens}
	ok := sdktest.Step{Header: http.Header{"Content-Type": {"application/json"}}, Body: okJSON}
	lateErr := okStream
	lateErr.Body = tokens + streamErr.Body
	tests := []struct {
		name     string
		replies  []sdktest.Step
		requests int
		status   int
		body     string
		minWait  time.Duration
	}{
		{"429 Retry-After then 200", []sdktest.Step{sdktest.Reply(t, rate.Name, http.Header{"Retry-After": {"1"}}), ok}, 2, 200, okJSON, time.Second},
		{"503 503 200", []sdktest.Step{sdktest.Reply(t, over.Name, nil), sdktest.Reply(t, over.Name, nil), ok}, 3, 200, okJSON, 0},
		{"insufficient_quota", []sdktest.Step{sdktest.Reply(t, quota.Name, nil), ok}, 1, 429, quota.Body, 0},
		{"stream error event before any token", []sdktest.Step{sdktest.Reply(t, streamErr.Name, nil), okStream}, 2, 200, tokens, 0},
		{"stream error event after tokens", []sdktest.Step{lateErr, okStream}, 1, 200, lateErr.Body, 0},
		{"400 context length", []sdktest.Step{sdktest.Reply(t, ctxLen.Name, nil), ok}, 1, 400, ctxLen.Body, 0},
		{"connection reset then 200", []sdktest.Step{{Reset: true}, ok}, 2, 200, okJSON, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := sdktest.New(t, tt.replies...)
			var waits []time.Duration
			req, err := retryablehttp.NewRequest(http.MethodPost, ts.URL, []byte(postBody))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client(ts.Server, &policy.Policy{}, &waits).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if diff := cmp.Diff(tt.body, string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			bodies := ts.Bodies()
			if len(bodies) != tt.requests {
				t.Errorf("server saw %d requests, want %d", len(bodies), tt.requests)
			}
			for i, b := range bodies {
				if b != postBody {
					t.Errorf("request %d body %q, want %q", i+1, b, postBody)
				}
			}
			if tt.minWait > 0 && (len(waits) == 0 || waits[0] < tt.minWait) {
				t.Errorf("waits %v, want the first >= %v", waits, tt.minWait)
			}
		})
	}
}

// TestRetryableHTTPStreamNotHeldBack: through go-retryablehttp and the
// policy hooks, the first token reaches the caller before the server sends
// the second (which it does only once the caller has the first).
func TestRetryableHTTPStreamNotHeldBack(t *testing.T) {
	first := "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
	second := "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
	gotFirst := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, first)
		w.(http.Flusher).Flush()
		select {
		case <-gotFirst:
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, second)
	}))
	defer ts.Close()
	var waits []time.Duration
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang fails, never a pass
	defer cancel()
	req, _ := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, ts.URL, strings.NewReader(postBody))
	resp, err := client(ts, &policy.Policy{}, &waits).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, len(first))
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != first {
		t.Fatalf("first token %q, %v; want %q", buf, err, first)
	}
	close(gotFirst)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != second {
		t.Fatalf("rest %q, %v; want %q", rest, err, second)
	}
}
