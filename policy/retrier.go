package policy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/redact"
	"github.com/cenkalti/backoff/v4"
)

// Retrier carries one logical request's retry state. It implements
// backoff.BackOff (and backoff.BackOffContext), so it plugs straight into
// backoff.Retry and backoff.RetryNotify:
//
//	rt := p.NewRetrier(ctx)
//	err := backoff.Retry(func() error {
//		resp, err := client.Do(req)
//		if err != nil {
//			return rt.ObserveError(err)
//		}
//		defer resp.Body.Close()
//		r, _ := classify.Response(resp)
//		return rt.Observe(r)
//	}, rt)
//
// The operation reports each attempt's outcome with Observe (or
// ObserveError, ObserveStream); the decision is made there, so a failure
// that will not be retried comes back as a *backoff.PermanentError and
// backoff.Retry returns at once. NextBackOff returns the delay that decision
// chose, or backoff.Stop.
//
// A Retrier is for one request at a time and is not safe for concurrent
// use; make a fresh one per logical request (it is cheap). Reset, which
// backoff.Retry calls first, starts it over.
//
// When ctx is canceled during a wait, backoff.Retry returns ctx's error
// without calling the Retrier again: Decision still reports the retry that
// was scheduled, the Observer is not called again, and a Budget keeps the tokens that
// retry spent (as the AWS SDKs' retry quota does).
type Retrier struct {
	p        Policy
	clock    Clock
	ctx      context.Context
	start    time.Time
	attempts int
	prev     time.Duration
	last     Decision
	decided  bool
	// waited and sent are the last Wait's limiter wait and its end, for
	// the attempt that follows it.
	waited time.Duration
	sent   time.Time
}

// NewRetrier returns a Retrier for one logical request bound to ctx: waits
// never end after ctx's deadline, and cancellation stops the retries. A nil
// ctx means context.Background(). p is copied: later changes to p do not
// affect the Retrier (the Strategies map, Budget, Limiter and Observer are
// shared).
func (p *Policy) NewRetrier(ctx context.Context) *Retrier {
	if ctx == nil {
		ctx = context.Background()
	}
	rt := &Retrier{p: *p, clock: p.clock(), ctx: ctx}
	rt.Reset()
	return rt
}

// Reset starts the request over: no attempts made, elapsed time from now.
func (rt *Retrier) Reset() {
	rt.start = rt.clock.Now()
	rt.attempts, rt.prev, rt.last, rt.decided = 0, 0, Decision{}, false
	rt.waited, rt.sent = 0, time.Time{}
}

// Wait waits as the Policy's Limiter says before an attempt of req (at
// once when it has none), within the Retrier's context, and returns the
// Limiter's error when the attempt cannot start. req is the request about
// to be sent, or nil when there is none. Call it before every attempt, as
// the retrying transport does; the time it waited is reported to the
// Observer as the next attempt's LimiterWait.
func (rt *Retrier) Wait(req *http.Request) error {
	if rt.p.Limiter == nil {
		rt.waited, rt.sent = 0, rt.clock.Now()
		return nil
	}
	begin := rt.clock.Now()
	err := rt.p.Limiter.Wait(rt.ctx, req)
	rt.sent = rt.clock.Now()
	rt.waited = rt.sent.Sub(begin)
	return err
}

// Context returns the request's context; backoff.Retry stops waiting when
// it is done.
func (rt *Retrier) Context() context.Context { return rt.ctx }

// Attempts returns the number of attempts observed since the last Reset.
func (rt *Retrier) Attempts() int { return rt.attempts }

// Decision returns the decision about the last observed attempt.
func (rt *Retrier) Decision() Decision { return rt.last }

// NextBackOff implements backoff.BackOff: the delay chosen for the last
// observed attempt, or backoff.Stop when it is not to be retried (or when
// no attempt was observed since the last call).
func (rt *Retrier) NextBackOff() time.Duration {
	if !rt.decided || !rt.last.Retry {
		return backoff.Stop
	}
	rt.decided = false
	return rt.last.Delay
}

// Observe records an attempt that produced a response, classified as r.
// It returns nil when r is OK; otherwise an error that wraps r's
// classify.Error (so errors.Is(err, classify.ErrRateLimited) works), made
// permanent with backoff.Permanent when the request is not to be retried.
func (rt *Retrier) Observe(r classify.Result) error {
	return rt.ObserveAttempt(Attempt{Result: r})
}

