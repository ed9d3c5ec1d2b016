package classify

import (
	"encoding/binary"
	"math"
	"strings"
	"time"
	"unsafe"

	"github.com/apierr/apierr/internal/num"
)

// messageDelay finds a delay phrase in a message: "Please try again in
// 20s", "Please retry after 6 seconds", "Try again in 5 seconds", "retry in
// 2s", "please wait 10 seconds". Every phrase holds "try " or "wait ", so
// one scan for each finds the candidates, and the words after them decide.
// With fold, msg may hold ASCII upper case, which is folded while
// searching; without, msg is already lowered, and the scans are plain.
//
// With cut, msg ends where the text it comes from was cut (by the body
// limit or by MessageScanLimit): a phrase that runs to its end may have
// lost part of its number or unit ("20m" of "20ms") and is ignored.
//
// Each scan passes over msg once, whatever it holds: the candidates are
// taken in order and the scans for a lead's anchor byte resume where they
// stopped.
func messageDelay(msg string, fold, cut bool) (time.Duration, bool) {
	// Every delay phrase has a number. The message is looked at for a
	// digit first, which costs less than the searches for the leads: a
	// message without one (Anthropic's "Overloaded", OpenAI's quota)
	// needs no search, and one with a number usually has it early.
	if !hasDigit(msg) {
		return 0, false
	}
	for k := range delayLeads {
		// By pointer into a package-level array: a composite literal
		// here would be built on every call.
		lead := &delayLeads[k]
		// Most messages hold no match, or one followed by the phrase:
		// one search settles them, and costs less than setting up
		// leadScan. The matches after the first are left to leadScan, in
		// one pass (a search for each would be quadratic in them).
		var i int
		if fold {
			i = indexFold(msg, lead.s, lead.anchor)
		} else {
			i = indexAnchored(msg, lead.s, lead.anchor)
		}
		if i < 0 {
			continue
		}
		rest := msg[i+len(lead.s):]
		if d, ok, found := phraseAfter(rest, fold, cut); found {
			if ok {
				return d, true
			}
			continue
		}
		if d, ok := leadScan(rest, lead, fold, cut, nil); ok {
			return d, true
		}
	}
	return 0, false
}

// phraseAfter reads the delay phrase that follows a lead ("try ", "wait
// "), after one of delayWords: found reports that there is one, ok that it
// holds (not when it runs to the end of a message that was cut, which may
// have lost part of its number or unit).
func phraseAfter(after string, fold, cut bool) (d time.Duration, ok, found bool) {
	for j := range delayWords {
		w := delayWords[j]
		if len(after) >= len(w) && equalFold(after[:len(w)], w) {
			after = after[len(w):]
			break
		}
	}
	d, n, found := phraseDuration(after, fold)
	if !found {
		return 0, false, false
	}
	if cut && runsToEnd(after[n:]) {
		return 0, false, true
	}
	return d, true, true
}

// runsToEnd reports whether rest, what follows a delay phrase, is a part
// of it that was cut off: nothing, or (after at most one space) letters and
// digits, with dots after digits, up to the end.
func runsToEnd(rest string) bool {
	rest = strings.TrimPrefix(rest, " ")
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c|0x20 >= 'a' && c|0x20 <= 'z', c-'0' <= 9:
		case c == '.' && i > 0 && rest[i-1]-'0' <= 9:
		default:
			return false
		}
	}
	return true
}

// hasDigit reports whether s holds an ASCII digit, eight bytes at a time:
// with x a word XOR '0' in every byte, the digits are the bytes of x below
// 10, and (x - 10 in every byte) &^ x has bit 7 set in some byte exactly
// when some byte of x is below 10 (a borrow that runs into a higher byte
// starts at such a byte).
func hasDigit(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// The bytes of s are only read.
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:i+8]) ^ ones*'0'
		if (x-ones*10)&^x&highs != 0 {
			return true
		}
	}
	for ; i < len(b); i++ {
		if b[i]-'0' <= 9 {
			return true
		}
	}
	return false
}

// delayLeads are the words that every delay phrase holds, with the index
// of their rarest byte; delayWords may follow them, before the duration.
var (
	delayLeads = [...]fragment{{"try ", 2}, {"wait ", 0}}
	delayWords = [...]string{"again in ", "again after ", "after: ", "after ", "in ", "for "}
)

