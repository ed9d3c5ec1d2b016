package parse

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// scanner is a tolerant, allocation-free JSON tokenizer. It pulls a few
// fields out of an error body without building a tree: strings are returned
// as raw byte ranges of the input and unescaped only when a field is kept.
//
// Tolerance is deliberate, because error bodies are often broken: raw
// control characters inside strings are accepted, a string cut off by the
// end of input runs to the end, single-quoted strings (Python reprs that
// gateways embed in messages) are read like double-quoted ones, and anything
// unexpected ends the current object instead of failing the whole parse.
// Every method advances or reports false, so loops over a scanner always end.
type scanner struct {
	b []byte
	i int
}

// raw is a JSON string as it appears in the input (without its quotes), or a
// bare literal such as a number. num reports that it is not a string.
// Whether it holds backslash escapes is found out only when it is kept (by
// appendUnescaped), so that the strings that are skipped cost no search.
type raw struct {
	b   []byte
	num bool
	set bool
	// plain reports that b is known to hold no backslash, which spares
	// appendUnescaped a second search.
	plain bool
}

// peek skips white space and returns the next byte, or 0 at the end of
// input.
func (s *scanner) peek() byte {
	i, c := skipSpace(s.b, s.i)
	s.i = i
	return c
}

// str reads a string starting at the current quote (" or ').
func (s *scanner) str() raw {
	return s.strAt(s.i, s.b[s.i])
}

// strAt is str for a caller that has the index of the quote q at hand, and
// so spares reloading s.i and the quote from memory.
func (s *scanner) strAt(open int, q byte) raw {
	// Every return sets s.i.
	start := open + 1
	// Keys and codes are short: look for the closing quote (or a
	// backslash, which sends us the long way) eight bytes at a time,
	// which costs less than two calls to IndexByte.
	b := s.b
	i := start
	qs := swarOnes * uint64(q)
	end := min(len(b), start+32)
	for ; i+8 <= end; i += 8 {
		w := binary.LittleEndian.Uint64(b[i : i+8])
		if m := zeroByte(w^qs) | zeroByte(w^(swarOnes*'\\')); m != 0 {
			k := i + bits.TrailingZeros64(m)/8
			if b[k] == q {
				// The first quote or backslash is the quote: the
				// string holds no backslash, which spares
				// appendUnescaped and setMsg their search. The
				// capacity is cut to the length, which saves
				// computing it apart (nothing appends to a raw).
				s.i = k + 1
				return raw{b: b[start:k:k], set: true, plain: true}
			}
			break
		}
	}
	// A short string at the very end of the input (the last value of a
	// body) leaves fewer than eight bytes: they are looked at one by one,
	// which costs less than a call to IndexByte.
	if len(b)-i < 8 && end == len(b) {
		for k := i; k < len(b); k++ {
			if c := b[k]; c == q {
				s.i = k + 1
				return raw{b: b[start:k:k], set: true, plain: true}
			} else if c == '\\' {
				break
			}
		}
	}
	// b[start:i] holds neither a quote nor a backslash: the search for
	// the closing quote starts after it.
	s.i = i
	for {
		j := bytes.IndexByte(s.b[s.i:], q)
		if j < 0 {
			// Cut off by the end of input: keep what there is.
			s.i = len(s.b)
			return raw{b: s.b[start:], set: true}
		}
		end := s.i + j
		// Count the backslashes right before the quote.
		n := 0
		for k := end - 1; k >= start && s.b[k] == '\\'; k-- {
			n++
		}
		s.i = end + 1
		if n%2 == 0 {
			return raw{b: s.b[start:end], set: true}
		}
	}
}

// short returns the string that b starts with, up to the quote q that
// ends it, when the string is short (at most seven bytes) and holds no
// backslash, and reports whether it is. Most keys are such strings: key
// tests for one inline, which spares it a call of str. (Values are longer
// more often, and a failed test costs more than a call of str saves.) It
// is kept within the inlining budget: the capacity of the result is not
// cut, as a key is only compared.
func short(b []byte, q byte) ([]byte, bool) {
	if len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		// A backslash anywhere in the word, even past the quote, sends
		// the string to str: rare, and cheaper than finding which comes
		// first.
		if m := zeroByte(w ^ (swarOnes * uint64(q))); m != 0 && zeroByte(w^(swarOnes*'\\')) == 0 {
			return b[:bits.TrailingZeros64(m)/8], true
		}
	}
	return nil, false
}

