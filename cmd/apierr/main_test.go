package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/redact"
	"github.com/apierr/apierr/internal/testkit/fixture"
	"github.com/apierr/apierr/parse"
)

// TestMain fixes the clock, so that HTTP-date delays and absolute reset
// times are the same on every run (the date the classify package's own
// fixture test uses).
func TestMain(m *testing.M) {
	fixed := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	now = func() time.Time { return fixed }
	os.Exit(m.Run())
}

// runCLI runs the command with args and stdin and returns what it wrote
// and its exit status.
func runCLI(t testing.TB, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// explainFields parses explain's output into label -> value, joining
// continuation lines to their value with "\n".
func explainFields(t testing.TB, out string) map[string]string {
	t.Helper()
	fields := map[string]string{}
	last := ""
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if len(line) < labelWidth {
			t.Fatalf("short output line %q in:\n%s", line, out)
		}
		label := strings.TrimSpace(line[:labelWidth])
		if label == "" && last != "" {
			fields[last] += "\n" + line[labelWidth:]
			continue
		}
		label, ok := strings.CutSuffix(label, ":")
		if !ok {
			t.Fatalf("output line %q has no label in:\n%s", line, out)
		}
		if _, dup := fields[label]; dup {
			t.Fatalf("label %q twice in:\n%s", label, out)
		}
		fields[label] = line[labelWidth:]
		last = label
	}
	return fields
}

// pick returns the entries of m named by keys; a missing key maps to
// "<absent>" so that a diff shows it.
func pick(m map[string]string, keys []string) map[string]string {
	got := map[string]string{}
	for _, k := range keys {
		v, ok := m[k]
		if !ok {
			v = "<absent>"
		}
		got[k] = v
	}
	return got
}

