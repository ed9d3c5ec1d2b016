package classify_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/classify"
)

// TestBodyRetryStatement: the body's own "retryable" and retry_after
// members are read on any status; x-should-retry, when present, wins; a
// delay above LongDelay turns the retry into a fallback, as any server
// delay does.
func TestBodyRetryStatement(t *testing.T) {
	type got struct {
		Category  string
		Retryable bool
		Action    string
		Scope     string
		Delay     time.Duration
		Source    string
		Rule      string
	}
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name   string
		status int
		h      http.Header
		body   string
		want   got
	}{
		{"530 states its own policy", 530, json,
			`{"title":"Error 1033: Cloudflare Tunnel error","status":530,"detail":"Cloudflare is currently unable to reach it.","error_name":"tunnel_error","retryable":true,"retry_after":120}`,
			got{"unavailable", true, "retry", "provider", 120 * time.Second, classify.SourceBody, "status"}},
		{"unknown 4xx made retryable", 418, json, `{"error":{"message":"teapot busy","retryable":true,"retry_after":2}}`,
			got{"invalid_request", true, "retry", "request", 2 * time.Second, classify.SourceBody, "status_class,body_retryable"}},
		{"5xx made permanent", 500, json, `{"error":{"message":"bad input shape","retryable":false}}`,
			got{"server_error", false, "fallback", "request", 0, "", "status,body_retryable"}},
		{"header wins over body", 500, http.Header{"Content-Type": {"application/json"}, "X-Should-Retry": {"true"}},
			`{"error":{"message":"x","retryable":false}}`,
			got{"server_error", true, "retry", "request", 0, "", "status"}},
		{"long body delay falls back", 503, json, `{"error":{"message":"maintenance","retryable":true,"retry_after":3600}}`,
			got{"unavailable", true, "fallback", "model", time.Hour, classify.SourceBody, "status"}},
		// Gemini's spent prepayment (real/round17_providers.json,
		// gemini/prepayment_credits_depleted_429) has no RetryInfo: it is
		// a quota. The same words with a RetryInfo are Google saying that
		// the call can be made again after the delay: a rate limit.
		{"spent credits without RetryInfo", 429, json,
			`{"error":{"code":429,"message":"Your prepayment credits are depleted.","status":"RESOURCE_EXHAUSTED"}}`,
			got{"quota_exceeded", false, "fallback", "account", 0, "", "resource_exhausted_credits"}},
		{"RetryInfo outranks spent credits", 429, json,
			`{"error":{"code":429,"message":"Your prepayment credits are depleted.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}`,
			got{"rate_limited", true, "retry", "model", 26 * time.Second, classify.SourceRetryInfo, "resource_exhausted_code"}},
		{"header delay first", 429, http.Header{"Content-Type": {"application/json"}, "Retry-After": {"3"}},
			`{"error":{"message":"slow down","retry_after":60}}`,
			got{"rate_limited", true, "retry", "model", 3 * time.Second, classify.SourceRetryAfter, "rate_limit_message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := classify.Classify(tt.status, tt.h, []byte(tt.body))
			g := got{r.Category.String(), r.Retryable, r.Action.String(), r.Scope.String(), r.RetryAfter, r.RetryAfterSource, r.Rule}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestFramesIn200: a 200 body that carries an error frame (a status member
// with a non-zero code, a numeric status of failure) is a failure; a 200
// whose code says success is not.
func TestFramesIn200(t *testing.T) {
	type got struct {
		OK        bool
		Category  string
		Retryable bool
		Code      string
	}
	tests := []struct {
		name string
		body string
		want got
	}{
		{"balance in base_resp", `{"base_resp":{"status_code":1008,"status_msg":"insufficient balance"}}`,
			got{false, "quota_exceeded", false, "1008"}},
		{"rate limit in a status member", `{"status":429,"message":"Too many requests"}`,
			got{false, "rate_limited", true, "429"}},
		{"filter in a header frame", `{"header":{"code":10013,"message":"input contains sensitive content","sid":"x","status":2}}`,
			got{false, "content_filtered", false, "10013"}},
		// Alibaba Cloud Model Studio's WebSocket "task-failed" event
		// (help.aliyun.com/document_detail/2869339.html): the header's
		// error_code and error_message; "task-finished" is none.
		{"task-failed event", `{"header":{"task_id":"2bf83b9a-baeb-4fda-8d9a-xxxxxxxxxxxx","event":"task-failed","error_code":"CLIENT_ERROR","error_message":"request timeout after 23 seconds.","attributes":{}},"payload":{}}`,
			got{false, "timeout", true, "CLIENT_ERROR"}},
		{"task-finished event", `{"header":{"task_id":"2bf83b9a-baeb-4fda-8d9a-xxxxxxxxxxxx","event":"task-finished","attributes":{}},"payload":{"output":{},"usage":null}}`,
			got{true, "unknown", false, ""}},
		{"success code", `{"code":0,"message":"success","data":{"answer":"hi"}}`,
			got{true, "unknown", false, "0"}},
		{"success frame", `{"choices":[{"message":{"content":"hi"}}],"base_resp":{"status_code":0,"status_msg":""}}`,
			got{true, "unknown", false, ""}},
		// Voysis's WebSocket response envelope (round 29): its
		// responseCode is the status the error would have had.
		{"responseCode of failure", `{"type": "response", "requestId": "1", "responseCode": 500, "responseMessage": "Internal Server Error"}`,
			got{false, "server_error", true, "500"}},
		{"responseCode of success", `{"type": "response", "requestId": "1", "responseCode": 200, "responseMessage": "OK"}`,
			got{true, "unknown", false, "200"}},
		{"string zeros of success", `{"code":"0000","msg":"success","data":{}}`,
			got{true, "unknown", false, "0000"}},
		// FunSpeech's status counted as Alibaba Cloud's speech gateway
		// counts it (round 32): the words say what failed.
		{"eight-digit status of failure", `{"task_id":"d07f","result":"","status":40000002,"message":"音频文件太大，最大支持100MB"}`,
			got{false, "request_too_large", false, "40000002"}},
		{"eight-digit status of success", `{"task_id":"x","result":"hello","status":20000000,"message":"SUCCESS"}`,
			got{true, "unknown", false, ""}},
		{"code name alone in a 200", `{"code":"out_of_credits"}`,
			got{true, "unknown", false, "out_of_credits"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := classify.Classify(200, http.Header{"Content-Type": {"application/json"}}, []byte(tt.body))
			g := got{r.OK, r.Category.String(), r.Retryable, r.Code}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
