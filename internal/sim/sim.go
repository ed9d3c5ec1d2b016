// Package sim is a deterministic discrete-event simulation of many clients
// retrying against one rate-limited server. It compares retry strategies
// (the default policy, the origin document's loop, backoff/v4's defaults)
// on the same seeded model, with a virtual clock and no sleeping: a run of
// every scenario takes a fraction of a second.
//
// The model (issue 3): N clients each complete K requests, one at a time,
// all starting at t=0. The server admits requests through a token bucket
// (rate R per second, burst B, full at t=0). An admitted request succeeds
// after a uniform 0.5-1.5 s; a rejected one gets a 429 back after 20 ms,
// with Retry-After equal to the time until the next token rounded up to
// whole seconds when the scenario sends it. In scenario (iv) an admitted
// request fails instead with a 503 (after 20 ms, its token spent) with
// probability P. Network time is not modelled: a request reaches the server
// the moment it is sent.
//
// Issue 10 adds two servers (see Scenario): the seed provider's fixed
// window with rate-limit headers on every response (v), and an
// OpenAI-like pair of continuously refilled token buckets, for requests and
// for tokens, with a variable token cost per request and six headers on
// every response (vi).
//
// Runtime code of the apierr command, not of the library: its "apierr sim"
// subcommand and internal/sim/search are the only users; no library package
// imports it.
package sim

import (
	"container/heap"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/pace"
	"github.com/apierr/apierr/policy"
	"github.com/cenkalti/backoff/v4"
)

// Scenario is one configuration of the model.
type Scenario struct {
	Name       string
	Clients    int     // N
	Requests   int     // K, per client
	Rate       float64 // R, tokens per second
	Burst      float64 // B, bucket capacity
	RetryAfter bool    // 429s carry Retry-After
	FailProb   float64 // P, probability that an admitted request fails with 503
	// Window, when not zero, makes the server a fixed window of Window
	// length admitting Limit requests (the seed provider's model) instead
	// of a token bucket.
	Window time.Duration
	Limit  int
	// Headers sends x-ratelimit-{limit,remaining,reset}-requests on every
	// response.
	Headers bool
	// RPM and TPM, when not zero, make the server OpenAI-like (issue 10's
	// scenario (vi)) instead: two token buckets, one of RPM requests and
	// one of TPM tokens, each refilled continuously at its capacity per
	// minute and full at t=0. An attempt is admitted when the requests
	// bucket holds 1 and the tokens bucket the request's token cost; both
	// are then spent. Every response, 429s included, carries the six
	// x-ratelimit-{limit,remaining,reset}-{requests,tokens} headers as
	// OpenAI writes them (remaining rounded down, reset = the time until
	// the bucket is full again, to the millisecond: "120ms", "1m9.696s"),
	// computed when the server decides (a success's are as old as its
	// service time when they arrive).
	RPM, TPM int
	// CostMedian and CostSigma draw each request's token cost: lognormal
	// with that median and shape, rounded, within [1, TPM]. The costs come
	// from their own source seeded by the run's seed, so every strategy
	// of a seed sends the same requests.
	CostMedian, CostSigma float64
	// CostNoise is how far the client's estimate of a request's cost is
	// from the true one: the true cost times a uniform factor in [1 -
	// CostNoise, 1 + CostNoise]. Zero: the client knows it (OpenAI counts
	// a request's prompt tokens plus its max_tokens, both the client's).
	CostNoise float64

	// Issue 19's servers and fleets.

	// Processes splits the clients among this many processes (client i
	// in process i mod Processes), each with its own limiter; 0 means 1.
	Processes int
	// Shared gives the processes' limiters one store, simulated through
	// pace.Store as a fleet store (package paceredis) keeps it: each
	// State encoded between operations.
	Shared bool
	// Overstate makes the headers report the remaining budget that much
	// too high (0.2: 20 %), never above the limit.
	Overstate float64
	// RoundReset rounds every reported reset up to whole seconds.
	RoundReset bool
	// HeadersOn429 sends the rate-limit headers on 429s only.
	HeadersOn429 bool
	// ChangeAt, when not zero, multiplies the server's limits (Limit,
	// Rate and Burst, RPM and TPM) by ChangeFactor from then on: a tier
	// upgrade or a downgrade.
	ChangeAt     time.Duration
	ChangeFactor float64
	// IETF makes an OpenAI-like server (RPM > 0) describe its requests
	// bucket with the IETF draft's RateLimit-Limit, -Remaining and -Reset
	// (whole seconds) instead of the six x-ratelimit-* headers.
	IETF bool
	// OpenLoop, when not zero, makes requests arrive as a Poisson process
	// of that many a second over all clients: a client sends its next
	// request when it has arrived and the previous one is done.
	OpenLoop float64
}

