package policy_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/policy"
)

// budgetPolicy retries 503s up to 10 attempts with exact delays, sharing b.
func budgetPolicy(b *policy.Budget) policy.Policy {
	s := plain
	s.MaxAttempts, s.MaxElapsed = 10, -1
	return policy.Policy{Strategies: strategies(s, catalog.Unavailable), Budget: b, Clock: newClock(), Rand: fixedRand(0.5)}
}

// request observes the results in order with a fresh Retrier of p, until
// one is not retried, and returns the reasons decided.
func request(p *policy.Policy, results ...classify.Result) []policy.Reason {
	rt := p.NewRetrier(context.Background())
	var reasons []policy.Reason
	for _, r := range results {
		rt.Observe(r)
		reasons = append(reasons, rt.Decision().Reason)
		if !rt.Decision().Retry {
			break
		}
	}
	return reasons
}

func TestBudgetZeroValue(t *testing.T) {
	var b policy.Budget
	if got := b.Tokens(); got != policy.DefaultBudgetMax {
		t.Errorf("zero Budget has %v tokens, want DefaultBudgetMax %v", got, float64(policy.DefaultBudgetMax))
	}
	b2 := policy.Budget{Max: 42}
	if got := b2.Tokens(); got != 42 {
		t.Errorf("Budget{Max: 42} has %v tokens, want 42", got)
	}
}

// TestBudgetAccounting: retries spend RetryCost, a success after retries
// returns RetryCost, a first-try success returns Refill, never above Max;
// an empty budget stops retries with budget_exhausted.
func TestBudgetAccounting(t *testing.T) {
	const (
		retry     = policy.ReasonRetry
		success   = policy.ReasonSuccess
		exhausted = policy.ReasonBudgetExhausted
		maxTries  = policy.ReasonMaxAttempts
		permanent = policy.ReasonNotRetryable
	)
	small := func() *policy.Budget { return &policy.Budget{Max: 20, RetryCost: 5, Refill: 1} }
	n := func(k int, r classify.Result) []classify.Result {
		rs := make([]classify.Result, k)
		for i := range rs {
			rs[i] = r
		}
		return rs
	}
	ok := []classify.Result{r200}
	tests := []struct {
		name        string
		budget      *policy.Budget
		requests    [][]classify.Result
		wantReasons [][]policy.Reason
		wantTokens  float64
	}{
		{"first-try success keeps it full", small(),
			[][]classify.Result{ok}, [][]policy.Reason{{success}}, 20},
		{"a retry spends RetryCost", small(),
			[][]classify.Result{{r503}}, [][]policy.Reason{{retry}}, 15},
		{"a success after retries returns RetryCost", small(),
			[][]classify.Result{{r503, r503, r200}}, [][]policy.Reason{{retry, retry, success}}, 15},
		{"not retryable spends nothing", small(),
			[][]classify.Result{{r400}}, [][]policy.Reason{{permanent}}, 20},
		{"max_attempts spends nothing for the last attempt", &policy.Budget{Max: 100, RetryCost: 5, Refill: 1},
			[][]classify.Result{n(10, r503)}, [][]policy.Reason{append(repeat(retry, 9), maxTries)}, 55},
		{"first-try successes refill by Refill", small(),
			[][]classify.Result{{r503, r503}, ok, ok, ok},
			[][]policy.Reason{{retry, retry}, {success}, {success}, {success}}, 13},
		{"refill stops at Max", small(),
			[][]classify.Result{{r503}, ok, ok, ok, ok, ok, ok, ok, ok},
			[][]policy.Reason{{retry}, {success}, {success}, {success}, {success}, {success}, {success}, {success}, {success}}, 20},
		{"exhaustion", &policy.Budget{Max: 12, RetryCost: 5, Refill: 1},
			[][]classify.Result{n(5, r503)}, [][]policy.Reason{{retry, retry, exhausted}}, 2},
		{"exhausted for every request until refilled", &policy.Budget{Max: 10, RetryCost: 5, Refill: 5},
			[][]classify.Result{n(5, r503), {r503}, ok, n(5, r503)},
			[][]policy.Reason{{retry, retry, exhausted}, {exhausted}, {success}, {retry, exhausted}}, 0},
		{"Max below RetryCost never retries", &policy.Budget{Max: 3, RetryCost: 5},
			[][]classify.Result{{r503}}, [][]policy.Reason{{exhausted}}, 3},
		{"zero Budget uses the defaults", &policy.Budget{},
			[][]classify.Result{{r503, r503}, ok}, [][]policy.Reason{{retry, retry}, {success}},
			policy.DefaultBudgetMax - 2*policy.DefaultBudgetRetryCost + policy.DefaultBudgetRefill},
		{"non-positive fields use the defaults", &policy.Budget{Max: -1, RetryCost: -5, Refill: -1},
			[][]classify.Result{{r503, r503}, ok}, [][]policy.Reason{{retry, retry}, {success}},
			policy.DefaultBudgetMax - 2*policy.DefaultBudgetRetryCost + policy.DefaultBudgetRefill},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := budgetPolicy(tt.budget)
			var got [][]policy.Reason
			for _, rs := range tt.requests {
				got = append(got, request(&p, rs...))
			}
			if diff := cmp.Diff(tt.wantReasons, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			if got := tt.budget.Tokens(); got != tt.wantTokens {
				t.Errorf("Tokens() = %v, want %v", got, tt.wantTokens)
			}
		})
	}
}

