package policy

import (
	"math/rand/v2"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
)

// Reason says why a decision was made. The values are stable snake_case
// strings, a public contract like the category names: use them as metric
// labels and log values.
type Reason string

// The reasons.
const (
	// ReasonRetry: the attempt failed and will be retried after the delay.
	ReasonRetry Reason = "retry"
	// ReasonSuccess: the attempt did not fail; nothing to retry.
	ReasonSuccess Reason = "success"
	// ReasonNotRetryable: the failure's category (or its status, such as
	// 501) means the same request fails the same way.
	ReasonNotRetryable Reason = "not_retryable"
	// ReasonMaxAttempts: the strategy's MaxAttempts were made.
	ReasonMaxAttempts Reason = "max_attempts"
	// ReasonMaxElapsed: the next attempt would start after MaxElapsed.
	ReasonMaxElapsed Reason = "max_elapsed"
	// ReasonDeadline: the wait would leave less than
	// Policy.MinAttemptTime before the context's deadline, so the retry
	// would be wasted.
	ReasonDeadline Reason = "deadline"
	// ReasonCanceled: the caller canceled the request.
	ReasonCanceled Reason = "canceled"
	// ReasonServerDelayTooLong: the server asked for a wait longer than
	// Policy.MaxServerDelay and the policy gives up on it (the default).
	ReasonServerDelayTooLong Reason = "server_delay_too_long"
	// ReasonBudgetExhausted: the shared retry budget is empty.
	ReasonBudgetExhausted Reason = "budget_exhausted"
	// ReasonPartialDelivery: the failed attempt had already delivered data
	// to the caller (a stream broken after the first token), so repeating
	// it would deliver that data twice.
	ReasonPartialDelivery Reason = "partial_delivery"
	// ReasonServerSaidNo: the server sent x-should-retry: false.
	ReasonServerSaidNo Reason = "server_said_no"
	// ReasonNoResend: the request cannot be sent again (its body cannot
	// be rewound: see Attempt.NoResend).
	ReasonNoResend Reason = "no_resend"
)

// LongServerDelay is what a policy does when the server asks for a wait
// longer than Policy.MaxServerDelay.
type LongServerDelay uint8

const (
	// LongDelayGiveUp stops with ReasonServerDelayTooLong (the default): a
	// server that asks for ten minutes or a day is telling the caller to
	// come back later, not to hold a request open; the caller decides.
	LongDelayGiveUp LongServerDelay = iota
	// LongDelayClamp waits MaxServerDelay instead, plus the upward spread of
	// ServerSpread (so up to 132 s by default), so that the clients clamped
	// together do not return together. The retry may come early and fail
	// again; use it when giving up is worse than a wasted attempt.
	LongDelayClamp
	// LongDelayBackoff ignores the server's delay and follows the schedule.
	LongDelayBackoff
)

// Default values of the Policy fields.
const (
	// DefaultMaxServerDelay is classify.LongDelay (120 s): a server
	// delay above it gives the result the fallback Action, and the default
	// policy gives up on it.
	DefaultMaxServerDelay = classify.LongDelay
	DefaultServerSpread   = 0.1
	// DefaultMinAttemptTime is the time a retry must have left before the
	// deadline, after its wait, to be scheduled: a floor below which an
	// attempt cannot be answered even by a nearby server, not an estimate
	// of a completion's time (raise MinAttemptTime for that).
	DefaultMinAttemptTime = 50 * time.Millisecond
)

