package policy_test

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/policy"
)

// FuzzDecide checks the decision's invariants on any response and any
// strategy: no panic; a retry waits a non-negative time, never less than
// the server asked (below the cap), and within MaxElapsed; the same input
// gives the same decision.
func FuzzDecide(f *testing.F) {
	f.Add(429, "20", `{"error":{"message":"Please try again in 1.5s","code":"rate_limit_exceeded"}}`, 1, int64(0), int64(time.Second), 2.0, int64(30*time.Second), uint8(3), 0.5)
	f.Add(503, "1000000000000", ``, 3, int64(time.Minute), int64(0), 0.0, int64(0), uint8(0), 0.0)
	f.Add(500, "-5", `{"detail":"boom"}`, 0, int64(-1), int64(-1), math.Inf(1), int64(-1), uint8(9), 2.0)
	f.Add(429, "Wed, 21 Oct 2015 07:28:00 GMT", ``, 100, int64(math.MaxInt64), int64(math.MaxInt64), math.NaN(), int64(math.MaxInt64), uint8(4), 0.999)
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	c := classify.Classifier{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, status int, retryAfter, body string, attempt int, elapsed, initial int64, mult float64, maxInterval int64, jitter uint8, u float64) {
		r := c.Classify(status, http.Header{"Retry-After": {retryAfter}}, []byte(body))
		p := policy.Policy{
			Strategies: map[catalog.Category]policy.Strategy{r.Category: {
				Initial: time.Duration(initial), Multiplier: mult, MaxInterval: time.Duration(maxInterval),
				Jitter: policy.Jitter(jitter), JitterFraction: u,
			}},
			Rand: func() float64 { return u },
		}
		d := p.Decide(attempt, time.Duration(elapsed), r)
		if d2 := p.Decide(attempt, time.Duration(elapsed), r); d2 != d {
			t.Fatalf("two decisions differ: %+v, %+v", d, d2)
		}
		if !d.Retry {
			if d.Reason == policy.ReasonRetry {
				t.Fatalf("no retry with reason retry: %+v", d)
			}
			return
		}
		s := p.Strategy(r.Category)
		switch {
		case d.Reason != policy.ReasonRetry:
			t.Fatalf("retry with reason %q", d.Reason)
		case d.Delay < 0:
			t.Fatalf("negative delay %v", d.Delay)
		case r.RetryAfterSource != "" && r.RetryAfter <= policy.DefaultMaxServerDelay && d.Delay < r.RetryAfter:
			t.Fatalf("delay %v below the server's %v", d.Delay, r.RetryAfter)
		case s.MaxElapsed > 0 && elapsed >= 0 && time.Duration(elapsed)+d.Delay > s.MaxElapsed:
			t.Fatalf("delay %v after elapsed %v passes MaxElapsed %v", d.Delay, time.Duration(elapsed), s.MaxElapsed)
		}
	})
}
