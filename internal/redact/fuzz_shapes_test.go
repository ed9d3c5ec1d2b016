package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// randomOf returns n characters of alphabet drawn from seed.
func randomOf(seed uint64, alphabet string, n int) string {
	r := rand.New(rand.NewPCG(seed, 18))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// survives returns the first fzWindow-character stretch of secret that out
// holds and known (the text the fuzzer wrote around it) does not, or "".
func survives(secret, out, known string) string {
	for i := 0; i+fzWindow <= len(secret); i++ {
		if w := secret[i : i+fzWindow]; strings.Contains(out, w) && !strings.Contains(known, w) {
			return w
		}
	}
	return ""
}

// armorLabels are the private key blocks FuzzArmor plants.
var armorLabels = []string{"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK", "DSA PRIVATE KEY"}

// newlines are the ways a block's lines are separated: raw, escaped once
// (JSON), escaped twice, CRLF and escaped CRLF.
var newlines = []string{"\n", `\n`, `\\n`, "\r\n", `\r\n`}

// FuzzArmor plants an armored private key (fuzzed label, line width, last
// line length, line separator, truncation) between fuzzed text and checks
// that no stretch of its base64 body survives: the block is masked whole,
// short last line included, also when a limit cut it before its END line.
func FuzzArmor(f *testing.F) {
	f.Add("bad key ", "", uint8(0), uint8(64), uint16(20), uint8(0), uint16(0), uint64(1))
	f.Add(`{"private_key":"`, `\n","client_email":"x"}`, uint8(0), uint8(64), uint16(1620), uint8(1), uint16(0), uint64(2))
	f.Add(`{\"detail\":\"`, `\"}`, uint8(5), uint8(70), uint16(300), uint8(2), uint16(150), uint64(3))
	f.Fuzz(func(t *testing.T, before, after string, label, width uint8, size uint16, nl uint8, cut uint16, seed uint64) {
		lab := armorLabels[int(label)%len(armorLabels)]
		w := 16 + int(width)%64
		body := randomOf(seed, fzStd, 16+int(size)%2048)
		sep := newlines[int(nl)%len(newlines)]
		var lines []string
		for i := 0; i < len(body); i += w {
			lines = append(lines, body[i:min(i+w, len(body))])
		}
		secret := strings.Join(lines, sep)
		block := "-----BEGIN " + lab + "-----" + sep + secret + sep + "-----END " + lab + "-----"
		text := before + block + after
		if cut > 0 {
			// A body limit cut the block inside its base64.
			n := len(before) + len("-----BEGIN "+lab+"-----"+sep) + 1 + int(cut)%len(secret)
			text = text[:n]
			secret = secret[:n-len(before)-len("-----BEGIN "+lab+"-----"+sep)]
		}
		out := String(text)
		if w := survives(strings.ReplaceAll(secret, sep, ""), strings.ReplaceAll(out, sep, ""), before+"\x00"+after); w != "" {
			t.Fatalf("%q of the key survives\nin:  %q\nout: %q", w, text, out)
		}
	})
}

// headerNames are the headers FuzzHeaders echoes, as text and in JSON.
var headerNames = []string{"Authorization: ", "authorization: ", "Proxy-Authorization: ", `"Authorization": "`, `\"authorization\":\"`, "Authorization%3A%20"}

// FuzzHeaders echoes an Authorization header with a fuzzed scheme (any
// word: Bearer, Token, Bot, Basic or one the fuzzer makes up) and a random
// credential, or a Cookie header with a fuzzed cookie name, between fuzzed
// text, and checks that no stretch of the credential survives.
func FuzzHeaders(f *testing.F) {
	f.Add("proxy said: ", "\r\nHost: x", uint8(0), "Bearer", uint64(1), false)
	f.Add(`{"headers":{`, `"}}`, uint8(3), "Token", uint64(2), false)
	f.Add("echo ", "; Path=/", uint8(0), "session_id", uint64(3), true)
	f.Fuzz(func(t *testing.T, before, after string, name uint8, word string, seed uint64, cookie bool) {
		if !plainScheme(word) {
			return
		}
		secret := randomOf(seed, fzURL, 40)
		var text string
		if cookie {
			text = before + "Cookie: theme=dark; " + word + "=" + secret + after
		} else {
			text = before + headerNames[int(name)%len(headerNames)] + word + " " + secret + after
		}
		out := String(text)
		if w := survives(secret, out, before+"\x00"+after+"\x00"+word); w != "" {
			t.Fatalf("%q of the credential survives\nin:  %q\nout: %q", w, text, out)
		}
	})
}

// plainScheme reports whether w can stand as an authorization scheme or a
// cookie name: one to twenty letters, digits, '-' or '_', starting with a
// letter.
func plainScheme(w string) bool {
	if len(w) == 0 || len(w) > 20 || !(w[0]|0x20 >= 'a' && w[0]|0x20 <= 'z') {
		return false
	}
	for i := 0; i < len(w); i++ {
		if class[w[i]]&cKey == 0 {
			return false
		}
	}
	return true
}

// credentialNames name credentials in fields, headers and parameters.
var credentialNames = []string{"api_key", "apiKey", "x-api-key", "access_token", "refresh_token", "client_secret", "password", "db_pass", "secret", "private_key", "AccountKey", "SharedAccessKey", "sig", "token", "auth_token", "OPENAI_API_KEY", "x-goog-api-key", "session"}

// assignments are the ways a value is assigned to a name.
var assignments = [][2]string{{"=", ""}, {": ", ""}, {`": "`, `"`}, {`\":\"`, `\"`}, {"%3D", "%26"}, {"='", "'"}, {" = ", ";"}, {"=\u0022", "\u0022"}}

// FuzzFields assigns a random credential to a credential-named field in a
// fuzzed style between fuzzed text and checks that no stretch of it
// survives, and that the same value assigned to an ordinary name ("model",
// "id") is kept when it is shaped like an identifier.
func FuzzFields(f *testing.F) {
	f.Add("config ", " rejected", uint8(0), uint8(0), uint64(1), uint8(12))
	f.Add(`{"`, `}`, uint8(5), uint8(2), uint64(2), uint8(30))
	f.Fuzz(func(t *testing.T, before, after string, name, assign uint8, seed uint64, n uint8) {
		nm := credentialNames[int(name)%len(credentialNames)]
		as := assignments[int(assign)%len(assignments)]
		secret := randomOf(seed, fzAlnum, 8+int(n)%60)
		if !mixed(secret) {
			return
		}
		text := before + nm + as[0] + secret + as[1] + after
		out := String(text)
		if w := survives(secret, out, before+"\x00"+after); w != "" {
			t.Fatalf("%q of the value of %s survives\nin:  %q\nout: %q", w, nm, text, out)
		}
		model := "claude-3-5-sonnet-20241022"
		if in := "model" + as[0] + model + as[1]; !strings.Contains(String(in), model) {
			t.Fatalf("the model name is masked: %q -> %q", in, String(in))
		}
	})
}

// FuzzShapes checks the shape recognisers on arbitrary input: no panic,
// GitHub's checksum agrees with its definition, a bot token and a
// Telegram token lie within the text, a field name's kind is the same
// whatever precedes the name's last nameMax bytes.
func FuzzShapes(f *testing.F) {
	f.Add("ghp_" + randomOf(1, fzAlnum, 30) + githubCRC(randomOf(1, fzAlnum, 30)))
	f.Add("MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs")
	f.Add("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
	f.Add("x-api-key")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) >= 36 {
			body := s[len(s)-36:]
			if githubChecksum(body) != (body[30:] == githubCRC(body[:30])) {
				t.Fatalf("githubChecksum(%q) disagrees with its definition", body)
			}
		}
		if st, e := botToken(s, 0, wordEnd(s, 0)); e >= 0 && (st < 0 || e > len(s) || st > e) {
			t.Fatalf("botToken(%q) = %d, %d", s, st, e)
		}
		for i := 0; i < len(s) && i < 64; i++ {
			if s[i] == ':' {
				if st, e := telegram(s, i, 0); e >= 0 && (st > i || e > len(s)) {
					t.Fatalf("telegram(%q, %d) = %d, %d", s, i, st, e)
				}
			}
		}
		w := wordEnd(s, 0)
		if k := nameKind(s, max(0, w-nameMax), w); k != nameKind("prefix-"+s, max(7, 7+w-nameMax), 7+w) {
			t.Fatalf("nameKind of %q depends on what precedes it", s[:w])
		}
		_ = identifier(s)
		_ = labelled(s, len(s), 0)
	})
}
