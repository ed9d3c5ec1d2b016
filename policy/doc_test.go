package policy_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/policy"
)

// defaultsTable renders the table of default strategies that doc.go and the
// README show, from the strategies themselves.
func defaultsTable() string {
	var b strings.Builder
	row := func(cols ...string) {
		fmt.Fprintf(&b, "%-16s %-9s %-7s %-12s %-12s %-12s %-5s %s\n", cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7])
	}
	rng := func(s policy.Strategy, n int) string {
		if s.MaxAttempts > 0 && n >= s.MaxAttempts {
			return "-"
		}
		lo, hi := s.Delays(n)
		return short(lo) + "-" + short(hi)
	}
	row("category", "attempts", "within", "retry 1", "retry 2", "retry 3", "cap", "jitter")
	for _, c := range catalog.Categories() {
		s := policy.DefaultStrategy(c)
		if !c.Retryable() && s == policy.DefaultStrategy(catalog.InvalidRequest) {
			continue // the "all others" row
		}
		row(c.String(), attempts(s), short(s.MaxElapsed), rng(s, 1), rng(s, 2), rng(s, 3), short(s.MaxInterval), s.Jitter.String())
	}
	s := policy.DefaultStrategy(catalog.InvalidRequest)
	row("all others*", attempts(s), short(s.MaxElapsed), rng(s, 1), rng(s, 2), rng(s, 3), short(s.MaxInterval), s.Jitter.String())
	return b.String()
}

// attempts renders a strategy's MaxAttempts: "any" for no limit.
func attempts(s policy.Strategy) string {
	if s.MaxAttempts < 0 {
		return "any"
	}
	return fmt.Sprint(s.MaxAttempts)
}

// short renders a duration without trailing zero units: 3m, 1.5s, 200ms.
func short(d time.Duration) string {
	s := d.String()
	s = strings.Replace(s, "m0s", "m", 1)
	s = strings.Replace(s, "h0m", "h", 1)
	return s
}

// TestDocTable keeps the defaults table of doc.go, the one place it is
// written, in step with the code: a changed default must change the
// documentation too.
func TestDocTable(t *testing.T) {
	want := defaultsTable()
	for _, file := range []string{"doc.go"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if file == "doc.go" {
			var lines []string
			for _, l := range strings.Split(text, "\n") {
				lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "//"), "\t"))
			}
			text = strings.Join(lines, "\n")
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks the defaults table, which is now:\n%s", file, want)
		}
	}
}
