// Package retryhttp is an http.RoundTripper decorator that retries requests
// to AI inference APIs as package policy decides, from what package classify
// finds in each response. It never opens a connection itself: it wraps the
// caller's transport (Transport.Base).
//
// It does not delay a successful stream. A 2xx response that is not a
// stream is not read at all. A 2xx text/event-stream response is read only
// up to the end of its first event that carries data (at most PeekBytes,
// 4 KiB), so that an error event sent before any token is seen and retried;
// the caller then gets a body that replays those bytes and reads the rest
// straight from the connection, unbuffered. An error event that arrives
// after the first data event reaches the caller as part of the stream and
// is not retried (the tokens before it were delivered). A non-2xx response
// is classified with a bounded read (classify.Classifier.Response), and its
// body stays readable from the start.
//
// Requests are resent only when their body can be rewound: a request with
// no body, or with GetBody set (http.NewRequest sets it for bytes.Reader,
// bytes.Buffer and strings.Reader bodies). A request whose body cannot be
// rewound is sent once and its response returned as it is; this is checked
// before any retry is decided, so nothing is drained or waited for in vain.
// Any method is resent, POST included, when the policy says the failure is
// retryable: an inference API's POST creates nothing that a second POST
// would duplicate, and a connection reset or refused before a response
// means the request most likely never completed; the worst case is paying
// for a completion that was never delivered. Callers that must not resend
// a POST can set Policy.Strategies' network MaxAttempts to 1.
package retryhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/peek"
	"github.com/apierr/apierr/policy"
)

// PeekBytes bounds how much of a 2xx stream is read before the caller gets
// it: the end of the first data event, or this many bytes, whichever comes
// first.
const PeekBytes = peek.Bytes

// drainBytes bounds how much of a failed response's body is read, before a
// retry, so that its connection can be reused.
const drainBytes = 64 << 10

// Transport is an http.RoundTripper that retries. Its zero value is usable:
// it wraps http.DefaultTransport with the zero policy.Policy's defaults. A
// Transport is safe for concurrent use as long as its fields are not
// changed while it is in use.
type Transport struct {
	// Base sends each attempt. Nil means http.DefaultTransport.
	Base http.RoundTripper
	// Policy decides retries and waits, and carries what is shared with
	// every other entry point of the library: the Budget, the Clock (the
	// waits before retries are slept on it), the Limiter (waited on before
	// every attempt and told every attempt's outcome) and the Observer
	// (called after every attempt with the request's context, the
	// attempt's request and response or error, its Result and the
	// Decision). Nil means the zero Policy: the documented defaults.
	Policy *policy.Policy
	// Classifier classifies responses. Nil means the zero Classifier.
	Classifier *classify.Classifier
	// AttemptTimeout, when positive, bounds each attempt until its response
	// headers arrived and, for a 2xx stream, its first event was read (so
	// it is also a time-to-first-byte limit); it does not bound reading the
	// rest of the body. An attempt that runs out fails as a timeout, which
	// the policy retries.
	AttemptTimeout time.Duration
	// ReturnErrors, when set, returns a failure the policy will not retry
	// as an error instead of the response: a *policy.AttemptError that wraps the
	// *classify.Error, so errors.Is(err, classify.ErrRateLimited) and the
	// like work. The response body is then closed. By default the last
	// response is returned with its body readable and a nil error, as
	// http.Client users expect.
	ReturnErrors bool
}

// NewClient returns an http.Client that sends through t; a nil t means the
// zero Transport (http.DefaultTransport, default policy).
func NewClient(t *Transport) *http.Client {
	if t == nil {
		t = &Transport{}
	}
	return &http.Client{Transport: t}
}

type attemptKey struct{}

// attemptCtx is the context of one attempt's request: the caller's context
// with the attempt's number and the values stored with SetAttemptValue.
type attemptCtx struct {
	context.Context
	n    int
	mu   sync.Mutex
	vals []attemptVal
}

type attemptVal struct{ key, val any }

