package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/redact"
	"github.com/apierr/apierr/parse"
)

// maxInput is the most that explain reads from standard input or from a
// --body @file, so that memory stays bounded whatever is piped in. The
// classifier itself looks at no more than --max-body bytes of the body.
const maxInput = 64 << 20

// maxMaxBody is the largest --max-body: no input that the tool reads is
// longer (see maxInput and maxLine), and a larger value is a mistake.
const maxMaxBody = maxInput

// explainUsage is the help text of the explain subcommand.
const explainUsage = `Usage:

	apierr explain --status N [--header 'Name: value']... [--body TEXT|@FILE]
	apierr explain < response.txt

Explain one error response for a human: its category, whether a retry can
help and which rule decided, what the server said, how long it asked the
client to wait, the rate-limit window, the next action and its scope (retry,
shrink_and_retry, fallback, fix_credential, fix_request or stop; for this
request, model, key, account or provider) and what to do. API keys and bearer
tokens in anything the server sent are redacted.

Without --status the response is read from standard input as "curl -i"
prints it: a status line such as "HTTP/1.1 429 Too Many Requests" or
"HTTP/2 429", header lines, a blank line and the body, with LF or CRLF line
endings. When there are several header blocks (an "HTTP/1.1 100 Continue" or
a proxy's "200 Connection established" before the real response), the last
one is used. At most 64 MiB are read.

Examples:

	apierr explain --status 429 --header 'Retry-After: 20' \
		--body '{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}'
	apierr explain --status 400 --body @response.json
	curl -si https://api.openai.com/v1/models | apierr explain
`

// explainOptions holds the flags of the explain subcommand.
type explainOptions struct {
	// status is --status, the HTTP status code.
	status int
	// header collects the repeatable --header flag.
	header headerFlag
	// body is --body: the body itself, or "@file" to read it from a file
	// ("@-" for standard input).
	body string
	// maxBody is --max-body, the classifier's body limit in bytes.
	maxBody int
}

// explainFlags returns the flag set of the explain subcommand, writing to
// out, and the options it fills.
func explainFlags(out io.Writer) (*flag.FlagSet, *explainOptions) {
	o := &explainOptions{header: headerFlag{h: http.Header{}}}
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&o.status, "status", 0, "HTTP status `code` of the response (without it, read the response from standard input as curl -i prints it)")
	fs.Var(&o.header, "header", "response header as `'Name: value'`; repeatable")
	fs.StringVar(&o.body, "body", "", "response body `text`, or @file to read it from a file (@- for standard input)")
	fs.IntVar(&o.maxBody, "max-body", 0, "most `bytes` of the body to parse (0 means the library default, 64 KiB)")
	return fs, o
}

// headerFlag is a repeatable flag.Value that adds "Name: value" headers to
// an http.Header, which canonicalises the names.
type headerFlag struct {
	// h receives the headers.
	h http.Header
}

// String returns the headers given so far, one "Name: value" per line; it
// exists for flag.Value.
func (f *headerFlag) String() string {
	if f == nil || len(f.h) == 0 {
		return ""
	}
	var b strings.Builder
	_ = f.h.Write(&b)
	return strings.TrimSpace(b.String())
}

// Set adds one "Name: value" header.
func (f *headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || !isToken(name) {
		return fmt.Errorf(`want "Name: value", got %q`, redact.String(s))
	}
	f.h.Add(name, strings.TrimSpace(value))
	return nil
}

// isToken reports whether s is a valid HTTP header name (an RFC 9110
// token).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// response is one HTTP response as given to explain.
type response struct {
	// status is the status code.
	status int
	// reason is the reason phrase of the status line, if any.
	reason string
	// header holds the headers with canonical keys.
	header http.Header
	// body is the body, possibly cut at maxInput.
	body []byte
}

