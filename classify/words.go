package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apierr/apierr/catalog"
)

// Word evidence is the last step before the status decides: when no rule
// matched, the words of the message and of the error's code and type are
// read for a subject and a predicate that together name a failure, in
// either order and on any status ("your account balance is too low",
// "credits: none remaining", "the upstream is saturated", "API key
// revoked"). A provider the catalog has never seen says the same things in
// its own word order and synonyms; the phrases of the rules cannot list
// them all, but the pair of words is the same. The status stays the prior:
// a family that it would misread is not taken there (a quota on a 429 is
// a per-minute one unless a day or a month is named; "not allowed" on a
// 405 is the method), and the families are tried from the most specific
// (billing, quota) to the least (overload).
//
// The words are read from the first wordScanLimit bytes of the message,
// split at anything that is not a letter or a digit and at camel-case
// humps ("ModelNotFound"), lowered, and looked up alone and as a pair
// with the word before ("not found", "rate limit"). In Chinese, Japanese
// and Korean the cues of cjkVocabulary are read where they start. The
// vocabulary is in words_vocab.go.

// wordScanLimit is how much of the message word evidence reads: what an
// error says comes first, and a bound keeps a long message's cost to a
// constant.
const wordScanLimit = 1024

// wordFamily is a kind of failure that word evidence can name.
type wordFamily uint8

const (
	famBilling wordFamily = iota
	famBudget
	famQuota
	famFilter
	famAuth
	famModel
	famContext
	famTokens
	famLong
	famSize
	// famUnit is a length or size counted in a unit that is no token
	// (characters, bytes, megabytes) over its cap: a per-request limit of
	// the API, not the model's context window.
	famUnit
	famRegion
	famModelAccess
	famAccount
	famPermissionOwn
	famPermission
	famRate
	famOverload
	famInfra
	famLoading
	famTimeout
	famUpstream
	famLater
	famInvalid
	famNotFound
	famServer
	// famKeyBudget is famBudget when a key is named ("API key has reached
	// the max cost"): another key may still work. No word names it alone.
	famKeyBudget
	numWordFamilies
)

// Roles of a word within a family: a subject ("balance"), a predicate
// ("insufficient"), or both (a word or pair that says it alone:
// "overloaded", "rate limit"). A predicate that only a client status can
// be trusted with, or only a server status ("unavailable" model on a 503
// is busy; on a 400 it may not exist), is marked so.
const (
	roleSubject = 1 << iota
	rolePredicate
	rolePredicate4xx // a predicate on a 2xx or 4xx only
	rolePredicate5xx // a predicate on a 2xx or 5xx only
	rolePeriod       // a day, a week or a month: a quota that waiting minutes does not lift
	roleStrong       // a word or pair that names the failure alone
	roleVeto         // a pair that says the family's words mean something else here
	roleShort        // a quota that is short or spent, not exceeded for the minute
	roleBoth         = roleSubject | rolePredicate | roleStrong
)

// wordFamilyInfo is what a family decides: a rule name, a category, and
// a scope and an action where they refine the category's defaults.
type wordFamilyInfo struct {
	rule     string
	category catalog.Category
	scope    catalog.Scope
	action   catalog.Action
}

