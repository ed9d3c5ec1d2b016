package catalog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apierr/apierr/internal/redact"
	"github.com/apierr/apierr/internal/testkit/fixture"
)

// phraseFamily is one list of strong phrases and the category that every
// response saying one of them has.
type phraseFamily struct {
	name     string
	phrases  []string
	category Category
	// also lists other categories a fixture saying one of the phrases may
	// rightly have, with the reason in the family's table entry.
	also []Category
}

// strongFamilies are the phrase families that decide on every status
// (see builtin's "elsewhere" rules): a phrase in one of them must mean
// its family's failure wherever it appears.
func strongFamilies() []phraseFamily {
	return []phraseFamily{
		// A spend cap on one key or on the account is one kind of
		// failure; a per-request size or a per-minute budget that names
		// "tokens per day" comes first with its own rule.
		{"billingPhrases", billingPhrases, QuotaExceeded, nil},
		{"keySpendPhrases", keySpendPhrases, QuotaExceeded, nil},
		{"quotaPhrases", quotaPhrases, QuotaExceeded, []Category{RateLimited}}, // a 429's per-second quota
		{"contextPhrases", contextPhrases, ContextLengthExceeded, []Category{RateLimited}},
		{"modelNotFoundPhrases", modelNotFoundPhrases, ModelNotFound, nil},
		{"filterPhrases", filterPhrases, ContentFiltered, nil},
		{"overloadPhrases", overloadPhrases, Unavailable, nil},
		{"upstreamPhrases", upstreamPhrases, Unavailable, nil},
		{"authPhrases", authPhrases, Authentication, nil},
		{"accountBlockedPhrases", accountBlockedPhrases, PermissionDenied, nil},
		{"modelPermissionPhrases", modelPermissionPhrases, PermissionDenied, nil},
	}
}

// vocabCase is one fixture's expected category and the text a phrase
// could be found in: its body's strings and its expected message.
type vocabCase struct {
	name     string
	category string
	text     string
}

// loadVocabCases reads testdata/real and the first-sight round files of
// the classify package: every response whose expected category is known.
func loadVocabCases(t *testing.T) []vocabCase {
	t.Helper()
	real, err := fixture.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out []vocabCase
	add := func(c fixture.Case) {
		out = append(out, vocabCase{c.Name, c.Want.Category, lowerASCII(bodyText(c.Body) + "\n" + c.Want.Message)})
	}
	for _, c := range real {
		add(c)
	}
	rounds, err := filepath.Glob(filepath.Join(fixture.Dir(), "..", "firstsight", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) == 0 {
		t.Fatal("no first-sight round files")
	}
	for _, f := range rounds {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []fixture.Case
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range cases {
			add(c)
		}
	}
	return out
}

// bodyText returns a JSON body's strings (keys and values, unescaped) one
// a line, or the body itself when it is not JSON.
func bodyText(body string) string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return body
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v)
			b.WriteByte('\n')
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				b.WriteString(k)
				b.WriteByte('\n')
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

// lowerASCII lowers ASCII letters only, as the classifier does.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// containsPattern reports whether low holds pattern's "*"-separated
// fragments in order, as Rule.Contains does.
func containsPattern(low, pattern string) bool {
	for _, frag := range strings.Split(pattern, "*") {
		i := strings.Index(low, frag)
		if i < 0 {
			return false
		}
		low = low[i+len(frag):]
	}
	return true
}

