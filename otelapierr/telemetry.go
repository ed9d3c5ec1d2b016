package otelapierr

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/otelapierr/internal/genai"
	"github.com/apierr/apierr/policy"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/apierr/apierr/otelapierr"

// SemconvVersion is the version of the OpenTelemetry semantic conventions
// that the names follow by default; see the package documentation for
// OptInLatest.
const SemconvVersion = "1.40.0"

// OptInEnv is the environment variable of the semantic conventions'
// stability opt-in, and OptInLatest the value in its comma-separated list
// that selects the latest experimental GenAI names.
const (
	OptInEnv    = "OTEL_SEMCONV_STABILITY_OPT_IN"
	OptInLatest = "gen_ai_latest_experimental"
)

// Config configures a Telemetry. The zero Config uses the globally
// registered providers (otel.GetTracerProvider, otel.GetMeterProvider)
// and reads the opt-in from the environment.
type Config struct {
	// TracerProvider makes the attempt spans of Transport and
	// TracerProvider. Nil means otel.GetTracerProvider().
	TracerProvider trace.TracerProvider
	// MeterProvider makes the instruments. Nil means
	// otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// Provider, when set, is recorded as gen_ai.provider.name on every
	// metric point and call span ("openai", "anthropic", ... as the
	// conventions spell them). It is one constant value per Telemetry, so
	// it adds no series. Empty leaves the attribute out.
	Provider string
	// OptIn is the stability opt-in list; empty means the value of
	// OTEL_SEMCONV_STABILITY_OPT_IN. When it holds OptInLatest, the
	// duration of inference operations is recorded as
	// gen_ai.client.inference.duration.
	OptIn string
}

// Telemetry turns the attempts of the library's retrying entry points
// into spans, span events and metrics. Build one with New and give its
// Observe method to the Policy (policy.Policy.Observer). A Telemetry is
// safe for concurrent use.
type Telemetry struct {
	tp       trace.TracerProvider
	tracer   trace.Tracer
	provider attribute.KeyValue // empty Key when not set
	latest   bool

	duration      metric.Float64Histogram // the operation's duration
	inference     metric.Float64Histogram // same, for inference ops under the opt-in
	attempts      metric.Int64Counter
	waits         metric.Float64Histogram
	refusals      metric.Int64Counter
	durationOpts  optCache[durationKey, metric.RecordOption]
	attemptOpts   optCache[attemptKey, metric.AddOption]
	refusalOpts   optCache[catalog.Category, metric.AddOption]
	waitOpts      [numSources][]metric.RecordOption
	wrappedTracer wrappedProvider
	held          atomic.Bool // an attempt span was made: Observe looks for one
}

// New returns a Telemetry with its instruments made from cfg's
// MeterProvider, or an error when one cannot be made.
func New(cfg Config) (*Telemetry, error) {
	tp := cfg.TracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	mp := cfg.MeterProvider
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	optIn := cfg.OptIn
	if optIn == "" {
		optIn = os.Getenv(OptInEnv)
	}
	t := &Telemetry{tp: tp, tracer: tp.Tracer(ScopeName), latest: genai.OptedIn(optIn, OptInLatest)}
	t.wrappedTracer = wrappedProvider{tp: tp, held: &t.held}
	if cfg.Provider != "" {
		t.provider = attribute.String(KeyProviderName, cfg.Provider)
	}
	m := mp.Meter(ScopeName)
	var err error
	if t.duration, err = m.Float64Histogram(MetricOperationDuration,
		metric.WithDescription("GenAI operation duration."), metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		return nil, fmt.Errorf("otelapierr: %s: %w", MetricOperationDuration, err)
	}
	t.inference = t.duration
	if t.latest {
		if t.inference, err = m.Float64Histogram(MetricInferenceDuration,
			metric.WithDescription("GenAI inference operation duration."), metric.WithUnit("s"),
			metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
			return nil, fmt.Errorf("otelapierr: %s: %w", MetricInferenceDuration, err)
		}
	}
	if t.attempts, err = m.Int64Counter(MetricAttempts,
		metric.WithDescription("Attempts of requests to AI APIs, by outcome and failure class."),
		metric.WithUnit("{attempt}")); err != nil {
		return nil, fmt.Errorf("otelapierr: %s: %w", MetricAttempts, err)
	}
	if t.waits, err = m.Float64Histogram(MetricWait,
		metric.WithDescription("Time waited before attempts, by where the wait came from."),
		metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(waitBuckets...)); err != nil {
		return nil, fmt.Errorf("otelapierr: %s: %w", MetricWait, err)
	}
	if t.refusals, err = m.Int64Counter(MetricBudgetRefusals,
		metric.WithDescription("Retries refused because the retry budget was exhausted."),
		metric.WithUnit("{retry}")); err != nil {
		return nil, fmt.Errorf("otelapierr: %s: %w", MetricBudgetRefusals, err)
	}
	for s := range t.waitOpts {
		t.waitOpts[s] = []metric.RecordOption{metric.WithAttributeSet(t.set(attribute.String(KeyWaitSource, sourceNames[s])))}
	}
	return t, nil
}

