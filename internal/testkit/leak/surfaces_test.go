package leak_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/leak"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// roundTrip is an http.RoundTripper made of a function.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// errorSurfaces renders err the ways a caller logs it: Error, %v, %+v and
// slog's JSON and text handlers.
func errorSurfaces(err error) map[string]string {
	var j, t bytes.Buffer
	slog.New(slog.NewJSONHandler(&j, nil)).Error("call failed", "err", err)
	slog.New(slog.NewTextHandler(&t, nil)).Error("call failed", "err", err)
	return map[string]string{
		"Error": err.Error(), "%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err),
		"slog JSON": j.String(), "slog text": t.String(),
	}
}

// TestLeakSuitePolicyAndTransport runs every case of the leak suite through
// the errors of the policy and of the retrying transport: the *policy.Error
// a Retrier returns for a failed attempt, and the transport's error for a
// response it will not retry and for a failed connection (after its
// retries). No part of any secret may survive on any of them.
func TestLeakSuitePolicyAndTransport(t *testing.T) {
	cases := leak.Cases()
	leaks := 0
	noSleep := func(context.Context, time.Duration) error { return nil }
	for _, c := range cases {
		msg, _ := json.Marshal(c.Text)
		body := `{"error":{"message":` + string(msg) + `,"type":"invalid_request_error","code":"invalid_api_key"}}`
		h := http.Header{"Content-Type": {"application/json"}}
		errs := map[string]error{}

		rt := (&policy.Policy{}).NewRetrier(context.Background())
		errs["policy.Error"] = rt.Observe(classify.Classify(401, h, []byte(body)))

		respond := &retryhttp.Transport{ReturnErrors: true, Sleep: noSleep, Base: roundTrip(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 401, Header: h.Clone(), Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})}
		fail := &retryhttp.Transport{Sleep: noSleep, Base: roundTrip(func(*http.Request) (*http.Response, error) {
			return nil, errors.New(c.Text)
		})}
		for name, tr := range map[string]*retryhttp.Transport{"transport 401": respond, "transport dial": fail} {
			req, _ := http.NewRequest("POST", "https://api.example.com/v1/chat/completions", nil)
			_, err := tr.RoundTrip(req)
			errs[name] = err
		}
		for where, err := range errs {
			if err == nil {
				t.Fatalf("%s: %s returned no error", c.Name, where)
			}
			for surface, out := range errorSurfaces(err) {
				if piece := c.Found(out); piece != "" {
					leaks++
					t.Errorf("%s\n%s via %s: %q leaks in %q", c, where, surface, piece, out)
				}
			}
		}
	}
	t.Logf("%d cases x 3 errors x 5 surfaces: %d leaks", len(cases), leaks)
}
