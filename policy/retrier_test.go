package policy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/policy"
)

// step is one attempt of a retried operation: it reports its outcome to
// the Retrier and returns what Observe returned.
type step func(rt *policy.Retrier) error

func observe(r classify.Result) step { return func(rt *policy.Retrier) error { return rt.Observe(r) } }

func observeErr(err error) step {
	return func(rt *policy.Retrier) error { return rt.ObserveError(err) }
}

func observeStream(r classify.Result, delivered bool) step {
	return func(rt *policy.Retrier) error { return rt.ObserveStream(r, delivered) }
}

// notice is what Policy.Observer was told about one failed attempt.
type notice struct {
	Number    int
	Elapsed   time.Duration
	PrevDelay time.Duration
	Decision  policy.Decision
}

// outcome is what a retry loop run with run did.
type outcome struct {
	err     error
	rt      *policy.Retrier
	timer   *fakeTimer // delays the loop waited
	waits   []time.Duration
	notices []notice
	// successes counts the successes the Observer was told about.
	successes int
}

// run runs backoff.RetryNotifyWithTimer with a Retrier of p on a fake clock
// and timer; the steps are the attempts in order, the last one repeated.
func run(t *testing.T, p policy.Policy, ctx context.Context, steps ...step) outcome {
	t.Helper()
	clock, ok := p.Clock.(*fakeClock)
	if !ok {
		clock = newClock()
		p.Clock = clock
	}
	var o outcome
	p.Observer = func(_ context.Context, a policy.Attempt, d policy.Decision) {
		if d.Reason == policy.ReasonSuccess {
			o.successes++
			return
		}
		o.notices = append(o.notices, notice{a.Number, a.Elapsed, a.PrevDelay, d})
	}
	o.rt = p.NewRetrier(ctx)
	o.timer = newTimer(clock)
	i := 0
	op := func() error {
		if i >= 1000 {
			return backoff.Permanent(errors.New("runaway retry loop"))
		}
		s := steps[min(i, len(steps)-1)]
		i++
		return s(o.rt)
	}
	o.err = backoff.RetryNotifyWithTimer(op, o.rt, func(_ error, d time.Duration) { o.waits = append(o.waits, d) }, o.timer)
	if i != o.rt.Attempts() {
		t.Errorf("the loop made %d attempts, the Retrier counted %d", i, o.rt.Attempts())
	}
	return o
}