func repeat(r policy.Reason, n int) []policy.Reason {
	rs := make([]policy.Reason, n)
	for i := range rs {
		rs[i] = r
	}
	return rs
}

// TestDecideIgnoresBudget: Decide does not spend the budget, and an empty
// budget does not change its answer; only a Retrier uses the budget.
func TestDecideIgnoresBudget(t *testing.T) {
	b := &policy.Budget{Max: 10, RetryCost: 5}
	p := budgetPolicy(b)
	request(&p, r503, r503, r503) // empties it
	if got := b.Tokens(); got != 0 {
		t.Fatalf("Tokens() = %v, want 0", got)
	}
	want := policy.Decision{Retry: true, Delay: plain.Initial, Reason: policy.ReasonRetry}
	if diff := cmp.Diff(want, p.Decide(1, 0, r503), ignoreSource); diff != "" {
		t.Errorf("Decide with an empty budget (-want +got):\n%s", diff)
	}
	p.Decide(1, 0, r200)
	if got := b.Tokens(); got != 0 {
		t.Errorf("Decide changed the budget to %v tokens", got)
	}
}

// TestBudgetConcurrent shares one Budget among many Retriers on many
// goroutines (run with -race) and checks the tokens left.
func TestBudgetConcurrent(t *testing.T) {
	const goroutines, perGoroutine = 8, 200
	const requests = goroutines * perGoroutine
	tests := []struct {
		name string
		// budget and results of every request
		budget  *policy.Budget
		results []classify.Result
		// wantRetries < 0: only the invariant 0 <= tokens <= Max is known.
		wantRetries int
		wantTokens  float64
	}{
		{
			// Every request spends 2 x 5 and gets 5 back: it never returns
			// more than it spent, so the floor at zero spending never
			// clips, and the result does not depend on the interleaving.
			name:        "retries and successes after retries",
			budget:      &policy.Budget{Max: 1e6, RetryCost: 5, Refill: 1},
			results:     []classify.Result{r503, r503, r200},
			wantRetries: 2 * requests,
			wantTokens:  1e6 - 5*requests,
		},
		{
			name:        "exhaustion grants exactly Max/RetryCost retries",
			budget:      &policy.Budget{Max: 50, RetryCost: 5, Refill: 1},
			results:     []classify.Result{r503, r503, r503},
			wantRetries: 10,
			wantTokens:  0,
		},
		{
			name:        "mixed",
			budget:      &policy.Budget{Max: 40, RetryCost: 5, Refill: 3},
			results:     nil, // varied per request below
			wantRetries: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var retries, exhausted atomic.Int64
			p := budgetPolicy(tt.budget)
			p.Rand = seededRand(7)
			p.Observer = func(_ context.Context, _ policy.Attempt, d policy.Decision) {
				switch d.Reason {
				case policy.ReasonRetry:
					retries.Add(1)
				case policy.ReasonBudgetExhausted:
					exhausted.Add(1)
				}
			}
			full := tt.budget.Tokens()
			var wg sync.WaitGroup
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < perGoroutine; i++ {
						results := tt.results
						if results == nil {
							switch (g + i) % 3 {
							case 0:
								results = []classify.Result{r200}
							case 1:
								results = []classify.Result{r503, r200}
							default:
								results = []classify.Result{r503, r503, r503, r503}
							}
						}
						request(&p, results...)
						if tok := tt.budget.Tokens(); tok < 0 || tok > full {
							t.Errorf("Tokens() = %v, outside [0, %v]", tok, full)
							return
						}
					}
				}()
			}
			wg.Wait()
			tokens := tt.budget.Tokens()
			if tokens < 0 || tokens > full {
				t.Errorf("Tokens() = %v, outside [0, %v]", tokens, full)
			}
			if tt.wantRetries < 0 {
				return
			}
			if got := retries.Load(); got != int64(tt.wantRetries) {
				t.Errorf("%d retries granted, want %d", got, tt.wantRetries)
			}
			if tokens != tt.wantTokens {
				t.Errorf("Tokens() = %v, want %v", tokens, tt.wantTokens)
			}
			if tt.wantTokens == 0 && exhausted.Load() == 0 {
				t.Errorf("no budget_exhausted decisions")
			}
		})
	}
}
