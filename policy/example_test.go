package policy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
	"github.com/cenkalti/backoff/v4"
)

// The plain function form: one decision about one failed attempt. The
// server's Retry-After is a floor; the jitter only ever adds to it.
func ExampleDecide() {
	h := http.Header{"Retry-After": {"20"}}
	r := classify.Classify(429, h, []byte(`{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`))

	d := policy.Decide(1, 0, r)
	fmt.Println(d.Retry, d.Reason, d.Delay >= 20*time.Second, d.Delay <= 22*time.Second)

	quota := classify.Classify(429, nil, []byte(`{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`))
	fmt.Println(policy.Decide(1, 0, quota).Reason)
	// Output:
	// true retry true true
	// not_retryable
}

// A Policy with one category changed, field by field, and a fixed jitter
// source so the delays are reproducible.
func ExamplePolicy_Decide() {
	p := policy.Policy{
		Strategies: map[catalog.Category]policy.Strategy{
			catalog.Unavailable: {MaxAttempts: 3, Initial: time.Second, Multiplier: 2, Jitter: policy.JitterNone},
		},
		Rand: func() float64 { return 0.5 },
	}
	r := classify.Classify(503, nil, []byte(`{"detail":"Model is temporarily unavailable"}`))
	for attempt := 1; attempt <= 3; attempt++ {
		d := p.Decide(attempt, 0, r)
		fmt.Printf("after attempt %d: %s %v\n", attempt, d.Reason, d.Delay)
	}
	// Output:
	// after attempt 1: retry 1s
	// after attempt 2: retry 2s
	// after attempt 3: max_attempts 0s
}

// A Retrier plugs into backoff.Retry: the operation reports each outcome,
// the Retrier decides, and a failure that is not to be retried ends the
// loop at once.
func ExamplePolicy_NewRetrier() {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"detail":"Model is temporarily unavailable"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()

	p := policy.Policy{
		// Short waits, for the example.
		Strategies: map[catalog.Category]policy.Strategy{catalog.Unavailable: {Initial: time.Millisecond, MaxInterval: time.Millisecond}},
		Observer: func(_ context.Context, a policy.Attempt, d policy.Decision) {
			fmt.Printf("attempt %d: %s, %s\n", a.Number, a.Result.Category, d.Reason)
		},
	}
	rt := p.NewRetrier(context.Background())
	err := backoff.Retry(func() error {
		resp, err := http.Get(srv.URL)
		if err != nil {
			return rt.ObserveError(err)
		}
		defer resp.Body.Close()
		r, _ := classify.Response(resp)
		return rt.Observe(r)
	}, rt)
	fmt.Println("err:", err, "attempts:", rt.Attempts())
	// Output:
	// attempt 1: unavailable, retry
	// attempt 2: unknown, success
	// err: <nil> attempts: 2
}

// What backoff.Retry returns when the policy gives up: an error that says
// why and matches the category's sentinel.
func ExampleError() {
	rt := (&policy.Policy{}).NewRetrier(context.Background())
	err := backoff.Retry(func() error {
		return rt.Observe(classify.Classify(401, nil, []byte(`{"detail":"Incorrect API key provided"}`)))
	}, rt)
	var pe *policy.AttemptError
	fmt.Println(errors.Is(err, classify.ErrAuthentication), errors.As(err, &pe) && pe.Decision.Reason == policy.ReasonNotRetryable)
	fmt.Println(err)
	// Output:
	// true true
	// policy: gave up after 1 attempt (not_retryable): apierr: authentication (401, not retryable): Incorrect API key provided
}

// An http.RoundTripper middleware: package retryhttp's Transport, built on
// this package, retries transparently, honouring the server's delays,
// rewinds request bodies (and, when it cannot, returns the response it has
// instead of failing), and hands the caller the final response.
func Example_roundTripper() {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if calls.Add(1) < 3 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`)
			return
		}
		fmt.Fprintf(w, "got %s", body)
	}))
	defer srv.Close()

	p := &policy.Policy{Strategies: map[catalog.Category]policy.Strategy{
		catalog.RateLimited: {Initial: time.Millisecond, MaxInterval: time.Millisecond}, // short waits, for the example
	}}
	client := retryhttp.NewClient(&retryhttp.Transport{Policy: p})
	resp, err := client.Post(srv.URL, "application/json", strings.NewReader(`{"model":"m"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body), "after", calls.Load(), "attempts")
	// Output:
	// 200 got {"model":"m"} after 3 attempts
}

// Policy.CheckRetry and Policy.Backoff have exactly the signatures of
// go-retryablehttp's hooks, so a retryablehttp.Client takes them as they
// are (client.CheckRetry = p.CheckRetry; client.Backoff = p.Backoff).
func ExamplePolicy_CheckRetry() {
	var (
		p          policy.Policy
		checkRetry func(ctx context.Context, resp *http.Response, err error) (bool, error)         = p.CheckRetry
		backoffFn  func(min, max time.Duration, attemptNum int, resp *http.Response) time.Duration = p.Backoff
	)
	resp := &http.Response{
		StatusCode: 429,
		Header:     http.Header{"Retry-After": {"7"}},
		Body:       io.NopCloser(strings.NewReader(`{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`)),
	}
	retry, err := checkRetry(context.Background(), resp, nil)
	wait := backoffFn(time.Second, 30*time.Second, 0, resp)
	fmt.Println(retry, err, wait >= 7*time.Second)
	// Output:
	// true <nil> true
}

// TestRoundTripperCanceledWait: when the caller cancels during a wait, the
// middleware returns the context's error, not the drained response it
// was going to retry.
func TestRoundTripperCanceledWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The Observer runs after the decision to retry and before the wait:
	// cancel there, so the wait (30 s) is cut short at once.
	p := &policy.Policy{Observer: func(context.Context, policy.Attempt, policy.Decision) { cancel() }}
	client := retryhttp.NewClient(&retryhttp.Transport{Policy: p})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if resp != nil {
		resp.Body.Close()
		t.Fatalf("got a response (status %d) with error %v; want none", resp.StatusCode, err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}
