package redact

import (
	"strings"
	"unicode/utf8"
)

// mask replaces the secret part of a key or credential.
const mask = "***"

// MaxLen is the largest string, in bytes, that [String] returns: a longer
// text is cut at a character boundary and ends with [CutMark]. Invalid UTF-8
// in the text does not make the result longer than MaxLen either: each run
// of invalid bytes becomes one U+FFFD before the text is cut.
const MaxLen = 8 << 10

// CutMark ends a text that [String] cut at [MaxLen] bytes.
const CutMark = " …[cut]"

// String returns s with API keys, tokens, passwords, private keys and other
// credentials replaced by "***", invalid UTF-8 replaced, and cut to at most
// [MaxLen] bytes. It returns s itself (no allocation) when s is valid UTF-8
// of at most MaxLen bytes with nothing to redact.
//
// Only what can be kept is read: the first MaxLen bytes of s, and the rest
// of a credential that starts within them. So the work is linear in the
// input up to MaxLen bytes and bounded beyond.
//
// See the package documentation for what is recognised, what is kept and
// the limits.
func String(s string) string {
	if len(s) <= MaxLen {
		return bound(Credentials(s), false)
	}
	z := scanner{s: s, endAt: -1, limit: MaxLen}
	out, stop := z.redact()
	return bound(out, stop < len(s))
}

// Credentials returns s with the credentials replaced, as [String] does, but
// neither repairs invalid UTF-8 nor cuts the text: for callers that bound
// the size themselves. It returns s itself when there is nothing to redact.
// It reads the whole of s, in time linear in its length.
func Credentials(s string) string {
	z := scanner{s: s, endAt: -1, limit: len(s)}
	out, _ := z.redact()
	return out
}

// redact returns the text up to where the scan stopped, with the secrets
// masked, and that position: at least z.limit, or the end of the last
// secret that starts before it.
func (z *scanner) redact() (out string, stop int) {
	s := z.s
	_, keep, end := z.next(0)
	if end < 0 {
		return s[:z.limit], z.limit
	}
	var b strings.Builder
	b.Grow(z.limit + 8)
	last := 0 // s[last:] has not been written to b yet
	for end >= 0 {
		b.WriteString(s[last:keep])
		b.WriteString(mask)
		last = end
		_, keep, end = z.next(end)
	}
	stop = max(last, z.limit)
	b.WriteString(s[last:stop])
	return b.String(), stop
}

// bound makes s valid UTF-8, one U+FFFD for each run of invalid bytes, and
// cuts it to MaxLen bytes at a character boundary, ending with CutMark;
// cut says that s is already a cut text, which ends with CutMark too.
func bound(s string, cut bool) string {
	if !cut && len(s) <= MaxLen && utf8.ValidString(s) {
		return s
	}
	if len(s) > MaxLen {
		// Only the first MaxLen bytes can be kept: a replacement of
		// invalid bytes is never longer than three of them, so no more
		// is read.
		s = s[:MaxLen]
		cut = true
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !cut && len(s) <= MaxLen {
		return s
	}
	n := min(len(s), MaxLen-len(CutMark))
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + CutMark
}

// Character classes, indexed by byte.
const (
	cKey     uint16 = 1 << iota // [A-Za-z0-9_-]: characters of a key
	cRun                        // key characters plus '*' and '.': extent of a (masked) key
	cToken                      // run characters plus '~', '+', '/', '=': RFC 6750 b64token
	cAWS                        // [A-Z0-9]: body of an AWS access key id
	cFirst                      // first byte of a known prefix or scheme name
	cAlnum                      // [A-Za-z0-9]
	cB64                        // [A-Za-z0-9+/=]: base64 text
	cHex                        // [0-9a-fA-F]
	cName                       // [A-Za-z0-9_.-]: a field name or a word
	cPath                       // key characters plus '/': a URL path
	cB32                        // [A-Z0-9]: bech32 upper case (age keys)
	cSpecial                    // a byte the scan looks at apart: escapes, separators, invisible characters
)

var class = func() (t [256]uint16) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			t[c] = cKey | cRun | cToken | cAWS | cAlnum | cB64 | cName | cPath | cB32
		case c >= 'a' && c <= 'z':
			t[c] = cKey | cRun | cToken | cAlnum | cB64 | cName | cPath
		case c == '_', c == '-':
			t[c] = cKey | cRun | cToken | cName | cPath
		case c == '.':
			t[c] = cRun | cToken | cName
		case c == '*':
			t[c] = cRun | cToken
		case c == '+', c == '=':
			t[c] = cToken | cB64
		case c == '/':
			t[c] = cToken | cB64 | cPath
		case c == '~':
			t[c] = cToken
		}
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' {
			t[c] |= cHex
		}
	}
	for _, r := range prefixRules {
		t[r.prefix[0]] |= cFirst
	}
	for _, c := range []byte{':', '\\', '%', '&', 0xC2, 0xE2, 0xEF, '\r', '\n', '<', '"', '\'', '`'} {
		t[c] |= cSpecial
	}
	for _, c := range "sSBbTt" { // sk-, schemes
		t[c] |= cFirst
	}
	return t
}()

