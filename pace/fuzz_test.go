package pace_test

import (
	"testing"
	"time"

	"github.com/apierr/apierr/pace"
)

// FuzzApply drives a State with arbitrary reports, server delays and
// reservations, 9 bytes an operation: no panic, and no reservation starts
// before now or, while a hold is in force, before the hold's end.
func FuzzApply(f *testing.F) {
	f.Add([]byte("\x01\x05\x00\x10\x40\x00\x00\x00\x00\x01\x04\x00\x11\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"))
	f.Add([]byte("\x03\x00\x00\x00\x00\x01\x00\x00\x00\x03\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05"))
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 9*512 {
			return
		}
		var s pace.State
		now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
		for ; len(ops) >= 9; ops = ops[9:] {
			o := ops
			now = now.Add(time.Duration(o[8]) * 10 * time.Millisecond)
			num := func(i int) int64 { return int64(o[i])<<8 | int64(o[i+1]) }
			w := pace.WindowState{Limit: num(1), Remaining: num(3), ResetAt: now.Add(time.Duration(num(5)) * time.Millisecond)}
			if o[3] == 0xff {
				w.Remaining = -1 // unknown
			}
			if o[5] == 0xff {
				w.ResetAt = time.Time{} // unknown
			}
			switch o[0] % 4 {
			case 0: // a reservation
				held := s.Hold
				start := s.Apply(pace.Op{Now: now, Cost: int64(o[1]), Spread: time.Duration(o[2]) * time.Millisecond})
				if start.Before(now) || start.Before(held) {
					t.Fatalf("start %v before now %v or the hold %v", start, now, held)
				}
			case 1: // a report of the requests window
				s.Apply(pace.Op{Now: now, Observe: true, Requests: w, RequestsKnown: true, Admitted: o[7]&1 == 1})
			case 2: // a report of the tokens window
				s.Apply(pace.Op{Now: now, Observe: true, Tokens: w, TokensKnown: true, Admitted: o[7]&1 == 1})
			case 3: // a server delay, or a success
				op := pace.Op{Now: now, Observe: true, Admitted: o[7]&1 == 1}
				if !op.Admitted {
					op.Hold = now.Add(time.Duration(num(1)) * time.Millisecond)
				}
				s.Apply(op)
			}
		}
	})
}
