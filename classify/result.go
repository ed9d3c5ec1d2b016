package classify

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/internal/redact"
	"github.com/apierr/apierr/parse"
)

// Result is what one classification found. It is a small comparable value:
// == works, and it is returned by value. The caller owns it; its strings are
// not shared with the input.
//
// Message holds what the server said, unredacted, so that code can act on
// it; String, LogValue and Error redact API keys and bearer tokens.
type Result struct {
	// Category is the kind of failure. It is catalog.Unknown when OK.
	Category catalog.Category
	// Retryable reports whether sending the same request again can succeed.
	Retryable bool
	// OK reports that the response is not a failure: a 1xx-3xx status whose
	// body holds no error (no error event in a 200 stream, no in-band
	// safety block).
	OK bool
	// Action is what to do next: catalog.ActionNone when OK, else retry,
	// shrink the input, fall back to another model or provider, fix the
	// credential, fix the request, or stop. It agrees with Retryable: a
	// retryable result says ActionRetry, or ActionFallback when the server
	// asked for a delay longer than LongDelay; a result that is not
	// retryable never says ActionRetry.
	Action catalog.Action
	// Scope is how far the failure reaches (this request, model, key,
	// account, or the whole provider); catalog.ScopeNone when OK.
	Scope catalog.Scope
	// Status is the HTTP status code, or 0 for a transport error.
	Status int

	// Message, Type, Code and Param are what the body said (see
	// parse.Fields); for a transport error, Message is the error's text.
	Message string
	Type    string
	Code    string
	Param   string
	// Upstream names the provider behind a gateway when the gateway's error
	// said which one failed (see parse.Fields.Upstream); when the gateway
	// relayed the upstream's body, Message, Type and Code are the
	// upstream's.
	Upstream string
	// Gateway names the gateway or relay that wrapped the error when its
	// wrapping said so ("litellm", "portkey", "one-api", "new-api"; see
	// parse.Fields.Gateway); Message is then the innermost message, without
	// the gateway's prefixes. Empty otherwise.
	Gateway string
	// Format is the shape of the body.
	Format parse.Format
	// Truncated reports that the body was longer than the limit.
	Truncated bool

	// Hint is a one-line resolution hint for a human.
	Hint string
	// Rule names the rule that decided the category: a catalog or user
	// rule's Name, or one of the Rule* constants. When the x-should-retry
	// header overrode retryability, ",x_should_retry" is appended.
	Rule string

	// RetryAfter is the delay the server asked for, valid when
	// RetryAfterSource is not empty. Zero means "now" (for example an
	// HTTP-date in the past). A value too large for a Duration saturates at
	// the maximum Duration, so that a policy can refuse it.
	RetryAfter time.Duration
	// RetryAfterSource says where RetryAfter came from: one of the Source*
	// constants, or "" when the server asked for no delay. A delay phrase
	// in the message (SourceMessage) is looked for only in a retryable or
	// quota_exceeded result, where a delay is used; headers and structured
	// delays are read for every result.
	RetryAfterSource string

	// RateLimitReset is how long until the rate-limit window resets, valid
	// when RateLimitResetSource is not empty. It is reported for a 429 or a
	// rate_limited result only, where it matters. It is not a request to
	// wait: see RateLimitExhausted.
	RateLimitReset time.Duration
	// RateLimitResetSource names the header RateLimitReset came from.
	RateLimitResetSource string
	// RateLimitExhausted reports that an x-ratelimit-remaining-* (or
	// anthropic-ratelimit-*-remaining) header was 0. RateLimitReset is then
	// the longest reset among the exhausted windows.
	RateLimitExhausted bool

	// ShouldRetry is the x-should-retry header: "true", "false", or "" when
	// absent or unrecognised.
	ShouldRetry string
	// RequestID is the request id from x-request-id, request-id,
	// x-amzn-requestid or apim-request-id, else from the body.
	RequestID string
}

