package num

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// exact is the reference: s (digits with an optional '.') times unit,
// rounded half up to the nanosecond, saturating, computed with big.Rat
// from every digit of s.
func exact(t testing.TB, s string, unit time.Duration) time.Duration {
	t.Helper()
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	s = strings.TrimSuffix(s, ".")
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("reference cannot parse %q", s)
	}
	r.Mul(r, new(big.Rat).SetInt64(int64(unit)))
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom()) // floor: r is positive
	if !q.IsInt64() {
		return math.MaxInt64
	}
	return time.Duration(q.Int64())
}

func TestParseDuration(t *testing.T) {
	zeros := func(n int) string { return strings.Repeat("0", n) }
	nines := func(n int) string { return strings.Repeat("9", n) }
	tests := []struct {
		name string
		in   string
		unit time.Duration
		want time.Duration
		ok   bool
	}{
		{"integer seconds", "20", time.Second, 20 * time.Second, true},
		{"fraction", "1.692", time.Second, 1692 * time.Millisecond, true},
		{"milliseconds", "644", time.Millisecond, 644 * time.Millisecond, true},
		{"fractional milliseconds", "0.5", time.Millisecond, 500 * time.Microsecond, true},
		{"trailing dot", "5.", time.Second, 5 * time.Second, true},
		{"leading dot", ".5", time.Second, 500 * time.Millisecond, true},
		{"zero", "0", time.Second, 0, true},
		{"half a nanosecond rounds up", "0.0000000005", time.Second, 1, true},
		{"under half a nanosecond rounds down", "0.0000000004999", time.Second, 0, true},
		{"65,000 zeros then a 1", "0." + zeros(65000) + "1", time.Second, 0, true},
		{"leading zeros", zeros(100000) + "7", time.Second, 7 * time.Second, true},
		{"19 nines of nanoseconds saturate", nines(19), time.Nanosecond, math.MaxInt64, true},
		{"largest Duration exactly", "9223372036854775807", time.Nanosecond, math.MaxInt64, true},
		{"20 digits of seconds saturate", "1" + zeros(19), time.Second, math.MaxInt64, true},
		{"100,000 digits saturate", nines(100000), time.Millisecond, math.MaxInt64, true},
		{"long fraction is cut past 19 digits", "1." + nines(50000), time.Second, 2 * time.Second, true},
		{"hours", "2.5", time.Hour, 150 * time.Minute, true},
		{"empty", "", time.Second, 0, false},
		{"dot", ".", time.Second, 0, false},
		{"two dots", "1.2.3", time.Second, 0, false},
		{"sign", "-1", time.Second, 0, false},
		{"plus", "+1", time.Second, 0, false},
		{"exponent", "1e3", time.Second, 0, false},
		{"Inf", "Inf", time.Second, 0, false},
		{"NaN", "NaN", time.Second, 0, false},
		{"hex", "0x10", time.Second, 0, false},
		{"space", "1 ", time.Second, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := Parse(tt.in)
			got := d.Duration(tt.unit)
			if ok != tt.ok || got != tt.want {
				t.Errorf("Parse(%.40q).Duration(%v) = %v, %v; want %v, %v", tt.in, tt.unit, got, ok, tt.want, tt.ok)
			}
			if ok && len(tt.in) < 200 && strings.Count(strings.TrimLeft(strings.ReplaceAll(tt.in, ".", ""), "0"), "") <= 20 {
				if ref := exact(t, tt.in, tt.unit); ref != got {
					t.Errorf("Parse(%q).Duration(%v) = %v, the exact value is %v", tt.in, tt.unit, got, ref)
				}
			}
		})
	}
}