// Bodies used by several tests.
const (
	// rateLimitBody is an OpenAI tokens-per-minute 429 body.
	rateLimitBody = `{"error":{"message":"Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 30000, Requested 1200. Please try again in 2.4s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}`
	// quotaBody is an OpenAI insufficient_quota body, the README's example.
	quotaBody = `{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`
	// overloadBody is an Anthropic overloaded_error body.
	overloadBody = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`
	// apiKeyBody is an OpenAI 401 body that echoes a whole API key.
	apiKeyBody = `{"error":{"message":"Incorrect API key provided: sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz123456. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`
)

// Hints expected in several cases, taken from the catalog: the command
// passes them through, and their wording is the catalog's to change.
var (
	// hintRateLimited is the rate_limited hint.
	hintRateLimited = catalog.RateLimited.Hint()
	// hintUnavailable is the unavailable hint.
	hintUnavailable = catalog.Unavailable.Hint()
	// hintQuota is the quota_exceeded hint.
	hintQuota = catalog.QuotaExceeded.Hint()
	// hintServer is the server_error hint.
	hintServer = catalog.ServerError.Hint()
	// hintUnknown is the unknown hint.
	hintUnknown = catalog.Unknown.Hint()
	// hintInvalid is the invalid_request hint.
	hintInvalid = catalog.InvalidRequest.Hint()
)

// TestExplain explains responses given by flags and as curl -i prints them
// and checks the lines printed.
func TestExplain(t *testing.T) {
	bodyFile := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(bodyFile, []byte(overloadBody), 0o600); err != nil {
		t.Fatal(err)
	}
	rateLimited := map[string]string{
		"category":     "rate_limited",
		"retryable":    "yes (rule: rate_limit_code)",
		"status":       "429 Too Many Requests",
		"type/code":    "tokens / rate_limit_exceeded",
		"format":       "openai",
		"server delay": "20s (retry-after)",
		"hint":         hintRateLimited,
	}
	overloaded := map[string]string{
		"category":     "unavailable",
		"retryable":    "yes (rule: overloaded_code)",
		"status":       "529 Overloaded",
		"type/code":    "overloaded_error / -",
		"format":       "anthropic",
		"server delay": "none",
		"request id":   "req_011",
		"hint":         hintUnavailable,
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  map[string]string // the lines to check, by label
	}{
		{
			name: "flags",
			args: []string{"--status", "429", "--header", "Retry-After: 20", "--body", rateLimitBody},
			want: rateLimited,
		},
		{
			name: "flags with a lower-case header, a message delay and a rate-limit window",
			args: []string{"--status", "429", "--header", "x-ratelimit-remaining-tokens: 0", "--header", "x-ratelimit-reset-tokens: 6m0s",
				"--header", "x-request-id: req_123", "--body", rateLimitBody},
			want: map[string]string{
				"category":     "rate_limited",
				"server delay": "2.4s (message)",
				"rate limit":   "resets in 6m0s (x-ratelimit-reset-tokens), exhausted",
				"request id":   "req_123",
			},
		},
		{
			name: "flags with the body from a file",
			args: []string{"--status", "529", "--header", "request-id: req_011", "--body", "@" + bodyFile},
			want: overloaded,
		},
		{
			name:  "flags with the body from standard input",
			args:  []string{"--status", "529", "--header", "Request-Id: req_011", "--body", "@-"},
			stdin: overloadBody,
			want:  overloaded,
		},
		{
			name: "curl -i with LF line endings",
			stdin: "HTTP/1.1 429 Too Many Requests\nRetry-After: 20\nContent-Type: application/json\n\n" +
				rateLimitBody + "\n",
			want: rateLimited,
		},
		{
			name: "curl -i with CRLF line endings",
			stdin: "HTTP/1.1 429 Too Many Requests\r\nretry-after: 20\r\ncontent-type: application/json\r\n\r\n" +
				rateLimitBody,
			want: rateLimited,
		},
		{
			name:  "curl -i over HTTP/2 with a trailing space after the status",
			stdin: "HTTP/2 529 \r\ncontent-type: application/json\r\nrequest-id: req_011\r\n\r\n" + overloadBody,
			want:  overloaded,
		},
		{
			name:  "curl -i over HTTP/2 with no reason phrase",
			stdin: "HTTP/2 529\ncontent-type: application/json\nrequest-id: req_011\n\n" + overloadBody,
			want:  overloaded,
		},
		{
			name: "curl -i with a 100 Continue block before the response",
			stdin: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: 20\r\n\r\n" +
				rateLimitBody,
			want: rateLimited,
		},
		{
			name: "curl -i through a proxy",
			stdin: "HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 100 Continue\r\nVia: proxy\r\n\r\n" +
				"HTTP/2 529 \r\nrequest-id: req_011\r\n\r\n" + overloadBody,
			want: overloaded,
		},
		{
			name:  "curl -i with blank lines before it and a folded header",
			stdin: "\n\nHTTP/1.1 429 Too Many Requests\nRetry-After:\n 20\n\n" + rateLimitBody,
			want:  rateLimited,
		},
		{
			name:  "curl -i with no body",
			stdin: "HTTP/1.1 503 Service Unavailable\nRetry-After: 0",
			want: map[string]string{
				"category":     "unavailable",
				"retryable":    "yes (rule: status)",
				"status":       "503 Service Unavailable",
				"format":       "empty",
				"server delay": "0s (retry-after)",
				"message":      "<absent>",
				"type/code":    "<absent>",
			},
		},
		{
			name:  "a body that starts like a status line but is not one",
			stdin: "HTTP/1.1 502 Bad Gateway\n\nHTTP/1.1 upstream failed\n",
			want: map[string]string{
				"category": "unavailable",
				"status":   "502 Bad Gateway",
				"message":  "HTTP/1.1 upstream failed",
				"format":   "text",
			},
		},
		{
			name:  "the status line's reason for a code the catalog does not know",
			stdin: "HTTP/1.1 418 I'm a teapot\n\n",
			want: map[string]string{
				"category":  "unknown",
				"retryable": "no (rule: status_class)",
				"status":    "418 I'm a teapot",
			},
		},
		{
			name: "x-should-retry overrides the rule",
			args: []string{"--status", "500", "--header", "X-Should-Retry: false", "--body",
				`{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}`},
			want: map[string]string{
				"category":  "server_error",
				"retryable": "no (the x-should-retry: false header decided; rule status said yes)",
			},
		},
		{
			name: "x-should-retry agrees with the rule",
			args: []string{"--status", "529", "--header", "X-Should-Retry: true", "--body", overloadBody},
			want: map[string]string{
				"retryable": "yes (rule: overloaded_code; the x-should-retry: true header agrees)",
			},
		},
		{
			name: "a truncated body",
			args: []string{"--status", "400", "--max-body", "20", "--body", quotaBody},
			want: map[string]string{
				"format": "json (body truncated at 20 bytes)",
			},
		},
		{
			name:  "not an error",
			stdin: "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\":\"chatcmpl-1\",\"choices\":[]}",
			want: map[string]string{
				"ok":           "not an error response",
				"status":       "200 OK",
				"category":     "<absent>",
				"retryable":    "<absent>",
				"server delay": "<absent>",
				"hint":         "<absent>",
			},
		},
		{
			name: "control characters and line breaks in the message",
			args: []string{"--status", "500", "--body", "{\"message\":\"first\\r\\nsecond \\u001b[31mred\\u202e\"}"},
			want: map[string]string{
				"message": "first\n" + `second \x1b[31mred\u202e`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.stdin, append([]string{"explain"}, tt.args...)...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			keys := make([]string, 0, len(tt.want))
			for k := range tt.want {
				keys = append(keys, k)
			}
			got := pick(explainFields(t, out), keys)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("output:\n%s\n(-want +got):\n%s", out, diff)
			}
		})
	}
}

// TestExplainLayout pins the whole layout of explain's output once.
func TestExplainLayout(t *testing.T) {
	out, errOut, code := runCLI(t, "", "explain", "--status", "429",
		"--header", "Retry-After: 20", "--header", "X-Ratelimit-Remaining-Tokens: 0",
		"--header", "X-Ratelimit-Reset-Tokens: 6m0s", "--header", "X-Request-Id: req_123",
		"--body", `{"error":{"message":"Rate limit reached","type":"tokens","param":"messages","code":"rate_limit_exceeded"}}`)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	want := `category:     rate_limited
retryable:    yes (rule: rate_limit_code)
next:         retry (scope: model)
status:       429 Too Many Requests
message:      Rate limit reached
type/code:    tokens / rate_limit_exceeded
param:        messages
format:       openai
server delay: 20s (retry-after)
rate limit:   resets in 6m0s (x-ratelimit-reset-tokens), exhausted
request id:   req_123
hint:         Wait and retry with exponential backoff, no sooner than the server's Retry-After.
policy:       retry in 20s to 22s (the server's delay; jitter only adds); retries for up to 3m0s
then:         retry 2: 2.4s to 4.8s; retry 3 and later: 2.5s to 5s each (or what the server asks, if longer)
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestExplainRedacts checks that an API key echoed in a body is masked in
// explain's output, both from flags and from curl -i text.
func TestExplainRedacts(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
	}{
		{name: "flags", args: []string{"--status", "401", "--body", apiKeyBody}},
		{name: "curl -i", stdin: "HTTP/2 401\r\ncontent-type: application/json\r\nx-request-id: Bearer sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz123456\r\n\r\n" + apiKeyBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.stdin, append([]string{"explain"}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			f := explainFields(t, out)
			want := map[string]string{
				"category": "authentication",
				"message":  "Incorrect API key provided: sk-proj-***. You can find your API key at https://platform.openai.com/account/api-keys.",
			}
			if diff := cmp.Diff(want, pick(f, []string{"category", "message"})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if strings.Contains(out, "AbCdEfGh") {
				t.Errorf("the key leaked into the output:\n%s", out)
			}
		})
	}
}

// TestExplainREADME runs the README's example through run: an OpenAI
// insufficient_quota 429 is quota_exceeded and not retryable.
func TestExplainREADME(t *testing.T) {
	out, errOut, code := runCLI(t, "", "explain", "--status", "429", "--body", quotaBody)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	want := map[string]string{
		"category":  "quota_exceeded",
		"retryable": "no (rule: quota_code)",
		"hint":      hintQuota,
	}
	if diff := cmp.Diff(want, pick(explainFields(t, out), []string{"category", "retryable", "hint"})); diff != "" {
		t.Errorf("output:\n%s\n(-want +got):\n%s", out, diff)
	}
}

// TestExplainErrors checks that input explain cannot read is refused with a
// message on stderr and exit status 2, and nothing on stdout.
func TestExplainErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		stdin   string
		wantErr string // a substring of stderr
	}{
		{name: "no input", stdin: "", wantErr: "no input"},
		{name: "only blank lines", stdin: "\r\n\n", wantErr: "no input"},
		{name: "a bare body", stdin: `{"error":"x"}`, wantErr: `line 1: not an HTTP status line: "{\"error\":\"x\"}"`},
		{name: "no status code", stdin: "HTTP/1.1\n\n", wantErr: "no three-digit status code"},
		{name: "a bad status code", stdin: "HTTP/1.1 42 Odd\n\n", wantErr: "no three-digit status code"},
		{name: "a status code with a letter", stdin: "HTTP/2 4x9\n\n", wantErr: "no three-digit status code"},
		{name: "a bad protocol", stdin: "HTTPS/1.1 429 Too Many Requests\n\n", wantErr: "not an HTTP status line"},
		{name: "a bad header line", stdin: "HTTP/1.1 429 Too Many Requests\nRetry-After 20\n\n", wantErr: `line 2: want a header line "Name: value" or a blank line, got "Retry-After 20"`},
		{name: "a bad header line after a 100 Continue", stdin: "HTTP/1.1 100 Continue\n\nHTTP/1.1 429 Too Many Requests\nok: yes\nbad\n\n", wantErr: "line 5:"},
		{name: "a secret in a bad header line", stdin: "HTTP/1.1 401 Unauthorized\nBearer sk-proj-AbCdEfGhIjKlMnOp\n\n", wantErr: "Bearer ***"},
		{name: "a continuation with no header", stdin: "HTTP/1.1 429 Too Many Requests\n folded\n\n", wantErr: "continuation line"},
		{name: "--status too small", args: []string{"--status", "42"}, wantErr: "--status must be an HTTP status code from 100 to 999, got 42"},
		{name: "--status not a number", args: []string{"--status", "abc"}, wantErr: `invalid value "abc" for flag -status`},
		{name: "--header with no colon", args: []string{"--status", "429", "--header", "Retry-After 20"}, wantErr: `want "Name: value"`},
		{name: "--header with an empty name", args: []string{"--status", "429", "--header", ": 20"}, wantErr: `want "Name: value"`},
		{name: "--header without --status", args: []string{"--header", "Retry-After: 20"}, wantErr: "--header and --body need --status"},
		{name: "--body without --status", args: []string{"--body", "x"}, wantErr: "--header and --body need --status"},
		{name: "--body from a missing file", args: []string{"--status", "429", "--body", "@/nonexistent/body.json"}, wantErr: "no such file"},
		{name: "--body @ with no name", args: []string{"--status", "429", "--body", "@"}, wantErr: `"@" needs a file name`},
		{name: "--max-body negative", args: []string{"--status", "429", "--max-body", "-1"}, wantErr: "--max-body must be from 0 to 67108864 bytes (64 MiB)"},
		{name: "an extra argument", args: []string{"--status", "429", "extra"}, wantErr: `unexpected argument "extra"`},
		{name: "an unknown flag", args: []string{"--bogus"}, wantErr: "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.stdin, append([]string{"explain"}, tt.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if out != "" {
				t.Errorf("stdout not empty:\n%s", out)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.wantErr, errOut)
			}
			if strings.Contains(errOut, "AbCdEfGh") {
				t.Errorf("a key leaked into stderr:\n%s", errOut)
			}
		})
	}
}

// TestExplainLargeInput checks that standard input longer than maxInput is
// cut there and said so, with the body still classified.
func TestExplainLargeInput(t *testing.T) {
	head := "HTTP/1.1 500 Internal Server Error\n\n"
	in := io.MultiReader(strings.NewReader(head), io.LimitReader(repeatReader('a'), maxInput))
	var out, errOut bytes.Buffer
	if code := run([]string{"explain"}, in, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut.String())
	}
	got := pick(explainFields(t, out.String()), []string{"category", "format", "note"})
	want := map[string]string{
		"category": "server_error",
		"format":   "text (body truncated at 65536 bytes)",
		"note":     "the input was longer than 67108864 bytes; only that much was read",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// repeatReader is an endless stream of one byte.
type repeatReader byte

// Read fills p with the byte.
func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestUsage checks help and misuse of the command itself: help goes to
// stdout with status 0, misuse to stderr with status 2.
func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // a substring of stdout, or "" for none at all
		wantErr  string // a substring of stderr, or "" for none at all
	}{
		{name: "no arguments", args: nil, wantCode: exitUsage, wantErr: "apierr classify [flags]"},
		{name: "help", args: []string{"help"}, wantCode: exitOK, wantOut: "apierr explain [flags]"},
		{name: "-h", args: []string{"-h"}, wantCode: exitOK, wantOut: "apierr classify [flags]"},
		{name: "--help", args: []string{"--help"}, wantCode: exitOK, wantOut: "apierr help [command]"},
		{name: "help explain", args: []string{"help", "explain"}, wantCode: exitOK, wantOut: "-status code"},
		{name: "help classify", args: []string{"help", "classify"}, wantCode: exitOK, wantOut: "skipped: nothing is"},
		{name: "help for an unknown command", args: []string{"help", "bogus"}, wantCode: exitUsage, wantErr: `unknown command "bogus"`},
		{name: "help with two commands", args: []string{"help", "explain", "classify"}, wantCode: exitUsage, wantErr: "one command"},
		{name: "an unknown command", args: []string{"bogus"}, wantCode: exitUsage, wantErr: `apierr: unknown command "bogus"`},
		{name: "explain -h", args: []string{"explain", "-h"}, wantCode: exitOK, wantOut: "-max-body bytes"},
		{name: "classify --help", args: []string{"classify", "--help"}, wantCode: exitOK, wantOut: "retry_after_ms, ratelimit_reset_ms, request_id, rule, action, scope, gateway"},
		{name: "classify with an unknown flag", args: []string{"classify", "--bogus"}, wantCode: exitUsage, wantErr: "flag provided but not defined: -bogus"},
		{name: "classify with an argument", args: []string{"classify", "file.jsonl"}, wantCode: exitUsage, wantErr: `unexpected argument "file.jsonl"`},
		{name: "classify --max-body negative", args: []string{"classify", "--max-body", "-5"}, wantCode: exitUsage, wantErr: "--max-body must be from 0 to 67108864 bytes (64 MiB)"},
		{name: "help policy", args: []string{"help", "policy"}, wantCode: exitOK, wantOut: "apierr policy [category]..."},
		{name: "help sim", args: []string{"help", "sim"}, wantCode: exitOK, wantOut: "-seeds seeds"},
		{name: "policy with an unknown category", args: []string{"policy", "rate_limit"}, wantCode: exitUsage, wantErr: `unknown category "rate_limit"`},
		{name: "sim --seeds 0", args: []string{"sim", "--seeds", "0"}, wantCode: exitUsage, wantErr: "--seeds must be from 1 to 1000"},
		{name: "sim with an argument", args: []string{"sim", "i"}, wantCode: exitUsage, wantErr: `unexpected argument "i"`},
		{name: "sim --family --only an unknown scenario", args: []string{"sim", "--family", "--only", "tier,nosuch"}, wantCode: exitUsage, wantErr: `--only: no scenario named "nosuch"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d", code, tt.wantCode)
			}
			for _, c := range []struct{ stream, got, want string }{{"stdout", out, tt.wantOut}, {"stderr", errOut, tt.wantErr}} {
				switch {
				case c.want == "" && c.got != "":
					t.Errorf("%s not empty:\n%s", c.stream, c.got)
				case !strings.Contains(c.got, c.want):
					t.Errorf("%s does not contain %q:\n%s", c.stream, c.want, c.got)
				}
			}
		})
	}
}

