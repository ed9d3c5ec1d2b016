package redact

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

// Realistic error messages used by several tests and benchmarks.
const (
	openAIMessage = "Incorrect API key provided: sk-proj-abc***************************************xyz1. You can find your API key at https://platform.openai.com/account/api-keys."
	xAIMessage    = "Incorrect API key provided: xa***5X. You can obtain an API key from https://console.x.ai."
	cleanMessage  = "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29812, Requested 1042. Please try again in 1.708s. Visit https://platform.openai.com/account/rate-limits to learn more."
)

// cases is shared with FuzzString as its seed corpus.
var cases = []struct {
	name string
	in   string
	want string
}{
	// Nothing to redact.
	{name: "empty", in: "", want: ""},
	{name: "clean message", in: cleanMessage, want: cleanMessage},
	{name: "near misses", in: "task-1234567890 disk-full sketch- ask-me risk-free mask-abcdefgh", want: "task-1234567890 disk-full sketch- ask-me risk-free mask-abcdefgh"},
	// A word that ends in "sk" before a long id of lower-case words
	// (EvoLink's task id) is no key; a mixed-case or unbroken hex body
	// glued to a word is one.
	{name: "task id with words", in: `{"id":"task-unified-1772618027-cmeisy8h"}`, want: `{"id":"task-unified-1772618027-cmeisy8h"}`},
	{name: "mixed-case key glued to a word", in: "mytokensk-proj-BA0L5Al1oWhAKo7jxuIGcNsf31rnKE6t", want: "***"},
	{name: "hex key glued to a word", in: "keysk-9f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d", want: "keysk-***"},
	{name: "sk- alone", in: "prefix sk- then", want: "prefix sk- then"},
	// "Not Pass" is a check that failed (Volcengine's visual API), not a
	// password's label; a pass after any other word still is one.
	{name: "not pass is a verb", in: "Pre Img Risk Not Pass: Copyright", want: "Pre Img Risk Not Pass: Copyright"},
	{name: "db pass is a label", in: "config db pass: Copyright9x", want: "config db pass: ***"},
	{name: "sk- too short", in: "sk-x sk-ab sk-abc.", want: "sk-x sk-ab sk-abc."},
	{name: "sk_ underscore is not a key", in: "sk_abcdefgh", want: "sk_abcdefgh"},
	{name: "preceded by key character", in: "xsk-abcd1234 _sk-abcd1234 -sk-abcd1234 9sk-abcd1234", want: "xsk-abcd1234 _sk-abcd1234 -sk-abcd1234 9sk-abcd1234"},
	{name: "sub-prefix with too short body", in: "sk-proj-ab sk-ant-x!", want: "sk-proj-ab sk-ant-x!"},

	// OpenAI-style keys.
	{name: "plain sk", in: "sk-abc123DEF456ghi789", want: "sk-***"},
	{name: "sk minimum body", in: "sk-abcd", want: "sk-***"},
	{name: "sk-proj", in: "key sk-proj-AbC123_dEf456-GhI789 rejected", want: "key sk-proj-*** rejected"},
	{name: "sk-ant", in: "x-api-key: sk-ant-api03-XYZabc123-def456_ghi-AA", want: "x-api-key: sk-ant-***"},
	{name: "sk-svcacct", in: "sk-svcacct-AbCdEf0123456789", want: "sk-svcacct-***"},
	{name: "sk-admin", in: "sk-admin-AbCdEf0123456789", want: "sk-admin-***"},
	{name: "sk-project is not a sub-prefix", in: "sk-project-abc", want: "sk-***"},
	{name: "server-masked sk-proj", in: "sk-proj-********************************wxyz", want: "sk-proj-***"},
	{name: "server-masked sk with dots", in: "sk-abc12***...***wxyz", want: "sk-***"},
	{name: "short prefix before server mask", in: "sk-ab****wxyz", want: "sk-***"},
	{name: "OpenAI incorrect key message", in: openAIMessage, want: "Incorrect API key provided: sk-proj-***. You can find your API key at https://platform.openai.com/account/api-keys."},
	{name: "xAI message is already masked", in: xAIMessage, want: xAIMessage},
	{name: "sentence full stop kept", in: "provided: sk-abc123def456. You can", want: "provided: sk-***. You can"},
	{name: "ellipsis kept", in: "key sk-abc123def456...", want: "key sk-***..."},
	{name: "bearer prefix elided in prose", in: "Include 'Authorization: Bearer origin_sk_...' header.", want: "Include 'Authorization: Bearer origin_sk_...' header."},
	{name: "bearer key cut short by dots", in: "Authorization: Bearer Xk29fjq8Lm3PzQ7w...", want: "Authorization: Bearer ***..."},
	{name: "inner dots are part of the key", in: "sk-abcd.efgh.ijkl!", want: "sk-***!"},
	{name: "JSON body", in: `{"error":{"message":"Incorrect API key provided: sk-abc***wxyz","type":"invalid_request_error","code":"invalid_api_key"}}`, want: `{"error":{"message":"Incorrect API key provided: sk-***","type":"invalid_request_error","code":"invalid_api_key"}}`},
	{name: "punctuation boundaries", in: `key=sk-abcd1234&x=1 (sk-abcd1234) "sk-abcd1234" 'sk-abcd1234', /sk-abcd1234`, want: `key=sk-***&x=1 (sk-***) "sk-***" 'sk-***', /sk-***`},
	{name: "multiple keys", in: "tried sk-proj-AAAA1111, sk-ant-api03-BBBB2222 and gsk_CCCC3333DDDD4444; all failed", want: "tried sk-proj-***, sk-ant-*** and gsk_***; all failed"},
	{name: "already redacted", in: "sk-*** sk-proj-*** sk-ant-***. xai-*** AKIA*** Bearer *** Basic ***", want: "sk-*** sk-proj-*** sk-ant-***. xai-*** AKIA*** Bearer *** Basic ***"},

	// Other providers.
	{name: "xai", in: "xai-AbCdEfGh12345678", want: "xai-***"},
	{name: "groq", in: "gsk_AbCdEfGh12345678", want: "gsk_***"},
	{name: "hugging face", in: "token hf_AbCdEfGhIjKlMnOp is invalid", want: "token hf_*** is invalid"},
	{name: "replicate", in: "r8_AbCdEfGh12345678", want: "r8_***"},
	{name: "perplexity", in: "pplx-AbCdEfGh12345678", want: "pplx-***"},
	{name: "fireworks", in: "fw_AbCdEfGh12345678", want: "fw_***"},
	{name: "nvidia", in: "nvapi-AbCdEfGh-12345678", want: "nvapi-***"},
	{name: "cerebras", in: "csk-AbCdEfGh12345678", want: "csk-***"},
	{name: "together", in: "tgp_v1_AbCdEfGh12345678", want: "tgp_v1_***"},
	{name: "provider prefix minimum body", in: "xai-abcdefgh", want: "xai-***"},
	{name: "provider prefix body too short", in: "xai-abcdefg hf_abc r8_1234567 fw_model.json", want: "xai-abcdefg hf_abc r8_1234567 fw_model.json"},
	{name: "provider prefix server-masked", in: "gsk_ab***...***yz", want: "gsk_***"},
	{name: "google", in: "https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSyA1234567890abcdefghijklmnopqrstuv&alt=sse", want: "https://generativelanguage.googleapis.com/v1beta/models?key=AIza***&alt=sse"},
	{name: "aws akia", in: "access key AKIAIOSFODNN7EXAMPLE denied", want: "access key AKIA*** denied"},
	{name: "aws asia", in: "ASIAIOSFODNN7EXAMPLE", want: "ASIA***"},
	{name: "aws near misses", in: "AKIAiosfodnn7example ASIA-PACIFIC AKIA-1234", want: "AKIAiosfodnn7example ASIA-PACIFIC AKIA-1234"},
	{name: "aws key id cut short", in: "id AKIAIOSFODNN7EXAMPL was", want: "id AKIA*** was"},

	// Authorization credentials.
	{name: "bearer header value", in: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl-_x", want: "Bearer eyJ***"},
	{name: "bearer with key", in: "Authorization: Bearer sk-proj-AbC123dEf456", want: "Authorization: Bearer ***"},
	{name: "bearer case-insensitive", in: "authorization: bearer abc123 / BEARER Tok3n", want: "authorization: bearer *** / BEARER ***"},
	{name: "bearer tab and sentence end", in: "sent Bearer\tabc.def.ghi1. Retry", want: "sent Bearer\t***. Retry"},
	{name: "basic", in: "Authorization: Basic dXNlcjpwYXNzd29yZA==", want: "Authorization: Basic ***"},
	{name: "bearer with ordinary word", in: "You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", want: "You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."},
	{name: "basic with ordinary word", in: "Basic authentication is not supported. Bearer token required.", want: "Basic authentication is not supported. Bearer token required."},
	{name: "www-authenticate parameters", in: `Bearer realm="api", error="invalid_token", error_description="The access token expired"`, want: `Bearer realm="api", error="invalid_token", error_description="The access token expired"`},
	{name: "unquoted auth parameter", in: "Bearer error=invalid_token", want: "Bearer error=invalid_token"},
	{name: "scheme without credential", in: "Bearer", want: "Bearer"},
	{name: "scheme glued to word", in: "Bearerabc123 Basic-abc123 bearer, abc123", want: "Bearerabc123 Basic-abc123 bearer, abc123"},

	// Gaps found by TestPlantedContexts (made-up values).
	{name: "named key without digits", in: "Incorrect API key provided: rxnfAdTchIhJCaBgzROtkgdoVqjCtaSm.", want: "Incorrect API key provided: ***."},
	{name: "percent-encoded base64 in a named URL password", in: "keY https://user:IQoJb3JpZ2luX2VjEsvzkP777%2F48JFTz4ChHTc4ERJe%2FDq2isePMQPlsCwCAnF%2BaTuCrnWdq%3D%3D@host/", want: "keY https://***@host/"},
	// A name that is itself a credential is masked with its value: the
	// scan resumes after the value, so the name is looked at too (found
	// by FuzzPlanted in CI: a random key that happens to end in "keY").
	{name: "key glued to a digit and ending in a name word", in: "0sk-proj-BA0L5Al1oWh-AKo7jxuIGcNsf31rnKE6tcXM1BY8GHjyB4eWz60l4QPvvMSSU_8biszrp7hH1zODT-Vd5hXyJx5ucAo-CLu4BQyRBTbSlLvWs7ameiXSvEC7iefwwTdEF4tWwAVWSTsyqzjVNk9_EWfxGsoWkeY=0000000A", want: "***"},
	{name: "random run ending in a name word", in: "AKo7jxuIGcNsf31rnKE6tcXM1BY8GHjyB4eWz60lToken=hunter22 ok", want: "*** ok"},
	{name: "ordinary long name kept", in: "x-provider-specific-api-key=hunter22", want: "x-provider-specific-api-key=***"},
	// A key glued to an armored block ends at the armor's dashes, so the
	// block is still found (found by FuzzArmor: "EAAA*" swallowed
	// "-----BEGIN" and the key's body was kept).
	{name: "partly masked key glued to armor", in: "EAAA*-----BEGIN PRIVATE KEY-----\nSd9qD6cZmuRbmP", want: "EAAA***-----BEGIN PRIVATE KEY-----***"},
	{name: "key glued to armor", in: "sk-abc123def456-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", want: "sk-***-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----"},
	// Camel-case words are an identifier near a key word; alternating
	// case is not (Apigee's error codes: docs.apigee.com, verify-api-key
	// runtime errors).
	{name: "camel-case error code after a key word", in: "Invalid ApiKey oauth.v2.InvalidApiKey", want: "Invalid ApiKey oauth.v2.InvalidApiKey"},
	{name: "acronym in a camel-case code", in: "API Key: see steps.oauth.v2.FailedToResolveAPIKey", want: "API Key: see steps.oauth.v2.FailedToResolveAPIKey"},
	{name: "alternating case is not camel case", in: "api key v2.AbCdEfGhIjKlMnOpQr", want: "api key ***"},
	// Writer's error objects name their kind in a "key" member
	// (dev.writer.com/api-reference/error-codes): short lower-case words
	// joined by dots are a code; a value with digits or capitals, or one
	// long run, is still a key.
	{name: "dotted code in a key member", in: `{"description":"Unable to find token","key":"fail.auth.generic"}`, want: `{"description":"Unable to find token","key":"fail.auth.generic"}`},
	{name: "i18n key after a key word", in: "api_key: openapi_error.api_key_not_exist", want: "api_key: openapi_error.api_key_not_exist"},
	{name: "dotted value with digits in a key member", in: `{"key":"fail.a1th.generic"}`, want: `{"key":"***"}`},
	// A prefixed key masked before a tail that is not the key's stays as
	// the first pass left it (FuzzString found a second pass masking the
	// tail); a key masked in part with its own characters around the
	// mask is still masked whole.
	{name: "masked key before a base64 tail", in: `keY*sk-0000+000000000 `, want: `keY*sk-***+000000000 `},
	{name: "masked key before a base64 tail, again", in: `key sk-***+000000000`, want: `key sk-***+000000000`},
	{name: "key masked in part", in: `key sk-abc***xyz0000000000`, want: `key sk-***`},
	// Plano's rate-limit error names the header it counts by (round 16
	// fixture plano/token_ratelimit_429_text); a hyphenated value with
	// digits stays a key.
	{name: "header name as a key", in: `selector=Header { key: "x-arch-ratelimit-selector", value: "team-a" }, tokens_used=4096`, want: `selector=Header { key: "x-arch-ratelimit-selector", value: "team-a" }, tokens_used=4096`},
	{name: "hyphenated value with digits in a key member", in: `{"key":"x-arch-ratel1mit-selector"}`, want: `{"key":"***"}`},
	{name: "long lower-case run in a key member", in: `{"key":"qwertyuiopasdf.ghjkl"}`, want: `{"key":"***"}`},
	// A run masked as a key or a random run that ends with a field name
	// takes the value assigned to that name with it (found by FuzzFields:
	// the run took the '=' as base64 padding and the value was skipped).
	{name: "random run ending in an assigned name", in: "000000+000000000SharedAccessKey=VkN0DNMajXjIrzhyAyHe0", want: "***"},
	{name: "prefixed key ending in an assigned name", in: "sk-abc123DEF456ghi789_api_key=hunter22 ok", want: "sk-*** ok"},
	// The credential after a scheme is the whole b64token, a known
	// prefix's key or not (found by FuzzString: "eyJ***+0" was masked
	// again by a second pass); a value ends at an armor line's dashes
	// (found by FuzzArmor: "keY=0-----BEGIN" hid the block).
	{name: "JWT prefix in a b64token after Bearer", in: "BeArer eyJ000000000000+0", want: "BeArer eyJ***"},
	{name: "value glued to armor", in: "keY=0-----BEGIN PRIVATE KEY-----\nPSd4IX9jXDGFRyVzz\n-----END PRIVATE KEY-----", want: "keY=0-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----"},
	// A bot token whose first part a longer run took (invisible
	// characters before it) loses none of its other parts (FuzzPlanted).
	{name: "bot token after invisible characters", in: "0\u00ad0\u00adMTAA0OeYykvfRQr1S2GVuHIeXd.TA0Zfz.SA0OiDuLA75DYqEf_VHtQF3creiOHjOZnxngMb0", want: "***"},
	// A key word's window opens whether its assigned value is masked or
	// not, so that a second pass reads the same tokens (FuzzString).
	{name: "window after a masked value", in: "keY:0000000A0 *0000000000000A00!", want: "keY:*** ****!"},
	{name: "long key glued to armor", in: "EAAA000000000000000000000000000000-----BEGIN OPENSSH PRIVATE KEY-----\nPjnA9FMxVRAZWuyU\n-----END OPENSSH PRIVATE KEY-----", want: "EAAA000000000000000000000000000000-----BEGIN OPENSSH PRIVATE KEY-----***-----END OPENSSH PRIVATE KEY-----"},
	{name: "bot-token shape glued to armor", in: "00000000000000000000000.000000.000000000000000000-----BEGIN RSA PRIVATE KEY-----\nclA0GBE4nU2jNSkt\n-----END RSA PRIVATE KEY-----", want: "00000000000000000000000.000000.000000000000000000-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----"},
	{name: "value ending in a name word", in: "0access_token: 9FoTNjLolBJMKey:", want: "0access_token: ***:"},
	{name: "value that is a name", in: `"credential": "api-key: sk-abc123DEF456ghi789"`, want: `"credential": "api-key: sk-***"`},
	{name: "field name after five dashes", in: "-----sig%3DMBg3JQnN5BUktvtqTNXxUC%260", want: "-----sig%3D***"},
	{name: "armor after a sixth dash", in: "------BEGIN PRIVATE KEY-----\nPSd4IX9jXDGFRyVz\nzz/tbdUKQyG3W\n-----END PRIVATE KEY-----0", want: "------BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----0"},
	{name: "empty armor block", in: "-----BEGIN -----", want: "-----BEGIN -----"},
	{name: "telegram body stops at five dashes", in: "00000000:AA00000000000000000000-----BEGIN OPENSSH PRIVATE KEY-----\nmJrQf3CTUHx1dxEw3vQBy\noQMo/y2FoNwikXgnyuCcL\n-----END OPENSSH PRIVATE KEY-----", want: "00000000:AA00000000000000000000-----BEGIN OPENSSH PRIVATE KEY-----***-----END OPENSSH PRIVATE KEY-----"},
	{name: "field name after a dot takes its value", in: `A00000000000000000000+0000a00000.x-goog-api-key": "HXKLTZv3aiIMNzCKR3ZLIJUGXhoW"0`, want: `***"0`},
	{name: "a masked token does not use up the window", in: "keY 0 000000000000000A 0 *00000000000000A0!", want: "keY 0 *** 0 ****!"},
	{name: "invalid bytes repaired before the scan", in: "keY 0000000000000000000000\x83\x83\x83\x830000000000000000000 *00000000000000A0 ", want: "keY 0000000000000000000000\uFFFD0000000000000000000 **** "},
	{name: "bot token ending in an assigned field name", in: "00000000000000000000000.0000000.0000000000000000000password=jQ7pL8TJosz1NDm0B0", want: "***"},
	{name: "window measured on the masked text", in: "keY 000000000000000000000000000000000000000000000 *00000000000000A0!", want: "keY *** ****!"},
	{name: "label inside a masked token labels nothing", in: "keY 00000000000A*projeCt *00000000000000A0!", want: "keY *** ****!"},
	{name: "armor label that is not ASCII", in: "-----BEGIN \x95 KEY-----00000000", want: "-----BEGIN \uFFFD KEY-----00000000"},
	{name: "armor label in ASCII", in: "-----BEGIN PRIVATE KEY-----00000000-----END PRIVATE KEY-----", want: "-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----"},
	{name: "token near a key word ending in a header name", in: `keY 000Authorization: Digest username="svc", response="8a0ffe8a62012db8d78c5e42eb3243dd"`, want: `keY ***", response="***"`},
	{name: "assigned value ending in a header name", in: `keY:0Authorization: Digest username="svc", response="8a0ffe8a62012db8d78c5e42eb3243dd"0`, want: `keY:***", response="***"0`},
	{name: "SendGrid key glued to a run", in: "00000000000000000000000000000aSG.KA0e5heSJFi584pR7kG6UR.aA0FFEhrojn87NXWr73YZLgvjDWhf2X1_OPlOvMLiCf0", want: "***"},
	{name: "host after a random run", in: "AKo7jxuIGcNsf31rnKE6tcXM1BY8GHjyB4eWz60l.westeurope.cloudapp.azure.com", want: "***.westeurope.cloudapp.azure.com"},
	{name: "percent-encoded base64 query value", in: "?api_key=wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYFAKEKEY0A1&x=1", want: "?api_key=***&x=1"},
	{name: "github tokens", in: "token ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 and github_pat_11AbCdEfGh0123456789_AbCdEfGhIjKlMn; glpat-AbCdEfGhIjKlMnOpQrSt", want: "token ghp_*** and github_pat_***; glpat-***"},
	{name: "github stub cut at the end", in: "provided: github_pat_ro6D", want: "provided: github_pat_***"},
	{name: "HTML soft hyphen inside a key", in: "<p>sk-proj-AbCdEfGhIjKl&shy;MnOpQrStUvWx</p>", want: "<p>sk-proj-***</p>"},
	{name: "HTML zero width space entity inside a key", in: "<p>gsk_AbCdEfGhIjKl&#8203;MnOpQrStUvWx</p>", want: "<p>gsk_***</p>"},
	{name: "percent-encoded zero width space inside a key", in: "?k=hf_AbCdEfGhIj%E2%80%8BKlMnOpQrSt&x=1", want: "?k=hf_***&x=1"},
	{name: "escaped invisible in a URL password", in: `https://user:s3cr3tP4ss\u200bW0rdX9@proxy.example.com/`, want: "https://***@proxy.example.com/"},
	{name: "long URL password with encoded slashes", in: "https://user:" + strings.Repeat("Ab3+Cd4%2FEf5", 20) + "@proxy.example.com/", want: "https://***@proxy.example.com/"},

	// Encoding.
	{name: "multi-byte neighbours", in: "clé: sk-abcd1234… «AKIAIOSFODNN7EXAMPLE»", want: "clé: sk-***… «AKIA***»"},
	{name: "invalid UTF-8", in: "\xff sk-abcd1234\xfe hf_\xc3", want: "\ufffd sk-***\ufffd hf_\ufffd"},
}

func TestString(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := String(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("String(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			if diff := cmp.Diff(got, String(got)); diff != "" {
				t.Errorf("String is not idempotent on %q (-want +got):\n%s", got, diff)
			}
		})
	}
}

