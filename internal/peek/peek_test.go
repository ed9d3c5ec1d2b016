package peek

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"testing/iotest"
)

// FuzzStream: whatever the body and however it is split into reads, Stream
// reads at most Bytes, returns a prefix of the body that holds at most one
// data event, and leaves a body that reads back exactly the original.
func FuzzStream(f *testing.F) {
	f.Add([]byte("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"), false)
	f.Add([]byte(": ping\n\ndata: a\r\n\r\ndata: b\n\n"), true)
	f.Add(bytes.Repeat([]byte("x"), 5000), true)
	f.Fuzz(func(t *testing.T, body []byte, oneByte bool) {
		var r io.Reader = bytes.NewReader(body)
		if oneByte {
			r = iotest.OneByteReader(r)
		}
		resp := &http.Response{Header: sseHeader(), Body: io.NopCloser(r)}
		first, err := Stream(resp)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) > Bytes || !bytes.HasPrefix(body, first) {
			t.Fatalf("first event %q is not a prefix of at most %d bytes", first, Bytes)
		}
		if end := eventEnd(first); end >= 0 && end != len(first) {
			t.Fatalf("first %q runs past its first data event (end %d)", first, end)
		}
		all, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(all, body) {
			t.Fatalf("replayed %q, %v; want the body", all, err)
		}
	})
}

// TestStreamStopsAtFirstDataEvent: the read stops at the end of the first
// event that carries data, comments and empty events before it included.
func TestStreamStopsAtFirstDataEvent(t *testing.T) {
	body := ": ping\n\nevent: message_start\ndata: {}\r\n\r\ndata: second\n\n"
	resp := &http.Response{Header: sseHeader(), Body: io.NopCloser(iotest.OneByteReader(bytes.NewReader([]byte(body))))}
	first, err := Stream(resp)
	if want := ": ping\n\nevent: message_start\ndata: {}\r\n\r\n"; err != nil || string(first) != want {
		t.Fatalf("first %q, %v; want %q", first, err, want)
	}
}

func sseHeader() http.Header { return http.Header{"Content-Type": {"text/event-stream"}} }
