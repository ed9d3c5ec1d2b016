package classify_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/leak"
)

// surfaces renders r through every output of the library: String, Error,
// the error of Err, and slog's JSON and text handlers through LogValue.
func surfaces(r classify.Result) map[string]string {
	out := map[string]string{
		"String": r.String(),
		"Error":  (&classify.Error{Result: r}).Error(),
	}
	if err := r.Err(); err != nil {
		out["Err"] = err.Error()
	}
	var j, t bytes.Buffer
	slog.New(slog.NewJSONHandler(&j, leak.LogOptions)).Error("call failed", "err", r)
	slog.New(slog.NewTextHandler(&t, leak.LogOptions)).Error("call failed", "err", r)
	out["slog JSON"], out["slog text"] = j.String(), t.String()
	return out
}

// TestLeakSuite plants every secret of the leak suite in every place of a
// response that reaches an output (the message of an OpenAI-style body and
// of a plain-text body, the type, code and param, the request id header, a
// body cut by the size limit) and in transport errors, and checks that no
// part of it survives on any surface.
func TestLeakSuite(t *testing.T) {
	cases := leak.Cases()
	leaks := 0
	for _, c := range cases {
		msg, _ := json.Marshal(c.Text)
		h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {c.Text}}
		responses := map[string]classify.Result{
			"openai message":  classify.Classify(401, h, []byte(`{"error":{"message":`+string(msg)+`,"type":"invalid_request_error","code":"invalid_api_key"}}`)),
			"type code param": classify.Classify(400, h, []byte(`{"error":{"message":"bad","type":`+string(msg)+`,"code":`+string(msg)+`,"param":`+string(msg)+`}}`)),
			"detail":          classify.Classify(401, nil, []byte(`{"detail":`+string(msg)+`}`)),
			"plain text":      classify.Classify(502, http.Header{"Content-Type": {"text/plain"}}, []byte(c.Text)),
			"sse error event": classify.Classify(200, http.Header{"Content-Type": {"text/event-stream"}}, []byte("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"+string(msg)+"}}\n\n")),
			"transport":       classify.TransportError(&url.Error{Op: "Post", URL: "https://api.example.com/v1", Err: errors.New(c.Text)}),
		}
		// The body limit cutting the secret five characters after its
		// visible prefix.
		body := []byte(`{"error":{"message":` + string(msg) + `,"code":"x"}}`)
		if i := bytes.Index(body, []byte(c.Secret)); i >= 0 {
			limit := i + len(c.Keep) + 5
			responses["cut by limit"] = (&classify.Classifier{MaxBodyBytes: limit}).Classify(401, nil, body)
		}
		for where, r := range responses {
			for surface, out := range surfaces(r) {
				if piece := c.Found(out); piece != "" {
					leaks++
					t.Errorf("%s\n%s via %s: %q leaks in %q", c, where, surface, piece, out)
				}
			}
		}
		if piece := c.Found(classify.Wrap(fmt.Errorf("calling model: %w", errors.New(c.Text))).Error()); piece != "" {
			leaks++
			t.Errorf("%s: Wrap leaks %q", c, piece)
		}
	}
	t.Logf("%d cases x 7 responses x 5 surfaces (+ Wrap): %d leaks", len(cases), leaks)
}

// TestLeakSuiteCatchesLeaks makes sure that the suite's detector would see a
// secret that one surface left in place.
func TestLeakSuiteCatchesLeaks(t *testing.T) {
	c := leak.Cases()[0]
	if !strings.Contains(c.Text, c.Secret) || c.Found(c.Text) == "" {
		t.Fatalf("the detector does not see the secret of %s in its own text", c)
	}
}