func (c *attemptCtx) Value(key any) any {
	if key == (attemptKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// attemptOf returns the attempt whose context is ctx or one of its
// ancestors, or nil.
func attemptOf(ctx context.Context) *attemptCtx {
	if ctx == nil {
		return nil
	}
	c, _ := ctx.Value(attemptKey{}).(*attemptCtx)
	return c
}

// AttemptNumber returns the attempt number (1 for the first try) of the
// request whose context is ctx, or 0 when ctx is not an attempt's context.
// The Transport sends every attempt with such a context, so a Base
// transport that records telemetry can set OpenTelemetry's
// http.request.resend_count to AttemptNumber(req.Context())-1.
func AttemptNumber(ctx context.Context) int {
	if c := attemptOf(ctx); c != nil {
		return c.n
	}
	return 0
}

// SetAttemptValue stores val under key in the attempt whose request context
// is ctx, or an ancestor of ctx (the context a Base transport, or a
// transport under it, sees), replacing any value stored under the same
// key, and reports whether ctx belongs to an attempt. Whoever holds the
// attempt's request, such as the Policy's Observer (policy.Attempt.Request),
// reads it back with AttemptValue. It is how a transport under the
// Transport hands something of one attempt, such as its telemetry span, to
// the Observer. key must be comparable; use an unexported type, as for
// context keys. It is safe for concurrent use.
func SetAttemptValue(ctx context.Context, key, val any) bool {
	c := attemptOf(ctx)
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.vals {
		if c.vals[i].key == key {
			c.vals[i].val = val
			return true
		}
	}
	c.vals = append(c.vals, attemptVal{key, val})
	return true
}

// AttemptValue returns the value stored under key with SetAttemptValue in
// the attempt whose request context is ctx or an ancestor of ctx, or nil.
func AttemptValue(ctx context.Context, key any) any {
	c := attemptOf(ctx)
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.vals {
		if v.key == key {
			return v.val
		}
	}
	return nil
}

// Attempts returns how many attempts produced resp: AttemptNumber of the context
// of resp.Request, the request of the attempt that was returned. It is 0
// for a response that did not come through a Transport.
func Attempts(resp *http.Response) int {
	if resp == nil || resp.Request == nil {
		return 0
	}
	return AttemptNumber(resp.Request.Context())
}

// errAttemptTimeout is the cause given to an attempt's context when
// AttemptTimeout runs out.
var errAttemptTimeout = errors.New("retryhttp: attempt timeout")

// RoundTrip sends req, retrying as the policy decides. See the package
// documentation for what is read and what is returned.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	p := t.Policy
	if p == nil {
		p = &policy.Policy{}
	}
	ctx := req.Context()
	clock := p.Clock
	if clock == nil {
		clock = policy.SystemClock{}
	}
	rewindable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	rt := p.NewRetrier(ctx)
	for n := 1; ; n++ {
		if err := rt.Wait(req); err != nil {
			return nil, fmt.Errorf("retryhttp: limiter before attempt %d: %w", n, err)
		}
		areq, resp, r, err := t.attempt(req, n)
		derr := rt.ObserveAttempt(policy.Attempt{Request: areq, Response: resp, Err: err, Result: r, NoResend: !rewindable})
		if !rewindable {
			// Sent once: nothing can be retried.
			return t.final(resp, r, err, nil)
		}
		d := rt.Decision()
		if !d.Retry {
			return t.final(resp, r, err, derr)
		}
		if resp != nil {
			discard(resp.Body)
		}
		if err := clock.Sleep(ctx, d.Delay); err != nil {
			return nil, fmt.Errorf("retryhttp: waiting %v before attempt %d: %w", d.Delay, n+1, err)
		}
	}
}

// final returns what the caller gets when no retry follows.
func (t *Transport) final(resp *http.Response, r classify.Result, err, derr error) (*http.Response, error) {
	if err != nil {
		if derr != nil {
			return nil, derr
		}
		return nil, classify.Wrap(err)
	}
	if t.ReturnErrors && !r.OK {
		discard(resp.Body)
		if derr == nil {
			derr = &classify.Error{Result: r}
		}
		return nil, derr
	}
	return resp, nil
}

// attempt sends attempt n of req and classifies its outcome. It returns
// the request it sent (req with the attempt's context), and, on success
// (err == nil), resp with its body readable from the start.
func (t *Transport) attempt(req *http.Request, n int) (*http.Request, *http.Response, classify.Result, error) {
	var ctx context.Context = &attemptCtx{Context: req.Context(), n: n}
	var timedOut atomic.Bool
	var stop func() bool
	cancel := context.CancelFunc(func() {})
	if t.AttemptTimeout > 0 {
		var cancelCause context.CancelCauseFunc
		ctx, cancelCause = context.WithCancelCause(ctx)
		cancel = func() { cancelCause(nil) }
		timer := time.AfterFunc(t.AttemptTimeout, func() {
			timedOut.Store(true)
			cancelCause(errAttemptTimeout)
		})
		stop = timer.Stop
	}
	areq := req.Clone(ctx)
	if n > 1 && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			cancel()
			err = fmt.Errorf("retryhttp: rewinding the request body: %w", err)
			return areq, nil, classify.TransportError(err), err
		}
		areq.Body = body
	}
	fail := func(err error) (*http.Request, *http.Response, classify.Result, error) {
		cancel()
		if timedOut.Load() {
			err = fmt.Errorf("retryhttp: attempt %d: no response within %v: %w (%w)", n, t.AttemptTimeout, context.DeadlineExceeded, err)
		}
		r, ok := classify.ResultOf(err)
		if !ok {
			r = classify.TransportError(err)
		}
		return areq, nil, r, err
	}
	resp, err := t.base().RoundTrip(areq)
	if err != nil {
		return fail(err)
	}
	if resp.Request == nil {
		resp.Request = areq
	}
	c := t.Classifier
	if c == nil {
		c = &classify.Classifier{}
	}
	var r classify.Result
	switch {
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		var rerr error
		r, rerr = c.Response(resp)
		if rerr != nil && r.Status == 0 {
			resp.Body.Close()
			return fail(rerr)
		}
	case peek.IsEventStream(resp.Header):
		first, err := peek.Stream(resp)
		if err != nil {
			resp.Body.Close()
			return fail(err)
		}
		r = c.Classify(resp.StatusCode, resp.Header, first)
	default:
		r = classify.Result{OK: true, Status: resp.StatusCode, Rule: classify.RuleNoError}
	}
	if stop != nil {
		if !stop() && timedOut.Load() {
			resp.Body.Close()
			return fail(context.Cause(ctx))
		}
		// The per-attempt context lives as long as the body.
		resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	}
	return areq, resp, r, nil
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// discard reads a little of a body that will not be returned, so that its
// connection can be reused, and closes it.
func discard(b io.ReadCloser) {
	if b == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, b, drainBytes)
	b.Close()
}

// cancelBody releases an attempt's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
