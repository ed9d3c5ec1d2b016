// Package retryhttp is an http.RoundTripper decorator that retries requests
// to AI inference APIs as package policy decides, from what package classify
// finds in each response. It never opens a connection itself: it wraps the
// caller's transport (Transport.Base).
//
// # Streams
//
// It does not delay a successful stream. A 2xx response that is not a
// stream is not read at all. A 2xx stream is read only up to the end of
// its first token, at most PeekBytes (4 KiB), so that an error sent before
// any token is seen and retried; the caller then gets a body that replays
// exactly the bytes read and reads the rest straight from the connection,
// unbuffered. The streams peeked, by Content-Type:
//
//   - text/event-stream (server-sent events): a token is an event with a
//     data line; comments (": OPENROUTER PROCESSING") and events without
//     data are read past;
//   - application/x-ndjson, application/jsonl and their aliases (Ollama's
//     streams): a token is a non-blank line;
//   - application/vnd.amazon.eventstream (Bedrock's streaming APIs): a
//     token is a message; an exception message before any other is
//     classified and retried.
//
// A stream with Content-Encoding: gzip, which reaches the transport only
// when the caller decompresses it itself (http.Transport's
// DisableCompression with its own Accept-Encoding), is peeked through a
// decompressor, and the caller still gets the exact compressed bytes. A
// stream in another encoding is passed through unpeeked, as a success.
//
// An error that arrives after the first token reaches the caller as part
// of the stream and is not retried (the tokens before it were delivered).
// A non-2xx response is classified with a bounded read
// (classify.Classifier.Response), and its body stays readable from the
// start.
//
// # Time limits
//
// Three optional limits, each named for what it bounds, all off by
// default and all on the real time (not Policy.Clock):
//
//	field              bounds                                        when it runs out
//	HeaderTimeout      from the attempt's start to its response      the attempt fails as a timeout
//	                   headers                                       and is retried
//	FirstTokenTimeout  from the attempt's start to the first token   the attempt fails as a timeout
//	                   of a 2xx stream (any other response: until    and is retried
//	                   it is classified)
//	IdleTimeout        each wait for more of the body once its       before the first token: as above;
//	                   first bytes came (keep-alives are bytes)      after it, the body's Read returns a
//	                                                                 *TimeoutError naming the tokens read
//
// A server that queues a stream sends its headers and keep-alive comments
// early: they satisfy HeaderTimeout and IdleTimeout, but they are not a
// first token, so FirstTokenTimeout keeps running. A stream that stalls
// after its first token is not retried: its tokens were delivered; the
// caller decides.
//
// # Retries
//
// Before a retry, the failed response's body is read only as far as it
// already arrived (at most 8 KiB, for at most 20 ms), so that its
// connection can be reused, then closed: a server that sends an error
// event and keeps the stream open does not hold the retry.
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
// it (decompressed, for a gzip stream): the end of the first token, or
// this many bytes, whichever comes first.
const PeekBytes = peek.Bytes

// A failed response's body is read before a retry only as far as it
// already arrived: at most drainBytes, for at most drainTime, so that its
// connection can be reused without waiting on the server.
const (
	drainBytes = 8 << 10
	drainTime  = 20 * time.Millisecond
)

// Transport is an http.RoundTripper that retries. Its zero value is usable:
// it wraps http.DefaultTransport with the zero policy.Policy's defaults and
// no time limits. A Transport is safe for concurrent use as long as its
// fields are not changed while it is in use.
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
	// HeaderTimeout, when positive, bounds each attempt from its start
	// until its response headers arrive (a time-to-first-byte limit: a
	// streaming server sends its headers with its first bytes, keep-alive
	// comments included). An attempt that runs out fails with a
	// *TimeoutError, a timeout, which the policy retries.
	HeaderTimeout time.Duration
	// FirstTokenTimeout, when positive, bounds each attempt from its start
	// until the first token of a 2xx stream was read (a time-to-first-token
	// limit: keep-alive comments do not stop it), or, for any other
	// response, until it was classified. An attempt that runs out fails
	// with a *TimeoutError, which the policy retries.
	FirstTokenTimeout time.Duration
	// IdleTimeout, when positive, bounds each wait for more of a
	// response's body once its first bytes came (a stalled stream;
	// keep-alive comments are bytes). Before the attempt's outcome is
	// known (the first token of a stream), a stall fails the attempt with
	// a *TimeoutError, which the policy retries; after it, the returned
	// body's Read ends with a *TimeoutError (a timeout for
	// classify.Transport) that says how many tokens the caller had read,
	// and nothing is retried: tokens may have been delivered. The time the
	// caller spends between Reads does not count.
	IdleTimeout time.Duration
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

// Limit names one of the Transport's time limits.
type Limit string