// phraseDuration parses a duration at the start of s: one or more
// number-unit pairs, as in "20s", "644ms", "1.5s", "6 seconds", "1m9.696s",
// "2 minutes". A number must have a unit. Units are in lower case, or in
// any ASCII case with fold. It returns the duration, saturating at the
// largest one, and how many bytes of s it used.
func phraseDuration(s string, fold bool) (time.Duration, int, bool) {
	var total time.Duration
	n, used := 0, 0
	for {
		v, j := num.Read(s[used:])
		if j == 0 {
			break
		}
		k := used + j
		if k < len(s) && s[k] == ' ' {
			k++
		}
		unit, size := phraseUnit(s[k:], fold)
		if size == 0 {
			break
		}
		total = addSat(total, v.Duration(unit))
		n++
		used = k + size
	}
	if n == 0 {
		return 0, 0, false
	}
	return total, used, true
}

// addSat is a + b for non-negative durations, saturating.
func addSat(a, b time.Duration) time.Duration {
	if a > maxDuration-b {
		return maxDuration
	}
	return a + b
}

// maxDuration is where server delays saturate.
const maxDuration = time.Duration(math.MaxInt64)

// phraseUnit reads a time unit at the start of s and returns its length
// and how many bytes it used. The unit is the run of lower-case letters
// there, or with fold of letters in any ASCII case.
func phraseUnit(s string, fold bool) (time.Duration, int) {
	word := 0
	for word < len(s) && (s[word] >= 'a' && s[word] <= 'z' || fold && s[word] >= 'A' && s[word] <= 'Z') {
		word++
	}
	w := s[:word]
	if fold {
		// No unit is longer than "milliseconds": lower it on the stack.
		var b [len("milliseconds")]byte
		if word > len(b) {
			return 0, 0
		}
		for i := 0; i < word; i++ {
			b[i] = foldByte(s[i])
		}
		return unitLength(string(b[:word]), word)
	}
	return unitLength(w, word)
}

// unitLength returns the length of the lower-case unit w, and size, or 0,
// 0 when w is no unit.
func unitLength(w string, size int) (time.Duration, int) {
	switch w {
	case "ms", "msec", "msecs", "millisecond", "milliseconds":
		return time.Millisecond, size
	case "s", "sec", "secs", "second", "seconds":
		return time.Second, size
	case "m", "min", "mins", "minute", "minutes":
		return time.Minute, size
	case "h", "hr", "hrs", "hour", "hours":
		return time.Hour, size
	}
	// Go duration strings run units into the next number: "1m9s".
	return 0, 0
}

// leadScan is messageDelay's search for one lead past its first match, counting its work in st
// when st is not nil (a test checks it). It takes the matches of lead in
// order, each after the end of the one before, in one pass over msg: a
// letter anchor is scanned for in each case when folding, and each scan
// resumes only once the search has passed its last hit, so every byte is
// scanned at most once for each case. (A fresh indexFold at each match
// would scan again for the case that is absent, to the end of the text
// each time: quadratic in the matches.) The state is in local variables,
// which stay in registers.
func leadScan(msg string, lead *fragment, fold, cut bool, st *scanStats) (time.Duration, bool) {
	needle, k := lead.s, lead.anchor
	// Anchors at or past end leave no room for the needle.
	end := len(msg) - len(needle) + k + 1
	if end <= k {
		return 0, false
	}
	t := msg[:end]
	c, u := needle[k], needle[k]
	if fold && c >= 'a' && c <= 'z' {
		u = c - ('a' - 'A')
	}
	// next returns the index of the first b at or after from, or end.
	// (A closure, which the compiler inlines, as it does not a function
	// of the same cost.)
	next := func(from int, b byte) int {
		i := end
		if from < end {
			if j := strings.IndexByte(t[from:], b); j >= 0 {
				i = from + j
			}
		}
		return st.scanned(from, i, end)
	}
	// lo and up are the next hits of c and of u (end when none, or when
	// u is c).
	lo, up := next(k, c), end
	if u != c {
		up = next(k, u)
	}
	for {
		q := min(lo, up)
		if q >= end {
			return 0, false
		}
		p := q - k
		cand := msg[p : p+len(needle)]
		var match bool
		if fold {
			match = equalFold(cand, needle)
		} else {
			match = cand == needle
		}
		if !match {
			if q == lo {
				lo = next(q+1, c)
			} else {
				up = next(q+1, u)
			}
			continue
		}
		if st != nil {
			if st.matches == 0 {
				st.first = p
			}
			st.matches++
			st.last = p
		}
		if d, ok, found := phraseAfter(msg[p+len(needle):], fold, cut); found {
			return d, ok
		}
		// The next match starts after this one: anchors before at would
		// start inside it.
		at := p + len(needle) + k
		if lo < at {
			lo = next(at, c)
		}
		if up < at && u != c {
			up = next(at, u)
		}
	}
}
