// Package integration tests apierr inside clients that the core module
// must not depend on; it is a module of its own (see go.mod).
package integration

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/apierr/apierr/internal/fixture"
	"github.com/apierr/apierr/policy"
)

// realCase returns the published response named name from
// classify/testdata/real (each case there cites its source).
func realCase(t testing.TB, name string) fixture.Case {
	t.Helper()
	cases, err := fixture.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no real case %q", name)
	return fixture.Case{}
}

type reply struct {
	status int
	header map[string]string
	body   string
	reset  bool
}

func fromCase(c fixture.Case, extra ...string) reply {
	h := map[string]string{}
	for k, v := range c.Headers {
		h[k] = v
	}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return reply{status: c.Status, header: h, body: c.Body}
}

const okJSON = `{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]}`

// tokens is a chat-completions stream of two tokens, the shape of
// https://platform.openai.com/docs/api-reference/chat-streaming.
const tokens = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
	"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"

const postBody = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}],"stream":true}`

type scripted struct {
	t       testing.TB
	mu      sync.Mutex
	replies []reply
	bodies  []string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	if n >= len(s.replies) {
		http.Error(w, "script over", http.StatusTeapot)
		return
	}
	rp := s.replies[n]
	if rp.reset {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			s.t.Error(err)
			return
		}
		conn.Close()
		return
	}
	for k, v := range rp.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rp.status)
	io.WriteString(w, rp.body)
}

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
	rate := realCase(t, "openai/rate_limit_rpm_seconds")
	over := realCase(t, "openai/model_overloaded_503")
	quota := realCase(t, "openai/insufficient_quota")
	ctxLen := realCase(t, "openai/context_length_exceeded")
	streamErr := realCase(t, "anthropic/stream_error_event_overloaded")
	okStream := reply{status: 200, header: map[string]string{"Content-Type": "text/event-stream"}, body: tokens}
	ok := reply{status: 200, header: map[string]string{"Content-Type": "application/json"}, body: okJSON}
	lateErr := okStream
	lateErr.body = tokens + streamErr.Body
	tests := []struct {
		name     string
		replies  []reply
		requests int
		status   int
		body     string
		minWait  time.Duration
	}{
		{"429 Retry-After then 200", []reply{fromCase(rate, "Retry-After", "1"), ok}, 2, 200, okJSON, time.Second},
		{"503 503 200", []reply{fromCase(over), fromCase(over), ok}, 3, 200, okJSON, 0},
		{"insufficient_quota", []reply{fromCase(quota), ok}, 1, 429, quota.Body, 0},
		{"stream error event before any token", []reply{fromCase(streamErr), okStream}, 2, 200, tokens, 0},
		{"stream error event after tokens", []reply{lateErr, okStream}, 1, 200, lateErr.body, 0},
		{"400 context length", []reply{fromCase(ctxLen), ok}, 1, 400, ctxLen.Body, 0},
		{"connection reset then 200", []reply{{reset: true}, ok}, 2, 200, okJSON, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &scripted{t: t, replies: tt.replies}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			var waits []time.Duration
			req, err := retryablehttp.NewRequest(http.MethodPost, ts.URL, []byte(postBody))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client(ts, &policy.Policy{}, &waits).Do(req)
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
			srv.mu.Lock()
			bodies := srv.bodies
			srv.mu.Unlock()
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
