package pace

import (
	"net/http"

	"github.com/apierr/apierr/classify"
)

// HTTP adapts a Limiter keyed by strings to the hook of a retrying HTTP
// transport (retryhttp.Transport.Limiter): Wait before every attempt,
// Observe after it with the response whose headers carry the rate-limit
// state. The zero Key and Cost key attempts by the request's host and give
// them no token cost. HTTP is safe for concurrent use when its Limiter is.
//
//	lim := &pace.Limiter[string]{}
//	client := retryhttp.NewClient(&retryhttp.Transport{Limiter: pace.HTTP{Limiter: lim}})
type HTTP struct {
	// Limiter is the shared limiter. It must not be nil.
	Limiter *Limiter[string]
	// Key returns the key of a request, for example its host and the
	// model it asks for. Nil means the request's host.
	Key func(*http.Request) string
	// Cost returns a request's estimated token cost, or 0. Nil means 0.
	Cost func(*http.Request) int64
}

// Wait waits until the request's key may send an attempt.
func (h HTTP) Wait(req *http.Request) error {
	var cost int64
	if h.Cost != nil {
		cost = h.Cost(req)
	}
	return h.Limiter.Wait(req.Context(), h.key(req), cost)
}

// Observe records the attempt's classification and, when there is a
// response, the rate-limit state of its headers.
func (h HTTP) Observe(req *http.Request, resp *http.Response, r classify.Result) {
	var rl classify.RateLimits
	if resp != nil {
		rl = classify.ReadRateLimits(resp.Header, h.Limiter.now())
	}
	h.Limiter.Observe(h.key(req), r, rl)
}

func (h HTTP) key(req *http.Request) string {
	if h.Key != nil {
		return h.Key(req)
	}
	return req.URL.Host
}
