package otelapierr_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/apierr/apierr/otelapierr"
)

// okJSON is a chat completion as OpenAI documents it
// (https://platform.openai.com/docs/api-reference/chat/object), cut to the
// fields the SDKs need.
const okJSON = `{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`

// tokens is an OpenAI chat-completions stream of two tokens, the shape of
// https://platform.openai.com/docs/api-reference/chat-streaming.
const tokens = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
	"data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n" +
	"data: [DONE]\n\n"

// fakeClock is a virtual clock: Sleep advances it and records the delay.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	delays []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.delays = append(c.delays, d)
	return ctx.Err()
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.delays)
}

// harness is a Telemetry over an SDK tracer provider with an in-memory
// span recorder and a meter provider with a manual reader.
type harness struct {
	sr     *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	tel    *otelapierr.Telemetry
}

func newHarness(t testing.TB, cfg otelapierr.Config) *harness {
	t.Helper()
	h := &harness{sr: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.sr))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() { _ = h.tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	cfg.TracerProvider, cfg.MeterProvider = h.tp, mp
	tel, err := otelapierr.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.tel = tel
	return h
}

// spanView is what a test compares of a span.
type spanView struct {
	Name   string
	Parent string // the parent's name, "" for a root
	Status string
	Attrs  map[string]string
	Events []eventView
}

type eventView struct {
	Name  string
	Attrs map[string]string
}

// kept reports whether a span attribute is compared: the ones this module
// sets, and the status code that tells attempts apart.
func kept(k attribute.Key) bool {
	switch k {
	case "error.type", "http.request.resend_count", "http.response.status_code", "gen_ai.provider.name":
		return true
	}
	return strings.HasPrefix(string(k), "apierr.")
}

// ours reports whether an attribute of an SDK's span is one this module
// sets there and the SDK does not.
func ours(k attribute.Key) bool {
	return k == "http.request.resend_count" || strings.HasPrefix(string(k), "apierr.")
}

func attrMap(kvs []attribute.KeyValue, keep func(attribute.Key) bool) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		if keep == nil || keep(kv.Key) {
			m[string(kv.Key)] = kv.Value.String()
		}
	}
	return m
}

// spans returns the ended spans, by start time. Of the span called
// sdkSpan, an SDK's own, only the attributes this module sets are kept,
// and not its status.
func (h *harness) spans(sdkSpan string) []spanView {
	ended := h.sr.Ended()
	sort.SliceStable(ended, func(i, j int) bool { return ended[i].StartTime().Before(ended[j].StartTime()) })
	names := map[string]string{}
	for _, s := range ended {
		names[s.SpanContext().SpanID().String()] = s.Name()
	}
	var out []spanView
	for _, s := range ended {
		v := spanView{Name: s.Name(), Parent: names[s.Parent().SpanID().String()], Status: s.Status().Code.String(), Attrs: attrMap(s.Attributes(), kept)}
		if s.Name() == sdkSpan {
			v.Status, v.Attrs = "", attrMap(s.Attributes(), ours)
		}
		for _, e := range s.Events() {
			v.Events = append(v.Events, eventView{Name: e.Name, Attrs: attrMap(e.Attributes, nil)})
		}
		out = append(out, v)
	}
	return out
}

// metricView maps a metric's name to its points: the attributes, as
// "k=v" pairs sorted and joined with commas, to the count (a counter's
// value, a histogram's count).
type metricView map[string]map[string]float64

// metrics collects the metrics; sums holds the histograms' sums, under
// the same keys.
func (h *harness) metrics(t testing.TB) (counts, sums metricView) {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	counts, sums = metricView{}, metricView{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			c, s := map[string]float64{}, map[string]float64{}
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					c[setKey(p.Attributes)] = float64(p.Value)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					c[setKey(p.Attributes)] = float64(p.Count)
					s[setKey(p.Attributes)] = p.Sum
				}
			default:
				t.Fatalf("metric %s: unexpected data %T", m.Name, m.Data)
			}
			counts[m.Name], sums[m.Name] = c, s
		}
	}
	return counts, sums
}

func setKey(s attribute.Set) string {
	var parts []string
	for _, kv := range s.ToSlice() {
		parts = append(parts, fmt.Sprintf("%s=%s", kv.Key, kv.Value.String()))
	}
	return strings.Join(parts, ",")
}

// attemptsKey is the key of a point of the attempts counter.
func attemptsKey(outcome, reason, errType, action, scope string) string {
	if errType == "" {
		return "apierr.outcome=" + outcome + ",apierr.reason=" + reason
	}
	return "apierr.action=" + action + ",apierr.outcome=" + outcome + ",apierr.reason=" + reason + ",apierr.scope=" + scope + ",error.type=" + errType
}

// secs renders d as the float seconds an attribute carries.
func secs(d time.Duration) string { return attribute.Float64Value(d.Seconds()).String() }

// post is a chat-completions request body.
const post = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}`

func attribute64(i int) string { return attribute.IntValue(i).String() }

func slicesSort(s []string) { slices.Sort(s) }
