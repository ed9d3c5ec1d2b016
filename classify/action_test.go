package classify

import (
	"bytes"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apierr/apierr/catalog"
)

// nextInconsistency returns which of the vocabulary's consistency rules
// r's Action and Scope break, or "" when they keep them all:
//
//   - OK if and only if the action is none, and if and only if the scope is
//     empty;
//   - not retryable: the action is not retry;
//   - retryable: the action is retry, except fallback when the server
//     asked for more than LongDelay, and then never retry;
//   - shrink_and_retry is never retryable.
func nextInconsistency(r Result) string {
	long := r.RetryAfterSource != "" && r.RetryAfter > LongDelay
	switch {
	case r.OK != (r.Action == catalog.ActionNone):
		return "OK and action none disagree"
	case r.OK != (r.Scope == catalog.ScopeNone):
		return "OK and an empty scope disagree"
	case !r.Retryable && r.Action == catalog.ActionRetry:
		return "retry on a result that is not retryable"
	case r.Retryable && long && r.Action != catalog.ActionFallback:
		return "retryable with a delay above LongDelay, but not fallback"
	case r.Retryable && !long && r.Action != catalog.ActionRetry:
		return "retryable, but not retry"
	case r.Action == catalog.ActionShrinkAndRetry && r.Retryable:
		return "shrink_and_retry on a retryable result"
	}
	return ""
}

