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

// maxRules is the number of rules a ruleBits holds. compile panics
// beyond it, at package initialization, so that a catalog that outgrows
// the sets fails every test instead of losing rules.
const maxRules = 128

// ruleBits is a set of rules, by their index in the catalog: rules 0 to 63
// in lo, 64 to 127 in hi. It is a struct of two words rather than an
// array so that it travels in registers; a wider set means a word more
// here and in the methods below (TestRuleSetCapacity checks the width).
type ruleBits struct {
	lo, hi uint64
}

// has reports whether rule i is in b.
func (b ruleBits) has(i int) bool {
	if i < 64 {
		return b.lo&(1<<i) != 0
	}
	return b.hi&(1<<(i-64)) != 0
}

// or returns the rules in b or c.
func (b ruleBits) or(c ruleBits) ruleBits {
	return ruleBits{b.lo | c.lo, b.hi | c.hi}
}

// and returns the rules in b and c.
func (b ruleBits) and(c ruleBits) ruleBits {
	return ruleBits{b.lo & c.lo, b.hi & c.hi}
}

// andNot returns the rules in b and not in c.
func (b ruleBits) andNot(c ruleBits) ruleBits {
	return ruleBits{b.lo &^ c.lo, b.hi &^ c.hi}
}

type ruleSet struct {
	rules      []catalog.Rule
	patterns   [][]pattern // per rule, its Contains compiled
	byCode     codeTable   // lower-cased code -> rules naming it
	byStatus   [maxIndexedStatus]ruleBits
	anyStatus  ruleBits      // rules with no Statuses
	noCodeRule ruleBits      // rules with no Codes: they need no code match
	contains   ruleBits      // rules with Contains: they need a message
	overload   int           // the index of the rule named overloadRule, or -1
	rateType   *catalog.Rule // the rule named rateTypeRule, or nil
	// retryInfoRuledOut are the rules that would make Google's
	// RESOURCE_EXHAUSTED permanent (a spent prepayment): a body whose
	// google.rpc.RetryInfo asks for another try after a delay is not one
	// of them, and does not pay for their phrases (first).
	retryInfoRuledOut ruleBits
}

// rateTypeRule is the catalog's generic rate-limit rule, whose codes are
// also the types that say a 429's class ("rate_limit_error",
// "TooManyRequests"). Other rate-limit rules (Google's RESOURCE_EXHAUSTED,
// whose overload comes as UNAVAILABLE instead) do not yield.
const rateTypeRule = "rate_limit_code"

// overloadRule is the catalog rule whose phrases say that the server is
// overloaded. A rate limit that only a response's type names (a 429's
// class, as "rate_limit_error" or "TooManyRequests") yields to it when the
// message or an unknown code says so (overloadedRateType): "The engine is
// currently overloaded" under such a type is the server's state, not the
// caller's rate, and so is a code such as "ServerOverloaded".
const overloadRule = "overloaded_message"

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
	// phraseRules are the rules of rules that also need a phrase: all that
	// the code selects when it only repeats the status.
	phraseRules ruleBits
	// echo is the status that code writes in three decimal digits
	// ("429"), -1 for a code that is not one.
	echo int
}

// codeHash hashes s without regard to ASCII case. s is not empty. Each
// byte it reads has its 0x20 bit set, which makes the two cases of a
// letter one and leaves every other byte as lowering leaves it: s and its
// lowered form hash alike, with no branch.
func codeHash(s string) uint {
	h := uint(len(s))*0x9E3779B1 ^ uint(s[0]|0x20)<<16 ^ uint(s[len(s)/2]|0x20)<<8 ^ uint(s[len(s)-1]|0x20)
	h *= 0x85EBCA6B
	return (h ^ h>>15) & (codeTableSize - 1)
}

// add records that the rules in bits name the lower-cased code lc, and
// that of them those in phrase need a phrase too.
func (t *codeTable) add(lc string, bits, phrase ruleBits) {
	if lc == "" {
		return
	}
	for i := codeHash(lc); ; i = (i + 1) & (codeTableSize - 1) {
		sl := &t.slots[i]
		if sl.code == lc {
			sl.rules = sl.rules.or(bits)
			sl.phraseRules = sl.phraseRules.or(phrase)
			return
		}
		if sl.code == "" {
			if 2*(t.n+1) > codeTableSize {
				panic("classify: the built-in catalog has too many codes; enlarge codeTableSize")
			}
			t.n++
			*sl = codeSlot{code: lc, rules: bits, phraseRules: phrase, echo: statusDigits(lc)}
			return
		}
	}
}

// codeRules returns the rules whose Codes match code, which is not empty,
// compared without regard to ASCII case. A code that only repeats the
// response's status ({"code": 429} on a 429) says nothing the status does
// not: it still completes a rule that pairs it with a phrase, but it does
// not decide alone, so that the message's own words (an overloaded model,
// a spent quota) come before the generic code rules.
func (rs *ruleSet) codeRules(code string, status int) ruleBits {
	b, _ := rs.codeLookup(code, status)
	return b
}

// codeLookup is codeRules that also reports whether the catalog names code
// at all.
func (rs *ruleSet) codeLookup(code string, status int) (ruleBits, bool) {
	t := &rs.byCode
	for i := codeHash(code); ; i = (i + 1) & (codeTableSize - 1) {
		sl := &t.slots[i]
		if sl.code == "" {
			return ruleBits{}, false
		}
		if len(sl.code) == len(code) && (sl.code == code || equalLowerFold(sl.code, code)) {
			if sl.echo == status {
				return sl.phraseRules, true
			}
			return sl.rules, true
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
