package policy_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/policy"
)

// The function types of go-retryablehttp's hooks, spelled out so that the
// adapters are checked against exactly those signatures without importing
// it.
type (
	checkRetryFunc func(ctx context.Context, resp *http.Response, err error) (bool, error)
	backoffFunc    func(min, max time.Duration, attemptNum int, resp *http.Response) time.Duration
)

func response(status int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(body))}
}

// TestCheckRetry checks the CheckRetry hook's answers.
func TestCheckRetry(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	soon, cancelSoon := context.WithTimeout(context.Background(), 2*time.Second) // Retry-After: 5 does not fit
	defer cancelSoon()
	tests := []struct {
		name      string
		ctx       context.Context
		resp      *http.Response
		err       error
		wantRetry bool
		wantErr   error
	}{
		{"429 with Retry-After", context.Background(), response(429, http.Header{"Retry-After": {"2"}}, `{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`), nil, true, nil},
		{"quota 429", context.Background(), response(429, nil, `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`), nil, false, nil},
		{"200", context.Background(), response(200, nil, `{}`), nil, false, nil},
		{"503", context.Background(), response(503, nil, `{"detail":"Model is temporarily unavailable"}`), nil, true, nil},
		{"x-should-retry false", context.Background(), response(503, http.Header{"X-Should-Retry": {"false"}}, ``), nil, false, nil},
		{"Retry-After above the cap", context.Background(), response(429, http.Header{"Retry-After": {"3600"}}, ``), nil, false, nil},
		{"wait past the deadline", soon, response(429, http.Header{"Retry-After": {"5"}}, ``), nil, false, nil},
		{"connection reset", context.Background(), nil, io.ErrUnexpectedEOF, true, nil},
		// Ollama's error line first in its application/x-ndjson 200
		// (server/routes.go streamResponse; the message is llm/server.go's
		// Completion error when the runner died), and a token first.
		{"NDJSON error line first", context.Background(), response(200, http.Header{"Content-Type": {"application/x-ndjson"}},
			`{"error":"model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details"}`+"\n"), nil, true, nil},
		{"NDJSON token first", context.Background(), response(200, http.Header{"Content-Type": {"application/x-ndjson"}},
			`{"model":"llama3.2","message":{"role":"assistant","content":"The"},"done":false}`+"\n"+`{"error":"model runner has unexpectedly stopped"}`+"\n"), nil, false, nil},
		{"canceled context", canceled, response(503, nil, ``), nil, false, context.Canceled},
		{"neither response nor error", context.Background(), nil, nil, false, nil},
	}
	var p policy.Policy
	var hook checkRetryFunc = p.CheckRetry
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			retry, err := hook(tt.ctx, tt.resp, tt.err)
			if retry != tt.wantRetry || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("CheckRetry = %v, %v; want %v, %v", retry, err, tt.wantRetry, tt.wantErr)
			}
		})
	}
}

// TestCheckRetryKeepsBody: the caller (and retryablehttp, which drains it)
// can still read the whole body after the hook classified it.
func TestCheckRetryKeepsBody(t *testing.T) {
	body := `{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`
	resp := response(429, nil, body)
	var p policy.Policy
	if _, err := p.CheckRetry(context.Background(), resp, nil); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != body {
		t.Errorf("body after CheckRetry: %q, %v", got, err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestBackoffHook checks the Backoff hook: the server's delay is a floor,
// even one that only the body said and after retryablehttp has drained the
// body; the schedule follows attemptNum; max caps the schedule only.
func TestBackoffHook(t *testing.T) {
	p := policy.Policy{Rand: func() float64 { return 0.999 }}
	var hook backoffFunc = p.Backoff
	var check checkRetryFunc = p.CheckRetry

	// The delay is in the body only: "Please try again in 20s".
	resp := response(429, nil, `{"error":{"message":"Rate limit reached for gpt-4o. Please try again in 20s.","type":"requests","code":"rate_limit_exceeded"}}`)
	if retry, _ := check(context.Background(), resp, nil); !retry {
		t.Fatal("CheckRetry refused a 429")
	}
	io.Copy(io.Discard, resp.Body) // what retryablehttp does before calling Backoff
	resp.Body.Close()
	if d := hook(time.Second, 30*time.Second, 0, resp); d < 20*time.Second || d > 22*time.Second {
		t.Errorf("body delay after the body was drained: %v, want 20s to 22s", d)
	}

	// No server delay: the category's schedule, growing with attemptNum.
	s := p.Strategy(catalog.Unavailable)
	for n := 0; n < 3; n++ {
		_, hi := s.Delays(n + 1)
		d := hook(time.Second, time.Minute, n, response(503, nil, ``))
		if d > hi || d < hi*9/10 {
			t.Errorf("attemptNum %d: %v, want near %v", n, d, hi)
		}
	}
	// max caps the schedule, not a server's delay.
	if d := hook(0, 100*time.Millisecond, 5, response(503, nil, ``)); d > 100*time.Millisecond {
		t.Errorf("max 100ms: %v", d)
	}
	if d := hook(0, 100*time.Millisecond, 0, response(429, http.Header{"Retry-After": {"3"}}, ``)); d < 3*time.Second {
		t.Errorf("max below the server's delay: %v, want at least 3s", d)
	}
	// A delay above the cap, which CheckRetry refuses, never comes back
	// unbounded.
	if d := hook(0, 0, 0, response(429, http.Header{"Retry-After": {"1000000000000"}}, ``)); d != policy.DefaultMaxServerDelay {
		t.Errorf("huge Retry-After: %v, want the cap %v", d, policy.DefaultMaxServerDelay)
	}
	// A transport error: retryablehttp passes a nil response, and the
	// network category's schedule applies.
	for n := 0; n < 3; n++ {
		_, hi := p.Strategy(catalog.Network).Delays(n + 1)
		if d := hook(0, 0, n, nil); d > hi || d < hi*9/10 {
			t.Errorf("nil response, attemptNum %d: %v, want near %v (the network schedule)", n, d, hi)
		}
	}
}

// TestCheckRetryBudget: CheckRetry checks the shared budget, Backoff
// (called by retryablehttp only for a retry it makes) spends it, so the
// last attempt that retryablehttp's RetryMax stops costs nothing; an empty
// budget refuses; successes refill it.
func TestCheckRetryBudget(t *testing.T) {
	b := &policy.Budget{Max: 10, RetryCost: 5, Refill: 5}
	p := policy.Policy{Budget: b}
	ctx := context.Background()
	// What retryablehttp does: CheckRetry, then Backoff if it retries.
	attempt := func(status int, body string, retryMaxLeft bool) bool {
		resp := response(status, nil, body)
		retry, _ := p.CheckRetry(ctx, resp, nil)
		if retry && retryMaxLeft {
			p.Backoff(0, 0, 0, resp)
		}
		return retry
	}
	if !attempt(503, ``, false) || b.Tokens() != 10 {
		t.Errorf("a retry that RetryMax stops: tokens %v, want 10 (nothing spent)", b.Tokens())
	}
	for i, want := range []bool{true, true, false} {
		if retry := attempt(503, ``, true); retry != want {
			t.Errorf("503 number %d: retry %v, want %v (tokens %v)", i+1, retry, want, b.Tokens())
		}
	}
	if b.Tokens() != 0 {
		t.Errorf("after two retries: tokens %v, want 0", b.Tokens())
	}
	attempt(200, `{}`, true)
	if b.Tokens() != 5 {
		t.Errorf("after a success: tokens %v, want 5", b.Tokens())
	}
	if !attempt(503, ``, true) {
		t.Error("no retry after a success refilled the budget")
	}
}
