package parse

import (
	"bytes"
	"time"
)

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
		s := scanner{b: t}
		st.jsonValue(&s, depth, f)
		if !f.found && t[0] == '{' && depth < maxDepth {
			// Newline-delimited JSON (Ollama's and NucliaDB's streams):
			// an error may come in a later line.
			st.ndjson(f, t[s.i:], depth)
		}
		if f.format == "" {
			f.format = FormatJSON
		}
		return
	case isSSE(t):
		*f = st.sse(t, depth)
		return
	case contentType != "" && containsFold(contentType, "event-stream"):
		if t[0] == ':' || bytes.Contains(t, []byte("\ndata:")) || bytes.Contains(t, []byte("\nevent:")) {
			*f = st.sse(t, depth)
			return
		}
		// A stream that speaks no SSE at all, only text ("Prompt is too
		// long" as the whole body of a 200 text/event-stream): the
		// server wrote its error where the events should be.
		*f = fields{format: FormatText}
		f.msg = st.addBytes(cutText(t))
		f.hasMsg = f.msg.n > 0
		st.unwrap(f, depth)
		if f.format == FormatText {
			f.format = FormatSSE
		}
		f.found = true
		return
	case t[0] == '<' || (contentType != "" && containsFold(contentType, "html") && bytes.IndexByte(t, '<') >= 0):
		// (A body labelled HTML with no tag at all is text: "No workers
		// available" under text/html, kaldi-gstreamer-server's 503.)
		*f = st.markup(t)
		return
	}
	*f = fields{format: FormatText}
	f.msg = st.addBytes(cutText(t))
	f.hasMsg = f.msg.n > 0
	// "ERROR: The API key is not available!" (VoiceRSS, whose clients
	// read the text of a 200): text that says it is an error is one.
	f.found = hasPrefixFold(t, "error:")
	st.unwrap(f, depth)
}

// ndjson reads the objects that follow the first one of a body, one by
// one, as newline-delimited JSON streams send them ({"model": ...,
// "done": false} and then {"error": "unexpected EOF"}, Ollama's failed
// generation inside a 200), and sets f to the first that is an error.
// Each is read once: the work grows with the body.
func (st *state) ndjson(f *fields, rest []byte, depth int) {
	var g *fields
	for {
		i, c := skipSpace(rest, 0)
		if c != '{' {
			return
		}
		rest = rest[i:]
		if g == nil {
			g = new(fields)
		} else {
			*g = fields{}
		}
		s := scanner{b: rest}
		st.object(&s, depth+1, g)
		if g.found {
			*f = *g
			return
		}
		if s.i == 0 {
			return
		}
		rest = rest[s.i:]
	}
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
		// No element was an error: look for any message (unless wrapped
		// is reading the list for an error only).
		if !st.walking {
			*f = st.anyMessage(&scanner{b: s.b}, depth)
		}
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
	// status is a top-level "status" (GigaChat's {"status": 429,
	// "message": ...} on a 200); frameCode and frameMsg the code and
	// message of a status member (base_resp, header, status), frame reporting
	// that there was one.
	status, frameCode, frameMsg raw
	// errorName is Cloudflare's "error_name" ("connection_timeout",
	// "tunnel_error"), the code of its JSON error pages.
	errorName raw
	// alt is a message under a name that only a failure makes one: a
	// failure code's ("description", "errmsg", "text": {"code": 24,
	// "description": ...}) or a failed task's reason ("failure_reason",
	// "task_status_msg"). state is the first "status", "state" or
	// "task_status" of a task that says it failed (see failedState),
	// at the top level or under "data", "output", "job" or "task" (see
	// readJob).
	alt, state raw
	// frameErr reports an "error" text in a status member (Qdrant's
	// {"status": {"error": ...}, "time": ...}): a failure without a code.
	frame, frameErr bool
	// details reports that detailStr came from a "details" member, which
	// a "message" beside it outranks.
	details bool
	// failed reports a top-level "success": false or "ok": false, the
	// failure flag of many JSON APIs ({"success": false, "message": ...}).
	failed                                bool
	retry                                 retryKeys
	hasErrObj, hasDetailObj, hasDetailArr bool
	detailArr                             []issueSpan
	response                              []byte
	// nested is an object member that holds the real error: a "message"
	// that is an object (Mistral's validation errors, {"object": "error",
	// "message": {"detail": [...]}}) when nestedMsg, else Databricks'
	// "external_model_message" (the served model's own error, under the
	// serving layer's generic "error"). One field for both keeps topKeys,
	// cleared for every object, small.
	nested    []byte
	nestedMsg bool
}

