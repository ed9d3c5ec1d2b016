// Package redact removes API keys, bearer tokens and other credentials from
// text before it is logged or printed.
//
// # Threat model
//
// Error bodies, header values and transport errors that AI inference APIs
// and the proxies in front of them return sometimes echo the caller's
// credentials: OpenAI's "Incorrect API key provided: sk-proj-...", a proxy
// that logs the Authorization header into its error page, a URL with
// "?key=" or "user:password@" in a dial error. apierr stores what the server
// said unchanged (Result.Message and the other fields are data), and every
// place that renders output passes text through [String]: Result.String,
// Error.Error, Result.LogValue (every string field), the policy's errors and
// the apierr command's stdout and stderr (its diagnostics quote user input,
// and the flag package quotes invalid flag values). A caller that prints
// Result fields itself must call String too.
//
// Redaction prefers false positives to leaks: a long random-looking token
// next to a word such as key, token, secret, password or authorization is
// masked even when it is not a credential.
//
// # Families
//
// A recognisable, non-secret prefix is kept and the rest replaced with "***":
//
//   - Provider prefixes: "sk-" (keeping the sub-prefixes "proj-", "ant-",
//     "svcacct-" and "admin-"; OpenRouter's "sk-or-v1-" becomes "sk-***"),
//     "xai-", "gsk_", "hf_", "r8_", "pplx-", "fw_", "nvapi-", "csk-",
//     "tgp_v1_", Google API keys "AIza", Google OAuth access tokens "ya29.",
//     JSON Web Tokens "eyJ", AWS access key ids ("AKIA"/"ASIA" and sixteen
//     upper-case letters or digits), AWS session tokens ("IQoJ",
//     "FwoGZXIvYXdz"), GitHub tokens ("ghp_", "gho_", "ghu_", "ghs_",
//     "ghr_", "github_pat_", twenty characters or more) and GitLab tokens
//     ("glpat-", sixteen or more).
//   - Authorization credentials: "Bearer <token>" and "Basic <token>", the
//     scheme in any case, the token after spaces, "%20" or "+", quoted or not.
//   - Credentials the text names: after "key", "token", "secret", "passw",
//     "pwd", "authoriz", "credential" or "sig=" (in any case, also inside a
//     longer word such as OPENAI_API_KEY or x-api-key), within 64 bytes, the
//     first token of sixteen or more characters mixing letters and digits,
//     of twenty-four or more mixing upper and lower case, or of thirty-two
//     or more hex digits (Azure's 32-hex keys, Together's
//     64-hex keys, Mistral's and Cohere's unprefixed keys, AWS secret access
//     keys); right after an assignment ("key=", "api-key: ", "%3D",
//     `"token": "`), eight characters mixing letters and digits suffice.
//     These tokens are masked whole.
//   - Unprefixed high-entropy runs: thirty-two or more letters, digits and
//     "+/=-_" mixing upper case, lower case and digits (Azure's 84-character
//     keys, base64 secrets) are masked wherever they stand.
//   - Passwords in URLs: "scheme://user:password@host" becomes
//     "scheme://***@host", however long the password (read up to the end of
//     the authority). The user name goes too: a key used as a user name is
//     masked with the password in one piece.
//
// # Contexts
//
// A prefix counts at a word start (after any character that is not a letter,
// digit, '_' or '-': JSON quotes, HTML tags, '=', '/', white space) with its
// family's usual minimum length (four characters after "sk-", eight after
// the others, sixteen for AWS ids); glued to a preceding word
// ("OPENAI_API_KEY_sk-proj-...", "%3Dsk-...", the "n" of a literal "\n" or
// the "2" of "\u0022") it needs twenty characters, so that words such as
// "task-12345678" are left alone. Zero-width spaces, joiners, the word
// joiner, the byte order mark and soft hyphens, raw, written as "\u200b"
// escapes, as HTML entities ("&shy;", "&#8203;", "&zwnj;") or
// percent-encoded ("%E2%80%8B", "%C2%AD"), do not end a key, so a key split
// by them is masked whole. A key
// cut by a length limit is masked when its stub ends the text, or when the
// stub has five or more characters mixing letters and digits. Keys partially
// masked by the server ("sk-abc1****wxyz") are masked whole.
//
// # Limits
//
// A credential with none of the prefixes above, shorter than sixteen
// characters or without digits, that the text does not name, is not
// recognised; nor is one split by visible characters, spelled out with
// spaces, or encoded (base64 of a key, HTML entities for its visible
// characters). A key
// word more than 64 bytes before its value does not count.
//
// Redaction is idempotent on text without a key word; on text with one, a
// second pass can mask more (the first pass shortened the tokens of the key
// word's window, which then reaches further), never less. It runs in time linear in the length of the input
// (every probe reads a bounded number of bytes unless it finds a secret,
// which it then passes), never splits a multi-byte UTF-8 sequence and does
// not allocate when there is nothing to redact.
//
// Runtime helper: classify, policy and the apierr command import it from
// non-test code.
package redact
