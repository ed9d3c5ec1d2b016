package policy_test

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/policy"
)

// ignoreSource leaves Decision.Source out of comparisons of delays and
// reasons; TestDecisionSource checks it.
var ignoreSource = cmpopts.IgnoreFields(policy.Decision{}, "Source")

// epoch is the fake clocks' start, far in the future so that a context
// deadline set from it never expires in real time during a test.
var epoch = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// fakeClock implements policy.Clock; it moves only when told to, or when
// Sleep advances it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: epoch} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep advances the clock by d at once, or returns ctx's error.
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(max(d, 0))
	return nil
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fakeTimer implements backoff.Timer: Start records the delay and advances
// the fake clock by it, and C is ready at once, so a retry loop runs
// without waiting.
type fakeTimer struct {
	clock  *fakeClock
	ch     chan time.Time
	delays []time.Duration
}

func newTimer(c *fakeClock) *fakeTimer {
	return &fakeTimer{clock: c, ch: make(chan time.Time, 1)}
}

func (t *fakeTimer) Start(d time.Duration) {
	t.delays = append(t.delays, d)
	t.clock.Advance(d)
	select {
	case t.ch <- t.clock.Now():
	default:
	}
}

func (t *fakeTimer) Stop()               {}
func (t *fakeTimer) C() <-chan time.Time { return t.ch }

// fixedRand returns a jitter source that always returns u.
func fixedRand(u float64) func() float64 { return func() float64 { return u } }

// seededRand returns a deterministic jitter source, safe for concurrent use.
func seededRand(seed uint64) func() float64 {
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		return r.Float64()
	}
}

// classifier classifies with a fixed clock, for HTTP-date Retry-After
// values and absolute rate-limit resets.
var classifier = classify.Classifier{Now: func() time.Time { return epoch }}

func classified(status int, h http.Header, body string) classify.Result {
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return classifier.Classify(status, h, b)
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func seconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

// plain is an explicit strategy without jitter, for exact delays: 1s, 2s,
// 4s, 8s, 10s, 10s...
var plain = policy.Strategy{
	MaxAttempts: 3, MaxElapsed: time.Minute,
	Initial: time.Second, Multiplier: 2, MaxInterval: 10 * time.Second,
	Jitter: policy.JitterNone, ServerDelay: policy.ServerDelayFloor,
}

func strategies(s policy.Strategy, cats ...catalog.Category) map[catalog.Category]policy.Strategy {
	m := make(map[catalog.Category]policy.Strategy, len(cats))
	for _, c := range cats {
		m[c] = s
	}
	return m
}

// schedule is the documented schedule: Initial x Multiplier^(n-1), capped
// at MaxInterval.
func schedule(s policy.Strategy, n int) time.Duration {
	d := float64(s.Initial) * math.Pow(s.Multiplier, float64(n-1))
	if d >= float64(s.MaxInterval) {
		return s.MaxInterval
	}
	return time.Duration(d)
}

// scaled returns d x f.
func scaled(d time.Duration, f float64) time.Duration { return time.Duration(float64(d) * f) }

// Fixtures, classified for real.
var (
	body400  = `{"error":{"message":"Invalid value for 'temperature'","type":"invalid_request_error","param":"temperature"}}`
	body401  = `{"error":{"message":"Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz1234","type":"invalid_request_error","code":"invalid_api_key"}}`
	r200     = classified(200, nil, "")
	r400     = classified(400, nil, body400)
	r401     = classified(401, nil, body401)
	r429     = classified(429, nil, "")
	r429RA2  = classified(429, header("Retry-After", "2"), "")
	r500No   = classified(500, header("X-Should-Retry", "false"), "")
	r400Yes  = classified(400, header("X-Should-Retry", "true"), body400)
	r501     = classified(501, nil, "")
	r503     = classified(503, nil, "")
	rEOF     = classify.TransportError(io.ErrUnexpectedEOF)
	rCancel  = classify.TransportError(context.Canceled)
	tooLong  = policy.DefaultMaxServerDelay + time.Minute
	rTooLong = classified(429, header("Retry-After", seconds(tooLong)), "")
	rHuge    = classified(429, header("Retry-After", "1000000000000"), "")
)

// TestFixtures checks that the fixtures are what the tests take them for,
// so that a change in classify does not make a policy test vacuous.
func TestFixtures(t *testing.T) {
	type summary struct {
		Category    catalog.Category
		Retryable   bool
		OK          bool
		ShouldRetry string
		HasDelay    bool
	}
	sum := func(r classify.Result) summary {
		return summary{r.Category, r.Retryable, r.OK, r.ShouldRetry, r.RetryAfterSource != ""}
	}
	tests := []struct {
		name string
		r    classify.Result
		want summary
	}{
		{"200", r200, summary{OK: true}},
		{"400", r400, summary{Category: catalog.InvalidRequest}},
		{"401", r401, summary{Category: catalog.Authentication}},
		{"429", r429, summary{Category: catalog.RateLimited, Retryable: true}},
		{"429 retry-after", r429RA2, summary{Category: catalog.RateLimited, Retryable: true, HasDelay: true}},
		{"500 x-should-retry false", r500No, summary{Category: catalog.ServerError, ShouldRetry: "false"}},
		{"400 x-should-retry true", r400Yes, summary{Category: catalog.InvalidRequest, Retryable: true, ShouldRetry: "true"}},
		{"501", r501, summary{Category: catalog.ServerError}},
		{"503", r503, summary{Category: catalog.Unavailable, Retryable: true}},
		{"unexpected EOF", rEOF, summary{Category: catalog.Network, Retryable: true}},
		{"context canceled", rCancel, summary{Category: catalog.Canceled}},
		{"too long", rTooLong, summary{Category: catalog.RateLimited, Retryable: true, HasDelay: true}},
		{"huge", rHuge, summary{Category: catalog.RateLimited, Retryable: true, HasDelay: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sum(tt.r)); diff != "" {
				t.Errorf("fixture (-want +got):\n%s", diff)
			}
		})
	}
	if rTooLong.RetryAfter != tooLong {
		t.Errorf("rTooLong.RetryAfter = %v, want %v", rTooLong.RetryAfter, tooLong)
	}
	if rHuge.RetryAfter != math.MaxInt64 {
		t.Errorf("rHuge.RetryAfter = %v, want the largest Duration", rHuge.RetryAfter)
	}
}

