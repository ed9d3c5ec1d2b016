package parse_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/parse"
)

// TestGateway checks the gateways' wrappings: LiteLLM's exception prefixes
// and routing suffixes, a JSON body after a prefix, Portkey's provider
// prefix (only beside a matching "provider" key), and the relays named by
// their error type.
func TestGateway(t *testing.T) {
	tests := []struct {
		name, body   string
		gateway, msg string
		typ, code    string
		format       parse.Format
	}{
		{
			name:    "litellm exception and error class",
			body:    `{"error":{"message":"litellm.RateLimitError: RateLimitError: OpenAIException - You exceeded your current quota.","type":"throttling_error","param":null,"code":"429"}}`,
			gateway: "litellm", msg: "You exceeded your current quota.", typ: "throttling_error", code: "429", format: parse.FormatOpenAI,
		},
		{
			name:    "litellm bedrock json after the prefix",
			body:    `{"error":{"message":"litellm.BadRequestError: BedrockException - {\"message\":\"Input is too long.\"}","type":"invalid_request_error","code":"400"}}`,
			gateway: "litellm", msg: "Input is too long.", typ: "invalid_request_error", code: "400", format: parse.FormatOpenAI,
		},
		{
			name:    "litellm routing suffixes",
			body:    `{"error":{"message":"litellm.BadRequestError: OpenAIException - Budget has been exceeded! Max budget: 100. Received Model Group=gpt-4o\nAvailable Model Group Fallbacks=None"}}`,
			gateway: "litellm", msg: "Budget has been exceeded! Max budget: 100.", format: parse.FormatOpenAI,
		},
		{
			name:    "litellm retries suffix",
			body:    `{"error":{"message":"litellm.RateLimitError: RateLimitError: OpenAIException - slow down. LiteLLM Retried: 2 times"}}`,
			gateway: "litellm", msg: "slow down.", format: parse.FormatOpenAI,
		},
		{
			name:    "litellm nested twice",
			body:    `{"error":{"message":"litellm.RateLimitError: RateLimitError: OpenAIException - litellm.RateLimitError: AnthropicException - busy"}}`,
			gateway: "litellm", msg: "busy", format: parse.FormatOpenAI,
		},
		{
			name:    "litellm prefix without a class keeps the text",
			body:    `{"error":{"message":"litellm.proxy is down"}}`,
			gateway: "litellm", msg: "litellm.proxy is down", format: parse.FormatOpenAI,
		},
		{
			name:    "portkey provider prefix",
			body:    `{"error":{"message":"anthropic error: Overloaded","type":"overloaded_error","param":null,"code":null},"provider":"anthropic"}`,
			gateway: "portkey", msg: "Overloaded", typ: "overloaded_error", format: parse.FormatOpenAI,
		},
		{
			name: "a provider-like prefix without the provider key stays",
			body: `{"error":{"message":"validation error: field x"}}`,
			msg:  "validation error: field x", format: parse.FormatOpenAI,
		},
		{
			name: "a provider key naming another provider",
			body: `{"error":{"message":"openai error: x"},"provider":"anthropic"}`,
			msg:  "openai error: x", format: parse.FormatOpenAI,
		},
		{
			name:    "one-api type",
			body:    `{"error":{"message":"无效的令牌 (request id: 1)","type":"one_api_error"}}`,
			gateway: "one-api", msg: "无效的令牌 (request id: 1)", typ: "one_api_error", format: parse.FormatOpenAI,
		},
		{
			name:    "new-api type",
			body:    `{"error":{"code":"model_not_found","message":"无可用渠道","type":"new_api_error"}}`,
			gateway: "new-api", msg: "无可用渠道", typ: "new_api_error", code: "model_not_found", format: parse.FormatOpenAI,
		},
		{
			name: "azure front door fragment: the h2",
			body: `<h2>Our services aren't available right now</h2><p>Please check back soon.</p>`,
			msg:  "Our services aren't available right now", format: parse.FormatHTML,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := "application/json"
			if tt.format == parse.FormatHTML {
				ct = "text/html"
			}
			e := parse.Parse(ct, []byte(tt.body))
			got := []string{e.Gateway, e.Message, e.Type, e.Code, string(e.Format)}
			want := []string{tt.gateway, tt.msg, tt.typ, tt.code, string(tt.format)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("[gateway message type code format] (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGatewayHostile feeds messages of many repeated gateway prefixes and
// deeply nested JSON after them: the result must come quickly, with the
// prefix removal and nested parsing bounded.
func TestGatewayHostile(t *testing.T) {
	bodies := map[string]string{
		"repeated litellm prefixes": `{"error":{"message":"` + strings.Repeat("litellm.X: ", 200000) + `end"}}`,
		"repeated exceptions":       `{"error":{"message":"litellm.X: ` + strings.Repeat("AException - ", 200000) + `end"}}`,
		"long identifier":           `{"error":{"message":"litellm.` + strings.Repeat("A", 1<<20) + `"}}`,
		"nested json":               `{"error":{"message":"litellm.X: AException - ` + strings.Repeat(`{\"message\":\"litellm.X: AException - `, 20000) + `"}}`,
		"provider keys":             `{"error":{"message":"abc error: x"}` + strings.Repeat(`,"provider":"abd"`, 100000) + `}`,
		"suffixes":                  `{"error":{"message":"litellm.X: AException - ` + strings.Repeat("Received Model Group=", 100000) + `"}}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			e := parse.Parser{MaxBytes: len(body) + 1}.Parse("application/json", []byte(body))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if e.Format != parse.FormatOpenAI {
				t.Errorf("Format %q", e.Format)
			}
		})
	}
}

// TestGatewayAllocs pins that a plain message pays no allocation for the
// gateway checks.
func TestGatewayAllocs(t *testing.T) {
	body := []byte(`{"error":{"message":"Rate limit reached for gpt-4o error: in organization org-x","type":"requests","code":"rate_limit_exceeded"}}`)
	base := testing.AllocsPerRun(50, func() { parse.Parse("application/json", body) })
	if base > 1 {
		t.Errorf("%v allocations per Parse; want at most 1 (the kept strings)", base)
	}
}
