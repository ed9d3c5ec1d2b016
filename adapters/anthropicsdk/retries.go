package anthropicsdk

import (
	"net/http"

	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// WithRetries returns one request option that sends every request through
// client, normally a retrying client such as
// retryhttp.NewClient(&retryhttp.Transport{}), and turns the SDK's own
// retries off (option.WithMaxRetries(0)), so that a failed request is
// retried once by one policy, not by two stacked ones:
//
//	client := anthropic.NewClient(anthropicsdk.WithRetries(retryhttp.NewClient(&retryhttp.Transport{})))
//
// Options given after it can override either part.
func WithRetries(client *http.Client) option.RequestOption {
	return both(option.WithHTTPClient(client), option.WithMaxRetries(0))
}

// applier is the method set of the SDK's request options, whose
// configuration type is internal to the SDK: a type parameter names it
// without importing it.
type applier[C any] interface{ Apply(C) error }

// optionFunc is a request option that runs a function.
type optionFunc[C any] func(C) error

// Apply runs f.
func (f optionFunc[C]) Apply(c C) error { return f(c) }

// both composes two options into one that applies a, then b, and stops at
// the first error. It is written here, not shared, so that the adapter
// imports nothing internal to the core module.
func both[C any](a, b applier[C]) optionFunc[C] {
	return func(c C) error {
		if err := a.Apply(c); err != nil {
			return err
		}
		return b.Apply(c)
	}
}
