// Package classify decides what an error response from an AI inference API
// means: its category, whether a retry can help, what the human should do,
// what the server said and how long it asked the client to wait.
//
//	r := classify.Classify(resp.StatusCode, resp.Header, body)
//	if r.Retryable {
//		wait := r.RetryAfter // valid when r.RetryAfterSource != ""
//	}
//
// Decisions are pure functions of the status, headers and body (and, for
// HTTP-dates and Unix reset times, the clock, which [Classifier.Now] makes
// injectable). They follow ordered rules, and [Result.Rule] records which one
// decided:
//
//  1. your own rules ([Classifier.Rules]), first match wins;
//  2. the catalog's rules ([catalog.Rules]): provider codes that name a failure
//     exactly, then message patterns limited to the statuses where they mean
//     what they say, then generic types for errors inside 2xx responses;
//  3. the status code's own row ([catalog.StatusInfo]), then its class.
//
// Retryability follows the category, except that 501 is never retryable, an
// unknown 5xx is, and an x-should-retry header overrides both.
//
// [Result.Action] and [Result.Scope] say what to do next (retry, shrink the
// input, fall back to another model, fix the credential or the request, or
// stop) and how far the failure reaches (request, model, key, account,
// provider): the category's default from [catalog.Next], refined by the
// deciding rule's Action and Scope, and turned from retry into fallback
// when the server asks for more than [FallbackDelay].
//
// For a transport error (no response at all) use [Transport]; for an
// *http.Response use [Response], which reads at most the body limit and
// leaves the body readable again.
package classify

import (
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/parse"
)

// Classifier classifies responses. The zero value uses the built-in catalog,
// a body limit of parse.DefaultMaxBytes and time.Now. A Classifier is not
// modified by use and is safe for concurrent use as long as its fields are
// not changed meanwhile.
type Classifier struct {
	// Rules are tried before the built-in catalog, in order; the first
	// match decides. Use them to teach the classifier your own provider's
	// codes and messages, or to override the catalog. Their Contains
	// patterns, like the catalog's, are matched against the first
	// MessageScanLimit bytes of the message.
	Rules []catalog.Rule
	// MaxBodyBytes is the most of a body that is read and parsed. Zero or
	// negative means parse.DefaultMaxBytes (64 KiB). Any value is safe:
	// Response's buffer grows with the bytes that actually arrive, never
	// to the limit up front, so a huge limit (up to math.MaxInt) costs
	// only what the body holds.
	MaxBodyBytes int
	// Now returns the current time, used for Retry-After HTTP-dates and
	// absolute rate-limit reset times. Nil means time.Now.
	Now func() time.Time
}

// MessageScanLimit is how much of a message, in bytes, the message
// patterns (the catalog's and Rule.Contains) and the search for a delay
// phrase ("try again in 20s") examine: the first 4 KiB. Every phrase of
// the published responses in testdata/real lies in its first 431 bytes;
// the limit bounds the time that a long plain-text body (a stack trace, a
// log dump) costs. Result.Message still holds the whole message.
const MessageScanLimit = 4 << 10

// Classify is shorthand for (&Classifier{}).Classify(status, h, body).
func Classify(status int, h http.Header, body []byte) (r Result) {
	var c Classifier
	c.classify(&r, status, h, body)
	return r
}

func (c *Classifier) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// limit is the body limit, below math.MaxInt so that Response can ask
// for one byte more.
func (c *Classifier) limit() int {
	if c.MaxBodyBytes > 0 {
		return min(c.MaxBodyBytes, math.MaxInt-1)
	}
	return parse.DefaultMaxBytes
}

// Classify classifies one response from its status code, headers (with
// canonical keys, as net/http produces them) and body. h and body may be
// nil. Classify reads at most MaxBodyBytes of body and never modifies its
// arguments. Its time is linear in the size of its input whatever that
// holds: numbers of any length are read in one pass, and the message
// patterns and the delay phrase search examine at most the first
// MessageScanLimit bytes of the message.
func (c *Classifier) Classify(status int, h http.Header, body []byte) (r Result) {
	c.classify(&r, status, h, body)
	return r
}

