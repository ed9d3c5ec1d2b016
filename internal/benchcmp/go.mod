module github.com/apierr/apierr/internal/benchcmp

go 1.26

require github.com/apierr/apierr v0.1.0

require github.com/valyala/fastjson v1.6.10

replace github.com/apierr/apierr => ../..
