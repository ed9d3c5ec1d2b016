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
//  2. the catalog's rules ([catalog.Rules]), ordered by the strength of the
//     evidence: a code with a phrase, codes that name a failure exactly,
//     generic codes, the phrases of the statuses on which providers send
//     them, the strong phrases again for every other status, then generic
//     types for errors inside 2xx responses;
//  3. word evidence: when no rule matched, a subject and a predicate
//     among the words of the message, code and type that together name a
//     failure, in either order ("your account balance is too low", "the
//     upstream is saturated", "model-unknown"); Rule is then one of the
//     words_* names (see "Word evidence");
//  4. the status code's own row ([catalog.StatusInfo]), then its class.
//
// Retryability follows the category, except that 501 is never retryable, an
// unknown 5xx is, and an x-should-retry header overrides both; without
// that header, the body's own statement ("retryable": true or false, as
// Cloudflare's JSON error pages carry) does, and Rule then ends with
// [RuleBodyRetryable].
//
// # Evidence and status
//
// The status is a prior, not a gate. Strong evidence in the body decides on
// whatever status the server picked: a balance that is too low, a usage cap,
// arrears, a context overflow, a content filter, a model or route that does
// not exist, an overload, an invalid key or a blocked account mean the same
// on a 400, a 403, a 429, a 500 or inside a 200 stream. When a generic code
// and a clearer phrase disagree, the phrase decides: a billing phrase over
// an authentication or permission code ("API key reached its usage limit"
// with invalid_api_key is a key's spend cap, not an invalid key), a billing
// or daily gate ("Extra usage is required", "daily request limit") over a
// rate-limit code, an account block or a model the account may not use over
// a permission code; Result.Rule names the rule that combines the two.
// A 200 body that carries an error frame (a status member whose code is not
// zero, such as MiniMax's base_resp or an RPC header, or a numeric status of
// failure) is a failure; a code of success (0, 200) is not.
//
// A property test re-classifies every published response whose body decided
// under 400, 403, 429, 500, 502, 503 and as an error event in a 200 stream:
// a billing, quota, authentication, context-overflow or content-filter
// answer stays non-retryable, an overload retryable. Its exceptions are
// deliberate:
//
//   - a response that only its status decided (a bare "Unauthorized" on a
//     401): moved to a 500, it is a server error;
//   - a gateway's HTML or text page, and its words ("Bad Gateway"), which are
//     its status line again;
//   - a context-window phrase on a 429 ("maximum context length reached for
//     this minute"), which is a rate limit;
//   - "invalid token" and "token is invalid", trusted only on 400, 401 and
//     403 and inside a 2xx, as a tokenizer's error can say them too.
//   - a spent quota in words that a 429 also uses for a per-second or
//     per-minute quota ("quota exceeded", "quota has been exceeded",
//     "token_quota_reached"): on a 429 the status's rate limit stands
//     (rule quota_spent_message, and words_quota unless a day, a week, a
//     month or a shortage is named).
//   - word evidence of an overload that only a server status can be
//     trusted with ("no ready runtime is available", a type
//     "service_unavailable_error"): on a 4xx a model that is "not
//     available" may not exist, and the status decides.
//
// # Word evidence
//
// Providers the catalog has never seen say the same things as those it
// knows, in their own order and synonyms. When no rule matched, the first
// 1 KiB of the message and the words of the code and type (split at
// underscores, hyphens and camel-case humps) are read for pairs: a
// subject and a predicate of one family, such as "balance" and "too low",
// "quota" and "exhausted", "model" and "not found", "tokens" and
// "exceed", "server" and "busy", or a word or pair that says it alone
// ("overloaded", "rate limit", "moderation", "arrears"). Latin and
// Cyrillic words are read (Russian by their stem); in Chinese, Japanese
// and Korean, which do not separate words (or join particles to them),
// the cues are read where they start ("余额" and "不足", "モデル" and
// "見つかりません", "할당량" and "초과"). The families are tried from the
// most specific: billing, a spending cap or budget (of a key when a key
// is named), quota, content filter, authentication, model not found,
// context overflow, request too large, a region or a blocked account, a
// model the key may not use, permission, rate limit, overload, timeout,
// a backend out of reach ("connection refused", "no valid host") on a
// server status or a 2xx, "try again later" on a client status, a
// malformed request ("validation error", "missing required") on a server
// status (inside a 2xx "is invalid" alone), something the request names
// that does not exist ("Bot ... not found") inside a 2xx or on an
// unlisted 4xx, and a server's own failure said inside a 2xx ("system
// error"). A message that is one identifier ("out_of_context") is read
// as a code. Inside a 2xx, word evidence is read before the catalog's
// generic types (an invalid_request_error that says "模型 'gpt-4o' 不存在"
// is a model not found), except that a generic server error keeps its
// answer over words that retry as well. An error inside a 2xx that
// nothing names takes the status its message starts with ("400: ...",
// rule in_band_status), and a 500 that quotes its upstream's status
// ("Request failed with status code 429") takes that status (rule
// relayed_status). The status stays the prior: no word overrules a 402,
// nor do the words of a busy server or of a timeout overrule a 429 (both
// say wait); a quota is
// not taken on a 429, nor next to a rate limit, unless a day, a week or
// a month is named; a context overflow is not taken on a 429; "max
// tokens" is the answer's length, a parameter, not a prompt to shrink;
// permission and "try again later" decide only where the status says
// nothing specific (400, 422, 500, an unlisted status, a 2xx). Last, a
// rate limit that a built-in rule or the words decided, that names a day,
// a week or a month and states no delay anywhere ("free-models-per-day",
// "requests per day (1000) reached"), is a quota until the period ends
// (rule rate_limit_period).
//
// [Result.Action] and [Result.Scope] say what to do next (retry, shrink the
// input, fall back to another model, fix the credential or the request, or
// stop) and how far the failure reaches (request, model, key, account,
// provider): the category's default from [catalog.NextAction], refined by the
// deciding rule's Action and Scope, and turned from retry into fallback
// when the server asks for more than [LongDelay].
//
// For a transport error (no response at all) use [TransportError]; for an
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
	var pe parse.Fields
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

	if hd != &noHeaders {
		headerFields(r, hd)
	}

	// Set member by member: a composite literal is built in a temporary
	// with word stores and then copied with wider loads, which the CPU
	// cannot forward from the stores (a stall of some ten cycles each).
	var in input
	in.status, in.code, in.typ, in.msg = status, r.Code, r.Type, r.Message
	in.cut = r.Truncated
	in.delaySrc = pe.RetryDelaySource
	if len(in.msg) > MessageScanLimit {
		in.msg, in.cut = in.msg[:MessageScanLimit], true
	}
	ra, rs := c.decide(r, &in, pe.Found)

	if hd.shouldRetry != "" || pe.Retryable != "" {
		statedRetry(r, hd.shouldRetry, pe.Retryable)
	}
	c.delays(r, &in, h, hd, &pe)
	if in.builtinRate && r.RetryAfter == 0 && r.ShouldRetry == "" && pe.Retryable == "" && periodNamed(&in) {
		// A limit by the day, week or month that states no delay
		// ("Rate limit exceeded: free-models-per-day", "number of
		// allowed requests per day (1000) reached"): waiting does not
		// lift it in a retry loop, it is a quota until the period ends.
		// A stated delay ("requests per day (RPD) ... Please try again
		// in 7m12s") says it clears sooner: the rate limit holds.
		r.Category, r.Retryable, r.Rule = catalog.QuotaExceeded, false, RuleRatePeriod
		r.Hint = r.Category.Hint()
		ra = catalog.ActionNone
	}
	r.next(ra, rs)
}

