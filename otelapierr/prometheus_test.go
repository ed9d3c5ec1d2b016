package otelapierr_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// TestPrometheusScrape records a retried 503 and a refused quota through
// OpenTelemetry's Prometheus exporter, scrapes /metrics over HTTP, parses
// the exposition text with expfmt, and checks the families, their label
// sets and counts, and that every metric name and label in it is named in
// the package documentation.
func TestPrometheusScrape(t *testing.T) {
	reg := prometheus.NewRegistry()
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		t.Fatal(err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp))
	defer mp.Shutdown(context.Background())
	tel, err := otelapierr.New(otelapierr.Config{MeterProvider: mp, Provider: "openai"})
	if err != nil {
		t.Fatal(err)
	}
	srv := sdktest.New(t, sdktest.Reply(t, "openai/model_overloaded_503", nil), sdktest.Step{Header: jsonHeader, Body: okJSON},
		sdktest.Reply(t, "openai/insufficient_quota", nil))
	tr := &retryhttp.Transport{Base: srv.Client().Transport, Policy: &policy.Policy{Clock: &fakeClock{now: time.Unix(1e9, 0)}, Observer: tel.Observe}}
	for range 2 {
		if err := postChat(context.Background(), retryhttp.NewClient(tr), srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	scrape := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer scrape.Close()
	resp, err := http.Get(scrape.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	// name -> label sets (k=v sorted, joined by commas) -> count.
	got := map[string]map[string]float64{}
	for name, f := range families {
		got[name] = map[string]float64{}
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			sort.Strings(labels)
			v := m.GetCounter().GetValue()
			if h := m.GetHistogram(); h != nil {
				v = float64(h.GetSampleCount())
			}
			got[name][strings.Join(labels, ",")] = v
		}
	}
	const p = "gen_ai_provider_name=openai"
	want := map[string]map[string]float64{
		"apierr_client_attempts_total": {
			"apierr_action=retry,apierr_outcome=retry,apierr_reason=retry,apierr_scope=model,error_type=unavailable," + p:                   1,
			"apierr_outcome=success,apierr_reason=success," + p:                                                                             1,
			"apierr_action=fallback,apierr_outcome=failure,apierr_reason=not_retryable,apierr_scope=account,error_type=quota_exceeded," + p: 1,
		},
		"apierr_client_wait_duration_seconds": {"apierr_wait_source=schedule," + p: 1},
		"gen_ai_client_operation_duration_seconds": {
			"gen_ai_operation_name=chat," + p:                           1,
			"error_type=quota_exceeded,gen_ai_operation_name=chat," + p: 1,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scraped families (-want +got):\n%s", diff)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range families {
		if !strings.Contains(string(doc), name) {
			t.Errorf("metric %s is not in the package documentation", name)
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if !strings.Contains(string(doc), l.GetName()) {
					t.Errorf("label %s of %s is not in the package documentation", l.GetName(), name)
				}
			}
		}
	}
}

// TestDocListsCategories: the package documentation lists every value of
// error.type, the catalog's categories.
func TestDocListsCategories(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, list, _ := strings.Cut(string(doc), "# error.type values")
	for _, c := range catalog.Categories() {
		if !strings.Contains(list, " "+c.String()+",") && !strings.Contains(list, " "+c.String()+".") {
			t.Errorf("error.type %s is not listed in the package documentation", c)
		}
	}
}
