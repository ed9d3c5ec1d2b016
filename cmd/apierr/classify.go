package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/parse"
)

// maxLine is the longest input line classify accepts, in bytes, without its
// line ending. A longer line yields an error object and is skipped without
// being held in memory.
const maxLine = 16 << 20

// classifyUsage is the help text of the classify subcommand.
const classifyUsage = `Usage:

	apierr classify [--max-body N] < in.jsonl > out.jsonl

Classify responses in bulk. Standard input holds JSON Lines, one response per
line:

	{"status": 429, "headers": {"Retry-After": "20"}, "body": "..."}

"status" is the HTTP status code (0 or absent for none), "headers" maps
header names to a string or a list of strings, and "body" is the body as a
string; all three are optional and other keys are ignored, so the case
objects of classify/testdata/real work as they are, one per line.

For each input line, one JSON object is written on one line, in input
order, with exactly these keys in this order:

	category, retryable, status, message, type, code, param, format, hint,
	retry_after_ms, ratelimit_reset_ms, request_id, rule, action, scope, gateway

status is null when 0; message, type, code, param, request_id and gateway
are null when empty (gateway names the gateway that wrapped the error, such
as "litellm", when its wrapping says so); retry_after_ms and
ratelimit_reset_ms are integer milliseconds, or null when the response gave
no delay or reset time (0 is a real value).
action is what to do next (none, retry, shrink_and_retry, fallback,
fix_credential, fix_request or stop) and scope how far the failure reaches
(request, model, key, account or provider; null when action is none).
A response that is not an error has rule "no_error" and action "none". API
keys and bearer tokens in the strings are redacted.

An input line that is not a JSON object of that shape, or is longer than
16 MiB, yields {"line": N, "error": "..."} in its place (N counts every
line from 1); processing continues and the exit status is 1 at the end.
Lines that are empty or hold only white space are skipped: nothing is
written for them. Output is flushed whenever no more input is waiting, so
the command can be used interactively through a pipe.
`

// classifyOptions holds the flags of the classify subcommand.
type classifyOptions struct {
	// maxBody is --max-body, the classifier's body limit in bytes.
	maxBody int
}

// classifyFlags returns the flag set of the classify subcommand, writing to
// out, and the options it fills.
func classifyFlags(out io.Writer) (*flag.FlagSet, *classifyOptions) {
	o := &classifyOptions{}
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&o.maxBody, "max-body", 0, "most `bytes` of each body to parse (0 means the library default, 64 KiB)")
	return fs, o
}

// inputLine is one line of classify's input. Unknown keys are ignored.
type inputLine struct {
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Headers maps header names to a JSON string or a list of strings.
	Headers map[string]json.RawMessage `json:"headers"`
	// Body is the response body.
	Body string `json:"body"`
}

// runClassify runs the classify subcommand and returns the exit status.
func runClassify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, o := classifyFlags(stderr)
	if status, ok := parseFlags(fs, classifyUsage, args, stdout, stderr); !ok {
		return status
	}
	if o.maxBody < 0 || o.maxBody > maxMaxBody {
		return usageError(fs, classifyUsage, stderr, "--max-body must be from 0 to %d bytes (64 MiB), got %d", maxMaxBody, o.maxBody)
	}
	c := &classify.Classifier{MaxBodyBytes: o.maxBody, Now: now}
	limit := o.maxBody
	if limit == 0 {
		limit = parse.DefaultMaxBytes
	}
	br := bufio.NewReaderSize(stdin, 64<<10)
	bw := bufio.NewWriterSize(stdout, 64<<10)
	lines := lineReader{r: br, max: maxLine}
	h := http.Header{}
	var out []byte
	bad := false
	for n := 1; ; n++ {
		line, tooLong, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			bw.Flush()
			fmt.Fprintf(stderr, "apierr classify: reading standard input: %v\n", err)
			return exitFail
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
		}
		out = out[:0]
		switch {
		case tooLong:
			bad = true
			out = appendLineError(out, n, fmt.Sprintf("line is longer than %d bytes", maxLine))
		case len(bytes.TrimSpace(line)) == 0:
			// Blank lines are skipped silently.
		default:
			status, body, err := decodeLine(line, h, limit)
			if err != nil {
				bad = true
				out = appendLineError(out, n, err.Error())
				break
			}
			r := c.Classify(status, h, body)
			out = appendResult(out, &r)
		}
		if _, err := bw.Write(out); err != nil {
			fmt.Fprintf(stderr, "apierr classify: writing output: %v\n", err)
			return exitFail
		}
		// Flush before a read could block, so that a program talking to
		// us through pipes sees each answer as soon as it is ready.
		if br.Buffered() == 0 && bw.Buffered() > 0 {
			if err := bw.Flush(); err != nil {
				fmt.Fprintf(stderr, "apierr classify: writing output: %v\n", err)
				return exitFail
			}
		}
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintf(stderr, "apierr classify: writing output: %v\n", err)
		return exitFail
	}
	if bad {
		return exitFail
	}
	return exitOK
}

