package classify

import (
	"math"
	"net/http"
	"strings"
	"time"
)

// window is one rate-limit window's headers.
type window struct {
	reset, remaining string
	kind             resetKind
}

type resetKind uint8

const (
	resetGoDuration     resetKind = iota // "6m0s", "20ms", "3s"
	resetRFC3339                         // "2026-11-25T03:00:00Z"
	resetEpochOrSeconds                  // Unix time, or seconds from now
)

// windows lists the rate-limit windows in the order their resets are
// reported. OpenAI and the origin provider send x-ratelimit-*-requests/-tokens,
// Anthropic anthropic-ratelimit-*, many gateways x-ratelimit-reset.
var windows = [...]window{
	{"X-Ratelimit-Reset-Requests", "X-Ratelimit-Remaining-Requests", resetGoDuration},
	{"X-Ratelimit-Reset-Tokens", "X-Ratelimit-Remaining-Tokens", resetGoDuration},
	{"Anthropic-Ratelimit-Requests-Reset", "Anthropic-Ratelimit-Requests-Remaining", resetRFC3339},
	{"Anthropic-Ratelimit-Tokens-Reset", "Anthropic-Ratelimit-Tokens-Remaining", resetRFC3339},
	{"Anthropic-Ratelimit-Input-Tokens-Reset", "Anthropic-Ratelimit-Input-Tokens-Remaining", resetRFC3339},
	{"Anthropic-Ratelimit-Output-Tokens-Reset", "Anthropic-Ratelimit-Output-Tokens-Remaining", resetRFC3339},
	{"X-Ratelimit-Reset", "X-Ratelimit-Remaining", resetEpochOrSeconds},
}

// source names for RateLimitResetSource: the header names in lower case.
var windowSources = [...]string{
	"x-ratelimit-reset-requests",
	"x-ratelimit-reset-tokens",
	"anthropic-ratelimit-requests-reset",
	"anthropic-ratelimit-tokens-reset",
	"anthropic-ratelimit-input-tokens-reset",
	"anthropic-ratelimit-output-tokens-reset",
	"x-ratelimit-reset",
}

// rateLimit fills the rate-limit fields of r from h.
func rateLimit(r *Result, h http.Header, now func() time.Time) {
	var best time.Duration
	bestSrc, bestExhausted := "", false
	for i, w := range windows {
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
			best, bestSrc, bestExhausted = d, windowSources[i], exhausted
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
