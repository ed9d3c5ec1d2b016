package classify

import (
	"strings"
	"testing"
	"time"

	"github.com/apierr/apierr/catalog"
)

// TestScanLinear counts the work of the delay search's scans: however many
// candidates a text holds, in whichever case, the scans for the anchor
// byte pass over each byte at most once for each case, and every match is
// found, in order. (The search that this replaced scanned the rest of the
// text again at each candidate: quadratic in them.)
func TestScanLinear(t *testing.T) {
	texts := []string{
		strings.Repeat("try ", 16<<10),
		strings.Repeat("TrY again in x ", 4<<10),
		strings.Repeat("tRy", 20<<10),
		strings.Repeat("y", 64<<10),
		strings.Repeat("Y", 64<<10),
		strings.Repeat("wait WAIT wai ", 4<<10),
		"",
		"try",
	}
	for _, s := range texts {
		for k := range delayLeads {
			lead := &delayLeads[k]
			for _, fold := range []bool{true, false} {
				text := s
				if !fold {
					text = asciiLower(s)
				}
				var st scanStats
				leadScan(text, lead, fold, false, &st)
				// The matches a plain search of the lowered text finds,
				// each after the end of the one before.
				var want []int
				low := asciiLower(text)
				for off := 0; ; {
					i := strings.Index(low[off:], lead.s)
					if i < 0 {
						break
					}
					want = append(want, off+i)
					off += i + len(lead.s)
				}
				if st.matches != len(want) || (len(want) > 0 && (st.first != want[0] || st.last != want[len(want)-1])) {
					t.Errorf("%.20q, lead %q, fold %v: %d matches (%d to %d), want %d", text, lead.s, fold, st.matches, st.first, st.last, len(want))
				}
				if st.bytes > 2*len(text) {
					t.Errorf("%.20q, lead %q, fold %v: the scans passed over %d bytes of %d", text, lead.s, fold, st.bytes, len(text))
				}
			}
		}
	}
}

// TestDelayAfterMatches: messageDelay finds the phrase after any number of
// matches of a lead that are not followed by one, whether the first match
// (its own search) or a later one (leadScan) is followed by it.
func TestDelayAfterMatches(t *testing.T) {
	for _, prefix := range []string{"", "try later. ", strings.Repeat("Try x ", 50), strings.Repeat("try TRY ", 1000)} {
		for _, fold := range []bool{true, false} {
			text := prefix + "Please try again in 5s."
			if !fold {
				text = asciiLower(text)
			}
			d, ok := messageDelay(text, fold, false)
			if !ok || d != 5*time.Second {
				t.Errorf("%.30q (fold %v): %v, %v; want 5s", text, fold, d, ok)
			}
			if _, ok := messageDelay(prefix+" 5s", fold, false); ok {
				t.Errorf("%.30q (fold %v): a delay without a phrase", prefix, fold)
			}
		}
	}
}

// TestHasDigit checks the word-at-a-time digit test against the plain one:
// every byte value at every position of texts of every length up to 24,
// over fillers next to the digits ('/' and ':') and far from them.
func TestHasDigit(t *testing.T) {
	for _, filler := range []byte{'/', ':', 'a', 0x00, 0x7f, 0x80, 0xff, ' '} {
		for n := 0; n <= 24; n++ {
			base := strings.Repeat(string([]byte{filler}), n)
			if hasDigit(base) {
				t.Fatalf("hasDigit(%q) = true", base)
			}
			for pos := 0; pos < n; pos++ {
				for c := 0; c < 256; c++ {
					s := base[:pos] + string([]byte{byte(c)}) + base[pos+1:]
					want := byte(c)-'0' <= 9
					if got := hasDigit(s); got != want {
						t.Fatalf("hasDigit(%q) = %v, want %v", s, got, want)
					}
				}
			}
		}
	}
}

// FuzzHasDigit compares the word-at-a-time digit test with the plain one.
func FuzzHasDigit(f *testing.F) {
	f.Add("Overloaded")
	f.Add("You exceeded your current quota/:")
	f.Add("Please try again in 1.692s.")
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ContainsAny(s, "0123456789")
		if got := hasDigit(s); got != want {
			t.Fatalf("hasDigit(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestStatusOf checks the compact status table against catalog.StatusInfo
// for every code it holds and for codes outside it.
func TestStatusOf(t *testing.T) {
	for code := -2; code < maxIndexedStatus+500; code++ {
		st := catalog.StatusInfo(code)
		want := statusClass{st.Category, st.Retryable, st.Known}
		if got := statusOf(code); got != want {
			t.Fatalf("statusOf(%d) = %+v, want %+v", code, got, want)
		}
	}
}
