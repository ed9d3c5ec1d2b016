// Package apierr tells an HTTP client what an error response from an AI
// inference API means and what to do about it.
//
//	r := classify.Classify(resp.StatusCode, resp.Header, body)
//	log.Printf("%s retryable=%v wait=%v: %s", r.Category, r.Retryable, r.RetryAfter, r.Hint)
//
// It never opens a connection: it is handed a status code, headers and a
// body (or an *http.Response, or the error a transport returned) and
// answers with pure functions. This package holds only documentation and
// examples; the work is done by four packages, each importing only the ones
// before it:
//
//   - [github.com/apierr/apierr/catalog] is the vocabulary and the data: the
//     categories (stable snake_case names used as metric labels), the status
//     table, provider codes and message patterns as ordered rules, and the
//     resolution hints.
//   - [github.com/apierr/apierr/parse] turns body bytes into structured fields
//     for every shape providers and gateways send: OpenAI-style, Anthropic,
//     Google, FastAPI (incl. validation lists), TGI, vLLM, flat AWS/Kong
//     messages, RFC 7807, JSON re-wrapped inside messages, Server-Sent Events
//     with an error inside a 200 stream, in-band safety blocks, HTML and
//     plain text. It is tolerant of broken input and bounded in time and
//     memory.
//   - [github.com/apierr/apierr/classify] combines status, headers and parsed
//     body into a Result: category, retryability, hint, message, type, code,
//     the delay the server asked for (retry-after-ms, Retry-After, Google
//     RetryInfo, "try again in 20s" phrases, Hugging Face estimated_time)
//     and the rate-limit window. Ordered rules decide, and the Result records
//     which one did. Results render for logs with secrets redacted, and turn
//     into errors that match category sentinels with errors.Is.
//   - [github.com/apierr/apierr/policy] pairs each category with a retry
//     strategy built on github.com/cenkalti/backoff/v4: attempts, time
//     limits, jittered schedules, the server's delay as a floor, deadlines,
//     streams, an optional shared retry budget, and hooks for
//     go-retryablehttp. Its Retrier is a backoff.BackOff.
//
// # The flow
//
// parse -> classify -> policy: a response's body is parsed once; the
// classifier tries the caller's own rules, then the catalog's, then the
// status table; the result carries everything a log line or a metric needs,
// and the policy turns it into a decision: retry after how long, or stop and
// why. See Example_retry.
//
// # Teaching it your provider
//
// Pass your own [github.com/apierr/apierr/catalog.Rule] values in [github.com/apierr/apierr/classify.Classifier.Rules]; they are
// tried before the catalog, so they win. See Example_userRules.
//
// The command-line tool, cmd/apierr, explains one response for a human
// (apierr explain), classifies JSON Lines in bulk (apierr classify), prints
// the default retry policy (apierr policy) and runs the retry simulation
// (apierr sim).
package apierr