// Limits that keep every probe bounded, so that the whole scan stays linear.
const (
	// gluedMin is how many key characters a known prefix needs when it is
	// glued to a preceding word ("OPENAI_API_KEY_sk-proj-...", "\nsk-..."):
	// long enough that words such as "task-12345678" are left alone.
	gluedMin = 20
	// window is how far after a word that names a credential ("key",
	// "token", "password") the scan looks for a value shaped like one.
	window = 48
	// nounTokens is how many tokens after such a word are looked at.
	nounTokens = 3
	// probe is how much of a candidate token is read to decide whether it
	// looks like a credential; only a token that does is read to its end.
	probe = 128
	// entropicMin is the length of a run of letters and digits, mixing
	// upper case, lower case and digits, that is masked wherever it stands
	// (unless a label before it says it is an id).
	entropicMin = 32
	// shortMin is the shortest key body, mixing letters and digits, that a
	// known prefix at a word boundary makes a key although it is shorter
	// than the family's usual minimum (a key cut by a limit, then quoted).
	shortMin = 5
	// nameMax is how much of the end of a word is read as a field name.
	nameMax = 40
)

// scanner finds the secrets of one text, in order.
type scanner struct {
	s string
	// limit: no secret is looked for at or after it (a secret that
	// starts before it is read to its end).
	limit int
	// nounEnd and nounLeft: tokens that start before nounEnd are looked at
	// as the value a credential word names, nounLeft more of them.
	nounEnd, nounLeft int
	// endAt caches the position of the next "-----END" at or after
	// endFrom (-1: none), so that armor blocks without an end are not
	// searched for again and again.
	endAt, endFrom int
	// pairs says that the scan is in a Cookie header or an Authorization
	// header's parameters (pairsCookie, pairsAuth): every "name=value" has
	// its value masked, up to the end of the header (pairsStop).
	pairs int
	// sepAt is the position right after the letter of an escape such
	// as \n: a word may start there.
	sepAt int
	// runEnd is the end of the last run entropic measured: a run is
	// measured once, from its start.
	runEnd int
}

