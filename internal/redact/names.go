package redact

import "strings"

// This file holds credential names (key, token, password...) and the
// values assigned to them.

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
	if at == i && best == 4 && kind == kindStrong && i >= 4 && hasPrefixFold(s[i-4:], "not ") {
		// "Pre Img Risk Not Pass: Copyright" (Volcengine's visual API):
		// "not pass" is a verb, a check that failed, not a field.
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
		for k >= i && class[s[k]]&cSep != 0 {
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
		if plainWord(tok) || digitsOnly(tok) || dottedWords(tok) {
			return -1, -1, -1
		}
	}
	if placeholder(tok) {
		return -1, -1, -1
	}
	if w := wordEnd(s, v); nameKind(s, max(v, w-nameMax), w) != kindNone && identifier(s[v:w]) {
		// The value is itself a credential's name ("credential": "api-key:
		// ..."): the scan reads it as a field next. A random run that
		// happens to end in such a word ("9FoTNjLolBJMKey:") is no name.
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
		if dashes(s, e) {
			break // the dashes of an armor line
		}
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
		// characters made of a vendor's short words, and at most four of
		// the key's own) stands for a credential; a token with more of its
		// characters around the mask ("XrgcMsjXg1.***": ten of the key's
		// own before it) is a credential masked in part, and is masked
		// whole.
		head, tail := tok[:i], strings.TrimLeft(tok[i:], "*.")
		// The key's own characters after the mask are the letters and
		// digits glued to it: what follows a '+' or a '/' ("sk-***+0000",
		// a key masked before a base64 tail) is not the key's.
		for k := 0; k < len(tail); k++ {
			if class[tail[k]]&cAlnum == 0 {
				tail = tail[:k]
				break
			}
		}
		if len(head)+len(tail) <= 4 || len(tail) <= 4 && len(head) <= 20 && strings.IndexByte("-_./", head[len(head)-1]) >= 0 && prefixWords(head) {
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

// prefixWords reports whether head is made of the short words of a
// vendor's key prefix ("sk-proj-", "sk-ant-api03-", "github_pat_"): no
// run between separators longer than six characters, where a key's own
// characters run longer.
func prefixWords(head string) bool {
	run := 0
	for i := 0; i < len(head); i++ {
		if strings.IndexByte("-_./", head[i]) >= 0 {
			run = 0
			continue
		}
		if run++; run > 6 {
			return false
		}
	}
	return true
}

// placeholderAt reports whether the token s[q:e] is a placeholder, with
// the dots that may follow it: a token ends before trailing dots, but a
// vendor's prefix elided in prose ("Include 'Authorization: Bearer
// origin_sk_...' header", Origin Neural's docs) stands for a key, as
// "sk-..." does.
func placeholderAt(s string, q, e int) bool {
	return placeholder(s[q:e]) || strings.HasPrefix(s[e:], "...") && placeholder(s[q:e+3])
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
