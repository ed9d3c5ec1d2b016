package catalog

import "fmt"

// Action is what a caller should do next about a response: the decision an
// agent loop or a gateway otherwise writes by hand (retry, shrink the
// prompt, fall back to another model, rotate the key, fix the request, or
// stop and tell a human). It is a small enum whose zero value, ActionNone,
// means that the response is not a failure.
//
// The names returned by String (and by MarshalText) are a public contract,
// like the category names.
type Action uint8

// The actions.
const (
	// ActionNone: the response is not a failure; carry on.
	ActionNone Action = iota
	// ActionRetry: send the same request again, after the server's delay
	// or the retry policy's backoff.
	ActionRetry
	// ActionShrinkAndRetry: send the request again only after making it
	// smaller (fewer input tokens, a lower max_tokens, a smaller payload);
	// the same request fails the same way.
	ActionShrinkAndRetry
	// ActionFallback: send the request to another model, deployment or
	// provider; this one will not serve it now (its quota is spent, the
	// model does not exist for this key, or it asked for a wait longer
	// than a caller should hold a request).
	ActionFallback
	// ActionFixCredential: rotate or fix the credential (the key is
	// invalid, expired, revoked or missing), then send the request again.
	ActionFixCredential
	// ActionFixRequest: fix the request (its parameters, URL or content);
	// sending it again unchanged fails again.
	ActionFixRequest
	// ActionStop: stop and tell a human; nothing a program can do helps
	// (a missing permission, a blocked region, a canceled request).
	ActionStop

	numActions
)

var actionNames = [numActions]string{
	ActionNone:           "none",
	ActionRetry:          "retry",
	ActionShrinkAndRetry: "shrink_and_retry",
	ActionFallback:       "fallback",
	ActionFixCredential:  "fix_credential",
	ActionFixRequest:     "fix_request",
	ActionStop:           "stop",
}

// Actions returns every action, ActionNone first, in declaration order. The
// caller owns the returned slice.
func Actions() []Action {
	all := make([]Action, numActions)
	for i := range all {
		all[i] = Action(i)
	}
	return all
}