// runExplain runs the explain subcommand and returns the exit status.
func runExplain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, o := explainFlags(stderr)
	if status, ok := parseFlags(fs, explainUsage, args, stdout, stderr); !ok {
		return status
	}
	if o.maxBody < 0 || o.maxBody > maxMaxBody {
		return usageError(fs, explainUsage, stderr, "--max-body must be from 0 to %d bytes (64 MiB), got %d", maxMaxBody, o.maxBody)
	}
	var (
		resp   response
		capped bool // the input was longer than maxInput
		err    error
	)
	if isSet(fs, "status") {
		if o.status < 100 || o.status > 999 {
			return usageError(fs, explainUsage, stderr, "--status must be an HTTP status code from 100 to 999, got %d", o.status)
		}
		resp = response{status: o.status, header: o.header.h}
		if body, ok := strings.CutPrefix(o.body, "@"); ok {
			resp.body, capped, err = readBodyFile(body, stdin)
			if err != nil {
				fmt.Fprintf(stderr, "apierr explain: --body: %v\n", err)
				return exitUsage
			}
		} else {
			resp.body = []byte(o.body)
		}
	} else {
		if isSet(fs, "header") || isSet(fs, "body") {
			return usageError(fs, explainUsage, stderr, "--header and --body need --status; without --status the response is read from standard input")
		}
		if isTerminal(stdin) {
			return usageError(fs, explainUsage, stderr, "no --status given and standard input is a terminal: pipe in the output of curl -i, or use --status")
		}
		var data []byte
		data, capped, err = readCapped(stdin, maxInput)
		if err != nil {
			fmt.Fprintf(stderr, "apierr explain: reading standard input: %v\n", err)
			return exitUsage
		}
		resp, err = parseCurl(data)
		if err != nil {
			fmt.Fprintf(stderr, "apierr explain: standard input: %v\n", err)
			return exitUsage
		}
	}

	c := classify.Classifier{MaxBodyBytes: o.maxBody, Now: now}
	r := c.Classify(resp.status, resp.header, resp.body)
	limit := o.maxBody
	if limit == 0 {
		limit = parse.DefaultMaxBytes
	}
	var b bytes.Buffer
	explain(&b, r, resp.reason, limit, capped)
	if _, err := stdout.Write(b.Bytes()); err != nil {
		fmt.Fprintf(stderr, "apierr explain: writing output: %v\n", err)
		return exitFail
	}
	return exitOK
}

// readBodyFile reads the body named by --body @name: the file name, or
// standard input for "-". It reads at most maxInput bytes and reports
// whether there was more.
func readBodyFile(name string, stdin io.Reader) (body []byte, capped bool, err error) {
	if name == "-" {
		return readCapped(stdin, maxInput)
	}
	if name == "" {
		return nil, false, errors.New(`"@" needs a file name, as in @body.json`)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	return readCapped(f, maxInput)
}

// readCapped reads r to its end but keeps at most max bytes, and reports
// whether there were more. It stops reading at max+1 bytes, so memory stays
// bounded.
func readCapped(r io.Reader, max int64) (data []byte, capped bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(data)) > max {
		return data[:max], true, err
	}
	return data, false, err
}