// retryKeys are the members in which a body states its own retry policy,
// read as they come: each holds what apply needs rather than the raw
// value, so that the keys that every object clears stay few.
type retryKeys struct {
	seen bool // a retry member was read: apply has work to do
	// able is the last "retryable": 1 for true, -1 for false, 0 for
	// another value.
	able int8
	// The delay members (retry_after_ms, retry_after, retryDelay), the
	// last value of each.
	ms, after, delay bodyDelay
}

// bodyDelay is a delay member's value: sel reports that it is of a kind
// that is read (a number; for retryDelay also a string), d and ok the
// delay read from it.
type bodyDelay struct {
	d       time.Duration
	sel, ok bool
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
	for key, ok := s.key(); ok; key, ok = s.key() {
		switch string(key) {
		case "error", "fault", "Error":
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
				// {"error": ["text", ...]} (Hugging Face): the first string;
				// {"error": [{"code": 101, "msg": ...}]} (Kagi): the first
				// object, read as an error object.
				s.i++
				for s.elem() {
					before := s.i
					switch {
					case s.peek() == '{' && depth < maxDepth && !k.hasErrObj && !k.errStr.set:
						f.reset(dirty, "", false)
						dirty = true
						st.errorObject(s, depth+1, f)
						k.hasErrObj = f.found || f.hasMsg
					default:
						if r := s.value(); r.set && !r.num && !k.errStr.set && !k.hasErrObj {
							k.errStr = r
						}
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
			k.details = false
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
		case "message", "Message", "error_message", "errorMessage", "error_msg", "msg", "Msg":
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
		case "object":
			k.object = s.value()
		case "code", "error_code", "errorCode", "errcode", "errCode", "err_code", "status_code", "ErrCode", "ErrorCode",
			"Code":
			if r := s.value(); !k.code.set || !okCode(r) {
				k.code = r
			}
		case "param":
			k.param = s.value()
		case "request_id", "RequestId":
			// Anthropic's errors carry one.
			k.requestID = s.value()
		default:
			// The other keys, which few bodies hold, are read out of line:
			// the loop that every object runs stays small in the
			// instruction cache.
			st.objectKey(s, depth, f, &k, key, &dirty)
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
	case k.errStr.set && !k.errStr.num && !(k.statusCode.set && k.message.set && !k.message.num):
		// (NestJS's {"statusCode": 402, "message": "Not enough credits",
		// "error": "Payment Required"} puts the reason phrase in "error":
		// its message is the text, below.)
		f.reset(dirty, FormatErrorString, true)
		msg := k.errStr
		if k.message.set && !k.message.num {
			switch {
			case className(k.errStr):
				// {"error": "ChromaError", "message": "Quota exceeded:
				// ..."}: the error names its class, the message says
				// what happened.
				msg = k.message
				if !k.errorType.set {
					k.errorType = k.errStr
				}
			case reasonPhrase(k.errStr.b):
				// {"error": "Bad Request", "message": "Required parameter
				// 'pipeline_id' is not present."}: the error is the
				// status's reason phrase, which says no more than the
				// status; the message says what happened.
				msg = k.message
			}
		} else if k.detailStr.set && !k.detailStr.num && len(k.detailStr.b) > 0 && className(k.errStr) {
			// {"error": "permission_denied", "details": "permission
			// denied: key does not have access to this instance"}
			// (llamactl): the error is a code, the detail its text.
			msg = k.detailStr
			if !k.code.set {
				k.code = k.errStr
			}
		}
		f.setMsg(st, msg, depth)
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
		st.problem(f, &k, dirty, depth)
	case k.detailStr.set && !(k.details && k.message.set):
		// (Nixtla's {"message": "Invalid API key", "details": "Key not
		// found"}: a message beside "details" is the message, below.)
		f.reset(dirty, FormatDetail, true)
		f.setMsg(st, k.detailStr, depth)
	case k.hasDetailObj && f.hasMsg:
		f.format = FormatDetail
		f.found = true
	case k.frame && (k.frameErr || k.frameCode.set && !okCode(k.frameCode)):
		f.reset(dirty, FormatFrame, true)
		f.code = k.frameCode
		f.setMsg(st, k.frameMsg, depth)
	case k.state.set:
		st.failedTask(f, &k, dirty, depth)
	case k.message.set:
		f.reset(dirty, FormatMessage, false)
		f.code, f.typ = k.code, k.typ
		if !f.code.set && failStatus(k.status) {
			// GigaChat: {"status": 429, "message": ...}, also on a 200.
			f.code = k.status
		}
		if k.awsType.set {
			f.typ = k.awsType
			if i := bytes.LastIndexByte(f.typ.b, '#'); i >= 0 {
				f.typ.b = f.typ.b[i+1:]
			}
		}
		// A code beside a message of success ({"code": 1, "message":
		// "success"}) is no failure.
		f.found = k.awsType.set || (k.code.set && !okCode(k.code) && !successWord(k.message.b)) || k.statusCode.set ||
			errorTypeName(k.typ.b) || failStatus(k.status) || k.failed
		if k.alt.set && !k.alt.num && snakeCode(k.message) {
			// {"message": "validation_error", "data": {"message":
			// "Insufficient relay account balance"}}: the message is a
			// code, the text is elsewhere.
			if !f.code.set {
				f.code = k.message
			}
			f.setMsg(st, k.alt, depth)
			break
		}
		f.setMsg(st, k.message, depth)
	case k.alt.set && !k.alt.num && (k.code.set && !okCode(k.code) || errorTypeName(k.typ.b) || k.failed):
		// {"code": 24, "description": ...}, {"errcode": 40001,
		// "errmsg": ...}, FastChat's {"text": ..., "error_code": 50001}:
		// a failure code beside a text under a name of its own; a
		// stream frame of type "error" with its text under "data"; a
		// failure flag ("success": false, an MCP tool result's "isError":
		// true) beside one.
		f.reset(dirty, FormatMessage, true)
		f.code, f.typ = k.code, k.typ
		f.setMsg(st, k.alt, depth)
	default:
		st.noErrorMember(f, s.b[start:s.i], k.response, k.failed, depth, dirty)
		if !f.found && !f.code.set && snakeCode(k.code) {
			// {"code": "out_of_credits", "params": [0, 0]} (Tolgee, round
			// 33): a code name with no message is still the error's code
			// when the status says there was one. Alone it does not make
			// a 2xx body an error.
			f.code = k.code
		}
		return
	}
	if !f.reqID.set {
		f.reqID = k.requestID
	}
	k.retry.apply(f)
}

// objectKey reads the member key of an object for object, into k: the keys
// that are not the common ones of OpenAI, Anthropic, Google, FastAPI and
// vLLM errors. Not inlined, so that object's loop stays small.
//
//go:noinline
func (st *state) objectKey(s *scanner, depth int, f *fields, k *topKeys, key []byte, dirty *bool) {
	switch string(key) {
	case "responseCode", "response_code":
		// A frame's or a response envelope's own code and message
		// ({"type": "response", "responseCode": 500, "responseMessage":
		// "Internal Server Error"}, Voysis's WebSocket API inside a 200):
		// the code and message of object's common keys.
		if r := s.value(); !k.code.set || !okCode(r) {
			k.code = r
		}
	case "responseMessage", "response_message":
		if r := s.value(); !k.message.set {
			k.message = r
		}
	case "errors":
		// A list of errors (JSON:API's {"errors": [{"title", "detail",
		// "status"}]}, Stability's {"errors": ["text"]}, GraphQL's
		// {"errors": [{"message"}]}): the first one, unless an "error"
		// member says it already.
		if s.peek() == '{' && depth < maxDepth && !k.hasErrObj && !k.errStr.set {
			// Weaviate's batch result: {"errors": {"error":
			// [{"message": ...}]}}, an object read in place as a body
			// of its own.
			f.reset(*dirty, "", false)
			*dirty = true
			st.object(s, depth+1, f)
			k.hasErrObj = f.found || f.hasMsg
			break
		}
		if !s.open('[') {
			s.skip()
			break
		}
		first := true
		for s.elem() {
			before := s.i
			switch {
			case !first || k.hasErrObj || k.errStr.set:
				s.skip()
			case s.peek() == '{' && depth < maxDepth:
				f.reset(*dirty, "", false)
				*dirty = true
				st.errorObject(s, depth+1, f)
				k.hasErrObj = f.found || f.hasMsg
			default:
				if r := s.value(); r.set && !r.num {
					k.errStr = r
				}
			}
			first = false
			if s.i == before {
				break
			}
		}
	case "details":
		// {"details": "You have insufficient credits ..."}
		// (Explorium): a detail under the plural; an object or a
		// list of them is not one.
		if s.peek() == '"' {
			k.detailStr, k.detailArr, k.hasDetailArr, k.hasDetailObj = s.value(), nil, false, false
			k.details = true
		} else {
			s.skip()
		}
	case "__type":
		k.awsType = s.value()
	case "description", "desc", "errmsg", "errMsg", "err_msg", "text", "failure_reason", "fail_reason",
		"failure", "task_status_msg", "status_message", "ErrMsg", "ErrorMsg",
		// A message named after the code or return value beside it:
		// Skywork's {"code": 401, "code_msg": "Unauthorized"} (round 34),
		// the retCode/retMsg pairs of Java web APIs.
		"code_msg", "codeMsg", "ret_msg", "retMsg", "return_msg", "returnMsg":
		if r := s.value(); !k.alt.set {
			k.alt = r
		}
	case "ret", "retcode", "ret_code":
		// ByteDance's and Tencent's web APIs: {"ret": "5001",
		// "errmsg": "credit prededuct failed"}, "0" on success. Only
		// a number counts: "ret" may name a return value.
		if r := s.value(); intCode(r) && (!k.code.set || !okCode(r)) {
			k.code = r
		}
	case "failureCode", "failure_code":
		if r := s.value(); !k.code.set {
			k.code = r
		}
	case "retryable", "retriable", "retry_after", "retryAfter", "retry_after_seconds",
		"retryAfterSeconds", "retry_after_secs", "retry_after_ms", "retryAfterMs", "retry_after_millis",
		"retryAfterMillis", "retryDelay":
		k.retry.key(key, s)
	case "error_type":
		k.errorType = s.value()
	case "title":
		k.title = s.value()
	case "error_name":
		k.errorName = s.value()
	case "estimated_time":
		k.estimated = s.value()
	case "statusCode":
		k.statusCode = s.value()
	case "success", "ok":
		if v := s.value(); string(v.b) == "false" || string(v.b) == "False" {
			k.failed = true
		}
	case "response", "Response":
		// Tencent Cloud's API 3.0: {"Response": {"Error": {"Code",
		// "Message"}, "RequestId"}}, on a 200.
		k.response = objectBytes(s)
	case "status":
		if s.peek() == '{' && depth < maxDepth {
			// CLOVA Studio: {"status": {"code": "40003", "message": ...}}.
			k.readFrame(s)
		} else {
			k.status = s.value()
			k.setState(k.status)
		}
	case "state", "task_status":
		if s.peek() == '{' && depth < maxDepth {
			// Yandex's assistant runs: {"state": {"status":
			// "FAILED", "error": {"message": ...}}}.
			k.readJob(s)
			break
		}
		k.setState(s.value())
	case "data", "output", "job", "task", "payload":
		switch s.peek() {
		case '{':
			if depth < maxDepth {
				k.readJob(s)
			} else {
				s.skip()
			}
		case '"':
			// A stream frame's text: {"type": "error", "data": "..."}
			// (MemOS); a message only beside such a type.
			if r := s.value(); !k.alt.set {
				k.alt = r
			}
		default:
			s.skip()
		}
	case "event", "event_type":
		// {"event": "error", "data": {"detail": ...}} (farfalle's stream,
		// round 37): the payload of an event that names an error is a
		// failure, as {"success": false} is.
		if v := s.value(); errorTypeName(v.b) {
			k.failed = true
		}
	case "errorText", "content":
		// A stream frame's text beside {"type": "error"}: the Vercel AI
		// SDK's UI message stream ({"type": "error", "errorText": ...},
		// BuildingAI, round 36), PandaWiki's {"type": "error",
		// "content": ...}. A message only beside such a type or a
		// failure code.
		if s.peek() == '"' {
			if r := s.value(); !k.alt.set {
				k.alt = r
			}
		} else {
			s.skip()
		}
	case "result":
		if s.peek() == '{' && depth < maxDepth {
			k.readToolResult(s)
		} else {
			s.skip()
		}
	case "base_resp", "header", "Header":
		if depth < maxDepth {
			k.readFrame(s)
		} else {
			s.skip()
		}
	case "task_error":
		// Meshy's failed task: {"status": "FAILED", "task_error":
		// {"message": ...}}.
		if r := findMessage(s, 1); r.set && !r.num && !k.alt.set {
			k.alt = r
		}
	case "external_model_message":
		if b := objectBytes(s); b != nil {
			k.nested, k.nestedMsg = b, false
		}
	default:
		if len(key) > len("message") && hasSuffixFold(key, "message") && !k.alt.set {
			// A message under a name of the server's own
			// ("human_readable_message", "stopReasonMessage"): it
			// counts where a failure code, a failed state or an error
			// type says the body is an error.
			k.alt = s.value()
			break
		}
		s.skip()
	}
}

// errorTypeName reports whether a "type" names an error frame: "error" in
// any ASCII case (aiflowy's {"type": "ERROR", "payload": {...}}, round 36).
func errorTypeName(b []byte) bool {
	return len(b) == 5 && b[0]|0x20 == 'e' && b[1]|0x20 == 'r' && b[2]|0x20 == 'r' && b[3]|0x20 == 'o' && b[4]|0x20 == 'r'
}
