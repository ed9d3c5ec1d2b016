package catalog

// Status describes one HTTP status code as an AI inference API uses it: its
// name, what it means, what to do, and the category it implies when the body
// says nothing more specific.
type Status struct {
	// Code is the HTTP status code. For the general fallbacks it is the
	// status that was asked about.
	Code int
	// Name is the status's reason phrase, such as "Too Many Requests".
	Name string
	// Description says what the status means for an inference API.
	Description string
	// Resolution says what to do about it.
	Resolution string
	// Category is the category the status implies on its own.
	Category Category
	// Retryable is the default retryability of the status on its own. It
	// differs from Category.Retryable only for 501 and the 5xx fallback.
	Retryable bool
	// Known reports whether the code has its own row; false for the general
	// 4xx/5xx fallbacks and for codes outside 400-599.
	Known bool
}

// StatusInfo returns what the catalog knows about an HTTP status code: a row
// of its own for the codes inference APIs use (the origin document's seven
// and 402, 408, 409, 413, 420, 422, 423, 424, 425, 431, 451, 501, 502, 504 and others), or the general
// 4xx or 5xx fallback. Codes outside 400-599 return a Status with Category
// Unknown and Known false.
//
// StatusInfo does not allocate.
func StatusInfo(code int) Status {
	var s Status
	if code >= 0 && code < len(statusTable) {
		s = statusTable[code]
	} else {
		s = statusRow(code)
	}
	s.Code = code
	return s
}

// statusTable caches statusRow for the codes that occur.
var statusTable = func() (t [600]Status) {
	for i := range t {
		t[i] = statusRow(i)
	}
	return t
}()

func row(name, desc, res string, c Category) Status {
	return Status{Name: name, Description: desc, Resolution: res, Category: c, Retryable: c.Retryable(), Known: true}
}

// statusRow is the status table. The first seven rows carry the origin
// provider's "Error Codes" page word for word (name, description,
// resolution); the others are written in the same spirit.
func statusRow(code int) Status {
	switch code {
	// The origin document's rows.
	case 400:
		return row("Bad Request", "Invalid request format or parameters", "Check your request body and parameters", InvalidRequest)
	case 401:
		return row("Unauthorized", "Missing or invalid API key", "Verify your Authorization: Bearer header", Authentication)
	case 403:
		return row("Forbidden", "API key lacks permission for this resource", "Check your plan tier or contact support", PermissionDenied)
	case 404:
		return row("Not Found", "Invalid endpoint or model not found", "Verify the URL and model name", NotFound)
	case 429:
		return row("Too Many Requests", "Rate limit exceeded", "Wait and retry with exponential backoff", RateLimited)
	case 500:
		return row("Internal Server Error", "Server-side error", "Retry after a brief delay", ServerError)
	case 503:
		return row("Service Unavailable", "Model is temporarily unavailable", "Check Model Status and retry", Unavailable)

	// Other codes that inference APIs and their gateways send.
	case 402:
		return row("Payment Required", "Credits or billing quota exhausted", "Add credits or update your billing details", QuotaExceeded)
	case 405:
		return row("Method Not Allowed", "The endpoint does not accept this HTTP method", "Check the method and the URL", InvalidRequest)
	case 408:
		return row("Request Timeout", "The server timed out waiting for the request", "Retry, with a longer timeout if needed", Timeout)
	case 409:
		return row("Conflict", "A conflicting operation is in progress", "Retry once the other operation has finished", Conflict)
	case 410:
		return row("Gone", "The endpoint or model has been removed", "Move to a current endpoint or model", NotFound)
	case 413:
		return row("Content Too Large", "The request body is larger than the server accepts", "Reduce the request size", RequestTooLarge)
	case 415:
		return row("Unsupported Media Type", "The request body's content type is not accepted", "Send Content-Type: application/json", InvalidRequest)
	case 420:
		return row("Enhance Your Calm", "A rate limit, in the status some older APIs and gateways use for it", "Wait and retry with exponential backoff", RateLimited)
	case 423:
		return row("Locked", "The resource the request acts on is locked by another operation", "Retry once the lock is released", Conflict)
	case 425:
		return row("Too Early", "The server will not process the request yet (RFC 8470: it might be replayed, or the resource is not ready)", "Retry later", Unavailable)
	case 431:
		return row("Request Header Fields Too Large", "The request's headers are larger than the server accepts", "Send smaller headers (a shorter token or fewer cookies)", RequestTooLarge)
	case 451:
		// Refused for legal reasons. AI APIs send it for content they
		// will not produce or accept (Tencent Cloud TokenHub's
		// content_filter_error, Adobe Firefly's error 10008, a relay's
		// security block: rounds 8, 14 and 18); a refusal of the
		// caller's region says so in words, which an account-block rule
		// reads first.
		return row("Unavailable For Legal Reasons", "The provider refuses this content or request for legal reasons", "Change the request's content; retrying it unchanged does not help", ContentFiltered)
	case 499:
		// nginx's status for a client that closed the connection, and
		// the one Google's CANCELLED maps to; Cohere sends it for a
		// request cancelled on its side.
		return row("Client Closed Request", "The request was cancelled before the server answered", "Send it again if the cancellation was not yours", Canceled)
	case 422:
		return row("Unprocessable Entity", "The request is well-formed but its parameters are invalid", "Check your request body and parameters", InvalidRequest)
	case 424:
		return row("Failed Dependency", "The model or an upstream dependency failed", "Retry after a brief delay", ServerError)
	case 501:
		s := row("Not Implemented", "The server does not support this operation", "Use a supported endpoint or parameter; retrying does not help", ServerError)
		s.Retryable = false
		return s
	case 502:
		return row("Bad Gateway", "A gateway got an invalid response from the upstream server", "Retry after a brief delay", Unavailable)
	case 504:
		return row("Gateway Timeout", "A gateway timed out waiting for the upstream server", "Retry, perhaps with a smaller request", Timeout)
	case 520:
		return row("Web Server Returned an Unknown Error", "A CDN got an unexpected response from the origin", "Retry after a brief delay", ServerError)
	case 521:
		return row("Web Server Is Down", "The origin refused the CDN's connection", "Retry after a delay", Unavailable)
	case 522:
		return row("Connection Timed Out", "The CDN timed out connecting to the origin", "Retry after a delay", Timeout)
	case 523:
		return row("Origin Is Unreachable", "The CDN could not reach the origin", "Retry after a delay", Unavailable)
	case 524:
		return row("A Timeout Occurred", "The origin did not answer the CDN in time", "Retry, perhaps with a smaller request or streaming", Timeout)
	case 530:
		return row("Origin Error", "A CDN could not reach the origin (Cloudflare's 1xxx errors, such as 1033 for a tunnel that is down)", "Retry after a delay", Unavailable)
	case 529:
		return row("Overloaded", "The service is temporarily overloaded", "Retry after a delay", Unavailable)
	}
	switch {
	case code >= 400 && code < 500:
		return Status{Name: "Client Error", Description: "The server rejected the request", Resolution: "Check the request; retrying it unchanged is unlikely to help", Category: Unknown}
	case code >= 500 && code < 600:
		return Status{Name: "Server Error", Description: "The server failed to answer", Resolution: "Retry after a brief delay", Category: Unknown, Retryable: true}
	}
	return Status{Category: Unknown}
}
