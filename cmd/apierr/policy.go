package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/sim"
	"github.com/apierr/apierr/policy"
)

// policyUsage is the help text of the policy subcommand.
const policyUsage = `Usage:

	apierr policy [category]...

Print the default retry policy: for each category (or the ones named), how
many attempts it makes, within how long, how a delay the server asked for is
used, and the wait before each retry (attempt -> delay range, jitter
included) when the server asks for none.
`

// runPolicy runs the policy subcommand and returns the exit status.
func runPolicy(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("policy", stderr)
	if status, ok := parseFlagsArgs(fs, policyUsage, args, stdout, stderr); !ok {
		return status
	}
	cats := catalog.Categories()
	if fs.NArg() > 0 {
		cats = cats[:0]
		for _, name := range fs.Args() {
			c, ok := catalog.ParseCategory(name)
			if !ok {
				return usageError(fs, policyUsage, stderr, "unknown category %q", name)
			}
			cats = append(cats, c)
		}
	}
	var b bytes.Buffer
	var p policy.Policy
	fmt.Fprintf(&b, "A delay the server asks for (retry-after-ms, Retry-After, RetryInfo, a \"try again in\" phrase,\n"+
		"or an exhausted rate-limit window's reset) is waited in full plus 0-%g%% more, never less;\n"+
		"above %v the policy gives up (server_delay_too_long).\n", 100*policy.DefaultServerSpread, policy.DefaultMaxServerDelay)
	for _, c := range cats {
		b.WriteByte('\n')
		s := p.Strategy(c)
		fmt.Fprintf(&b, "%s: %s\n", c, strategyText(c, s))
		for _, row := range schedule(s) {
			fmt.Fprintf(&b, "  %s\n", row)
		}
	}
	if _, err := stdout.Write(b.Bytes()); err != nil {
		fmt.Fprintf(stderr, "apierr policy: writing output: %v\n", err)
		return exitFail
	}
	return exitOK
}

// strategyText summarises strategy s of category c on one line.
func strategyText(c catalog.Category, s policy.Strategy) string {
	var parts []string
	if !c.Retryable() {
		parts = append(parts, "not retried (applies only if a response is retryable anyway: x-should-retry: true, or a 5xx)")
	}
	switch {
	case s.MaxAttempts < 0:
		parts = append(parts, "any number of attempts")
	case s.MaxAttempts == 1:
		parts = append(parts, "1 attempt, no retry")
	default:
		parts = append(parts, fmt.Sprintf("%d attempts (%s)", s.MaxAttempts, plural(s.MaxAttempts-1, "retry", "retries")))
	}
	if s.MaxElapsed > 0 {
		parts = append(parts, "within "+s.MaxElapsed.String())
	}
	parts = append(parts, fmt.Sprintf("jitter %s", s.Jitter))
	switch s.ServerDelay {
	case policy.ServerDelayFloor:
		parts = append(parts, "server delay: at least that long")
	case policy.ServerDelayExact:
		parts = append(parts, "server delay: exactly that, plus a small spread")
	case policy.ServerDelayIgnore:
		parts = append(parts, "server delay: ignored")
	}
	return strings.Join(parts, "; ")
}

// schedule renders the waits before each retry of s when the server asks
// for no delay: one row per retry while the range grows, then one row for
// the retries that all wait the capped range.
func schedule(s policy.Strategy) []string {
	if !s.Retries() {
		return nil
	}
	last := s.MaxAttempts - 1 // the last retry's number
	unlimited := s.MaxAttempts < 0
	if unlimited {
		last = 1 << 20 // far enough for any schedule to have reached its cap
	}
	flo, fhi := s.Delays(last)
	var rows []string
	for n := 1; n <= last; n++ {
		lo, hi := s.Delays(n)
		switch {
		case lo == flo && hi == fhi && unlimited:
			return append(rows, fmt.Sprintf("retry %d and later: %s each", n, rangeText(lo, hi)))
		case lo == flo && hi == fhi && n < last:
			return append(rows, fmt.Sprintf("retries %d-%d: %s each", n, last, rangeText(lo, hi)))
		}
		rows = append(rows, fmt.Sprintf("retry %d (after attempt %d): %s", n, n, rangeText(lo, hi)))
	}
	return rows
}

