package parse

import "bytes"

// errorEvent is the name of an error event.
var errorEvent = []byte("error")

// isSSE reports whether a body (leading space trimmed) is a Server-Sent
// Events stream: it starts with a field name, or with a comment line that a
// field line follows (OpenRouter opens streams with ": OPENROUTER
// PROCESSING").
func isSSE(t []byte) bool {
	for _, p := range [...]string{"data:", "event:", "id:", "retry:"} {
		if bytes.HasPrefix(t, []byte(p)) {
			return true
		}
	}
	return t[0] == ':' && (bytes.Contains(t, []byte("\ndata:")) || bytes.Contains(t, []byte("\nevent:")))
}

// sse finds the first error event of a stream: a data payload holding an
// error object, or any payload of an event named error, response.failed or
// response.error (whose payload, when not JSON, is the message). When no
// event is an error, it looks for an in-band safety block.
//
// Each data line is parsed as it comes, which also copes with servers that
// omit the blank line between events; an event whose payload the spec
// splits over several data lines is parsed once more, joined with "\n", when
// its lines alone said nothing.
func (st *state) sse(b []byte, depth int) fields {
	var event, first, joined []byte
	lines := 0       // data lines in the current event
	bareJSON := true // a bare JSON value may still be read (once)
	for rest := b; ; {
		if len(rest) == 0 {
			if f, ok := st.sseDispatch(event, first, joined, lines, depth); ok {
				return f
			}
			break
		}
		lineStart := len(b) - len(rest)
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(line) == 0:
			if f, ok := st.sseDispatch(event, first, joined, lines, depth); ok {
				return f
			}
			event, joined, lines = nil, joined[:0], 0
		case bytes.HasPrefix(line, []byte("event:")):
			event = bytes.TrimSpace(line[len("event:"):])
		case bareJSON && len(line) > 0 && line[0] == '{' && depth < maxDepth:
			// A JSON error written into the stream without "data:"
			// (Gemini's stream ends with its error object, pretty-printed,
			// after the last event): read once, from this line on.
			bareJSON = false
			var f fields
			st.jsonValue(&scanner{b: b[lineStart:]}, depth+1, &f)
			if f.found {
				if f.format != FormatSafetyBlock {
					f.format = FormatSSE
				}
				return f
			}
		case bytes.HasPrefix(line, []byte("error:")):
			// A field of its own for the error, outside the spec:
			// llama.cpp's server wrote "error: {json}" into its streams
			// (through 2025, b5966), which a client's SSE reader drops.
			// Its payload is an error event's; "null" is no error.
			if d := bytes.TrimSpace(line[len("error:"):]); !isNull(d) {
				if f, ok := st.sseData(errorEvent, d, depth, true); ok {
					return f
				}
			}
		case bytes.HasPrefix(line, []byte("data:")):
			d := bytes.TrimSpace(line[len("data:"):])
			// The first line is kept as a view of the body; only an
			// event with a second line pays for a copy.
			switch lines {
			case 0:
				first = d
			case 1:
				joined = append(append(append(joined[:0], first...), '\n'), d...)
			default:
				joined = append(append(joined, '\n'), d...)
			}
			lines++
			if f, ok := st.sseData(event, d, depth, false); ok {
				return f
			}
		}
	}
	return fields{format: FormatSSE}
}

// sseDispatch decides at the end of an event: its whole payload (the
// lines joined) when it had several data lines, and, for an event named as
// an error, its payload whatever it holds.
func (st *state) sseDispatch(event, first, joined []byte, lines, depth int) (fields, bool) {
	switch {
	case lines == 0:
		return fields{}, false
	case lines == 1:
		if !isErrorEvent(event) {
			return fields{}, false // its line was already looked at
		}
		return st.sseData(event, first, depth, true)
	}
	return st.sseData(event, bytes.TrimSpace(joined), depth, true)
}

