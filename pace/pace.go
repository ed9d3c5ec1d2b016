// Package pace is a shared, transport-free limiter driven by what the
// server says: its delays (Retry-After and the like) and the rate-limit
// windows every response reports (see classify.ReadRateLimits).
//
// In the manner of golang.org/x/time/rate, a Limiter is shared by every
// goroutine that calls one API with one credential: call Wait before an
// attempt and Observe (or ObserveSent) after it, with a key of your
// choosing (for example host + key + model); as a policy.Limiter, use
// ByRequest or Limiter.Key. Wait never waits past the context's deadline:
// when the wait would end after it, Wait returns ErrDeadline at once.
//
// # What it assumes of the server, rule by rule
//
// Every report is a noisy observation, and the Limiter holds back only
// what the server's own reports and refusals justify; where they are
// missing or contradict each other it does what the default policy does
// without it (each refused attempt waits the server's delay, nobody else
// is held).
//
//   - A server delay (Retry-After) holds every caller of the key until it
//     has passed, counted from the start of the cooldown in force (the
//     later answers to one burst do not extend it). Assumed: the delay is
//     the server's word for the account, not for one request.
//   - A refusal whose headers show a continuously refilled bucket holds
//     the other callers only until the bucket, as modelled, has room again
//     (the refused attempt's own retry still waits the whole delay).
//     Assumed: a delay in whole seconds rounds up the refill of one unit.
//   - Resets given relative to the response (x-ratelimit-reset-*,
//     RateLimit-Reset) are counted from the attempt's send time
//     (ObserveSent; policy.Attempt.Start through ByRequest and Key).
//     Assumed: the server decides, and writes its headers, when the
//     request reaches it, before the work that makes up the latency.
//   - A fixed window's remaining budget goes whenever it is asked for,
//     counted down by every reservation; once spent, every caller is held
//     until the reset plus a spread (Spread, at most a tenth of the
//     window's length, the longest reset reported for it), and the next
//     window holds the limit again until one window length later.
//     Assumed: windows follow one another and admit their limit whenever
//     it comes; their edge is late, if at all, by a small part of them.
//   - A window whose reports show a continuously refilled token bucket
//     (its reset is when it is full again, as OpenAI's are; two reports of
//     different remaining budgets tell) is paced at its refill rate: an
//     attempt starts once the bucket, as modelled from the reports and
//     every reservation since, holds its cost. The rate is learnt from
//     the line through the reports' (remaining, reset) pairs, whose value
//     at a remaining budget of 0 is the time to fill the bucket however
//     much the remaining budget is overstated; until that line is known to
//     within 5 %, it is the fastest one report gives since the last
//     refusal. A rate found faster than modelled also shortens what the
//     model holds spent ahead of now to the same units at the new rate
//     (reports only ever move it later, so capacity held back at a rate
//     found too slow would otherwise stay unused). Assumed: resets are
//     the time until the bucket is full again, exact or rounded up by a
//     small part of it; the remaining budget may be rounded down or
//     overstated by a constant share; a bucket's rate changes only with
//     its limit.
//   - A refusal whose delay ends before a window's reported reset drops
//     that report. Assumed: the server knows when it will admit again; a
//     window whose exhaustion it contradicts is not a fixed window.
//   - With no rate-limit headers at all, cooldowns are shared, and
//     attempts are paced at the rate the server admitted between them
//     (see State.Apply). Assumed: a server refusing again soon after a
//     cooldown admits about what it admitted between the two.
//
// # Fleet
//
// The state behind a Limiter is a Store. The default is in-process.
// Several processes share one through a fleet store (package
// github.com/apierr/apierr/paceredis keeps it in Redis): Apply reads the
// key's State (AppendBinary and UnmarshalBinary give its encoding), calls
// State.Apply and writes it back atomically. Each process pacing alone
// from the account's headers gets part of the benefit on fixed windows;
// on the simulation's OpenAI-like buckets five processes with a limiter
// each keep about half of one process's reduction of 429s (they get
// 1,202-1,344 where one process gets 2 and the default policy 2,360;
// docs/pacing.md), and a shared store all of it: it is what makes one process's refusals and
// reservations count for the others.
package pace

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/policy"
)

// ErrDeadline is returned by Wait when the wait would end after the
// context's deadline.
var ErrDeadline = errors.New("pace: wait would pass the context deadline")