// wordFamilies is in the order the families are tried: the most specific
// first.
var wordFamilies = [numWordFamilies]wordFamilyInfo{
	famBilling: {"words_billing", catalog.QuotaExceeded, catalog.ScopeNone, catalog.ActionNone},
	famBudget:  {"words_budget", catalog.QuotaExceeded, catalog.ScopeNone, catalog.ActionNone},
	famQuota:   {"words_quota", catalog.QuotaExceeded, catalog.ScopeNone, catalog.ActionNone},
	famFilter:  {"words_content_filter", catalog.ContentFiltered, catalog.ScopeNone, catalog.ActionNone},
	famAuth:    {"words_authentication", catalog.Authentication, catalog.ScopeNone, catalog.ActionNone},
	famModel:   {"words_model_not_found", catalog.ModelNotFound, catalog.ScopeNone, catalog.ActionNone},
	famContext: {"words_context_length", catalog.ContextLengthExceeded, catalog.ScopeNone, catalog.ActionNone},
	famTokens:  {"words_context_length", catalog.ContextLengthExceeded, catalog.ScopeNone, catalog.ActionNone},
	famLong:    {"words_context_length", catalog.ContextLengthExceeded, catalog.ScopeNone, catalog.ActionNone},
	famSize:    {"words_request_too_large", catalog.RequestTooLarge, catalog.ScopeNone, catalog.ActionNone},
	famUnit:    {"words_request_too_large", catalog.RequestTooLarge, catalog.ScopeNone, catalog.ActionNone},
	famRegion:  {"words_account_blocked", catalog.PermissionDenied, catalog.ScopeAccount, catalog.ActionNone},
	famAccount: {"words_account_blocked", catalog.PermissionDenied, catalog.ScopeAccount, catalog.ActionNone},
	// A model not open to the account: another model may be, as the
	// catalog's model_permission rules say.
	famModelAccess:   {"words_model_access", catalog.PermissionDenied, catalog.ScopeModel, catalog.ActionFallback},
	famPermissionOwn: {"words_permission", catalog.PermissionDenied, catalog.ScopeNone, catalog.ActionNone},
	famPermission:    {"words_permission", catalog.PermissionDenied, catalog.ScopeNone, catalog.ActionNone},
	famRate:          {"words_rate_limit", catalog.RateLimited, catalog.ScopeNone, catalog.ActionNone},
	famOverload:      {"words_overloaded", catalog.Unavailable, catalog.ScopeNone, catalog.ActionNone},
	famInfra:         {"words_overloaded", catalog.Unavailable, catalog.ScopeNone, catalog.ActionNone},
	famLoading:       {"words_overloaded", catalog.Unavailable, catalog.ScopeNone, catalog.ActionNone},
	famTimeout:       {"words_timeout", catalog.Timeout, catalog.ScopeNone, catalog.ActionNone},
	famUpstream:      {"words_upstream_unreachable", catalog.Unavailable, catalog.ScopeProvider, catalog.ActionNone},
	famLater:         {"words_try_later", catalog.Unavailable, catalog.ScopeNone, catalog.ActionNone},
	famInvalid:       {"words_invalid_request", catalog.InvalidRequest, catalog.ScopeNone, catalog.ActionNone},
	famNotFound:      {"words_not_found", catalog.NotFound, catalog.ScopeNone, catalog.ActionNone},
	famServer:        {"words_server_error", catalog.ServerError, catalog.ScopeNone, catalog.ActionNone},
	famKeyBudget:     {"words_budget", catalog.QuotaExceeded, catalog.ScopeKey, catalog.ActionNone},
}

// wordRoles holds the roles seen of each family.
type wordRoles [numWordFamilies]uint8

func (w *wordRoles) add(f wordFamily, role uint8) { w[f] |= role }

func (w wordRoles) or(v wordRoles) wordRoles {
	for i := range w {
		w[i] |= v[i]
	}
	return w
}

func (w wordRoles) of(f wordFamily) uint8 { return w[f] }

// cjkCue is one entry of cjkVocabulary with its roles.
type cjkCue struct {
	s     string
	roles wordRoles
}

// cjkTable indexes the cues of cjkVocabulary by their first character.
var cjkTable = func() map[rune][]cjkCue {
	roles := map[string]wordRoles{}
	var order []string
	for _, v := range cjkVocabulary {
		for _, w := range v.words {
			r, ok := roles[w]
			if !ok {
				order = append(order, w)
			}
			r.add(v.fam, v.role)
			roles[w] = r
		}
	}
	t := map[rune][]cjkCue{}
	for _, w := range order {
		c, _ := utf8.DecodeRuneInString(w)
		t[c] = append(t[c], cjkCue{w, roles[w]})
	}
	return t
}()

// stemMin is the shortest stem, in bytes, that the scanner looks up for a
// Cyrillic word (three letters).
const stemMin = 6

// wordTable maps a lowered word, or a pair of words, to its roles.
var wordTable = func() map[string]wordRoles {
	t := map[string]wordRoles{}
	for _, v := range wordVocabulary {
		for _, w := range v.words {
			r := t[w]
			r.add(v.fam, v.role)
			t[w] = r
		}
	}
	return t
}()

