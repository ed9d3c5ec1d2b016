package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/sim"
	"github.com/apierr/apierr/policy"
)

// TestPolicyCommand checks that apierr policy prints every category, with
// the strategy's attempts and a schedule whose rows are the strategy's own
// delay ranges.
func TestPolicyCommand(t *testing.T) {
	out, errOut, code := runCLI(t, "", "policy")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, c := range catalog.Categories() {
		if !strings.Contains(out, "\n"+c.String()+": ") {
			t.Errorf("no line for %s in:\n%s", c, out)
		}
	}
	var p policy.Policy
	s := p.Strategy(catalog.RateLimited)
	lo, hi := s.Delays(1)
	for _, want := range []string{
		"rate_limited: any number of attempts; within 3m0s",
		"conflict: 2 attempts (1 retry)",
		fmt.Sprintf("  retry 1 (after attempt 1): %s\n", rangeText(lo, hi)),
		fmt.Sprintf("above %v the policy gives up", policy.DefaultMaxServerDelay),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestPolicyCommandCategories: named categories only, in the order given.
func TestPolicyCommandCategories(t *testing.T) {
	out, _, code := runCLI(t, "", "policy", "unavailable", "conflict")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var heads []string
	for _, line := range strings.Split(out, "\n") {
		if name, _, ok := strings.Cut(line, ": "); ok && !strings.HasPrefix(line, " ") {
			if _, known := catalog.ParseCategory(name); known {
				heads = append(heads, name)
			}
		}
	}
	if diff := cmp.Diff([]string{"unavailable", "conflict"}, heads); diff != "" {
		t.Errorf("categories (-want +got):\n%s\n%s", diff, out)
	}
	// Every row of the schedule is a retry's range or a summary of the
	// capped retries; conflict retries once.
	for _, c := range []catalog.Category{catalog.Unavailable, catalog.Conflict} {
		for _, row := range schedule(policy.DefaultStrategy(c)) {
			if !strings.Contains(out, "  "+row+"\n") {
				t.Errorf("%s: row %q missing in:\n%s", c, row, out)
			}
		}
	}
	if !strings.Contains(out, "  retry 1 (after attempt 1): 250ms to 500ms\n") {
		t.Errorf("conflict's retry missing:\n%s", out)
	}
}

// TestSchedule checks the summarising of long schedules.
func TestSchedule(t *testing.T) {
	s := policy.Strategy{MaxAttempts: 10, Initial: 1e9, Multiplier: 2, MaxInterval: 4e9, Jitter: policy.JitterNone}
	want := []string{
		"retry 1 (after attempt 1): 1s",
		"retry 2 (after attempt 2): 2s",
		"retries 3-9: 4s each",
	}
	if diff := cmp.Diff(want, schedule(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	s.MaxAttempts = -1
	if got := schedule(s); got[len(got)-1] != "retry 3 and later: 4s each" {
		t.Errorf("unlimited: %q", got)
	}
	// A schedule that reaches its cap only at the last retry lists every
	// retry: a summary row would hide the growth.
	s.MaxAttempts, s.MaxInterval = 4, time.Hour
	want = []string{"retry 1 (after attempt 1): 1s", "retry 2 (after attempt 2): 2s", "retry 3 (after attempt 3): 4s"}
	if diff := cmp.Diff(want, schedule(s)); diff != "" {
		t.Errorf("uncapped (-want +got):\n%s", diff)
	}
	s.MaxAttempts = 1
	if got := schedule(s); got != nil {
		t.Errorf("no retry: %q", got)
	}
}

// TestExplainPolicy checks the policy line of explain for each kind of
// decision.
func TestExplainPolicy(t *testing.T) {
	rl := policy.DefaultStrategy(catalog.RateLimited)
	lo, hi := rl.Delays(1)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"server delay", []string{"--status", "429", "--header", "Retry-After: 20"},
			fmt.Sprintf("retry in 20s to 22s (the server's delay; jitter only adds); retries for up to %v", rl.MaxElapsed)},
		{"schedule", []string{"--status", "429"},
			fmt.Sprintf("retry in %s; retries for up to %v", rangeText(lo, hi), rl.MaxElapsed)},
		{"too long", []string{"--status", "429", "--header", "Retry-After: 3600"},
			"give up (server_delay_too_long: the server asked for 1h0m0s, above the 2m0s cap)"},
		{"not retryable", []string{"--status", "400", "--body", `{"detail":"bad"}`}, "do not retry (not_retryable)"},
		{"server said no", []string{"--status", "503", "--header", "X-Should-Retry: false"}, "do not retry (server_said_no)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", append([]string{"explain"}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			fields := explainFields(t, out)
			if got := fields["policy"]; got != tt.want {
				t.Errorf("policy: %q, want %q", got, tt.want)
			}
			// The later retries are shown exactly when there are some.
			_, then := fields["then"]
			if wantThen := strings.HasPrefix(tt.want, "retry in"); then != wantThen {
				t.Errorf("then line present %v, want %v:\n%s", then, wantThen, out)
			}
		})
	}
}

// TestLaterRetries: the later retries are the strategy's schedule from
// retry 2, and there are none for a category that retries once.
func TestLaterRetries(t *testing.T) {
	r := classify.Classify(503, nil, nil)
	rows := schedule(policy.DefaultStrategy(catalog.Unavailable))
	got := laterRetries(r)
	if !strings.HasPrefix(got, "retry 2: ") || strings.Count(got, ";") != len(rows)-2 || strings.Contains(got, "after attempt") {
		t.Errorf("laterRetries(503) = %q for schedule %q", got, rows)
	}
	if got := laterRetries(classify.Classify(409, nil, nil)); got != "" {
		t.Errorf("laterRetries(409) = %q, want none after the one retry", got)
	}
	if got := laterRetries(classify.Classify(400, nil, nil)); got != "" {
		t.Errorf("laterRetries(400) = %q, want none", got)
	}
}

// TestSimCommand runs the simulation with one seed and checks that the
// table has a row per scenario and strategy, with the numbers of the
// library's own run.
func TestSimCommand(t *testing.T) {
	out, errOut, code := runCLI(t, "", "sim", "--seeds", "1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sums []sim.Summary
	for _, sc := range sim.Scenarios() {
		for _, st := range sim.Strategies() {
			sums = append(sums, sim.Measure(sc, st, 1))
		}
	}
	var want strings.Builder
	if err := sim.Table(&want, sums); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out, want.String()) {
		t.Errorf("output does not end with the table:\n%s\nwant:\n%s", out, want.String())
	}
	if n := strings.Count(out, "\n| "); n != 1+len(sums) {
		t.Errorf("%d table rows, want %d", n, 1+len(sums))
	}
}

// TestSimFixed: --fixed adds a fixed-delay strategy's rows, one per
// scenario; a delay out of range or unparsable is a usage error.
func TestSimFixed(t *testing.T) {
	out, errOut, code := runCLI(t, "", "sim", "--seeds", "1", "--fixed", "250ms")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, sc := range sim.Scenarios() {
		var want strings.Builder
		if err := sim.Table(&want, []sim.Summary{sim.Measure(sc, sim.Fixed(250*time.Millisecond), 1)}); err != nil {
			t.Fatal(err)
		}
		row := want.String()[strings.LastIndex(strings.TrimSuffix(want.String(), "\n"), "\n")+1:]
		if !strings.Contains(out, row) {
			t.Errorf("output lacks the row %q:\n%s", row, out)
		}
	}
	for _, bad := range []string{"1h", "0s", "soon", "50ms,"} {
		if _, errOut, code := runCLI(t, "", "sim", "--fixed", bad); code != exitUsage || !strings.Contains(errOut, "--fixed") {
			t.Errorf("--fixed %q: exit %d, stderr %q; want a usage error", bad, code, errOut)
		}
	}
}

// TestSimFamilyOnly: --family --only runs the named scenarios, of the
// family and of its variants, in the order named, and nothing else: the
// rows are those of sim.FamilyTable on the same seed.
func TestSimFamilyOnly(t *testing.T) {
	out, errOut, code := runCLI(t, "", "sim", "--family", "--seeds", "1", "--first", "3", "--only", "tier-3rpm,window-1s")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	scs, err := sim.FamilyNamed("tier-3rpm,window-1s")
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	if err := sim.FamilyTable(&want, sim.MeasureFamily(scs, 3, 3)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, want.String()) {
		t.Errorf("output lacks the table\n%s\ngot:\n%s", want.String(), out)
	}
	if strings.Contains(out, "| tier |") {
		t.Errorf("output has a scenario not named:\n%s", out)
	}
}
