package parse

import (
	"bytes"
	"time"
	"unicode"
	"unicode/utf8"
)

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
	// retry is the body's retry statement: 1 retryable, -1 not, 0 none.
	retry int8

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
	// wrap holds wrapped's fields, one for each level it reads at,
	// allocated the first time a body needs it: the fields of a member
	// read there, kept off the heap of every other body.
	wrap *[wrapDepth]fields
	// walking reports that wrapped is reading a member, which counts only
	// if it is an error: the searches for any message are left out.
	walking bool
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
		f.clear()
	}
	f.format, f.found = format, found
}

// clear zeroes f. It is not inlined: reset is, at a dozen places of the
// parsers, and the zeroing of some 250 bytes inlined at each would make
// their code, which every body runs, larger than it needs to be.
//
//go:noinline
func (f *fields) clear() { *f = fields{} }

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
