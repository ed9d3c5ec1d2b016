// Package catalog is the vocabulary and the data of apierr: the categories
// of failure, the next actions and their scopes, the status table, and the
// built-in rules that map provider codes and message phrases to categories.
// It imports nothing of the library's own and computes nothing per
// response: package classify applies it.
//
//	c := catalog.RateLimited
//	fmt.Println(c, c.Retryable(), c.Hint())
//	a, s := catalog.NextAction(c, 429, true) // retry, model
//
// # Categories, actions and scopes
//
// [Category], [Action] and [Scope] are small enums whose zero values mean
// "nothing recognisable" or "not a failure". Their names (String,
// MarshalText) are a public contract, used as metric labels, log values and
// JSON values: they change only with a CHANGELOG.md entry. [Categories],
// [Actions] and [Scopes] list them; [ParseCategory] reads a name back.
// Each Category constant's documentation says what a caller should do:
// retry the same call, fix something first, or give up.
//
// # Rules and the status table
//
// [Rules] returns the built-in rules, copies that the caller owns; a [Rule]
// matches by status, code or type, and message fragments, and names the
// category, and optionally the action and scope, it stands for. Rules of
// your own go to classify.Classifier.Rules, which are tried first.
// [StatusInfo] is the table of HTTP statuses: the category, name and
// resolution hint of each status the origin documents, and the general 4xx
// and 5xx rows.
//
// The data lives behind functions, never in exported variables, so that no
// caller can change what another sees. Everything in the package is safe
// for concurrent use.
package catalog
