// Package sdkopt composes the request options of SDKs whose option type is
// an interface over an internal configuration type (openai-go,
// anthropic-sdk-go), for the SDK adapters' one-line WithRetries.
//
// Runtime helper: the openaigo and anthropicsdk adapters import it from non-
// test code.
package sdkopt

// Applier is such an option's method set, with the SDK's internal
// configuration type as a type parameter, so that options can be composed
// without naming it.
type Applier[C any] interface{ Apply(C) error }

// Func is an option that runs a function.
type Func[C any] func(C) error

// Apply runs f.
func (f Func[C]) Apply(c C) error { return f(c) }

// Both composes two options into one that applies a, then b, and stops at
// the first error. The type parameter is inferred from the options.
func Both[C any](a, b Applier[C]) Func[C] {
	return func(c C) error {
		if err := a.Apply(c); err != nil {
			return err
		}
		return b.Apply(c)
	}
}
