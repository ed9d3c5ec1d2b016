package policy

import "sync"

// Budget is a retry budget shared by many requests, in the style of gRPC
// retry throttling and the AWS SDKs' retry quota: every retry spends
// RetryCost tokens, every success returns Refill tokens (up to Max), and
// when fewer than RetryCost tokens are left, retries stop with
// ReasonBudgetExhausted until successes refill it. During an outage it turns
// a fleet's retries from a multiplier of the load into a trickle, while a
// healthy service that fails now and then never notices it.
//
// The zero Budget is full and uses the defaults. A Budget is safe for
// concurrent use; share one pointer (Policy.Budget) among all the requests
// it governs. Do not copy a Budget after first use.
type Budget struct {
	// Max is the capacity in tokens; zero means DefaultBudgetMax.
	Max float64
	// RetryCost is what one retry spends; zero means DefaultBudgetRetryCost.
	RetryCost float64
	// Refill is what one success returns; zero means DefaultBudgetRefill.
	Refill float64

	mu    sync.Mutex
	spent float64 // tokens spent and not yet refilled: the zero value is full
}

// Defaults of the Budget fields, those of the AWS SDKs' standard retry
// quota: a full budget allows 100 retries in a row.
const (
	DefaultBudgetMax       = 500
	DefaultBudgetRetryCost = 5
	DefaultBudgetRefill    = 1
)

func (b *Budget) params() (max, cost, refill float64) {
	max, cost, refill = b.Max, b.RetryCost, b.Refill
	if !(max > 0) {
		max = DefaultBudgetMax
	}
	if !(cost > 0) {
		cost = DefaultBudgetRetryCost
	}
	if !(refill > 0) {
		refill = DefaultBudgetRefill
	}
	return max, cost, refill
}

// Tokens returns the tokens left.
func (b *Budget) Tokens() float64 {
	max, _, _ := b.params()
	b.mu.Lock()
	defer b.mu.Unlock()
	return max - b.spent
}

// take spends one retry's tokens, reporting whether there were enough. A
// nil Budget always allows.
func (b *Budget) take() bool {
	if b == nil {
		return true
	}
	max, cost, _ := b.params()
	b.mu.Lock()
	defer b.mu.Unlock()
	if max-b.spent < cost {
		return false
	}
	b.spent += cost
	return true
}

// allows reports whether a retry's tokens are left, without spending them.
// A nil Budget always allows.
func (b *Budget) allows() bool {
	if b == nil {
		return true
	}
	max, cost, _ := b.params()
	b.mu.Lock()
	defer b.mu.Unlock()
	return max-b.spent >= cost
}

// spend spends one retry's tokens, or what is left if that is less. A nil
// Budget does nothing.
func (b *Budget) spend() {
	if b == nil {
		return
	}
	max, cost, _ := b.params()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.spent = min(b.spent+cost, max)
}

// success returns tokens for a successful request. A success after retries
// returns the cost of one retry (that retry paid off); a first-try success
// returns Refill. A nil Budget does nothing.
func (b *Budget) success(retried bool) {
	if b == nil {
		return
	}
	_, cost, refill := b.params()
	if retried {
		refill = cost
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.spent = max(b.spent-refill, 0)
}
