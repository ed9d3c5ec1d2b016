package parse

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// markup reads an HTML page or an XML error document. An XML document with
// a <Message> element (AWS and Azure storage style) is an error of its own;
// for HTML the message is the <title>, else the first <h1>. A page that
// declares itself HTML (<!DOCTYPE html> or <html> first) is not searched
// for a <message> element: that search would read the whole page.
func (st *state) markup(b []byte) fields {
	if isHTML(b) {
		return st.html(b)
	}
	if msg, ok := element(b, "message"); ok {
		f := fields{format: FormatXML, found: true, hasMsg: true}
		f.msg = st.addText(msg)
		if code, ok := element(b, "code"); ok {
			f.code = raw{b: bytes.TrimSpace(code), set: true}
		}
		return f
	}
	if msg, code, ok := errorElement(b); ok {
		// Yandex's XML search API, also on a 200: <response><error
		// code="42">...</error></response>.
		f := fields{format: FormatXML, found: true, hasMsg: true}
		f.msg = st.addText(msg)
		if len(code) > 0 {
			f.code = raw{b: code, set: true}
		}
		return f
	}
	return st.html(b)
}

// errorElement returns the text of the first <error> element of an XML
// document, when it has one, and its code attribute.
func errorElement(b []byte) (text, code []byte, ok bool) {
	text, ok = element(b, "error")
	if !ok || len(bytes.TrimSpace(text)) == 0 {
		return nil, nil, false
	}
	// The opening tag ends where its content starts (text is a slice of
	// b): read its code attribute there.
	end := cap(b) - cap(text)
	if end < 0 || end > len(b) {
		return text, nil, true
	}
	start := bytes.LastIndexByte(b[:end], '<')
	if start < 0 {
		return text, nil, true
	}
	tag := b[start:end]
	if i := bytes.Index(tag, []byte("code=")); i >= 0 && i+len("code=") < len(tag) {
		v := tag[i+len("code="):]
		if q := v[0]; q == '"' || q == '\'' {
			if j := bytes.IndexByte(v[1:], q); j >= 0 {
				code = v[1 : 1+j]
			}
		}
	}
	return text, code, true
}

// isHTML reports whether b starts, after white space, with an HTML doctype
// or an <html> tag.
func isHTML(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return hasPrefixFold(b, "<!doctype html") || (hasPrefixFold(b, "<html") && len(b) > 5 && (b[5] == '>' || b[5] == ' ' || b[5] == '\t' || b[5] == '\r' || b[5] == '\n'))
}

// html reads an HTML page: the message is the <title>, else the first <h1>,
// else the first <h2> (Azure Front Door's bare error fragment).
func (st *state) html(b []byte) fields {
	f := fields{format: FormatHTML}
	text, ok := element(b, "title")
	if !ok || len(bytes.TrimSpace(text)) == 0 {
		text, ok = element(b, "h1")
	}
	if !ok || len(bytes.TrimSpace(text)) == 0 {
		text, ok = element(b, "h2")
	}
	if ok {
		f.msg = st.addText(text)
		f.hasMsg = f.msg.n > 0
	}
	return f
}

// element returns the content of the first <name ...>...</name> element,
// matching the tag name without regard to ASCII case. An element whose
// closing tag is missing runs to the end of b.
func element(b []byte, name string) ([]byte, bool) {
	for off := 0; off < len(b); {
		i := bytes.IndexByte(b[off:], '<')
		if i < 0 {
			return nil, false
		}
		i += off
		off = i + 1
		j := i + 1
		if !hasPrefixFold(b[j:], name) {
			continue
		}
		j += len(name)
		if j < len(b) && b[j] != '>' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' && b[j] != '/' {
			continue // a longer tag name, such as <titles>
		}
		gt := bytes.IndexByte(b[j:], '>')
		if gt < 0 {
			return nil, false
		}
		start := j + gt + 1
		if b[j+gt-1] == '/' && gt > 0 {
			return nil, true // <title/>
		}
		end := start
		for {
			k := bytes.Index(b[end:], []byte("</"))
			if k < 0 {
				return b[start:], true
			}
			end += k
			if hasPrefixFold(b[end+2:], name) {
				return b[start:end], true
			}
			end += 2
		}
	}
	return nil, false
}

// addText appends markup text with tags removed, character references
// decoded and runs of white space collapsed to one space.
func (st *state) addText(b []byte) span {
	st.ensure(len(b))
	off := len(st.buf)
	space := false
	for i := 0; i < len(b); {
		c := b[i]
		if plainText(c) {
			// A run of printable ASCII is copied in one go: a title is
			// mostly that, and a byte at a time costs an append each.
			if space && len(st.buf) > off {
				st.buf = append(st.buf, ' ')
			}
			space = false
			j := i + 1
			for j < len(b) && plainText(b[j]) {
				j++
			}
			st.buf = append(st.buf, b[i:j]...)
			i = j
			continue
		}
		switch {
		case c == '<':
			j := bytes.IndexByte(b[i:], '>')
			if j < 0 {
				i = len(b)
				continue
			}
			i += j + 1
			space = true
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			space = true
			i++
			continue
		}
		var r rune
		n := 0
		if c == '&' {
			r, n = entity(b[i:])
		}
		if n > 0 && r == '\u00a0' {
			// &nbsp; is white space too: it must not emit the space
			// pending before it.
			space = true
			i += n
			continue
		}
		if space && len(st.buf) > off {
			st.buf = append(st.buf, ' ')
		}
		space = false
		if n > 0 {
			st.buf = utf8.AppendRune(st.buf, r)
			i += n
			continue
		}
		if c < utf8.RuneSelf {
			st.buf = append(st.buf, c)
			i++
			continue
		}
		r, n = utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			st.buf = append(st.buf, "\uFFFD"...)
			i++
			continue
		}
		st.buf = append(st.buf, b[i:i+n]...)
		i += n
	}
	return st.trim(span{off, len(st.buf) - off})
}

// plainText reports whether c is printable ASCII that addText copies as it
// is: not white space, not a tag's '<', not a character reference's '&'.
func plainText(c byte) bool {
	return c > ' ' && c < utf8.RuneSelf && c != '<' && c != '&'
}

// entity decodes a character reference at the start of b and returns the
// rune and the bytes consumed, or 0, 0.
func entity(b []byte) (rune, int) {
	end := bytes.IndexByte(b, ';')
	if end < 2 || end > 10 {
		return 0, 0
	}
	name := b[1:end]
	if name[0] == '#' {
		var v uint64
		var err error
		if len(name) > 1 && (name[1] == 'x' || name[1] == 'X') {
			v, err = strconv.ParseUint(string(name[2:]), 16, 32)
		} else {
			v, err = strconv.ParseUint(string(name[1:]), 10, 32)
		}
		if err != nil || v == 0 || v > utf8.MaxRune {
			return 0, 0
		}
		return rune(v), end + 1
	}
	switch string(name) {
	case "amp":
		return '&', end + 1
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "quot":
		return '"', end + 1
	case "apos":
		return '\'', end + 1
	case "nbsp":
		return '\u00a0', end + 1
	case "mdash":
		return '—', end + 1
	case "ndash":
		return '–', end + 1
	}
	return 0, 0
}

// hasPrefixFold reports whether b starts with lower, a lower-case ASCII
// string, without regard to ASCII case.
func hasPrefixFold(b []byte, lower string) bool {
	if len(b) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains lower, a lower-case ASCII string,
// without regard to ASCII case. It does not allocate.
func containsFold(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		j := 0
		for ; j < len(lower); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == len(lower) {
			return true
		}
	}
	return false
}
