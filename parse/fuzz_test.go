package parse_test

// FuzzParse checks properties of Parse on arbitrary input, and compares it
// with encoding/json on the three shapes where encoding/json can serve as an
// oracle: {"error": {"message": "..."}}, {"error": "..."} and
// {"detail": "..."}.
//
// Intended differences from encoding/json, which the oracle allows for:
//
//   - Unwrapping. A message that itself holds an error body (an '{' followed,
//     after white space, by a quote, or a message that starts with a quote)
//     is replaced by the innermost message. The oracle skips such messages.
//   - Gateway prefixes. A message that a gateway wrapped ("litellm.X: X:
//     OpenAIException - msg", Portkey's "<provider> error: msg" beside a
//     "provider" key) is reduced to the upstream's message and Gateway set.
//     The oracle then checks only that its own message has that prefix.
//   - Trimming. Parse trims white space (unicode.IsSpace) around every string;
//     the oracle compares with strings.TrimSpace of the decoded string.
//   - Invalid UTF-8. Both replace each invalid byte with U+FFFD, so
//     strings.ToValidUTF8 on the oracle's side only guards the comparison.
//   - Duplicate keys. The last one wins in both, also when the repeated key
//     changes kind ("error" first an object, then a string). No difference.
//   - Key matching. encoding/json matches struct fields without regard to
//     case, Parse matches keys exactly (only "Message" is read as an
//     alternative spelling of "message"). The oracle decodes into
//     map[string]any, which is exact-case too, so this needs no exception.
//   - Escaped keys. encoding/json decodes escapes in keys ("\u0065rror" is
//     "error"); Parse compares keys (and the "error" values of "type" and
//     "object") as raw bytes and does not. The oracle skips bodies where an
//     escaped string decodes to one of the names Parse looks for.
//   - Precedence. When one object holds several shapes, Parse picks one:
//     an "error" key wins over "detail", and "title" or "object": "error"
//     take {"detail": "..."} to the problem and vLLM shapes. The oracle for
//     "detail" applies only without "error", "title" and "object": "error".

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/internal/testkit/fixture"
	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/parse"
)

func FuzzParse(f *testing.F) {
	real, err := fixture.Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range real {
		f.Add(c.ContentType(), []byte(c.Body))
	}
	for _, c := range parseCases {
		if len(c.body) <= 4<<10 {
			f.Add(c.ct, []byte(c.body))
		}
	}

	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		orig := bytes.Clone(body)
		got := parse.Parse(ct, body)
		if !bytes.Equal(body, orig) {
			t.Fatal("Parse modified the body")
		}

		// Same answer twice, also with another parse in between: no state
		// is carried from one call to the next.
		_ = parse.Parse("application/json", []byte(googleQuota))
		if again := parse.Parse(ct, body); !cmp.Equal(got, again) {
			t.Fatalf("second parse differs (-first +second):\n%s", cmp.Diff(got, again))
		}

		// ParseInto gives the same Error, whatever *e held before.
		into := parse.Parse("application/json", []byte(googleQuota))
		into.Issues = []parse.Issue{{Msg: "stale"}}
		parse.Parser{}.ParseInto(&into, ct, body)
		if !cmp.Equal(got, into) {
			t.Fatalf("ParseInto differs from Parse (-Parse +ParseInto):\n%s", cmp.Diff(got, into))
		}

		checkInvariants(t, body, got)
		checkOracle(t, ct, body, got)
	})
}

// formats are the values Format may take.
var formats = map[parse.Format]bool{
	parse.FormatEmpty: true, parse.FormatText: true, parse.FormatHTML: true,
	parse.FormatXML: true, parse.FormatJSON: true, parse.FormatOpenAI: true,
	parse.FormatAnthropic: true, parse.FormatGoogle: true, parse.FormatDetail: true,
	parse.FormatValidation: true, parse.FormatErrorString: true, parse.FormatVLLM: true,
	parse.FormatMessage: true, parse.FormatProblem: true, parse.FormatSSE: true,
	parse.FormatSafetyBlock: true, parse.FormatEventStream: true, parse.FormatFrame: true,
}

