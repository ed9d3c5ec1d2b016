package classify

import (
	"net/http"
	"strings"
	"time"
)

// WindowKind is what a rate-limit window counts.
type WindowKind uint8

// Kinds of rate-limit window, indexes into RateLimits.Windows.
const (
	// WindowRequests counts requests.
	WindowRequests WindowKind = iota
	// WindowTokens counts tokens (input and output together).
	WindowTokens
	// WindowInputTokens counts input tokens (Anthropic).
	WindowInputTokens
	// WindowOutputTokens counts output tokens (Anthropic).
	WindowOutputTokens
	// WindowQuota counts the quota units of the IETF RateLimit fields,
	// whose meaning the server decides (usually requests).
	WindowQuota
	numWindowKinds
)

// Sources of a Window, the header family it was read from.
const (
	// SourceXRateLimit is the OpenAI-style x-ratelimit-{limit,remaining,reset}-{requests,tokens}.
	SourceXRateLimit = "x-ratelimit"
	// SourceAnthropicRateLimit is anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}.
	SourceAnthropicRateLimit = "anthropic-ratelimit"
	// SourceIETFRateLimit is the IETF RateLimit and RateLimit-Policy fields,
	// in the structured-field syntax or the older RateLimit-Limit,
	// RateLimit-Remaining and RateLimit-Reset trio.
	SourceIETFRateLimit = "ratelimit"
)

// Window is one rate-limit window's state as a response reported it. A
// number the response did not carry is -1.
type Window struct {
	// Limit is the window's budget, or -1.
	Limit int64
	// Remaining is what is left of it, or -1.
	Remaining int64
	// Reset is how long until the window is replenished, or -1.
	Reset time.Duration
	// Source is one of the Source*RateLimit constants, or "" when the
	// response reported nothing for this window.
	Source string
}

// Known reports whether the response carried this window.
func (w Window) Known() bool { return w.Source != "" }

// Exhausted reports that nothing remains of the window.
func (w Window) Exhausted() bool { return w.Source != "" && w.Remaining == 0 }

// RateLimits is the rate-limit state of one response: a small comparable
// value, one Window per WindowKind.
type RateLimits struct {
	Windows [numWindowKinds]Window
}

// Any reports whether any window is known.
func (r RateLimits) Any() bool {
	for _, w := range r.Windows {
		if w.Source != "" {
			return true
		}
	}
	return false
}

// maxRateLimitField bounds the length of a rate-limit field that is read;
// a longer value is ignored.
const maxRateLimitField = 512

// rlNames is one rate-limit window's headers, as one provider family
// names them. rlHeaders is the one table of those names: ReadRateLimits
// reads the windows marked window, and classification reads the resets
// (and remaining counts) of those marked result into Result's rate-limit
// fields.
type rlNames struct {
	limit, remaining, reset string
	kind                    resetKind
	win                     WindowKind
	source                  string
	window                  bool // read by ReadRateLimits
	result                  bool // read into Result.RateLimitReset, in table order
}

// rlHeaders lists the rate-limit windows, in the order their resets are
// reported in a Result. OpenAI and the origin provider send
// x-ratelimit-*-requests/-tokens, Anthropic anthropic-ratelimit-*, the IETF
// fields RateLimit-*, and many gateways x-ratelimit-reset.
var rlHeaders = [...]rlNames{
	{"X-Ratelimit-Limit-Requests", "X-Ratelimit-Remaining-Requests", "X-Ratelimit-Reset-Requests", resetGoDuration, WindowRequests, SourceXRateLimit, true, true},
	{"X-Ratelimit-Limit-Tokens", "X-Ratelimit-Remaining-Tokens", "X-Ratelimit-Reset-Tokens", resetGoDuration, WindowTokens, SourceXRateLimit, true, true},
	{"Anthropic-Ratelimit-Requests-Limit", "Anthropic-Ratelimit-Requests-Remaining", "Anthropic-Ratelimit-Requests-Reset", resetRFC3339, WindowRequests, SourceAnthropicRateLimit, true, true},
	{"Anthropic-Ratelimit-Tokens-Limit", "Anthropic-Ratelimit-Tokens-Remaining", "Anthropic-Ratelimit-Tokens-Reset", resetRFC3339, WindowTokens, SourceAnthropicRateLimit, true, true},
	{"Anthropic-Ratelimit-Input-Tokens-Limit", "Anthropic-Ratelimit-Input-Tokens-Remaining", "Anthropic-Ratelimit-Input-Tokens-Reset", resetRFC3339, WindowInputTokens, SourceAnthropicRateLimit, true, true},
	{"Anthropic-Ratelimit-Output-Tokens-Limit", "Anthropic-Ratelimit-Output-Tokens-Remaining", "Anthropic-Ratelimit-Output-Tokens-Reset", resetRFC3339, WindowOutputTokens, SourceAnthropicRateLimit, true, true},
	{"Ratelimit-Limit", "Ratelimit-Remaining", "Ratelimit-Reset", resetEpochOrSeconds, WindowQuota, SourceIETFRateLimit, true, false},
	// A gateway's single window: no limit header, and no WindowKind of its own.
	{"", "X-Ratelimit-Remaining", "X-Ratelimit-Reset", resetEpochOrSeconds, 0, "", false, true},
}