// plural renders n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// rangeText renders a delay range.
func rangeText(lo, hi time.Duration) string {
	lo, hi = lo.Round(time.Millisecond), hi.Round(time.Millisecond)
	if lo == hi {
		return lo.String()
	}
	return lo.String() + " to " + hi.String()
}

// decisionText renders what the default policy does after a first attempt
// that failed as r: the reason, and for a retry the range the wait is drawn
// from (the jitter source pinned at its two ends).
func decisionText(r classify.Result) string {
	low := policy.Policy{Rand: func() float64 { return 0 }}
	high := policy.Policy{Rand: func() float64 { return math.Nextafter(1, 0) }}
	d, dh := low.Decide(1, 0, r), high.Decide(1, 0, r)
	switch {
	case d.Retry:
		s := low.Strategy(r.Category)
		text := "retry in " + rangeText(d.Delay, dh.Delay)
		if _, ok := serverAsked(r); ok && s.ServerDelay != policy.ServerDelayIgnore {
			text += " (the server's delay; jitter only adds)"
		}
		switch {
		case s.MaxAttempts > 0 && s.MaxElapsed > 0:
			text += fmt.Sprintf("; at most %d attempts within %v", s.MaxAttempts, s.MaxElapsed)
		case s.MaxAttempts > 0:
			text += fmt.Sprintf("; at most %d attempts", s.MaxAttempts)
		case s.MaxElapsed > 0:
			text += "; retries for up to " + s.MaxElapsed.String()
		}
		return text
	case d.Reason == policy.ReasonServerDelayTooLong:
		return fmt.Sprintf("give up (%s: the server asked for %s, above the %s cap)", d.Reason, delayText(d.Delay), policy.DefaultMaxServerDelay)
	}
	return fmt.Sprintf("do not retry (%s)", d.Reason)
}

// laterRetries renders the default policy's waits before the retries after
// the first, when r is retried at all: the schedule, or the server's delay
// when it asks for longer.
func laterRetries(r classify.Result) string {
	var p policy.Policy
	if !p.Decide(1, 0, r).Retry {
		return ""
	}
	rows := schedule(p.Strategy(r.Category))
	if len(rows) < 2 {
		return ""
	}
	for i, row := range rows[1:] {
		rows[i+1] = strings.Replace(row, fmt.Sprintf(" (after attempt %d)", i+2), "", 1)
	}
	return strings.Join(rows[1:], "; ") + " (or what the server asks, if longer)"
}

// serverAsked reports the delay the server asked for, as the policy reads it.
func serverAsked(r classify.Result) (time.Duration, bool) {
	switch {
	case r.RetryAfterSource != "":
		return r.RetryAfter, true
	case r.RateLimitExhausted && r.RateLimitResetSource != "":
		return r.RateLimitReset, true
	}
	return 0, false
}

// simUsage is the help text of the sim subcommand.
const simUsage = `Usage:

	apierr sim [--seeds N] [--fixed DURATION,...]
	apierr sim --family [--seeds N] [--first SEED] [--only NAME,...]

Run the deterministic retry simulation of issue 3 (virtual clock, seeded
randomness, no sleeping): N clients each complete K requests against one
server that admits requests through a token bucket, in four scenarios, with
the default policy, the origin document's loop and backoff/v4's defaults.
Prints, per scenario and strategy, the median over the seeds of: requests
completed, attempts per completed request, makespan against the ideal, and
the p50 and p99 time per request.

--fixed adds, for comparison, strategies that retry every failure forever
after a fixed delay (plus up to 10 %): the fairest schedule there is, and
with a short delay the floor of what any retry policy reaches on the model.

--family runs issue 19's family of servers and fleets instead (windows of
1 s to 1 h, tiers of 6 to 10,000 RPM, inexact headers, limit changes,
open-loop arrivals, 503s, five processes with and without a shared store)
with the default policy, the default policy with pace.Limiter and the
server-state oracle, over seeds FIRST..FIRST+N-1, and prints the verdicts
of the issue's acceptance (docs/pacing.md). --only runs the named
scenarios alone, of the family or of its variants (other parameters of
the same kinds; "variants" names them all).
`

