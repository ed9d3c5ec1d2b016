package otelapierr_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	ooption "github.com/openai/openai-go/v3/option"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/apierr/apierr/adapters/anthropicsdk"
	"github.com/apierr/apierr/adapters/openaigo"
	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// overloaded529 is Anthropic's published 529 (anthropic/overloaded_529
// in the core's published cases; https://github.com/apify/tester-mcp-client/issues/16).
const overloaded529 = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`

// flaky starts a server that answers the first request with OpenAI's
// published 503 (openai/model_overloaded_503) and the others with body.
func flaky(body string) *httptest.Server {
	return flakyWith(http.StatusServiceUnavailable, overloaded503, body)
}

// flakyWith answers the first request with status and failure, the
// others with body.
func flakyWith(status int, failure, body string) *httptest.Server {
	var n atomic.Int32
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n.Add(1) == 1 {
			w.WriteHeader(status)
			io.WriteString(w, failure)
			return
		}
		io.WriteString(w, body)
	}))
}

// printSpans prints each span's name and the attributes this module sets.
func printSpans(sr *tracetest.SpanRecorder) {
	for _, s := range sr.Ended() {
		var attrs []string
		for _, kv := range s.Attributes() {
			if k := string(kv.Key); k == "error.type" || k == "http.request.resend_count" || strings.HasPrefix(k, "apierr.") {
				attrs = append(attrs, k+"="+kv.Value.String())
			}
		}
		sort.Strings(attrs)
		for _, e := range s.Events() {
			attrs = append(attrs, "event "+e.Name)
		}
		fmt.Println(s.Name(), attrs)
	}
}

// otelhttp under the retrying transport: each attempt is otelhttp's client
// span, with the attempt's attributes.
func Example_otelhttp() {
	srv := flaky(okJSON)
	defer srv.Close()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	tel, err := otelapierr.New(otelapierr.Config{TracerProvider: tp})
	if err != nil {
		panic(err)
	}
	base := otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(tel.TracerProvider()))
	client := retryhttp.NewClient(&retryhttp.Transport{Base: base, Policy: &policy.Policy{Observer: tel.Observe}})

	ctx, call := tp.Tracer("app").Start(context.Background(), "summarize")
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/chat/completions", strings.NewReader(post))
	resp, err := client.Do(req)
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	call.End()
	printSpans(sr)
	// Output:
	// HTTP POST [apierr.action=retry apierr.provider.type=server_error apierr.rule=overloaded_message apierr.scope=model error.type=unavailable]
	// HTTP POST [http.request.resend_count=1]
	// summarize [http.request.resend_count=1 event apierr.retry]
}

// openai-go with the adapter: openai-go opens no span, so the caller's
// span is the call's; otelhttp under the retrying transport gives the
// attempt spans.
func Example_openaigo() {
	srv := flaky(okJSON)
	defer srv.Close()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	tel, err := otelapierr.New(otelapierr.Config{TracerProvider: tp, Provider: "openai"})
	if err != nil {
		panic(err)
	}
	retrying := retryhttp.NewClient(&retryhttp.Transport{
		Base:   otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(tel.TracerProvider())),
		Policy: &policy.Policy{Observer: otelapierr.Observers(tel.Observe, otelapierr.SlogObserver(slog.New(slog.DiscardHandler)))},
	})
	client := openai.NewClient(ooption.WithBaseURL(srv.URL), ooption.WithAPIKey("sk-example"), openaigo.WithRetries(retrying))

	ctx, call := tp.Tracer("app").Start(context.Background(), "summarize")
	_, err = client.Chat.Completions.New(ctx, openaiParams)
	call.End()
	fmt.Println("error:", err)
	printSpans(sr)
	// Output:
	// error: <nil>
	// HTTP POST [apierr.action=retry apierr.provider.type=server_error apierr.rule=overloaded_message apierr.scope=model error.type=unavailable]
	// HTTP POST [http.request.resend_count=1]
	// summarize [http.request.resend_count=1 event apierr.retry]
}

// anthropic-sdk-go with the adapter: the SDK's own span of the call gets
// the resend count it lost when WithRetries turned its retries off, and
// the retry events.
func Example_anthropicsdk() {
	srv := flakyWith(529, overloaded529, anthropicMessage)
	defer srv.Close()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	tel, err := otelapierr.New(otelapierr.Config{TracerProvider: tp, Provider: "anthropic"})
	if err != nil {
		panic(err)
	}
	retrying := retryhttp.NewClient(&retryhttp.Transport{
		Base:   otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(tel.TracerProvider())),
		Policy: &policy.Policy{Observer: tel.Observe},
	})
	client := anthropic.NewClient(aoption.WithBaseURL(srv.URL), aoption.WithAPIKey("sk-ant-example"),
		anthropicsdk.WithRetries(retrying), aoption.WithTracerProvider(tp))

	_, err = client.Messages.New(context.Background(), anthropicParams)
	fmt.Println("error:", err)
	printSpans(sr)
	// Output:
	// error: <nil>
	// HTTP POST [apierr.action=retry apierr.provider.type=overloaded_error apierr.rule=overloaded_code apierr.scope=model error.type=unavailable]
	// HTTP POST [http.request.resend_count=1]
	// anthropic.messages.create [http.request.resend_count=1 event apierr.retry]
}

// The metrics through OpenTelemetry's Prometheus exporter, served on
// /metrics for Prometheus to scrape.
func Example_prometheus() {
	reg := prometheus.NewRegistry()
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		panic(err)
	}
	tel, err := otelapierr.New(otelapierr.Config{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp))})
	if err != nil {
		panic(err)
	}
	metrics := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})) // or http.Handle("/metrics", ...)
	defer metrics.Close()

	srv := flaky(okJSON)
	defer srv.Close()
	client := retryhttp.NewClient(&retryhttp.Transport{Policy: &policy.Policy{Observer: tel.Observe}})
	resp, err := client.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(post))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	scrape, err := http.Get(metrics.URL + "/metrics")
	if err != nil {
		panic(err)
	}
	defer scrape.Body.Close()
	text, _ := io.ReadAll(scrape.Body)
	for line := range strings.Lines(string(text)) {
		if strings.HasPrefix(line, "apierr_client_attempts_total") {
			fmt.Fprint(os.Stdout, line)
		}
	}
	// Unordered output:
	// apierr_client_attempts_total{apierr_action="retry",apierr_outcome="retry",apierr_reason="retry",apierr_scope="model",error_type="unavailable"} 1
	// apierr_client_attempts_total{apierr_outcome="success",apierr_reason="success"} 1
}
