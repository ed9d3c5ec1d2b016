package parse

import (
	"bytes"
	"time"
	"unsafe"

	"github.com/apierr/apierr/internal/num"
)

// known returns the constant for the error types and codes that providers
// send most, so that they cost no copy, or "" for any other value. A raw
// string with escapes never equals one of them, as none holds a backslash.
func known(r raw) string {
	if !r.set || len(r.b) == 0 {
		return ""
	}
	// One probe of a small open-addressing table, keyed like classify's
	// code table by the length and three bytes: cheaper than the binary
	// search of a switch over forty strings, which compares several.
	for i := knownHash(r.b); ; i = (i + 1) & (knownTableSize - 1) {
		k := knownTable[i]
		if k == "" {
			return ""
		}
		if k == string(r.b) {
			return k
		}
	}
}

// knownValues are the types and codes that known interns.
var knownValues = [...]string{
	// OpenAI, Azure, Groq, Mistral, DeepSeek, vLLM.
	"invalid_request_error",
	"rate_limit_exceeded",
	"tokens",
	"requests",
	"insufficient_quota",
	"server_error",
	"invalid_api_key",
	"context_length_exceeded",
	"model_not_found",
	"content_filter",
	"BadRequestError",
	"NotFoundError",
	"400",
	"401",
	"404",
	"429",
	"500",
	"503",
	// Anthropic.
	"authentication_error",
	"permission_error",
	"not_found_error",
	"rate_limit_error",
	"overloaded_error",
	"api_error",
	"request_too_large",
	// Google.
	"RESOURCE_EXHAUSTED",
	"INVALID_ARGUMENT",
	"PERMISSION_DENIED",
	"UNAUTHENTICATED",
	"UNAVAILABLE",
	"INTERNAL",
	"API_KEY_INVALID",
	// TGI, AWS.
	"validation",
	"overloaded",
	"ThrottlingException",
	"ValidationException",
	TypeSafetyBlock,
}

// knownTable holds knownValues at their knownHash, "" in empty slots.
// knownTableSize is a power of two over twice their number, so that
// probes stay short.
var knownTable = func() (t [knownTableSize]string) {
	for _, v := range knownValues {
		i := knownHash([]byte(v))
		for t[i] != "" {
			i = (i + 1) & (knownTableSize - 1)
		}
		t[i] = v
	}
	return t
}()

// knownHash hashes a non-empty b into knownTable.
func knownHash(b []byte) uint {
	h := uint(len(b))*0x9E3779B1 ^ uint(b[0])<<16 ^ uint(b[len(b)/2])<<8 ^ uint(b[len(b)-1])
	h *= 0x85EBCA6B
	return (h ^ h>>15) & (knownTableSize - 1)
}

const knownTableSize = 128

// seconds parses a JSON number of seconds, in one pass however long it
// is; a value too large for a Duration saturates.
func seconds(r raw) (time.Duration, bool) {
	if !r.set {
		return 0, false
	}
	d, neg, ok := num.ParseJSON(unsafe.String(unsafe.SliceData(r.b), len(r.b)))
	if !ok || neg {
		return 0, false
	}
	return d.Duration(time.Second), true
}

// protoDuration parses a protobuf JSON Duration such as "26s" or "0.5s",
// in one pass however long it is; a value too large for a Duration
// saturates.
func protoDuration(b []byte) (time.Duration, bool) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[len(b)-1] != 's' {
		return 0, false
	}
	d, ok := num.Parse(unsafe.String(unsafe.SliceData(b), len(b)-1))
	if !ok {
		return 0, false
	}
	return d.Duration(time.Second), true
}