// String returns the action's stable snake_case name, such as "fallback".
// An out-of-range value renders as "action(N)".
func (a Action) String() string {
	if a < numActions {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// MarshalText implements encoding.TextMarshaler with the stable name.
func (a Action) MarshalText() ([]byte, error) {
	if a >= numActions {
		return nil, fmt.Errorf("catalog: invalid action %d", uint8(a))
	}
	return []byte(actionNames[a]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts exactly the
// names that String returns.
func (a *Action) UnmarshalText(text []byte) error {
	for i, name := range actionNames {
		if name == string(text) {
			*a = Action(i)
			return nil
		}
	}
	return fmt.Errorf("catalog: unknown action %q", text)
}

// Scope is how far a failure reaches: what a gateway should cool down or
// mark as failing. It is a small enum whose zero value, ScopeNone, goes with
// ActionNone (no failure) and renders as "".
//
// The names returned by String (and by MarshalText) are a public contract.
type Scope uint8

// The scopes, from the narrowest to the widest.
const (
	// ScopeNone: no failure; the scope of an OK result. Its name is "".
	ScopeNone Scope = iota
	// ScopeRequest: this request only; other requests on the same model
	// and key are unaffected.
	ScopeRequest
	// ScopeModel: this model or deployment; other models of the same
	// provider and key may work, so fall back to one or cool this one down.
	ScopeModel
	// ScopeKey: this credential; other keys of the same account may work.
	ScopeKey
	// ScopeAccount: the whole account, organization or project, all its
	// keys; another account or provider is needed.
	ScopeAccount
	// ScopeProvider: the whole provider or endpoint (host); route to
	// another provider or wait for this one to recover.
	ScopeProvider

	numScopes
)

var scopeNames = [numScopes]string{
	ScopeNone:     "",
	ScopeRequest:  "request",
	ScopeModel:    "model",
	ScopeKey:      "key",
	ScopeAccount:  "account",
	ScopeProvider: "provider",
}

// Scopes returns every scope, ScopeNone first, in declaration order. The
// caller owns the returned slice.
func Scopes() []Scope {
	all := make([]Scope, numScopes)
	for i := range all {
		all[i] = Scope(i)
	}
	return all
}

// String returns the scope's stable snake_case name, such as "account",
// or "" for ScopeNone. An out-of-range value renders as "scope(N)".
func (s Scope) String() string {
	if s < numScopes {
		return scopeNames[s]
	}
	return fmt.Sprintf("scope(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler with the stable name; that
// of ScopeNone is empty.
func (s Scope) MarshalText() ([]byte, error) {
	if s >= numScopes {
		return nil, fmt.Errorf("catalog: invalid scope %d", uint8(s))
	}
	return []byte(scopeNames[s]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts exactly the
// names that String returns, "" for ScopeNone.
func (s *Scope) UnmarshalText(text []byte) error {
	for i, name := range scopeNames {
		if name == string(text) {
			*s = Scope(i)
			return nil
		}
	}
	return fmt.Errorf("catalog: unknown scope %q", text)
}

// nextStep is one row of the default mapping from category to action and
// scope.
type nextStep struct {
	action Action
	scope  Scope
}

// nextSteps is the default mapping by category, for a result whose
// retryability is the category's own (see Next for the other cases).
var nextSteps = [numCategories]nextStep{
	Unknown:               {ActionStop, ScopeRequest}, // refined by Next
	InvalidRequest:        {ActionFixRequest, ScopeRequest},
	ContextLengthExceeded: {ActionShrinkAndRetry, ScopeRequest},
	ContentFiltered:       {ActionFixRequest, ScopeRequest},
	Authentication:        {ActionFixCredential, ScopeKey},
	PermissionDenied:      {ActionStop, ScopeKey},
	NotFound:              {ActionFixRequest, ScopeRequest},
	ModelNotFound:         {ActionFallback, ScopeModel},
	QuotaExceeded:         {ActionFallback, ScopeAccount},
	RateLimited:           {ActionRetry, ScopeModel},
	RequestTooLarge:       {ActionShrinkAndRetry, ScopeRequest},
	Timeout:               {ActionRetry, ScopeRequest},
	Conflict:              {ActionRetry, ScopeRequest},
	ServerError:           {ActionRetry, ScopeRequest},
	Unavailable:           {ActionRetry, ScopeModel},
	Network:               {ActionRetry, ScopeProvider},
	Canceled:              {ActionStop, ScopeRequest},
}

// NextAction returns the default next action and scope of a failure of category
// c, given its HTTP status (0 for a transport error) and whether the same
// request can succeed when sent again. It is the table documented in the
// README, made to agree with retryable:
//
//   - retryable: ActionRetry, whatever the category (an x-should-retry:
//     true header can make any category retryable);
//   - not retryable, for a category that is retryable by default (a 501, or
//     an x-should-retry: false header): ActionFixRequest for a 501 Not
//     Implemented, else ActionFallback (this server will not serve the
//     request; another may);
//   - Unknown: ActionStop when not retryable; scope ScopeProvider for a 5xx,
//     else ScopeRequest.
//
// The scope is the category's whatever the retryability. NextAction never returns
// ActionNone, which only an OK result has; the classify package refines its
// answer with the matching rule's Action and Scope and with the server's
// delay. An out-of-range category is treated as Unknown. NextAction does not
// allocate.
func NextAction(c Category, status int, retryable bool) (Action, Scope) {
	if c >= numCategories {
		c = Unknown
	}
	st := nextSteps[c]
	if c == Unknown && status >= 500 && status < 600 {
		st.scope = ScopeProvider
	}
	switch {
	case retryable:
		st.action = ActionRetry
	case st.action == ActionRetry && status == 501:
		st.action = ActionFixRequest
	case st.action == ActionRetry:
		st.action = ActionFallback
	}
	return st.action, st.scope
}
