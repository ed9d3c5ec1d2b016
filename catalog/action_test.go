package catalog_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
)

// TestActionScopeNames pins the public contract: the exact names, in order.
func TestActionScopeNames(t *testing.T) {
	var actions, scopes []string
	for _, a := range catalog.Actions() {
		actions = append(actions, a.String())
	}
	for _, s := range catalog.Scopes() {
		scopes = append(scopes, s.String())
	}
	wantActions := []string{"none", "retry", "shrink_and_retry", "fallback", "fix_credential", "fix_request", "stop"}
	if diff := cmp.Diff(wantActions, actions); diff != "" {
		t.Errorf("action names (-want +got):\n%s", diff)
	}
	wantScopes := []string{"", "request", "model", "key", "account", "provider"}
	if diff := cmp.Diff(wantScopes, scopes); diff != "" {
		t.Errorf("scope names (-want +got):\n%s", diff)
	}
	var zeroA catalog.Action
	var zeroS catalog.Scope
	if zeroA != catalog.ActionNone || zeroS != catalog.ScopeNone {
		t.Errorf("zero values are %v and %q, want none and \"\"", zeroA, zeroS)
	}
}

func TestActionScopeText(t *testing.T) {
	for _, a := range catalog.Actions() {
		b, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back catalog.Action
		if err := back.UnmarshalText(b); err != nil || back != a {
			t.Errorf("%s: round trip gave %v, %v", a, back, err)
		}
	}
	for _, s := range catalog.Scopes() {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		back := catalog.ScopeProvider
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%q: round trip gave %v, %v", s, back, err)
		}
	}
	var a catalog.Action
	if err := a.UnmarshalText([]byte("Retry")); err == nil {
		t.Error("Action.UnmarshalText accepted a name in the wrong case")
	}
	var s catalog.Scope
	if err := s.UnmarshalText([]byte("models")); err == nil {
		t.Error("Scope.UnmarshalText accepted an unknown name")
	}
	if _, err := catalog.Action(99).MarshalText(); err == nil {
		t.Error("Action.MarshalText accepted an out-of-range value")
	}
	if _, err := catalog.Scope(99).MarshalText(); err == nil {
		t.Error("Scope.MarshalText accepted an out-of-range value")
	}
	if got := catalog.Action(99).String(); got != "action(99)" {
		t.Errorf("String of out-of-range action = %q", got)
	}
	if got := catalog.Scope(99).String(); got != "scope(99)" {
		t.Errorf("String of out-of-range scope = %q", got)
	}
}

// TestNextDefaults pins the default mapping by category (the README's
// table), each category with its own retryability and a typical status.
func TestNextDefaults(t *testing.T) {
	type step struct{ Action, Scope string }
	tests := []struct {
		c      catalog.Category
		status int
		want   step
	}{
		{catalog.Unknown, 418, step{"stop", "request"}},
		{catalog.InvalidRequest, 400, step{"fix_request", "request"}},
		{catalog.ContextLengthExceeded, 400, step{"shrink_and_retry", "request"}},
		{catalog.ContentFiltered, 400, step{"fix_request", "request"}},
		{catalog.Authentication, 401, step{"fix_credential", "key"}},
		{catalog.PermissionDenied, 403, step{"stop", "key"}},
		{catalog.NotFound, 404, step{"fix_request", "request"}},
		{catalog.ModelNotFound, 404, step{"fallback", "model"}},
		{catalog.QuotaExceeded, 429, step{"fallback", "account"}},
		{catalog.RateLimited, 429, step{"retry", "model"}},
		{catalog.RequestTooLarge, 413, step{"shrink_and_retry", "request"}},
		{catalog.Timeout, 504, step{"retry", "request"}},
		{catalog.Conflict, 409, step{"retry", "request"}},
		{catalog.ServerError, 500, step{"retry", "request"}},
		{catalog.Unavailable, 503, step{"retry", "model"}},
		{catalog.Network, 0, step{"retry", "provider"}},
		{catalog.Canceled, 0, step{"stop", "request"}},
	}
	if len(tests) != len(catalog.Categories()) {
		t.Fatalf("the table covers %d categories of %d", len(tests), len(catalog.Categories()))
	}
	for _, tt := range tests {
		a, s := catalog.NextAction(tt.c, tt.status, tt.c.Retryable())
		if diff := cmp.Diff(tt.want, step{a.String(), s.String()}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.c, diff)
		}
	}
}

// TestNextRetryability checks the answers that depend on the status and on
// a retryability other than the category's own.
func TestNextRetryability(t *testing.T) {
	type step struct{ Action, Scope string }
	tests := []struct {
		name      string
		c         catalog.Category
		status    int
		retryable bool
		want      step
	}{
		{"unknown 5xx retries the provider", catalog.Unknown, 599, true, step{"retry", "provider"}},
		{"unknown 5xx told not to retry stops", catalog.Unknown, 500, false, step{"stop", "provider"}},
		{"unknown 4xx made retryable", catalog.Unknown, 418, true, step{"retry", "request"}},
		{"501 is fixed, not retried", catalog.ServerError, 501, false, step{"fix_request", "request"}},
		{"x-should-retry false on a rate limit falls back", catalog.RateLimited, 429, false, step{"fallback", "model"}},
		{"x-should-retry false on a 503 falls back", catalog.Unavailable, 503, false, step{"fallback", "model"}},
		{"x-should-retry true on a 400 retries", catalog.InvalidRequest, 400, true, step{"retry", "request"}},
		{"x-should-retry true on a quota retries", catalog.QuotaExceeded, 429, true, step{"retry", "account"}},
		{"out-of-range category is unknown", catalog.Category(200), 502, true, step{"retry", "provider"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, s := catalog.NextAction(tt.c, tt.status, tt.retryable)
			if diff := cmp.Diff(tt.want, step{a.String(), s.String()}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRulesRefineConsistently checks that no built-in rule asks for an
// action that contradicts its category: a rule never says retry or none
// as an override, an Action applies (the category is not retryable, or the
// rule is Permanent), and its refinements are valid values.
func TestRulesRefineConsistently(t *testing.T) {
	for _, r := range catalog.Rules() {
		if r.Action == catalog.ActionRetry {
			t.Errorf("%s: Action retry is the retryable default, not a refinement", r.Name)
		}
		if r.Action != catalog.ActionNone && r.Category.Retryable() && !r.Permanent {
			t.Errorf("%s: an Action on a retryable category never applies (unless the rule is Permanent)", r.Name)
		}
		if _, err := r.Action.MarshalText(); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
		if _, err := r.Scope.MarshalText(); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
}
