package classify_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
)

// TestStatusEchoAndQuotaEvidence checks how a code that repeats the status,
// a 402, and quota words weigh against each other: the status echoed as a
// code decides nothing alone, a 402 stays billing under a rate-limit code,
// and a spent quota is a quota on every status but 429, where the words
// can mean a per-second quota.
func TestStatusEchoAndQuotaEvidence(t *testing.T) {
	type want struct {
		Category  catalog.Category
		Retryable bool
	}
	tests := []struct {
		name   string
		status int
		body   string
		want   want
	}{
		{"overload phrase beats the echoed 429", 429,
			`{"error":{"message":"model bge is currently overloaded","type":null,"param":null,"code":429}}`,
			want{catalog.Unavailable, true}},
		{"echoed 429 alone is the status's rate limit", 429,
			`{"error":{"message":"Too many requests","code":429}}`, want{catalog.RateLimited, true}},
		{"echoed 503 alone is the status's outage", 503, `{"error":{"message":"try later","code":"503"}}`,
			want{catalog.Unavailable, true}},
		{"a code that differs from the status still decides", 200, `{"status":429,"message":"slow down"}`,
			want{catalog.RateLimited, true}},
		{"rate-limit code on a 402 is billing", 402,
			`{"error":{"type":"rate_limit_error","message":"limit reached","code":"rate_limit_exceeded"}}`,
			want{catalog.QuotaExceeded, false}},
		{"cost cap with a rate-limit code", 429,
			`{"error":{"type":"rate_limit_error","message":"Weekly cost limit exceeded: $51 USD (limit: $50 USD)"}}`,
			want{catalog.QuotaExceeded, false}},
		{"quota spent on a 401", 401, `{"detail":"This request exceeds your quota of 10000."}`,
			want{catalog.QuotaExceeded, false}},
		{"quota exceeded on a 403", 403, `{"error": "Quota exceeded"}`, want{catalog.QuotaExceeded, false}},
		{"quota exceeded on a 429 stays a rate limit", 429, `{"message":"Tenant quota exceeded"}`,
			want{catalog.RateLimited, true}},
		{"a server's token limit is a context overflow", 422,
			`{"message":"Prompt sequence length is greater than 4096, perhaps consider using truncation?"}`,
			want{catalog.ContextLengthExceeded, false}},
		{"a prompt guard is a content filter", 400, `{"message":"Request contains prohibited content"}`,
			want{catalog.ContentFiltered, false}},
	}
	h := http.Header{"Content-Type": {"application/json"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := classify.Classify(tt.status, h, []byte(tt.body))
			got := want{r.Category, r.Retryable}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Classify(%d, %s) rule %s (-want +got):\n%s", tt.status, tt.body, r.Rule, diff)
			}
		})
	}
}
