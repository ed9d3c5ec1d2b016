// Package leak holds the credential leak suite: fake secrets of every
// family that AI APIs echo, planted in every context where they appear in
// error responses. The tests of classify (the library's output surfaces) and
// of cmd/apierr (the command's) render each case through every surface and
// check with Found that no part of the secret survives. It is for tests only.
//
// The secrets are fake: deterministic pseudo-random characters of each
// family's alphabet and length, never a real key.
//
// Test kit: only _test.go files import it.
package leak

import (
	"fmt"
	"strings"
)

// Case is one secret planted in one context.
type Case struct {
	// Name is family/context.
	Name string
	// Family and Context name what is tested.
	Family, Context string
	// Secret is the whole credential as it stands in Text (without the
	// invisible characters a context may insert).
	Secret string
	// Keep is the non-secret prefix of Secret that may stay visible (such
	// as "sk-proj-"), so that Secret[len(Keep):] must not.
	Keep string
	// Text is the message that carries the secret.
	Text string
}

// Window is how long a run of the secret's characters counts as a leak.
const Window = 7

// Found returns the first piece of c's secret, Window characters long, that
// out contains, or "". A secret shorter than Window (a key cut by a body
// limit) must not appear at all.
func (c Case) Found(out string) string {
	body := c.Secret[len(c.Keep):]
	w := min(Window, len(body))
	for i := 0; i+w <= len(body); i++ {
		if piece := body[i : i+w]; strings.Contains(out, piece) {
			return piece
		}
	}
	return ""
}

// rng is a small deterministic generator (SplitMix64), so that the suite is
// the same on every run.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9E3779B97F4A7C15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// Alphabets of the families.
const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	url64  = alnum + "-_"
	std64  = alnum + "+/"
	hexLow = "0123456789abcdef"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0234567"
)