// next returns the first secret s[start:end] at or after position from; end
// is negative if there is none. s[start:keep] is a non-secret prefix (such
// as "sk-proj-") that stays in the output before the mask.
//
// Each byte is looked at a bounded number of times: the probes read at most
// a constant number of bytes when they fail, and a probe that succeeds reads
// to the end of the secret, where the scan resumes.
func (z *scanner) next(from int) (start, keep, end int) {
	s := z.s
	prev := uint16(0)
	if from > 0 {
		prev = class[s[from-1]]
	}
	for i := from; i < z.limit; {
		if i == z.sepAt {
			prev = 0 // right after the letter of an escape such as \n
		}
		b := s[i]
		c := class[b]
		if c&cSpecial != 0 {
			if z.pairs != 0 && z.pairsStop(i) {
				z.pairs = 0
			}
			switch b {
			case ':':
				if strings.HasPrefix(s[i:], "://") {
					if st, e := userinfo(s, i+3); e >= 0 {
						return st, st, e
					}
				}
				if st, e := telegram(s, i, from); e >= 0 {
					return st, st, e
				}
			case '\\':
				if n := invisible(s, i); n > 0 {
					i += n
					continue
				}
				// An escape ("\n", "\\n" in text quoted twice,
				// "\u0022") separates words like the character it
				// stands for.
				j := i
				for j < len(s) && s[j] == '\\' {
					j++
				}
				if j < len(s) {
					switch s[j] {
					case 'n', 'r', 't':
						// The letter may as well start a word
						// ("\token"): it is scanned as one, and
						// what follows it starts a word too.
						z.sepAt = j + 1
					case '"', '\'', '/':
						j++
					case 'u':
						if j+4 < len(s) && isHex(s[j+1]) && isHex(s[j+2]) && isHex(s[j+3]) && isHex(s[j+4]) {
							j += 5
						}
					}
				}
				i = j
				prev = 0
				continue
			case '%':
				if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
					if n := invisible(s, i); n > 0 {
						i += n
						continue
					}
					// A percent-encoded byte separates words like the
					// byte itself: "key%3D..." is "key=...". Its hex
					// digits may as well start a word ("%fc-..."), so
					// the scan goes on right after the '%'.
					i++
					prev = 0
					continue
				}
			default:
				if n := invisible(s, i); n > 0 {
					// An invisible character may split a key (the
					// recognisers read across it) or stand between two
					// words: what follows it is looked at as a word of
					// its own too ("0\u00adapi-key: ...").
					i += n
					prev = 0
					continue
				}
			}
		}
		if c&cName != 0 {
			boundary := prev&cKey == 0
			if b == '-' && strings.HasPrefix(s[i:], "-----BEGIN ") {
				// An armored key, glued to what precedes it or not.
				if k, e := z.armor(i); e >= 0 {
					return k, k, e
				}
			}
			if mayStart(s, i) {
				if k, e := match(s, i, boundary); e >= 0 {
					return i, k, e
				}
			}
			if prev&cName == 0 {
				if st, k, e := z.word(i); e >= 0 {
					return st, k, e
				}
			}
			if c&cAlnum != 0 && prev&cAlnum == 0 && i >= z.runEnd {
				e, ok := z.entropic(i)
				if ok {
					return i, i, e
				}
				z.runEnd = e
			}
		}
		prev = c
		i++
	}
	return -1, -1, -1
}

// pairsStop reports whether s[i] ends the header whose "name=value" pairs
// are being masked: a line break (raw or escaped), a tag, and for a Cookie
// header a quote, '&' or '`' too.
func (z *scanner) pairsStop(i int) bool {
	s := z.s
	switch s[i] {
	case '\r', '\n', '<':
		return true
	case '\\':
		j := i
		for j < len(s) && s[j] == '\\' {
			j++
		}
		return j < len(s) && (s[j] == 'n' || s[j] == 'r' || z.pairs == pairsCookie && (s[j] == '"' || s[j] == '\''))
	case '"', '\'', '&', '`':
		return z.pairs == pairsCookie
	}
	return false
}

// Kinds of "name=value" lists whose values are masked.
const (
	pairsCookie = 1 // a Cookie header
	pairsAuth   = 2 // an Authorization header's parameters
)

// startBits has a bit set for the first three bytes of every known prefix
// and authorization scheme (hashed into 2^16 bits): match is only tried
// where one may start.
var startBits = func() (t [1 << 10]uint64) {
	set := func(a, b, c byte) {
		h := startHash(a, b, c)
		t[h>>6] |= 1 << (h & 63)
	}
	for _, r := range prefixRules {
		if len(r.prefix) >= 3 {
			set(r.prefix[0], r.prefix[1], r.prefix[2])
			continue
		}
		for c := 0; c < 256; c++ {
			if class[c]&r.cls != 0 {
				set(r.prefix[0], r.prefix[1], byte(c))
			}
		}
	}
	set('s', 'k', '-')
	set('s', 'k', '_')
	for _, p := range [...]string{"bea", "bas", "tok", "bot"} {
		for m := 0; m < 8; m++ {
			var b [3]byte
			for k := range b {
				b[k] = p[k]
				if m&(1<<k) != 0 {
					b[k] -= 32
				}
			}
			set(b[0], b[1], b[2])
		}
	}
	return t
}()

