package pace_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/pace"
)

// Wait before every attempt, Observe after it: a window with 3 requests
// left for 3 seconds is spread at one request a second.
func Example() {
	clock := time.Now()
	l := &pace.Limiter[string]{
		Now: func() time.Time { return clock },
		Sleep: func(_ context.Context, d time.Duration) error {
			clock = clock.Add(d)
			return nil
		},
	}
	start := clock
	h := http.Header{"X-Ratelimit-Remaining-Requests": {"3"}, "X-Ratelimit-Reset-Requests": {"3s"}}
	l.Observe("api.example.com", classify.Classify(200, h, nil), classify.ReadRateLimits(h, clock))
	for range 3 {
		if err := l.Wait(context.Background(), "api.example.com", 0); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("attempt at", clock.Sub(start))
	}
	// Output:
	// attempt at 0s
	// attempt at 1s
	// attempt at 2s
}
