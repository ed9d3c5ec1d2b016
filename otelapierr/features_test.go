package otelapierr_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// sleepingLimiter holds every attempt for hold on the clock.
type sleepingLimiter struct {
	clock *fakeClock
	hold  time.Duration
}

func (l sleepingLimiter) Wait(ctx context.Context, _ *http.Request) error {
	return l.clock.Sleep(ctx, l.hold)
}

func (sleepingLimiter) Observe(policy.Attempt) {}

// TestLimiterOptInProvider: limiter waits are recorded with source
// limiter, the opt-in moves the inference duration to its newer name, and
// the Provider is on every point.
func TestLimiterOptInProvider(t *testing.T) {
	h := newHarness(t, otelapierr.Config{Provider: "openai", OptIn: "http, " + otelapierr.OptInLatest})
	srv := sdktest.New(t, sdktest.Reply(t, "openai/model_overloaded_503", nil), sdktest.Step{Header: jsonHeader, Body: okJSON})
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	const hold = 2 * time.Second
	tr := &retryhttp.Transport{Base: srv.Client().Transport, Policy: &policy.Policy{Clock: clock, Rand: func() float64 { return 0.5 },
		Observer: h.tel.Observe, Limiter: sleepingLimiter{clock, hold}}}
	if err := postChat(context.Background(), retryhttp.NewClient(tr), srv.URL); err != nil {
		t.Fatal(err)
	}
	slept := clock.slept() // hold, the retry's wait, hold
	if len(slept) != 3 {
		t.Fatalf("slept %v, want 3 waits", slept)
	}
	const p = ",gen_ai.provider.name=openai"
	counts, sums := h.metrics(t)
	want := metricView{
		"apierr.client.attempts": {
			attemptsKey("retry", "retry", "unavailable", "retry", "model") + p: 1,
			"apierr.outcome=success,apierr.reason=success" + p:                 1,
		},
		"apierr.client.wait.duration":      {"apierr.wait.source=limiter" + p: 2, "apierr.wait.source=schedule" + p: 1},
		"gen_ai.client.inference.duration": {"gen_ai.operation.name=chat" + p: 1},
	}
	// Attribute sets sort their keys: the provider's goes first.
	fix := func(k string) string {
		parts := strings.Split(k, ",")
		slicesSort(parts)
		return strings.Join(parts, ",")
	}
	for name, pts := range want {
		fixed := map[string]float64{}
		for k, v := range pts {
			fixed[fix(k)] = v
		}
		want[name] = fixed
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("metric points (-want +got):\n%s", diff)
	}
	if got, w := sums["apierr.client.wait.duration"][fix("apierr.wait.source=limiter"+p)], (2 * hold).Seconds(); got != w {
		t.Errorf("limiter waits sum to %v s, want %v", got, w)
	}
}

// TestSlogObserver: a retried failure logs at Warn, the final failure at
// Error, a success not at all, with the stable keys.
func TestSlogObserver(t *testing.T) {
	srv := sdktest.New(t, sdktest.Reply(t, "openai/model_overloaded_503", nil), sdktest.Reply(t, "openai/insufficient_quota", nil))
	var buf bytes.Buffer
	obs := otelapierr.SlogObserver(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})))
	tr := &retryhttp.Transport{Base: srv.Client().Transport, Policy: &policy.Policy{Clock: &fakeClock{}, Rand: func() float64 { return 0.5 }, Observer: obs}}
	if err := postChat(context.Background(), retryhttp.NewClient(tr), srv.URL); err != nil {
		t.Fatal(err)
	}
	type record struct {
		Level, Msg string
		Attempt    struct {
			Attempt int
			Method  string
			Result  struct{ Category, Action, Scope, Rule string }
		}
		Decision struct {
			Retry               bool
			DelaySource, Reason string `json:",omitempty"`
		}
	}
	var got []record
	for line := range strings.Lines(buf.String()) {
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v in %s", err, line)
		}
		// Go's JSON field matching is case-insensitive but needs the
		// snake_case keys mapped: read them by hand.
		var raw map[string]map[string]any
		_ = json.Unmarshal([]byte(line), &raw)
		r.Decision.DelaySource, _ = raw["decision"]["delay_source"].(string)
		got = append(got, r)
	}
	var want []record
	for _, w := range []struct {
		level, msg, cat, action, scope, rule string
		retry                                bool
		source, reason                       string
	}{
		{"WARN", otelapierr.MsgRetry, "unavailable", "retry", "model", "overloaded_message", true, "schedule", "retry"},
		{"ERROR", otelapierr.MsgGiveUp, "quota_exceeded", "fallback", "account", "quota_code", false, "", "not_retryable"},
	} {
		var r record
		r.Level, r.Msg = w.level, w.msg
		r.Attempt.Attempt, r.Attempt.Method = len(want)+1, "POST"
		r.Attempt.Result.Category, r.Attempt.Result.Action, r.Attempt.Result.Scope, r.Attempt.Result.Rule = w.cat, w.action, w.scope, w.rule
		r.Decision.Retry, r.Decision.DelaySource, r.Decision.Reason = w.retry, w.source, w.reason
		want = append(want, r)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s\nlog:\n%s", diff, buf.String())
	}
}
