package otelapierr_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// failure is what one failed attempt is classified as.
type failure struct {
	errType, action, scope, rule, code, typ string
}

func (f failure) spanAttrs(status string) map[string]string {
	m := map[string]string{"error.type": f.errType, "apierr.action": f.action, "apierr.scope": f.scope, "apierr.rule": f.rule}
	if f.code != "" {
		m["apierr.provider.code"] = f.code
	}
	if f.typ != "" {
		m["apierr.provider.type"] = f.typ
	}
	if status != "" {
		m["http.response.status_code"] = status
	}
	return m
}

// scenario is one acceptance sequence: the server's replies, how each
// failed attempt is classified (in order; the attempt after the last
// failure succeeds unless final is set), and where the waits came from.
type scenario struct {
	name     string
	steps    func(t testing.TB) []sdktest.Step
	failures []failure
	statuses []string // http.response.status_code of each attempt, "" for none
	sources  []string // apierr.wait.source of each retry's wait
	final    string   // the reason of the last decision when it is a failure
	budget   *policy.Budget
}

func scenarios() []scenario {
	rate := failure{"rate_limited", "retry", "model", "rate_limit_code", "rate_limit_exceeded", "requests"}
	over := failure{"unavailable", "retry", "model", "overloaded_message", "", "server_error"}
	streamOver := failure{"unavailable", "retry", "model", "overloaded_code", "", "overloaded_error"}
	quota := failure{"quota_exceeded", "fallback", "account", "quota_code", "insufficient_quota", "insufficient_quota"}
	reset := failure{"network", "retry", "provider", "unexpected_eof", "", ""}
	ok := sdktest.Step{Header: http.Header{"Content-Type": {"application/json"}}, Body: okJSON}
	okStream := sdktest.Step{Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: tokens}
	return []scenario{
		{name: "429 Retry-After then 200",
			// The published OpenAI 429, with a Retry-After header of
			// the delay its message asks for ("Please try again in
			// 20s"): the server's delay is waited.
			steps: func(t testing.TB) []sdktest.Step {
				return []sdktest.Step{sdktest.Reply(t, "openai/rate_limit_rpm_seconds", http.Header{"Retry-After": {"20"}}), ok}
			},
			failures: []failure{rate}, statuses: []string{"429", "200"}, sources: []string{"server"}},
		{name: "429 short Retry-After then 200",
			// A Retry-After shorter than the schedule's delay: the
			// schedule's longer wait is taken, and the source says so.
			steps: func(t testing.TB) []sdktest.Step {
				return []sdktest.Step{sdktest.Reply(t, "openai/rate_limit_rpm_seconds", http.Header{"Retry-After": {"1"}}), ok}
			},
			failures: []failure{rate}, statuses: []string{"429", "200"}, sources: []string{"schedule"}},
		{name: "503 503 200",
			steps: func(t testing.TB) []sdktest.Step {
				return []sdktest.Step{sdktest.Reply(t, "openai/model_overloaded_503", nil), sdktest.Reply(t, "openai/model_overloaded_503", nil), ok}
			},
			failures: []failure{over, over}, statuses: []string{"503", "503", "200"}, sources: []string{"schedule", "schedule"}},
		{name: "error event in a 200 stream before any token, then 200",
			steps: func(t testing.TB) []sdktest.Step {
				return []sdktest.Step{sdktest.Reply(t, "anthropic/stream_error_event_overloaded", nil), okStream}
			},
			failures: []failure{streamOver}, statuses: []string{"200", "200"}, sources: []string{"schedule"}},
		{name: "insufficient quota, no retry",
			steps: func(t testing.TB) []sdktest.Step {
				return []sdktest.Step{sdktest.Reply(t, "openai/insufficient_quota", nil), ok}
			},
			failures: []failure{quota}, statuses: []string{"429"}, final: "not_retryable"},
		{name: "connection reset then 200",
			steps: func(t testing.TB) []sdktest.Step {
				return []sdktest.Step{{Reset: true}, ok}
			},
			failures: []failure{reset}, statuses: []string{"", "200"}, sources: []string{"schedule"}},
		{name: "503 503 with a budget for one retry",
			steps: func(t testing.TB) []sdktest.Step {
				return []sdktest.Step{sdktest.Reply(t, "openai/model_overloaded_503", nil), sdktest.Reply(t, "openai/model_overloaded_503", nil), ok}
			},
			failures: []failure{over, over}, statuses: []string{"503", "503"}, sources: []string{"schedule"},
			final: "budget_exhausted", budget: &policy.Budget{Max: 5, RetryCost: 5}},
	}
}