// TestNextConsistency is the property test of Result.next: over every
// category (and one out of range), both retryabilities, the statuses that
// matter, server delays on both sides of LongDelay and every rule
// refinement, the action and scope keep the consistency rules, a rule's
// scope wins, and the delay changes only a retry.
func TestNextConsistency(t *testing.T) {
	statuses := []int{0, 200, 400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504, 529, 599}
	type delay struct {
		d      time.Duration
		source string
	}
	delays := []delay{
		{0, ""}, {0, SourceRetryAfter}, {time.Second, SourceRetryAfterMs}, {LongDelay, SourceRetryAfter},
		{LongDelay + time.Nanosecond, SourceRetryInfo}, {time.Hour, SourceMessage},
		{math.MaxInt64, SourceRetryAfter},
	}
	categories := append(catalog.Categories(), catalog.Category(200))
	n := 0
	for _, c := range categories {
		for _, retryable := range []bool{false, true} {
			for _, status := range statuses {
				for _, dl := range delays {
					for _, ra := range catalog.Actions() {
						for _, rs := range catalog.Scopes() {
							r := Result{Category: c, Retryable: retryable, Status: status, RetryAfter: dl.d, RetryAfterSource: dl.source}
							r.next(ra, rs)
							n++
							if why := nextInconsistency(r); why != "" {
								t.Fatalf("%s: %s, retryable %v, status %d, delay %v (%q), rule %v/%q: got %v/%q",
									why, c, retryable, status, dl.d, dl.source, ra, rs, r.Action, r.Scope)
							}
							if r.Retryable != retryable || r.Category != c {
								t.Fatalf("next changed the category or retryability: %+v", r)
							}
							if rs != catalog.ScopeNone && r.Scope != rs {
								t.Fatalf("rule scope %q ignored: got %q", rs, r.Scope)
							}
							plain := Result{Category: c, Retryable: retryable, Status: status}
							plain.next(ra, rs)
							if !retryable && plain.Action != r.Action {
								t.Fatalf("a delay changed the action of a result that is not retryable: %v, then %v", plain.Action, r.Action)
							}
							if plain.Scope != r.Scope {
								t.Fatalf("a delay changed the scope: %q, then %q", plain.Scope, r.Scope)
							}
							wantA, _ := catalog.NextAction(c, status, retryable)
							if ra == catalog.ActionNone && plain.Action != wantA {
								t.Fatalf("%s: no refinement, but %v instead of the default %v", c, plain.Action, wantA)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d combinations", n)
}

// TestNextThroughClassify checks the whole path: x-should-retry, a server
// delay past LongDelay, an OK response, and the transport errors.
func TestNextThroughClassify(t *testing.T) {
	type step struct{ Action, Scope string }
	classify := func(status int, h map[string]string, body string) Result {
		hdr := make(map[string][]string)
		for k, v := range h {
			hdr[k] = []string{v}
		}
		return Classify(status, hdr, []byte(body))
	}
	tests := []struct {
		name string
		r    Result
		want step
	}{
		{"ok", classify(200, nil, `{"id":"x"}`), step{"none", ""}},
		{"429 with 20 s", classify(429, map[string]string{"Retry-After": "20"}, ``), step{"retry", "model"}},
		{"429 with 120 s", classify(429, map[string]string{"Retry-After": "120"}, `{"error":{"message":"slow down","code":"rate_limit_exceeded"}}`), step{"retry", "model"}},
		{"429 with 121 s", classify(429, map[string]string{"Retry-After": "121"}, `{"error":{"message":"slow down","code":"rate_limit_exceeded"}}`), step{"fallback", "model"}},
		{"503 told not to retry", classify(503, map[string]string{"X-Should-Retry": "false"}, `{"error":{"message":"The model is overloaded.","status":"UNAVAILABLE","code":503}}`), step{"fallback", "model"}},
		{"400 told to retry", classify(400, map[string]string{"X-Should-Retry": "true"}, ``), step{"retry", "request"}},
		{"context overflow with a long delay", classify(400, map[string]string{"Retry-After": "3600"}, `{"error":{"message":"too long","code":"context_length_exceeded"}}`), step{"shrink_and_retry", "request"}},
		{"in-band overload", classify(200, nil, "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"), step{"retry", "model"}},
		{"501", classify(501, nil, `{"error":{"message":"not supported"}}`), step{"fix_request", "request"}},
		{"empty 503", classify(503, nil, ``), step{"retry", "provider"}},
		{"region block", classify(403, nil, `{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported"}}`), step{"stop", "account"}},
		// Word evidence for a model not open to the account (round 14
		// fixture dashscope/model_access_denied_403): another model.
		{"model access by words", classify(403, nil, `{"code":"AccessDenied","message":"Model access denied."}`), step{"fallback", "model"}},
		// Issue 17's eighth kind, worded for the organization or with
		// "permitted": the whole account; with a model named, the model.
		{"organization not allowed", classify(403, nil, `{"error":{"message":"Your organization is not allowed to access this endpoint"}}`), step{"stop", "account"}},
		{"account not permitted", classify(403, nil, `{"error":{"message":"This account is not permitted to use this API"}}`), step{"stop", "account"}},
		{"workspace not allowed", classify(403, nil, `{"error":{"message":"This workspace is not allowed to access this endpoint"}}`), step{"stop", "account"}},
		{"project not permitted", classify(403, nil, `{"error":{"message":"This project is not permitted to use this API"}}`), step{"stop", "account"}},
		{"project not allowed a model", classify(403, nil, `{"error":{"message":"This project is not allowed to use model gpt-4o"}}`), step{"fallback", "model"}},
		{"key not allowed stays the key's", classify(403, nil, `{"error":{"message":"This API key is not allowed to access this endpoint"}}`), step{"stop", "key"}},
		{"account not allowed a model", classify(403, nil, `{"error":{"message":"This account is not allowed to use model gpt-4o"}}`), step{"fallback", "model"}},
		// The model pointed at is the model's refusal; the key that must
		// have access to it is the key's (Flowise's relayed 401, round 8).
		{"plan without access to this model", classify(403, nil, `{"error":{"message":"Your plan does not include access to this model"}}`), step{"fallback", "model"}},
		{"key that must have access to the requested model", classify(500, nil, `{"error":{"message":"401 Unauthorized – check your API key and ensure it has access to the requested model."}}`), step{"fix_credential", "key"}},
		// A cap on one request holds the rate limit's "request limit":
		// it is a size cap; a request limit reached is a pace.
		{"per-request limit", classify(400, nil, `{"error":{"message":"Input exceeds the per-request limit of 100 images"}}`), step{"shrink_and_retry", "request"}},
		{"request limit reached", classify(429, nil, `{"error":{"message":"Request limit reached, slow down"}}`), step{"retry", "model"}},
		// A model that does not exist, with words between, in French and
		// Spanish; a file that does not exist is the request's.
		{"model asked for does not exist, in French", classify(400, nil, `{"error":{"message":"Le modèle demandé n'existe pas"}}`), step{"fallback", "model"}},
		{"model asked for does not exist, in Spanish", classify(400, nil, `{"error":{"message":"El modelo solicitado no existe"}}`), step{"fallback", "model"}},
		{"file asked for does not exist, in French", classify(400, nil, `{"error":{"message":"Le fichier demandé n'existe pas"}}`), step{"fix_request", "request"}},
		// A plan that leaves the model out, on a 429: no pace to wait for.
		{"plan does not include access to a model", classify(429, nil, `{"error":{"code":"1311","message":"Your current subscription plan does not yet include access to GLM-5"}}`), step{"fallback", "model"}},
		{"plan that includes access to a model is no refusal", classify(429, nil, `{"error":{"message":"Rate limit reached; upgrade to a plan that includes access to higher limits"}}`), step{"retry", "model"}},
		// A budget too small is billing on any status (Albert API's 400,
		// round 28); a reasoning budget that is a parameter is not.
		{"insufficient budget on a 400", classify(400, nil, `{"detail":"Insufficient budget."}`), step{"fallback", "account"}},
		{"budget is insufficient on a 500", classify(500, nil, `{"error":{"message":"Your budget is insufficient for this request"}}`), step{"fallback", "account"}},
		{"thinking budget parameter", classify(400, nil, `{"type":"error","error":{"type":"invalid_request_error","message":"thinking.budget_tokens: Input should be greater than or equal to 1024"}}`), step{"fix_request", "request"}},
		// A permission to access the model names the model; one to
		// access something else stays the key's.
		{"permission to access the model", classify(403, nil, `{"detail":"Insufficient permissions to access the model albert-large."}`), step{"fallback", "model"}},
		{"permission to access the files", classify(403, nil, `{"detail":"Insufficient permissions to access the files endpoint."}`), step{"stop", "key"}},
		{"transport nil", TransportError(nil), step{"none", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := step{tt.r.Action.String(), tt.r.Scope.String()}
			if got != tt.want {
				t.Errorf("got %v, want %v (%s, rule %s)", got, tt.want, tt.r.Category, tt.r.Rule)
			}
			if why := nextInconsistency(tt.r); why != "" {
				t.Error(why)
			}
		})
	}
}

// TestLogValueNext: LogValue carries the action always and the scope when
// there is one.
func TestLogValueNext(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want []string
		not  []string
	}{
		{"failure", Classify(402, nil, []byte(`{"error":{"message":"Insufficient Balance"}}`)),
			[]string{`"action":"fallback"`, `"scope":"account"`}, nil},
		{"ok", Classify(200, nil, nil), []string{`"action":"none"`}, []string{`"scope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("call", "result", tt.r)
			for _, s := range tt.want {
				if !strings.Contains(buf.String(), s) {
					t.Errorf("log line lacks %s: %s", s, buf.String())
				}
			}
			for _, s := range tt.not {
				if strings.Contains(buf.String(), s) {
					t.Errorf("log line has %s: %s", s, buf.String())
				}
			}
		})
	}
}

// TestUserRuleRefinesNext: a user rule's Action and Scope refine the next
// step like a catalog rule's, and a retry asked of a result that is not
// retryable is ignored.
func TestUserRuleRefinesNext(t *testing.T) {
	c := Classifier{Rules: []catalog.Rule{
		{Name: "acme_model_tier", Statuses: []int{403}, Contains: []string{"enterprise tier"},
			Category: catalog.PermissionDenied, Action: catalog.ActionFallback, Scope: catalog.ScopeModel},
		{Name: "acme_bad_retry", Statuses: []int{400}, Contains: []string{"bad field"},
			Category: catalog.InvalidRequest, Action: catalog.ActionRetry},
		{Name: "acme_busy", Statuses: []int{409}, Contains: []string{"gpus busy"},
			Category: catalog.Unavailable, Action: catalog.ActionStop, Scope: catalog.ScopeProvider},
	}}
	tests := []struct {
		status int
		body   string
		want   string
	}{
		{403, `{"message":"this model needs the enterprise tier"}`, "fallback/model"},
		{400, `{"message":"bad field: temperature"}`, "fix_request/request"},
		{409, `{"message":"all gpus busy"}`, "retry/provider"}, // retryable: the action stays retry
	}
	for _, tt := range tests {
		r := c.Classify(tt.status, nil, []byte(tt.body))
		if got := r.Action.String() + "/" + r.Scope.String(); got != tt.want {
			t.Errorf("%d %s: got %s (rule %s), want %s", tt.status, tt.body, got, r.Rule, tt.want)
		}
		if why := nextInconsistency(r); why != "" {
			t.Error(why)
		}
	}
}
