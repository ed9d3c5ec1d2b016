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
)

var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			t[c] = cKey | cRun | cToken | cAWS
		case c >= 'a' && c <= 'z', c == '_', c == '-':
			t[c] = cKey | cRun | cToken
		case c == '*', c == '.':
			t[c] = cRun | cToken
		case c == '~', c == '+', c == '/', c == '=':
			t[c] = cToken
		}
	}
	for _, c := range "sxghrpfnctABb" {
		t[c] |= cFirst
	}
	return t
}()

// skSubPrefixes are kept after "sk-" because they tell the key type apart.
var skSubPrefixes = [...]string{"proj-", "ant-", "svcacct-", "admin-"}

// String returns s with API keys and bearer tokens replaced. It returns s
// itself (no allocation) when s contains nothing to redact.
//
// See the package documentation for the exact rules.
func String(s string) string {
	start, end := next(s, 0)
	if end < 0 {
		return s
	}
	return replace(s, start, end)
}

// replace returns s with s[start:end] and every later secret masked.
func replace(s string, start, end int) string {
	var b strings.Builder
	// Each replacement grows the text by at most two bytes; a little slack
	// avoids a second allocation in all ordinary cases.
	b.Grow(len(s) + 8)
	last := 0 // s[last:] has not been written to b yet
	for {
		b.WriteString(s[last:start])
		b.WriteString(mask)
		last = end
		start, end = next(s, end)
		if end < 0 {
			break
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// next returns the first secret s[start:end] that starts in a word at or
// after position i; end is negative if there is none. Position i must not be
// inside a word: i is 0 or s[i] is not a key character.
//
// The scan looks at each byte once and calls match only at word starts with
// a trigger letter. match reads at most the rest of its word, the '*' and '.'
// that follow it, or the whitespace and token after a scheme name, so the
// total work stays linear in len(s).
func next(s string, i int) (start, end int) {
	prev := uint8(0)
	for ; i < len(s); i++ {
		c := class[s[i]]
		if c&cFirst != 0 && prev&cKey == 0 {
			if start, end := match(s, i); end >= 0 {
				return start, end
			}
		}
		prev = c
	}
	return -1, -1
}

// match reports whether a key or credential starts at the word start s[i].
// If so, s[start:end] is the secret to replace; otherwise end is negative.
func match(s string, i int) (start, end int) {
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
			return key(s, p, 4, cKey)
		}
	case 'x':
		return prefixed(s, i, "xai-")
	case 'g':
		return prefixed(s, i, "gsk_")
	case 'h':
		return prefixed(s, i, "hf_")
	case 'r':
		return prefixed(s, i, "r8_")
	case 'p':
		return prefixed(s, i, "pplx-")
	case 'f':
		return prefixed(s, i, "fw_")
	case 'n':
		return prefixed(s, i, "nvapi-")
	case 'c':
		return prefixed(s, i, "csk-")
	case 't':
		return prefixed(s, i, "tgp_v1_")
	case 'A':
		if strings.HasPrefix(t, "AIza") {
			return key(s, i+4, 8, cKey)
		}
		if strings.HasPrefix(t, "AKIA") || strings.HasPrefix(t, "ASIA") {
			return key(s, i+4, 16, cAWS)
		}
	case 'B', 'b':
		if hasPrefixFold(t, "bearer") {
			return credential(s, i+len("bearer"))
		}
		if hasPrefixFold(t, "basic") {
			return credential(s, i+len("basic"))
		}
	}
	return -1, -1
}

// prefixed matches a provider key that starts with prefix at s[i].
func prefixed(s string, i int, prefix string) (start, end int) {
	if !strings.HasPrefix(s[i:], prefix) {
		return -1, -1
	}
	return key(s, i+len(prefix), 8, cKey)
}

// key matches the body of a key that starts at s[p], after its prefix. The
// body must begin with at least min characters of class cls, or be a
// partially masked key: key characters, then '*', then at least one more key
// character somewhere before the end of the body. The body extends over key
// characters, '*' and '.', without trailing dots.
//
// When key does not match, it has only read bytes up to the end of the
// current word or bytes that are not key characters, so the caller's scan
// stays linear.
func key(s string, p, min int, cls uint8) (start, end int) {
	j := p
	for j < len(s) && class[s[j]]&cls != 0 {
		j++
	}
	if j-p < min {
		// A key partially masked by the server, e.g. "sk-proj-****wxyz" or
		// "AKIA****MPLE": '*' right after the characters read so far and a key
		// character after the mask. Fully masked text such as "sk-***" is
		// left alone, which keeps String idempotent.
		if j == len(s) || s[j] != '*' {
			return -1, -1
		}
		k := j
		for k < len(s) && (s[k] == '*' || s[k] == '.') {
			k++
		}
		if k == len(s) || class[s[k]]&cKey == 0 {
			return -1, -1
		}
	}
	e := j
	for e < len(s) && class[s[e]]&cRun != 0 {
		e++
	}
	for e > j && s[e-1] == '.' {
		e--
	}
	return p, e
}

// credential matches the credential after an authorization scheme name that
// ends at s[p]: one or more spaces or tabs and a token of RFC 6750 b64token
// characters, without trailing dots. The token is not a credential when it
// contains no key character (for example an already redacted "***"), when it
// is an ordinary short word ("Bearer auth"), or when it is an authentication
// parameter (realm="api" or error=invalid_token).
func credential(s string, p int) (start, end int) {
	q := p
	for q < len(s) && (s[q] == ' ' || s[q] == '\t') {
		q++
	}
	if q == p {
		return -1, -1
	}
	e := q
	keys := 0
	for e < len(s) && class[s[e]]&cToken != 0 {
		if class[s[e]]&cKey != 0 {
			keys++
		}
		e++
	}
	if keys == 0 || e < len(s) && s[e] == '"' {
		return -1, -1
	}
	for s[e-1] == '.' { // cannot run past q: s[q:e] contains a key character
		e--
	}
	tok := s[q:e]
	if plainWord(tok) || strings.IndexByte(strings.TrimRight(tok, "="), '=') >= 0 {
		return -1, -1
	}
	return q, e
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
