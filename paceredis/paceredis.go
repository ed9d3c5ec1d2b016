// Package paceredis is a fleet store for package pace: a pace.Store kept
// in Redis, so that every process calling one API with one credential
// shares the server's cooldowns, its exhausted windows, the buckets and
// rates learnt from its reports, and every reservation.
//
//	st := paceredis.New(&redis.Options{Addr: "localhost:6379"})
//	lim := &pace.Limiter[string]{Store: st}
//	p := &policy.Policy{Limiter: pace.ByRequest{Limiter: lim}}
//
// # How a key is kept
//
// A key's pace.State is one Redis string (pace.State.AppendBinary, 356
// bytes) under Prefix + key. Apply reads no more than it must: the store
// remembers the bytes it last saw for the key, computes the new State in
// Go (pace.State.Apply, the same code as the in-process store) and writes
// it with one Lua script that sets the new bytes only if the key still
// holds the remembered ones (compare and set). When another process wrote
// in between, the script returns the key's current bytes and the store
// applies the operation to those and tries again. An uncontended Apply is
// one round trip. Each write sets the key to expire Expiry (10 minutes)
// after the latest instant its State still holds anything for (a hold, a
// paced start or a window's reset), so idle keys go away by themselves.
//
// Times are stored as Unix nanoseconds: the processes sharing a key must
// have clocks that agree to within the Limiter's Spread.
//
// # When Redis is slow or down
//
// The store never blocks or fails a request for Redis's sake. Each Apply
// waits for Redis at most Timeout (50 ms) in all, its retries included.
// When Redis errs or takes longer, the operation is applied to this
// process's own copy of the key's State (the last shared State it saw,
// plus its own operations since), as pace.MemStore would, and for Backoff
// (1 s) after that every Apply uses the local copies without asking Redis.
// So a request is delayed by the store by at most Timeout per Apply, and
// while Redis is down by at most one Timeout per Backoff. When Redis
// answers again, the shared State is used again: what this process learnt
// alone in the meantime is not merged into it, except into a key Redis
// lost (a restart without persistence, or an expiry), which is written
// again from the local copy. A write that timed out may still be applied
// by a server that was only slow, as if it had been made later; the
// compare-and-set keeps it from overwriting anything written since.
//
// # Why go-redis
//
// It is Redis's own Go client, the most used, and its Script type runs a
// script by its SHA and reloads it after a server restart (NOSCRIPT) with
// no code here; valkey-go's client-side caching and auto-pipelining are
// of no use for a store whose every operation is a compare-and-set that
// must see the server's latest bytes.
package paceredis

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/apierr/apierr/pace"
	"github.com/redis/go-redis/v9"
)

// casScript sets KEYS[1] to ARGV[2], expiring in ARGV[3] milliseconds, if
// it holds ARGV[1] ("" for a missing key), and returns 1; otherwise it
// returns the key's current value, or 0 when the key is missing.
var casScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if (cur == false and ARGV[1] == '') or cur == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
	return 1
end
if cur == false then
	return 0
