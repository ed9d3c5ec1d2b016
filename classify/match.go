package classify

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/apierr/apierr/catalog"
)

// builtin holds the catalog's rules, indexed so that a classification
// looks only at the rules that can match: a bit set of the rules that apply
// to each status, and a hash table from lower-cased code to the rules naming
// it. Matching a code costs one probe or two instead of a comparison with
// every code in the catalog.
var builtin = compile(catalog.Rules())

// maxIndexedStatus bounds the per-status table; statuses outside it see
// only the rules that name no status.
const maxIndexedStatus = 600

type ruleSet struct {
	rules      []catalog.Rule
	patterns   [][]pattern // per rule, its Contains compiled
	byCode     codeTable   // lower-cased code -> rules naming it
	byStatus   [maxIndexedStatus]uint64
	anyStatus  uint64 // rules with no Statuses
	noCodeRule uint64 // rules with no Codes: they need no code match
	contains   uint64 // rules with Contains: they need a message
}

func compile(rules []catalog.Rule) *ruleSet {
	if len(rules) > 64 {
		panic("classify: the built-in catalog has more than 64 rules; widen ruleSet's bit sets")
	}
	rs := &ruleSet{rules: rules, patterns: make([][]pattern, len(rules))}
	for i, r := range rules {
		bit := uint64(1) << i
		for _, c := range r.Contains {
			rs.patterns[i] = append(rs.patterns[i], compilePattern(c))
		}
		for _, c := range r.Codes {
			rs.byCode.add(lowerASCII(c), bit)
		}
		if len(r.Codes) == 0 {
			rs.noCodeRule |= bit
		}
		if len(r.Contains) > 0 {
			rs.contains |= bit
		}
		if len(r.Statuses) == 0 {
			rs.anyStatus |= bit
		}
		for _, st := range r.Statuses {
			if st >= 0 && st < maxIndexedStatus {
				rs.byStatus[st] |= bit
			}
		}
	}
	for st := range rs.byStatus {
		rs.byStatus[st] |= rs.anyStatus
	}
	return rs
}

// codeTable maps lower-cased codes to rule bit sets. It is an
// open-addressing hash table with linear probing, cheaper than a
// map[string]uint64 for this use: its hash reads only the length and three
// bytes of the code, ASCII case folded, so a code needs no lower-cased copy
// before the lookup, and a code that is already in lower case (nearly all
// are) is then compared with one string comparison.
type codeTable struct {
	slots [codeTableSize]codeSlot
	n     int
}

// codeTableSize is a power of two at least twice the number of codes in
// the catalog, so that probe sequences stay short.
const codeTableSize = 512

type codeSlot struct {
	code  string // lower-cased; "" marks an empty slot
	rules uint64
}

// foldByte lowers an ASCII upper-case letter.
func foldByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// codeHash hashes s without regard to ASCII case. s is not empty.
func codeHash(s string) uint {
	h := uint(len(s))*0x9E3779B1 ^ uint(foldByte(s[0]))<<16 ^ uint(foldByte(s[len(s)/2]))<<8 ^ uint(foldByte(s[len(s)-1]))
	h *= 0x85EBCA6B
	return (h ^ h>>15) & (codeTableSize - 1)
}

// add records that the rules in bits name the lower-cased code lc.
func (t *codeTable) add(lc string, bits uint64) {
	if lc == "" {
		return
	}
	for i := codeHash(lc); ; i = (i + 1) & (codeTableSize - 1) {
		sl := &t.slots[i]
		if sl.code == lc {
			sl.rules |= bits
			return
		}
		if sl.code == "" {
			if 2*(t.n+1) > codeTableSize {
				panic("classify: the built-in catalog has too many codes; enlarge codeTableSize")
			}
			t.n++
			*sl = codeSlot{lc, bits}
			return
		}
	}
}

// lookupFold returns the rules naming code s, compared without regard to
// ASCII case.
func (rs *ruleSet) lookupFold(s string) uint64 {
	if s == "" {
		return 0
	}
	t := &rs.byCode
	for i := codeHash(s); ; i = (i + 1) & (codeTableSize - 1) {
		sl := &t.slots[i]
		if sl.code == "" {
			return 0
		}
		if len(sl.code) == len(s) && (sl.code == s || equalLowerFold(sl.code, s)) {
			return sl.rules
		}
	}
}

