package policy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/peek"
)

// CheckRetry has the signature of go-retryablehttp's CheckRetry hook
// (retryablehttp.CheckRetry), so that
//
//	client.CheckRetry = p.CheckRetry
//	client.Backoff = p.Backoff
//
// makes a retryablehttp.Client decide with p, with no dependency on it here.
// It reports whether to retry after a response or a transport error:
//
//   - ctx done: false with ctx's error, as retryablehttp's own policy does;
//   - a response or an error that p would not retry (not retryable, the
//     server's x-should-retry: false, a server delay above the cap, a wait
//     past ctx's deadline, a Budget with less than a retry's tokens left):
//     false and a nil error, so the client returns the response (or the
//     transport error) to the caller;
//   - otherwise true.
//
// The attempt count is retryablehttp's (its RetryMax), not the strategy's
// MaxAttempts: the hook does not know which attempt it is judging. The
// response body stays readable and a success is not held back: a 2xx that
// is not a stream is not read at all; a 2xx stream (server-sent events,
// NDJSON or an AWS event stream, gzip-compressed or not: see package
// retryhttp) is read only up to its first token (at most 4 KiB), so that
// an error sent before any token is retried; any other status is classified with
// classify.Response (a bounded read). The result is remembered on the
// response for Backoff.
//
// With a Budget, CheckRetry only checks that a retry's tokens are there;
// Backoff, which retryablehttp calls only for a retry it will make, spends
// them. A success returns Refill, since the hook cannot tell a first try
// from a retry that paid off (a Retrier returns RetryCost for the latter).
func (p *Policy) CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if cerr := ctx.Err(); cerr != nil {
		return false, cerr
	}
	r, ok := p.hookResult(resp, err)
	if !ok {
		return false, nil
	}
	a := Attempt{Number: 1, Result: r}
	if d, ok := ctx.Deadline(); ok {
		a.Deadline = d
	}
	d := p.DecideAttempt(a)
	switch {
	case d.Reason == ReasonSuccess:
		p.Budget.success(false)
		return false, nil
	case !d.Retry:
		return false, nil
	}
	return p.Budget.allows(), nil
}

// Backoff has the signature of go-retryablehttp's Backoff hook
// (retryablehttp.Backoff). It returns the wait before the retry that follows
// attempt attemptNum+1 (retryablehttp counts from 0): the category's
// schedule and the server's delay, as Decide computes them. minWait and
// maxWait are retryablehttp's RetryWaitMin and RetryWaitMax; the strategy's
// own bounds apply instead, except that a positive maxWait caps the schedule
// (never a server's delay: a retry never comes before the server allows).
// A server delay above Policy.MaxServerDelay, which CheckRetry refuses,
// gives MaxServerDelay. A nil resp is what retryablehttp passes after a
// transport error: the network category's schedule applies. With a
// Budget, Backoff spends one retry's tokens (see CheckRetry).
func (p *Policy) Backoff(minWait, maxWait time.Duration, attemptNum int, resp *http.Response) time.Duration {
	p.Budget.spend()
	r, ok := p.hookResult(resp, nil)
	if !ok {
		r = classify.Result{Category: catalog.Network, Retryable: true}
	}
	s := p.Strategy(r.Category)
	s.MaxElapsed = -1
	if maxWait > 0 && maxWait < s.MaxInterval {
		s.MaxInterval = maxWait
	}
	d := p.wait(&s, &Attempt{Number: attemptNum + 1, Result: r})
	if d.Reason == ReasonServerDelayTooLong {
		// CheckRetry has refused this one; a client that retries anyway
		// waits the cap, never an unbounded delay.
		return p.maxServerDelay()
	}
	return d.Delay
}

// hookResult classifies what a retryablehttp hook was given, remembering
// the result on the response so that Backoff, called after retryablehttp
// has drained the body, sees the same one.
func (p *Policy) hookResult(resp *http.Response, err error) (classify.Result, bool) {
	if err != nil {
		if r, ok := classify.ResultOf(err); ok {
			return r, true
		}
		return classify.TransportError(err), true
	}
	if resp == nil {
		return classify.Result{}, false
	}
	if b, ok := resp.Body.(*classifiedBody); ok {
		return b.result, true
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		// A success is not read (reading would hold a stream back), except
		// the first token of a stream, where an error can arrive.
		if !peek.IsStream(resp.Header) {
			return classify.Result{OK: true, Status: resp.StatusCode, Rule: classify.RuleNoError}, true
		}
		first, err := peek.Stream(resp)
		r := classify.Classify(resp.StatusCode, resp.Header, first)
		if err != nil {
			r = classify.TransportError(err)
		}
		resp.Body = &classifiedBody{ReadCloser: resp.Body, result: r}
		return r, true
	}
	r, rerr := classify.Response(resp)
	if rerr != nil && !errors.Is(rerr, io.EOF) && r.Status == 0 {
		return classify.TransportError(rerr), true
	}
	if resp.Body != nil && resp.Body != http.NoBody {
		resp.Body = &classifiedBody{ReadCloser: resp.Body, result: r}
	}
	return r, true
}

// classifiedBody is a response body that remembers the response's
// classification; reading and closing it behave as before.
type classifiedBody struct {
	io.ReadCloser
	result classify.Result
}
