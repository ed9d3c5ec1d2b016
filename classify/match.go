package classify

import (
	"slices"
	"strings"
	"unsafe"

	"github.com/apierr/apierr/catalog"
)

// builtin holds the catalog's rules with an index from lower-cased code to
// the rules that name it, so that matching a code costs one map lookup
// instead of a comparison with every code in the catalog.
var builtin = compile(catalog.Rules())

type ruleSet struct {
	rules  []catalog.Rule
	byCode map[string]uint64 // lower-cased code -> bit set of rule indexes
}

func compile(rules []catalog.Rule) ruleSet {
	if len(rules) > 64 {
		panic("classify: the built-in catalog has more than 64 rules; widen ruleSet.byCode")
	}
	rs := ruleSet{rules: rules, byCode: make(map[string]uint64)}
	for i, r := range rules {
		for _, c := range r.Codes {
			rs.byCode[strings.ToLower(c)] |= 1 << i
		}
	}
	return rs
}

// input is what the rules look at. lower is the message lower-cased,
// computed on first use.
type input struct {
	status   int
	code     string
	typ      string
	msg      string
	lower    []byte
	lowered  bool
	lowerBuf [512]byte
}

func (in *input) lowerMsg() string {
	if !in.lowered {
		in.lowered = true
		b := in.lowerBuf[:0]
		if len(in.msg) > len(in.lowerBuf) {
			b = make([]byte, 0, len(in.msg))
		}
		for i := 0; i < len(in.msg); i++ {
			c := in.msg[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
		in.lower = b
	}
	if len(in.lower) == 0 {
		return ""
	}
	// The bytes are not modified after this point.
	return unsafe.String(&in.lower[0], len(in.lower))
}

// first returns the first rule of rs that matches in.
func (rs *ruleSet) first(in *input) (catalog.Rule, bool) {
	var codes uint64
	if in.code != "" || in.typ != "" {
		codes = lookupFold(rs.byCode, in.code) | lookupFold(rs.byCode, in.typ)
	}
	for i := range rs.rules {
		r := &rs.rules[i]
		if len(r.Statuses) > 0 && !slices.Contains(r.Statuses, in.status) {
			continue
		}
		if len(r.Codes) > 0 && codes&(1<<i) == 0 {
			continue
		}
		if len(r.Contains) > 0 && !containsAny(in, r.Contains) {
			continue
		}
		return *r, true
	}
	return catalog.Rule{}, false
}

// firstUser is first for rules that have no index: the user's own.
func firstUser(rules []catalog.Rule, in *input) (catalog.Rule, bool) {
	for _, r := range rules {
		if len(r.Statuses) > 0 && !slices.Contains(r.Statuses, in.status) {
			continue
		}
		if len(r.Codes) > 0 && !codeMatch(r.Codes, in) {
			continue
		}
		if len(r.Contains) > 0 && !containsAny(in, r.Contains) {
			continue
		}
		return r, true
	}
	return catalog.Rule{}, false
}

func codeMatch(codes []string, in *input) bool {
	for _, c := range codes {
		if (in.code != "" && strings.EqualFold(c, in.code)) || (in.typ != "" && strings.EqualFold(c, in.typ)) {
			return true
		}
	}
	return false
}

// lookupFold looks s up in m, lower-casing it on the stack.
func lookupFold(m map[string]uint64, s string) uint64 {
	if s == "" {
		return 0
	}
	var buf [64]byte
	if len(s) > len(buf) {
		return 0 // no catalog code is this long
	}
	b := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return m[string(b)]
}

func containsAny(in *input, patterns []string) bool {
	if in.msg == "" {
		return false
	}
	msg := in.lowerMsg()
	for _, p := range patterns {
		if matchPattern(msg, p) {
			return true
		}
	}
	return false
}

// matchPattern reports whether lower (a lower-cased message) contains the
// "*"-separated fragments of pattern in order, without regard to ASCII case.
func matchPattern(lower, pattern string) bool {
	for {
		frag, rest, more := strings.Cut(pattern, "*")
		if frag != "" {
			i := indexFold(lower, frag)
			if i < 0 {
				return false
			}
			lower = lower[i+len(frag):]
		}
		if !more {
			return true
		}
		pattern = rest
	}
}

// indexFold is strings.Index for a lower-cased haystack and a needle that
// may hold upper-case ASCII (user rules); the catalog's needles are
// lower-case and take the fast path.
func indexFold(lower, needle string) int {
	for i := 0; i < len(needle); i++ {
		if c := needle[i]; 'A' <= c && c <= 'Z' {
			return indexFoldSlow(lower, needle)
		}
	}
	return strings.Index(lower, needle)
}

func indexFoldSlow(lower, needle string) int {
	for i := 0; i+len(needle) <= len(lower); i++ {
		j := 0
		for ; j < len(needle); j++ {
			c := needle[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if lower[i+j] != c {
				break
			}
		}
		if j == len(needle) {
			return i
		}
	}
	return -1
}
