package parse

import (
	"bytes"
	"strings"
)

// Gateway names reported in Error.Gateway.
const (
	GatewayLiteLLM = "litellm"
	GatewayPortkey = "portkey"
	GatewayOneAPI  = "one-api"
	GatewayNewAPI  = "new-api"
)

// maxPrefixes bounds how many gateway prefixes are removed from one message
// ("litellm.X: ", "X: ", "NameException - "), so that a hostile message of
// repeated prefixes costs time linear in its length.
const maxPrefixes = 8

// gateway recognises a gateway's wrapping of an error and reduces the
// message to the innermost one. body is the body Parse read, limit its
// read limit and depth its depth (for a JSON body found after a prefix,
// parsed in turn while depth stays under maxDepth).
func gateway(e *Fields, body []byte, limit, depth int) {
	switch e.Type {
	case "one_api_error":
		e.Gateway = GatewayOneAPI
	case "new_api_error":
		e.Gateway = GatewayNewAPI
	}
	m := e.Message
	if len(m) < 8 {
		return
	}
	if m[0] == 'l' && strings.HasPrefix(m, "litellm.") {
		e.Gateway = GatewayLiteLLM
		e.Message = liteLLMMessage(m, limit, depth)
		return
	}
	// Portkey: "<provider> error: <message>" with "provider": "<provider>"
	// at the top of the body. The provider is a short lowercase slug.
	i := strings.IndexByte(m[:min(len(m), 33)], ' ')
	if i <= 0 || !strings.HasPrefix(m[i:], " error: ") || !slug(m[:i]) {
		return
	}
	if providerKey(body, m[:i]) {
		e.Gateway = GatewayPortkey
		e.Message = strings.TrimSpace(m[i+len(" error: "):])
	}
}

// slug reports whether s is a lowercase provider slug: letters, digits,
// '-' and '_'.
func slug(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// providerKey reports whether body holds "provider":"name" (white space
// allowed around the colon).
func providerKey(body []byte, name string) bool {
	const key = `"provider"`
	for off := 0; off < len(body); {
		j := bytes.Index(body[off:], []byte(key))
		if j < 0 {
			return false
		}
		k := off + j + len(key)
		off = k
		for k < len(body) && asciiSpace(body[k]) {
			k++
		}
		if k >= len(body) || body[k] != ':' {
			continue
		}
		k++
		for k < len(body) && asciiSpace(body[k]) {
			k++
		}
		if k < len(body) && body[k] == '"' && bytes.HasPrefix(body[k+1:], []byte(name)) &&
			k+1+len(name) < len(body) && body[k+1+len(name)] == '"' {
			return true
		}
	}
	return false
}

// liteLLMMessage removes LiteLLM's prefixes from m, "litellm.RateLimitError:
// RateLimitError: OpenAIException - ", and its routing suffixes
// ("Received Model Group=...", "Available Model Group Fallbacks=...",
// "LiteLLM Retried: N times"), and returns the upstream's message; when that
// is an error body as JSON (Bedrock's {"message": ...}), its message.
func liteLLMMessage(m string, limit, depth int) string {
	for range maxPrefixes {
		switch {
		case strings.HasPrefix(m, "litellm."):
			// "litellm.BadRequestError: "
			i := identEnd(m, len("litellm."))
			if i == len("litellm.") || !strings.HasPrefix(m[i:], ": ") {
				return trimLiteLLM(m, limit, depth)
			}
			m = strings.TrimLeft(m[i+2:], " ")
			continue
		}
		i := identEnd(m, 0)
		switch {
		case i > 0 && strings.HasSuffix(m[:i], "Error") && strings.HasPrefix(m[i:], ": "):
			// "RateLimitError: "
			m = strings.TrimLeft(m[i+2:], " ")
		case i > len("Exception") && strings.HasSuffix(m[:i], "Exception") && strings.HasPrefix(m[i:], " - "):
			// "OpenAIException - "
			m = strings.TrimLeft(m[i+3:], " ")
		default:
			return trimLiteLLM(m, limit, depth)
		}
	}
	return trimLiteLLM(m, limit, depth)
}

// identEnd returns the end of the run of ASCII letters, digits and '_'
// that starts at i in s.
func identEnd(s string, i int) int {
	for i < len(s) {
		c := s[i] | 0x20
		if !(c >= 'a' && c <= 'z' || s[i] >= '0' && s[i] <= '9' || s[i] == '_') {
			break
		}
		i++
	}
	return i
}

// liteLLMSuffixes start the routing notes LiteLLM appends to a message.
var liteLLMSuffixes = [...]string{"Received Model Group=", "Available Model Group Fallbacks=", "LiteLLM Retried:"}

// trimLiteLLM cuts LiteLLM's routing suffixes from m and unwraps a JSON
// error body that m is.
func trimLiteLLM(m string, limit, depth int) string {
	for _, s := range liteLLMSuffixes {
		if i := strings.Index(m, s); i > 0 {
			m = m[:i]
		}
	}
	m = strings.TrimSpace(m)
	if len(m) > 1 && m[0] == '{' && depth < maxDepth {
		inner := Parser{MaxBytes: limit, depth: depth + 1}.Parse("application/json", []byte(m))
		if inner.Message != "" {
			return inner.Message
		}
	}
	return m
}