// The limits, as TimeoutError.Limit names them.
const (
	LimitHeader     Limit = "header"      // Transport.HeaderTimeout
	LimitFirstToken Limit = "first_token" // Transport.FirstTokenTimeout
	LimitIdle       Limit = "idle"        // Transport.IdleTimeout
)

// TimeoutError is the error of an attempt, or of a returned body's Read,
// that ran out of one of the Transport's time limits. It is a timeout:
// errors.Is(err, context.DeadlineExceeded) holds, Timeout reports true,
// and classify.Transport classifies it as catalog.Timeout.
type TimeoutError struct {
	// Limit is the limit that ran out, and After its value.
	Limit Limit
	After time.Duration
	// Attempt is the attempt's number (1 for the first try).
	Attempt int
	// Tokens is, for LimitIdle, how many tokens of the stream (events with
	// data, NDJSON lines, event stream messages) the caller had read, or
	// -1 when they are not counted (a compressed stream, or a response
	// that is not a stream); Bytes is how many bytes it had read, as they
	// came over the wire.
	Tokens int
	Bytes  int64
}

// Error says which limit ran out and, for a stalled stream, what had been
// delivered.
func (e *TimeoutError) Error() string {
	switch {
	case e.Limit != LimitIdle:
		return fmt.Sprintf("retryhttp: attempt %d: %s timeout: nothing within %v", e.Attempt, e.Limit, e.After)
	case e.Tokens < 0:
		return fmt.Sprintf("retryhttp: attempt %d: stream stalled: no data for %v after %d bytes delivered (tokens not counted)", e.Attempt, e.After, e.Bytes)
	}
	plural := "s"
	if e.Tokens == 1 {
		plural = ""
	}
	return fmt.Sprintf("retryhttp: attempt %d: stream stalled: no data for %v after %d token%s (%d bytes) delivered", e.Attempt, e.After, e.Tokens, plural, e.Bytes)
}

// Timeout reports true, as a net.Error's does for a timeout.
func (e *TimeoutError) Timeout() bool { return true }

// Unwrap returns context.DeadlineExceeded.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// limitCause is the cause given to an attempt's context when a limit runs
// out.
type limitCause struct{ limit Limit }

func (c *limitCause) Error() string { return "retryhttp: " + string(c.limit) + " timeout" }

// errDrained is the cause given to a failed attempt's context when its
// drain ran out of time.
var errDrained = errors.New("retryhttp: failed response drained")

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
// (err == nil), resp with its body readable from the start, wrapped in a
// *body that holds the attempt's context until it is closed.
func (t *Transport) attempt(req *http.Request, n int) (*http.Request, *http.Response, classify.Result, error) {
	ctx, cancel := context.WithCancelCause(&attemptCtx{Context: req.Context(), n: n})
	headerLimit := limitTimer(t.HeaderTimeout, LimitHeader, cancel)
	tokenLimit := limitTimer(t.FirstTokenTimeout, LimitFirstToken, cancel)
	stop := func() {
		headerLimit.stop()
		tokenLimit.stop()
	}
	areq := req.Clone(ctx)
	fail := func(err error) (*http.Request, *http.Response, classify.Result, error) {
		stop()
		var te *TimeoutError
		var lc *limitCause
		if !errors.As(err, &te) && errors.As(context.Cause(ctx), &lc) {
			err = &TimeoutError{Limit: lc.limit, After: t.limit(lc.limit), Attempt: n}
		}
		cancel(nil)
		r, ok := classify.ResultOf(err)
		if !ok {
			r = classify.TransportError(err)
		}
		return areq, nil, r, err
	}
	if n > 1 && req.Body != nil && req.Body != http.NoBody {
		b, err := req.GetBody()
		if err != nil {
			return fail(fmt.Errorf("retryhttp: rewinding the request body: %w", err))
		}
		areq.Body = b
	}
	resp, err := t.base().RoundTrip(areq)
	if err != nil {
		return fail(err)
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	if headerLimit.expired() {
		resp.Body.Close()
		return fail(context.Cause(ctx))
	}
	if resp.Request == nil {
		resp.Request = areq
	}
	c := t.Classifier
	if c == nil {
		c = &classify.Classifier{}
	}
	b := &body{conn: resp.Body, cancel: cancel, idle: t.IdleTimeout, attempt: n}
	b.r = waitReader{b}
	var r classify.Result
	kind := peek.None
	failed := resp.StatusCode < 200 || resp.StatusCode > 299
	if !failed {
		kind = peek.KindOf(resp.Header)
	}
	if b.idle > 0 {
		// Tokens are counted only for the idle limit's error.
		if kind != peek.None && !peek.Compressed(resp.Header) {
			b.count, b.counted = peek.NewCounter(kind), true
		}
		b.timer = time.AfterFunc(b.idle, func() {
			b.stalled.Store(true)
			cancel(&limitCause{LimitIdle})
		})
		b.timer.Stop()
	}
	if failed || kind != peek.None {
		// Classifying reads through the idle limit and leaves a body
		// that replays what it read: b reads that.
		resp.Body = readCloser{b.r, b.conn}
	}
	switch {
	case failed:
		var rerr error
		r, rerr = c.Response(resp)
		if rerr != nil && r.Status == 0 {
			b.Close()
			return fail(rerr)
		}
	case kind != peek.None:
		first, err := peek.Stream(resp)
		if err != nil {
			b.Close()
			return fail(err)
		}
		r = c.Classify(resp.StatusCode, resp.Header, first)
	default:
		r = classify.Result{OK: true, Status: resp.StatusCode, Rule: classify.RuleNoError}
	}
	if tokenLimit.expired() {
		b.Close()
		return fail(context.Cause(ctx))
	}
	stop()
	b.r = resp.Body
	if !failed && kind == peek.None {
		b.r = waitReader{b}
	}
	resp.Body = b
	return areq, resp, r, nil
}

func (t *Transport) limit(l Limit) time.Duration {
	switch l {
	case LimitHeader:
		return t.HeaderTimeout
	case LimitFirstToken:
		return t.FirstTokenTimeout
	}
	return t.IdleTimeout
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// deadline is one time limit of an attempt: a timer that cancels the
// attempt's context with the limit as its cause. A nil deadline is no
// limit.
type deadline struct {
	timer *time.Timer
	fired atomic.Bool
}

func limitTimer(d time.Duration, l Limit, cancel context.CancelCauseFunc) *deadline {
	if d <= 0 {
		return nil
	}
	dl := &deadline{}
	dl.timer = time.AfterFunc(d, func() {
		dl.fired.Store(true)
		cancel(&limitCause{l})
	})
	return dl
}

// expired stops the timer and reports whether it had run out.
func (d *deadline) expired() bool {
	if d == nil {
		return false
	}
	return !d.timer.Stop() && d.fired.Load()
}

func (d *deadline) stop() {
	if d != nil {
		d.timer.Stop()
	}
}

// discard reads what a body that will not be returned already has, so that
// its connection can be reused, and closes it. It never waits on the
// server: a read still blocked after drainTime is ended by canceling the
// attempt.
func discard(rc io.ReadCloser) {
	b, ok := rc.(*body)
	if !ok {
		if rc != nil {
			rc.Close()
		}
		return
	}
	t := time.AfterFunc(drainTime, func() { b.cancel(errDrained) })
	// A buffer of its own rather than io.Discard's pooled one: the same
	// allocations every time (a pool may be empty, and under the race
	// detector drops what it is given at random).
	buf := make([]byte, 2048)
	for n := 0; n < drainBytes; {
		k, err := b.r.Read(buf[:min(len(buf), drainBytes-n)])
		n += k
		if err != nil || k == 0 {
			break
		}
	}
	t.Stop()
	b.Close()
}

// body is the body of a response the Transport returns: it reads what
// classifying the response read, replayed, then the connection, bounds
// each wait for more bytes after the first by the idle limit, counts the
// tokens read, and releases the attempt's context when closed.
type body struct {
	conn    io.ReadCloser // the Base's body
	r       io.Reader     // what Read reads
	cancel  context.CancelCauseFunc
	idle    time.Duration
	timer   *time.Timer // nil without an idle limit
	stalled atomic.Bool
	attempt int

	// wait's own state.
	count   peek.Counter
	counted bool // count is used: a stream that is not compressed
	bytes   int64
	err     error
}

func (b *body) Read(p []byte) (int, error) { return b.r.Read(p) }

// wait reads the connection; once some bytes came, a read that waits
// longer than the idle limit ends with a *TimeoutError.
func (b *body) wait(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	armed := b.timer != nil && b.bytes > 0
	if armed {
		b.timer.Reset(b.idle)
	}
	n, err := b.conn.Read(p)
	if armed {
		b.timer.Stop()
	}
	b.bytes += int64(n)
	if b.counted {
		b.count.Add(p[:n])
	}
	if b.stalled.Load() {
		tokens := -1
		if b.counted {
			tokens = b.count.Tokens()
		}
		b.err = &TimeoutError{Limit: LimitIdle, After: b.idle, Attempt: b.attempt, Tokens: tokens, Bytes: b.bytes}
		return n, b.err
	}
	return n, err
}

// waitReader reads a body's connection through its wait method.
type waitReader struct{ b *body }

func (w waitReader) Read(p []byte) (int, error) { return w.b.wait(p) }

type readCloser struct {
	io.Reader
	io.Closer
}

// Close closes the body and releases the attempt's context.
func (b *body) Close() error {
	if b.timer != nil {
		b.timer.Stop()
	}
	err := b.conn.Close()
	b.cancel(nil)
	return err
}
