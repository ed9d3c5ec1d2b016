package parse

import (
	"bytes"
	"encoding/binary"
)

// AWS event streams (application/vnd.amazon.eventstream) carry Bedrock's
// ConverseStream and InvokeModelWithResponseStream responses as binary
// messages. A failure after the 200 status is one message whose
// ":message-type" header is "exception" (a modeled error: its
// ":exception-type" names it, such as "throttlingException", and its
// payload is the error's JSON, {"message": "..."}) or "error" (an
// unmodeled one: ":error-code" and ":error-message" headers).
//
// A message is a prelude (total length and headers length, big-endian
// uint32, then the prelude's CRC32), the headers, the payload and the
// message's CRC32. A header is a name (one length byte, then the name), a
// value type byte and the value. The CRCs are not checked: a damaged
// message is read as far as its lengths allow, and no length is trusted
// beyond the bytes present.
//
// References: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
// (the message layout) and the smithy event stream specification
// (https://smithy.io/2.0/aws/amazon-eventstream.html), exception and error
// messages.

const (
	esPrelude  = 12 // total length, headers length, prelude CRC
	esTrailer  = 4  // message CRC
	esMinTotal = esPrelude + esTrailer
	// esMaxTotal bounds a message's declared length, as the AWS SDKs do
	// (16 MiB).
	esMaxTotal = 16 << 20
)

// isEventStream reports whether a body is an AWS event stream: the
// Content-Type says so, or the body opens with a plausible prelude whose
// first header name starts with ':', as every event stream header the
// services send does.
func isEventStream(t []byte, contentType string) bool {
	if contentType != "" && containsFold(contentType, "amazon.eventstream") {
		return true
	}
	if len(t) < esMinTotal+2 {
		return false
	}
	total := binary.BigEndian.Uint32(t)
	hl := binary.BigEndian.Uint32(t[4:])
	return total >= esMinTotal && total <= esMaxTotal && hl <= total-esMinTotal &&
		hl >= 2 && t[esPrelude] > 0 && t[esPrelude+1] == ':'
}

// esHeaders are the headers of one message that matter.
type esHeaders struct {
	messageType, exceptionType, errorCode, errorMessage []byte
}

// eventStream finds the first exception or error message of an event
// stream. The type is the exception type (or the error code), the message
// the payload's message (or the :error-message header). When no message is
// an error, the result is not Found: the stream failed at no point the body
// shows.
func (st *state) eventStream(b []byte, depth int) fields {
	for off := 0; len(b)-off >= esMinTotal; {
		total := int(binary.BigEndian.Uint32(b[off:]))
		hl := int(binary.BigEndian.Uint32(b[off+4:]))
		if total < esMinTotal || total > esMaxTotal || hl > total-esMinTotal {
			break // not a message: stop rather than guess
		}
		end := min(off+total, len(b))
		hdrEnd := min(off+esPrelude+hl, end)
		h := esReadHeaders(b[off+esPrelude : hdrEnd])
		if string(h.messageType) == "exception" || string(h.messageType) == "error" {
			payload := b[hdrEnd:max(hdrEnd, end-esTrailer)]
			return st.esError(h, payload, depth)
		}
		off += total
	}
	return fields{format: FormatEventStream}
}

// esError turns an exception or error message into fields.
func (st *state) esError(h esHeaders, payload []byte, depth int) fields {
	f := fields{format: FormatEventStream, found: true}
	// Header values are literal text, not JSON: plain copies them as
	// they are (invalid UTF-8 replaced).
	if len(h.exceptionType) > 0 {
		f.typ = raw{b: h.exceptionType, set: true, plain: true}
	} else if len(h.errorCode) > 0 {
		f.typ = raw{b: h.errorCode, set: true, plain: true}
	}
	if len(bytes.TrimSpace(payload)) > 0 && depth < maxDepth {
		var inner fields
		st.body("application/json", payload, depth+1, &inner)
		if inner.hasMsg && !inner.msgEmpty() {
			f.takeMsg(&inner)
			if inner.code.set {
				f.code = inner.code
			}
			return f
		}
	}
	if len(h.errorMessage) > 0 {
		f.setMsg(st, raw{b: h.errorMessage, set: true, plain: true}, depth)
	}
	return f
}

// esReadHeaders reads the headers of one message, as far as they are whole.
// Only string values are kept; the others are skipped by their sizes.
func esReadHeaders(b []byte) esHeaders {
	var h esHeaders
	for i := 0; i < len(b); {
		n := int(b[i])
		i++
		if n == 0 || i+n+1 > len(b) {
			break
		}
		name := b[i : i+n]
		i += n
		typ := b[i]
		i++
		var size int
		switch typ {
		case 0, 1: // true, false: no value
		case 2: // byte
			size = 1
		case 3: // short
			size = 2
		case 4: // integer
			size = 4
		case 5, 8: // long, timestamp
			size = 8
		case 9: // UUID
			size = 16
		case 6, 7: // byte array, string: a uint16 length, then the bytes
			if i+2 > len(b) {
				return h
			}
			size = int(binary.BigEndian.Uint16(b[i:]))
			i += 2
			if typ == 7 && i+size <= len(b) {
				v := b[i : i+size]
				switch string(name) {
				case ":message-type":
					h.messageType = v
				case ":exception-type":
					h.exceptionType = v
				case ":error-code":
					h.errorCode = v
				case ":error-message":
					h.errorMessage = v
				}
			}
		default:
			return h // an unknown type: its size is unknown too
		}
		i += size
	}
	return h
}
