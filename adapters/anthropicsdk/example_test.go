package anthropicsdk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/apierr/apierr/adapters/anthropicsdk"
)

// A 200 stream sends a token, then an overloaded error event (the event
// from https://docs.anthropic.com/en/api/messages-streaming, the
// anthropic/stream_error_event_overloaded case of classify/testdata/real).
// The SDK's error has StatusCode 200; Classify finds the event's category.
func ExampleClassify() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, messageStart, blockStart, textDelta,
			"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n")
	}))
	defer srv.Close()

	client := anthropic.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-ant-test"),
		anthropicsdk.WithRetries(&http.Client{})) // in real use: retryhttp.NewClient(&retryhttp.Transport{})
	stream := client.Messages.NewStreaming(context.Background(), params)
	for stream.Next() {
	}

	r, _ := anthropicsdk.Classify(stream.Err())
	fmt.Println(r.Status, r.Category, r.Retryable)
	// Output: 200 unavailable true
}
