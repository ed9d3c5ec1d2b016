package peek

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"strings"
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

// esMessage encodes an AWS event stream message with one string header
// and the payload; the CRCs are left zero, as peek does not check them.
func esMessage(typ, payload string) string {
	h := append([]byte{byte(len(":message-type"))}, ":message-type"...)
	h = append(h, 7)
	h = binary.BigEndian.AppendUint16(h, uint16(len(typ)))
	h = append(h, typ...)
	m := binary.BigEndian.AppendUint32(nil, uint32(12+len(h)+len(payload)+4))
	m = binary.BigEndian.AppendUint32(m, uint32(len(h)))
	m = append(m, 0, 0, 0, 0)
	m = append(m, h...)
	m = append(m, payload...)
	return string(append(m, 0, 0, 0, 0))
}

func gzipped(t testing.TB, chunks ...string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for _, c := range chunks {
		zw.Write([]byte(c))
		zw.Flush()
	}
	zw.Close()
	return b.Bytes()
}

// TestStreamKinds: for each kind, the first token is returned (what
// precedes it included, what follows it not), and the body replays the
// exact bytes, compressed ones included.
func TestStreamKinds(t *testing.T) {
	ndjson := http.Header{"Content-Type": {"application/x-ndjson"}}
	es := http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}}
	gz := http.Header{"Content-Type": {"text/event-stream"}, "Content-Encoding": {"gzip"}}
	msg1, msg2 := esMessage("event", `{"role":"assistant"}`), esMessage("exception", `{"message":"x"}`)
	tests := []struct {
		name   string
		h      http.Header
		chunks []string
		gzip   bool
		first  string
	}{
		{"sse", sseHeader(), []string{": OPENROUTER PROCESSING\n\n", "data: a\n\n", "data: b\n\n"}, false, ": OPENROUTER PROCESSING\n\ndata: a\n\n"},
		{"ndjson blank lines first", ndjson, []string{"\n \n", `{"a":1}` + "\n", `{"b":2}` + "\n"}, false, "\n \n" + `{"a":1}` + "\n"},
		{"ndjson without a final newline", ndjson, []string{`{"error":"x"}`}, false, `{"error":"x"}`},
		{"jsonl", http.Header{"Content-Type": {"application/jsonl; charset=utf-8"}}, []string{"1\n2\n"}, false, "1\n"},
		{"event stream", es, []string{msg1[:7], msg1[7:], msg2}, false, msg1},
		{"event stream, impossible length", es, []string{"\x00\x00\x00\x01rest"}, false, "\x00\x00\x00\x01"},
		{"gzip sse", gz, []string{"data: a\n\n", "data: b\n\n"}, true, "data: a\n\n"},
		{"gzip ndjson", http.Header{"Content-Type": {"application/x-ndjson"}, "Content-Encoding": {"x-gzip"}}, []string{`{"a":1}` + "\n", `{"b":2}` + "\n"}, true, `{"a":1}` + "\n"},
		{"brotli is not read", http.Header{"Content-Type": {"text/event-stream"}, "Content-Encoding": {"br"}}, []string{"\x0b\x02\x80data: a\n\n\x03"}, false, ""},
		{"json is not a stream", http.Header{"Content-Type": {"application/json"}}, []string{`{"error":"x"}`}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(strings.Join(tt.chunks, ""))
			if tt.gzip {
				body = gzipped(t, tt.chunks...)
			}
			resp := &http.Response{Header: tt.h, Body: io.NopCloser(iotest.OneByteReader(bytes.NewReader(body)))}
			first, err := Stream(resp)
			if err != nil || string(first) != tt.first {
				t.Errorf("first %q, %v; want %q", first, err, tt.first)
			}
			all, err := io.ReadAll(resp.Body)
			if err != nil || !bytes.Equal(all, body) {
				t.Errorf("replayed %q, %v; want the exact body", all, err)
			}
		})
	}
}

// TestStreamGzipBounded: a gzip stream that decompresses to much more
// than Bytes, or compressed input that never yields a token, is read only
// to the bounds, and handed back whole.
func TestStreamGzipBounded(t *testing.T) {
	gz := http.Header{"Content-Type": {"text/event-stream"}, "Content-Encoding": {"gzip"}}
	bomb := gzipped(t, ": "+strings.Repeat("x", 10<<20)+"\n\n")
	resp := &http.Response{Header: gz, Body: io.NopCloser(bytes.NewReader(bomb))}
	first, err := Stream(resp)
	if err != nil || len(first) != Bytes {
		t.Errorf("first %d bytes, %v; want %d", len(first), err, Bytes)
	}
	rest, _ := io.ReadAll(resp.Body)
	if !bytes.Equal(rest, bomb) {
		t.Error("the compressed body was not replayed exactly")
	}
	// Not gzip at all: handed back as it is, not an error.
	junk := bytes.Repeat([]byte("junk"), 10000)
	resp = &http.Response{Header: gz, Body: io.NopCloser(bytes.NewReader(junk))}
	if _, err := Stream(resp); err != nil {
		t.Errorf("junk: %v", err)
	}
	if rest, _ := io.ReadAll(resp.Body); !bytes.Equal(rest, junk) {
		t.Error("junk was not replayed exactly")
	}
}