// outputKeys are the keys of a classify output line, in order.
var outputKeys = []string{
	classify.KeyCategory, classify.KeyRetryable, classify.KeyStatus, classify.KeyMessage,
	classify.KeyType, classify.KeyCode, classify.KeyParam, classify.KeyFormat, classify.KeyHint,
	classify.KeyRetryAfterMs, classify.KeyRateLimitResetMs, classify.KeyRequestID, classify.KeyRule,
	classify.KeyAction, classify.KeyScope, classify.KeyGateway,
}

// TestOutputKeys pins the key names themselves, which are a public
// contract, in case a constant in the classify package changes.
func TestOutputKeys(t *testing.T) {
	want := []string{"category", "retryable", "status", "message", "type", "code", "param", "format", "hint",
		"retry_after_ms", "ratelimit_reset_ms", "request_id", "rule", "action", "scope", "gateway"}
	if diff := cmp.Diff(want, outputKeys); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// objectKeys returns the keys of the JSON object in line, in order, and
// fails if line is not exactly one JSON object.
func objectKeys(t testing.TB, line []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object (%v): %s", err, line)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%v in %s", err, line)
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%v in %s", err, line)
		}
	}
	if _, err := dec.Token(); err != nil {
		t.Fatalf("%v in %s", err, line)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("more after the object in %s", line)
	}
	return keys
}

