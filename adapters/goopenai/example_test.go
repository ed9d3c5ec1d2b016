package goopenai_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/apierr/apierr/adapters/goopenai"
	"github.com/sashabaranov/go-openai"
)

// A stream ends normally: Recv returns io.EOF, which Classify does not
// count as a failure. Then a 400 context_length_exceeded (body from
// https://github.com/chathub-dev/chathub/issues/126, the
// openai/context_length_exceeded case of classify/testdata/real).
func ExampleClassify() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") == "text/event-stream" {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, chunk, "data: [DONE]\n\n")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":{"message":"This model's maximum context length is 4097 tokens. However, your messages resulted in 4294 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`)
	}))
	defer srv.Close()

	cfg := openai.DefaultConfig("sk-test")
	cfg.BaseURL = srv.URL + "/v1"
	client := openai.NewClientWithConfig(goopenai.WithRetries(cfg, &http.Client{})) // in real use: retryhttp.NewClient(&retryhttp.Transport{})

	stream, _ := client.CreateChatCompletionStream(context.Background(), request)
	var err error
	for err == nil {
		_, err = stream.Recv()
	}
	stream.Close()
	_, failed := goopenai.Classify(err)
	fmt.Println(errors.Is(err, io.EOF), failed)

	_, err = client.CreateChatCompletion(context.Background(), request)
	if r, ok := goopenai.Classify(err); ok {
		fmt.Println(r.Category, r.Retryable)
	}
	// Output:
	// true false
	// context_length_exceeded false
}
