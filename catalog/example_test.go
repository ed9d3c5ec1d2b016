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
