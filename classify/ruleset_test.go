package classify

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apierr/apierr/catalog"
)

// capacityRules returns n rules, each reachable by a code, a phrase and a
// status of its own: rule i has code "code_i", status 400+i%7 and, for
// every third rule, a phrase "phrase i" that its code needs. Every rule
// from 60 on also has a catch-all twin later in the list (see the test).
func capacityRules(n int) []catalog.Rule {
	rules := make([]catalog.Rule, n)
	for i := range rules {
		r := catalog.Rule{
			Name:     fmt.Sprintf("rule_%d", i),
			Category: catalog.InvalidRequest,
			Statuses: []int{400 + i%7},
			Codes:    []string{fmt.Sprintf("code_%d", i)},
		}
		if i%3 == 0 {
			r.Contains = []string{fmt.Sprintf("phrase %d.", i)}
		}
		if i%5 == 0 {
			// More patterns than manyPatterns: matched on a lowered copy.
			for k := range manyPatterns + 1 {
				r.Contains = append(r.Contains, fmt.Sprintf("other %d/%d", i, k))
			}
			r.Contains = append(r.Contains, fmt.Sprintf("phrase %d.", i))
		}
		rules[i] = r
	}
	return rules
}

// TestRuleSetCapacity: a rule set holds maxRules rules (at least 128), and
// each of them, in any word of the bit sets, is found by its code, status
// and phrase, on short and long messages; one rule more panics at compile,
// so the catalog cannot outgrow the sets without every test failing.
func TestRuleSetCapacity(t *testing.T) {
	if maxRules < 128 {
		t.Fatalf("maxRules = %d, want at least 128", maxRules)
	}
	if n := len(builtin.rules); n > maxRules {
		t.Fatalf("the catalog has %d rules, more than maxRules (%d)", n, maxRules)
	}
	rs := compile(capacityRules(maxRules))
	long := strings.Repeat("A long message, a stack trace. ", 2*longMessage/31)
	for i := range maxRules {
		for _, msg := range []string{"", "Phrase %d.", long + "Phrase %d.", "PHRASE %d. " + long} {
			if strings.Contains(msg, "%d") {
				msg = fmt.Sprintf(msg, i)
			}
			in := &input{status: 400 + i%7, code: fmt.Sprintf("CODE_%d", i), msg: msg}
			if len(in.msg) > MessageScanLimit {
				in.msg = in.msg[:MessageScanLimit]
			}
			got := rs.first(in)
			wantMatch := i%3 != 0 && i%5 != 0 || msg != ""
			switch {
			case wantMatch && got == nil:
				t.Errorf("rule %d, message %.20q...: no rule matched", i, msg)
			case wantMatch && got.Name != fmt.Sprintf("rule_%d", i):
				t.Errorf("rule %d, message %.20q...: got %s", i, msg, got.Name)
			case !wantMatch && got != nil:
				t.Errorf("rule %d, no message: got %s, want none (its rule needs a phrase)", i, got.Name)
			}
			// Another status: the rule is not a candidate.
			in.status = 400 + (i+1)%7
			if got := rs.first(in); got != nil {
				t.Errorf("rule %d on status %d: got %s, want none", i, in.status, got.Name)
			}
		}
	}

	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("compile of %d rules did not panic", maxRules+1)
			}
		}()
		compile(capacityRules(maxRules + 1))
	}()
}

// TestRuleSetOrder: the first matching rule wins, whichever words of the
// bit sets the matching rules are in.
func TestRuleSetOrder(t *testing.T) {
	for _, tc := range []struct{ a, b int }{{0, 1}, {10, 100}, {63, 64}, {70, 127}, {64, 65}} {
		rules := make([]catalog.Rule, maxRules)
		for i := range rules {
			rules[i] = catalog.Rule{Name: fmt.Sprintf("rule_%d", i), Codes: []string{fmt.Sprintf("unused_%d", i)}}
		}
		rules[tc.a] = catalog.Rule{Name: "a", Contains: []string{"over*loaded"}}
		rules[tc.b] = catalog.Rule{Name: "b", Contains: []string{"loaded"}}
		rs := compile(rules)
		for _, msg := range []string{"The model is overloaded", strings.Repeat("x", longMessage) + " overloaded"} {
			if got := rs.first(&input{status: 503, msg: msg}); got == nil || got.Name != "a" {
				t.Errorf("rules at %d and %d: got %v, want the one at %d", tc.a, tc.b, got, tc.a)
			}
			if got := rs.first(&input{status: 503, msg: "loaded"}); got == nil || got.Name != "b" {
				t.Errorf("rules at %d and %d, only the second matching: got %v, want the one at %d", tc.a, tc.b, got, tc.b)
			}
		}
	}
}

// TestRuleSetBuiltinReachable: every catalog rule is a candidate on some
// status (or on a status outside the table) and, when it names codes, is
// found by each of them.
func TestRuleSetBuiltinReachable(t *testing.T) {
	for i, r := range builtin.rules {
		reachable := builtin.anyStatus.has(i)
		for st := range builtin.byStatus {
			reachable = reachable || builtin.byStatus[st].has(i)
		}
		if !reachable {
			t.Errorf("rule %d (%s) is a candidate on no status", i, r.Name)
		}
		for _, c := range r.Codes {
			if got := builtin.codeRules(c, 0); !got.has(i) {
				t.Errorf("rule %d (%s): code %q does not find it", i, r.Name, c)
			}
		}
	}
}

// TestRuleSetNamedRules checks that the rules the classifier finds by name
// (the generic rate limit that a type-only match lets yield, and the
// overload rule it yields to) are in the built-in catalog: renaming one
// would switch the mechanism off without any other test failing.
func TestRuleSetNamedRules(t *testing.T) {
	if builtin.rateType == nil || builtin.rateType.Name != rateTypeRule ||
		builtin.rateType.Category != catalog.RateLimited {
		t.Errorf("the built-in catalog has no rate-limit rule named %q", rateTypeRule)
	}
	// decide asks genericRule only below status 300.
	for _, r := range builtin.rules {
		if !genericRule(&r) {
			continue
		}
		if len(r.Statuses) == 0 {
			t.Errorf("generic rule %s applies on every status; decide asks genericRule only below 300", r.Name)
		}
		for _, st := range r.Statuses {
			if st >= 300 {
				t.Errorf("generic rule %s applies on %d; decide asks genericRule only below 300", r.Name, st)
			}
		}
	}
	if builtin.overload < 0 || builtin.rules[builtin.overload].Name != overloadRule ||
		builtin.rules[builtin.overload].Category != catalog.Unavailable {
		t.Errorf("the built-in catalog has no overload rule named %q", overloadRule)
	}
}
