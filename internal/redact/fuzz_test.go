package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apierr/apierr/internal/testkit/leak"
)

func FuzzString(f *testing.F) {
	for _, tc := range cases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := String(in)
		again := String(out)
		// A second pass only masks: what it keeps stands in out. It masks
		// nothing new unless a key word's window, whose tokens the first
		// pass shortened, now reaches a further token.
		for _, part := range strings.Split(again, mask) {
			if !strings.Contains(out, part) {
				t.Errorf("a second pass wrote %q, which is not in the first's output\nin:    %q\nout:   %q\nagain: %q", part, in, out, again)
			}
		}
		if again != out && !hasKeyword(out) {
			t.Errorf("not idempotent on text without a key word:\nin:    %q\nout:   %q\nagain: %q", in, out, again)
		}
		if !utf8.ValidString(out) || len(out) > MaxLen {
			t.Errorf("output of %d bytes, valid UTF-8 %v, for input %q", len(out), utf8.ValidString(out), in)
		}
		if n := longestSKBody(out); n >= 20 {
			t.Errorf("output %q keeps %d key characters after \"sk-\" (input %q)", out, n, in)
		}
		// Every replacement writes its own "***" and grows the text by at
		// most two bytes.
		if limit := len(in) + 2*strings.Count(out, mask); utf8.ValidString(in) && len(in) <= MaxLen && !strings.HasSuffix(out, CutMark) && len(out) > limit {
			t.Errorf("output %q is %d bytes, more than %d for input %q", out, len(out), limit, in)
		}
		if !strings.Contains(out, mask) && out != in && utf8.ValidString(in) && len(in) <= MaxLen {
			t.Errorf("output %q changed input %q without masking anything", out, in)
		}
	})
}

// hasKeyword reports whether s holds one of the key words, in any case,
// as the redactor reads field names: with '-', '_' and '.' skipped
// ("k.eY" is "key").
func hasKeyword(s string) bool {
	l := strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(s))
	for _, k := range [...]string{"key", "token", "secret", "passw", "pwd", "pass", "auth", "credential", "sig", "sid", "cookie", "session"} {
		if strings.Contains(l, k) {
			return true
		}
	}
	return false
}

// longestSKBody returns the longest run of key characters that directly
// follows an "sk-" at a token boundary in s, up to five dashes (which end
// every run the redactor reads, as an armor line's do).
func longestSKBody(s string) int {
	longest := 0
	for i := 0; ; {
		j := strings.Index(s[i:], "sk-")
		if j < 0 {
			return longest
		}
		i += j
		if i == 0 || class[s[i-1]]&cKey == 0 {
			n := 0
			for k := i + 3; k < len(s) && class[s[k]]&cKey != 0 && !dashes(s, k); k++ {
				n++
			}
			longest = max(longest, n)
		}
		i += 3
	}
}

// FuzzPlanted plants a fake secret of a fuzz-chosen family (with the label
// that names it, for families recognised only where the text says they are
// credentials) between fuzz-chosen text, and checks the property the package
// promises: no piece of the secret, leak.Window characters long, is in the
// output, unless the surrounding text itself holds that piece.
func FuzzPlanted(f *testing.F) {
	fams := leak.Families()
	f.Add("Incorrect API key provided: ", ". You can find your API key at https://x.", uint8(0), uint64(1))
	f.Add(`{"error":{"message":"`, `"}}`, uint8(5), uint64(2))
	f.Add(`\n`, `\u0022`, uint8(17), uint64(3))
	f.Add("OPENAI_API_KEY_", "_x", uint8(1), uint64(4))
	f.Add("%3D", "%26", uint8(3), uint64(5))
	f.Add("", "", uint8(20), uint64(6))
	f.Fuzz(func(t *testing.T, before, after string, family uint8, seed uint64) {
		fam := fams[int(family)%len(fams)]
		secret := fam.Make(seed)
		text := before + fam.Label + secret + fam.Suffix + after
		out := String(text)
		c := leak.Case{Secret: secret, Keep: fam.Keep}
		piece := c.Found(out)
		if piece == "" {
			return
		}
		// The fuzzer may have written the piece itself, or text that makes
		// the secret part of a longer word the redactor reads differently
		// (a label glued into another word); only a piece that the
		// surrounding text does not explain is a leak.
		if strings.Contains(before+fam.Label, piece) || strings.Contains(fam.Suffix+after, piece) {
			return
		}
		// The documented limits: an unprefixed random run that the text
		// labels as an id or a hash ("Request ID: ...") is kept, and so
		// is one glued into base64 of structured bytes ("AAAA" and '+'
		// or '/' around it).
		// ('=' is base64's padding, at a run's end: "id=" ends a label.)
		run := len(before) // where the run that holds the secret starts
		for run > 0 && class[text[run-1]]&(cKey|cB64) != 0 && text[run-1] != '=' {
			run--
		}
		end := len(before) + len(fam.Label) + len(secret) // where it ends
		for end < len(text) && class[text[end]]&(cKey|cB64) != 0 {
			end++
		}
		structured := strings.Contains(text[run:end], "AAAA") && strings.ContainsAny(text[run:end], "+/")
		// The documented limit on dashes: five in a row end every run, so
		// a secret that ends in '-' before text starting with four more
		// is read as cut there, and a glued prefix's body may then be too
		// short.
		secretStart := len(before) + len(fam.Label)
		for k := secretStart; k < secretStart+len(secret); k++ {
			if dashes(text, k) && k+5 > secretStart+len(secret) {
				return
			}
		}
		// The label is looked for as the redactor sees the text: with
		// each run of invalid bytes made one U+FFFD, which moves a label
		// 40 bytes back into its window.
		valid := strings.ToValidUTF8(text[:run], "\uFFFD")
		// The documented limit on ids: an unprefixed secret glued to an
		// id's prefix ("rs_" and the key, "+rs_" too) is read as that id
		// and kept.
		glued := false
		for k := run; k < len(before) && !glued; k++ {
			glued = idPrefixed(text[k:end])
		}
		if fam.Label == "" && fam.Keep == "" && (labelled(valid+text[run:], len(valid), 0) || structured || glued ||
			strings.Contains(before, "AAAA") || strings.Contains(after, "AAAA")) {
			return
		}
		t.Errorf("family %s: %q leaks\nin:  %q\nout: %q", fam.Name, piece, text, out)
	})
}

