package classify

import (
	"errors"

	"github.com/apierr/apierr/catalog"
)

// Error is the error form of a failed Result. errors.Is(err, ErrX) reports
// whether err, or any error it wraps, is an *Error of category X, so
// middleware can wrap it with %w freely. Unwrap returns the transport error
// behind the result, if any, so errors.Is(err, context.Canceled) works too.
type Error struct {
	// Result is the classification.
	Result Result
	// Err is the transport error that was classified, or nil for an HTTP
	// error response.
	Err error
}

// Error renders the result with secrets redacted, prefixed "apierr: ".
func (e *Error) Error() string { return "apierr: " + e.Result.String() }

// Unwrap returns the transport error behind the result, or nil.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's category.
func (e *Error) Is(target error) bool {
	s, ok := target.(sentinel)
	return ok && catalog.Category(s) == e.Result.Category
}

// sentinel is the type of the category sentinels: comparable, so errors.Is
// matches them by value.
type sentinel catalog.Category

// Error returns "apierr: " and the category's name.
func (s sentinel) Error() string { return "apierr: " + catalog.Category(s).String() }

// Sentinel errors, one per category, for errors.Is.
var (
	ErrUnknown               error = sentinel(catalog.Unknown)
	ErrInvalidRequest        error = sentinel(catalog.InvalidRequest)
	ErrContextLengthExceeded error = sentinel(catalog.ContextLengthExceeded)
	ErrContentFiltered       error = sentinel(catalog.ContentFiltered)
	ErrAuthentication        error = sentinel(catalog.Authentication)
	ErrPermissionDenied      error = sentinel(catalog.PermissionDenied)
	ErrNotFound              error = sentinel(catalog.NotFound)
	ErrModelNotFound         error = sentinel(catalog.ModelNotFound)
	ErrQuotaExceeded         error = sentinel(catalog.QuotaExceeded)
	ErrRateLimited           error = sentinel(catalog.RateLimited)
	ErrRequestTooLarge       error = sentinel(catalog.RequestTooLarge)
	ErrTimeout               error = sentinel(catalog.Timeout)
	ErrConflict              error = sentinel(catalog.Conflict)
	ErrServerError           error = sentinel(catalog.ServerError)
	ErrUnavailable           error = sentinel(catalog.Unavailable)
	ErrNetwork               error = sentinel(catalog.Network)
	ErrCanceled              error = sentinel(catalog.Canceled)
)

// Sentinel returns the sentinel error of category c.
func Sentinel(c catalog.Category) error { return sentinel(c) }

// ResultOf returns the Result of the first *Error in err's chain.
func ResultOf(err error) (Result, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Result, true
	}
	return Result{}, false
}