// skipSpace returns the index of the next byte that is not white space in
// b from i, and that byte (0 at the end). It returns the byte from inside
// the loop, rather than after it, which would test the bounds and load the
// byte a second time. Callers that keep the index in a local (key) call it
// directly; the others through peek.
func skipSpace(b []byte, i int) (int, byte) {
	for i < len(b) {
		c := b[i]
		if c > ' ' || (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			return i, c
		}
		i++
	}
	return i, 0
}

const swarOnes = 0x0101010101010101

// zeroByte has the high bit set in (at least) the first zero byte of w and
// in no byte before it.
func zeroByte(w uint64) uint64 {
	return (w - swarOnes) &^ w & (swarOnes * 0x80)
}

// literal reads a number, true, false, null (or Python's None) up to the
// next delimiter.
//
// It advances a local index, stored back once: incrementing s.i in memory
// would chain each byte to a store and a reload.
func (s *scanner) literal() raw {
	b, start := s.b, s.i
	i := start
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r', ':':
			s.i = i
			return raw{b: b[start:i], num: true, set: true}
		}
		i++
	}
	s.i = i
	return raw{b: b[start:i], num: true, set: true}
}

// skip skips one value of any kind. Containers are skipped by counting
// brackets, without recursion, so nesting depth costs nothing.
func (s *scanner) skip() {
	switch c := s.peek(); c {
	case 0:
		return
	case '"', '\'':
		s.str()
		return
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"', '\'':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return
				}
			}
			s.i++
		}
		return
	case '}', ']', ',', ':':
		// Not a value: leave it for the caller, which stops.
		return
	default:
		s.literal()
	}
}

// value reads a string or a literal; containers are skipped and reported as
// unset.
func (s *scanner) value() raw {
	// Most values are strings: one test before the switch, which is a
	// binary search over its cases.
	c := s.peek()
	if c == '"' || c == '\'' {
		return s.strAt(s.i, c)
	}
	switch c {
	case '{', '[', 0, '}', ']', ',', ':':
		s.skip()
		return raw{}
	default:
		r := s.literal()
		if isNull(r.b) {
			return raw{}
		}
		return r
	}
}

func isNull(b []byte) bool {
	return string(b) == "null" || string(b) == "None"
}

// open consumes c ('{' or '[') and reports whether it was there.
func (s *scanner) open(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// key reads the next object key and its colon. It returns false at the end
// of the object (consuming the '}') or on anything unexpected.
//
// It works on a local copy of the index, stored back once: each store to
// s.i and reload by the next peek would put a round trip through memory
// on the path from one byte to the next.
func (s *scanner) key() ([]byte, bool) {
	b := s.b
	i, c := skipSpace(b, s.i)
	if c == ',' {
		i, c = skipSpace(b, i+1)
	}
	if c != '"' && c != '\'' {
		if c == '}' {
			i++
		}
		s.i = i
		return nil, false
	}
	k, ok := short(b[i+1:], c)
	if ok {
		i += len(k) + 2 // the quotes
	} else {
		k = s.strAt(i, c).b
		i = s.i
	}
	i, c = skipSpace(b, i)
	if c == ':' {
		i++
	}
	s.i = i
	return k, true
}

// elem reports whether another array element follows, consuming a comma
// before it or the closing ']' after the last one.
func (s *scanner) elem() bool {
	c := s.peek()
	if c == ',' {
		s.i++
		c = s.peek()
	}
	switch c {
	case ']':
		s.i++
		return false
	case 0, '}', ':':
		// ':' cannot start a value and skip would not consume it: stop
		// rather than loop for ever on input such as `[:`.
		return false
	}
	return true
}

// appendUnescaped appends the decoded form of a raw string to dst, turning
// invalid UTF-8 and lone surrogates into U+FFFD.
func appendUnescaped(dst []byte, r raw) []byte {
	b := r.b
	// Most strings hold no escape and are plain ASCII. One vectorised
	// search rules out escapes, asciiPrefix finds where the ASCII ends
	// reading thirty-two bytes a round, and the ASCII part is copied at
	// once: cheaper than checking and copying word by word.
	esc := -1
	if !r.plain {
		esc = bytes.IndexByte(b, '\\')
	}
	if esc < 0 {
		i := asciiPrefix(b)
		dst = append(dst, b[:i]...)
		if i == len(b) {
			return dst
		}
		return appendValid(dst, b[i:])
	}
	i := asciiPrefix(b[:esc])
	dst = append(dst, b[:i]...)
	for i < len(b) {
		c := b[i]
		if c != '\\' {
			j := i + 1
			for j < len(b) && b[j] != '\\' {
				j++
			}
			dst = appendValid(dst, b[i:j])
			i = j
			continue
		}
		if i+1 >= len(b) {
			break
		}
		e := b[i+1]
		i += 2
		switch e {
		case 'n':
			dst = append(dst, '\n')
		case 't':
			dst = append(dst, '\t')
		case 'r':
			dst = append(dst, '\r')
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'u':
			r1, ok := hex4(b, i)
			if !ok {
				dst = append(dst, "\uFFFD"...)
				continue
			}
			i += 4
			if utf16IsSurrogate(r1) {
				if r1 < 0xDC00 && i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
					if r2, ok := hex4(b, i+2); ok && r2 >= 0xDC00 && r2 < 0xE000 {
						i += 6
						dst = utf8.AppendRune(dst, (r1-0xD800)<<10+(r2-0xDC00)+0x10000)
						continue
					}
				}
				dst = append(dst, "\uFFFD"...)
				continue
			}
			dst = utf8.AppendRune(dst, r1)
		default:
			// \" \\ \/ and, tolerantly, any other escaped byte.
			if e < utf8.RuneSelf {
				dst = append(dst, e)
			} else {
				i--
			}
		}
	}
	return dst
}