end
return cur
`)

// Defaults of the Store's fields.
const (
	DefaultPrefix  = "apierr:pace:"
	DefaultTimeout = 50 * time.Millisecond
	DefaultBackoff = time.Second
	DefaultExpiry  = 10 * time.Minute
)

// conflictPause is the unit of the random pause after a compare-and-set
// lost to another process's write: after the k-th loss in a row, a pause
// uniform in [0, min(k, 10) units), so that processes that keep meeting
// in the same order do not starve the last one. The Timeout bounds the
// whole.
const conflictPause = 100 * time.Microsecond

// Store is a pace.Store[string] kept in Redis. Build it with New, or set
// Client to a client whose options have ContextTimeoutEnabled (without
// it, go-redis ignores the per-call timeout and a stalled server blocks
// for its ReadTimeout, 3 s by default). It is safe for concurrent use; do
// not change its fields after first use.
type Store struct {
	// Client is the Redis client. It must not be nil.
	Client redis.Scripter
	// Prefix is put before every key; "" means DefaultPrefix.
	Prefix string
	// Timeout bounds the time an Apply waits for Redis; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// Backoff is how long, after Redis failed or was too slow, every
	// Apply uses this process's local copies only; 0 means
	// DefaultBackoff.
	Backoff time.Duration
	// Expiry is how long a key is kept after the last instant its State
	// holds anything for; 0 means DefaultExpiry.
	Expiry time.Duration

	mu        sync.Mutex
	local     map[string]*entry
	downUntil time.Time
	failures  int64
}

// entry is this process's copy of a key: the bytes last seen in Redis and
// the State it uses when Redis cannot be reached.
type entry struct {
	shared []byte
	state  pace.State
	turn   chan struct{} // held by the goroutine talking to Redis for the key
}

// New returns a Store with a new client for opt, with
// ContextTimeoutEnabled set and go-redis's own retries off (the store
// falls back to local state instead of retrying). opt is not modified.
func New(opt *redis.Options) *Store {
	o := *opt
	o.ContextTimeoutEnabled = true
	o.MaxRetries = -1
	return &Store{Client: redis.NewClient(&o)}
}

// Failures returns how many Apply calls fell back to local state because
// Redis failed, was too slow, or was being given a rest (Backoff).
func (s *Store) Failures() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failures
}

// Apply implements pace.Store: it applies op to key's shared State
// atomically, or to the local copy when Redis cannot answer within
// Timeout (see the package doc).
func (s *Store) Apply(key string, op pace.Op) time.Time {
	s.mu.Lock()
	e := s.local[key]
	if e == nil {
		if s.local == nil {
			s.local = make(map[string]*entry)
		}
		e = &entry{turn: make(chan struct{}, 1)}
		s.local[key] = e
	}
	if op.Now.Before(s.downUntil) {
		s.failures++
		t := e.state.Apply(op)
		s.mu.Unlock()
		return t
	}
	s.mu.Unlock()

	// One goroutine of this process at a time talks to Redis for a key,
	// so that compare-and-set contends only between processes; a
	// goroutine that cannot have its turn within Timeout falls back.
	ctx, cancel := context.WithTimeout(context.Background(), or(s.Timeout, DefaultTimeout))
	defer cancel()
	var (
		t      time.Time
		shared []byte
		st     pace.State
		err    error
	)
	select {
	case e.turn <- struct{}{}:
		s.mu.Lock()
		expect, seed := e.shared, e.state
		s.mu.Unlock()
		t, shared, st, err = s.cas(ctx, key, expect, seed, op)
		<-e.turn
	case <-ctx.Done():
		// Queued behind this process's other callers of the key for
		// the whole Timeout: this operation goes to the local copy,
		// but Redis itself has not failed.
		s.mu.Lock()
		defer s.mu.Unlock()
		s.failures++
		return e.state.Apply(op)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failures++
		s.downUntil = op.Now.Add(or(s.Backoff, DefaultBackoff))
		return e.state.Apply(op)
	}
	e.shared, e.state = shared, st
	return t
}

// cas applies op to the key's State in Redis by compare and set, starting
// from expect, the bytes last seen; it returns the result, the bytes
// written and their State. A key missing from Redis (expired, or lost in a
// restart) starts from seed, this process's local copy.
func (s *Store) cas(ctx context.Context, key string, expect []byte, seed pace.State, op pace.Op) (time.Time, []byte, pace.State, error) {
	rkey := []string{s.prefix() + key}
	cur := expect
	for try := 0; ; try++ {
		if try > 0 {
			pause := time.Duration(rand.Int64N(int64(min(try, 10)) * int64(conflictPause)))
			select {
			case <-ctx.Done():
				return time.Time{}, nil, pace.State{}, ctx.Err()
			case <-time.After(pause):
			}
		}
		st := seed
		if len(cur) > 0 && st.UnmarshalBinary(cur) != nil {
			st = pace.State{} // another version's State: start afresh
		}
		t := st.Apply(op)
		next, _ := st.AppendBinary(nil)
		ttl := s.ttl(&st, op.Now)
		res, err := casScript.Run(ctx, s.Client, rkey, cur, next, strconv.FormatInt(ttl.Milliseconds(), 10)).Result()
		if err != nil {
			return time.Time{}, nil, pace.State{}, err
		}
		switch v := res.(type) {
		case int64:
			if v == 1 {
				return t, next, st, nil
			}
			cur = nil // the key is gone
		case string:
			if bytes.Equal([]byte(v), cur) {
				return time.Time{}, nil, pace.State{}, errUnexpected
			}
			cur = []byte(v)
		default:
			return time.Time{}, nil, pace.State{}, errUnexpected
		}
	}
}

// ttl is how long the key is kept: Expiry after the latest instant st
// holds anything for.
func (s *Store) ttl(st *pace.State, now time.Time) time.Duration {
	last := now
	for _, t := range [...]time.Time{st.Hold, st.Next, st.Requests.ResetAt, st.Tokens.ResetAt} {
		if t.After(last) {
			last = t
		}
	}
	return last.Sub(now) + or(s.Expiry, DefaultExpiry)
}

func (s *Store) prefix() string {
	if s.Prefix == "" {
		return DefaultPrefix
	}
	return s.Prefix
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

type storeError string

func (e storeError) Error() string { return string(e) }

const errUnexpected = storeError("paceredis: unexpected reply from the compare-and-set script")
