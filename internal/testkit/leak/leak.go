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
	"log/slog"
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

// LogOptions is for the slog handlers a suite reads: it drops each record's
// time. A timestamp's nanoseconds are wall-clock digits, different on every
// run, and Found would count seven of them that happen to match a run of a
// secret's digits (Slack, Discord and Telegram tokens hold long runs of
// them) as a leak: a rare failure that says nothing about the redactor. A
// suite that renders retry delays fixes its Policy's Rand for the same
// reason, so that what it reads is the same on every run.
var LogOptions = &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}}

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
	digits = "0123456789"
	bech32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
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
	return append(append(fams, labelled...), shapes()...)
}

// shapes are the families of issue 18: vendor tokens recognised by their
// prefix and format wherever they stand (modelled on the public rule sets
// of gitleaks, trufflehog and GitHub secret scanning: the prefixes and
// lengths below are the published formats), and credentials recognised by
// the header, field or scheme that carries them.
func shapes() []Family {
	f := func(name, keep, prefix, alphabet string, n int) Family {
		return Family{Name: name, Keep: keep, Make: func(s uint64) string { return prefix + Gen(s, alphabet, n) }}
	}
	parts := func(name, keep string, make func(s uint64) string) Family {
		return Family{Name: name, Keep: keep, Make: make}
	}
	label := func(name, lbl, suffix, alphabet string, n int) Family {
		return Family{Name: name, Label: lbl, Suffix: suffix, Make: func(s uint64) string { return Gen(s, alphabet, n) }}
	}
	return []Family{
		parts("slack_bot", "xoxb-", func(s uint64) string {
			return "xoxb-" + Gen(s, digits, 12) + "-" + Gen(s+1, digits, 13) + "-" + Gen(s+2, alnum, 24)
		}),
		parts("slack_user", "xoxp-", func(s uint64) string {
			return "xoxp-" + Gen(s, digits, 12) + "-" + Gen(s+1, digits, 12) + "-" + Gen(s+2, digits, 13) + "-" + Gen(s+3, hexLow, 32)
		}),
		parts("slack_app", "xapp-", func(s uint64) string {
			return "xapp-1-A" + Gen(s, upper, 10) + "-" + Gen(s+1, digits, 13) + "-" + Gen(s+2, hexLow, 64)
		}),
		parts("slack_webhook", "https://hooks.slack.com/services/", func(s uint64) string {
			return "https://hooks.slack.com/services/T" + Gen(s, upper, 10) + "/B" + Gen(s+1, upper, 10) + "/" + Gen(s+2, alnum, 24)
		}),
		parts("discord_webhook", "https://discord.com/api/webhooks/", func(s uint64) string {
			return "https://discord.com/api/webhooks/" + Gen(s, digits, 18) + "/" + Gen(s+1, url64, 68)
		}),
		parts("discord_bot", "", func(s uint64) string {
			return "MT" + Gen(s, alnum, 24) + "." + Gen(s+1, url64, 6) + "." + Gen(s+2, url64, 38)
		}),
		parts("telegram_bot", "", func(s uint64) string { return Gen(s, digits, 10) + ":AA" + Gen(s+1, url64, 33) }),
		f("stripe_secret", "sk_live_", "sk_live_", alnum, 99),
		f("stripe_test", "sk_test_", "sk_test_", alnum, 24),
		f("stripe_restricted", "rk_live_", "rk_live_", alnum, 99),
		f("stripe_webhook", "whsec_", "whsec_", alnum, 32),
		f("databricks", "dapi", "dapi", hexLow, 32),
		f("shopify_access", "shpat_", "shpat_", hexLow, 32),
		f("shopify_shared", "shpss_", "shpss_", hexLow, 32),
		f("npm", "npm_", "npm_", alnum, 36),
		f("pypi", "pypi-AgEIcHlwaS5vcmc", "pypi-AgEIcHlwaS5vcmc", url64, 70),
		f("twilio_api_key", "SK", "SK", hexLow, 32),
		parts("sendgrid", "SG.", func(s uint64) string { return "SG." + Gen(s, url64, 22) + "." + Gen(s+1, url64, 43) }),
		f("mailgun", "key-", "key-", hexLow, 32),
		f("digitalocean", "dop_v1_", "dop_v1_", hexLow, 64),
		f("linear", "lin_api_", "lin_api_", alnum, 40),
		f("notion", "ntn_", "ntn_", alnum, 46),
		f("atlassian", "ATATT3", "ATATT3", url64, 186),
		f("vault", "hvs.", "hvs.", url64, 90),
		parts("grafana_service_account", "glsa_", func(s uint64) string { return "glsa_" + Gen(s, alnum, 32) + "_" + Gen(s+1, hexLow, 8) }),
		f("grafana_cloud", "glc_", "glc_", alnum, 100),
		f("sentry_user", "sntryu_", "sntryu_", hexLow, 64),
		parts("postman", "PMAK-", func(s uint64) string { return "PMAK-" + Gen(s, hexLow, 24) + "-" + Gen(s+1, hexLow, 34) }),
		f("figma", "figd_", "figd_", url64, 40),
		f("gitlab_pipeline_trigger", "glptt-", "glptt-", hexLow, 40),
		f("gitlab_deploy", "gldt-", "gldt-", url64, 20),
		f("google_oauth_client_secret", "GOCSPX-", "GOCSPX-", url64, 28),
		f("google_refresh_token", "1//0", "1//0", url64, 100),
		parts("langsmith", "lsv2_pt_", func(s uint64) string { return "lsv2_pt_" + Gen(s, hexLow, 32) + "_" + Gen(s+1, hexLow, 10) }),
		parts("pinecone", "pcsk_", func(s uint64) string { return "pcsk_" + Gen(s, alnum, 6) + "_" + Gen(s+1, alnum, 63) }),
		f("tavily", "tvly-", "tvly-", alnum, 32),
		f("elevenlabs", "sk_", "sk_", hexLow, 48),
		f("doppler", "dp.pt.", "dp.pt.", alnum, 43),
		f("pulumi", "pul-", "pul-", hexLow, 40),
		f("age_secret_key", "AGE-SECRET-KEY-1", "AGE-SECRET-KEY-1", bech32, 58),
		f("square", "sq0atp-", "sq0atp-", url64, 22),
		f("heroku", "HRKU-", "HRKU-AA", url64, 58),
		f("anthropic_admin", "sk-ant-", "sk-ant-admin01-", url64, 93),
		f("openai_session", "sess-", "sess-", alnum, 40),
		f("huggingface_org", "api_org_", "api_org_", alnum, 34),
		f("firecrawl", "fc-", "fc-", hexLow, 32),
		f("jina", "jina_", "jina_", alnum, 60),
		f("github_oauth", "gho_", "gho_", alnum, 36),
		f("gitlab_runner", "glrt-", "glrt-", url64, 20),
		// Recognised by what carries them.
		label("cookie_session", "Cookie: theme=dark; _session_id=", "; locale=en", hexLow, 32),
		label("set_cookie", "Set-Cookie: __Secure-session=", "; Path=/; Secure; HttpOnly", url64, 43),
		label("authorization_token_scheme", "Authorization: Token ", "", hexLow, 40),
		label("authorization_bot_scheme", "Authorization: Bot ", "", url64, 59),
		label("authorization_custom_scheme", "Authorization: ApiKey ", "", alnum, 30),
		label("authorization_digest", `Authorization: Digest username="svc", realm="api", nonce="dcd98b7102dd2f0e", response="`, `"`, hexLow, 32),
		label("authorization_aws_sigv4", "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261206/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=", "", hexLow, 64),
		label("proxy_authorization", "Proxy-Authorization: Basic ", "", std64, 32),
		label("postgres_url", "postgres://app:", "@db.example.com:5432/prod", alnum, 24),
		label("mongodb_url", "mongodb+srv://admin:", "@cluster0.ab1cd.mongodb.net/?retryWrites=true", alnum, 20),
		label("redis_url", "redis://:", "@cache.example.com:6379/0", alnum, 32),
		label("ado_connection_string", "Server=tcp:db.example.com,1433;Database=app;User ID=app;Password=", ";Encrypt=True", alnum, 20),
		label("azure_storage_connection", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=", "==;EndpointSuffix=core.windows.net", std64, 86),
		label("azure_sas_sig", "https://acct.blob.core.windows.net/c/b.jsonl?sv=2022-11-02&sr=b&sig=", "&se=2026-12-07", alnum, 43),
		label("json_password", `{"username":"svc","password":"`, `"}`, alnum, 16),
		label("json_client_secret", `{"client_id":"1234.apps.example.com","client_secret":"`, `"}`, url64, 35),
		label("env_secret", "export DB_PASSWORD=", "", alnum, 18),
		label("x_api_key_header", "X-Api-Key: ", "", alnum, 32),
	}
}

// Blocks returns the armored private keys of the suite (PEM, OpenSSH, PGP;
// a service-account JSON), each in several contexts: raw lines, escaped in
// a JSON string, escaped twice, and inside a service account's JSON. The
// secret is the key's base64 body; every block's last line is short, as a
// 2048-bit PKCS#8 key's is.
func Blocks() []Case {
	var cs []Case
	for i, k := range []struct{ name, label string }{
		{"pem_rsa", "RSA PRIVATE KEY"},
		{"pem_pkcs8", "PRIVATE KEY"},
		{"pem_encrypted", "ENCRYPTED PRIVATE KEY"},
		{"pem_ec", "EC PRIVATE KEY"},
		{"openssh", "OPENSSH PRIVATE KEY"},
		{"pgp", "PGP PRIVATE KEY BLOCK"},
	} {
		body := Gen(uint64(2000+i), std64, 64*5+20)
		lines := []string{}
		for j := 0; j < len(body); j += 64 {
			lines = append(lines, body[j:min(j+64, len(body))])
		}
		block := func(nl string) (text, secret string) {
			secret = strings.Join(lines, nl)
			return "-----BEGIN " + k.label + "-----" + nl + secret + nl + "-----END " + k.label + "-----", secret
		}
		add := func(ctx, before, nl, after string) {
			b, secret := block(nl)
			cs = append(cs, Case{Name: k.name + "/" + ctx, Family: k.name, Context: ctx, Secret: secret, Text: before + b + after})
		}
		add("raw", "could not parse credentials:\n", "\n", "\n")
		add("json_escaped", `{"error":{"message":"bad key `, `\n`, `"}}`)
		add("json_escaped_twice", `{\"detail\":\"`, `\\n`, `\"}`)
		add("service_account", `{"type":"service_account","project_id":"demo-123","private_key_id":"`+Gen(uint64(2100+i), hexLow, 40)+`","private_key":"`, `\n`, `\n","client_email":"svc@demo-123.iam.gserviceaccount.com"}`)
		// A block cut by a body limit in its third line: no END line.
		b, _ := block("\n")
		cut := len("-----BEGIN "+k.label+"-----\n") + 2*65 + 20
		cs = append(cs, Case{Name: k.name + "/truncated", Family: k.name, Context: "truncated", Secret: b[cut-150 : cut], Text: "key file: " + b[:cut]})
	}
	return cs
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
	cs = append(cs, Blocks()...)
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
