// Package anthropicsdk connects apierr to the official Anthropic Go SDK,
// github.com/anthropics/anthropic-sdk-go/v2: Classify turns the error a call
// returned into a classify.Result, and WithRetries installs the retrying
// transport of package retryhttp as the client's HTTP client with the SDK's
// own retries off.
//
//	client := anthropic.NewClient(anthropicsdk.WithRetries(&retryhttp.Transport{}))
//	_, err := client.Messages.New(ctx, params)
//	if r, ok := anthropicsdk.Classify(err); ok { ... r.Category, r.RetryAfter ... }
//
// It is its own Go module, so that the core module does not depend on the
// SDK.
package anthropicsdk

import (
	"errors"
	"net/http"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/apierr/apierr/classify"
)

// Classify returns what the error err, returned by a call of the
// anthropic-sdk-go SDK, means. It reports false, with an OK Result, when err is nil
// (there is nothing to classify).
//
// The body decides first, with the status and headers:
//   - an *anthropic.Error from an HTTP error status is classified from its
//     status, its response's headers and its body (RawJSON, which holds the
//     whole body the API sent);
//   - an *anthropic.Error from an "event: error" inside a 200 stream has
//     StatusCode 200 and a Response whose body is the stream, already
//     consumed: classify.Response on it would say OK. Classify rebuilds the
//     event from RawJSON and classifies it as the 200 stream it came in,
//     so that it takes the event's category (unavailable for
//     overloaded_error, for example);
//   - an error that already carries a classify.Result (the retrying
//     transport's errors, see classify.ResultOf) returns that Result;
//   - anything else is a transport error: see classify.Transport.
func Classify(err error) (classify.Result, bool) {
	if err == nil {
		return classify.TransportError(nil), false // an OK result
	}
	var apiErr *anthropic.Error
	if errors.As(err, &apiErr) {
		return fromAPIError(apiErr), true
	}
	if r, ok := classify.ResultOf(err); ok {
		return r, true
	}
	return classify.TransportError(err), true
}

// sseHeader is the header of a stream, for a Response-less stream error.
var sseHeader = http.Header{"Content-Type": {"text/event-stream"}}

func fromAPIError(e *anthropic.Error) classify.Result {
	var h http.Header
	if e.Response != nil {
		h = e.Response.Header
	}
	raw := e.RawJSON()
	status := e.StatusCode
	if status == 0 {
		// An error event whose decoder had no response.
		status = http.StatusOK
	}
	if status >= 400 {
		return classify.Classify(status, h, []byte(raw))
	}
	// An error event in a 2xx stream: rebuild it as it came on the wire.
	body := make([]byte, 0, len(raw)+24)
	body = append(body, "event: error\ndata: "...)
	body = append(body, raw...)
	body = append(body, "\n\n"...)
	if h == nil || h.Get("Content-Type") == "" {
		h = sseHeader
	}
	return classify.Classify(status, h, body)
}
