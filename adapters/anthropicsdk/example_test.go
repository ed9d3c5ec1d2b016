package anthropicsdk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/apierr/apierr/adapters/anthropicsdk"
	"github.com/apierr/apierr/retryhttp"
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
	defer stream.Close()
	for stream.Next() {
	}

	r, _ := anthropicsdk.Classify(stream.Err())
	fmt.Println(r.Status, r.Category, r.Retryable)
	// Output: 200 unavailable true
}

// The README's usage, run as written: the retrying transport installed,
// the stream read to its end, and only then stream.Err() classified. An
// error event inside a 200 stream (here Anthropic's overloaded event after
// a token, the anthropic/stream_error_event_overloaded case) arrives as
// the stream is read: stream.Err() before the loop is nil. The transport
// does not resend it, since a token was delivered; one before any token
// it retries.
func ExampleWithRetries() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, messageStart, blockStart, textDelta,
			"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n")
	}))
	defer srv.Close()
	ctx := context.Background()

	client := anthropic.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-ant-test"),
		anthropicsdk.WithRetries(retryhttp.NewClient(&retryhttp.Transport{})))
	stream := client.Messages.NewStreaming(ctx, params) // or Messages.New
	defer stream.Close()
	var text string
	for stream.Next() { // read the stream first: an error event arrives inside it
		if ev := stream.Current(); ev.Type == "content_block_delta" {
			text += ev.Delta.Text
		}
	}
	r, failed := anthropicsdk.Classify(stream.Err()) // then classify what ended it
	fmt.Println(text, failed, r.Category, r.Retryable)
	// Output: Hello true unavailable true
}
