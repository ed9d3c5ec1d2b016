package redact

import "strings"

// This file holds Authorization and Cookie headers and name=value lists.

// authorization matches the credentials of an Authorization header whose
// value starts at s[v]: a scheme (Bearer, Basic, Token, Bot, Digest,
// AWS4-HMAC-SHA256, any other) and its token or parameters; or a bare
// credential. The scheme name is kept. A token is masked to its end,
// parameters ("Credential=..., Signature=...") to the end of the header
// value.
func (z *scanner) authorization(v int) (start, keep, end int) {
	s := z.s
	// The scheme: a word followed by white space.
	w := v
	for w < len(s) && w-v < 40 && class[s[w]]&cName != 0 {
		w++
	}
	q := skipSpace(s, w, 8)
	if q == w || w == v || q >= len(s) || class[s[q]]&cToken == 0 && s[q] != '"' {
		// No scheme: the value itself is the credential.
		e, n := tokenEnd(s, v)
		if n == 0 || placeholderAt(s, v, e) || plainWord(s[v:e]) {
			return -1, -1, -1
		}
		return v, v, e
	}
	if s[q] == '"' {
		q++
	}
	e, n := tokenEnd(s, q)
	if eq := strings.IndexByte(s[q:e], '='); eq > 0 && paramName(s[q:q+eq]) && q+eq+1 <= e && (q+eq+1 == e || s[q+eq+1] != '=') {
		// Authentication parameters (Digest's username="...",
		// response="...", AWS's Credential=..., Signature=...): every
		// value up to the end of the header line.
		z.pairs = pairsAuth
		return pairValue(s, q+eq+1, len(s))
	}
	if n == 0 || placeholderAt(s, q, e) || plainWord(strings.TrimRight(s[q:e], "=")) {
		return -1, -1, -1
	}
	return q, q, e
}

// cookies matches the value of the first cookie of a Cookie header (all)
// or a Set-Cookie header that starts at s[v]. For a Cookie header, the
// scanner masks the values of the following cookies too, up to the end of
// the header (cookieEnd); a Set-Cookie header's attributes (Path, Expires)
// are kept.
func (z *scanner) cookies(v int, all bool) (start, keep, end int) {
	s := z.s
	if all {
		z.pairs = pairsCookie
	}
	w := wordEnd(s, v)
	if w >= len(s) || s[w] != '=' {
		return -1, -1, -1
	}
	return pairValue(s, w+1, len(s))
}

// paramName reports whether p can name an authentication parameter
// (username, realm, nonce, response, Credential, SignedHeaders,
// Signature): one to twenty-four letters, '-' or '_', starting with a
// letter. Base64 with padding inside ("abc=0") is no parameter.
func paramName(p string) bool {
	if len(p) == 0 || len(p) > 24 || p[0]|0x20 < 'a' || p[0]|0x20 > 'z' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !(c|0x20 >= 'a' && c|0x20 <= 'z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// pairValue matches the value of a "name=value" pair at s[st], quoted or
// not, up to a quote, ',', ';', white space or end.
func pairValue(s string, st, end int) (start, keep, e int) {
	st = quotes(s, st)
	e = st
	for e < end {
		switch s[e] {
		case '"', '\'', '\\', ',', ';', ' ', '\t':
			goto done
		}
		e++
	}
done:
	if e <= st || placeholder(s[st:e]) {
		return -1, -1, -1
	}
	return st, st, e
}
