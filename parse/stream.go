package parse

import "bytes"

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
func (st *state) sse(b []byte, depth int) fields {
	var event []byte
	for rest := b; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(line) == 0:
			event = nil
		case bytes.HasPrefix(line, []byte("event:")):
			event = bytes.TrimSpace(line[len("event:"):])
		case bytes.HasPrefix(line, []byte("data:")):
			d := bytes.TrimSpace(line[len("data:"):])
			if len(d) == 0 || string(d) == "[DONE]" {
				continue
			}
			errEvent := isErrorEvent(event)
			if c := d[0]; c == '{' || c == '[' {
				if depth >= maxDepth {
					continue
				}
				var f fields
				st.jsonValue(&scanner{b: d}, depth+1, &f)
				if f.found || errEvent {
					if f.format != FormatSafetyBlock {
						f.format = FormatSSE
					}
					f.found = true
					return f
				}
				continue
			}
			if errEvent {
				f := fields{format: FormatSSE, found: true}
				f.msg = st.addBytes(d)
				f.hasMsg = true
				st.unwrap(&f, depth+1)
				return f
			}
		}
	}
	return fields{format: FormatSSE}
}

func isErrorEvent(name []byte) bool {
	switch string(name) {
	case "error", "response.failed", "response.error":
		return true
	}
	return false
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
	// OpenAI and Azure OpenAI chat completions.
	{`"finish_reason"`, []string{"content_filter"}},
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