// isTerminal reports whether r is a terminal (a character device), from
// which explain would wait for typed input that nobody means to type.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// parseCurl parses a response as curl -i prints it: a status line, header
// lines, a blank line and the body. When the body itself starts with a
// status line (curl prints the header block of an interim 1xx response or
// of a proxy's CONNECT reply before the real one), the last block wins.
func parseCurl(data []byte) (response, error) {
	// Tolerate blank lines before the status line, as in a pasted response.
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return response{}, errors.New(`no input: want a response as curl -i prints it, starting with a status line such as "HTTP/1.1 429 Too Many Requests"`)
	}
	lineNo := 0
	for {
		line, rest := nextLine(data)
		lineNo++
		status, reason, err := parseStatusLine(line)
		if err != nil {
			return response{}, fmt.Errorf(`line %d: %w; want a response as curl -i prints it, starting with a status line such as "HTTP/1.1 429 Too Many Requests" (or use --status)`, lineNo, err)
		}
		resp := response{status: status, reason: reason, header: http.Header{}}
		last := "" // the last header name, for continuation lines
		for len(rest) > 0 {
			line, rest = nextLine(rest)
			lineNo++
			if len(line) == 0 {
				resp.body = rest
				break
			}
			if line[0] == ' ' || line[0] == '\t' {
				// An obsolete folded continuation of the previous header.
				if last == "" {
					return response{}, fmt.Errorf("line %d: continuation line without a header before it: %q", lineNo, quoteLine(line))
				}
				vs := resp.header[last]
				vs[len(vs)-1] = strings.TrimSpace(vs[len(vs)-1] + " " + strings.TrimSpace(string(line)))
				continue
			}
			name, value, ok := bytes.Cut(line, []byte(":"))
			if !ok || !isToken(string(name)) {
				return response{}, fmt.Errorf(`line %d: want a header line "Name: value" or a blank line, got %q`, lineNo, quoteLine(line))
			}
			resp.header.Add(string(name), strings.TrimSpace(string(value)))
			last = http.CanonicalHeaderKey(string(name))
		}
		if next, _ := nextLine(resp.body); bytes.HasPrefix(next, []byte("HTTP/")) {
			if _, _, err := parseStatusLine(next); err == nil {
				data = resp.body
				continue
			}
		}
		return resp, nil
	}
}

// nextLine splits data after its first line and returns the line without
// its LF or CRLF ending, and the rest.
func nextLine(data []byte) (line, rest []byte) {
	line, rest, _ = bytes.Cut(data, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), rest
}

// quoteLine shortens a line of input for an error message and redacts any
// secret in it.
func quoteLine(line []byte) string {
	const max = 80
	s := string(line)
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "..."
	}
	return redact.String(s)
}

// parseStatusLine parses a status line such as "HTTP/1.1 429 Too Many
// Requests", "HTTP/2 429" or "HTTP/2 429 " and returns the code and the
// reason phrase.
func parseStatusLine(line []byte) (status int, reason string, err error) {
	s := string(line)
	proto, rest, _ := strings.Cut(s, " ")
	version, ok := strings.CutPrefix(proto, "HTTP/")
	if !ok || version == "" || strings.Trim(version, "0123456789.") != "" {
		return 0, "", fmt.Errorf("not an HTTP status line: %q", quoteLine(line))
	}
	code, reason, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
	if len(code) != 3 || code[0] < '1' || strings.Trim(code, "0123456789") != "" {
		return 0, "", fmt.Errorf("no three-digit status code after %s in %q", proto, quoteLine(line))
	}
	status, _ = strconv.Atoi(code)
	return status, strings.TrimSpace(reason), nil
}

// labelWidth is the width of the label column of explain's output, enough
// for the longest label, "server delay:", and a space.
const labelWidth = 14

// explain writes the explanation of r to w. reason is the status line's
// reason phrase, if any; limit is the body limit the classifier used;
// capped reports that the input was cut at maxInput.
func explain(w *bytes.Buffer, r classify.Result, reason string, limit int, capped bool) {
	line := func(label, value string) {
		fmt.Fprintf(w, "%-*s%s\n", labelWidth, label+":", value)
	}
	if r.OK {
		line("ok", "not an error response")
	} else {
		line("category", r.Category.String())
		line("retryable", retryability(r))
		line("next", nextText(r))
	}
	line("status", statusText(r.Status, reason))
	if r.Message != "" {
		line("message", printable(r.Message))
	}
	if r.Type != "" || r.Code != "" {
		line("type/code", orDash(printable(r.Type))+" / "+orDash(printable(r.Code)))
	}
	if r.Param != "" {
		line("param", printable(r.Param))
	}
	format := string(r.Format)
	if r.Truncated {
		format += fmt.Sprintf(" (body truncated at %d bytes)", limit)
	}
	line("format", format)
	switch {
	case r.RetryAfterSource != "":
		line("server delay", fmt.Sprintf("%s (%s)", delayText(r.RetryAfter), r.RetryAfterSource))
	case !r.OK:
		line("server delay", "none")
	}
	if s := rateLimit(r); s != "" {
		line("rate limit", s)
	}
	if r.RequestID != "" {
		line("request id", printable(r.RequestID))
	}
	if r.Gateway != "" {
		line("gateway", r.Gateway)
	}
	if !r.OK {
		line("hint", r.Hint)
		line("policy", decisionText(r))
		if next := laterRetries(r); next != "" {
			line("then", next)
		}
	}
	if capped {
		line("note", fmt.Sprintf("the input was longer than %d bytes; only that much was read", maxInput))
	}
}

