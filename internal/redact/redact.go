package redact

import (
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// mask replaces the secret part of a key or credential.
const mask = "***"

// MaxLen is the largest string, in bytes, that [String] returns: a longer
// text is cut at a character boundary and ends with [CutMark]. Invalid UTF-8
// in the text does not make the result longer than MaxLen either: each run
// of invalid bytes becomes one U+FFFD before the text is cut.
const MaxLen = 8 << 10

// CutMark ends a text that [String] cut at [MaxLen] bytes.
const CutMark = " …[cut]"

// String returns s with API keys, tokens, passwords, private keys and other
// credentials replaced by "***", invalid UTF-8 replaced, and cut to at most
// [MaxLen] bytes. It returns s itself (no allocation), or an equal string
// it returned before, when s is valid UTF-8 of at most MaxLen bytes with
// nothing to redact.
//
// Only what can be kept is read: the first MaxLen bytes of s, and the rest
// of a credential that starts within them. So the work is linear in the
// input up to MaxLen bytes and bounded beyond.
//
// See the package documentation for what is recognised, what is kept and
// the limits.
//
// A long text is often rendered more than once (a result is both logged and
// formatted as an error): String remembers the last text of [memoMin] bytes
// or more that it redacted, and its result, and returns that result again
// for an equal text without scanning it.
func String(s string) string {
	if len(s) < memoMin || len(s) > memoMax {
		return redactString(s)
	}
	if m := memo.Load(); m != nil && m.in == s {
		return m.out
	}
	out := redactString(s)
	memo.Store(&memoEntry{in: s, out: out})
	return out
}

// redactString is String without the memo.
func redactString(s string) string {
	if len(s) <= MaxLen {
		if !utf8.ValidString(s) {
			// Repaired before the scan, not after: the scan then reads
			// the text as its output will read, each run of invalid
			// bytes one U+FFFD, and a second pass finds the same
			// positions (the window after a credential word is
			// measured in bytes).
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		return bound(Credentials(s), false)
	}
	z := scanner{s: s, endAt: -1, limit: MaxLen}
	out, stop := z.redact()
	return bound(out, stop < len(s))
}

// String remembers texts from memoMin to memoMax bytes long: below, scanning
// again costs little more than comparing; above, a text is not kept alive
// for it (one text at most, of at most memoMax bytes, is kept).
const (
	memoMin = 1 << 10
	memoMax = 8 * MaxLen
)

// memo is the last text of memoMin bytes or more that String redacted.
var memo atomic.Pointer[memoEntry]

// A memoEntry is a text and what String returned for it.
type memoEntry struct{ in, out string }

// Credentials returns s with the credentials replaced, as [String] does, but
// neither repairs invalid UTF-8 nor cuts the text: for callers that bound
// the size themselves. It returns s itself when there is nothing to redact.
// It reads the whole of s, in time linear in its length.
func Credentials(s string) string {
	z := scanner{s: s, endAt: -1, limit: len(s)}
	out, _ := z.redact()
	return out
}

// redact returns the text up to where the scan stopped, with the secrets
// masked, and that position: at least z.limit, or the end of the last
// secret that starts before it.
func (z *scanner) redact() (out string, stop int) {
	s := z.s
	_, keep, end := z.next(0)
	if end < 0 {
		return s[:z.limit], z.limit
	}
	var b strings.Builder
	b.Grow(z.limit + 8)
	last := 0 // s[last:] has not been written to b yet
	for end >= 0 {
		b.WriteString(s[last:keep])
		b.WriteString(mask)
		last = end
		if keep < z.nounEnd {
			// The window after a credential word is measured on the
			// text as it will read: the mask is shorter than what it
			// replaces, so what follows comes that much nearer the
			// word, and a second pass, reading the mask, looks at the
			// same tokens.
			z.nounEnd += max(0, end-keep-len(mask))
		}
		_, keep, end = z.next(end)
	}
	stop = max(last, z.limit)
	b.WriteString(s[last:stop])
	return b.String(), stop
}

// bound makes s valid UTF-8, one U+FFFD for each run of invalid bytes, and
// cuts it to MaxLen bytes at a character boundary, ending with CutMark;
// cut says that s is already a cut text, which ends with CutMark too.
func bound(s string, cut bool) string {
	if !cut && len(s) <= MaxLen && utf8.ValidString(s) {
		return s
	}
	if len(s) > MaxLen {
		// Only the first MaxLen bytes can be kept: a replacement of
		// invalid bytes is never longer than three of them, so no more
		// is read.
		s = s[:MaxLen]
		cut = true
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !cut && len(s) <= MaxLen {
		return s
	}
	n := min(len(s), MaxLen-len(CutMark))
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + CutMark
}
