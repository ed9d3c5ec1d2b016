package parse

import "bytes"

// problem is object's answer for an RFC 7807 problem: its detail, else its
// title. It and failedTask are functions of their own so that object's
// code, run for every body, stays small.
//
//go:noinline
func (st *state) problem(f *fields, k *topKeys, dirty bool, depth int) {
	f.reset(dirty, FormatProblem, true)
	// A problem's own "code" extension member (Glean's
	// "token_limit_exceeded") when there is no error_name.
	f.code = k.errorName
	if !f.code.set {
		f.code = k.code
	}
	if k.detailStr.set {
		f.setMsg(st, k.detailStr, depth)
	} else {
		f.setMsg(st, k.title, depth)
	}
}

// failedTask is object's answer for a task that failed, reported in a 200
// ("task_status": "failed"): its reason, else the response's message, else
// the state itself when it says more than that it failed ("Request
// Moderated").
//
//go:noinline
func (st *state) failedTask(f *fields, k *topKeys, dirty bool, depth int) {
	f.reset(dirty, FormatMessage, true)
	if !okCode(k.code) {
		f.code = k.code
	}
	if !f.code.set && len(k.state.b) > len("errored") && bytes.IndexByte(k.state.b, ' ') < 0 {
		// A state that names the failure ("ValidationError",
		// "Unauthorized") is its code too.
		f.code = k.state
	}
	f.typ = k.typ
	switch {
	case k.alt.set && !k.alt.num:
		f.setMsg(st, k.alt, depth)
	case k.message.set && !k.message.num:
		f.setMsg(st, k.message, depth)
	case k.nested != nil && k.nestedMsg:
		// {"status": "error", "message": {"message": "Voice not
		// found", "statusCode": 404}} (Supertone).
		st.nested(f, k.nested, depth)
	case containsFold(string(k.state.b), "moderated"):
		f.setMsg(st, k.state, depth)
	case k.status.set && !k.status.num && bytes.IndexByte(k.status.b, ' ') >= 0:
		// {"state": "FAILURE", "status": "Failed to generate text with
		// Ollama model ..."} (text-extract-api's polled task, round
		// 30): a status that is a sentence, beside the state that says
		// the task failed, is its message.
		f.setMsg(st, k.status, depth)
	}
}

// noErrorMember is object's answer for an object b that holds no member
// object knows an error by: the object under a "response" member, an
// in-band safety block, or any message, failed reporting a "success":
// false. It is a function of its own so that object's code, run for every
// body, stays small.
//
//go:noinline
func (st *state) noErrorMember(f *fields, b, response []byte, failed bool, depth int, dirty bool) {
	f.reset(dirty, "", false)
	if response != nil && depth < maxDepth {
		st.object(&scanner{b: response}, depth+1, f)
		if f.found {
			return
		}
	}
	if st.walking {
		// Read by wrapped, which looks only for an error: the safety
		// block was searched for in the whole body already, and any
		// message is of no use.
		if depth < wrapDepth && bytes.Contains(b, []byte(`"error`)) {
			st.wrapped(f, b, depth)
		}
		return
	}
	if sb := st.safetyBlock(b); sb.found {
		*f = sb
		return
	}
	if depth < wrapDepth && bytes.Contains(b, []byte(`"error`)) && st.wrapped(f, b, depth) {
		// (Only where an "error" member or value is written at all: a
		// success's frames, read one by one in a stream, pay one search.)
		return
	}
	*f = st.anyMessage(&scanner{b: b}, depth)
	if failed {
		// {"ok": false, "traceback": ...}: a failure whatever it says.
		f.format, f.found = FormatMessage, true
	}
}

// wrapDepth is how deep wrapped looks for an error wrapped in an envelope:
// it reads the members of the top-level object and of the objects under
// them, whose lists' elements are read as error objects (an element of a
// list is a level of its own).
const wrapDepth = 2

