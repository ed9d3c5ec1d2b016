// Package apierr tells an HTTP client what an error response from an AI
// inference API means and what to do about it.
//
//	r, _ := classify.Response(resp)
//	log.Printf("%s retryable=%v next=%s/%s wait=%v: %s", r.Category, r.Retryable, r.Action, r.Scope, r.RetryAfter, r.Hint)
//
// It never opens a connection: it is handed a status code, headers and a
// body (or an *http.Response, or the error a transport returned) and
// answers with pure functions; the retrying transport it offers wraps the
// caller's own. This package holds only documentation and examples.
//
// # Packages
//
// Each package imports only the ones above it in this list:
//
//   - [github.com/apierr/apierr/catalog] is the vocabulary and the data:
//     categories, next actions and scopes (stable snake_case names used as
//     metric labels), the status table, the built-in rules and the hints.
//   - [github.com/apierr/apierr/parse] turns body bytes into the provider's
//     message, type, code and parameter, for every shape providers and
//     gateways send (OpenAI-style, Anthropic, Google, FastAPI, TGI, vLLM,
//     AWS, RFC 7807, XML, Server-Sent Events and AWS event streams, HTML,
//     plain text), tolerant of broken input and bounded in time and memory.
//   - [github.com/apierr/apierr/classify] combines status, headers and body
//     into a Result: category, retryability, next action and its scope,
//     hint, the provider's fields, the delay the server asked for and the
//     rate-limit state. Results log with credentials redacted and turn into
//     errors that match category sentinels with errors.Is.
//   - [github.com/apierr/apierr/policy] pairs each category with a retry
//     strategy on github.com/cenkalti/backoff/v4 and decides: retry after
//     how long, or stop and why. Its Retrier is a backoff.BackOff; its hooks
//     fit go-retryablehttp; its Observer, Limiter and Clock are shared by
//     every entry point.
//   - [github.com/apierr/apierr/pace] is a limiter shared by the requests to
//     one API: it holds them through a server's delay and spreads them over
//     the rate-limit windows the responses report. It plugs in as a
//     policy.Limiter.
//   - [github.com/apierr/apierr/retryhttp] is an http.RoundTripper that
//     retries as the policy decides, without holding back a successful
//     stream.
//
// The command [github.com/apierr/apierr/cmd/apierr] explains one response
// for a human (apierr explain), classifies JSON Lines in bulk (apierr
// classify), prints the retry policy (apierr policy) and runs the retry
// simulation (apierr sim). SDK adapters (adapters/openaigo,
// adapters/anthropicsdk, adapters/goopenai) are modules of their own, so
// that this one keeps its single dependency.
//
// # The flow
//
// parse -> classify -> policy: a response's body is parsed once; the
// classifier weighs the caller's own rules, then the catalog's, then the
// status table; the Result carries everything a log line or a metric needs,
// and the policy turns it into a Decision. See Example_retry.
//
// # Observing attempts
//
// A policy.Policy's Observer is called after every attempt, by a Retrier
// and by the retrying transport alike, with the request's context, the
// attempt (its request, response or transport error, Result) and the
// Decision: the one hook that logs, metrics and traces are built on.
// Everything handed to it logs through log/slog with credentials redacted.
//
// # Teaching it your provider
//
// Pass your own [github.com/apierr/apierr/catalog.Rule] values in
// [github.com/apierr/apierr/classify.Classifier.Rules]; they are tried
// before the catalog, so they win. See Example_userRules.
//
// # Concurrency
//
// Every function is safe for concurrent use. Values (Result, Decision,
// Attempt) are returned by value and owned by the caller; a Policy, a
// Classifier and a pace.Limiter are safe to share once configured; a
// Retrier is for one logical request.
package apierr