// lineReader reads lines of at most max bytes from a bufio.Reader into a
// reused buffer, skipping over longer lines without holding them.
type lineReader struct {
	// r is the input.
	r *bufio.Reader
	// max is the longest line accepted, without its line ending.
	max int
	// buf holds the current line; it is reused from line to line.
	buf []byte
}

// next returns the next line without its LF or CRLF ending. The line is
// valid until the following call. When the line is longer than max, next
// returns tooLong and no line. It returns io.EOF only when no input is
// left; a last line without a newline is returned as a line.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	if cap(lr.buf) > 1<<20 {
		lr.buf = nil // let a huge line's buffer go
	}
	lr.buf = lr.buf[:0]
	size := 0 // bytes of this line read so far, ending included
	for {
		chunk, err := lr.r.ReadSlice('\n')
		size += len(chunk)
		if !tooLong {
			if size > lr.max+2 { // more than max even without a CRLF
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && size > 0:
			// A last line with no newline.
		case err != nil:
			return nil, false, err
		}
		break
	}
	if tooLong {
		return nil, true, nil
	}
	line = bytes.TrimSuffix(lr.buf, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > lr.max {
		return nil, true, nil
	}
	return line, false, nil
}

// decodeLine decodes one input line, fills h (cleared first) with its
// headers and returns its status and body. The body is cut after limit+1
// bytes: the classifier reads no more than limit bytes and needs only to
// see that there were more, so a long body is not copied whole.
func decodeLine(line []byte, h http.Header, limit int) (status int, body []byte, err error) {
	clear(h)
	if trimmed := bytes.TrimLeft(line, " \t\r"); len(trimmed) == 0 || trimmed[0] != '{' {
		return 0, nil, errors.New("want a JSON object such as {\"status\": 429, \"headers\": {...}, \"body\": \"...\"}")
	}
	var in inputLine
	if err := json.Unmarshal(line, &in); err != nil {
		return 0, nil, jsonError(err)
	}
	if in.Status < 0 || in.Status > 0 && in.Status < 100 || in.Status > 999 {
		return 0, nil, fmt.Errorf("status: want an HTTP status code from 100 to 999 (or 0 for none), got %d", in.Status)
	}
	if err := addHeaders(h, in.Headers); err != nil {
		return 0, nil, err
	}
	if len(in.Body)-1 > limit { // not limit+1, which could overflow
		in.Body = in.Body[:limit+1]
	}
	return in.Status, []byte(in.Body), nil
}

// addHeaders adds the decoded "headers" object to h. Each value must be a
// JSON string or a list of strings. Names go through http.Header.Add, which
// canonicalises them; they are added in sorted order so that names that
// canonicalise alike ("retry-after", "Retry-After") give the same result
// every time.
func addHeaders(h http.Header, headers map[string]json.RawMessage) error {
	add := func(name string, raw json.RawMessage) error {
		switch jsonKind(raw) {
		case kindString:
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("headers: %q: %v", name, err)
			}
			h.Add(name, v)
			return nil
		case kindList:
			var list []json.RawMessage
			if err := json.Unmarshal(raw, &list); err != nil {
				return fmt.Errorf("headers: %q: %v", name, err)
			}
			for _, item := range list {
				var v string
				if jsonKind(item) != kindString || json.Unmarshal(item, &v) != nil {
					return fmt.Errorf("headers: %q: want a string or a list of strings, got a list holding %s", name, jsonKind(item))
				}
				h.Add(name, v)
			}
			return nil
		}
		return fmt.Errorf("headers: %q: want a string or a list of strings, got %s", name, jsonKind(raw))
	}
	if len(headers) == 1 {
		for name, raw := range headers {
			return add(name, raw)
		}
	}
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := add(name, headers[name]); err != nil {
			return err
		}
	}
	return nil
}