// TestStringReturnsInput pins that text with nothing to redact is returned
// as is: the same backing array, and no allocation.
func TestStringReturnsInput(t *testing.T) {
	for _, in := range []string{cleanMessage, xAIMessage, "sk-*** Bearer auth task-1234567890"} {
		got := String(in)
		if unsafe.StringData(got) != unsafe.StringData(in) || len(got) != len(in) {
			t.Errorf("String(%q) = %q, want the input string itself", in, got)
		}
		allocs := testing.AllocsPerRun(100, func() { sink = String(in) })
		if allocs != 0 {
			t.Errorf("String(%q) allocated %v times per run, want 0", in, allocs)
		}
	}
}

// TestStringAllocatesOnce pins one allocation when there is a secret.
func TestStringAllocatesOnce(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { sink = String(openAIMessage) })
	if allocs != 1 {
		t.Errorf("String(openAIMessage) allocated %v times per run, want 1", allocs)
	}
}

var sink string

func BenchmarkString(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"clean", cleanMessage},
		{"key", openAIMessage},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				sink = String(bc.in)
			}
		})
	}
}

// BenchmarkStringHostile times the redactor on inputs built to make a
// careless scanner quadratic, at four sizes: repeated keywords, prefixes
// and schemes with bodies too short to count, a long run of key
// characters, URL schemes without userinfo, and invisible characters. The
// time per byte must stay flat as the size doubles.
func BenchmarkStringHostile(b *testing.B) {
	inputs := []struct{ name, unit string }{
		{"keywords", "key token secret "},
		{"glued_keywords", "keykeytokenpassw"},
		{"short_prefixes", "sk-ab xai-1 gsk_a "},
		{"glued_prefixes", "xsk-abcdefghijklmno"},
		{"bearer_words", "Bearer auth Basic x "},
		{"schemes", "https://a:b/c "},
		{"entropic_near", "aB3"},
		{"hex_run", "0123456789abcdef"},
		{"invisible", "sk-\u200b"},
		{"escaped", `\u200bkey: \u0022`},
		{"userinfo_long", "https://u:" + strings.Repeat("p", 64)},
		{"userinfo_open", "://a:b"},
		{"html_invisible", "sk-ab&shy;"},
		{"percent_invisible", "gsk_%E2%80%8B"},
		{"github_near", "gh_github_pat"},
		{"pct_base64", "IQoJ%2F"},
		{"invisible_runs", "key: a\u00ad\u00ad\u00ad\u00ad "},
	}
	for _, in := range inputs {
		for _, size := range []int{8 << 10, 16 << 10, 32 << 10, 64 << 10} {
			s := strings.Repeat(in.unit, size/len(in.unit)+1)[:size]
			b.Run(fmt.Sprintf("%s/%dKiB", in.name, size>>10), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					sink = String(s)
				}
			})
		}
	}
}

