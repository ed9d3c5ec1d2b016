module github.com/apierr/apierr/internal/benchcmp

go 1.26.0

require github.com/apierr/apierr v0.1.0

require github.com/valyala/fastjson v1.6.10

require (
	github.com/cenkalti/backoff/v4 v4.3.0 // indirect
	golang.org/x/time v0.16.0
)

replace github.com/apierr/apierr => ../..
