// Package hostile builds the inputs that the time bounds of classify and
// parse are measured and tested on (issue 8): inputs a hostile server or
// proxy could send to make a classifier slow. classify's tests and
// benchmarks and the fastjson comparison in internal/benchcmp share them,
// so that every figure is measured on the same bytes.
//
// Test kit: only _test.go files import it.
package hostile

import (
	"net/http"
	"strings"
)

// Sizes are the sizes each input is timed at, each double the one before.
var Sizes = []int{8 << 10, 16 << 10, 32 << 10, 64 << 10}

// Input is an input built to cost a classifier time: long digit runs in
// every delay source, repeated trigger words, near-misses of the message
// patterns, junk, deep nesting, JSON in strings. make builds it at about n
// bytes (the body, or the header value for the header inputs).
type Input struct {
	// Name says what the input is.
	Name string
	// Make builds the input at about n bytes: the body, or the header
	// value for the inputs that are headers.
	Make func(n int) (status int, h http.Header, body []byte)
}

// fill repeats unit to n bytes, cutting the last repetition.
func fill(unit string, n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(unit, n/len(unit)+1)[:n]
}

// jsonMsg is an OpenAI-style error body around msg (which must need no
// escaping) with the given code, padded to n bytes by msg's filler.
func jsonMsg(code, head, filler, tail string, n int) []byte {
	pre := `{"error":{"message":"` + head
	post := tail + `","type":"requests","param":null,"code":"` + code + `"}}`
	return []byte(pre + fill(filler, n-len(pre)-len(post)) + post)
}

func textPlain() http.Header { return http.Header{"Content-Type": {"text/plain"}} }