// rlResetSources holds, for each entry of rlHeaders, its reset header's
// name in lower case: the value of Result.RateLimitResetSource.
var rlResetSources = func() (s [len(rlHeaders)]string) {
	for i, n := range rlHeaders {
		s[i] = strings.ToLower(n.reset)
	}
	return s
}()

// ReadRateLimits reads the rate-limit state from the headers of any
// response, success or failure, relative to now (for resets given as a
// time). Work is linear in the length of the headers it reads, and a field
// longer than 512 bytes is ignored. With no rate-limit header it returns
// quickly.
func ReadRateLimits(h http.Header, now time.Time) RateLimits {
	var r RateLimits
	for i := range r.Windows {
		r.Windows[i] = Window{Limit: -1, Remaining: -1, Reset: -1}
	}
	nowf := func() time.Time { return now }
	for i := range rlHeaders {
		n := &rlHeaders[i]
		if !n.window {
			continue
		}
		w := &r.Windows[n.win]
		if w.Source != "" {
			continue // the first family that reports a window wins
		}
		lim, okL := count(header(h, n.limit))
		rem, okR := count(header(h, n.remaining))
		var reset time.Duration
		okT := false
		if v := header(h, n.reset); v != "" && len(v) <= maxRateLimitField {
			reset, okT = resetValue(v, n.kind, nowf)
		}
		if !okL && !okR && !okT {
			continue
		}
		w.Source = n.source
		if okL {
			w.Limit = lim
		}
		if okR {
			w.Remaining = rem
		}
		if okT {
			w.Reset = reset
		}
	}
	if v := header(h, "Ratelimit"); v != "" && r.Windows[WindowQuota].Source == "" {
		structured(&r.Windows[WindowQuota], v, header(h, "Ratelimit-Policy"))
	}
	return r
}

// count parses a non-negative integer header value; the older IETF syntax
// may append a policy after a comma or semicolon ("100, 100;w=60"), which
// is cut off.
func count(v string) (int64, bool) {
	if v == "" || len(v) > maxRateLimitField {
		return 0, false
	}
	if i := strings.IndexAny(v, ",;"); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// structured reads the structured-field syntax of the IETF draft:
// RateLimit: "name";r=50;t=30 and RateLimit-Policy: "name";q=100;w=60. Of
// several items it keeps the one with the least remaining, and takes the
// limit from the policy item of the same name.
func structured(w *Window, rl, policy string) {
	if len(rl) > maxRateLimitField {
		return
	}
	best := ""
	var bestR, bestT int64 = -1, -1
	for item := range strings.SplitSeq(rl, ",") {
		name, r, t := sfItem(item, 'r', 't')
		if r < 0 {
			continue
		}
		if bestR < 0 || r < bestR {
			best, bestR, bestT = name, r, t
		}
	}
	if bestR < 0 {
		return
	}
	w.Source, w.Remaining = SourceIETFRateLimit, bestR
	if bestT >= 0 {
		w.Reset = time.Duration(bestT) * time.Second
	}
	if len(policy) > maxRateLimitField {
		return
	}
	for item := range strings.SplitSeq(policy, ",") {
		name, q, _ := sfItem(item, 'q', 'w')
		if name == best && q >= 0 {
			w.Limit = q
			return
		}
	}
}

// sfItem reads one list member `"name";a=1;b=2` (or a token name): its name
// and the integer parameters a and b, -1 when absent or malformed.
func sfItem(item string, a, b byte) (name string, av, bv int64) {
	av, bv = -1, -1
	item = strings.TrimSpace(item)
	first := true
	for part := range strings.SplitSeq(item, ";") {
		part = strings.TrimSpace(part)
		if first {
			first = false
			name = strings.Trim(part, `"`)
			continue
		}
		if len(part) < 3 || part[1] != '=' {
			continue
		}
		n, ok := count(part[2:])
		if !ok {
			continue
		}
		switch part[0] {
		case a:
			av = n
		case b:
			bv = n
		}
	}
	return name, av, bv
}
