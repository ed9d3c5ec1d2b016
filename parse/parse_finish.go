package parse

import (
	"unsafe"
)

// finish turns the fields into owned strings with a single allocation.
func (st *state) finish(f *fields, e *Fields) {
	e.Format = f.format
	e.Found = f.found
	e.RetryDelay, e.RetryDelaySource = f.delay, f.delaySrc
	switch f.retry {
	case 1:
		e.Retryable = "true"
	case -1:
		e.Retryable = "false"
	}
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