// WindowState is the state of one rate-limit window as last observed.
type WindowState struct {
	// Limit is the window's whole budget, or 0 when unknown.
	Limit int64
	// Remaining is the budget left, or -1 when unknown.
	Remaining int64
	// ResetAt is when the window is replenished; zero when unknown.
	ResetAt time.Time
}

// State is the shared state of one key. Its zero value is a key nothing is
// known about.
type State struct {
	// Hold is the time before which no attempt starts (a server delay or an
	// exhausted window's reset, spread upwards).
	Hold time.Time
	// Next is the earliest start of the next paced attempt.
	Next time.Time
	// Requests and Tokens are the windows last observed; ok reports that
	// they were.
	Requests, Tokens WindowState
	known            [2]bool
	span             [2]time.Duration // the longest reset reported for the window
	buckets          [2]bucket
	headers          bool // a window was ever reported

	// The cooldown in force (a server delay): when it began and how long
	// it is; and the rate learnt from cooldowns (see Apply).
	holdFrom  time.Time
	holdLen   time.Duration
	cycleFrom time.Time     // when the last cooldown began
	admitted  int64         // admissions observed since cycleFrom
	per       time.Duration // learnt interval between admissions, or 0
	paced     time.Time     // the earliest start of the next attempt paced at the learnt rate
}

// growth is how much the learnt rate grows, as a fraction of itself, per
// cooldown length without a new cooldown: it probes for the capacity a
// short measurement missed, and the next 429 measures again.
const growth = 0.3

// maxCycle is the longest time between the starts of two cooldowns, in
// cooldown lengths, over which a rate is learnt: what a server admitted
// over a longer time, mostly without refusing, is the callers' demand
// rather than its capacity, and a rare cooldown says nothing of a rate.
const maxCycle = 10

// Op is one operation on a State: a reservation (Wait) or an observation
// (Observe).
type Op struct {
	// Now is the current time.
	Now time.Time
	// Observe selects an observation; otherwise the Op reserves a start.
	Observe bool
	// Cost is the estimated token cost of the attempt to reserve (0: not
	// paced by tokens).
	Cost int64
	// Hold is, for an observation, a time before which no attempt may start.
	Hold time.Time
	// At is, for an observation, the instant its windows describe: when
	// the server decided the attempt (its send time); zero means Now.
	At time.Time
	// Requests and Tokens are, for an observation, the windows observed;
	// RequestsKnown and TokensKnown report that they were.
	Requests, Tokens           WindowState
	RequestsKnown, TokensKnown bool
	// Spread is the upward spread added to a reset-driven hold.
	Spread time.Duration
	// Admitted is, for an observation, that the server admitted the
	// attempt (its result is not a failure: classify.Result.OK).
	Admitted bool
	// Refused is, for an observation, that the server refused the attempt
	// for its rate limit (a 429, or a result of category RateLimited).
	Refused bool
	// ResetHold is, for an observation, the end of a hold for a window a
	// result reported exhausted when the window itself is not given
	// (spread included): it holds every attempt unless the key's windows
	// are continuous buckets, whose reset is when they are full again.
	ResetHold time.Time
}

