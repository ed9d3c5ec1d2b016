module github.com/apierr/apierr/internal/integration

go 1.26

replace github.com/apierr/apierr => ../..

require (
	github.com/apierr/apierr v0.1.0
	github.com/google/go-cmp v0.7.0
	github.com/hashicorp/go-retryablehttp v0.7.8
)

require (
	github.com/cenkalti/backoff/v4 v4.3.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
)
