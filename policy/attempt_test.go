package policy_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/policy"
)

// TestDecisionSource: a retry's delay says whether the schedule or the
// server chose it; a decision that is not a retry has no source.
func TestDecisionSource(t *testing.T) {
	s := plain
	s.MaxElapsed = -1
	p := policy.Policy{Strategies: strategies(s, catalog.RateLimited, catalog.Unavailable), Rand: fixedRand(0.5)}
	tests := []struct {
		name string
		r    classify.Result
		want policy.DelaySource
	}{
		{"no server delay: schedule", r503, policy.DelaySchedule},
		{"Retry-After longer than the schedule: server", classified(429, header("Retry-After", "30"), ""), policy.DelayServer},
		{"Retry-After shorter than the schedule: schedule", classified(503, header("retry-after-ms", "1"), ""), policy.DelaySchedule},
		{"not retryable: none", classified(401, nil, ""), policy.DelayNone},
		{"success: none", r200, policy.DelayNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Decide(1, 0, tt.r).Source; got != tt.want {
				t.Errorf("Decide(%v).Source = %q, want %q", tt.r, got, tt.want)
			}
		})
	}
}

// countingLimiter counts its calls and records what Observe was told.
type countingLimiter struct {
	waits, observes atomic.Int64
	hold            time.Duration
	clock           *fakeClock
	reqs            []*http.Request
	attempts        []policy.Attempt
}

func (l *countingLimiter) Wait(ctx context.Context, req *http.Request) error {
	l.waits.Add(1)
	l.reqs = append(l.reqs, req)
	if l.clock != nil {
		l.clock.Advance(l.hold)
	}
	return nil
}

func (l *countingLimiter) Observe(a policy.Attempt) {
	l.observes.Add(1)
	l.attempts = append(l.attempts, a)
}

// TestRetrierLimiterAndObserver: the Retrier calls the Policy's Limiter's
// Wait (through Retrier.Wait) and Observe once per attempt, and the
// Observer once per attempt, success included, with the Retrier's context,
// the attempt's number, its limiter wait and the decision.
func TestRetrierLimiterAndObserver(t *testing.T) {
	type key struct{}
	clock := newClock()
	lim := &countingLimiter{clock: clock, hold: 250 * time.Millisecond}
	type seen struct {
		Value       any
		Number      int
		LimiterWait time.Duration
		Category    catalog.Category
		Err         bool
		Reason      policy.Reason
		Source      policy.DelaySource
	}
	var got []seen
	p := policy.Policy{
		Strategies: strategies(plain, catalog.Unavailable, catalog.RateLimited),
		Clock:      clock,
		Rand:       fixedRand(0.5),
		Limiter:    lim,
		Observer: func(ctx context.Context, a policy.Attempt, d policy.Decision) {
			got = append(got, seen{ctx.Value(key{}), a.Number, a.LimiterWait, a.Result.Category, a.Err != nil, d.Reason, d.Source})
		},
	}
	ctx := context.WithValue(context.Background(), key{}, "v")
	rt := p.NewRetrier(ctx)
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	for _, step := range []func() error{
		func() error { return rt.Observe(r429RA2) },
		func() error { return rt.Observe(r503) },
		func() error { return rt.ObserveError(reset) },
		func() error { return rt.Observe(r200) },
	} {
		if err := rt.Wait(nil); err != nil {
			t.Fatal(err)
		}
		step()
		clock.Advance(rt.Decision().Delay)
	}
	want := []seen{
		{"v", 1, 250 * time.Millisecond, catalog.RateLimited, false, policy.ReasonRetry, policy.DelayServer},
		{"v", 2, 250 * time.Millisecond, catalog.Unavailable, false, policy.ReasonRetry, policy.DelaySchedule},
		{"v", 3, 250 * time.Millisecond, catalog.Network, true, policy.ReasonRetry, policy.DelaySchedule},
		{"v", 4, 250 * time.Millisecond, catalog.Unknown, false, policy.ReasonSuccess, policy.DelayNone},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Observer calls (-want +got):\n%s", diff)
	}
	if w, o := lim.waits.Load(), lim.observes.Load(); w != 4 || o != 4 {
		t.Errorf("limiter Wait %d times, Observe %d times; want 4 and 4", w, o)
	}
	for i, a := range lim.attempts {
		if a.Number != i+1 || a.Start.IsZero() {
			t.Errorf("limiter observed attempt %d as number %d, start %v; want number %d and a start", i, a.Number, a.Start, i+1)
		}
	}
}

// TestRetrierNoResend: an attempt that cannot be sent again stops a
// retryable failure with no_resend, and is still observed.
func TestRetrierNoResend(t *testing.T) {
	var reasons []policy.Reason
	p := policy.Policy{Observer: func(_ context.Context, _ policy.Attempt, d policy.Decision) { reasons = append(reasons, d.Reason) }}
	rt := p.NewRetrier(context.Background())
	err := rt.ObserveAttempt(policy.Attempt{Result: r503, NoResend: true})
	var ae *policy.AttemptError
	if !errors.As(err, &ae) || ae.Decision.Reason != policy.ReasonNoResend {
		t.Fatalf("ObserveAttempt = %v, want an AttemptError with reason no_resend", err)
	}
	if diff := cmp.Diff([]policy.Reason{policy.ReasonNoResend}, reasons); diff != "" {
		t.Errorf("Observer reasons (-want +got):\n%s", diff)
	}
}

// TestAttemptLogValueRedacts: logging an attempt and a decision with slog
// prints the stable keys and never the credential in the request's URL,
// the transport error or the result's message.
func TestAttemptLogValueRedacts(t *testing.T) {
	const secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"
	u, _ := url.Parse("https://api.example.com/v1/chat?key=" + secret)
	req := &http.Request{Method: http.MethodPost, URL: u}
	r := classify.Classify(401, nil, []byte(`{"error":{"message":"Incorrect API key provided: `+secret+`"}}`))
	a := policy.Attempt{Number: 2, Request: req, Err: errors.New("dial failed with Authorization: Bearer " + secret), Result: r}
	d := policy.Decision{Reason: policy.ReasonNotRetryable}
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("attempt", "attempt", a, "decision", d)
		out := buf.String()
		if strings.Contains(out, secret) || strings.Contains(out, secret[8:30]) {
			t.Errorf("log leaks the credential: %s", out)
		}
		for _, k := range []string{policy.KeyAttempt, policy.KeyMethod, policy.KeyURL, policy.KeyError, policy.KeyResult, policy.KeyReason, "api.example.com"} {
			if !strings.Contains(out, k) {
				t.Errorf("log lacks %q: %s", k, out)
			}
		}
	}
}