// outputStrings returns every string of e, named.
func outputStrings(e parse.Fields) map[string]string {
	m := map[string]string{
		"Message":          e.Message,
		"Type":             e.Type,
		"Code":             e.Code,
		"Param":            e.Param,
		"RequestID":        e.RequestID,
		"RetryDelaySource": e.RetryDelaySource,
		"Upstream":         e.Upstream,
	}
	for i, is := range e.Issues {
		m[fmt.Sprintf("Issues[%d].Loc", i)] = is.Loc
		m[fmt.Sprintf("Issues[%d].Msg", i)] = is.Msg
		m[fmt.Sprintf("Issues[%d].Type", i)] = is.Type
	}
	return m
}

// outputLen is the total length of e's strings.
func outputLen(e parse.Fields) int {
	n := len(e.Message) + len(e.Type) + len(e.Code) + len(e.Param) + len(e.RequestID) + len(e.RetryDelaySource) +
		len(e.Upstream)
	for _, is := range e.Issues {
		n += len(is.Loc) + len(is.Msg) + len(is.Type)
	}
	return n
}

// maxOutputLen bounds the total length of the strings Parse returns for an
// input of n bytes:
//
//   - Decoding never lengthens text except by replacement: an invalid byte
//     becomes U+FFFD (1 byte to 3), "\u" with bad hex digits too (2 to 3), a
//     lone surrogate "\ud800" (6 to 3). Escapes, entities, tags and white
//     space runs all shrink. Text that is decoded twice (a body inside a
//     JSON string, a message holding JSON) is valid UTF-8 after the first
//     pass, so the factor does not compound: at most 3 bytes per input byte.
//   - An input byte reaches at most two output strings: a validation item's
//     loc and msg appear in Issues and again in the Message summary, and an
//     XML <Code> element nested in <Message> (or the reverse) feeds both Code
//     and Message. Nothing else is copied twice (unwrapping replaces the
//     message; the issues of an unwrapped body are not kept).
//   - The summary adds ": " and "; " (4 bytes) per item, and each item costs
//     at least 8 input bytes ({"msg"1, is read tolerantly); the constants
//     RetryDelaySource (at most 14 bytes) and Type "safety_block" (12 bytes)
//     never come together.
//
// So 2*3 = 6 bytes per input byte plus a constant; TestParseOutputBound
// shows inputs that come close to 6, so the 4*n the task first suggested is
// too tight.
func maxOutputLen(n int) int { return 6*n + 64 }

func checkInvariants(t *testing.T, body []byte, e parse.Fields) {
	t.Helper()
	if !formats[e.Format] {
		t.Errorf("unknown Format %q", e.Format)
	}
	switch e.Gateway {
	case "", parse.GatewayLiteLLM, parse.GatewayPortkey, parse.GatewayOneAPI, parse.GatewayNewAPI:
	default:
		t.Errorf("unknown Gateway %q", e.Gateway)
	}
	for name, s := range outputStrings(e) {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not valid UTF-8: %q", name, s)
		}
		if strings.TrimSpace(s) != s {
			t.Errorf("%s is not trimmed: %q", name, s)
		}
	}
	if n, limit := outputLen(e), maxOutputLen(len(body)); n > limit {
		t.Errorf("output strings total %d bytes for a %d-byte input; bound %d", n, len(body), limit)
	}
	if e.Truncated != (len(body) > parse.DefaultMaxBytes) {
		t.Errorf("Truncated %v for a %d-byte body", e.Truncated, len(body))
	}
	if e.RetryDelay < 0 {
		t.Errorf("negative RetryDelay %v", e.RetryDelay)
	}
	switch e.RetryDelaySource {
	case "":
		if e.RetryDelay != 0 {
			t.Errorf("RetryDelay %v without a source", e.RetryDelay)
		}
	case parse.SourceRetryInfo, parse.SourceEstimatedTime, parse.SourceBody:
	default:
		t.Errorf("unknown RetryDelaySource %q", e.RetryDelaySource)
	}
	switch e.Retryable {
	case "", "true", "false":
	default:
		t.Errorf("Retryable %q is neither true, false nor empty", e.Retryable)
	}
	if len(e.Issues) > 0 && e.Format != parse.FormatValidation {
		t.Errorf("Issues with Format %q", e.Format)
	}
	switch e.Format {
	case parse.FormatEmpty:
		if outputLen(e) != 0 || e.Found {
			t.Errorf("empty body yielded %+v", e)
		}
	case parse.FormatSafetyBlock:
		if e.Type != parse.TypeSafetyBlock || !e.Found {
			t.Errorf("safety block with Type %q, Found %v", e.Type, e.Found)
		}
	case parse.FormatText:
		// Only text that says it is an error ("ERROR: ...") is one on
		// its own, also as a JSON string (a body "\"Error: ...\"", which
		// unwrap reads as the text inside the quotes).
		const ws = " \t\n\v\f\r"
		text := strings.ToLower(strings.TrimLeft(strings.TrimPrefix(string(body), "\ufeff"), ws))
		if rest, ok := strings.CutPrefix(text, `"`); ok {
			text = strings.TrimLeft(rest, ws)
		}
		if e.Found && !strings.HasPrefix(text, "error:") {
			t.Errorf("Found with Format %q", e.Format)
		}
	case parse.FormatHTML, parse.FormatJSON:
		if e.Found {
			t.Errorf("Found with Format %q", e.Format)
		}
	case parse.FormatOpenAI, parse.FormatAnthropic, parse.FormatGoogle, parse.FormatDetail,
		parse.FormatValidation, parse.FormatErrorString, parse.FormatVLLM, parse.FormatProblem,
		parse.FormatXML, parse.FormatFrame:
		if !e.Found {
			t.Errorf("not Found with Format %q", e.Format)
		}
	}
}

