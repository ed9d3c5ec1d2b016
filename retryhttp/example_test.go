package retryhttp_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

// A client that retries a 503 and returns the final response; the POST
// body is resent each time.
func ExampleNewClient() {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"error":{"message":"That model is currently overloaded with other requests.","type":"server_error"}}`)
			return
		}
		fmt.Fprintf(w, "got %s", body)
	}))
	defer srv.Close()

	client := retryhttp.NewClient(&retryhttp.Transport{Policy: &policy.Policy{
		Strategies: map[catalog.Category]policy.Strategy{
			catalog.Unavailable: {Initial: time.Millisecond, MaxInterval: time.Millisecond}, // short waits, for the example
		},
	}})
	resp, err := client.Post(srv.URL, "application/json", strings.NewReader(`{"model":"m"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body), "after", retryhttp.Attempts(resp), "attempts")
	// Output:
	// 200 got {"model":"m"} after 3 attempts
}
