package classify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
)

func ExampleClassify() {
	body := []byte(`{"error": {"message": "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 30000, Requested 900. Please try again in 1.8s.", "type": "tokens", "param": null, "code": "rate_limit_exceeded"}}`)
	h := http.Header{"X-Ratelimit-Remaining-Tokens": {"0"}, "X-Ratelimit-Reset-Tokens": {"1.8s"}}
	r := classify.Classify(429, h, body)
	fmt.Println(r.Category, r.Retryable, r.Rule)
	fmt.Println(r.RetryAfter, r.RetryAfterSource)
	fmt.Println(r.RateLimitReset, r.RateLimitExhausted)
	// Output:
	// rate_limited true rate_limit_code
	// 1.8s message
	// 1.8s true
}

func ExampleResponse() {
	resp := &http.Response{
		StatusCode: 503,
		Header:     http.Header{"Retry-After": {"20"}},
		Body:       io.NopCloser(strings.NewReader(`{"error":"Model bigscience/bloom is currently loading","estimated_time":20.0}`)),
	}
	r, err := classify.Response(resp)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Category, r.Retryable, r.RetryAfter, r.RetryAfterSource)
	// Output: unavailable true 20s retry-after
}

func ExampleTransport() {
	err := &dialTimeout{}
	r := classify.TransportError(fmt.Errorf("post: %w", err))
	fmt.Println(r.Category, r.Retryable, r.Rule)
	r = classify.TransportError(context.Canceled)
	fmt.Println(r.Category, r.Retryable, r.Rule)
	// Output:
	// timeout true net_timeout
	// canceled false context_canceled
}

// dialTimeout stands in for the error of a dial that timed out.
type dialTimeout struct{}

func (*dialTimeout) Error() string   { return "dial tcp 203.0.113.1:443: i/o timeout" }
func (*dialTimeout) Timeout() bool   { return true }
func (*dialTimeout) Temporary() bool { return true }

func ExampleClassifier() {
	c := classify.Classifier{
		Rules: []catalog.Rule{{
			Name:     "acme_gpu_busy",
			Statuses: []int{409},
			Contains: []string{"gpus*busy"},
			Category: catalog.Unavailable,
		}},
		Now: func() time.Time { return time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC) },
	}
	r := c.Classify(409, http.Header{"Retry-After": {"Wed, 25 Nov 2026 03:00:05 GMT"}}, []byte(`{"message": "All GPUs are busy"}`))
	fmt.Println(r.Category, r.Retryable, r.Rule, r.RetryAfter)
	// Output: unavailable true acme_gpu_busy 5s
}

func ExampleResult_Err() {
	r := classify.Classify(400, nil, []byte(`{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}`))
	err := fmt.Errorf("summarize: %w", r.Err())
	fmt.Println(errors.Is(err, classify.ErrContextLengthExceeded))
	fmt.Println(err)
	// Output:
	// true
	// summarize: apierr: context_length_exceeded (400, not retryable): prompt is too long: 210000 tokens > 200000 maximum
}

// An agent loop switches on Result.Action: it retries, shrinks the prompt,
// moves to the next model, or gives the problem to a human, and marks what
// Result.Scope names as failing.
func ExampleResult_Action() {
	responses := []struct {
		status int
		header http.Header
		body   string
	}{
		{429, http.Header{"Retry-After": {"2"}}, `{"error":{"message":"Rate limit reached for gpt-4o","code":"rate_limit_exceeded"}}`},
		{400, nil, `{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}`},
		{404, nil, `{"error":{"message":"The model gpt-5-mini-preview does not exist","code":"model_not_found"}}`},
		{429, nil, `{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","code":"insufficient_quota"}}`},
		{503, http.Header{"Retry-After": {"3600"}}, `{"error":{"message":"The model is overloaded.","status":"UNAVAILABLE","code":503}}`},
		{401, nil, `{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}`},
		{403, nil, `{"error":{"message":"Country, region, or territory not supported","code":"unsupported_country_region_territory"}}`},
	}
	for _, resp := range responses {
		r := classify.Classify(resp.status, resp.header, []byte(resp.body))
		switch r.Action {
		case catalog.ActionRetry:
			fmt.Printf("%s: retry in %v\n", r.Category, r.RetryAfter)
		case catalog.ActionShrinkAndRetry:
			fmt.Printf("%s: drop the oldest turns and retry\n", r.Category)
		case catalog.ActionFallback:
			fmt.Printf("%s: next model; cool down this %s\n", r.Category, r.Scope)
		case catalog.ActionFixCredential:
			fmt.Printf("%s: rotate the key\n", r.Category)
		case catalog.ActionFixRequest, catalog.ActionStop:
			fmt.Printf("%s: tell a human (%s, %s scope)\n", r.Category, r.Action, r.Scope)
		}
	}
	// Output:
	// rate_limited: retry in 2s
	// context_length_exceeded: drop the oldest turns and retry
	// model_not_found: next model; cool down this model
	// quota_exceeded: next model; cool down this account
	// unavailable: next model; cool down this model
	// authentication: rotate the key
	// permission_denied: tell a human (stop, account scope)
}
