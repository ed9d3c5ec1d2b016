package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/leak"
	"github.com/apierr/apierr/parse"
)

// The leak suite: credentials of every family the redactor knows, in every
// context where a server, a proxy or a user puts them, rendered through
// every output surface of the library and the command. No seven-character
// stretch of a secret may appear in any output.
//
// The secrets are fake: pseudo-random characters of the family's alphabet
// and length, generated from the case name, behind the family's public
// prefix. None is a real key.

// Alphabets of the fake secrets.
const (
	alphaNum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base64URL = alphaNum + "-_"
	base64Std = alphaNum + "+/"
	hexLower  = "0123456789abcdef"
	upperNum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// window is the length of the stretches of a secret searched for.
const window = 7

// fakeRand returns a generator seeded from seed, so that every run makes
// the same secrets.
func fakeRand(seed string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(seed))
	return rand.New(rand.NewPCG(h.Sum64(), 0x5eed))
}

// chars returns n characters of alphabet drawn from r.
func chars(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// keyFamily makes fake credentials of one kind.
type keyFamily struct {
	// name names the family in case names.
	name string
	// make returns a whole credential and its secret parts: the random
	// stretches that must not leak.
	make func(r *rand.Rand) (cred string, secret []string)
	// bare says that the credential has no prefix, so the text must say it
	// is a key (or it must look random enough on its own).
	bare bool
}

// prefixed returns a family of keys made of prefix and n characters of
// alphabet.
func prefixed(name, prefix, alphabet string, n int) keyFamily {
	return keyFamily{name: name, make: func(r *rand.Rand) (string, []string) {
		s := chars(r, alphabet, n)
		return prefix + s, []string{s}
	}}
}

// bare returns a family of keys of n characters of alphabet, no prefix.
func bare(name, alphabet string, n int) keyFamily {
	return keyFamily{name: name, bare: true, make: func(r *rand.Rand) (string, []string) {
		s := chars(r, alphabet, n)
		return s, []string{s}
	}}
}

// keyFamilies are the credentials of the suite. Lengths and alphabets follow
// the published formats of each provider.
var keyFamilies = []keyFamily{
	prefixed("openai-project", "sk-proj-", base64URL, 156),
	prefixed("openai-legacy", "sk-", alphaNum, 48),
	prefixed("openai-service-account", "sk-svcacct-", base64URL, 74),
	prefixed("openai-admin", "sk-admin-", base64URL, 74),
	{name: "anthropic", make: func(r *rand.Rand) (string, []string) {
		s := chars(r, base64URL, 93)
		return "sk-ant-api03-" + s + "AA", []string{s}
	}},
	prefixed("openrouter", "sk-or-v1-", hexLower, 64),
	prefixed("xai", "xai-", alphaNum, 80),
	prefixed("groq", "gsk_", alphaNum, 52),
	prefixed("huggingface", "hf_", alphaNum, 34),
	prefixed("replicate", "r8_", alphaNum, 37),
	prefixed("perplexity", "pplx-", alphaNum, 48),
	prefixed("nvidia", "nvapi-", base64URL, 64),
	prefixed("fireworks", "fw_", alphaNum, 24),
	prefixed("cerebras", "csk-", alphaNum, 48),
	prefixed("together-v1", "tgp_v1_", base64URL, 43),
	prefixed("google-api-key", "AIza", base64URL, 35),
	{name: "google-oauth", make: func(r *rand.Rand) (string, []string) {
		a, b := chars(r, base64URL, 120), chars(r, base64URL, 40)
		return "ya29.a0" + a + "." + b, []string{a, b}
	}},
	{name: "jwt", make: func(r *rand.Rand) (string, []string) {
		h, p, s := chars(r, base64URL, 33), chars(r, base64URL, 90), chars(r, base64URL, 43)
		return "eyJ" + h + ".eyJ" + p + "." + s, []string{h, p, s}
	}},
	prefixed("aws-access-key-id", "AKIA", upperNum, 16),
	prefixed("aws-temporary-key-id", "ASIA", upperNum, 16),
	bare("aws-secret-access-key", base64Std, 40),
	{name: "aws-session-token", make: func(r *rand.Rand) (string, []string) {
		s := chars(r, base64Std, 300)
		return "IQoJb3JpZ2luX2VjE" + s + "==", []string{s}
	}},
	{name: "aws-session-token-old", make: func(r *rand.Rand) (string, []string) {
		s := chars(r, base64Std, 200)
		return "FwoGZXIvYXdzE" + s, []string{s}
	}},
	bare("azure-openai-32hex", hexLower, 32),
	bare("azure-84", alphaNum, 84),
	bare("together-64hex", hexLower, 64),
	bare("mistral-32", alphaNum, 32),
	bare("cohere-40", alphaNum, 40),
	prefixed("github-classic", "ghp_", alphaNum, 36),
	prefixed("github-fine-grained", "github_pat_", alphaNum+"_", 82),
	bare("opaque-bearer", base64URL, 40),
}

// leakContext puts a credential into text. {KEY} stands for the credential.
type leakContext struct {
	// name names the context in case names.
	name string
	// template is the text; {KEY} is replaced by the credential.
	template string
	// edit, when set, changes the credential before it is placed (to split
	// it with an invisible character).
	edit func(cred string, secret []string) string
}

// split returns an edit that puts sep in the middle of the credential's
// longest secret part, so that both halves are long enough to leak.
func split(sep string) func(string, []string) string {
	return func(cred string, secret []string) string {
		longest := slices.MaxFunc(secret, func(a, b string) int { return len(a) - len(b) })
		i := strings.Index(cred, longest) + len(longest)/2
		return cred[:i] + sep + cred[i:]
	}
}

// leakContexts are the places a credential is found in.
var leakContexts = []leakContext{
	{name: "openai-message", template: "Incorrect API key provided: {KEY}. You can find your API key at https://platform.openai.com/account/api-keys."},
	{name: "json-string", template: `request was {"model":"gpt-4o","api_key":"{KEY}"}`},
	{name: "json-authorization", template: `forwarded headers: {"Authorization": "Bearer {KEY}", "Accept": "*/*"}`},
	{name: "escaped-newline", template: `upstream error:\n{KEY}\nend`},
	{name: "escaped-u0022", template: `config: key=\u0022{KEY}\u0022`},
	{name: "escaped-quote", template: `{\"api_key\":\"{KEY}\"}`},
	{name: "percent-equals", template: `redirect to /login?next=%2Fv1%3Fapi_key%3D{KEY}`},
	{name: "percent-bearer", template: `header=Authorization%3A%20Bearer%20{KEY}`},
	{name: "percent-space", template: `invalid%20key%20{KEY}%20rejected`},
	{name: "query-key", template: "GET https://generativelanguage.googleapis.com/v1beta/models?key={KEY}&alt=sse: 400"},
	{name: "query-api_key", template: "https://api.example.com/v1/chat?api_key={KEY}&stream=true"},
	{name: "query-access_token", template: "https://example.com/callback?access_token={KEY}&token_type=bearer"},
	{name: "query-token", template: "dial wss://realtime.example.com/v1?token={KEY}: bad handshake"},
	{name: "userinfo", template: "proxyconnect tcp: https://apiuser:{KEY}@proxy.example.com:8443/v1 refused"},
	{name: "header-bearer", template: "Authorization: Bearer {KEY}"},
	{name: "header-bearer-lower", template: "authorization: bearer {KEY}"},
	{name: "header-x-api-key", template: "x-api-key: {KEY}"},
	{name: "header-api-key", template: "api-key: {KEY}"},
	{name: "html-code", template: "<html><body><p>Invalid key <code>{KEY}</code></p></body></html>"},
	{name: "html-entity", template: "<pre>{&quot;key&quot;: &quot;{KEY}&quot;}</pre>"},
	{name: "glued", template: "env OPENAI_API_KEY_{KEY} not accepted"},
	{name: "single-quoted", template: "the token '{KEY}' has expired"},
	{name: "zero-width-space", template: "API key: {KEY} invalid", edit: split("\u200b")},
	{name: "zero-width-non-joiner", template: "API key: {KEY} invalid", edit: split("\u200c")},
	{name: "zero-width-joiner", template: "API key: {KEY} invalid", edit: split("\u200d")},
	{name: "soft-hyphen", template: "API key: {KEY} invalid", edit: split("\u00ad")},
	{name: "jwt-expired", template: "jwt expired: {KEY}"},
	{name: "basic", template: "Authorization: Basic {KEY}"},
}

// leakCase is one credential in one context.
type leakCase struct {
	// name is family/context.
	name string
	// text is the text that carries the credential.
	text string
	// secret are the stretches that must not leak.
	secret []string
	// minWindow is the length of the stretches searched for when a secret
	// part is shorter than window (a key cut by the body limit).
	minWindow int
}

// newLeakCase places family f's credential in context c.
func newLeakCase(f keyFamily, c leakContext) leakCase {
	name := f.name + "/" + c.name
	cred, secret := f.make(fakeRand(name))
	if c.edit != nil {
		cred = c.edit(cred, secret)
	}
	return leakCase{name: name, text: strings.ReplaceAll(c.template, "{KEY}", cred), secret: secret}
}

// leakCases builds the suite: every family in the OpenAI message, every
// context with three families (a prefixed key, a bare key and one more in
// turn), and keys of known prefixes cut by the body limit.
func leakCases() []leakCase {
	var cases []leakCase
	byName := map[string]keyFamily{}
	for _, f := range keyFamilies {
		byName[f.name] = f
		cases = append(cases, newLeakCase(f, leakContexts[0]))
	}
	for i, c := range leakContexts[1:] {
		other := keyFamilies[(3*i+2)%len(keyFamilies)]
		for _, f := range []keyFamily{byName["openai-project"], byName["mistral-32"], other} {
			if f.name == "openai-project" && other.name == "openai-project" {
				continue
			}
			cases = append(cases, newLeakCase(f, c))
		}
	}
	// A key cut by the body limit: the plain-text body is cut after the
	// prefix and stub characters of the key, with nothing after them.
	for _, f := range []string{"openai-project", "anthropic", "groq", "google-api-key", "google-oauth", "jwt", "aws-access-key-id", "huggingface"} {
		for _, stub := range []int{3, 5, 7} {
			name := fmt.Sprintf("%s/cut-at-limit-%d", f, stub)
			cred, secret := byName[f].make(fakeRand(name))
			i := strings.Index(cred, secret[0]) + stub // the limit falls here
			filler := strings.Repeat("upstream dump ", parse.DefaultMaxBytes/14+1)
			filler = filler[:parse.DefaultMaxBytes-i-1] + " "
			cases = append(cases, leakCase{name: name, text: filler + cred, secret: []string{secret[0][:stub]}, minWindow: stub})
		}
	}
	return cases
}

// TestLeakContextsSize pins the size and coverage of the suite.
func TestLeakContextsSize(t *testing.T) {
	cases := leakCases()
	if len(cases) < 80 {
		t.Errorf("%d leak cases, want at least 80", len(cases))
	}
	families := map[string]bool{}
	contexts := map[string]bool{}
	for _, c := range cases {
		f, ctx, _ := strings.Cut(c.name, "/")
		families[f] = true
		contexts[ctx] = true
	}
	for _, f := range keyFamilies {
		if !families[f.name] {
			t.Errorf("family %s has no case", f.name)
		}
	}
	for _, c := range leakContexts {
		if !contexts[c.name] {
			t.Errorf("context %s has no case", c.name)
		}
	}
	t.Logf("%d cases, %d families, %d contexts", len(cases), len(families), len(contexts))
}

// TestLeakContexts renders every case through every surface and fails for each
// surface that shows a stretch of a secret.
func TestLeakContexts(t *testing.T) {
	leaks := 0
	for _, c := range leakCases() {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range renderSurfaces(t, c.text) {
				if w := leaked(s.out, c); w != "" {
					leaks++
					t.Errorf("leak on %s: %q appears in\n%s", s.name, w, excerpt(s.out, w))
				}
			}
		})
	}
	if leaks > 0 {
		t.Errorf("%d leaks", leaks)
	}
}

