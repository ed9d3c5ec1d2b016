package main

import (
	"unicode"
	"unicode/utf8"

	"github.com/apierr/apierr/internal/redact"
)

// fieldMax is the most bytes the command prints for one field that came
// from the response or the input (a message, a type, a request id, an
// error), escapes included: a longer field is cut at a character boundary
// and ends with redact.CutMark. redact.String has already bounded the text
// itself to redact.MaxLen bytes; escaping control characters can still
// multiply that by six.
const fieldMax = 8 << 10

// redactField redacts s and cuts it so that, printed with the escapes that
// size counts for each character, it takes at most fieldMax bytes.
func redactField(s string, size func(r rune, n int) int) string {
	s = redact.String(s)
	total := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		total += size(r, n)
		i += n
	}
	if total <= fieldMax {
		return s
	}
	room := fieldMax - len(redact.CutMark)
	total = 0
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if k := size(r, n); total+k <= room {
			total += k
			i += n
			continue
		}
		break
	}
	return s[:i] + redact.CutMark
}

// jsonSize is how many bytes appendString writes for the character r of
// n bytes.
func jsonSize(r rune, n int) int {
	switch {
	case r == '"', r == '\\', r == '\b', r == '\f', r == '\n', r == '\r', r == '\t':
		return 2
	case r < 0x20, r == utf8.RuneError && n == 1, r == '\u2028', r == '\u2029':
		return 6
	}
	return n
}

// termSize is how many bytes printable writes for the character r of n
// bytes.
func termSize(r rune, n int) int {
	switch {
	case r == '\n':
		return 1 + labelWidth
	case r == '\t':
		return 1
	case r == utf8.RuneError && n == 1:
		return 4
	case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
		if r < 0x100 {
			return 4
		}
		return 6
	}
	return n
}
