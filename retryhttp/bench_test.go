package retryhttp_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/apierr/apierr/retryhttp"
)

// cannedBase answers every request with a fresh copy of one response,
// with no network, so that a benchmark measures the transport's own work.
type cannedBase struct {
	status int
	header http.Header
	body   string
}

func (c cannedBase) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: c.status, Header: c.header, Body: io.NopCloser(strings.NewReader(c.body)), Request: req}, nil
}

// BenchmarkRoundTrip: one successful attempt, its body read and closed:
// a JSON completion (not read by the transport) and a stream of two
// tokens (peeked to the first).
func BenchmarkRoundTrip(b *testing.B) {
	for _, c := range []struct {
		name string
		base cannedBase
	}{
		{"json", cannedBase{200, http.Header{"Content-Type": {"application/json"}}, okJSON}},
		{"sse", cannedBase{200, http.Header{"Content-Type": {"text/event-stream"}}, tokens}},
	} {
		b.Run(c.name, func(b *testing.B) {
			tr := &retryhttp.Transport{Base: c.base}
			req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/v1/chat/completions", nil)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := tr.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}