// Apply applies op to s and returns, for a reservation, the time at which
// the attempt may start, and for an observation the time until which every
// attempt is held. Stores call it while holding the key.
//
// A server delay (op.Hold) observed while no cooldown is in force starts
// one. One observed during a cooldown counts from the cooldown's start,
// not from now: every caller of the key is held during a cooldown, so the
// attempt it answers was sent before the cooldown began, and the server's
// later answers to the same burst would otherwise extend the cooldown
// again and again; so it extends the cooldown only when it is longer.
//
// With no rate-limit headers, cooldowns are all the server tells, and
// releasing every held caller at the cooldown's end sends a burst the
// server refuses in part (a token bucket that refilled during the
// cooldown admits its capacity and no more), which starts the next
// cooldown. So a new cooldown also measures the rate the server admitted
// since the previous one began (the admissions observed, op.Admitted,
// over the time, when that began at most 10 cooldown lengths ago; a
// rarer cooldown stops the pacing), and from then on attempts are spaced
// at that rate, starting when the cooldown ends; the rate grows linearly by growth
// (30 %) of itself per cooldown length without a new cooldown, to probe
// for capacity, and the next cooldown measures it again. A key whose
// responses report rate-limit windows is paced by those instead.
//
// A window is a fixed window (its remaining budget spent whenever asked,
// then held until its reset when exhausted; see the package doc) until its reports show a continuously refilled token bucket,
// whose reset is when it is full again: two reports of different
// remaining budgets whose resets are (limit - remaining) / rate apart, not
// the same instant. A bucket is then paced at its refill rate, learnt from
// the reports: an attempt starts once the bucket, as modelled from the
// reports and every reservation since, holds its cost (1 request; op.Cost
// tokens), and an exhausted bucket holds nobody until its reset.
func (s *State) Apply(op Op) time.Time {
	if op.Observe {
		if op.Admitted {
			s.admitted++
		}
		if op.RequestsKnown || op.TokensKnown {
			s.headers = true
		}
		at := op.At
		if at.IsZero() || at.After(op.Now) {
			at = op.Now
		}
		s.observe(0, &s.Requests, op.Requests, op.RequestsKnown, at, op.Now, op.Refused)
		s.observe(1, &s.Tokens, op.Tokens, op.TokensKnown, at, op.Now, op.Refused)
		if hold := s.sharedDelay(op); hold.After(op.Now) {
			switch {
			case !s.Hold.After(op.Now): // a new cooldown
				s.per = 0
				if cycle := op.Now.Sub(s.cycleFrom); !s.cycleFrom.IsZero() && s.admitted > 0 && cycle <= maxCycle*s.holdLen {
					s.per = cycle / time.Duration(s.admitted)
				}
				s.cycleFrom, s.admitted = op.Now, 0
				s.hold(op.Now, hold)
			default: // counted from the cooldown's start
				s.hold(op.Now, s.holdFrom.Add(hold.Sub(op.Now)))
			}
		}
		for i, w := range [2]WindowState{op.Requests, op.Tokens} {
			if s.buckets[i].active() {
				// An empty bucket has room again after one unit's
				// refill, not at its reset (when it is full).
				continue
			}
			if op.Refused && op.Hold.After(op.Now) && w.ResetAt.After(op.Hold) {
				// The server's own delay says to try before the
				// window's reset: it is no fixed window ending then
				// (a bucket whose reset is when it is full, say).
				// The report is dropped; the delay holds.
				s.known[i] = false
				continue
			}
			if w.Remaining == 0 && w.ResetAt.After(op.Now) {
				s.hold(op.Now, w.ResetAt.Add(s.spread(i, op.Spread)))
			}
		}
		if !s.buckets[0].active() && !s.buckets[1].active() {
			s.hold(op.Now, op.ResetHold)
		}
		return s.Hold
	}
	start := op.Now
	if s.Hold.After(start) {
		start = s.Hold
	}
	if s.Next.After(start) {
		start = s.Next
	}
	if s.per > 0 && !s.headers {
		if s.paced.After(start) {
			start = s.paced
		}
		gap := s.per
		if since := start.Sub(s.Hold); since > 0 && s.holdLen > 0 {
			gap = time.Duration(float64(s.per) / (1 + growth*float64(since)/float64(s.holdLen)))
		}
		s.paced = start.Add(gap)
	}
	costs := [2]int64{1, op.Cost}
	// A continuous bucket has room for cost once it has refilled to it.
	for i := range s.buckets {
		if b := &s.buckets[i]; b.active() && costs[i] > 0 {
			if e := b.room(costs[i]); e.After(start) {
				start = e
			}
		}
	}
	next := start
	for i, w := range [2]*WindowState{&s.Requests, &s.Tokens} {
		cost := costs[i]
		if cost <= 0 || s.buckets[i].active() {
			continue
		}
		if !s.known[i] || w.Remaining < 0 || w.ResetAt.IsZero() {
			continue
		}
		if !w.ResetAt.After(start) {
			// Replenished. A fixed window that was reported with a
			// limit holds its limit again, until a reset one window
			// length (the longest reset reported) later: a server's
			// windows follow one another. Without a limit or a length,
			// wait for the next report.
			if w.Limit <= 0 || s.span[i] <= 0 {
				s.known[i] = false
				continue
			}
			w.ResetAt = w.ResetAt.Add((start.Sub(w.ResetAt)/s.span[i] + 1) * s.span[i])
			w.Remaining = w.Limit
		}
		if w.Remaining < cost {
			// Exhausted: start after the reset (with the spread).
			start = w.ResetAt.Add(s.spread(i, op.Spread))
			next = start
			if w.Limit > 0 && s.span[i] > 0 && w.Limit >= cost {
				// In the next window, which holds its limit.
				w.ResetAt = w.ResetAt.Add(s.span[i])
				w.Remaining = w.Limit - cost
			} else {
				s.known[i] = false
			}
			continue
		}
		// A fixed window admits what remains of it whenever it is asked
		// before its reset: holding any of it back cannot finish sooner.
		w.Remaining -= cost
	}
	for i := range s.buckets {
		if b := &s.buckets[i]; b.per > 0 && costs[i] > 0 {
			b.take(start, costs[i])
		}
	}
	s.Next = next
	return start
}