// retryability renders whether r is retryable, which rule decided and
// whether the x-should-retry header overrode the rule.
func retryability(r classify.Result) string {
	yes := "no"
	if r.Retryable {
		yes = "yes"
	}
	rule, overridden := strings.CutSuffix(r.Rule, ","+classify.RuleXShouldRetry)
	switch {
	case overridden:
		said := "yes"
		if r.Retryable {
			said = "no"
		}
		return fmt.Sprintf("%s (the x-should-retry: %s header decided; rule %s said %s)", yes, r.ShouldRetry, rule, said)
	case r.ShouldRetry != "":
		return fmt.Sprintf("%s (rule: %s; the x-should-retry: %s header agrees)", yes, rule, r.ShouldRetry)
	}
	return fmt.Sprintf("%s (rule: %s)", yes, rule)
}

// nextText renders the next action and its scope, and why a retryable
// result says fallback.
func nextText(r classify.Result) string {
	s := fmt.Sprintf("%s (scope: %s)", r.Action, r.Scope)
	if r.Retryable && r.Action == catalog.ActionFallback {
		s += fmt.Sprintf("; the server asked for a wait longer than %v", classify.LongDelay)
	}
	return s
}

// statusText renders a status code with its name: the catalog's when it
// knows the code, else the reason phrase the server sent, else the
// standard one.
func statusText(status int, reason string) string {
	name := ""
	if st := catalog.StatusInfo(status); st.Known {
		name = st.Name
	} else if reason != "" {
		name = printable(reason)
	} else {
		name = http.StatusText(status)
	}
	if name == "" {
		return strconv.Itoa(status)
	}
	return strconv.Itoa(status) + " " + name
}

// rateLimit renders the rate-limit window of r, or "" when the response
// said nothing about one.
func rateLimit(r classify.Result) string {
	var s string
	switch {
	case r.RateLimitResetSource != "":
		s = fmt.Sprintf("resets in %v (%s)", r.RateLimitReset, r.RateLimitResetSource)
		if r.RateLimitExhausted {
			s += ", exhausted"
		}
	case r.RateLimitExhausted:
		s = "exhausted (no reset time given)"
	}
	return s
}

// orDash returns s, or "-" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// printable makes text that came from the response safe to print on a
// terminal: it redacts API keys and bearer tokens, escapes control
// characters, bidirectional-text controls and invalid UTF-8 (so that a body
// cannot move the cursor or recolour the terminal), and indents the lines
// after the first to the value column.
func printable(s string) string {
	s = redactField(s, termSize)
	clean := true
	for _, c := range s {
		if c == utf8.RuneError || c == '\n' || unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case c == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// The CR of a CRLF line ending: the LF starts the next line.
		case c == '\n':
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", labelWidth))
		case c == '\t':
			b.WriteByte('\t')
		case unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c):
			if c < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				fmt.Fprintf(&b, `\u%04x`, c)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// delayText renders a server delay, naming the saturated value for what it
// is rather than printing 2562047h47m16.854775807s.
func delayText(d time.Duration) string {
	if d == time.Duration(math.MaxInt64) {
		return "longer than a Duration can hold (the server's value saturated)"
	}
	return d.String()
}
