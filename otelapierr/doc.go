// Package otelapierr records the attempts and retries of the apierr
// library's retrying entry points as OpenTelemetry spans, span events and
// metrics, and logs them with log/slog. It is built on the Policy's
// observer hook (policy.Observer), which every entry point calls after
// every attempt:
//
//	tel, err := otelapierr.New(otelapierr.Config{Provider: "openai"})
//	base := otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(tel.TracerProvider()))
//	client := retryhttp.NewClient(&retryhttp.Transport{Base: base, Policy: &policy.Policy{Observer: tel.Observe}})
//
// The names follow the OpenTelemetry semantic conventions v1.40.0 (the
// last release of the core conventions with the GenAI ones in it; see
// [SemconvVersion]), and, under the opt-in
// OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental ([OptInEnv],
// [OptInLatest], or Config.OptIn), the newer names of the
// open-telemetry/semantic-conventions-genai repository for what has been
// renamed there: gen_ai.client.inference.duration for inference operations.
//
// # Attempt spans
//
// Each attempt is an HTTP client span: the one of the HTTP instrumentation
// under the retrying transport (otelhttp's, when it is given
// [Telemetry.TracerProvider]), or the module's own ([Telemetry.Transport]).
// [Telemetry.Observe] finds it through the attempt
// (retryhttp.AttemptValue) and sets, on a failed attempt:
//
//	http.request.resend_count  the attempt's number - 1, on resends only (first attempt: absent)
//	error.type                 the category of the failure (list below), replacing otelhttp's status code
//	apierr.action              what to do next: retry, shrink_and_retry, fallback, fix_credential, fix_request, stop
//	apierr.scope               how far the failure reaches: request, model, key, account, provider
//	apierr.rule                the classification rule that decided
//	apierr.provider.code       the provider's error code, redacted (span only, never a metric label)
//	apierr.provider.type       the provider's error type, redacted (span only, never a metric label)
//
// and the span status Error with the category as its description. A
// successful attempt gets only its resend count. otelhttp ends its span
// when the response body has been read, which the retrying transport does
// to classify a failure before the Observer runs; the spans of
// [Telemetry.TracerProvider] therefore end only once Observe has annotated
// them, with the time at which their instrumentation ended them.
//
// # Call spans
//
// The span in the request's context (the caller's, or an SDK's own span of
// the call, such as anthropic-sdk-go's anthropic.messages.create) gets:
//
//	event apierr.retry      for a failed attempt that another follows:
//	                        apierr.attempt, error.type, apierr.reason (retry),
//	                        apierr.wait (seconds), apierr.wait.source (server, schedule)
//	event apierr.give_up    for a failed attempt that is the last: apierr.attempt,
//	                        error.type, apierr.reason (why no retry follows)
//	http.request.resend_count  the number of resends, when there were any: the
//	                        count an SDK loses when its own retries are off
//	error.type              the category of the final failure
//
// The reasons are policy's: retry, success, not_retryable, max_attempts,
// max_elapsed, deadline, canceled, server_delay_too_long, budget_exhausted,
// partial_delivery, server_said_no, no_resend (any other is recorded as
// other).
//
// # Metrics
//
// Every attribute of a metric point comes from a closed set, so the number
// of series is bounded; gen_ai.provider.name is one constant per Telemetry
// (Config.Provider, opt-in), and no model, message, code or URL is ever a
// label. In the Prometheus exposition (OpenTelemetry's Prometheus
// exporter) dots become underscores and the unit and _total suffixes are
// added; both names are given.
//
//	gen_ai.client.operation.duration (s, histogram)
//	  Prometheus: gen_ai_client_operation_duration_seconds
//	  One point per logical call (its attempts and waits included), when the call ends.
//	  Attributes: gen_ai.operation.name (chat, text_completion, generate_content,
//	  embeddings; told from the URL path, absent when unknown), error.type (on
//	  failure), gen_ai.provider.name (opt-in).
//	  Buckets: the conventions' advice, 0.01 s to 81.92 s.
//	  Prometheus labels: gen_ai_operation_name, error_type, gen_ai_provider_name.
//	gen_ai.client.inference.duration (s, histogram)
//	  Prometheus: gen_ai_client_inference_duration_seconds
//	  Under the opt-in, the same for the inference operations (chat,
//	  text_completion, generate_content), which then leave the former.
//	apierr.client.attempts ({attempt}, counter)
//	  Prometheus: apierr_client_attempts_total
//	  One per attempt. Attributes: apierr.outcome (success, retry, failure),
//	  apierr.reason, and on failures error.type, apierr.action, apierr.scope;
//	  gen_ai.provider.name (opt-in).
//	  Prometheus labels: apierr_outcome, apierr_reason, error_type, apierr_action,
//	  apierr_scope, gen_ai_provider_name.
//	apierr.client.wait.duration (s, histogram)
//	  Prometheus: apierr_client_wait_duration_seconds
//	  The waits before attempts. Attribute apierr.wait.source: server (the
//	  server's Retry-After or rate-limit reset), schedule (the backoff
//	  schedule), limiter (the Policy's Limiter held the attempt: its count
//	  is the number of holds); gen_ai.provider.name (opt-in).
//	  Prometheus labels: apierr_wait_source, gen_ai_provider_name.
//	apierr.client.budget.refusals ({retry}, counter)
//	  Prometheus: apierr_client_budget_refusals_total
//	  Retries the retry budget refused (reason budget_exhausted).
//	  Attributes: error.type; gen_ai.provider.name (opt-in).
//	  Prometheus labels: error_type, gen_ai_provider_name.
//
// # error.type values
//
// The conventions ask instrumentations to document the errors they report.
// error.type is the category of the failure, catalog.Categories():
// unknown, invalid_request, context_length_exceeded, content_filtered,
// authentication, permission_denied, not_found, model_not_found,
// quota_exceeded, rate_limited, request_too_large, timeout, conflict,
// server_error, unavailable, network, canceled. The module's own attempt
// span is first given _OTHER for a transport error, which Observe
// replaces with the category.
//
// # Logs
//
// [SlogObserver] logs each failed attempt, at Warn when another attempt
// follows ([MsgRetry]) and at Error when none does ([MsgGiveUp]), with the
// groups attempt and decision of policy.Attempt.LogValue and
// policy.Decision.LogValue, which redact keys and tokens. [Observers]
// combines it with [Telemetry.Observe].
//
// # Cost
//
// On no-op providers Observe allocates nothing; on the SDK's providers
// the metric points allocate nothing once each attribute combination has
// been seen (their option lists are cached per combination), and spans
// cost what the SDK's spans cost. See docs/observability.md in the
// repository for the measured figures.
package otelapierr
