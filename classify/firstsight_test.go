package classify_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/fixture"
)

// firstSightDir, when set, names a directory where TestFirstSight writes
// each round's table as <round>_table.txt, in the format of the
// testdata/firstsight/round*_before.txt files:
//
//	go test ./classify -run TestFirstSight -args -firstsight.dir=/tmp/fs
var firstSightDir = flag.String("firstsight.dir", "", "directory to write the first-sight tables to")

// firstSightCase is one response of a testdata/firstsight round file: the
// fields of a testdata/real case plus the kind of failure it shows.
type firstSightCase struct {
	fixture.Case
	Kind string `json:"kind"`
}

// firstSightFloor is the least each round must keep on category,
// retryability, action and scope: the figures recorded in
// testdata/firstsight/README.md after the general fixes of that round,
// raised to what each round scored when round 8 was added.
var firstSightFloor = map[string][4]int{
	"round2":  {92, 97, 95, 97},
	"round3":  {92, 93, 91, 90},
	"round4":  {93, 101, 93, 75},
	"round5":  {99, 111, 107, 87},
	"round6":  {173, 199, 183, 174},
	"round7":  {171, 187, 167, 146},
	"round8":  {190, 203, 193, 174},
	"round9":  {160, 187, 167, 148},
	"round10": {63, 77, 64, 67},
	"round11": {149, 164, 149, 132},
	"round12": {158, 175, 159, 150},
	"round13": {103, 124, 109, 103},
	"round14": {133, 149, 134, 130},
	"round15": {96, 108, 101, 92},
	"round16": {110, 126, 114, 107},
	"round17": {62, 65, 63, 52},
	"round18": {100, 109, 104, 90},
	"round19": {103, 118, 108, 102},
	"round20": {93, 102, 93, 82},
	"round21": {150, 174, 153, 140},
	"round22": {92, 112, 96, 93},
	"round23": {35, 42, 34, 34},
	"round24": {44, 48, 46, 38},
	"round25": {14, 16, 14, 14},
	"round26": {37, 40, 36, 35},
	"round27": {46, 51, 49, 42},
	"round28": {38, 42, 39, 38},
	"round29": {34, 39, 35, 32},
	"round30": {47, 50, 48, 42},
	"round31": {43, 52, 45, 38},
	"round32": {61, 67, 62, 60},
	"round33": {39, 49, 41, 44},
	"round34": {26, 29, 27, 21},
	"round35": {71, 74, 73, 55},
	"round36": {71, 77, 75, 53},
	"round37": {52, 60, 51, 40},
}

// firstSightScore counts, for one round, the cases right on each of the
// four answers, per kind and in total, and lists the misses.
type firstSightScore struct {
	cases     int
	providers int
	kinds     map[string]*[5]int // n, category, retryable, action, scope
	total     [5]int
	misses    []string
}

func scoreFirstSight(t *testing.T, cases []firstSightCase) firstSightScore {
	t.Helper()
	fixed := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	cl := classify.Classifier{Now: func() time.Time { return fixed }}
	s := firstSightScore{cases: len(cases), kinds: map[string]*[5]int{}}
	providers := map[string]bool{}
	for _, c := range cases {
		providers[c.Provider] = true
		r := cl.Classify(c.Status, c.Header(), []byte(c.Body))
		ok := [4]bool{
			r.Category.String() == c.Want.Category,
			r.Retryable == c.Want.Retryable,
			r.Action.String() == c.Want.Action,
			r.Scope.String() == c.Want.Scope,
		}
		k := s.kinds[c.Kind]
		if k == nil {
			k = new([5]int)
			s.kinds[c.Kind] = k
		}
		k[0]++
		s.total[0]++
		for i, good := range ok {
			if good {
				k[i+1]++
				s.total[i+1]++
			}
		}
		if ok != [4]bool{true, true, true, true} {
			s.misses = append(s.misses, fmt.Sprintf("MISS %s (%d): got %s/%t/%s/%s want %s/%t/%s/%s rule %s msg %q",
				c.Name, c.Status, r.Category, r.Retryable, r.Action, r.Scope,
				c.Want.Category, c.Want.Retryable, c.Want.Action, c.Want.Scope, r.Rule, r.Message))
		}
	}
	s.providers = len(providers)
	return s
}

// table renders the score as the round*_before.txt files show it.
func (s firstSightScore) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d responses from %d providers\n", s.cases, s.providers)
	fmt.Fprintf(&b, "%-20s %4s %5s %5s %5s %5s\n", "kind", "n", "cat", "retry", "act", "scope")
	kinds := make([]string, 0, len(s.kinds))
	for k := range s.kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		v := s.kinds[k]
		fmt.Fprintf(&b, "%-20s %4d %5d %5d %5d %5d\n", k, v[0], v[1], v[2], v[3], v[4])
	}
	t := s.total
	fmt.Fprintf(&b, "%-20s %4d %5d %5d %5d %5d\n", "TOTAL", t[0], t[1], t[2], t[3], t[4])
	pct := func(n int) string { return fmt.Sprintf("%d%%", n*100/max(t[0], 1)) }
	fmt.Fprintf(&b, "%-20s %4s %5s %5s %5s %5s\n", "", "", pct(t[1]), pct(t[2]), pct(t[3]), pct(t[4]))
	for _, m := range s.misses {
		b.WriteString(m)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestFirstSight scores each round of testdata/firstsight, the published
// responses from providers new to the fixtures, and checks that no round
// falls below the figures recorded for it. It also checks that every case
// cites its source, names its kind and is named once.
func TestFirstSight(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "firstsight", "round*_responses.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("want at least two first-sight rounds, found %v", files)
	}
	for _, f := range files {
		round := strings.TrimSuffix(filepath.Base(f), "_responses.json")
		t.Run(round, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var cases []firstSightCase
			if err := json.Unmarshal(data, &cases); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			names := map[string]bool{}
			for _, c := range cases {
				if c.Source == "" || c.Kind == "" || c.Provider == "" {
					t.Errorf("%s: source, kind and provider are required", c.Name)
				}
				if names[c.Name] {
					t.Errorf("duplicate case name %q", c.Name)
				}
				names[c.Name] = true
			}
			s := scoreFirstSight(t, cases)
			t.Log("\n" + s.table())
			if *firstSightDir != "" {
				if err := os.MkdirAll(*firstSightDir, 0o755); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(*firstSightDir, round+"_table.txt")
				if err := os.WriteFile(out, []byte(s.table()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			floor, ok := firstSightFloor[round]
			if !ok {
				t.Fatalf("no recorded floor for %s: add its after-fix figures to firstSightFloor", round)
			}
			for i, what := range []string{"category", "retryability", "action", "scope"} {
				if got := s.total[i+1]; got < floor[i] {
					t.Errorf("%s: %s right on %d of %d, below the recorded %d", round, what, got, s.total[0], floor[i])
				}
			}
		})
	}
}
