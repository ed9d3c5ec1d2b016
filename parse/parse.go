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
	"bytes"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/apierr/apierr/internal/num"
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
	// used by Azure OpenAI, Groq, Mistral, DeepSeek, OpenRouter, newer vLLM.
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
	// sibling "code" (xAI) when present.
	FormatErrorString Format = "error_string"
	// FormatVLLM: vLLM's {"object": "error", "message", "type", "param",
	// "code"}.
	FormatVLLM Format = "vllm"
	// FormatMessage: a flat object with "message" or "Message" (AWS, Kong,
	// Cohere, Azure API Management) and optional "code", "error_code",
	// "__type" or "statusCode".
	FormatMessage Format = "message"
	// FormatProblem: RFC 7807 problem details, {"title", "detail",
	// "status"}; the message is detail, else title.
	FormatProblem Format = "problem"
	// FormatSSE: a Server-Sent Events stream whose first error event
	// supplied the fields.
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

// Error holds the fields found in one error body. The zero value means that
// nothing was found. Its strings are owned by the caller and are valid UTF-8
// with surrounding white space trimmed.
type Error struct {
	// Format is the shape the body had.
	Format Format
	// Found reports that the body has the shape of an error on its own: an
	// error object, an SSE error event, an in-band safety block or an XML
	// error. A body that is an error only because of its status (HTML, text,
	// a bare {"message": ...}) leaves it false. A 2xx response is a failure
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
func Parse(contentType string, body []byte) Error {
	return Parser{}.Parse(contentType, body)
}

// Parse extracts the error fields from body. contentType is the response's
// Content-Type header, or "" when unknown; the body is sniffed either way,
// and the header only decides for Server-Sent Events and HTML.
//
// Parse never fails: a body it cannot make sense of yields an Error with
// only Format set.
func (p Parser) Parse(contentType string, body []byte) (e Error) {
	p.parse(&e, contentType, body)
	return e
}

// ParseInto is Parse writing its result into *e, every field of which it
// overwrites. It is for a caller that keeps the Error in a structure of
// its own: the Error is written once, where it stays, instead of being
// returned and copied (a copy of a just-written struct also makes the CPU
// wait for the writes to land before it can read them back).
func (p Parser) ParseInto(e *Error, contentType string, body []byte) {
	*e = Error{}
	p.parse(e, contentType, body)
}

// parse is Parse into the zero Error *e.
func (p Parser) parse(e *Error, contentType string, body []byte) {
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

// span is a range of state.buf.
type span struct{ off, n int }

// fields is what one parse found, before it is turned into strings.
type fields struct {
	format Format
	found  bool
	msg    span
	// msgRaw, when set, is the message not yet copied into state.buf:
	// setMsg defers the copy of a message that cannot hold an embedded
	// body, so that finish knows every kept string before it allocates
	// and sizes the one buffer exactly. msg is then unused.
	msgRaw raw
	typ    raw
	code   raw
	param  raw
	reqID  raw
	// upstream is the provider a gateway named (Error.Upstream).
	upstream raw
	hasMsg   bool

	delay    time.Duration
	delaySrc string

	// Validation issues, as spans of buf (loc, msg) and raw type.
	issues []issueSpan
}

type issueSpan struct {
	loc, msg, typSpan span
	typ               raw
}

// state is the work area of one Parse call. buf collects every string that
// is kept, and becomes the backing store of the returned strings: one
// allocation makes them all, and nothing is copied twice. It is allocated
// on first use, so a body with nothing to keep costs no allocation. In the
// common case (a plain message, types and codes) nothing needs buf before
// finish, which then allocates exactly the bytes kept.
type state struct {
	buf  []byte
	size int // capacity of buf when first allocated
}

// ensure allocates buf on first use, with room for at least n more bytes.
func (st *state) ensure(n int) {
	if st.buf == nil {
		st.buf = make([]byte, 0, max(st.size, n))
	}
}

func (st *state) add(r raw) span {
	if len(r.b) == 0 {
		return span{len(st.buf), 0} // nothing to copy: no allocation
	}
	st.ensure(len(r.b))
	off := len(st.buf)
	st.buf = appendUnescaped(st.buf, r)
	return st.trim(span{off, len(st.buf) - off})
}

func (st *state) addBytes(b []byte) span {
	st.ensure(len(b))
	off := len(st.buf)
	st.buf = appendValid(st.buf, b)
	return st.trim(span{off, len(st.buf) - off})
}

func (st *state) trim(sp span) span {
	i, j := trimBounds(st.buf[sp.off : sp.off+sp.n])
	return span{sp.off + i, j - i}
}

// trimBounds returns the bounds of seg without its surrounding white space.
func trimBounds(seg []byte) (i, j int) {
	// ASCII white space inline; anything else non-ASCII at an end goes
	// through the Unicode-aware trim.
	i, j = 0, len(seg)
	for i < j && asciiSpace(seg[i]) {
		i++
	}
	for j > i && asciiSpace(seg[j-1]) {
		j--
	}
	if i < j && (seg[i] >= utf8.RuneSelf || seg[j-1] >= utf8.RuneSelf) {
		left := bytes.TrimLeftFunc(seg[i:j], unicode.IsSpace)
		i += j - i - len(left)
		j = i + len(bytes.TrimRightFunc(left, unicode.IsSpace))
	}
	return i, j
}

func asciiSpace(c byte) bool {
	// \t \n \v \f \r are 9 to 13: one subtraction tests them all.
	return c == ' ' || c-'\t' <= '\r'-'\t'
}

func (st *state) bytesOf(sp span) []byte { return st.buf[sp.off : sp.off+sp.n] }

// setMsg keeps r as the message, unwrapping JSON re-wrapped inside it.
//
// A message without backslash escapes decodes to its own bytes (invalid
// UTF-8 aside, which changes no ASCII byte and no white space), so it can
// be trimmed and searched for an embedded body as it is. When it holds
// none, its copy is left to finish (see fields.msgRaw).
func (f *fields) setMsg(st *state, r raw, depth int) {
	if !r.set {
		return
	}
	f.hasMsg = true
	if r.plain || bytes.IndexByte(r.b, '\\') < 0 {
		i, j := trimBounds(r.b)
		if t := r.b[i:j]; depth >= maxDepth || embeddedJSON(t) < 0 {
			f.msg, f.msgRaw = span{}, raw{b: t, set: true, plain: true}
			return
		}
	}
	f.msg, f.msgRaw = st.add(r), raw{}
	st.unwrap(f, depth)
}

// reset makes f a fresh result of the given format (none: zero). f is zero
// unless dirty (an errorObject wrote it), and then only is it cleared:
// building a new fields and copying it costs more than setting two of its
// members.
func (f *fields) reset(dirty bool, format Format, found bool) {
	if dirty {
		*f = fields{}
	}
	f.format, f.found = format, found
}

// msgEmpty reports whether the message, copied or not, is empty.
func (f *fields) msgEmpty() bool {
	if f.msgRaw.set {
		return len(f.msgRaw.b) == 0
	}
	return f.msg.n == 0
}

// takeMsg makes g's message f's.
func (f *fields) takeMsg(g *fields) {
	f.msg, f.msgRaw, f.hasMsg = g.msg, g.msgRaw, g.hasMsg
}

// unwrap replaces f's message by the innermost message of an error body
// embedded in it as JSON (or as a Python repr, which gateways also emit),
// and fills type, code and param from it.
func (st *state) unwrap(f *fields, depth int) {
	for range maxUnwrap {
		if depth >= maxDepth {
			return
		}
		m := st.bytesOf(f.msg)
		i := embeddedJSON(m)
		if i < 0 {
			return
		}
		depth++
		var inner fields
		st.jsonValue(&scanner{b: m[i:]}, depth, &inner)
		if !inner.found || !inner.hasMsg || inner.msgEmpty() {
			return
		}
		f.takeMsg(&inner)
		if inner.typ.set {
			f.typ = inner.typ
		}
		if inner.code.set {
			f.code = inner.code
		}
		if inner.param.set {
			f.param = inner.param
		}
		if inner.delaySrc != "" && f.delaySrc == "" {
			f.delay, f.delaySrc = inner.delay, inner.delaySrc
		}
		if inner.reqID.set && !f.reqID.set {
			f.reqID = inner.reqID
		}
	}
}

// embeddedJSON returns the index in m where an embedded error object (or a
// JSON string holding one) starts, or -1.
func embeddedJSON(m []byte) int {
	if len(m) > 1 && m[0] == '"' {
		return 0
	}
	for off := 0; off < len(m); {
		j := bytes.IndexByte(m[off:], '{')
		if j < 0 {
			return -1
		}
		i := off + j
		k := i + 1
		for k < len(m) && (m[k] == ' ' || m[k] == '\n' || m[k] == '\t' || m[k] == '\r') {
			k++
		}
		if k < len(m) && (m[k] == '"' || m[k] == '\'') {
			return i
		}
		off = i + 1
	}
	return -1
}

// body sniffs b and dispatches to the parser for its shape. f must be zero
// on entry, as for jsonValue.
func (st *state) body(contentType string, b []byte, depth int, f *fields) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	i := 0
	for i < len(b) && asciiSpace(b[i]) {
		i++
	}
	t := b[i:]
	if len(t) == 0 {
		*f = fields{format: FormatEmpty}
		return
	}
	switch {
	case t[0] < 0x20 && isEventStream(t, contentType):
		// A binary prelude: the first byte of a message's length is
		// zero for any message under 16 MiB.
		*f = st.eventStream(t, depth)
		return
	case t[0] == '{' || t[0] == '[' || t[0] == '"':
		// JSON whatever the Content-Type says: gateways label plain JSON
		// error bodies text/event-stream when the request asked for a
		// stream.
		st.jsonValue(&scanner{b: t}, depth, f)
		if f.format == "" {
			f.format = FormatJSON
		}
		return
	case isSSE(t) || (contentType != "" && containsFold(contentType, "event-stream")):
		*f = st.sse(t, depth)
		return
	case t[0] == '<' || (contentType != "" && containsFold(contentType, "html")):
		*f = st.markup(t)
		return
	}
	*f = fields{format: FormatText}
	f.msg = st.addBytes(cutText(t))
	f.hasMsg = f.msg.n > 0
	st.unwrap(f, depth)
}

// jsonValue parses the JSON value at s into f: an object, an array of
// objects (the first error found wins), or a string holding a body.
//
// f must be zero on entry, and so must it be for object and errorObject:
// every caller passes a fresh fields, so the parsers do not clear a struct
// of some 250 bytes again at each level.
func (st *state) jsonValue(s *scanner, depth int, f *fields) {
	switch s.peek() {
	case '{':
		st.object(s, depth, f)
		return
	case '[':
		s.i++
		for s.elem() {
			if s.peek() == '{' {
				st.object(s, depth+1, f)
				if f.found {
					return
				}
				*f = fields{} // for the next element
				continue
			}
			s.skip()
			if s.i >= len(s.b) {
				break
			}
		}
		// No element was an error: look for any message.
		*f = st.anyMessage(&scanner{b: s.b}, depth)
		return
	case '"', '\'':
		r := s.str()
		if depth >= maxDepth {
			*f = fields{format: FormatJSON}
			return
		}
		sp := st.add(r)
		st.body("", st.bytesOf(sp), depth+1, f)
		if f.found {
			return
		}
		*f = fields{format: FormatJSON, msg: sp, hasMsg: sp.n > 0}
		return
	}
	// Anything else holds nothing: f stays zero.
}

// topKeys are the top-level members of an error object that matter.
type topKeys struct {
	errStr, detailStr, message, typ, awsType, object, code, param, errorType raw
	title, requestID, estimated, statusCode                                  raw
	hasErrObj, hasDetailObj, hasDetailArr                                    bool
	detailArr                                                                []issueSpan
	response                                                                 []byte
	// nested is an object member that holds the real error: a "message"
	// that is an object (Mistral's validation errors, {"object": "error",
	// "message": {"detail": [...]}}) when nestedMsg, else Databricks'
	// "external_model_message" (the served model's own error, under the
	// serving layer's generic "error"). One field for both keeps topKeys,
	// cleared for every object, small.
	nested    []byte
	nestedMsg bool
}

// object parses a JSON object into f (zero on entry) and decides its
// format. The object under "error" (or "detail") is parsed straight into f,
// saving a copy.
func (st *state) object(s *scanner, depth int, f *fields) {
	start := s.i
	if !s.open('{') {
		return
	}
	var k topKeys
	// dirty reports that an errorObject wrote f: a repeated "error" or
	// "detail" key must start again from zero.
	dirty := false
	for {
		key, ok := s.key()
		if !ok {
			break
		}
		switch string(key) {
		case "error":
			// A repeated key replaces the earlier value, whatever its
			// kind: the last one wins, as in encoding/json.
			k.errStr, k.hasErrObj = raw{}, false
			switch s.peek() {
			case '{':
				if depth < maxDepth {
					f.reset(dirty, "", false)
					dirty = true
					st.errorObject(s, depth+1, f)
					k.hasErrObj, k.hasDetailObj = true, false
				} else {
					s.skip()
				}
			case '[':
				// {"error": ["text", ...]} (Hugging Face): the first string.
				s.i++
				for s.elem() {
					before := s.i
					if r := s.value(); r.set && !r.num && !k.errStr.set {
						k.errStr = r
					}
					if s.i == before {
						break
					}
				}
			default:
				k.errStr = s.value()
			}
		case "detail":
			k.detailStr, k.detailArr, k.hasDetailArr, k.hasDetailObj = raw{}, nil, false, false
			switch s.peek() {
			case '{':
				if depth < maxDepth && !k.hasErrObj {
					f.reset(dirty, "", false)
					dirty = true
					st.errorObject(s, depth+1, f)
					k.hasDetailObj = true
				} else {
					s.skip()
				}
			case '[':
				k.detailArr = st.validation(s)
				k.hasDetailArr = true
			default:
				k.detailStr = s.value()
			}
		case "message", "Message", "error_message", "errorMessage", "error_msg":
			vs := s.i
			k.message = s.value()
			if !k.message.set {
				// null, or an object or array that value skipped.
				if b := objectIn(s.b[vs:s.i]); b != nil {
					k.nested, k.nestedMsg = b, true
				}
			}
		case "type":
			k.typ = s.value()
		case "__type":
			k.awsType = s.value()
		case "object":
			k.object = s.value()
		case "code", "error_code", "errorCode":
			k.code = s.value()
		case "param":
			k.param = s.value()
		case "error_type":
			k.errorType = s.value()
		case "title":
			k.title = s.value()
		case "request_id":
			k.requestID = s.value()
		case "estimated_time":
			k.estimated = s.value()
		case "statusCode":
			k.statusCode = s.value()
		case "response":
			k.response = objectBytes(s)
		case "external_model_message":
			if b := objectBytes(s); b != nil {
				k.nested, k.nestedMsg = b, false
			}
		default:
			s.skip()
		}
	}
	switch {
	case k.hasErrObj && (f.found || f.hasMsg):
		f.found = true
		switch {
		case string(k.typ.b) == "error":
			f.format = FormatAnthropic
		case f.format == FormatGoogle:
		default:
			f.format = FormatOpenAI
		}
		if k.requestID.set {
			f.reqID = k.requestID
		}
	case k.errStr.set && !k.errStr.num:
		f.reset(dirty, FormatErrorString, true)
		f.setMsg(st, k.errStr, depth)
		if !f.typ.set {
			f.typ = k.errorType
		}
		if !f.code.set {
			f.code = k.code
		}
		if d, ok := seconds(k.estimated); ok && k.estimated.num {
			f.delay, f.delaySrc = d, SourceEstimatedTime
		}
		if k.nested != nil && !k.nestedMsg {
			st.nested(f, k.nested, depth)
		}
	case string(k.object.b) == "error":
		f.reset(dirty, FormatVLLM, true)
		f.typ, f.code, f.param = k.typ, k.code, k.param
		if k.nested != nil && k.nestedMsg {
			st.nested(f, k.nested, depth)
		} else {
			f.setMsg(st, k.message, depth)
		}
	case k.hasDetailArr:
		f.reset(dirty, FormatValidation, true)
		f.issues = k.detailArr
		f.msg = st.summary(k.detailArr)
		f.hasMsg = true
	case k.title.set && (k.detailStr.set || !k.message.set):
		f.reset(dirty, FormatProblem, true)
		if k.detailStr.set {
			f.setMsg(st, k.detailStr, depth)
		} else {
			f.setMsg(st, k.title, depth)
		}
	case k.detailStr.set:
		f.reset(dirty, FormatDetail, true)
		f.setMsg(st, k.detailStr, depth)
	case k.hasDetailObj && f.hasMsg:
		f.format = FormatDetail
		f.found = true
	case k.message.set:
		f.reset(dirty, FormatMessage, false)
		f.code, f.typ = k.code, k.typ
		if k.awsType.set {
			f.typ = k.awsType
			if i := bytes.LastIndexByte(f.typ.b, '#'); i >= 0 {
				f.typ.b = f.typ.b[i+1:]
			}
		}
		f.found = k.awsType.set || k.code.set || k.statusCode.set || string(k.typ.b) == "error"
		f.setMsg(st, k.message, depth)
	default:
		f.reset(dirty, "", false)
		if k.response != nil && depth < maxDepth {
			st.object(&scanner{b: k.response}, depth+1, f)
			if f.found {
				return
			}
		}
		if b := st.safetyBlock(s.b[start:s.i]); b.found {
			*f = b
			return
		}
		*f = st.anyMessage(&scanner{b: s.b[start:s.i]}, depth)
		return
	}
	if !f.reqID.set {
		f.reqID = k.requestID
	}
}

// errorObject parses the object under "error" (or "detail") into f (zero
// on entry): the fields of OpenAI, Anthropic and Google errors, Azure's
// innererror, Google's details.
func (st *state) errorObject(s *scanner, depth int, f *fields) {
	if !s.open('{') {
		return
	}
	// The members kept until the end live in one struct in memory. As
	// separate variables, each raw would be held in registers, and all of
	// them saved and restored around every call of the loop.
	var v struct{ msg, status, innerCode, reason, metaRaw raw }
	var googleDetails bool
	for {
		key, ok := s.key()
		if !ok {
			break
		}
		switch string(key) {
		case "message", "error", "msg":
			if s.peek() == '{' {
				// {"error": {"error": {...}}}: take the inner one's fields.
				if depth < maxDepth {
					var inner fields
					st.errorObject(s, depth+1, &inner)
					if inner.hasMsg && !v.msg.set {
						f.takeMsg(&inner)
						f.typ, f.code, f.param = inner.typ, inner.code, inner.param
					}
				} else {
					s.skip()
				}
				continue
			}
			r := s.value()
			if string(key) == "message" || !v.msg.set {
				v.msg = r
			}
		case "type":
			f.typ = s.value()
		case "code":
			f.code = s.value()
		case "param":
			f.param = s.value()
		case "status":
			v.status = s.value()
		case "details":
			googleDetails = true
			st.googleDetails(s, f, &v.reason)
		case "metadata":
			// OpenRouter relays the upstream provider's error: its body as
			// a string in "raw", its name in "provider_name".
			if s.open('{') {
				for {
					k, ok := s.key()
					if !ok {
						break
					}
					switch string(k) {
					case "raw":
						v.metaRaw = s.value()
					case "provider_name":
						f.upstream = s.value()
					default:
						s.skip()
					}
				}
			} else {
				s.skip()
			}
		case "innererror":
			if s.open('{') {
				for {
					k, ok := s.key()
					if !ok {
						break
					}
					if string(k) == "code" {
						v.innerCode = s.value()
					} else {
						s.skip()
					}
				}
			} else {
				s.skip()
			}
		default:
			s.skip()
		}
	}
	// The reason is applied after the loop so that a numeric "code" after
	// "details" does not hide it.
	if v.reason.set && (!f.code.set || f.code.num) {
		f.code = v.reason
	}
	if v.msg.set && !v.msg.num {
		f.setMsg(st, v.msg, depth)
	}
	if v.status.set && !v.status.num {
		f.format = FormatGoogle
		// Google's status ("RESOURCE_EXHAUSTED") is the most useful type;
		// its numeric code is only the HTTP status again.
		if !f.typ.set {
			f.typ = v.status
		}
		if f.code.num {
			f.code = raw{}
		}
	} else if googleDetails {
		f.format = FormatGoogle
	}
	if !f.code.set && v.innerCode.set {
		f.code = v.innerCode
	}
	if f.upstream.num {
		f.upstream = raw{}
	}
	if v.metaRaw.set && !v.metaRaw.num && depth < maxDepth {
		st.relayed(f, v.metaRaw, depth)
	}
	f.found = f.hasMsg || f.typ.set || f.code.set
}

// relayed makes the upstream error body that a gateway relayed as the
// string r (OpenRouter's error.metadata.raw) the source of f's message,
// type and code: the gateway's own message says only "Provider returned
// error". The body is parsed as any body is (JSON, or plain text whose
// text is the message), one level deeper.
func (st *state) relayed(f *fields, r raw, depth int) {
	sp := st.add(r)
	var inner fields
	st.body("", st.bytesOf(sp), depth+1, &inner)
	if !inner.hasMsg || inner.msgEmpty() {
		return
	}
	f.takeMsg(&inner)
	if inner.found {
		if inner.typ.set {
			f.typ = inner.typ
		}
		if inner.code.set {
			f.code = inner.code
		}
		if inner.param.set {
			f.param = inner.param
		}
	}
}

// nested makes the error object b (a member of f's object: Databricks'
// external_model_message, Mistral's object-valued message) the source of
// f's message and, when it has one, code. A validation list inside gives
// its summary as the message; its issues are not kept, as for an unwrapped
// body (Issues go with FormatValidation only).
func (st *state) nested(f *fields, b []byte, depth int) {
	if depth >= maxDepth {
		return
	}
	var inner fields
	st.object(&scanner{b: b}, depth+1, &inner)
	if !inner.hasMsg || inner.msgEmpty() {
		return
	}
	f.takeMsg(&inner)
	if inner.code.set {
		f.code = inner.code
	}
}

// objectIn returns b, a value that the scanner skipped, when it is an
// object (leading white space aside), else nil.
func objectIn(b []byte) []byte {
	if i, c := skipSpace(b, 0); c == '{' {
		return b[i:]
	}
	return nil
}

// objectBytes returns the object at s, skipping it, or nil (and skips
// the value) when the value is not an object.
func objectBytes(s *scanner) []byte {
	if s.peek() != '{' {
		s.skip()
		return nil
	}
	vs := s.i
	s.skip()
	return s.b[vs:s.i]
}

// googleDetails reads google.rpc.Status details: the first ErrorInfo.reason
// goes to reasonOut (the caller makes it the code), RetryInfo.retryDelay
// becomes the delay.
func (st *state) googleDetails(s *scanner, f *fields, reasonOut *raw) {
	if !s.open('[') {
		s.skip()
		return
	}
	for s.elem() {
		if !s.open('{') {
			s.skip()
			if s.i >= len(s.b) {
				return
			}
			continue
		}
		// In memory rather than registers, as in errorObject.
		var v struct{ typ, reason, delay raw }
		for {
			k, ok := s.key()
			if !ok {
				break
			}
			switch string(k) {
			case "@type":
				v.typ = s.value()
			case "reason":
				v.reason = s.value()
			case "retryDelay":
				v.delay = s.value()
			default:
				s.skip()
			}
		}
		if v.reason.set && bytes.HasSuffix(v.typ.b, []byte("ErrorInfo")) && !reasonOut.set {
			*reasonOut = v.reason
		}
		if v.delay.set && f.delaySrc == "" {
			if d, ok := protoDuration(v.delay.b); ok {
				f.delay, f.delaySrc = d, SourceRetryInfo
			}
		}
	}
}

// validation reads a FastAPI/pydantic validation list.
func (st *state) validation(s *scanner) []issueSpan {
	if !s.open('[') {
		return nil
	}
	var out []issueSpan
	for s.elem() {
		if !s.open('{') {
			s.skip()
			if s.i >= len(s.b) {
				break
			}
			continue
		}
		var is issueSpan
		var msg raw
		for {
			k, ok := s.key()
			if !ok {
				break
			}
			switch string(k) {
			case "loc":
				is.loc = st.loc(s)
			case "msg", "message":
				msg = s.value()
			case "type":
				is.typ = s.value()
			default:
				s.skip()
			}
		}
		if msg.set {
			is.msg = st.add(msg)
		}
		out = append(out, is)
	}
	return out
}

// loc joins a pydantic location list with ".".
func (st *state) loc(s *scanner) span {
	st.ensure(0)
	off := len(st.buf)
	if !s.open('[') {
		r := s.value()
		if r.set {
			return st.add(r)
		}
		return span{off, 0}
	}
	first := true
	for s.elem() {
		r := s.value()
		if !r.set {
			if s.i >= len(s.b) {
				break
			}
			continue
		}
		if !first {
			st.buf = append(st.buf, '.')
		}
		first = false
		st.buf = appendUnescaped(st.buf, r)
	}
	return st.trim(span{off, len(st.buf) - off})
}

// summary renders validation issues as "loc: msg; loc: msg".
func (st *state) summary(issues []issueSpan) span {
	st.ensure(0)
	off := len(st.buf)
	n := 0
	for _, is := range issues {
		if is.loc.n == 0 && is.msg.n == 0 {
			continue // nothing to show, and no dangling "; "
		}
		if n > 0 {
			st.buf = append(st.buf, "; "...)
		}
		n++
		if is.loc.n > 0 {
			st.buf = append(st.buf, st.bytesOf(is.loc)...)
			if is.msg.n > 0 {
				st.buf = append(st.buf, ": "...)
			}
		}
		st.buf = append(st.buf, st.bytesOf(is.msg)...)
	}
	return st.trim(span{off, len(st.buf) - off})
}

// anyMessage searches a JSON value of no known shape for the first string
// under a "message" key, at most maxDepth levels down.
func (st *state) anyMessage(s *scanner, depth int) fields {
	f := fields{format: FormatJSON}
	if r := findMessage(s, depth); r.set {
		f.setMsg(st, r, depth)
	}
	return f
}

func findMessage(s *scanner, depth int) raw {
	switch s.peek() {
	case '{':
		if depth >= maxDepth {
			s.skip()
			return raw{}
		}
		s.i++
		for {
			key, ok := s.key()
			if !ok {
				return raw{}
			}
			switch string(key) {
			case "message", "Message", "error_message", "errorMessage":
				if r := s.value(); r.set && !r.num {
					return r
				}
			default:
				if r := findMessage(s, depth+1); r.set {
					return r
				}
			}
		}
	case '[':
		if depth >= maxDepth {
			s.skip()
			return raw{}
		}
		s.i++
		for s.elem() {
			before := s.i
			if r := findMessage(s, depth+1); r.set {
				return r
			}
			if s.i == before {
				return raw{}
			}
		}
		return raw{}
	default:
		s.skip()
		return raw{}
	}
}

// finish turns the fields into owned strings with a single allocation.
func (st *state) finish(f *fields, e *Error) {
	e.Format = f.format
	e.Found = f.found
	e.RetryDelay, e.RetryDelaySource = f.delay, f.delaySrc
	// The types and codes that providers send most are constants: no copy.
	typS, codeS := known(f.typ), known(f.code)
	if st.buf == nil {
		// Nothing was copied yet: allocate the exact size of what is
		// kept (invalid UTF-8, which grows when replaced, may still
		// cost a second allocation).
		n := len(f.msgRaw.b) + len(f.param.b) + len(f.reqID.b) + len(f.upstream.b)
		if typS == "" {
			n += len(f.typ.b)
		}
		if codeS == "" {
			n += len(f.code.b)
		}
		for _, is := range f.issues {
			n += len(is.typ.b)
		}
		if n > 0 {
			st.buf = make([]byte, 0, n)
		}
	}
	var msg, typ, code span
	if f.msgRaw.set {
		// setMsg trimmed msgRaw, and decoding a string without escapes
		// adds no white space at its ends (an invalid byte becomes
		// U+FFFD): the copy needs no trimming.
		off := len(st.buf)
		st.buf = appendUnescaped(st.buf, f.msgRaw)
		msg = span{off, len(st.buf) - off}
	} else {
		msg = f.msg
	}
	if typS == "" {
		typ = st.addMaybe(f.typ)
	}
	if codeS == "" {
		code = st.addMaybe(f.code)
	}
	param := st.addMaybe(f.param)
	reqID := st.addMaybe(f.reqID)
	upstream := st.addMaybe(f.upstream)
	for i := range f.issues {
		f.issues[i].typSpan = st.addMaybe(f.issues[i].typ)
	}
	e.Type, e.Code = typS, codeS
	if len(st.buf) == 0 && len(f.issues) == 0 {
		return
	}
	// buf is not written after this point: its bytes can back the
	// returned strings without a copy.
	all := unsafe.String(unsafe.SliceData(st.buf), len(st.buf))
	get := func(sp span) string {
		if sp.n == 0 {
			return "" // the fields not found: no bounds to check
		}
		return all[sp.off : sp.off+sp.n]
	}
	if f.hasMsg {
		e.Message = get(msg)
	}
	if typS == "" {
		e.Type = get(typ)
	}
	if codeS == "" {
		e.Code = get(code)
	}
	e.Param, e.RequestID, e.Upstream = get(param), get(reqID), get(upstream)
	if len(f.issues) > 0 {
		e.Issues = make([]Issue, len(f.issues))
		for i, is := range f.issues {
			e.Issues[i] = Issue{Loc: get(is.loc), Msg: get(is.msg), Type: get(is.typSpan)}
		}
	}
}

func (st *state) addMaybe(r raw) span {
	if !r.set {
		return span{}
	}
	return st.add(r)
}

// known returns the constant for the error types and codes that providers
// send most, so that they cost no copy, or "" for any other value. A raw
// string with escapes never equals one of them, as none holds a backslash.
func known(r raw) string {
	if !r.set || len(r.b) == 0 {
		return ""
	}
	// One probe of a small open-addressing table, keyed like classify's
	// code table by the length and three bytes: cheaper than the binary
	// search of a switch over forty strings, which compares several.
	for i := knownHash(r.b); ; i = (i + 1) & (knownTableSize - 1) {
		k := knownTable[i]
		if k == "" {
			return ""
		}
		if k == string(r.b) {
			return k
		}
	}
}

// knownValues are the types and codes that known interns.
var knownValues = [...]string{
	// OpenAI, Azure, Groq, Mistral, DeepSeek, vLLM.
	"invalid_request_error",
	"rate_limit_exceeded",
	"tokens",
	"requests",
	"insufficient_quota",
	"server_error",
	"invalid_api_key",
	"context_length_exceeded",
	"model_not_found",
	"content_filter",
	"BadRequestError",
	"NotFoundError",
	"400",
	"401",
	"404",
	"429",
	"500",
	"503",
	// Anthropic.
	"authentication_error",
	"permission_error",
	"not_found_error",
	"rate_limit_error",
	"overloaded_error",
	"api_error",
	"request_too_large",
	// Google.
	"RESOURCE_EXHAUSTED",
	"INVALID_ARGUMENT",
	"PERMISSION_DENIED",
	"UNAUTHENTICATED",
	"UNAVAILABLE",
	"INTERNAL",
	"API_KEY_INVALID",
	// TGI, AWS.
	"validation",
	"overloaded",
	"ThrottlingException",
	"ValidationException",
	TypeSafetyBlock,
}

// knownTable holds knownValues at their knownHash, "" in empty slots.
// knownTableSize is a power of two over twice their number, so that
// probes stay short.
var knownTable = func() (t [knownTableSize]string) {
	for _, v := range knownValues {
		i := knownHash([]byte(v))
		for t[i] != "" {
			i = (i + 1) & (knownTableSize - 1)
		}
		t[i] = v
	}
	return t
}()

// knownHash hashes a non-empty b into knownTable.
func knownHash(b []byte) uint {
	h := uint(len(b))*0x9E3779B1 ^ uint(b[0])<<16 ^ uint(b[len(b)/2])<<8 ^ uint(b[len(b)-1])
	h *= 0x85EBCA6B
	return (h ^ h>>15) & (knownTableSize - 1)
}

const knownTableSize = 128

// seconds parses a JSON number of seconds, in one pass however long it
// is; a value too large for a Duration saturates.
func seconds(r raw) (time.Duration, bool) {
	if !r.set {
		return 0, false
	}
	d, neg, ok := num.ParseJSON(unsafe.String(unsafe.SliceData(r.b), len(r.b)))
	if !ok || neg {
		return 0, false
	}
	return d.Duration(time.Second), true
}

// protoDuration parses a protobuf JSON Duration such as "26s" or "0.5s",
// in one pass however long it is; a value too large for a Duration
// saturates.
func protoDuration(b []byte) (time.Duration, bool) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[len(b)-1] != 's' {
		return 0, false
	}
	d, ok := num.Parse(unsafe.String(unsafe.SliceData(b), len(b)-1))
	if !ok {
		return 0, false
	}
	return d.Duration(time.Second), true
}