// Alphabets of the planted secrets.
const (
	fzAlnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	fzURL    = fzAlnum + "-_"
	fzStd    = fzAlnum + "+/"
	fzHex    = "0123456789abcdef"
	fzUpNum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	fzWindow = 7
)

// plantFamilies are the kinds of secret FuzzPlanted plants: a public prefix
// kept in the output, then random characters of an alphabet. bare families
// have no prefix and are planted after a key word.
var plantFamilies = []struct {
	prefix, alphabet string
	n                int
	bare             bool
}{
	{"sk-proj-", fzURL, 156, false},
	{"sk-", fzAlnum, 48, false},
	{"sk-ant-api03-", fzURL, 93, false},
	{"sk-svcacct-", fzURL, 74, false},
	{"sk-or-v1-", fzHex, 64, false},
	{"xai-", fzAlnum, 80, false},
	{"gsk_", fzAlnum, 52, false},
	{"hf_", fzAlnum, 34, false},
	{"r8_", fzAlnum, 37, false},
	{"pplx-", fzAlnum, 48, false},
	{"nvapi-", fzURL, 64, false},
	{"AIza", fzURL, 35, false},
	{"ya29.a0", fzURL, 150, false},
	{"eyJ", fzURL, 120, false},
	{"AKIA", fzUpNum, 16, false},
	{"ASIA", fzUpNum, 16, false},
	{"IQoJb3JpZ2luX2VjE", fzStd, 300, false},
	{"FwoGZXIvYXdzE", fzStd, 200, false},
	{"ghp_", fzAlnum, 36, false},
	{"github_pat_", fzAlnum, 82, false},
	{"", fzStd, 40, true},   // AWS secret access key
	{"", fzHex, 32, true},   // Azure OpenAI key
	{"", fzAlnum, 84, true}, // Azure 84-character key
	{"", fzHex, 64, true},   // Together key
	{"", fzAlnum, 32, true}, // Mistral key
	{"", fzAlnum, 40, true}, // Cohere key
	{"", fzURL, 40, true},   // opaque bearer token
}

// plantContexts surround a bare secret: each says it is a credential.
var plantContexts = []struct{ before, after string }{
	// The first contexts say that the secret is a credential.
	{"Incorrect API key provided: ", "."},
	{"x-api-key: ", ""},
	{"api-key:", ""},
	{"Authorization: Bearer ", ""},
	{`{"Authorization": "Bearer `, `"}`},
	{"?api_key=", "&x=1"},
	{"key%3D", "%26"},
	{`\"token\":\"`, `\"`},
	{"https://user:", "@host/"},
	{"aws_secret_access_key=", ""},
	{"password: ", ""},
	// The last ones do not: they are only for prefixed families.
	{"<code>", "</code>"},
	{"", ""},
}

// keyedContexts is how many of plantContexts say that the secret is a
// credential.
const keyedContexts = 11