// TestStreamReadError: a read error before any token is returned, and the
// body replays what was read, then the error.
func TestStreamReadError(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct{ ct, head string }{
		{"text/event-stream", ": c\n\n"},
		{"application/x-ndjson", "\n\n"},
		{"application/vnd.amazon.eventstream", "\x00\x00\x01"},
	} {
		h := http.Header{"Content-Type": {c.ct}}
		resp := &http.Response{Header: h, Body: io.NopCloser(io.MultiReader(strings.NewReader(c.head), iotest.ErrReader(boom)))}
		if _, err := Stream(resp); !errors.Is(err, boom) {
			t.Errorf("%s: err %v, want boom", c.ct, err)
		}
		all, err := io.ReadAll(resp.Body)
		if string(all) != c.head || !errors.Is(err, boom) {
			t.Errorf("%s: replayed %q, %v; want %q, boom", c.ct, all, err, c.head)
		}
	}
	// A partial data line may already be a token a caller would see: the
	// error is left to the caller's read.
	resp := &http.Response{Header: sseHeader(), Body: io.NopCloser(io.MultiReader(strings.NewReader("data: {\"a"), iotest.ErrReader(boom)))}
	if _, err := Stream(resp); err != nil {
		t.Errorf("partial data line: %v, want nil", err)
	}
}

// countWhole counts the tokens of a whole stream with the peek's own
// scanners: the reference for Counter.
func countWhole(kind Kind, b []byte) int {
	n := 0
	for {
		end := tokenEnd(kind, b)
		if end < 0 {
			return n
		}
		n++
		b = b[end:]
	}
}

// FuzzCounter: however a stream is split, Counter counts what the whole
// stream holds; without CR bytes (whose odd placements the two read
// differently), as many tokens as the peek's scanners find.
func FuzzCounter(f *testing.F) {
	f.Add([]byte(": ping\n\nevent: x\ndata: {}\n\ndata: b\n\n"), uint8(0), uint16(3))
	f.Add([]byte("{\"a\":1}\n\n \n{\"b\":2}\n"), uint8(1), uint16(5))
	f.Add([]byte(esMessage("event", "{}")+esMessage("exception", "{}")), uint8(2), uint16(17))
	f.Fuzz(func(t *testing.T, b []byte, k uint8, split uint16) {
		kind := Kind(k%3 + 1)
		whole := NewCounter(kind)
		whole.Add(b)
		parts := NewCounter(kind)
		step := int(split)%64 + 1
		for i := 0; i < len(b); i += step {
			parts.Add(b[i:min(i+step, len(b))])
		}
		if whole.Tokens() != parts.Tokens() {
			t.Fatalf("%d tokens at once, %d in pieces of %d", whole.Tokens(), parts.Tokens(), step)
		}
		if !bytes.Contains(b, []byte("\r")) {
			if want := countWhole(kind, b); whole.Tokens() != want {
				t.Fatalf("counted %d, the scanners find %d", whole.Tokens(), want)
			}
		}
	})
}

// FuzzStreamKinds: for every kind, plain or gzip-compressed, and however
// the body is split into reads, Stream returns a prefix of the content of
// at most Bytes that holds at most one token, and leaves a body that reads
// back exactly the bytes sent.
func FuzzStreamKinds(f *testing.F) {
	f.Add([]byte(": OPENROUTER PROCESSING\n\ndata: {}\n\ndata: x\n\n"), uint8(0), false, true)
	f.Add([]byte("{\"error\":\"model runner has unexpectedly stopped\"}\n{}\n"), uint8(1), true, false)
	f.Add([]byte(esMessage("exception", `{"message":"Too many requests"}`)+esMessage("event", "{}")), uint8(2), true, true)
	f.Fuzz(func(t *testing.T, content []byte, k uint8, compress, oneByte bool) {
		kind := Kind(k%3 + 1)
		h := http.Header{"Content-Type": {[...]string{"text/event-stream", "application/x-ndjson", "application/vnd.amazon.eventstream"}[kind-1]}}
		body := content
		if compress {
			h.Set("Content-Encoding", "gzip")
			body = gzipped(t, string(content))
		}
		var r io.Reader = bytes.NewReader(body)
		if oneByte {
			r = iotest.OneByteReader(r)
		}
		resp := &http.Response{Header: h, Body: io.NopCloser(r)}
		first, err := Stream(resp)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) > Bytes || !bytes.HasPrefix(content, first) {
			t.Fatalf("first %q is not a prefix of at most %d bytes of the content", first, Bytes)
		}
		if end := tokenEnd(kind, first); end >= 0 && end != len(first) {
			t.Fatalf("first %q runs past its first token (end %d)", first, end)
		}
		all, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(all, body) {
			t.Fatalf("replayed %q, %v; want the body", all, err)
		}
	})
}

// TestBlankIsASCII: a line of a no-break space is content, whether the
// counter gets it whole or a byte at a time (the cut character is not
// space either), as the peek's scanner reads it.
func TestBlankIsASCII(t *testing.T) {
	b := []byte("\u00a0\n")
	whole := NewCounter(NDJSON)
	whole.Add(b)
	parts := NewCounter(NDJSON)
	for i := range b {
		parts.Add(b[i : i+1])
	}
	if whole.Tokens() != 1 || parts.Tokens() != 1 || countWhole(NDJSON, b) != 1 {
		t.Errorf("tokens: whole %d, in pieces %d, scanner %d; want 1 each", whole.Tokens(), parts.Tokens(), countWhole(NDJSON, b))
	}
}
