package pace_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
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
	return &pace.Limiter[string]{Clock: c, Spread: 100 * time.Millisecond}, c
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

// TestWindowSpentAtOnce: a fixed window's remaining requests go at once
// (the server admits them whenever they come before the reset; holding
// them back cannot finish sooner); the next waits for the reset.
func TestWindowSpentAtOnce(t *testing.T) {
	l, c := newLimiter()
	h := http.Header{"X-Ratelimit-Remaining-Requests": {"3"}, "X-Ratelimit-Reset-Requests": {"10s"}}
	l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	start := c.Now()
	var at []time.Duration
	for range 4 {
		if err := l.Wait(context.Background(), "k", 0); err != nil {
			t.Fatal(err)
		}
		at = append(at, c.Now().Sub(start))
	}
	want := []time.Duration{0, 0, 0, 10*time.Second + 100*time.Millisecond}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("starts (-want +got)\n%s", diff)
	}
}

func TestPacesTokens(t *testing.T) {
	l, c := newLimiter()
	// 60000 tokens left for 60 s, 20000 an attempt: three attempts at
	// once, the fourth when the window resets (plus the spread).
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
	want := []time.Duration{0, 0, 0, 60*time.Second + 100*time.Millisecond}
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
	if err := rt.Wait(nil); err != nil {
		t.Fatal(err)
	}
	_ = rt.Observe(classify.Classify(429, http.Header{"Retry-After": {"7"}}, nil))
	// Another request's Retrier on the same key is held by the first's 429.
	other := p.NewRetrier(context.Background())
	if err := other.Wait(nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{7 * time.Second}, c.slept); diff != "" {
		t.Errorf("sleeps (-want +got)\n%s", diff)
	}
}

// TestWholeWindowAtOnce: a fresh window of 60 admits 60 attempts at
// once, whatever the share of its limit they are; the 61st starts after
// the reset plus the spread.
func TestWholeWindowAtOnce(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	var s pace.State
	s.Apply(pace.Op{Now: now, Observe: true, RequestsKnown: true,
		Requests: pace.WindowState{Limit: 60, Remaining: 60, ResetAt: now.Add(time.Minute)}})
	for i := range 60 {
		if d := s.Apply(pace.Op{Now: now, Spread: time.Second}).Sub(now); d != 0 {
			t.Fatalf("attempt %d starts after %v, want at once", i+1, d)
		}
	}
	if d := s.Apply(pace.Op{Now: now, Spread: time.Second}).Sub(now); d != 61*time.Second {
		t.Errorf("attempt 61 starts after %v, want 61s", d)
	}
}

// bucketReport is what an OpenAI-style server with a continuous bucket of
// 500 requests a minute (one refilled every 120 ms) reports with rem
// requests left: the reset is when it is full again.
func bucketReport(rem int) http.Header {
	reset := time.Duration(500-rem) * 120 * time.Millisecond
	return http.Header{
		"X-Ratelimit-Limit-Requests":     {"500"},
		"X-Ratelimit-Remaining-Requests": {strconv.Itoa(rem)},
		"X-Ratelimit-Reset-Requests":     {reset.String()},
	}
}

// starts waits n times on key k with cost and returns the start of each
// attempt relative to the first call.
func starts(t *testing.T, l *pace.Limiter[string], c *fakeClock, n int, cost int64) []time.Duration {
	t.Helper()
	start := c.Now()
	var at []time.Duration
	for range n {
		if err := l.Wait(context.Background(), "k", cost); err != nil {
			t.Fatal(err)
		}
		at = append(at, c.Now().Sub(start))
	}
	return at
}

