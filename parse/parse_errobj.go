package parse

// errorObject parses the object under "error" (or "detail", or the first of
// "errors") into f (zero on entry): the fields of OpenAI, Anthropic and
// Google errors, Azure's innererror, Google's details. A "detail" inside
// (Llama Stack's {"error": {"detail": "..."}}, JSON:API's error objects)
// is the message when no "message" is there, as is Apigee's "faultstring"
// (its {"fault": {...}} is read as an "error").
func (st *state) errorObject(s *scanner, depth int, f *fields) {
	if !s.open('{') {
		return
	}
	// The members kept until the end live in one struct in memory. As
	// separate variables, each raw would be held in registers, and all of
	// them saved and restored around every call of the loop.
	var v struct{ msg, status, innerCode, reason, metaRaw, title raw }
	var retry retryKeys
	var googleDetails bool
	for key, ok := s.key(); ok; key, ok = s.key() {
		switch string(key) {
		case "message", "error", "msg", "detail", "faultstring", "Message", "description", "cause", "response":
			if s.peek() == '{' {
				// {"error": {"error": {...}}}: take the inner one's fields;
				// of Apigee's {"fault": {"detail": {"errorcode"}}}, the code.
				if depth < maxDepth {
					var inner fields
					st.errorObject(s, depth+1, &inner)
					switch {
					case inner.hasMsg && !v.msg.set:
						f.takeMsg(&inner)
						f.typ, f.code, f.param = inner.typ, inner.code, inner.param
					case inner.code.set && !f.code.set:
						f.code = inner.code
					}
				} else {
					s.skip()
				}
				continue
			}
			r := s.value()
			if string(key) == "message" || string(key) == "Message" || !v.msg.set {
				v.msg = r
			}
		case "type":
			f.typ = s.value()
		case "code", "errorcode", "Code":
			f.code = s.value()
		case "kind":
			// D-ID's {"kind": "FaceError", "description": ...}.
			if !f.code.set {
				f.code = s.value()
			} else {
				s.skip()
			}
		case "param":
			f.param = s.value()
		case "title":
			// A JSON:API error's title is its message when it has no
			// detail (remove.bg's {"errors": [{"title": "API Key
			// invalid"}]}).
			v.title = s.value()
		case "status":
			v.status = s.value()
		case "details":
			googleDetails = true
			st.googleDetails(s, f, &v.reason)
		case "metadata":
			// OpenRouter relays the upstream provider's error: its body as
			// a string in "raw", its name in "provider_name".
			if s.open('{') {
				for k, ok := s.key(); ok; k, ok = s.key() {
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
				for k, ok := s.key(); ok; k, ok = s.key() {
					if string(k) == "code" {
						v.innerCode = s.value()
					} else {
						s.skip()
					}
				}
			} else {
				s.skip()
			}
		case "retryable", "retry_after", "retryAfter", "retry_after_seconds", "retry_after_ms", "retryAfterMs",
			"retryDelay":
			retry.key(key, s)
		default:
			s.skip()
		}
	}
	retry.apply(f)
	// The reason is applied after the loop so that a numeric "code" after
	// "details" does not hide it.
	if v.reason.set && (!f.code.set || f.code.num) {
		f.code = v.reason
	}
	if !v.msg.set {
		v.msg = v.title
	}
	if v.msg.set && !v.msg.num {
		f.setMsg(st, v.msg, depth)
	}
	// Google's status is a name ("RESOURCE_EXHAUSTED"); a JSON:API error's
	// "status" is the HTTP status again, as a string ("404").
	if v.status.set && !v.status.num && (len(v.status.b) == 0 || v.status.b[0] < '0' || v.status.b[0] > '9') {
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

// anyMessage searches a JSON value of no known shape for the first string
// under a "message" key, at most maxDepth levels down.
func (st *state) anyMessage(s *scanner, depth int) fields {
	f := fields{format: FormatJSON}
	if r := findMessage(s, depth); r.set {
		f.setMsg(st, r, depth)
	}
	return f
}

// messageObject returns the message of the object that a "message"
// member holds: its own message, or its "description".
func messageObject(s *scanner, depth int) raw {
	if depth >= maxDepth || !s.open('{') {
		s.skip()
		return raw{}
	}
	var desc raw
	for key, ok := s.key(); ok; key, ok = s.key() {
		switch string(key) {
		case "message", "description":
			if r := s.value(); r.set && !r.num && (string(key) == "message" || !desc.set) {
				desc = r
			}
		default:
			s.skip()
		}
	}
	return desc
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
				if s.peek() == '{' {
					// {"message": {"description": ...}} (PaddleSpeech).
					if r := messageObject(s, depth+1); r.set {
						return r
					}
					continue
				}
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
