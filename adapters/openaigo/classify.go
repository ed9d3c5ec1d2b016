// Package openaigo connects apierr to the official OpenAI Go SDK,
// github.com/openai/openai-go/v3: Classify turns the error a call returned
// into a classify.Result, and WithRetries installs the retrying transport of
// package retryhttp as the client's HTTP client with the SDK's own retries
// off.
//
//	client := openai.NewClient(openaigo.WithRetries(&retryhttp.Transport{}))
//	_, err := client.Chat.Completions.New(ctx, params)
//	if r, ok := openaigo.Classify(err); ok { ... r.Category, r.RetryAfter ... }
//
// It is its own Go module, so that the core module does not depend on the
// SDK.
package openaigo

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/apierr/apierr/classify"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/packages/ssestream"
)

// bodyLimit bounds what Classify reads from an error response's body, the
// same bound as classify.Response.
const bodyLimit = 64 << 10

// Classify returns what the error err, returned by a call of the openai-go
// SDK, means. It reports false, with an OK Result, when err is nil (there is
// nothing to classify).
//
// The body decides first, with the status and headers:
//   - an *openai.Error (an HTTP error status) is classified from its status,
//     its response's headers (Retry-After, x-should-retry, rate-limit
//     headers) and its body: the response body the SDK kept, or, when that
//     was already read, the error object of RawJSON in its "error" envelope;
//   - an *ssestream.StreamError (an error event inside a 200 stream) is
//     classified as the event it carries, with status 200, so that it takes
//     the event's category (unavailable for an overload event, for example);
//   - an error that already carries a classify.Result (the retrying
//     transport's errors, see classify.ResultOf) returns that Result;
//   - anything else is a transport error: see classify.Transport.
//
// Classify does not consume the error: the response body of an
// *openai.Error stays readable (for DumpResponse).
func Classify(err error) (classify.Result, bool) {
	if err == nil {
		return classify.TransportError(nil), false // an OK result
	}
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return fromAPIError(apiErr), true
	}
	var streamErr *ssestream.StreamError
	if errors.As(err, &streamErr) {
		return fromStreamError(streamErr), true
	}
	if r, ok := classify.ResultOf(err); ok {
		return r, true
	}
	return classify.TransportError(err), true
}

func fromAPIError(e *openai.Error) classify.Result {
	var h http.Header
	var body []byte
	if e.Response != nil {
		h = e.Response.Header
		body = peekBody(e.Response)
	}
	if len(body) == 0 && e.RawJSON() != "" {
		// The SDK keeps only the value of "error"; put it back in its
		// envelope, the shape the API sent.
		body = make([]byte, 0, len(e.RawJSON())+10)
		body = append(body, `{"error":`...)
		body = append(body, e.RawJSON()...)
		body = append(body, '}')
	}
	return classify.Classify(e.StatusCode, h, body)
}

// peekBody reads up to bodyLimit bytes of resp's body and puts them back in
// front of the rest, so that the caller can still read the whole body.
func peekBody(resp *http.Response) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, bodyLimit))
	resp.Body = replay{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	if err != nil {
		return nil
	}
	return b
}

// replay is a body whose first bytes were read ahead and are read again.
type replay struct {
	io.Reader
	io.Closer
}

// sseHeader is the header of the 200 stream that carried an error event.
var sseHeader = http.Header{"Content-Type": {"text/event-stream"}}

func fromStreamError(e *ssestream.StreamError) classify.Result {
	// Rebuild the event as it came on the wire.
	body := make([]byte, 0, len(e.Event.Type)+len(e.Event.Data)+16)
	if e.Event.Type != "" {
		body = append(body, "event: "...)
		body = append(body, e.Event.Type...)
		body = append(body, '\n')
	}
	body = append(body, "data: "...)
	body = append(body, e.Event.Data...)
	body = append(body, "\n\n"...)
	return classify.Classify(http.StatusOK, sseHeader, body)
}
