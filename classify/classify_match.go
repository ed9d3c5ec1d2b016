package classify

import (
	"math/bits"
	"slices"
	"strings"
	"unsafe"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/parse"
)

// first returns the first rule of rs that matches in, or nil.
func (rs *ruleSet) first(in *input) *catalog.Rule {
	cand := rs.anyStatus
	if in.status >= 0 && in.status < maxIndexedStatus {
		cand = rs.byStatus[in.status]
	}
	codes := rs.noCodeRule
	if in.code != "" {
		var byCode ruleBits
		byCode, in.codeKnown = rs.codeLookup(in.code, in.status)
		codes = codes.or(byCode)
	}
	if in.typ != "" && in.typ != in.code {
		codes = codes.or(rs.codeRules(in.typ, in.status))
	}
	m := cand.and(codes)
	if x := m.and(rs.retryInfoRuledOut); x.lo|x.hi != 0 && in.delaySrc == parse.SourceRetryInfo {
		// Google's RetryInfo says that the same call may be made again
		// after its delay: no rule that calls RESOURCE_EXHAUSTED
		// permanent applies.
		m = m.andNot(x)
	}
	if in.msg == "" {
		// No rule that needs a message can match: the status-only path
		// does not walk them.
		m = m.andNot(rs.contains)
	}
	return rs.firstFrom(in, m)
}

// overloadedRateType returns the overload rule when rule is the generic
// rate limit (rateTypeRule) that only in's type named (in has no code, or
// one the catalog does not know) and in's message or code hold one of
// rateTypeOverload's words, and rule otherwise. Only such a response pays
// for the search; the caller checks the first conditions, which inline.
func (rs *ruleSet) overloadedRateType(rule *catalog.Rule, in *input) *catalog.Rule {
	if rs.overload < 0 {
		return rule
	}
	o := &rs.rules[rs.overload]
	if len(o.Statuses) > 0 && !slices.Contains(o.Statuses, in.status) {
		return rule
	}
	if matchAny(in, rateTypeOverload) {
		return o
	}
	if in.code != "" {
		code := input{status: in.status, msg: in.code}
		if matchAny(&code, rateTypeOverload) {
			return o
		}
	}
	return rule
}

// rateTypeOverload are the words of an overloaded server that
// overloadedRateType looks for: few, so that a rate limit with a long
// message (Anthropic's rate_limit_error) pays little for the search.
// Sources: Moonshot's Anthropic-style rate_limit_error "The engine is
// currently overloaded" and Volcengine Ark's ServerOverloaded under
// TooManyRequests (issue 17, rounds 17 and 18), Azure OpenAI's no_capacity
// "experiencing high demand" under too_many_requests. (mlx-openai-server's
// "Service is at capacity" comes with the code 429, which the catalog
// knows, so it stays a rate limit.)
var rateTypeOverload = []pattern{
	compilePattern("overload"), compilePattern("high demand"), compilePattern("at capacity"), compilePattern("busy"),
}

// firstFrom returns the first rule in m that matches in, or nil. When in
// has no lowered copy and a rule is better matched on one (many patterns,
// or a long message), it goes on in firstLowered, which comes back here
// with the copy set.
func (rs *ruleSet) firstFrom(in *input, m ruleBits) *catalog.Rule {
	// x holds the rules left of the word that starts at rule base: lo,
	// then hi.
	base, x := 0, m.lo
	for {
		for ; x != 0; x &= x - 1 {
			i := base + bits.TrailingZeros64(x)
			r := &rs.rules[i]
			if len(r.Contains) > 0 {
				if (len(r.Contains) > manyPatterns || len(in.msg) > longMessage) && in.lower == "" {
					// The copy goes on from rule i.
					if base == 0 {
						m.lo = x
					} else {
						m = ruleBits{hi: x}
					}
					return rs.firstLowered(in, m)
				}
				if !matchAny(in, rs.patterns[i]) {
					continue
				}
			}
			return r
		}
		if base != 0 || m.hi == 0 {
			return nil
		}
		base, x = 64, m.hi
	}
}

// firstLowered goes on with first's loop from the rules in m, matching
// patterns on a lowered copy of the message. The copy lives in this
// function's frame, so that the classifications that never need it do not
// pay for clearing the buffer; a long message's in firstLong's.
func (rs *ruleSet) firstLowered(in *input, m ruleBits) *catalog.Rule {
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
func (rs *ruleSet) firstLong(in *input, m ruleBits) *catalog.Rule {
	var buf [MessageScanLimit]byte
	var counts byteCounts
	lb := appendLower(buf[:0], in.msg)
	counts.add(lb)
	return rs.firstIn(in, m, lb, &counts)
}

// firstIn goes on with first's loop from the rules in m on lb, the lowered
// message, whose bytes counts counts (nil for a short message). lb is not
// empty (first lowers only for a rule with patterns and a message), so
// firstFrom does not come back to firstLowered.
func (rs *ruleSet) firstIn(in *input, m ruleBits, lb []byte, counts *byteCounts) *catalog.Rule {
	low := *in
	// lb is not modified while low is in use, and low does not outlive
	// this call.
	low.lower = unsafe.String(unsafe.SliceData(lb), len(lb))
	low.counts = counts
	rule := rs.firstFrom(&low, m)
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
