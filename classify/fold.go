package classify

import (
	"encoding/binary"
	"slices"
	"time"
	"unsafe"
)

// input is what the rules look at.
//
// Patterns are searched in msg as it is, folding ASCII case while
// searching (see indexFold): a typical classification searches a few
// fragments, and lowering a whole message first would cost more than the
// searches. A catalog rule with many patterns is matched on a lowered copy
// instead, made on its own stack (see ruleSet.firstLowered); lower is set
// only there.
type input struct {
	status int
	code   string
	typ    string
	msg    string // the message, at most its first MessageScanLimit bytes
	lower  string
	counts *byteCounts // of lower, when it is long
	cut    bool        // msg ends where the body limit or MessageScanLimit cut it
	// delaySrc is where the body's own delay came from
	// (parse.Fields.RetryDelaySource): parse.SourceRetryInfo for Google's
	// RetryInfo.
	delaySrc string
	// codeKnown: the catalog names code (set by ruleSet.first).
	codeKnown bool
	// builtinRate: a built-in rule or the words called it a rate limit
	// (set by decide), which a period may make a quota (periodNamed).
	builtinRate bool

	// The delay phrase of msg, when delayDone: firstIn finds it on its
	// lowered copy while it has one, which is cheaper than folding.
	delay     time.Duration
	delayOK   bool
	delayDone bool
}

// longMessage is the length above which a message is always matched on a
// lowered copy: the folded searches scan it for each anchor byte in both
// cases, and on a long message (a stack trace, a log dump) that costs more
// than lowering it once, which MessageScanLimit bounds.
const longMessage = 512

// manyPatterns is the number of patterns above which a catalog rule is
// matched on a lowered copy of the message: each folded search scans for
// its anchor byte in both cases, about twice the cost of a plain one.
const manyPatterns = 4

// shortMessage is the length up to which a message's lowered copy is made
// in a buffer of that size.
const shortMessage = 128

// appendLower appends s with ASCII upper-case letters lowered, sixteen
// bytes at a time (two independent words per round). For each byte b <
// 0x80, bit 7 of b+(0x80-'A') is set when b >= 'A' and bit 7 of
// b+(0x80-'Z'-1) when b > 'Z' (neither sum carries into the next byte), so
// bit 7 of their XOR is set for the upper-case letters; bytes >= 0x80 are
// left alone.
func appendLower(dst []byte, s string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)]
	src := unsafe.Slice(unsafe.StringData(s), len(s))
	// out has src's length, which spares the loops its bounds checks.
	out := dst[n:][:len(src)]
	i := 0
	for ; i < len(src)-31; i += 32 {
		// Windows of fixed size: their words need no bounds checks.
		a, b := src[i:i+32], out[i:i+32]
		binary.LittleEndian.PutUint64(b[:8], lower8(binary.LittleEndian.Uint64(a[:8])))
		binary.LittleEndian.PutUint64(b[8:16], lower8(binary.LittleEndian.Uint64(a[8:16])))
		binary.LittleEndian.PutUint64(b[16:24], lower8(binary.LittleEndian.Uint64(a[16:24])))
		binary.LittleEndian.PutUint64(b[24:32], lower8(binary.LittleEndian.Uint64(a[24:32])))
	}
	if i < len(src)-15 {
		a, b := src[i:i+16], out[i:i+16]
		binary.LittleEndian.PutUint64(b[:8], lower8(binary.LittleEndian.Uint64(a[:8])))
		binary.LittleEndian.PutUint64(b[8:], lower8(binary.LittleEndian.Uint64(a[8:])))
		i += 16
	}
	if len(src) >= 8 {
		// At most fifteen bytes are left: a word at i, then the last
		// word of src, which may overlap bytes already written (with the
		// same values, as they are read from src).
		if i+8 <= len(src) {
			binary.LittleEndian.PutUint64(out[i:i+8], lower8(binary.LittleEndian.Uint64(src[i:i+8])))
			i += 8
		}
		if i < len(src) {
			k := len(src) - 8
			binary.LittleEndian.PutUint64(out[k:k+8], lower8(binary.LittleEndian.Uint64(src[k:k+8])))
		}
		return dst
	}
	for ; i < len(src); i++ {
		out[i] = foldByte(src[i])
	}
	return dst
}

// lower8 lowers the ASCII upper-case letters of the eight bytes of w (see
// appendLower).
func lower8(w uint64) uint64 {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	l := w &^ high
	u := ((l + ones*(0x80-'A')) ^ (l + ones*(0x80-'Z'-1))) & (w ^ high) & high
	return w | u>>2
}

// foldByte lowers an ASCII upper-case letter.
func foldByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// lowerASCII lowers the ASCII letters of s and leaves every other byte as
// it is, as the message is lowered: strings.ToLower would also fold other
// letters and turn invalid UTF-8 into U+FFFD, and the two would disagree.
func lowerASCII(s string) string {
	if !hasUpper(s) {
		return s
	}
	return string(appendLower(make([]byte, 0, len(s)), s))
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// equalFold reports whether a and b, of the same length, are equal after
// lowering their ASCII letters.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && foldByte(a[i]) != foldByte(b[i]) {
			return false
		}
	}
	return true
}
