package retryhttp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// fakeClock is a virtual clock: Sleep advances it instead of sleeping.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	delays []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.delays = append(c.delays, d)
	return ctx.Err()
}

// cancelClock is a Clock whose Sleep cancels the request and returns the
// context's error.
type cancelClock context.CancelFunc

func (cancelClock) Now() time.Time { return time.Now() }

func (c cancelClock) Sleep(ctx context.Context, d time.Duration) error {
	c()
	<-ctx.Done()
	return ctx.Err()
}

const okJSON = `{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]}`

// tokens is an OpenAI chat-completions stream of two tokens, the shape of
// https://platform.openai.com/docs/api-reference/chat-streaming.
const tokens = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
	"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"

// sequence is one acceptance sequence: the replies, and what the caller
// must see.
type sequence struct {
	name      string
	replies   []sdktest.Step
	requests  int    // requests the server must see
	status    int    // status the caller gets
	body      string // body the caller reads
	sentinel  error  // with ReturnErrors: errors.Is(err, sentinel)
	minDelays []time.Duration
}

func sequences(t testing.TB) []sequence {
	rate := sdktest.Case(t, "openai/rate_limit_rpm_seconds")
	over := sdktest.Case(t, "openai/model_overloaded_503")
	quota := sdktest.Case(t, "openai/insufficient_quota")
	ctxLen := sdktest.Case(t, "openai/context_length_exceeded")
	streamErr := sdktest.Case(t, "anthropic/stream_error_event_overloaded")
	okStream := sdktest.Step{Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: tokens}
	ok := sdktest.Step{Header: http.Header{"Content-Type": {"application/json"}}, Body: okJSON}
	lateErr := okStream
	lateErr.Body = tokens + streamErr.Body
	return []sequence{
		{name: "429 Retry-After then 200", replies: []sdktest.Step{sdktest.Reply(t, rate.Name, http.Header{"Retry-After": {"1"}}), ok}, requests: 2, status: 200, body: okJSON, minDelays: []time.Duration{time.Second}},
		{name: "503 503 200", replies: []sdktest.Step{sdktest.Reply(t, over.Name, nil), sdktest.Reply(t, over.Name, nil), ok}, requests: 3, status: 200, body: okJSON},
		{name: "insufficient_quota", replies: []sdktest.Step{sdktest.Reply(t, quota.Name, nil), ok}, requests: 1, status: 429, body: quota.Body, sentinel: classify.ErrQuotaExceeded},
		{name: "stream error event before any token", replies: []sdktest.Step{sdktest.Reply(t, streamErr.Name, nil), okStream}, requests: 2, status: 200, body: tokens},
		{name: "stream error event after tokens", replies: []sdktest.Step{lateErr, okStream}, requests: 1, status: 200, body: lateErr.Body},
		{name: "400 context length", replies: []sdktest.Step{sdktest.Reply(t, ctxLen.Name, nil), ok}, requests: 1, status: 400, body: ctxLen.Body, sentinel: classify.ErrContextLengthExceeded},
		{name: "connection reset then 200", replies: []sdktest.Step{{Reset: true}, ok}, requests: 2, status: 200, body: okJSON},
	}
}