// wordEvidence returns the family that the words of in's message, code and
// type name, on in's status, or false.
func wordEvidence(in *input) (wordFamily, bool) {
	seen := inputWords(in)
	if seen == (wordRoles{}) {
		return 0, false
	}
	client := in.status < 500
	server := in.status >= 500 || in.status < 400
	inBand := in.status >= 200 && in.status < 300
	period := seen.of(famQuota)&rolePeriod != 0
	for f := range numWordFamilies {
		r := seen.of(f)
		pred := r&rolePredicate != 0 || client && r&rolePredicate4xx != 0 || server && r&rolePredicate5xx != 0
		if r&roleSubject == 0 && !(f == famInvalid && inBand) || !pred || r&roleVeto != 0 {
			// Inside a 2xx, where no status says whose fault it was,
			// "is invalid" needs no subject ("Image pixel is invalid").
			continue
		}
		if f == famNotFound && seen.of(famAuth)&roleSubject != 0 {
			// A credential that does not exist ("apikey not exist",
			// "Specified access key is not found") is a wrong
			// credential on any status but a 400 or 422, where
			// "signature ... not found" is a field of the request, and
			// a 402, which says more.
			if in.status != 400 && in.status != 422 && in.status != 402 {
				return famAuth, true
			}
			continue
		}
		if !wordFamilyFits(f, in.status, period, &seen) {
			continue
		}
		if f == famRate && period && seen.of(famRate)&roleStrong == 0 {
			// A limit on calls by the day, week or month ("Monthly API
			// calls limit reached") is a quota until the period ends.
			return famQuota, true
		}
		if f == famUnit && period {
			// Characters by the month ("You have reached your monthly
			// character limit") are an allowance until the month ends.
			return famQuota, true
		}
		if f == famLong && seen.of(famUnit)&roleSubject != 0 && seen.of(famTokens)&roleSubject == 0 {
			// An input too long counted in characters or bytes ("Input
			// text too long. Maximum 3000 characters allowed.") is the
			// API's cap on a request; in tokens it is the model's window.
			return famSize, true
		}
		if f == famBudget && seen.of(famAuth)&roleSubject != 0 {
			return famKeyBudget, true
		}
		return f, true
	}
	return 0, false
}

// genericType reports whether typ is one of the generic error types that
// OpenAI-compatible servers and relays put on any error
// ("invalid_request_error" on "The server had an error processing your
// request"): the message's words say more. (Inside a 2xx the catalog's
// in_band rules still read it when no word does.)
func genericType(typ string) bool {
	switch typ {
	case "invalid_request_error", "api_error", "server_error":
		return true
	}
	return false
}

// urlScheme reports whether w, a lowered word, is a link's scheme.
func urlScheme(w []byte) bool {
	return string(w) == "https" || string(w) == "http"
}

