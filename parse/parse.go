// Package parse turns the body of an error response from an AI inference API
// into structured fields: the message, type, code and parameter the server
// reported, which shape the body had, and any delay the body asked for.
//
//	e := parse.Parse("application/json", body)
//	fmt.Println(e.Format, e.Message, e.Code)
//
// It recognises every shape that OpenAI-compatible servers, the large
// providers and the gateways in front of them are known to send (see
// [Format]), sniffs before parsing (an HTML 502 page never goes through the
// JSON scanner), and is tolerant: truncated or broken JSON still yields what
// it holds. It never panics, reads at most [Parser.MaxBytes] of a body, and
// bounds nesting, so bad input costs bounded time and memory.
//
// Parse does not know the status code; the classify package combines the
// fields with the status and headers into a decision.
package parse

import (
	"time"
)

// MaxTextMessage is the most of a plain-text body that becomes
// Error.Message: 8 KiB. A longer text (a stack trace, a log dump) is cut
// there, at a character boundary: its first lines say what happened, and
// copying and checking the rest would cost more than the whole
// classification of a typical JSON body. Messages from JSON, XML and other
// structured bodies are not cut.
const MaxTextMessage = 8 << 10

// cutText returns the first MaxTextMessage bytes of t, or fewer so as not
// to split a UTF-8 sequence.
func cutText(t []byte) []byte {
	if len(t) <= MaxTextMessage {
		return t
	}
	i := MaxTextMessage
	// Back up over at most three continuation bytes to the start of the
	// character that the cut would split.
	for k := 0; k < 3 && i > 0 && t[i]&0xC0 == 0x80; k++ {
		i--
	}
	return t[:i]
}

// DefaultMaxBytes is how much of a body Parse reads when Parser.MaxBytes is
// zero: 64 KiB, far more than any error body, far less than a runaway stream.
const DefaultMaxBytes = 64 << 10

// maxDepth bounds recursion: nested objects searched for a message, and JSON
// re-wrapped inside message strings.
const maxDepth = 8

// maxUnwrap bounds how many times a message that holds JSON is unwrapped.
const maxUnwrap = 4

// Format names the shape a body had. The values are a public contract (they
// appear in classification results and in the CLI's JSON output).
type Format string