// classify is Classify filling the zero Result r in place: both entry
// points pass their named result, so that no copy of it is made.
func (c *Classifier) classify(r *Result, status int, h http.Header, body []byte) {
	r.Status, r.Format = status, parse.FormatEmpty
	// Without headers, hd points at a shared zero value, which spares
	// clearing a struct of them on every call.
	hd := &noHeaders
	if len(h) > 0 {
		hd = new(headers) // does not escape: on the stack
		readHeaders(h, hd)
	}
	var pe parse.Error
	if len(body) > 0 {
		parse.Parser{MaxBytes: c.limit()}.ParseInto(&pe, hd.contentType, body)
		r.Message, r.Type, r.Code, r.Param = pe.Message, pe.Type, pe.Code, pe.Param
		r.Format, r.Truncated = pe.Format, pe.Truncated
		r.RequestID, r.Upstream, r.Gateway = pe.RequestID, pe.Upstream, pe.Gateway
	}

	// A success status is a failure only when its body holds an error.
	if status >= 100 && status < 400 && !pe.Found {
		r.OK = true
		r.Rule = RuleNoError
		return
	}

	if r.Type == "" && hd.amznType != "" {
		// AWS: "ThrottlingException:http://internal.amazon.com/coral/..."
		t := hd.amznType
		if i := strings.IndexByte(t, ':'); i >= 0 {
			t = t[:i]
		}
		r.Type = t
	}
	if hd != &noHeaders {
		for _, id := range hd.requestID {
			if id != "" {
				r.RequestID = id
				break
			}
		}
	}

	// Set member by member: a composite literal is built in a temporary
	// with word stores and then copied with wider loads, which the CPU
	// cannot forward from the stores (a stall of some ten cycles each).
	var in input
	in.status, in.code, in.typ, in.msg = status, r.Code, r.Type, r.Message
	in.cut = r.Truncated
	if len(in.msg) > MessageScanLimit {
		in.msg, in.cut = in.msg[:MessageScanLimit], true
	}
	ra, rs := c.decide(r, &in, pe.Found)

	// x-should-retry overrides retryability, both ways.
	switch strings.TrimSpace(hd.shouldRetry) {
	case "true":
		r.ShouldRetry = "true"
		if !r.Retryable {
			r.Retryable = true
			r.Rule += "," + RuleXShouldRetry
		}
	case "false":
		r.ShouldRetry = "false"
		if r.Retryable {
			r.Retryable = false
			r.Rule += "," + RuleXShouldRetry
		}
	}
	c.delays(r, &in, h, hd, &pe)
	r.next(ra, rs)
}

// noHeaders is the headers of a response that has none. It is never
// written.
var noHeaders headers

// decide sets the category, retryability, rule and hint, and returns the
// refinements of the next action and scope that the deciding rule carries.
func (c *Classifier) decide(r *Result, in *input, found bool) (ra catalog.Action, rs catalog.Scope) {
	rule := firstUser(c.Rules, in)
	if rule == nil {
		rule = builtin.first(in)
	}
	switch {
	case rule != nil:
		r.Category, r.Rule = rule.Category, rule.Name
		r.Retryable = ruleRetryable(rule)
		ra, rs = rule.Action, rule.Scope
	case r.Status >= 200 && r.Status < 300 && found:
		r.Category, r.Rule = catalog.Unknown, RuleInBand
	default:
		st := statusOf(r.Status)
		r.Category, r.Retryable = st.category, st.retryable
		r.Rule = RuleStatusClass
		if st.known {
			r.Rule = RuleStatus
		}
	}
	if rs == catalog.ScopeNone && r.Category == catalog.Unavailable &&
		(r.Format == parse.FormatHTML || r.Format == parse.FormatText || r.Format == parse.FormatEmpty) {
		// A gateway's or CDN's own outage page (HTML or plain text), or
		// no body at all, is not the API's answer about one model but the
		// endpoint's: the whole provider is out.
		rs = catalog.ScopeProvider
	}
	// 501 is permanent whatever the body says; an unknown 5xx is worth
	// another try.
	switch {
	case r.Status == 501 && r.Category == catalog.ServerError:
		r.Retryable = false
	case r.Category == catalog.Unknown:
		r.Retryable = r.Status >= 500 && r.Status < 600
	}
	r.Hint = r.Category.Hint()
	return ra, rs
}