// startHash hashes three bytes into 16 bits.
func startHash(a, b, c byte) uint32 {
	return (uint32(a)*0x9E3779B1 ^ uint32(b)*0x85EBCA77 ^ uint32(c)*0xC2B2AE3D) >> 16
}

// pairBits has the bit of every two-byte start of a known prefix or
// scheme set: a cheaper first test than startBits.
var pairBits = func() (t [256][4]uint64) {
	set := func(a, b byte) { t[a][b>>6] |= 1 << (b & 63) }
	for _, r := range prefixRules {
		set(r.prefix[0], r.prefix[1])
	}
	set('s', 'k')
	for _, p := range [...]string{"be", "ba", "to", "bo"} {
		for _, a := range [...]byte{p[0], p[0] - 32} {
			for _, b := range [...]byte{p[1], p[1] - 32} {
				set(a, b)
			}
		}
	}
	return t
}()

// mayStart reports whether a known prefix or scheme may start at s[i]:
// its first two bytes, then (hashed) its first three.
func mayStart(s string, i int) bool {
	if i+2 >= len(s) {
		return false
	}
	a, b := s[i], s[i+1]
	if pairBits[a][b>>6]&(1<<(b&63)) == 0 {
		return false
	}
	h := startHash(a, b, s[i+2])
	return startBits[h>>6]&(1<<(h&63)) != 0
}

// word looks at the word that starts at s[i]: an armored private key, a bot
// token, a value named by a credential word before it, or a field name
// that names a credential, with its value.
func (z *scanner) word(i int) (start, keep, end int) {
	s := z.s
	w := i
	for w < len(s) && class[s[w]]&cName != 0 {
		w++
	}
	if w-i < entropicMin && (w == len(s) || class[s[w]]&cB64 == 0 && invisible(s, w) == 0) {
		// The run of letters and digits that starts here ends with the
		// word, too short to be entropic.
		z.runEnd = w
	}
	if i < z.nounEnd && z.nounLeft > 0 {
		z.nounLeft--
		if short := w-i < 16 && (w == len(s) || class[s[w]]&cToken == 0 && s[w] != '%' && invisible(s, w) == 0); short {
			// Too short to look like a credential on its own.
		} else if e, ok := strong(s, i); ok && !labelled(s, i) {
			return i, i, e
		}
	}
	if st, e := botToken(s, i, w); e >= 0 {
		return st, st, e
	}
	if z.pairs != 0 && w < len(s) && s[w] == '=' {
		if st, k, e := pairValue(s, w+1, len(s)); e >= 0 {
			return st, k, e
		}
	}
	kind := nameKind(s, max(i, w-nameMax), w)
	if kind == kindNone {
		return -1, -1, -1
	}
	if v, ok := assignment(s, w); ok {
		if st, k, e := z.value(v, kind); e >= 0 {
			return st, k, e
		}
	}
	if kind&kindNoun != 0 {
		z.nounEnd, z.nounLeft = w+window, nounTokens
	}
	return -1, -1, -1
}

// Kinds of credential names.
const (
	kindNone = 0
	// kindWeak names a key or token: a value of eight or more characters
	// that is not an ordinary word or number is masked.
	kindWeak = 1 << iota
	// kindStrong names a password or secret: any value but a placeholder
	// is masked.
	kindStrong
	// kindAuth is an Authorization header: a scheme and its credentials.
	kindAuth
	// kindCookie is a Cookie header: every value is masked.
	kindCookie
	// kindSetCookie is a Set-Cookie header: the cookie's value is masked.
	kindSetCookie
	// kindNoun is also a word that names a credential in a sentence ("API
	// key provided: ...").
	kindNoun
)

