// Package redact removes API keys, tokens, passwords, private keys and
// other credentials from text before it is logged or printed, and bounds
// what is printed.
//
//	msg := redact.String(r.Message) // "Incorrect API key provided: sk-proj-***. ..."
//
// [String] is the one call every surface uses: it masks credentials, makes
// the text valid UTF-8 and cuts it to [MaxLen] bytes. [Credentials] masks
// only, for a caller that bounds the text itself. Both are safe for
// concurrent use and return s itself when there is nothing to change.
//
// # Threat model
//
// Error bodies, header values and transport errors that AI inference APIs
// and the proxies in front of them return sometimes echo the caller's
// credentials: OpenAI's "Incorrect API key provided: sk-proj-...", a proxy
// that logs the request headers (Authorization, Cookie) into its error
// page, a URL with "?key=" or "user:password@" in a dial error, a
// configuration dump holding a service account's private key. apierr
// stores what the server said unchanged (Result.Message and the other
// fields are data), and every place that renders output passes text
// through [String]: Result.String, Error.Error, Result.LogValue (every
// string field), the policy's errors and the values its observer is
// handed, and the apierr command's stdout and stderr (its diagnostics quote
// user input, and the flag package quotes invalid flag values). A caller
// that prints Result fields itself must call String too.
//
// The same messages name what an operator needs to debug: the model, the
// request id, the URL. Redaction recognises credentials by their shape and
// by what names them, not by nearness to a word such as "token", so that
// "maximum allowed number of output tokens for claude-3-5-sonnet-20241022"
// stays as it is.
//
// # What is caught
//
//   - Known prefixes and formats: a table modelled on the public rule sets
//     of secret scanners (gitleaks' rules, trufflehog's detectors, GitHub's
//     secret-scanning partner prefixes), each prefix with the shortest body
//     that makes a key: AI providers ("sk-" with its sub-prefixes "proj-",
//     "ant-", "svcacct-" and "admin-" kept, "xai-", "gsk_", "hf_",
//     "api_org_", "r8_", "pplx-", "fw_", "nvapi-", "csk-", "tgp_v1_",
//     "lsv2_pt_", "pcsk_", "tvly-", "jina_", "fc-", "pa-", "sess-",
//     ElevenLabs' "sk_"), Google ("AIza", "ya29.", "GOCSPX-", refresh tokens
//     "1//0"), JSON Web Tokens ("eyJ"), AWS ("AKIA", "ASIA", session tokens
//     "IQoJ" and "FwoGZXIvYXdz"), GitHub ("ghp_", "gho_", "ghu_", "ghs_",
//     "ghr_" with the CRC32 checksum of their last six characters, which
//     makes a token recognisable glued to a word; "github_pat_"), GitLab
//     ("glpat-", "glptt-", "gldt-", "glrt-", ...), Atlassian, Slack
//     ("xoxb-", "xoxp-", "xapp-", ..., webhook URLs), Discord webhooks,
//     Stripe ("sk_live_", "rk_live_", "whsec_"), Square, Shopify ("shpat_",
//     ...), Databricks ("dapi" and 32 hex digits), DigitalOcean, HashiCorp
//     Vault ("hvs."), Doppler, Pulumi, Fly.io, Heroku, Grafana, Sentry,
//     Postman, Figma, Linear, Notion, npm, PyPI, Twilio ("SK" and 32 hex
//     digits), SendGrid ("SG."), Mailgun ("key-" and 32 hex digits), age
//     secret keys. The public prefix stays visible ("sk-proj-***").
//   - Shapes without a prefix: dot-separated bot tokens (Discord's), Telegram
//     bot tokens ("123456789:AA..."), armored private keys (PEM, PKCS#8,
//     OpenSSH, PGP) as whole blocks from the BEGIN line to the END line,
//     whatever the length of their last line, raw or in an escaped JSON
//     string (a service account's "private_key"), or to the end of the text
//     when a limit cut the END line off; certificates and public keys are
//     kept.
//   - Authorization with any scheme: after "Authorization" or
//     "Proxy-Authorization" (a header line, a JSON field, URL-encoded) the
//     scheme is kept and its credential masked (Bearer, Basic, Token, Bot,
//     ApiKey, any other); parameters (Digest's response=, AWS SigV4's
//     Signature=) are masked value by value to the end of the header.
//     "Bearer" and "Basic" are recognised anywhere; "Token" and "Bot"
//     anywhere when what follows looks like a credential on its own.
//   - Cookies: every value of a Cookie header, the value of a Set-Cookie
//     header (its attributes are kept).
//   - Credential-named fields: a value assigned ("=", ":", "%3D", `": "`,
//     quoted or not) to a field, header or parameter whose name ends like a
//     credential's (api_key, x-api-key, apiKey, access_token, client_secret,
//     password, db_pass, AccountKey, SharedAccessKey, private_key, sig,
//     session, OPENAI_API_KEY, ...): for key and token names eight or more
//     characters that are not a plain word or a number, for password and
//     secret names any value but a placeholder. Names of ids, counts and
//     public values that end alike (idempotency_key, max_tokens,
//     next_page_token, public_key) are not credential names.
//   - Connection strings: the userinfo of any URL ("postgres://app:***@db",
//     "mongodb+srv://", "redis://:***@"), however long; "Password=" and
//     "AccountKey=" in key=value connection strings.
//   - A value a sentence names: within 48 bytes and three tokens after the
//     word key, token, secret, password or credential ("Incorrect API key
//     provided: ..."), a token that looks like a credential on its own:
//     thirty-two or more hex digits, or sixteen or more characters mixing
//     letters and digits, or twenty-four or more mixing upper and lower
//     case, that is not shaped like an identifier.
//   - High-entropy runs anywhere: thirty-two or more characters of letters,
//     digits and base64 punctuation mixing upper case, lower case and
//     digits (Azure's 84-character keys, Mistral's 32-character keys), and
//     runs of exactly sixty-four hex digits (Together's keys), unless they
//     are shaped like an identifier or labelled as one (below).
//
// Contexts: JSON strings and JSON inside text, text escaped once or twice
// (a key right after a literal "\n", "\\n" or "\u0022"), URL encoding,
// query parameters, header lines, HTML, a key glued to a word
// ("OPENAI_API_KEY_sk-proj-...", which needs twenty key characters; after
// a lower-case letter, "sk-" needs a body that mixes cases or runs 32
// letters and digits unbroken, so that "task-unified-1772618027-cmeisy8h"
// stays an id), a key
// split by invisible characters (zero-width spaces and joiners, word
// joiners, byte order marks, soft hyphens: raw, as "\u200b" escapes, as HTML
// entities or percent-encoded), a key cut by a length limit (its stub at the
// end of the text), and keys the server masked in part ("sk-abc1****wxyz").
//
// # What is kept
//
// Model names and paths ("claude-3-5-sonnet-20241022",
// "mistralai/Mixtral-8x7B-Instruct-v0.1", "ft:gpt-4o-mini-2024-07-18:org::id",
// "us.anthropic.claude-3-7-sonnet-20250219-v1:0"): a token whose parts,
// split at '-', '_', '.', '/' and ':', are numbers, words or short parts is
// an identifier. Ids with a known prefix ("req_", "chatcmpl-", "msg_",
// "toolu_", "call_", "file-", "batch_", "org-", "resp_", ...), UUIDs, and
// any value labelled as an id, an account, an organisation, a project, a
// request or a trace ("Request ID: ..." of a CloudFront page,
// "x-amz-cf-id: ...", "RequestId: ...", "for account '...'"), or as a hash
// ("sha256:", "Key Hash (Token) = ..."); base64 with punctuation that
// holds zero bytes ("AAAA", as Azure Front Door references do) is
// structured data, not a random key. URLs without userinfo or credential parameters, placeholders
// ("YOUR_API_KEY", "sk-...", "xxxx", null) and text already masked stay
// as they are.
//
// The keep suite (keep_test.go) pins this: every field of the published
// fixtures (but three that echo a partly masked key) and 203 real provider
// messages come out unchanged.
//
// # Bounded output
//
// String returns at most [MaxLen] bytes of valid UTF-8: each run of invalid
// bytes becomes one U+FFFD (so invalid UTF-8 cannot grow a text past the
// cap), and a longer text is cut at a character boundary and ends with
// [CutMark]. It reads only the first MaxLen bytes and the rest of a
// credential that starts within them. The recogniser runs in time linear in
// what it reads: every probe reads a bounded number of bytes unless it finds
// a credential, which it then passes; an armored block without an END line
// is searched for its end once. It never splits a multi-byte character and
// does not allocate when there is nothing to change. String remembers the
// last text of 1 to 64 KiB it redacted, with its result, and returns that
// result for an equal text without scanning again: a result that is both
// formatted and logged has its message scanned once.
//
// # Known limits
//
// A credential with no known prefix and no label, shorter than thirty-two
// characters, or shaped like an identifier (words and short parts joined
// by '-', '_' or '.') is not recognised; nor is one split by visible
// characters (five dashes in a row, as armor lines have, end every run,
// also when the key's own last '-' is the first of them),
// spelled out with spaces, or encoded (base64 of a key, HTML
// entities for its visible characters). A credential word more than 48
// bytes or three tokens before its value does not count. A random-looking
// value labelled as an id is kept, so a key a message calls an id leaks;
// a long random-looking value that is not a credential and not labelled as
// an id (a signature in a URL, a nonce) is masked. An unprefixed key glued
// into base64 that holds zero bytes ("AAAA") and '+' or '/' is read as
// structured data and kept. The values of a Cookie
// header or of Authorization parameters are masked up to the end of the
// header line, which in text without line breaks may mask later
// "name=value" pairs too. The window after a credential word is measured
// on the text as it reads once masked, so that a second pass looks at the
// same tokens; a second pass can still mask more than the first in rare
// cases, never less.
//
// Runtime helper: classify, policy and the apierr command import it from
// non-test code.
package redact