// want works out the spans and metric points a scenario must give, from
// the delays the clock slept.
func (sc scenario) want(slept []time.Duration, attemptSpan, sdkSpan string) (spans []spanView, counts, sums metricView) {
	n := len(sc.statuses)
	call := spanView{Name: "call", Status: "Unset", Attrs: map[string]string{}}
	parent, finalErr := "call", ""
	if sdkSpan != "" {
		// The SDK's span is the call's: it gets the annotations; its
		// status and its own attributes are the SDK's.
		call.Name, call.Parent, call.Status, parent = sdkSpan, "call", "", sdkSpan
	}
	counts = metricView{"apierr.client.attempts": {}}
	sums = metricView{}
	for i := range n {
		v := spanView{Name: attemptSpan, Parent: parent, Status: "Unset", Attrs: map[string]string{}}
		if sc.statuses[i] != "" {
			v.Attrs["http.response.status_code"] = sc.statuses[i]
		}
		if i > 0 {
			v.Attrs["http.request.resend_count"] = itoa(i)
		}
		last := i == n-1
		if i < len(sc.failures) {
			f := sc.failures[i]
			for k, val := range f.spanAttrs(sc.statuses[i]) {
				v.Attrs[k] = val
			}
			v.Status = "Error"
			ev := eventView{Name: otelapierr.EventRetry, Attrs: map[string]string{"apierr.attempt": itoa(i + 1), "error.type": f.errType, "apierr.reason": "retry"}}
			outcome, reason := "retry", "retry"
			if last && sc.final != "" {
				ev.Name, ev.Attrs["apierr.reason"] = otelapierr.EventGiveUp, sc.final
				outcome, reason = "failure", sc.final
				finalErr = f.errType
				if sdkSpan == "" {
					call.Attrs["error.type"] = f.errType
				}
			} else {
				ev.Attrs["apierr.wait"] = secs(slept[i])
				ev.Attrs["apierr.wait.source"] = sc.sources[i]
			}
			call.Events = append(call.Events, ev)
			counts["apierr.client.attempts"][attemptsKey(outcome, reason, f.errType, f.action, f.scope)]++
		} else {
			counts["apierr.client.attempts"][attemptsKey("success", "success", "", "", "")]++
		}
		spans = append(spans, v)
	}
	if n > 1 {
		call.Attrs["http.request.resend_count"] = itoa(n - 1)
	}
	spans = append([]spanView{call}, spans...)
	if sdkSpan != "" {
		spans = append([]spanView{{Name: "call", Status: "Unset", Attrs: map[string]string{}}}, spans...)
	}
	if len(sc.sources) > 0 {
		counts["apierr.client.wait.duration"], sums["apierr.client.wait.duration"] = map[string]float64{}, map[string]float64{}
		for i, s := range sc.sources {
			counts["apierr.client.wait.duration"]["apierr.wait.source="+s]++
			sums["apierr.client.wait.duration"]["apierr.wait.source="+s] += slept[i].Seconds()
		}
	}
	dur := "gen_ai.operation.name=chat"
	if finalErr != "" {
		dur = "error.type=" + finalErr + "," + dur
	}
	counts["gen_ai.client.operation.duration"] = map[string]float64{dur: 1}
	if sc.final == "budget_exhausted" {
		counts["apierr.client.budget.refusals"] = map[string]float64{"error.type=" + sc.failures[len(sc.failures)-1].errType: 1}
	}
	return spans, counts, sums
}

func itoa(i int) string { return attribute64(i) }

// TestTransportOtelhttp runs every scenario through retryhttp.Transport
// with otelhttp under it on the Telemetry's TracerProvider: otelhttp's
// span of each attempt carries the attempt's attributes (resend counts 0,
// 1, 2 on sibling spans), the caller's span the events and the outcome,
// and the metrics one point per attempt, wait and call.
func TestTransportOtelhttp(t *testing.T) {
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t, otelapierr.Config{})
			srv := sdktest.New(t, sc.steps(t)...)
			base := otelhttp.NewTransport(srv.Client().Transport, otelhttp.WithTracerProvider(h.tel.TracerProvider()))
			runScenario(t, run{h: h, sc: sc, base: base, attemptSpan: "HTTP POST", srv: srv, call: postChat})
		})
	}
}

// TestTransportOwnSpans: the same through the module's own attempt spans.
func TestTransportOwnSpans(t *testing.T) {
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t, otelapierr.Config{})
			srv := sdktest.New(t, sc.steps(t)...)
			runScenario(t, run{h: h, sc: sc, base: h.tel.Transport(srv.Client().Transport), attemptSpan: "POST", srv: srv, call: postChat})
		})
	}
}

// caller makes the logical call through client with ctx, reading any
// body to its end, and returns the call's error.
type caller func(ctx context.Context, client *http.Client, url string) error

// postChat is the caller of the retrying transport's tests: a POST to the
// chat-completions path, its body read to the end.
func postChat(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/chat/completions", strings.NewReader(post))
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

// run is one run of a scenario: its telemetry, its server, the retrying
// transport's Base, the name of the attempt spans, and, when an SDK opens
// a span of its own around the call, that span's name.
type run struct {
	h           *harness
	sc          scenario
	base        http.RoundTripper
	attemptSpan string
	sdkSpan     string
	srv         *sdktest.Server
	call        caller
	// errOnFailure: the caller returns an error when the call fails (an
	// SDK does; the HTTP client returns the failed response).
	errOnFailure bool
}

func runScenario(t *testing.T, r run) {
	t.Helper()
	h, sc := r.h, r.sc
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	tr := &retryhttp.Transport{Base: r.base, Policy: &policy.Policy{Clock: clock, Rand: func() float64 { return 0.5 }, Observer: h.tel.Observe, Budget: sc.budget}}
	ctx, call := h.tp.Tracer("test").Start(context.Background(), "call")
	err := r.call(ctx, retryhttp.NewClient(tr), r.srv.URL)
	call.End()
	if wantErr := r.errOnFailure && sc.final != ""; (err != nil) != wantErr {
		t.Errorf("call error %v, want one: %v", err, wantErr)
	}
	if got := r.srv.Requests(); got != len(sc.statuses) {
		t.Fatalf("server saw %d requests, want %d", got, len(sc.statuses))
	}
	slept := clock.slept()
	if len(slept) != len(sc.sources) {
		t.Fatalf("slept %v, want %d waits", slept, len(sc.sources))
	}
	wantSpans, wantCounts, wantSums := sc.want(slept, r.attemptSpan, r.sdkSpan)
	if diff := cmp.Diff(wantSpans, h.spans(r.sdkSpan)); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	counts, sums := h.metrics(t)
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("metric points, counts (-want +got):\n%s", diff)
	}
	for name, want := range wantSums {
		if diff := cmp.Diff(want, sums[name]); diff != "" {
			t.Errorf("%s sums (-want +got):\n%s", name, diff)
		}
	}
}
