package redact

import (
	"hash/crc32"
	"strings"
)

// rule is a credential family recognised by its prefix: the prefix, how
// much of the match stays visible, and the shortest body that makes a key.
type rule struct {
	// prefix starts the credential; it is matched case-sensitively.
	prefix string
	// keep is how many bytes of the match stay visible (the public
	// prefix); the rest is masked.
	keep int
	// min is the shortest body (after the prefix) at a word boundary.
	min int
	// cls is the class of the body's characters.
	cls uint16
	// check, when not nil, validates a whole body (a checksum): a valid
	// body is recognised glued to a preceding word too.
	check func(body string) bool
	// anywhere says that the form is distinctive enough to be recognised
	// glued to a preceding word with its usual minimum.
	anywhere bool
}

// prefixRules is the table of known credential prefixes, modelled on the
// public rule sets of secret scanners (gitleaks' rules, trufflehog's
// detectors) and GitHub's secret-scanning partner prefixes. Each prefix is
// distinctive enough that, with its minimum body, it is a credential
// wherever it stands. sk- is handled apart (its sub-prefixes).
var prefixRules = []rule{
	// AI inference providers.
	{prefix: "xai-", min: 8, cls: cKey},
	{prefix: "gsk_", min: 8, cls: cKey},
	{prefix: "hf_", min: 8, cls: cKey},
	{prefix: "api_org_", min: 16, cls: cKey},
	{prefix: "r8_", min: 8, cls: cKey},
	{prefix: "pplx-", min: 8, cls: cKey},
	{prefix: "fw_", min: 8, cls: cKey},
	{prefix: "nvapi-", min: 8, cls: cKey},
	{prefix: "csk-", min: 8, cls: cKey},
	{prefix: "tgp_v1_", min: 8, cls: cKey},
	{prefix: "lsv2_pt_", min: 16, cls: cKey},
	{prefix: "lsv2_sk_", min: 16, cls: cKey},
	{prefix: "pcsk_", min: 16, cls: cKey},
	{prefix: "esecret_", min: 16, cls: cKey},
	{prefix: "tvly-", min: 16, cls: cKey},
	{prefix: "jina_", min: 24, cls: cKey},
	{prefix: "fc-", min: 32, cls: cHex},
	{prefix: "pa-", min: 32, cls: cKey},
	{prefix: "sess-", min: 32, cls: cKey},
	// Google.
	{prefix: "AIza", min: 8, cls: cKey},
	{prefix: "ya29.", min: 8, cls: cRun},
	{prefix: "GOCSPX-", min: 16, cls: cKey},
	{prefix: "1//0", min: 24, cls: cKey},
	// JSON Web Tokens: a base64url JSON header, "eyJ" being `{"`.
	{prefix: "eyJ", min: 12, cls: cRun},
	// AWS access key ids and session tokens.
	{prefix: "AKIA", min: 16, cls: cAWS, anywhere: true},
	{prefix: "ASIA", min: 16, cls: cAWS, anywhere: true},
	{prefix: "IQoJ", min: 16, cls: cB64},
	{prefix: "FwoGZXIvYXdz", min: 16, cls: cB64},
	// Source hosting.
	{prefix: "ghp_", min: 20, cls: cKey, check: githubChecksum},
	{prefix: "gho_", min: 20, cls: cKey, check: githubChecksum},
	{prefix: "ghu_", min: 20, cls: cKey, check: githubChecksum},
	{prefix: "ghs_", min: 20, cls: cKey, check: githubChecksum},
	{prefix: "ghr_", min: 20, cls: cKey, check: githubChecksum},
	{prefix: "github_pat_", min: 20, cls: cKey},
	{prefix: "glpat-", min: 16, cls: cKey},
	{prefix: "glptt-", min: 16, cls: cKey},
	{prefix: "gldt-", min: 16, cls: cKey},
	{prefix: "glrt-", min: 16, cls: cKey},
	{prefix: "glcbt-", min: 16, cls: cKey},
	{prefix: "glsoat-", min: 16, cls: cKey},
	{prefix: "GR1348941", min: 16, cls: cKey},
	{prefix: "ATATT3", min: 32, cls: cKey},
	// Messaging.
	{prefix: "xoxb-", min: 10, cls: cKey},
	{prefix: "xoxp-", min: 10, cls: cKey},
	{prefix: "xoxa-", min: 10, cls: cKey},
	{prefix: "xoxr-", min: 10, cls: cKey},
	{prefix: "xoxs-", min: 10, cls: cKey},
	{prefix: "xoxe.", min: 10, cls: cRun},
	{prefix: "xoxe-", min: 10, cls: cKey},
	{prefix: "xapp-", min: 10, cls: cKey},
	{prefix: "hooks.slack.com/services/", keep: len("hooks.slack.com/services/"), min: 16, cls: cPath},
	{prefix: "discord.com/api/webhooks/", keep: len("discord.com/api/webhooks/"), min: 16, cls: cPath},
	{prefix: "discordapp.com/api/webhooks/", keep: len("discordapp.com/api/webhooks/"), min: 16, cls: cPath},
	{prefix: "SG.", min: 20, cls: cRun},
	{prefix: "key-", min: 32, cls: cHex},
	// Payments and commerce.
	{prefix: "sk_live_", min: 10, cls: cKey},
	{prefix: "sk_test_", min: 10, cls: cKey},
	{prefix: "rk_live_", min: 10, cls: cKey},
	{prefix: "rk_test_", min: 10, cls: cKey},
	{prefix: "whsec_", min: 16, cls: cKey},
	{prefix: "sq0atp-", min: 16, cls: cKey},
	{prefix: "sq0csp-", min: 16, cls: cKey},
	{prefix: "shpat_", min: 16, cls: cHex},
	{prefix: "shpss_", min: 16, cls: cHex},
	{prefix: "shpca_", min: 16, cls: cHex},
	{prefix: "shppa_", min: 16, cls: cHex},
	// Cloud and infrastructure.
	{prefix: "dapi", min: 32, cls: cHex},
	{prefix: "dop_v1_", min: 32, cls: cHex},
	{prefix: "doo_v1_", min: 32, cls: cHex},
	{prefix: "dor_v1_", min: 32, cls: cHex},
	{prefix: "hvs.", min: 20, cls: cRun},
	{prefix: "hvb.", min: 20, cls: cRun},
	{prefix: "hvr.", min: 20, cls: cRun},
	{prefix: "dp.pt.", min: 20, cls: cKey},
	{prefix: "dp.st.", min: 20, cls: cKey},
	{prefix: "dp.sa.", min: 20, cls: cKey},
	{prefix: "dp.ct.", min: 20, cls: cKey},
	{prefix: "pul-", min: 32, cls: cHex},
	{prefix: "fm2_", min: 20, cls: cRun},
	{prefix: "HRKU-", min: 20, cls: cKey},
	{prefix: "glc_", min: 20, cls: cB64},
	{prefix: "glsa_", min: 20, cls: cKey},
	{prefix: "sntrys_", min: 20, cls: cB64},
	{prefix: "sntryu_", min: 20, cls: cHex},
	{prefix: "PMAK-", min: 20, cls: cKey},
	{prefix: "figd_", min: 20, cls: cKey},
	{prefix: "lin_api_", min: 20, cls: cKey},
	{prefix: "ntn_", min: 20, cls: cKey},
	{prefix: "secret_", min: 40, cls: cAlnum},
	{prefix: "npm_", min: 30, cls: cKey},
	{prefix: "pypi-AgEIcHlwaS5vcmc", min: 16, cls: cKey},
	{prefix: "AGE-SECRET-KEY-1", min: 40, cls: cB32},
	{prefix: "SK", min: 32, cls: cHex},
	{prefix: "EAAA", min: 40, cls: cKey},
}

