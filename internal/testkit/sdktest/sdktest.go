// Package sdktest is a scripted HTTP server on 127.0.0.1 for the tests of
// the retrying transport, the go-retryablehttp integration and the SDK
// adapters: it answers each request with the next Step (a published
// body, a stream, or a reset connection) and records what it received. It
// is for tests only.
//
// Test kit: only _test.go files import it.
package sdktest

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/apierr/apierr/internal/testkit/fixture"
)

// Step is how the server answers one request.
type Step struct {
	// Reset closes the connection without answering (hijacked), as a
	// server or proxy that drops it does.
	Reset bool
	// Status, Header and Body answer the request; Status 0 means 200.
	Status int
	Header http.Header
	Body   string
	// Events, when not empty, answer with a 200 text/event-stream that
	// sends each element, flushed, one after the other. Body is ignored.
	Events []string
	// Sent, when not nil, is closed as the first event is written: a
	// client that has the event sees it closed.
	Sent chan struct{}
	// Gate, when not nil, is waited for after the first event, before the
	// second one is sent.
	Gate chan struct{}
}

// Server is a running scripted server. It is safe for concurrent use.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	steps  []Step
	bodies []string
}

// New starts a server that answers with steps, in order, and closes it at
// the end of the test. A request beyond the script gets a 500 whose body
// names the problem, and counts.
func New(t testing.TB, steps ...Step) *Server {
	s := &Server{steps: steps}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Requests returns how many requests the server received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// Bodies returns the body of every request received, in order.
func (s *Server) Bodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.bodies = append(s.bodies, string(b))
	var st Step
	ok := n < len(s.steps)
	if ok {
		st = s.steps[n]
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "sdktest: unexpected request", http.StatusInternalServerError)
		return
	}
	if st.Reset {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	}
	for k, v := range st.Header {
		w.Header()[k] = v
	}
	if len(st.Events) > 0 {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		for i, ev := range st.Events {
			if i == 1 && st.Gate != nil {
				select {
				case <-st.Gate:
				case <-r.Context().Done():
					return
				}
			}
			if i == 0 && st.Sent != nil {
				// Closed as the write begins: closed after the flush, a
				// client could read the event before the close ran.
				close(st.Sent)
			}
			_, _ = io.WriteString(w, ev)
			_ = rc.Flush()
		}
		return
	}
	status := st.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, st.Body)
}

// Case returns the published case called name from
// classify/testdata/real, or fails the test.
func Case(t testing.TB, name string) fixture.Case {
	t.Helper()
	all, err := fixture.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("sdktest: no published case %q", name)
	return fixture.Case{}
}

// Reply answers with the published case called name, with extra headers
// added to its own.
func Reply(t testing.TB, name string, extra http.Header) Step {
	c := Case(t, name)
	h := c.Header()
	for k, v := range extra {
		h[http.CanonicalHeaderKey(k)] = v
	}
	return Step{Status: c.Status, Header: h, Body: c.Body}
}

// Waits records the waits of a retrying transport instead of sleeping: it
// is a policy.Clock (Policy.Clock) whose Now is the real time and whose
// Sleep records d and returns at once. It is safe for concurrent use.
type Waits struct {
	mu sync.Mutex
	d  []time.Duration
}

// Now returns the real time.
func (w *Waits) Now() time.Time { return time.Now() }

// Sleep records d and returns at once, or ctx's error when ctx is done.
func (w *Waits) Sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

// All returns the recorded waits, in order.
func (w *Waits) All() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// EventStreamMessage encodes one AWS event stream message with string
// headers (the layout of
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html,
// which Bedrock's streaming APIs use), CRCs included.
func EventStreamMessage(headers [][2]string, payload string) string {
	var h []byte
	for _, kv := range headers {
		h = append(h, byte(len(kv[0])))
		h = append(h, kv[0]...)
		h = append(h, 7)
		h = binary.BigEndian.AppendUint16(h, uint16(len(kv[1])))
		h = append(h, kv[1]...)
	}
	m := binary.BigEndian.AppendUint32(nil, uint32(12+len(h)+len(payload)+4))
	m = binary.BigEndian.AppendUint32(m, uint32(len(h)))
	m = binary.BigEndian.AppendUint32(m, crc32.ChecksumIEEE(m))
	m = append(m, h...)
	m = append(m, payload...)
	return string(binary.BigEndian.AppendUint32(m, crc32.ChecksumIEEE(m)))
}
