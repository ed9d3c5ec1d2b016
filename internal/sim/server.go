package sim

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/apierr/apierr/pace"
)

// server is the rate-limited server of a scenario: a token bucket (issue
// 3), a fixed window (issue 10's seed provider) or OpenAI-like buckets of
// requests and tokens (issue 10's vi). Every decision is made when an
// attempt reaches it (the moment it is sent: network time is not
// modelled), and the headers it reports are computed then, however long
// the response then takes.
type server struct {
	sc Scenario
	// The token bucket.
	tokens float64
	last   time.Duration
	// The fixed window.
	winStart time.Duration
	winCount int
	// The OpenAI-like buckets.
	reqLevel, tokLevel float64
}

func newServer(sc Scenario) *server {
	return &server{sc: sc, tokens: sc.Burst, reqLevel: float64(sc.RPM), tokLevel: float64(sc.TPM)}
}

// factor is what the server's limits are multiplied by at now: 1 before
// the scenario's limit change, ChangeFactor from then on.
func (s *server) factor(now time.Duration) float64 {
	if s.sc.ChangeAt > 0 && now >= s.sc.ChangeAt {
		return s.sc.ChangeFactor
	}
	return 1
}

// refill brings the buckets to now and applies a limit change (a bucket
// keeps its level, capped at its new capacity).
func (s *server) refill(now time.Duration) {
	f := s.factor(now)
	dt := (now - s.last).Seconds()
	s.last = now
	switch {
	case s.sc.RPM > 0:
		rpm, tpm := f*float64(s.sc.RPM), f*float64(s.sc.TPM)
		s.reqLevel = min(rpm, s.reqLevel+rpm/60*dt)
		s.tokLevel = min(tpm, s.tokLevel+tpm/60*dt)
	case s.sc.Window > 0:
		if now >= s.winStart+s.sc.Window {
			s.winStart, s.winCount = now-(now-s.winStart)%s.sc.Window, 0
		}
	default:
		s.tokens = min(f*s.sc.Burst, s.tokens+f*s.sc.Rate*dt)
	}
}

// limit is the fixed window's limit at now.
func (s *server) limit(now time.Duration) int {
	return max(int(math.Round(s.factor(now)*float64(s.sc.Limit))), 1)
}

// admitIn is how long from now until the server would admit an attempt
// of the given token cost, if nothing else is sent meanwhile (for the
// oracle).
func (s *server) admitIn(now time.Duration, cost float64) time.Duration {
	s.refill(now)
	f := s.factor(now)
	var secs float64
	switch {
	case s.sc.RPM > 0:
		cost = min(cost, f*float64(s.sc.TPM))
		secs = max((1-s.reqLevel)/(f*float64(s.sc.RPM)/60), (cost-s.tokLevel)/(f*float64(s.sc.TPM)/60), 0)
	case s.sc.Window > 0:
		if s.winCount < s.limit(now) {
			return 0
		}
		return s.winStart + s.sc.Window - now
	default:
		secs = max((1-s.tokens)/(f*s.sc.Rate), 0)
	}
	if secs <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(secs * float64(time.Second)))
}

// attempt decides an attempt of the given token cost sent at now, and
// returns the response and how long after now it arrives.
func (s *server) attempt(now time.Duration, cost float64, rng *rand.Rand) (Response, time.Duration) {
	s.refill(now)
	sc := s.sc
	service := func() time.Duration {
		return minService + time.Duration(rng.Float64()*float64(maxService-minService))
	}
	refuse := func(wait float64, h http.Header) (Response, time.Duration) {
		resp := Response{Status: http.StatusTooManyRequests, Body: body429, Header: h}
		if sc.RetryAfter {
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			resp.Header["Retry-After"] = []string{strconv.Itoa(int(max(math.Ceil(wait), 1)))}
		}
		return resp, rejectLatency
	}
	f := s.factor(now)
	switch {
	case sc.RPM > 0: // OpenAI-like token buckets
		rpm, tpm := f*float64(sc.RPM), f*float64(sc.TPM)
		if s.reqLevel < 1 || s.tokLevel < cost {
			return refuse(max((1-s.reqLevel)/(rpm/60), (cost-s.tokLevel)/(tpm/60)), s.bucketHeader(rpm, tpm, true))
		}
		s.reqLevel--
		s.tokLevel -= cost
		return Response{Status: http.StatusOK, Header: s.bucketHeader(rpm, tpm, false)}, service()
	case sc.Window > 0: // a fixed window
		limit := s.limit(now)
		end := s.winStart + sc.Window
		if s.winCount >= limit {
			return refuse((end - now).Seconds(), s.windowHeader(limit, end-now, true))
		}
		s.winCount++
		return Response{Status: http.StatusOK, Header: s.windowHeader(limit, end-now, false)}, service()
	}
	// The token bucket of issue 3.
	if s.tokens < 1 {
		return refuse((1-s.tokens)/(f*sc.Rate), s.smallBucketHeader(f, true))
	}
	s.tokens--
	if sc.FailProb > 0 && rng.Float64() < sc.FailProb {
		return Response{Status: http.StatusServiceUnavailable, Body: body503}, rejectLatency
	}
	if h := s.smallBucketHeader(f, false); h != nil {
		return Response{Status: http.StatusOK, Header: h}, service()
	}
	return ok200, service()
}