// rulesByFirst indexes prefixRules by their first byte.
var rulesByFirst = func() (t [256][]rule) {
	for _, r := range prefixRules {
		if r.keep == 0 {
			r.keep = len(r.prefix)
		}
		t[r.prefix[0]] = append(t[r.prefix[0]], r)
	}
	return t
}()

// skSubPrefixes are kept after "sk-" because they tell the key type apart.
var skSubPrefixes = [...]string{"proj-", "ant-", "svcacct-", "admin-"}

// match reports whether a known key prefix or authorization scheme starts at
// s[i]. If so, s[keep:end] is the part to mask (the prefix s[i:keep] is
// kept); otherwise end is negative. boundary says whether s[i] starts a word;
// a prefix glued to a word needs gluedMin key characters.
func match(s string, i int, boundary bool) (keep, end int) {
	t := s[i:]
	switch t[0] {
	case 's':
		if strings.HasPrefix(t, "sk-") {
			if !boundary && i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z' && !randomBody(s[i+3:]) {
				// The end of a word ("task-unified-1772618027-cmeisy8h",
				// "risk-free"): a key glued to a lower-case word mixes
				// cases or runs unbroken.
				return 0, -1
			}
			p := i + 3
			for _, sub := range skSubPrefixes {
				if strings.HasPrefix(s[p:], sub) {
					p += len(sub)
					break
				}
			}
			return key(s, p, needed(4, boundary), cKey, boundary)
		}
		if strings.HasPrefix(t, "sk_") && !strings.HasPrefix(t, "sk_live_") && !strings.HasPrefix(t, "sk_test_") {
			// ElevenLabs and others: "sk_" and a long random body.
			return key(s, i+3, needed(32, boundary), cKey, boundary)
		}
	case 'B', 'b', 'T', 't':
		if !boundary {
			break
		}
		switch {
		case hasPrefixFold(t, "bearer"):
			return credential(s, i+len("bearer"), false)
		case hasPrefixFold(t, "basic"):
			return credential(s, i+len("basic"), false)
		case hasPrefixFold(t, "token"):
			return credential(s, i+len("token"), true)
		case hasPrefixFold(t, "bot"):
			return credential(s, i+len("bot"), true)
		}
	}
	return prefixed(s, i, boundary)
}

