package otelapierr_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// TestConcurrent shares one Telemetry among goroutines that send requests
// at once (a 503 retried before each success, with the module's own
// spans): run with -race; every attempt is counted once and every attempt
// span ends.
func TestConcurrent(t *testing.T) {
	const workers, each = 8, 25
	h := newHarness(t, otelapierr.Config{})
	client := retryhttp.NewClient(&retryhttp.Transport{Base: h.tel.Transport(firstFails{}),
		Policy: &policy.Policy{Clock: instant{}, Rand: func() float64 { return 0.5 }, Observer: h.tel.Observe}})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				ctx, call := h.tp.Tracer("test").Start(context.Background(), "call")
				req := newRequest(t).WithContext(ctx)
				roundTrip(t, client, req)
				call.End()
			}
		})
	}
	wg.Wait()
	counts, _ := h.metrics(t)
	var attempts float64
	for _, v := range counts["apierr.client.attempts"] {
		attempts += v
	}
	if want := float64(2 * workers * each); attempts != want {
		t.Errorf("%v attempts counted, want %v", attempts, want)
	}
	if got, want := len(h.sr.Ended()), 3*workers*each; got != want {
		t.Errorf("%d spans ended, want %d (two attempts and a call per request)", got, want)
	}
}

// firstFails answers each request's first attempt with the published 503
// and its later ones with a chat completion, whatever other requests do
// at the same time.
type firstFails struct{}

func (firstFails) RoundTrip(req *http.Request) (*http.Response, error) {
	status, body := 200, okJSON
	if retryhttp.AttemptNumber(req.Context()) == 1 {
		status, body = 503, overloaded503
	}
	return &http.Response{StatusCode: status, Header: jsonHdr, Body: io.NopCloser(strings.NewReader(body)), Request: req, ContentLength: int64(len(body))}, nil
}