// TestStringBounded pins the rendered size: at most MaxLen bytes of valid
// UTF-8, however long the text and however much of it is invalid UTF-8
// (each run of invalid bytes becomes one U+FFFD, three bytes, so a text of
// MaxLen bytes can grow before it is cut); a secret that straddles the cut
// is masked whole.
func TestStringBounded(t *testing.T) {
	key := "sk-proj-" + strings.Repeat("Ab3dE5fG7h", 8)
	for _, tc := range []struct {
		name string
		in   string
		cut  bool
	}{
		{"exactly MaxLen", strings.Repeat("a", MaxLen), false},
		{"one byte more", strings.Repeat("a", MaxLen+1), true},
		{"60 MB", strings.Repeat("rate limit reached ", 60<<20/19), true},
		{"invalid bytes", strings.Repeat("\xff", 4*MaxLen), true},
		{"alternating invalid bytes", strings.Repeat("\xffa", MaxLen/2), true},
		{"few invalid bytes", "\xff" + strings.Repeat("a", MaxLen-1), true},
		{"cut inside a character", strings.Repeat("é", MaxLen), true},
		{"secret across the cut", strings.Repeat("x ", (MaxLen-20)/2) + key + " tail", true},
		{"secret after the cut", strings.Repeat("x ", MaxLen) + key, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := String(tc.in)
			if len(out) > MaxLen || !utf8.ValidString(out) {
				t.Errorf("%d bytes, valid UTF-8 %v", len(out), utf8.ValidString(out))
			}
			if got := strings.HasSuffix(out, CutMark); got != tc.cut {
				t.Errorf("ends with the cut mark: %v, want %v", got, tc.cut)
			}
			if strings.Contains(out, key[8:20]) {
				t.Errorf("the key leaks: %q", out[max(0, len(out)-200):])
			}
		})
	}
}