// needed is how many body characters a prefix that wants n needs: n at a
// word boundary, at least gluedMin glued to a word.
func needed(n int, boundary bool) int {
	if boundary {
		return n
	}
	return max(n, gluedMin)
}

// skipSpace returns where the white space at s[q] ends: spaces, tabs, and
// their URL encodings "+" and "%20", at most limit bytes of them.
func skipSpace(s string, q, limit int) int {
	p := q
	for q < len(s) && q-p < limit {
		switch {
		case s[q] == ' ', s[q] == '\t', s[q] == '+':
			q++
			continue
		case s[q] == '%' && strings.HasPrefix(s[q:], "%20"):
			q += 3
			continue
		}
		break
	}
	return q
}

// prefixed matches a key of the table of known prefixes at s[i].
func prefixed(s string, i int, boundary bool) (keep, end int) {
	t := s[i:]
	rules := rulesByFirst[t[0]]
	for k := range rules {
		r := &rules[k]
		if len(t) < len(r.prefix) || t[1] != r.prefix[1] || t[:len(r.prefix)] != r.prefix {
			continue
		}
		p := i + len(r.prefix)
		if r.check != nil && !boundary && checked(s, p, *r) {
			return i + r.keep, extend(s, p, cRun|r.cls)
		}
		n := needed(r.min, boundary)
		if r.anywhere {
			n = r.min
		}
		if _, e := key(s, p, n, r.cls, boundary); e >= 0 {
			return i + r.keep, e
		}
	}
	return -1, -1
}

// checked reports whether the body at s[p] passes r's checksum.
func checked(s string, p int, r rule) bool {
	e := p
	for e < len(s) && e-p < 64 && class[s[e]]&r.cls != 0 {
		e++
	}
	return r.check(s[p:e])
}