// sharedDelay is the end of the cooldown that a server delay (op.Hold)
// imposes on every caller of the key. It is the delay itself, except when
// the refusal reported a continuously refilled bucket (see bucket) of the
// key, or an exhausted fixed window: a delay written in whole seconds
// (Retry-After) rounds up the bucket's refill of one unit, often tens of
// milliseconds, or the window's reset, and the bucket model, which the
// same report has just brought up to date, or the window's reset (plus
// the spread) says when the next attempt has room. The refused attempt's own retry still honours the
// whole delay (the policy's business); the others are held only by what
// the report justifies.
func (s *State) sharedDelay(op Op) time.Time {
	if !op.Hold.After(op.Now) || !op.Refused {
		return op.Hold
	}
	hold, reported := op.Hold, false
	for i, w := range [2]WindowState{op.Requests, op.Tokens} {
		if ![2]bool{op.RequestsKnown, op.TokensKnown}[i] {
			continue
		}
		r := time.Time{}
		switch b := &s.buckets[i]; {
		case b.active():
			r = b.room(1)
		case w.Remaining == 0 && w.ResetAt.After(op.Now):
			// An exhausted fixed window: a delay in whole seconds
			// rounds up its reset.
			r = w.ResetAt.Add(s.spread(i, op.Spread))
		default:
			continue
		}
		reported = true
		if r.Before(hold) {
			hold = r
		}
	}
	if !reported {
		return op.Hold
	}
	return hold
}

// spreadShare is the largest share of a window's length that the spread
// after its reset may take (see spread).
const spreadShare = 10

// spread is the margin after window i's reset: the Limiter's Spread, but
// at most a tenth of the window's length (the longest reset reported for
// it). The rule assumes that a server's window edge is late, if at all, by
// a small part of its window: a fixed margin of 250 ms is nothing to a
// minute's window and a quarter of a one-second window's capacity.
func (s *State) spread(i int, spread time.Duration) time.Duration {
	if s.span[i] > 0 {
		return min(spread, s.span[i]/spreadShare)
	}
	return spread
}

// hold holds every attempt until until, and records when the hold in
// force began and how long it is.
func (s *State) hold(now, until time.Time) {
	if !until.After(now) {
		return
	}
	if !s.Hold.After(now) {
		s.holdFrom = now // a new hold
	}
	if until.After(s.Hold) {
		s.Hold, s.holdLen = until, until.Sub(s.holdFrom)
	}
}

// observe records window i as reported at now (when the server decided).
// A report of the window
// already known (its reset within a second of the known one) lowers the
// remaining budget but never raises it: responses report the budget at
// their admission, and attempts reserved since then have spent some of it.
func (s *State) observe(i int, w *WindowState, o WindowState, ok bool, now, cur time.Time, refused bool) {
	if !ok {
		return
	}
	s.buckets[i].observe(o, now, cur, refused)
	span := o.ResetAt.Sub(now)
	// Reports of one window agree on its reset to within a second (for
	// resets rounded to whole seconds) or half the window, whichever is
	// less.
	same := time.Second
	if s.span[i] > 0 {
		same = min(same, s.span[i]/2)
	}
	if s.known[i] && w.Remaining >= 0 && !w.ResetAt.IsZero() && !o.ResetAt.IsZero() {
		switch d := o.ResetAt.Sub(w.ResetAt); {
		case d.Abs() < same:
			w.Remaining = min(w.Remaining, o.Remaining)
			s.span[i] = max(s.span[i], span)
			return
		case d < 0:
			// A window that ended before the one known: responses
			// arrive late and out of order, and this one says
			// nothing of the window in force.
			return
		}
	}
	*w, s.known[i] = o, true
	if !o.ResetAt.IsZero() && span > 0 {
		s.span[i] = span
	}
}