// set returns an attribute set of kvs with the Provider added when set.
func (t *Telemetry) set(kvs ...attribute.KeyValue) attribute.Set {
	if t.provider.Key != "" {
		kvs = append(kvs, t.provider)
	}
	return attribute.NewSet(kvs...)
}

// Observe records attempt a of the logical request whose context is ctx,
// and decision d about it: it annotates and ends the attempt's span (see
// TracerProvider and Transport), annotates the span in ctx (the caller's
// or an SDK's span of the whole call), and records the metrics. Its
// signature is policy.Observer's: set Policy.Observer to t.Observe.
//
// With no-op providers it allocates nothing.
func (t *Telemetry) Observe(ctx context.Context, a policy.Attempt, d policy.Decision) {
	t.record(ctx, &a, &d)
	var as *attemptSpan
	if a.Request != nil && t.held.Load() {
		as = spanOf(a.Request.Context())
	}
	if as != nil {
		annotateAttempt(as, &a)
		as.observed()
	}
	if s := trace.SpanFromContext(ctx); s.IsRecording() && (as == nil || s != trace.Span(as)) {
		annotateCall(s, &a, &d)
	}
}

// errorType returns the error.type of a failed result: its category's name.
func errorType(r classify.Result) string { return r.Category.String() }

// annotateAttempt sets the attributes of attempt a on its span.
func annotateAttempt(s *attemptSpan, a *policy.Attempt) {
	if !s.IsRecording() || a.Result.OK {
		return
	}
	r := &a.Result
	kvs := make([]attribute.KeyValue, 0, 6)
	kvs = append(kvs,
		attribute.String(KeyErrorType, errorType(*r)),
		attribute.String(KeyAction, r.Action.String()),
		attribute.String(KeyScope, r.Scope.String()),
		attribute.String(KeyRule, r.Rule))
	code, typ := providerCode(*r)
	if code != "" {
		kvs = append(kvs, attribute.String(KeyProviderCode, code))
	}
	if typ != "" {
		kvs = append(kvs, attribute.String(KeyProviderType, typ))
	}
	s.SetAttributes(kvs...)
	s.SetStatus(codesError, errorType(*r))
}

// providerCode returns the provider's code and type of r as Result.LogValue
// renders them: with secrets redacted.
func providerCode(r classify.Result) (code, typ string) {
	if r.Code == "" && r.Type == "" {
		return "", ""
	}
	for _, at := range r.LogValue().Group() {
		switch at.Key {
		case classify.KeyCode:
			code = at.Value.String()
		case classify.KeyType:
			typ = at.Value.String()
		}
	}
	return code, typ
}

// annotateCall records, on the span of the whole call, the decision about
// attempt a: an event for a failed attempt, and, with the last attempt,
// the resend count and the final error.type.
func annotateCall(s trace.Span, a *policy.Attempt, d *policy.Decision) {
	if !a.Result.OK {
		name := EventRetry
		if !d.Retry {
			name = EventGiveUp
		}
		kvs := []attribute.KeyValue{
			attribute.Int(KeyAttempt, a.Number),
			attribute.String(KeyErrorType, errorType(a.Result)),
			attribute.String(KeyReason, string(d.Reason)),
		}
		if d.Retry {
			kvs = append(kvs,
				attribute.Float64(KeyWait, d.Delay.Seconds()),
				attribute.String(KeyWaitSource, string(d.Source)))
		}
		s.AddEvent(name, trace.WithAttributes(kvs...))
	}
	if d.Retry {
		return
	}
	if a.Number > 1 {
		s.SetAttributes(attribute.Int(KeyResendCount, a.Number-1))
	}
	if !a.Result.OK {
		s.SetAttributes(attribute.String(KeyErrorType, errorType(a.Result)))
	}
}