// base62 is the alphabet of GitHub's checksums.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// githubChecksum reports whether body is the 36-character body of a GitHub
// token (ghp_, gho_, ...): thirty random base62 characters and the CRC32 of
// them in six base62 digits, as GitHub's token format announcement
// describes.
func githubChecksum(body string) bool {
	if len(body) != 36 {
		return false
	}
	return body[30:] == githubCRC(body[:30])
}

// githubCRC returns the six base62 digits of the CRC32 of entropy.
func githubCRC(entropy string) string {
	v := crc32.ChecksumIEEE([]byte(entropy))
	var b [6]byte
	for i := 5; i >= 0; i-- {
		b[i] = base62[v%62]
		v /= 62
	}
	return string(b[:])
}

// key matches the body of a key that starts at s[p], after its prefix. The
// body must begin with at least min characters of class cls; or be a
// partially masked key (key characters, then '*', then at least one more key
// character); or, at a word boundary, run to the end of the text, where a
// limit on the body's length may have cut it. The body extends over key
// characters, '*', '.' and invisible characters, without trailing dots.
//
// When key does not match, it has read at most min bytes past p plus a mask,
// so the caller's scan stays linear.
func key(s string, p, min int, cls uint16, boundary bool) (keep, end int) {
	j, n := p, 0
	var letter, digit bool
	for j < len(s) && n < min {
		if dashes(s, j) {
			break // the dashes of an armor line
		}
		if c := class[s[j]]; c&cls != 0 && s[j] != '*' {
			if c&cAlnum != 0 {
				if s[j] <= '9' {
					digit = true
				} else {
					letter = true
				}
			}
			j++
			n++
			continue
		}
		if k := invisible(s, j); k > 0 {
			j += k
			continue
		}
		if cls&cB64 != 0 && pctBase64(s, j) {
			j += 3
			n++
			continue
		}
		break
	}
	if n < min {
		switch {
		case j == len(s) && boundary && n > 0 && min <= 20:
			// Cut by a length limit: what is left is still part of a key.
		case cls&(cKey|cAWS|cHex) != 0 && boundary && n >= shortMin && letter && digit && (j == len(s) || class[s[j]]&cKey == 0) && min <= 20:
			// A short remainder that mixes letters and digits, such as the
			// stub of a key cut by a limit and then quoted.
		case j < len(s) && s[j] == '*':
			// A key partially masked by the server, e.g. "sk-proj-****wxyz"
			// or "AKIA****MPLE": '*' right after the characters read so far
			// and a key character after the mask. Fully masked text such as
			// "sk-***" is left alone, which keeps String idempotent.
			k := j
			for k < len(s) && k-j < probe && (s[k] == '*' || s[k] == '.') {
				k++
			}
			if k == len(s) || class[s[k]]&cKey == 0 {
				return -1, -1
			}
		default:
			return -1, -1
		}
	}
	return p, extend(s, j, cRun|cls)
}

// extend returns the end of the run of class cls (or invisible characters)
// that continues at s[j], without trailing dots. The dashes of an armor
// line ("-----BEGIN") end it, so that a key glued to a private key's block
// does not hide the block from the scan.
func extend(s string, j int, cls uint16) int {
	e := j
	for e < len(s) {
		if dashes(s, e) {
			break
		}
		if class[s[e]]&cls != 0 {
			e++
			continue
		}
		if k := invisibleRun(s, e); k > 0 && e+k < len(s) && (class[s[e+k]]&cls != 0 || cls&(cB64|cToken) != 0 && pctBase64(s, e+k)) {
			e += k
			continue
		}
		if cls&(cB64|cToken) != 0 && pctBase64(s, e) {
			e += 3
			continue
		}
		break
	}
	for e > j && s[e-1] == '.' {
		e--
	}
	return e
}

