package catalog

// Rule maps a signal in an error response to a category. A rule matches when
// every matcher it sets matches; a matcher left empty matches anything.
// Rules are tried in order and the first match decides; the classify package
// records the winning rule's Name in its Result.
//
// To teach the library your own provider's errors, build rules and pass them
// to classify.Classifier.Rules: they are tried before the built-in ones, so
// a user rule wins over the catalog.
//
//	rules := []catalog.Rule{{
//		Name:     "acme_gpu_busy",
//		Statuses: []int{409},
//		Codes:    []string{"gpu_busy"},
//		Category: catalog.Unavailable,
//	}}
type Rule struct {
	// Name identifies the rule in classification results and logs. Use a
	// stable snake_case string.
	Name string
	// Statuses restricts the rule to these HTTP status codes. An error found
	// inside a 2xx response (a streaming error event, an in-band safety
	// block) is matched with the response's own status, such as 200.
	Statuses []int
	// Codes matches the error's code or type (or, for Google bodies, the
	// ErrorInfo reason; for AWS, the x-amzn-ErrorType), compared without
	// regard to ASCII case. Any one entry matching is enough.
	Codes []string
	// Contains matches substrings of the error message, without regard to
	// ASCII case. Any one entry matching is enough. Within an entry, "*"
	// separates fragments that must appear in that order, so
	// "request too large*tokens per min" matches "Request too large for
	// gpt-4 in organization org-x on tokens per min (TPM)".
	Contains []string
	// Category is the answer when the rule matches.
	Category Category
	// Action refines the next action when the body says more than the
	// category (a permission that a plan tier on another model would grant
	// is ActionFallback, not the ActionStop of permission_denied). It
	// applies only when the result is not retryable: a retryable result's
	// action is always ActionRetry, or ActionFallback for a too-long server
	// delay, and ActionRetry on a result that is not retryable is ignored.
	// The zero value, ActionNone, keeps the default of Next.
	Action Action
	// Scope refines how far the failure reaches (a region block covers the
	// whole account; a gateway's "no healthy upstream" the whole provider).
	// The zero value, ScopeNone, keeps the default of Next.
	Scope Scope
	// Permanent marks a failure that no retry of the same request fixes,
	// whatever its category's default: a server that cannot load the model
	// into its memory fails the same way next time. The result is then not
	// retryable.
	Permanent bool
}

// Rules returns the built-in rules in the order they are tried. The order
// follows one principle: specific signals before general ones. Provider
// codes that name a failure exactly come first, then message patterns (which
// refine a generic code such as invalid_request_error), then generic
// provider types, which apply only to errors found inside 2xx responses
// (elsewhere the status already says as much). The caller owns the returned
// slice; modifying it does not change the catalog.
func Rules() []Rule {
	out := make([]Rule, len(builtin))
	copy(out, builtin)
	return out
}

// Frequently used status sets.
var (
	tooLargeStatuses = []int{413, 429}
	contextStatuses  = []int{200, 400, 403, 413, 422, 424, 500}
	modelStatuses    = []int{400, 404, 422}
	filterStatuses   = []int{200, 400, 403, 422}
	overloadStatuses = []int{200, 429, 500, 502, 503, 529}
	rateStatuses     = []int{200, 400, 403, 429}
	authStatuses     = []int{400, 401, 403}
	inBandStatusesOK = []int{200}
	modelMsgStatuses = []int{404}
	timeoutStatuses  = []int{200, 500, 502, 503, 504}
	billingStatuses  = []int{400, 402, 403, 429}
)

// Codes and phrases that more than one rule uses.
var (
	permissionCodes = []string{
		"permission_error", "PERMISSION_DENIED", "AccessDeniedException", "insufficient_permissions", "forbidden",
		"access_denied",
	}
	// accountBlockedPhrases say that the account, organization or the
	// caller's region is refused, whatever the key.
	accountBlockedPhrases = []string{
		"organization has been disabled", "account has been disabled", "account is disabled", "has been deactivated",
		"location is not supported", "not available in your country", "not available in your region",
		"unsupported_country", "not allowed for this organization", "access terminated",
		// Cloudflare Workers AI 3023; one-api's banned user (用户已被封禁).
		"service unavailable for account", "已被封禁",
	}
	// modelPermissionPhrases say that this model is not open to the
	// account (not enabled, or above its plan tier).
	modelPermissionPhrases = []string{"access to the model", "access to model", "not allowed to use publisher model",
		// Cloudflare Workers AI 5018 and 3041; one-api's token that may
		// not use the model (该令牌无权使用模型).
		"not allowed to access this model", "无权使用模型"}
)

