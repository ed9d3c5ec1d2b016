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
	var v errorVals
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
		case "param":
			f.param = s.value()
		case "status":
			v.status = s.value()
		case "details":
			googleDetails = true
			st.googleDetails(s, f, &v.reason)
		default:
			// The other keys are read out of line, so that the loop
			// stays small in the instruction cache.
			st.errorKey(s, f, &v, &retry, key)
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

// errorVals are the members of an error object that errorObject keeps
// until its end.
type errorVals struct{ msg, status, innerCode, reason, metaRaw, title raw }

// errorKey reads the member key of an error object for errorObject: the
// keys that the common errors of OpenAI, Anthropic and Google do not hold.
// Not inlined, so that errorObject's loop stays small.
//
//go:noinline
func (st *state) errorKey(s *scanner, f *fields, v *errorVals, retry *retryKeys, key []byte) {
	switch string(key) {
	case "error_type":
		// {"error": {"error_type": "err_insufficient_balance",
		// "message": ...}} (BytePower): the type when there is no
		// "type".
		if r := s.value(); !f.typ.set {
			f.typ = r
		}
	case "kind":
		// D-ID's {"kind": "FaceError", "description": ...}.
		if !f.code.set {
			f.code = s.value()
		} else {
			s.skip()
		}
	case "title":
		// A JSON:API error's title is its message when it has no
		// detail (remove.bg's {"errors": [{"title": "API Key
		// invalid"}]}).
		v.title = s.value()
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
	case "retryable", "retriable", "retry_after", "retryAfter", "retry_after_seconds",
		"retryAfterSeconds", "retry_after_secs", "retry_after_ms", "retryAfterMs", "retry_after_millis",
		"retryAfterMillis", "retryDelay":
		retry.key(key, s)
	default:
		s.skip()
	}
}
