package catalog_test

import (
	"fmt"

	"github.com/apierr/apierr/catalog"
)

func ExampleStatusInfo() {
	s := catalog.StatusInfo(503)
	fmt.Println(s.Name, "|", s.Category, "|", s.Resolution)
	// Output: Service Unavailable | unavailable | Check Model Status and retry
}

func ExampleCategory() {
	for _, c := range []catalog.Category{catalog.QuotaExceeded, catalog.RateLimited} {
		fmt.Println(c, c.Retryable())
	}
	// Output:
	// quota_exceeded false
	// rate_limited true
}

func ExampleNextAction() {
	for _, c := range []catalog.Category{catalog.QuotaExceeded, catalog.RateLimited, catalog.Authentication} {
		a, s := catalog.NextAction(c, 429, c.Retryable())
		fmt.Println(c, a, s)
	}
	// A 501 is a server error that no retry fixes.
	fmt.Println(catalog.NextAction(catalog.ServerError, 501, false))
	// Output:
	// quota_exceeded fallback account
	// rate_limited retry model
	// authentication fix_credential key
	// fix_request request
}
