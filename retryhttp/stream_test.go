package retryhttp_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

func TestMain(m *testing.M) { sdktest.Main(m) }

// wire is one stream format: its headers, two tokens, an error that a
// server sends as the first token (retryable), and an error it sends after
// a token.
type wire struct {
	name        string
	contentType string
	gzip        bool // the server compresses; the caller decompresses itself
	tokens      [2]string
	errFirst    string
}

// Real wire formats:
//   - SSE: OpenAI chat-completions chunks
//     (https://platform.openai.com/docs/api-reference/chat-streaming) and
//     Anthropic's overloaded error event
//     (https://docs.anthropic.com/en/api/messages-streaming, the
//     anthropic/stream_error_event_overloaded case).
//   - NDJSON: Ollama's /api/chat stream (docs/api.md, "Chat request
//     (streaming)") and its error line: server/routes.go's ChatHandler sends
//     the error of llm/server.go's Completion as gin.H{"error": ...}, which
//     streamResponse writes as one line of the application/x-ndjson 200;
//     "model runner has unexpectedly stopped..." is Completion's error when
//     the runner process died.
//   - AWS event stream: Bedrock ConverseStream messages
//     (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html)
//     and its throttlingException, with the message users reported from
//     such a frame in https://github.com/aws-samples/aws-genai-llm-chatbot/issues/220.
func wires(t testing.TB) []wire {
	overloaded := sdktest.Case(t, "anthropic/stream_error_event_overloaded").Body
	sse := wire{
		name:        "SSE",
		contentType: "text/event-stream",
		tokens: [2]string{
			"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
			"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n",
		},
		errFirst: overloaded,
	}
	gz := sse
	gz.name, gz.gzip = "gzip SSE", true
	event := func(typ, payload string) string {
		return sdktest.EventStreamMessage([][2]string{{":event-type", typ}, {":content-type", "application/json"}, {":message-type", "event"}}, payload)
	}
	return []wire{sse, gz, {
		name:        "NDJSON",
		contentType: "application/x-ndjson",
		tokens: [2]string{
			`{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The","images":null},"done":false}` + "\n",
			`{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":" sky","images":null},"done":false}` + "\n",
		},
		errFirst: `{"error":"model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details"}` + "\n",
	}, {
		name:        "event-stream",
		contentType: "application/vnd.amazon.eventstream",
		tokens: [2]string{
			event("messageStart", `{"role":"assistant"}`),
			event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello"}}`),
		},
		errFirst: sdktest.EventStreamMessage([][2]string{{":exception-type", "throttlingException"}, {":content-type", "application/json"}, {":message-type", "exception"}},
			`{"message":"Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again."}`),
	}}
}

// reply is how the stream server answers one request: chunks flushed one
// by one; gate, when not nil, is waited for before the second; hold keeps
// the stream open after the last chunk until the client goes away.
type reply struct {
	chunks []string
	gate   chan struct{}
	hold   bool
	// every, when positive, sends keepAlive at this interval for
	// keepFor before the chunks.
	keepAlive      string
	every, keepFor time.Duration
}

// streamServer answers the requests with replies, in w's format, and
// records the bytes it wrote to each (compressed when w.gzip).
type streamServer struct {
	*httptest.Server
	w       wire
	replies []reply
	done    chan struct{}
	mu      sync.Mutex
	wrote   []*bytes.Buffer
}

func newStreamServer(t *testing.T, w wire, replies ...reply) *streamServer {
	s := &streamServer{w: w, replies: replies, done: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.done)
		s.Close()
	})
	return s
}

func (s *streamServer) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.wrote)
}

func (s *streamServer) written(i int) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wrote[i].Bytes()
}