// String describes the scenario on one line.
func (s Scenario) String() string { return s.base() + s.extras() }

// extras describes issue 19's options.
func (s Scenario) extras() string {
	var b strings.Builder
	if s.Overstate > 0 {
		fmt.Fprintf(&b, "; remaining overstated by %g %%", 100*s.Overstate)
	}
	if s.RoundReset {
		b.WriteString("; resets rounded up to whole seconds")
	}
	if s.HeadersOn429 {
		b.WriteString("; headers on 429s only")
	}
	if s.IETF {
		b.WriteString("; requests bucket in IETF RateLimit-* fields (whole seconds) instead")
	}
	if s.ChangeAt > 0 {
		fmt.Fprintf(&b, "; limits x%g from %v", s.ChangeFactor, s.ChangeAt)
	}
	if s.OpenLoop > 0 {
		fmt.Fprintf(&b, "; open-loop Poisson arrivals, %g/s", s.OpenLoop)
	}
	if s.Processes > 1 {
		fmt.Fprintf(&b, "; %d processes", s.Processes)
		if s.Shared {
			b.WriteString(" sharing one store")
		} else {
			b.WriteString(", a limiter each")
		}
	}
	return b.String()
}

func (s Scenario) base() string {
	ra := "off"
	if s.RetryAfter {
		ra = "on"
	}
	if s.RPM > 0 {
		ra := ""
		if s.RetryAfter {
			ra = ", Retry-After on 429s"
		}
		return fmt.Sprintf("N=%d clients x K=%d requests, token buckets of RPM=%d requests and TPM=%d tokens, cost lognormal (median %g, sigma %g, mean %.0f), estimate noise %g%s, six x-ratelimit-* headers on every response; ideal max(N*K/RPM, tokens/TPM) per seed, expected %v",
			s.Clients, s.Requests, s.RPM, s.TPM, s.CostMedian, s.CostSigma, s.CostMedian*math.Exp(s.CostSigma*s.CostSigma/2), s.CostNoise, ra, s.Ideal().Round(time.Second))
	}
	if s.Window > 0 {
		h := ""
		if s.Headers {
			h = ", x-ratelimit-* headers on every response"
		}
		return fmt.Sprintf("N=%d clients x K=%d requests, fixed %v window of L=%d, Retry-After %s%s; ideal makespan N*K/L windows = %v", s.Clients, s.Requests, s.Window, s.Limit, ra, h, s.Ideal())
	}
	str := fmt.Sprintf("N=%d clients x K=%d requests, R=%g/s, B=%g, Retry-After %s", s.Clients, s.Requests, s.Rate, s.Burst, ra)
	if s.Headers {
		str += ", x-ratelimit-*-requests headers (B as the limit) on every response"
	}
	if s.FailProb > 0 {
		str += fmt.Sprintf(", 503 with p=%g", s.FailProb)
	}
	return str + fmt.Sprintf("; ideal makespan %v", s.Ideal())
}

// Ideal is the makespan the scenario is measured against: N x K / R when
// the rate limit is the bottleneck, else K x 1 s (each request's mean
// service time), whichever is longer. For an OpenAI-like scenario it is
// max(N x K / RPM, total tokens / TPM) minutes with the mean cost; each
// run measures against its own drawn costs (Stats.Ideal).
func (s Scenario) Ideal() time.Duration {
	if s.RPM > 0 {
		mean := s.CostMedian * math.Exp(s.CostSigma*s.CostSigma/2)
		return s.ideal(float64(s.Clients*s.Requests) * mean)
	}
	if s.Window > 0 {
		return time.Duration(float64(s.Clients*s.Requests) / float64(s.Limit) * float64(s.Window))
	}
	byRate := float64(s.Clients*s.Requests) / s.Rate
	bySerial := float64(s.Requests) // seconds
	return time.Duration(math.Max(byRate, bySerial) * float64(time.Second))
}

// ideal is max(N x K / RPM, tokens / TPM) minutes.
func (s Scenario) ideal(tokens float64) time.Duration {
	minutes := math.Max(float64(s.Clients*s.Requests)/float64(s.RPM), tokens/float64(s.TPM))
	return time.Duration(minutes * float64(time.Minute))
}

