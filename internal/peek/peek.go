// Package peek reads the head of a 2xx streaming response without holding
// the stream back: up to the end of its first token (the first server-sent
// event that carries data, the first NDJSON line, the first AWS event
// stream message), then hands the body back whole. It is shared by package
// retryhttp and policy's go-retryablehttp hooks.
//
// A stream compressed with gzip (Content-Encoding: gzip, left on the
// response when the caller decompresses it itself) is peeked through a
// decompressor, but the body handed back replays the exact compressed
// bytes that were read.
//
// Runtime helper: retryhttp and policy import it from non-test code.
package peek

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Bytes bounds how much of a stream is read, decompressed: the end of the
// first token, or this many bytes, whichever comes first.
const Bytes = 4 << 10

// rawBytes bounds the compressed bytes read for a gzip stream, so that
// compressed input that never decompresses to anything cannot hold the
// stream back without end.
const rawBytes = 4 * Bytes

// Kind is a kind of stream that Stream peeks.
type Kind uint8

// The kinds of stream.
const (
	// None is a response that is not peeked: not a stream, or one whose
	// encoding cannot be read here.
	None Kind = iota
	// SSE is text/event-stream; a token is an event with a data line.
	SSE
	// NDJSON is newline-delimited JSON (application/x-ndjson,
	// application/jsonl and their aliases); a token is a non-blank line.
	NDJSON
	// EventStream is AWS's binary application/vnd.amazon.eventstream; a
	// token is a message.
	EventStream
)

// KindOf returns the kind of stream h declares by its Content-Type, or
// None. A Content-Encoding other than gzip (or identity) gives None: the
// bytes cannot be read here, so the response is passed through.
func KindOf(h http.Header) Kind {
	ct := h.Get("Content-Type")
	if ct == "" {
		return None
	}
	if enc := contentEncoding(h); enc != "" && enc != "gzip" {
		return None
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	switch mt {
	case "text/event-stream":
		return SSE
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
		"application/jsonlines", "application/json-seq", "application/stream+json":
		return NDJSON
	case "application/vnd.amazon.eventstream":
		return EventStream
	}
	return None
}

// IsStream reports whether h declares a stream that Stream peeks.
func IsStream(h http.Header) bool { return KindOf(h) != None }

// Compressed reports whether h declares a gzip Content-Encoding: the body
// holds compressed bytes that Stream reads through a decompressor.
func Compressed(h http.Header) bool { return contentEncoding(h) == "gzip" }

// contentEncoding returns the lowered Content-Encoding, "" for none or
// identity, "gzip" for gzip and x-gzip.
func contentEncoding(h http.Header) string {
	enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
		return ""
	case "gzip", "x-gzip":
		return "gzip"
	}
	return enc
}

// Stream reads resp's body up to the end of its first token (at most
// Bytes, decompressed) and puts what it read back, so that resp.Body reads
// the whole stream from the start, the rest straight from the connection.
// It returns the first token and what came before it (comments, blank
// lines), decompressed; for a response KindOf says None, it reads nothing
// and returns nil. The error is non-nil only when the read failed before
// any token, and resp.Body then replays what was read followed by that
// error. A gzip body that does not decompress is handed back as it is.
func Stream(resp *http.Response) ([]byte, error) {
	kind := KindOf(resp.Header)
	if kind == None || resp.Body == nil || resp.Body == http.NoBody {
		return nil, nil
	}
	var raw, buf []byte
	var err error
	if Compressed(resp.Header) {
		raw, buf, err = readGzip(resp.Body, kind)
	} else {
		buf, err = read(resp.Body, kind)
		raw = buf
	}
	var rest io.Reader = resp.Body
	if err != nil {
		rest = &errReader{err}
	}
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(raw), rest), Closer: resp.Body}
	end := tokenEnd(kind, buf)
	if err != nil && end < 0 && !partialToken(kind, buf) {
		return buf, err
	}
	if end >= 0 {
		// Only the first token decides: an error after it follows
		// delivered tokens and reaches the caller in the stream.
		buf = buf[:end]
	}
	return buf, nil
}