// The formats Parse recognises.
const (
	// FormatEmpty: no body, or only white space.
	FormatEmpty Format = "empty"
	// FormatText: plain text; the message is the trimmed text.
	FormatText Format = "text"
	// FormatHTML: an HTML page (nginx, load balancers, Cloudflare); the
	// message is its <title>, else its first <h1>, else its first <h2>.
	FormatHTML Format = "html"
	// FormatXML: an XML error document with <Code> and <Message> elements.
	FormatXML Format = "xml"
	// FormatJSON: JSON of no known error shape; the message is the first
	// "message" string found in it, if any.
	FormatJSON Format = "json"
	// FormatOpenAI: {"error": {"message", "type", "param", "code"}}, also
	// used by Azure OpenAI, Groq, Mistral, DeepSeek, OpenRouter, newer vLLM;
	// also the first object of a JSON:API {"errors": [...]} list and
	// Apigee's {"fault": {"faultstring", "detail": {"errorcode"}}}.
	FormatOpenAI Format = "openai"
	// FormatAnthropic: {"type": "error", "error": {"type", "message"},
	// "request_id"}.
	FormatAnthropic Format = "anthropic"
	// FormatGoogle: google.rpc.Status, {"error": {"code", "message",
	// "status", "details"}}, also wrapped in a JSON array.
	FormatGoogle Format = "google"
	// FormatDetail: FastAPI's {"detail": "text"} or {"detail": {"error":
	// "text"}}.
	FormatDetail Format = "detail"
	// FormatValidation: FastAPI/pydantic {"detail": [{"loc", "msg",
	// "type"}]}; Issues holds the list.
	FormatValidation Format = "validation"
	// FormatErrorString: {"error": "text"}, with TGI's "error_type" or a
	// sibling "code" (xAI) when present. When "error" holds a code or a
	// class name and a "message", "detail" or "details" text is beside
	// it, that text is the message.
	FormatErrorString Format = "error_string"
	// FormatVLLM: vLLM's {"object": "error", "message", "type", "param",
	// "code"}.
	FormatVLLM Format = "vllm"
	// FormatMessage: a flat object with "message" or "Message" (AWS, Kong,
	// Cohere, Azure API Management) and optional "code", "error_code",
	// "__type" or "statusCode"; also a failure code beside "description",
	// "errmsg" or "text", and a task whose state says it failed
	// ({"data": {"task_status": "failed", "task_status_msg": ...}}).
	FormatMessage Format = "message"
	// FormatProblem: RFC 7807 problem details, {"title", "detail",
	// "status"}; the message is detail, else title; the code is an
	// "error_name" or "code" member.
	FormatProblem Format = "problem"
	// FormatSSE: a Server-Sent Events stream whose first error event
	// supplied the fields (an "error:" field outside the spec, as
	// llama.cpp's server wrote, counts as one), or a body sent as
	// text/event-stream that holds no event at all, only text: that text
	// is the error.
	FormatSSE Format = "sse"
	// FormatEventStream: an AWS event stream (Bedrock's ConverseStream and
	// InvokeModelWithResponseStream); an exception message in it supplied
	// the fields: Type is its :exception-type (or :error-code), Message
	// its payload's message (or :error-message).
	FormatEventStream Format = "eventstream"
	// FormatSafetyBlock: a successful-looking body whose content was
	// blocked: Gemini promptFeedback.blockReason or finishReason SAFETY,
	// OpenAI finish_reason content_filter, Anthropic stop_reason refusal.
	// Type is "safety_block" and Code the reason the body gave.
	FormatSafetyBlock Format = "safety_block"
	// FormatFrame: a body whose status member reports a failure, as
	// WebSocket-style and some RPC-style APIs send even on HTTP 200:
	// MiniMax's base_resp {status_code, status_msg}, iFlytek's header
	// {code, message}, an API gateway's header {resultCode, resultMessage}.
	// A non-zero code makes it an error; Code is that code.
	FormatFrame Format = "frame"
)

// TypeSafetyBlock is the Type that Parse reports for in-band safety blocks.
const TypeSafetyBlock = "safety_block"

// Delay sources that Parse reports in Error.RetryDelaySource.
const (
	// SourceRetryInfo: google.rpc.RetryInfo's retryDelay.
	SourceRetryInfo = "retry_info"
	// SourceEstimatedTime: Hugging Face's "estimated_time" for a loading
	// model.
	SourceEstimatedTime = "estimated_time"
	// SourceBody: the body's own statement of a delay: a retry_after (or
	// retryAfter, retry_after_seconds, retryAfterSeconds,
	// retry_after_secs) of seconds, a retry_after_ms (or retryAfterMs,
	// retry_after_millis, retryAfterMillis) of milliseconds, or a
	// retryDelay of seconds or a protobuf duration ("30s"), at the top
	// level or in the error object.
	SourceBody = "body"
)

// Issue is one item of a validation error list.
type Issue struct {
	// Loc is the location of the bad field, its parts joined with ".", such
	// as "body.messages.2.content".
	Loc string
	// Msg is the validator's message, such as "field required".
	Msg string
	// Type is the validator's error type, such as "missing".
	Type string
}

