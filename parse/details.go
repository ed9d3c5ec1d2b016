package parse

import (
	"bytes"
)

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
		for k, ok := s.key(); ok; k, ok = s.key() {
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
		for k, ok := s.key(); ok; k, ok = s.key() {
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
