// Package policy decides whether, when and how many times to retry a failed
// request, per category of failure, on top of github.com/cenkalti/backoff/v4.
//
//	var p policy.Policy // the zero Policy applies the defaults below
//	rt := p.NewRetrier(ctx)
//	err := backoff.Retry(func() error { /* send; */ return rt.Observe(result) }, rt)
//
// Knowing that a failure is retryable (the classify package's answer) is
// half of it; the other half is when to retry, how many times, and when to
// stop. backoff/v4 alone cannot honour a server's delay, because NextBackOff
// never sees the error; a [Retrier] sees every outcome (Observe), decides
// there, and hands the decision to backoff.Retry through NextBackOff.
//
// # Decisions
//
// [Policy.Decide] is the plain function form: attempt number, elapsed time
// and a classify.Result in, a [Decision] (Retry, Delay, Reason) out. The
// checks run in order and the first that stops names the [Reason]: success,
// canceled, partial_delivery (the attempt had already delivered data, see
// [Policy.RetryPartial]), server_said_no (x-should-retry: false),
// not_retryable, no_resend (the request's body cannot be sent again),
// max_attempts, server_delay_too_long, max_elapsed, deadline (the wait
// would leave less than [Policy.MinAttemptTime] before the context's
// deadline, so the retry would be wasted)
// and, in a Retrier with a [Budget], budget_exhausted. Reasons are stable
// snake_case strings for metrics and logs.
//
// # Hooks: observer, limiter, clock
//
// Three values on a Policy are shared by every entry point that sends
// attempts with it (a [Retrier] driven by backoff.Retry, the retrying
// transport of package retryhttp, go-retryablehttp's hooks where they
// apply):
//
//   - [Policy.Observer] is called after every attempt, success included,
//     with the request's context, the [Attempt] (its number, request,
//     response or transport error, Result, limiter wait) and the
//     [Decision] (retry or not, the delay and where it came from, the
//     reason). Traces, metrics and logs are built on it; it costs no
//     allocation, set or not. Attempt and Decision implement
//     slog.LogValuer with redaction.
//   - [Policy.Limiter] is waited on before every attempt and told every
//     attempt's outcome (package pace has one that shares server delays
//     and rate-limit windows between requests).
//   - [Policy.Clock] tells the time and sleeps; the transport's waits and
//     pace's limiter use the same [Clock], so one virtual clock drives a
//     whole test.
//
// # Server delays
//
// The delay the server asked for comes first: retry-after-ms, Retry-After
// (seconds or an HTTP-date), Google's RetryInfo or a "try again in 20s"
// phrase, and, for a 429 whose x-ratelimit-remaining-* is 0, the time until
// the rate-limit window resets. The policy never waits less than that: the
// jitter on a server delay only adds, up to [Policy.ServerSpread] (10%), so
// that clients told the same Retry-After do not return in the same
// millisecond. With the default ServerDelayFloor the wait is the longer of
// that and the category's own schedule: the server's delay is the earliest
// moment a retry may succeed, and repeated refusals mean many clients are
// waiting for the same moment. When a shared limiter paces the retries
// ([Policy.Limiter]), a rate-limit refusal's explicit delay is waited as
// told, plus the spread: the limiter spaces the clients, so the schedule's
// floor would only add idle time. Above [Policy.MaxServerDelay] (120 s) the
// policy gives up with server_delay_too_long by default, so that a server
// asking for an hour (or a broken one asking for 10^12 seconds) does not
// hold a request open; [LongDelayClamp] and [LongDelayBackoff] are the
// alternatives.
//
// # Defaults
//
// Each category has a [Strategy]: attempts (3 attempts means the first try
// and 2 retries), a time limit from the first attempt's start to the start
// of the last retry, and a schedule (Initial x Multiplier^(retry-1), capped,
// with jitter). The waits before retries 1 to 3 when the server asks for no
// delay:
//
//	category         attempts  within  retry 1      retry 2      retry 3      cap   jitter
//	rate_limited     any       3m      1.5s-3s      2.4s-4.8s    2.5s-5s      5s    equal
//	timeout          3         2m      500ms-1s     1s-2s        -            8s    equal
//	conflict         2         1m      250ms-500ms  -            -            4s    equal
//	server_error     4         1m      0s-200ms     0s-400ms     0s-800ms     8s    full
//	unavailable      8         2m      0s-200ms     0s-400ms     0s-800ms     8s    full
//	network          4         1m      0s-250ms     0s-500ms     0s-1s        4s    full
//	all others*      3         1m      500ms-1s     1s-2s        -            8s    equal
//
// * The other categories are not retryable: their strategy applies only
// when a result is retryable anyway (the server sent x-should-retry: true,
// or unknown with a 5xx status). Run "apierr policy" for every category.
//
// Why these numbers: a rate limit is a queue, not a fault. The server said
// "wait", not "give up", so rate_limited is bounded by time alone (3
// minutes, with no limit on the count) and its waits stay in the seconds, where a token bucket refills;
// a wait of 30 s after a few refusals, as generic loops do, leaves capacity
// unused while clients sleep. The numbers were tuned on the deterministic
// simulation of internal/sim (apierr sim; see the README for the table):
// many clients sharing one token bucket, where the default completes every
// request with fewer attempts and a shorter makespan than the origin
// document's 2**attempt loop and backoff/v4's defaults. A 503 or 500 that
// hits a random fraction of requests is cheapest to retry at once, with
// full jitter and growth for the case that it is an outage; timeouts
// retry fewer times, since each attempt already waited long; conflict
// once.
//
// Override a category field by field with [Policy.Strategies]: a zero field
// keeps the default, MaxAttempts 1 turns retries off.
//
// # Plugging it in
//
//   - backoff.Retry and backoff.RetryNotify: [Policy.NewRetrier] returns a
//     backoff.BackOff (and backoff.BackOffContext) for one logical request.
//   - go-retryablehttp: [Policy.CheckRetry] and [Policy.Backoff] have
//     exactly the signatures of its CheckRetry and Backoff hooks.
//   - http.RoundTripper middleware: see Example (RoundTripper); the library
//     itself never opens a connection.
//
// # Streams, budgets, deadlines
//
// A streamed response that fails after data reached the caller is not
// retried by default ([Retrier.ObserveStream], partial_delivery); one that
// failed before the first token is. A [Budget] shared by many requests caps
// retries during an outage, in the style of gRPC retry throttling and the
// AWS retry quota. A Retrier bound to a context schedules a retry only if,
// after its wait, [Policy.MinAttemptTime] (50 ms by default) is left
// before the context's deadline: when the schedule's wait does not fit but
// the server's delay (Retry-After: 1 with 1.2 s left) does, it waits the
// server's delay; otherwise it gives up at once (deadline), with the last
// response in hand. It stops on cancellation.
//
// # Determinism and concurrency
//
// The clock ([Policy.Clock], a [Clock]) and the jitter source
// ([Policy.Rand]) are injectable, and backoff.RetryNotifyWithTimer takes a
// backoff.Timer, so tests and simulations never sleep. A Policy is read,
// never written, by its methods and is safe for concurrent use; a Retrier
// is for one request at a time; a Budget is safe for concurrent use.
package policy
