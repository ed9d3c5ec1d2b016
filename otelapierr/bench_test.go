package otelapierr_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// script is an in-memory Base transport: it answers a request with a
// published OpenAI 503 (openai/model_overloaded_503 in the core's
// published cases) on every attempt but each fail-th, which gets a
// chat completion; fail 1 means every attempt succeeds.
type script struct {
	fail int
	n    atomic.Int64
}

const overloaded503 = `{"error":{"message":"That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.","type":"server_error","param":null,"code":null}}`

var jsonHdr = http.Header{"Content-Type": {"application/json"}}

func (s *script) RoundTrip(req *http.Request) (*http.Response, error) {
	status, body := 200, okJSON
	if s.n.Add(1)%int64(s.fail) != 0 {
		status, body = 503, overloaded503
	}
	return &http.Response{StatusCode: status, Header: jsonHdr, Body: io.NopCloser(strings.NewReader(body)), Request: req, ContentLength: int64(len(body))}, nil
}

// instant is a Clock that never waits.
type instant struct{}

func (instant) Now() time.Time                                   { return time.Unix(1e9, 0) }
func (instant) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// observers are the configurations compared: none, the Telemetry on
// no-op providers, and on the SDK's providers (a tracer provider with no
// exporter and a meter provider with a manual reader).
func observers(tb testing.TB) map[string]policy.Observer {
	noopTel, err := otelapierr.New(otelapierr.Config{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()})
	if err != nil {
		tb.Fatal(err)
	}
	sdkTel, err := otelapierr.New(otelapierr.Config{TracerProvider: sdktrace.NewTracerProvider(), MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))})
	if err != nil {
		tb.Fatal(err)
	}
	return map[string]policy.Observer{"none": nil, "noop": noopTel.Observe, "sdk": sdkTel.Observe}
}

// roundTrip sends one logical request through t and reads its body.
func roundTrip(tb testing.TB, client *http.Client, req *http.Request) {
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func newClient(obs policy.Observer, fail int) *http.Client {
	return retryhttp.NewClient(&retryhttp.Transport{Base: &script{fail: fail}, Policy: &policy.Policy{Clock: instant{}, Rand: func() float64 { return 0.5 }, Observer: obs}})
}

func newRequest(tb testing.TB) *http.Request {
	req, err := http.NewRequest(http.MethodGet, "https://api.openai.com/v1/chat/completions", nil)
	if err != nil {
		tb.Fatal(err)
	}
	return req
}

// TestNoopAllocs pins the allocations: with no-op providers the observer
// adds none to a logical request, whether its one attempt succeeds or a
// 503 is retried first.
func TestNoopAllocs(t *testing.T) {
	obs := observers(t)
	req := newRequest(t)
	for _, fail := range []int{1, 2} {
		per := map[string]float64{}
		for _, name := range []string{"none", "noop"} {
			client := newClient(obs[name], fail)
			roundTrip(t, client, req) // warm the attribute caches
			per[name] = testing.AllocsPerRun(200, func() { roundTrip(t, client, req) })
		}
		if per["noop"] != per["none"] {
			t.Errorf("attempts per request %d: %v allocations with the no-op observer, %v without", fail, per["noop"], per["none"])
		}
	}
}

// BenchmarkTransport is the cost of one logical request through the
// retrying transport over an in-memory Base, by observer; attempts=2
// retries a 503 first. Divide by the attempts for the cost per attempt.
func BenchmarkTransport(b *testing.B) {
	obs := observers(b)
	for _, fail := range []int{1, 2} {
		for _, name := range []string{"none", "noop", "sdk"} {
			b.Run("attempts="+string(rune('0'+fail))+"/observer="+name, func(b *testing.B) {
				client := newClient(obs[name], fail)
				req := newRequest(b)
				b.ReportAllocs()
				for b.Loop() {
					roundTrip(b, client, req)
				}
			})
		}
	}
}

// BenchmarkObserve is the cost of Observe alone for a failed attempt that
// is retried and for a final success, by provider.
func BenchmarkObserve(b *testing.B) {
	req := newRequest(b)
	retry := policy.Attempt{Number: 1, Request: req, Result: classifyOverloaded(b)}
	retryD := policy.Decision{Retry: true, Delay: 100 * time.Millisecond, Source: policy.DelaySchedule, Reason: policy.ReasonRetry}
	ok := policy.Attempt{Number: 2, Request: req}
	ok.Result.OK, ok.Result.Status = true, 200
	okD := policy.Decision{Reason: policy.ReasonSuccess}
	for name, obs := range observers(b) {
		if obs == nil {
			continue
		}
		b.Run("observer="+name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				obs(ctx, retry, retryD)
				obs(ctx, ok, okD)
			}
		})
	}
}

func classifyOverloaded(tb testing.TB) classify.Result {
	r := classify.Classify(503, jsonHdr, []byte(overloaded503))
	if r.OK {
		tb.Fatal("the 503 classified as OK")
	}
	return r
}
