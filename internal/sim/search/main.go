// Command search looks for the per-request retry schedule that gives the
// shortest makespan in scenario (i) of the simulation while keeping
// scenario (iii) within 3 attempts per completed request, issue 3's
// targets; it is the evidence behind the README's statement that no such
// schedule reaches (i)'s 1.15x target on this model.
//
// The schedules searched are sim.Schedule values with three stages (the
// waits before retry 1, retry 2, and every later retry, each uniform in its
// own range of 0-10 s, never shorter than the server's Retry-After): a
// family that holds growing, flat and shrinking schedules and every jitter
// width, wider than what policy.Strategy can express. Random candidates
// come first, then random steps around the best. Each candidate is scored
// on seeds 1-25 of (i) (median makespan) after a check of (iii) on seeds
// 1-9; the best few are then measured again on fresh seeds (26-75), since
// the best of thousands of noisy medians is flattered by the seeds it was
// picked on (-fresh sets how many). The default policy is measured on the
// same seeds.
//
//	go run ./internal/sim/search -candidates 2500 -steps 800 -seed 1
package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/apierr/apierr/internal/sim"
	"github.com/apierr/apierr/policy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the search with the command-line arguments args and returns the
// exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	candidates := fs.Int("candidates", 300, "random schedules to try")
	steps := fs.Int("steps", 100, "random steps around the best schedule")
	seed := fs.Uint64("seed", 1, "seed of the search's own randomness")
	keep := fs.Int("keep", 5, "best schedules to measure again on fresh seeds")
	fresh := fs.Int("fresh", 50, "number of fresh seeds (26 on) to measure them on")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *candidates < 1 || *steps < 0 || *keep < 1 || *fresh < 1 {
		fmt.Fprintln(stderr, "search: -candidates, -keep and -fresh must be positive, -steps not negative")
		return 2
	}

	scs := sim.Scenarios()
	i, iii := scs[0], scs[2]
	type scored struct {
		s        sim.Schedule
		makespan float64 // (i), seeds 1-25
		attempts float64 // (i)
	}
	var found []scored
	rng := rand.New(rand.NewPCG(*seed, 1))
	try := func(s sim.Schedule) {
		st := s.Strategy("candidate")
		if sim.MeasureSeeds(iii, st, 1, 9).Attempts > 3.0 {
			return
		}
		m := sim.MeasureSeeds(i, st, 1, 25)
		if m.Attempts <= 1.5 && m.Completed == 1 {
			found = append(found, scored{s, m.Makespan, m.Attempts})
		}
	}
	byMakespan := func(a, b scored) int { return cmp.Compare(a.makespan, b.makespan) }
	best := func() sim.Schedule { return slices.MinFunc(found, byMakespan).s }
	for range *candidates {
		s := sim.Schedule{Lo: make([]float64, 3), Hi: make([]float64, 3)}
		for j := range 3 {
			s.Hi[j] = 1 + 9*rng.Float64()
			s.Lo[j] = s.Hi[j] * rng.Float64()
		}
		try(s)
	}
	if len(found) == 0 {
		fmt.Fprintln(stdout, "no schedule kept (iii) within 3 attempts and (i) within 1.5")
		return 0
	}
	for range *steps {
		b := best()
		s := sim.Schedule{Lo: slices.Clone(b.Lo), Hi: slices.Clone(b.Hi)}
		for j := range 3 {
			s.Hi[j] = max(0.5, s.Hi[j]*(1+0.3*(rng.Float64()-0.5)))
			s.Lo[j] = min(s.Hi[j], max(0, s.Lo[j]*(1+0.3*(rng.Float64()-0.5))))
		}
		try(s)
	}
	slices.SortStableFunc(found, byMakespan)
	fmt.Fprintf(stdout, "%d schedules kept (iii) within 3 attempts and (i) within 1.5, of %d tried\n\n", len(found), *candidates+*steps)
	last := 25 + *fresh
	fmt.Fprintf(stdout, "| schedule (s): retry 1; retry 2; later | (i) seeds 1-25 | (i) seeds 26-%d | attempts | (iii) attempts, seeds 26-%d |\n", last, last)
	fmt.Fprintln(stdout, "|---|---|---|---|---|")
	for _, f := range found[:min(*keep, len(found))] {
		st := f.s.Strategy("")
		fresh := sim.MeasureSeeds(i, st, 26, last)
		fmt.Fprintf(stdout, "| %.2f-%.2f; %.2f-%.2f; %.2f-%.2f | %.3fx | %.3fx | %.2f | %.2f |\n",
			f.s.Lo[0], f.s.Hi[0], f.s.Lo[1], f.s.Hi[1], f.s.Lo[2], f.s.Hi[2],
			f.makespan, fresh.Makespan, fresh.Attempts, sim.MeasureSeeds(iii, st, 26, last).Attempts)
	}
	def := sim.Policy("default", policy.Policy{})
	fmt.Fprintf(stdout, "| the default policy | %.3fx | %.3fx | %.2f | %.2f |\n",
		sim.MeasureSeeds(i, def, 1, 25).Makespan, sim.MeasureSeeds(i, def, 26, last).Makespan,
		sim.MeasureSeeds(i, def, 26, last).Attempts, sim.MeasureSeeds(iii, def, 26, last).Attempts)
	return 0
}