// TestDecideReasons reaches every reason a decision without a budget can
// give, with explicit strategies so that the delays are exact.
func TestDecideReasons(t *testing.T) {
	clock := newClock()
	base := policy.Policy{
		Strategies: strategies(plain, catalog.RateLimited, catalog.Unavailable, catalog.InvalidRequest, catalog.ServerError),
		Clock:      clock,
		Rand:       fixedRand(0.5),
	}
	with := func(f func(*policy.Policy)) policy.Policy {
		p := base
		f(&p)
		return p
	}
	retry := func(d time.Duration) policy.Decision {
		return policy.Decision{Retry: true, Delay: d, Reason: policy.ReasonRetry}
	}
	stop := func(r policy.Reason) policy.Decision { return policy.Decision{Reason: r} }
	noCap := with(func(p *policy.Policy) { p.MaxServerDelay = -1 })

	tests := []struct {
		name string
		p    policy.Policy
		a    policy.Attempt
		want policy.Decision
	}{
		{"retry first failure", base, policy.Attempt{Number: 1, Result: r503}, retry(time.Second)},
		{"retry second failure doubles", base, policy.Attempt{Number: 2, Result: r503}, retry(2 * time.Second)},
		{"retry network error", with(func(p *policy.Policy) { p.Strategies = strategies(plain, catalog.Network) }),
			policy.Attempt{Number: 1, Result: rEOF}, retry(time.Second)},
		{"retry x-should-retry true on a 400", base, policy.Attempt{Number: 1, Result: r400Yes}, retry(time.Second)},

		{"success 200", base, policy.Attempt{Number: 1, Result: r200}, stop(policy.ReasonSuccess)},
		{"success transport nil", base, policy.Attempt{Number: 3, Result: classify.TransportError(nil)}, stop(policy.ReasonSuccess)},

		{"not_retryable 400 invalid_request", base, policy.Attempt{Number: 1, Result: r400}, stop(policy.ReasonNotRetryable)},
		{"not_retryable 401 authentication", base, policy.Attempt{Number: 1, Result: r401}, stop(policy.ReasonNotRetryable)},
		{"not_retryable 501 server_error", base, policy.Attempt{Number: 1, Result: r501}, stop(policy.ReasonNotRetryable)},

		{"max_attempts third failure of 3 stops", base, policy.Attempt{Number: 3, Result: r503}, stop(policy.ReasonMaxAttempts)},
		{"max_attempts beyond the limit stops", base, policy.Attempt{Number: 9, Result: r503}, stop(policy.ReasonMaxAttempts)},

		{"max_elapsed elapsed+delay over the limit", base,
			policy.Attempt{Number: 1, Elapsed: time.Minute - 500*time.Millisecond, Result: r503}, stop(policy.ReasonMaxElapsed)},
		{"max_elapsed elapsed+delay exactly at the limit retries", base,
			policy.Attempt{Number: 1, Elapsed: time.Minute - time.Second, Result: r503}, retry(time.Second)},
		{"max_elapsed elapsed already over", base,
			policy.Attempt{Number: 1, Elapsed: 2 * time.Minute, Result: r503}, stop(policy.ReasonMaxElapsed)},
		{"max_elapsed uncapped huge server delay at start", noCap,
			policy.Attempt{Number: 1, Result: rHuge}, stop(policy.ReasonMaxElapsed)},
		// elapsed + a saturated delay must not overflow into a negative sum.
		{"max_elapsed uncapped huge server delay after 1s", noCap,
			policy.Attempt{Number: 1, Elapsed: time.Second, Result: rHuge}, stop(policy.ReasonMaxElapsed)},

		{"deadline before the wait ends", base,
			policy.Attempt{Number: 1, Result: r503, Deadline: epoch.Add(500 * time.Millisecond)}, stop(policy.ReasonDeadline)},
		{"deadline already passed", base,
			policy.Attempt{Number: 1, Result: r503, Deadline: epoch.Add(-time.Second)}, stop(policy.ReasonDeadline)},
		{"deadline exactly when the wait ends leaves no attempt time", base,
			policy.Attempt{Number: 1, Result: r503, Deadline: epoch.Add(time.Second)}, stop(policy.ReasonDeadline)},
		{"deadline MinAttemptTime after the wait ends retries", base,
			policy.Attempt{Number: 1, Result: r503, Deadline: epoch.Add(time.Second + policy.DefaultMinAttemptTime)}, retry(time.Second)},
		{"deadline just short of MinAttemptTime after the wait", base,
			policy.Attempt{Number: 1, Result: r503, Deadline: epoch.Add(time.Second + policy.DefaultMinAttemptTime - 1)}, stop(policy.ReasonDeadline)},
		{"deadline after the wait retries", base,
			policy.Attempt{Number: 2, Result: r503, Deadline: epoch.Add(time.Hour)}, retry(2 * time.Second)},

		{"canceled by the caller", base, policy.Attempt{Number: 1, Result: r503, Canceled: true}, stop(policy.ReasonCanceled)},
		{"canceled category from transport", base, policy.Attempt{Number: 1, Result: rCancel}, stop(policy.ReasonCanceled)},
		{"canceled before partial delivery", base,
			policy.Attempt{Number: 1, Result: r503, Canceled: true, Delivered: true}, stop(policy.ReasonCanceled)},

		{"server_delay_too_long reports the server's delay", base,
			policy.Attempt{Number: 1, Result: rTooLong}, policy.Decision{Delay: tooLong, Reason: policy.ReasonServerDelayTooLong}},
		{"server_delay_too_long 10^12 seconds", base,
			policy.Attempt{Number: 1, Result: rHuge}, policy.Decision{Delay: math.MaxInt64, Reason: policy.ReasonServerDelayTooLong}},

		{"partial_delivery", base, policy.Attempt{Number: 1, Result: r503, Delivered: true}, stop(policy.ReasonPartialDelivery)},
		{"partial_delivery with RetryPartial retries", with(func(p *policy.Policy) { p.RetryPartial = true }),
			policy.Attempt{Number: 1, Result: r503, Delivered: true}, retry(time.Second)},
		{"no delivery retries", base, policy.Attempt{Number: 1, Result: r503, Delivered: false}, retry(time.Second)},

		{"server_said_no", base, policy.Attempt{Number: 1, Result: r500No}, stop(policy.ReasonServerSaidNo)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.DecideAttempt(tt.a)
			if diff := cmp.Diff(tt.want, got, ignoreSource); diff != "" {
				t.Errorf("DecideAttempt(%+v) (-want +got):\n%s", tt.a, diff)
			}
			if tt.a.Deadline.IsZero() && !tt.a.Delivered && !tt.a.Canceled {
				// Decide is DecideAttempt with only the number, elapsed and result.
				if diff := cmp.Diff(got, tt.p.Decide(tt.a.Number, tt.a.Elapsed, tt.a.Result)); diff != "" {
					t.Errorf("Decide differs from DecideAttempt (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestDefaultMaxAttempts: with the default strategies, MaxAttempts counts
// the first try: the failure numbered MaxAttempts stops, the one before it
// retries.
func TestDefaultMaxAttempts(t *testing.T) {
	tests := []struct {
		name string
		r    classify.Result
	}{
		{"rate_limited", r429},
		{"timeout", classified(408, nil, "")},
		{"conflict", classified(409, nil, "")},
		{"server_error", classified(500, nil, "")},
		{"unavailable", r503},
		{"network", rEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.r.Retryable {
				t.Fatalf("fixture %v is not retryable", tt.r)
			}
			// No elapsed limit, so that only the count decides.
			p := policy.Policy{
				Strategies: map[catalog.Category]policy.Strategy{tt.r.Category: {MaxElapsed: -1}},
				Rand:       fixedRand(0.5),
			}
			maxAttempts := policy.DefaultStrategy(tt.r.Category).MaxAttempts
			if got := p.Strategy(tt.r.Category).MaxAttempts; got != maxAttempts {
				t.Fatalf("Strategy(%v).MaxAttempts = %d, want the default %d", tt.r.Category, got, maxAttempts)
			}
			type outcome struct {
				Retry  bool
				Reason policy.Reason
			}
			decide := func(n int) outcome {
				d := p.Decide(n, 0, tt.r)
				return outcome{d.Retry, d.Reason}
			}
			if maxAttempts < 0 {
				if diff := cmp.Diff(outcome{true, policy.ReasonRetry}, decide(1000)); diff != "" {
					t.Errorf("no limit: attempt 1000 (-want +got):\n%s", diff)
				}
				return
			}
			if diff := cmp.Diff(outcome{false, policy.ReasonMaxAttempts}, decide(maxAttempts)); diff != "" {
				t.Errorf("attempt %d of %d (-want +got):\n%s", maxAttempts, maxAttempts, diff)
			}
			if maxAttempts > 1 {
				if diff := cmp.Diff(outcome{true, policy.ReasonRetry}, decide(maxAttempts-1)); diff != "" {
					t.Errorf("attempt %d of %d (-want +got):\n%s", maxAttempts-1, maxAttempts, diff)
				}
			}
		})
	}
}

// TestServerDelayNeverEarly: a retry never comes before the server allows,
// and the upward spread stays within ServerSpread, for many jitter values.
func TestServerDelayNeverEarly(t *testing.T) {
	tests := []struct {
		name       string
		spread     float64 // Policy.ServerSpread
		wantSpread float64 // the spread it means
		r          classify.Result
		want       time.Duration
	}{
		{"default spread", 0, policy.DefaultServerSpread, classified(429, header("Retry-After", "7"), ""), 7 * time.Second},
		{"explicit spread", 0.5, 0.5, classified(429, header("Retry-After", "3"), ""), 3 * time.Second},
		{"negative spread means none", -1, 0, classified(429, header("Retry-After", "3"), ""), 3 * time.Second},
		{"retry-after-ms", 0, policy.DefaultServerSpread, classified(429, header("Retry-After-Ms", "1250"), ""), 1250 * time.Millisecond},
		{"503 with retry-after", 0, policy.DefaultServerSpread, classified(503, header("Retry-After", "4"), ""), 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := rand.New(rand.NewPCG(1, 2))
			var u float64
			exact := policy.Policy{
				ServerSpread: tt.spread,
				Strategies:   map[catalog.Category]policy.Strategy{tt.r.Category: {ServerDelay: policy.ServerDelayExact}},
				Rand:         func() float64 { return u },
			}
			floor := exact
			floor.Strategies = map[catalog.Category]policy.Strategy{tt.r.Category: {ServerDelay: policy.ServerDelayFloor, MaxElapsed: -1}}
			hi := scaled(tt.want, 1+tt.wantSpread)
			for i := 0; i < 2000; i++ {
				switch i {
				case 0:
					u = 0
				case 1:
					u = math.Nextafter(1, 0)
				default:
					u = src.Float64()
				}
				d := exact.Decide(1, 0, tt.r)
				if !d.Retry || d.Delay < tt.want || d.Delay > hi {
					t.Fatalf("u=%v exact: %+v, want a retry after [%v, %v]", u, d, tt.want, hi)
				}
				// The spread is used: u near 1 waits nearly the top of the range.
				if i == 1 && d.Delay < scaled(tt.want, 1+0.99*tt.wantSpread) {
					t.Fatalf("u=%v exact: %+v, want nearly %v", u, d, hi)
				}
				n := 1 + i%max(1, min(floor.Strategy(tt.r.Category).MaxAttempts-1, 10))
				if d := floor.Decide(n, 0, tt.r); !d.Retry || d.Delay < tt.want {
					t.Fatalf("u=%v floor attempt %d: %+v, want a retry after at least %v", u, n, d, tt.want)
				}
			}
		})
	}
}

// TestServerDelayModes: how the server's delay combines with the schedule,
// with exact numbers (u = 0.5, ServerSpread 0.5: the server's delay x 1.25).
func TestServerDelayModes(t *testing.T) {
	strategy := func(kind policy.ServerDelay, initial time.Duration) map[catalog.Category]policy.Strategy {
		s := plain
		s.ServerDelay, s.Initial, s.MaxElapsed = kind, initial, -1
		return strategies(s, catalog.RateLimited, catalog.Unavailable)
	}
	ra := func(v string) classify.Result { return classified(429, header("Retry-After", v), "") }
	retry := func(d time.Duration) policy.Decision {
		return policy.Decision{Retry: true, Delay: d, Reason: policy.ReasonRetry}
	}
	tests := []struct {
		name    string
		kind    policy.ServerDelay
		initial time.Duration
		r       classify.Result
		want    policy.Decision
	}{
		{"floor server longer", policy.ServerDelayFloor, time.Second, ra("4"), retry(5 * time.Second)},
		{"floor schedule longer", policy.ServerDelayFloor, 8 * time.Second, ra("2"), retry(8 * time.Second)},
		{"floor 503 retry-after", policy.ServerDelayFloor, time.Second, classified(503, header("Retry-After", "4"), ""), retry(5 * time.Second)},
		{"floor retry-after-ms", policy.ServerDelayFloor, time.Second, classified(429, header("Retry-After-Ms", "1500"), ""), retry(1875 * time.Millisecond)},
		{"floor no server delay", policy.ServerDelayFloor, time.Second, r429, retry(time.Second)},
		{"exact ignores a longer schedule", policy.ServerDelayExact, 8 * time.Second, ra("2"), retry(2500 * time.Millisecond)},
		{"exact server longer", policy.ServerDelayExact, time.Second, ra("4"), retry(5 * time.Second)},
		{"exact without server delay follows the schedule", policy.ServerDelayExact, 3 * time.Second, r429, retry(3 * time.Second)},
		{"ignore", policy.ServerDelayIgnore, time.Second, ra("4"), retry(time.Second)},
		{"ignore a delay above the cap", policy.ServerDelayIgnore, time.Second, rTooLong, retry(time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy.Policy{Strategies: strategy(tt.kind, tt.initial), ServerSpread: 0.5, Rand: fixedRand(0.5)}
			if diff := cmp.Diff(tt.want, p.Decide(1, 0, tt.r), ignoreSource); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLongServerDelay: a server delay above MaxServerDelay gives up, is
// clamped, or is ignored, as LongServerDelay says.
func TestLongServerDelay(t *testing.T) {
	s := plain
	s.MaxElapsed = -1
	ra := func(d time.Duration) classify.Result {
		return classified(429, header("Retry-After", seconds(d)), "")
	}
	retry := func(d time.Duration) policy.Decision {
		return policy.Decision{Retry: true, Delay: d, Reason: policy.ReasonRetry}
	}
	tooLongAfter := func(d time.Duration) policy.Decision {
		return policy.Decision{Delay: d, Reason: policy.ReasonServerDelayTooLong}
	}
	tests := []struct {
		name   string
		max    time.Duration
		action policy.LongServerDelay
		r      classify.Result
		want   policy.Decision
	}{
		{"give up above the cap", 30 * time.Second, policy.LongDelayGiveUp, ra(31 * time.Second), tooLongAfter(31 * time.Second)},
		{"at the cap retries", 30 * time.Second, policy.LongDelayGiveUp, ra(30 * time.Second), retry(37500 * time.Millisecond)},
		{"clamp waits the cap", 30 * time.Second, policy.LongDelayClamp, ra(31 * time.Second), retry(37500 * time.Millisecond)},
		{"clamp 10^12 seconds", 30 * time.Second, policy.LongDelayClamp, rHuge, retry(37500 * time.Millisecond)},
		{"backoff follows the schedule", 30 * time.Second, policy.LongDelayBackoff, ra(31 * time.Second), retry(time.Second)},
		{"backoff 10^12 seconds", 30 * time.Second, policy.LongDelayBackoff, rHuge, retry(time.Second)},
		{"default cap: above gives up", 0, policy.LongDelayGiveUp, ra(policy.DefaultMaxServerDelay + time.Second),
			tooLongAfter(policy.DefaultMaxServerDelay + time.Second)},
		{"default cap: at the cap retries", 0, policy.LongDelayGiveUp, ra(policy.DefaultMaxServerDelay),
			retry(scaled(policy.DefaultMaxServerDelay, 1.25))},
		{"negative cap means none", -1, policy.LongDelayGiveUp, ra(time.Hour), retry(75 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy.Policy{
				Strategies:      strategies(s, catalog.RateLimited),
				MaxServerDelay:  tt.max,
				LongServerDelay: tt.action,
				ServerSpread:    0.5,
				Rand:            fixedRand(0.5),
			}
			if diff := cmp.Diff(tt.want, p.Decide(1, 0, tt.r), ignoreSource); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("clamp range with the default cap and spread", func(t *testing.T) {
		p := policy.Policy{
			Strategies:      strategies(s, catalog.RateLimited),
			LongServerDelay: policy.LongDelayClamp,
			Rand:            seededRand(3),
		}
		lo, hi := policy.DefaultMaxServerDelay, scaled(policy.DefaultMaxServerDelay, 1+policy.DefaultServerSpread)
		for i := 0; i < 1000; i++ {
			if d := p.Decide(1, 0, rHuge); !d.Retry || d.Delay < lo || d.Delay > hi {
				t.Fatalf("Decide = %+v, want a retry after [%v, %v]", d, lo, hi)
			}
		}
	})
}

// TestRateLimitWindow: an exhausted rate-limit window's reset is a server
// delay; a window with requests left is not.
func TestRateLimitWindow(t *testing.T) {
	exhausted := classified(429, header("X-Ratelimit-Remaining-Requests", "0", "X-Ratelimit-Reset-Requests", "6s"), "")
	left := classified(429, header("X-Ratelimit-Remaining-Requests", "5", "X-Ratelimit-Reset-Requests", "6s"), "")
	anthropic := classified(429, header(
		"Anthropic-Ratelimit-Requests-Remaining", "0",
		"Anthropic-Ratelimit-Requests-Reset", epoch.Add(6*time.Second).Format(time.RFC3339)), "")
	both := classified(429, header("Retry-After", "1",
		"X-Ratelimit-Remaining-Requests", "0", "X-Ratelimit-Reset-Requests", "6s"), "")

	t.Run("exhausted waits for the reset", func(t *testing.T) {
		for _, r := range []classify.Result{exhausted, anthropic} {
			p := policy.Policy{Rand: seededRand(4)}
			for i := 0; i < 500; i++ {
				if d := p.Decide(1, 0, r); !d.Retry || d.Delay < 6*time.Second {
					t.Fatalf("Decide(%v) = %+v, want a retry after at least 6s", r.RateLimitResetSource, d)
				}
			}
		}
	})
	t.Run("remaining not zero is not a delay", func(t *testing.T) {
		for _, u := range []float64{0, 0.25, 0.5, 0.999} {
			p := policy.Policy{Rand: fixedRand(u)}
			if diff := cmp.Diff(p.Decide(1, 0, r429), p.Decide(1, 0, left)); diff != "" {
				t.Errorf("u=%v: window with requests left (-no headers +window):\n%s", u, diff)
			}
		}
	})
	t.Run("retry-after wins over the window", func(t *testing.T) {
		p := policy.Policy{
			Strategies: map[catalog.Category]policy.Strategy{catalog.RateLimited: {ServerDelay: policy.ServerDelayExact}},
			Rand:       seededRand(5),
		}
		hi := scaled(time.Second, 1+policy.DefaultServerSpread)
		for i := 0; i < 200; i++ {
			if d := p.Decide(1, 0, both); !d.Retry || d.Delay < time.Second || d.Delay > hi {
				t.Fatalf("Decide = %+v, want a retry after [1s, %v]", d, hi)
			}
		}
	})
}

// TestRetryAfterEdgeCases: odd Retry-After values, classified for real,
// then decided: a value that means no delay or that is invalid leaves the
// schedule alone.
func TestRetryAfterEdgeCases(t *testing.T) {
	p := policy.Policy{Clock: newClock(), Rand: fixedRand(0.5)}
	baseline := p.Decide(1, 0, r429)
	if !baseline.Retry || baseline.Delay < 0 {
		t.Fatalf("baseline %+v is not a retry", baseline)
	}
	const (
		asSchedule = iota
		atLeast
		tooLongReason
	)
	tests := []struct {
		name  string
		value string
		want  int
		min   time.Duration
	}{
		{"zero", "0", asSchedule, 0},
		{"fractional", "1.5", atLeast, 1500 * time.Millisecond},
		{"spaces", " 3 ", atLeast, 3 * time.Second},
		{"http-date in the past", epoch.Add(-time.Minute).Format(http.TimeFormat), asSchedule, 0},
		{"http-date in the future", epoch.Add(10 * time.Second).Format(http.TimeFormat), atLeast, 10 * time.Second},
		{"10^12 seconds", "1000000000000", tooLongReason, 0},
		{"negative", "-5", asSchedule, 0},
		{"garbage", "garbage", asSchedule, 0},
		{"exponent", "1e3", asSchedule, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := classified(429, header("Retry-After", tt.value), "")
			got := p.Decide(1, 0, r)
			switch tt.want {
			case asSchedule:
				if diff := cmp.Diff(baseline, got); diff != "" {
					t.Errorf("Retry-After %q (-schedule +got):\n%s", tt.value, diff)
				}
			case atLeast:
				if !got.Retry || got.Delay < tt.min {
					t.Errorf("Retry-After %q: %+v, want a retry after at least %v", tt.value, got, tt.min)
				}
			case tooLongReason:
				want := policy.Decision{Delay: r.RetryAfter, Reason: policy.ReasonServerDelayTooLong}
				if diff := cmp.Diff(want, got, ignoreSource); diff != "" {
					t.Errorf("Retry-After %q (-want +got):\n%s", tt.value, diff)
				}
			}
		})
	}
}

// TestJitterKinds: each kind with a fixed u, on the schedule 1s, 2s, 4s,
// 8s, 10s (capped).
func TestJitterKinds(t *testing.T) {
	tests := []struct {
		name     string
		jitter   policy.Jitter
		fraction float64
		attempt  int
		prev     time.Duration
		u        float64
		want     time.Duration
	}{
		{"none attempt 1", policy.JitterNone, 0, 1, 0, 0.75, time.Second},
		{"none attempt 3", policy.JitterNone, 0, 3, 0, 0.75, 4 * time.Second},
		{"none capped", policy.JitterNone, 0, 5, 0, 0.75, 10 * time.Second},
		{"full u=0", policy.JitterFull, 0, 3, 0, 0, 0},
		{"full u=0.25", policy.JitterFull, 0, 3, 0, 0.25, time.Second},
		{"full capped u=0.5", policy.JitterFull, 0, 6, 0, 0.5, 5 * time.Second},
		{"equal u=0", policy.JitterEqual, 0, 3, 0, 0, 2 * time.Second},
		{"equal u=0.5", policy.JitterEqual, 0, 3, 0, 0.5, 3 * time.Second},
		{"equal capped u=0.5", policy.JitterEqual, 0, 7, 0, 0.5, 7500 * time.Millisecond},
		{"proportional u=0", policy.JitterProportional, 0.5, 3, 0, 0, 2 * time.Second},
		{"proportional u=0.5", policy.JitterProportional, 0.5, 3, 0, 0.5, 4 * time.Second},
		{"proportional u=0.75", policy.JitterProportional, 0.5, 3, 0, 0.75, 5 * time.Second},
		{"decorrelated first u=0", policy.JitterDecorrelated, 0, 1, 0, 0, time.Second},
		{"decorrelated first u=0.5", policy.JitterDecorrelated, 0, 1, 0, 0.5, 2 * time.Second},
		{"decorrelated prev below initial", policy.JitterDecorrelated, 0, 2, 100 * time.Millisecond, 0.5, 2 * time.Second},
		{"decorrelated prev 2s", policy.JitterDecorrelated, 0, 2, 2 * time.Second, 0.5, 3500 * time.Millisecond},
		{"decorrelated capped", policy.JitterDecorrelated, 0, 3, 8 * time.Second, 0.5, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := plain
			s.MaxAttempts, s.MaxElapsed, s.Jitter, s.JitterFraction = -1, -1, tt.jitter, tt.fraction
			p := policy.Policy{Strategies: strategies(s, catalog.Unavailable), Rand: fixedRand(tt.u)}
			got := p.DecideAttempt(policy.Attempt{Number: tt.attempt, Result: r503, PrevDelay: tt.prev})
			want := policy.Decision{Retry: true, Delay: tt.want, Reason: policy.ReasonRetry}
			if diff := cmp.Diff(want, got, ignoreSource); diff != "" {
				t.Errorf("DecideAttempt (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJitterBounds: the delays of every retryable category's strategy,
// default or with each jitter kind forced, stay within the kind's bounds
// for random u and previous delays.
func TestJitterBounds(t *testing.T) {
	results := []classify.Result{r429, classified(408, nil, ""), classified(409, nil, ""), classified(500, nil, ""), r503, rEOF}
	kinds := []policy.Jitter{policy.JitterDefault, policy.JitterNone, policy.JitterFull, policy.JitterEqual, policy.JitterDecorrelated, policy.JitterProportional}
	for _, r := range results {
		for _, kind := range kinds {
			t.Run(r.Category.String()+"/"+kind.String(), func(t *testing.T) {
				src := rand.New(rand.NewPCG(uint64(r.Category), uint64(kind)))
				var u float64
				p := policy.Policy{
					Strategies: map[catalog.Category]policy.Strategy{r.Category: {MaxAttempts: -1, MaxElapsed: -1, Jitter: kind}},
					Rand:       func() float64 { return u },
				}
				s := p.Strategy(r.Category)
				if kind != policy.JitterDefault && s.Jitter != kind {
					t.Fatalf("Strategy.Jitter = %v, want %v", s.Jitter, kind)
				}
				for i := 0; i < 500; i++ {
					u = src.Float64()
					n := 1 + i%12
					prev := time.Duration(src.Int64N(int64(s.MaxInterval) + 1))
					b := schedule(s, n)
					var lo, hi time.Duration
					switch s.Jitter {
					case policy.JitterNone:
						lo, hi = b, b
					case policy.JitterFull:
						lo, hi = 0, b
					case policy.JitterEqual:
						lo, hi = b/2, b
					case policy.JitterDecorrelated:
						lo, hi = min(s.Initial, s.MaxInterval), min(3*max(prev, s.Initial), s.MaxInterval)
					case policy.JitterProportional:
						lo, hi = scaled(b, 1-s.JitterFraction), scaled(b, 1+s.JitterFraction)
					default:
						t.Fatalf("strategy has jitter %v", s.Jitter)
					}
					d := p.DecideAttempt(policy.Attempt{Number: n, Result: r, PrevDelay: prev})
					// One nanosecond of slack for float rounding.
					if !d.Retry || d.Delay < lo-1 || d.Delay > hi+1 {
						t.Fatalf("attempt %d u=%v prev=%v: %+v, want a retry after [%v, %v] (%+v)", n, u, prev, d, lo, hi, s)
					}
				}
			})
		}
	}
}

// TestSchedule: Initial x Multiplier^(n-1), capped at MaxInterval.
func TestSchedule(t *testing.T) {
	tests := []struct {
		name       string
		multiplier float64
		attempt    int
		want       time.Duration
	}{
		{"attempt 0 counts as 1", 3, 0, 100 * time.Millisecond},
		{"attempt 1", 3, 1, 100 * time.Millisecond},
		{"attempt 2", 3, 2, 300 * time.Millisecond},
		{"attempt 3", 3, 3, 900 * time.Millisecond},
		{"attempt 4", 3, 4, 2700 * time.Millisecond},
		{"attempt 5 capped", 3, 5, 5 * time.Second},
		{"attempt 1000 capped", 3, 1000, 5 * time.Second},
		{"attempt 1<<30 capped", 3, 1 << 30, 5 * time.Second},
		{"multiplier 1 is constant", 1, 40, 100 * time.Millisecond},
		{"multiplier 1.5", 1.5, 3, 225 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := policy.Strategy{
				MaxAttempts: -1, MaxElapsed: -1,
				Initial: 100 * time.Millisecond, Multiplier: tt.multiplier, MaxInterval: 5 * time.Second,
				Jitter: policy.JitterNone,
			}
			p := policy.Policy{Strategies: strategies(s, catalog.Unavailable), Rand: fixedRand(0.5)}
			want := policy.Decision{Retry: true, Delay: tt.want, Reason: policy.ReasonRetry}
			if diff := cmp.Diff(want, p.Decide(tt.attempt, 0, r503), ignoreSource); diff != "" {
				t.Errorf("Decide(%d) (-want +got):\n%s", tt.attempt, diff)
			}
		})
	}
}

// TestStrategyMerge: an override replaces only its non-zero, in-range
// fields; the rest come from the category's default.
func TestStrategyMerge(t *testing.T) {
	full := policy.Strategy{
		MaxAttempts: 7, MaxElapsed: 7 * time.Minute,
		Initial: 7 * time.Millisecond, Multiplier: 1.7, MaxInterval: 7 * time.Second,
		Jitter: policy.JitterDecorrelated, JitterFraction: 0.7, ServerDelay: policy.ServerDelayExact,
	}
	tests := []struct {
		name     string
		override policy.Strategy
		change   func(*policy.Strategy) // applied to the default to get the want
	}{
		{"zero override keeps the default", policy.Strategy{}, func(*policy.Strategy) {}},
		{"MaxAttempts", policy.Strategy{MaxAttempts: 7}, func(s *policy.Strategy) { s.MaxAttempts = 7 }},
		{"MaxAttempts negative means no limit", policy.Strategy{MaxAttempts: -1}, func(s *policy.Strategy) { s.MaxAttempts = -1 }},
		{"MaxElapsed", policy.Strategy{MaxElapsed: time.Hour}, func(s *policy.Strategy) { s.MaxElapsed = time.Hour }},
		{"MaxElapsed negative means no limit", policy.Strategy{MaxElapsed: -1}, func(s *policy.Strategy) { s.MaxElapsed = -1 }},
		{"Initial", policy.Strategy{Initial: 3 * time.Millisecond}, func(s *policy.Strategy) { s.Initial = 3 * time.Millisecond }},
		{"Initial negative falls back", policy.Strategy{Initial: -time.Second}, func(*policy.Strategy) {}},
		{"Multiplier", policy.Strategy{Multiplier: 1.3}, func(s *policy.Strategy) { s.Multiplier = 1.3 }},
		{"Multiplier 1 kept", policy.Strategy{Multiplier: 1}, func(s *policy.Strategy) { s.Multiplier = 1 }},
		{"Multiplier 0.5 falls back", policy.Strategy{Multiplier: 0.5}, func(*policy.Strategy) {}},
		{"Multiplier negative falls back", policy.Strategy{Multiplier: -2}, func(*policy.Strategy) {}},
		{"Multiplier +Inf falls back", policy.Strategy{Multiplier: math.Inf(1)}, func(*policy.Strategy) {}},
		{"Multiplier NaN falls back", policy.Strategy{Multiplier: math.NaN()}, func(*policy.Strategy) {}},
		{"MaxInterval", policy.Strategy{MaxInterval: time.Hour}, func(s *policy.Strategy) { s.MaxInterval = time.Hour }},
		{"MaxInterval negative falls back", policy.Strategy{MaxInterval: -1}, func(*policy.Strategy) {}},
		{"Jitter", policy.Strategy{Jitter: policy.JitterDecorrelated}, func(s *policy.Strategy) { s.Jitter = policy.JitterDecorrelated }},
		{"Jitter out of range falls back", policy.Strategy{Jitter: 200}, func(*policy.Strategy) {}},
		{"JitterFraction", policy.Strategy{JitterFraction: 0.3}, func(s *policy.Strategy) { s.JitterFraction = 0.3 }},
		{"JitterFraction 1 kept", policy.Strategy{JitterFraction: 1}, func(s *policy.Strategy) { s.JitterFraction = 1 }},
		{"JitterFraction 2 falls back", policy.Strategy{JitterFraction: 2}, func(*policy.Strategy) {}},
		{"JitterFraction negative falls back", policy.Strategy{JitterFraction: -0.1}, func(*policy.Strategy) {}},
		{"JitterFraction NaN falls back", policy.Strategy{JitterFraction: math.NaN()}, func(*policy.Strategy) {}},
		{"ServerDelay", policy.Strategy{ServerDelay: policy.ServerDelayIgnore}, func(s *policy.Strategy) { s.ServerDelay = policy.ServerDelayIgnore }},
		{"ServerDelay out of range falls back", policy.Strategy{ServerDelay: 200}, func(*policy.Strategy) {}},
		{"every field", full, func(s *policy.Strategy) { *s = full }},
	}
	for _, c := range []catalog.Category{catalog.RateLimited, catalog.Network, catalog.InvalidRequest, catalog.Category(250)} {
		for _, tt := range tests {
			t.Run(c.String()+"/"+tt.name, func(t *testing.T) {
				want := policy.DefaultStrategy(c)
				tt.change(&want)
				p := policy.Policy{Strategies: map[catalog.Category]policy.Strategy{c: tt.override}}
				if diff := cmp.Diff(want, p.Strategy(c)); diff != "" {
					t.Errorf("Strategy(%v) with override %+v (-want +got):\n%s", c, tt.override, diff)
				}
			})
		}
	}
}

// TestMaxAttemptsOverride: MaxAttempts 1 never retries; a negative value
// has no limit on the count.
func TestMaxAttemptsOverride(t *testing.T) {
	tests := []struct {
		name     string
		override policy.Strategy
		attempt  int
		want     policy.Reason
	}{
		{"1 never retries", policy.Strategy{MaxAttempts: 1}, 1, policy.ReasonMaxAttempts},
		{"2 retries once", policy.Strategy{MaxAttempts: 2}, 1, policy.ReasonRetry},
		{"2 stops at the second", policy.Strategy{MaxAttempts: 2}, 2, policy.ReasonMaxAttempts},
		{"negative has no limit", policy.Strategy{MaxAttempts: -1, MaxElapsed: -1}, 100000, policy.ReasonRetry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy.Policy{Strategies: map[catalog.Category]policy.Strategy{catalog.RateLimited: tt.override}, Rand: fixedRand(0.5)}
			d := p.Decide(tt.attempt, 0, r429)
			if d.Reason != tt.want || d.Retry != (tt.want == policy.ReasonRetry) {
				t.Errorf("Decide(%d) = %+v, want reason %s", tt.attempt, d, tt.want)
			}
			if got, want := p.Strategy(catalog.RateLimited).Retries(), tt.override.MaxAttempts != 1; got != want {
				t.Errorf("Retries() = %v, want %v", got, want)
			}
		})
	}
}

// TestDefaultStrategies: every default strategy is complete and in range,
// whatever its numbers, and the zero Policy applies it unchanged.
func TestDefaultStrategies(t *testing.T) {
	var p policy.Policy
	for c := catalog.Unknown; c <= catalog.Canceled+1; c++ {
		t.Run(c.String(), func(t *testing.T) {
			s := policy.DefaultStrategy(c)
			if s.MaxAttempts == 0 || s.MaxElapsed == 0 || s.Initial <= 0 || !(s.Multiplier >= 1) || math.IsInf(s.Multiplier, 0) ||
				s.MaxInterval < s.Initial || s.Jitter < policy.JitterNone || s.Jitter > policy.JitterProportional ||
				!(s.JitterFraction > 0 && s.JitterFraction <= 1) || s.ServerDelay < policy.ServerDelayFloor || s.ServerDelay > policy.ServerDelayIgnore {
				t.Errorf("DefaultStrategy(%v) = %+v: incomplete or out of range", c, s)
			}
			if diff := cmp.Diff(s, p.Strategy(c)); diff != "" {
				t.Errorf("zero Policy's Strategy(%v) (-default +got):\n%s", c, diff)
			}
			if c.Retryable() && !s.Retries() {
				t.Errorf("retryable category %v has a strategy that never retries", c)
			}
		})
	}
}

// TestBrokenRand: a jitter source out of [0, 1) counts as 0: no negative,
// huge or early wait.
func TestBrokenRand(t *testing.T) {
	s := plain
	s.Jitter = policy.JitterEqual
	for _, r := range []classify.Result{r503, classified(429, header("Retry-After", "3"), "")} {
		want := (&policy.Policy{Strategies: strategies(s, r.Category), Rand: fixedRand(0)}).Decide(1, 0, r)
		for _, u := range []float64{1, 1.5, -0.5, 1e300, math.NaN(), math.Inf(1), math.Inf(-1)} {
			t.Run(r.Category.String()+"/"+strconv.FormatFloat(u, 'g', -1, 64), func(t *testing.T) {
				p := policy.Policy{Strategies: strategies(s, r.Category), Rand: fixedRand(u)}
				if diff := cmp.Diff(want, p.Decide(1, 0, r), ignoreSource); diff != "" {
					t.Errorf("Rand()=%v (-as u=0 +got):\n%s", u, diff)
				}
			})
		}
	}
}

// TestDecideFunc: the package-level Decide is the zero Policy's.
func TestDecideFunc(t *testing.T) {
	var p policy.Policy
	tests := []struct {
		name string
		r    classify.Result
	}{
		{"429 retry-after", r429RA2},
		{"400", r400},
		{"200", r200},
		{"too long", rTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := policy.Decide(1, 0, tt.r), p.Decide(1, 0, tt.r)
			if got.Retry != want.Retry || got.Reason != want.Reason {
				t.Errorf("Decide = %+v, zero Policy's = %+v", got, want)
			}
			if tt.r.RetryAfterSource != "" && got.Delay < tt.r.RetryAfter {
				t.Errorf("Decide = %+v, earlier than the server's %v", got, tt.r.RetryAfter)
			}
		})
	}
}

// TestNames: the reason values are a public contract (metric labels), and
// the jitter kinds have readable names.
func TestNames(t *testing.T) {
	reasons := map[policy.Reason]string{
		policy.ReasonRetry:              "retry",
		policy.ReasonSuccess:            "success",
		policy.ReasonNotRetryable:       "not_retryable",
		policy.ReasonMaxAttempts:        "max_attempts",
		policy.ReasonMaxElapsed:         "max_elapsed",
		policy.ReasonDeadline:           "deadline",
		policy.ReasonCanceled:           "canceled",
		policy.ReasonServerDelayTooLong: "server_delay_too_long",
		policy.ReasonBudgetExhausted:    "budget_exhausted",
		policy.ReasonPartialDelivery:    "partial_delivery",
		policy.ReasonServerSaidNo:       "server_said_no",
	}
	for r, want := range reasons {
		if string(r) != want {
			t.Errorf("reason %q, want %q", r, want)
		}
	}
	jitters := []struct {
		j    policy.Jitter
		want string
	}{
		{policy.JitterDefault, "default"},
		{policy.JitterNone, "none"},
		{policy.JitterFull, "full"},
		{policy.JitterEqual, "equal"},
		{policy.JitterDecorrelated, "decorrelated"},
		{policy.JitterProportional, "proportional"},
		{policy.Jitter(42), "jitter(42)"},
	}
	for _, tt := range jitters {
		if got := tt.j.String(); got != tt.want {
			t.Errorf("Jitter(%d).String() = %q, want %q", uint8(tt.j), got, tt.want)
		}
	}
}

// TestDecideAllocs pins Decide at zero allocations.
func TestDecideAllocs(t *testing.T) {
	window := classified(429, header("X-Ratelimit-Remaining-Requests", "0", "X-Ratelimit-Reset-Requests", "6s"), "")
	tests := []struct {
		name string
		p    *policy.Policy
		r    classify.Result
	}{
		{"429 retry-after with Rand", &policy.Policy{Rand: fixedRand(0.5)}, r429RA2},
		{"429 retry-after without Rand", &policy.Policy{}, r429RA2},
		{"429 window with Rand and Clock", &policy.Policy{Rand: fixedRand(0.5), Clock: newClock()}, window},
		{"503 with overrides", &policy.Policy{Strategies: strategies(plain, catalog.Unavailable)}, r503},
		{"too long", &policy.Policy{}, rTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d policy.Decision
			allocs := testing.AllocsPerRun(100, func() { d = tt.p.Decide(1, time.Second, tt.r) })
			if allocs != 0 {
				t.Errorf("Decide allocates %v times per call, want 0", allocs)
			}
			if d.Reason == "" {
				t.Errorf("no decision")
			}
		})
	}
}

// TestPolicyConcurrent shares one Policy among goroutines deciding and
// making retriers; run with -race.
func TestPolicyConcurrent(t *testing.T) {
	var notified atomic.Int64
	p := &policy.Policy{
		Strategies: strategies(plain, catalog.Unavailable),
		Budget:     &policy.Budget{Max: 1e9},
		Clock:      newClock(),
		Rand:       seededRand(6),
		Observer: func(_ context.Context, _ policy.Attempt, d policy.Decision) {
			if d.Reason != policy.ReasonSuccess {
				notified.Add(1)
			}
		},
	}
	const goroutines, iterations = 8, 200
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < iterations; i++ {
				if d := p.Decide(1, 0, r429RA2); !d.Retry || d.Delay < 2*time.Second {
					t.Errorf("Decide = %+v, want a retry after at least 2s", d)
					return
				}
				rt := p.NewRetrier(context.Background())
				if err := rt.Observe(r503); err == nil || rt.NextBackOff() != time.Second {
					t.Errorf("Observe(503) = %v, decision %+v", err, rt.Decision())
					return
				}
				if err := rt.Observe(r200); err != nil {
					t.Errorf("Observe(200) = %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := notified.Load(); got != goroutines*iterations {
		t.Errorf("Observer called on failures %d times, want %d", got, goroutines*iterations)
	}
}

func BenchmarkDecide(b *testing.B) {
	p := policy.Policy{Rand: fixedRand(0.5)}
	b.ReportAllocs()
	for b.Loop() {
		p.Decide(1, time.Second, r429RA2)
	}
}

// TestDeadlineHonoursServerDelay is the deadline rule of issues 7 and 16:
// when the schedule's wait does not leave MinAttemptTime before the
// deadline, exactly the server's Retry-After is waited instead (never cut
// to end at the deadline, where the retry would fail at once, and without
// spread, which would take from the attempt's time); only a server delay
// that does not fit gives up. Run over many jitter draws.
func TestDeadlineHonoursServerDelay(t *testing.T) {
	r := classify.Classify(429, http.Header{"Retry-After": {"1"}}, []byte(`{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`))
	r5 := classify.Classify(429, http.Header{"Retry-After": {"5"}}, []byte(`{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`))
	clock := newClock()
	for seed := uint64(0); seed < 1000; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		p := policy.Policy{Clock: clock, Rand: rng.Float64}
		d := p.DecideAttempt(policy.Attempt{Number: 1, Result: r, Deadline: epoch.Add(1200 * time.Millisecond)})
		if !d.Retry || d.Delay != time.Second || d.Source != policy.DelayServer {
			t.Fatalf("seed %d: Retry-After 1, 1.2 s left: %+v; want exactly the server's 1 s", seed, d)
		}
		d = p.DecideAttempt(policy.Attempt{Number: 1, Result: r5, Deadline: epoch.Add(2 * time.Second)})
		if d.Retry || d.Reason != policy.ReasonDeadline {
			t.Fatalf("seed %d: Retry-After 5, 2 s left: %+v; want deadline", seed, d)
		}
	}
}

// TestExactFirstServerDelay: with the option, a first refusal with
// Retry-After: 1 waits 1.0-1.1 s; the second keeps the schedule's floor;
// without it, the first waits the schedule's 1.5-3 s.
func TestExactFirstServerDelay(t *testing.T) {
	r := classify.Classify(429, http.Header{"Retry-After": {"1"}}, []byte(`{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`))
	for seed := uint64(0); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 9))
		exact := policy.Policy{ExactFirstServerDelay: true, Rand: rng.Float64}
		if d := exact.Decide(1, 0, r); !d.Retry || d.Delay < time.Second || d.Delay > 1100*time.Millisecond {
			t.Fatalf("seed %d: first refusal %+v, want a retry after 1.0-1.1 s", seed, d)
		}
		if d := exact.Decide(2, 0, r); !d.Retry || d.Delay < 2400*time.Millisecond {
			t.Fatalf("seed %d: second refusal %+v, want the schedule's 2.4-4.8 s", seed, d)
		}
		def := policy.Policy{Rand: rng.Float64}
		if d := def.Decide(1, 0, r); !d.Retry || d.Delay < 1500*time.Millisecond || d.Delay > 3*time.Second {
			t.Fatalf("seed %d: default first refusal %+v, want 1.5-3 s", seed, d)
		}
	}
}

// TestLimiterWaitsServerDelay: with a shared limiter, every rate-limit
// refusal that carries an explicit delay waits it as told (1.0-1.1 s for
// Retry-After: 1), the first and later ones; without a limiter the
// schedule's floor holds (1.5-3 s); a refusal of another category (a 503)
// is decided as without a limiter.
func TestLimiterWaitsServerDelay(t *testing.T) {
	rate := classify.Classify(429, http.Header{"Retry-After": {"1"}}, []byte(`{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`))
	busy := classify.Classify(503, http.Header{"Retry-After": {"1"}}, nil)
	if rate.Category != catalog.RateLimited || rate.RetryAfterSource == "" || busy.Category == catalog.RateLimited {
		t.Fatalf("setup: %v (source %q) / %v", rate.Category, rate.RetryAfterSource, busy.Category)
	}
	for seed := uint64(0); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		shared := policy.Policy{Limiter: &countingLimiter{}, Rand: rng.Float64}
		for n := 1; n <= 3; n++ {
			if d := shared.Decide(n, 0, rate); !d.Retry || d.Delay < time.Second || d.Delay > 1100*time.Millisecond || d.Source != policy.DelayServer {
				t.Fatalf("seed %d, refusal %d with a limiter: %+v; want the server's 1.0-1.1 s", seed, n, d)
			}
		}
		x := rng.Float64()
		with := policy.Policy{Limiter: &countingLimiter{}, Rand: fixedRand(x)}
		without := policy.Policy{Rand: fixedRand(x)}
		for n := 1; n <= 3; n++ {
			if d, want := with.Decide(n, 0, busy), without.Decide(n, 0, busy); d != want {
				t.Fatalf("seed %d: 503 refusal %d with a limiter: %+v; want %+v, as without one", seed, n, d, want)
			}
		}
		alone := policy.Policy{Rand: rng.Float64}
		if d := alone.Decide(1, 0, rate); !d.Retry || d.Delay < 1500*time.Millisecond || d.Delay > 3*time.Second {
			t.Fatalf("seed %d: without a limiter: %+v; want 1.5-3 s", seed, d)
		}
	}
}

// TestMinAttemptTime: the room a retry needs after its wait is
// MinAttemptTime (default, set, or none), whatever the delay's source.
func TestMinAttemptTime(t *testing.T) {
	r503 := classify.Classify(503, nil, nil)
	rRA := classify.Classify(429, http.Header{"Retry-After": {"2"}}, []byte(`{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`))
	clock := newClock()
	tests := []struct {
		name  string
		min   time.Duration
		r     classify.Result
		left  time.Duration
		retry bool
	}{
		{"default: schedule 1 s, the default's room left", 0, r503, time.Second + policy.DefaultMinAttemptTime, true},
		{"default: schedule 1 s, 1 ms short of the default's room", 0, r503, time.Second + policy.DefaultMinAttemptTime - time.Millisecond, false},
		{"500 ms: schedule 1 s, 1.4 s left", 500 * time.Millisecond, r503, 1400 * time.Millisecond, false},
		{"500 ms: schedule 1 s, 1.5 s left", 500 * time.Millisecond, r503, 1500 * time.Millisecond, true},
		{"none: schedule 1 s, 1 s left", -1, r503, time.Second, true},
		{"500 ms: Retry-After 2 (over the 1 s schedule), 2.4 s left", 500 * time.Millisecond, rRA, 2400 * time.Millisecond, false},
		{"500 ms: Retry-After 2, 2.5 s left", 500 * time.Millisecond, rRA, 2500 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy.Policy{Clock: clock, Rand: fixedRand(0), MinAttemptTime: tt.min,
				Strategies: strategies(plain, catalog.RateLimited, catalog.Unavailable)}
			d := p.DecideAttempt(policy.Attempt{Number: 1, Result: tt.r, Deadline: epoch.Add(tt.left)})
			if d.Retry != tt.retry || !d.Retry && d.Reason != policy.ReasonDeadline {
				t.Fatalf("%+v; want retry %v (else deadline)", d, tt.retry)
			}
			if room := tt.left - max(tt.min, 0); tt.min == 0 && d.Retry && d.Delay > tt.left-policy.DefaultMinAttemptTime || tt.min != 0 && d.Retry && d.Delay > room {
				t.Errorf("delay %v leaves less than the minimum attempt time of %v left", d.Delay, tt.left)
			}
		})
	}
}
