package redact_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/redact"
	"github.com/apierr/apierr/internal/testkit/fixture"
	"github.com/google/go-cmp/cmp"
)

// holdsCredential lists the fixtures whose fields hold a credential and may
// be altered by redaction, with the reason. (litellm/virtual_key_not_found_401
// echoes a key elided by the server, "sk-...ITlA": four characters and an
// ellipsis, which stays as it is, so it is not listed.)
var holdsCredential = map[string]string{
	// new-api's localized "token exhausted" message echoes the relay key
	// with its middle masked, "sk-abc***xyz": the characters around the
	// mask are the key's own, so the whole key is masked ("sk-***").
	"new-api/token_exhausted_ja_401": "partly masked key sk-abc***xyz",
	"new-api/token_exhausted_ko_401": "partly masked key sk-abc***xyz",
	"new-api/token_exhausted_ru_401": "partly masked key sk-abc***xyz",
	// JamAIBase echoes the request's Authorization header and a rejected
	// provider key with their middles masked by the server ("Bearer
	// jamai***bcdef", "sk-pro***4x9Qa1"): the same rule masks them whole.
	"jamaibase/external_auth_invalid_key_401": "partly masked key sk-pro***4x9Qa1 and Bearer header",
	"jamaibase/insufficient_credits_403":      "partly masked Bearer header in request_headers",
	"jamaibase/model_overloaded_503":          "partly masked Bearer header in request_headers",
	"jamaibase/path_not_found_404":            "partly masked Bearer header in request_headers",
	// A user put a Cloudflare API token where the account id goes, and the
	// Workers AI error echoes the URL: the token is masked.
	"cloudflare-workers-ai/could_not_route_7003_404": "API token cfut_... in the echoed URL path",
	// Ollama's sign-in link for a cloud model carries the machine's
	// public key in a "key" query parameter: a value under that name is
	// masked, public or not (the redactor cannot tell).
	"ollama/cloud_model_unauthorized_signin_401": "the key= query parameter of signin_url",
	// PawanOsman's ChatGPT relay echoes the key the client sent, whole,
	// "Incorrect API key provided: sk-wrong, ...": an sk- key is masked
	// whatever follows the prefix.
	"pawan-chatgpt/incorrect_api_key_200": "the rejected key sk-wrong, echoed whole",
	// LiteLLM's expired virtual key error echoes the key in "param", with
	// its tail elided by the server but 36 of its characters left.
	"litellm/expired_virtual_key_400": "virtual key sk-1234... in param",
	// iFlytek's relayed errors start "Sid: cht000d4817@dx19f...": a value
	// after "sid", a session id's name, is masked whatever it is (a web
	// session id is a credential); the rest of the message stays.
	"iflytek-spark/10012_the_system_is_busy":      "value after Sid:",
	"iflytek-spark/10012_context_window_exceeded": "value after Sid:",
	"iflytek-spark/10012_param_invalid_chinese":   "value after Sid:",
	// Ollama's sign-in link carries the machine's public key as "key=":
	// a URL's key parameter is masked (it is an API key in Google's
	// URLs); the link's host and path stay.
	"ollama/cloud_model_unauthorized_signin_url_401": "value of the key= query parameter",
}

// TestKeepFixtures is the keep suite over every published response in
// classify/testdata/real: every field that a surface renders (the message,
// type, code, param and request id the classifier reads, the expected
// message, the raw body and every header value) comes out of redaction
// unchanged, unless the fixture is listed in holdsCredential.
func TestKeepFixtures(t *testing.T) {
	cases, err := fixture.Load()
	if err != nil {
		t.Fatal(err)
	}
	fields, altered, listed := 0, 0, 0
	for _, c := range cases {
		if _, ok := holdsCredential[c.Name]; ok {
			listed++
			if redact.String(c.Want.Message) == c.Want.Message && redact.String(c.Body) == c.Body {
				t.Errorf("%s is listed as holding a credential, but neither its message nor its body is redacted", c.Name)
			}
			continue
		}
		r := classify.Classify(c.Status, c.Header(), []byte(c.Body))
		check := map[string]string{
			"message": r.Message, "type": r.Type, "code": r.Code, "param": r.Param,
			"request id": r.RequestID, "want.message": c.Want.Message, "body": c.Body,
		}
		for k, v := range c.Headers {
			check["header "+k] = v
		}
		for field, v := range check {
			fields++
			got := redact.String(v)
			if len(v) > redact.MaxLen {
				// Cut at MaxLen by design: what is kept must be unchanged.
				got = strings.TrimSuffix(got, redact.CutMark)
				v = v[:min(len(v), len(got))]
			}
			if diff := cmp.Diff(v, got); diff != "" {
				altered++
				t.Errorf("%s (%s): %s altered (-want +got):\n%s", c.Name, c.Source, field, diff)
			}
		}
	}
	t.Logf("%d fixtures (%d listed as holding a credential), %d fields: %d altered", len(cases), listed, fields, altered)
}

// keepMessage is one ordinary provider message of testdata/keep.json with
// where it was published.
type keepMessage struct {
	Text   string `json:"text"`
	Source string `json:"source"`
}

// TestKeepMessages is the keep suite of ordinary provider messages that
// name models, request, message and tool ids, account ids, CloudFront ids
// and URLs: each comes out of redaction unchanged. The messages are real:
// from issue threads (cited) and from the published fixtures (cited by
// their source and fixture name).
func TestKeepMessages(t *testing.T) {
	data, err := os.ReadFile("testdata/keep.json")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []keepMessage
	if err := json.Unmarshal(data, &msgs); err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 150 {
		t.Fatalf("the keep suite has %d messages, want at least 150", len(msgs))
	}
	altered := 0
	for _, m := range msgs {
		if m.Source == "" {
			t.Errorf("%q has no source", m.Text)
		}
		if diff := cmp.Diff(m.Text, redact.String(m.Text)); diff != "" {
			altered++
			t.Errorf("%s: altered (-want +got):\n%s", m.Source, diff)
		}
	}
	t.Logf("%d messages: %d altered", len(msgs), altered)
}