// bucket tells a fixed window from a continuously refilled token bucket
// reporting the same three numbers, and models the bucket once it is
// known to be one.
//
// Both report a limit L, a remaining budget R and a reset T; they differ
// in what T means. A fixed window's reset is the window's end, the same
// instant in every report of the window, whatever R says. A bucket refills
// at a constant rate r and its reset is when it is full again (OpenAI
// documents x-ratelimit-reset-* as "the time until the rate limit resets
// to its initial state"), so T = (L - R) / r in every report: the reset
// moves with the budget. Two reports of different R tell them apart: the
// one model whose prediction of the second report from the first errs
// less gets a vote (|ΔresetAt| for the window; for the bucket, |T2 - T1 -
// q (R1 - R2)| with q the time per unit of budget: the fitted line's slope
// once it is precise, see fit, else T1 / (L - R1)). The votes are capped at 3 either way, and a window is
// treated as a bucket while they are positive; until two reports have
// been compared it is a fixed window.
//
// A bucket is modelled by the instant it is full again (the "theoretical
// arrival time" of the generic cell rate algorithm): it holds L - (full -
// t) r units at t. A reservation of cost c starts once c units are there
// and moves full by c / r. A report moves full later, never earlier: it
// reports the bucket at its admission, and the attempts reserved since
// have spent more. Only a rate found faster moves it earlier (see
// rescale). The rate is learnt as fit says.
type bucket struct {
	votes  int8
	last   WindowState // the last report usable for detection
	lastAt time.Time   // when it was observed
	per    float64     // nanoseconds to refill one unit (1 / r), or 0
	full   time.Time
	fit    fit // the line through the reports (see fit)
}

func (b *bucket) active() bool { return b.votes > 0 && b.per > 0 && b.last.Limit > 0 }

// observe records report o of the bucket, made by the server at now and
// observed at cur.
func (b *bucket) observe(o WindowState, now, cur time.Time, refused bool) {
	t2 := o.ResetAt.Sub(now)
	if o.Limit <= 0 || o.Remaining < 0 || o.Remaining >= o.Limit || o.ResetAt.IsZero() || t2 <= 0 {
		return // a full bucket, or a report that says too little
	}
	if b.last.Limit == o.Limit && b.last.Remaining != o.Remaining && now.Before(b.last.ResetAt) {
		t1 := b.last.ResetAt.Sub(b.lastAt)
		// The reset a bucket would report at the new budget: it moves
		// by the time per unit of budget, which the fitted line gives
		// once it is precise (a budget overstated by a share moves the
		// reset less per unit than T / (L - R) says), else the first
		// report itself.
		q := float64(t1) / float64(o.Limit-b.last.Remaining)
		if slope, ok := b.fit.slope(); ok && o.Limit == b.fit.limit {
			q = -slope
		}
		window := math.Abs(float64(o.ResetAt.Sub(b.last.ResetAt)))
		bucket := math.Abs(float64(t2) - (float64(t1) + q*float64(b.last.Remaining-o.Remaining)))
		switch {
		case bucket < window && b.votes < 3:
			b.votes++
		case window < bucket && b.votes > -3:
			b.votes--
		}
	}
	b.last, b.lastAt = o, now
	b.fit.add(o.Limit, o.Remaining, t2)
	if old := b.per; old > 0 {
		defer b.rescale(old, cur)
	}
	// The model is kept from the first report on, bucket or not, so that
	// it has counted every reservation when the votes first say bucket.
	if per, ok := b.fit.per(); ok {
		b.per = per
	} else if est := float64(t2) / float64(o.Limit-o.Remaining); b.per == 0 || refused {
		b.per = est
	} else if t2 >= time.Second {
		// A reset of a second or more is precise to 0.1 % at the
		// millisecond precision resets are written in. The fastest
		// rate reported since the last refusal is kept: the ways real
		// headers err (a remaining budget overstated, a reset rounded
		// up) all make one report's rate too slow, and a refusal is
		// what shows the rate too fast.
		b.per = min(b.per, est)
	}
	if o.ResetAt.After(b.full) {
		b.full = o.ResetAt
	}
}