// knownOverlaps are the published responses that say a strong phrase of
// another category and are rightly decided by stronger evidence: a code,
// or a longer phrase of their own category's rule that comes first. Keyed
// by phrase and case name; a new phrase must not add to them.
var knownOverlaps = map[[2]string]string{
	{"overloaded", "aineron/anthropic_insufficient_balance_overloaded_type_402"}:                "billing_overload_code: the balance words and the 402 decide over the overloaded_error type",
	{"unauthenticated", "scira/unauthenticated_search_limit_429"}:                               "its daily free limit decides; \"unauthenticated users\" names whom the limit is for",
	{"subscription has expired", "sdcb-chats/subscription_expired_400"}:                         "a first-sight miss: an admin's per-model grant that its source labels model access; the body alone reads as billing",
	{"content polic", "azure-openai/resource_temporarily_blocked_content_policy_403"}:           "a first-sight miss: a resource blocked for behaviour against the content policy, labelled an account block by its source",
	{"high demand", "openrouter/free_model_limit_rpm_metadata_reset_429"}:                       "rate_limit_code: a free model's per-minute limit, whose text blames high demand",
	{"prompt tokens*exceed", "openrouter/prompt_tokens_limit_free_account_402"}:                 "a first-sight miss: a free account's prompt cap that its source labels billing (upgrade to a paid account)",
	{"overloaded", "antigravity-manager/no_accounts_with_quota_overloaded_type_503"}:            "a first-sight miss: a relay's empty account pool under an overloaded_error type, labelled a quota by its source",
	{"queue full", "claude-relay-service/concurrency_queue_full_retry_after_429"}:               "a first-sight miss: a relay's concurrency queue for one key, labelled a rate limit by its source",
	{"no api key", "llmgateway/hybrid_no_provider_key_no_credits_402"}:                          "the 402 decides: no provider key of one's own and no credits",
	{"location is not supported", "gemini/user_location_without_billing_account_400"}:           "a first-sight miss: a region that a linked billing account unlocks, labelled billing by its source",
	{"sensitive content", "octafuse/sensitive_content_circuit_429"}:                             "a first-sight miss: a gateway's cooldown after an upstream content block, labelled a rate limit by its source",
	{"content was blocked", "octafuse/sensitive_content_circuit_429"}:                           "a first-sight miss: a gateway's cooldown after an upstream content block, labelled a rate limit by its source",
	{"high load", "llm-api-key-proxy/all_credentials_exhausted_429"}:                            "rate_limit_message: its upstream keys are all rate limited; \"normal during high load\" is the proxy's comment",
	{"high load", "llm-api-key-proxy/stream_all_credentials_exhausted_200"}:                     "rate_limit_message: its upstream keys are all rate limited; \"normal during high load\" is the proxy's comment",
	{"prompt is too long", "one-api/image_prompt_too_long_400"}:                                 "a first-sight miss: a relay's character cap on an image prompt, labelled a size cap by its source",
	{"model_not_found", "openai/project_no_model_access_403"}:                                   "model_permission_403_code: on a 403 its text says the project has no access to the model, before the code's rule",
	{"daily request limit", "reka/daily_request_limit_429"}:                                     "rate_limit_code: its rate_limit_error code decides (a daily limit its source calls a rate limit, retry-after 3600)",
	{"invalid model", "meshy/invalid_model_extension_400"}:                                      "a first-sight miss: a 3D model file's extension, not an AI model",
	{"input too long", "vllm-mlx/tts_input_too_long_413"}:                                       "a first-sight miss: a TTS input's characters, a size cap by its source",
	{"overloaded", "werkzeug/internal_server_error_html_500"}:                                   "Werkzeug's 500 page names overload as one of two causes: the 500 decides, both retry",
	{"算力不足", "geekai/power_insufficient_400"}:                                                   "billing_topup_message: \"请充值\" (top up) names GeekAI's credits",
	{"exceeded your current quota", "dashscope/allocation_quota_token_limit_429"}:               "token_limit_throttle: its code and link",
	{"check your plan and billing", "dashscope/allocation_quota_token_limit_429"}:               "token_limit_throttle: its code and link",
	{"billing details", "dashscope/allocation_quota_token_limit_429"}:                           "token_limit_throttle: its code and link",
	{"exceeded your current quota", "gemini/resource_exhausted_retry_info"}:                     "resource_exhausted_code with a RetryInfo",
	{"check your plan and billing", "gemini/resource_exhausted_retry_info"}:                     "resource_exhausted_code with a RetryInfo",
	{"billing details", "gemini/resource_exhausted_retry_info"}:                                 "resource_exhausted_code with a RetryInfo",
	{"usage quota exceeded", "csghub/usage_quota_window_429"}:                                   "a first-sight miss: a window's quota",
	{"model not found", "pollinations/model_not_found_or_tier_402"}:                             "a first-sight miss: \"not found or tier not high enough\"",
	{"queue full", "pollinations/queue_full_for_ip_402"}:                                        "a first-sight miss: a per-IP queue its source calls a rate limit",
	{"invalid api key", "fish-audio/invalid_key_or_insufficient_balance_402"}:                   "the 402 and the balance words decide",
	{"model not found", "llm-d/model_field_missing_400"}:                                        "a first-sight miss: the model field is missing",
	{"allowed now, your model", "db-gpt/no_models_allowed_400"}:                                 "a first-sight miss: no worker serves any model",
	{"invalid api key", "speaches/upstream_chat_429_proxied"}:                                   "a first-sight miss: a guess among causes on a 429",
	{"add a payment method", "openpipe/concurrency_limit_429"}:                                  "rate_limit_code: a concurrency limit that a plan lifts",
	{"guardrail*block", "openguardrails/no_verdict_fail_closed_503"}:                            "a first-sight miss: the guard itself is out",
	{"no api key", "braintrust/no_api_keys_for_model_400"}:                                      "a first-sight miss: the gateway has no provider key for the model",
	{"context size", "llama-box/prefill_failed_500"}:                                            "a first-sight miss: the server's cache, sized by its context, is full",
	{"quota exceeded", "chroma/quota_num_records_add_422"}:                                      "a first-sight label: the records one Add call may carry",
	{"service unavailable", "sanic/response_timeout_503"}:                                       "Sanic's response timeout, titled Service Unavailable",
	{"not ready", "parallax/all_pipelines_busy_429"}:                                            "a 429: the status's pace holds",
	{"authorization failed", "box-ai/ai_not_enabled_for_enterprise_404"}:                        "a first-sight label: Box AI not enabled for the enterprise",
	{"usage quota exceeded", "csghub/usage_quota_window_in_200_stream"}:                         "a first-sight miss: a window's quota",
	{"overloaded", "cloudflare/522_connection_timeout_json"}:                                    "Cloudflare's connection_timeout code",
	{"service unavailable", "cloudflare-workers-ai/account_blocked_3023"}:                       "\"service unavailable for account\" is an account block",
	{"invalid_api_key", "llmgateway/key_usage_limit_401"}:                                       "key_spend_limit_code: the key's usage limit",
	{"user is locked", "fal/user_locked_exhausted_balance_403"}:                                 "the balance words decide",
	{"user is locked", "fal/user_locked_exhausted_balance_dot_403"}:                             "the balance words decide",
	{"user is locked", "fal/user_locked_top_up_403"}:                                            "a first-sight miss: TOP_UP",
	{"access to the model", "cohere/model_not_found"}:                                           "model_not_found code",
	{"unable to access model", "together/model_not_found_404"}:                                  "model_not_found code",
	{"enable billing", "gemini/free_tier_unavailable_country_enable_billing_400"}:               "a first-sight label: the country block, which billing lifts",
	{"input is too long", "one-api/tts_input_over_4096_chars_400"}:                              "a first-sight miss: a cap in characters",
	{"usage policy", "zhipu/fair_usage_policy_limited_1313_429"}:                                "a first-sight label: an account limited for its usage pattern",
	{"exceeded your current quota", "gemini/free_tier_per_minute_quota_retry_info_429"}:         "resource_exhausted_code with a RetryInfo",
	{"model not found", "one-balance/provider_or_model_not_found_400"}:                          "a first-sight label: no model could be read from the request",
	{"invalid model", "huawei-cloud-maas/model_allowlist_81015_401"}:                            "a first-sight label: the key's model allowlist",
	{"moderation", "openai/responses_stream_failed_server_error_200"}:                           "the failed event's server_error code decides",
	{"blocked by policy", "requesty/provider_blocked_by_policy_403"}:                            "a first-sight label: the provider is not on the key's allowlist",
	{"high traffic", "fastchat/controller_worker_timeout_frame_200"}:                            "a first-sight label: the worker timeout code",
	{"authentication fail", "venice/inactive_pro_subscription_401"}:                             "a first-sight label: the subscription named after the auth failure",
	{"usage limit", "fireworks/usage_limits_try_later_429"}:                                     "a first-sight miss: usage limits its source calls a rate cap",
	{"overloaded", "antigravity-manager/stream_network_unstable_error_event_200"}:               "a first-sight label: the proxy's network, under an overloaded_error type",
	{"access to this model", "google-cloudcode-gateway/no_access_to_model_or_invalid_name_400"}: "a first-sight miss: no access or an invalid name, labelled model_not_found; both fall back",
	{"overloaded", "orchids-2api/retry_dedup_in_flight_429"}:                                    "a first-sight miss: an identical request still in flight, under Anthropic's overloaded_error type, labelled a conflict by its source",
	{"high traffic", "llava/worker_generate_error_frame_200"}:                                   "a first-sight miss: LLaVA's frame that blames high traffic for any worker error, labelled a server error by its source",
	{"deployment*not found", "supabase/edge_function_bundle_not_found_404"}:                     "a first-sight miss: an edge function's deployment bundle, a server error by its source",
	{"not ready", "cohere/finetuned_model_not_ready_400"}:                                       "a first-sight label: a fine-tuned model not yet deployed",
}

