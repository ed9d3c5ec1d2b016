package parse_test

import (
	"fmt"

	"github.com/apierr/apierr/parse"
)

func ExampleParse() {
	e := parse.Parse("application/json", []byte(`{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED",
	  "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"}]}}`))
	fmt.Println(e.Format, e.Found, e.Type, e.RetryDelay, e.RetryDelaySource)
	fmt.Println(e.Message)
	// Output:
	// google true RESOURCE_EXHAUSTED 26s retry_info
	// Resource has been exhausted (e.g. check quota).
}

func ExampleParser() {
	html := []byte("<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
	e := parse.Parser{MaxBytes: 64}.Parse("text/html", html)
	fmt.Println(e.Format, e.Truncated, e.Message)
	// Output: html true 504 Gateway Time-out
}
