// Package benchcmp compares apierr with libraries that the core module must
// not depend on. It is a module of its own, so that they stay out of the
// core go.mod: BenchmarkJunkVsFastjson times a whole classification of the
// 64 KiB junk 500 body of internal/testkit/hostile next to fastjson parsing the same
// bytes, alternately, and reports the ratio (issue 8: at most 10x).
//
//	cd internal/benchcmp && go test -run '^$' -bench . -benchmem -count 10
package benchcmp