// rescale keeps the units the model holds spent when the time per unit
// falls from old: the part of full after cur, old per unit, becomes that
// many units at the new time per unit. Reports move full later, never
// earlier (attempts reserved since a report have spent more than it
// shows), so a model that reservations moved too far at a rate found too
// slow would otherwise hold back, for good, capacity the server admits.
// A rate found too fast needs no such step: the next report moves full
// later.
func (b *bucket) rescale(old float64, cur time.Time) {
	if b.per >= old || !b.full.After(cur) {
		return
	}
	b.full = cur.Add(time.Duration(float64(b.full.Sub(cur)) * (b.per / old)))
}

// fit is the least-squares line through a bucket's reports of the same
// limit, each a point (remaining budget R, reset T), from which the
// bucket's rate is learnt once the line is precise enough; until then, and
// after a change of limit, each report's own reading is used (see
// bucket).
//
// A bucket of limit L refilled at r with L - x units spent reports
// T = x / r whatever its remaining budget says; a server that reports R
// = k (L - x) rounded down, for some k (k > 1: overstated, as by a share
// of what requests in flight are about to spend), gives T = L / r - (R +
// f) / (k r) with f in [0, 1) the part rounded off: a line in R of slope
// -1 / (k r) whose value at R = 0 lies within one slope of L / r, the
// time to fill the whole bucket, for every k. One report cannot tell k;
// reports of different budgets can, so the rate read from the line is
// right where each report's own reading, T / (L - R) (k = 1), is too slow
// by as much as the budget is overstated. Within that one slope, the
// largest reading T / (L - R) of any report is taken: with a truthful
// budget it is the report least rounded off, at most the true time per
// unit, and the line bounds an overstated one. The line is used once its
// value at R = 0 is known to within 5 % (its standard error, from the
// scatter of the reports about it), the makespan margin issue 19's
// acceptance allows. Reports of a full budget (R = L: a budget overstated
// past the limit is written as the limit) are left out. Assumed: a
// bucket's rate changes only with its limit; resets are exact or rounded
// by a small part of the time to fill the bucket.
type fit struct {
	limit  int64
	n      float64 // the number of reports
	mr, mt float64 // the means of R and of T (in seconds)
	// The sums of squares and products of the deviations from the means
	// (kept as Welford's method does, so that budgets of billions lose
	// no precision).
	srr, srt, stt float64
	most          float64 // the largest T / (L - R), in seconds
}

// add adds the point (rem, reset) of a report of limit limit; a new limit
// starts the line again.
func (f *fit) add(limit, rem int64, reset time.Duration) {
	if limit != f.limit {
		*f = fit{limit: limit}
	}
	r, t := float64(rem), reset.Seconds()
	f.most = max(f.most, t/float64(limit-rem))
	f.n++
	dr, dt := r-f.mr, t-f.mt
	f.mr += dr / f.n
	f.mt += dt / f.n
	f.srr += dr * (r - f.mr)
	f.srt += dr * (t - f.mt)
	f.stt += dt * (t - f.mt)
}

// fitPrecision is the largest standard error of the line's intercept, as a
// share of the intercept, at which the fitted rate is used.
const fitPrecision = 0.05

// slope returns the line's slope, in nanoseconds of reset per unit of
// budget, and whether the line is precise enough to use.
func (f *fit) slope() (float64, bool) {
	if _, ok := f.per(); !ok {
		return 0, false
	}
	return f.srt / f.srr * float64(time.Second), true
}

// per returns the time to refill one unit, in nanoseconds, that the line
// gives, and whether the line is precise enough to use.
func (f *fit) per() (float64, bool) {
	if f.n < 3 || f.limit <= 0 || !(f.srr > 0) {
		return 0, false
	}
	slope := f.srt / f.srr
	c := f.mt - slope*f.mr
	if !(c > 0) || !(slope < 0) {
		return 0, false
	}
	sse := max(f.stt-slope*f.srt, 0)
	se2 := sse / (f.n - 2) * (1/f.n + f.mr*f.mr/f.srr)
	if !(se2 <= fitPrecision*fitPrecision*c*c) {
		return 0, false
	}
	per := min(max(f.most, c/float64(f.limit)), (c-slope)/float64(f.limit))
	return per * float64(time.Second), true
}