// TestRetrierSequence: 429 (Retry-After 2), 503, 200 through backoff's
// retry loop with the default strategies.
func TestRetrierSequence(t *testing.T) {
	p := policy.Policy{Rand: fixedRand(0.5)}
	o := run(t, p, context.Background(), observe(r429RA2), observe(r503), observe(r200))
	if o.err != nil {
		t.Fatalf("RetryNotifyWithTimer = %v, want success", o.err)
	}
	if got := o.rt.Attempts(); got != 3 {
		t.Errorf("Attempts() = %d, want 3", got)
	}
	if got := o.rt.Decision(); got.Reason != policy.ReasonSuccess {
		t.Errorf("Decision() = %+v, want success", got)
	}
	if len(o.timer.delays) != 2 {
		t.Fatalf("timer started with %v, want 2 waits", o.timer.delays)
	}
	d1, d2 := o.timer.delays[0], o.timer.delays[1]
	want := []notice{
		{Number: 1, Elapsed: 0, PrevDelay: 0, Decision: policy.Decision{Retry: true, Delay: d1, Reason: policy.ReasonRetry}},
		{Number: 2, Elapsed: d1, PrevDelay: d1, Decision: policy.Decision{Retry: true, Delay: d2, Reason: policy.ReasonRetry}},
	}
	if diff := cmp.Diff(want, o.notices, ignoreSource); diff != "" {
		t.Errorf("Observer calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(o.timer.delays, o.waits); diff != "" {
		t.Errorf("backoff's notify delays (-timer +notify):\n%s", diff)
	}
	if d1 < 2*time.Second {
		t.Errorf("first wait %v, before the server's Retry-After of 2s", d1)
	}
	if d2 <= 0 {
		t.Errorf("second wait %v, want positive", d2)
	}
}

// TestRetrierOutcomes runs backoff's retry loop to its end for each way a
// request can end.
func TestRetrierOutcomes(t *testing.T) {
	plainP := policy.Policy{
		Strategies:   strategies(plain, catalog.Unavailable, catalog.RateLimited, catalog.Network, catalog.InvalidRequest),
		ServerSpread: -1,
		Rand:         fixedRand(0.5),
	}
	with := func(f func(*policy.Policy)) policy.Policy {
		p := plainP
		f(&p)
		return p
	}
	background := func() (context.Context, context.CancelFunc) { return context.Background(), func() {} }
	canceled := func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	// The fake clocks start at epoch: the deadline falls between the end
	// of the first wait (1s) and the end of the second (1s + 2s).
	deadline := func() (context.Context, context.CancelFunc) {
		return context.WithDeadline(context.Background(), epoch.Add(1500*time.Millisecond))
	}

	tests := []struct {
		name         string
		p            policy.Policy
		ctx          func() (context.Context, context.CancelFunc)
		steps        []step
		wantAttempts int
		wantReason   policy.Reason
		wantDelays   []time.Duration
		wantIs       []error
	}{
		{name: "success first try", p: plainP, ctx: background,
			steps: []step{observe(r200)}, wantAttempts: 1, wantReason: policy.ReasonSuccess},
		{name: "503 then 200", p: plainP, ctx: background,
			steps: []step{observe(r503), observe(r200)}, wantAttempts: 2, wantReason: policy.ReasonSuccess,
			wantDelays: []time.Duration{time.Second}},
		{name: "max_attempts", p: plainP, ctx: background,
			steps: []step{observe(r503)}, wantAttempts: 3, wantReason: policy.ReasonMaxAttempts,
			wantDelays: []time.Duration{time.Second, 2 * time.Second}, wantIs: []error{classify.ErrUnavailable}},
		{name: "max_elapsed", p: with(func(p *policy.Policy) {
			s := plain
			s.MaxElapsed = 2500 * time.Millisecond
			p.Strategies = strategies(s, catalog.Unavailable)
		}), ctx: background,
			steps: []step{observe(r503)}, wantAttempts: 2, wantReason: policy.ReasonMaxElapsed,
			wantDelays: []time.Duration{time.Second}, wantIs: []error{classify.ErrUnavailable}},
		{name: "not_retryable 401", p: plainP, ctx: background,
			steps: []step{observe(r401)}, wantAttempts: 1, wantReason: policy.ReasonNotRetryable,
			wantIs: []error{classify.ErrAuthentication}},
		{name: "server_said_no", p: plainP, ctx: background,
			steps: []step{observe(r500No)}, wantAttempts: 1, wantReason: policy.ReasonServerSaidNo,
			wantIs: []error{classify.ErrServerError}},
		{name: "x-should-retry true retries a 400", p: plainP, ctx: background,
			steps: []step{observe(r400Yes), observe(r200)}, wantAttempts: 2, wantReason: policy.ReasonSuccess,
			wantDelays: []time.Duration{time.Second}},
		{name: "deadline from the context", p: plainP, ctx: deadline,
			steps: []step{observe(r503)}, wantAttempts: 2, wantReason: policy.ReasonDeadline,
			wantDelays: []time.Duration{time.Second}, wantIs: []error{classify.ErrUnavailable}},
		{name: "canceled context", p: plainP, ctx: canceled,
			steps: []step{observe(r503)}, wantAttempts: 1, wantReason: policy.ReasonCanceled,
			wantIs: []error{classify.ErrUnavailable}},
		{name: "ObserveError context.Canceled", p: plainP, ctx: background,
			steps: []step{observeErr(context.Canceled)}, wantAttempts: 1, wantReason: policy.ReasonCanceled,
			wantIs: []error{context.Canceled, classify.ErrCanceled}},
		{name: "budget_exhausted", p: with(func(p *policy.Policy) {
			s := plain
			s.MaxAttempts = 10
			p.Strategies = strategies(s, catalog.Unavailable)
			p.Budget = &policy.Budget{Max: 10, RetryCost: 5}
		}), ctx: background,
			steps: []step{observe(r503)}, wantAttempts: 3, wantReason: policy.ReasonBudgetExhausted,
			wantDelays: []time.Duration{time.Second, 2 * time.Second}, wantIs: []error{classify.ErrUnavailable}},
		{name: "server_delay_too_long", p: plainP, ctx: background,
			steps: []step{observe(rHuge)}, wantAttempts: 1, wantReason: policy.ReasonServerDelayTooLong,
			wantIs: []error{classify.ErrRateLimited}},
		{name: "partial_delivery", p: plainP, ctx: background,
			steps: []step{observeStream(r503, true)}, wantAttempts: 1, wantReason: policy.ReasonPartialDelivery,
			wantIs: []error{classify.ErrUnavailable}},
		{name: "partial delivery with RetryPartial", p: with(func(p *policy.Policy) { p.RetryPartial = true }), ctx: background,
			steps: []step{observeStream(r503, true), observeStream(r200, true)}, wantAttempts: 2, wantReason: policy.ReasonSuccess,
			wantDelays: []time.Duration{time.Second}},
		{name: "stream failed before any data retries", p: plainP, ctx: background,
			steps: []step{observeStream(r503, false), observeStream(r200, false)}, wantAttempts: 2, wantReason: policy.ReasonSuccess,
			wantDelays: []time.Duration{time.Second}},
		{name: "unexpected EOF retries as network", p: plainP, ctx: background,
			steps: []step{observeErr(io.ErrUnexpectedEOF)}, wantAttempts: 3, wantReason: policy.ReasonMaxAttempts,
			wantDelays: []time.Duration{time.Second, 2 * time.Second}, wantIs: []error{io.ErrUnexpectedEOF, classify.ErrNetwork}},
		{name: "wrapped unexpected EOF then success", p: plainP, ctx: background,
			steps:        []step{observeErr(fmt.Errorf("reading body: %w", io.ErrUnexpectedEOF)), observeErr(nil)},
			wantAttempts: 2, wantReason: policy.ReasonSuccess, wantDelays: []time.Duration{time.Second}},
		{name: "ObserveError(nil) is success", p: plainP, ctx: background,
			steps: []step{observeErr(nil)}, wantAttempts: 1, wantReason: policy.ReasonSuccess},
		{name: "ObserveError of a classified error uses its result", p: plainP, ctx: background,
			steps:        []step{observeErr(fmt.Errorf("call: %w", r429RA2.Err())), observe(r200)},
			wantAttempts: 2, wantReason: policy.ReasonSuccess, wantDelays: []time.Duration{2 * time.Second}},
		{name: "ObserveError of a classified error that is not retried", p: plainP, ctx: background,
			steps: []step{observeErr(fmt.Errorf("call: %w", r401.Err()))}, wantAttempts: 1, wantReason: policy.ReasonNotRetryable,
			wantIs: []error{classify.ErrAuthentication}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			o := run(t, tt.p, ctx, tt.steps...)

			if got := o.rt.Attempts(); got != tt.wantAttempts {
				t.Errorf("Attempts() = %d, want %d", got, tt.wantAttempts)
			}
			if got := o.rt.Decision().Reason; got != tt.wantReason {
				t.Errorf("Decision().Reason = %s, want %s", got, tt.wantReason)
			}
			if diff := cmp.Diff(tt.wantDelays, o.timer.delays, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(o.timer.delays, o.waits, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("backoff's notify delays (-timer +notify):\n%s", diff)
			}
			var notified []time.Duration
			for _, n := range o.notices {
				if n.Decision.Retry {
					notified = append(notified, n.Decision.Delay)
				}
			}
			if diff := cmp.Diff(o.timer.delays, notified, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Observer's retry delays (-timer +notify):\n%s", diff)
			}
			failures := tt.wantAttempts
			if tt.wantReason == policy.ReasonSuccess {
				failures--
			}
			if len(o.notices) != failures {
				t.Errorf("Observer called %d times, want once per failure: %d", len(o.notices), failures)
			}
			if got := o.rt.NextBackOff(); got != backoff.Stop {
				t.Errorf("NextBackOff() after the loop = %v, want Stop", got)
			}

			if tt.wantReason == policy.ReasonSuccess {
				if o.err != nil {
					t.Errorf("RetryNotifyWithTimer = %v, want nil", o.err)
				}
				return
			}
			var pe *policy.AttemptError
			if !errors.As(o.err, &pe) {
				t.Fatalf("RetryNotifyWithTimer = %#v, want a *policy.AttemptError", o.err)
			}
			if diff := cmp.Diff(o.rt.Decision(), pe.Decision); diff != "" {
				t.Errorf("Error.Decision (-Retrier +error):\n%s", diff)
			}
			if pe.Attempts != tt.wantAttempts {
				t.Errorf("Error.Attempts = %d, want %d", pe.Attempts, tt.wantAttempts)
			}
			if _, ok := o.err.(*backoff.PermanentError); ok {
				t.Errorf("the loop returned the PermanentError wrapper %v", o.err)
			}
			if _, ok := classify.ResultOf(o.err); !ok {
				t.Errorf("classify.ResultOf(%v) found no result", o.err)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(o.err, target) {
					t.Errorf("errors.Is(%v, %v) = false", o.err, target)
				}
			}
		})
	}
}

// TestRetrierDecorrelatedChain: each decorrelated delay grows from the one
// actually waited, which the Retrier passes on as PrevDelay.
func TestRetrierDecorrelatedChain(t *testing.T) {
	s := policy.Strategy{
		MaxAttempts: 5, MaxElapsed: -1,
		Initial: time.Second, MaxInterval: 100 * time.Second, Jitter: policy.JitterDecorrelated,
	}
	p := policy.Policy{Strategies: strategies(s, catalog.Unavailable), Rand: fixedRand(0.5)}
	o := run(t, p, context.Background(), observe(r503))
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	// Initial + u x (3 x prev - Initial), prev at least Initial, u = 0.5.
	delays := []time.Duration{ms(2000), ms(3500), ms(5750), ms(9125)}
	if diff := cmp.Diff(delays, o.timer.delays); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	var want []notice
	var elapsed, prev time.Duration
	for i, d := range delays {
		want = append(want, notice{i + 1, elapsed, prev, policy.Decision{Retry: true, Delay: d, Reason: policy.ReasonRetry}})
		elapsed, prev = elapsed+d, d
	}
	want = append(want, notice{5, elapsed, prev, policy.Decision{Reason: policy.ReasonMaxAttempts}})
	if diff := cmp.Diff(want, o.notices, ignoreSource); diff != "" {
		t.Errorf("Observer calls (-want +got):\n%s", diff)
	}
}

// TestRetrierReset: Reset starts the attempt count, the elapsed time and
// the decorrelation chain over; backoff's loop calls it first.
func TestRetrierReset(t *testing.T) {
	clock := newClock()
	var notices []notice
	p := policy.Policy{
		Strategies: strategies(plain, catalog.Unavailable),
		Clock:      clock,
		Rand:       fixedRand(0.5),
		Observer: func(_ context.Context, a policy.Attempt, d policy.Decision) {
			notices = append(notices, notice{a.Number, a.Elapsed, a.PrevDelay, d})
		},
	}
	rt := p.NewRetrier(context.Background())
	rt.Observe(r503)
	clock.Advance(time.Second)
	rt.Observe(r503)
	clock.Advance(10 * time.Second)

	rt.Reset()
	if got := rt.Attempts(); got != 0 {
		t.Errorf("Attempts() after Reset = %d, want 0", got)
	}
	if diff := cmp.Diff(policy.Decision{}, rt.Decision(), ignoreSource); diff != "" {
		t.Errorf("Decision() after Reset (-want +got):\n%s", diff)
	}
	if got := rt.NextBackOff(); got != backoff.Stop {
		t.Errorf("NextBackOff() after Reset = %v, want Stop", got)
	}
	notices = nil
	rt.Observe(r503)
	want := []notice{{1, 0, 0, policy.Decision{Retry: true, Delay: time.Second, Reason: policy.ReasonRetry}}}
	if diff := cmp.Diff(want, notices, ignoreSource); diff != "" {
		t.Errorf("first attempt after Reset (-want +got):\n%s", diff)
	}

	// A Retrier used for a second loop counts that loop's attempts only.
	for loop := 1; loop <= 2; loop++ {
		timer := newTimer(clock)
		n := 0
		err := backoff.RetryNotifyWithTimer(func() error {
			n++
			if n == 2 {
				return rt.Observe(r200)
			}
			return rt.Observe(r503)
		}, rt, nil, timer)
		if err != nil || rt.Attempts() != 2 {
			t.Errorf("loop %d: err %v, Attempts() = %d, want nil and 2", loop, err, rt.Attempts())
		}
		if diff := cmp.Diff([]time.Duration{time.Second}, timer.delays); diff != "" {
			t.Errorf("loop %d waits (-want +got):\n%s", loop, diff)
		}
	}
}

// TestRetrierNextBackOff: NextBackOff returns the delay chosen for the last
// observed attempt once, and Stop otherwise.
func TestRetrierNextBackOff(t *testing.T) {
	p := policy.Policy{Strategies: strategies(plain, catalog.Unavailable), Clock: newClock(), Rand: fixedRand(0.5)}
	tests := []struct {
		name  string
		steps []step
		want  []time.Duration // successive NextBackOff results
	}{
		{"nothing observed", nil, []time.Duration{backoff.Stop, backoff.Stop}},
		{"retry", []step{observe(r503)}, []time.Duration{time.Second, backoff.Stop}},
		{"two retries", []step{observe(r503), observe(r503)}, []time.Duration{2 * time.Second, backoff.Stop}},
		{"success", []step{observe(r200)}, []time.Duration{backoff.Stop}},
		{"ObserveError(nil)", []step{observeErr(nil)}, []time.Duration{backoff.Stop}},
		{"not retryable", []step{observe(r400)}, []time.Duration{backoff.Stop}},
		{"success after a retry", []step{observe(r503), observe(r200)}, []time.Duration{backoff.Stop}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := p.NewRetrier(context.Background())
			for _, s := range tt.steps {
				s(rt)
			}
			var got []time.Duration
			for range tt.want {
				got = append(got, rt.NextBackOff())
			}
			if diff := cmp.Diff(tt.want, got, ignoreSource); diff != "" {
				t.Errorf("NextBackOff() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRetrierCopiesPolicy: changing the Policy after NewRetrier does not
// change the Retrier.
func TestRetrierCopiesPolicy(t *testing.T) {
	p := policy.Policy{Strategies: strategies(plain, catalog.Unavailable), Rand: fixedRand(0.5)}
	rt := p.NewRetrier(context.Background())
	p.RetryPartial = true
	p.Strategies = nil
	if err := rt.ObserveStream(r503, true); rt.Decision().Reason != policy.ReasonPartialDelivery {
		t.Errorf("ObserveStream = %v, decision %+v, want partial_delivery from the copied policy", err, rt.Decision())
	}
}

// TestRetrierNilContext: a nil context means context.Background().
func TestRetrierNilContext(t *testing.T) {
	var p policy.Policy
	var ctx context.Context // nil
	rt := p.NewRetrier(ctx)
	if rt.Context() == nil {
		t.Fatal("Context() = nil")
	}
	if err := rt.Observe(r503); err == nil || !rt.Decision().Retry {
		t.Errorf("Observe(503) = %v, decision %+v, want a retry", err, rt.Decision())
	}
}

// TestErrorString: the error names the reason or the wait, and never shows
// an API key that the response or the transport error carried.
func TestErrorString(t *testing.T) {
	const key = "sk-proj-abcdefghijklmnopqrstuvwxyz1234"
	keyBody := `{"error":{"message":"Rate limit reached for key ` + key + `","type":"requests"}}`
	p := policy.Policy{Strategies: strategies(plain, catalog.RateLimited, catalog.Network), Rand: fixedRand(0.5)}
	tests := []struct {
		name string
		step step
		want []string // substrings
	}{
		{"401 body with the key", observe(r401), []string{string(policy.ReasonNotRetryable), "authentication"}},
		{"retrying 429 with the key", observe(classified(429, nil, keyBody)), []string{"rate_limited", time.Second.String()}},
		{"transport error with the key", observeErr(fmt.Errorf("POST with %s: %w", key, io.ErrUnexpectedEOF)), []string{"network"}},
		{"classified error wrapped with the key", observeErr(fmt.Errorf("request with %s: %w", key, r401.Err())),
			[]string{string(policy.ReasonNotRetryable), "authentication"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := p.NewRetrier(context.Background())
			err := tt.step(rt)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, key) || strings.Contains(msg, "abcdefghijklmnop") {
				t.Errorf("Error() shows the API key: %q", msg)
			}
			for _, s := range tt.want {
				if !strings.Contains(msg, s) {
					t.Errorf("Error() = %q, want it to contain %q", msg, s)
				}
			}
		})
	}
}

// TestObserveAllocs: what Observe costs in allocations. A success costs
// nothing; a failure returns an error, which costs one allocation: the
// *policy.AttemptError, which holds the *classify.Error it wraps.
func TestObserveAllocs(t *testing.T) {
	s := plain
	s.MaxAttempts, s.MaxElapsed = -1, -1
	tests := []struct {
		name string
		p    policy.Policy
		r    classify.Result
		max  float64
	}{
		{"success", policy.Policy{}, r200, 0},
		{"retryable 429", policy.Policy{Strategies: strategies(s, catalog.RateLimited), Rand: fixedRand(0.5)}, r429RA2, 1},
		{"retryable 429 with a budget", policy.Policy{
			Strategies: strategies(s, catalog.RateLimited), Rand: fixedRand(0.5), Budget: &policy.Budget{Max: math.MaxFloat64},
		}, r429RA2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := tt.p.NewRetrier(context.Background())
			var err error
			allocs := testing.AllocsPerRun(100, func() { err = rt.Observe(tt.r) })
			t.Logf("Observe(%v): %v allocations", tt.r, allocs)
			if allocs > tt.max {
				t.Errorf("Observe allocates %v times per call, want at most %v", allocs, tt.max)
			}
			if tt.r.OK != (err == nil) {
				t.Errorf("Observe = %v", err)
			}
		})
	}
}

func BenchmarkRetrierObserve(b *testing.B) {
	s := plain
	s.MaxAttempts, s.MaxElapsed = -1, -1
	p := policy.Policy{Strategies: strategies(s, catalog.RateLimited), Rand: fixedRand(0.5)}
	rt := p.NewRetrier(context.Background())
	b.ReportAllocs()
	for b.Loop() {
		rt.Observe(r429RA2)
	}
}
