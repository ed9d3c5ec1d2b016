module github.com/apierr/apierr/paceredis

go 1.26.0

replace github.com/apierr/apierr => ../

require (
	github.com/apierr/apierr v0.1.0
	github.com/google/go-cmp v0.7.0
	github.com/redis/go-redis/v9 v9.24.0
)

require (
	github.com/cenkalti/backoff/v4 v4.3.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
