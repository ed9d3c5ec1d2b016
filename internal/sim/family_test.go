package sim

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOracleNeverRefused: the oracle sends each attempt when the server
// would admit it, so no scenario refuses it, and it completes everything.
func TestOracleNeverRefused(t *testing.T) {
	for _, sc := range Family() {
		if s := Run(sc, Oracle(), 1); s.Rejected != 0 || s.Completed != s.Total {
			t.Errorf("(%s): oracle refused %d times, completed %d of %d", sc.Name, s.Rejected, s.Completed, s.Total)
		}
	}
}

// TestSharedStoreIsOneLimiter: five processes sharing one store (each
// State encoded between operations, as a fleet store keeps it) behave as
// one process with one limiter: the same run, attempt for attempt.
func TestSharedStoreIsOneLimiter(t *testing.T) {
	for _, name := range []string{"tier", "crowd"} {
		one := scenario(t, name)
		five := scenario(t, "fleet-"+name+"-shared")
		if diff := cmp.Diff(Run(one, Strategies()[1], 2), Run(five, Strategies()[1], 2)); diff != "" {
			t.Errorf("(%s) one limiter vs five sharing a store (-one +five):\n%s", name, diff)
		}
	}
}

// TestFamilyNeverWorse pins, on seeds 1-2 (the table over 25 seeds is
// `apierr sim --family --seeds 25`), issue 19's first verdicts for
// the family: the limiter sends no more 429s than the default policy and
// completes no less, in every scenario; and five processes without a
// shared store keep less of the single process's 429 reduction than five
// sharing one.
func TestFamilyNeverWorse(t *testing.T) {
	rows := MeasureFamily(Family(), 1, 2)
	for _, r := range rows {
		if fewer, completes, _, _ := r.Checks(); !fewer || !completes {
			t.Errorf("(%s): 429s %v (default %v), completed %.3f (default %.3f)",
				r.Scenario.Name, r.Limiter.Rejected, r.Default.Rejected, r.Limiter.Completed, r.Default.Completed)
		}
	}
	var b strings.Builder
	if err := FleetTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "| ok |"); n != 2 || strings.Contains(b.String(), "FAIL") {
		t.Errorf("fleet table:\n%s", b.String())
	}
}
