package classify

import (
	"net/http"
	"strings"
)

// headers holds the response headers that classification reads, found in
// one pass over the map: cheaper than a lookup for each of them, since real
// responses carry a dozen or two headers and we look for twenty.
type headers struct {
	contentType, amznType, retryAfterMs, retryAfter, shouldRetry string
	requestID                                                    [len(requestIDHeaders)]string
	rateLimit                                                    bool // some rate-limit window header is present
}

// requestIDHeaders are tried in order for Result.RequestID.
var requestIDHeaders = [...]string{"X-Request-Id", "Request-Id", "X-Amzn-Requestid", "Apim-Request-Id", "X-Goog-Request-Id"}

// readHeaders collects the headers of h that matter, by canonical key,
// into hd, which is filled in place: returning the large struct would cost
// a copy.
func readHeaders(h http.Header, hd *headers) {
	for k, v := range h {
		if len(v) == 0 {
			continue
		}
		switch k {
		case "Content-Type":
			hd.contentType = v[0]
		case "X-Amzn-Errortype":
			hd.amznType = v[0]
		case "Retry-After-Ms":
			hd.retryAfterMs = v[0]
		case "Retry-After":
			hd.retryAfter = v[0]
		case "X-Should-Retry":
			hd.shouldRetry = v[0]
		case requestIDHeaders[0]:
			hd.requestID[0] = v[0]
		case requestIDHeaders[1]:
			hd.requestID[1] = v[0]
		case requestIDHeaders[2]:
			hd.requestID[2] = v[0]
		case requestIDHeaders[3]:
			hd.requestID[3] = v[0]
		case requestIDHeaders[4]:
			hd.requestID[4] = v[0]
		default:
			if strings.HasPrefix(k, "X-Ratelimit-") || strings.HasPrefix(k, "Anthropic-Ratelimit-") {
				hd.rateLimit = true
			}
		}
	}
}
