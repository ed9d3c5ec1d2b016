package policy

import (
	"math"
	"strconv"
	"time"

	"github.com/apierr/apierr/catalog"
)

// Jitter is the kind of randomness spread over a backoff delay, so that
// clients that failed together do not retry together. It applies to the
// policy's own backoff schedule only; a delay the server asked for is never
// shortened (see Policy.ServerSpread).
type Jitter uint8

// The jitter kinds. With b the schedule's delay for this retry (Initial x
// Multiplier^(retry-1), capped at MaxInterval) and u uniform in [0, 1):
const (
	// JitterDefault selects the category's default kind (see the package
	// documentation's table).
	JitterDefault Jitter = iota
	// JitterNone waits exactly b.
	JitterNone
	// JitterFull waits u x b: the widest spread, the least load on a server
	// that many clients hit at once.
	JitterFull
	// JitterEqual waits b/2 + u x b/2: never less than half the schedule.
	JitterEqual
	// JitterDecorrelated waits Initial + u x (3 x previous delay - Initial),
	// capped at MaxInterval: each delay grows from the one actually waited.
	JitterDecorrelated
	// JitterProportional waits b x (1 + f x (2u - 1)), b plus or minus the
	// fraction f (Strategy.JitterFraction).
	JitterProportional
)

var jitterNames = [...]string{"default", "none", "full", "equal", "decorrelated", "proportional"}

// String returns the jitter kind's name: "full", "equal", and so on.
func (j Jitter) String() string {
	if int(j) < len(jitterNames) {
		return jitterNames[j]
	}
	return "jitter(" + strconv.Itoa(int(j)) + ")"
}

// ServerDelay says how a delay the server asked for combines with the
// policy's own backoff schedule.
type ServerDelay uint8

const (
	// ServerDelayDefault selects the category's default.
	ServerDelayDefault ServerDelay = iota
	// ServerDelayFloor waits at least what the server asked for, and longer
	// when the backoff schedule says so: the server's delay is the earliest
	// moment a retry may succeed, and repeated refusals of the same request
	// mean that many clients are waiting for that moment too.
	ServerDelayFloor
	// ServerDelayExact waits what the server asked for, plus the small
	// upward spread of Policy.ServerSpread, ignoring the schedule. The
	// spread is a fraction of the delay, so a server that says
	// "Retry-After: 0" gets every client it told so back at once; the
	// default, ServerDelayFloor, keeps the schedule's jitter for that case.
	ServerDelayExact
	// ServerDelayIgnore ignores the server and follows the schedule.
	ServerDelayIgnore
)

// Strategy is how one category is retried. A zero field takes the
// category's default (see the table in the package documentation), so an
// override needs to set only what it changes.
type Strategy struct {
	// MaxAttempts counts every attempt, the first one included: 3 means the
	// first try and 2 retries; 1 means never retry. Zero takes the default;
	// a negative value means no limit on the count (MaxElapsed still
	// applies).
	MaxAttempts int
	// MaxElapsed bounds the time from the first attempt's start to the
	// start of the next one: a retry whose wait would end later is not made.
	// Zero takes the default; a negative value means no limit.
	MaxElapsed time.Duration

	// Initial is the schedule's first delay (before jitter).
	Initial time.Duration
	// Multiplier is the factor between consecutive delays; it is at least 1.
	Multiplier float64
	// MaxInterval caps the schedule's delay (before jitter).
	MaxInterval time.Duration
	// Jitter is the kind of spread applied to the schedule.
	Jitter Jitter
	// JitterFraction is f for JitterProportional, in (0, 1].
	JitterFraction float64

	// ServerDelay says how a delay the server asked for is used.
	ServerDelay ServerDelay
}

// Retries reports whether the strategy can retry at all.
func (s Strategy) Retries() bool { return s.MaxAttempts != 1 }

// defaults is the table documented in doc.go and the README; each row's
// reasoning is there. The strategies of the categories that are not
// retryable apply only when a result of that category is retryable anyway
// (the server said x-should-retry: true, or unknown with a 5xx status).
var defaults = [...]Strategy{
	catalog.Unknown:               fallback,
	catalog.InvalidRequest:        fallback,
	catalog.ContextLengthExceeded: fallback,
	catalog.ContentFiltered:       fallback,
	catalog.Authentication:        fallback,
	catalog.PermissionDenied:      fallback,
	catalog.NotFound:              fallback,
	catalog.ModelNotFound:         fallback,
	catalog.QuotaExceeded:         fallback,
	catalog.RateLimited: {
		MaxAttempts: -1, MaxElapsed: 3 * time.Minute, // bounded by time: the server said "wait"
		Initial: 3 * time.Second, Multiplier: 1.6, MaxInterval: 5 * time.Second,
		Jitter: JitterEqual, ServerDelay: ServerDelayFloor, JitterFraction: 0.2,
	},
	catalog.RequestTooLarge: fallback,
	catalog.Timeout: {
		MaxAttempts: 3, MaxElapsed: 2 * time.Minute,
		Initial: time.Second, Multiplier: 2, MaxInterval: 8 * time.Second,
		Jitter: JitterEqual, ServerDelay: ServerDelayFloor, JitterFraction: 0.2,
	},
	catalog.Conflict: {
		MaxAttempts: 2, MaxElapsed: time.Minute,
		Initial: 500 * time.Millisecond, Multiplier: 2, MaxInterval: 4 * time.Second,
		Jitter: JitterEqual, ServerDelay: ServerDelayFloor, JitterFraction: 0.2,
	},
	catalog.ServerError: {
		MaxAttempts: 4, MaxElapsed: time.Minute,
		Initial: 200 * time.Millisecond, Multiplier: 2, MaxInterval: 8 * time.Second,
		Jitter: JitterFull, ServerDelay: ServerDelayFloor, JitterFraction: 0.2,
	},
	catalog.Unavailable: {
		MaxAttempts: 8, MaxElapsed: 2 * time.Minute,
		Initial: 200 * time.Millisecond, Multiplier: 2, MaxInterval: 8 * time.Second,
		Jitter: JitterFull, ServerDelay: ServerDelayFloor, JitterFraction: 0.2,
	},
	catalog.Network: {
		MaxAttempts: 4, MaxElapsed: time.Minute,
		Initial: 250 * time.Millisecond, Multiplier: 2, MaxInterval: 4 * time.Second,
		Jitter: JitterFull, ServerDelay: ServerDelayFloor, JitterFraction: 0.2,
	},
	catalog.Canceled: fallback,
}