// embedded matches what Parse unwraps: an '{' followed by a quote.
var embedded = regexp.MustCompile(`\{[ \t\r\n]*["']`)

// lookedFor are the key names (and the "error" value) that Parse compares as
// raw bytes.
var lookedFor = map[string]bool{
	"error": true, "detail": true, "message": true, "Message": true, "error_message": true,
	"errorMessage": true, "msg": true, "type": true, "__type": true, "object": true,
	"code": true, "error_code": true, "errorCode": true, "param": true, "error_type": true,
	"title": true, "request_id": true, "estimated_time": true, "statusCode": true,
	"response": true, "status": true, "details": true, "innererror": true,
	"error_msg": true, "external_model_message": true, "metadata": true, "raw": true, "provider_name": true,
}

// escapedName reports whether a string in body is written with escapes and
// decodes to a name Parse looks for.
func escapedName(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if s, ok := tok.(string); ok && lookedFor[s] && bytes.IndexByte(body[start:dec.InputOffset()], '\\') >= 0 {
			return true
		}
	}
}

// oracleMessage returns the message that encoding/json finds in body, and
// which shape it was found in, when one of the three oracle shapes applies.
// className is parse's className: the name of an error's class or kind.
var className = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,63}$`)

// reasonPhraseOracle holds the reason phrases of HTTP's error statuses of
// more than one word, from net/http and RFC 9110, in lower case.
var reasonPhraseOracle = func() map[string]bool {
	m := map[string]bool{"content too large": true, "unprocessable content": true, "payload too large": true}
	for code := 400; code < 600; code++ {
		if t := http.StatusText(code); strings.Contains(t, " ") {
			m[strings.ToLower(t)] = true
		}
	}
	return m
}()

func oracleMessage(ct string, body []byte) (want, shape string, ok bool) {
	if len(body) > parse.DefaultMaxBytes || strings.Contains(strings.ToLower(ct), "event-stream") || !json.Valid(body) {
		return "", "", false
	}
	var top map[string]any
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return "", "", false // not an object
	}
	if escapedName(body) {
		return "", "", false
	}
	errVal, hasErr := top["error"]
	switch e := errVal.(type) {
	case map[string]any:
		m, isStr := e["message"].(string)
		if !isStr {
			return "", "", false
		}
		if md, isObj := e["metadata"].(map[string]any); isObj {
			if raw, isStr := md["raw"].(string); isStr && strings.TrimSpace(raw) != "" {
				return "", "", false // the relayed upstream body wins on purpose
			}
		}
		want, shape = m, `{"error": {"message"}}`
	case string:
		if _, isObj := top["external_model_message"].(map[string]any); isObj {
			return "", "", false // the served model's own error wins on purpose
		}
		if _, isStr := top["message"].(string); isStr && top["statusCode"] != nil {
			return "", "", false // NestJS: "error" is the reason phrase, "message" wins on purpose
		}
		want, shape = e, `{"error": "..."}`
		if m, isStr := top["message"].(string); isStr && className.MatchString(e) && bytes.Contains(body, []byte(`"`+e+`"`)) {
			// {"error": "ChromaError", "message": "..."}: the error names
			// its class, the message wins on purpose.
			want, shape = m, `{"error": "<class>", "message": "..."}`
		}
		if _, isStr := top["message"].(string); !isStr && className.MatchString(e) && bytes.Contains(body, []byte(`"`+e+`"`)) {
			// {"error": "permission_denied", "details": "..."}: the error
			// is a code, a "detail" or "details" text beside it wins on
			// purpose (the last of them, as parse reads them).
			d, found, unsure := lastDetail(body, top)
			if unsure {
				return "", "", false
			}
			if found {
				want, shape = d, `{"error": "<code>", "details": "..."}`
			}
		}
		if m, isStr := top["message"].(string); isStr && reasonPhraseOracle[strings.ToLower(e)] && bytes.Contains(body, []byte(`"`+e+`"`)) {
			// {"error": "Bad Request", "message": "..."}: the error is the
			// status's reason phrase, the message wins on purpose.
			want, shape = m, `{"error": "<reason phrase>", "message": "..."}`
		}
	default:
		if hasErr {
			return "", "", false
		}
		d, isStr := top["detail"].(string)
		_, hasTitle := top["title"]
		if !isStr || hasTitle || top["object"] == "error" {
			return "", "", false
		}
		if errs, isList := top["errors"].([]any); isList && len(errs) > 0 {
			// {"detail": "Validation error", "errors": [{"field",
			// "message": "Text is required"}]} (Audixa): the first error
			// of the list says more, on purpose.
			return "", "", false
		}
		want, shape = d, `{"detail": "..."}`
	}
	want = strings.TrimSpace(strings.ToValidUTF8(want, "\uFFFD"))
	if strings.HasPrefix(want, `"`) || embedded.MatchString(want) {
		return "", "", false // unwrapped on purpose
	}
	return want, shape, true
}

