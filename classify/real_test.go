package classify_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/fixture"
)

// loadReal reads the published responses of testdata/real.
func loadReal(t testing.TB) []fixture.Case {
	t.Helper()
	cases, err := fixture.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestRealResponses classifies every published response in testdata/real
// and checks category, retryability, message, server delay, and the next
// action and its scope.
func TestRealResponses(t *testing.T) {
	cases := loadReal(t)
	providers := map[string]bool{}
	names := map[string]bool{}
	for _, c := range cases {
		providers[c.Provider] = true
		if names[c.Name] {
			t.Errorf("duplicate case name %q", c.Name)
		}
		names[c.Name] = true
		if c.Source == "" {
			t.Errorf("%s: no source cited", c.Name)
		}
	}
	if len(cases) < 593 || len(providers) < 145 {
		t.Fatalf("want at least 593 cases from 145 providers, have %d from %d", len(cases), len(providers))
	}
	fixed := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	cl := classify.Classifier{Now: func() time.Time { return fixed }}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := cl.Classify(c.Status, c.Header(), []byte(c.Body))
			got := fixture.Want{Category: r.Category.String(), Retryable: r.Retryable, Message: r.Message,
				Action: r.Action.String(), Scope: r.Scope.String()}
			if r.RetryAfterSource != "" {
				ms := r.RetryAfter.Milliseconds()
				got.RetryAfterMs = &ms
			}
			if diff := cmp.Diff(c.Want, got); diff != "" {
				t.Errorf("source: %s\nrule %s, format %s (-want +got):\n%s", c.Source, r.Rule, r.Format, diff)
			}
		})
	}
}

// TestStatusOnlyBaseline measures, on the same published responses, how
// often the status-only rule that common SDKs use (retry 408, 409, 429 and
// 5xx) and a status-only category guess disagree with the expected
// answers, and checks that the library does better on both.
func TestStatusOnlyBaseline(t *testing.T) {
	cases := loadReal(t)
	var retryWrong, catWrong, libRetryWrong, libCatWrong int
	for _, c := range cases {
		sdkRetry := slices.Contains([]int{408, 409, 429}, c.Status) || c.Status >= 500
		if sdkRetry != c.Want.Retryable {
			retryWrong++
		}
		if catalog.StatusInfo(c.Status).Category.String() != c.Want.Category {
			catWrong++
		}
		r := classify.Classify(c.Status, c.Header(), []byte(c.Body))
		if r.Retryable != c.Want.Retryable {
			libRetryWrong++
		}
		if r.Category.String() != c.Want.Category {
			libCatWrong++
		}
	}
	t.Logf("%d responses: status-only retryability wrong %d, status-only category wrong %d; apierr wrong %d and %d",
		len(cases), retryWrong, catWrong, libRetryWrong, libCatWrong)
	if libRetryWrong >= retryWrong || libCatWrong >= catWrong {
		t.Errorf("apierr is no better than the status-only rule: retry %d vs %d, category %d vs %d",
			libRetryWrong, retryWrong, libCatWrong, catWrong)
	}
}
