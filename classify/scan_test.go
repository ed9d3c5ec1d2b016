package classify

import (
	"strings"
	"testing"
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
				sc := newScan(text, lead, fold)
				var got []int
				for i := sc.next(); i >= 0; i = sc.next() {
					got = append(got, i)
				}
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
				if len(got) != len(want) || (len(got) > 0 && (got[0] != want[0] || got[len(got)-1] != want[len(want)-1])) {
					t.Errorf("%.20q, lead %q, fold %v: %d matches, want %d", text, lead.s, fold, len(got), len(want))
				}
				if sc.scanned > 2*len(text) {
					t.Errorf("%.20q, lead %q, fold %v: the scans passed over %d bytes of %d", text, lead.s, fold, sc.scanned, len(text))
				}
			}
		}
	}
}