// statusClass is what decide takes from catalog.StatusInfo.
type statusClass struct {
	category  catalog.Category
	retryable bool
	known     bool
}

// statusClasses holds statusClass for the codes that occur: a lookup in it
// costs less than copying catalog.Status, strings and all, on every
// classification that the status decides (the status-only path).
var statusClasses = func() (t [maxIndexedStatus]statusClass) {
	for code := range t {
		st := catalog.StatusInfo(code)
		t[code] = statusClass{st.Category, st.Retryable, st.Known}
	}
	return t
}()

// statusOf is catalog.StatusInfo's category, retryability and Known.
func statusOf(code int) statusClass {
	if uint(code) < uint(len(statusClasses)) {
		return statusClasses[code]
	}
	return statusOther(code)
}

// statusOther is statusOf for the codes outside the table.
func statusOther(code int) statusClass {
	st := catalog.StatusInfo(code)
	return statusClass{st.Category, st.Retryable, st.Known}
}

// FallbackDelay is the longest server delay for which a retryable Result
// says ActionRetry: above it, Result.Action is ActionFallback (waiting that
// long is not what a caller holding a request wants), while Retryable stays
// true. It is policy.DefaultMaxServerDelay, above which the default policy
// gives up with server_delay_too_long.
const FallbackDelay = 120 * time.Second

// next sets the action and scope from the category, the retryability, the
// deciding rule's refinements ra and rs (zero for none) and the server's
// delay. It is a table lookup.
func (r *Result) next(ra catalog.Action, rs catalog.Scope) {
	a, s := catalog.Next(r.Category, r.Status, r.Retryable)
	if rs != catalog.ScopeNone {
		s = rs
	}
	if ra != catalog.ActionNone && ra != catalog.ActionRetry && !r.Retryable {
		a = ra
	}
	if a == catalog.ActionRetry && r.RetryAfterSource != "" && r.RetryAfter > FallbackDelay {
		a = catalog.ActionFallback
	}
	r.Action, r.Scope = a, s
}

// ruleRetryable is the retryability a matching rule gives: its category's,
// unless the rule is Permanent.
func ruleRetryable(rule *catalog.Rule) bool {
	return rule.Category.Retryable() && !rule.Permanent
}

// wantsDelay reports whether a result of category c, retryable or not,
// uses a server delay: when it is retried, and for a quota, whose reset
// tells when the account can be used again.
func wantsDelay(c catalog.Category, retryable bool) bool {
	return retryable || c == catalog.QuotaExceeded
}

// delays sets the server delay and the rate-limit window.
func (c *Classifier) delays(r *Result, in *input, h http.Header, hd *headers, pe *parse.Error) {
	if hd.retryAfterMs != "" {
		if d, ok := retryAfterMs(hd.retryAfterMs); ok {
			r.RetryAfter, r.RetryAfterSource = d, SourceRetryAfterMs
		}
	}
	if r.RetryAfterSource == "" && hd.retryAfter != "" {
		if d, ok := retryAfter(hd.retryAfter, c.now); ok {
			r.RetryAfter, r.RetryAfterSource = d, SourceRetryAfter
		}
	}
	if r.RetryAfterSource == "" && pe.RetryDelaySource == parse.SourceRetryInfo {
		r.RetryAfter, r.RetryAfterSource = pe.RetryDelay, SourceRetryInfo
	}
	// A delay phrase in the message is looked for only where a delay
	// matters: a retry, or a quota's reset. (Headers and structured
	// delays cost nearly nothing and are always read.)
	if r.RetryAfterSource == "" && in.msg != "" && wantsDelay(r.Category, r.Retryable) {
		if !in.delayDone {
			// Not found yet on a lowered copy (see ruleSet.firstIn).
			in.delay, in.delayOK = messageDelay(in.msg, true, in.cut)
		}
		if in.delayOK {
			r.RetryAfter, r.RetryAfterSource = in.delay, SourceMessage
		}
	}
	if r.RetryAfterSource == "" && pe.RetryDelaySource != "" {
		r.RetryAfter, r.RetryAfterSource = pe.RetryDelay, pe.RetryDelaySource
	}
	// The rate-limit window matters only when a rate limit was hit.
	if hd.rateLimit && (r.Status == 429 || r.Category == catalog.RateLimited) {
		rateLimit(r, h, c.now)
	}
}