// nameSuffixes map the end of a field name, lower case without '-', '_' and
// '.', to its kind. The longest match wins; nameExcluded lists names that
// end like a credential's but are not one.
var nameSuffixes = []struct {
	suffix string
	kind   int
}{
	{"key", kindWeak | kindNoun},
	{"apikey", kindWeak | kindNoun},
	{"token", kindWeak | kindNoun},
	{"sig", kindWeak},
	{"signature", kindWeak},
	{"session", kindWeak},
	{"sessionid", kindWeak},
	{"sid", kindWeak},
	{"secret", kindStrong | kindNoun},
	{"password", kindStrong | kindNoun},
	{"passwd", kindStrong | kindNoun},
	{"pwd", kindStrong | kindNoun},
	{"pass", kindStrong},
	{"passphrase", kindStrong | kindNoun},
	{"credential", kindStrong | kindNoun},
	{"credentials", kindStrong},
	{"privatekey", kindStrong},
	{"authorization", kindAuth},
	{"auth", kindAuth},
	{"cookie", kindCookie},
	{"setcookie", kindSetCookie},
}

// nameByTail lists, by their last two letters, the indexes of the names in
// nameSuffixes.
var nameByTail = func() (t [32][32][]int) {
	for k, x := range nameSuffixes {
		n := len(x.suffix)
		a, b := x.suffix[n-2]&31, x.suffix[n-1]&31
		t[a][b] = append(t[a][b], k)
	}
	return t
}()

// nameTails marks the last two letters (lower case, five bits each) of the
// names in nameSuffixes.
var nameTails = func() (t [32][32]bool) {
	for _, x := range nameSuffixes {
		n := len(x.suffix)
		t[x.suffix[n-2]&31][x.suffix[n-1]&31] = true
	}
	return t
}()

// nameExcluded end like credential names but name ids, counts or public
// values.
var nameExcluded = []string{
	"idempotencykey", "cachekey", "partitionkey", "primarykey", "sortkey", "foreignkey",
	"publickey", "routingkey", "objectkey", "dedupkey", "dedupekey", "hashkey", "rangekey",
	"pagetoken", "nextpagetoken", "nexttoken", "continuationtoken", "synctoken", "maxtoken",
	"stoptoken", "eostoken", "bostoken", "padtoken", "unktoken", "starttoken", "endtoken",
	"bypass", "compass", "overpass", "subpass", "firstpass", "secondpass",
	"wwwauth", "oauth",
}

// nameKind returns the kind of credential that the field name s[i:w] names,
// or kindNone.
func nameKind(s string, i, w int) int {
	// Most words end in no credential name: two letters tell.
	if w-i < 3 || !nameTails[(s[w-2]|0x20)&31][(s[w-1]|0x20)&31] {
		return kindNone
	}
	best, kind, at := 0, kindNone, -1
	for _, k := range nameByTail[(s[w-2]|0x20)&31][(s[w-1]|0x20)&31] {
		x := &nameSuffixes[k]
		if len(x.suffix) <= best {
			continue
		}
		if st := endsFold(s, i, w, x.suffix); st >= 0 {
			best, kind, at = len(x.suffix), x.kind, st
		}
	}
	if kind == kindNone {
		return kindNone
	}
	if at > i {
		// Every excluded name is longer than the credential name it
		// ends with.
		for _, x := range nameExcluded {
			if endsFold(s, i, w, x) >= 0 {
				return kindNone
			}
		}
		// "pass", "sid" and "auth" count only as a whole word or the
		// last part of a name ("db_pass", "x-auth", "dbPass"): not
		// "compass".
		if best <= 4 && (kind&kindAuth != 0 || endsFold(s, at, w, "pass") >= 0 || endsFold(s, at, w, "sid") >= 0) {
			c, d := s[at-1], s[at]
			if c != '-' && c != '_' && c != '.' && !(c >= 'a' && c <= 'z' && d >= 'A' && d <= 'Z') {
				return kindNone
			}
		}
	}
	return kind
}

// endsFold reports where the name s[i:w] ends with suffix, comparing ASCII
// letters in lower case and skipping '-', '_' and '.' in the name (so that
// "X-Api-Key" ends with "apikey"): the index of the suffix's first byte in
// s, or -1.
func endsFold(s string, i, w int, suffix string) int {
	k := w - 1
	for j := len(suffix) - 1; j >= 0; j-- {
		for k >= i && (s[k] == '-' || s[k] == '_' || s[k] == '.') {
			k--
		}
		if k < i || s[k]|0x20 != suffix[j] {
			return -1
		}
		k--
	}
	return k + 1
}