// simFlags defines the flags of the sim subcommand on fs.
func simFlags(fs *flag.FlagSet) (seeds *int, fixed *string, family *bool, first *int, only *string) {
	seeds = fs.Int("seeds", 5, "number of `seeds` (1..N) to take the median over")
	fixed = fs.String("fixed", "", "comma-separated `delays` of fixed-delay strategies to add (e.g. 50ms,1.5s)")
	family = fs.Bool("family", false, "run issue 19's family of scenarios against the oracle")
	first = fs.Int("first", 1, "the first `seed` (with --family)")
	only = fs.String("only", "", "comma-separated `names` of scenarios to run, of the family or \"variants\" (with --family)")
	return seeds, fixed, family, first, only
}

// runSim runs the sim subcommand and returns the exit status.
func runSim(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sim", stderr)
	seeds, fixed, family, first, only := simFlags(fs)
	if status, ok := parseFlags(fs, simUsage, args, stdout, stderr); !ok {
		return status
	}
	if *seeds < 1 || *seeds > 1000 {
		return usageError(fs, simUsage, stderr, "--seeds must be from 1 to 1000, got %d", *seeds)
	}
	if *first < 1 || *first > 1000000 {
		return usageError(fs, simUsage, stderr, "--first must be from 1 to 1000000, got %d", *first)
	}
	if *family {
		scs, err := sim.FamilyNamed(*only)
		if err != nil {
			return usageError(fs, simUsage, stderr, "--only: %v", err)
		}
		return runFamily(scs, *first, *first+*seeds-1, stdout, stderr)
	}
	strategies := sim.Strategies()
	if *fixed != "" {
		for _, f := range strings.Split(*fixed, ",") {
			d, err := time.ParseDuration(strings.TrimSpace(f))
			if err != nil || d < time.Millisecond || d > time.Minute {
				return usageError(fs, simUsage, stderr, "--fixed takes delays from 1ms to 1m, got %q", f)
			}
			strategies = append(strategies, sim.Fixed(d))
		}
	}
	var sums []sim.Summary
	for _, sc := range sim.Scenarios() {
		for _, st := range strategies {
			sums = append(sums, sim.Measure(sc, st, *seeds))
		}
	}
	var b bytes.Buffer
	for _, sc := range sim.Scenarios() {
		fmt.Fprintf(&b, "(%s) %s\n", sc.Name, sc)
	}
	b.WriteByte('\n')
	if err := sim.Table(&b, sums); err == nil {
		_, err = stdout.Write(b.Bytes())
		if err == nil {
			return exitOK
		}
		fmt.Fprintf(stderr, "apierr sim: writing output: %v\n", err)
	}
	return exitFail
}

// runFamily prints issue 19's table of scs over seeds first..last.
func runFamily(scs []sim.Scenario, first, last int, stdout, stderr io.Writer) int {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Medians over seeds %d-%d; makespans as multiples of each scenario's ideal.\n\n", first, last)
	for _, sc := range scs {
		fmt.Fprintf(&b, "- %s: %s\n", sc.Name, sc)
	}
	b.WriteByte('\n')
	rows := sim.MeasureFamily(scs, first, last)
	err := sim.FamilyTable(&b, rows)
	if err == nil {
		b.WriteString("\nFleets: five processes against one account.\n\n")
		err = sim.FleetTable(&b, rows)
	}
	if err == nil {
		if _, err = stdout.Write(b.Bytes()); err == nil {
			return exitOK
		}
		fmt.Fprintf(stderr, "apierr sim: writing output: %v\n", err)
	}
	return exitFail
}