// equalLowerFold reports whether lower, which holds no ASCII upper-case
// letter, equals s with its ASCII letters lowered. They have the same
// length.
func equalLowerFold(lower, s string) bool {
	if len(lower) >= 8 && len(s) == len(lower) {
		// A word at a time, the last one overlapping the one before.
		for i := 0; i < len(s)-8; i += 8 {
			if load64(lower, i) != lower8(load64(s, i)) {
				return false
			}
		}
		k := len(s) - 8
		return load64(lower, k) == lower8(load64(s, k))
	}
	for i := 0; i < len(lower) && i < len(s); i++ {
		if lower[i] != foldByte(s[i]) {
			return false
		}
	}
	return true
}

// load64 returns the eight bytes of s at i as a little-endian word; the
// compiler merges the byte loads into one.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

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

// first returns the first rule of rs that matches in, or nil.
func (rs *ruleSet) first(in *input) *catalog.Rule {
	var cand uint64
	if in.status >= 0 && in.status < maxIndexedStatus {
		cand = rs.byStatus[in.status]
	} else {
		cand = rs.anyStatus
	}
	codes := rs.noCodeRule
	if in.code != "" || in.typ != "" {
		codes |= rs.lookupFold(in.code)
		if in.typ != in.code {
			codes |= rs.lookupFold(in.typ)
		}
	}
	m := cand & codes
	if in.msg == "" {
		// No rule that needs a message can match: the status-only path
		// does not walk them.
		m &^= rs.contains
	}
	for ; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		r := &rs.rules[i]
		if len(r.Contains) > 0 {
			if (len(r.Contains) > manyPatterns || len(in.msg) > longMessage) && in.lower == "" {
				return rs.firstLowered(in, m)
			}
			if !matchAny(in, rs.patterns[i]) {
				continue
			}
		}
		return r
	}
	return nil
}

// firstLowered goes on with first's loop from the rules in m, matching
// patterns on a lowered copy of the message. The copy lives in this
// function's frame, so that the classifications that never need it do not
// pay for clearing the buffer; a long message's in firstLong's.
func (rs *ruleSet) firstLowered(in *input, m uint64) *catalog.Rule {
	if len(in.msg) > longMessage {
		return rs.firstLong(in, m)
	}
	if len(in.msg) <= shortMessage {
		// Most messages: a smaller buffer costs less to clear.
		var buf [shortMessage]byte
		return rs.firstIn(in, m, appendLower(buf[:0], in.msg), nil)
	}
	var buf [longMessage]byte
	return rs.firstIn(in, m, appendLower(buf[:0], in.msg), nil)
}

// firstLong is firstLowered for a long message (a stack trace, a log
// dump), at most MessageScanLimit bytes: it also counts the bytes of the
// lowered copy once, so that each fragment is searched for by the byte
// that is rarest in this message, and not at all when one of its bytes is
// absent. Not inlined: its buffers would grow the frame of every
// classification that matches patterns.
//
//go:noinline
func (rs *ruleSet) firstLong(in *input, m uint64) *catalog.Rule {
	var buf [MessageScanLimit]byte
	var counts byteCounts
	lb := appendLower(buf[:0], in.msg)
	counts.add(lb)
	return rs.firstIn(in, m, lb, &counts)
}

// firstIn goes on with first's loop from the rules in m on lb, the lowered
// message, whose bytes counts counts (nil for a short message).
func (rs *ruleSet) firstIn(in *input, m uint64, lb []byte, counts *byteCounts) *catalog.Rule {
	low := *in
	// lb is not modified while low is in use, and low does not outlive
	// this call.
	low.lower = unsafe.String(unsafe.SliceData(lb), len(lb))
	low.counts = counts
	var rule *catalog.Rule
	for ; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		r := &rs.rules[i]
		if len(r.Contains) > 0 && !matchAny(&low, rs.patterns[i]) {
			continue
		}
		rule = r
		break
	}
	// The delay phrase is looked for here too, on the lowered copy, when
	// Classifier.delays may need it: for a rule whose result uses a delay,
	// or when no rule matched (the status decides).
	if rule == nil || wantsDelay(rule.Category, ruleRetryable(rule)) {
		in.delay, in.delayOK = messageDelay(low.lower, false, in.cut)
		in.delayDone = true
	}
	return rule
}

// firstUser is first for rules that have no index: the user's own.
func firstUser(rules []catalog.Rule, in *input) *catalog.Rule {
	for i := range rules {
		r := &rules[i]
		if len(r.Statuses) > 0 && !slices.Contains(r.Statuses, in.status) {
			continue
		}
		if len(r.Codes) > 0 && !codeMatch(r.Codes, in) {
			continue
		}
		if len(r.Contains) > 0 && !containsAny(in, r.Contains) {
			continue
		}
		return r
	}
	return nil
}

