package classify

import (
	"fmt"

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

// ruleWords is the number of 64-bit words in a ruleBits. The built-in
// catalog holds at most maxRules rules: compile panics beyond that, at
// package initialization, so a catalog that outgrows the sets fails every
// test instead of losing rules. Raising it costs a word of work per
// classification.
const ruleWords = 2

// maxRules is the number of rules a ruleBits can hold.
const maxRules = 64 * ruleWords

// ruleBits is a set of rules, by their index in the catalog: bit i%64 of
// word i/64. The methods are written as loops over the words, so that
// they hold for any ruleWords; the compiler keeps them inline.
type ruleBits [ruleWords]uint64

// add adds rule i to b.
func (b *ruleBits) add(i int) {
	b[i/64] |= 1 << (i % 64)
}

// has reports whether rule i is in b.
func (b *ruleBits) has(i int) bool {
	return b[i/64]&(1<<(i%64)) != 0
}

// or adds the rules of c to b.
func (b *ruleBits) or(c *ruleBits) {
	for w := range b {
		b[w] |= c[w]
	}
}

type ruleSet struct {
	rules      []catalog.Rule
	patterns   [][]pattern // per rule, its Contains compiled
	byCode     codeTable   // lower-cased code -> rules naming it
	byStatus   [maxIndexedStatus]ruleBits
	anyStatus  ruleBits // rules with no Statuses
	noCodeRule ruleBits // rules with no Codes: they need no code match
	contains   ruleBits // rules with Contains: they need a message
}

// compile indexes rules. It panics when they are more than maxRules: the
// built-in catalog is compiled when the package is initialized.
func compile(rules []catalog.Rule) *ruleSet {
	if len(rules) > maxRules {
		panic(fmt.Sprintf("classify: the built-in catalog has %d rules, more than the %d that ruleBits holds; raise ruleWords", len(rules), maxRules))
	}
	rs := &ruleSet{rules: rules, patterns: make([][]pattern, len(rules))}
	for i, r := range rules {
		var bit ruleBits
		bit.add(i)
		for _, c := range r.Contains {
			rs.patterns[i] = append(rs.patterns[i], compilePattern(c))
		}
		for _, c := range r.Codes {
			rs.byCode.add(lowerASCII(c), &bit)
		}
		if len(r.Codes) == 0 {
			rs.noCodeRule.or(&bit)
		}
		if len(r.Contains) > 0 {
			rs.contains.or(&bit)
		}
		if len(r.Statuses) == 0 {
			rs.anyStatus.or(&bit)
		}
		for _, st := range r.Statuses {
			if st >= 0 && st < maxIndexedStatus {
				rs.byStatus[st].or(&bit)
			}
		}
	}
	for st := range rs.byStatus {
		rs.byStatus[st].or(&rs.anyStatus)
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
	rules ruleBits
	// echo is the status that code writes in three decimal digits
	// ("429"), -1 for a code that is not one.
	echo int
}

// codeHash hashes s without regard to ASCII case. s is not empty.
func codeHash(s string) uint {
	h := uint(len(s))*0x9E3779B1 ^ uint(foldByte(s[0]))<<16 ^ uint(foldByte(s[len(s)/2]))<<8 ^ uint(foldByte(s[len(s)-1]))
	h *= 0x85EBCA6B
	return (h ^ h>>15) & (codeTableSize - 1)
}

// add records that the rules in bits name the lower-cased code lc.
func (t *codeTable) add(lc string, bits *ruleBits) {
	if lc == "" {
		return
	}
	for i := codeHash(lc); ; i = (i + 1) & (codeTableSize - 1) {
		sl := &t.slots[i]
		if sl.code == lc {
			sl.rules.or(bits)
			return
		}
		if sl.code == "" {
			if 2*(t.n+1) > codeTableSize {
				panic("classify: the built-in catalog has too many codes; enlarge codeTableSize")
			}
			t.n++
			*sl = codeSlot{code: lc, rules: *bits, echo: statusDigits(lc)}
			return
		}
	}
}

// statusDigits returns the status that s writes in three decimal digits,
// from 100 to 999, or -1 when s is not one.
func statusDigits(s string) int {
	if len(s) != 3 || s[0] < '1' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' {
		return -1
	}
	return int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
}

// lookupFold returns the rules naming code s, compared without regard to
// ASCII case, and the status that s writes in three digits (-1 for none).
// s is not empty.
func (rs *ruleSet) lookupFold(s string) (*ruleBits, int) {
	t := &rs.byCode
	for i := codeHash(s); ; i = (i + 1) & (codeTableSize - 1) {
		sl := &t.slots[i]
		if sl.code == "" {
			return &noRules, -1
		}
		if len(sl.code) == len(s) && (sl.code == s || equalLowerFold(sl.code, s)) {
			return &sl.rules, sl.echo
		}
	}
}

// noRules is the empty set. It is never written.
var noRules ruleBits

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
