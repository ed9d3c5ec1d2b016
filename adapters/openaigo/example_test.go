package openaigo_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/apierr/apierr/adapters/openaigo"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// A server answers 429 insufficient_quota, as OpenAI does when the billing
// quota is spent (body from https://github.com/mattvr/ShellGPT/issues/23,
// the openai/insufficient_quota case of classify/testdata/real).
func ExampleClassify() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}`)
	}))
	defer srv.Close()

	client := openai.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-test"),
		openaigo.WithRetries(&http.Client{})) // in real use: retryhttp.NewClient(&retryhttp.Transport{})
	_, err := client.Chat.Completions.New(context.Background(), params)

	if r, ok := openaigo.Classify(err); ok {
		fmt.Println(r.Category, r.Retryable)
	}
	// Output: quota_exceeded false
}