// smallBucketHeader writes, with Headers, the token bucket's
// x-ratelimit-*-requests headers: its burst as the limit, its level, and
// the time until it is full again.
func (s *server) smallBucketHeader(f float64, refused bool) http.Header {
	if !s.sc.Headers || (s.sc.HeadersOn429 && !refused) {
		return nil
	}
	burst, rate := f*s.sc.Burst, f*s.sc.Rate
	return http.Header{
		"X-Ratelimit-Limit-Requests":     {strconv.Itoa(int(burst))},
		"X-Ratelimit-Remaining-Requests": {s.reported(s.tokens, burst)},
		"X-Ratelimit-Reset-Requests":     {s.resetText(time.Duration((burst - s.tokens) / rate * float64(time.Second)))},
	}
}

// reported is a remaining budget as the server reports it: overstated by
// the scenario's Overstate, never above the limit, rounded down.
func (s *server) reported(rem, limit float64) string {
	return strconv.Itoa(int(math.Floor(min(rem*(1+s.sc.Overstate), limit))))
}

// resetText writes a reset as Go writes a duration, to the millisecond, or
// rounded up to whole seconds with RoundReset.
func (s *server) resetText(d time.Duration) string {
	if s.sc.RoundReset {
		d = time.Duration(math.Ceil(d.Seconds())) * time.Second
	}
	return d.Round(time.Millisecond).String()
}

// windowHeader writes the fixed window's x-ratelimit-*-requests headers,
// or none when the scenario sends none on this response.
func (s *server) windowHeader(limit int, reset time.Duration, refused bool) http.Header {
	if !s.sc.Headers || (s.sc.HeadersOn429 && !refused) {
		return nil
	}
	return http.Header{
		"X-Ratelimit-Limit-Requests":     {strconv.Itoa(limit)},
		"X-Ratelimit-Remaining-Requests": {s.reported(float64(limit-s.winCount), float64(limit))},
		"X-Ratelimit-Reset-Requests":     {s.resetText(max(reset, 0))},
	}
}

// bucketHeader writes the six OpenAI headers of the buckets (see the
// package-level bucketHeader), or none when the scenario sends none on
// this response.
func (s *server) bucketHeader(rpm, tpm float64, refused bool) http.Header {
	if s.sc.HeadersOn429 && !refused {
		return nil
	}
	reset := func(level, limit float64) string {
		return s.resetText(time.Duration((limit - level) / (limit / 60) * float64(time.Second)))
	}
	if s.sc.IETF {
		// The IETF draft's fields for the requests bucket: the reset in
		// whole seconds (delta-seconds), rounded up.
		secs := math.Ceil((rpm - s.reqLevel) / (rpm / 60))
		return http.Header{
			"Ratelimit-Limit":     {strconv.Itoa(int(rpm))},
			"Ratelimit-Remaining": {s.reported(s.reqLevel, rpm)},
			"Ratelimit-Reset":     {strconv.Itoa(int(secs))},
		}
	}
	return http.Header{
		"X-Ratelimit-Limit-Requests":     {strconv.Itoa(int(rpm))},
		"X-Ratelimit-Limit-Tokens":       {strconv.Itoa(int(tpm))},
		"X-Ratelimit-Remaining-Requests": {s.reported(s.reqLevel, rpm)},
		"X-Ratelimit-Remaining-Tokens":   {s.reported(s.tokLevel, tpm)},
		"X-Ratelimit-Reset-Requests":     {reset(s.reqLevel, rpm)},
		"X-Ratelimit-Reset-Tokens":       {reset(s.tokLevel, tpm)},
	}
}

// arrivals returns when each request may be sent at the earliest (client
// i's request k at k*Clients+i): all at 0 for a closed loop, else a
// Poisson process of OpenLoop requests a second over all clients, drawn
// from its own source seeded by the run's seed.
func (sc Scenario) arrivals(seed uint64) []time.Duration {
	out := make([]time.Duration, sc.Clients*sc.Requests)
	if sc.OpenLoop <= 0 {
		return out
	}
	rng := rand.New(rand.NewPCG(seed, 0xa441))
	var t float64
	for i := range out {
		t += rng.ExpFloat64() / sc.OpenLoop
		out[i] = time.Duration(t * float64(time.Second))
	}
	return out
}

// codecStore is a fleet store simulated through pace.Store: every State
// is kept encoded, as package paceredis keeps it, and decoded, applied
// and encoded again by each operation (one atomic step: the simulation is
// single-threaded).
type codecStore struct{ m map[int][]byte }

func (c *codecStore) Apply(key int, op pace.Op) time.Time {
	if c.m == nil {
		c.m = make(map[int][]byte)
	}
	var st pace.State
	if b := c.m[key]; b != nil {
		if err := st.UnmarshalBinary(b); err != nil {
			panic(err) // written by AppendBinary just before
		}
	}
	t := st.Apply(op)
	c.m[key], _ = st.AppendBinary(c.m[key][:0])
	return t
}