func codeMatch(codes []string, in *input) bool {
	for _, c := range codes {
		if (in.code != "" && strings.EqualFold(c, in.code)) || (in.typ != "" && strings.EqualFold(c, in.typ)) {
			return true
		}
	}
	return false
}

// containsAny reports whether the message matches one of a user rule's
// Contains entries. They are searched as they are, folding ASCII case, not
// compiled: a user rule costs no allocation per classification.
func containsAny(in *input, patterns []string) bool {
	if in.msg == "" {
		return false
	}
	for _, p := range patterns {
		if matchFold(in.msg, p) {
			return true
		}
	}
	return false
}

// matchFold reports whether s holds the "*"-separated fragments of
// pattern in order, without regard to ASCII case in either.
func matchFold(s, pattern string) bool {
	for {
		frag, rest, more := strings.Cut(pattern, "*")
		if frag != "" {
			i := indexFold(s, frag, anchor(frag))
			if i < 0 {
				return false
			}
			s = s[i+len(frag):]
		}
		if !more {
			return true
		}
		pattern = rest
	}
}

// matchAny reports whether one of patterns matches in's message: its
// lowered copy when there is one, else the message itself, folding case.
func matchAny(in *input, patterns []pattern) bool {
	if in.msg == "" {
		return false
	}
	if in.counts != nil {
		for i := range patterns {
			if patterns[i].matchCounted(in.lower, in.counts) {
				return true
			}
		}
		return false
	}
	if in.lower != "" {
		for i := range patterns {
			if patterns[i].match(in.lower, false) {
				return true
			}
		}
		return false
	}
	for i := range patterns {
		if patterns[i].match(in.msg, true) {
			return true
		}
	}
	return false
}

// pattern is a Rule.Contains entry split at "*" into lower-cased
// fragments, each with the index of its rarest byte: the search scans for
// that byte, so a fragment that starts with a common letter ("exceeds")
// does not stop at every "e" of the message.
type pattern struct {
	frags  [4]fragment
	n      int
	minLen int        // the fragments' lengths added up: a shorter message cannot match
	spill  []fragment // fragments past the fourth
	always bool       // the pattern is empty or only "*": it matches
}

type fragment struct {
	s      string
	anchor int
}