// ObserveStream is Observe for a streamed response: delivered reports that
// some of the stream had already reached the caller before the failure.
func (rt *Retrier) ObserveStream(r classify.Result, delivered bool) error {
	return rt.ObserveAttempt(Attempt{Result: r, Delivered: delivered})
}

// ObserveError records an attempt that ended with err instead of a
// response: a transport error (classified with classify.Transport), or an
// error carrying a classify.Result (such as Result.Err's) that is used as
// it is. ObserveError(nil) records a success.
func (rt *Retrier) ObserveError(err error) error {
	r, ok := classify.ResultOf(err)
	if !ok {
		r = classify.TransportError(err)
	}
	return rt.ObserveAttempt(Attempt{Result: r, Err: err})
}

// ObserveAttempt is the general form of Observe, for senders that have
// more to say: the request, the response, the transport error (Err, which
// the returned error wraps), Delivered and NoResend. The Retrier fills
// Number, Elapsed, Start, LimiterWait, PrevDelay, Deadline and Canceled,
// tells the Policy's Limiter, decides, spends the Budget and calls the
// Observer. The returned error is as Observe's.
func (rt *Retrier) ObserveAttempt(a Attempt) error {
	rt.attempts++
	now := rt.clock.Now()
	a.Number = rt.attempts
	a.Elapsed = now.Sub(rt.start)
	if a.Start.IsZero() {
		a.Start = rt.sent
	}
	a.LimiterWait, rt.waited, rt.sent = rt.waited, 0, time.Time{}
	a.PrevDelay = rt.prev
	a.Canceled = errors.Is(rt.ctx.Err(), context.Canceled)
	if d, ok := rt.ctx.Deadline(); ok {
		a.Deadline = d
	}
	if rt.p.Limiter != nil {
		rt.p.Limiter.Observe(a)
	}
	d := rt.p.DecideAttempt(a)
	switch {
	case d.Reason == ReasonSuccess:
		rt.p.Budget.success(rt.attempts > 1)
	case d.Retry && !rt.p.Budget.take():
		d = Decision{Reason: ReasonBudgetExhausted}
	case d.Retry:
		rt.prev = d.Delay
	}
	rt.last, rt.decided = d, true
	if rt.p.Observer != nil {
		rt.p.Observer(rt.ctx, a, d)
	}
	if d.Reason == ReasonSuccess {
		return nil
	}
	cause := a.Err
	// One allocation: the classified failure lives inside the error.
	err := &AttemptError{Decision: d, Attempts: rt.attempts, Err: cause}
	wrap := cause == nil
	if !wrap {
		_, classified := classify.ResultOf(cause)
		wrap = !classified
	}
	if wrap {
		err.failure = classify.Error{Result: a.Result, Err: cause}
		err.Err = &err.failure
	}
	if !d.Retry {
		return backoff.Permanent(err)
	}
	return err
}

// AttemptError is the error a Retrier's Observe methods return for a
// failed attempt: the decision, the attempt count, and the classified
// failure, which it wraps.
type AttemptError struct {
	// Decision is the decision about the attempt.
	Decision Decision
	// Attempts is the number of attempts made so far.
	Attempts int
	// Err is the failure: a *classify.Error, possibly wrapping the
	// transport error.
	Err error

	failure classify.Error // storage for Err, saving an allocation
}

// Error renders the decision and the failure, for example "policy: gave
// up after 3 attempts (max_attempts): apierr: ...", with API keys and
// bearer tokens redacted, including any that an error wrapping the
// failure added to its text.
func (e *AttemptError) Error() string {
	if e.Decision.Retry {
		return redact.String(fmt.Sprintf("policy: attempt %d failed, retrying in %v: %v", e.Attempts, e.Decision.Delay, e.Err))
	}
	plural := "s"
	if e.Attempts == 1 {
		plural = ""
	}
	return redact.String(fmt.Sprintf("policy: gave up after %d attempt%s (%s): %v", e.Attempts, plural, e.Decision.Reason, e.Err))
}

// Unwrap returns the failure, so errors.Is and classify.ResultOf see it.
func (e *AttemptError) Unwrap() error { return e.Err }