// The kinds of JSON values that jsonKind tells apart, worded for error
// messages.
const (
	// kindString is the kind of a JSON string.
	kindString = "a string"
	// kindList is the kind of a JSON array.
	kindList = "a list"
)

// jsonKind names the kind of a JSON value, for error messages. An empty
// value, which encoding/json may leave for null, is null.
func jsonKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "null"
	}
	switch raw[0] {
	case '"':
		return kindString
	case '[':
		return kindList
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// jsonError rewords an error from decoding an input line so that it names
// the input's field and JSON kinds rather than Go types.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		want := "a " + typeErr.Type.Kind().String()
		switch typeErr.Type.Kind() {
		case reflect.Int:
			want = "an integer"
		case reflect.Map:
			want = "an object"
		}
		return fmt.Errorf("%s: want %s, got JSON %s", typeErr.Field, want, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("not valid JSON: %v (at byte %d)", syntaxErr, syntaxErr.Offset)
	}
	return fmt.Errorf("not valid JSON: %v", err)
}

// appendResult appends r to b as one line of classify's output: a JSON
// object with the classify.Key* names in their documented order, absent
// values as null and the strings from the response redacted.
func appendResult(b []byte, r *classify.Result) []byte {
	b = append(b, '{')
	b = appendKey(b, classify.KeyCategory, true)
	b = appendString(b, r.Category.String())
	b = appendKey(b, classify.KeyRetryable, false)
	b = strconv.AppendBool(b, r.Retryable)
	b = appendKey(b, classify.KeyStatus, false)
	if r.Status == 0 {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(r.Status), 10)
	}
	b = appendOptional(b, classify.KeyMessage, r.Message)
	b = appendOptional(b, classify.KeyType, r.Type)
	b = appendOptional(b, classify.KeyCode, r.Code)
	b = appendOptional(b, classify.KeyParam, r.Param)
	b = appendKey(b, classify.KeyFormat, false)
	b = appendString(b, string(r.Format))
	b = appendKey(b, classify.KeyHint, false)
	b = appendString(b, r.Hint)
	b = appendKey(b, classify.KeyRetryAfterMs, false)
	if r.RetryAfterSource == "" {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, r.RetryAfter.Milliseconds(), 10)
	}
	b = appendKey(b, classify.KeyRateLimitResetMs, false)
	if r.RateLimitResetSource == "" {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, r.RateLimitReset.Milliseconds(), 10)
	}
	b = appendOptional(b, classify.KeyRequestID, r.RequestID)
	b = appendKey(b, classify.KeyRule, false)
	b = appendString(b, r.Rule)
	b = appendKey(b, classify.KeyAction, false)
	b = appendString(b, r.Action.String())
	b = appendOptional(b, classify.KeyScope, r.Scope.String())
	b = appendOptional(b, classify.KeyGateway, r.Gateway)
	return append(b, "}\n"...)
}

// appendLineError appends the output line that stands for a bad input
// line: {"line": n, "error": msg}.
func appendLineError(b []byte, n int, msg string) []byte {
	b = append(b, `{"line":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `,"error":`...)
	b = appendString(b, redactField(msg, jsonSize))
	return append(b, "}\n"...)
}

// appendKey appends an object key and its colon, preceded by a comma
// unless it is the first.
func appendKey(b []byte, key string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendString(b, key)
	return append(b, ':')
}

// appendOptional appends key and s, redacted, or null when s is empty.
func appendOptional(b []byte, key, s string) []byte {
	b = appendKey(b, key, false)
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, redactField(s, jsonSize))
}

// hexDigits are the digits of \u escapes.
const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it with HTML escaping off: invalid UTF-8 becomes U+FFFD, and
// U+2028 and U+2029 are escaped so that the output is also valid
// JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is still to be copied
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
