package parse

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