// assignment reports whether an assignment follows the name that ends at
// s[w] ("=", ":", "%3D", `": "`, ` = `), and returns where the value starts.
func assignment(s string, w int) (v int, ok bool) {
	q := w
	q = quotes(s, q)
	for q < len(s) && q-w < 8 && (s[q] == ' ' || s[q] == '\t') {
		q++
	}
	switch {
	case q < len(s) && (s[q] == '=' || s[q] == ':'):
		q++
		if q < len(s) && s[q] == '>' {
			q++
		}
	case q+2 < len(s) && s[q] == '%' && s[q+1] == '3' && (s[q+2]|0x20 == 'd' || s[q+2]|0x20 == 'a'):
		q += 3
	default:
		return 0, false
	}
	for q < len(s) && q-w < 16 {
		switch {
		case s[q] == ' ', s[q] == '\t':
			q++
			continue
		case s[q] == '%' && q+2 < len(s) && s[q+1] == '2' && (s[q+2] == '0' || s[q+2] == '2'):
			q += 3
			continue
		}
		break
	}
	return quotes(s, q), true
}

// quotes skips the quotes at s[q]: '"', '\”, '`', backslash-escaped ones,
// "\u0022" and "&quot;".
func quotes(s string, q int) int {
	for k := 0; k < 4 && q < len(s); k++ {
		switch s[q] {
		case '"', '\'', '`':
			q++
			continue
		case '\\':
			if q+1 < len(s) && (s[q+1] == '"' || s[q+1] == '\\' || s[q+1] == '\'') {
				q++
				continue
			}
			if strings.HasPrefix(s[q:], `\u0022`) || strings.HasPrefix(s[q:], `\u0027`) {
				q += 6
				continue
			}
		case '&':
			if strings.HasPrefix(s[q:], "&quot;") {
				q += 6
				continue
			}
		}
		return q
	}
	return q
}

// value decides whether the value at s[v], assigned to a field of the given
// kind, is a credential.
func (z *scanner) value(v, kind int) (start, keep, end int) {
	s := z.s
	if v >= len(s) {
		return -1, -1, -1
	}
	if s[v] == '-' && strings.HasPrefix(s[v:], "-----BEGIN ") {
		if k, e := z.armor(v); e >= 0 {
			return k, k, e
		}
	}
	switch {
	case kind&kindAuth != 0:
		return z.authorization(v)
	case kind&kindCookie != 0:
		return z.cookies(v, true)
	case kind&kindSetCookie != 0:
		return z.cookies(v, false)
	}
	if mayStart(s, v) {
		if k, e := match(s, v, true); e >= 0 {
			return v, k, e
		}
	}
	e, n := tokenEnd(s, v)
	if n == 0 {
		return -1, -1, -1
	}
	tok := s[v:e]
	if kind&kindStrong == 0 {
		// A key or token: eight characters or more that are not a word
		// or a number; or a stub of five mixing letters and digits that
		// a limit cut at the end of the text.
		if n < 8 && !(e == len(s) && n >= shortMin && mixed(tok)) {
			return -1, -1, -1
		}
		if plainWord(tok) || digitsOnly(tok) {
			return -1, -1, -1
		}
	}
	if placeholder(tok) {
		return -1, -1, -1
	}
	if w := wordEnd(s, v); nameKind(s, max(v, w-nameMax), w) != kindNone {
		// The value is itself a credential's name ("credential": "api-key:
		// ..."): the scan reads it as a field next.
		if _, ok := assignment(s, w); ok {
			return -1, -1, -1
		}
	}
	return v, v, e
}

