package paceredis_test

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apierr/apierr/pace"
	"github.com/apierr/apierr/paceredis"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
	"github.com/redis/go-redis/v9"
)

// bucketServer is a local HTTP server that admits requests through a token
// bucket (rate a second, burst), answers an admitted one after a short
// service time with OpenAI's x-ratelimit-*-requests headers (the reset is
// when the bucket is full again), and refuses the rest with a 429 and
// Retry-After (whole seconds, rounded up). It counts the 429s and when the
// last response ended.
type bucketServer struct {
	rate, burst float64
	mu          sync.Mutex
	level       float64
	last        time.Time
	end         time.Time
	refused     int
	admitted    int
}

func (s *bucketServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	now := time.Now()
	if s.last.IsZero() {
		s.last, s.level = now, s.burst
	}
	s.level = min(s.burst, s.level+s.rate*now.Sub(s.last).Seconds())
	s.last = now
	ok := s.level >= 1
	if ok {
		s.level--
		s.admitted++
	} else {
		s.refused++
	}
	level := s.level
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-Ratelimit-Limit-Requests", strconv.Itoa(int(s.burst)))
	h.Set("X-Ratelimit-Remaining-Requests", strconv.Itoa(int(math.Floor(level))))
	h.Set("X-Ratelimit-Reset-Requests", time.Duration((s.burst-level)/s.rate*float64(time.Second)).Round(time.Millisecond).String())
	h.Set("Content-Type", "application/json")
	if !ok {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil((1-level)/s.rate))))
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}`)
		return
	}
	time.Sleep(30 * time.Millisecond) // the work, after the decision
	io.WriteString(w, `{"id":"ok"}`)
	s.mu.Lock()
	s.end = time.Now()
	s.mu.Unlock()
}

// Environment of a client process of TestFiveProcesses.
const (
	envChild = "PACEREDIS_FLEET_CHILD" // the mode: default, local or shared
	envURL   = "PACEREDIS_FLEET_URL"
	envRedis = "PACEREDIS_FLEET_REDIS"
	envKeys  = "PACEREDIS_FLEET_PREFIX"
	envWork  = "PACEREDIS_FLEET_WORK"  // clients x requests
	envStart = "PACEREDIS_FLEET_START" // Unix nanoseconds at which every process starts sending
)

// startLead is how long after the client processes are started they all
// start sending: longer than a process takes to start (a test binary built
// with -race, on a loaded machine), so that five processes start together
// and one process's start-up is not counted in any makespan.
const startLead = 2 * time.Second

// TestFiveProcesses runs real client processes (this test binary run
// again) against a local HTTP server and a real Redis: with the default
// policy alone, then one process with the limiter, then five processes
// with a limiter each, then five sharing the Redis store. The five
// sharing the store get at least 80 % of the single process's reduction
// of 429s, at a makespan no worse than the single process's.
//
// Every configuration's processes start sending at one instant agreed
// beforehand (startLead after they are started), and a makespan is counted
// from that instant to the last response: counted from the first request,
// five processes started one after another were charged the start-up of
// the last ones, which one process does not pay. The work (320 requests
// against a bucket of 10 refilled at 40 a second, at least 7.75 s) is long
// enough that the makespan is set by the bucket's rate, which pacing
// cannot beat and sharing must not lose: five processes sharing the store
// must finish within a tenth of a second a process (the time the store's
// round trips and the processes' scheduling can add on a loaded machine)
// of the single process's makespan, each the best of three runs.
func TestFiveProcesses(t *testing.T) {
	if mode := os.Getenv(envChild); mode != "" {
		fleetClient(t, mode)
		return
	}
	addr, p := sharedAddr(t), prefix(t)
	const clients, requests = 20, 16 // 320 requests in all, at 40 a second
	started := 0
	run := func(mode string, procs int) result {
		started++
		srv := &bucketServer{rate: 40, burst: 10}
		hs := httptest.NewServer(srv)
		defer hs.Close()
		var (
			cmds []*exec.Cmd
			outs []*strings.Builder
		)
		start := time.Now().Add(startLead)
		for range procs {
			cmd := exec.Command(os.Args[0], "-test.run=^TestFiveProcesses$", "-test.count=1")
			cmd.Env = append(os.Environ(), envChild+"="+mode, envURL+"="+hs.URL, envRedis+"="+addr,
				envKeys+"="+p+mode+strconv.Itoa(procs)+"-"+strconv.Itoa(started)+":", fmt.Sprintf("%s=%dx%d", envWork, clients/procs, requests),
				envStart+"="+strconv.FormatInt(start.UnixNano(), 10))
			out := new(strings.Builder)
			cmd.Stdout, cmd.Stderr = out, os.Stderr
			outs = append(outs, out)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
		}
		fallbacks := 0
		for i, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("%s client process: %v\n%s", mode, err, outs[i])
			}
			var n int
			if _, after, ok := strings.Cut(outs[i].String(), "fallbacks="); ok {
				fmt.Sscan(after, &n)
			}
			fallbacks += n
		}
		if fallbacks > 0 {
			t.Logf("%s x%d: %d Redis operations fell back to local state", mode, procs, fallbacks)
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if srv.admitted != clients*requests {
			t.Fatalf("%s x%d: %d requests admitted, want %d", mode, procs, srv.admitted, clients*requests)
		}
		return result{srv.refused, srv.end.Sub(start)}
	}
	// The single process and the five sharing Redis run three times each,
	// in turn: their 429s are counted over all runs, and their makespans
	// are each the best run's (the machine's load only ever adds time, so
	// the best of three is the nearest to what the configuration itself
	// costs: under another session's load, one run of five sharing Redis
	// took 14.2 s and another 8.7 s where one process took 7.9 s).
	const tries = 3
	def := run("default", 5)
	var ones, shareds [tries]result
	for i := range tries {
		ones[i], shareds[i] = run("shared", 1), run("shared", 5)
	}
	local := run("local", 5)
	t.Logf("default policy x5: %v; limiter x1: %v; limiter x5 without the store: %v; x5 sharing Redis: %v", def, ones, local, shareds)
	one429, shared429 := 0, 0
	one, shared := ones[0].makespan, shareds[0].makespan
	for i := range tries {
		one429, shared429 = one429+ones[i].refused, shared429+shareds[i].refused
		one, shared = min(one, ones[i].makespan), min(shared, shareds[i].makespan)
	}
	if reduction := tries*def.refused - one429; reduction <= 0 || float64(tries*def.refused-shared429) < 0.8*float64(reduction) {
		t.Errorf("429s: %d with the default policy, %d in %d runs of one limiter, %d in %d runs of five sharing Redis: want at least 80 %% of the single process's reduction",
			def.refused, one429, tries, shared429, tries)
	}
	slack := time.Duration(5) * 100 * time.Millisecond
	if shared > one+slack {
		t.Errorf("makespan: %v with five sharing Redis, %v with one process (the best of %d runs each): want at most %v more", shared, one, tries, slack)
	}
}

// result is what the server saw of one run of TestFiveProcesses.
type result struct {
	refused  int
	makespan time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("%d 429s in %v", r.refused, r.makespan.Round(time.Millisecond))
}

// fleetClient is one client process of TestFiveProcesses: clients
// goroutines each make requests requests through retryhttp with the
// default policy and, unless mode is "default", a limiter whose store is
// Redis ("shared") or in-process ("local").
func fleetClient(t *testing.T, mode string) {
	var clients, requests int
	if _, err := fmt.Sscanf(os.Getenv(envWork), "%dx%d", &clients, &requests); err != nil {
		t.Fatal(err)
	}
	p := &policy.Policy{}
	if mode != "default" {
		lim := &pace.Limiter[string]{}
		if mode == "shared" {
			st := paceredis.New(&redis.Options{Addr: os.Getenv(envRedis)})
			st.Prefix = os.Getenv(envKeys)
			// This test measures sharing, not the fall-back (the fault
			// tests do): on a loaded machine (CI runs this binary with
			// -race, several at a time) a Redis round trip can exceed
			// the default 50 ms.
			st.Timeout = time.Second
			lim.Store = st
			defer func() { fmt.Printf("fallbacks=%d\n", st.Failures()) }()
		}
		p.Limiter = pace.ByRequest{Limiter: lim}
	}
	client := retryhttp.NewClient(&retryhttp.Transport{Policy: p})
	at, err := strconv.ParseInt(os.Getenv(envStart), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(time.Unix(0, at)))
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		wg.Go(func() {
			for range requests {
				resp, err := client.Get(os.Getenv(envURL))
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
