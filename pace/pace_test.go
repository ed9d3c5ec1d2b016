package pace_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/pace"
	"github.com/apierr/apierr/policy"
	"github.com/google/go-cmp/cmp"
)

// fakeClock is a virtual clock whose Sleep advances it.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func newLimiter() (*pace.Limiter[string], *fakeClock) {
	c := &fakeClock{t: time.Now()} // real now, so that real contexts agree; every figure is relative
	return &pace.Limiter[string]{Now: c.Now, Sleep: c.Sleep, Spread: 100 * time.Millisecond}, c
}

func rl(h http.Header, now time.Time) classify.RateLimits { return classify.ReadRateLimits(h, now) }

func TestSharedCooldown(t *testing.T) {
	l, c := newLimiter()
	ctx := context.Background()
	if err := l.Wait(ctx, "a", 0); err != nil {
		t.Fatal(err)
	}
	// A 429 with Retry-After: 10 seen by one caller holds every caller of
	// the key, not those of another key.
	r := classify.Classify(429, http.Header{"Retry-After": {"10"}}, nil)
	l.Observe("a", r, classify.RateLimits{})
	if err := l.Wait(ctx, "b", 0); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := l.Wait(ctx, "a", 0); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]time.Duration{10 * time.Second}, c.slept); diff != "" {
		t.Errorf("sleeps (-want +got)\n%s", diff)
	}
}

func TestExhaustedWindowHolds(t *testing.T) {
	l, c := newLimiter()
	// The seed provider's headers on a success: nothing left, reset in 41s.
	h := http.Header{"X-Ratelimit-Limit-Requests": {"20"}, "X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {"41s"}}
	l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	if err := l.Wait(context.Background(), "k", 0); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{41100 * time.Millisecond}, c.slept); diff != "" {
		t.Errorf("sleeps (-want +got)\n%s", diff)
	}
}

func TestPacesRequests(t *testing.T) {
	l, c := newLimiter()
	// 10 requests left for 10 s: one a second, not ten at once.
	h := http.Header{"X-Ratelimit-Remaining-Requests": {"10"}, "X-Ratelimit-Reset-Requests": {"10s"}}
	l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	start := c.Now()
	var at []time.Duration
	for range 4 {
		if err := l.Wait(context.Background(), "k", 0); err != nil {
			t.Fatal(err)
		}
		at = append(at, c.Now().Sub(start))
	}
	want := []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("starts (-want +got)\n%s", diff)
	}
}

func TestPacesTokens(t *testing.T) {
	l, c := newLimiter()
	// 60000 tokens left for 60 s, 20000 an attempt: three attempts spread
	// over the window (20 s apart), the fourth when the window resets.
	h := http.Header{"X-Ratelimit-Remaining-Tokens": {"60000"}, "X-Ratelimit-Reset-Tokens": {"1m0s"}}
	l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	start := c.Now()
	var at []time.Duration
	for range 4 {
		if err := l.Wait(context.Background(), "k", 20000); err != nil {
			t.Fatal(err)
		}
		at = append(at, c.Now().Sub(start))
	}
	want := []time.Duration{0, 20 * time.Second, 40 * time.Second, 60 * time.Second}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("starts (-want +got)\n%s", diff)
	}
}

func TestDeadline(t *testing.T) {
	l, c := newLimiter()
	l.Observe("k", classify.Classify(429, http.Header{"Retry-After": {"30"}}, nil), classify.RateLimits{})
	// The deadline is on the injected clock's timeline.
	ctx, cancel := context.WithDeadline(context.Background(), c.Now().Add(5*time.Second))
	defer cancel()
	if err := l.Wait(ctx, "k", 0); !errors.Is(err, pace.ErrDeadline) {
		t.Fatalf("Wait = %v, want ErrDeadline", err)
	}
	if len(c.slept) != 0 {
		t.Errorf("slept %v before refusing", c.slept)
	}
}

func TestAllocs(t *testing.T) {
	l, c := newLimiter()
	h := http.Header{"X-Ratelimit-Remaining-Requests": {"1000000000"}, "X-Ratelimit-Reset-Requests": {"1s"}}
	r := classify.Classify(200, h, nil)
	lim := rl(h, c.Now())
	ctx := context.Background()
	l.Observe("k", r, lim) // the key's state is allocated once
	if n := testing.AllocsPerRun(100, func() { l.Observe("k", r, lim) }); n != 0 {
		t.Errorf("Observe: %v allocs, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = l.Wait(ctx, "k", 0) }); n != 0 {
		t.Errorf("Wait: %v allocs, want 0", n)
	}
}

func TestConcurrent(t *testing.T) {
	l, c := newLimiter()
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			h := http.Header{"X-Ratelimit-Remaining-Requests": {"100"}, "X-Ratelimit-Reset-Requests": {"1s"}}
			for range 50 {
				if err := l.Wait(context.Background(), "k", int64(i)); err != nil {
					t.Error(err)
					return
				}
				l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
			}
		})
	}
	wg.Wait()
}

func TestRetrierLimiter(t *testing.T) {
	l, c := newLimiter()
	p := policy.Policy{Limiter: l.Key("k", 0)}
	rt := p.NewRetrier(context.Background())
	if err := rt.Wait(); err != nil {
		t.Fatal(err)
	}
	_ = rt.Observe(classify.Classify(429, http.Header{"Retry-After": {"7"}}, nil))
	// Another request's Retrier on the same key is held by the first's 429.
	other := p.NewRetrier(context.Background())
	if err := other.Wait(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{7 * time.Second}, c.slept); diff != "" {
		t.Errorf("sleeps (-want +got)\n%s", diff)
	}
}

// TestBurstThenSpread pins how a window's budget is spent: the first half
// goes at once (a job smaller than the window is not drawn out), the second
// half is spread over what is left of the window. Without the burst the
// seed provider's scenario (v) missed its makespan target (0.96x of N*K/L
// against 0.93x); with it, 0.92x and no 429 (`apierr sim --seeds 25`).
func TestBurstThenSpread(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	var s pace.State
	s.Apply(pace.Op{Now: now, Observe: true, RequestsKnown: true,
		Requests: pace.Window{Limit: 60, Remaining: 60, ResetAt: now.Add(time.Minute)}})
	var starts []time.Duration
	for i := 0; i < 33; i++ {
		starts = append(starts, s.Apply(pace.Op{Now: now}).Sub(now))
	}
	for i, d := range starts[:31] {
		if d != 0 {
			t.Fatalf("attempt %d starts after %v, want at once (the first half of the budget and the one that starts the spread)", i+1, d)
		}
	}
	// The 31st attempt spreads the last 30 over the 60 s left.
	if want := 2 * time.Second; starts[31] != want || starts[32] != 2*want {
		t.Errorf("attempts 32 and 33 start after %v and %v, want %v and %v", starts[31], starts[32], want, 2*want)
	}
}