// Gen returns n characters of alphabet a, drawn from seed. Every string of
// two or more kinds of character has at least one letter and one digit, as
// real keys do.
func Gen(seed uint64, a string, n int) string {
	r := rng(seed)
	b := make([]byte, n)
	for i := range b {
		b[i] = a[r.next()%uint64(len(a))]
	}
	letter := strings.IndexFunc(a, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' })
	digit := strings.IndexAny(a, "0123456789")
	if n >= 3 && letter >= 0 && digit >= 0 {
		b[1], b[2] = a[letter], a[digit]
	}
	return string(b)
}

// Family is one kind of credential.
type Family struct {
	// Name identifies the family in case names.
	Name string
	// Keep is the visible prefix the redactor keeps ("" for none).
	Keep string
	// Make returns a fake secret from a seed.
	Make func(seed uint64) string
	// Label is how a message names it, for families that are only
	// recognised where the text says they are credentials ("" for families
	// recognised anywhere).
	Label string
	// Suffix is text after the secret that makes it one ("@host" after a
	// password in a URL's userinfo), or "".
	Suffix string
}

// Families returns every credential family of the threat model.
func Families() []Family {
	f := func(name, keep, prefix, alphabet string, n int) Family {
		return Family{Name: name, Keep: keep, Make: func(s uint64) string { return prefix + Gen(s, alphabet, n) }}
	}
	fams := []Family{
		f("openai_project", "sk-proj-", "sk-proj-", url64, 156),
		f("openai_legacy", "sk-", "sk-", alnum, 48),
		f("openai_service_account", "sk-svcacct-", "sk-svcacct-", url64, 120),
		f("anthropic", "sk-ant-", "sk-ant-api03-", url64, 95),
		f("openrouter", "sk-", "sk-or-v1-", hexLow, 64),
		f("xai", "xai-", "xai-", alnum, 80),
		f("groq", "gsk_", "gsk_", alnum, 52),
		f("huggingface", "hf_", "hf_", alnum, 34),
		f("replicate", "r8_", "r8_", alnum, 37),
		f("perplexity", "pplx-", "pplx-", alnum, 48),
		f("nvidia", "nvapi-", "nvapi-", url64, 64),
		f("google_api_key", "AIza", "AIza", url64, 35),
		f("google_oauth", "ya29.", "ya29.", url64, 150),
		f("aws_access_key_id", "AKIA", "AKIA", upper, 16),
		f("aws_temporary_key_id", "ASIA", "ASIA", upper, 16),
		f("aws_session_token", "IQoJ", "IQoJ", std64, 300),
		f("aws_session_token_old", "FwoGZXIvYXdz", "FwoGZXIvYXdz", std64, 200),
		f("azure_84", "", "", alnum, 84),
		{Name: "jwt", Keep: "eyJ", Make: func(s uint64) string {
			return "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + Gen(s, url64, 120) + "." + Gen(s+1, url64, 86)
		}},
	}
	labelled := []Family{
		{Name: "aws_secret_access_key", Make: func(s uint64) string { return Gen(s, std64, 40) }, Label: "aws_secret_access_key="},
		{Name: "azure_32_hex", Make: func(s uint64) string { return Gen(s, hexLow, 32) }, Label: "api-key: "},
		{Name: "together_64_hex", Make: func(s uint64) string { return Gen(s, hexLow, 64) }, Label: "Invalid API key provided: "},
		{Name: "mistral_32", Make: func(s uint64) string { return Gen(s, alnum, 32) }, Label: "api key "},
		{Name: "cohere_40", Make: func(s uint64) string { return Gen(s, alnum, 40) }, Label: "invalid api token: "},
		{Name: "query_api_key", Make: func(s uint64) string { return Gen(s, alnum, 24) }, Label: "https://api.example.com/v1/chat?api_key="},
		{Name: "query_key", Make: func(s uint64) string { return Gen(s, url64, 39) }, Label: "/v1beta/models/gemini:generateContent?key="},
		{Name: "query_access_token", Make: func(s uint64) string { return Gen(s, url64, 40) }, Label: "?alt=sse&access_token="},
		{Name: "userinfo_password", Make: func(s uint64) string { return Gen(s, alnum, 16) }, Label: "https://admin:", Suffix: "@db.example.com:5432/"},
		{Name: "bearer_opaque", Make: func(s uint64) string { return Gen(s, url64, 30) }, Label: "Authorization: Bearer "},
		{Name: "basic", Make: func(s uint64) string { return Gen(s, std64, 28) + "==" }, Label: "Authorization: Basic "},
	}
	return append(fams, labelled...)
}

// context is a way a secret appears in a message. plant returns the text
// with the (labelled) secret in it.
type context struct {
	name  string
	plant func(labelled string) string
}

var contexts = []context{
	{"sentence", func(l string) string {
		return "Incorrect API key provided: " + l + ". You can find your API key at https://platform.openai.com/account/api-keys."
	}},
	{"json_in_text", func(l string) string {
		return `upstream returned {"error":{"message":"denied for ` + l + `","code":401}}`
	}},
	{"escaped_newline", func(l string) string { return `proxy said:\n` + l + `\nend` }},
	{"escaped_quote", func(l string) string { return `config: \u0022` + l + `\u0022 rejected` }},
	{"backslash_quote", func(l string) string { return `{\"credential\":\"` + l + `\"}` }},
	{"url_encoded", func(l string) string {
		return "redirect to /login?next=%2Fv1%3Fk%3D" + strings.ReplaceAll(l, " ", "%20") + "&x=1"
	}},
	{"html", func(l string) string {
		return "<html><body><p>Invalid credential <code>" + l + "</code></p></body></html>"
	}},
	{"header_line", func(l string) string { return "request headers: X-Api-Key: " + l + "\r\nHost: api.example.com" }},
	{"glued", func(l string) string { return "env OPENAI_API_KEY_" + l + " is invalid" }},
	{"multibyte", func(l string) string { return "clé invalide «" + l + "» – vérifiez" }},
}

// Cases returns the whole suite: every family in a plain sentence and in
// every context, and the special contexts (split by invisible characters,
// cut by a length limit, quoted Bearer in JSON, URL-encoded Bearer).
func Cases() []Case {
	var cs []Case
	seed := uint64(1)
	for _, fam := range Families() {
		for _, ctx := range contexts {
			if fam.Label != "" && (ctx.name == "glued" || ctx.name == "url_encoded") {
				// A label is a word of its own: gluing or URL-encoding it
				// is covered by the dedicated cases below.
				continue
			}
			seed++
			secret := fam.Make(seed)
			l := fam.Label + secret + fam.Suffix
			cs = append(cs, Case{
				Name:    fam.Name + "/" + ctx.name,
				Family:  fam.Name,
				Context: ctx.name,
				Secret:  secret,
				Keep:    fam.Keep,
				Text:    ctx.plant(l),
			})
		}
	}
	add := func(family, context, keep, secret, text string) {
		cs = append(cs, Case{Name: family + "/" + context, Family: family, Context: context, Secret: secret, Keep: keep, Text: text})
	}
	// A key split by an invisible character: every part is masked.
	for i, inv := range []struct{ name, r string }{
		{"zero_width_space", "\u200b"}, {"zero_width_non_joiner", "\u200c"},
		{"zero_width_joiner", "\u200d"}, {"soft_hyphen", "\u00ad"}, {"word_joiner", "\u2060"},
	} {
		k := "sk-proj-" + Gen(uint64(900+i), url64, 60)
		add("openai_project", "split_"+inv.name, "sk-proj-", k, "Incorrect API key provided: "+k[:20]+inv.r+k[20:]+".")
		g := "gsk_" + Gen(uint64(950+i), alnum, 52)
		add("groq", "split_"+inv.name, "gsk_", g, "key "+g[:10]+inv.r+g[10:30]+inv.r+g[30:])
	}
	// A key cut by a body limit, with fewer than 8 of its characters left.
	for i, p := range []string{"sk-proj-", "sk-ant-", "xai-", "gsk_", "hf_", "AIza", "AKIA"} {
		body := Gen(uint64(970+i), upper, 5+i%3)
		add("cut_"+strings.TrimRight(p, "-_"), "cut_at_limit", p, p+body, "Incorrect API key provided: "+p+body)
	}
	// Authorization headers echoed in JSON, quoted and URL-encoded.
	jwt := family("jwt").Make(990)
	add("jwt", "json_authorization_header", "eyJ", jwt, `{"headers":{"Authorization": "Bearer `+jwt+`"}}`)
	add("jwt", "bare_expired", "eyJ", jwt, "jwt expired: "+jwt)
	tok := Gen(991, url64, 40)
	add("bearer_opaque", "url_encoded_bearer", "", tok, "GET /proxy?h=Authorization%3A%20Bearer%20"+tok)
	add("bearer_opaque", "quoted_bearer", "", tok, `Authorization: Bearer "`+tok+`"`)
	k := "sk-proj-" + Gen(992, url64, 100)
	add("openai_project", "url_encoded_equals", "sk-proj-", k, "callback=https%3A%2F%2Fx.example%2F%3Fk%3D"+k)
	pw := Gen(993, alnum, 20)
	add("userinfo_password", "transport_url", "", pw, `Post "https://svc:`+pw+`@api.example.com/v1/chat/completions": dial tcp: connection refused`)
	return cs
}

// family returns the family named name.
func family(name string) Family {
	for _, f := range Families() {
		if f.Name == name {
			return f
		}
	}
	panic("leak: no family " + name)
}

// String describes the case for failure messages.
func (c Case) String() string { return fmt.Sprintf("%s: %q", c.Name, c.Text) }