// read reads r up to the end of the first token of kind, or Bytes, or the
// end of r. Each Read returns what the connection has, so a first token
// that is flushed alone is returned as soon as it arrives. Reaching the
// end of r is not an error.
func read(r io.Reader, kind Kind) ([]byte, error) {
	buf := make([]byte, 0, 512)
	for len(buf) < Bytes {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), Bytes)])
		buf = buf[:len(buf)+n]
		if tokenEnd(kind, buf) != -1 {
			return buf, nil
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// readGzip is read through a gzip decompressor: it returns the compressed
// bytes read from r and what they decompressed to. An error of r is
// returned; a decompression error ends the read without one (the caller's
// own decompressor will meet it).
func readGzip(r io.Reader, kind Kind) (raw, buf []byte, err error) {
	rec := &recorder{r: r}
	zr, zerr := gzip.NewReader(rec) // reads the gzip header
	if zerr == nil {
		buf, _ = read(zr, kind)
	}
	if rec.err != nil && rec.err != io.EOF && rec.err != errRawLimit {
		return rec.raw, buf, rec.err
	}
	return rec.raw, buf, nil
}

// errRawLimit ends a gzip peek that read rawBytes.
var errRawLimit = errors.New("peek: compressed read limit")

// recorder keeps every byte read from r, up to rawBytes, and the first
// error r returned.
type recorder struct {
	r   io.Reader
	raw []byte
	err error
}

func (c *recorder) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if room := rawBytes - len(c.raw); room <= 0 {
		c.err = errRawLimit
		return 0, c.err
	} else if len(p) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.raw = append(c.raw, p[:n]...)
	if err != nil {
		c.err = err
	}
	return n, err
}

// tokenEnd returns the end of the first token of kind in b, -1 when b
// holds none yet, or -2 when b cannot be a stream of kind (an event stream
// message with an impossible length): reading more would not help.
func tokenEnd(kind Kind, b []byte) int {
	switch kind {
	case SSE:
		return eventEnd(b)
	case NDJSON:
		return lineEnd(b)
	case EventStream:
		return messageEnd(b)
	}
	return -1
}

// partialToken reports whether b, which holds no whole token, holds the
// start of one: data that may already have reached a caller.
func partialToken(kind Kind, b []byte) bool {
	switch kind {
	case SSE:
		return bytes.Contains(b, []byte("data:"))
	case NDJSON:
		return !blank(b)
	}
	return false
}

// eventEnd returns the end of the first complete event in b that has a
// data line, or -1. Events end with a blank line. read calls it after each
// read on at most Bytes, so the rescans stay bounded.
func eventEnd(b []byte) int {
	start := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		j := i + 1
		if j < len(b) && b[j] == '\r' {
			j++
		}
		if j < len(b) && b[j] == '\n' {
			if hasData(b[start:i]) {
				return j + 1
			}
			start = j + 1
			i = j // the next event starts after the blank line
		}
	}
	return -1
}

func hasData(event []byte) bool {
	return bytes.HasPrefix(event, []byte("data:")) || bytes.Contains(event, []byte("\ndata:"))
}

// lineEnd returns the end (after its newline) of the first line of b that
// is not blank, or -1.
func lineEnd(b []byte) int {
	for start := 0; start < len(b); {
		i := bytes.IndexByte(b[start:], '\n')
		if i < 0 {
			return -1
		}
		if !blank(b[start : start+i]) {
			return start + i + 1
		}
		start += i + 1
	}
	return -1
}

// Event stream message bounds (see parse/eventstream.go): a prelude and a
// trailing CRC at least, 16 MiB at most, as the AWS SDKs allow.
const (
	esMinTotal = 16
	esMaxTotal = 16 << 20
)

// messageEnd returns the end of the first event stream message in b, -1
// when it is not all there, or -2 when its declared length is impossible.
func messageEnd(b []byte) int {
	if len(b) < 4 {
		return -1
	}
	total := binary.BigEndian.Uint32(b)
	if total < esMinTotal || total > esMaxTotal {
		return -2
	}
	if uint64(len(b)) < uint64(total) {
		return -1
	}
	return int(total)
}

// replayBody replays the bytes already read, then the rest of the body.
type replayBody struct {
	io.Reader
	io.Closer
}

// errReader returns err, after the bytes replayed before it.
type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }
