package pace_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/apierr/apierr/pace"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// TestByRequestThroughTransport plugs a Limiter into retryhttp and checks that
// the rate-limit headers of a response reach it: after a 200 that says the
// requests window is exhausted for 30 s, the next request through the same
// client is held until the window resets, on the injected clock. The header
// names are OpenAI's (https://platform.openai.com/docs/guides/rate-limits,
// "Rate limits in headers").
func TestByRequestThroughTransport(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	lim := &pace.Limiter[string]{Clock: clock}
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		w.Header().Set("x-ratelimit-limit-requests", "2")
		w.Header().Set("x-ratelimit-remaining-requests", "0")
		w.Header().Set("x-ratelimit-reset-requests", "30s")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"ok"}`))
	}))
	defer srv.Close()
	client := retryhttp.NewClient(&retryhttp.Transport{Policy: &policy.Policy{Limiter: pace.ByRequest{Limiter: lim}}})
	for i := 0; i < 2; i++ {
		resp, err := client.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if requests != 2 {
		t.Fatalf("the server saw %d requests, want 2", requests)
	}
	var total time.Duration
	for _, w := range clock.slept {
		total += w
	}
	if total < 30*time.Second || total > 31*time.Second {
		t.Errorf("the second request waited %v in all (%v), want the window's 30 s reset plus at most 1 s", total, clock.slept)
	}
}
