package classify

import (
	"math"
	"net/http"
	"strings"
	"time"
)

// resetKind is how a rate-limit reset header writes its time.
type resetKind uint8

const (
	resetGoDuration     resetKind = iota // "6m0s", "20ms", "3s"
	resetRFC3339                         // "2026-11-25T03:00:00Z"
	resetEpochOrSeconds                  // Unix time, or seconds from now
)

// rateLimit fills the rate-limit fields of r from h.
func rateLimit(r *Result, h http.Header, now func() time.Time) {
	var best time.Duration
	bestSrc, bestExhausted := "", false
	for i := range rlHeaders {
		w := &rlHeaders[i]
		if !w.result {
			continue
		}
		exhausted := false
		if v := strings.TrimSpace(header(h, w.remaining)); v != "" {
			if f, ok := number(v); ok && f.IsZero() {
				exhausted = true
				r.RateLimitExhausted = true
			}
		}
		v := header(h, w.reset)
		if v == "" {
			continue
		}
		d, ok := resetValue(v, w.kind, now)
		if !ok {
			continue
		}
		// Exhausted windows first, then the longest.
		if bestSrc == "" || (exhausted && !bestExhausted) || (exhausted == bestExhausted && d > best) {
			best, bestSrc, bestExhausted = d, rlResetSources[i], exhausted
		}
	}
	if bestSrc != "" {
		r.RateLimitReset, r.RateLimitResetSource = best, bestSrc
	}
}

func resetValue(v string, kind resetKind, now func() time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	switch kind {
	case resetGoDuration:
		if f, ok := number(v); ok {
			return f.Duration(time.Second), true
		}
		d, _, ok := phraseDuration(v, false)
		return d, ok
	case resetRFC3339:
		if len(v) > 40 {
			return 0, false
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return 0, false
		}
		return until(t, now()), true
	default:
		d, ok := number(v)
		if !ok {
			return 0, false
		}
		switch f := d.Float64(); {
		case f >= 1e12: // Unix time in milliseconds
			return until(time.UnixMilli(int64(math.Min(f, 1e15))), now()), true
		case f >= 1e9: // Unix time in seconds
			return until(time.Unix(int64(f), 0), now()), true
		}
		return d.Duration(time.Second), true
	}
}