// room returns when the bucket holds cost units (at most its limit).
func (b *bucket) room(cost int64) time.Time {
	cost = min(cost, b.last.Limit)
	return b.full.Add(-time.Duration(float64(b.last.Limit-cost) * b.per))
}

// take spends cost units at start.
func (b *bucket) take(start time.Time, cost int64) {
	cost = min(cost, b.last.Limit)
	if start.After(b.full) {
		b.full = start
	}
	b.full = b.full.Add(time.Duration(float64(cost) * b.per))
}

// Store holds the State of every key. Apply applies op to key's State
// atomically (see State.Apply) and returns its result. It must be safe for
// concurrent use.
type Store[K comparable] interface {
	Apply(key K, op Op) time.Time
}

// MemStore is the in-process Store, the default. Its zero value is ready
// to use.
type MemStore[K comparable] struct {
	mu sync.Mutex
	m  map[K]*State
}

// Apply implements Store.
func (m *MemStore[K]) Apply(key K, op Op) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.m[key]
	if s == nil {
		if m.m == nil {
			m.m = make(map[K]*State)
		}
		s = new(State)
		m.m[key] = s
	}
	return s.Apply(op)
}

// Limiter is a shared limiter. Its zero value is ready to use, with an
// in-process store and the real clock. It is safe for concurrent use; do
// not change its fields after first use.
type Limiter[K comparable] struct {
	// Store holds the state; nil means an in-process MemStore.
	Store Store[K]
	// Clock tells the time and waits; nil means the real time
	// (policy.SystemClock). Give it the Policy's Clock.
	Clock policy.Clock
	// Spread is the margin added to a hold ending at an exhausted window's
	// reset, for a server whose clock or window edge is a little late. A
	// server delay (Retry-After) is held as given. Zero means 250ms;
	// negative means none.
	Spread time.Duration

	mem MemStore[K]
}

func (l *Limiter[K]) store() Store[K] {
	if l.Store != nil {
		return l.Store
	}
	return &l.mem
}

func (l *Limiter[K]) now() time.Time {
	if l.Clock != nil {
		return l.Clock.Now()
	}
	return time.Now()
}

func (l *Limiter[K]) spread() time.Duration {
	switch {
	case l.Spread < 0:
		return 0
	case l.Spread == 0:
		return 250 * time.Millisecond
	}
	return l.Spread
}

// Wait reserves a start for an attempt of key with an estimated token cost
// (0 when unknown) and waits until it. It returns ErrDeadline at once when
// the start is after ctx's deadline, and ctx's error if ctx ends first.
func (l *Limiter[K]) Wait(ctx context.Context, key K, cost int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		now := l.now()
		start := l.store().Apply(key, Op{Now: now, Cost: cost, Spread: l.spread()})
		d := start.Sub(now)
		if d <= 0 {
			return nil
		}
		if dl, ok := ctx.Deadline(); ok && start.After(dl) {
			return ErrDeadline
		}
		if err := l.sleep(ctx, d); err != nil {
			return err
		}
		// A server delay learnt during the wait holds this attempt too,
		// and its start is reserved again after it: the callers held
		// with it would otherwise all start at its end, in one burst.
		if l.Held(key) <= 0 {
			return nil
		}
	}
}

func (l *Limiter[K]) sleep(ctx context.Context, d time.Duration) error {
	if l.Clock != nil {
		return l.Clock.Sleep(ctx, d)
	}
	return policy.SystemClock{}.Sleep(ctx, d)
}

// Held returns how long every attempt of key is still held by a server
// delay or an exhausted window, or 0.
func (l *Limiter[K]) Held(key K) time.Duration {
	now := l.now()
	return max(l.store().Apply(key, Op{Now: now, Observe: true, Spread: l.spread()}).Sub(now), 0)
}

// Observe records what an attempt of key learnt: the server's delay and the
// rate-limit windows of its response (rl from classify.ReadRateLimits; pass
// the zero RateLimits when the headers are not at hand). A server delay, or
// an exhausted window, holds every caller of key until it has passed.
// Observe is ObserveSent with the send time unknown: relative resets are
// counted from now.
func (l *Limiter[K]) Observe(key K, r classify.Result, rl classify.RateLimits) {
	l.ObserveSent(key, r, rl, time.Time{})
}

