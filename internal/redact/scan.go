package redact

import "strings"

// This file holds the scanner: byte classes, the bounds that keep every
// probe linear, and the walk that finds where a credential may start.

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
	cSep                        // '-', '_', '.': separators inside a field name
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
	for _, c := range "-_." {
		t[c] |= cSep
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
	// from is where the current search for a secret began: the end of
	// the last one found (see labelled).
	from int
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
	z.from = from
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
			if dashes(s, i) {
				// Five dashes end every word and run (an armor line's,
				// or a rule): what follows them starts a word. The
				// skip stops where an armor line starts ("------BEGIN").
				j := i + 1
				for j < z.limit && s[j] == '-' && !strings.HasPrefix(s[j:], "-----BEGIN ") {
					j++
				}
				i, prev = j, 0
				continue
			}
			if pairAt(s, i) && startsThree(b, s[i+1], s[i+2]) {
				if k, e := match(s, i, boundary); e >= 0 {
					return i, k, z.named(i, e)
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
					return i, i, z.named(i, botTail(s, e))
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
	return pairAt(s, i) && startsThree(s[i], s[i+1], s[i+2])
}

// pairAt is mayStart's first test, small enough to be inlined: whether
// the two bytes at s[i] start a known prefix or scheme, with a third byte
// after them.
func pairAt(s string, i int) bool {
	return i+2 < len(s) && pairBits[s[i]][s[i+1]>>6]&(1<<(s[i+1]&63)) != 0
}

// startsThree reports whether a known prefix or scheme may start with the
// bytes a, b, c (hashed): the second test of mayStart, apart so that the
// first is inlined where the scan calls it.
//
//go:noinline
func startsThree(a, b, c byte) bool {
	h := startHash(a, b, c)
	return startBits[h>>6]&(1<<(h&63)) != 0
}

// word looks at the word that starts at s[i]: an armored private key, a bot
// token, a value named by a credential word before it, or a field name
// that names a credential, with its value.
func (z *scanner) word(i int) (start, keep, end int) {
	s := z.s
	w := i
	for w < len(s) && class[s[w]]&cName != 0 && !dashes(s, w) {
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
		} else if e, ok := strong(s, i); ok && !labelled(s, i, z.from) {
			// A masked token does not use up the window: a second pass
			// reads "***" there, which is no token.
			z.nounLeft++
			return i, i, z.named(i, e)
		}
	}
	if st, e := botToken(s, i, w); e >= 0 {
		return st, st, z.named(st, e)
	}
	if z.pairs != 0 && w < len(s) && s[w] == '=' {
		if st, k, e := pairValue(s, w+1, len(s)); e >= 0 {
			return nameSecret(s, i, w, st, k, e)
		}
	}
	kind := nameKind(s, max(i, w-nameMax), w)
	if kind == kindNone {
		return -1, -1, -1
	}
	if kind&kindNoun != 0 {
		// Opened whether or not the value is masked, so that a second
		// pass, which finds "***" there and reads on, looks at the same
		// tokens.
		z.nounEnd, z.nounLeft = w+window, nounTokens
	}
	if v, ok := assignment(s, w); ok {
		if st, k, e := z.value(v, kind); e >= 0 {
			// A value that ends in a field name assigned a value of its
			// own ("key:0Authorization: Digest ...") takes that value
			// too: the scan resumes after it.
			return nameSecret(s, i, w, st, k, z.named(st, e))
		}
	}
	return -1, -1, -1
}

// nameSecret returns the secret s[start:end] of an assignment whose value
// s[st:e] (keeping s[st:k]) follows the name s[i:w]. A name is read as a
// name only up to its last credential word, and the scan resumes after the
// value: so a name that is itself a credential ("sk-proj-...keY=1", a
// random run that happens to end in "key") is looked at here, by a scan of
// the name alone, and masked with its value. Only a name long enough to
// hold a credential is scanned: each byte at most once more.
func nameSecret(s string, i, w, st, k, e int) (start, keep, end int) {
	if w-i < shortMin+3 {
		return st, k, e
	}
	sub := scanner{s: s[:w], endAt: -1, limit: w}
	if ns, nk, ne := sub.next(i); ne >= 0 {
		return ns, nk, e
	}
	return st, k, e
}

// named returns the end of the secret s[st:e], a key or a random run that
// the scan found, or of the value after it when its run ends with a field
// name that is assigned one ("...SharedAccessKey=value"), or when such a
// name follows it after a dot: the scan resumes after the secret, so that
// value would not be looked at otherwise.
func (z *scanner) named(st, e int) int {
	s := z.s
	w := e
	for w > st && s[w-1] == '=' {
		w-- // base64 padding, taken for the run's: the assignment's '='
	}
	if w-st < 3 || class[s[w-1]]&cAlnum == 0 {
		return z.dottedName(e)
	}
	kind := nameKind(s, max(st, w-nameMax), w)
	if kind == kindNone {
		return z.dottedName(e)
	}
	if ve := z.assignedEnd(w, kind); ve > e {
		return ve
	}
	return z.dottedName(e)
}

// dottedName returns the end of the value assigned to a field name that
// follows s[e] after a dot ("<run>.x-goog-api-key": "..."), or e: the
// name goes on the run's word, which the scan does not read again.
func (z *scanner) dottedName(e int) int {
	s := z.s
	if e >= len(s) || s[e] != '.' {
		return e
	}
	w := e + 1
	for w < len(s) && w-e <= nameMax && class[s[w]]&cName != 0 && !dashes(s, w) {
		w++
	}
	kind := nameKind(s, max(e+1, w-nameMax), w)
	if kind == kindNone {
		return e
	}
	if ve := z.assignedEnd(w, kind); ve > e {
		return ve
	}
	return e
}

// assignedEnd returns the end of the value assigned to the field name of
// kind that ends at s[w], or -1 when none is.
func (z *scanner) assignedEnd(w, kind int) int {
	if v, ok := assignment(z.s, w); ok {
		_, _, ve := z.value(v, kind)
		return ve
	}
	return -1
}

// botTail returns the end of a dotted key's last two parts when they
// follow a run that ends at s[e] (".", six to sixty-four key characters,
// ".", sixteen or more: Discord's bot tokens, SendGrid's "SG." keys), or
// e. A run measured from an earlier start (invisible characters or other
// text glued before the key's first part) ends at the first dot, and the
// rest of the key would be left.
func botTail(s string, e int) int {
	if e >= len(s) || s[e] != '.' {
		return e
	}
	d := e + 1
	for d < len(s) && d-e <= 65 && class[s[d]]&cKey != 0 && !dashes(s, d) {
		d++
	}
	if n := d - e - 1; n < 6 || n > 64 || d >= len(s) || s[d] != '.' {
		return e
	}
	k := d + 1
	for k < len(s) && class[s[k]]&cKey != 0 && !dashes(s, k) {
		k++
	}
	if k-d-1 < 16 {
		return e
	}
	return k
}

// dashes reports whether s[i] starts the five dashes of an armor line
// ("-----BEGIN ..."): they end every run, word and value, so that a key
// glued to a private key's block does not hide the block from the scan.
func dashes(s string, i int) bool {
	return s[i] == '-' && i+4 < len(s) && s[i+1] == '-' && s[i+2] == '-' && s[i+3] == '-' && s[i+4] == '-'
}
