package otelapierr

import (
	"context"
	"log/slog"

	"github.com/apierr/apierr/policy"
)

// Messages and attribute keys of the records that SlogObserver writes.
// They are stable.
const (
	// MsgRetry is the message of a failed attempt that another follows.
	MsgRetry = "apierr: attempt failed, retrying"
	// MsgGiveUp is the message of a failed attempt that is the last one.
	MsgGiveUp = "apierr: request failed"
	// LogKeyAttempt holds the attempt (policy.Attempt.LogValue).
	LogKeyAttempt = "attempt"
	// LogKeyDecision holds the decision (policy.Decision.LogValue).
	LogKeyDecision = "decision"
)

// SlogObserver returns an Observer that logs each failed attempt to l: at
// slog.LevelWarn when another attempt follows (MsgRetry), at
// slog.LevelError when none does (MsgGiveUp). Successful attempts are not
// logged. Each record carries two groups, LogKeyAttempt and
// LogKeyDecision, rendered by policy.Attempt.LogValue and
// policy.Decision.LogValue: API keys and tokens in URLs, errors and
// messages are redacted there, and no other text of the request or the
// response is logged. A nil l means slog.Default(). The Observer is safe
// for concurrent use when l is.
func SlogObserver(l *slog.Logger) policy.Observer {
	return func(ctx context.Context, a policy.Attempt, d policy.Decision) {
		if a.Result.OK {
			return
		}
		lg := l
		if lg == nil {
			lg = slog.Default()
		}
		level, msg := slog.LevelError, MsgGiveUp
		if d.Retry {
			level, msg = slog.LevelWarn, MsgRetry
		}
		if !lg.Enabled(ctx, level) {
			return
		}
		lg.LogAttrs(ctx, level, msg, slog.Any(LogKeyAttempt, a), slog.Any(LogKeyDecision, d))
	}
}

// Observers returns an Observer that calls each of obs in turn (nil ones
// skipped), for a Policy that both records telemetry and logs:
//
//	p.Observer = otelapierr.Observers(tel.Observe, otelapierr.SlogObserver(logger))
func Observers(obs ...policy.Observer) policy.Observer {
	var list []policy.Observer
	for _, o := range obs {
		if o != nil {
			list = append(list, o)
		}
	}
	return func(ctx context.Context, a policy.Attempt, d policy.Decision) {
		for _, o := range list {
			o(ctx, a, d)
		}
	}
}
