package redact

import "strings"

// This file holds credentials recognised by their shape alone: armored
// private keys, strong prefixed tokens, high-entropy runs, bot tokens.

// armor matches an armored private key (PEM, PGP or OpenSSH) whose BEGIN
// line starts at s[i]: the block from the end of the BEGIN line to the
// start of the END line, whatever it holds (base64 lines of any length,
// escaped newlines, headers). A block without an END is masked to the end
// of the text. Public material (certificates, public keys, signatures) is
// kept.
func (z *scanner) armor(i int) (start, end int) {
	s := z.s
	p := i + len("-----BEGIN ")
	lab := strings.Index(s[p:min(len(s), p+64)], "-----")
	if lab < 0 {
		return -1, -1
	}
	label := s[p : p+lab]
	for k := 0; k < len(label); k++ {
		if label[k] < 0x20 || label[k] > 0x7e {
			// RFC 7468 labels are printable ASCII. A byte outside it
			// (an invalid UTF-8 byte, which rendering turns into a
			// three-byte U+FFFD) is no label: the block would move in
			// or out of the window from one pass to the next.
			return -1, -1
		}
	}
	switch {
	case strings.Contains(label, "PUBLIC"), strings.Contains(label, "CERTIFICATE"),
		strings.Contains(label, "SIGNATURE"), strings.Contains(label, "PGP MESSAGE"),
		strings.Contains(label, "X509 CRL"):
		return -1, -1
	}
	body := p + lab + len("-----")
	if z.endAt >= 0 && z.endAt < body || z.endAt < 0 && z.endFrom > body || z.endFrom == 0 && z.endAt < 0 {
		z.endFrom = body
		z.endAt = -1
		if k := strings.Index(s[body:], "-----END"); k >= 0 {
			z.endAt = body + k
		}
	}
	end = z.endAt
	if end < 0 {
		end = len(s)
	}
	if end <= body {
		return -1, -1 // an empty block: nothing to mask
	}
	return body, end
}

// strong reports whether the token that starts at s[q] looks like a
// credential on its own: thirty-two or more hex digits, or sixteen or more
// characters mixing letters and digits, or twenty-four or more mixing upper
// and lower case, that is not shaped like an identifier (a model name, a
// path, a version, a UUID, an id with a known prefix). It returns the end
// of what it read: the token's end when it is a credential.
func strong(s string, q int) (end int, ok bool) {
	// Most tokens are short: a run of fewer than sixteen token characters
	// that ends at a byte which cannot go on a token (no invisible
	// character, no percent-encoding) is not read again by tokenEnd.
	j := q
	for j < len(s) && j-q < 16 && class[s[j]]&cToken != 0 {
		j++
	}
	if j-q < 16 && (j == len(s) || class[s[j]]&cSpecial == 0) {
		return j, false
	}
	e, n := tokenEnd(s, q)
	if n < 16 {
		return e, false
	}
	t := s[q:min(e, q+probe)]
	if idPrefixed(t) || isUUIDPrefix(t) {
		return e, false
	}
	if elision(t) >= 0 && placeholder(s[q:e]) {
		// A key this pass or an earlier one masked ("sk-***" before a
		// tail that is not the key's): a second pass keeps it, as the
		// first left it.
		return e, false
	}
	hex, letters, digits, upper, lower := 0, 0, 0, 0, 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'A' && c <= 'Z':
			upper++
			letters++
		case c >= 'a' && c <= 'z':
			lower++
			letters++
		}
		if class[c]&cHex != 0 {
			hex++
		}
	}
	switch {
	case hex >= 32 && hex == len(t):
	case letters > 0 && digits > 0 && !identifier(t):
	case len(t) >= 24 && upper >= 2 && lower >= 2 && !identifier(t):
	default:
		return e, false
	}
	return e, true
}