// Names of the rules that are not catalog rules, recorded in Result.Rule.
const (
	// RuleStatus: the status code's own row in the catalog decided.
	RuleStatus = "status"
	// RuleStatusClass: the general 4xx or 5xx fallback decided.
	RuleStatusClass = "status_class"
	// RuleNoError: the response is not a failure (Result.OK).
	RuleNoError = "no_error"
	// RuleInBand: an error inside a 2xx response that no rule recognised.
	RuleInBand = "in_band"
	// RuleInBandStatus: an error inside a 2xx response whose message
	// starts with the HTTP status it stands for ("400: ..."), that
	// status's row decided.
	RuleInBandStatus = "in_band_status"
	// RuleRelayedStatus: a 500 whose message quotes the status its
	// upstream answered ("Request failed with status code 429"), that
	// status's row decided.
	RuleRelayedStatus = "relayed_status"
	// RuleRatePeriod: a rate limit, by a built-in rule or the words,
	// whose text names a day, a week or a month and that states no
	// delay ("free-models-per-day", "requests per day (1000) reached"):
	// a quota until the period ends.
	RuleRatePeriod = "rate_limit_period"
	// RuleXShouldRetry is appended to Rule when x-should-retry decided
	// retryability.
	RuleXShouldRetry = "x_should_retry"
	// RuleBodyRetryable is appended to Rule when the body's own
	// "retryable" member decided retryability (and no x-should-retry
	// header did).
	RuleBodyRetryable = "body_retryable"
)

// Sources of Result.RetryAfter.
const (
	SourceRetryAfterMs  = "retry-after-ms"
	SourceRetryAfter    = "retry-after"
	SourceRetryInfo     = parse.SourceRetryInfo
	SourceMessage       = "message"
	SourceEstimatedTime = parse.SourceEstimatedTime
	SourceBody          = parse.SourceBody
)

// Log keys used by Result.LogValue and by the apierr command's JSON output.
// They are a public contract.
const (
	KeyCategory         = "category"
	KeyRetryable        = "retryable"
	KeyStatus           = "status"
	KeyMessage          = "message"
	KeyType             = "type"
	KeyCode             = "code"
	KeyParam            = "param"
	KeyFormat           = "format"
	KeyHint             = "hint"
	KeyRetryAfterMs     = "retry_after_ms"
	KeyRateLimitResetMs = "ratelimit_reset_ms"
	KeyRequestID        = "request_id"
	KeyRule             = "rule"
	KeyAction           = "action"
	KeyScope            = "scope"
	KeyUpstream         = "upstream"
	KeyGateway          = "gateway"
)

// String renders the result on one line for logs and errors, with secrets
// redacted, for example
// "rate_limited (429, retryable, retry after 20s): Rate limit reached".
func (r Result) String() string {
	if r.OK {
		return fmt.Sprintf("ok (%d)", r.Status)
	}
	retry := "not retryable"
	if r.Retryable {
		retry = "retryable"
	}
	s := r.Category.String() + " ("
	if r.Status != 0 {
		s += fmt.Sprintf("%d, ", r.Status)
	}
	s += retry
	if r.RetryAfterSource != "" {
		s += ", retry after " + r.RetryAfter.String()
	}
	s += ")"
	if r.Message != "" {
		s += ": " + redact.String(r.Message)
	}
	return s
}

// LogValue implements slog.LogValuer: a group with the stable Key* names,
// secrets redacted, empty fields left out.
func (r Result) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 14)
	attrs = append(attrs, slog.String(KeyCategory, r.Category.String()), slog.Bool(KeyRetryable, r.Retryable))
	attrs = append(attrs, slog.String(KeyAction, r.Action.String()))
	if r.Scope != catalog.ScopeNone {
		attrs = append(attrs, slog.String(KeyScope, r.Scope.String()))
	}
	if r.Status != 0 {
		attrs = append(attrs, slog.Int(KeyStatus, r.Status))
	}
	add := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	// Every field that comes from the response can echo a credential: a
	// param naming the key, a request id header a proxy filled with one.
	add(KeyMessage, redact.String(r.Message))
	add(KeyType, redact.String(r.Type))
	add(KeyCode, redact.String(r.Code))
	add(KeyParam, redact.String(r.Param))
	add(KeyFormat, string(r.Format))
	if r.RetryAfterSource != "" {
		attrs = append(attrs, slog.Int64(KeyRetryAfterMs, r.RetryAfter.Milliseconds()))
	}
	if r.RateLimitResetSource != "" {
		attrs = append(attrs, slog.Int64(KeyRateLimitResetMs, r.RateLimitReset.Milliseconds()))
	}
	add(KeyRequestID, redact.String(r.RequestID))
	add(KeyRule, redact.String(r.Rule))
	add(KeyUpstream, redact.String(r.Upstream))
	add(KeyGateway, r.Gateway)
	return slog.GroupValue(attrs...)
}

// Err returns nil when the result is OK, and otherwise an *Error carrying
// the result, so that errors.Is(err, ErrRateLimited) and the like work
// through any wrapping.
func (r Result) Err() error {
	if r.OK {
		return nil
	}
	return &Error{Result: r}
}
