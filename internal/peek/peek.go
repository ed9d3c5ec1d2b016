// Package peek reads the head of a server-sent event stream without
// holding the stream back: up to the end of its first event that carries
// data, then hands the body back whole. It is shared by package retryhttp
// and policy's go-retryablehttp hooks.
//
// Runtime helper: retryhttp and policy import it from non-test code.
package peek

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Bytes bounds how much of a stream is read: the end of the first data
// event, or this many bytes, whichever comes first.
const Bytes = 4 << 10

// IsEventStream reports whether h declares a server-sent event stream.
func IsEventStream(h http.Header) bool {
	ct := h.Get("Content-Type")
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt == "text/event-stream"
}

// Stream reads resp's body up to the end of its first data event (at most
// Bytes) and puts what it read back, so that resp.Body reads the whole
// stream from the start, the rest straight from the connection. It returns
// the first event (or what was read of it); the error is non-nil only when
// the read failed before any data line, and resp.Body then replays what
// was read followed by that error.
func Stream(resp *http.Response) ([]byte, error) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil, nil
	}
	buf, err := read(resp.Body)
	var rest io.Reader = resp.Body
	if err != nil {
		rest = &errReader{err}
	}
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(buf), rest), Closer: resp.Body}
	if err != nil && !bytes.Contains(buf, []byte("data:")) {
		return buf, err
	}
	if end := eventEnd(buf); end >= 0 {
		// Only the first data event decides: an error event after it
		// follows delivered tokens and reaches the caller in the stream.
		buf = buf[:end]
	}
	return buf, nil
}

// read reads r up to the end of the first SSE event that carries a data
// line, or Bytes, or the end of r. Each Read returns what the connection
// has, so a first event that is flushed alone is returned as soon as it
// arrives. Reaching the end of r is not an error.
func read(r io.Reader) ([]byte, error) {
	buf := make([]byte, 0, 512)
	for len(buf) < Bytes {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), Bytes)])
		buf = buf[:len(buf)+n]
		if eventEnd(buf) >= 0 {
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

// replayBody replays the bytes already read, then the rest of the body.
type replayBody struct {
	io.Reader
	io.Closer
}

// errReader returns err, after the bytes replayed before it.
type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }
