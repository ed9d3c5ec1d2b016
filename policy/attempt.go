package policy

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/redact"
)

// Attempt is one attempt of a logical request: what was sent, what came
// back, how it was classified, and what is known about the request it
// belongs to. It is the input of a decision (Policy.DecideAttempt), what a
// Retrier hands to the Limiter and the Observer, and, apart from Request,
// Response and Err, a plain value.
//
// The Retrier fills Number, Elapsed, Start, LimiterWait, PrevDelay,
// Deadline and Canceled; the sender fills the rest.
type Attempt struct {
	// Number counts the attempts made so far, this one included: 1 for the
	// first try, 2 for the first retry. Number-1 is OpenTelemetry's
	// http.request.resend_count.
	Number int
	// Elapsed is the time from the start of the first attempt to the end
	// of this one.
	Elapsed time.Duration
	// Start is when this attempt was sent (after any limiter wait), on the
	// Policy's Clock: the end of the Retrier's Wait before it (the retrying
	// transport always calls it); the zero Time when the sender called no
	// Wait and set none itself.
	Start time.Time

	// Request is the request this attempt sent, with the attempt's own
	// context; nil when the sender is not an HTTP transport (a Retrier
	// driven by backoff.Retry). Read it; do not change it.
	Request *http.Request
	// Response is the response the attempt received, nil after a
	// transport error. Its headers carry the rate-limit state. Its body
	// belongs to the sender: do not read or close it.
	Response *http.Response
	// Err is the transport error the attempt ended with, nil when a
	// response came.
	Err error
	// Result is the classification of the attempt's outcome.
	Result classify.Result

	// Delivered reports that this attempt had already delivered data to
	// the caller, for example stream chunks before the error event.
	Delivered bool
	// NoResend reports that the request cannot be sent again (its body
	// cannot be rewound): a failure then stops with ReasonNoResend.
	NoResend bool
	// LimiterWait is how long the Policy's Limiter held this attempt
	// before it was sent (0 without a Limiter).
	LimiterWait time.Duration
	// PrevDelay is the delay waited before this attempt (0 for the first),
	// used by JitterDecorrelated.
	PrevDelay time.Duration
	// Deadline is the caller's deadline, or the zero Time for none.
	Deadline time.Time
	// Canceled reports that the caller canceled the request.
	Canceled bool
}

// Keys of Attempt.LogValue and Decision.LogValue, stable like the
// classify.Key* constants.
const (
	KeyAttempt     = "attempt"
	KeyElapsed     = "elapsed"
	KeyMethod      = "method"
	KeyURL         = "url"
	KeyError       = "error"
	KeyResult      = "result"
	KeyDelivered   = "delivered"
	KeyLimiterWait = "limiter_wait"
	KeyRetry       = "retry"
	KeyDelay       = "delay"
	KeyDelaySource = "delay_source"
	KeyReason      = "reason"
)

// LogValue renders the attempt for log/slog as a group: its number, the
// elapsed time, the request's method and URL, the transport error and the
// Result (as classify.Result.LogValue renders it), with API keys, tokens
// and credentials in URLs and texts redacted. Zero fields are left out.
func (a Attempt) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs, slog.Int(KeyAttempt, a.Number))
	if a.Elapsed != 0 {
		attrs = append(attrs, slog.Duration(KeyElapsed, a.Elapsed))
	}
	if a.Request != nil {
		attrs = append(attrs, slog.String(KeyMethod, a.Request.Method))
		if a.Request.URL != nil {
			attrs = append(attrs, slog.String(KeyURL, redact.String(a.Request.URL.Redacted())))
		}
	}
	if a.Err != nil {
		attrs = append(attrs, slog.String(KeyError, redact.String(a.Err.Error())))
	}
	attrs = append(attrs, slog.Any(KeyResult, a.Result))
	if a.Delivered {
		attrs = append(attrs, slog.Bool(KeyDelivered, true))
	}
	if a.LimiterWait != 0 {
		attrs = append(attrs, slog.Duration(KeyLimiterWait, a.LimiterWait))
	}
	return slog.GroupValue(attrs...)
}

// DelaySource says where a Decision's delay came from. The values are
// stable snake_case strings, for metric labels.
type DelaySource string

// The sources of a delay.
const (
	// DelayNone: no wait was decided (the decision is not a retry).
	DelayNone DelaySource = ""
	// DelaySchedule: the category's backoff schedule, with its jitter.
	DelaySchedule DelaySource = "schedule"
	// DelayServer: the server's own delay (Retry-After and the like, or
	// the reset of an exhausted rate-limit window), with its spread.
	DelayServer DelaySource = "server"
)

// Decision is the answer: whether to retry, after how long, and why. It is
// a small comparable value.
type Decision struct {
	// Retry reports whether to make another attempt.
	Retry bool
	// Delay is the wait before the next attempt when Retry is set. When the
	// decision is ReasonServerDelayTooLong it is the delay the server asked
	// for, for the caller's information.
	Delay time.Duration
	// Source says where Delay came from when Retry is set.
	Source DelaySource
	// Reason says why.
	Reason Reason
}

// LogValue renders the decision for log/slog as a group: retry, delay,
// delay_source and reason (zero fields left out).
func (d Decision) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 4)
	attrs = append(attrs, slog.Bool(KeyRetry, d.Retry))
	if d.Delay != 0 {
		attrs = append(attrs, slog.Duration(KeyDelay, d.Delay))
	}
	if d.Source != DelayNone {
		attrs = append(attrs, slog.String(KeyDelaySource, string(d.Source)))
	}
	attrs = append(attrs, slog.String(KeyReason, string(d.Reason)))
	return slog.GroupValue(attrs...)
}

// Observer is called after every attempt, success included, with the
// logical request's context (the one given to NewRetrier, or the request's
// context in the retrying transport: the caller's span and values are
// there), the attempt and the decision made about it. It runs before any
// wait, on the goroutine that sent the attempt, so it must be quick and
// must not keep a.Response's body. It is how traces, metrics and logs
// learn about attempts and retries; the observability module builds on it.
//
// The attempt and the decision implement slog.LogValuer with redaction:
// slog.Any("attempt", a) is safe to log.
type Observer func(ctx context.Context, a Attempt, d Decision)

// Limiter is a client-side limiter shared by the requests to one key, such
// as package pace's. The Policy's Limiter is called around every attempt,
// whichever entry point sends it: Wait before (a Retrier's Wait method, or
// the retrying transport), Observe after (a Retrier's Observe methods).
// It must be safe for concurrent use.
type Limiter interface {
	// Wait waits until an attempt of req may be sent, or returns an error
	// when it cannot start before ctx ends. req is nil when the sender has
	// no HTTP request (a Retrier driven by backoff.Retry).
	Wait(ctx context.Context, req *http.Request) error
	// Observe reports an attempt's outcome: its Result, and, from an HTTP
	// sender, its Request and Response, whose headers carry the rate-limit
	// state, and its Start.
	Observe(a Attempt)
}
