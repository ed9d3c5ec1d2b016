package pace

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// encodingVersion is the first byte of an encoded State; a State encoded
// by another version is not decoded (a fleet store then starts the key
// afresh rather than misreading it).
const encodingVersion = 2

// encodedLen is the length of an encoded State: a version byte, a flags
// byte, then fixed-width fields (see AppendBinary).
const encodedLen = 2 + 8*(2+3*2) + 8*5 + 2*(1+8*3+8+8+8+8*8) + 8 + 2*8

// ErrEncoding is returned by State.UnmarshalBinary for data that is not a
// State encoded by this version of the package.
var ErrEncoding = errors.New("pace: not an encoded State of this version")

// AppendBinary appends the encoding of s to b and returns the extended
// slice: a fixed-length binary form that a fleet store (package paceredis)
// keeps for the key, and that UnmarshalBinary reads back exactly. Times are
// kept as Unix nanoseconds, so processes sharing a State must have clocks
// that agree (within the Limiter's Spread).
func (s *State) AppendBinary(b []byte) ([]byte, error) {
	var flags byte
	for i, k := range s.known {
		if k {
			flags |= 1 << i
		}
	}
	if s.headers {
		flags |= 1 << 2
	}
	b = append(b, encodingVersion, flags)
	b = appendTime(b, s.Hold)
	b = appendTime(b, s.Next)
	b = appendWindow(b, s.Requests)
	b = appendWindow(b, s.Tokens)
	b = appendTime(b, s.holdFrom)
	b = binary.LittleEndian.AppendUint64(b, uint64(s.holdLen))
	b = appendTime(b, s.cycleFrom)
	b = binary.LittleEndian.AppendUint64(b, uint64(s.admitted))
	b = binary.LittleEndian.AppendUint64(b, uint64(s.per))
	for i := range s.buckets {
		k := &s.buckets[i]
		b = append(b, byte(k.votes))
		b = appendWindow(b, k.last)
		b = appendTime(b, k.lastAt)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(k.per))
		b = appendTime(b, k.full)
		b = binary.LittleEndian.AppendUint64(b, uint64(k.fit.limit))
		for _, v := range [...]float64{k.fit.n, k.fit.mr, k.fit.mt, k.fit.srr, k.fit.srt, k.fit.stt, k.fit.most} {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	b = appendTime(b, s.paced)
	b = binary.LittleEndian.AppendUint64(b, uint64(s.span[0]))
	b = binary.LittleEndian.AppendUint64(b, uint64(s.span[1]))
	return b, nil
}

// MarshalBinary implements encoding.BinaryMarshaler (see AppendBinary).
func (s *State) MarshalBinary() ([]byte, error) {
	return s.AppendBinary(make([]byte, 0, encodedLen))
}

// UnmarshalBinary sets s to the State that AppendBinary encoded in b. It
// returns ErrEncoding, and leaves s unchanged, when b is not such an
// encoding.
func (s *State) UnmarshalBinary(b []byte) error {
	if len(b) != encodedLen || b[0] != encodingVersion || b[1]&^7 != 0 {
		return ErrEncoding
	}
	d := decoder{b: b[2:]}
	var t State
	t.known = [2]bool{b[1]&1 != 0, b[1]&2 != 0}
	t.headers = b[1]&4 != 0
	t.Hold, t.Next = d.time(), d.time()
	t.Requests, t.Tokens = d.window(), d.window()
	t.holdFrom = d.time()
	t.holdLen = time.Duration(d.u64())
	t.cycleFrom = d.time()
	t.admitted = int64(d.u64())
	t.per = time.Duration(d.u64())
	for i := range t.buckets {
		k := &t.buckets[i]
		k.votes = int8(d.b[0])
		d.b = d.b[1:]
		k.last = d.window()
		k.lastAt = d.time()
		k.per = math.Float64frombits(d.u64())
		k.full = d.time()
		k.fit.limit = int64(d.u64())
		for _, v := range [...]*float64{&k.fit.n, &k.fit.mr, &k.fit.mt, &k.fit.srr, &k.fit.srt, &k.fit.stt, &k.fit.most} {
			*v = math.Float64frombits(d.u64())
			if math.IsNaN(*v) || math.IsInf(*v, 0) {
				return ErrEncoding
			}
		}
		if math.IsNaN(k.per) || k.per < 0 || math.IsInf(k.per, 0) {
			return ErrEncoding
		}
	}
	t.paced = d.time()
	t.span = [2]time.Duration{time.Duration(d.u64()), time.Duration(d.u64())}
	*s = t
	return nil
}

func appendTime(b []byte, t time.Time) []byte {
	var n int64
	if !t.IsZero() {
		n = t.UnixNano()
	}
	return binary.LittleEndian.AppendUint64(b, uint64(n))
}

func appendWindow(b []byte, w WindowState) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(w.Limit))
	b = binary.LittleEndian.AppendUint64(b, uint64(w.Remaining))
	return appendTime(b, w.ResetAt)
}

type decoder struct{ b []byte }

func (d *decoder) u64() uint64 {
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) time() time.Time {
	n := int64(d.u64())
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (d *decoder) window() WindowState {
	return WindowState{Limit: int64(d.u64()), Remaining: int64(d.u64()), ResetAt: d.time()}
}
