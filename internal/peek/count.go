package peek

import "bytes"

// Counter counts the tokens in a stream of kind as its bytes go by, in
// whatever pieces: the events with a data line of an SSE stream, the
// non-blank lines of an NDJSON stream, the messages of an event stream. It
// keeps a few bytes of state, whatever the stream's length. The zero
// Counter counts nothing; make one with NewCounter. A Counter is for one
// stream and not safe for concurrent use.
type Counter struct {
	kind   Kind
	tokens int
	// SSE and NDJSON: the current line's length so far, up to 5, whether
	// its start matches "data:", and whether the current event (SSE) had a
	// data line or the current line (NDJSON) a non-blank byte.
	col     int
	prefix  bool
	pending bool
	// EventStream: the bytes of the current message's length read so far
	// and the rest of the message to skip; broken stops counting.
	lenBuf [4]byte
	lenN   int
	skip   uint64
	broken bool
}

// NewCounter returns a Counter for a stream of kind, to keep by value.
func NewCounter(kind Kind) Counter { return Counter{kind: kind, prefix: true} }

// Tokens returns the tokens counted so far.
func (c *Counter) Tokens() int { return c.tokens }

// Add counts the tokens that p completes.
func (c *Counter) Add(p []byte) {
	switch c.kind {
	case SSE:
		c.addSSE(p)
	case NDJSON:
		c.addLines(p)
	case EventStream:
		c.addMessages(p)
	}
}

func (c *Counter) addSSE(p []byte) {
	const data = "data:"
	for _, b := range p {
		switch {
		case b == '\n':
			if c.col == 0 { // a blank line ends the event
				if c.pending {
					c.tokens++
				}
				c.pending = false
			}
			c.col, c.prefix = 0, true
		case b == '\r':
			// CRLF: the LF ends the line.
		case c.col < len(data):
			c.prefix = c.prefix && b == data[c.col]
			c.col++
			if c.col == len(data) && c.prefix {
				c.pending = true
			}
		}
	}
}

func (c *Counter) addLines(p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		line := p
		if i >= 0 {
			line = p[:i]
		}
		if !blank(line) {
			c.pending = true
		}
		if i < 0 {
			return
		}
		if c.pending {
			c.tokens++
		}
		c.pending = false
		p = p[i+1:]
	}
}

func (c *Counter) addMessages(p []byte) {
	for len(p) > 0 && !c.broken {
		if c.skip > 0 {
			n := min(uint64(len(p)), c.skip)
			c.skip -= n
			p = p[n:]
			if c.skip == 0 {
				c.tokens++
			}
			continue
		}
		n := copy(c.lenBuf[c.lenN:], p)
		c.lenN += n
		p = p[n:]
		if c.lenN < 4 {
			return
		}
		c.lenN = 0
		total := uint64(c.lenBuf[0])<<24 | uint64(c.lenBuf[1])<<16 | uint64(c.lenBuf[2])<<8 | uint64(c.lenBuf[3])
		if total < esMinTotal || total > esMaxTotal {
			c.broken = true
			return
		}
		c.skip = total - 4
	}
}

// blank reports whether b holds only JSON's white space (space, tab, line
// feed, carriage return). Only ASCII counts: a line of other spaces (a
// no-break space) is not blank, whether it arrives whole or a byte at a
// time, when a multi-byte character is cut in two.
func blank(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}
