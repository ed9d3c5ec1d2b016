package openaigo

import (
	"net/http"

	"github.com/openai/openai-go/v3/option"

	"github.com/apierr/apierr/internal/sdkopt"
)

// WithRetries returns one request option that sends every request through
// client, normally a retrying client such as
// retryhttp.NewClient(&retryhttp.Transport{}), and turns the SDK's own
// retries off (option.WithMaxRetries(0)), so that a failed request is
// retried once by one policy, not by two stacked ones:
//
//	client := openai.NewClient(openaigo.WithRetries(retryhttp.NewClient(&retryhttp.Transport{})))
//
// Options given after it can override either part.
func WithRetries(client *http.Client) option.RequestOption {
	return sdkopt.Both(option.WithHTTPClient(client), option.WithMaxRetries(0))
}