// lastDetail returns the non-empty text of body's top-level "detail" or
// "details" member, and whether there is one. unsure reports a body too
// unusual to tell which member parse read last: both names, one of them
// more than once, or a value that is not a string.
func lastDetail(body []byte, top map[string]any) (text string, found, unsure bool) {
	v1, has1 := top["detail"]
	v2, has2 := top["details"]
	switch {
	case !has1 && !has2:
		return "", false, false
	case bytes.Count(body, []byte(`"detail"`))+bytes.Count(body, []byte(`"details"`)) != 1:
		return "", false, true
	}
	v := v1
	if has2 {
		v = v2
	}
	switch d := v.(type) {
	case string:
		return d, d != "", false
	case nil:
		return "", false, false
	}
	return "", false, true
}

func checkOracle(t *testing.T, ct string, body []byte, got parse.Fields) {
	t.Helper()
	want, shape, ok := oracleMessage(ct, body)
	if !ok {
		return
	}
	switch got.Gateway {
	case parse.GatewayLiteLLM:
		if !strings.HasPrefix(want, "litellm.") {
			t.Errorf("%s: Gateway %q for a message without its prefix: %q", shape, got.Gateway, want)
		}
	case parse.GatewayPortkey:
		if i := strings.Index(want, " error: "); i <= 0 || !strings.HasSuffix(want, got.Message) {
			t.Errorf("%s: Gateway %q: Message %q is not what follows %q in %q", shape, got.Gateway, got.Message, " error: ", want)
		}
	default:
		if got.Message != want {
			t.Errorf("%s: Message %q, encoding/json says %q", shape, got.Message, want)
		}
	}
	if !got.Found {
		t.Errorf("%s: not Found", shape)
	}
}