// outputLine is one decoded line of classify's output, or an error line.
type outputLine struct {
	Category         string  `json:"category"`
	Retryable        bool    `json:"retryable"`
	Status           *int    `json:"status"`
	Message          *string `json:"message"`
	Type             *string `json:"type"`
	Code             *string `json:"code"`
	Param            *string `json:"param"`
	Format           string  `json:"format"`
	Hint             string  `json:"hint"`
	RetryAfterMs     *int64  `json:"retry_after_ms"`
	RateLimitResetMs *int64  `json:"ratelimit_reset_ms"`
	RequestID        *string `json:"request_id"`
	Rule             string  `json:"rule"`
	Action           string  `json:"action"`
	Scope            *string `json:"scope"`
	Gateway          *string `json:"gateway"`

	Line  int    `json:"line"`
	Error string `json:"error"`
}

// outputLines splits classify's output into lines, checks that each is a
// JSON object with exactly the documented keys in order (or an error
// object), and decodes them.
func outputLines(t testing.TB, out string) []outputLine {
	t.Helper()
	if out == "" {
		return nil
	}
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("output does not end with a newline: %q", out)
	}
	var lines []outputLine
	for _, raw := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		keys := objectKeys(t, []byte(raw))
		if !cmp.Equal(keys, []string{"line", "error"}) {
			if diff := cmp.Diff(outputKeys, keys); diff != "" {
				t.Fatalf("keys of %s (-want +got):\n%s", raw, diff)
			}
		}
		var l outputLine
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		lines = append(lines, l)
	}
	return lines
}