func TestRead(t *testing.T) {
	type res struct {
		D Decimal
		N int
	}
	tests := []struct {
		in   string
		want res
	}{
		{"20s", res{Decimal{20, 0}, 2}},
		{"1.5s", res{Decimal{15, -1}, 3}},
		{"0.644 seconds", res{Decimal{644, -3}, 5}},
		{"5. Then", res{Decimal{5, 0}, 1}},
		{".5s", res{Decimal{}, 0}},
		{"s", res{Decimal{}, 0}},
		{"", res{Decimal{}, 0}},
		{"1m9.696s", res{Decimal{1, 0}, 1}},
		{strings.Repeat("9", 25) + "s", res{Decimal{9999999999999999999, 6}, 25}},
	}
	for _, tt := range tests {
		d, n := Read(tt.in)
		if diff := cmp.Diff(tt.want, res{d, n}); diff != "" {
			t.Errorf("Read(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseJSON(t *testing.T) {
	tests := []struct {
		in        string
		want      time.Duration
		neg, okay bool
	}{
		{"20.0", 20 * time.Second, false, true},
		{"1.5", 1500 * time.Millisecond, false, true},
		{"1e300", math.MaxInt64, false, true},
		{"1E+2", 100 * time.Second, false, true},
		{"25e-1", 2500 * time.Millisecond, false, true},
		{"1e-99999999999999999999", 0, false, true},
		{"1e99999999999999999999", math.MaxInt64, false, true},
		{"-3", 3 * time.Second, true, true},
		{"-0", 0, false, true},
		{"1e", 0, false, false},
		{"1.", 0, false, false},
		{"", 0, false, false},
		{"-", 0, false, false},
		{"1x", 0, false, false},
	}
	for _, tt := range tests {
		d, neg, ok := ParseJSON(tt.in)
		if got := d.Duration(time.Second); got != tt.want || neg != tt.neg || ok != tt.okay {
			t.Errorf("ParseJSON(%q) = %v, neg %v, ok %v; want %v, %v, %v", tt.in, got, neg, ok, tt.want, tt.neg, tt.okay)
		}
	}
}

func TestFloat64(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{{"1732503600", 1732503600}, {"1732503600123", 1732503600123}, {"0", 0}, {"2.5", 2.5}, {strings.Repeat("9", 500), math.Inf(1)}} {
		d, _ := Parse(tt.in)
		if got := d.Float64(); got != tt.want {
			t.Errorf("Parse(%.20q).Float64() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestNoAllocs pins that parsing any length allocates nothing.
func TestNoAllocs(t *testing.T) {
	long := "0." + strings.Repeat("0", 1<<16) + "1"
	if n := testing.AllocsPerRun(10, func() {
		d, _ := Parse(long)
		_ = d.Duration(time.Second)
		_, _ = Read(long)
	}); n != 0 {
		t.Errorf("allocations = %v, want 0", n)
	}
}

// FuzzDuration checks Parse against the exact value computed with big.Rat:
// equal when s has at most 19 significant digits (then nothing is
// skipped), and at most 1 ns apart otherwise.
func FuzzDuration(f *testing.F) {
	for _, s := range []string{"20", "1.692", "0.5", ".5", "5.", "9223372036854775807", "0.0000000005", "123456789012345678901234.5"} {
		f.Add(s, int64(time.Second))
	}
	f.Add("644", int64(time.Millisecond))
	f.Fuzz(func(t *testing.T, s string, unit int64) {
		if unit <= 0 || len(s) > 400 {
			return
		}
		d, ok := Parse(s)
		if !ok {
			return
		}
		got := d.Duration(time.Duration(unit))
		want := exact(t, s, time.Duration(unit))
		diff := got - want
		if diff < -1 || diff > 1 {
			t.Fatalf("Parse(%q).Duration(%d) = %d, exact %d", s, unit, got, want)
		}
		sig := strings.TrimLeft(strings.Replace(s, ".", "", 1), "0")
		if len(sig) <= maxDigits && got != want {
			t.Fatalf("Parse(%q).Duration(%d) = %d, exact %d", s, unit, got, want)
		}
		if n, rn := len(s), 0; n > 0 {
			_, rn = Read(s)
			if rn > n {
				t.Fatalf("Read(%q) used %d bytes of %d", s, rn, n)
			}
		}
	})
}