func (s *streamServer) serve(rw http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	var rec bytes.Buffer
	s.mu.Lock()
	n := len(s.wrote)
	s.wrote = append(s.wrote, &rec)
	s.mu.Unlock()
	if n >= len(s.replies) {
		http.Error(rw, "unexpected request", http.StatusInternalServerError)
		return
	}
	rp := s.replies[n]
	rw.Header().Set("Content-Type", s.w.contentType)
	rc := http.NewResponseController(rw)
	var out io.Writer = io.MultiWriter(rw, &syncBuffer{mu: &s.mu, b: &rec})
	flush := func() { _ = rc.Flush() }
	if s.w.gzip {
		rw.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(out)
		defer zw.Close()
		out = zw
		flush = func() {
			_ = zw.Flush()
			_ = rc.Flush()
		}
	}
	rw.WriteHeader(http.StatusOK)
	wait := func(d time.Duration) bool {
		select {
		case <-time.After(d):
			return true
		case <-r.Context().Done():
		case <-s.done:
		}
		return false
	}
	for end := time.Now().Add(rp.keepFor); rp.every > 0 && time.Now().Before(end); {
		_, _ = io.WriteString(out, rp.keepAlive)
		flush()
		if !wait(rp.every) {
			return
		}
	}
	for i, c := range rp.chunks {
		if i == 1 && rp.gate != nil {
			select {
			case <-rp.gate:
			case <-r.Context().Done():
				return
			case <-s.done:
				return
			}
		}
		_, _ = io.WriteString(out, c)
		flush()
	}
	if rp.hold {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
	}
}

// syncBuffer records what the handler wrote, under the server's lock.
type syncBuffer struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// client returns a retrying client for s, with virtual waits; for a gzip
// wire, its Base leaves the decompression to the caller.
func (s *streamServer) client(t *testing.T, tr retryhttp.Transport) (*http.Client, *fakeClock) {
	base := s.Client().Transport.(*http.Transport).Clone()
	base.DisableCompression = true
	t.Cleanup(base.CloseIdleConnections)
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	tr.Base = base
	tr.Policy = &policy.Policy{Clock: clock}
	return retryhttp.NewClient(&tr), clock
}

// do sends a streaming POST with the caller's own Accept-Encoding for a
// gzip wire, bounded by 30 s so that a hang fails rather than passes.
func (s *streamServer) do(t *testing.T, c *http.Client) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, strings.NewReader(postBody))
	if err != nil {
		t.Fatal(err)
	}
	if s.w.gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// decoded returns a reader of resp's body as the caller sees its content:
// decompressed by the caller itself for a gzip wire.
func decoded(t *testing.T, w wire, resp *http.Response) io.Reader {
	t.Helper()
	if !w.gzip {
		return resp.Body
	}
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding %q: the transport decompressed the caller's gzip stream", got)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// TestStreamOrderEveryKind checks the order of events with no clock, for
// every stream kind: the first token reaches the caller while the server
// waits, before sending the second, for the test's signal, which it gives
// only once it has read the first token. The caller's body then replays
// exactly the bytes the server wrote.
func TestStreamOrderEveryKind(t *testing.T) {
	for _, w := range wires(t) {
		t.Run(w.name, func(t *testing.T) {
			gate := make(chan struct{})
			s := newStreamServer(t, w, reply{chunks: w.tokens[:], gate: gate})
			c, _ := s.client(t, retryhttp.Transport{})
			resp := s.do(t, c)
			var raw bytes.Buffer
			resp.Body = readCloser{io.TeeReader(resp.Body, &raw), resp.Body}
			body := decoded(t, w, resp)
			first := make([]byte, len(w.tokens[0]))
			if _, err := io.ReadFull(body, first); err != nil {
				t.Fatalf("reading the first token before the server sent the second: %v", err)
			}
			if string(first) != w.tokens[0] {
				t.Fatalf("first token %q, want %q", first, w.tokens[0])
			}
			close(gate) // only now may the server send the second token
			rest, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(w.tokens[1], string(rest)); diff != "" {
				t.Errorf("rest of the stream (-want +got):\n%s", diff)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(raw.Bytes(), s.written(0)) {
				t.Errorf("the caller read %d bytes, not the %d the server wrote", raw.Len(), len(s.written(0)))
			}
			if n := s.requests(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

// TestStreamErrorFirstEveryKind: an error as the first event, line or
// message is classified and retried (2 requests); one after a token is
// delivered in the stream and not retried (1 request).
func TestStreamErrorFirstEveryKind(t *testing.T) {
	for _, w := range wires(t) {
		t.Run(w.name+"/error first, retried", func(t *testing.T) {
			s := newStreamServer(t, w, reply{chunks: []string{w.errFirst}}, reply{chunks: w.tokens[:]})
			var attempts []policy.Attempt
			c, _ := s.client(t, retryhttp.Transport{})
			c.Transport.(*retryhttp.Transport).Policy.Observer = func(_ context.Context, a policy.Attempt, _ policy.Decision) {
				attempts = append(attempts, a)
			}
			resp := s.do(t, c)
			got, err := io.ReadAll(decoded(t, w, resp))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(w.tokens[0]+w.tokens[1], string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if n := s.requests(); n != 2 || retryhttp.Attempts(resp) != 2 {
				t.Errorf("%d requests, Attempts %d; want 2", n, retryhttp.Attempts(resp))
			}
			if len(attempts) != 2 || attempts[0].Result.OK || !attempts[0].Result.Retryable {
				t.Errorf("first attempt %+v; want a retryable failure", attempts)
			}
		})
		t.Run(w.name+"/error after a token, delivered", func(t *testing.T) {
			s := newStreamServer(t, w, reply{chunks: []string{w.tokens[0], w.errFirst}}, reply{chunks: w.tokens[:]})
			c, _ := s.client(t, retryhttp.Transport{})
			resp := s.do(t, c)
			got, err := io.ReadAll(decoded(t, w, resp))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(w.tokens[0]+w.errFirst, string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if n := s.requests(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// TestErrorStreamHeldOpen: a server that sends an error event and keeps
// the stream open (it never closes it: only the client's going away ends
// the handler) does not hold the retry.
func TestErrorStreamHeldOpen(t *testing.T) {
	for _, w := range wires(t) {
		t.Run(w.name, func(t *testing.T) {
			s := newStreamServer(t, w, reply{chunks: []string{w.errFirst}, hold: true}, reply{chunks: w.tokens[:]})
			c, _ := s.client(t, retryhttp.Transport{})
			resp := s.do(t, c)
			got, err := io.ReadAll(decoded(t, w, resp))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != w.tokens[0]+w.tokens[1] || s.requests() != 2 {
				t.Errorf("body %q after %d requests; want the tokens after 2", got, s.requests())
			}
		})
	}
}

// TestKeepAliveComments: a queueing gateway sends keep-alive comments
// every 50 ms (OpenRouter's ": OPENROUTER PROCESSING", documented in
// https://openrouter.ai/docs/api_reference/streaming) and its first token
// after 1 s. The headers come with the first comment, so a 300 ms
// HeaderTimeout holds and nothing is resent; comments are not a first
// token, so a 300 ms FirstTokenTimeout resends (the second answer comes
// at once).
func TestKeepAliveComments(t *testing.T) {
	sse := wires(t)[0]
	slow := reply{keepAlive: ": OPENROUTER PROCESSING\n\n", every: 50 * time.Millisecond, keepFor: time.Second, chunks: sse.tokens[:]}
	fast := reply{chunks: []string{sse.tokens[0] + sse.tokens[1]}}
	tests := []struct {
		name     string
		tr       retryhttp.Transport
		requests int
	}{
		{"HeaderTimeout 300ms: no resend", retryhttp.Transport{HeaderTimeout: 300 * time.Millisecond}, 1},
		{"FirstTokenTimeout 300ms: resent", retryhttp.Transport{FirstTokenTimeout: 300 * time.Millisecond}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStreamServer(t, sse, slow, fast)
			c, _ := s.client(t, tt.tr)
			resp := s.do(t, c)
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(got), sse.tokens[0]+sse.tokens[1]) {
				t.Errorf("body %q does not end with the tokens", got)
			}
			if n := s.requests(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

// TestStalledStream: a stream that stalls after one token ends, under a
// 200 ms IdleTimeout, with a timeout error that names the token delivered;
// it is not resent.
func TestStalledStream(t *testing.T) {
	for _, w := range wires(t) {
		t.Run(w.name, func(t *testing.T) {
			s := newStreamServer(t, w, reply{chunks: w.tokens[:1], hold: true})
			c, _ := s.client(t, retryhttp.Transport{IdleTimeout: 200 * time.Millisecond})
			resp := s.do(t, c)
			got, err := io.ReadAll(resp.Body)
			var te *retryhttp.TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("read %q, err %v; want a *retryhttp.TimeoutError", got, err)
			}
			wantTokens, wantBytes := 1, int64(len(w.tokens[0]))
			if w.gzip {
				// Not counted in compressed bytes; the bytes are the
				// compressed ones, before the trailer the server
				// writes once the client went away.
				wantTokens, wantBytes = -1, te.Bytes
				if n := int64(len(s.written(0))); wantBytes <= 0 || wantBytes > n {
					t.Errorf("Bytes %d, want some of the %d the server wrote", te.Bytes, n)
				}
			}
			want := retryhttp.TimeoutError{Limit: retryhttp.LimitIdle, After: 200 * time.Millisecond, Attempt: 1, Tokens: wantTokens, Bytes: wantBytes}
			if diff := cmp.Diff(want, *te); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if r := classify.TransportError(err); r.Category != catalog.Timeout || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("classified %v; want timeout", r)
			}
			if !w.gzip && !strings.Contains(err.Error(), "after 1 token (") {
				t.Errorf("error %q does not name the token delivered", err)
			}
			if n := s.requests(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// TestDeadlineEndToEnd runs the deadline rule with the real time and a
// real server: Retry-After: 1 with 1.2 s left succeeds on the retry, every
// one of 20 runs; Retry-After: 5 with 2 s left gives up at once, the 429
// readable.
func TestDeadlineEndToEnd(t *testing.T) {
	rate := sdktest.Case(t, "anthropic/rate_limit_error")
	t.Run("Retry-After 1, 1.2 s left", func(t *testing.T) {
		// One run at a time: run together (or as parallel subtests), the
		// runs share 2 cores under -race, and the first attempt itself
		// can take most of the 200 ms that the rule leaves. One server
		// answers all 20 runs in turn (429, then 200), through one client,
		// so that only the first run dials; the garbage of the setup is
		// collected before each run, so that no collection of the test's
		// own making runs inside those 200 ms.
		const runs = 20
		refusal := sdktest.Reply(t, rate.Name, http.Header{"Retry-After": {"1"}})
		var steps []sdktest.Step
		for range runs {
			steps = append(steps, refusal, sdktest.Step{Body: okJSON})
		}
		ts := sdktest.New(t, steps...)
		// The first attempt's decision, seen by the Observer: a refusal
		// that itself took more than the 150 ms the deadline leaves
		// beside the wait and MinAttemptTime (a loaded machine) must
		// not be retried; one that took less must be, and succeed.
		var first policy.Attempt
		var decision policy.Decision
		p := &policy.Policy{Observer: func(_ context.Context, a policy.Attempt, d policy.Decision) {
			if a.Number == 1 {
				first, decision = a, d
			}
		}}
		client := retryhttp.NewClient(&retryhttp.Transport{Base: ts.Client().Transport, Policy: p})
		fast := 0
		for i := range runs {
			before := ts.Requests()
			runtime.GC()
			ctx, cancel := context.WithTimeout(context.Background(), 1200*time.Millisecond)
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL, strings.NewReader(postBody))
			resp, err := client.Do(req)
			if !decision.Retry && first.Elapsed > 150*time.Millisecond {
				// Too slow to leave room: given up at once, the 429
				// readable, the server's script one step behind.
				if err != nil || resp.StatusCode != 429 || decision.Reason != policy.ReasonDeadline {
					t.Errorf("run %d: first attempt took %v: got %v, reason %q; want the 429 at once, reason deadline", i, first.Elapsed, err, decision.Reason)
				}
				if resp != nil {
					resp.Body.Close()
				}
				cancel()
				break // the script is out of step
			}
			fast++
			if err != nil {
				t.Errorf("run %d (first attempt %v): %v after %d requests", i, first.Elapsed, err, ts.Requests()-before)
				cancel()
				break // the script is out of step
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			cancel()
			if n := ts.Requests() - before; err != nil || resp.StatusCode != 200 || string(body) != okJSON || n != 2 {
				t.Errorf("run %d: %d %q (%v) after %d requests; want the 200 after 2", i, resp.StatusCode, body, err, n)
				break
			}
		}
		if fast == 0 {
			t.Errorf("no run had a first attempt fast enough to test the retry")
		}
	})
	t.Run("Retry-After 5, 2 s left", func(t *testing.T) {
		ts := sdktest.New(t, sdktest.Reply(t, rate.Name, http.Header{"Retry-After": {"5"}}), sdktest.Step{Body: okJSON})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL, strings.NewReader(postBody))
		var reason policy.Reason
		p := &policy.Policy{Observer: func(_ context.Context, _ policy.Attempt, d policy.Decision) { reason = d.Reason }}
		resp, err := retryhttp.NewClient(&retryhttp.Transport{Base: ts.Client().Transport, Policy: p}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if ctx.Err() != nil {
			t.Error("returned at the deadline, not at once")
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 429 || string(body) != rate.Body || ts.Requests() != 1 || reason != policy.ReasonDeadline {
			t.Errorf("%d %q (%v), reason %q, after %d requests; want the 429 readable, deadline, after 1", resp.StatusCode, body, err, reason, ts.Requests())
		}
	})
}

// TestStallBeforeFirstToken: a stream that sends a keep-alive comment and
// then nothing fails its attempt under the idle limit, before any token
// reached the caller, so the policy retries it.
func TestStallBeforeFirstToken(t *testing.T) {
	sse := wires(t)[0]
	// The second answer is one chunk, so that no wait of its own meets
	// the idle limit on a loaded machine.
	s := newStreamServer(t, sse, reply{chunks: []string{": OPENROUTER PROCESSING\n\n"}, hold: true}, reply{chunks: []string{sse.tokens[0] + sse.tokens[1]}})
	var first policy.Attempt
	c, _ := s.client(t, retryhttp.Transport{IdleTimeout: 200 * time.Millisecond})
	c.Transport.(*retryhttp.Transport).Policy.Observer = func(_ context.Context, a policy.Attempt, _ policy.Decision) {
		if a.Number == 1 {
			first = a
		}
	}
	resp := s.do(t, c)
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != sse.tokens[0]+sse.tokens[1] || s.requests() != 2 {
		t.Errorf("body %q, %v after %d requests; want the tokens after 2", got, err, s.requests())
	}
	var te *retryhttp.TimeoutError
	if !errors.As(first.Err, &te) || te.Limit != retryhttp.LimitIdle || te.Tokens != 0 || first.Result.Category != catalog.Timeout {
		t.Errorf("first attempt ended with %v (%v); want an idle timeout with no token", first.Err, first.Result)
	}
}

// TestCloseDuringRead: closing the body from another goroutine while a
// Read waits on a silent stream ends that Read (run with -race).
func TestCloseDuringRead(t *testing.T) {
	sse := wires(t)[0]
	s := newStreamServer(t, sse, reply{chunks: sse.tokens[:1], hold: true})
	c, _ := s.client(t, retryhttp.Transport{IdleTimeout: time.Minute})
	resp := s.do(t, c)
	buf := make([]byte, len(sse.tokens[0]))
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := resp.Body.Read(buf)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the Read block
	resp.Body.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Read after Close returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read still blocked after Close")
	}
}
