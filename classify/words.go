package classify

import (
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
// with the word before ("not found", "rate limit"). Scripts written
// without spaces (Chinese, Japanese) are left to the rules' phrases.

// wordScanLimit is how much of the message word evidence reads: what an
// error says comes first, and a bound keeps a long message's cost to a
// constant.
const wordScanLimit = 1024

// wordFamily is a kind of failure that word evidence can name.
type wordFamily uint8

const (
	famBilling wordFamily = iota
	famQuota
	famFilter
	famAuth
	famModel
	famContext
	famTokens
	famLong
	famSize
	famRegion
	famModelAccess
	famAccount
	famPermission
	famRate
	famOverload
	famTimeout
	famLater
	famInvalid
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
	roleBoth         = roleSubject | rolePredicate | roleStrong
)

// wordFamilyInfo is what a family decides.
type wordFamilyInfo struct {
	rule     string
	category catalog.Category
	scope    catalog.Scope
}

// wordFamilies is in the order the families are tried: the most specific
// first.
var wordFamilies = [numWordFamilies]wordFamilyInfo{
	famBilling:     {"words_billing", catalog.QuotaExceeded, catalog.ScopeNone},
	famQuota:       {"words_quota", catalog.QuotaExceeded, catalog.ScopeNone},
	famFilter:      {"words_content_filter", catalog.ContentFiltered, catalog.ScopeNone},
	famAuth:        {"words_authentication", catalog.Authentication, catalog.ScopeNone},
	famModel:       {"words_model_not_found", catalog.ModelNotFound, catalog.ScopeNone},
	famContext:     {"words_context_length", catalog.ContextLengthExceeded, catalog.ScopeNone},
	famTokens:      {"words_context_length", catalog.ContextLengthExceeded, catalog.ScopeNone},
	famLong:        {"words_context_length", catalog.ContextLengthExceeded, catalog.ScopeNone},
	famSize:        {"words_request_too_large", catalog.RequestTooLarge, catalog.ScopeNone},
	famRegion:      {"words_account_blocked", catalog.PermissionDenied, catalog.ScopeAccount},
	famAccount:     {"words_account_blocked", catalog.PermissionDenied, catalog.ScopeAccount},
	famModelAccess: {"words_model_access", catalog.PermissionDenied, catalog.ScopeModel},
	famPermission:  {"words_permission", catalog.PermissionDenied, catalog.ScopeNone},
	famRate:        {"words_rate_limit", catalog.RateLimited, catalog.ScopeNone},
	famOverload:    {"words_overloaded", catalog.Unavailable, catalog.ScopeNone},
	famTimeout:     {"words_timeout", catalog.Timeout, catalog.ScopeNone},
	famLater:       {"words_try_later", catalog.Unavailable, catalog.ScopeNone},
	famInvalid:     {"words_invalid_request", catalog.InvalidRequest, catalog.ScopeNone},
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

// wordVocabulary lists, per family and role, the words and pairs of words
// (two words separated by one space) that word evidence reads. Russian
// words are listed by their stem (see stemMin): the scanner also looks up
// the first letters of a Cyrillic word.
var wordVocabulary = []struct {
	fam   wordFamily
	role  uint8
	words []string
}{
	// Money: a balance, credits, a payment or a subscription that is
	// short, spent, overdue or expired.
	{famBilling, roleSubject, []string{
		"balance", "credit", "credits", "funds", "billing", "payment", "payments", "prepaid", "wallet",
		"recharge", "invoice", "invoices", "subscription", "topup", "trial", "free trial",
		"баланс", "средст", "оплат", "кредит", "счет", "счёт",
	}},
	{famBilling, rolePredicate, []string{
		"insufficient", "low", "exhausted", "depleted", "negative", "not enough", "expired", "required",
		"run out", "ran out", "out of", "exceeded", "limit", "lack", "lacking", "unpaid", "declined", "spent",
		"used up", "remaining", "canceled", "cancelled", "lapsed", "ended",
		"недостат", "исчерпан", "закончил", "просрочен",
	}},
	{famBilling, roleBoth, []string{"arrears", "overdue", "top up", "please recharge", "задолженност"}},

	// A quota or allowance used up: not on a 429 unless it names a day,
	// a week or a month (see wordFamilyFits).
	{famQuota, roleSubject, []string{"quota", "quotas", "allowance", "usage", "free tier", "квот"}},
	{famQuota, rolePredicate, []string{
		"exceeded", "exceed", "exceeds", "exhausted", "reached", "depleted", "insufficient", "used up",
		"spent", "consumed", "run out", "ran out", "limit", "not enough",
		"исчерпан", "превышен", "достигнут", "израсходован",
	}},
	{famQuota, rolePeriod, []string{"daily", "monthly", "weekly", "yearly", "annual", "today", "per day",
		"per month", "per week", "this month", "this week", "billing cycle", "billing period",
		"суточн", "дневн", "месячн", "ежемесячн"}},

	// A safety or moderation refusal.
	{famFilter, roleBoth, []string{
		"moderation", "moderated", "nsfw", "unsafe", "harmful", "inappropriate", "guardrail", "guardrails",
		"censored", "offensive", "profanity", "jailbreak", "toxic", "toxicity", "content policy",
		"content policies", "safety system", "usage policy", "usage policies", "safety policy",
		"safety policies", "acceptable use",
		"модерац",
	}},
	{famFilter, roleSubject, []string{"content", "prompt", "input", "output", "image", "images", "text",
		"message", "messages", "response", "completion", "generation", "query", "контент", "содержим",
		"сообщени"}},
	{famFilter, rolePredicate, []string{"flagged", "violates", "violate", "violation", "violations",
		"violating", "prohibited", "filtered", "blocked", "disallowed", "objectionable",
		"нарушает", "нарушени", "запрещ", "заблокирован"}},

	// A credential that is wrong, missing or expired.
	{famAuth, roleSubject, []string{"apikey", "api key", "api token", "access key", "secret key", "credential",
		"credentials", "signature", "bearer", "authentication", "authorization", "access token",
		"auth token", "ключ"}},
	{famAuth, rolePredicate, []string{"invalid", "incorrect", "missing", "expired", "revoked", "wrong",
		"malformed", "not valid", "failed", "required", "not provided", "absent", "unrecognized",
		"unrecognised", "failure", "недействител", "неверн", "истек", "истёк", "отсутству"}},

	// A model that does not exist (any longer).
	{famModel, roleSubject, []string{"model", "models", "deployment", "deployments", "модел"}},
	{famModel, rolePredicate, []string{"not found", "notfound", "not exist", "doesnt exist", "no such",
		"decommissioned", "retired", "no longer", "не найден", "не существует"}},
	{famModel, rolePredicate4xx, []string{"nonexistent", "unrecognized", "unrecognised", "not recognized",
		"неизвестн"}},

	// A context window overflow, in three shapes: the context named with
	// any limit; tokens that exceed one; a prompt, an input or messages
	// too long.
	{famContext, roleSubject, []string{"context", "контекст"}},
	{famContext, rolePredicate, []string{"too long", "length", "window", "exceeds", "exceeded", "exceed",
		"exceeding", "maximum", "limit", "too many", "too large", "превыш", "длин", "слишком"}},
	{famTokens, roleSubject, []string{"tokens", "токенов", "prompt length", "input length", "sequence length"}},
	// "max tokens must be at most 4096", "the maximum tokens you requested
	// exceeds the model limit": the length of the answer asked for, a
	// parameter to fix, not a prompt to shrink.
	{famTokens, roleVeto, []string{"max tokens", "maximum tokens", "max new", "max output", "output tokens",
		"completion tokens"}},
	{famTokens, rolePredicate, []string{"exceeds", "exceeded", "exceed", "exceeding", "too many",
		"too long", "превыш", "слишком"}},
	{famLong, roleSubject, []string{"prompt", "input", "messages", "conversation", "sequence", "history"}},
	{famLong, rolePredicate, []string{"too long"}},

	// A request too large to send as it is.
	{famSize, roleSubject, []string{"request", "payload", "body", "file", "entity", "upload", "image",
		"attachment", "batch", "size"}},
	{famSize, rolePredicate, []string{"too large", "too big", "oversized", "size limit", "max size",
		"maximum size", "size exceeds", "size exceeded"}},

	// A service not offered in the caller's region or country.
	{famRegion, roleSubject, []string{"region", "country", "countries", "location", "territory", "regions",
		"регион", "стран"}},
	{famRegion, rolePredicate, []string{"not supported", "unsupported", "not available", "restricted",
		"blocked", "not allowed", "не поддерживает", "недоступ"}},

	// An account, organization or workspace that is blocked, whatever the
	// key.
	{famAccount, roleSubject, []string{"account", "organization", "organisation", "org", "tenant", "team",
		"workspace", "аккаунт", "учетн", "учётн", "организаци"}},
	{famAccount, rolePredicate, []string{"suspended", "disabled", "banned", "blocked", "locked", "deactivated",
		"terminated", "frozen", "blacklisted", "restricted", "заблокирован", "приостановлен", "отключен"}},

	// A model that this account or key may not use: another model may
	// serve.
	{famModelAccess, roleSubject, []string{"model", "models", "модел"}},
	{famModelAccess, rolePredicate, []string{"no access", "have access", "not enabled", "not entitled",
		"not authorized", "not authorised", "permission denied", "no permission", "not permitted",
		"access denied", "restricted", "нет доступа"}},

	// A permission refusal, in pairs that cannot mean a validation error
	// ("extra fields not permitted" is one).
	{famPermission, roleBoth, []string{"permission denied", "access denied", "no permission",
		"no access", "not authorized", "not authorised", "insufficient permissions",
		"insufficient permission", "lacks permission", "lack permission", "not entitled", "have permission",
		"have access", "доступ запрещен", "доступ запрещён", "нет доступа", "нет прав", "недостаточно прав"}},

	// A pace to wait out.
	{famRate, roleBoth, []string{"throttled", "throttling", "ratelimit", "ratelimited", "rate limit",
		"rate limited", "rate limits", "rate limiting", "request limit", "slow down", "частот"}},
	{famRate, roleSubject, []string{"rate", "requests", "calls", "frequency", "concurrency",
		"concurrent", "qps", "rpm", "rps", "tpm", "запросов"}},
	{famRate, rolePredicate, []string{"limit", "limited", "exceeded", "too many", "too frequent",
		"too frequently", "too fast", "reached", "лимит", "превышен", "слишком"}},

	// A server or model too busy, or not ready.
	{famOverload, roleBoth, []string{"overloaded", "overload", "overcapacity", "too busy", "at capacity",
		"over capacity", "saturated", "congested", "congestion", "high demand", "heavy load", "high load",
		"high traffic", "перегруж"}},
	{famOverload, roleSubject, []string{"server", "servers", "service", "services", "model", "system",
		"cluster", "gpu", "gpus", "backend", "upstream", "engine", "worker", "workers", "resources",
		"instance", "instances", "node", "nodes", "replicas", "capacity", "сервер", "сервис", "систем"}},
	{famOverload, rolePredicate, []string{"busy", "no capacity", "not ready", "warming up",
		"starting up", "загружен", "занят"}},
	{famOverload, rolePredicate5xx, []string{"unavailable", "not available", "no available", "loading",
		"insufficient", "недоступ"}},

	// A time limit that ran out: another try may be quicker. "Timeout"
	// alone may name a parameter ("timeout must be positive").
	{famTimeout, roleBoth, []string{"timed out", "deadline exceeded", "took too long", "time out",
		"превышено время", "истекло время"}},
	{famTimeout, roleSubject, []string{"timeout", "deadline", "таймаут", "тайм-аут"}},
	{famTimeout, rolePredicate, []string{"occurred", "exceeded", "reached", "expired", "истек", "истёк",
		"превышен"}},

	// "Try again later" on a client status: the server says waiting helps.
	{famLater, roleBoth, []string{"again later", "retry later", "попробуйте позже", "повторите позже"}},

	// A request the server refused as malformed, in pairs that a server's
	// own failure does not use ("failed to parse" may be the upstream's
	// answer, so parsing is not among them).
	{famInvalid, roleBoth, []string{"invalid request", "bad request", "invalid parameter", "invalid parameters",
		"invalid argument", "invalid arguments", "missing required", "required parameter", "required field",
		"validation error", "validation failed", "invalid json", "malformed json", "unsupported parameter",
		"unknown parameter", "unrecognized request", "invalid value", "field required", "must be provided",
		"invalid_request_error"}},
}

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
	msg := in.msg
	if len(msg) > wordScanLimit {
		msg = msg[:wordScanLimit]
	}
	// In a message an underscore joins a parameter's name ("max_tokens
	// must be at most 4096" names no tokens); a code's words are
	// separated by it ("model_not_found").
	seen := scanWords(msg, wordRoles{}, false)
	if in.code != "" {
		seen = scanWords(in.code, seen, true)
	}
	if in.typ != "" && in.typ != in.code {
		seen = scanWords(in.typ, seen, true)
	}
	if seen == (wordRoles{}) {
		return 0, false
	}
	client := in.status < 500
	server := in.status >= 500 || in.status < 400
	period := seen.of(famQuota)&rolePeriod != 0
	for f := range numWordFamilies {
		r := seen.of(f)
		pred := r&rolePredicate != 0 || client && r&rolePredicate4xx != 0 || server && r&rolePredicate5xx != 0
		if r&roleSubject == 0 || !pred || r&roleVeto != 0 {
			continue
		}
		if !wordFamilyFits(f, in.status, period, seen.of(famRate)&roleStrong != 0) {
			continue
		}
		return f, true
	}
	return 0, false
}

// wordFamilyFits reports whether family f may decide on status, period
// telling whether a day, a week or a month was named and rate whether a
// rate limit was: the status is the prior that words overrule only where
// they cannot be misread.
func wordFamilyFits(f wordFamily, status int, period, rate bool) bool {
	if status == 402 {
		// Payment Required says more than any word ("Rate limited",
		// with a reason "not-enough-credits").
		return false
	}
	switch f {
	case famQuota:
		// On a 429, or next to a rate limit ("Rate limit quota
		// violation"), a quota is most often per second or per minute.
		return (status != 429 && !rate) || period
	case famContext, famTokens:
		// "Tokens per minute limit" on a 429 is a rate limit, and so are
		// tokens by the day anywhere (a quota).
		return status != 429 && !period
	case famModelAccess:
		// A refusal on a server status is an outage's wording.
		return status < 500
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
			if nc > len(cur) {
				nc = 0 // too long to be a word of the vocabulary
			}
			flush()
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