// builtin is the catalog's rule table. Sources for the codes and phrases are
// the providers' published error documentation and the fixtures in
// classify/testdata/real.
var builtin = []Rule{
	// A single request larger than the whole per-minute token budget: no
	// wait helps (OpenAI, Groq: "Request too large for ... on tokens per
	// min (TPM)").
	{Name: "tpm_request_too_large", Statuses: tooLargeStatuses,
		Contains: []string{"request too large for", "exceeds the tokens per min"},
		Category: RequestTooLarge},
	// Billing and daily gates that arrive with a rate-limit code: waiting
	// minutes does not help (Anthropic's "Extra usage is required" as a
	// rate_limit_error, Bedrock's ThrottlingException "Too many tokens per
	// day", Qianfan's error_code 17 "Open api daily request limit reached"
	// in a 200 body). The codes keep the message search off every other
	// 429.
	{Name: "billing_gate_message", Statuses: []int{200, 403, 429}, Category: QuotaExceeded,
		Codes: []string{"rate_limit_error", "ThrottlingException", "17"},
		Contains: []string{
			"extra usage is required", "tokens per day, please wait", "daily request limit",
		}},
	// DashScope's per-minute token throttle speaks OpenAI's billing words
	// and code (insufficient_quota) but links the token-limit section of
	// its error codes: it clears within the minute.
	{Name: "token_limit_throttle", Statuses: []int{429}, Category: RateLimited,
		Codes: []string{"insufficient_quota"}, Contains: []string{"error-code#token-limit"}},

	// Codes that name a failure exactly.
	// A LiteLLM budget set on one model for a user or key: other models
	// still serve.
	{Name: "model_budget_code", Category: QuotaExceeded, Scope: ScopeModel, Codes: []string{"budget_exceeded"},
		Contains: []string{"budget for model"}},
	{Name: "quota_code", Category: QuotaExceeded, Codes: []string{
		"insufficient_quota", "billing_not_active", "billing_hard_limit_reached", "insufficient_credits",
		"insufficient_balance", "billing_error", "payment_required", "credit_limit_exceeded",
		// DashScope: overdue account (on a 400), free tier used up (on a
		// 403); Moonshot: balance or quota spent (on a 403 or a 429).
		"Arrearage", "AllocationQuota.FreeTierOnly", "exceeded_current_quota_error",
		// LiteLLM proxy budgets (on 400 and 429); one-api and new-api
		// user and token quotas (on 403).
		"budget_exceeded", "insufficient_user_quota", "pre_consume_token_quota_failed",
	}},
	// Google's RESOURCE_EXHAUSTED comes before the quota phrases: its
	// message says "quota" for what is a per-minute limit with a RetryInfo.
	{Name: "resource_exhausted_code", Category: RateLimited, Codes: []string{
		"RESOURCE_EXHAUSTED",
	}},
	{Name: "context_length_code", Category: ContextLengthExceeded, Codes: []string{
		"context_length_exceeded", "context_window_exceeded", "exceed_context_size_error",
		"max_tokens_exceeded", "prompt_too_long", "tokens_limit_exceeded",
	}},
	{Name: "content_filter_code", Category: ContentFiltered, Codes: []string{
		"content_filter", "content_policy_violation", "ResponsibleAIPolicyViolation", "content_filtered",
		"safety", "prohibited_content", "blocklist", "spii", "image_safety", "refusal", "moderation_blocked",
		"unsafe_content", "invalid_prompt", "recitation",
		// DashScope's input and output inspection.
		"data_inspection_failed", "DataInspectionFailed",
		// Portkey: the config's guardrail checks denied the request (446).
		"hooks_failed",
	}},
	{Name: "model_not_found_code", Category: ModelNotFound, Codes: []string{
		"model_not_found", "DeploymentNotFound", "model_not_available", "unknown_model", "invalid_model",
		"ModelNotFound", "NoSuchModel", "model_decommissioned", "model_deprecated",
	}},
	{Name: "authentication_code", Category: Authentication, Codes: []string{
		"invalid_api_key", "API_KEY_INVALID", "authentication_error", "invalid_authentication", "UNAUTHENTICATED",
		"UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "IncompleteSignature",
		"MissingAuthenticationTokenException", "expired_api_key", "invalid_key", "unauthorized", "no_api_key",
		"authentication_failed", "401",
	}},
	// Permission refusals that say how far they reach come before the
	// generic permission codes: a region block or a closed account covers
	// every key of the account (stop); a model the account may not use
	// leaves the other models to fall back to. The rules that pair a
	// permission code with a phrase are tried only when the code matches.
	{Name: "account_blocked_code", Category: PermissionDenied, Scope: ScopeAccount, Codes: []string{
		"unsupported_country_region_territory", "access_terminated_error",
	}},
	{Name: "model_permission_code", Category: PermissionDenied, Action: ActionFallback, Scope: ScopeModel, Codes: []string{
		"model_access_denied",
	}},
	{Name: "account_blocked_permission", Category: PermissionDenied, Scope: ScopeAccount,
		Codes: permissionCodes, Contains: accountBlockedPhrases},
	{Name: "model_permission", Category: PermissionDenied, Action: ActionFallback, Scope: ScopeModel,
		Codes: permissionCodes, Contains: modelPermissionPhrases},
	{Name: "permission_code", Category: PermissionDenied, Codes: permissionCodes},
	{Name: "request_too_large_code", Category: RequestTooLarge, Codes: []string{
		"request_too_large", "payload_too_large", "RequestEntityTooLarge", "request_entity_too_large",
		// OpenAI: one string of the request is over its maximum length.
		"string_above_max_length",
	}},
	// OpenAI's quota message and the spend limits relayed by a gateway
	// that puts the status in the code ("429", LiteLLM), which the
	// rate-limit codes would otherwise take; the code restricts this rule
	// to such bodies.
	// LiteLLM: a deployment's budget, with the status as the code.
	{Name: "deployment_budget_status_code", Statuses: []int{429}, Category: QuotaExceeded, Scope: ScopeModel,
		Codes: []string{"429"}, Contains: []string{"budget for deployment"}},
	{Name: "quota_message_status_code", Statuses: []int{429}, Category: QuotaExceeded, Codes: []string{"429"},
		Contains: []string{"exceeded your current quota", "budget has been exceeded", "exceeded budget", "crossed budget", "over budget"}},
	// An endpoint the server or gateway does not implement (501).
	{Name: "not_implemented_code", Statuses: []int{501}, Category: NotFound, Codes: []string{
		"api_not_implemented", "not_implemented",
	}},
	{Name: "rate_limit_code", Category: RateLimited, Codes: []string{
		"rate_limit_exceeded", "rate_limit_error", "ThrottlingException", "TooManyRequestsException",
		"TooManyRequests", "too_many_requests", "rate_limited", "rate_limit", "throttled", "RequestLimitExceeded",
		"concurrency_limit_exceeded", "429",
	}},
	// A gateway relaying its backend's connection failure as a plain body
	// (Envoy AI Gateway's AWSBedrockBackendError, OpenAIBackendError): the
	// endpoint is out, not one model.
	{Name: "backend_unreachable_code", Category: Unavailable, Scope: ScopeProvider,
		Codes:    []string{"AWSBedrockBackendError", "OpenAIBackendError"},
		Contains: []string{"upstream connect error", "no healthy upstream"}},
	{Name: "overloaded_code", Category: Unavailable, Codes: []string{
		"overloaded_error", "ServiceUnavailableException", "ModelNotReadyException", "UNAVAILABLE",
		"overloaded", "service_unavailable", "engine_overloaded", "model_overloaded", "model_loading",
		"ModelStreamErrorException", "503", "529",
	}},
	{Name: "timeout_code", Category: Timeout, Codes: []string{
		"ModelTimeoutException", "timeout_error", "DEADLINE_EXCEEDED", "timeout", "request_timeout",
		"gateway_timeout", "408", "504",
	}},

	// Message patterns, each limited to the statuses where the phrase means
	// what it says.
	{Name: "context_length_message", Statuses: contextStatuses, Category: ContextLengthExceeded, Contains: []string{
		"maximum context length", "context length", "context_length", "context window", "context size",
		"prompt is too long", "input is too long", "too many input tokens",
		"maximum sequence length", "max_sequence_length", "exceeds the maximum number of tokens",
		"input token count*exceeds", "`inputs` tokens + `max_new_tokens` must be",
		"reduce the length of the messages", "tokens in the prompt cannot exceed",
		"exceeds the context", "exceed context", "maximum prompt length", "prompt is too large",
		"input too long", "prompt tokens*exceed", "longer than the maximum model length",
		// DashScope: "Range of input length should be [1, 983616]".
		"range of input length",
	}},
	// Spend limits in words: LiteLLM's budgets, Cloudflare Workers AI's
	// daily neuron allocation (3036, on a 429), and the Chinese relays'
	// (one-api, new-api) 额度不足 (quota insufficient) and 额度已用尽
	// (quota used up), also on a 401 for an exhausted token (a rule of its
	// own, so that other 401s scan only its two phrases). Waiting does not
	// lift them.
	{Name: "spend_limit_message", Statuses: billingStatuses, Category: QuotaExceeded, Contains: []string{
		"budget has been exceeded", "exceeded budget", "crossed budget", "over budget", "daily free allocation",
		"额度不足", "额度已用尽", "余额不足",
	}},
	{Name: "token_quota_message", Statuses: []int{401}, Category: QuotaExceeded, Contains: []string{
		"额度已用尽", "额度不足",
	}},
	{Name: "credit_balance_message", Statuses: billingStatuses, Category: QuotaExceeded, Contains: []string{
		"exceeded your current quota", "check your plan and billing", "credit balance", "insufficient credit",
		"insufficient balance", "insufficient funds", "out of credits", "billing hard limit", "billing details",
		"not enough credits", "payment required", "add more credits", "exceeded your monthly", "spending limit",
		"billing is not active", "add a payment method",
		"free allocated quota", "free quota has been exhausted",
		// Chinese providers (Zhipu 1113, 1308; DashScope): balance too low,
		// no resource package, recharge, in arrears, usage cap reached.
		"余额不足", "无可用资源包", "请充值", "欠费", "使用上限",
	}},
	{Name: "model_not_found_message", Statuses: modelStatuses, Category: ModelNotFound, Contains: []string{
		"model_not_found", "model not found", "model*does not exist", "model*not found", "unknown model",
		"no such model", "invalid model", "model*is not supported", "model*not available", "model identifier is invalid",
		"deployment for this resource does not exist", "deployment*not found", "try pulling it first",
		"is not a valid model", "model is not served", "has been decommissioned", "model*no longer supported",
		"version does not exist", "model not exist", "model not supported", "not supported by any provider",
		// Zhipu 1211: "model does not exist, check the model code".
		"模型不存在",
	}},
	// A relay with no channel (upstream) for the model in the caller's
	// group (one-api, new-api: 无可用渠道, "no available channel"): another
	// model, not a retry.
	{Name: "no_channel_message", Statuses: []int{400, 403, 404, 503}, Category: ModelNotFound, Contains: []string{
		"无可用渠道", "no available channel for model",
	}},
	{Name: "model_message_404", Statuses: modelMsgStatuses, Category: ModelNotFound, Contains: []string{
		"model",
		// Nvidia's hosted NIM: a model's function removed from the catalog.
		"not found for account",
	}},
	{Name: "content_filter_message", Statuses: filterStatuses, Category: ContentFiltered, Contains: []string{
		"content management policy", "content policy", "safety system", "usage policies", "usage policy",
		"content filter", "flagged as potentially", "responsible ai", "safety filter", "blocked by the safety",
		"violates our", "moderation", "inappropriate content", "violates usage guidelines", "considered high risk",
		// Zhipu 1301: unsafe or sensitive content.
		"敏感内容",
	}},
	// A limit on the key itself (Cohere's trial keys): another key helps.
	{Name: "key_rate_limit_message", Statuses: []int{429}, Category: RateLimited, Scope: ScopeKey,
		Contains: []string{"trial key"}},
	{Name: "rate_limit_message", Statuses: rateStatuses, Category: RateLimited, Contains: []string{
		"rate limit", "rate-limit", "ratelimit", "rate_limit", "too many requests", "being rate limited",
		"requests per min", "tokens per min", "throttl", "request limit", "per minute", "per hour", "per day",
	}},
	// A gateway that cannot reach any upstream, or a server too busy to
	// queue anything: the whole endpoint is out, not one model.
	{Name: "endpoint_unavailable_message", Statuses: overloadStatuses, Category: Unavailable, Scope: ScopeProvider,
		Contains: []string{"no healthy upstream", "bad gateway", "upstream connect error", "server busy"}},
	{Name: "overloaded_message", Statuses: overloadStatuses, Category: Unavailable, Contains: []string{
		"overloaded", "currently loading", "is loading", "temporarily unavailable", "service unavailable",
		"at capacity", "over capacity", "high demand", "not ready",
		// Cloudflare Workers AI 3040: no data centre has capacity.
		"capacity temporarily exceeded", "out of capacity",
	}},
	{Name: "timeout_message", Statuses: timeoutStatuses, Category: Timeout, Contains: []string{
		"timed out", "timeout", "deadline exceeded",
	}},
	{Name: "authentication_message", Statuses: authStatuses, Category: Authentication, Contains: []string{
		"invalid api key", "incorrect api key", "api key not valid", "invalid_api_key", "invalid authentication",
		"api key is invalid", "invalid x-api-key", "missing api key", "no api key", "api key not found",
		"invalid token", "authentication fail", "authentication required", "not authenticated", "unauthenticated", "api key expired", "invalid bearer",
		"security token included in the request is invalid", "token seems invalid", "token is invalid",
		"invalid credentials", "authorization failed",
	}},
	{Name: "account_blocked_message", Statuses: authStatuses, Category: PermissionDenied, Scope: ScopeAccount,
		Contains: accountBlockedPhrases},
	// Terms of one model not accepted (Cloudflare Workers AI 5016): a
	// person must accept them; other models are not concerned.
	{Name: "model_terms_message", Statuses: []int{403}, Category: PermissionDenied, Action: ActionStop, Scope: ScopeModel,
		Contains: []string{"not agreed to*model terms"}},
	{Name: "model_permission_message", Statuses: authStatuses, Category: PermissionDenied, Action: ActionFallback,
		Scope: ScopeModel, Contains: modelPermissionPhrases},
	{Name: "permission_message", Statuses: authStatuses, Category: PermissionDenied, Contains: []string{
		"not authorized to access", "does not have access", "do not have access",
	}},
	// A server that cannot hold the model in its memory (Ollama): the same
	// request fails the same way until someone frees memory or picks a
	// smaller model.
	{Name: "resource_limit_message", Statuses: []int{500, 503, 507}, Category: ServerError, Permanent: true,
		Action: ActionFallback, Scope: ScopeModel, Contains: []string{
			"requires more system memory", "model requires more memory",
		}},
	{Name: "unsupported_protocol_message", Statuses: []int{400, 501}, Category: InvalidRequest, Contains: []string{
		"unsupported protocol",
	}},
	{Name: "internal_error_message", Statuses: []int{200, 502}, Category: ServerError, Contains: []string{
		"internal server error", "internal error",
	}},

	// Generic provider types: only errors found inside 2xx responses need
	// them; for other statuses the status table says as much.
	{Name: "in_band_type", Statuses: inBandStatusesOK, Category: InvalidRequest, Codes: []string{
		"invalid_request_error", "BadRequestError", "ValidationException", "INVALID_ARGUMENT", "validation",
		"invalid_request",
	}},
	{Name: "in_band_server_error", Statuses: inBandStatusesOK, Category: ServerError, Codes: []string{
		"api_error", "server_error", "InternalServerException", "INTERNAL", "internal_error", "internal_server_error",
		"generation", "ModelErrorException",
	}},
	{Name: "in_band_not_found", Statuses: inBandStatusesOK, Category: NotFound, Codes: []string{
		"not_found_error", "NOT_FOUND", "ResourceNotFoundException", "not_found",
	}},
}
