package otelapierr_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	ooption "github.com/openai/openai-go/v3/option"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"github.com/apierr/apierr/adapters/anthropicsdk"
	"github.com/apierr/apierr/adapters/openaigo"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/otelapierr"
)

// Bodies of successful calls, as the providers document them.
const (
	// anthropicMessage: the Messages API reference's response example
	// (https://docs.anthropic.com/en/api/messages).
	anthropicMessage = `{"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"Hi! My name is Claude."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":2095,"output_tokens":503}}`
	// The Messages streaming documentation's "Basic streaming request"
	// example (https://docs.anthropic.com/en/api/messages-streaming).
	messageStart = "event: message_start\n" +
		`data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-opus-4-6", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}` + "\n\n"
	blockStart = "event: content_block_start\n" +
		`data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}` + "\n\n"
	textDelta = "event: content_block_delta\n" +
		`data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}` + "\n\n"
	blockStop    = "event: content_block_stop\n" + `data: {"type": "content_block_stop", "index": 0}` + "\n\n"
	messageDelta = "event: message_delta\n" +
		`data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}` + "\n\n"
	messageStop = "event: message_stop\n" + `data: {"type": "message_stop"}` + "\n\n"
)

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

var anthropicParams = anthropic.MessageNewParams{
	Model:     anthropic.Model("claude-opus-4-6"),
	MaxTokens: 64,
	Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Say hello"))},
}

var openaiParams = openai.ChatCompletionNewParams{
	Model:    openai.ChatModel("gpt-4o-mini"),
	Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say hello")},
}

// sdkScenario is a scenario through an SDK: stream says the call streams.
type sdkScenario struct {
	scenario
	stream bool
}

func openaiScenarios() []sdkScenario {
	rate := failure{"rate_limited", "retry", "model", "rate_limit_code", "rate_limit_exceeded", "requests"}
	over := failure{"unavailable", "retry", "model", "overloaded_message", "", "server_error"}
	quota := failure{"quota_exceeded", "fallback", "account", "quota_code", "insufficient_quota", "insufficient_quota"}
	reset := failure{"network", "retry", "provider", "unexpected_eof", "", ""}
	streamOver := failure{"unavailable", "retry", "model", "overloaded_message", "", "server_error"}
	ok := sdktest.Step{Header: jsonHeader, Body: okJSON}
	steps := func(s ...any) func(testing.TB) []sdktest.Step {
		return func(t testing.TB) []sdktest.Step {
			var out []sdktest.Step
			for _, x := range s {
				switch x := x.(type) {
				case string:
					out = append(out, sdktest.Reply(t, x, nil))
				case sdktest.Step:
					out = append(out, x)
				}
			}
			return out
		}
	}
	return []sdkScenario{
		{scenario: scenario{name: "429 Retry-After then 200", steps: func(t testing.TB) []sdktest.Step {
			return []sdktest.Step{sdktest.Reply(t, "openai/rate_limit_rpm_seconds", http.Header{"Retry-After": {"20"}}), ok}
		}, failures: []failure{rate}, statuses: []string{"429", "200"}, sources: []string{"server"}}},
		{scenario: scenario{name: "503 503 200", steps: steps("openai/model_overloaded_503", "openai/model_overloaded_503", ok),
			failures: []failure{over, over}, statuses: []string{"503", "503", "200"}, sources: []string{"schedule", "schedule"}}},
		{scenario: scenario{name: "error chunk in a 200 stream before any token, then 200", steps: func(t testing.TB) []sdktest.Step {
			return []sdktest.Step{{Events: []string{sdktest.Case(t, "openai/stream_error_chunk_overloaded").Body}}, {Events: []string{tokens}}}
		}, failures: []failure{streamOver}, statuses: []string{"200", "200"}, sources: []string{"schedule"}}, stream: true},
		{scenario: scenario{name: "insufficient quota, no retry", steps: steps("openai/insufficient_quota"),
			failures: []failure{quota}, statuses: []string{"429"}, final: "not_retryable"}},
		{scenario: scenario{name: "connection reset then 200", steps: steps(sdktest.Step{Reset: true}, ok),
			failures: []failure{reset}, statuses: []string{"", "200"}, sources: []string{"schedule"}}},
	}
}

// TestOpenAIGo runs the scenarios through openai-go with the adapter's
// WithRetries and otelhttp under the retrying transport: openai-go opens
// no span, so the caller's span is the call's.
func TestOpenAIGo(t *testing.T) {
	for _, sc := range openaiScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t, otelapierr.Config{})
			srv := sdktest.New(t, sc.steps(t)...)
			base := otelhttp.NewTransport(srv.Client().Transport, otelhttp.WithTracerProvider(h.tel.TracerProvider()))
			call := func(ctx context.Context, client *http.Client, url string) error {
				c := openai.NewClient(ooption.WithBaseURL(url), ooption.WithAPIKey("sk-test"), openaigo.WithRetries(client))
				if sc.stream {
					s := c.Chat.Completions.NewStreaming(ctx, openaiParams)
					for s.Next() {
					}
					return s.Err()
				}
				_, err := c.Chat.Completions.New(ctx, openaiParams)
				return err
			}
			runScenario(t, run{h: h, sc: sc.scenario, base: base, attemptSpan: "HTTP POST", srv: srv, call: call, errOnFailure: true})
		})
	}
}

func anthropicScenarios() []sdkScenario {
	rate := failure{"rate_limited", "retry", "model", "rate_limit_code", "", "rate_limit_error"}
	over := failure{"unavailable", "retry", "model", "overloaded_code", "", "overloaded_error"}
	credit := failure{"quota_exceeded", "fallback", "account", "credit_balance_message", "", "invalid_request_error"}
	reset := failure{"network", "retry", "provider", "unexpected_eof", "", ""}
	ok := sdktest.Step{Header: jsonHeader, Body: anthropicMessage}
	okStream := sdktest.Step{Events: []string{messageStart, blockStart, textDelta, blockStop, messageDelta, messageStop}}
	return []sdkScenario{
		{scenario: scenario{name: "429 Retry-After then 200", steps: func(t testing.TB) []sdktest.Step {
			return []sdktest.Step{sdktest.Reply(t, "anthropic/rate_limit_error", http.Header{"Retry-After": {"20"}}), ok}
		}, failures: []failure{rate}, statuses: []string{"429", "200"}, sources: []string{"server"}}},
		{scenario: scenario{name: "529 529 200", steps: func(t testing.TB) []sdktest.Step {
			return []sdktest.Step{sdktest.Reply(t, "anthropic/overloaded_529", nil), sdktest.Reply(t, "anthropic/overloaded_529", nil), ok}
		}, failures: []failure{over, over}, statuses: []string{"529", "529", "200"}, sources: []string{"schedule", "schedule"}}},
		{scenario: scenario{name: "error event in a 200 stream before any token, then 200", steps: func(t testing.TB) []sdktest.Step {
			return []sdktest.Step{{Events: []string{sdktest.Case(t, "anthropic/stream_error_event_overloaded").Body}}, okStream}
		}, failures: []failure{over}, statuses: []string{"200", "200"}, sources: []string{"schedule"}}, stream: true},
		{scenario: scenario{name: "credit balance too low, no retry", steps: func(t testing.TB) []sdktest.Step {
			return []sdktest.Step{sdktest.Reply(t, "anthropic/credit_balance_too_low", nil)}
		}, failures: []failure{credit}, statuses: []string{"400"}, final: "not_retryable"}},
		{scenario: scenario{name: "connection reset then 200", steps: func(testing.TB) []sdktest.Step { return []sdktest.Step{{Reset: true}, ok} },
			failures: []failure{reset}, statuses: []string{"", "200"}, sources: []string{"schedule"}}},
	}
}

// TestAnthropicSDK runs the scenarios through anthropic-sdk-go with the
// adapter's WithRetries and otelhttp under the retrying transport. The
// SDK opens its own span of the call, with its retries off; the events
// and the resend count land on it, and the attempt spans are its
// children.
func TestAnthropicSDK(t *testing.T) {
	for _, sc := range anthropicScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t, otelapierr.Config{})
			srv := sdktest.New(t, sc.steps(t)...)
			base := otelhttp.NewTransport(srv.Client().Transport, otelhttp.WithTracerProvider(h.tel.TracerProvider()))
			call := func(ctx context.Context, client *http.Client, url string) error {
				c := anthropic.NewClient(aoption.WithBaseURL(url), aoption.WithAPIKey("sk-ant-test"),
					anthropicsdk.WithRetries(client), aoption.WithTracerProvider(h.tp))
				if sc.stream {
					s := c.Messages.NewStreaming(ctx, anthropicParams)
					for s.Next() {
					}
					return s.Err()
				}
				_, err := c.Messages.New(ctx, anthropicParams)
				return err
			}
			runScenario(t, run{h: h, sc: sc.scenario, base: base, attemptSpan: "HTTP POST", sdkSpan: "anthropic.messages.create", srv: srv, call: call, errOnFailure: true})
		})
	}
}
