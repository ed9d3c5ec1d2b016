// Package num reads the unsigned decimal numbers that servers send as
// delays (Retry-After, retry-after-ms, x-ratelimit-reset-*, RetryInfo's
// retryDelay, Hugging Face's estimated_time, "try again in 1.5s") and turns
// them into durations, in one pass over their bytes and without
// allocating, whatever their length.
//
// A Decimal keeps the first 19 significant digits of a number and a power
// of ten; the digits past them are skipped (they change a duration by less
// than a nanosecond), so that a number of 100,000 digits costs one pass.
// Converting to a Duration is exact integer arithmetic on those digits,
// rounded half up to the nanosecond, and saturates at the largest Duration
// instead of overflowing. The package is internal: parse and classify
// share it.
//
// Runtime helper: classify and parse import it from non-test code.
package num

import (
	"math"
	"math/bits"
	"time"
)

// maxDigits is how many significant digits a Decimal keeps: 19 always fit
// in a uint64.
const maxDigits = 19

// maxExp bounds the exponent of a number written with one ("1e300"): any
// larger magnitude saturates or rounds to zero all the same.
const maxExp = 1 << 20

// Decimal is the unsigned decimal number Mant × 10^Exp.
type Decimal struct {
	Mant uint64
	Exp  int
}

// IsZero reports whether d is zero.
func (d Decimal) IsZero() bool { return d.Mant == 0 }

// Read reads an unsigned decimal number at the start of s: one or more
// digits, then optionally '.' and one or more digits ("20", "1.5",
// "0.644"; not ".5", and in "5." only "5"). It returns the number and how
// many bytes it used, 0 when s does not start with a digit.
func Read(s string) (Decimal, int) {
	var d Decimal
	i := 0
	for i < len(s) && s[i]-'0' <= 9 {
		d.addInt(s[i])
		i++
	}
	if i == 0 {
		return d, 0
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1]-'0' <= 9 {
		i++
		for i < len(s) && s[i]-'0' <= 9 {
			d.addFrac(s[i])
			i++
		}
	}
	return d, i
}

// Parse parses s, all of it, as an unsigned decimal number with an
// optional fraction: "20", "1.5", "5." and ".5" are numbers; "", ".",
// "1e3", "+1", "-1", "0x10", "Inf" and "NaN" are not.
func Parse(s string) (Decimal, bool) {
	var d Decimal
	digits, dot := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c-'0' <= 9:
			digits = true
			if dot {
				d.addFrac(c)
			} else {
				d.addInt(c)
			}
		case c == '.' && !dot:
			dot = true
		default:
			return Decimal{}, false
		}
	}
	return d, digits
}

// ParseJSON parses s, all of it, as a JSON number ("20.0", "1.5", "1e300",
// "-0"). neg reports a minus sign before a non-zero value, which a delay
// cannot be.
func ParseJSON(s string) (d Decimal, neg, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	m, n := Read(s[i:])
	if n == 0 {
		return Decimal{}, false, false
	}
	d = m
	i += n
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		sign := 1
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				sign = -1
			}
			i++
		}
		start, e := i, 0
		for i < len(s) && s[i]-'0' <= 9 {
			if e < maxExp {
				e = e*10 + int(s[i]-'0')
			}
			i++
		}
		if i == start {
			return Decimal{}, false, false
		}
		d.Exp += sign * min(e, maxExp)
	}
	if i != len(s) {
		return Decimal{}, false, false
	}
	return d, neg && !d.IsZero(), true
}

// addInt appends an integer digit.
func (d *Decimal) addInt(c byte) {
	switch {
	case d.Mant == 0 && c == '0':
		// A leading zero.
	case d.Mant < 1e18:
		d.Mant = d.Mant*10 + uint64(c-'0')
	default:
		// Past 19 digits: only the magnitude grows. (Exp stays far from
		// overflowing: it moves by one per byte of input at most.)
		d.Exp++
	}
}

// addFrac appends a fraction digit.
func (d *Decimal) addFrac(c byte) {
	if d.Mant < 1e18 {
		// A leading zero of the fraction too: it moves the point.
		d.Mant = d.Mant*10 + uint64(c-'0')
		d.Exp--
	}
	// Past 19 significant digits: skipped.
}

// Duration returns d units as a Duration, rounded half up to the
// nanosecond and saturating at the largest Duration. unit must not be
// negative.
func (d Decimal) Duration(unit time.Duration) time.Duration {
	if d.Mant == 0 || unit <= 0 {
		return 0
	}
	// x = Mant × unit, at most (10^19) × (2^63): it fits in 128 bits.
	hi, lo := bits.Mul64(d.Mant, uint64(unit))
	exp := d.Exp
	for ; exp > 0; exp-- {
		if hi != 0 {
			return math.MaxInt64
		}
		hi, lo = bits.Mul64(lo, 10)
	}
	if exp < 0 && exp >= -maxDigits && hi == 0 {
		// The common case, "1.692s": one 64-bit division, rounded half
		// up (r >= div-r is 2r >= div without overflow).
		div := pow10[-exp]
		q, r := lo/div, lo%div
		if r >= div-r {
			q++
		}
		if q > math.MaxInt64 {
			return math.MaxInt64
		}
		return time.Duration(q)
	}
	if exp < 0 {
		if exp < -60 {
			return 0 // x < 10^38: divided by more than 10^60, under half a unit
		}
		// Round half up: floor((2x / 10^k + 1) / 2), where floor(2x / 10^k)
		// is taken by steps of 10^19 at most (floors of floors compose).
		hi, lo = hi<<1|lo>>63, lo<<1
		for k := -exp; k > 0; {
			step := min(k, maxDigits)
			div := pow10[step]
			qhi := hi / div
			lo, _ = bits.Div64(hi%div, lo, div)
			hi = qhi
			k -= step
		}
		// (hi, lo) + 1, halved.
		var c uint64
		lo, c = bits.Add64(lo, 1, 0)
		hi += c
		hi, lo = hi>>1, lo>>1|hi<<63
	}
	if hi != 0 || lo > math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(lo)
}

// Float64 returns d as a float64, +Inf when too large.
func (d Decimal) Float64() float64 {
	if d.Mant == 0 {
		return 0
	}
	e := max(min(d.Exp, 400), -400)
	return float64(d.Mant) * math.Pow10(e)
}

// pow10 holds 10^0 to 10^19.
var pow10 = func() (t [maxDigits + 1]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()