// Inputs are the acceptance set of issue 8, in the order of the README's
// table.
var Inputs = []Input{
	{"junk_500_text", func(n int) (int, http.Header, []byte) {
		return 500, textPlain(), []byte(fill("2026-12-04 19:11:49 ERROR worker-3 handler panicked: runtime error: index out of range [3] with length 3 at main.go:42\n", n))
	}},
	{"stack_trace_500", func(n int) (int, http.Header, []byte) {
		return 500, textPlain(), []byte("Traceback (most recent call last):\n" + fill("  File \"/srv/app/handlers.py\", line 212, in generate\n    out = model.forward(batch, max_new_tokens=cfg.max_tokens)\n", n-35))
	}},
	{"random_bytes_502", func(n int) (int, http.Header, []byte) {
		b := make([]byte, n)
		x := uint32(2463534242)
		for i := range b {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b[i] = byte(x)
		}
		b[0] = 'x' // not JSON, not markup
		return 502, nil, b
	}},
	{"frac_zeros_message_429", func(n int) (int, http.Header, []byte) {
		return 429, textPlain(), []byte("Rate limit reached. Please try again in 0." + fill("0", n-44) + "1s")
	}},
	{"digits_message_429", func(n int) (int, http.Header, []byte) {
		return 429, nil, jsonMsg("rate_limit_exceeded", "Please try again in ", "9", "s", n)
	}},
	{"frac_zeros_reset_header", func(n int) (int, http.Header, []byte) {
		return 429, http.Header{"X-Ratelimit-Reset-Requests": {"0." + fill("0", n-3) + "1s"}, "X-Ratelimit-Remaining-Requests": {"0"}}, nil
	}},
	{"digits_reset_header", func(n int) (int, http.Header, []byte) {
		return 429, http.Header{"X-Ratelimit-Reset-Tokens": {fill("9", n-1) + "s"}, "X-Ratelimit-Reset": {fill("7", n)}}, nil
	}},
	{"digits_retry_after", func(n int) (int, http.Header, []byte) {
		return 429, http.Header{"Retry-After": {fill("9", n)}}, nil
	}},
	{"frac_retry_after_ms", func(n int) (int, http.Header, []byte) {
		return 429, http.Header{"Retry-After-Ms": {"1." + fill("3", n-2)}}, nil
	}},
	{"digits_retry_info", func(n int) (int, http.Header, []byte) {
		pre := `{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"`
		post := `s"}]}}`
		return 429, nil, []byte(pre + fill("8", n-len(pre)-len(post)) + post)
	}},
	{"digits_estimated_time", func(n int) (int, http.Header, []byte) {
		pre := `{"error":"Model x is currently loading","estimated_time":0.`
		return 503, nil, []byte(pre + fill("0", n-len(pre)-2) + "1}")
	}},
	{"try_repeated_code_decides", func(n int) (int, http.Header, []byte) {
		return 429, nil, jsonMsg("rate_limit_exceeded", "", "try ", "", n)
	}},
	{"TrY_mixed_case_code_decides", func(n int) (int, http.Header, []byte) {
		return 429, nil, jsonMsg("rate_limit_exceeded", "", "TrY again in x ", "", n)
	}},
	{"wait_repeated_text", func(n int) (int, http.Header, []byte) {
		return 503, textPlain(), []byte(fill("please wait 5 ", n))
	}},
	{"retry_after_repeated", func(n int) (int, http.Header, []byte) {
		return 429, textPlain(), []byte(fill("Retry after 1 Retry after  ", n))
	}},
	{"near_miss_context", func(n int) (int, http.Header, []byte) {
		return 400, textPlain(), []byte(fill("maximum context lengtx; context lengtx context_lengtx context windox prompt is too lonx input token count exceedx maximum sequence lengtx reduce the length of the messagex ", n))
	}},
	{"near_miss_billing", func(n int) (int, http.Header, []byte) {
		return 402, textPlain(), []byte(fill("exceeded your current quotx check your plan and billinx credit balancx insufficient crediz out of creditz billing hard limiz spending limiz ", n))
	}},
	{"near_miss_model", func(n int) (int, http.Header, []byte) {
		return 400, textPlain(), []byte(fill("modex does not exist; unknown modex no such modex invalid modex deployment for this resource does not exisx try pulling it firsx ", n))
	}},
	{"near_miss_model_first_fragment", func(n int) (int, http.Header, []byte) {
		// "model*does not exist": the first fragment everywhere, the second
		// nowhere.
		return 400, textPlain(), []byte(fill("model model deployment model ", n))
	}},
	{"near_miss_rate_limit", func(n int) (int, http.Header, []byte) {
		return 400, textPlain(), []byte(fill("rate limiz rate-limiz ratelimiz too many requestz requests per miz tokens per miz throttx request limiz per minutx per houx per daz ", n))
	}},
	{"near_miss_overloaded_timeout", func(n int) (int, http.Header, []byte) {
		return 500, textPlain(), []byte(fill("overloadex currently loadinx temporarily unavailablx service unavailablx at capacitx timed ouz timeouz deadline exceedex internal server errox ", n))
	}},
	{"near_miss_auth_permission", func(n int) (int, http.Header, []byte) {
		return 401, textPlain(), []byte(fill("invalid api kez incorrect api kez api key not valix invalid tokex not authenticatex organization has been disablex does not have accesz ", n))
	}},
	{"near_miss_filter", func(n int) (int, http.Header, []byte) {
		return 400, textPlain(), []byte(fill("content management policz content policz safety systex usage policiez content filtex moderatiox violates ouz ", n))
	}},
	{"deep_nesting_arrays", func(n int) (int, http.Header, []byte) {
		return 400, nil, []byte(fill("[", n))
	}},
	{"deep_nesting_objects", func(n int) (int, http.Header, []byte) {
		return 400, nil, []byte(fill(`{"error":`, n))
	}},
	{"json_in_string_in_string", func(n int) (int, http.Header, []byte) {
		// {"error":{"message":"{\"error\":{\"message\":\"{\\\"error\\\"...
		s, q := "x", `"`
		for len(s) < n {
			s = `{"error":{"message":` + q + strings.ReplaceAll(s, q, `\`+q) + q + `}}`
			if len(s) > 4*n {
				break
			}
		}
		return 500, nil, []byte(s)
	}},
	{"embedded_braces_text", func(n int) (int, http.Header, []byte) {
		return 500, textPlain(), []byte(fill(`upstream said { "error {'x {"`, n))
	}},
	{"sse_many_events", func(n int) (int, http.Header, []byte) {
		return 200, http.Header{"Content-Type": {"text/event-stream"}}, []byte(fill("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n", n))
	}},
	{"wrapped_error_words", func(n int) (int, http.Header, []byte) {
		// A 200 whose envelopes, lists and items say "error" but hold
		// none: the parser looks two levels down for a wrapped error (in a
		// list only when it has one element).
		body := `{"items":[` + fill(`{"result":{"meta":{"note":"\"error\" is null","error":null}}},`, n-30) + `{}]}`
		return 200, nil, []byte(body)
	}},
	{"wrapped_error_members", func(n int) (int, http.Header, []byte) {
		// The same in members of an envelope: each is read as a body.
		body := `{"data_set":{` + fill(`"m":{"r":{"error":null,"x":[{"error":0}]}},`, n-30) + `"z":{}}}`
		return 200, nil, []byte(body)
	}},
	{"ndjson_many_lines", func(n int) (int, http.Header, []byte) {
		// A clean newline-delimited stream (Ollama's): every line is read.
		return 200, http.Header{"Content-Type": {"application/x-ndjson"}}, []byte(fill("{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"done\":false}\n", n))
	}},
	{"html_page_long", func(n int) (int, http.Header, []byte) {
		return 502, http.Header{"Content-Type": {"text/html"}}, []byte("<html><head><title>502 Bad Gateway</title></head><body>" + fill("<p>nginx upstream error &amp; more</p>", n-60) + "</body></html>")
	}},
}

// Texts are messages built to cost a credential redactor time (issue 18):
// near misses of every recogniser repeated (key prefixes with short
// bodies, field names with assignments and no value, Authorization and
// Cookie headers, armor BEGIN lines without an END, escapes and
// percent-encoding, bot-token and Telegram shapes), long runs that are
// almost keys, and invalid UTF-8. Make builds the text at n bytes.
var Texts = []struct {
	// Name says what the text is.
	Name string
	// Make builds the text at n bytes.
	Make func(n int) string
}{
	{"prefix_near_misses", func(n int) string {
		return fill("sk-ab xai-1 gsk_a hf_ AIza1 ghp_x dapi1 xoxb- SG.a sk_ AKIA1 eyJ1 ", n)
	}},
	{"glued_prefixes", func(n int) string { return fill("xsk-abcdefghijklmnoxghp_abcdefghijklm", n) }},
	{"field_assignments", func(n int) string { return fill(`api_key= token: "" password=null secret: x key%3D `, n) }},
	{"credential_words", func(n int) string { return fill("key token secret password credential key: ", n) }},
	{"authorization_headers", func(n int) string { return fill("Authorization: Bearer Authorization: Digest a= Authorization: ", n) }},
	{"cookie_headers", func(n int) string { return fill("Cookie: a=; b=; c=;Set-Cookie: =; ", n) }},
	{"armor_without_end", func(n int) string { return fill("-----BEGIN PRIVATE KEY-----\nMIIE\n", n) }},
	{"armor_public", func(n int) string { return fill("-----BEGIN PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----\n", n) }},
	{"escapes", func(n int) string { return fill(`\\\\\\\"\n\u0022\u200b%3D%2F%E2%80%8B&shy;`, n) }},
	{"schemes_userinfo", func(n int) string { return fill("https://a:b/c postgres://u: redis://:@ ://a:b", n) }},
	{"almost_keys", func(n int) string { return fill("aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1x", n) }},
	{"model_names", func(n int) string { return fill("Mixtral-8x7B-Instruct-v0.1/claude-3-5-sonnet-20241022-", n) }},
	{"bot_token_shape", func(n int) string { return fill("MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.", n) }},
	{"telegram_shape", func(n int) string { return fill("1234567890:AA123456789:", n) }},
	{"hex_runs", func(n int) string { return fill("0123456789abcdef", n) }},
	{"invalid_utf8", func(n int) string { return fill("\xff\xfe\xc3 key=\xe2\x80", n) }},
}
