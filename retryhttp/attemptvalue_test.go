package retryhttp_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

type noteKey struct{}

// noting is a Base transport that stores, in each attempt, a note naming
// the attempt's number, from a context derived from the attempt's one, as
// a transport under an instrumenting one sees it.
type noting struct{ base http.RoundTripper }

func (n noting) RoundTrip(req *http.Request) (*http.Response, error) {
	type inner struct{}
	ctx := context.WithValue(req.Context(), inner{}, 1)
	num := retryhttp.AttemptNumber(ctx)
	if !retryhttp.SetAttemptValue(ctx, noteKey{}, "first") || !retryhttp.SetAttemptValue(ctx, noteKey{}, num) {
		panic("not an attempt's context")
	}
	return n.base.RoundTrip(req.WithContext(ctx))
}

// TestAttemptValue: a value stored by a transport under the Transport is
// read back, for the same attempt only, from the attempt's request that
// the Observer gets; the last value stored under a key wins; outside an
// attempt nothing is stored or found.
func TestAttemptValue(t *testing.T) {
	srv := sdktest.New(t,
		sdktest.Reply(t, "openai/model_overloaded_503", nil),
		sdktest.Reply(t, "openai/model_overloaded_503", nil),
		sdktest.Step{Body: okJSON})
	var mu sync.Mutex
	var got []any
	p := &policy.Policy{Rand: func() float64 { return 0 }, Clock: &fakeClock{},
		Observer: func(_ context.Context, a policy.Attempt, _ policy.Decision) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, retryhttp.AttemptValue(a.Request.Context(), noteKey{}))
		}}
	client := retryhttp.NewClient(&retryhttp.Transport{Base: noting{http.DefaultTransport}, Policy: p})
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff([]any{1, 2, 3}, got); diff != "" {
		t.Errorf("values seen by the observer (-want +got):\n%s", diff)
	}
	ctx := context.Background()
	if retryhttp.SetAttemptValue(ctx, noteKey{}, 1) || retryhttp.AttemptValue(ctx, noteKey{}) != nil {
		t.Error("a context outside an attempt stored or found a value")
	}
}