// TestOracleApplies makes sure that the oracle is not vacuous: it applies
// to the plain bodies of the three shapes and agrees with Parse on them, and
// it stands aside where Parse differs on purpose.
func TestOracleApplies(t *testing.T) {
	for _, c := range []struct {
		body  string
		apply bool
	}{
		{openAI429, true},
		{anthropicOverloaded, true},
		{googleQuota, true},
		{tgiError, true},
		{detailText, true},
		{`{"error":{"message":"  padded\u00a0"}}`, true},
		{`{"error":{"message":"bad \ud800 surrogate"}}`, true},
		{"{\"error\":\"invalid \xff byte\"}", true},
		{`{"error":{"message":"a"},"error":"b"}`, true},
		{`{"detail":[{"msg":"m"}],"detail":"text"}`, true},
		{problemDetail, false},
		{vllmError, false},
		{validationV1, false},
		{`{"error":{"message":"x - {\"error\":{\"message\":\"y\"}}"}}`, false},
		{`{"\u0065rror":"x"}`, false},
		{`{"error":null,"detail":"x"}`, false},
		{`[{"error":"x"}]`, false},
	} {
		want, _, ok := oracleMessage("application/json", []byte(c.body))
		if ok != c.apply {
			t.Errorf("oracle applies to %q: %v, want %v", c.body, ok, c.apply)
			continue
		}
		if got := parse.Parse("application/json", []byte(c.body)); ok && got.Message != want {
			t.Errorf("Parse(%q).Message = %q, encoding/json says %q", c.body, got.Message, want)
		}
	}
}

// TestParseOutputBound runs the fuzz invariants on inputs built to come
// close to the output bound, and shows that 4 bytes per input byte is not
// enough.
func TestParseOutputBound(t *testing.T) {
	bad := strings.Repeat("\xff", 1000)
	bodies := map[string]string{
		"validation loc":  `{"detail":[{"loc":"` + bad + `"}]}`,
		"validation msg":  `{"detail":[{"msg":"` + bad + `"}]}`,
		"xml code in msg": "<Message><Code>" + bad + "</Code></Message>",
		"xml msg in code": "<Code><Message>" + bad + "</Message></Code>",
		"text":            bad,
		"bad escapes":     `{"error":"` + strings.Repeat(`\u`, 1000) + `"}`,
		"many items":      `{"detail":[` + strings.Repeat(`{"msg"1,`, 1000) + `]}`,
		"string in json":  `"{\"detail\":[{\"msg\":\"` + bad + `\"}]}"`,
	}
	maxRatio := 0.0
	for name, body := range bodies {
		e := parse.Parse("", []byte(body))
		checkInvariants(t, []byte(body), e)
		ratio := float64(outputLen(e)) / float64(len(body))
		t.Logf("%s: %d bytes in, %d out (%.2f)", name, len(body), outputLen(e), ratio)
		maxRatio = max(maxRatio, ratio)
	}
	if maxRatio <= 4 {
		t.Errorf("largest ratio %.2f: the inputs no longer show that 4*n is too tight", maxRatio)
	}
}

// FuzzEventStream builds AWS event stream messages from fuzzed header
// values and payloads, cuts them anywhere, and checks that Parse keeps its
// invariants, and that a whole exception message yields its type.
func FuzzEventStream(f *testing.F) {
	f.Add("exception", "throttlingException", `{"message":"Too many requests"}`, 1000, true)
	f.Add("error", "", "", 1000, false)
	f.Add("event", "x", `{"bytes":"e30="}`, 7, true)
	f.Add("exception", "modelStreamErrorException", `{"message":"m","originalStatusCode":500}`, 30, false)
	f.Fuzz(func(t *testing.T, msgType, excType, payload string, cut int, withEvent bool) {
		if len(msgType) > 255 || len(excType) > 1000 || len(payload) > 4000 {
			return
		}
		var body string
		if withEvent {
			body = sdktest.EventStreamMessage([][2]string{{":event-type", "chunk"}, {":message-type", "event"}}, `{"bytes":"e30="}`)
		}
		body += sdktest.EventStreamMessage([][2]string{{":message-type", msgType}, {":exception-type", excType}}, payload)
		whole := cut < 0 || cut >= len(body)
		if !whole {
			body = body[:cut]
		}
		e := parse.Parse("application/vnd.amazon.eventstream", []byte(body))
		checkInvariants(t, []byte(body), e)
		if len(body) > 0 && e.Format != parse.FormatEventStream {
			t.Fatalf("Format %q for an event stream", e.Format)
		}
		want := strings.TrimSpace(excType)
		if whole && msgType == "exception" && want != "" && utf8.ValidString(want) && e.Type != want {
			t.Errorf("Type %q, want %q", e.Type, want)
		}
		if e.Found && msgType != "exception" && msgType != "error" {
			t.Errorf("Found for a %q message", msgType)
		}
	})
}
