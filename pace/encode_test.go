package pace_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/apierr/apierr/pace"
	"github.com/google/go-cmp/cmp"
)

// TestEncodingRoundTrip: a State read back from its encoding makes the
// same reservations as the State itself, whatever it had learnt (a
// cooldown, a learnt rate, a fixed window, a bucket).
func TestEncodingRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	bucket := func(rem int64, at time.Duration) pace.Op {
		now := t0.Add(at)
		return pace.Op{Now: now, Observe: true, Admitted: true, RequestsKnown: true,
			Requests: pace.WindowState{Limit: 60, Remaining: rem, ResetAt: now.Add(time.Duration(60-rem) * time.Second)},
			Tokens:   pace.WindowState{Remaining: -1}}
	}
	for _, tc := range []struct {
		name string
		ops  []pace.Op
	}{
		{"empty", nil},
		{"cooldowns", []pace.Op{
			{Now: t0, Observe: true, Hold: t0.Add(2 * time.Second)},
			{Now: t0.Add(3 * time.Second), Observe: true, Admitted: true},
			{Now: t0.Add(3 * time.Second), Observe: true, Admitted: true},
			{Now: t0.Add(4 * time.Second), Observe: true, Hold: t0.Add(5 * time.Second)},
		}},
		{"fixed window", []pace.Op{{Now: t0, Observe: true, RequestsKnown: true,
			Requests: pace.WindowState{Limit: 100, Remaining: 30, ResetAt: t0.Add(time.Minute)}, Tokens: pace.WindowState{Remaining: -1}}}},
		{"bucket", []pace.Op{bucket(59, 0), bucket(50, time.Second), bucket(40, 2*time.Second), bucket(30, 3*time.Second)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s pace.State
			for _, op := range tc.ops {
				s.Apply(op)
			}
			b, err := s.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var c pace.State
			if err := c.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if b2, _ := c.AppendBinary(nil); !bytes.Equal(b, b2) {
				t.Errorf("re-encoding differs:\n%x\n%x", b, b2)
			}
			now := t0.Add(5 * time.Second)
			var want, got []time.Time
			for i := range 20 {
				op := pace.Op{Now: now.Add(time.Duration(i) * 100 * time.Millisecond), Spread: 250 * time.Millisecond}
				want, got = append(want, s.Apply(op)), append(got, c.Apply(op))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("reservations (-state +decoded):\n%s", diff)
			}
		})
	}
}

// TestUnmarshalBinaryRejects: data of another length, version or flags is
// refused with ErrEncoding and leaves the State as it was.
func TestUnmarshalBinaryRejects(t *testing.T) {
	var s pace.State
	good, _ := s.MarshalBinary()
	s.Apply(pace.Op{Now: time.Unix(100, 0), Observe: true, Hold: time.Unix(200, 0)})
	bad := [][]byte{nil, good[:len(good)-1], append(bytes.Clone(good), 0), append([]byte{good[0] + 1}, good[1:]...), append([]byte{good[0], 8}, good[2:]...)}
	for i, b := range bad {
		if err := s.UnmarshalBinary(b); !errors.Is(err, pace.ErrEncoding) {
			t.Errorf("case %d: err %v, want ErrEncoding", i, err)
		}
		if s.Hold != time.Unix(200, 0) {
			t.Errorf("case %d: the State changed to hold until %v", i, s.Hold)
		}
	}
}

// FuzzUnmarshalBinary: no panic, and whatever decodes encodes back to the
// same bytes.
func FuzzUnmarshalBinary(f *testing.F) {
	var s pace.State
	b, _ := s.MarshalBinary()
	f.Add(b)
	s.Apply(pace.Op{Now: time.Unix(100, 0), Observe: true, Hold: time.Unix(200, 0)})
	b, _ = s.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var s pace.State
		if s.UnmarshalBinary(b) != nil {
			return
		}
		if b2, _ := s.AppendBinary(nil); !bytes.Equal(b, b2) {
			t.Fatalf("round trip differs:\n%x\n%x", b, b2)
		}
	})
}