// Policy pairs each category with a retry Strategy. The zero Policy applies
// the defaults documented in the package documentation, so
//
//	var p policy.Policy
//	d := p.Decide(1, 0, result)
//
// is a complete use. A Policy is read, never written, by its methods: it is
// safe for concurrent use as long as nobody modifies it (or the Strategies
// map) while it is in use. NewRetrier copies it.
type Policy struct {
	// Strategies overrides the default strategy of some categories, field
	// by field: a zero field keeps the default. Set MaxAttempts to 1 to
	// never retry a category.
	Strategies map[catalog.Category]Strategy

	// MaxServerDelay is the longest server-requested wait the policy
	// accepts; LongServerDelay says what happens above it. Zero means
	// DefaultMaxServerDelay (120 s); a negative value means no cap.
	MaxServerDelay time.Duration
	// LongServerDelay is what to do above MaxServerDelay; the zero value
	// gives up.
	LongServerDelay LongServerDelay
	// ServerSpread is the upward spread added to a server's delay, as a
	// fraction of it: the wait is uniform in [d, d x (1 + ServerSpread)].
	// It only ever adds, so a retry never comes before the server allows,
	// and clients told the same Retry-After do not return in the same
	// millisecond. Zero means DefaultServerSpread (0.1); negative, none.
	ServerSpread float64

	// ExactFirstServerDelay makes a first refusal that carries an explicit
	// server delay (Retry-After, retry-after-ms, RetryInfo, a "try again
	// in" phrase; not a reset inferred from x-ratelimit-* headers) wait
	// that delay plus the ServerSpread, as openai-go does (1.0-1.1 s for
	// Retry-After: 1), instead of the longer of it and the schedule (1.5-3
	// s for rate_limited). Later refusals keep the schedule's floor. It is
	// off by default: in the simulation (README) it costs more attempts
	// and a longer makespan when many clients share a limit; turn it on
	// for a lone interactive client, where a second saved matters more.
	ExactFirstServerDelay bool

	// MinAttemptTime is the least time an attempt needs: a retry is
	// scheduled only if at least this much is left before the context's
	// deadline once its wait is over. Where the scheduled wait leaves
	// less but the server's own delay (Retry-After and the like) leaves
	// enough, exactly the server's delay is waited instead (no spread);
	// otherwise the request gives up at once with ReasonDeadline, the last
	// response in hand.
	// Zero means DefaultMinAttemptTime (50 ms); negative, none (a wait
	// may end at the deadline itself).
	MinAttemptTime time.Duration

	// RetryPartial retries an attempt that had already delivered data to
	// the caller. By default such an attempt is not retried
	// (ReasonPartialDelivery); one whose stream failed before any data is.
	RetryPartial bool

	// Budget, when not nil, is a retry budget shared by every request that
	// uses this policy (see Budget). Nil means no budget.
	Budget *Budget

	// Clock tells the time and waits: elapsed times, deadlines, and the
	// waits of code built on the Policy (the retrying transport of package
	// retryhttp). Nil means the real time (SystemClock). A context's
	// deadline is compared with this clock's Now, so under a virtual clock
	// give the context a deadline on that clock's timeline.
	Clock Clock
	// Rand returns uniform values in [0, 1) for jitter. Nil means
	// math/rand/v2's Float64. It must be safe for concurrent use if the
	// policy is shared across goroutines.
	Rand func() float64

	// Observer, when not nil, is called after every attempt a Retrier (or
	// the retrying transport built on it) observes, success included, with
	// the request's context, the attempt and the decision made about it,
	// before any wait: for traces, metrics and logs. See Observer.
	Observer Observer

	// Limiter, when not nil, is shared by every request to one key (see
	// package pace): it is waited on before every attempt and told every
	// attempt's outcome, whichever entry point sends the attempts (a
	// Retrier's Wait and Observe methods, or the retrying transport), so
	// that one request's server delay holds the others. Nil means no
	// shared limiter. With a limiter, a rate-limit refusal's explicit
	// delay (Retry-After and the like, not a reset inferred from
	// x-ratelimit-* headers) is waited as told, plus ServerSpread, and not
	// floored by the schedule: the schedule's floor spreads clients that
	// were told the same moment, and the limiter already spaces them by
	// what the server reports.
	Limiter Limiter
}

// Decide is the plain function form: the decision about attempt number
// attempt (1 for the first try) of a request that started elapsed ago and
// failed with r. It uses p's strategies, jitter source and clock; it does
// not touch p.Budget (a Retrier does) and does not call p.Observer.
func (p *Policy) Decide(attempt int, elapsed time.Duration, r classify.Result) Decision {
	return p.DecideAttempt(Attempt{Number: attempt, Elapsed: elapsed, Result: r})
}

// Decide is shorthand for the zero Policy's Decide: the defaults.
func Decide(attempt int, elapsed time.Duration, r classify.Result) Decision {
	var p Policy
	return p.DecideAttempt(Attempt{Number: attempt, Elapsed: elapsed, Result: r})
}

// DecideAttempt is Decide with the whole input. The checks run in this
// order, and the first that stops decides the reason: success, canceled,
// partial delivery, the server's x-should-retry: false, not retryable, no
// resend, max attempts, a server delay above the cap, max elapsed,
// deadline.
func (p *Policy) DecideAttempt(a Attempt) Decision {
	r := &a.Result
	switch {
	case r.OK:
		return Decision{Reason: ReasonSuccess}
	case a.Canceled || r.Category == catalog.Canceled:
		return Decision{Reason: ReasonCanceled}
	case a.Delivered && !p.RetryPartial:
		return Decision{Reason: ReasonPartialDelivery}
	case !r.Retryable && r.ShouldRetry == "false":
		return Decision{Reason: ReasonServerSaidNo}
	case !r.Retryable:
		return Decision{Reason: ReasonNotRetryable}
	case a.NoResend:
		return Decision{Reason: ReasonNoResend}
	}
	s := p.Strategy(r.Category)
	if s.MaxAttempts > 0 && a.Number >= s.MaxAttempts {
		return Decision{Reason: ReasonMaxAttempts}
	}
	return p.wait(&s, &a)
}

