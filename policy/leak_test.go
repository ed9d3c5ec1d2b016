package policy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/leak"
	"github.com/apierr/apierr/policy"
)

// hookSurfaces renders what the Observer is handed, and what the Retrier
// returns, through every way a user would print it: slog's JSON and text
// handlers for the Attempt, the Decision and the error, and the error's
// text with %v.
func hookSurfaces(a policy.Attempt, d policy.Decision, err error) map[string]string {
	out := map[string]string{}
	var j, t bytes.Buffer
	slog.New(slog.NewJSONHandler(&j, leak.LogOptions)).Warn("attempt", "attempt", a, "decision", d, "err", err)
	slog.New(slog.NewTextHandler(&t, leak.LogOptions)).Warn("attempt", "attempt", a, "decision", d, "err", err)
	out["slog JSON"], out["slog text"] = j.String(), t.String()
	if err != nil {
		out["%v"] = fmt.Sprintf("%v", err)
		out["Error"] = err.Error()
	}
	return out
}

// TestLeakSuiteHookValues plants every secret of the leak suite where an
// attempt carries it (the request's URL query and userinfo, the transport
// error, the response's body as classified) and checks that no part of it
// survives when the values handed to the Observer, and the error the
// Retrier returns, are logged or printed.
func TestLeakSuiteHookValues(t *testing.T) {
	cases := leak.Cases()
	leaks := 0
	for _, c := range cases {
		msg, _ := json.Marshal(c.Text)
		u := &url.URL{Scheme: "https", User: url.UserPassword("user", c.Secret), Host: "api.example.com", Path: "/v1/chat/completions", RawQuery: url.Values{"key": {c.Secret}}.Encode()}
		req := &http.Request{Method: http.MethodPost, URL: u, Header: http.Header{"Authorization": {"Bearer " + c.Secret}}}
		body := []byte(`{"error":{"message":` + string(msg) + `,"type":"invalid_request_error","code":"invalid_api_key"}}`)
		attempts := map[string]policy.Attempt{
			"response":           {Request: req, Response: &http.Response{StatusCode: 401, Header: http.Header{"X-Request-Id": {c.Text}}}, Result: classify.Classify(401, http.Header{"X-Request-Id": {c.Text}}, body)},
			"retryable response": {Request: req, Result: classify.Classify(503, nil, body)},
			"transport error": func() policy.Attempt {
				err := &url.Error{Op: "Post", URL: u.String(), Err: errors.New(c.Text)}
				return policy.Attempt{Request: req, Err: err, Result: classify.TransportError(err)}
			}(),
		}
		for where, a := range attempts {
			var got policy.Attempt
			var gotD policy.Decision
			p := policy.Policy{Clock: newClock(), Rand: func() float64 { return 0.5 }, Observer: func(_ context.Context, a policy.Attempt, d policy.Decision) { got, gotD = a, d }}
			err := p.NewRetrier(context.Background()).ObserveAttempt(a)
			for surface, out := range hookSurfaces(got, gotD, err) {
				if piece := c.Found(out); piece != "" {
					leaks++
					t.Errorf("%s\n%s via %s: %q leaks in %q", c, where, surface, piece, out)
				}
			}
		}
	}
	t.Logf("%d cases x 3 attempts x 4 surfaces: %d leaks", len(cases), leaks)
}