// wrapped reads the members of the object b that are objects or lists of
// one object, in order, each as a body of its own, and sets f to the first
// that is an error with a message or a code: an error frame inside an
// envelope of the server's own, as streaming and batch APIs send inside a
// 200 ({"item": {"type": "error", "error": ...}}, {"results": [{"error":
// {"code": 3, "message": ...}}]}). A success's members hold no error and
// leave f as it was. It reports whether it set f.
func (st *state) wrapped(f *fields, b []byte, depth int) bool {
	s := &scanner{b: b}
	if !s.open('{') {
		return false
	}
	if st.wrap == nil {
		st.wrap = new([wrapDepth]fields)
	}
	// Each level has its own: what a member's reading below this one
	// writes is at a deeper level.
	g := &st.wrap[depth]
	for key, ok := s.key(); ok; key, ok = s.key() {
		c := s.peek()
		vs := s.i
		s.skip()
		if s.i == vs {
			return false
		}
		if c != '{' && c != '[' || readByObject(key) || c == '[' && !single(b[vs:s.i]) {
			// A list of several results that holds a failed one (a
			// listing of jobs, a batch) is a success with a failure
			// inside, not a failed response.
			continue
		}
		*g = fields{}
		walking := st.walking
		st.walking = true
		st.jsonValue(&scanner{b: b[vs:s.i]}, depth+1, g)
		st.walking = walking
		if g.found && (g.hasMsg || g.code.set) {
			*f = *g
			return true
		}
	}
	return false
}

// single reports whether the JSON list b has exactly one element.
func single(b []byte) bool {
	s := &scanner{b: b}
	if !s.open('[') || !s.elem() {
		return false
	}
	s.skip()
	return !s.elem()
}

// reasonPhrases are the reason phrases of HTTP's error statuses of more
// than one word, in lower case (a one-word phrase, "Forbidden", is a
// className already).
var reasonPhrases = [...]string{
	// net/http's StatusText.
	"bad request", "payment required", "not found", "method not allowed", "not acceptable",
	"proxy authentication required", "request timeout", "length required", "precondition failed",
	"request entity too large", "request uri too long", "unsupported media type",
	"requested range not satisfiable", "expectation failed", "i'm a teapot", "misdirected request",
	"unprocessable entity", "failed dependency", "too early", "upgrade required", "precondition required",
	"too many requests", "request header fields too large", "unavailable for legal reasons",
	"internal server error", "not implemented", "bad gateway", "service unavailable", "gateway timeout",
	"http version not supported", "variant also negotiates", "insufficient storage", "loop detected",
	"not extended", "network authentication required",
	// RFC 9110's names for 413 and 422, and 413's older one.
	"content too large", "unprocessable content", "payload too large",
}

// reasonPhrase reports whether b is the reason phrase of an HTTP error
// status of more than one word, in any ASCII case.
func reasonPhrase(b []byte) bool {
	if len(b) < len("too early") || len(b) > len("network authentication required") {
		return false
	}
	for _, p := range reasonPhrases {
		if len(p) == len(b) && hasPrefixFold(b, p) {
			return true
		}
	}
	return false
}

// readByObject reports whether object reads the member named key itself,
// so that wrapped need not read it again.
func readByObject(key []byte) bool {
	switch string(key) {
	case "error", "fault", "Error", "errors", "detail", "details", "message", "Message", "response", "Response",
		"status", "data", "output", "job", "task", "base_resp", "header", "Header", "task_error",
		"external_model_message":
		return true
	}
	return false
}