// pctBase64 reports whether s[e:] starts with a percent-encoded '+', '/' or
// '=' ("%2B", "%2F", "%3D"), as base64 tokens are written in URLs: such a
// token goes on after it.
func pctBase64(s string, e int) bool {
	if e+2 >= len(s) || s[e] != '%' {
		return false
	}
	switch s[e+1] {
	case '2':
		return s[e+2]|0x20 == 'b' || s[e+2]|0x20 == 'f'
	case '3':
		return s[e+2]|0x20 == 'd'
	}
	return false
}

// credential matches the credential after an authorization scheme name that
// ends at s[p]: white space (or its URL encodings "%20" and "+"), an optional
// quote, and a token of RFC 6750 b64token characters, without trailing dots.
// The token is not a credential when it contains no key character (for
// example an already redacted "***"), when it is an ordinary short word
// ("Bearer auth"), a placeholder ("YOUR_KEY") or an authentication
// parameter (realm="api" or error=invalid_token). After the schemes that
// are also ordinary words (Token, Bot), the token must look like a
// credential on its own.
func credential(s string, p int, shaped bool) (keep, end int) {
	q := skipSpace(s, p, window)
	if q == p {
		return -1, -1
	}
	if q < len(s) && s[q] == '"' {
		q++
	}
	if shaped && wordEnd(s, q)-q < 16 && (q >= len(s) || class[s[q]]&cToken == 0 || wordEnd(s, q) == len(s) || class[s[wordEnd(s, q)]]&cToken == 0) {
		// After Token or Bot, a word too short to be a credential on
		// its own ("Token limit", "Bot detected").
		return -1, -1
	}
	e, n := tokenEnd(s, q)
	if n == 0 || !strings.ContainsFunc(s[q:e], func(r rune) bool { return r < 128 && class[r]&cKey != 0 }) {
		return -1, -1
	}
	if class[s[q]]&cFirst != 0 {
		// A known key keeps its public prefix; the credential is the
		// whole b64token, which may go on past the key's own characters
		// ('+', '/', '=').
		if k, pe := prefixed(s, q, true); pe >= 0 {
			return k, max(pe, e)
		}
	}
	tok := s[q:e]
	if plainWord(strings.TrimRight(tok, "=")) || authParam(tok) || placeholderAt(s, q, e) {
		return -1, -1
	}
	if shaped {
		if _, ok := strong(s, q); !ok && botEnd(s, q) < 0 {
			return -1, -1
		}
	}
	return q, e
}

// botEnd returns the end of the bot token at s[q], or -1.
func botEnd(s string, q int) int {
	_, e := botToken(s, q, wordEnd(s, q))
	return e
}

// wordEnd returns the end of the word (cName characters) at s[q].
func wordEnd(s string, q int) int {
	for q < len(s) && class[s[q]]&cName != 0 && !dashes(s, q) {
		q++
	}
	return q
}

// authParam reports whether tok is an authentication parameter such as
// error=invalid_token or realm=: an ordinary word and '='.
func authParam(tok string) bool {
	i := strings.IndexByte(tok, '=')
	return i > 0 && plainWord(tok[:i])
}

// userinfo matches the userinfo of a URL whose authority starts at s[p]
// ("https://user:password@host", a connection string
// "postgres://app:secret@db/prod"). It reads up to the end of the
// authority, however long the password (an AWS session token is several
// hundred bytes): the scan stops at the first '/', and every "://" that
// starts a scan holds one, so no byte is read by two scans and the total
// stays linear. The user name is masked with the password.
func userinfo(s string, p int) (start, end int) {
	colon := -1
	for q := p; q < len(s); q++ {
		switch s[q] {
		case ':':
			if colon < 0 {
				colon = q
			}
		case '@':
			// A userinfo already redacted (holding "***") is left as it
			// is, so that String is idempotent.
			if colon >= 0 && q > colon+1 && !strings.Contains(s[p:q], mask) {
				return p, q
			}
			return -1, -1
		case '\\':
			// An escaped invisible character ("\u200b") may split the
			// password; any other backslash ends the URL.
			if k := invisible(s, q); k > 0 {
				q += k - 1
				continue
			}
			return -1, -1
		case '/', '?', '#', ' ', '\t', '\n', '\r', '"', '\'', '<', '>':
			return -1, -1
		}
	}
	return -1, -1
}