// TestContinuousBucket pins the rule for a continuously refilled bucket:
// once two reports show the reset moving with the budget (T = (L - R) /
// r), the limiter spends what remains at once and then one request per
// refill (120 ms at 500 a minute), instead of holding every caller until
// the reset, when the bucket is full again (59.4 s here).
func TestContinuousBucket(t *testing.T) {
	l, c := newLimiter()
	for _, rem := range []int{7, 2} {
		h := bucketReport(rem)
		l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	}
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	want := []time.Duration{0, 0, ms(120), ms(240), ms(360)}
	if diff := cmp.Diff(want, starts(t, l, c, 5, 0)); diff != "" {
		t.Errorf("starts (-want +got)\n%s", diff)
	}
	// An older report (a fuller bucket) does not give back what was
	// reserved since: the next start is still one refill later.
	h := bucketReport(300)
	l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	if diff := cmp.Diff([]time.Duration{ms(120)}, starts(t, l, c, 1, 0)); diff != "" {
		t.Errorf("after an older report: starts (-want +got)\n%s", diff)
	}
	// A newer report of an emptier bucket (another process spent 5) moves
	// the next start later.
	h = bucketReport(0)
	l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	if diff := cmp.Diff([]time.Duration{ms(120)}, starts(t, l, c, 1, 0)); diff != "" {
		t.Errorf("after an empty report: starts (-want +got)\n%s", diff)
	}
}

// TestContinuousTokenBucket: tokens are paced by the estimated cost of
// each attempt at the bucket's refill rate (30,000 a minute: 2 ms a token),
// and a 429 reporting the bucket exhausted holds nobody until its reset.
func TestContinuousTokenBucket(t *testing.T) {
	l, c := newLimiter()
	report := func(rem int) http.Header {
		return http.Header{
			"X-Ratelimit-Limit-Tokens":     {"30000"},
			"X-Ratelimit-Remaining-Tokens": {strconv.Itoa(rem)},
			"X-Ratelimit-Reset-Tokens":     {(time.Duration(30000-rem) * 2 * time.Millisecond).String()},
		}
	}
	for _, rem := range []int{900, 400} {
		h := report(rem)
		l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	}
	h := report(0)
	l.Observe("k", classify.Classify(429, h, nil), rl(h, c.Now()))
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	// 0 tokens left: 100 tokens take 200 ms, 50 more 100 ms, 300 more 600 ms.
	got := []time.Duration{}
	start := c.Now()
	for _, cost := range []int64{100, 50, 300} {
		if err := l.Wait(context.Background(), "k", cost); err != nil {
			t.Fatal(err)
		}
		got = append(got, c.Now().Sub(start))
	}
	if diff := cmp.Diff([]time.Duration{ms(200), ms(300), ms(900)}, got); diff != "" {
		t.Errorf("starts (-want +got)\n%s", diff)
	}
}

// TestFixedWindowStaysWindow: reports whose reset stays put while the
// budget falls are a fixed window's, and an exhausted one still holds
// every caller until its reset (plus the spread): the bucket rule does not
// take over the seed provider's windows.
func TestFixedWindowStaysWindow(t *testing.T) {
	l, c := newLimiter()
	for i, rem := range []string{"5", "3", "0"} {
		h := http.Header{"X-Ratelimit-Limit-Requests": {"20"}, "X-Ratelimit-Remaining-Requests": {rem},
			"X-Ratelimit-Reset-Requests": {(40*time.Second - time.Duration(i)*time.Second).String()}}
		l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
		c.t = c.t.Add(time.Second)
	}
	// The window ends 38 s after the last report, 37 s from now.
	if diff := cmp.Diff([]time.Duration{37100 * time.Millisecond}, starts(t, l, c, 1, 0)); diff != "" {
		t.Errorf("starts (-want +got)\n%s", diff)
	}
}

// TestCooldownFromItsStart: a server delay reported during a cooldown
// answers an attempt sent before the cooldown began (every caller is held
// during one), so it counts from the cooldown's start: the same delay
// arriving later does not extend the cooldown; a longer one does.
func TestCooldownFromItsStart(t *testing.T) {
	l, c := newLimiter()
	start := c.Now()
	ra := func(s string) classify.Result { return classify.Classify(429, http.Header{"Retry-After": {s}}, nil) }
	l.Observe("k", ra("10"), classify.RateLimits{})
	c.t = c.t.Add(500 * time.Millisecond)
	l.Observe("k", ra("10"), classify.RateLimits{}) // the same burst's later answer
	if got, want := l.Held("k"), 9500*time.Millisecond; got != want {
		t.Errorf("after a second Retry-After: 10 half a second later: held %v, want %v (10 s from the first)", got, want)
	}
	l.Observe("k", ra("30"), classify.RateLimits{})
	if got, want := c.Now().Add(l.Held("k")).Sub(start), 30*time.Second; got != want {
		t.Errorf("after a Retry-After: 30: held until %v, want %v from the cooldown's start", got, want)
	}
}