// readJob reads the object under "data", "output", "job" or "task" for a
// task's state, reason and code ({"data": {"task_status": "failed",
// "task_status_msg": ...}}); a success's data is skipped over member by
// member.
func (k *topKeys) readJob(s *scanner) {
	if !s.open('{') {
		s.skip()
		return
	}
	for {
		key, ok := s.key()
		if !ok {
			break
		}
		switch string(key) {
		case "status", "state", "task_status":
			k.setState(s.value())
		case "message", "error_message", "msg", "failure_reason", "fail_reason", "failure", "task_status_msg",
			"error_msg", "detail":
			if r := s.value(); r.set && !r.num && !k.alt.set {
				k.alt = r
			}
		case "code", "error_code", "failureCode", "failure_code":
			if r := s.value(); !k.code.set || okCode(k.code) {
				k.code = r
			}
		case "error":
			// Mindee's {"job": {"status": "failed", "error": {"code",
			// "message"}}}: the first message inside; a string is the
			// message itself.
			var r raw
			if c := s.peek(); c == '"' || c == '\'' {
				r = s.value()
			} else {
				r = findMessage(s, 1)
			}
			if r.set && !r.num && !k.alt.set {
				k.alt = r
			}
		default:
			s.skip()
		}
	}
}

// setState records r, a "status", "state" or "task_status" member's
// value, when it says that a task failed.
func (k *topKeys) setState(r raw) {
	if !k.state.set && failedState(r) {
		k.state = r
	}
}

