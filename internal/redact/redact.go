package redact

import "strings"

// mask replaces the secret part of a key or credential.
const mask = "***"

// Character classes, indexed by byte.
const (
	cKey   uint8 = 1 << iota // [A-Za-z0-9_-]: characters of a key
	cRun                     // key characters plus '*' and '.': extent of a (masked) key
	cToken                   // run characters plus '~', '+', '/', '=': RFC 6750 b64token
	cAWS                     // [A-Z0-9]: body of an AWS access key id
	cFirst                   // first byte of a key prefix or scheme name
	cAlnum                   // [A-Za-z0-9]
	cWord                    // first byte of a keyword (any case)
	cB64                     // [A-Za-z0-9+/=]: base64 text
)

var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			t[c] = cKey | cRun | cToken | cAWS | cAlnum | cB64
		case c >= 'a' && c <= 'z':
			t[c] = cKey | cRun | cToken | cAlnum | cB64
		case c == '_', c == '-':
			t[c] = cKey | cRun | cToken
		case c == '*', c == '.':
			t[c] = cRun | cToken
		case c == '+', c == '/', c == '=':
			t[c] = cToken | cB64
		case c == '~':
			t[c] = cToken
		}
	}
	for _, c := range "sxghrpfnctABbyeIF" {
		t[c] |= cFirst
	}
	for _, c := range "kKtTsSpPcCaA" {
		t[c] |= cWord
	}
	return t
}()

// skSubPrefixes are kept after "sk-" because they tell the key type apart.
var skSubPrefixes = [...]string{"proj-", "ant-", "svcacct-", "admin-"}

// Limits that keep every probe bounded, so that the whole scan stays linear.
const (
	// gluedMin is how many key characters a known prefix needs when it is
	// glued to a preceding word ("OPENAI_API_KEY_sk-proj-...", "%3Dsk-...",
	// "\nsk-..."): long enough that words such as "task-12345678" are left
	// alone.
	gluedMin = 20
	// window is how far after a keyword ("key", "token", "secret", ...)
	// the scan looks for the credential the text names.
	window = 64
	// probe is how much of a candidate token is read to decide whether it
	// looks like a credential; only a token that does is read to its end.
	probe = 128
	// entropicMin is the length of a run of letters and digits that mixes
	// upper case, lower case and digits and is masked wherever it stands.
	entropicMin = 32
	// shortMin is the shortest key body, mixing letters and digits, that a
	// known prefix at a word boundary makes a key although it is shorter
	// than the family's usual minimum.
	shortMin = 5
	// mixedMin is the length from which a named token without digits
	// counts when it mixes upper and lower case (a 32-character key has no
	// digit about once in 300).
	mixedMin = 24
	// lookback is how far before the end of a masked secret a keyword is
	// looked for: as far as a keyword and its window reach.
	lookback = window + 24
)