// compilePattern splits p at "*", lower-cases the fragments and picks
// their anchors, once, for the catalog's rules.
func compilePattern(p string) pattern {
	var pt pattern
	for {
		frag, rest, more := strings.Cut(p, "*")
		if frag != "" {
			if hasUpper(frag) {
				frag = lowerASCII(frag)
			}
			f := fragment{frag, anchor(frag)}
			if pt.n < len(pt.frags) {
				pt.frags[pt.n] = f
			} else {
				pt.spill = append(pt.spill, f)
			}
			pt.n++
			pt.minLen += len(frag)
		}
		if !more {
			break
		}
		p = rest
	}
	pt.always = pt.n == 0
	return pt
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

// frag returns the pattern's k-th fragment: the first ones are held
// inline, the rest in spill.
func (p *pattern) frag(k int) fragment {
	if k < len(p.frags) {
		return p.frags[k]
	}
	return p.spill[k-len(p.frags)]
}

// match reports whether s holds the fragments in order. With fold, s may
// hold ASCII upper case, which is folded while searching; without, s is
// already lowered.
func (p *pattern) match(s string, fold bool) bool {
	if p.always {
		return true
	}
	if len(s) < p.minLen {
		return false
	}
	for k := 0; k < p.n; k++ {
		f := p.frag(k)
		var i int
		if fold {
			i = indexFold(s, f.s, f.anchor)
		} else {
			i = indexAnchored(s, f.s, f.anchor)
		}
		if i < 0 {
			return false
		}
		s = s[i+len(f.s):]
	}
	return true
}

// indexAnchored is strings.Index(s, needle), scanning for needle[k]: the
// search stops only where the needle's rarest byte is.
func indexAnchored(s, needle string, k int) int {
	// Only anchors before end leave room for the needle.
	end := len(s) - len(needle) + k + 1
	c := needle[k]
	for off := k; off < end; {
		j := strings.IndexByte(s[off:end], c)
		if j < 0 {
			return -1
		}
		p := off + j - k
		if s[p:p+len(needle)] == needle {
			return p
		}
		off += j + 1
	}
	return -1
}

// indexFold is indexAnchored without regard to ASCII case: the index of
// the first match of needle in s, letters compared after lowering them
// (lowering changes no other byte, so the index is the same as in a
// lowered copy of s). A letter anchor is scanned for in both cases, each
// scan resumed only once its last hit is passed, so the search stays
// linear. Only where a match could still fit is scanned.
func indexFold(s, needle string, k int) int {
	// Only anchors before end leave room for the needle: t is where to
	// scan.
	end := len(s) - len(needle) + k + 1
	if end <= k {
		return -1
	}
	t := s[:end]
	c := foldByte(needle[k])
	if c < 'a' || c > 'z' {
		// Lowering never makes or changes this byte: one scan.
		for off := k; off < len(t); {
			j := strings.IndexByte(t[off:], c)
			if j < 0 {
				return -1
			}
			p := off + j - k
			if equalFold(s[p:p+len(needle)], needle) {
				return p
			}
			off += j + 1
		}
		return -1
	}
	if len(t)-k <= 16 {
		// Few places to look at (a short message, such as Anthropic's
		// "Overloaded"): one pass over them costs less than the two
		// calls of IndexByte below.
		// c is a lower-case letter: a byte folds to it when setting its
		// 0x20 bit makes it c.
		for j, a := 0, t[k:]; j < len(a); j++ {
			if a[j]|0x20 == c {
				if equalFold(s[j:j+len(needle)], needle) {
					return j
				}
			}
		}
		return -1
	}
	next := func(from int, b byte) int {
		if from >= len(t) {
			return len(t)
		}
		if j := strings.IndexByte(t[from:], b); j >= 0 {
			return from + j
		}
		return len(t)
	}
	lo, up := next(k, c), next(k, c-('a'-'A'))
	for {
		q := min(lo, up)
		if q >= len(t) {
			return -1
		}
		p := q - k
		if equalFold(s[p:p+len(needle)], needle) {
			return p
		}
		if q == lo {
			lo = next(q+1, c)
		} else {
			up = next(q+1, c-('a'-'A'))
		}
	}
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

// anchor returns the index of the rarest byte of s in English text.
func anchor(s string) int {
	best, bestRank := 0, 256
	for i := 0; i < len(s); i++ {
		if r := int(byteRank[foldByte(s[i])]); r < bestRank {
			best, bestRank = i, r
		}
	}
	return best
}

// byteRank orders bytes by how common they are in English error messages:
// higher is more common. Bytes not listed are rare (rank 0).
var byteRank = func() (t [256]uint8) {
	const common = " etaoinsrhldcumfpgwybvkxjqz" // most common first
	for i := 0; i < len(common); i++ {
		t[common[i]] = uint8(200 - i*5)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 120
	}
	t['.'], t[','], t['/'], t['-'], t[':'], t['_'] = 150, 100, 90, 80, 60, 40
	return t
}()

// scanStats counts the work of one leadScan, for a test: the bytes its
// scans for the anchor byte passed over, and the matches of the lead it
// found (the first and last at first and last).
type scanStats struct {
	bytes, matches, first, last int
}

// scanned adds to st, when it is not nil, the bytes of a text of length n
// that a scan from from passed over to find its hit at i (n for none).
func (st *scanStats) scanned(from, i, n int) int {
	if st != nil && from < n {
		st.bytes += min(i+1, n) - from
	}
	return i
}

// byteCounts counts the bytes of a text, in four tables so that a run of
// one byte does not make each count wait for the one before.
type byteCounts [4][256]uint16

// add counts the bytes of b, which is at most MessageScanLimit long (the
// counts fit in 16 bits).
func (c *byteCounts) add(b []byte) {
	i := 0
	for ; i+4 <= len(b); i += 4 {
		c[0][b[i]]++
		c[1][b[i+1]]++
		c[2][b[i+2]]++
		c[3][b[i+3]]++
	}
	for ; i < len(b); i++ {
		c[0][b[i]]++
	}
}

// of returns how many times b occurs.
func (c *byteCounts) of(b byte) int {
	return int(c[0][b]) + int(c[1][b]) + int(c[2][b]) + int(c[3][b])
}

// matchCounted is match on the lowered text s whose bytes c counts: each
// fragment is searched for by its byte that s holds the fewest times, and
// not at all when s lacks one of its bytes.
func (p *pattern) matchCounted(s string, c *byteCounts) bool {
	if p.always {
		return true
	}
	if len(s) < p.minLen {
		return false
	}
	for k := 0; k < p.n; k++ {
		f := p.frag(k)
		best, fewest := 0, math.MaxInt
		for j := 0; j < len(f.s); j++ {
			if n := c.of(f.s[j]); n < fewest {
				best, fewest = j, n
			}
		}
		if fewest == 0 {
			return false
		}
		i := indexAnchored(s, f.s, best)
		if i < 0 {
			return false
		}
		s = s[i+len(f.s):]
	}
	return true
}
