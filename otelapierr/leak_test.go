package otelapierr_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/internal/testkit/leak"
	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// canned is a Base transport that answers every request with one canned
// response, or fails with err.
type canned struct {
	status int
	header http.Header
	body   string
	err    error
}

func (c canned) RoundTrip(req *http.Request) (*http.Response, error) {
	if c.err != nil {
		return nil, c.err
	}
	return &http.Response{StatusCode: c.status, Header: c.header.Clone(), Body: io.NopCloser(strings.NewReader(c.body)), Request: req, ContentLength: int64(len(c.body))}, nil
}

// TestLeakSuite plants every secret of the core's leak suite in every
// place of a failed attempt that reaches this module (the message of an
// OpenAI-style body, the type and code that become span attributes, a
// plain-text body, an error event in a stream, a transport error, the
// request id header, and the API key in the URL's query) and checks that
// no part of it survives in the exported spans (names, attributes, status,
// events), the metric points' attributes or the slog records.
func TestLeakSuite(t *testing.T) {
	cases := leak.Cases()
	leaks := 0
	for _, c := range cases {
		msg, _ := json.Marshal(c.Text)
		h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {c.Text}}
		answers := map[string]canned{
			"openai message":  {status: 401, header: h, body: `{"error":{"message":` + string(msg) + `,"type":"invalid_request_error","code":"invalid_api_key"}}`},
			"type code param": {status: 429, header: h, body: `{"error":{"message":"bad","type":` + string(msg) + `,"code":` + string(msg) + `,"param":` + string(msg) + `}}`},
			"plain text":      {status: 502, header: http.Header{"Content-Type": {"text/plain"}}, body: c.Text},
			"sse error event": {status: 200, header: http.Header{"Content-Type": {"text/event-stream"}}, body: "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":" + string(msg) + "}}\n\n"},
			"transport":       {err: errors.New(c.Text)},
		}
		for where, a := range answers {
			out := exported(t, a, "https://api.example.com/v1beta/models/m:generateContent?key="+url.QueryEscape(c.Secret))
			if piece := c.Found(out); piece != "" {
				leaks++
				t.Errorf("%s\n%s: %q leaks in %q", c, where, piece, out)
			}
		}
	}
	t.Logf("%d cases x 5 answers: %d leaks", len(cases), leaks)
}

// exported sends a request to u through the retrying transport, with the
// module's own attempt spans, a call span and the slog observer, over a
// Base that always answers a, and returns everything exported, as text.
func exported(t *testing.T, a canned, u string) string {
	t.Helper()
	h := newHarness(t, otelapierr.Config{})
	var logs bytes.Buffer
	obs := otelapierr.Observers(h.tel.Observe, otelapierr.SlogObserver(slog.New(slog.NewJSONHandler(&logs, leak.LogOptions))))
	tr := &retryhttp.Transport{Base: h.tel.Transport(a), Policy: &policy.Policy{Clock: &fakeClock{now: time.Unix(1e9, 0)}, Rand: func() float64 { return 0.5 }, Observer: obs}}
	ctx, call := h.tp.Tracer("test").Start(context.Background(), "call")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(post))
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := retryhttp.NewClient(tr).Do(req); err == nil {
		resp.Body.Close()
	}
	call.End()
	var out strings.Builder
	for _, s := range h.sr.Ended() {
		out.WriteString(s.Name() + " " + s.Status().Description + "\n")
		for _, kv := range s.Attributes() {
			out.WriteString(string(kv.Key) + "=" + kv.Value.String() + "\n")
		}
		for _, e := range s.Events() {
			out.WriteString(e.Name + "\n")
			for _, kv := range e.Attributes {
				out.WriteString(string(kv.Key) + "=" + kv.Value.String() + "\n")
			}
		}
	}
	counts, _ := h.metrics(t)
	for name, pts := range counts {
		for k := range pts {
			out.WriteString(name + "{" + k + "}\n")
		}
	}
	out.WriteString(logs.String())
	return out.String()
}

// TestLeakSuiteIsRepeatable checks that exported gives the same text on
// every run, so that a leak the suite reports is the redactor's and not
// wall-clock or jitter digits that happened to match a secret's.
func TestLeakSuiteIsRepeatable(t *testing.T) {
	a := canned{status: 429, header: http.Header{"Content-Type": {"application/json"}},
		body: `{"error":{"message":"m","type":"tokens","code":"rate_limit_exceeded"}}`}
	lines := func() []string {
		l := strings.Split(exported(t, a, "https://api.example.com/v1/chat/completions"), "\n")
		slices.Sort(l) // metric points come from a map
		return l
	}
	first := lines()
	if !slices.ContainsFunc(first, func(l string) bool { return strings.Contains(l, `"delay":`) }) {
		t.Fatalf("no retry delay in the logs:\n%s", strings.Join(first, "\n"))
	}
	if diff := cmp.Diff(first, lines()); diff != "" {
		t.Errorf("a second run exported other text (-first +second):\n%s", diff)
	}
}

// TestLeakSuiteSeesLeaks makes sure that what exported returns holds the
// attempts' attributes, so that the suite would see a secret there.
func TestLeakSuiteSeesLeaks(t *testing.T) {
	out := exported(t, canned{status: 429, header: http.Header{"Content-Type": {"application/json"}},
		body: `{"error":{"message":"m","type":"tokens","code":"rate_limit_exceeded"}}`}, "https://api.example.com/v1/chat/completions")
	for _, want := range []string{"apierr.provider.code=rate_limit_exceeded", "apierr.provider.type=tokens", "url.full=https://api.example.com/v1/chat/completions", "error.type=rate_limited", otelapierr.EventGiveUp, otelapierr.MsgGiveUp} {
		if !strings.Contains(out, want) {
			t.Errorf("exported text lacks %q:\n%s", want, out)
		}
	}
}
