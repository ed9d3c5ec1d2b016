package classify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/parse"
)

var fixedNow = time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// TestOriginDocument: each of the origin provider's seven status codes
// with a plain {"detail": ...} body gets the category and a hint that
// carries the document's resolution, for the status name and for the
// document's description as the detail.
func TestOriginDocument(t *testing.T) {
	tests := []struct {
		status int
		detail string
		want   string
	}{
		{400, "Bad Request", "invalid_request"},
		{400, "Invalid request format or parameters", "invalid_request"},
		{401, "Unauthorized", "authentication"},
		{401, "Missing or invalid API key", "authentication"},
		{403, "Forbidden", "permission_denied"},
		{403, "API key lacks permission for this resource", "permission_denied"},
		{404, "Not Found", "not_found"},
		{404, "Invalid endpoint or model not found", "model_not_found"},
		{429, "Too Many Requests", "rate_limited"},
		{429, "Rate limit exceeded", "rate_limited"},
		{500, "Internal Server Error", "server_error"},
		{500, "Server-side error", "server_error"},
		{503, "Service Unavailable", "unavailable"},
		{503, "Model is temporarily unavailable", "unavailable"},
	}
	for _, tt := range tests {
		body := fmt.Sprintf(`{"detail": %q}`, tt.detail)
		r := classify.Classify(tt.status, nil, []byte(body))
		if r.Category.String() != tt.want || r.Message != tt.detail {
			t.Errorf("%d %s: category %s message %q, want %s", tt.status, body, r.Category, r.Message, tt.want)
		}
		res := catalog.StatusInfo(tt.status).Resolution
		if !strings.Contains(r.Hint, res) {
			t.Errorf("%d %s: hint %q does not carry the document's resolution %q", tt.status, body, r.Hint, res)
		}
	}
}

// TestOriginDocumentedBodies: both bodies the origin document shows for a
// bad key classify as authentication.
func TestOriginDocumentedBodies(t *testing.T) {
	for _, body := range []string{
		`{"detail": "Incorrect API key provided"}`,
		`{"error": {"message": "Incorrect API key provided: sk-abc***xyz. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "authentication_error", "code": "invalid_api_key"}}`,
	} {
		r := classify.Classify(401, nil, []byte(body))
		if r.Category != catalog.Authentication || r.Retryable {
			t.Errorf("%s: %v", body, r)
		}
		// The same bodies with a 400 or 403, as some gateways send them.
		for _, st := range []int{400, 403} {
			if r := classify.Classify(st, nil, []byte(body)); r.Category != catalog.Authentication {
				t.Errorf("%d %s: %s", st, body, r.Category)
			}
		}
	}
}

type decision struct {
	Category  string
	Retryable bool
	Rule      string
}

func decide(r classify.Result) decision {
	return decision{r.Category.String(), r.Retryable, r.Rule}
}

