package retryhttp_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// seenAttempt is what the Observer was told about one attempt.
type seenAttempt struct {
	CtxValue   any
	Number     int
	ReqAttempt int // retryhttp.AttemptNumber of the attempt's request
	Method     string
	Status     int // the response's status, 0 without a response
	Err        bool
	Category   catalog.Category
	OK         bool
	Reason     policy.Reason
	Retry      bool
}

// countingLimiter counts the calls of a policy.Limiter; safe for
// concurrent use.
type countingLimiter struct {
	mu       sync.Mutex
	waits    int
	observed []int // attempt numbers
}

func (l *countingLimiter) Wait(context.Context, *http.Request) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits++
	return nil
}

func (l *countingLimiter) Observe(a policy.Attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.observed = append(l.observed, a.Number)
}

// TestObserverThroughTransport: the Policy's Observer is called once per
// attempt with the request's context and the attempt's request, response
// or transport error, Result and Decision; the Policy's Limiter is waited
// on and told once per attempt. The bodies are published ones (see
// sdktest's cases).
func TestObserverThroughTransport(t *testing.T) {
	rate := sdktest.Case(t, "openai/rate_limit_rpm_seconds")
	over := sdktest.Case(t, "openai/model_overloaded_503")
	type key struct{}
	ts := sdktest.New(t,
		sdktest.Reply(t, rate.Name, http.Header{"Retry-After": {"1"}}),
		sdktest.Reply(t, over.Name, nil),
		sdktest.Step{Reset: true},
		sdktest.Step{Body: okJSON},
	)
	var mu sync.Mutex
	var seen []seenAttempt
	lim := &countingLimiter{}
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	p := &policy.Policy{
		Clock:   clock,
		Limiter: lim,
		Observer: func(ctx context.Context, a policy.Attempt, d policy.Decision) {
			s := seenAttempt{CtxValue: ctx.Value(key{}), Number: a.Number, Err: a.Err != nil,
				Category: a.Result.Category, OK: a.Result.OK, Reason: d.Reason, Retry: d.Retry}
			if a.Request != nil {
				s.Method = a.Request.Method
				s.ReqAttempt = retryhttp.AttemptNumber(a.Request.Context())
			}
			if a.Response != nil {
				s.Status = a.Response.StatusCode
			}
			mu.Lock()
			seen = append(seen, s)
			mu.Unlock()
		},
	}
	ctx := context.WithValue(context.Background(), key{}, "caller")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/v1/chat/completions", strings.NewReader(postBody))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := retryhttp.NewClient(&retryhttp.Transport{Base: ts.Client().Transport, Policy: p}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := []seenAttempt{
		{"caller", 1, 1, "POST", 429, false, catalog.RateLimited, false, policy.ReasonRetry, true},
		{"caller", 2, 2, "POST", 503, false, catalog.Unavailable, false, policy.ReasonRetry, true},
		{"caller", 3, 3, "POST", 0, true, catalog.Network, false, policy.ReasonRetry, true},
		{"caller", 4, 4, "POST", 200, false, catalog.Unknown, true, policy.ReasonSuccess, false},
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("Observer calls (-want +got):\n%s", diff)
	}
	if lim.waits != 4 || !cmp.Equal(lim.observed, []int{1, 2, 3, 4}) {
		t.Errorf("limiter: %d waits, observed %v; want 4 waits and attempts [1 2 3 4]", lim.waits, lim.observed)
	}
}

// TestLimiterWaitErrorStops: a limiter that refuses the attempt stops the
// request before anything is sent, with the limiter's error.
func TestLimiterWaitErrorStops(t *testing.T) {
	ts := sdktest.New(t, sdktest.Step{Body: okJSON})
	p := &policy.Policy{Limiter: refusingLimiter{}}
	req, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
	_, err := (&retryhttp.Transport{Base: ts.Client().Transport, Policy: p}).RoundTrip(req)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "limiter") {
		t.Fatalf("err = %v, want the limiter's refusal", err)
	}
	if n := ts.Requests(); n != 0 {
		t.Errorf("the server saw %d requests, want 0", n)
	}
}

type refusingLimiter struct{}

func (refusingLimiter) Wait(context.Context, *http.Request) error {
	return context.DeadlineExceeded
}
func (refusingLimiter) Observe(policy.Attempt) {}

// TestObserverAddsNoAllocation: a RoundTrip allocates as much with a no-op
// Observer as with none: the hook costs no allocation.
func TestObserverAddsNoAllocation(t *testing.T) {
	ts := sdktest.New(t)
	base := okTransport{}
	allocs := func(p *policy.Policy) float64 {
		tr := &retryhttp.Transport{Base: base, Policy: p}
		req, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
		return testing.AllocsPerRun(200, func() {
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
	without := allocs(&policy.Policy{})
	with := allocs(&policy.Policy{Observer: func(context.Context, policy.Attempt, policy.Decision) {}})
	if with != without {
		t.Errorf("RoundTrip allocates %v times with a no-op Observer, %v without; want the same", with, without)
	}
}

// okTransport answers every request with a 200 and an empty body, without
// a network, so that allocation counts are the Transport's own.
type okTransport struct{}

func (okTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}