// Fields holds the fields found in one error body. The zero value means that
// nothing was found. Its strings are owned by the caller and are valid UTF-8
// with surrounding white space trimmed.
type Fields struct {
	// Format is the shape the body had.
	Format Format
	// Found reports that the body has the shape of an error on its own: an
	// error object, an SSE error event, an in-band safety block, an XML
	// error, or plain text that starts with "ERROR:" (in any case). A body
	// that is an error only because of its status (HTML, other text, a
	// bare {"message": ...}) leaves it false. A 2xx response is a failure
	// only when Found is true.
	Found bool
	// Message is the most specific human-readable message: for a message
	// that wraps another error body as JSON text, the innermost one.
	Message string
	// Type is the error's type, such as "invalid_request_error",
	// "RESOURCE_EXHAUSTED" (Google's status) or "ThrottlingException".
	Type string
	// Code is the error's code, such as "insufficient_quota" or, for Google,
	// the ErrorInfo reason ("API_KEY_INVALID"). Numeric codes are kept as
	// their decimal text.
	Code string
	// Param names the request parameter at fault, when the server said.
	Param string
	// RequestID is a request id found in the body (Anthropic's
	// "request_id").
	RequestID string
	// Upstream names the provider behind a gateway, when the gateway's
	// error said which one failed (OpenRouter's error.metadata.provider_name,
	// such as "Moonshot AI"). When the gateway also relayed the upstream's
	// body (error.metadata.raw), Message, Type and Code are the upstream's.
	Upstream string
	// RetryDelay is a delay the body asked for, valid when RetryDelaySource
	// is not empty. Values too large for a Duration saturate at
	// math.MaxInt64.
	RetryDelay time.Duration
	// RetryDelaySource says where RetryDelay came from: SourceRetryInfo or
	// SourceEstimatedTime; empty when the body asked for no delay.
	RetryDelaySource string
	// Issues lists the items of a validation error (FormatValidation).
	Issues []Issue
	// Retryable is the body's own statement of whether the request may be
	// sent again ("retryable": true, as Cloudflare's JSON error pages say;
	// also "retriable"): "true", "false", or "" when the body says nothing.
	// Not "isRetryable", which the Vercel AI SDK derives from the status.
	Retryable string
	// Truncated reports that the body was longer than the limit and only its
	// first MaxBytes were read.
	Truncated bool
	// Gateway names the gateway or relay that wrapped the error, when its
	// wrapping says so: "litellm" (a message such as "litellm.RateLimitError:
	// RateLimitError: OpenAIException - <the upstream's message>"),
	// "portkey" ("<provider> error: <message>" beside a "provider" key),
	// "one-api" and "new-api" (their one_api_error and new_api_error types).
	// Message is then the innermost message, with the gateway's prefixes
	// and routing suffixes removed. Empty when no gateway was recognised.
	Gateway string
}

// Parser parses error bodies. The zero value reads at most DefaultMaxBytes.
// A Parser is a plain value, safe for concurrent use.
type Parser struct {
	// MaxBytes is the most of a body that is read; the rest is ignored and
	// Error.Truncated set. Zero or negative means DefaultMaxBytes.
	MaxBytes int

	// depth counts the gateway wrappings unwrapped so far: a JSON body
	// found after a gateway's prefix is parsed with depth+1 (see gateway).
	depth int
}

// Parse is shorthand for Parser{}.Parse(contentType, body).
func Parse(contentType string, body []byte) Fields {
	return Parser{}.Parse(contentType, body)
}

// Parse extracts the error fields from body. contentType is the response's
// Content-Type header, or "" when unknown; the body is sniffed either way,
// and the header only decides for Server-Sent Events and HTML.
//
// Parse never fails: a body it cannot make sense of yields an Error with
// only Format set.
func (p Parser) Parse(contentType string, body []byte) (e Fields) {
	p.parse(&e, contentType, body)
	return e
}

// ParseInto is Parse writing its result into *e, every field of which it
// overwrites. It is for a caller that keeps the Error in a structure of
// its own: the Error is written once, where it stays, instead of being
// returned and copied (a copy of a just-written struct also makes the CPU
// wait for the writes to land before it can read them back).
func (p Parser) ParseInto(e *Fields, contentType string, body []byte) {
	*e = Fields{}
	p.parse(e, contentType, body)
}

// parse is Parse into the zero Error *e.
func (p Parser) parse(e *Fields, contentType string, body []byte) {
	limit := p.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	if len(body) > limit {
		body = body[:limit]
		e.Truncated = true
	}
	st := state{size: min(len(body)+16, 2048)}
	var f fields
	st.body(contentType, body, 0, &f)
	st.finish(&f, e)
	// Only a relay's error type, or a message of at least eight bytes
	// that starts with a lowercase letter or a digit ("litellm.",
	// Portkey's provider slug), can name a gateway.
	if len(e.Type) == len("one_api_error") ||
		len(e.Message) >= 8 && (e.Message[0]-'a' < 26 || e.Message[0]-'0' < 10) {
		gateway(e, body, limit, p.depth)
	}
}
