package classify

import (
	"math"
	"strings"
)

// pattern is a Rule.Contains entry split at "*" into lower-cased
// fragments, each with the index of its rarest byte: the search scans for
// that byte, so a fragment that starts with a common letter ("exceeds")
// does not stop at every "e" of the message.
type pattern struct {
	frags  [4]fragment
	n      int
	minLen int        // the fragments' lengths added up: a shorter message cannot match
	spill  []fragment // fragments past the fourth
	always bool       // the pattern is empty or only "*": it matches
}

type fragment struct {
	s      string
	anchor int
}

// compilePattern splits p at "*", lower-cases the fragments and picks
// their anchors, once, for the catalog's rules.
func compilePattern(p string) pattern {
	var pt pattern
	for {
		frag, rest, more := strings.Cut(p, "*")
		if frag != "" {
			if hasUpper(frag) {
				frag = lowerASCII(frag)
			}
			f := fragment{frag, anchor(frag)}
			if pt.n < len(pt.frags) {
				pt.frags[pt.n] = f
			} else {
				pt.spill = append(pt.spill, f)
			}
			pt.n++
			pt.minLen += len(frag)
		}
		if !more {
			break
		}
		p = rest
	}
	pt.always = pt.n == 0
	return pt
}

// frag returns the pattern's k-th fragment: the first ones are held
// inline, the rest in spill.
func (p *pattern) frag(k int) fragment {
	if k < len(p.frags) {
		return p.frags[k]
	}
	return p.spill[k-len(p.frags)]
}

// match reports whether s holds the fragments in order. With fold, s may
// hold ASCII upper case, which is folded while searching; without, s is
// already lowered.
func (p *pattern) match(s string, fold bool) bool {
	if p.always {
		return true
	}
	if len(s) < p.minLen {
		return false
	}
	for k := 0; k < p.n; k++ {
		f := p.frag(k)
		var i int
		if fold {
			i = indexFold(s, f.s, f.anchor)
		} else {
			i = indexAnchored(s, f.s, f.anchor)
		}
		if i < 0 {
			return false
		}
		s = s[i+len(f.s):]
	}
	return true
}

// indexAnchored is strings.Index(s, needle), scanning for needle[k]: the
// search stops only where the needle's rarest byte is.
func indexAnchored(s, needle string, k int) int {
	// Only anchors before end leave room for the needle.
	end := len(s) - len(needle) + k + 1
	c := needle[k]
	for off := k; off < end; {
		j := strings.IndexByte(s[off:end], c)
		if j < 0 {
			return -1
		}
		p := off + j - k
		if s[p:p+len(needle)] == needle {
			return p
		}
		off += j + 1
	}
	return -1
}

// indexFold is indexAnchored without regard to ASCII case: the index of
// the first match of needle in s, letters compared after lowering them
// (lowering changes no other byte, so the index is the same as in a
// lowered copy of s). A letter anchor is scanned for in both cases, each
// scan resumed only once its last hit is passed, so the search stays
// linear. Only where a match could still fit is scanned.
func indexFold(s, needle string, k int) int {
	// Only anchors before end leave room for the needle: t is where to
	// scan.
	end := len(s) - len(needle) + k + 1
	if end <= k {
		return -1
	}
	t := s[:end]
	c := foldByte(needle[k])
	if c < 'a' || c > 'z' {
		// Lowering never makes or changes this byte: one scan.
		for off := k; off < len(t); {
			j := strings.IndexByte(t[off:], c)
			if j < 0 {
				return -1
			}
			p := off + j - k
			if equalFold(s[p:p+len(needle)], needle) {
				return p
			}
			off += j + 1
		}
		return -1
	}
	if len(t)-k <= 16 {
		// Few places to look at (a short message, such as Anthropic's
		// "Overloaded"): one pass over them costs less than the two
		// calls of IndexByte below.
		// c is a lower-case letter: a byte folds to it when setting its
		// 0x20 bit makes it c.
		for j, a := 0, t[k:]; j < len(a); j++ {
			if a[j]|0x20 == c {
				if equalFold(s[j:j+len(needle)], needle) {
					return j
				}
			}
		}
		return -1
	}
	next := func(from int, b byte) int {
		if from >= len(t) {
			return len(t)
		}
		if j := strings.IndexByte(t[from:], b); j >= 0 {
			return from + j
		}
		return len(t)
	}
	lo, up := next(k, c), next(k, c-('a'-'A'))
	for {
		q := min(lo, up)
		if q >= len(t) {
			return -1
		}
		p := q - k
		if equalFold(s[p:p+len(needle)], needle) {
			return p
		}
		if q == lo {
			lo = next(q+1, c)
		} else {
			up = next(q+1, c-('a'-'A'))
		}
	}
}

