package goopenai

import (
	"net/http"

	"github.com/sashabaranov/go-openai"
)

// WithRetries returns cfg with client as its HTTP client, normally a
// retrying client such as retryhttp.NewClient(&retryhttp.Transport{}):
//
//	client := openai.NewClientWithConfig(goopenai.WithRetries(openai.DefaultConfig(key), retryhttp.NewClient(&retryhttp.Transport{})))
//
// go-openai has no retries of its own, so nothing is turned off. The
// transport sees each response's headers, which go-openai's errors drop,
// and so honours Retry-After and the rate-limit headers.
func WithRetries(cfg openai.ClientConfig, client *http.Client) openai.ClientConfig {
	cfg.HTTPClient = client
	return cfg
}
