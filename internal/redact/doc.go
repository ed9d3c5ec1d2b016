// Package redact removes API keys and bearer credentials from text before it
// is logged or printed.
//
// Error bodies and header values returned by AI inference APIs sometimes echo
// the caller's credentials, for example OpenAI's "Incorrect API key provided:
// sk-proj-AbCd...wxyz." Every place apierr renders output (slog values,
// String methods, the CLI) passes text through [String] so that secrets never
// reach a log line or a terminal.
//
// Redaction keeps a recognisable, non-secret prefix and replaces the secret
// part with "***":
//
//   - OpenAI-style keys: "sk-proj-AbC123..." becomes "sk-proj-***"; the
//     sub-prefixes "proj-", "ant-", "svcacct-" and "admin-" are kept, any other
//     "sk-" key becomes "sk-***". At least four key characters must follow the
//     prefix.
//   - Other provider prefixes: "xai-", "gsk_", "hf_", "r8_", "pplx-", "fw_",
//     "AIza", "nvapi-", "csk-" and "tgp_v1_", each followed by at least eight
//     key characters, and AWS access key ids ("AKIA" or "ASIA" followed by
//     sixteen upper-case letters or digits).
//   - Authorization credentials: "Bearer <token>" and "Basic <token>", with
//     the scheme matched case-insensitively, become "Bearer ***" and
//     "Basic ***".
//
// Key characters are ASCII letters, digits, '_' and '-'. A key is only
// recognised at a token boundary: at the start of the text or after a
// character that is not a key character, so that words such as "task-1234"
// are left alone. A key extends over key characters, '*' and '.', because
// servers often echo keys in a partially masked form such as
// "sk-abc12***...***wxyz"; such keys are masked completely. Dots at the end
// of a key are treated as sentence punctuation and kept.
//
// A credential after "Bearer" or "Basic" is left alone when it is an ordinary
// short word (as in "Bearer auth" or "Basic authentication"), when it contains
// no letter or digit (as in an already redacted "Bearer ***"), or when it is an
// authentication parameter such as realm="api" in a WWW-Authenticate header.
//
// Redaction is idempotent, runs in time linear in the length of the input,
// never splits a multi-byte UTF-8 sequence and does not allocate when there
// is nothing to redact.
package redact
