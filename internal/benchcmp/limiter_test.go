package benchcmp

import (
	"context"
	"net/http"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/pace"
)

// BenchmarkLimiterWait is the cost per attempt of pace.Limiter (Wait
// before it and Observe after it, in-process store, a success without
// rate-limit headers: nothing to wait for) next to golang.org/x/time/rate's
// Wait on a limiter that never waits either. impl=pace-headers observes a
// response with x-ratelimit-*-requests headers instead (a bucket so large
// that nothing waits), read once: the cost of learning from a report
// (windows, the bucket's votes and its fitted line), not of parsing it.
// Compare them with
//
//	go test -run '^$' -bench LimiterWait -benchmem -count 10 -cpu 1 > limiter.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl limiter.txt
func BenchmarkLimiterWait(b *testing.B) {
	ctx := context.Background()
	b.Run("impl=pace", func(b *testing.B) {
		l := &pace.Limiter[string]{}
		ok := classify.Result{OK: true, Status: 200}
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Wait(ctx, "api.example.com", 0); err != nil {
				b.Fatal(err)
			}
			l.Observe("api.example.com", ok, classify.RateLimits{})
		}
	})
	b.Run("impl=pace-headers", func(b *testing.B) {
		l := &pace.Limiter[string]{}
		ok := classify.Result{OK: true, Status: 200}
		h := http.Header{
			"X-Ratelimit-Limit-Requests":     {"1000000000"},
			"X-Ratelimit-Remaining-Requests": {"999999000"},
			"X-Ratelimit-Reset-Requests":     {"1ms"},
		}
		rl := classify.ReadRateLimits(h, time.Now())
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Wait(ctx, "api.example.com", 0); err != nil {
				b.Fatal(err)
			}
			l.Observe("api.example.com", ok, rl)
		}
	})
	b.Run("impl=rate", func(b *testing.B) {
		l := rate.NewLimiter(rate.Inf, 1)
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Wait(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