// isIdentifier reports whether msg is one token of letters, digits,
// underscores, dots and hyphens: a code sent as the message
// ("out_of_context", "RATE_LIMITED"), whose words the underscores
// separate.
func isIdentifier(msg string) bool {
	if msg == "" || len(msg) > 64 {
		return false
	}
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// wordFamilyFits reports whether family f may decide on status, period
// telling whether a day, a week or a month was named and seen holding the
// roles of every family read: the status is the prior that words overrule
// only where they cannot be misread.
func wordFamilyFits(f wordFamily, status int, period bool, seen *wordRoles) bool {
	if status == 402 {
		// Payment Required says more than any word ("Rate limited",
		// with a reason "not-enough-credits").
		return false
	}
	switch f {
	case famBudget:
		// A server's own budget ("body_budget_exhausted" of an admission
		// queue, with the type "local_overload") is its capacity, not
		// the caller's money.
		return status != 413 && seen.of(famOverload)&roleStrong == 0
	case famQuota:
		// On a 429, or next to a rate limit ("Rate limit quota
		// violation"), a quota is most often per second or per minute.
		return (status != 429 && seen.of(famRate)&roleStrong == 0) || period || seen.of(famQuota)&roleShort != 0
	case famUnit:
		// Characters next to a quota ("11 characters remaining" of a
		// quota) are an allowance; on a 429 a rate.
		return status != 429 && seen.of(famQuota)&roleSubject == 0
	case famContext, famTokens:
		// "Tokens per minute limit" on a 429 is a rate limit, and so are
		// tokens by the day anywhere (a quota).
		return status != 429 && !period
	case famOverload, famTimeout:
		// A 429 is already a pace to wait out; a relay that calls its
		// saturated upstream a rate limit (one-api on a 429) is not
		// overruled by the words of a busy server, nor by those of a
		// retry that timed out ("重试超时，上游负载已饱和").
		return status != 429
	case famFilter:
		// A violation beside a rate limit's own words ("Spike arrest
		// violation. Allowed rate : MessageRate{...}", Apigee's rate
		// policy) is the pace's; a filter's own words ("moderation",
		// "content policy") still decide.
		return seen.of(famRate)&roleStrong == 0 || seen.of(famFilter)&roleStrong != 0
	case famModelAccess:
		// A refusal on a server status is an outage's wording; a 422 is
		// a validation error that may name the model field ("extra
		// inputs are not permitted").
		return status < 500 && status != 422
	case famPermissionOwn:
		return generalStatus(status) || status == 401
	case famPermission:
		// A gateway that has "no access" to its upstream is out, not
		// refusing; "not authorized" on a 401 is the credential. Only
		// the statuses that say nothing more specific take it.
		return generalStatus(status)
	case famInvalid:
		// On a client status the status already says as much; on a
		// server status, a 2xx or an unlisted one, the body says whose
		// fault it was.
		return status >= 500 || status < 400 || !statusOf(status).known
	case famInfra:
		// Not where the status names the failure itself (a 413 that
		// also says no provider is free).
		return generalStatus(status) || status >= 500
	case famLoading:
		return generalStatus(status) || status >= 500
	case famUpstream:
		// On a client status a failed connection is the caller's (a bad
		// webhook URL); a server status or a 2xx relays the upstream's.
		return status >= 500 || status < 400
	case famServer:
		// Inside a 2xx or on an unlisted status; on a 400 or 422 only
		// when the server ran out of memory ("GPU OutOfMemory, Please
		// Refresh"): "system message" beside a BadRequestError is the
		// caller's. A 5xx says as much already.
		if status < 400 || !statusOf(status).known {
			return true
		}
		return (status == 400 || status == 422) && seen.of(famServer)&roleStrong != 0
	case famNotFound:
		// Something the request names does not exist ("Bot ... not
		// found", "未找到知识库"): said inside a 2xx or on a 4xx without
		// a row of its own. On a 400 or 422 the servers that say it
		// mean a field the request lacks ("messages not found") as
		// often as a thing it names: the status's invalid request
		// holds; on a server status it is the server's own file, on a
		// 401 or 403 the caller.
		return status >= 200 && status < 300 || status >= 400 && status < 500 && !statusOf(status).known
	case famLater:
		// On a 5xx the status already says to retry; on a 401, 403 or 404
		// "try again later" is a courtesy.
		return generalStatus(status) && status < 500
	}
	return true
}

// generalStatus reports whether status says nothing more specific than
// that the request failed: 400, 422, 500, an error inside a 2xx, or a
// status without a row of its own.
func generalStatus(status int) bool {
	switch status {
	case 400, 422, 500:
		return true
	}
	return status >= 200 && status < 300 || !statusOf(status).known
}

// lookupWord returns the roles of w, a word or a pair whose last word
// starts at from. A Cyrillic last word that is not in the table is looked
// up by its stems, longest first, down to stemMin bytes: Russian inflects
// its endings ("найдена", "найден"). Its letters take two bytes each.
func lookupWord(w []byte, from int) wordRoles {
	if r, ok := wordTable[string(w)]; ok {
		return r
	}
	if w[from] < 0x80 {
		return wordRoles{}
	}
	for n := len(w) - 2; n-from >= stemMin; n -= 2 {
		if r, ok := wordTable[string(w[:n])]; ok {
			return r
		}
	}
	return wordRoles{}
}

// scanWords adds the roles of the words of s to seen.
func scanWords(s string, seen wordRoles, splitUnderscore bool) wordRoles {
	var prev, cur [32]byte
	np, nc := 0, 0
	// flush looks up the word in cur, alone and after the one in prev.
	flush := func() {
		if nc == 0 {
			return
		}
		seen = seen.or(lookupWord(cur[:nc], 0))
		if np > 0 && np+1+nc <= 64 {
			var pair [65]byte
			k := copy(pair[:], prev[:np])
			pair[k] = ' '
			k++
			k += copy(pair[k:], cur[:nc])
			seen = seen.or(lookupWord(pair[:k], np+1))
		}
		prev, np = cur, nc
		nc = 0
	}
	var last rune
	for i := 0; i < len(s); {
		c := rune(s[i])
		size := 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case c == '\'' || c == '’':
			// "doesn't" is "doesnt".
		case c == '_' && !splitUnderscore:
			if nc < len(cur) {
				cur[nc] = '_'
			}
			nc++
		case c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9'):
			if nc < len(cur) {
				cur[nc] = byte(c)
			}
			nc++
		case c >= 'A' && c <= 'Z':
			// A camel-case hump starts a word: "ModelNotFound",
			// "APIKeyInvalid" (the last capital of a run starts the
			// next word when a small letter follows).
			next := byte(0)
			if i+1 < len(s) {
				next = s[i+1]
			}
			if nc > 0 && (last >= 'a' && last <= 'z' || last >= 'A' && last <= 'Z' && next >= 'a' && next <= 'z') {
				if nc > len(cur) {
					nc = 0
				}
				flush()
			}
			if nc < len(cur) {
				cur[nc] = byte(c + 'a' - 'A')
			}
			nc++
		case c >= utf8.RuneSelf && unicode.IsLetter(c) && !unicode.In(c, unicode.Han, unicode.Hiragana,
			unicode.Katakana, unicode.Hangul):
			c = unicode.ToLower(c)
			if nc+utf8.RuneLen(c) <= len(cur) {
				nc += utf8.EncodeRune(cur[nc:], c)
			} else {
				nc = len(cur) + 1
			}
		default:
			if c == ':' && urlScheme(cur[:min(nc, len(cur))]) && strings.HasPrefix(s[i:], "://") {
				// A link's words are its path's, not the message's
				// ("https://platform.kluster.ai/billing" after a
				// concurrency limit): skip to the end of the link.
				nc, np = 0, 0
				for i < len(s) && s[i] > ' ' && s[i] != '"' && s[i] != '\'' && s[i] != ')' && s[i] != '>' {
					i++
				}
				last = ' '
				continue
			}
			if nc > len(cur) {
				nc = 0 // too long to be a word of the vocabulary
			}
			flush()
			if c >= 0x1100 {
				// Chinese, Japanese and Korean: the cues that start here.
				for _, cue := range cjkTable[c] {
					if strings.HasPrefix(s[i:], cue.s) {
						seen = seen.or(cue.roles)
					}
				}
			}
		}
		last = c
		i += size
	}
	if nc > len(cur) {
		nc = 0
	}
	flush()
	return seen
}

// inputWords returns the roles that the words of in's message, code and
// type (unless it is a generic one) hold.
func inputWords(in *input) wordRoles {
	msg := in.msg
	if len(msg) > wordScanLimit {
		msg = msg[:wordScanLimit]
	}
	// In a message an underscore joins a parameter's name ("max_tokens
	// must be at most 4096" names no tokens); a code's words are
	// separated by it ("model_not_found").
	seen := scanWords(msg, wordRoles{}, isIdentifier(msg))
	if in.code != "" {
		seen = scanWords(in.code, seen, true)
	}
	if in.typ != "" && in.typ != in.code && !genericType(in.typ) {
		seen = scanWords(in.typ, seen, true)
	}
	return seen
}

// periodNamed reports whether in's message, code or type names a day, a
// week or a month as the period of a limit.
func periodNamed(in *input) bool {
	return inputWords(in).of(famQuota)&rolePeriod != 0
}