// TestRefinements covers each way the body refines the status, with the
// rule that decided.
func TestRefinements(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   decision
	}{
		{"429 quota is not a rate limit", 429, nil,
			`{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`,
			decision{"quota_exceeded", false, "quota_code"}},
		{"429 quota by message only", 429, nil,
			`{"message":"You exceeded your current quota, please check your plan and billing details."}`,
			decision{"quota_exceeded", false, "credit_balance_message"}},
		{"429 request larger than the TPM budget", 429, nil,
			`{"error":{"message":"Request too large for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Requested 45000. The input or output tokens must be reduced in order to run successfully.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}`,
			decision{"request_too_large", false, "tpm_request_too_large"}},
		{"413 TPM (Groq)", 413, nil,
			`{"error":{"message":"Request too large for model ` + "`llama3-70b-8192`" + ` in organization ` + "`org_x`" + ` on tokens per minute (TPM): Limit 6000, Requested 7000, please reduce your message size and try again.","type":"tokens","code":"rate_limit_exceeded"}}`,
			decision{"request_too_large", false, "tpm_request_too_large"}},
		{"plain 429 rate limit", 429, nil,
			`{"error":{"message":"Rate limit reached for gpt-4o on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.","type":"requests","param":null,"code":"rate_limit_exceeded"}}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		{"429 overload under a rate-limit type", 429, nil,
			`{"error":{"type":"rate_limit_error","message":"The engine is currently overloaded, please try again later"},"type":"error"}`,
			decision{"unavailable", true, "overloaded_message"}},
		{"429 overload in an unknown code under a rate-limit type", 429, nil,
			`{"error":{"code":"ServerOverloaded","message":"The service cannot take more requests now.","type":"TooManyRequests"}}`,
			decision{"unavailable", true, "overloaded_message"}},
		{"429 heavy traffic", 429, nil, `{"detail":{"status":"system_busy","message":"We are sorry, the system is experiencing heavy traffic, please try again."}}`,
			decision{"unavailable", true, "overloaded_message"}},
		{"429 rate limit under a rate-limit type", 429, nil,
			`{"error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"type":"error"}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		{"429 known rate-limit code outweighs overload words", 429, nil,
			`{"error":{"message":"Servers are busy; you are over your rate limit.","type":"requests","code":"rate_limit_exceeded"}}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		// A rate limit by the day that states no delay is a quota until
		// the day ends (OpenRouter's free-models-per-day, round 21); a
		// stated delay, in the text or a header, or a body that says it
		// may be retried, keeps the rate limit.
		{"429 rate limit by the day without a delay", 429, nil,
			`{"error":{"message":"Rate limit exceeded: free-models-per-day-high-balance.","type":"rate_limit_error","code":"429"}}`,
			decision{"quota_exceeded", false, "rate_limit_period"}},
		{"403 requests per day reached", 403, nil,
			`{"status": 403, "code": "403-002", "reason": "exceeded request quota", "details": "number of allowed requests per day (1000) reached"}`,
			decision{"quota_exceeded", false, "rate_limit_period"}},
		{"429 rate limit by the day with a delay in the text", 429, nil,
			`{"error":{"message":"Rate limit reached for gpt-4o-mini on requests per day (RPD): Limit 200, Used 200, Requested 1. Please try again in 7m12s.","type":"requests","code":"rate_limit_exceeded"}}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		{"429 rate limit by the day with a Retry-After", 429, http.Header{"Retry-After": {"30"}},
			`{"error":{"message":"Rate limit exceeded: free-models-per-day.","type":"rate_limit_error","code":"429"}}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		{"429 rate limit by the day that says it is retryable", 429, nil,
			`{"error":{"message":"Rate limit exceeded: free-models-per-day.","type":"rate_limit_error","code":"429","retryable":true}}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		{"429 rate limit by the minute without a delay", 429, nil,
			`{"error":{"message":"Rate limit exceeded: 60 requests per minute.","type":"rate_limit_error","code":"429"}}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		// A cap on requests in flight that calls itself a quota is a rate
		// limit (Tencent Cloud inside a 200, round 22); a quota that names
		// no concurrency stays a quota.
		{"concurrency over its quota inside a 200", 200, nil,
			`{"Response":{"Error":{"Code":"LimitExceeded.ConcurrencyLimitExceeded","Message":"请求并发数超过配额限制，请减少并发数或联系我们调大并发限额。"},"RequestId":"c8e2f1a4"}}`,
			decision{"rate_limited", true, "concurrency_quota_message"}},
		{"concurrent jobs over their quota on a 403", 403, nil,
			`{"message":"Concurrent job quota exceeded: 5 jobs are running"}`,
			decision{"rate_limited", true, "concurrency_quota_message"}},
		{"a quota without concurrency inside a 200", 200, nil,
			`{"Response":{"Error":{"Code":"LimitExceeded","Message":"Quota exceeded: 1000 jobs submitted"},"RequestId":"c8e2f1a4"}}`,
			decision{"quota_exceeded", false, "quota_spent_message"}},
		// A payment instrument that AWS Marketplace wants is billing, on
		// the 403 Bedrock sends it with (round 22).
		{"a payment instrument on a 403", 403, nil,
			`{"message":"Model access is denied due to INVALID_PAYMENT_INSTRUMENT:A valid payment instrument must be provided."}`,
			decision{"quota_exceeded", false, "credit_balance_message"}},
		{"400 context window", 400, nil, `{"detail":"This model's maximum context length is 4096 tokens."}`,
			decision{"context_length_exceeded", false, "context_length_message"}},
		{"413 context window", 413, nil, `{"type":"error","error":{"type":"invalid_request_error","message":"Request size exceeds model context window"}}`,
			decision{"context_length_exceeded", false, "context_length_message"}},
		{"422 context window (TGI)", 422, nil, "{\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`\",\"error_type\":\"validation\"}",
			decision{"context_length_exceeded", false, "context_length_message"}},
		{"500 context window", 500, nil, `{"error":{"message":"prompt is too long: 210000 tokens > 200000 maximum","type":"server_error"}}`,
			decision{"context_length_exceeded", false, "context_length_message"}},
		{"context message on 429 is not context", 429, nil, `{"message":"maximum context length reached for this minute"}`,
			decision{"rate_limited", true, "status"}},
		{"400 credit balance", 400, nil, `{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}`,
			decision{"quota_exceeded", false, "credit_balance_message"}},
		{"402 credits", 402, nil, `{"error":{"code":402,"message":"Insufficient credits. Add more using https://openrouter.ai/credits"}}`,
			decision{"quota_exceeded", false, "credit_balance_message"}},
		{"404 model", 404, nil, `{"error":{"message":"The model ` + "`gpt-5-turbo`" + ` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}`,
			decision{"model_not_found", false, "model_not_found_code"}},
		{"400 model message", 400, nil, `{"object":"error","message":"The model ` + "`llama-3`" + ` does not exist.","type":"NotFoundError","param":null,"code":404}`,
			decision{"model_not_found", false, "model_not_found_message"}},
		{"403 model code with no access", 403, nil, `{"error":{"message":"Project ` + "`proj_x`" + ` does not have access to model ` + "`gpt-4o-mini`" + `","type":"invalid_request_error","param":null,"code":"model_not_found"}}`,
			decision{"permission_denied", false, "model_permission_403_code"}},
		{"404 model code with no access stays missing", 404, nil, `{"error":{"message":"Project ` + "`proj_x`" + ` does not have access to model ` + "`gpt-4o-mini`" + `","type":"invalid_request_error","param":null,"code":"model_not_found"}}`,
			decision{"model_not_found", false, "model_not_found_code"}},
		{"404 unknown URL is not a model", 404, nil, `{"error":{"message":"Invalid URL (POST /v1/chat/completion)","type":"invalid_request_error","param":null,"code":null}}`,
			decision{"not_found", false, "status"}},
		{"200 stream with an error event", 200, http.Header{"Content-Type": {"text/event-stream"}},
			"event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
			decision{"unavailable", true, "overloaded_code"}},
		{"200 stream, unknown error type", 200, nil, "data: {\"error\":{\"message\":\"something odd\",\"type\":\"weird\"}}\n\n",
			decision{"unknown", false, "in_band"}},
		{"200 safety block", 200, nil, `{"candidates":[{"finishReason":"SAFETY","index":0}]}`,
			decision{"content_filtered", false, "content_filter_code"}},
		{"200 success", 200, nil, `{"id":"chatcmpl-1","choices":[{"finish_reason":"stop"}]}`,
			decision{"unknown", false, "no_error"}},
		{"501 is permanent", 501, nil, `{"error":{"message":"Not implemented","type":"server_error"}}`,
			decision{"server_error", false, "status"}},
		{"unknown 5xx is retryable", 599, nil, ``, decision{"unknown", true, "status_class"}},
		{"unknown 4xx is not", 418, nil, `I'm a teapot`, decision{"unknown", false, "status_class"}},
		{"unknown 4xx with an error object is a bad request", 417, nil, `{"error":{"message":"prompt_ids is empty"}}`,
			decision{"invalid_request", false, "status_class"}},
		{"420 is a rate limit", 420, nil, ``, decision{"rate_limited", true, "status"}},
		{"451 is a refusal of the content", 451, nil, ``, decision{"content_filtered", false, "status"}},
		{"499 is a cancellation", 499, nil, `{"message":"failed to get rerank inference: request cancelled"}`, decision{"canceled", false, "status"}},
		{"423 Locked waits for the lock", 423, nil, `{"detail":"Locked"}`, decision{"conflict", true, "status"}},
		{"425 Too Early retries later", 425, nil, `{"detail":"Stack unavailable"}`, decision{"unavailable", true, "status"}},
		{"x-should-retry false", 503, http.Header{"X-Should-Retry": {"false"}}, ``,
			decision{"unavailable", false, "status,x_should_retry"}},
		{"x-should-retry true", 400, http.Header{"X-Should-Retry": {"true"}}, ``,
			decision{"invalid_request", true, "status,x_should_retry"}},
		{"x-should-retry agreeing changes nothing", 503, http.Header{"X-Should-Retry": {"true"}}, ``,
			decision{"unavailable", true, "status"}},
		{"AWS type from header", 400, http.Header{"X-Amzn-Errortype": {"ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"}},
			`{"message":"Too many requests, please wait before trying again."}`,
			decision{"rate_limited", true, "rate_limit_code"}},
		{"HTML gateway page", 502, http.Header{"Content-Type": {"text/html"}},
			"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
			decision{"unavailable", true, "endpoint_unavailable_message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := classify.Classify(tt.status, tt.header, []byte(tt.body))
			if diff := cmp.Diff(tt.want, decide(r)); diff != "" {
				t.Errorf("message %q (-want +got):\n%s", r.Message, diff)
			}
			if (r.Rule == classify.RuleNoError) != r.OK {
				t.Errorf("OK = %v with rule %s", r.OK, r.Rule)
			}
		})
	}
}

// TestUserRuleWins: a user rule is tried before the catalog and wins.
func TestUserRuleWins(t *testing.T) {
	body := []byte(`{"error":{"message":"GPU pool busy, Request Too Large For now","type":"server_error","code":"insufficient_quota"}}`)
	c := classify.Classifier{Rules: []catalog.Rule{
		{Name: "acme_not_this_status", Statuses: []int{500}, Codes: []string{"INSUFFICIENT_QUOTA"}, Category: catalog.ServerError},
		{Name: "acme_gpu_busy", Statuses: []int{429}, Contains: []string{"GPU POOL*too large"}, Category: catalog.Unavailable},
	}}
	r := c.Classify(429, nil, body)
	if got := decide(r); got != (decision{"unavailable", true, "acme_gpu_busy"}) {
		t.Errorf("user rule did not win: %+v", got)
	}
	// Without the user rules, the catalog decides.
	if got := decide(classify.Classify(429, nil, body)); got.Rule != "tpm_request_too_large" {
		t.Errorf("catalog: %+v", got)
	}
	// A user rule matches codes without regard to case.
	c.Rules[0].Statuses = []int{429}
	if got := decide(c.Classify(429, nil, body)); got.Rule != "acme_not_this_status" {
		t.Errorf("code rule: %+v", got)
	}
}

// TestUserRateRuleKeepsItsPeriod: a user's rate-limit rule is the user's
// word: a day in its text does not make it a quota, as it does the
// catalog's.
func TestUserRateRuleKeepsItsPeriod(t *testing.T) {
	body := []byte(`{"error":{"message":"Rate limit exceeded: free-models-per-day.","type":"rate_limit_error","code":"429"}}`)
	if got := decide(classify.Classify(429, nil, body)); got != (decision{"quota_exceeded", false, "rate_limit_period"}) {
		t.Errorf("catalog: %+v", got)
	}
	c := classify.Classifier{Rules: []catalog.Rule{
		{Name: "acme_daily_pace", Codes: []string{"rate_limit_error"}, Category: catalog.RateLimited},
	}}
	if got := decide(c.Classify(429, nil, body)); got != (decision{"rate_limited", true, "acme_daily_pace"}) {
		t.Errorf("user rule: %+v", got)
	}
}

type delay struct {
	Ms     int64
	Source string
}

func delayOf(r classify.Result) delay {
	if r.RetryAfterSource == "" {
		return delay{-1, ""}
	}
	return delay{r.RetryAfter.Milliseconds(), r.RetryAfterSource}
}

// TestServerDelay covers every source of a server delay, their order and
// bad values, which are ignored.
func TestServerDelay(t *testing.T) {
	maxMs := time.Duration(math.MaxInt64).Milliseconds()
	none := delay{-1, ""}
	tests := []struct {
		name   string
		header http.Header
		body   string
		want   delay
	}{
		{"retry-after-ms", http.Header{"Retry-After-Ms": {"1500"}}, ``, delay{1500, "retry-after-ms"}},
		{"retry-after-ms fractional", http.Header{"Retry-After-Ms": {"12.7"}}, ``, delay{12, "retry-after-ms"}},
		{"retry-after-ms wins", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"1"}}, ``, delay{250, "retry-after-ms"}},
		{"retry-after seconds", http.Header{"Retry-After": {"20"}}, ``, delay{20000, "retry-after"}},
		{"retry-after fractional", http.Header{"Retry-After": {"1.5"}}, ``, delay{1500, "retry-after"}},
		{"retry-after zero", http.Header{"Retry-After": {"0"}}, ``, delay{0, "retry-after"}},
		{"retry-after spaces", http.Header{"Retry-After": {" 7 "}}, ``, delay{7000, "retry-after"}},
		{"retry-after HTTP-date", http.Header{"Retry-After": {"Wed, 25 Nov 2026 03:00:30 GMT"}}, ``, delay{30000, "retry-after"}},
		{"retry-after HTTP-date in the past", http.Header{"Retry-After": {"Wed, 25 Nov 2026 02:00:00 GMT"}}, ``, delay{0, "retry-after"}},
		{"retry-after 10^12 saturates", http.Header{"Retry-After": {"1000000000000"}}, ``, delay{maxMs, "retry-after"}},
		{"retry-after huge saturates", http.Header{"Retry-After": {"99999999999999999999999999999999"}}, ``, delay{maxMs, "retry-after"}},
		{"retry-after negative", http.Header{"Retry-After": {"-5"}}, ``, none},
		{"retry-after garbage", http.Header{"Retry-After": {"soon"}}, ``, none},
		{"retry-after NaN", http.Header{"Retry-After": {"NaN"}}, ``, none},
		{"retry-after Inf", http.Header{"Retry-After": {"Inf"}}, ``, none},
		{"retry-after exponent", http.Header{"Retry-After": {"1e3"}}, ``, none},
		{"retry-after hex", http.Header{"Retry-After": {"0x10"}}, ``, none},
		{"retry-after-ms garbage falls through", http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"3"}}, ``, delay{3000, "retry-after"}},
		{"RetryInfo", nil, `{"error":{"code":429,"message":"Quota exceeded. Please retry in 36.43s.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"36s"}]}}`, delay{36000, "retry_info"}},
		{"header beats RetryInfo", http.Header{"Retry-After": {"5"}}, `{"error":{"code":429,"message":"x","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"36s"}]}}`, delay{5000, "retry-after"}},
		{"phrase ms", nil, `{"error":{"message":"Rate limit reached. Please try again in 644ms. Visit https://x","code":"rate_limit_exceeded"}}`, delay{644, "message"}},
		{"phrase fractional s", nil, `{"error":{"message":"Please try again in 1.5s.","code":"rate_limit_exceeded"}}`, delay{1500, "message"}},
		{"phrase Go duration", nil, `{"error":{"message":"Please try again in 1m9.696s.","code":"rate_limit_exceeded"}}`, delay{69696, "message"}},
		{"phrase words", nil, `{"error":{"code":"429","message":"Requests have exceeded call rate limit. Please retry after 6 seconds."}}`, delay{6000, "message"}},
		{"phrase Try again in N seconds", nil, `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 5 seconds."}`, delay{5000, "message"}},
		{"phrase without a number", nil, `{"message":"Please try again in a moment."}`, none},
		{"phrase without a unit", nil, `{"message":"Please try again in 5"}`, none},
		{"estimated_time", nil, `{"error":"Model bigscience/bloom is currently loading","estimated_time":20.0}`, delay{20000, "estimated_time"}},
		{"negative estimated_time", nil, `{"error":"Model x is currently loading","estimated_time":-3}`, none},
		{"no delay", nil, `{"error":{"message":"Overloaded"}}`, none},
	}
	c := classify.Classifier{Now: clock}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(429, tt.header, []byte(tt.body))
			if diff := cmp.Diff(tt.want, delayOf(r)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestMessageDelayWhereItMatters: a delay phrase in the message is read
// for a result that is retried (also when x-should-retry makes it so) and
// for a quota, and not for one that no wait helps, whose message may still
// say "try again" (a headers' delay is read for every result).
func TestMessageDelayWhereItMatters(t *testing.T) {
	none := delay{-1, ""}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   delay
	}{
		{"rate limit", 429, nil, `{"error":{"message":"Please try again in 2s.","code":"rate_limit_exceeded"}}`, delay{2000, "message"}},
		{"overloaded 503", 503, nil, `{"error":{"message":"The model is overloaded, try again in 30 seconds"}}`, delay{30000, "message"}},
		{"quota", 429, nil, `{"error":{"message":"Daily quota used up: try again in 7h.","code":"insufficient_quota"}}`, delay{7 * 3600 * 1000, "message"}},
		{"quota lowered copy", 403, nil, `{"error":{"message":"You have reached your spending limit, try again in 20m."}}`, delay{20 * 60 * 1000, "message"}},
		{"bad request", 400, nil, `{"error":{"message":"Invalid JSON body, fix it and try again in 5s.","code":"invalid_request_error"}}`, none},
		{"authentication", 401, nil, `{"detail":"Invalid API key. Please try again in 10 seconds."}`, none},
		{"context length", 400, nil, `{"error":{"message":"This model's maximum context length is 4096 tokens; try again in 1s with fewer.","code":"context_length_exceeded"}}`, none},
		{"x-should-retry true", 400, http.Header{"X-Should-Retry": {"true"}}, `{"error":{"message":"Invalid JSON body, try again in 5s.","code":"invalid_request_error"}}`, delay{5000, "message"}},
		{"header on a bad request", 400, http.Header{"Retry-After": {"3"}}, `{"error":{"message":"Invalid JSON body","code":"invalid_request_error"}}`, delay{3000, "retry-after"}},
	}
	c := classify.Classifier{Now: clock}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(tt.status, tt.header, []byte(tt.body))
			if diff := cmp.Diff(tt.want, delayOf(r)); diff != "" {
				t.Errorf("%s (rule %s): (-want +got):\n%s", r.Category, r.Rule, diff)
			}
		})
	}
}