// anchor returns the index of the rarest byte of s in English text.
func anchor(s string) int {
	best, bestRank := 0, 256
	for i := 0; i < len(s); i++ {
		if r := int(byteRank[foldByte(s[i])]); r < bestRank {
			best, bestRank = i, r
		}
	}
	return best
}

// byteRank orders bytes by how common they are in English error messages:
// higher is more common. Bytes not listed are rare (rank 0).
var byteRank = func() (t [256]uint8) {
	const common = " etaoinsrhldcumfpgwybvkxjqz" // most common first
	for i := 0; i < len(common); i++ {
		t[common[i]] = uint8(200 - i*5)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 120
	}
	t['.'], t[','], t['/'], t['-'], t[':'], t['_'] = 150, 100, 90, 80, 60, 40
	return t
}()

// scanStats counts the work of one leadScan, for a test: the bytes its
// scans for the anchor byte passed over, and the matches of the lead it
// found (the first and last at first and last).
type scanStats struct {
	bytes, matches, first, last int
}

// scanned adds to st, when it is not nil, the bytes of a text of length n
// that a scan from from passed over to find its hit at i (n for none).
func (st *scanStats) scanned(from, i, n int) int {
	if st != nil && from < n {
		st.bytes += min(i+1, n) - from
	}
	return i
}

// byteCounts counts the bytes of a text, in four tables so that a run of
// one byte does not make each count wait for the one before, and records
// which runs of three bytes (trigrams) it holds, hashed into a set of
// 65,536 bits: a fragment one of whose trigrams the text lacks is not
// searched for at all. A long message (a stack trace, a log dump) holds
// every common letter, but only a few percent of the set's bits, so the
// set rejects nearly every phrase of the catalog that the message does
// not hold, in a few probes each.
type byteCounts struct {
	n     [4][256]uint16
	grams [1 << 10]uint64
}

// add counts the bytes of b, which is at most MessageScanLimit long (the
// counts fit in 16 bits), and records its trigrams.
func (c *byteCounts) add(b []byte) {
	i := 0
	for ; i+4 <= len(b); i += 4 {
		c.n[0][b[i]]++
		c.n[1][b[i+1]]++
		c.n[2][b[i+2]]++
		c.n[3][b[i+3]]++
	}
	for ; i < len(b); i++ {
		c.n[0][b[i]]++
	}
	for i := 0; i+3 <= len(b); i++ {
		h := gramHash(b[i], b[i+1], b[i+2])
		c.grams[h>>6] |= 1 << (h & 63)
	}
}

// gramHash hashes a trigram to 16 bits (Fibonacci hashing).
func gramHash(a, b, d byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(d)) * 2654435761 >> 16
}

// mayHold reports whether the text may hold f: false when one of f's
// trigrams is not in it.
func (c *byteCounts) mayHold(f string) bool {
	for i := 0; i+3 <= len(f); i++ {
		h := gramHash(f[i], f[i+1], f[i+2])
		if c.grams[h>>6]&(1<<(h&63)) == 0 {
			return false
		}
	}
	return true
}

// of returns how many times b occurs.
func (c *byteCounts) of(b byte) int {
	return int(c.n[0][b]) + int(c.n[1][b]) + int(c.n[2][b]) + int(c.n[3][b])
}

// matchCounted is match on the lowered text s whose bytes c counts: each
// fragment is searched for by its byte that s holds the fewest times, and
// not at all when s lacks one of its bytes.
func (p *pattern) matchCounted(s string, c *byteCounts) bool {
	if p.always {
		return true
	}
	if len(s) < p.minLen {
		return false
	}
	for k := 0; k < p.n; k++ {
		f := p.frag(k)
		best, fewest := 0, math.MaxInt
		for j := 0; j < len(f.s); j++ {
			if n := c.of(f.s[j]); n < fewest {
				best, fewest = j, n
			}
		}
		if fewest == 0 || !c.mayHold(f.s) {
			return false
		}
		i := indexAnchored(s, f.s, best)
		if i < 0 {
			return false
		}
		s = s[i+len(f.s):]
	}
	return true
}
