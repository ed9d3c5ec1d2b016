// Package goopenai connects apierr to github.com/sashabaranov/go-openai:
// Classify turns the error a call returned into a classify.Result, and
// WithRetries installs the retrying transport of package retryhttp as the
// client's HTTP client (go-openai has no retries of its own).
//
//	client := openai.NewClientWithConfig(goopenai.WithRetries(openai.DefaultConfig(key), &retryhttp.Transport{}))
//	_, err := client.CreateChatCompletion(ctx, req)
//	if r, ok := goopenai.Classify(err); ok { ... r.Category ... }
//
// go-openai drops the response headers of an error: its *openai.APIError
// and *openai.RequestError keep the status and the body only. Classify
// therefore never sees Retry-After, retry-after-ms, x-should-retry or the
// rate-limit headers, and a server's delay is known only when the body
// says it (a "Please try again in 20s" message, a RetryInfo detail). The
// retrying transport sees the whole response, headers included, and
// honours them before go-openai ever returns an error: install it with
// WithRetries.
//
// It is its own Go module, so that the core module does not depend on the
// SDK.
package goopenai

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/apierr/apierr/classify"
	"github.com/sashabaranov/go-openai"
)

// Classify returns what the error err, returned by a call of go-openai,
// means. It reports false, with an OK Result, when there is nothing to
// classify: when err is
// nil, and when err is io.EOF, which a stream's Recv returns at the normal
// end of a stream (after "data: [DONE]"): that is not a network failure,
// although classify.TransportError(io.EOF) says network.
//
// The body decides first, with the status:
//   - an *openai.RequestError (an error status whose body is not an OpenAI
//     error object: an HTML 502 page, a gateway's JSON) is classified from
//     its status and its raw body;
//   - an *openai.APIError from an error status is classified from its
//     status and its fields (message, type, param, code), put back in the
//     OpenAI error envelope;
//   - an *openai.APIError without a status comes from an error chunk inside
//     a 200 stream ("data: {"error": ...}"), and is classified as that
//     stream, so that it takes the chunk's category;
//   - an error that already carries a classify.Result (the retrying
//     transport's errors, see classify.ResultOf) returns that Result;
//   - anything else is a transport error: see classify.Transport.
//
// Headers are not available (see the package documentation).
func Classify(err error) (classify.Result, bool) {
	if err == nil || err == io.EOF { // io.EOF itself: a wrapped one is a transport failure
		return classify.TransportError(nil), false // an OK result
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return classify.Classify(reqErr.HTTPStatusCode, nil, reqErr.Body), true
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return fromAPIError(apiErr), true
	}
	if r, ok := classify.ResultOf(err); ok {
		return r, true
	}
	return classify.TransportError(err), true
}

// sseHeader is the header of the 200 stream that carried an error chunk.
var sseHeader = http.Header{"Content-Type": {"text/event-stream"}}

func fromAPIError(e *openai.APIError) classify.Result {
	body, err := json.Marshal(struct {
		Error *openai.APIError `json:"error"`
	}{e})
	if err != nil {
		// Code holds something json cannot encode: the message still tells.
		body, _ = json.Marshal(map[string]map[string]string{"error": {"message": e.Message, "type": e.Type}})
	}
	if e.HTTPStatusCode != 0 {
		return classify.Classify(e.HTTPStatusCode, nil, body)
	}
	sse := make([]byte, 0, len(body)+8)
	sse = append(sse, "data: "...)
	sse = append(sse, body...)
	sse = append(sse, "\n\n"...)
	return classify.Classify(http.StatusOK, sseHeader, sse)
}