const postBody = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}],"stream":true}`

// TestSequences runs every acceptance sequence through the Transport with
// a POST body, checking the outcome, the number of requests the server saw,
// and that every resent body is byte-identical.
func TestSequences(t *testing.T) {
	for _, sq := range sequences(t) {
		for _, returnErrors := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/ReturnErrors=%v", sq.name, returnErrors), func(t *testing.T) {
				ts := sdktest.New(t, sq.replies...)
				clock := &fakeClock{now: time.Unix(1e9, 0)}
				tr := &retryhttp.Transport{
					Base:         ts.Client().Transport,
					Policy:       &policy.Policy{Clock: clock},
					ReturnErrors: returnErrors,
				}
				req, err := http.NewRequest(http.MethodPost, ts.URL+"/v1/chat/completions", strings.NewReader(postBody))
				if err != nil {
					t.Fatal(err)
				}
				resp, err := retryhttp.NewClient(tr).Do(req)
				if returnErrors && sq.sentinel != nil {
					if !errors.Is(err, sq.sentinel) {
						t.Fatalf("err = %v, want one wrapping %v", err, sq.sentinel)
					}
				} else {
					if err != nil {
						t.Fatal(err)
					}
					got, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil {
						t.Fatal(err)
					}
					if resp.StatusCode != sq.status {
						t.Errorf("status %d, want %d", resp.StatusCode, sq.status)
					}
					if diff := cmp.Diff(sq.body, string(got)); diff != "" {
						t.Errorf("body (-want +got):\n%s", diff)
					}
					if n := retryhttp.Attempts(resp); n != sq.requests {
						t.Errorf("Attempts(resp) = %d, want %d", n, sq.requests)
					}
				}
				reqs := ts.Bodies()
				if len(reqs) != sq.requests {
					t.Errorf("server saw %d requests, want %d", len(reqs), sq.requests)
				}
				for i, b := range reqs {
					if b != postBody {
						t.Errorf("request %d body %q, want %q", i+1, b, postBody)
					}
				}
				for i, min := range sq.minDelays {
					if i >= len(clock.delays) || clock.delays[i] < min {
						t.Errorf("delays %v, want delay %d >= %v", clock.delays, i+1, min)
					}
				}
			})
		}
	}
}

// TestStreamNotHeldBack checks the order of events, with no clock: the
// first token reaches the caller after the server sent it and before the
// server sends the second, which it does only once the test saw the first.
func TestStreamNotHeldBack(t *testing.T) {
	first := "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
	second := "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
	sentFirst := make(chan struct{})
	gotFirst := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		close(sentFirst)
		io.WriteString(w, first)
		w.(http.Flusher).Flush()
		select {
		case <-gotFirst:
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, second)
	}))
	defer ts.Close()
	client := retryhttp.NewClient(&retryhttp.Transport{Base: ts.Client().Transport})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang fails, never a pass
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL, strings.NewReader(postBody))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, len(first))
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatalf("reading the first token before the server sent the second: %v", err)
	}
	select {
	case <-sentFirst:
	default:
		t.Fatal("first token read before the server sent it")
	}
	if string(buf) != first {
		t.Fatalf("first event %q, want %q", buf, first)
	}
	close(gotFirst)
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(rest) != second {
		t.Fatalf("rest %q, want %q", rest, second)
	}
}

// TestNotRewindable: a body without GetBody is sent once and the failed
// response comes back readable, with no wait.
func TestNotRewindable(t *testing.T) {
	over := sdktest.Case(t, "openai/model_overloaded_503")
	ts := sdktest.New(t, sdktest.Reply(t, over.Name, nil), sdktest.Step{Body: okJSON})
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	tr := &retryhttp.Transport{Base: ts.Client().Transport, Policy: &policy.Policy{Clock: clock}}
	req, _ := http.NewRequest(http.MethodPost, ts.URL, io.NopCloser(strings.NewReader(postBody)))
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || string(got) != over.Body {
		t.Errorf("got %d %q, want 503 and the published body", resp.StatusCode, got)
	}
	if n := len(ts.Bodies()); n != 1 || len(clock.delays) != 0 {
		t.Errorf("%d requests, delays %v; want 1 request and no wait", n, clock.delays)
	}
}

// TestNotRewindableReturnErrors: the same with ReturnErrors gives an error
// that wraps the category's sentinel (issue 7: the old example failed with
// "cannot be rewound" after a wait, and errors.Is was false).
func TestNotRewindableReturnErrors(t *testing.T) {
	over := sdktest.Case(t, "openai/model_overloaded_503")
	ts := sdktest.New(t, sdktest.Reply(t, over.Name, nil), sdktest.Step{Body: okJSON})
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	tr := &retryhttp.Transport{Base: ts.Client().Transport, Policy: &policy.Policy{Clock: clock}, ReturnErrors: true}
	req, _ := http.NewRequest(http.MethodPost, ts.URL, io.NopCloser(strings.NewReader(postBody)))
	resp, err := tr.RoundTrip(req)
	if resp != nil || !errors.Is(err, classify.ErrUnavailable) {
		t.Fatalf("resp %v, err %v; want no response and an error wrapping ErrUnavailable", resp, err)
	}
	if n := len(ts.Bodies()); n != 1 || len(clock.delays) != 0 {
		t.Errorf("%d requests, delays %v; want 1 request and no wait", n, clock.delays)
	}
}

// TestCanceledDuringWait: cancellation during the wait ends the request
// with the context's error.
func TestCanceledDuringWait(t *testing.T) {
	over := sdktest.Case(t, "openai/model_overloaded_503")
	ts := sdktest.New(t, sdktest.Reply(t, over.Name, nil), sdktest.Step{Body: okJSON})
	ctx, cancel := context.WithCancel(context.Background())
	tr := &retryhttp.Transport{Base: ts.Client().Transport, Policy: &policy.Policy{Clock: cancelClock(cancel)}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL, nil)
	_, err := tr.RoundTrip(req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(ts.Bodies()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestAttemptTimeout: an attempt whose headers do not come within
// FirstTokenTimeout fails as a timeout and is retried.
func TestAttemptTimeout(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	n := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		io.WriteString(w, okJSON)
	}))
	defer ts.Close()
	defer close(release)
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	tr := &retryhttp.Transport{Base: ts.Client().Transport, FirstTokenTimeout: 50 * time.Millisecond, Policy: &policy.Policy{Clock: clock}}
	resp, err := retryhttp.NewClient(tr).Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != okJSON || retryhttp.Attempts(resp) != 2 {
		t.Errorf("body %q after %d attempts, want the 200 after 2", body, retryhttp.Attempts(resp))
	}
}

// TestEmptyStreamEndIsNotAFailure: a 200 stream that ends (io.EOF) before
// any event is an end of stream, delivered as it is, not a network failure
// to retry.
func TestEmptyStreamEndIsNotAFailure(t *testing.T) {
	ts := sdktest.New(t, sdktest.Step{Header: http.Header{"Content-Type": {"text/event-stream"}}}, sdktest.Step{Body: okJSON})
	resp, err := retryhttp.NewClient(&retryhttp.Transport{Base: ts.Client().Transport}).Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || len(body) != 0 || len(ts.Bodies()) != 1 {
		t.Errorf("body %q, err %v, %d requests; want an empty stream after 1 request", body, err, len(ts.Bodies()))
	}
}
