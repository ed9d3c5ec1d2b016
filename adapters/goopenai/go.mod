module github.com/apierr/apierr/adapters/goopenai

go 1.26

require (
	github.com/apierr/apierr v0.0.0
	github.com/google/go-cmp v0.7.0
)

require github.com/sashabaranov/go-openai v1.43.0

replace github.com/apierr/apierr => ../..