// wait decides the delay before the retry that follows attempt a, for a
// retryable failure, under strategy s; the delay may still be refused by
// the server-delay cap, MaxElapsed or the deadline.
func (p *Policy) wait(s *Strategy, a *Attempt) Decision {
	r := &a.Result
	n := a.Number
	if n < 1 {
		n = 1
	}
	delay := s.jittered(s.schedule(n), p.rand(), a.PrevDelay)
	source := DelaySchedule
	// floor is the least wait a retry may take: the server's delay when
	// one is honoured, else the whole scheduled delay.
	floor := time.Duration(-1)
	if server, ok := serverDelay(r); ok && s.ServerDelay != ServerDelayIgnore {
		if limit := p.maxServerDelay(); limit >= 0 && server > limit {
			switch p.LongServerDelay {
			case LongDelayClamp:
				server = limit
			case LongDelayBackoff:
				ok = false
			default:
				return Decision{Delay: server, Reason: ReasonServerDelayTooLong}
			}
		}
		if ok {
			floor = server
			server = spread(server, p.serverSpread()*p.rand())
			// An explicit delay is waited as told (with the spread) on
			// a first refusal when asked, and on every rate-limit
			// refusal when a shared limiter paces the retries: the
			// schedule's floor spreads a herd, which the limiter does.
			explicit := r.RetryAfterSource != ""
			exact := explicit && (p.ExactFirstServerDelay && n == 1 || p.Limiter != nil && r.Category == catalog.RateLimited)
			if s.ServerDelay == ServerDelayExact || server > delay || exact {
				delay, source = server, DelayServer
			}
		}
	}
	// Compared as remaining time, so that a saturated delay cannot overflow.
	if s.MaxElapsed > 0 && delay > s.MaxElapsed-max(a.Elapsed, 0) {
		return Decision{Reason: ReasonMaxElapsed}
	}
	if !a.Deadline.IsZero() {
		// A retry is scheduled only if, after its wait, MinAttemptTime is
		// left before the deadline. When the scheduled wait does not fit
		// but the server's delay does, exactly the server's delay is
		// waited, without spread, which leaves the attempt all the time
		// there is; otherwise the request gives up now.
		if room := a.Deadline.Sub(p.now()) - p.minAttemptTime(); delay > room {
			if floor < 0 || floor > room {
				return Decision{Reason: ReasonDeadline}
			}
			delay, source = floor, DelayServer
		}
	}
	return Decision{Retry: true, Delay: delay, Source: source, Reason: ReasonRetry}
}

// Strategy returns the strategy p applies to category c: the override in
// p.Strategies, its zero fields filled from the default.
func (p *Policy) Strategy(c catalog.Category) Strategy {
	d := DefaultStrategy(c)
	if s, ok := p.Strategies[c]; ok {
		return s.merge(d)
	}
	return d
}

// serverDelay returns the wait the server asked for: the explicit delay
// (retry-after-ms, Retry-After, RetryInfo, a phrase in the message), else,
// for a rate-limited result whose remaining count is 0, the time until the
// rate-limit window resets.
func serverDelay(r *classify.Result) (time.Duration, bool) {
	if r.RetryAfterSource != "" {
		return max(r.RetryAfter, 0), true
	}
	if r.RateLimitExhausted && r.RateLimitResetSource != "" {
		return max(r.RateLimitReset, 0), true
	}
	return 0, false
}

// spread returns d x (1 + f), saturating at the largest Duration.
func spread(d time.Duration, f float64) time.Duration {
	return duration(float64(d) * (1 + f))
}

func (p *Policy) maxServerDelay() time.Duration {
	if p.MaxServerDelay == 0 {
		return DefaultMaxServerDelay
	}
	return p.MaxServerDelay
}

func (p *Policy) minAttemptTime() time.Duration {
	switch {
	case p.MinAttemptTime == 0:
		return DefaultMinAttemptTime
	case p.MinAttemptTime < 0:
		return 0
	}
	return p.MinAttemptTime
}

func (p *Policy) serverSpread() float64 {
	switch {
	case p.ServerSpread == 0:
		return DefaultServerSpread
	case p.ServerSpread > 0 && p.ServerSpread <= 10:
		return p.ServerSpread
	}
	return 0
}

func (p *Policy) rand() float64 {
	var u float64
	if p.Rand != nil {
		u = p.Rand()
	} else {
		u = rand.Float64()
	}
	if !(u >= 0 && u < 1) { // a broken source must not produce a negative or huge wait
		return 0
	}
	return u
}

func (p *Policy) now() time.Time {
	if p.Clock != nil {
		return p.Clock.Now()
	}
	return time.Now()
}