// costs draws the true token cost of every request (client i's request k
// at i*K+k) and the client's estimate of it.
func (s Scenario) costs(seed uint64) (cost, estimate []int64) {
	if s.RPM == 0 {
		return nil, nil
	}
	rng := rand.New(rand.NewPCG(seed, 0xc0575))
	n := s.Clients * s.Requests
	cost, estimate = make([]int64, n), make([]int64, n)
	for i := range cost {
		c := math.Round(s.CostMedian * math.Exp(s.CostSigma*rng.NormFloat64()))
		cost[i] = int64(min(max(c, 1), float64(s.TPM)))
		e := float64(cost[i]) * (1 + s.CostNoise*(2*rng.Float64()-1))
		estimate[i] = int64(max(math.Round(e), 1))
	}
	return cost, estimate
}

// Scenarios returns the four scenarios of issue 3, then issue 10's.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "i", Clients: 100, Requests: 20, Rate: 50, Burst: 50, RetryAfter: true},
		{Name: "ii", Clients: 100, Requests: 20, Rate: 50, Burst: 50},
		{Name: "iii", Clients: 1000, Requests: 5, Rate: 100, Burst: 100, RetryAfter: true},
		{Name: "iv", Clients: 50, Requests: 40, Rate: 100, Burst: 100, RetryAfter: true, FailProb: 0.2},
		{Name: "v", Clients: 10, Requests: 20, Window: time.Minute, Limit: 60, Headers: true},
		{Name: "v-ra", Clients: 10, Requests: 20, Window: time.Minute, Limit: 60, Headers: true, RetryAfter: true},
		// OpenAI's limits on a tier (500 RPM, 30,000 TPM, as in the headers
		// quoted in open-webui/open-webui#3743); costs of a median 50
		// tokens (mean 82): the tokens bucket binds on the whole, the
		// requests bucket during runs of small requests.
		{Name: "vi", Clients: 100, Requests: 30, RPM: 500, TPM: 30000, CostMedian: 50, CostSigma: 1, RetryAfter: true, Headers: true},
		// The same with an estimate of each cost off by up to 20 %.
		{Name: "vi-est", Clients: 100, Requests: 30, RPM: 500, TPM: 30000, CostMedian: 50, CostSigma: 1, CostNoise: 0.2, RetryAfter: true, Headers: true},
	}
}

// Response is what the server answered to one attempt.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Strategy is a retry strategy under test. Start is called at the start of
// each request, with the virtual clock and the run's random source, and
// returns the function called after each failed attempt: it answers how
// long to wait before the next attempt, or false to give up.
type Strategy struct {
	Name string
	// Limiter, when true, shares one pace.Limiter between the clients of
	// a run: every attempt reserves a start with it, every response is
	// observed by it (headers included).
	Limiter bool
	// Oracle, when true, sees the server's state and sends each attempt
	// when the server would admit it: the reference a limiter is measured
	// against.
	Oracle bool
	Start  func(clock *Clock, rng *rand.Rand) func(Response) (time.Duration, bool)
}

// Clock is the simulation's virtual clock; it implements policy.Clock.
// The simulation's event loop moves it; Sleep is not used by it (the loop
// schedules every wait itself) and only checks ctx.
type Clock struct{ now time.Duration }

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Now returns the virtual time.
func (c *Clock) Now() time.Time { return epoch.Add(c.now) }

