package anthropicsdk

import (
	"net/http"

	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/apierr/apierr/internal/sdkopt"
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
	return sdkopt.Both(option.WithHTTPClient(client), option.WithMaxRetries(0))
}
