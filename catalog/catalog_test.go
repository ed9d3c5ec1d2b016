package catalog_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
)

// TestCategoryNames pins the public contract: the exact names, in order,
// and which categories are retryable by default.
func TestCategoryNames(t *testing.T) {
	want := []string{
		"unknown", "invalid_request", "context_length_exceeded", "content_filtered", "authentication",
		"permission_denied", "not_found", "model_not_found", "quota_exceeded", "rate_limited",
		"request_too_large", "timeout", "conflict", "server_error", "unavailable", "network", "canceled",
	}
	var got []string
	var retryable []string
	for _, c := range catalog.Categories() {
		got = append(got, c.String())
		if c.Retryable() {
			retryable = append(retryable, c.String())
		}
		if c.Description() == "" || c.Hint() == "" {
			t.Errorf("%s: missing description or hint", c)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("category names (-want +got):\n%s", diff)
	}
	wantRetry := []string{"rate_limited", "timeout", "conflict", "server_error", "unavailable", "network"}
	if diff := cmp.Diff(wantRetry, retryable); diff != "" {
		t.Errorf("retryable categories (-want +got):\n%s", diff)
	}
}

func TestCategoryText(t *testing.T) {
	for _, c := range catalog.Categories() {
		b, err := c.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back catalog.Category
		if err := back.UnmarshalText(b); err != nil || back != c {
			t.Errorf("%s: round trip gave %v, %v", c, back, err)
		}
	}
	var c catalog.Category
	if err := c.UnmarshalText([]byte("Rate_Limited")); err == nil {
		t.Error("UnmarshalText accepted a name in the wrong case")
	}
	if _, err := catalog.Category(200).MarshalText(); err == nil {
		t.Error("MarshalText accepted an out-of-range category")
	}
	if got := catalog.Category(200).String(); got != "category(200)" {
		t.Errorf("String of out-of-range = %q", got)
	}
}

// TestOriginStatusRows checks that the seven rows of the origin provider's
// "Error Codes" page are carried word for word.
func TestOriginStatusRows(t *testing.T) {
	type row struct{ Name, Description, Resolution, Category string }
	want := map[int]row{
		400: {"Bad Request", "Invalid request format or parameters", "Check your request body and parameters", "invalid_request"},
		401: {"Unauthorized", "Missing or invalid API key", "Verify your Authorization: Bearer header", "authentication"},
		403: {"Forbidden", "API key lacks permission for this resource", "Check your plan tier or contact support", "permission_denied"},
		404: {"Not Found", "Invalid endpoint or model not found", "Verify the URL and model name", "not_found"},
		429: {"Too Many Requests", "Rate limit exceeded", "Wait and retry with exponential backoff", "rate_limited"},
		500: {"Internal Server Error", "Server-side error", "Retry after a brief delay", "server_error"},
		503: {"Service Unavailable", "Model is temporarily unavailable", "Check Model Status and retry", "unavailable"},
	}
	for code, w := range want {
		s := catalog.StatusInfo(code)
		got := row{s.Name, s.Description, s.Resolution, s.Category.String()}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%d (-want +got):\n%s", code, diff)
		}
		if !s.Known || s.Code != code {
			t.Errorf("%d: Known=%v Code=%d", code, s.Known, s.Code)
		}
	}
}

func TestStatusFallbacks(t *testing.T) {
	tests := []struct {
		code      int
		category  string
		retryable bool
		known     bool
	}{
		{501, "server_error", false, true}, // permanent, unlike other 5xx
		{502, "unavailable", true, true},
		{504, "timeout", true, true},
		{524, "timeout", true, true},
		{529, "unavailable", true, true},
		{530, "unavailable", true, true},
		{402, "quota_exceeded", false, true},
		{413, "request_too_large", false, true},
		{418, "unknown", false, false}, // general 4xx
		{599, "unknown", true, false},  // general 5xx: worth another try
		{200, "unknown", false, false},
		{-1, "unknown", false, false},
		{1000, "unknown", false, false},
	}
	for _, tt := range tests {
		s := catalog.StatusInfo(tt.code)
		if s.Category.String() != tt.category || s.Retryable != tt.retryable || s.Known != tt.known || s.Code != tt.code {
			t.Errorf("StatusInfo(%d) = %s retryable=%v known=%v code=%d, want %s %v %v",
				tt.code, s.Category, s.Retryable, s.Known, s.Code, tt.category, tt.retryable, tt.known)
		}
	}
}

// TestRulesWellFormed checks the catalog data: names unique snake_case,
// patterns lower-case (the matcher relies on it for speed), no empty
// entries, and that Rules returns a copy.
func TestRulesWellFormed(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	seen := map[string]bool{}
	rules := catalog.Rules()
	if len(rules) == 0 || len(rules) > 128 {
		t.Fatalf("%d rules; the classifier indexes at most 128", len(rules))
	}
	for _, r := range rules {
		if !snake.MatchString(r.Name) || seen[r.Name] {
			t.Errorf("rule name %q is not unique snake_case", r.Name)
		}
		seen[r.Name] = true
		if len(r.Codes) == 0 && len(r.Contains) == 0 {
			t.Errorf("%s: matches on status alone; the status table does that", r.Name)
		}
		for _, p := range r.Contains {
			if p == "" || p != strings.ToLower(p) {
				t.Errorf("%s: pattern %q must be non-empty lower case", r.Name, p)
			}
		}
		for _, c := range r.Codes {
			if c == "" {
				t.Errorf("%s: empty code", r.Name)
			}
		}
	}
	rules[0].Name = "changed"
	if catalog.Rules()[0].Name == "changed" {
		t.Error("Rules returned the catalog's own slice")
	}
}

func TestParseCategory(t *testing.T) {
	if c, ok := catalog.ParseCategory("model_not_found"); !ok || c != catalog.ModelNotFound {
		t.Errorf("ParseCategory(model_not_found) = %v, %v", c, ok)
	}
	if _, ok := catalog.ParseCategory("nope"); ok {
		t.Error("ParseCategory accepted an unknown name")
	}
}