// invisibles can split a planted secret.
var invisibles = []string{"", "\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff", `\u200b`, "&shy;"}

// FuzzPlantedContexts plants a secret of every family, made of pseudo-random
// characters from the fuzzed seed, in fuzzed text and checks that no
// fzWindow-character stretch of the secret's random part survives. The
// secret is a word of its own (spaces around it), optionally in a context
// that says it is a key, optionally split by an invisible character, or cut
// after a few characters at the end of the text as a body limit cuts it.
func FuzzPlantedContexts(f *testing.F) {
	f.Add("Incorrect API key provided:", ". You can find your API key at https://platform.openai.com.", uint8(0), uint8(0), uint64(1), uint16(0), uint8(0))
	f.Add(`{"error":{"message":"`, `"}}`, uint8(20), uint8(4), uint64(2), uint16(7), uint8(1))
	f.Add("jwt expired:", "", uint8(13), uint8(12), uint64(3), uint16(0), uint8(5))
	f.Add("key=", "sk-", uint8(14), uint8(6), uint64(4), uint16(3), uint8(8))
	f.Fuzz(func(t *testing.T, before, after string, fam, ctx uint8, seed uint64, at uint16, mode uint8) {
		fm := plantFamilies[int(fam)%len(plantFamilies)]
		c := plantContexts[int(ctx)%len(plantContexts)]
		if fm.bare {
			c = plantContexts[int(ctx)%keyedContexts]
		}
		r := rand.New(rand.NewPCG(seed, uint64(fam)))
		b := make([]byte, fm.n)
		for i := range b {
			b[i] = fm.alphabet[r.IntN(len(fm.alphabet))]
		}
		secret := string(b)
		window := fzWindow
		var text string
		if cut := int(mode % 8); mode >= 0xF0 && !fm.bare {
			// A key cut after 3 to 7 characters at the end of the text.
			window = 3 + cut%5
			secret = secret[:window]
			text = before + " " + fm.prefix + secret
		} else {
			planted := secret
			if inv := invisibles[int(mode)%len(invisibles)]; inv != "" {
				i := int(at) % (len(secret) + 1)
				planted = secret[:i] + inv + secret[i:]
			}
			if strings.Contains(c.before, "://") {
				// A password in a URL has its slashes percent-encoded.
				planted = strings.ReplaceAll(planted, "/", "%2F")
			}
			text = before + " " + c.before + fm.prefix + planted + c.after + " " + after
		}
		out := String(text)
		known := before + "\x00" + after + "\x00" + c.before + "\x00" + c.after + "\x00" + fm.prefix + "\x00" + mask
		for i := 0; i+window <= len(secret); i++ {
			w := secret[i : i+window]
			if strings.Contains(out, w) && !strings.Contains(known, w) {
				t.Fatalf("%q of the secret survives:\nin:  %q\nout: %q", w, text, out)
			}
		}
	})
}

// TestPlantedContexts runs FuzzPlantedContexts' property over every family,
// context and splitting character, and over stubs of 3 to 7 characters cut
// at the end of the text, with a few seeds: the fuzz target explores the
// text around them, this test pins every combination.
func TestPlantedContexts(t *testing.T) {
	for fi, fm := range plantFamilies {
		for ci, c := range plantContexts {
			if fm.bare && ci >= keyedContexts {
				continue
			}
			for mode := range len(invisibles) + 5 {
				for seed := range uint64(3) {
					r := rand.New(rand.NewPCG(seed, uint64(fi)))
					b := make([]byte, fm.n)
					for i := range b {
						b[i] = fm.alphabet[r.IntN(len(fm.alphabet))]
					}
					secret, window, text := string(b), fzWindow, ""
					if mode >= len(invisibles) {
						if fm.bare {
							continue
						}
						window = 3 + mode - len(invisibles)
						secret = secret[:window]
						text = "x " + fm.prefix + secret
					} else {
						planted := secret
						if inv := invisibles[mode]; inv != "" {
							i := int(seed*37) % (len(secret) + 1)
							planted = secret[:i] + inv + secret[i:]
						}
						if strings.Contains(c.before, "://") {
							planted = strings.ReplaceAll(planted, "/", "%2F")
						}
						text = "x " + c.before + fm.prefix + planted + c.after + " y"
					}
					out := String(text)
					known := c.before + "\x00" + c.after + "\x00" + fm.prefix + "\x00" + mask
					for i := 0; i+window <= len(secret); i++ {
						if w := secret[i : i+window]; strings.Contains(out, w) && !strings.Contains(known, w) {
							t.Errorf("%q of the secret survives:\nin:  %q\nout: %q", w, text, out)
							break
						}
					}
				}
			}
		}
	}
}
