package pace

import (
	"context"
	"net/http"

	"github.com/apierr/apierr/policy"
)

// ByRequest adapts a Limiter keyed by strings to policy.Limiter, keying
// each attempt by its request: set it as a Policy's Limiter, and the
// retrying transport (package retryhttp) and a Retrier both wait on it
// before every attempt and tell it every attempt's outcome, whose
// response headers carry the rate-limit state. The zero Key and Cost key
// attempts by the request's host and give them no token cost; an attempt
// with no request (a Retrier driven by backoff.Retry) has the key Key(nil),
// "" by default. ByRequest is safe for concurrent use when its Limiter is.
//
//	lim := &pace.Limiter[string]{}
//	p := &policy.Policy{Limiter: pace.ByRequest{Limiter: lim}}
//	client := retryhttp.NewClient(&retryhttp.Transport{Policy: p})
type ByRequest struct {
	// Limiter is the shared limiter. It must not be nil.
	Limiter *Limiter[string]
	// Key returns the key of a request, for example its host and the
	// model it asks for; req may be nil. Nil means the request's host.
	Key func(req *http.Request) string
	// Cost returns a request's estimated token cost, or 0; req may be nil.
	// Nil means 0.
	Cost func(req *http.Request) int64
}

// Wait waits until the request's key may send an attempt.
func (b ByRequest) Wait(ctx context.Context, req *http.Request) error {
	var cost int64
	if b.Cost != nil {
		cost = b.Cost(req)
	}
	return b.Limiter.Wait(ctx, b.key(req), cost)
}

// Observe records the attempt's classification and, when there is a
// response, the rate-limit state of its headers.
func (b ByRequest) Observe(a policy.Attempt) {
	b.Limiter.ObserveSent(b.key(a.Request), a.Result, b.Limiter.rateLimits(a), a.Start)
}

func (b ByRequest) key(req *http.Request) string {
	if b.Key != nil {
		return b.Key(req)
	}
	if req == nil || req.URL == nil {
		return ""
	}
	return req.URL.Host
}