// snakeCode reports whether r is a string that reads as a code rather
// than a sentence: lower-case letters, digits and at least one underscore
// ("validation_error").
func snakeCode(r raw) bool {
	if r.num || len(r.b) > 64 || bytes.IndexByte(r.b, '_') < 0 {
		return false
	}
	for _, c := range r.b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// failedState reports whether r, a task's or a response's state, says
// that it failed: "failed", "FAILED", "Fail", "error", or a state that
// names a moderation ("Request Moderated").
func failedState(r raw) bool {
	if !r.set || r.num || len(r.b) > 32 {
		return false
	}
	for _, w := range [...]string{"failed", "failure", "fail", "error", "errored", "unauthorized", "forbidden"} {
		if len(r.b) == len(w) && containsFold(string(r.b), w) {
			return true
		}
	}
	// A state named by its error's class: Pangea's "ValidationError",
	// "InternalError".
	if len(r.b) > len("error") && hasSuffixFold(r.b, "error") && !hasPrefixFold(r.b, "no") {
		return true
	}
	return containsFold(string(r.b), "moderated")
}

// readFrame reads a status member (base_resp, header, status) into k: its code
// (status_code, code, resultCode) and message (status_msg, message,
// resultMessage).
func (k *topKeys) readFrame(s *scanner) {
	if !s.open('{') {
		s.skip()
		return
	}
	for {
		key, ok := s.key()
		if !ok {
			break
		}
		switch string(key) {
		case "status_code", "code", "resultCode", "Code":
			// (Capitalised in Tencent Cloud's digital human API:
			// {"Header": {"Code": 100013, "Message": ...}}.)
			k.frameCode = s.value()
		case "status":
			// Alibaba Cloud's speech gateway: {"header": {"status":
			// 40000004, "status_text": ...}}. iFlytek's header has a
			// "code" and a frame "status" (0, 1, 2): a status of fewer
			// than three digits is a frame's place, and a code decides.
			if r := s.value(); !k.frameCode.set && len(r.b) >= 3 {
				k.frameCode = r
			}
		case "status_msg", "message", "resultMessage", "status_text", "Message":
			k.frameMsg = s.value()
		case "error_code", "ErrorCode":
			// Alibaba Cloud Model Studio's WebSocket speech APIs:
			// {"header": {"task_id": ..., "event": "task-failed",
			// "error_code": "CLIENT_ERROR", "error_message": ...}}
			// (help.aliyun.com/document_detail/2869339.html). An empty
			// code, or one of success ("Success", "OK"), is none.
			if r := s.value(); r.set && len(r.b) > 0 && !successWord(r.b) {
				k.frameCode = r
			}
		case "error_message", "ErrorMessage":
			if r := s.value(); r.set && !r.num && !successWord(r.b) {
				k.frameMsg = r
			}
		case "error":
			// Qdrant: {"status": {"error": "Not found: ..."}, "time": 0.01}.
			if r := s.value(); r.set && !r.num {
				k.frameMsg, k.frameErr = r, true
			}
		default:
			s.skip()
		}
	}
	k.frame = true
}

// successWord reports whether b is a word of success ("Success", "OK"),
// which a frame's error code or message holds when nothing failed.
func successWord(b []byte) bool {
	return len(b) == len("success") && hasPrefixFold(b, "success") || len(b) == len("ok") && hasPrefixFold(b, "ok")
}

// okCode reports whether a code says success: 0 or only zeros ("0000"),
// an HTTP success status (200 to 299), or such a status followed by zeros
// (CLOVA Studio's 20000, 20400; Alibaba Cloud's speech gateway's
// 20000000), as a number or a string. Such a code does not make a body an
// error; NHN's 20004 does.
func okCode(r raw) bool {
	b := r.b
	if len(b) > 0 && len(b) <= 12 && zeros(b) {
		// 0, and the zeros that many APIs write as a string code of
		// success ("00", "0000", "000000").
		return true
	}
	if len(b) > 3 && len(b) <= 12 && zeros(b[3:]) {
		// 20000 (CLOVA Studio), 20000000 (Alibaba Cloud's speech
		// gateway): a success status with zeros after it.
		b = b[:3]
	}
	return len(b) == 3 && b[0] == '2' && '0' <= b[1] && b[1] <= '9' && '0' <= b[2] && b[2] <= '9'
}

// intCode reports whether r is an integer, as a JSON number or a string
// of digits with an optional minus sign.
func intCode(r raw) bool {
	b := r.b
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 12 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// zeros reports whether b is all '0'.
func zeros(b []byte) bool {
	for _, c := range b {
		if c != '0' {
			return false
		}
	}
	return true
}

// failStatus reports whether r is an HTTP status of failure, 400 to 599,
// as a JSON number, alone or with two to five digits after it.
func failStatus(r raw) bool {
	if !r.num || len(r.b) != 3 && (len(r.b) < 5 || len(r.b) > 8) {
		return false
	}
	// Three digits, or an HTTP status with digits after it, as Alibaba
	// Cloud's speech gateway counts (40000001; 20000000 is success) and
	// the servers that copy it (FunSpeech's {"status": 40000003,
	// "message": ...} inside a 200, round 32).
	b := r.b
	if b[0] != '4' && b[0] != '5' {
		return false
	}
	for _, c := range b[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// className reports whether r is the name of an error's class or kind
// ("ChromaError", "InvalidArgumentError", "invalid_api_key"): one token of
// letters, digits, underscores, dots and hyphens that starts with a letter.
func className(r raw) bool {
	if r.num || len(r.b) == 0 || len(r.b) > 64 || !(r.b[0]|0x20 >= 'a' && r.b[0]|0x20 <= 'z') {
		return false
	}
	for _, c := range r.b {
		if !(c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// readToolResult reads a Model Context Protocol tool call's result,
// {"content": [{"type": "text", "text": ...}], "isError": true}: a tool
// that failed says so there, inside a JSON-RPC success (Unstract's MCP
// server, round 36), and the first text is its message. A result without
// "isError": true is no failure.
func (k *topKeys) readToolResult(s *scanner) {
	if !s.open('{') {
		s.skip()
		return
	}
	var text raw
	isErr := false
	for key, ok := s.key(); ok; key, ok = s.key() {
		switch string(key) {
		case "isError":
			v := s.value()
			isErr = string(v.b) == "true" || string(v.b) == "True"
		case "content":
			if !s.open('[') {
				s.skip()
				continue
			}
			for s.elem() {
				if !s.open('{') {
					s.skip()
					continue
				}
				for k2, ok := s.key(); ok; k2, ok = s.key() {
					if string(k2) == "text" && !text.set {
						text = s.value()
					} else {
						s.skip()
					}
				}
			}
		default:
			s.skip()
		}
	}
	if isErr {
		k.failed = true
		if text.set && !text.num && !k.alt.set {
			k.alt = text
		}
	}
}