// String returns s with API keys, bearer tokens and other credentials
// replaced. It returns s itself (no allocation) when s contains nothing to
// redact.
//
// See the package documentation for the rules and their limits.
func String(s string) string {
	start, end, keep := next(s, 0)
	if end < 0 {
		return s
	}
	var b strings.Builder
	// Each replacement grows the text by at most two bytes; a little slack
	// avoids a second allocation in all ordinary cases.
	b.Grow(len(s) + 8)
	last := 0 // s[last:] has not been written to b yet
	for {
		b.WriteString(s[last:start])
		b.WriteString(s[start:keep])
		b.WriteString(mask)
		last = end
		start, end, keep = next(s, end)
		if end < 0 {
			break
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// next returns the first secret s[start:end] at or after position i; end is
// negative if there is none. s[start:keep] is a non-secret prefix (such as
// "sk-proj-") that stays in the output before the mask.
//
// Each byte is looked at a bounded number of times: the probes read at most
// a constant number of bytes when they fail, and a probe that succeeds reads
// to the end of the secret, where the scan resumes.
//
// A keyword before i (the end of the previous secret) still names what
// follows it within its window, also when the previous secret swallowed it
// ("A000...api-key: ..."): next looks back lookback bytes for keywords whose
// window reaches past i, so that a second pass finds nothing the first did
// not.
func next(s string, i int) (start, end, keep int) {
	// A keyword or URL finds a secret further on; the bytes before it are
	// still scanned, and the earliest secret wins.
	pStart, pEnd, pKeep := -1, -1, -1
	pend := func(st, e, k int) {
		if e >= 0 && (pStart < 0 || st < pStart) {
			pStart, pEnd, pKeep = st, e, k
		}
	}
	for k := max(0, i-lookback); k < i; k++ {
		if class[s[k]]&cWord != 0 {
			st, kp, e := keyword(s, k, i)
			pend(st, e, kp)
		}
	}
	prev := uint8(0)
	alnumEnd := -1 // end of the current run of letters and digits, once measured
	for ; i < len(s); i++ {
		if pStart >= 0 && i >= pStart {
			break
		}
		b := s[i]
		c := class[b]
		if c&cFirst != 0 {
			if k, e := match(s, i, prev&cKey == 0); e >= 0 {
				return i, e, k
			}
		}
		if c&cAlnum != 0 && prev&cAlnum == 0 && i >= alnumEnd {
			e, ok := entropic(s, i)
			if ok {
				return i, e, i
			}
			alnumEnd = e
		}
		if c&cWord != 0 {
			st, k, e := keyword(s, i, i)
			pend(st, e, k)
		}
		if b == ':' && strings.HasPrefix(s[i:], "://") {
			st, e := userinfo(s, i+3)
			pend(st, e, st)
		}
		if n := invisible(s, i); n > 0 {
			i += n - 1 // an invisible character neither ends nor starts a word
			continue
		}
		prev = c
	}
	return pStart, pEnd, pKeep
}

// match reports whether a known key prefix or authorization scheme starts at
// s[i]. If so, s[keep:end] is the part to mask (the prefix s[i:keep] is
// kept); otherwise end is negative. boundary says whether s[i] starts a word;
// a prefix glued to a word needs gluedMin key characters.
func match(s string, i int, boundary bool) (keep, end int) {
	min := func(n int) int {
		if boundary {
			return n
		}
		return max(n, gluedMin)
	}
	t := s[i:]
	switch t[0] {
	case 's':
		if strings.HasPrefix(t, "sk-") {
			p := i + 3
			for _, sub := range skSubPrefixes {
				if strings.HasPrefix(s[p:], sub) {
					p += len(sub)
					break
				}
			}
			return key(s, p, min(4), cKey, boundary)
		}
	case 'x':
		return prefixed(s, i, "xai-", min(8), cKey, boundary)
	case 'g':
		if strings.HasPrefix(t, "gh") || strings.HasPrefix(t, "github_pat_") {
			// GitHub tokens: ghp_ (classic), gho_, ghu_, ghs_, ghr_ and
			// github_pat_ (fine-grained).
			for _, pre := range [...]string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"} {
				if strings.HasPrefix(t, pre) {
					return key(s, i+len(pre), min(20), cKey, boundary)
				}
			}
			return -1, -1
		}
		if strings.HasPrefix(t, "glpat-") {
			return key(s, i+len("glpat-"), min(16), cKey, boundary)
		}
		return prefixed(s, i, "gsk_", min(8), cKey, boundary)
	case 'h':
		return prefixed(s, i, "hf_", min(8), cKey, boundary)
	case 'r':
		return prefixed(s, i, "r8_", min(8), cKey, boundary)
	case 'p':
		return prefixed(s, i, "pplx-", min(8), cKey, boundary)
	case 'f':
		return prefixed(s, i, "fw_", min(8), cKey, boundary)
	case 'n':
		return prefixed(s, i, "nvapi-", min(8), cKey, boundary)
	case 'c':
		return prefixed(s, i, "csk-", min(8), cKey, boundary)
	case 't':
		return prefixed(s, i, "tgp_v1_", min(8), cKey, boundary)
	case 'y':
		// Google OAuth access tokens.
		return prefixed(s, i, "ya29.", min(8), cRun, boundary)
	case 'e':
		// A JSON Web Token: a base64url JSON header, "eyJ" being `{"`.
		return prefixed(s, i, "eyJ", min(12), cRun, boundary)
	case 'I':
		// AWS session tokens.
		return prefixed(s, i, "IQoJ", min(16), cB64, boundary)
	case 'F':
		return prefixed(s, i, "FwoGZXIvYXdz", min(16), cB64, boundary)
	case 'A':
		if strings.HasPrefix(t, "AIza") {
			return key(s, i+4, min(8), cKey, boundary)
		}
		if strings.HasPrefix(t, "AKIA") || strings.HasPrefix(t, "ASIA") {
			// The fixed form (sixteen upper-case letters or digits) is
			// distinctive enough to be recognised glued to a word too.
			return key(s, i+4, 16, cAWS, boundary)
		}
	case 'B', 'b':
		if !boundary {
			break
		}
		if hasPrefixFold(t, "bearer") {
			return credential(s, i+len("bearer"))
		}
		if hasPrefixFold(t, "basic") {
			return credential(s, i+len("basic"))
		}
	}
	return -1, -1
}

// prefixed matches a key that starts with prefix at s[i].
func prefixed(s string, i int, prefix string, min int, cls uint8, boundary bool) (keep, end int) {
	if !strings.HasPrefix(s[i:], prefix) {
		return -1, -1
	}
	return key(s, i+len(prefix), min, cls, boundary)
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
func key(s string, p, min int, cls uint8, boundary bool) (keep, end int) {
	j, n := p, 0
	var letter, digit bool
	for j < len(s) && n < min {
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
		case j == len(s) && boundary && n > 0:
			// Cut by a length limit: what is left is still part of a key.
		case (cls == cKey || cls == cAWS) && boundary && n >= shortMin && letter && digit && (j == len(s) || class[s[j]]&cKey == 0):
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
// that continues at s[j], without trailing dots.
func extend(s string, j int, cls uint8) int {
	e := j
	for e < len(s) {
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
// ("Bearer auth"), or when it is an authentication parameter (realm="api" or
// error=invalid_token).
func credential(s string, p int) (keep, end int) {
	q := p
	for q < len(s) && q-p < window {
		switch {
		case s[q] == ' ', s[q] == '\t', s[q] == '+':
			q++
			continue
		case strings.HasPrefix(s[q:], "%20"):
			q += 3
			continue
		}
		break
	}
	if q == p {
		return -1, -1
	}
	if q < len(s) && s[q] == '"' {
		q++
	}
	e := q
	keys := 0
	for e < len(s) {
		if class[s[e]]&cToken != 0 {
			if class[s[e]]&cKey != 0 {
				keys++
			}
			e++
			continue
		}
		if k := invisibleRun(s, e); k > 0 && e+k < len(s) && class[s[e+k]]&cToken != 0 {
			e += k
			continue
		}
		break
	}
	if keys == 0 {
		return -1, -1
	}
	for s[e-1] == '.' { // cannot run past q: s[q:e] contains a key character
		e--
	}
	tok := s[q:e]
	if plainWord(strings.TrimRight(tok, "=")) || authParam(tok) {
		return -1, -1
	}
	return q, e
}

// authParam reports whether tok is an authentication parameter such as
// error=invalid_token or realm=: an ordinary word and '='.
func authParam(tok string) bool {
	i := strings.IndexByte(tok, '=')
	return i > 0 && plainWord(tok[:i])
}

// keywords name a credential in the text that follows them. They are matched
// case-insensitively anywhere, also inside a longer word ("x-api-key",
// "OPENAI_API_KEY", "access_token").
var keywords = [...]string{"key", "token", "secret", "passw", "pwd", "authoriz", "credential", "sig="}

// keyword reports whether a keyword starts at s[i] and a credential follows
// it within window bytes. If so, s[start:end] is the credential and
// s[start:keep] a prefix of it to keep.
//
// A token that starts with a known prefix or scheme counts as it would
// anywhere. Otherwise the first token after the keyword and an assignment
// ("key=abc12345", "api-key: ...", `"token": "..."`, "key%3D...") needs eight
// characters mixing letters and digits, or sixteen; a token further on needs
// sixteen characters mixing letters and digits, twenty-four mixing upper
// and lower case, or thirty-two hex digits. keyword reads at most window plus probe bytes unless it finds a
// credential, which it reads to its end.
//
// Tokens that start before from are passed over.
func keyword(s string, i, from int) (start, keep, end int) {
	p := -1
	for _, k := range keywords {
		if hasPrefixFold(s[i:], k) {
			p = i + len(k)
			break
		}
	}
	if p < 0 {
		return -1, -1, -1
	}
	// Skip the rest of the keyword's word ("tokens", "keys", "password").
	for p < len(s) && p-i < 24 && s[p] >= 'a' && s[p] <= 'z' {
		p++
	}
	assigned, seen := false, false
	limit := min(len(s), p+window)
	for q := p; q < limit; {
		switch b := s[q]; {
		case b == '=' || b == ':':
			assigned = true
			q++
			continue
		case b == '%' && q+2 < len(s) && isHex(s[q+1]) && isHex(s[q+2]):
			// URL-encoded separator: "%3D" ('='), "%3A" (':'), "%20", ...
			if s[q+1] == '3' && (s[q+2]|0x20 == 'd' || s[q+2]|0x20 == 'a') {
				assigned = true
			}
			q += 3
			continue
		case class[b]&cToken == 0:
			q++
			continue
		}
		if q < from {
			for q < limit && class[s[q]]&cToken != 0 {
				q++
			}
			seen = true
			continue
		}
		if class[s[q]]&cFirst != 0 {
			if k, e := match(s, q, true); e >= 0 {
				return q, k, e
			}
		}
		e, ok := candidate(s, q, assigned && !seen)
		if ok {
			return q, q, e
		}
		seen = true
		// On to the next token: never probe the middle of this one.
		for q = e; q < limit && class[s[q]]&cToken != 0; q++ {
		}
	}
	return -1, -1, -1
}

// isHex reports whether b is a hexadecimal digit.
func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b|0x20 >= 'a' && b|0x20 <= 'f'
}

// candidate reads the token that starts at s[q] and reports whether it looks
// like a credential. It returns the end of what it read: the token's end when
// it is a credential or shorter than probe, else q+probe.
func candidate(s string, q int, relaxed bool) (end int, ok bool) {
	e := q
	n, letters, digits, hex, upper, lower := 0, 0, 0, 0, 0, 0
scan:
	for e < len(s) && e-q < probe {
		c := class[s[e]]
		if c&cToken == 0 {
			if k := invisibleRun(s, e); k > 0 && e+k < len(s) && (class[s[e+k]]&cToken != 0 || pctBase64(s, e+k)) {
				e += k
				continue
			}
			if pctBase64(s, e) {
				e += 3
				continue
			}
			break
		}
		b := s[e]
		switch {
		case b >= 'A' && b <= 'Z':
			upper++
		case b >= 'a' && b <= 'z':
			lower++
		}
		switch {
		case b >= '0' && b <= '9':
			digits++
			hex++
		case b >= 'a' && b <= 'f', b >= 'A' && b <= 'F':
			letters++
			hex++
		case c&cAlnum != 0:
			letters++
		case b == '*' && e+1 < len(s) && s[e+1] == '*':
			// A mask ("***", "abcd****wxyz"): what stands before it decides
			// alone, so that a server-masked or already redacted token is
			// left alone and a credential followed by stars is not.
			break scan
		}
		n++
		e++
	}
	switch {
	case hex >= 32 && hex == n,
		n >= 16 && letters > 0 && digits > 0,
		n >= mixedMin && upper >= 2 && lower >= 2,
		relaxed && (n >= 16 || n >= 8 && digits > 0 && letters > 0):
	default:
		return e, false
	}
	return extend(s, e, cToken), true
}

// userinfo matches the password in the userinfo of a URL whose authority
// starts at s[p] ("https://user:password@host"). It reads up to the end of
// the authority, however long the password (an AWS session token is several
// hundred bytes): the scan stops at the first '/', and every "://" that
// starts a scan holds one, so no byte is read by two scans and the total
// stays linear.
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
			// The whole userinfo is masked, user name too: a match that
			// starts inside it would otherwise be found first and leave
			// the password behind it for a second pass.
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

// entropic measures the run of letters, digits and base64 or base64url
// punctuation ("+/-_", and "=" as padding at its end) that starts at s[i], and reports whether it is at
// least entropicMin long and mixes upper case, lower case and digits, as
// random keys and tokens do (Azure's 84-character keys, AWS session tokens,
// most unprefixed API keys) and words, numbers, paths, hex ids and UUIDs do
// not. It returns the run's end.
func entropic(s string, i int) (end int, ok bool) {
	e := i
	var upper, lower, digit bool
	for e < len(s) {
		b := s[e]
		switch {
		case b >= 'A' && b <= 'Z':
			upper = true
		case b >= 'a' && b <= 'z':
			lower = true
		case b >= '0' && b <= '9':
			digit = true
		case b != '=' && class[b]&(cKey|cB64) != 0:
			// '=' is left out: it ends a name in "key=value"; base64
			// padding is taken below.
		default:
			if k := invisibleRun(s, e); k > 0 && e+k < len(s) && class[s[e+k]]&(cKey|cB64) != 0 {
				e += k
				continue
			}
			return padded(s, e), e-i >= entropicMin && upper && lower && digit
		}
		e++
	}
	return e, e-i >= entropicMin && upper && lower && digit
}

// padded returns the end of the base64 padding ("=" or "==") at s[e], or e.
func padded(s string, e int) int {
	for k := 0; k < 2 && e < len(s) && s[e] == '='; k++ {
		e++
	}
	return e
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
	switch s[i] {
	case '&', '%':
		// HTML entities and percent-encoding of the same characters.
		for _, e := range invisibleEscapes {
			if len(s)-i >= len(e) && strings.EqualFold(s[i:i+len(e)], e) {
				return len(e)
			}
		}
		return 0
	}
	if s[i] == '\\' && i+5 < len(s) && s[i+1] == 'u' {
		var b [4]byte
		for k := range b {
			b[k] = s[i+2+k] | 0x20 // lower-cases letters, keeps digits
		}
		switch string(b[:]) {
		case "200b", "200c", "200d", "2060", "feff", "00ad":
			return 6
		}
		return 0
	}
	if i+1 < len(s) && s[i] == 0xC2 && s[i+1] == 0xAD {
		return 2
	}
	if i+2 < len(s) {
		switch {
		case s[i] == 0xE2 && s[i+1] == 0x80 && s[i+2] >= 0x8B && s[i+2] <= 0x8D,
			s[i] == 0xE2 && s[i+1] == 0x81 && s[i+2] == 0xA0,
			s[i] == 0xEF && s[i+1] == 0xBB && s[i+2] == 0xBF:
			return 3
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

// plainWord reports whether t is a short ordinary word: one to fifteen ASCII
// letters, of which only the first may be upper case.
func plainWord(t string) bool {
	if len(t) == 0 || len(t) > 15 {
		return false
	}
	c := t[0] | 0x20
	if c < 'a' || c > 'z' {
		return false
	}
	for i := 1; i < len(t); i++ {
		if t[i] < 'a' || t[i] > 'z' {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with lower, comparing ASCII letters
// case-insensitively and requiring the exact byte length of lower.
func hasPrefixFold(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		if s[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}