// tokenEnd returns the end of the token that starts at s[v] and the number
// of its characters: b64token characters, invisible characters between
// them and percent-encoded base64 punctuation; trailing dots are not part
// of it.
func tokenEnd(s string, v int) (end, n int) {
	e := v
	for e < len(s) {
		if class[s[e]]&cToken != 0 {
			e++
			n++
			continue
		}
		if k := invisibleRun(s, e); k > 0 && e+k < len(s) && (class[s[e+k]]&cToken != 0 || pctBase64(s, e+k)) {
			e += k
			continue
		}
		if s[e] == '%' && e+2 < len(s) && isHex(s[e+1]) && isHex(s[e+2]) {
			// Percent-encoded: base64 punctuation, or a ':' in a token
			// such as Telegram's written into a URL.
			e += 3
			n++
			continue
		}
		break
	}
	for e > v && s[e-1] == '.' {
		e--
		n--
	}
	return e, n
}

// placeholder reports whether tok stands for a credential without being
// one: upper-case letters and '_' ("YOUR_API_KEY"), an elision ("sk-...",
// "xxxx"), an already masked value, null or a boolean.
func placeholder(tok string) bool {
	upper, x := true, 0
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c >= 'A' && c <= 'Z', c == '_', c == '-':
			if c|0x20 == 'x' {
				x++
			}
		case c == 'x', c == '*':
			upper = false
			x++
		default:
			upper = false
		}
	}
	if upper || x == len(tok) {
		return true
	}
	if i := elision(tok); i >= 0 {
		// Text already masked or elided ("***", "sk-proj-***", "sk-...",
		// "xa***5X", "sk-...ITlA": a kept prefix of at most twenty
		// characters and at most four of the key's own) stands for a
		// credential; a token with more of its characters around the
		// mask is a credential masked in part, and is masked whole.
		head, tail := tok[:i], strings.TrimLeft(tok[i:], "*.")
		if len(head)+len(tail) <= 4 || len(tail) <= 4 && len(head) <= 20 && strings.IndexByte("-_./", head[len(head)-1]) >= 0 {
			return true
		}
	}
	if len(tok) < 3 || len(tok) > 9 {
		return false
	}
	for _, w := range [...]string{"null", "none", "nil", "true", "false", "undefined", "empty", "redacted", "hidden", "masked"} {
		if len(w) == len(tok) && w[0] == tok[0]|0x20 && strings.EqualFold(tok, w) {
			return true
		}
	}
	return false
}

// elision returns where the first "***" or "..." in tok starts, or -1.
func elision(tok string) int {
	for i := 0; i+2 < len(tok); i++ {
		if c := tok[i]; (c == '*' || c == '.') && tok[i+1] == c && tok[i+2] == c {
			return i
		}
	}
	return -1
}

// mixed reports whether t holds both letters and digits.
func mixed(t string) bool {
	var l, d bool
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			d = true
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			l = true
		}
	}
	return l && d
}

