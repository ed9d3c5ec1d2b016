package classify

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadRateLimits(t *testing.T) {
	now := time.Date(2025, 8, 21, 12, 40, 30, 0, time.UTC)
	none := Window{Limit: -1, Remaining: -1, Reset: -1}
	with := func(ws map[WindowKind]Window) RateLimits {
		var r RateLimits
		for i := range r.Windows {
			r.Windows[i] = none
		}
		for k, w := range ws {
			r.Windows[k] = w
		}
		return r
	}
	tests := []struct {
		name string
		h    http.Header
		want RateLimits
	}{
		{"none", http.Header{"Content-Type": {"application/json"}}, with(nil)},
		{
			// Headers of a real OpenAI response pasted in
			// https://community.openai.com/t/how-to-get-rate-limit-reset-time-for-response-api/1268905
			"openai",
			http.Header{
				"X-Ratelimit-Limit-Requests": {"5000"}, "X-Ratelimit-Limit-Tokens": {"160000"},
				"X-Ratelimit-Remaining-Requests": {"4999"}, "X-Ratelimit-Remaining-Tokens": {"159976"},
				"X-Ratelimit-Reset-Requests": {"12ms"}, "X-Ratelimit-Reset-Tokens": {"9ms"},
			},
			with(map[WindowKind]Window{
				WindowRequests: {5000, 4999, 12 * time.Millisecond, SourceXRateLimit},
				WindowTokens:   {160000, 159976, 9 * time.Millisecond, SourceXRateLimit},
			}),
		},
		{
			// A real Anthropic 200 response recorded in tidyllm's test
			// cassette tests/testthat/claude/api.anthropic.com/v1/messages-e050b5-POST.R
			// (https://rdrr.io/cran/tidyllm/), the reset an RFC 3339 time
			// (https://docs.anthropic.com/en/api/rate-limits).
			"anthropic",
			http.Header{
				"Anthropic-Ratelimit-Input-Tokens-Limit": {"80000"}, "Anthropic-Ratelimit-Input-Tokens-Remaining": {"80000"},
				"Anthropic-Ratelimit-Input-Tokens-Reset":  {"2025-08-21T12:40:59Z"},
				"Anthropic-Ratelimit-Output-Tokens-Limit": {"16000"}, "Anthropic-Ratelimit-Output-Tokens-Remaining": {"16000"},
				"Anthropic-Ratelimit-Output-Tokens-Reset": {"2025-08-21T12:41:00Z"},
				"Anthropic-Ratelimit-Requests-Limit":      {"1000"}, "Anthropic-Ratelimit-Requests-Remaining": {"999"},
				"Anthropic-Ratelimit-Requests-Reset": {"2025-08-21T12:40:59Z"},
				"Anthropic-Ratelimit-Tokens-Limit":   {"96000"}, "Anthropic-Ratelimit-Tokens-Remaining": {"96000"},
				"Anthropic-Ratelimit-Tokens-Reset": {"2025-08-21T12:40:59Z"},
			},
			with(map[WindowKind]Window{
				WindowRequests:     {1000, 999, 29 * time.Second, SourceAnthropicRateLimit},
				WindowTokens:       {96000, 96000, 29 * time.Second, SourceAnthropicRateLimit},
				WindowInputTokens:  {80000, 80000, 29 * time.Second, SourceAnthropicRateLimit},
				WindowOutputTokens: {16000, 16000, 30 * time.Second, SourceAnthropicRateLimit},
			}),
		},
		{
			// draft-ietf-httpapi-ratelimit-headers-06, the older trio, with
			// a policy appended to the limit as in its examples
			// (https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/06/).
			"ietf trio",
			http.Header{"Ratelimit-Limit": {"100, 100;w=60"}, "Ratelimit-Remaining": {"50"}, "Ratelimit-Reset": {"30"}},
			with(map[WindowKind]Window{WindowQuota: {100, 50, 30 * time.Second, SourceIETFRateLimit}}),
		},
		{
			// draft-ietf-httpapi-ratelimit-headers-10, structured fields
			// (https://www.ietf.org/archive/id/draft-ietf-httpapi-ratelimit-headers-10.txt).
			"ietf structured",
			http.Header{"Ratelimit": {`"default";r=50;t=30`}, "Ratelimit-Policy": {`"default";q=100;w=60`}},
			with(map[WindowKind]Window{WindowQuota: {100, 50, 30 * time.Second, SourceIETFRateLimit}}),
		},
		{
			"ietf structured, two policies, the tighter kept",
			http.Header{"Ratelimit": {`"hour";r=900;t=3000, "minute";r=3;t=20`}, "Ratelimit-Policy": {`"hour";q=1000;w=3600, "minute";q=60;w=60`}},
			with(map[WindowKind]Window{WindowQuota: {60, 3, 20 * time.Second, SourceIETFRateLimit}}),
		},
		{
			"garbage ignored",
			http.Header{"X-Ratelimit-Remaining-Requests": {"-3"}, "X-Ratelimit-Reset-Requests": {"soon"}, "Ratelimit": {`"x";r=abc`}},
			with(nil),
		},
		{
			"exhausted seed provider window",
			http.Header{"X-Ratelimit-Limit-Requests": {"20"}, "X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {"41s"}},
			with(map[WindowKind]Window{WindowRequests: {20, 0, 41 * time.Second, SourceXRateLimit}}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReadRateLimits(tt.h, now)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if !ReadRateLimits(tests[7].h, now).Windows[WindowRequests].Exhausted() {
		t.Error("exhausted window not reported")
	}
}

func TestReadRateLimitsAllocs(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Remaining-Requests": {"3"}, "X-Ratelimit-Reset-Requests": {"6m0s"}}
	now := time.Now()
	if n := testing.AllocsPerRun(100, func() { _ = ReadRateLimits(h, now) }); n != 0 {
		t.Errorf("ReadRateLimits allocates %v times, want 0", n)
	}
}

func FuzzReadRateLimits(f *testing.F) {
	f.Add("5000", "4999", "6m0s", `"default";r=50;t=30`, `"default";q=100;w=60`)
	f.Add("1000", "0", "2025-08-21T12:40:59Z", `a;r=1, b;r=0`, `a;q=1`)
	now := time.Date(2025, 8, 21, 12, 40, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, lim, rem, reset, rl, pol string) {
		h := http.Header{
			"X-Ratelimit-Limit-Requests": {lim}, "X-Ratelimit-Remaining-Requests": {rem}, "X-Ratelimit-Reset-Requests": {reset},
			"Anthropic-Ratelimit-Tokens-Reset": {reset}, "Ratelimit-Reset": {reset},
			"Ratelimit": {rl}, "Ratelimit-Policy": {pol},
		}
		r := ReadRateLimits(h, now)
		for _, w := range r.Windows {
			if w.Source == "" && (w.Limit != -1 || w.Remaining != -1 || w.Reset != -1) {
				t.Fatalf("unknown window with values: %+v", w)
			}
			if w.Limit < -1 || w.Remaining < -1 || w.Reset < -1 {
				t.Fatalf("negative value: %+v", w)
			}
		}
	})
}