// fallback is the strategy of the categories that are not retryable by
// default, used only when the result is retryable anyway.
var fallback = Strategy{
	MaxAttempts: 3, MaxElapsed: time.Minute,
	Initial: time.Second, Multiplier: 2, MaxInterval: 8 * time.Second,
	Jitter: JitterEqual, ServerDelay: ServerDelayFloor, JitterFraction: 0.2,
}

// DefaultStrategy returns the default strategy of category c.
func DefaultStrategy(c catalog.Category) Strategy {
	if int(c) < len(defaults) {
		return defaults[c]
	}
	return fallback
}

// merge returns s with its zero fields taken from d, and values out of range
// replaced by d's.
func (s Strategy) merge(d Strategy) Strategy {
	if s.MaxAttempts == 0 {
		s.MaxAttempts = d.MaxAttempts
	}
	if s.MaxElapsed == 0 {
		s.MaxElapsed = d.MaxElapsed
	}
	if s.Initial <= 0 {
		s.Initial = d.Initial
	}
	if !(s.Multiplier >= 1) || math.IsInf(s.Multiplier, 0) {
		s.Multiplier = d.Multiplier
	}
	if s.MaxInterval <= 0 {
		s.MaxInterval = d.MaxInterval
	}
	if s.Jitter == JitterDefault || s.Jitter > JitterProportional {
		s.Jitter = d.Jitter
	}
	if !(s.JitterFraction > 0 && s.JitterFraction <= 1) {
		s.JitterFraction = d.JitterFraction
	}
	if s.ServerDelay == ServerDelayDefault || s.ServerDelay > ServerDelayIgnore {
		s.ServerDelay = d.ServerDelay
	}
	return s
}

// schedule returns the schedule's delay before the retry that follows
// attempt number n (n >= 1), before jitter, capped at MaxInterval.
func (s *Strategy) schedule(n int) time.Duration {
	return min(duration(float64(s.Initial)*math.Pow(s.Multiplier, float64(n-1))), s.MaxInterval)
}

// duration converts nanoseconds in a float to a Duration, saturating at
// the largest Duration (a float64 conversion past it would wrap negative)
// and mapping NaN and negatives to 0.
func duration(f float64) time.Duration {
	switch {
	case f >= math.MaxInt64: // 2^63 as a float64
		return math.MaxInt64
	case f > 0:
		return time.Duration(f)
	}
	return 0
}

// jittered applies the strategy's jitter to b, the schedule's delay, with
// u uniform in [0, 1); prev is the delay waited before the last attempt
// (0 before the first retry).
func (s *Strategy) jittered(b time.Duration, u float64, prev time.Duration) time.Duration {
	switch s.Jitter {
	case JitterNone:
		return b
	case JitterFull:
		return duration(u * float64(b))
	case JitterEqual:
		return b/2 + duration(u*float64(b/2))
	case JitterDecorrelated:
		if prev < s.Initial {
			prev = s.Initial
		}
		hi := 3 * float64(prev)
		return min(duration(float64(s.Initial)+u*(hi-float64(s.Initial))), s.MaxInterval)
	default: // JitterProportional
		return duration(float64(b) * (1 + s.JitterFraction*(2*u-1)))
	}
}

// Delays returns the range of the wait before retry number retry (1 for the
// first retry, after the first attempt) on the strategy's own schedule,
// jitter included, when the server asks for no delay. For
// JitterDecorrelated the upper bound is the widest the chain of delays can
// reach. It is for documentation and tools; Decide draws within it.
func (s Strategy) Delays(retry int) (lo, hi time.Duration) {
	s = s.merge(fallback)
	if retry < 1 {
		retry = 1
	}
	b := s.schedule(retry)
	switch s.Jitter {
	case JitterNone:
		return b, b
	case JitterFull:
		return 0, b
	case JitterEqual:
		return b / 2, b
	case JitterDecorrelated:
		return s.Initial, min(duration(float64(s.Initial)*math.Pow(3, float64(retry))), s.MaxInterval)
	default:
		return duration(float64(b) * (1 - s.JitterFraction)), duration(float64(b) * (1 + s.JitterFraction))
	}
}