// TestLearntRate pins the pacing learnt from cooldowns when there are no
// rate-limit headers: a second cooldown measures what the server admitted
// since the first began (20 successes in 2 s: 10 a second), and attempts
// are then spaced at that rate from the cooldown's end (100 ms apart),
// the rate growing by 30 % of itself per cooldown length (1 s): 10 s
// later, at 4x. A cooldown more than 10 cooldown lengths after the last
// one stops the pacing. With headers, the windows pace instead.
func TestLearntRate(t *testing.T) {
	ra1 := classify.Classify(429, http.Header{"Retry-After": {"1"}}, nil)
	ok := classify.Classify(200, nil, nil)
	learn := func(l *pace.Limiter[string], c *fakeClock, h http.Header) {
		l.Observe("k", ra1, classify.RateLimits{})
		for range 20 {
			c.t = c.t.Add(100 * time.Millisecond)
			l.Observe("k", ok, rl(h, c.Now()))
		}
		l.Observe("k", ra1, classify.RateLimits{}) // 2 s after the first
	}
	l, c := newLimiter()
	learn(l, c, nil)
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	got := starts(t, l, c, 3, 0)
	want := []time.Duration{time.Second, ms(1100), ms(1100 + 100/1.03)}
	for i := range want {
		if (got[i] - want[i]).Abs() > time.Microsecond {
			t.Errorf("starts %v, want %v", got, want)
			break
		}
	}
	c.t = c.t.Add(10 * time.Second)
	a := starts(t, l, c, 2, 0)
	if gap, want := a[1]-a[0], 25*time.Millisecond; (gap - want).Abs() > time.Millisecond {
		t.Errorf("10 s after the cooldown: gap %v, want about %v (the rate at 4x)", gap, want)
	}

	// A cooldown more than 11 s (11 cooldown lengths) after the last one,
	// with one success a second in between, says nothing of a rate: the
	// pacing stops.
	for range 11 {
		c.t = c.t.Add(time.Second)
		l.Observe("k", ok, classify.RateLimits{})
	}
	l.Observe("k", ra1, classify.RateLimits{})
	if diff := cmp.Diff([]time.Duration{time.Second, time.Second, time.Second}, starts(t, l, c, 3, 0)); diff != "" {
		t.Errorf("after a rare cooldown: starts (-want +got)\n%s", diff)
	}

	l, c = newLimiter()
	learn(l, c, http.Header{"X-Ratelimit-Limit-Requests": {"1000"}, "X-Ratelimit-Remaining-Requests": {"1000"}, "X-Ratelimit-Reset-Requests": {"1m0s"}})
	if diff := cmp.Diff([]time.Duration{time.Second, time.Second, time.Second}, starts(t, l, c, 3, 0)); diff != "" {
		t.Errorf("with headers: starts (-want +got)\n%s", diff)
	}
}