// leaked returns a stretch of c's secret that appears in out, or "".
func leaked(out string, c leakCase) string {
	n := window
	if c.minWindow > 0 {
		n = c.minWindow
	}
	for _, s := range c.secret {
		for i := 0; i+n <= len(s); i++ {
			if w := s[i : i+n]; strings.Contains(out, w) {
				return w
			}
		}
	}
	return ""
}

// excerpt returns the text around w in out.
func excerpt(out, w string) string {
	i := strings.Index(out, w)
	return out[max(0, i-120):min(len(out), i+len(w)+120)]
}

// surface is one rendered output.
type surface struct {
	name string
	out  string
}

// renderSurfaces renders text through every output surface: the Result's
// String, Err and LogValue (slog JSON and text handlers), classify.Wrap of
// a transport error, and the command's explain (flags and curl -i input),
// classify (JSON Lines) and error messages. The text is placed in the
// message, type, code and param of a JSON error body, in a request id
// header, in a plain-text body, in a URL and in arguments.
func renderSurfaces(t *testing.T, text string) []surface {
	t.Helper()
	var out []surface
	add := func(name, s string) { out = append(out, surface{name, s}) }

	jsonBody, err := json.Marshal(map[string]any{"error": map[string]any{
		"message": text, "type": text, "code": text, "param": text,
	}})
	if err != nil {
		t.Fatal(err)
	}
	singleLine := !strings.ContainsAny(text, "\r\n")
	type response struct {
		name   string
		status int
		ctype  string
		body   string
	}
	responses := []response{
		{"json", 401, "application/json", string(jsonBody)},
		{"text", 500, "text/plain", text},
	}
	for _, resp := range responses {
		h := http.Header{"Content-Type": {resp.ctype}}
		if singleLine {
			h.Set("X-Request-Id", text)
		}
		r := classify.Classify(resp.status, h, []byte(resp.body))
		add(resp.name+" Result.String", r.String())
		add(resp.name+" Result.Err", r.Err().Error())
		var jb, tb bytes.Buffer
		slog.New(slog.NewJSONHandler(&jb, leak.LogOptions)).Error("call failed", "result", r)
		slog.New(slog.NewTextHandler(&tb, leak.LogOptions)).Error("call failed", "result", r)
		add(resp.name+" LogValue JSON", jb.String())
		add(resp.name+" LogValue text", tb.String())

		args := []string{"explain", "--status", fmt.Sprint(resp.status), "--header", "Content-Type: " + resp.ctype}
		if singleLine {
			args = append(args, "--header", "X-Request-Id: "+text)
		}
		args = append(args, "--body", resp.body)
		stdout, stderr, _ := runCLI(t, "", args...)
		add(resp.name+" explain flags", stdout+stderr)

		var curl strings.Builder
		fmt.Fprintf(&curl, "HTTP/1.1 %d Whatever\r\nContent-Type: %s\r\n", resp.status, resp.ctype)
		if singleLine {
			fmt.Fprintf(&curl, "X-Request-Id: %s\r\n", text)
		}
		curl.WriteString("\r\n" + resp.body)
		stdout, stderr, _ = runCLI(t, curl.String(), "explain")
		add(resp.name+" explain curl -i", stdout+stderr)

		line := map[string]any{"status": resp.status, "headers": map[string]string{"Content-Type": resp.ctype}, "body": resp.body}
		if singleLine {
			line["headers"].(map[string]string)["X-Request-Id"] = text
		}
		lb, _ := json.Marshal(line)
		stdout, stderr, _ = runCLI(t, string(lb)+"\n", "classify")
		add(resp.name+" classify JSONL", stdout+stderr)
	}

	// A transport error that carries the text in its URL and its cause.
	werr := classify.Wrap(&url.Error{Op: "Post", URL: "https://api.example.com/v1/chat?q=" + text, Err: errors.New(text)})
	add("classify.Wrap", werr.Error())
	var wb bytes.Buffer
	slog.New(slog.NewJSONHandler(&wb, leak.LogOptions)).Error("call failed", "err", werr, "result", classify.TransportError(werr))
	add("classify.Wrap LogValue", wb.String())

	// The command's error messages quote its input.
	cli := func(name, stdin string, args ...string) {
		stdout, stderr, _ := runCLI(t, stdin, args...)
		add("CLI "+name, stdout+stderr)
	}
	cli("invalid --header", "", "explain", "--status", "401", "--header", text)
	cli("stray argument", "", "explain", "--status", "401", text)
	cli("undefined flag", "", "explain", "--"+text)
	cli("--body @file", "", "explain", "--status", "401", "--body", "@"+filepath.Join(t.TempDir(), text))
	cli("unknown command", "", text)
	cli("help unknown command", "", "help", text)
	cli("policy unknown category", "", "policy", text)
	cli("curl -i bad status line", text+"\r\n\r\n", "explain")
	cli("curl -i bad header line", "HTTP/1.1 401\r\n"+text+"\r\n\r\n", "explain")
	hb, _ := json.Marshal(map[string]any{"headers": map[string]any{text: 1}})
	cli("classify bad header", string(hb)+"\n", "classify")
	return out
}