// sseData looks for an error in one data payload. Before the end of the
// event (final false) only an error found in the payload counts; at the
// end, an event named as an error is one whatever its payload holds.
func (st *state) sseData(event, d []byte, depth int, final bool) (fields, bool) {
	if len(d) == 0 || string(d) == "[DONE]" {
		return fields{}, false
	}
	errEvent := final && isErrorEvent(event)
	if c := d[0]; c == '{' || c == '[' {
		if depth >= maxDepth {
			return fields{}, false
		}
		var f fields
		st.jsonValue(&scanner{b: d}, depth+1, &f)
		if f.found || errEvent {
			if f.format != FormatSafetyBlock {
				f.format = FormatSSE
			}
			f.found = true
			return f, true
		}
		return fields{}, false
	}
	if !errEvent {
		return fields{}, false
	}
	f := fields{format: FormatSSE, found: true}
	f.msg = st.addBytes(d)
	f.hasMsg = true
	st.unwrap(&f, depth+1)
	return f, true
}

func isErrorEvent(name []byte) bool {
	switch string(name) {
	case "error", "response.failed", "response.error":
		return true
	}
	// A name in brackets is the name inside: "[ERROR]" (the event name of
	// langchain4j-aideepin's Spring SseEmitter errors, round 34).
	for len(name) > 0 && (name[len(name)-1] == ']' || name[len(name)-1] == ')' || name[len(name)-1] == '>') {
		name = name[:len(name)-1]
	}
	// A name of the server's own that ends as one: "stream_error",
	// "task.failed", Casibase's "myerror".
	return len(name) <= 64 && (hasSuffixFold(name, "error") || hasSuffixFold(name, "failed"))
}

// hasSuffixFold reports whether b ends with the lower-case ASCII suffix,
// regardless of ASCII case.
func hasSuffixFold(b []byte, suffix string) bool {
	if len(b) < len(suffix) {
		return false
	}
	b = b[len(b)-len(suffix):]
	for i := range len(suffix) {
		if b[i]|0x20 != suffix[i] {
			return false
		}
	}
	return true
}

// typeSafetyBlock is TypeSafetyBlock as raw bytes, shared read-only.
var typeSafetyBlock = []byte(TypeSafetyBlock)

// blockMarkers are the keys whose values say that content was blocked, and
// which values do. A nil list means any value but the unspecified one.
var blockMarkers = [...]struct {
	key    string
	values []string
}{
	// Gemini: the prompt was blocked.
	{`"blockReason"`, nil},
	// Gemini: a candidate was blocked.
	{`"finishReason"`, []string{"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "RECITATION"}},
	// OpenAI and Azure OpenAI chat completions; Zhipu's "sensitive" (its
	// chat completion docs: the output was blocked by its safety review);
	// GigaChat's "blacklist" (the request hit its moderation blacklist and
	// the answer is a canned refusal).
	{`"finish_reason"`, []string{"content_filter", "sensitive", "blacklist"}},
	// Anthropic Messages.
	{`"stop_reason"`, []string{"refusal"}},
}

// safetyBlock looks for an in-band safety block anywhere in a JSON value. A
// key inside a string value cannot match: its quotes would be escaped.
func (st *state) safetyBlock(b []byte) fields {
	for _, m := range blockMarkers {
		for off := 0; off < len(b); {
			i := bytes.Index(b[off:], []byte(m.key))
			if i < 0 {
				break
			}
			s := scanner{b: b, i: off + i + len(m.key)}
			off = s.i
			if s.peek() != ':' {
				continue
			}
			s.i++
			if c := s.peek(); c != '"' {
				continue
			}
			v := s.str()
			if blocked(v.b, m.values) {
				return fields{format: FormatSafetyBlock, found: true, typ: raw{b: typeSafetyBlock, set: true}, code: v}
			}
		}
	}
	return fields{}
}

func blocked(v []byte, values []string) bool {
	if values == nil {
		return len(v) > 0 && string(v) != "BLOCK_REASON_UNSPECIFIED"
	}
	for _, x := range values {
		if string(v) == x {
			return true
		}
	}
	return false
}
