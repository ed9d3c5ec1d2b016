package classify_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
)

// realCase is one published error response from classify/testdata/real,
// with the source cited in the file beside it.
type realCase struct {
	Name     string            `json:"name"`
	Provider string            `json:"provider"`
	Source   string            `json:"source"`
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers"`
	Body     string            `json:"body"`
	Want     struct {
		Category     string `json:"category"`
		Retryable    bool   `json:"retryable"`
		Message      string `json:"message"`
		RetryAfterMs *int64 `json:"retry_after_ms"`
	} `json:"want"`
	Note string `json:"note"`
}

func (c realCase) header() http.Header {
	h := http.Header{}
	for k, v := range c.Headers {
		h.Set(k, v)
	}
	return h
}

func loadReal(t testing.TB) []realCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "real", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var all []realCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []realCase
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, cases...)
	}
	return all
}

// realWant is what the fixtures assert, in a form cmp can diff.
type realWant struct {
	Category     string
	Retryable    bool
	Message      string
	RetryAfterMs *int64
}

// TestRealResponses classifies every published response in testdata/real
// and checks category, retryability, message and server delay.
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
	if len(cases) < 80 || len(providers) < 15 {
		t.Fatalf("want at least 80 cases from 15 providers, have %d from %d", len(cases), len(providers))
	}
	fixed := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	cl := classify.Classifier{Now: func() time.Time { return fixed }}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := cl.Classify(c.Status, c.header(), []byte(c.Body))
			got := realWant{Category: r.Category.String(), Retryable: r.Retryable, Message: r.Message}
			if r.RetryAfterSource != "" {
				ms := r.RetryAfter.Milliseconds()
				got.RetryAfterMs = &ms
			}
			want := realWant{c.Want.Category, c.Want.Retryable, c.Want.Message, c.Want.RetryAfterMs}
			if diff := cmp.Diff(want, got); diff != "" {
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
		r := classify.Classify(c.Status, c.header(), []byte(c.Body))
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
