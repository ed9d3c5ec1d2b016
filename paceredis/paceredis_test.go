package paceredis_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/pace"
	"github.com/apierr/apierr/paceredis"
	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
)

// clock is a virtual clock for the limiter (Redis's timeouts stay real).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time                                   { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
func (c *clock) add(d time.Duration)                              { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// runs keeps the keys of one run of a test apart from another's on a
// shared server.
var (
	runID = time.Now().UnixNano()
	runs  atomic.Int64
)

// prefix returns a key prefix of the test's own.
func prefix(t *testing.T) string { return fmt.Sprintf("test:%s:%d:%d:", t.Name(), runID, runs.Add(1)) }

func newStore(t *testing.T, addr, prefix string) *paceredis.Store {
	t.Helper()
	st := paceredis.New(&redis.Options{Addr: addr})
	st.Prefix = prefix
	t.Cleanup(func() { st.Client.(*redis.Client).Close() })
	return st
}

var (
	t0         = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	spreadOver = pace.Op{
		Now: t0, Observe: true, RequestsKnown: true,
		Requests: pace.WindowState{Limit: 100, Remaining: 40, ResetAt: t0.Add(40 * time.Second)},
		Tokens:   pace.WindowState{Remaining: -1},
	}
	reserve = pace.Op{Now: t0, Spread: 250 * time.Millisecond}
)

// TestNoLostUpdates: reservations made at once by several processes'
// stores (three clients, eight goroutines each) get exactly the starts
// that the same reservations made one after another get from one
// in-process store: no reservation is lost or counted twice.
func TestNoLostUpdates(t *testing.T) {
	addr, p := sharedAddr(t), prefix(t)
	const clients, goroutines, each = 3, 8, 5
	var mem pace.MemStore[string]
	mem.Apply("k", spreadOver)
	var want []time.Time
	for range clients * goroutines * each {
		want = append(want, mem.Apply("k", reserve))
	}
	stores := make([]*paceredis.Store, clients)
	for i := range stores {
		stores[i] = newStore(t, addr, p)
		stores[i].Timeout = 5 * time.Second // this test is about atomicity, not speed
	}
	stores[0].Apply("k", spreadOver)
	var (
		mu  sync.Mutex
		got []time.Time
		wg  sync.WaitGroup
	)
	for _, st := range stores {
		for range goroutines {
			wg.Go(func() {
				for range each {
					s := st.Apply("k", reserve)
					mu.Lock()
					got = append(got, s)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	slices.SortFunc(got, time.Time.Compare)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("starts (-serial in-process +concurrent Redis):\n%s", diff)
	}
	for i, st := range stores {
		if f := st.Failures(); f != 0 {
			t.Errorf("store %d fell back %d times", i, f)
		}
	}
}

// TestSharedCooldown: a 429's Retry-After observed by one process holds
// the others, and an exhausted window seen by one holds the others until
// its reset.
func TestSharedCooldown(t *testing.T) {
	addr, p := sharedAddr(t), prefix(t)
	c := &clock{t: t0}
	a := &pace.Limiter[string]{Store: newStore(t, addr, p), Clock: c}
	b := &pace.Limiter[string]{Store: newStore(t, addr, p), Clock: c}
	a.Observe("k", classify.Classify(429, http.Header{"Retry-After": {"10"}}, nil), classify.RateLimits{})
	if got := b.Held("k"); got != 10*time.Second {
		t.Errorf("other process held %v, want 10s", got)
	}
	if got := b.Held("other"); got != 0 {
		t.Errorf("another key held %v, want 0", got)
	}
	c.add(20 * time.Second)
	h := http.Header{"X-Ratelimit-Limit-Requests": {"60"}, "X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {"30s"}}
	b.Observe("k", classify.Classify(200, h, nil), classify.ReadRateLimits(h, c.Now()))
	if got, want := a.Reserve("k", 0), 30*time.Second+250*time.Millisecond; got != want {
		t.Errorf("other process's start in %v, want %v (the reset plus the spread)", got, want)
	}
}

// TestServerRestart: while Redis is down, Apply falls back to the local
// copy within Timeout and the key's cooldown still holds; after a
// restart (an empty server) and the Backoff, the store writes the key
// again from its local copy, and another process sees the cooldown.
func TestServerRestart(t *testing.T) {
	srv, p := startServer(t), prefix(t)
	c := &clock{t: t0}
	st := newStore(t, srv.addr(), p)
	st.Backoff = time.Second
	l := &pace.Limiter[string]{Store: st, Clock: c}
	l.Observe("k", classify.Classify(429, http.Header{"Retry-After": {"60"}}, nil), classify.RateLimits{})

	srv.stop()
	begin := time.Now()
	if got := l.Held("k"); got != 60*time.Second {
		t.Errorf("held %v with Redis down, want 60s from the local copy", got)
	}
	if took := time.Since(begin); took > st.Timeout+paceredis.DefaultTimeout+200*time.Millisecond {
		t.Errorf("Apply with Redis down took %v", took)
	}
	if st.Failures() == 0 {
		t.Error("no fall-back counted with Redis down")
	}

	srv.start()
	c.add(2 * time.Second) // past the Backoff
	failures := st.Failures()
	if got := l.Held("k"); got != 58*time.Second {
		t.Errorf("held %v after the restart, want 58s", got)
	}
	if st.Failures() != failures {
		t.Errorf("fell back after the restart (%d -> %d failures)", failures, st.Failures())
	}
	other := &pace.Limiter[string]{Store: newStore(t, srv.addr(), p), Clock: c}
	if got := other.Held("k"); got != 58*time.Second {
		t.Errorf("another process held %v after the restart, want 58s", got)
	}
}

// TestStalledServer: a server that stops answering (SIGSTOP) delays an
// Apply by at most the Timeout; during the Backoff no Apply waits for it;
// when it answers again the shared state is used again.
func TestStalledServer(t *testing.T) {
	srv, p := startServer(t), prefix(t)
	c := &clock{t: t0}
	st := newStore(t, srv.addr(), p)
	st.Timeout, st.Backoff = 100*time.Millisecond, 5*time.Second
	l := &pace.Limiter[string]{Store: st, Clock: c}
	other := &pace.Limiter[string]{Store: newStore(t, srv.addr(), p), Clock: c}
	other.Observe("k", classify.Classify(429, http.Header{"Retry-After": {"30"}}, nil), classify.RateLimits{})
	if got := l.Held("k"); got != 30*time.Second {
		t.Fatalf("held %v before the stall, want 30s", got)
	}

	srv.signal(syscall.SIGSTOP)
	defer srv.signal(syscall.SIGCONT)
	begin := time.Now()
	l.Observe("k", classify.Classify(429, http.Header{"Retry-After": {"45"}}, nil), classify.RateLimits{})
	if took := time.Since(begin); took < st.Timeout/2 || took > st.Timeout+300*time.Millisecond {
		t.Errorf("Observe with a stalled server took %v, want about the Timeout %v", took, st.Timeout)
	}
	begin = time.Now()
	for range 100 {
		if got := l.Held("k"); got != 45*time.Second {
			t.Fatalf("held %v during the stall, want 45s from the local copy", got)
		}
	}
	if took := time.Since(begin); took > 50*time.Millisecond {
		t.Errorf("100 Applies during the Backoff took %v: they waited for the stalled server", took)
	}

	srv.signal(syscall.SIGCONT)
	c.add(6 * time.Second) // past the Backoff
	failures := st.Failures()
	// The write that timed out had reached the server's socket, so the
	// server applied it when it resumed: the shared cooldown is the 45 s
	// one, 6 s later.
	if got := other.Held("k"); got != 39*time.Second {
		t.Errorf("another process held %v after the stall, want 39s", got)
	}
	if got := l.Held("k"); got != 39*time.Second {
		t.Errorf("held %v after the stall, want 39s", got)
	}
	if st.Failures() != failures {
		t.Errorf("fell back after the stall ended (%d -> %d failures)", failures, st.Failures())
	}
}