// Sleep returns ctx's error at once: the event loop, not the sleeper,
// moves the virtual time.
func (c *Clock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// Policy returns the strategy that retries with p through a policy.Retrier,
// the way a client would: each response is classified from its status,
// headers and body, and the Retrier decides.
func Policy(name string, p policy.Policy) Strategy {
	return Strategy{Name: name, Start: func(clock *Clock, rng *rand.Rand) func(Response) (time.Duration, bool) {
		q := p
		q.Clock = clock
		q.Rand = rng.Float64
		rt := q.NewRetrier(context.Background())
		return func(resp Response) (time.Duration, bool) {
			r := classify.Classify(resp.Status, resp.Header, resp.Body)
			if rt.Observe(r) == nil {
				return 0, false
			}
			d := rt.NextBackOff()
			return d, d != backoff.Stop
		}
	}}
}

// OriginLoop is the origin document's sample loop: on a 429 only, wait
// 2**attempt seconds (1 s, then 2 s), at most 3 tries, no jitter.
func OriginLoop() Strategy {
	return Strategy{Name: "origin 2**attempt", Start: func(*Clock, *rand.Rand) func(Response) (time.Duration, bool) {
		attempt := 0
		return func(resp Response) (time.Duration, bool) {
			if resp.Status != http.StatusTooManyRequests || attempt >= 2 {
				return 0, false
			}
			d := time.Duration(1<<attempt) * time.Second
			attempt++
			return d, true
		}
	}}
}

// BackoffV4Defaults is backoff/v4's NewExponentialBackOff() with its
// defaults (0.5 s, x1.5, randomization 0.5, at most 60 s, 15 minutes in
// all), retrying every failure, as backoff.Retry does. Its own
// randomization draws from math/rand's global source, which cannot be
// seeded; so the intervals come from a real ExponentialBackOff with
// randomization 0, and the same formula it uses is applied with the run's
// seeded source.
func BackoffV4Defaults() Strategy {
	return Strategy{Name: "backoff/v4 defaults", Start: func(clock *Clock, rng *rand.Rand) func(Response) (time.Duration, bool) {
		b := backoff.NewExponentialBackOff()
		b.Clock = clock
		factor := b.RandomizationFactor
		b.RandomizationFactor = 0
		b.Reset()
		return func(Response) (time.Duration, bool) {
			interval := b.NextBackOff()
			if interval == backoff.Stop {
				return 0, false
			}
			// backoff/v4's getRandomValueFromInterval.
			delta := factor * float64(interval)
			lo, hi := float64(interval)-delta, float64(interval)+delta
			return time.Duration(lo + rng.Float64()*(hi-lo+1)), true
		}
	}}
}

// Fixed retries every failure, forever, after d plus an upward spread of
// up to 10 %, ignoring Retry-After: every refused request comes back equally soon, however often
// it was refused, which is the fairest a per-request schedule can be. It is
// not a policy to use (with a short d it multiplies the attempts); it
// measures what this model allows at all: with d = 50 ms, the makespan of
// scenario (i) is the floor that no retry schedule goes below by much.
func Fixed(d time.Duration) Strategy {
	return Strategy{Name: "fixed " + d.String(), Start: func(_ *Clock, rng *rand.Rand) func(Response) (time.Duration, bool) {
		return func(Response) (time.Duration, bool) {
			return d + time.Duration(0.1*rng.Float64()*float64(d)), true
		}
	}}
}

// Schedule is a per-request retry schedule, for searching the space of
// schedules (internal/sim/search): the wait before retry k is uniform in
// [Lo[j], Hi[j]] seconds, with j = min(k, len(Lo)) - 1, and never shorter
// than a Retry-After plus up to 10 %, as the default policy waits. It
// retries forever. Lo and Hi have the same length, at least 1.
type Schedule struct{ Lo, Hi []float64 }

// Strategy returns the strategy that follows s.
func (s Schedule) Strategy(name string) Strategy {
	return Strategy{Name: name, Start: func(_ *Clock, rng *rand.Rand) func(Response) (time.Duration, bool) {
		k := 0
		return func(resp Response) (time.Duration, bool) {
			j := min(k, len(s.Lo)-1)
			k++
			d := time.Duration((s.Lo[j] + rng.Float64()*(s.Hi[j]-s.Lo[j])) * float64(time.Second))
			if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && ra >= 0 {
				d = max(d, time.Duration(float64(ra)*(1+0.1*rng.Float64())*float64(time.Second)))
			}
			return d, true
		}
	}}
}

// Strategies returns the strategies compared by default: the default
// policy, the origin document's loop and backoff/v4's defaults.
func Strategies() []Strategy {
	withLimiter := Policy("apierr default policy + pace.Limiter", policy.Policy{Limiter: paced{}})
	withLimiter.Limiter = true
	return []Strategy{Policy("apierr default policy", policy.Policy{}), withLimiter, OriginLoop(), BackoffV4Defaults()}
}

// Stats is the outcome of one run.
type Stats struct {
	Total     int           // N x K
	Completed int           // requests that succeeded
	Rejected  int           // 429s sent
	Attempts  int           // attempts made, by all requests
	Makespan  time.Duration // when the last request finished (or was abandoned)
	Ideal     time.Duration // the makespan measured against (Scenario.Ideal, or the run's own)
	P50, P99  time.Duration // time per completed request, first send to success
}

// CompletedFrac is Completed / Total.
func (s Stats) CompletedFrac() float64 { return float64(s.Completed) / float64(s.Total) }

// AttemptsPerCompleted is Attempts / Completed.
func (s Stats) AttemptsPerCompleted() float64 {
	if s.Completed == 0 {
		return math.Inf(1)
	}
	return float64(s.Attempts) / float64(s.Completed)
}

const (
	rejectLatency = 20 * time.Millisecond
	minService    = 500 * time.Millisecond
	maxService    = 1500 * time.Millisecond
)

// event is a client's next action at a virtual time.
type event struct {
	at     time.Duration
	seq    int // ties break in scheduling order, so runs are deterministic
	client int
	resp   *Response     // nil: send an attempt; else: the response arrives
	paced  bool          // the attempt's start was reserved with the limiter
	sent   time.Duration // for a response: when its attempt was sent
}

type queue []event

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// The responses the server sends, as a real server would: an OpenAI-style
// 429 body and a 503 body, classified by the policy strategy like any other.
var (
	body429 = []byte(`{"error":{"message":"Rate limit reached for requests. Please retry later.","type":"requests","param":null,"code":"rate_limit_exceeded"}}`)
	body503 = []byte(`{"detail":"Model is temporarily unavailable"}`)
	ok200   = Response{Status: http.StatusOK}
)

// Run simulates scenario sc with strategy st and seed.
func Run(sc Scenario, st Strategy, seed uint64) Stats {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	clock := &Clock{}
	type client struct {
		done     int
		reqStart time.Duration
		failed   func(Response) (time.Duration, bool)
	}
	clients := make([]client, sc.Clients)
	stats := Stats{Total: sc.Clients * sc.Requests, Ideal: sc.Ideal()}
	costs, estimates := sc.costs(seed)
	if costs != nil {
		var sum float64
		for _, c := range costs {
			sum += float64(c)
		}
		stats.Ideal = sc.ideal(sum)
	}
	srv := newServer(sc)
	latencies := make([]time.Duration, 0, stats.Total)

	var q queue
	seq := 0
	push := func(e event) {
		e.seq = seq
		seq++
		heap.Push(&q, e)
	}
	arrivals := sc.arrivals(seed)
	stats.Ideal = max(stats.Ideal, arrivals[len(arrivals)-1])
	for i := range clients {
		push(event{at: arrivals[i], client: i})
	}
	start := func(c *client, now time.Duration) {
		c.reqStart = now
		c.failed = st.Start(clock, rng)
	}
	for i := range clients {
		start(&clients[i], arrivals[i])
	}
	// next moves client i to its next request, if any.
	next := func(i int, now time.Duration) {
		c := &clients[i]
		c.done++
		stats.Makespan = max(stats.Makespan, now)
		if c.done < sc.Requests {
			at := max(now, arrivals[c.done*sc.Clients+i])
			start(c, at)
			push(event{at: at, client: i})
		}
	}
	// One limiter per process; with Shared, one store for all of them.
	var lims []*pace.Limiter[int]
	if st.Limiter {
		var store pace.Store[int]
		if sc.Shared {
			store = &codecStore{}
		}
		lims = make([]*pace.Limiter[int], max(sc.Processes, 1))
		for i := range lims {
			lims[i] = &pace.Limiter[int]{Clock: clock, Store: store}
		}
	}
	for q.Len() > 0 {
		e := heap.Pop(&q).(event)
		clock.now = e.at
		c := &clients[e.client]
		var lim *pace.Limiter[int]
		if lims != nil {
			lim = lims[e.client%len(lims)]
		}
		if e.resp == nil && lim != nil {
			d := lim.Held(0)
			if e.paced && d > 0 {
				// Held by a server delay learnt since the reservation:
				// reserve again, as pace.Limiter.Wait does.
				e.paced = false
			}
			if !e.paced {
				e.paced = true
				var est int64
				if estimates != nil {
					est = estimates[e.client*sc.Requests+c.done]
				}
				d = lim.Reserve(0, est)
			}
			if d > 0 {
				e.at += d
				push(e)
				continue
			}
		}
		if e.resp == nil {
			var cost float64
			if costs != nil {
				cost = float64(costs[e.client*sc.Requests+c.done])
			}
			if st.Oracle {
				// The oracle sees the server's state and sends when it
				// would admit.
				if d := srv.admitIn(e.at, cost); d > 0 {
					e.at += d
					push(e)
					continue
				}
			}
			stats.Attempts++
			resp, after := srv.attempt(e.at, cost, rng)
			if resp.Status == http.StatusTooManyRequests {
				stats.Rejected++
			}
			push(event{at: e.at + after, client: e.client, resp: &resp, sent: e.at})
			continue
		}
		if lim != nil {
			r := classify.Classify(e.resp.Status, e.resp.Header, e.resp.Body)
			lim.ObserveSent(0, r, classify.ReadRateLimits(e.resp.Header, clock.Now()), epoch.Add(e.sent))
		}
		if e.resp.Status == http.StatusOK {
			latencies = append(latencies, e.at-c.reqStart)
			stats.Completed++
			next(e.client, e.at)
			continue
		}
		if wait, retry := c.failed(*e.resp); retry {
			push(event{at: e.at + wait, client: e.client})
			continue
		}
		next(e.client, e.at) // abandoned
	}
	slices.Sort(latencies)
	stats.P50, stats.P99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
	return stats
}

// bucketHeader writes the six OpenAI rate-limit headers for buckets
// holding req requests and tok tokens: remaining rounded down, reset the
// time until the bucket is full again, rounded to the millisecond and
// written as Go writes a duration, as OpenAI does ("120ms", "6m0s",
// "1m9.696s"). The values are those of open-webui/open-webui#3743, where a
// success on a 500 RPM / 30,000 TPM tier reported 499 requests and 29,996
// tokens remaining with resets "120ms" and "8ms": the time for one request
// and for four tokens to refill, which only a continuous bucket gives.
func bucketHeader(sc Scenario, req, tok float64) http.Header {
	s := &server{sc: sc, reqLevel: req, tokLevel: tok}
	return s.bucketHeader(float64(sc.RPM), float64(sc.TPM), true)
}

// percentile returns the q-quantile of sorted (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

// Summary is the median over seeds of each statistic of one scenario and
// strategy.
type Summary struct {
	Scenario  Scenario
	Strategy  string
	Seeds     int
	Completed float64 // fraction of N x K
	Rejected  float64 // 429s sent
	Attempts  float64 // per completed request
	Makespan  float64 // as a multiple of Scenario.Ideal
	P50, P99  time.Duration
}

// Measure runs sc with st for seeds 1..seeds and returns the median of each
// statistic.
func Measure(sc Scenario, st Strategy, seeds int) Summary {
	return MeasureSeeds(sc, st, 1, seeds)
}

// MeasureSeeds is Measure over the seeds first..last: a search that picks
// the best of many strategies on some seeds checks its pick on others,
// since the best of many noisy medians is flattered by its own seeds.
func MeasureSeeds(sc Scenario, st Strategy, first, last int) Summary {
	last = max(last, first)
	seeds := last - first + 1
	var comp, rej, att, mk, p50, p99 []float64
	for seed := first; seed <= last; seed++ {
		s := Run(sc, st, uint64(seed))
		comp = append(comp, s.CompletedFrac())
		rej = append(rej, float64(s.Rejected))
		att = append(att, s.AttemptsPerCompleted())
		mk = append(mk, float64(s.Makespan)/float64(s.Ideal))
		p50 = append(p50, float64(s.P50))
		p99 = append(p99, float64(s.P99))
	}
	return Summary{
		Scenario: sc, Strategy: st.Name, Seeds: seeds,
		Completed: median(comp), Rejected: median(rej), Attempts: median(att), Makespan: median(mk),
		P50: time.Duration(median(p50)), P99: time.Duration(median(p99)),
	}
}

func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// Table writes summaries as a Markdown table.
func Table(w io.Writer, sums []Summary) error {
	if _, err := fmt.Fprintln(w, "| scenario | strategy | completed | 429s | attempts/completed | makespan/ideal | p50 | p99 |\n|---|---|---|---|---|---|---|---|"); err != nil {
		return err
	}
	for _, s := range sums {
		_, err := fmt.Fprintf(w, "| %s | %s | %.1f %% | %.0f | %.2f | %.2fx | %.1fs | %.1fs |\n",
			s.Scenario.Name, s.Strategy, 100*s.Completed, s.Rejected, s.Attempts, s.Makespan, s.P50.Seconds(), s.P99.Seconds())
		if err != nil {
			return err
		}
	}
	return nil
}

// paced stands in a Policy for the run's pace.Limiter: the event loop waits
// on it and tells it every response itself, on the virtual clock, so these
// hooks do nothing. Its presence makes the policy decide as it does when a
// limiter paces the retries (Policy.Limiter), as a client wires it.
type paced struct{}

func (paced) Wait(context.Context, *http.Request) error { return nil }
func (paced) Observe(policy.Attempt)                    {}