// loadFixtures reads every case of the classify package's published
// responses; each carries its case object as one line of JSON.
func loadFixtures(t testing.TB) []fixture.Case {
	t.Helper()
	cases, err := fixture.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestClassifyFixtures feeds every published response of the classify
// package's fixtures, one case object per line, and checks one output line
// per input line, in order, with the expected category, retryability,
// message (redacted), server delay, action and scope.
func TestClassifyFixtures(t *testing.T) {
	cases := loadFixtures(t)
	if len(cases) < 80 {
		t.Fatalf("only %d fixture cases", len(cases))
	}
	var in bytes.Buffer
	for _, c := range cases {
		in.Write(c.Line)
		in.WriteByte('\n')
	}
	out, errOut, code := runCLI(t, in.String(), "classify")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	lines := outputLines(t, out)
	if len(lines) != len(cases) {
		t.Fatalf("%d output lines for %d input lines", len(lines), len(cases))
	}
	type result struct {
		Name         string
		Category     string
		Retryable    bool
		Status       *int
		Message      *string
		RetryAfterMs *int64
		Action       string
		Scope        *string
	}
	var want, got []result
	for i, c := range cases {
		w := result{Name: c.Name, Category: c.Want.Category, Retryable: c.Want.Retryable, RetryAfterMs: c.Want.RetryAfterMs,
			Action: c.Want.Action}
		if c.Want.Scope != "" {
			w.Scope = &c.Want.Scope
		}
		if c.Status != 0 {
			w.Status = &c.Status
		}
		if c.Want.Message != "" {
			m := redact.String(c.Want.Message)
			w.Message = &m
		}
		want = append(want, w)
		l := lines[i]
		got = append(got, result{Name: c.Name, Category: l.Category, Retryable: l.Retryable, Status: l.Status, Message: l.Message,
			RetryAfterMs: l.RetryAfterMs, Action: l.Action, Scope: l.Scope})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestClassifyLines checks the line contract: errors in place, blank lines,
// header lists, nulls, line endings and over-long lines.
func TestClassifyLines(t *testing.T) {
	ptr := func(n int64) *int64 { return &n }
	str := func(s string) *string { return &s }
	status := func(n int) *int { return &n }
	huge := `{"status":500,"body":"` + strings.Repeat("a", 20<<20) + `"}`
	big := `{"status":400,"body":"` + strings.Repeat("b", 2<<20) + `"}`
	tests := []struct {
		name     string
		in       string
		want     []outputLine
		wantCode int
	}{
		{
			name: "a bad line in the middle",
			in: `{"status":429,"headers":{"Retry-After":"20"},"body":""}` + "\n" +
				"{not json\n" +
				`{"status":529,"body":"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"}` + "\n",
			want: []outputLine{
				{Category: "rate_limited", Retryable: true, Status: status(429), Format: "empty", Hint: hintRateLimited, RetryAfterMs: ptr(20000), Rule: "status", Action: "retry", Scope: str("model")},
				{Line: 2, Error: "not valid JSON: invalid character 'n' looking for beginning of object key string (at byte 2)"},
				{Category: "unavailable", Retryable: true, Status: status(529), Message: str("Overloaded"), Type: str("overloaded_error"), Format: "anthropic", Hint: hintUnavailable, Rule: "overloaded_code", Action: "retry", Scope: str("model")},
			},
			wantCode: exitFail,
		},
		{
			name: "blank lines are skipped but counted",
			in:   "\n   \n\t\r\n" + `{"status":"429"}` + "\n\n" + `{"status":500}`,
			want: []outputLine{
				{Line: 4, Error: "status: want an integer, got JSON string"},
				{Category: "server_error", Retryable: true, Status: status(500), Format: "empty", Hint: hintServer, Rule: "status", Action: "retry", Scope: str("request")},
			},
			wantCode: exitFail,
		},
		{
			name: "headers as lists of strings, lower case and CRLF line endings",
			in: `{"status":429,"headers":{"retry-after":["20","30"],"X-Request-Id":["req_1"]},"body":""}` + "\r\n" +
				`{"status":503,"headers":{"Retry-After":[]}}` + "\r\n",
			want: []outputLine{
				{Category: "rate_limited", Retryable: true, Status: status(429), Format: "empty", Hint: hintRateLimited, RetryAfterMs: ptr(20000), RequestID: str("req_1"), Rule: "status", Action: "retry", Scope: str("model")},
				{Category: "unavailable", Retryable: true, Status: status(503), Format: "empty", Hint: hintUnavailable, Rule: "status", Action: "retry", Scope: str("provider")},
			},
			wantCode: exitOK,
		},
		{
			name: "nulls: status 0, empty message, no delay; a zero delay is not null",
			in: `{"status":0}` + "\n" +
				`{"status":null,"headers":null,"body":null}` + "\n" +
				`{"status":429,"headers":{"Retry-After":"0","X-Ratelimit-Reset-Requests":"0s"},"body":""}` + "\n" +
				`{}`,
			want: []outputLine{
				{Category: "unknown", Format: "empty", Hint: hintUnknown, Rule: "status_class", Action: "stop", Scope: str("request")},
				{Category: "unknown", Format: "empty", Hint: hintUnknown, Rule: "status_class", Action: "stop", Scope: str("request")},
				{Category: "rate_limited", Retryable: true, Status: status(429), Format: "empty", Hint: hintRateLimited, RetryAfterMs: ptr(0), RateLimitResetMs: ptr(0), Rule: "status", Action: "retry", Scope: str("model")},
				{Category: "unknown", Format: "empty", Hint: hintUnknown, Rule: "status_class", Action: "stop", Scope: str("request")},
			},
			wantCode: exitOK,
		},
		{
			name: "a response that is not an error",
			in:   `{"status":200,"body":"{\"id\":\"x\"}"}`,
			want: []outputLine{
				{Category: "unknown", Status: status(200), Format: "json", Rule: "no_error", Action: "none"},
			},
			wantCode: exitOK,
		},
		{
			name: "wrongly typed fields and values",
			in: strings.Join([]string{
				`[1,2]`,
				`null`,
				`{"status":429.5}`,
				`{"status":42}`,
				`{"status":1000}`,
				`{"headers":"Retry-After: 20"}`,
				`{"headers":{"Retry-After":20}}`,
				`{"headers":{"Retry-After":null}}`,
				`{"headers":{"Retry-After":["20",null]}}`,
				`{"body":{"error":"x"}}`,
				`{"status":500} {"status":500}`,
				`{"status":500,"ignored":{"nested":[1,2,3]},"want":{"category":"x"}}`,
			}, "\n"),
			want: []outputLine{
				{Line: 1, Error: `want a JSON object such as {"status": 429, "headers": {...}, "body": "..."}`},
				{Line: 2, Error: `want a JSON object such as {"status": 429, "headers": {...}, "body": "..."}`},
				{Line: 3, Error: "status: want an integer, got JSON number 429.5"},
				{Line: 4, Error: "status: want an HTTP status code from 100 to 999 (or 0 for none), got 42"},
				{Line: 5, Error: "status: want an HTTP status code from 100 to 999 (or 0 for none), got 1000"},
				{Line: 6, Error: "headers: want an object, got JSON string"},
				{Line: 7, Error: `headers: "Retry-After": want a string or a list of strings, got a number`},
				{Line: 8, Error: `headers: "Retry-After": want a string or a list of strings, got null`},
				{Line: 9, Error: `headers: "Retry-After": want a string or a list of strings, got a list holding null`},
				{Line: 10, Error: "body: want a string, got JSON object"},
				{Line: 11, Error: "not valid JSON: invalid character '{' after top-level value (at byte 16)"},
				{Category: "server_error", Retryable: true, Status: status(500), Format: "empty", Hint: hintServer, Rule: "status", Action: "retry", Scope: str("request")},
			},
			wantCode: exitFail,
		},
		{
			name: "a 20 MiB line is refused and the next line is still read",
			in:   huge + "\n" + `{"status":500}` + "\n",
			want: []outputLine{
				{Line: 1, Error: "line is longer than 16777216 bytes"},
				{Category: "server_error", Retryable: true, Status: status(500), Format: "empty", Hint: hintServer, Rule: "status", Action: "retry", Scope: str("request")},
			},
			wantCode: exitFail,
		},
		{
			name: "a 20 MiB last line with no newline",
			in:   `{"status":500}` + "\n" + huge,
			want: []outputLine{
				{Category: "server_error", Retryable: true, Status: status(500), Format: "empty", Hint: hintServer, Rule: "status", Action: "retry", Scope: str("request")},
				{Line: 2, Error: "line is longer than 16777216 bytes"},
			},
			wantCode: exitFail,
		},
		{
			name: "a 2 MiB line, longer than bufio.Scanner's default, is classified",
			in:   big + "\n" + big + "\n",
			want: []outputLine{
				{Category: "invalid_request", Status: status(400), Message: str(strings.Repeat("b", parse.MaxTextMessage)), Format: "text", Hint: hintInvalid, Rule: "status", Action: "fix_request", Scope: str("request")},
				{Category: "invalid_request", Status: status(400), Message: str(strings.Repeat("b", parse.MaxTextMessage)), Format: "text", Hint: hintInvalid, Rule: "status", Action: "fix_request", Scope: str("request")},
			},
			wantCode: exitOK,
		},
		{
			name: "a byte order mark before the first line",
			in:   "\xef\xbb\xbf" + `{"status":500}`,
			want: []outputLine{
				{Category: "server_error", Retryable: true, Status: status(500), Format: "empty", Hint: hintServer, Rule: "status", Action: "retry", Scope: str("request")},
			},
			wantCode: exitOK,
		},
		{
			name:     "no input",
			in:       "",
			want:     nil,
			wantCode: exitOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.in, "classify")
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errOut)
			}
			if diff := cmp.Diff(tt.want, outputLines(t, out)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestClassifyExact pins whole output lines byte for byte, the machine
// contract itself.
func TestClassifyExact(t *testing.T) {
	in := `{"status":401,"headers":{"X-Request-Id":"req_9"},"body":` + mustJSON(t, apiKeyBody) + "}\n" +
		`{"status":429,"headers":{"Retry-After":"1.5","X-Ratelimit-Reset-Requests":"2m","X-Ratelimit-Remaining-Requests":"0"}}` + "\n" +
		"bad\n"
	want := `{"category":"authentication","retryable":false,"status":401,"message":"Incorrect API key provided: sk-proj-***. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","code":"invalid_api_key","param":null,"format":"openai","hint":"` + catalog.Authentication.Hint() + `","retry_after_ms":null,"ratelimit_reset_ms":null,"request_id":"req_9","rule":"authentication_code","action":"fix_credential","scope":"key","gateway":null}
{"category":"rate_limited","retryable":true,"status":429,"message":null,"type":null,"code":null,"param":null,"format":"empty","hint":"` + hintRateLimited + `","retry_after_ms":1500,"ratelimit_reset_ms":120000,"request_id":null,"rule":"status","action":"retry","scope":"model","gateway":null}
{"line":3,"error":"want a JSON object such as {\"status\": 429, \"headers\": {...}, \"body\": \"...\"}"}
`
	out, _, code := runCLI(t, in, "classify")
	if code != exitFail {
		t.Errorf("exit %d, want %d", code, exitFail)
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if strings.Contains(out, "AbCdEfGh") {
		t.Errorf("the key leaked into the output:\n%s", out)
	}
}

// mustJSON returns s encoded as a JSON string.
func mustJSON(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestClassifyMaxBody checks that --max-body reaches the classifier.
func TestClassifyMaxBody(t *testing.T) {
	in := `{"status":500,"body":"0123456789abcdef"}`
	out, errOut, code := runCLI(t, in, "classify", "--max-body", "4")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	lines := outputLines(t, out)
	if len(lines) != 1 || lines[0].Message == nil || *lines[0].Message != "0123" {
		t.Errorf("got %s, want the message cut to 4 bytes", out)
	}
}

// TestClassifyFlushesPerLine talks to classify through pipes, one line at
// a time, as an interactive program would: each answer must arrive before
// the next question is asked.
func TestClassifyFlushesPerLine(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run([]string{"classify"}, inR, outW, io.Discard)
		outW.Close()
		done <- code
	}()
	answers := bufio.NewReader(outR)
	for i, q := range []string{`{"status":429}`, `{"status":500}`, "oops"} {
		if _, err := io.WriteString(inW, q+"\n"); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			line, _ := answers.ReadString('\n')
			got <- line
		}()
		select {
		case line := <-got:
			if line == "" {
				t.Fatalf("no answer to line %d", i+1)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no answer to line %d within 10s: output is not flushed", i+1)
		}
	}
	inW.Close()
	if code := <-done; code != exitFail {
		t.Errorf("exit %d, want %d", code, exitFail)
	}
}

// failWriter fails every write.
type failWriter struct{}

// Write returns an error.
func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// errReader returns some data, then an error.
type errReader struct{ data io.Reader }

// Read reads the data, then fails.
func (r *errReader) Read(p []byte) (int, error) {
	if n, err := r.data.Read(p); err != io.EOF {
		return n, err
	}
	return 0, errors.New("device gone")
}

// TestClassifyIOErrors checks that read and write failures are reported
// on stderr with exit status 1.
func TestClassifyIOErrors(t *testing.T) {
	var errOut bytes.Buffer
	if code := run([]string{"classify"}, strings.NewReader(`{"status":500}`), failWriter{}, &errOut); code != exitFail {
		t.Errorf("write failure: exit %d, want %d", code, exitFail)
	}
	if !strings.Contains(errOut.String(), "writing output: disk full") {
		t.Errorf("write failure: stderr %q", errOut.String())
	}
	errOut.Reset()
	var out bytes.Buffer
	code := run([]string{"classify"}, &errReader{data: strings.NewReader(`{"status":500}` + "\n")}, &out, &errOut)
	if code != exitFail {
		t.Errorf("read failure: exit %d, want %d", code, exitFail)
	}
	if !strings.Contains(errOut.String(), "reading standard input: device gone") {
		t.Errorf("read failure: stderr %q", errOut.String())
	}
	if lines := outputLines(t, out.String()); len(lines) != 1 {
		t.Errorf("read failure: the line before it was not written: %q", out.String())
	}
}

// stringCases are strings that exercise JSON escaping.
var stringCases = []string{
	"", "plain", `quote " and backslash \`, "controls \x00\x01\x1f\x7f \b\f\n\r\t",
	"<html> & </html>", "unicode é 日本 🎉", "separators \u2028 \u2029",
	"invalid \xff\xfe utf-8 \xe6\x97", "\xed\xa0\x80 surrogate",
}

// TestAppendString checks that appendString escapes as encoding/json does
// with HTML escaping off.
func TestAppendString(t *testing.T) {
	for _, s := range stringCases {
		checkAppendString(t, s)
	}
}

// FuzzAppendString checks appendString against encoding/json.
func FuzzAppendString(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s)
	}
	f.Fuzz(checkAppendString)
}

// checkAppendString compares appendString(s) with encoding/json's
// encoding of s.
func checkAppendString(t *testing.T, s string) {
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	got := string(appendString(nil, s))
	if diff := cmp.Diff(strings.TrimSuffix(want.String(), "\n"), got); diff != "" {
		t.Errorf("appendString(%q) (-want +got):\n%s", s, diff)
	}
}

// benchInput returns n JSON lines that cycle through the fixture cases.
func benchInput(b testing.TB, n int) []byte {
	cases := loadFixtures(b)
	var in bytes.Buffer
	for i := range n {
		in.Write(cases[i%len(cases)].Line)
		in.WriteByte('\n')
	}
	return in.Bytes()
}

// BenchmarkClassifyLines runs the classify subcommand over 1000 lines made
// from the fixture cases.
func BenchmarkClassifyLines(b *testing.B) {
	const n = 1000
	in := benchInput(b, n)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	runs := 0
	for b.Loop() {
		if code := run([]string{"classify"}, bytes.NewReader(in), io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
		runs++
	}
	b.ReportMetric(float64(runs*n)/b.Elapsed().Seconds(), "lines/s")
}

// Example_classify shows the classify subcommand on one line.
func Example_classify() {
	run([]string{"classify"}, strings.NewReader(`{"status": 429, "headers": {"Retry-After": "20"}}`), os.Stdout, os.Stderr)
	// Output:
	// {"category":"rate_limited","retryable":true,"status":429,"message":null,"type":null,"code":null,"param":null,"format":"empty","hint":"Wait and retry with exponential backoff, no sooner than the server's Retry-After.","retry_after_ms":20000,"ratelimit_reset_ms":null,"request_id":null,"rule":"status","action":"retry","scope":"model","gateway":null}
}

// Example_explain shows the explain subcommand on the README's example.
func Example_explain() {
	run([]string{"explain", "--status", "429", "--body", quotaBody}, strings.NewReader(""), os.Stdout, os.Stderr)
	// Output:
	// category:     quota_exceeded
	// retryable:    no (rule: quota_code)
	// next:         fallback (scope: account)
	// status:       429 Too Many Requests
	// message:      You exceeded your current quota, please check your plan and billing details.
	// type/code:    insufficient_quota / insufficient_quota
	// format:       openai
	// server delay: none
	// hint:         Add credits or raise the quota in the provider's billing settings; retrying does not help until then.
	// policy:       do not retry (not_retryable)
}

// TestExplainSaturatedDelay: a Retry-After too large for a Duration is
// named as saturated, not printed as 2562047h47m16.854775807s.
func TestExplainSaturatedDelay(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"explain", "--status", "429", "--header", "Retry-After: 1000000000000"}, strings.NewReader(""), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "saturated") || strings.Contains(out.String(), "2562047h") {
		t.Errorf("exit %d, output:\n%s%s", code, out.String(), errOut.String())
	}
}

// TestMaxBodyAnyValue: no --max-body value panics; out-of-range values
// are a usage error that says the range, in-range ones classify.
func TestMaxBodyAnyValue(t *testing.T) {
	const body = "0123456789abcdef"
	tests := []struct {
		value string
		ok    bool
		msg   string // the message classify reports when ok
	}{
		{"-1", false, ""},
		{"0", true, body},
		{"1", true, "0"},
		{"67108864", true, body},
		{"67108865", false, ""},
		{"2147483647", false, ""},
		{"9223372036854775807", false, ""},
		{"-9223372036854775808", false, ""},
		{"99999999999999999999", false, ""}, // out of int's range: the flag package says so
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			out, errOut, code := runCLI(t, `{"status":500,"body":"`+body+`"}`, "classify", "--max-body", tt.value)
			if !tt.ok {
				if code != exitUsage || !strings.Contains(errOut, "max-body") {
					t.Fatalf("classify: exit %d, stderr:\n%s", code, errOut)
				}
			} else {
				lines := outputLines(t, out)
				if code != exitOK || len(lines) != 1 || lines[0].Message == nil || *lines[0].Message != tt.msg {
					t.Fatalf("classify: exit %d, output %s, stderr:\n%s", code, out, errOut)
				}
			}
			_, errOut, code = runCLI(t, "", "explain", "--status", "500", "--body", body, "--max-body", tt.value)
			if tt.ok != (code == exitOK) {
				t.Fatalf("explain: exit %d, stderr:\n%s", code, errOut)
			}
			if !tt.ok && !strings.Contains(errOut, "max-body") {
				t.Fatalf("explain: stderr does not name the flag:\n%s", errOut)
			}
		})
	}
}

// TestExplainNext checks the next line: the action and its scope, and why
// a retryable response says fallback.
func TestExplainNext(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"quota", []string{"--status", "429", "--body", quotaBody}, "fallback (scope: account)"},
		{"a wait past the cap", []string{"--status", "429", "--header", "Retry-After: 300", "--body", `{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}`},
			"fallback (scope: model); the server asked for a wait longer than 2m0s"},
		{"a gateway page", []string{"--status", "502", "--body", "<html><head><title>502 Bad Gateway</title></head></html>"}, "retry (scope: provider)"},
		{"a bad key", []string{"--status", "401", "--body", apiKeyBody}, "fix_credential (scope: key)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", append([]string{"explain"}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			if diff := cmp.Diff(map[string]string{"next": tt.want}, pick(explainFields(t, out), []string{"next"})); diff != "" {
				t.Errorf("output:\n%s\n(-want +got):\n%s", out, diff)
			}
		})
	}
	out, _, _ := runCLI(t, "", "explain", "--status", "200", "--body", `{"id":"x"}`)
	if strings.Contains(out, "next:") {
		t.Errorf("an OK response has a next line:\n%s", out)
	}
}

// TestExplainGateway checks that explain names the gateway that wrapped an
// error and shows the upstream's message, and that classify writes it as
// the gateway key.
func TestExplainGateway(t *testing.T) {
	body := `{"error":{"message":"litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o. Received Model Group=gpt-4o","type":"throttling_error","param":null,"code":"429"}}`
	in := "HTTP/1.1 429 Too Many Requests\nContent-Type: application/json\n\n" + body
	var out, errOut bytes.Buffer
	if code := run([]string{"explain"}, strings.NewReader(in), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut.String())
	}
	got := pick(explainFields(t, out.String()), []string{"category", "message", "gateway"})
	want := map[string]string{
		"category": "rate_limited",
		"message":  "Rate limit reached for gpt-4o.",
		"gateway":  "litellm",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("explain (-want +got):\n%s", diff)
	}

	line, err := json.Marshal(map[string]any{"status": 429, "body": body})
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run([]string{"classify"}, bytes.NewReader(line), &out, &errOut); code != exitOK {
		t.Fatalf("classify exit %d, stderr:\n%s", code, errOut.String())
	}
	lines := outputLines(t, out.String())
	if len(lines) != 1 || lines[0].Gateway == nil || *lines[0].Gateway != "litellm" {
		t.Errorf("classify gateway: %s", out.String())
	}
}
