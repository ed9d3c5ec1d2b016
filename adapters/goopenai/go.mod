module github.com/apierr/apierr/adapters/goopenai

go 1.26

require (
	github.com/apierr/apierr v0.1.0
	github.com/google/go-cmp v0.7.0
)

require github.com/sashabaranov/go-openai v1.43.0

require github.com/cenkalti/backoff/v4 v4.3.0 // indirect

replace github.com/apierr/apierr => ../..