// entropic measures the run of letters, digits and base64 or base64url
// punctuation that starts at s[i] and reports whether it is a credential
// wherever it stands: an alphanumeric stretch of entropicMin or more that
// mixes upper case, lower case and digits (Azure's 84-character keys), or
// exactly sixty-four hex digits (Together's keys). A label before it that
// names an id or a hash ("Request ID: ", "sha256:") keeps it. It returns
// the run's end.
func (z *scanner) entropic(i int) (end int, ok bool) {
	s := z.s
	e := i
	var upper, lower, digit, other bool
	seg, longest := 0, 0
	hexes := 0
	for e < len(s) {
		b := s[e]
		switch {
		case b >= 'A' && b <= 'Z':
			upper = true
			seg++
		case b >= 'a' && b <= 'z':
			lower = true
			seg++
		case b >= '0' && b <= '9':
			digit = true
			seg++
		case dashes(s, e):
			// The dashes of an armor line end a run.
			goto done
		case b != '=' && b != '.' && class[b]&(cKey|cB64) != 0:
			other = true
			seg = 0
		default:
			if k := invisibleRun(s, e); k > 0 && e+k < len(s) && class[s[e+k]]&(cKey|cB64) != 0 {
				e += k
				continue
			}
			goto done
		}
		if class[b]&cHex != 0 && !other {
			hexes++
		}
		longest = max(longest, seg)
		e++
	}
done:
	e = padded(s, e)
	run := s[i:e]
	switch {
	case e-i >= entropicMin && upper && lower && digit && (longest >= 16 || !identifier(run)) && !idPrefixed(run):
	case hexes == 64 && len(strings.TrimRight(run, "=")) == 64 && (upper != lower) && digit:
	default:
		return e, false
	}
	if labelled(s, i, z.from) || strings.Contains(run, "AAAA") && strings.ContainsAny(run, "+/") {
		// An id, or base64 of structured bytes (zero bytes, "AAAA",
		// among base64 punctuation, as Azure Front Door references
		// hold): not a random key.
		return e, false
	}
	return e, true
}

// padded returns the end of the base64 padding ("=" or "==") at s[e], or e.
func padded(s string, e int) int {
	for k := 0; k < 2 && e < len(s) && s[e] == '='; k++ {
		e++
	}
	return e
}

// botToken matches a dot-separated bot token (Discord's: a base64 user id,
// six characters, and twenty-seven or more) in the word s[i:w]: three
// dot-separated parts in a row, anywhere in the word, the second six or
// seven characters long, the third twenty-seven or more, the first
// twenty-three or more (of which at most the last twenty-eight are taken:
// a token glued to a word). It returns where the token starts and ends,
// or a negative end.
func botToken(s string, i, w int) (start, end int) {
	if w-i < 59 {
		return -1, -1
	}
	// Three parts in a row anywhere in the word: [p, d1), (d1, d2), (d2, k).
	p, d1, d2 := i, -1, -1
	for k := i; k <= w; k++ {
		if k < w && s[k] != '.' {
			continue
		}
		if d2 >= 0 && d1-p >= 23 && d2-d1-1 >= 6 && d2-d1-1 <= 7 && k-d2-1 >= 27 {
			return max(p, d1-28), k
		}
		switch {
		case d2 >= 0:
			p, d1, d2 = d1+1, d2, k
		case d1 >= 0:
			d2 = k
		default:
			d1 = k
		}
	}
	return -1, -1
}

// telegram matches a Telegram bot token around the ':' at s[i]: eight to
// ten digits, ':', "AA" and thirty or more base64url characters. The
// digits start at from or later.
func telegram(s string, i, from int) (start, end int) {
	k := i
	for k > from && i-k < 10 && s[k-1] >= '0' && s[k-1] <= '9' {
		k--
	}
	if i-k < 8 || !strings.HasPrefix(s[i+1:], "AA") {
		return -1, -1
	}
	e := i + 1
	for e < len(s) && class[s[e]]&cKey != 0 && !dashes(s, e) {
		e++
	}
	if e-i-1 < 32 {
		return -1, -1
	}
	return k, e
}

// isHex reports whether b is a hexadecimal digit.
func isHex(b byte) bool { return class[b]&cHex != 0 }

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

// dottedWords reports whether t is a code or a message key made of short
// lower-case words joined by dots, underscores or hyphens
// ("fail.auth.generic", "openapi_error.api_key_not_exist", a header's name
// "x-arch-ratelimit-selector"): what an error body's "key" member
// names, not a credential, which mixes in digits or capitals or runs
// longer. Each word has at most twelve letters, and there are at least
// two.
func dottedWords(t string) bool {
	words, n := 1, 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= 'a' && c <= 'z':
			n++
			if n > 12 {
				return false
			}
		case (c == '.' || c == '_' || c == '-') && n > 0:
			words++
			n = 0
		default:
			return false
		}
	}
	return words >= 2 && n > 0
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