// invisible returns the length of the invisible character at s[i] (zero
// width space, non-joiner and joiner, word joiner, byte order mark, soft
// hyphen), or 0. Such characters can split a key in two without changing how
// it looks, so they do not end a key.
//
// The same characters written as escapes ("\u200b", as %q and JSON encoders
// print them), as HTML entities ("&shy;", "&#8203;") or percent-encoded
// ("%E2%80%8B") count too, so that a quoted key is still seen whole.
func invisible(s string, i int) int {
	if class[s[i]]&cSpecial == 0 {
		// Every byte that starts one is special: most bytes are not.
		return 0
	}
	return invisibleAt(s, i)
}

// invisibleAt is invisible for a special byte s[i].
func invisibleAt(s string, i int) int {
	switch s[i] {
	case '&', '%':
		if i+1 >= len(s) {
			return 0
		}
		switch s[i+1] {
		case 's', 'S', '#', 'z', 'Z', 'N', 'E', 'e', 'C', 'c':
		default:
			// No escape of an invisible character goes on like this.
			return 0
		}
		for _, e := range invisibleEscapes {
			if len(s)-i >= len(e) && strings.EqualFold(s[i:i+len(e)], e) {
				return len(e)
			}
		}
		return 0
	case '\\':
		if i+5 < len(s) && s[i+1] == 'u' {
			var b [4]byte
			for k := range b {
				b[k] = s[i+2+k] | 0x20 // lower-cases letters, keeps digits
			}
			switch string(b[:]) {
			case "200b", "200c", "200d", "2060", "feff", "00ad":
				return 6
			}
		}
		return 0
	case 0xC2:
		if i+1 < len(s) && s[i+1] == 0xAD {
			return 2
		}
	case 0xE2, 0xEF:
		if i+2 < len(s) {
			switch {
			case s[i] == 0xE2 && s[i+1] == 0x80 && s[i+2] >= 0x8B && s[i+2] <= 0x8D,
				s[i] == 0xE2 && s[i+1] == 0x81 && s[i+2] == 0xA0,
				s[i] == 0xEF && s[i+1] == 0xBB && s[i+2] == 0xBF:
				return 3
			}
		}
	}
	return 0
}

// invisibleRun returns the length of the run of invisible characters at s[i],
// or 0: several of them in a row split a key no more than one does.
func invisibleRun(s string, i int) int {
	j := i
	for j < len(s) {
		k := invisible(s, j)
		if k == 0 {
			break
		}
		j += k
	}
	return j - i
}

// invisibleEscapes are the invisible characters written as HTML entities or
// percent-encoded UTF-8: "&shy;" splits a key in an HTML page as well as a
// raw soft hyphen does in text.
var invisibleEscapes = [...]string{
	"&shy;", "&#173;", "&#xad;", "&#8203;", "&#x200b;", "&#8204;", "&#8205;",
	"&zwnj;", "&zwj;", "&NoBreak;",
	"%E2%80%8B", "%E2%80%8C", "%E2%80%8D", "%E2%81%A0", "%EF%BB%BF", "%C2%AD",
}

// randomBody reports whether the start of b (its first 64 bytes) reads as
// a key's body rather than words: an upper-case letter among letters and
// digits, or an unbroken run of 32 of them (a hex key).
func randomBody(b string) bool {
	run := 0
	for i := 0; i < len(b) && i < 64; i++ {
		c := b[i]
		switch {
		case c >= 'A' && c <= 'Z':
			return true
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if run++; run >= 32 {
				return true
			}
		case c == '-' || c == '_':
			run = 0
		default:
			return false
		}
	}
	return false
}