// TestRateLimitWindow covers the reset headers of OpenAI (and the origin
// provider), Anthropic and gateways.
func TestRateLimitWindow(t *testing.T) {
	type window struct {
		Ms        int64
		Source    string
		Exhausted bool
	}
	tests := []struct {
		name   string
		header http.Header
		want   window
	}{
		{"tokens exhausted", http.Header{
			"X-Ratelimit-Reset-Requests": {"1s"}, "X-Ratelimit-Remaining-Requests": {"59"},
			"X-Ratelimit-Reset-Tokens": {"6m0s"}, "X-Ratelimit-Remaining-Tokens": {"0"},
		}, window{360000, "x-ratelimit-reset-tokens", true}},
		{"requests exhausted beats a longer window", http.Header{
			"X-Ratelimit-Reset-Requests": {"20ms"}, "X-Ratelimit-Remaining-Requests": {"0"},
			"X-Ratelimit-Reset-Tokens": {"6m0s"}, "X-Ratelimit-Remaining-Tokens": {"100"},
		}, window{20, "x-ratelimit-reset-requests", true}},
		{"none exhausted: the longest", http.Header{
			"X-Ratelimit-Reset-Requests": {"3s"}, "X-Ratelimit-Reset-Tokens": {"1.5s"},
		}, window{3000, "x-ratelimit-reset-requests", false}},
		{"anthropic RFC 3339", http.Header{
			"Anthropic-Ratelimit-Tokens-Reset": {"2026-11-25T03:00:42Z"}, "Anthropic-Ratelimit-Tokens-Remaining": {"0"},
		}, window{42000, "anthropic-ratelimit-tokens-reset", true}},
		{"x-ratelimit-reset unix seconds", http.Header{"X-Ratelimit-Reset": {fmt.Sprint(fixedNow.Unix() + 9)}}, window{9000, "x-ratelimit-reset", false}},
		{"x-ratelimit-reset unix ms", http.Header{"X-Ratelimit-Reset": {fmt.Sprint(fixedNow.UnixMilli() + 1500)}}, window{1500, "x-ratelimit-reset", false}},
		{"x-ratelimit-reset delta seconds", http.Header{"X-Ratelimit-Reset": {"30"}, "X-Ratelimit-Remaining": {"0"}}, window{30000, "x-ratelimit-reset", true}},
		{"garbage ignored", http.Header{"X-Ratelimit-Reset-Tokens": {"soon"}, "Anthropic-Ratelimit-Tokens-Reset": {"yesterday"}, "X-Ratelimit-Reset": {"-4"}}, window{-1, "", false}},
		{"remaining zero without a reset", http.Header{"X-Ratelimit-Remaining-Tokens": {"0"}}, window{-1, "", true}},
	}
	c := classify.Classifier{Now: clock}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Classify(429, tt.header, nil)
			got := window{-1, r.RateLimitResetSource, r.RateLimitExhausted}
			if r.RateLimitResetSource != "" {
				got.Ms = r.RateLimitReset.Milliseconds()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if r.RetryAfterSource != "" {
				t.Errorf("a window reset must not be a server delay: %v", delayOf(r))
			}
		})
	}
	// Not a rate limit: the window is not reported.
	r := c.Classify(400, http.Header{"X-Ratelimit-Reset-Tokens": {"6m0s"}, "X-Ratelimit-Remaining-Tokens": {"0"}}, nil)
	if r.RateLimitResetSource != "" || r.RateLimitExhausted {
		t.Errorf("400: window %v", r)
	}
}

