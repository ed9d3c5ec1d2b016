package parse

// readDelay reads a delay member's value r in seconds; with proto, a
// string is read as a protobuf Duration ("26s").
func readDelay(r raw, proto bool) bodyDelay {
	switch {
	case r.set && r.num:
		d, ok := seconds(r)
		return bodyDelay{d, true, ok}
	case proto && r.set:
		d, ok := protoDuration(r.b)
		return bodyDelay{d, true, ok}
	}
	return bodyDelay{}
}

// key reads the retry member named key, one of those the object parser
// hands it.
func (k *retryKeys) key(key []byte, s *scanner) {
	switch string(key) {
	case "retryable", "retriable":
		// Not "isRetryable": the Vercel AI SDK's APICallError derives it
		// from the status alone, and applications echo it in their own
		// bodies (bolt.diy's "Model not found" on a 500 with
		// "isRetryable": true, round 32).
		switch r := s.value(); string(r.b) {
		case "true", "True":
			k.able = 1
		case "false", "False":
			k.able = -1
		default:
			k.able = 0
		}
	case "retry_after", "retryAfter", "retry_after_seconds", "retryAfterSeconds", "retry_after_secs":
		k.after = readDelay(s.value(), false)
	case "retry_after_ms", "retryAfterMs", "retry_after_millis", "retryAfterMillis":
		k.ms = readDelay(s.value(), false)
		k.ms.d /= 1000
	case "retryDelay":
		k.delay = readDelay(s.value(), true)
	default:
		s.skip()
		return
	}
	k.seen = true
}

// apply records in f the retry statement of k: retryability, and a delay
// when f has none yet. Delays are read as every other delay is: in one
// pass, never negative, saturating when too large. Most bodies state
// none: the check is inline, the work in record.
func (k *retryKeys) apply(f *fields) {
	if k.seen {
		k.record(f)
	}
}

// record is apply for a body that has retry members.
func (k *retryKeys) record(f *fields) {
	if k.able != 0 {
		f.retry = k.able
	}
	if f.delaySrc != "" {
		return
	}
	// The first delay member present, in this order, decides, even when
	// its value cannot be read.
	var dl bodyDelay
	switch {
	case k.ms.sel:
		dl = k.ms
	case k.after.sel:
		dl = k.after
	case k.delay.sel:
		dl = k.delay
	}
	if dl.ok {
		f.delay, f.delaySrc = dl.d, SourceBody
	}
}
