package apierr_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/parse"
	"github.com/apierr/apierr/policy"
	"github.com/cenkalti/backoff/v4"
)

// The main job: one call on a failed response answers what it is, whether
// a retry can help, what to do, what the server said, and how long it
// asked us to wait. A 429 is not always a rate limit.
func Example() {
	body := []byte(`{"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}`)
	r := classify.Classify(429, http.Header{"Retry-After": {"20"}}, body)

	fmt.Println(r.Category, r.Retryable, r.Rule)
	fmt.Println(r.Message)
	fmt.Println(r.Hint)
	// Output:
	// quota_exceeded false quota_code
	// You exceeded your current quota, please check your plan and billing details.
	// Add credits or raise the quota in the provider's billing settings; retrying does not help until then.
}

// A rate limit with the delay the server asked for, wherever it put it:
// here Google's RetryInfo inside the body.
func Example_serverDelay() {
	body := []byte(`{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED",
	  "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"}]}}`)
	r := classify.Classify(429, nil, body)
	fmt.Println(r.Category, r.Retryable, r.RetryAfter, r.RetryAfterSource)
	// Output: rate_limited true 26s retry_info
}

// An *http.Response: the body is read up to the limit and left readable
// again for the caller.
func Example_response() {
	resp := &http.Response{
		StatusCode: 529,
		Header:     http.Header{"Content-Type": {"application/json"}, "Request-Id": {"req_011CSHoEeqs5C35K2UUqR7Fy"}},
		Body:       io.NopCloser(strings.NewReader(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)),
	}
	r, err := classify.Response(resp)
	if err != nil {
		panic(err)
	}
	rest, _ := io.ReadAll(resp.Body)
	fmt.Println(r.Category, r.Retryable, r.Format, r.RequestID)
	fmt.Println(len(rest) > 0)
	// Output:
	// unavailable true anthropic req_011CSHoEeqs5C35K2UUqR7Fy
	// true
}

// An error inside a 200 streaming response, after the headers said
// everything was fine.
func Example_stream() {
	stream := "event: message_start\ndata: {\"type\":\"message_start\"}\n\n" +
		"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
	r := classify.Classify(200, http.Header{"Content-Type": {"text/event-stream"}}, []byte(stream))
	fmt.Println(r.OK, r.Category, r.Retryable, r.Format)
	// Output: false unavailable true sse
}

// Transport errors (no response at all) classify too, and wrap so that
// errors.Is works for both the category and the original error.
func Example_transport() {
	err := classify.Wrap(fmt.Errorf("post: %w", context.DeadlineExceeded))
	fmt.Println(errors.Is(err, classify.ErrTimeout), errors.Is(err, context.DeadlineExceeded))
	r, _ := classify.ResultOf(err)
	fmt.Println(r.Category, r.Retryable, r.Rule)
	// Output:
	// true true
	// timeout true deadline_exceeded
}

// Category sentinels work through any middleware that wraps with %w.
func Example_errorsIs() {
	r := classify.Classify(401, nil, []byte(`{"detail": "Incorrect API key provided"}`))
	err := fmt.Errorf("summarize: %w", r.Err())
	switch {
	case errors.Is(err, classify.ErrAuthentication):
		fmt.Println("fix the key:", r.Hint)
	case errors.Is(err, classify.ErrRateLimited):
		fmt.Println("slow down")
	}
	// Output: fix the key: Verify your Authorization: Bearer header: is the API key set in the environment, unexpired, and active in the provider's API key portal?
}

// Teach the classifier your own provider's errors: your rules are tried
// before the catalog, so they win.
func Example_userRules() {
	c := classify.Classifier{Rules: []catalog.Rule{{
		Name:     "acme_gpu_busy",
		Statuses: []int{409},
		Codes:    []string{"gpu_busy"},
		Category: catalog.Unavailable,
	}}}
	r := c.Classify(409, nil, []byte(`{"error": {"message": "All GPUs are busy", "code": "gpu_busy"}}`))
	fmt.Println(r.Category, r.Retryable, r.Rule)
	// Output: unavailable true acme_gpu_busy
}

// Results are slog.LogValuers with stable keys, and they redact API keys
// that a message echoes.
func Example_logging() {
	body := []byte(`{"error": {"message": "Incorrect API key provided: sk-proj-AbCdEfGhIjKlMnOp1234. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}`)
	r := classify.Classify(401, nil, body)
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Warn("chat completion failed", "err", r)
	// Output: level=WARN msg="chat completion failed" err.category=authentication err.retryable=false err.action=fix_credential err.scope=key err.status=401 err.message="Incorrect API key provided: sk-proj-***. You can find your API key at https://platform.openai.com/account/api-keys." err.type=invalid_request_error err.code=invalid_api_key err.format=openai err.rule=authentication_code
}

// The parser alone, for a body of any shape.
func Example_parse() {
	e := parse.Parse("application/json", []byte(`{"detail":[{"loc":["body","messages",2,"content"],"msg":"field required","type":"value_error.missing"}]}`))
	fmt.Println(e.Format, "|", e.Message, "|", e.Issues[0].Type)
	// Output: validation | body.messages.2.content: field required | value_error.missing
}

// Example_retry is the whole flow: classify each outcome, let the policy
// decide, and let backoff.Retry wait. Here a 503 "model loading" is retried
// once, and a 200 ends the loop; a fixed jitter source and short waits keep
// the example fast and its output stable.
func Example_retry() {
	responses := []struct {
		status int
		body   string
	}{
		{503, `{"error":"Model meta-llama/Llama-3.1-8B-Instruct is currently loading","estimated_time":0.01}`},
		{200, `{"choices":[]}`},
	}
	p := policy.Policy{
		Rand: func() float64 { return 0 },
		Observer: func(_ context.Context, a policy.Attempt, d policy.Decision) {
			fmt.Printf("attempt %d: %s (%s) -> %s after %v\n", a.Number, a.Result.Category, a.Result.RetryAfterSource, d.Reason, d.Delay)
		},
	}
	rt := p.NewRetrier(context.Background())
	attempt := 0
	err := backoff.Retry(func() error {
		resp := responses[attempt]
		attempt++
		return rt.Observe(classify.Classify(resp.status, nil, []byte(resp.body)))
	}, rt)
	fmt.Println("done:", err, "after", rt.Attempts(), "attempts")
	// Output:
	// attempt 1: unavailable (estimated_time) -> retry after 10ms
	// attempt 2: unknown () -> success after 0s
	// done: <nil> after 2 attempts
}