// TestCooldownDuringWindowHold: a server delay longer than the hold of an
// exhausted window in force extends it (counted from the hold's start).
func TestCooldownDuringWindowHold(t *testing.T) {
	l, c := newLimiter()
	h := http.Header{"X-Ratelimit-Limit-Requests": {"20"}, "X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {"5s"}}
	l.Observe("k", classify.Classify(200, h, nil), rl(h, c.Now()))
	c.t = c.t.Add(time.Second)
	l.Observe("k", classify.Classify(429, http.Header{"Retry-After": {"20"}}, nil), classify.RateLimits{})
	if got, want := l.Held("k"), 19*time.Second; got != want {
		t.Errorf("held %v, want %v (20 s from the hold's start)", got, want)
	}
}

// TestResetFromSend: a relative reset is counted from when the attempt was
// sent (the server decided then, before the latency of the work), an
// absolute one and a Retry-After from now; a send time after now counts
// as now.
func TestResetFromSend(t *testing.T) {
	exhausted := http.Header{"X-Ratelimit-Limit-Requests": {"10"}, "X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {"1s"}}
	for _, tc := range []struct {
		name   string
		status int
		h      http.Header
		sent   time.Duration // before now
		want   time.Duration
	}{
		{"relative, sent 800ms ago", 200, exhausted, 800 * time.Millisecond, 200*time.Millisecond + 100*time.Millisecond},
		{"relative, send time unknown", 200, exhausted, 0, time.Second + 100*time.Millisecond},
		{"relative, sent after now", 200, exhausted, -time.Second, time.Second + 100*time.Millisecond},
		{"Retry-After", 429, http.Header{"Retry-After": {"2"}}, 800 * time.Millisecond, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, c := newLimiter()
			now := c.Now()
			var sent time.Time
			if tc.sent != 0 {
				sent = now.Add(-tc.sent)
			}
			l.ObserveSent("k", classify.Classify(tc.status, tc.h, nil), rl(tc.h, now), sent)
			if got := l.Held("k"); got != tc.want {
				t.Errorf("held %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRefusalHoldsOthersUntilRoom: a 429 whose Retry-After (whole seconds)
// rounds up the refill of a continuous bucket its headers report holds
// the key's other callers only until the bucket has room for one request
// (120 ms at 500 a minute), not the whole second; without the bucket's
// report the whole delay holds everyone.
func TestRefusalHoldsOthersUntilRoom(t *testing.T) {
	l, c := newLimiter()
	for _, rem := range []int{400, 300, 200} { // the reports that show a bucket
		h := bucketReport(rem)
		l.ObserveSent("k", classify.Classify(200, h, nil), rl(h, c.Now()), c.Now())
	}
	h := bucketReport(0)
	h.Set("Retry-After", "1")
	l.ObserveSent("k", classify.Classify(429, h, nil), rl(h, c.Now()), c.Now())
	if got := l.Held("k"); got <= 0 || got > 120*time.Millisecond {
		t.Errorf("held %v after a bucket's refusal, want at most the 120ms refill of one request", got)
	}
	l.Observe("plain", classify.Classify(429, http.Header{"Retry-After": {"1"}}, nil), classify.RateLimits{})
	if got := l.Held("plain"); got != time.Second {
		t.Errorf("held %v after a refusal without headers, want 1s", got)
	}
}

// TestWindowAfterReset: once a fixed window's reset has passed, the
// window holds its limit again until one window length (its longest
// reported reset) later; the spread after each reset is a tenth of that
// length when it is shorter than the Limiter's.
func TestWindowAfterReset(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	var s pace.State
	s.Apply(pace.Op{Now: now, Observe: true, RequestsKnown: true,
		Requests: pace.WindowState{Limit: 3, Remaining: 3, ResetAt: now.Add(time.Second)}})
	var got []time.Duration
	for range 7 {
		got = append(got, s.Apply(pace.Op{Now: now, Spread: time.Second}).Sub(now))
	}
	// 3 now; 3 after the reset plus a tenth of the 1 s window; the 7th
	// after the next reset.
	want := []time.Duration{0, 0, 0, 1100 * time.Millisecond, 1100 * time.Millisecond, 1100 * time.Millisecond, 2100 * time.Millisecond}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("starts (-want +got)\n%s", diff)
	}
}

// TestStaleWindowReport: a report of a window that ended before the one
// known (a late response) does not replace it: the known window's budget
// still counts.
func TestStaleWindowReport(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	w := func(rem int64, reset time.Duration) pace.Op {
		return pace.Op{Now: now, Observe: true, RequestsKnown: true, Spread: time.Second,
			Requests: pace.WindowState{Limit: 4, Remaining: rem, ResetAt: now.Add(reset)}}
	}
	var s pace.State
	s.Apply(w(3, time.Second))
	s.Apply(w(0, 2*time.Second)) // the next 1 s window, spent
	s.Apply(w(3, time.Second))   // late: the previous window
	if got := s.Apply(pace.Op{Now: now, Spread: time.Second}).Sub(now); got != 2200*time.Millisecond {
		t.Errorf("start after %v, want 2.2s (the spent window's reset plus a tenth of its 2 s reset)", got)
	}
}

// TestRefusalHoldsUntilWindowReset: a 429 whose whole-second Retry-After
// rounds up the reset of the exhausted fixed window it reports holds the
// other callers until that reset (plus the spread), not the whole second.
func TestRefusalHoldsUntilWindowReset(t *testing.T) {
	l, c := newLimiter()
	h := http.Header{"X-Ratelimit-Limit-Requests": {"4"}, "X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {"200ms"}, "Retry-After": {"1"}}
	l.ObserveSent("k", classify.Classify(429, h, nil), rl(h, c.Now()), c.Now())
	if got := l.Held("k"); got != 220*time.Millisecond {
		t.Errorf("held %v, want 220ms (the reset plus a tenth of it, under the 100ms spread)", got)
	}
}

// TestOverstatedBucketRate: a bucket of 100 refilled at 10 a second whose
// remaining budget is reported too high by a share (and rounded down), with
// exact resets, is paced at its true rate once its reports span budgets
// of 48 to 84: the spacing of paced starts is 100 ms to within 1 %,
// where each report's own reading (reset / (limit - remaining)) is 15 %
// slow at its fastest with a 20 % overstatement. Truthful reports (share
// 0) give the same rate.
func TestOverstatedBucketRate(t *testing.T) {
	const per = 100 * time.Millisecond
	for _, share := range []float64{0, 0.1, 0.2, 0.4} {
		t.Run(strconv.FormatFloat(share, 'f', -1, 64), func(t *testing.T) {
			var s pace.State
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			var now time.Time
			for i := range 7 {
				now = t0.Add(time.Duration(i) * time.Second)
				spent := 30 + 5*i
				rem := min(int64(float64(100-spent)*(1+share)), 100)
				s.Apply(pace.Op{Now: now, Observe: true, Admitted: true, RequestsKnown: true,
					Requests: pace.WindowState{Limit: 100, Remaining: rem, ResetAt: now.Add(time.Duration(spent) * per)},
					Tokens:   pace.WindowState{Remaining: -1}})
			}
			var starts []time.Time
			for range 60 {
				starts = append(starts, s.Apply(pace.Op{Now: now}))
			}
			gap := starts[59].Sub(starts[49]) / 10
			if gap < per*99/100 || gap > per*101/100 {
				t.Errorf("paced %v apart, want %v within 1 %%", gap, per)
			}
		})
	}
}

// TestFasterRateFreesCapacity: a bucket of 100 refilled at 10 a second
// whose remaining budget is overstated by 25 % is first read as refilling
// at 6.25 a second (one report: 4 s for 25 units), and ten attempts are
// reserved at that rate; their reports then show the true rate. At 1 s,
// the server holds 100 - 50 + 10 = 60 units, and the limiter lets 60
// attempts start at once, or 59 (the fitted rate errs slow by up to one
// unit over the bucket's capacity): what it held spent at the slow rate
// is counted again at the fast one (53 start otherwise).
func TestFasterRateFreesCapacity(t *testing.T) {
	const per = 100 * time.Millisecond
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	report := func(s *pace.State, spent int, now time.Time) {
		s.Apply(pace.Op{Now: now, At: t0, Observe: true, Admitted: true, RequestsKnown: true,
			Requests: pace.WindowState{Limit: 100, Remaining: int64(float64(100-spent) * 1.25), ResetAt: t0.Add(time.Duration(spent) * per)},
			Tokens:   pace.WindowState{Remaining: -1}})
	}
	var s pace.State
	report(&s, 39, t0)
	report(&s, 40, t0)
	for range 10 {
		if start := s.Apply(pace.Op{Now: t0}); !start.Equal(t0) {
			t.Fatalf("reserved at %v, want at once", start.Sub(t0))
		}
	}
	now := t0.Add(time.Second)
	for spent := 41; spent <= 50; spent++ {
		report(&s, spent, now)
	}
	n := 0
	for s.Apply(pace.Op{Now: now}).Equal(now) {
		n++
	}
	if n < 59 || n > 60 {
		t.Errorf("%d attempts started at once, want 59 or 60", n)
	}
}