// TestStrongPhrasesSpecific checks that every phrase of a strong family
// means its family's failure in every published response: no response
// expected in another category says it.
func TestStrongPhrasesSpecific(t *testing.T) {
	cases := loadVocabCases(t)
	if len(cases) < 700 {
		t.Fatalf("only %d published responses loaded", len(cases))
	}
	for _, fam := range strongFamilies() {
		for _, p := range fam.phrases {
			for _, c := range cases {
				if c.category == fam.category.String() || !containsPattern(c.text, p) {
					continue
				}
				allowed := false
				for _, a := range fam.also {
					allowed = allowed || c.category == a.String()
				}
				if !allowed && knownOverlaps[[2]string{p, c.name}] == "" {
					t.Errorf("%s: %q is in %s, expected %s", fam.name, p, c.name, c.category)
				}
			}
		}
	}
}

// TestPhrasesSurviveRedaction checks that the redactor leaves every
// phrase of every built-in rule alone inside an ordinary message: a
// result's message shows the words that decided it.
func TestPhrasesSurviveRedaction(t *testing.T) {
	n := 0
	for _, r := range Rules() {
		for _, p := range r.Contains {
			msg := "Error: " + strings.ReplaceAll(p, "*", " ... ") + ". Please check your request."
			if got := redact.String(msg); got != msg {
				t.Errorf("%s: %q redacted to %q", r.Name, msg, got)
			}
			n++
		}
	}
	if n < 500 {
		t.Errorf("only %d phrases checked", n)
	}
}

// TestPatternMatcher pins the test's own matcher against the rule
// semantics it mirrors.
func TestPatternMatcher(t *testing.T) {
	tests := []struct {
		low, pattern string
		want         bool
	}{
		{"request too large for gpt-4 on tokens per min", "request too large*tokens per min", true},
		{"tokens per min then request too large", "request too large*tokens per min", false},
		{"余额不足", "余额不足", true},
		{"квота исчерпана", "вота*исчерпан", true},
	}
	for _, tt := range tests {
		if got := containsPattern(tt.low, tt.pattern); got != tt.want {
			t.Errorf("containsPattern(%q, %q) = %v", tt.low, tt.pattern, got)
		}
	}
}
