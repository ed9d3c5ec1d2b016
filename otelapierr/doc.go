// Package otelapierr records the attempts and retries of the apierr
// library's retrying entry points as OpenTelemetry spans, span events and
// metrics, and logs them with log/slog.
package otelapierr