// digitsOnly reports whether t is a number (digits, '.', '-').
func digitsOnly(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

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
		if n == 0 || placeholder(s[v:e]) || plainWord(s[v:e]) {
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
	if n == 0 || placeholder(s[q:e]) || plainWord(strings.TrimRight(s[q:e], "=")) {
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
	if z.endAt < 0 {
		return body, len(s)
	}
	return body, z.endAt
}

// strong reports whether the token that starts at s[q] looks like a
// credential on its own: thirty-two or more hex digits, or sixteen or more
// characters mixing letters and digits, or twenty-four or more mixing upper
// and lower case, that is not shaped like an identifier (a model name, a
// path, a version, a UUID, an id with a known prefix). It returns the end
// of what it read: the token's end when it is a credential.
func strong(s string, q int) (end int, ok bool) {
	e, n := tokenEnd(s, q)
	if n < 16 {
		return e, false
	}
	t := s[q:min(e, q+probe)]
	if idPrefixed(t) || isUUIDPrefix(t) {
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

// identifier reports whether t is shaped like an identifier rather than a
// random key: split at '-', '_', '.', '/' and ':', every part is a number,
// a word (at most three changes of case), or short (at most six
// characters: "8x7B", "v0", "4o").
func identifier(t string) bool {
	start := 0
	for i := 0; i <= len(t); i++ {
		if i < len(t) {
			switch t[i] {
			case '-', '_', '.', '/', ':':
			default:
				continue
			}
		}
		if !wordish(t[start:i]) {
			return false
		}
		start = i + 1
	}
	return true
}

// wordish reports whether p is a number, a word or a short part.
func wordish(p string) bool {
	if len(p) <= 6 {
		return true
	}
	digits, letters, changes := 0, 0, 0
	lastUpper := p[0] >= 'A' && p[0] <= 'Z'
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			letters++
			up := c <= 'Z'
			if up != lastUpper {
				changes++
			}
			lastUpper = up
		default:
			return false
		}
	}
	return letters == 0 || digits == 0 && changes <= 3
}

// idPrefixes start the ids that providers put in their messages (request,
// completion, message, tool call, file, batch, organisation, project ids):
// operators need them, so they are kept where a credential word is near.
var idPrefixes = [...]string{
	"req_", "request_", "chatcmpl-", "cmpl-", "msg_", "msg-", "toolu_", "srvtoolu_", "call_",
	"run_", "thread_", "asst_", "file-", "file_", "batch_", "org-", "org_", "proj_", "user-",
	"resp_", "ft-", "ftjob-", "ftckpt_", "vs_", "step_", "evt_", "compl_", "gen-", "trace-",
	"conv_", "item_", "fc_", "rs_", "modr-", "embd-", "sess_", "span-", "job-", "ws_",
}

// idPrefixed reports whether t starts with an id prefix.
func idPrefixed(t string) bool {
	for _, p := range idPrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// isUUIDPrefix reports whether t starts with a UUID (8-4-4-4-12 hex digits).
func isUUIDPrefix(t string) bool {
	if len(t) < 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if t[i] != '-' {
				return false
			}
		default:
			if class[t[i]]&cHex == 0 {
				return false
			}
		}
	}
	return true
}

// labelled reports whether a label before s[i] says that the value at s[i]
// is an identifier or a hash, not a credential: the word right before it
// (separators, quotes and brackets skipped) names an id, an account, an
// organisation, a project, a request or a trace ("Request ID: ...",
// "for account '...'"), or a word among the few before it names a hash
// ("Key Hash (Token) = ...", "sha256:").
func labelled(s string, i int) bool {
	k := i
	first := true
	for words := 0; words < 4 && k > 0 && i-k < 40; words++ {
		for k > 0 && i-k < 40 && class[s[k-1]]&cName == 0 {
			k--
		}
		j := k - 1
		for j >= 0 && k-j <= 32 && class[s[j]]&cName != 0 {
			j--
		}
		w := s[j+1 : k]
		if w == "" {
			return false
		}
		if first && labelWord(w, idLabels[:]) || labelWord(w, hashLabels[:]) {
			return true
		}
		first = false
		k = j + 1
	}
	return false
}

// idLabels name identifiers whose values are kept.
var idLabels = [...]string{"id", "ids", "trace", "traceparent", "uuid", "account", "org", "organization", "organisation", "project", "tenant", "function", "deployment", "request", "ref", "reference", "correlation", "span", "commit", "nonce"}

// hashLabels name hashes and digests.
var hashLabels = [...]string{"hash", "digest", "checksum", "sha", "sha1", "sha256", "sha512", "md5", "fingerprint", "etag"}

// labelWord reports whether the word w is one of labels or ends with one
// as its last part: after '-', '_' or '.', or a change to upper case
// ("x-request-id", "RequestId", "requestID"), not "said" or "paid".
func labelWord(w string, labels []string) bool {
	for _, x := range labels {
		if len(w) < len(x) || !strings.EqualFold(w[len(w)-len(x):], x) {
			continue
		}
		if len(w) == len(x) {
			return true
		}
		c, d := w[len(w)-len(x)-1], w[len(w)-len(x)]
		if c == '-' || c == '_' || c == '.' || d >= 'A' && d <= 'Z' && !(c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
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
		case b == '-' && strings.HasPrefix(s[e:], "-----"):
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
	if labelled(s, i) || strings.Contains(run, "AAAA") && strings.ContainsAny(run, "+/") {
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
	for e < len(s) && class[s[e]]&cKey != 0 {
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
