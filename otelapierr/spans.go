package otelapierr

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"

	"github.com/apierr/apierr/retryhttp"
)

const codesError = codes.Error

// spanKey is the key under which an attempt's span is stored in the
// attempt (retryhttp.SetAttemptValue).
type spanKey struct{}

// spanOf returns the span stored in the attempt whose context is ctx.
func spanOf(ctx context.Context) *attemptSpan {
	s, _ := retryhttp.AttemptValue(ctx, spanKey{}).(*attemptSpan)
	return s
}

// attemptSpan is the client span of one attempt. Its End is held until
// the Observer has annotated it: the span of an HTTP instrumentation such
// as otelhttp ends when the response body has been read to its end, which
// the retrying transport does to classify a failed response, before the
// Observer learns the category. The held span ends with the time End was
// called at.
type attemptSpan struct {
	trace.Span
	mu   sync.Mutex
	done bool // the Observer has been
	held bool // End was called before the Observer
	end  time.Time
}

// End ends the span, or, before the Observer has annotated it, records
// the time for the Observer to end it with.
func (s *attemptSpan) End(opts ...trace.SpanEndOption) {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		s.Span.End(opts...)
		return
	}
	if !s.held {
		s.held = true
		cfg := trace.NewSpanEndConfig(opts...)
		s.end = cfg.Timestamp()
		if s.end.IsZero() {
			s.end = time.Now()
		}
	}
	s.mu.Unlock()
}

// observed marks the span annotated, and ends it when End was called.
func (s *attemptSpan) observed() {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return
	}
	s.done = true
	held, end := s.held, s.end
	s.mu.Unlock()
	if held {
		s.Span.End(trace.WithTimestamp(end))
	}
}

// TracerProvider returns a provider, over the Config's TracerProvider, to
// give to the HTTP instrumentation that goes under the retrying transport,
// so that its client span of each attempt gets the attempt's attributes:
//
//	tel, _ := otelapierr.New(otelapierr.Config{})
//	base := otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(tel.TracerProvider()))
//	client := retryhttp.NewClient(&retryhttp.Transport{Base: base, Policy: &policy.Policy{Observer: tel.Observe}})
//
// The first recording client span started in an attempt's context (see
// retryhttp.AttemptNumber) gets http.request.resend_count on a resend and
// is handed to Observe through the attempt (retryhttp.SetAttemptValue);
// its end is held until Observe has annotated it, so Observe must be the
// Policy's Observer. Other spans pass through unchanged.
func (t *Telemetry) TracerProvider() trace.TracerProvider { return t.wrappedTracer }

type wrappedProvider struct {
	embedded.TracerProvider
	tp   trace.TracerProvider
	held *atomic.Bool // set once an attempt span was handed to Observe
}

func (p wrappedProvider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return wrappedTracer{tr: p.tp.Tracer(name, opts...), held: p.held}
}

type wrappedTracer struct {
	embedded.Tracer
	tr   trace.Tracer
	held *atomic.Bool
}

func (w wrappedTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	ctx, s := w.tr.Start(ctx, name, opts...)
	n := retryhttp.AttemptNumber(ctx)
	if n == 0 || !s.IsRecording() {
		return ctx, s
	}
	if cfg := trace.NewSpanStartConfig(opts...); cfg.SpanKind() != trace.SpanKindClient ||
		retryhttp.AttemptValue(ctx, spanKey{}) != nil {
		return ctx, s
	}
	as := &attemptSpan{Span: s}
	retryhttp.SetAttemptValue(ctx, spanKey{}, as)
	if !w.held.Load() {
		w.held.Store(true)
	}
	if n > 1 {
		s.SetAttributes(attribute.Int(KeyResendCount, n-1))
	}
	return trace.ContextWithSpan(ctx, as), as
}

// Transport returns a RoundTripper to use as the retrying transport's Base
// (retryhttp.Transport.Base) when no HTTP instrumentation is there: it
// opens the module's own client span for each attempt, named after the
// method as the HTTP conventions name client spans, with
// http.request.method, server.address, server.port, url.full (without the
// query, which may carry an API key) and http.response.status_code, and
// the attempt's attributes as for TracerProvider. It does not inject the
// trace context into the request's headers. A nil base means
// http.DefaultTransport.
func (t *Telemetry) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &spanTransport{base: base, tracer: t.wrappedTracer.Tracer(ScopeName)}
}

type spanTransport struct {
	base   http.RoundTripper
	tracer trace.Tracer
}

func (st *spanTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	kvs := []attribute.KeyValue{attribute.String("http.request.method", req.Method)}
	if u := req.URL; u != nil {
		kvs = append(kvs, attribute.String("server.address", u.Hostname()),
			attribute.String("url.full", u.Scheme+"://"+u.Host+u.EscapedPath()))
		if p, err := strconv.Atoi(u.Port()); err == nil {
			kvs = append(kvs, attribute.Int("server.port", p))
		}
	}
	ctx, span := st.tracer.Start(req.Context(), req.Method, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(kvs...))
	resp, err := st.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		span.SetAttributes(attribute.String(KeyErrorType, "_OTHER"))
		span.SetStatus(codes.Error, "")
	} else {
		span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
	}
	span.End()
	return resp, err
}
