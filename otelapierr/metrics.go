package otelapierr

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/otelapierr/internal/genai"
	"github.com/apierr/apierr/policy"
)

// Names of the metrics. See the package documentation for their
// attributes.
const (
	// MetricOperationDuration is the GenAI client operation duration of
	// the semantic conventions: one point per logical call, retries
	// included.
	MetricOperationDuration = "gen_ai.client.operation.duration"
	// MetricInferenceDuration replaces MetricOperationDuration for
	// inference operations (chat, text_completion, generate_content) under
	// the OptInLatest opt-in.
	MetricInferenceDuration = "gen_ai.client.inference.duration"
	// MetricAttempts counts attempts by outcome, reason and failure class.
	MetricAttempts = "apierr.client.attempts"
	// MetricWait is the histogram of waits before attempts, by source.
	MetricWait = "apierr.client.wait.duration"
	// MetricBudgetRefusals counts the retries the retry budget refused.
	MetricBudgetRefusals = "apierr.client.budget.refusals"
)

// Keys of the attributes of spans, events and metric points.
const (
	KeyErrorType     = "error.type"
	KeyResendCount   = "http.request.resend_count"
	KeyOperationName = "gen_ai.operation.name"
	KeyProviderName  = "gen_ai.provider.name"
	KeyAction        = "apierr.action"
	KeyScope         = "apierr.scope"
	KeyRule          = "apierr.rule"
	KeyProviderCode  = "apierr.provider.code"
	KeyProviderType  = "apierr.provider.type"
	KeyOutcome       = "apierr.outcome"
	KeyReason        = "apierr.reason"
	KeyAttempt       = "apierr.attempt"
	KeyWait          = "apierr.wait"
	KeyWaitSource    = "apierr.wait.source"
)

// Names of the span events on the span of a call.
const (
	// EventRetry: an attempt failed and another one follows.
	EventRetry = "apierr.retry"
	// EventGiveUp: an attempt failed and no other one follows.
	EventGiveUp = "apierr.give_up"
)

// Values of apierr.outcome.
const (
	OutcomeSuccess = "success"
	OutcomeRetry   = "retry"
	OutcomeFailure = "failure"
)

// Values of apierr.wait.source.
const (
	SourceServer   = "server"
	SourceSchedule = "schedule"
	SourceLimiter  = "limiter"
)

const (
	srcServer = iota
	srcSchedule
	srcLimiter
	numSources
)

var sourceNames = [numSources]string{SourceServer, SourceSchedule, SourceLimiter}

// durationBuckets are the semantic conventions' advice for
// gen_ai.client.operation.duration.
var durationBuckets = []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}

// waitBuckets span a few milliseconds of jitter to a minute-long server
// delay.
var waitBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

// optCache holds the measurement options of each attribute combination,
// built once: the keys are closed sets, so it stays small, and recording
// a known combination allocates nothing.
type optCache[K comparable, O any] struct {
	mu sync.RWMutex
	m  map[K][]O
}

func (c *optCache[K, O]) get(t *Telemetry, k K, build func(*Telemetry, K) []O) []O {
	c.mu.RLock()
	o, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return o
	}
	o = build(t, k)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[K][]O)
	}
	c.m[k] = o
	return o
}

type attemptKey struct {
	reason   policy.Reason
	category catalog.Category
	action   catalog.Action
	scope    catalog.Scope
}

type durationKey struct {
	op       genai.Operation
	category catalog.Category
	failed   bool
}

func buildAttempt(t *Telemetry, k attemptKey) []metric.AddOption {
	outcome := OutcomeFailure
	switch k.reason {
	case policy.ReasonSuccess:
		outcome = OutcomeSuccess
	case policy.ReasonRetry:
		outcome = OutcomeRetry
	}
	kvs := []attribute.KeyValue{attribute.String(KeyOutcome, outcome), attribute.String(KeyReason, string(k.reason))}
	if k.reason != policy.ReasonSuccess {
		kvs = append(kvs,
			attribute.String(KeyErrorType, k.category.String()),
			attribute.String(KeyAction, k.action.String()),
			attribute.String(KeyScope, k.scope.String()))
	}
	return []metric.AddOption{metric.WithAttributeSet(t.set(kvs...))}
}

func buildRefusal(t *Telemetry, c catalog.Category) []metric.AddOption {
	return []metric.AddOption{metric.WithAttributeSet(t.set(attribute.String(KeyErrorType, c.String())))}
}

func buildDuration(t *Telemetry, k durationKey) []metric.RecordOption {
	var kvs []attribute.KeyValue
	if k.op != genai.Unknown {
		kvs = append(kvs, attribute.String(KeyOperationName, k.op.String()))
	}
	if k.failed {
		kvs = append(kvs, attribute.String(KeyErrorType, k.category.String()))
	}
	return []metric.RecordOption{metric.WithAttributeSet(t.set(kvs...))}
}

// reasonOf returns r when it is one of the policy's reasons, so that the
// attempts counter's reasons stay a closed set, and "other" otherwise.
func reasonOf(r policy.Reason) policy.Reason {
	switch r {
	case policy.ReasonRetry, policy.ReasonSuccess, policy.ReasonNotRetryable,
		policy.ReasonMaxAttempts, policy.ReasonMaxElapsed, policy.ReasonDeadline,
		policy.ReasonCanceled, policy.ReasonServerDelayTooLong, policy.ReasonBudgetExhausted,
		policy.ReasonPartialDelivery, policy.ReasonServerSaidNo, policy.ReasonNoResend:
		return r
	}
	return "other"
}

// record records the metrics of attempt a and decision d. An instrument
// that is not enabled (a no-op provider's) is skipped before any work.
func (t *Telemetry) record(ctx context.Context, a *policy.Attempt, d *policy.Decision) {
	r := &a.Result
	if t.attempts.Enabled(ctx) {
		ak := attemptKey{reason: reasonOf(d.Reason)}
		if !r.OK {
			ak.category, ak.action, ak.scope = r.Category, r.Action, r.Scope
		}
		t.attempts.Add(ctx, 1, t.attemptOpts.get(t, ak, buildAttempt)...)
	}
	waits := t.waits.Enabled(ctx)
	if waits && a.LimiterWait > 0 {
		t.waits.Record(ctx, a.LimiterWait.Seconds(), t.waitOpts[srcLimiter]...)
	}
	if d.Retry {
		if waits {
			src := srcSchedule
			if d.Source == policy.DelayServer {
				src = srcServer
			}
			t.waits.Record(ctx, d.Delay.Seconds(), t.waitOpts[src]...)
		}
		return
	}
	if d.Reason == policy.ReasonBudgetExhausted && t.refusals.Enabled(ctx) {
		t.refusals.Add(ctx, 1, t.refusalOpts.get(t, r.Category, buildRefusal)...)
	}
	if !t.duration.Enabled(ctx) && (!t.latest || !t.inference.Enabled(ctx)) {
		return
	}
	op := genai.Unknown
	if a.Request != nil && a.Request.URL != nil {
		op = genai.OperationOf(a.Request.URL.Path)
	}
	h := t.duration
	if op.Inference() {
		h = t.inference
	}
	dk := durationKey{op: op, failed: !r.OK}
	if !r.OK {
		dk.category = r.Category
	}
	h.Record(ctx, a.Elapsed.Seconds(), t.durationOpts.get(t, dk, buildDuration)...)
}