// asciiPrefix returns the length of the longest prefix of b that is plain
// ASCII. It ORs eight words together per round: one test of their high bits
// then clears sixty-four bytes (a message is typically a few hundred).
func asciiPrefix(b []byte) int {
	const high = swarOnes * 0x80
	all, n := b, len(b)
	// b is resliced rather than indexed, so that the loads need no bounds
	// checks.
	for len(b) >= 64 {
		w := binary.LittleEndian.Uint64(b[0:8]) | binary.LittleEndian.Uint64(b[8:16]) |
			binary.LittleEndian.Uint64(b[16:24]) | binary.LittleEndian.Uint64(b[24:32]) |
			binary.LittleEndian.Uint64(b[32:40]) | binary.LittleEndian.Uint64(b[40:48]) |
			binary.LittleEndian.Uint64(b[48:56]) | binary.LittleEndian.Uint64(b[56:64])
		if w&high != 0 {
			break
		}
		b = b[64:]
	}
	if len(b) >= 32 {
		w := binary.LittleEndian.Uint64(b[0:8]) | binary.LittleEndian.Uint64(b[8:16]) |
			binary.LittleEndian.Uint64(b[16:24]) | binary.LittleEndian.Uint64(b[24:32])
		if w&high == 0 {
			b = b[32:]
		}
	}
	for len(b) > 8 {
		if binary.LittleEndian.Uint64(b)&high != 0 {
			break
		}
		b = b[8:]
	}
	// One to eight bytes are left when all before them are ASCII: the
	// last word of the input holds them (overlapping bytes already seen),
	// which costs less than looking at them one by one.
	if len(b) <= 8 && n >= 8 && binary.LittleEndian.Uint64(all[n-8:])&high == 0 {
		return n
	}
	for len(b) > 0 && b[0] < utf8.RuneSelf {
		b = b[1:]
	}
	return n - len(b)
}

func utf16IsSurrogate(r rune) bool { return r >= 0xD800 && r < 0xE000 }

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// appendValid appends b, replacing each invalid UTF-8 sequence with U+FFFD.
func appendValid(dst, b []byte) []byte {
	for len(b) > 0 {
		// The ASCII run first, eight bytes at a time while no byte of
		// them has its top bit set.
		i := 0
		for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		for i < len(b) && b[i] < utf8.RuneSelf {
			i++
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		if len(b) == 0 {
			break
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			dst = append(dst, "\uFFFD"...)
			b = b[1:]
			continue
		}
		dst = append(dst, b[:n]...)
		b = b[n:]
	}
	return dst
}