func TestRequestID(t *testing.T) {
	anthropic := []byte(`{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_body"}`)
	tests := []struct {
		header http.Header
		want   string
	}{
		{nil, "req_body"},
		{http.Header{"Request-Id": {"req_header"}}, "req_header"},
		{http.Header{"X-Request-Id": {"x1"}, "Request-Id": {"x2"}}, "x1"},
		{http.Header{"X-Amzn-Requestid": {"aws"}}, "aws"},
		{http.Header{"Apim-Request-Id": {"azure"}}, "azure"},
	}
	for _, tt := range tests {
		if got := classify.Classify(500, tt.header, anthropic).RequestID; got != tt.want {
			t.Errorf("%v: %q, want %q", tt.header, got, tt.want)
		}
	}
}

// TestStatusOnlyAllocs pins the status-only path at zero allocations.
func TestStatusOnlyAllocs(t *testing.T) {
	h := http.Header{"Retry-After": {"3"}, "X-Request-Id": {"req_1"}}
	if n := testing.AllocsPerRun(100, func() { classify.Classify(503, nil, nil) }); n != 0 {
		t.Errorf("status only: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { classify.Classify(429, h, nil) }); n != 0 {
		t.Errorf("status and headers: %v allocations, want 0", n)
	}
}

// TestTypicalBodyAllocs pins a whole classification of each typical body
// at one allocation: the strings it returns, made at once.
func TestTypicalBodyAllocs(t *testing.T) {
	for _, bb := range benchBodies {
		body := []byte(bb.body)
		h := http.Header{"Content-Type": {bb.ct}}
		if n := testing.AllocsPerRun(100, func() { classify.Classify(bb.status, h, body) }); n > 1 {
			t.Errorf("%s: %v allocations, want at most 1", bb.name, n)
		}
	}
}

func TestErrorsIs(t *testing.T) {
	r := classify.Classify(429, nil, []byte(`{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`))
	err := fmt.Errorf("calling the model: %w", fmt.Errorf("middleware: %w", r.Err()))
	if !errors.Is(err, classify.ErrRateLimited) {
		t.Error("errors.Is(err, ErrRateLimited) = false through two wraps")
	}
	if errors.Is(err, classify.ErrTimeout) || errors.Is(err, classify.ErrQuotaExceeded) {
		t.Error("errors.Is matched another category")
	}
	if classify.Sentinel(catalog.RateLimited) != classify.ErrRateLimited {
		t.Error("Sentinel(RateLimited) != ErrRateLimited")
	}
	got, ok := classify.ResultOf(err)
	if !ok || got != r {
		t.Errorf("ResultOf = %v, %v", got, ok)
	}
	if classify.Classify(200, nil, nil).Err() != nil {
		t.Error("an OK result has a non-nil Err")
	}
	if !strings.HasPrefix(err.Error(), "calling the model: middleware: apierr: rate_limited (429, retryable)") {
		t.Errorf("Error() = %q", err.Error())
	}

	// A transport error keeps its own identity too.
	ctxErr := classify.Wrap(fmt.Errorf("post: %w", context.Canceled))
	if !errors.Is(ctxErr, classify.ErrCanceled) || !errors.Is(ctxErr, context.Canceled) {
		t.Errorf("Wrap lost an identity: %v", ctxErr)
	}
	if classify.Wrap(nil) != nil {
		t.Error("Wrap(nil) != nil")
	}
	if classify.Wrap(err) != err {
		t.Error("Wrap re-wrapped an *Error")
	}
}

// TestRedaction: String, Error and LogValue never show a key that the
// message carried.
func TestRedaction(t *testing.T) {
	const secret = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
	body := `{"error":{"message":"Incorrect API key provided: ` + secret + `. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`
	r := classify.Classify(401, http.Header{"X-Request-Id": {"req_42"}}, []byte(body))
	if !strings.Contains(r.Message, secret) {
		t.Fatal("Message must keep what the server said, for code to act on")
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Error("call failed", "result", r)
	for name, out := range map[string]string{"String": r.String(), "Error": r.Err().Error(), "LogValue": buf.String()} {
		if strings.Contains(out, "AbCdEfGh") || !strings.Contains(out, "sk-proj-***") {
			t.Errorf("%s leaks or loses the key: %s", name, out)
		}
	}
	for _, key := range []string{`"category":"authentication"`, `"retryable":false`, `"status":401`, `"code":"invalid_api_key"`, `"format":"openai"`, `"request_id":"req_42"`, `"rule":"authentication_code"`} {
		if !strings.Contains(buf.String(), key) {
			t.Errorf("log line lacks %s: %s", key, buf.String())
		}
	}
}

// TestResponse: Response reads at most the limit, leaves the body readable
// from the start, and classifies what it read.
func TestResponse(t *testing.T) {
	body := `{"error":{"message":"Overloaded","type":"overloaded_error"}}`
	closed := false
	resp := &http.Response{
		StatusCode: 529,
		Header:     http.Header{"Retry-After": {"2"}},
		Body:       &trackCloser{Reader: strings.NewReader(body), closed: &closed},
	}
	r, err := classify.Response(resp)
	if err != nil {
		t.Fatal(err)
	}
	if r.Category != catalog.Unavailable || r.RetryAfter != 2*time.Second || r.Message != "Overloaded" {
		t.Errorf("result %v", r)
	}
	again, _ := io.ReadAll(resp.Body)
	if string(again) != body {
		t.Errorf("body after Response = %q", again)
	}
	resp.Body.Close()
	if !closed {
		t.Error("closing the replayed body did not close the original")
	}

	if _, err := classify.Response(nil); err == nil {
		t.Error("Response(nil) did not fail")
	}
	r, err = classify.Response(&http.Response{StatusCode: 503, Body: http.NoBody})
	if err != nil || r.Category != catalog.Unavailable {
		t.Errorf("no body: %v %v", r, err)
	}
}

type trackCloser struct {
	io.Reader
	closed *bool
}

func (c *trackCloser) Close() error { *c.closed = true; return nil }

// endless yields an endless streamed body and counts what was read.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}

func (e *endless) Close() error { return nil }

// TestResponseHugeBody: a 1 GiB (here endless) streamed body is classified
// reading only the limit, with memory bounded by it.
func TestResponseHugeBody(t *testing.T) {
	for _, limit := range []int{0, 1024} {
		src := &endless{}
		c := classify.Classifier{MaxBodyBytes: limit}
		resp := &http.Response{StatusCode: 502, Body: src, ContentLength: -1} // streamed: length unknown
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := c.Response(resp)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		want := int64(limit)
		if limit == 0 {
			want = 64 << 10
		}
		// The read buffer (at most twice the limit when the length is
		// unknown), the parse buffer and the message: a few times the
		// limit, never the body's size.
		if alloc := int64(after.TotalAlloc - before.TotalAlloc); alloc > 4*want+64<<10 {
			t.Errorf("limit %d: allocated %d bytes", limit, alloc)
		}
		if src.n > want+32<<10 {
			t.Errorf("limit %d: read %d bytes of the body", limit, src.n)
		}
		if !r.Truncated || r.Category != catalog.Unavailable {
			t.Errorf("limit %d: %v truncated=%v", limit, r, r.Truncated)
		}
		if len(r.Message) > int(want) {
			t.Errorf("limit %d: message of %d bytes", limit, len(r.Message))
		}
	}
}

func TestResponseReadError(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Body: io.NopCloser(io.MultiReader(strings.NewReader("data: {"), errReader{}))}
	r, err := classify.Response(resp)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v", err)
	}
	_ = r
	resp = &http.Response{StatusCode: 200, Body: io.NopCloser(errReader{})}
	r, _ = classify.Response(resp)
	if r.Category != catalog.Network || !r.Retryable || r.Status != 200 {
		t.Errorf("nothing read: %v", r)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// TestConcurrentUse shares one Classifier, with user rules, between
// goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	c := &classify.Classifier{
		Rules: []catalog.Rule{{Name: "acme_busy", Contains: []string{"GPU busy"}, Category: catalog.Unavailable}},
		Now:   clock,
	}
	cases := loadReal(t)
	want := make([]classify.Result, len(cases))
	for i, rc := range cases {
		want[i] = c.Classify(rc.Status, rc.Header(), []byte(rc.Body))
	}
	done := make(chan error)
	for g := range 8 {
		go func() {
			for i := range cases {
				j := (i + g*17) % len(cases)
				if got := c.Classify(cases[j].Status, cases[j].Header(), []byte(cases[j].Body)); got != want[j] {
					done <- fmt.Errorf("%s: %v, want %v", cases[j].Name, got, want[j])
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestUserRuleAllocs: a user rule with upper-case patterns costs no
// allocation beyond the result's strings.
func TestUserRuleAllocs(t *testing.T) {
	c := classify.Classifier{Rules: []catalog.Rule{
		{Name: "acme_a", Contains: []string{"NO*SUCH*THING*HERE*AT*ALL"}, Category: catalog.Unavailable},
		{Name: "acme_b", Codes: []string{"ACME_BUSY"}, Category: catalog.Unavailable},
	}}
	body := []byte(`{"detail":"Incorrect API key provided"}`)
	if n := testing.AllocsPerRun(100, func() { c.Classify(401, nil, body) }); n > 1 {
		t.Errorf("%v allocations, want at most 1", n)
	}
	if r := c.Classify(401, nil, body); r.Rule != "authentication_message" {
		t.Errorf("rule %s", r.Rule)
	}
}

// sizedBody is a body of n bytes of 'x', read in chunks, that counts what
// was read.
type sizedBody struct{ n, read int }

func (s *sizedBody) Read(p []byte) (int, error) {
	if s.read >= s.n {
		return 0, io.EOF
	}
	k := min(len(p), s.n-s.read)
	for i := range p[:k] {
		p[i] = 'x'
	}
	s.read += k
	return k, nil
}

func (s *sizedBody) Close() error { return nil }

// TestMaxBodyBytesAnyValue: no MaxBodyBytes panics or allocates the limit
// up front, whatever the Content-Length says; memory follows the body.
func TestMaxBodyBytesAnyValue(t *testing.T) {
	limits := []int{math.MinInt, -1, 0, 1, 2, 4 << 10, 64 << 10, 1 << 40, math.MaxInt - 1, math.MaxInt}
	lengths := []int64{-1, 0, 3, 1 << 20, math.MaxInt64}
	const size = 256 << 10 // the body
	for _, limit := range limits {
		for _, cl := range lengths {
			c := classify.Classifier{MaxBodyBytes: limit}
			src := &sizedBody{n: size}
			resp := &http.Response{StatusCode: 500, Body: src, ContentLength: cl}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, err := c.Response(resp)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatalf("limit %d, Content-Length %d: %v", limit, cl, err)
			}
			want := limit // what is read and parsed
			if limit <= 0 {
				want = 64 << 10
			}
			want = min(want, size)
			// A plain-text message is cut at parse.MaxTextMessage.
			if len(r.Message) != min(want, parse.MaxTextMessage) || r.Truncated != (want < size) {
				t.Errorf("limit %d, Content-Length %d: message of %d bytes, truncated %v; want %d bytes", limit, cl, len(r.Message), r.Truncated, want)
			}
			// The read buffer (its growth steps add up to about twice
			// the body), the parse buffer and the message.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(6*want+256<<10) {
				t.Errorf("limit %d, Content-Length %d: allocated %d bytes for a body of %d", limit, cl, alloc, size)
			}
			rest, _ := io.ReadAll(resp.Body)
			if len(rest) != size {
				t.Errorf("limit %d, Content-Length %d: the body replays %d bytes, want %d", limit, cl, len(rest), size)
			}
			wantMsg := "oops"
			if limit > 0 && limit < len(wantMsg) {
				wantMsg = wantMsg[:limit]
			}
			if r2 := c.Classify(500, nil, []byte("oops")); r2.Message != wantMsg {
				t.Errorf("limit %d: Classify message %q, want %q", limit, r2.Message, wantMsg)
			}
		}
	}
}

// TestUpstreamFromGateway checks that an OpenRouter error relaying its
// upstream's body is classified as the upstream's, and that the upstream's
// name is kept in the Result and in its log attributes.
func TestUpstreamFromGateway(t *testing.T) {
	body := `{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"{\"error\":{\"message\":\"Your account org-1 is suspended due to insufficient balance, please recharge your account or check your plan and billing details\",\"type\":\"exceeded_current_quota_error\"}}","provider_name":"Moonshot AI"}}}`
	r := classify.Classify(429, nil, []byte(body))
	want := struct {
		Category  catalog.Category
		Retryable bool
		Upstream  string
		Type      string
	}{catalog.QuotaExceeded, false, "Moonshot AI", "exceeded_current_quota_error"}
	got := want
	got.Category, got.Retryable, got.Upstream, got.Type = r.Category, r.Retryable, r.Upstream, r.Type
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("relayed upstream error (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.LogValue().String(), classify.KeyUpstream+"=Moonshot AI") {
		t.Errorf("LogValue %v has no %s attribute", r.LogValue(), classify.KeyUpstream)
	}
}

// TestPermanentRule checks Rule.Permanent: a matching rule so marked makes
// a retryable category not retryable, for a user rule and for the
// catalog's own (Ollama's out of memory), and leaves other rules alone.
func TestPermanentRule(t *testing.T) {
	user := classify.Classifier{Rules: []catalog.Rule{{
		Name: "acme_disk_full", Statuses: []int{503}, Contains: []string{"disk full"},
		Category: catalog.Unavailable, Permanent: true,
	}}}
	tests := []struct {
		name      string
		cl        classify.Classifier
		status    int
		body      string
		category  string
		retryable bool
		rule      string
	}{
		{"user rule", user, 503, `{"error":"disk full"}`, "unavailable", false, "acme_disk_full"},
		{"user rule not matching", user, 503, `{"error":"busy"}`, "unavailable", true, "status"},
		{"built-in", classify.Classifier{}, 500, `{"error":"model requires more system memory (63.6 GiB) than is available (18.9 GiB)"}`, "server_error", false, "resource_limit_message"},
		{"built-in other 500", classify.Classifier{}, 500, `{"error":"llama runner crashed"}`, "server_error", true, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.cl.Classify(tt.status, nil, []byte(tt.body))
			got := []any{r.Category.String(), r.Retryable, r.Rule}
			want := []any{tt.category, tt.retryable, tt.rule}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("[category retryable rule] (-want +got):\n%s", diff)
			}
		})
	}
}
