package redact_test

import (
	"fmt"
	"testing"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/fixture"
	"github.com/apierr/apierr/internal/redact"
)

func TestProbeKeep(t *testing.T) {
	cs, err := fixture.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cs {
		r := classify.Classify(c.Status, c.Header(), []byte(c.Body))
		for _, f := range []string{r.Message, r.Type, r.Code, r.Param, r.RequestID, c.Want.Message, c.Body} {
			n++
			if g := redact.String(f); g != f {
				fmt.Printf("%s\n  IN : %q\n  OUT: %q\n", c.Name, f, g)
			}
		}
		for k, v := range c.Headers {
			if g := redact.String(v); g != v {
				fmt.Printf("%s header %s\n  IN : %q\n  OUT: %q\n", c.Name, k, v, g)
			}
		}
	}
	fmt.Println(n)
}