// headerFields takes from the headers what the body did not say: AWS's
// error type (x-amzn-ErrorType) and the request id. Out of line, as the
// other rare paths of classify, so that the code every classification
// runs stays small.
//
//go:noinline
func headerFields(r *Result, hd *headers) {
	if r.Type == "" && hd.amznType != "" {
		// AWS: "ThrottlingException:http://internal.amazon.com/coral/..."
		t := hd.amznType
		if i := strings.IndexByte(t, ':'); i >= 0 {
			t = t[:i]
		}
		r.Type = t
	}
	for _, id := range hd.requestID {
		if id != "" {
			r.RequestID = id
			break
		}
	}
}

// statedRetry applies what the server said of retrying: x-should-retry
// (shouldRetry) overrides retryability both ways; the body's own
// statement (bodyRetryable, "retryable": true) does when no header made
// one.
//
//go:noinline
func statedRetry(r *Result, shouldRetry, bodyRetryable string) {
	switch strings.TrimSpace(shouldRetry) {
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
	if r.ShouldRetry == "" && bodyRetryable != "" && r.Retryable != (bodyRetryable == "true") {
		r.Retryable = bodyRetryable == "true"
		r.Rule += "," + RuleBodyRetryable
	}
}

// noHeaders is the headers of a response that has none. It is never
// written.
var noHeaders headers

// decide sets the category, retryability, rule and hint, and returns the
// refinements of the next action and scope that the deciding rule carries.
func (c *Classifier) decide(r *Result, in *input, found bool) (ra catalog.Action, rs catalog.Scope) {
	var rule *catalog.Rule
	if len(c.Rules) > 0 {
		rule = firstUser(c.Rules, in)
	}
	user := rule != nil
	generic := false
	if rule == nil {
		rule = builtin.first(in)
		if rule != nil && rule == builtin.rateType && in.typ != "" && !in.codeKnown {
			rule = builtin.overloadedRateType(rule, in)
		}
		// The generic rules are the 2xx's (TestRuleSetNamedRules): a
		// failure status does not pay for the name's comparison.
		generic = rule != nil && r.Status < 300 && genericRule(rule)
	}
	if rule != nil && !generic {
		// A rule decides: the common case, kept short.
		r.Category, r.Rule = rule.Category, rule.Name
		r.Retryable = ruleRetryable(rule)
		ra, rs = rule.Action, rule.Scope
	} else {
		ra, rs = decideWithout(r, in, found, rule)
	}
	if rs == catalog.ScopeNone && r.Category == catalog.Unavailable &&
		(r.Format == parse.FormatHTML || r.Format == parse.FormatText && r.Code == "" || r.Format == parse.FormatEmpty ||
			r.Status >= 520 && r.Status <= 527 || r.Status == 530) {
		// A gateway's or CDN's own outage page (HTML or plain text), or
		// no body at all, is not the API's answer about one model but the
		// endpoint's: the whole provider is out. Plain text that relays an
		// upstream's error with its code ("Last error: HTTP 429: {...
		// MODEL_CAPACITY_EXHAUSTED ...}") is that API's answer.
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
	in.builtinRate = r.Category == catalog.RateLimited && !user
	r.Hint = r.Category.Hint()
	return ra, rs
}

// decideWithout is decide when no rule, or only a generic one (see
// genericRule), matched: the words of the message, an error inside a 2xx, a
// relayed status, or the status decide. Out of line, so that decide stays
// small for the responses a rule decides.
//
//go:noinline
func decideWithout(r *Result, in *input, found bool, rule *catalog.Rule) (ra catalog.Action, rs catalog.Scope) {
	var fam wordFamily
	words := false
	if in.msg != "" || in.code != "" || in.typ != "" {
		// No rule matched, or only a generic type inside a 2xx: the
		// words may still name the failure.
		fam, words = wordEvidence(in)
		if words && rule != nil && rule.Category.Retryable() && wordFamilies[fam].category.Retryable() {
			// A generic server error that words call a network or
			// an upstream failure: both retry, and the type is the
			// provider's own word for it.
			words = false
		}
		if words {
			rule = nil
		}
	}
	relayed := 0
	if rule == nil && !words && r.Status == 500 {
		relayed = relayedStatus(in.msg)
	}
	switch {
	case rule != nil:
		r.Category, r.Rule = rule.Category, rule.Name
		r.Retryable = ruleRetryable(rule)
		ra, rs = rule.Action, rule.Scope
	case words:
		f := &wordFamilies[fam]
		r.Category, r.Rule = f.category, f.rule
		r.Retryable = f.category.Retryable()
		ra, rs = f.action, f.scope
	case r.Status >= 200 && r.Status < 300 && found:
		r.Category, r.Rule = catalog.Unknown, RuleInBand
		code := statusInMessage(in.msg)
		if code == 0 {
			// {"Code": 500, "Msg": "GENERAL_ERROR"} inside a 200: a code
			// that is an error status of a row of its own is the status
			// the error would have had.
			code = statusCode(in.code)
		}
		if code != 0 {
			// "400: failed to moderate image": the error inside the
			// 2xx names the status it would have had.
			st := statusOf(code)
			r.Category, r.Retryable, r.Rule = st.category, st.retryable, RuleInBandStatus
		}
	case relayed != 0:
		// A relay's 500 that quotes its upstream's status ("Request
		// failed with status code 429", "Error: 400: Language code
		// ... unsupported"): the upstream's status says more.
		st := statusOf(relayed)
		r.Category, r.Retryable, r.Rule = st.category, st.retryable, RuleRelayedStatus
	default:
		st := statusOf(r.Status)
		r.Category, r.Retryable = st.category, st.retryable
		r.Rule = RuleStatusClass
		if st.known {
			r.Rule = RuleStatus
		} else if r.Status >= 400 && r.Status < 500 && in.msg != "" &&
			r.Format != parse.FormatText && r.Format != parse.FormatHTML {
			// A 4xx without a row of its own (417, 418, 423) whose
			// JSON error says what was wrong is the server rejecting
			// this request (LightLLM sends its validation
			// errors on a 417): fix it. A page or a bare reason phrase
			// stays unknown.
			r.Category = catalog.InvalidRequest
		}
	}
	return ra, rs
}

// statusCode returns the error status that code, an error's code, is: three
// digits from 400 to 599 that name a status of a row of its own, or 0.
func statusCode(code string) int {
	if len(code) != 3 || code[0] < '4' || code[0] > '5' || code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9' {
		return 0
	}
	n := int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
	if !statusOf(n).known {
		return 0
	}
	return n
}

// relayedStatus is statusInMessage for a 500's message: 0 when the status
// it names is 500 again.
func relayedStatus(msg string) int {
	if code := statusInMessage(msg); code != 500 {
		return code
	}
	return 0
}

// genericRule reports whether rule is one of the catalog's rules for a
// generic error type inside a 2xx ("invalid_request_error", "api_error"):
// they stand where a status would, so word evidence, which is more
// specific ("模型 'gpt-4o' 不存在" under an invalid_request_error), is read
// before them, as it is before a status.
func genericRule(rule *catalog.Rule) bool {
	return strings.HasPrefix(rule.Name, "in_band_")
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

// LongDelay is the longest server delay for which a retryable Result
// says ActionRetry: above it, Result.Action is ActionFallback (waiting that
// long is not what a caller holding a request wants), while Retryable stays
// true. It is policy.DefaultMaxServerDelay, above which the default policy
// gives up with server_delay_too_long.
const LongDelay = 120 * time.Second

// next sets the action and scope from the category, the retryability, the
// deciding rule's refinements ra and rs (zero for none) and the server's
// delay. It is a table lookup.
func (r *Result) next(ra catalog.Action, rs catalog.Scope) {
	a, s := catalog.NextAction(r.Category, r.Status, r.Retryable)
	if rs != catalog.ScopeNone {
		s = rs
	}
	if ra != catalog.ActionNone && ra != catalog.ActionRetry && !r.Retryable {
		a = ra
	}
	if a == catalog.ActionRetry && r.RetryAfterSource != "" && r.RetryAfter > LongDelay {
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
func (c *Classifier) delays(r *Result, in *input, h http.Header, hd *headers, pe *parse.Fields) {
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
	if r.RetryAfterSource == "" && (pe.RetryDelaySource == parse.SourceRetryInfo || pe.RetryDelaySource == parse.SourceBody) {
		// Structured delays in the body: Google's RetryInfo, the body's
		// own retry_after.
		r.RetryAfter, r.RetryAfterSource = pe.RetryDelay, pe.RetryDelaySource
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

// statusInMessage returns the HTTP status of failure, 400 to 599 with a
// row of its own, that msg starts with ("400: ...", "HTTP 503 Service
// Unavailable", "429 - too many", after an "Error: " prefix) or names in
// its first bytes after a relay's words for it (axios's "Request failed
// with status code 429", "Stream request failed: 429"), or 0.
func statusInMessage(msg string) int {
	head := msg[:min(len(msg), 160)]
	for _, m := range [...]string{"status code ", "failed: ", "failed with "} {
		if i := strings.Index(head, m); i >= 0 {
			if code := leadingStatus(head[i+len(m):]); code != 0 {
				return code
			}
		}
	}
	for _, p := range [...]string{"Error: ", "error: ", "ERROR: "} {
		if strings.HasPrefix(msg, p) {
			msg = msg[len(p):]
			break
		}
	}
	return leadingStatus(msg)
}

// leadingStatus returns the HTTP status of failure, 400 to 599 with a row
// of its own, that msg starts with ("400: ...", "HTTP 503 Service
// Unavailable", "429 - too many"), or 0.
func leadingStatus(msg string) int {
	if len(msg) >= 5 && (msg[:5] == "HTTP " || msg[:5] == "http ") {
		msg = msg[5:]
	}
	if len(msg) < 3 || msg[0] != '4' && msg[0] != '5' || msg[1] < '0' || msg[1] > '9' || msg[2] < '0' || msg[2] > '9' {
		return 0
	}
	if len(msg) > 3 && msg[3] != ':' && msg[3] != ' ' && msg[3] != '-' {
		return 0
	}
	code := int(msg[0]-'0')*100 + int(msg[1]-'0')*10 + int(msg[2]-'0')
	if !statusOf(code).known {
		return 0
	}
	return code
}
