package classify

import (
	"fmt"

	"github.com/apierr/apierr/catalog"
)

// compile indexes rules. It panics when they are more than maxRules: the
// built-in catalog is compiled when the package is initialized.
func compile(rules []catalog.Rule) *ruleSet {
	if len(rules) > maxRules {
		panic(fmt.Sprintf("classify: the built-in catalog has %d rules, more than the %d that ruleBits holds; widen ruleBits", len(rules), maxRules))
	}
	rs := &ruleSet{rules: rules, patterns: make([][]pattern, len(rules)), overload: -1}
	for i, r := range rules {
		if r.Name == overloadRule && rs.overload < 0 {
			rs.overload = i
		}
		if r.Name == rateTypeRule && rs.rateType == nil {
			rs.rateType = &rules[i]
		}
		var bit ruleBits
		bit.add(i)
		for _, c := range r.Contains {
			rs.patterns[i] = append(rs.patterns[i], compilePattern(c))
		}
		var phrase ruleBits
		if len(r.Contains) > 0 {
			phrase = bit
		}
		for _, c := range r.Codes {
			rs.byCode.add(lowerASCII(c), bit, phrase)
			if c == resourceExhausted && !ruleRetryable(&rules[i]) {
				rs.retryInfoRuledOut = rs.retryInfoRuledOut.or(bit)
			}
		}
		if len(r.Codes) == 0 {
			rs.noCodeRule = rs.noCodeRule.or(bit)
		}
		if len(r.Contains) > 0 {
			rs.contains = rs.contains.or(bit)
		}
		if len(r.Statuses) == 0 {
			rs.anyStatus = rs.anyStatus.or(bit)
		}
		for _, st := range r.Statuses {
			if st >= 0 && st < maxIndexedStatus {
				rs.byStatus[st] = rs.byStatus[st].or(bit)
			}
		}
	}
	for st := range rs.byStatus {
		rs.byStatus[st] = rs.byStatus[st].or(rs.anyStatus)
	}
	return rs
}

// resourceExhausted is Google's status for a limit reached: a rate or a
// quota, which its RetryInfo detail says can be retried, or credits spent,
// which it cannot.
const resourceExhausted = "RESOURCE_EXHAUSTED"

// add adds rule i to b.
func (b *ruleBits) add(i int) {
	if i < 64 {
		b.lo |= 1 << i
	} else {
		b.hi |= 1 << (i - 64)
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
