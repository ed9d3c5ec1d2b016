package catalog

import "fmt"

// Category is the kind of failure an error response describes. It is a small
// enum whose zero value, Unknown, means that nothing recognisable was found.
//
// The names returned by String (and by MarshalText) are a public contract:
// they are used as metric labels and as JSON values, and change only with an
// entry in the README's changelog.
//
// Each constant's documentation says what a caller should do: retry the same
// call, fix something first, or give up. The litmus test between the
// categories that look alike: if waiting (and nothing else) can make the same
// request succeed, the category is retryable; if the request or the account
// must change first, it is not.
type Category uint8

// The categories. Retryable reports the default retryability of each; the
// classify package refines it per response (501, x-should-retry, 5xx).
const (
	// Unknown: nothing recognisable. Retry only when the status is 5xx.
	Unknown Category = iota
	// InvalidRequest: the request is malformed or has bad parameters. Fix the
	// request; retrying it unchanged fails the same way.
	InvalidRequest
	// ContextLengthExceeded: the input plus the requested output exceed the
	// model's context window. Shorten the input or lower max_tokens.
	ContextLengthExceeded
	// ContentFiltered: a content or safety policy blocked the prompt or the
	// completion. Change the input; the same input is blocked again.
	ContentFiltered
	// Authentication: the API key is missing, invalid, expired or revoked. Fix
	// the credentials.
	Authentication
	// PermissionDenied: the key is valid but lacks access to this resource,
	// model, region or plan tier. Change the plan or ask the provider.
	PermissionDenied
	// NotFound: the endpoint or resource does not exist. Fix the URL.
	NotFound
	// ModelNotFound: the model or deployment does not exist or is not
	// available to this key. Fix the model name (it is case-sensitive).
	ModelNotFound
	// QuotaExceeded: the account's credits, billing quota or spending limit
	// are exhausted. No wait fixes it; add credits or raise the limit.
	QuotaExceeded
	// RateLimited: too many requests or tokens in the current window. Retry
	// the same call after the delay the server asked for, with backoff.
	RateLimited
	// RequestTooLarge: the payload is too large, or a single request needs
	// more tokens than the whole per-minute budget. Make the request smaller.
	RequestTooLarge
	// Timeout: the server, a gateway or the client timed out. Retry, perhaps
	// with a longer deadline or a smaller request.
	Timeout
	// Conflict: a conflicting operation is in progress (409). Retry.
	Conflict
	// ServerError: the server failed internally. Retry after a brief delay,
	// except for 501 Not Implemented, which is permanent.
	ServerError
	// Unavailable: the service or model is overloaded, loading or temporarily
	// down. Retry after a delay.
	Unavailable
	// Network: the connection failed (refused, reset, unexpected EOF) before a
	// complete response arrived. Retry.
	Network
	// Canceled: the caller canceled the request. Do not retry.
	Canceled

	numCategories
)

type categoryInfo struct {
	name        string
	retryable   bool
	description string
	hint        string
}

// categories holds the vocabulary. The hints for the categories that the
// origin provider's "Error Codes" page covers carry its resolutions.
var categories = [numCategories]categoryInfo{
	Unknown: {"unknown", false,
		"The response could not be matched to a known kind of failure.",
		"Inspect the status and the message; retry only if the status is 5xx."},
	InvalidRequest: {"invalid_request", false,
		"Invalid request format or parameters.",
		"Check your request body and parameters."},
	ContextLengthExceeded: {"context_length_exceeded", false,
		"The input plus the requested output exceed the model's context window.",
		"Reduce the input or set a lower max_tokens; check the model's max_sequence_length in the model metadata."},
	ContentFiltered: {"content_filtered", false,
		"A content or safety policy blocked the prompt or the completion.",
		"Rephrase or remove the flagged content; the same input is blocked again."},
	Authentication: {"authentication", false,
		"Missing or invalid API key.",
		"Verify your Authorization: Bearer header: is the API key set in the environment, unexpired, and active in the provider's API key portal?"},
	PermissionDenied: {"permission_denied", false,
		"The API key lacks permission for this resource.",
		"Check your plan tier or contact support."},
	NotFound: {"not_found", false,
		"Invalid endpoint or resource not found.",
		"Verify the URL and model name."},
	ModelNotFound: {"model_not_found", false,
		"The model or deployment does not exist or is not available to this key.",
		"Verify the URL and model name: model names are case-sensitive; list the available models with the List Models API; some models need a higher plan tier."},
	QuotaExceeded: {"quota_exceeded", false,
		"The account's credits, billing quota or spending limit are exhausted.",
		"Add credits or raise the quota in the provider's billing settings; retrying does not help until then."},
	RateLimited: {"rate_limited", true,
		"Rate limit exceeded: too many requests or tokens in the current window.",
		"Wait and retry with exponential backoff, no sooner than the server's Retry-After."},
	RequestTooLarge: {"request_too_large", false,
		"The request is larger than the server accepts, or than the whole per-minute token budget.",
		"Reduce the request size: send less input or fewer max_tokens, or split the work."},
	Timeout: {"timeout", true,
		"The server, a gateway or the client timed out.",
		"Retry after a brief delay; consider a longer deadline or a smaller request."},
	Conflict: {"conflict", true,
		"A conflicting operation is in progress.",
		"Retry once the conflicting operation has finished."},
	ServerError: {"server_error", true,
		"Server-side error.",
		"Retry after a brief delay; if it persists, report the request id to the provider."},
	Unavailable: {"unavailable", true,
		"The model or service is temporarily unavailable or overloaded.",
		"Check Model Status and retry after a delay: the model is overloaded, loading or temporarily down."},
	Network: {"network", true,
		"The connection failed before a complete response arrived.",
		"Check connectivity to the API host and retry."},
	Canceled: {"canceled", false,
		"The caller canceled the request.",
		"Nothing to do: the request was canceled by the caller."},
}

// Categories returns every category, Unknown first, in declaration order. The
// caller owns the returned slice.
func Categories() []Category {
	all := make([]Category, numCategories)
	for i := range all {
		all[i] = Category(i)
	}
	return all
}

// String returns the category's stable snake_case name, such as
// "rate_limited". An out-of-range value renders as "category(N)".
func (c Category) String() string {
	if c < numCategories {
		return categories[c].name
	}
	return fmt.Sprintf("category(%d)", uint8(c))
}

// Retryable reports whether a failure of this category can succeed when the
// same request is sent again, before any response-specific refinement.
func (c Category) Retryable() bool {
	return c < numCategories && categories[c].retryable
}

// Description returns a one-line description of the category.
func (c Category) Description() string {
	if c < numCategories {
		return categories[c].description
	}
	return ""
}

// Hint returns a one-line resolution hint for a human: what to do about a
// failure of this category.
func (c Category) Hint() string {
	if c < numCategories {
		return categories[c].hint
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler with the stable name.
func (c Category) MarshalText() ([]byte, error) {
	if c >= numCategories {
		return nil, fmt.Errorf("catalog: invalid category %d", uint8(c))
	}
	return []byte(categories[c].name), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts exactly the
// names that String returns.
func (c *Category) UnmarshalText(text []byte) error {
	got, ok := ParseCategory(string(text))
	if !ok {
		return fmt.Errorf("catalog: unknown category %q", text)
	}
	*c = got
	return nil
}

// ParseCategory returns the category whose name is s, and whether there is
// one.
func ParseCategory(s string) (Category, bool) {
	for i := range categories {
		if categories[i].name == s {
			return Category(i), true
		}
	}
	return Unknown, false
}