// ObserveSent is Observe for an attempt sent at sent (policy.Attempt.Start).
// A server computes a response's rate-limit headers when it admits or
// refuses the request, which is when the request reaches it, before the
// work that makes up most of a response's latency; so a reset given
// relative to that moment (x-ratelimit-reset-*, RateLimit-Reset) is
// counted from sent, the latest instant known to be no later than the
// server's decision, rather than from the response's arrival, which would
// put the reset late by the whole latency (for a window of a second or two,
// longer than the window). A reset given as a time (anthropic-ratelimit-*)
// needs no anchor, and a server delay (Retry-After) is counted from now,
// never shortened. A zero sent, or one after now, means now.
func (l *Limiter[K]) ObserveSent(key K, r classify.Result, rl classify.RateLimits, sent time.Time) {
	now := l.now()
	if sent.IsZero() || sent.After(now) {
		sent = now
	}
	op := Op{Now: now, At: sent, Observe: true, Spread: l.spread(), Admitted: r.OK,
		Refused: r.Status == http.StatusTooManyRequests || r.Category == catalog.RateLimited}
	if r.RetryAfterSource != "" && r.RetryAfter > 0 {
		// The server's own delay is held as it is: a token bucket refills
		// continuously, and a spread would leave its refill unused.
		op.Hold = now.Add(r.RetryAfter)
	} else if r.RateLimitExhausted && r.RateLimitResetSource != "" {
		op.ResetHold = anchor(r.RateLimitResetSource, now, sent).Add(r.RateLimitReset).Add(min(op.Spread, r.RateLimitReset/spreadShare))
	}
	op.Requests, op.RequestsKnown = window(rl, now, sent, classify.WindowRequests, classify.WindowQuota)
	op.Tokens, op.TokensKnown = window(rl, now, sent, classify.WindowTokens, classify.WindowInputTokens)
	l.store().Apply(key, op)
}

// anchor is the instant a reset from source (a classify source name or a
// header name) is counted from: sent for a relative one, now for an
// absolute one (Anthropic's, read relative to now).
func anchor(source string, now, sent time.Time) time.Time {
	if strings.HasPrefix(source, "anthropic") {
		return now
	}
	return sent
}

func window(rl classify.RateLimits, now, sent time.Time, kinds ...classify.WindowKind) (WindowState, bool) {
	for _, k := range kinds {
		w := rl.Windows[k]
		if w.Source == "" || w.Remaining < 0 {
			continue
		}
		out := WindowState{Limit: max(w.Limit, 0), Remaining: w.Remaining}
		if w.Reset >= 0 {
			out.ResetAt = anchor(w.Source, now, sent).Add(w.Reset)
		}
		return out, true
	}
	return WindowState{Remaining: -1}, false
}

// Key binds the limiter to one key and an estimated token cost per
// attempt, as a policy.Limiter for a Policy whose requests all share that
// key. Use ByRequest to key attempts by their request.
func (l *Limiter[K]) Key(key K, cost int64) Keyed[K] {
	return Keyed[K]{l: l, key: key, cost: cost}
}

// Keyed is a Limiter bound to one key; it implements policy.Limiter.
type Keyed[K comparable] struct {
	l    *Limiter[K]
	key  K
	cost int64
}

// Wait is Limiter.Wait for the bound key and cost; the request is not
// looked at.
func (k Keyed[K]) Wait(ctx context.Context, _ *http.Request) error {
	return k.l.Wait(ctx, k.key, k.cost)
}

// Observe is Limiter.Observe for the bound key: it shares the server's
// delays and exhausted windows that a.Result reports, and the rate-limit
// windows of a.Response's headers when there is a response.
func (k Keyed[K]) Observe(a policy.Attempt) {
	k.l.ObserveSent(k.key, a.Result, k.l.rateLimits(a), a.Start)
}

// rateLimits reads the rate-limit windows of an attempt's response, or
// none without one.
func (l *Limiter[K]) rateLimits(a policy.Attempt) classify.RateLimits {
	if a.Response == nil {
		return classify.RateLimits{}
	}
	return classify.ReadRateLimits(a.Response.Header, l.now())
}

// Reserve reserves a start for an attempt of key with an estimated token
// cost and returns how long from now it is, without waiting: for event
// loops and simulations that schedule the attempt themselves.
func (l *Limiter[K]) Reserve(key K, cost int64) time.Duration {
	now := l.now()
	return max(l.store().Apply(key, Op{Now: now, Cost: cost, Spread: l.spread()}).Sub(now), 0)
}
