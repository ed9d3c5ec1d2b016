package classify

import (
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
