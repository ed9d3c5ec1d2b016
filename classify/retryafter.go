package classify

import (
	"net/http"
	"strings"
	"time"

	"github.com/apierr/apierr/internal/num"
)

// header returns the first value of a canonical header key without
// allocating (http.Header.Get canonicalises its argument on every call).
func header(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// number parses a header's decimal number (no exponent, no sign, no hex,
// no "Inf"/"NaN" spellings), in one pass however long it is.
func number(s string) (num.Decimal, bool) {
	return num.Parse(strings.TrimSpace(s))
}

// retryAfterMs parses the retry-after-ms header (milliseconds, possibly
// fractional).
func retryAfterMs(v string) (time.Duration, bool) {
	d, ok := number(v)
	if !ok {
		return 0, false
	}
	return d.Duration(time.Millisecond), true
}

// retryAfter parses Retry-After: delta-seconds (integer or, as some servers
// send, fractional) or an HTTP-date, relative to now. A date in the past
// means zero.
func retryAfter(v string, now func() time.Time) (time.Duration, bool) {
	if d, ok := number(v); ok {
		return d.Duration(time.Second), true
	}
	v = strings.TrimSpace(v)
	if len(v) < 20 || len(v) > 40 {
		return 0, false // no HTTP-date layout is shorter or longer
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return until(t, now()), true
}

// until is t - now, at least zero, saturating.
func until(t, now time.Time) time.Duration {
	d := t.Sub(now)
	if d < 0 {
		return 0
	}
	return d
}
