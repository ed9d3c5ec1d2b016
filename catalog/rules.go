package catalog

import "slices"

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
// follows the strength of the evidence: combinations of a code and a
// phrase; codes that name a failure exactly; the generic codes (a clear
// phrase that disagrees with one comes with a combination above it); the
// phrases on the statuses where providers send them, in the order of
// their weight; the same strong phrases (billing, context overflow,
// content filter, a model that does not exist, an account block,
// overload, an invalid key) on every other status, where they hold as
// well; and the generic provider types of errors found inside 2xx
// responses. The caller owns the returned slice; modifying it does not
// change the catalog.
func Rules() []Rule {
	out := make([]Rule, len(builtin))
	copy(out, builtin)
	return out
}

// Frequently used status sets. The home statuses of a phrase are those on
// which providers send it; its rule there comes among the phrases of those
// statuses, and a second rule takes it on every other status (see
// builtin).
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
	billingStatuses  = []int{200, 400, 402, 403, 429}
)

// phrasesExcept returns phrases without the ones in skip.
func phrasesExcept(phrases []string, skip ...string) []string {
	var out []string
	for _, p := range phrases {
		if !slices.Contains(skip, p) {
			out = append(out, p)
		}
	}
	return out
}

// statusesExcept returns the statuses from 100 to 599 without skip: a
// strong phrase's rule for the statuses other than its home ones.
func statusesExcept(skip ...int) []int {
	var out []int
	for st := 100; st < 600; st++ {
		if !slices.Contains(skip, st) {
			out = append(out, st)
		}
	}
	return out
}

// Codes and phrases that more than one rule uses. Phrases in other
// languages than English are the standard wordings of the same failure
// (each group cites its source); the match folds ASCII case only, so a
// Russian phrase leaves off a first letter that a sentence may capitalise.
var (
	rateLimitCodes = []string{
		"rate_limit_exceeded", "rate_limit_error", "ThrottlingException", "TooManyRequestsException",
		"TooManyRequests", "too_many_requests", "rate_limited", "rate_limit", "throttled", "RequestLimitExceeded",
		"concurrency_limit_exceeded", "429",
	}
	// accountBlockedCodes: a region block or a closed account, for every
	// key of the account (OpenAI's unsupported_country_region_territory,
	// Moonshot's access_terminated_error).
	accountBlockedCodes = []string{"unsupported_country_region_territory", "access_terminated_error"}
	modelNotFoundCodes  = []string{
		"model_not_found", "DeploymentNotFound", "model_not_available", "unknown_model", "invalid_model",
		"ModelNotFound", "NoSuchModel", "model_decommissioned", "model_deprecated",
		"InvalidEndpointOrModel.NotFound",
	}
	permissionCodes = []string{
		"permission_error", "PERMISSION_DENIED", "AccessDeniedException", "insufficient_permissions", "forbidden",
		"access_denied",
	}
	// overloadCodes name a server or model too busy to serve now.
	overloadCodes = []string{
		"overloaded_error", "ServiceUnavailableException", "ModelNotReadyException", "UNAVAILABLE",
		"overloaded", "service_unavailable", "engine_overloaded", "model_overloaded", "model_loading",
		"ModelStreamErrorException", "503", "529",
		// Google's ErrorInfo reason for a model without free capacity,
		// whatever the status ("No capacity available for model ..." as
		// RESOURCE_EXHAUSTED on a 429, as UNAVAILABLE on a 503).
		"MODEL_CAPACITY_EXHAUSTED",
	}
	// accountBlockedPhrases say that the account, organization or the
	// caller's region is refused, whatever the key.
	accountBlockedPhrases = []string{
		"organization has been disabled", "account has been disabled", "account is disabled", "has been deactivated",
		"location is not supported", "not available in your country", "not available in your region",
		"unavailable in your country", "unavailable in your region",
		"unsupported_country", "not allowed for this organization", "access terminated",
		// Cloudflare Workers AI 3023; one-api's banned user (用户已被封禁).
		"service unavailable for account", "已被封禁",
		// An account or organization that is locked, suspended or not
		// enabled for the endpoint ("this account is not allowed to access
		// this endpoint").
		"account is not allowed", "not enabled for your organization", "account has been suspended",
		// The same refusal worded for the organization, or with
		// "permitted".
		"organization is not allowed", "organisation is not allowed", "account is not permitted",
		"organization is not permitted", "organisation is not permitted",
		// The account's other names: a workspace, project or team that
		// may not use the endpoint is refused whatever its key.
		"workspace is not allowed", "workspace is not permitted", "project is not allowed",
		"project is not permitted", "team is not allowed", "team is not permitted",
		// A project switched off ("Project is inactive", sofatutor's
		// llm-proxy on a 403, round 36).
		"project is inactive", "project is disabled", "project has been disabled",
		// A service the account has not subscribed to or enabled
		// (Huawei Cloud FRS.0019 "The service has not been subscribed."
		// on a 400, round 29): the console, not the key, lifts it.
		"has not been subscribed", "is not subscribed to", "are not subscribed to",
		"account is suspended", "account has been locked", "account is locked",
		// An account not yet let in: pending review or approval, not
		// activated; the provider's staff or the console, not the key,
		// lifts it. (Not "account is not active": OpenAI says it of an
		// account whose billing lapsed.)
		"account is pending", "account is under review", "account is not activated", "account not activated",
		"account has not been activated",
		// Zhipu 1112: account locked.
		"账户已被锁定", "账号已被锁定",
		// Short and user-level forms: "Account disabled", "User is locked.
		// Reason: Admin lock".
		"account disabled", "account suspended", "account locked", "account banned", "account has been banned",
		"user is locked", "user has been banned",
		// The organizational unit above the key turned off: a gateway's
		// group, team, tenant or organization.
		"group is disabled", "team is disabled", "tenant is disabled", "organization is disabled",
		// English synonyms: an account or organization terminated,
		// blocked, frozen or inactive (Zhipu 1110 "Your account is
		// currently inactive"); a user banned or disabled (new-api).
		"account has been terminated", "account terminated", "account has been blocked", "account is blocked",
		"account blocked", "account has been frozen", "account is frozen", "account frozen",
		"account is currently inactive", "organization has been suspended", "organization is suspended",
		"user is banned", "user has been blocked", "user has been disabled",
		// Chinese (Simplified and Traditional): account or user disabled,
		// frozen or deactivated.
		"账户已被禁用", "账号已被禁用", "账户已被冻结", "账号已被冻结", "账户被冻结", "账号被冻结", "账户已停用",
		"账号已停用", "用户已被禁用", "帳戶已被停用", "帳號已被停用", "帳戶已被凍結", "帳號已被凍結", "帳戶已被鎖定",
		"帳號已被鎖定",
		// Japanese and Korean (new-api's tables: ユーザーはBANされています,
		// 사용자가 차단되었습니다): account suspended, locked, disabled or
		// frozen; user banned or disabled.
		"アカウントが停止", "アカウントがロック", "アカウントが無効", "アカウントが凍結", "ユーザーはbanされて",
		"このユーザーは無効化",
		"계정이 정지", "계정이 차단", "계정이 잠겨", "계정이 잠김", "계정이 비활성화", "사용자가 차단",
		// Russian (new-api's "Пользователь заблокирован"), Spanish,
		// Portuguese, German, French.
		"ккаунт заблокирован", "ккаунт приостановлен", "ккаунт отключ", "запись заблокирована",
		"ользователь заблокирован",
		"cuenta suspendida", "cuenta bloqueada", "conta suspensa", "conta bloqueada", "konto gesperrt",
		"konto wurde gesperrt", "compte suspendu", "compte bloqué",
		// The same with an auxiliary between ("Votre compte a été
		// suspendu", "Su cuenta ha sido suspendida", "Ihr Konto ist
		// gesperrt"). Written out rather than "compte*suspendu": a pattern
		// has no bound on the words between, and "Le compte de service est
		// valide; le paramètre est suspendu" is not a block.
		"compte a été suspendu", "compte a été bloqué", "compte est suspendu", "compte est bloqué",
		"cuenta ha sido suspendida", "cuenta ha sido bloqueada", "cuenta está suspendida", "cuenta está bloqueada",
		"conta foi suspensa", "conta foi bloqueada", "conta está suspensa", "conta está bloqueada",
		"konto ist gesperrt", "konto wurde deaktiviert", "konto ist deaktiviert",
	}
	// modelPermissionPhrases say that this model is not open to the
	// account (not enabled, or above its plan tier).
	modelPermissionPhrases = []string{"access to the model", "access to model", "not allowed to use publisher model",
		// The model pointed at ("Your plan does not include access to
		// this model"; a gateway's "can't use this model"). Not "access
		// to the requested model": Flowise's "check your API key and
		// ensure it has access to the requested model" is the key's.
		"access to this model", "access to the specified model",
		// "Insufficient permissions to access the model albert-large."
		// (Albert API's 403, round 28): the model named after it.
		"permission*to access the model", "permission*to access model",
		// A plan that leaves the model out ("Your current subscription
		// plan does not yet include access to GLM-5", Zhipu on a 429,
		// round 27).
		"not include access to", "not yet include access to", "n't include access to",
		"can't use this model", "cannot use this model",
		// Cloudflare Workers AI 5018 and 3041; one-api's token that may
		// not use the model (该令牌无权使用模型).
		"not allowed to access this model", "无权使用模型",
		// A model outside the key's or the plan's reach, in the words of
		// UCloud, Venice, a relay's free plan and new-api's Korean and
		// Russian translations.
		"no permission to use the model", "model is only available to", "account is limited to use",
		// A gateway relaying the refusal inside a 500: "400 Unable to
		// access model gpt-4o-mini."
		"unable to access model",
		// A gateway key restricted to other models ("model is not
		// allowed").
		"model is not allowed", "model not allowed",
		// A model behind a higher plan ("This premium AI model is only
		// available with a Pro subscription", scira's 402, round 35).
		"model is only available with",
		// The same in Chinese: "该模型仅限黄金会员使用" (a model only for
		// gold members, BuildingAI's stream error, round 36).
		"模型仅限", "模型僅限",
		// The same with the model named, or said first ("model access
		// denied: model 'gpt-4o' not allowed for this API key", prism's
		// 403, round 34). Not "model access is denied": Bedrock says it of
		// a Marketplace subscription without a payment instrument.
		"model '*' not allowed", "model \"*\" not allowed",
		"model '*' is not allowed", "model \"*\" is not allowed", "model access denied",
		"모델에 접근할 권한", "доступа к модели",
		// English synonyms; aihubmix: a key "not authorized to access the
		// requested model"; its Chinese "对于模型无使用权限".
		"not authorized to use this model", "not allowed to use this model", "not permitted to use this model",
		// The model named after it: "This account is not allowed to use
		// model gpt-4o", which the account's own block would otherwise
		// take for the whole account.
		"allowed to use model", "permitted to use model", "authorized to use model",
		"to access the requested model", "无权使用该模型", "无权访问该模型", "无权访问模型", "模型无使用权限",
		"無權使用模型", "無權使用該模型",
		// Japanese, Korean and Russian: no right to access or use the
		// model.
		"モデルへのアクセス権", "モデルにアクセスする権限", "モデルを使用する権限", "모델을 사용할 권한",
		"모델에 대한 접근 권한", "모델에 대한 액세스 권한", "рав на использование модели",
	}
	// perRequestCapPhrases: a cap on one request worded with the rate
	// limit's "request limit" ("Input exceeds the per-request limit of 100
	// images"). per_request_cap_message reads them before the rate-limit
	// phrases on their statuses, request_size_cap_message on the others.
	perRequestCapPhrases = []string{"per-request limit", "per request limit", "limit per request"}
	// keySpendPhrases: a spend cap on one key, not on the account: another
	// key of the account still works (Venice's "API key DIEM spend limit
	// exceeded", LLM Gateway's "API key reached its usage limit").
	keySpendPhrases = []string{
		"key*spend limit", "key*spending limit", "key reached its usage limit", "key has reached its usage limit",
		// OpenRouter's credit limit of one key ("Key limit exceeded
		// (total limit)", on a 403).
		"key limit exceeded",
		// A relay's token (令牌, its name for a key) short of its own
		// quota: "令牌额度不足" (one-api-java 305, round 35).
		"令牌额度",
		// "This API key has exhausted its budget" (anyllm-proxy, round 36).
		"key has exhausted its",
	}
	// billingPhrases: billing and balance, usage caps of a plan or a
	// billing cycle, budgets, arrears: waiting does not lift them. Both
	// word orders ("insufficient balance", "balance is insufficient").
	billingPhrases = []string{
		"exceeded your current quota", "check your plan and billing", "credit balance", "insufficient credit",
		"insufficient*balance", "balance*insufficient", "balance not enough", "balance is not enough",
		// A balance under zero ("Your available balance is below zero",
		// "negative balance"): arrears by another name.
		"balance is below zero", "balance below zero", "negative balance", "balance is negative",
		"insufficient funds", "out of credits", "billing hard limit", "billing details",
		"not enough credits", "credits are required", "payment required", "add more credits", "exceeded your monthly", "spending limit",
		// AWS Marketplace's subscription behind a Bedrock model: "Model
		// access is denied due to INVALID_PAYMENT_INSTRUMENT:A valid
		// payment instrument must be provided." (on a 403, round 22).
		"payment instrument",
		"billing is not active", "add a payment method", "free allocated quota", "free quota has been exhausted",
		// A free allowance spent: "You've used all your free tokens"
		// (SurfSense on a 429, round 35).
		"used all your free", "used all of your free", "used up your free",
		"overdue balance", "overdue payment", "in arrears", "top up", "please recharge",
		"usage limit", "extra usage", "monthly limit", "weekly limit", "credits expired",
		// A rate limit over a billing period ("Monthly rate limit
		// exceeded", R2R): a quota until the period ends.
		"monthly rate limit", "weekly rate limit", "daily rate limit",
		"quota is not enough", "quota not enough", "usage quota exceeded",
		// Spending caps of a key, a plan or a billing period: "Weekly cost
		// limit exceeded", "Total spending limit exceeded", a cap on cost
		// in Chinese (费用限制, 消费超限, 额度超限), Japanese (コスト制限)
		// and Russian (лимит расходов).
		"cost limit", "费用限制", "消费超限", "额度超限", "コスト制限", "лимит расходов",
		// LiteLLM's budgets; Cloudflare Workers AI's daily neuron
		// allocation (3036); Qianfan's and Bedrock's daily gates.
		"budget has been exceeded", "exceeded budget", "crossed budget", "over budget", "daily free allocation",
		// A budget too small for the request, in both word orders
		// ("Insufficient budget.", Albert API's 400, round 28).
		"insufficient budget", "budget is insufficient", "not enough budget",
		"daily request limit", "tokens per day, please wait", "daily limit", "daily quota", "limit for the day",
		// A cap by the month ("Maximum Request reached for this month.",
		// Amazon Q Developer's ThrottlingException on a 400).
		"for this month",
		// Google Cloud's project without billing ("requires billing to be
		// enabled", "has billing disabled", on a PERMISSION_DENIED 403);
		// Korean daily request limits (일일 요청 한도).
		"billing to be enabled", "billing disabled", "enable billing", "일일 요청 한도", "일일 한도",
		// Chinese (Zhipu 1113, 1308-1310, DashScope, one-api, new-api):
		// balance too low, no resource package, recharge, arrears, usage
		// cap, quota short or used up, daily call allowance, plan expired.
		"余额不足", "无可用资源包", "请充值", "欠费", "使用上限", "额度不足", "额度已用尽", "今日调用次数", "套餐已到期",
		// A quota that has reached its cap (额度已达上限: "主ak的总额度已达
		// 上限", bella-openapi).
		"额度已达上限",
		// Usage (使用量, 用量) that has reached its cap (上限): "探索版使用量
		// 已达到上限".
		"使用量*上限", "用量*上限",
		// Japanese, Korean and Russian (new-api's translations): quota
		// short, pre-consumption failed or used up, a token's quota
		// exhausted; balance short.
		"クォータ不足", "クォータの事前消費", "使い果たされ", "残高が不足", "残高不足", "tokenstatusexhausted",
		"할당량이 부족", "할당량이 소진", "잔액이 부족", "잔액 부족",
		"вота*исчерпан", "едостаточно квот", "едостаточно средств",
		// English synonyms of the phrases above: a balance too low, run
		// out or negative; credits used up; a credit or spend limit; a
		// subscription, plan or trial that ended; a payment that failed.
		"balance is too low", "balance too low", "balance exhausted", "balance is exhausted",
		"balance has been exhausted", "balance has run out", "negative balance", "balance is negative",
		"not enough balance", "no credits remaining", "no credits left", "no remaining credits", "out of credit",
		"credits exhausted", "credits are exhausted", "credits have been exhausted", "credit has been exhausted",
		"purchase more credits", "buy more credits", "credit limit", "spend limit", "insufficient quota",
		"exhausted your credit", "payment overdue",
		"payment is overdue", "payment failed", "card was declined", "subscription has expired",
		"subscription expired", "no active subscription", "plan has expired", "trial has expired", "trial expired",
		// Traditional Chinese (aihubmix's zh-Hant error table: 使用者餘額不足,
		// 需要充值) and more Simplified forms (new-api's zh-CN table): balance
		// or allowance used up, go and recharge, plan or subscription
		// expired.
		"餘額不足", "額度不足", "請充值", "欠費", "額度已用盡", "余额已用尽", "余额已用完", "余额耗尽", "额度已用完",
		"额度耗尽", "前往充值", "套餐已过期", "订阅已过期", "订阅已到期",
		// Japanese: credits short or used up, a balance or credit not
		// enough, a usage cap reached (利用上限, as 使用上限).
		"クレジットが不足", "クレジット不足", "クレジットを使い果た", "残高を使い果た", "クォータを使い果た",
		"残高が足りません", "クレジットが足りません", "クレジット残高", "利用上限",
		// Korean: credits short or used up, a balance used up, payment
		// required, a usage limit (사용 한도).
		"크레딧이 부족", "크레딧 부족", "크레딧이 소진", "잔액이 소진", "결제가 필요", "사용 한도", "사용량 한도",
		// Russian (GigaChat's error descriptions: "пополните баланс" for a
		// model whose tokens ran out): top up the balance, balance spent,
		// funds or credits run out, debt, payment required. The first
		// letter is left off where a sentence may start with the word
		// (the match folds ASCII case only).
		"ополните баланс", "аланс исчерпан", "акончились средства", "акончились кредиты", "едостаточно кредитов",
		"адолженност", "ребуется оплата",
		// Spanish, Portuguese, German and French: balance, credits or
		// funds insufficient; payment required.
		"saldo insuficiente", "créditos insuficientes", "fondos insuficientes", "sin créditos", "sem créditos",
		"guthaben reicht nicht", "unzureichendes guthaben", "nicht genügend guthaben", "zahlung erforderlich",
		"solde insuffisant", "crédits insuffisants", "paiement requis",
		// The other word order and a balance used up ("Guthaben nicht
		// ausreichend", "Guthaben aufgebraucht", "saldo esgotado").
		// "Ihr Guthaben ist leider nicht ausreichend": any words between
		// the balance and its shortfall.
		"guthaben*nicht ausreichend", "guthaben aufgebraucht",
		"saldo agotado", "saldo esgotado", "solde épuisé",
	}
	// quotaPhrases: a quota used up, in words that on a 429 can also
	// mean a per-second or per-minute quota ("200040 Tenant quota
	// exceeded" of NHN's gateway is 10,000 calls a second): they decide
	// on every status but 429, where the status's rate limit stands.
	// "This request exceeds your quota" (ElevenLabs on a 401), "Quota
	// exceeded" (Tyk on a 403), "No quota left" (Higress on a 403).
	quotaPhrases = []string{"exceeds your quota", "no quota left", "quota has been exceeded", "quota exceeded",
		// A key's or plan's quota used up ("token (ci[7]) total quota is
		// exhausted", a period quota likewise).
		"quota is exhausted", "quota exhausted", "quota has been exhausted",
		// A day's allowance reached, on a status other than a 429 (where
		// a rate limit that names a day is a quota by rule
		// rate_limit_period): "Daily chat limit reached" (Morphic,
		// round 35).
		"daily limit", "daily*limit reached", "daily*limit exceeded",
		// "No allowance left today" (Lunary's playground on a 500, round
		// 37).
		"no allowance left",
		// Synonyms, and the standard translations of "quota exceeded" and
		// "quota used up": Chinese (配额, as one-api's and Qianfan's
		// quotas), Japanese, Korean, Russian, Spanish, Portuguese, German
		// and French.
		"quota used up", "quota is used up", "out of quota", "quota depleted",
		"配额已用尽", "配额已用完", "配额不足", "配额超限", "超出配额", "超过配额", "配額不足",
		"クォータを超え", "クォータ超過", "할당량을 초과", "할당량 초과",
		"вота превышена", "ревышена квота", "ревышен лимит квоты",
		"cuota excedida", "cuota agotada", "cota excedida", "cota esgotada", "kontingent überschritten",
		"kontingent erschöpft", "quota dépassé", "quota épuisé",
	}
	// contextPhrases: a context window overflow.
	contextPhrases = []string{
		"maximum context length", "context length", "context_length", "context window", "context size",
		"prompt is too long", "input is too long", "too many input tokens",
		"maximum sequence length", "max_sequence_length", "exceeds the maximum number of tokens",
		"input token count*exceeds", "`inputs` tokens + `max_new_tokens` must be",
		"reduce the length of the messages", "tokens in the prompt cannot exceed",
		"exceeds the context", "exceed context", "maximum prompt length", "prompt is too large",
		"input too long", "prompt tokens*exceed", "longer than the maximum model length",
		"maximum context", "prompt tokens too long",
		// A server's input limit in tokens: "`inputs` must have less than
		// 512 tokens", "Prompt sequence length is greater than 4096".
		"must have less than*tokens", "sequence length is greater than",
		// A prompt plus the tokens to generate over the server's total
		// ("token len 9000 + max_new_tokens 1024 > 8192").
		"+ max_new_tokens",
		// DashScope: "Range of input length should be [1, 983616]".
		"range of input length",
		// Zhipu 1261: prompt too long; context length.
		"prompt 超长", "上下文长度",
		// English synonyms: a context limit, a prompt or input over the
		// model's maximum input, too many tokens in the prompt.
		"context limit", "prompt too long", "maximum input length", "maximum input tokens", "max input tokens",
		"model's maximum input", "input length exceeds", "input exceeds the maximum",
		"too many tokens in the prompt", "too many tokens in prompt", "too many tokens in the input",
		"reduce the length of the prompt", "shorten your prompt",
		// Chinese (Simplified and Traditional): context window, over the
		// context, input or prompt too long, maximum context.
		"上下文窗口", "超出上下文", "超过上下文", "输入长度超过", "输入过长", "输入内容过长", "提示词过长", "最大上下文",
		"上下文長度", "上下文視窗", "輸入過長",
		// Japanese and Korean: context length or window, maximum context,
		// input or prompt too long.
		"コンテキスト長", "コンテキストの長さ", "コンテキストウィンドウ", "最大コンテキスト", "入力が長すぎ",
		"プロンプトが長すぎ", "컨텍스트 길이", "컨텍스트 창", "컨텍스트 윈도우", "최대 컨텍스트", "입력이 너무 깁",
		"입력이 너무 길", "프롬프트가 너무 깁", "프롬프트가 너무 길",
		// Russian (GigaChat's error descriptions: a prompt's tokens over
		// "размера окна контекста"), Spanish, Portuguese, German, French.
		"лина контекста", "длину контекста", "длины контекста", "окна контекста", "окно контекста",
		"онтекстного окна", "онтекстное окно", "ромпт слишком длин",
		"longitud de contexto", "longitud del contexto", "ventana de contexto", "comprimento do contexto",
		"janela de contexto", "kontextlänge", "kontextfenster", "longueur de contexte", "longueur du contexte",
		"fenêtre de contexte",
		// A finish or stop reason quoted in a relay's message
		// ("finish_reason=model_context_window_exceeded"): last, as the
		// rarest.
		"context_window_exceeded",
	}
	// modelNotFoundPhrases: a model or route that does not exist: a retry
	// of the same model fails the same way, whatever the status (a
	// gateway's routing miss comes on a 502).
	modelNotFoundPhrases = []string{
		"model_not_found", "model not found", "model*does not exist", "unknown model",
		"no such model", "invalid model", "model identifier is invalid",
		"deployment for this resource does not exist", "deployment*not found", "try pulling it first",
		"is not a valid model", "model is not served", "has been decommissioned", "model*no longer supported",
		"model not exist", "not supported by any provider", "unknown provider for model",
		// The same with a word between ("not supported by any configured
		// provider"), and a deployment that does not exist said first ("No
		// deployment found for model ..."), unlike LiteLLM's "No deployments
		// available for selected model", a cooldown.
		"not supported by any*provider", "no deployment found", "no deployments found",
		// The same routing miss in other words: "No provider found for
		// model ..." (not "No available providers at the moment", a
		// cooldown).
		"provider found for model", "providers found for model", "provider not found for model",
		"no available channel for model",
		// A router with no upstream that serves the model, or serves it
		// with the features asked for: "No endpoints found for
		// deepseek/deepseek-chat-v3.1:free.", "No endpoints found that
		// support tool use." (OpenRouter on a 404): another model.
		"no endpoints found",
		// A named model that a server does not have: "Model 'llama3.2:3b'
		// not found", also inside a 200 stream.
		"model '*' not found", "model \"*\" not found",
		// FastChat 40301: "Only vicuna-7b allowed now, your model gpt-4".
		"allowed now, your model",
		// Zhipu 1211: "model does not exist, check the model code";
		// one-api, new-api: no channel for the model in the group.
		"模型不存在", "无可用渠道",
		// English synonyms: a model not found, unrecognised, retired or
		// removed.
		"model was not found", "model could not be found", "could not find model", "couldn't find model",
		"unrecognized model", "model not recognized", "unsupported model", "model has been retired",
		"model has been removed", "model has been deprecated",
		// A model an operator switched off ("model \"gpt-4o\" is
		// disabled", wyolet-relay's 403 under code model_disabled, round
		// 35): another model serves.
		"model '*' is disabled", "model \"*\" is disabled", "model is disabled", "model has been disabled",
		// Chinese (Simplified and Traditional): model not found, invalid
		// or unsupported, taken offline.
		"模型未找到", "未找到模型", "模型无效", "找不到模型", "无效的模型", "不支持的模型", "不支持该模型", "模型已下线", "模型已下架",
		"無效的模型", "不支援的模型", "模型已下線",
		// Japanese and Korean: model not found, does not exist, unknown or
		// invalid.
		"モデルが見つかりません", "モデルが存在しません", "存在しないモデル", "無効なモデル", "不明なモデル",
		"모델을 찾을 수 없", "모델이 존재하지 않", "존재하지 않는 모델", "알 수 없는 모델", "유효하지 않은 모델",
		// Russian, Spanish, Portuguese, German, French.
		"одель не найдена", "одель не существует", "еизвестная модель", "едопустимая модель",
		"modelo no encontrado", "modelo no existe", "modelo não encontrado", "modelo não existe",
		"modell nicht gefunden", "modell existiert nicht", "unbekanntes modell", "modèle introuvable",
		"modèle non trouvé", "modèle inconnu", "modèle n'existe pas",
		// The same with words between, as "model*does not exist" in
		// English: "Le modèle demandé n'existe pas", "El modelo
		// solicitado no existe".
		"modèle*n'existe pas", "modèle*n’existe pas", "modelo*no existe", "modelo*não existe",
		"modell*existiert nicht", "modell*nicht gefunden",
	}
	// filterPhrases: a content policy, safety or moderation refusal.
	filterPhrases = []string{
		"content management policy", "content polic", "safety system", "usage policies", "usage policy",
		"content filter", "flagged as potentially", "responsible ai", "safety filter", "blocked by the safety",
		"violates our", "inappropriate content", "violates usage guidelines", "considered high risk",
		// Moderation said of the request, not alone: "moderation" alone
		// is also in a model's name ("omni-moderation-latest" in a list of
		// allowed models, sofatutor's llm-proxy, round 36).
		"by moderation", "moderation failed", "moderation_failed", "moderationfailed", "failed moderation",
		"moderation policy", "content moderation", "moderation filter", "moderation system", "moderation check",
		"moderation_blocked",
		// DeepSeek's "Content Exists Risk"; sensitive input or output
		// (UCloud, Volcengine Ark, MiniMax 1026/1027 "input new_sensitive").
		"content exists risk", "sensitive content", "sensitive chat", "new_sensitive", "content security",
		// A prompt a gateway's policy blocked; a model's refusal relayed as
		// the error ("I'm sorry, but I can't assist with that.").
		"blocked by policy", "can't assist with", "cannot assist with", "can’t assist with",
		// A gateway's or relay's prompt guard: "content contains sensitive
		// information", "input contains sensitive words", "Request
		// contains prohibited content", "PII detected in request".
		"sensitive information", "sensitive words", "prohibited content", "pii detected", "敏感信息", "敏感词",
		// Zhipu 1301: unsafe or sensitive content.
		"敏感内容",
		// English synonyms: unsafe, harmful, disallowed or explicit
		// content; a guardrail that blocked or intervened (Bedrock's
		// "guardrail intervened", Portkey's guardrail checks); safety
		// guidelines or policy.
		"unsafe content", "harmful content", "potentially harmful", "disallowed content", "explicit content",
		"nsfw", "content was blocked", "content blocked", "guardrail intervened", "guardrail*block",
		"blocked by*guardrail", "guardrail violation", "safety guidelines", "safety policy", "due to safety",
		// Chinese (Simplified and Traditional): violating, non-compliant,
		// inappropriate or unsafe content; content moderation (DashScope's
		// 不当内容).
		"违规内容", "内容违规", "不合规内容", "内容不合规", "不当内容", "不安全内容", "不安全的内容", "内容审核",
		"敏感內容", "違規內容", "內容違規", "不當內容", "內容審核", "敏感詞",
		// Vietnamese: a sensitive word or sensitive or inappropriate
		// content ("Phát hiện từ nhạy cảm — đã từ chối yêu cầu này", a
		// relay's prompt guard on a 400, round 29).
		"từ nhạy cảm", "nội dung nhạy cảm", "nội dung không phù hợp",
		// Japanese and Korean: inappropriate, harmful or sensitive
		// content; a content policy or filter; a safety filter.
		"不適切なコンテンツ", "不適切な内容", "有害なコンテンツ", "センシティブな内容", "コンテンツポリシー",
		"コンテンツフィルター", "セーフティフィルター", "安全性フィルター",
		"부적절한 콘텐츠", "부적절한 내용", "유해한 콘텐츠", "민감한 콘텐츠", "민감한 내용", "콘텐츠 정책",
		"콘텐츠 필터", "안전 필터",
		// Russian, Spanish, Portuguese, German, French: inadmissible,
		// inappropriate or forbidden content; a content or usage policy.
		"едопустимый контент", "еприемлемый контент", "апрещённый контент", "апрещенный контент",
		"политики использования", "политику использования", "контентной политики",
		"contenido inapropiado", "política de contenido", "conteúdo impróprio", "conteúdo inapropriado",
		"política de conteúdo", "unangemessene inhalte", "inhaltsrichtlinie", "contenu inapproprié",
		"politique de contenu",
	}
	// overloadPhrases: a server or model too busy, or not ready, to serve:
	// another try later may pass.
	overloadPhrases = []string{
		"overloaded", "at capacity", "over capacity", "high demand", "no capacity available",
		"currently loading", "is loading", "temporarily unavailable", "service unavailable", "not ready",
		// Cloudflare Workers AI 3040: no data centre has capacity.
		"capacity temporarily exceeded", "out of capacity",
		// "Model busy, retry later" (DeepInfra, relayed by a gateway on
		// a 429).
		"model busy", "model is busy",
		// Zhipu 1312: this model has too much traffic.
		"访问量过大",
		// English synonyms: a server, service or system that is busy, a
		// high or heavy load, a full queue, not enough capacity.
		"server is busy", "service is busy", "system is busy", "servers are busy", "too busy", "currently busy",
		"high traffic", "heavy traffic", "heavy load", "high load", "queue is full", "queue full", "insufficient capacity",
		// Chinese (Simplified and Traditional): service, server or system
		// busy; load too high; overload; compute short; queue full. (A
		// relay's saturated upstream, 上游负载已饱和, stays a rate limit on
		// its 429, as the one-api and new-api fixtures have it.)
		"服务繁忙", "服务器繁忙", "系统繁忙", "模型繁忙", "负载过高", "负载较高", "負載較高", "过载", "算力不足", "队列已满",
		"服務繁忙", "伺服器繁忙", "系統繁忙", "負載過高", "過載",
		// Japanese and Korean: congested, overloaded, high load, server
		// busy, temporarily unavailable.
		"サーバーが混雑", "混雑して", "過負荷", "高負荷", "一時的に利用できません",
		"과부하", "서버가 바쁩", "일시적으로 사용할 수 없",
		// Russian, Spanish, Portuguese, German, French: overloaded,
		// temporarily unavailable, high load, server busy.
		"ерегружен", "ременно недоступ", "ысокая нагрузка", "ервер занят",
		"sobrecargado", "temporalmente no disponible", "sobrecarregado", "temporariamente indisponível",
		"überlastet", "vorübergehend nicht verfügbar", "surchargé", "temporairement indisponible",
	}
	// upstreamPhrases: a gateway that cannot reach any upstream, or a
	// server too busy to queue anything: the whole endpoint is out, not
	// one model.
	upstreamPhrases = []string{"no healthy upstream", "upstream connect error", "server busy",
		// A proxy that cannot connect to its backend ("dial tcp ...:
		// connect: connection refused", Railway's "Application failed to
		// respond") or a service closed for maintenance.
		"connection refused", "failed to respond", "under maintenance",
	}
	// authPhrases: a key that is wrong, missing or expired, in words that
	// cannot mean anything else.
	authPhrases = []string{
		"invalid api key", "incorrect api key", "api key not valid", "invalid_api_key", "api key is invalid",
		"invalid x-api-key", "missing api key", "no api key", "api key not found", "api key expired",
		"invalid bearer", "missing or invalid api key", "invalid or missing api key",
		"authentication fail", "authentication required", "not authenticated", "unauthenticated",
		"security token included in the request is invalid", "token seems invalid", "invalid credentials",
		"authorization failed",
		// A key that was deactivated or ran out of its validity.
		"key is inactive", "key has expired", "key is expired",
		// A key switched off, or none of the keys sent valid: another key
		// is the fix, whatever the code ("API key is disabled" with
		// permission_denied).
		"api key is disabled", "api key has been disabled", "no valid api key",
		// A key found in public and blocked ("Your API key was reported
		// as leaked. Please use another API key.", Gemini on a 403 with
		// PERMISSION_DENIED): another key is the fix.
		"as leaked", "another api key",
		// English synonyms: a key that is not valid, missing, required,
		// disabled or revoked; a token or access token expired or invalid
		// (Zhipu 1002-1004); a missing or invalid authorization header; an
		// invalid signature.
		"api key is not valid", "invalid api-key", "invalid apikey", "api key is missing", "api key missing",
		"api key is required", "api key required", "wrong api key", "api key is disabled",
		"api key has been disabled", "api key disabled", "api key revoked", "api key has been revoked",
		"key has been revoked", "token expired", "token has expired", "token is expired", "invalid access token",
		"access token is invalid", "invalid authentication", "missing authorization header",
		"authorization header is missing", "invalid authorization header", "signature does not match",
		"invalid signature", "api key is incorrect", "bad api key", "api key not provided", "api key was not provided",
		// Chinese (Simplified and Traditional): key or token invalid or
		// expired (new-api's 令牌), authentication failed.
		"api key 无效", "api key无效", "apikey无效", "密钥无效", "无效的密钥", "令牌无效", "无效的令牌", "令牌已过期",
		// A relay's token switched off ("令牌被禁用", one-api-java 302 inside
		// a 200, round 35).
		"令牌被禁用", "令牌已禁用", "令牌已被禁用",
		"密钥已过期", "鉴权失败", "身份验证失败", "身份认证失败", "無效的令牌", "令牌已過期", "金鑰無效", "身份驗證失敗",
		// Japanese and Korean (new-api's tables): key invalid, token
		// expired, authentication failed.
		"無効なapiキー", "apiキーが無効", "apiキーが正しくありません", "認証に失敗", "トークンの有効期限が切れ",
		"トークンは有効期限が切れ", "キーの有効期限が切れ",
		"유효하지 않은 api 키", "api 키가 유효하지 않", "잘못된 api 키", "인증에 실패", "인증 실패", "토큰이 만료",
		"토큰은 만료",
		// Russian (Gemini's Russian error table: a key "отсутствует,
		// недействителен или истек"; new-api's "токен истёк"), Spanish,
		// Portuguese, German, French.
		"едействительный ключ api", "едействительный api-ключ", "еверный ключ api", "еверный api-ключ",
		"люч api недействител", "api-ключ недействител", "шибка аутентификации", "окен истёк", "окен истек",
		"рок действия токена", "рок действия ключа",
		"clave de api no válida", "clave api no válida", "clave de api inválida", "clave api inválida",
		"chave de api inválida", "chave api inválida", "ungültiger api-schlüssel", "ungültiger api schlüssel",
		"api-schlüssel ist ungültig", "authentifizierung fehlgeschlagen", "clé api invalide", "clé d'api invalide",
		"clé api non valide", "chec de l'authentification",
	}
)

// builtin is the catalog's rule table. Sources for the codes and phrases are
// the providers' published error documentation and the fixtures in
// classify/testdata/real.
//
// The order follows the strength of the evidence. Combinations of a code
// and a phrase come first (each is as specific as a rule can be); then the
// codes that name a failure exactly (insufficient_quota,
// context_length_exceeded); then the generic codes (permission_error,
// authentication_error, rate_limit_error); then the phrases on their home
// statuses, those on which providers send them, strongest first; then the
// strong phrases on every other status: a balance that is too low is a
// billing failure whether it arrives on a 402, a 403, a 429 or a 500; and
// last the generic types of errors found inside 2xx responses.
//
// A strong phrase has two rules, one for its home statuses and one for the
// rest, rather than one for all statuses placed before the phrases of each
// status: a classification then searches, before the phrase that matches,
// only the phrases that its status has always been searched for, and a
// typical one costs what it did when the phrases were tied to their
// statuses. Both rules answer alike.
var builtin = []Rule{
	// A single request larger than the whole per-minute token budget: no
	// wait helps (OpenAI, Groq: "Request too large for ... on tokens per
	// min (TPM)").
	{Name: "tpm_request_too_large", Statuses: tooLargeStatuses,
		Contains: []string{"request too large for", "exceeds the tokens per min"},
		Category: RequestTooLarge},
	// LiteLLM: a deployment's budget, with the status as the code.
	{Name: "deployment_budget_status_code", Statuses: []int{429}, Category: QuotaExceeded, Scope: ScopeModel,
		Codes: []string{"429"}, Contains: []string{"budget for deployment"}},
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
	// Billing, budget and daily gates that arrive with a rate-limit code,
	// or the status as the code: waiting minutes does not help
	// (Anthropic's "Extra usage is required" as a rate_limit_error,
	// Bedrock's ThrottlingException "Too many tokens per day", Qianfan's
	// error_code 17 "Open api daily request limit reached" in a 200 body,
	// LiteLLM's budgets with the code "429", a gateway's weekly cost limit
	// as a rate_limit_error): the billing phrases say more than the code.
	// The codes keep the message search off every other 429. After the
	// model budget, which says "exceeded budget" of one model.
	{Name: "billing_gate_message", Category: QuotaExceeded,
		Codes:    []string{"rate_limit_error", "ThrottlingException", "17", "429"},
		Contains: slices.Concat([]string{"extra usage is required"}, billingPhrases)},
	// A 402 is Payment Required: a rate-limit code on it (a gateway's
	// spending cap sent as a rate_limit_error on purpose, so that clients
	// do not retry) does not make it a pace to wait out.
	{Name: "billing_status_rate_code", Statuses: []int{402}, Category: QuotaExceeded,
		Codes: slices.Concat(rateLimitCodes, overloadCodes)},
	// A billing phrase under an overload code or type, on a status that
	// billing uses ("Insufficient balance: 0 ₽" as an Anthropic-style
	// overloaded_error, Aineron's 402, round 36): the text and the status
	// say more than the code, and a retry only repeats it, whatever the
	// status but a 529: Anthropic's overloaded status, whose answers
	// ("Overloaded") are the most frequent overload of all, would each pay
	// for the search (some 7,000 instructions).
	{Name: "billing_overload_code", Statuses: statusesExcept(529), Category: QuotaExceeded, Codes: overloadCodes,
		Contains: billingPhrases},
	{Name: "quota_code", Category: QuotaExceeded, Codes: []string{
		"insufficient_quota", "billing_not_active", "billing_hard_limit_reached", "insufficient_credits",
		"insufficient_balance", "billing_error", "payment_required", "credit_limit_exceeded",
		// DashScope: overdue account (on a 400), free tier used up (on a
		// 403); Moonshot: balance or quota spent (on a 403 or a 429).
		"Arrearage", "AllocationQuota.FreeTierOnly", "exceeded_current_quota_error",
		// LiteLLM proxy budgets (on 400 and 429); one-api and new-api
		// user and token quotas (on 403).
		"budget_exceeded", "insufficient_user_quota", "pre_consume_token_quota_failed",
		// Arrears and balance codes: an ...OverdueError (Volcengine Ark's
		// AccountOverdueError), MiniMax's and ModelScope's
		// insufficient_balance_error, Jina's InsufficientBalanceError.
		"OverdueError", "AccountOverdueError", "insufficient_balance_error", "InsufficientBalanceError",
		// A plan's or a key's quota used up (GitHub Copilot's 402,
		// ElevenLabs' detail.status on a 401).
		"quota_exceeded",
	}},
	{Name: "context_length_code", Category: ContextLengthExceeded, Codes: []string{
		"context_length_exceeded", "context_window_exceeded", "exceed_context_size_error",
		"max_tokens_exceeded", "prompt_too_long", "tokens_limit_exceeded", "token_limit_exceeded", "tokens_too_long",
	}},
	{Name: "content_filter_code", Category: ContentFiltered, Codes: []string{
		"content_filter", "content_policy_violation", "ResponsibleAIPolicyViolation", "content_filtered",
		"safety", "prohibited_content", "blocklist", "spii", "image_safety", "refusal", "moderation_blocked",
		"unsafe_content", "invalid_prompt", "recitation",
		// DashScope's input and output inspection.
		"data_inspection_failed", "DataInspectionFailed",
		// Portkey: the config's guardrail checks denied the request (446).
		"hooks_failed",
		// Any in-band safety block the parser found (parse.TypeSafetyBlock),
		// whatever its reason's value (Zhipu's finish_reason "sensitive").
		"safety_block",
		// Volcengine Ark's content security detection of input and output.
		"InputTextRiskDetection", "InputImageRiskDetection", "OutputTextRiskDetection", "OutputImageRiskDetection",
	}},
	// A 403 under a missing model's code whose text says the model is
	// there and out of reach ("Project `proj_...` does not have access to
	// model `gpt-4o-mini`", OpenAI's model_not_found on a 403): the
	// status and the words agree against the code.
	{Name: "model_permission_403_code", Statuses: []int{403}, Category: PermissionDenied, Action: ActionFallback,
		Scope: ScopeModel, Codes: modelNotFoundCodes, Contains: modelPermissionPhrases},
	{Name: "model_not_found_code", Category: ModelNotFound, Codes: modelNotFoundCodes},
	{Name: "request_too_large_code", Category: RequestTooLarge, Codes: []string{
		"request_too_large", "payload_too_large", "RequestEntityTooLarge", "request_entity_too_large",
		// OpenAI: one string of the request is over its maximum length;
		// GitHub Models: the request is over the model's per-request cap.
		"string_above_max_length", "tokens_limit_reached",
	}},
	// CLOVA Studio 40005: a request whose output its policy withholds.
	{Name: "withheld_output_code", Category: ContentFiltered, Codes: []string{"40005"},
		Contains: []string{"unavailable output"}},

	// Generic codes.
	// A key's spend cap that a gateway sends with an authentication code
	// (LLM Gateway: invalid_api_key, "API key reached its usage limit"):
	// another key of the account still works.
	{Name: "key_spend_limit_code", Category: QuotaExceeded, Scope: ScopeKey,
		Codes:    []string{"invalid_api_key", "authentication_error", "unauthorized", "401"},
		Contains: keySpendPhrases},
	// A billing phrase with an authentication, permission or account
	// block code or type (Volcengine Ark's "overdue balance" of type
	// Forbidden, LLM Gateway's "usage limit" with invalid_api_key, Kimi's
	// "You've reached your weekly (7-day) usage limit ... purchase extra
	// usage" as an access_terminated_error): the phrase says more than the
	// code. The same code without such a phrase is still a block.
	{Name: "billing_generic_code", Category: QuotaExceeded, Contains: billingPhrases, Codes: slices.Concat([]string{
		"permission_error", "PERMISSION_DENIED", "AccessDeniedException", "insufficient_permissions", "forbidden",
		"access_denied", "authentication_error", "invalid_api_key", "unauthorized", "401", "403",
	}, accountBlockedCodes)},
	{Name: "authentication_code", Category: Authentication, Codes: []string{
		"invalid_api_key", "API_KEY_INVALID", "authentication_error", "invalid_authentication", "UNAUTHENTICATED",
		"UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "IncompleteSignature",
		"MissingAuthenticationTokenException", "expired_api_key", "invalid_key", "unauthorized", "no_api_key",
		"authentication_failed", "401", "AuthenticationError", "authorized_error",
	}},
	// Permission refusals that say how far they reach come before the
	// generic permission codes: a region block or a closed account covers
	// every key of the account (stop); a model the account may not use
	// leaves the other models to fall back to.
	{Name: "account_blocked_code", Category: PermissionDenied, Scope: ScopeAccount, Codes: accountBlockedCodes},
	{Name: "model_permission_code", Category: PermissionDenied, Action: ActionFallback, Scope: ScopeModel, Codes: []string{
		"model_access_denied",
		// prism's model_not_allowed under a permission_error (round 34).
		"model_not_allowed", "model_not_permitted",
	}},
	// A permission code whose message names a clearer failure: a key that
	// is switched off (fix the credential), a prompt a policy blocked (fix
	// the request). The phrase says more than the code.
	{Name: "auth_phrase_permission_code", Category: Authentication, Codes: permissionCodes, Contains: authPhrases},
	{Name: "filter_phrase_permission_code", Category: ContentFiltered, Codes: permissionCodes,
		Contains: filterPhrases},
	{Name: "account_blocked_permission", Category: PermissionDenied, Scope: ScopeAccount,
		Codes: permissionCodes, Contains: accountBlockedPhrases},
	{Name: "model_permission", Category: PermissionDenied, Action: ActionFallback, Scope: ScopeModel,
		Codes: permissionCodes, Contains: modelPermissionPhrases},
	{Name: "permission_code", Category: PermissionDenied, Codes: permissionCodes},
	// An endpoint the server or gateway does not implement (501).
	{Name: "not_implemented_code", Statuses: []int{501}, Category: NotFound, Codes: []string{
		"api_not_implemented", "not_implemented",
	}},
	{Name: "rate_limit_code", Category: RateLimited, Codes: rateLimitCodes},
	// A gateway relaying its backend's connection failure as a plain body
	// (Envoy AI Gateway's AWSBedrockBackendError, OpenAIBackendError): the
	// endpoint is out, not one model.
	{Name: "backend_unreachable_code", Category: Unavailable, Scope: ScopeProvider,
		Codes:    []string{"AWSBedrockBackendError", "OpenAIBackendError"},
		Contains: []string{"upstream connect error", "no healthy upstream"}},
	{Name: "overloaded_code", Category: Unavailable, Codes: overloadCodes},
	// Google's prepaid credits spent ("Your prepayment credits are
	// depleted", Gemini on a 429 with RESOURCE_EXHAUSTED): the billing
	// failure that a retry only repeats. One word whose rarest letter
	// ('y') the other RESOURCE_EXHAUSTED messages seldom hold, so that
	// they pay one short search.
	{Name: "resource_exhausted_credits", Category: QuotaExceeded, Codes: []string{"RESOURCE_EXHAUSTED"},
		Contains: []string{"prepayment"}},
	// Google's RESOURCE_EXHAUSTED comes before the quota phrases: its
	// message says "quota" for what is a per-minute limit with a RetryInfo.
	// After the overload codes: a reason that names missing capacity says
	// more than the status.
	{Name: "resource_exhausted_code", Category: RateLimited, Codes: []string{
		"RESOURCE_EXHAUSTED",
	}},
	// Google's CANCELLED (gRPC 1, HTTP 499, "The operation was
	// cancelled"), which a failed stream reports as its last object: the
	// request was cancelled, by its caller as Google documents it, and a
	// caller that did not cancel it sees a server's choice to stop.
	{Name: "canceled_code", Category: Canceled, Codes: []string{"CANCELLED", "499"}},
	{Name: "timeout_code", Category: Timeout, Codes: []string{
		"ModelTimeoutException", "timeout_error", "DEADLINE_EXCEEDED", "timeout", "request_timeout",
		"gateway_timeout", "408", "504", "gateway_timeout_error",
		// Cloudflare's error_name for 522 and 524.
		"connection_timeout", "origin_response_timeout",
	}},

	// Phrases on their home statuses, strongest first.
	{Name: "context_length_message", Statuses: contextStatuses, Category: ContextLengthExceeded,
		Contains: contextPhrases},
	{Name: "key_spend_limit_message", Statuses: billingStatuses, Category: QuotaExceeded, Scope: ScopeKey,
		Contains: keySpendPhrases},
	{Name: "credit_balance_message", Statuses: billingStatuses, Category: QuotaExceeded, Contains: billingPhrases},
	{Name: "model_not_found_message", Statuses: modelStatuses, Category: ModelNotFound,
		Contains: modelNotFoundPhrases},
	// Model phrases that only a 400, 404 or 422 can be trusted with.
	{Name: "model_message_statuses", Statuses: modelStatuses, Category: ModelNotFound, Contains: []string{
		"model*not found", "model*is not supported", "model*not available", "version does not exist",
		"model not supported",
	}},
	// A model the key or team may not use, sent on a 404 ("Model not
	// allowed for your team"): before the 404's model rule, which would
	// read any model as missing.
	{Name: "model_permission_404", Statuses: modelMsgStatuses, Category: PermissionDenied, Action: ActionFallback,
		Scope: ScopeModel, Contains: modelPermissionPhrases},
	// A server or model too busy, on a 404 ("The model is currently
	// overloaded with other requests"): before the 404's model rule, which
	// would read any model as missing. Not the words of a model still
	// loading or not ready, which on a 404 may mean one that is not
	// deployed.
	{Name: "overloaded_404", Statuses: modelMsgStatuses, Category: Unavailable, Contains: phrasesExcept(overloadPhrases,
		"currently loading", "is loading", "not ready", "temporarily unavailable", "service unavailable")},
	{Name: "model_message_404", Statuses: modelMsgStatuses, Category: ModelNotFound, Contains: []string{
		"model",
		// A gateway with no provider for the requested name (uni-api:
		// "No available providers at the moment: claude-opus-4-1"); on a
		// 404 it cannot mean a cooldown.
		"no available provider",
		// Nvidia's hosted NIM: a model's function removed from the catalog.
		"not found for account",
	}},
	{Name: "content_filter_message", Statuses: filterStatuses, Category: ContentFiltered, Contains: filterPhrases},
	// A cap on one request, worded with the rate limit's "request limit"
	// ("Input exceeds the per-request limit of 100 images"): a size cap,
	// before the rate-limit phrases on their statuses.
	{Name: "per_request_cap_message", Statuses: rateStatuses, Category: RequestTooLarge, Contains: perRequestCapPhrases},
	// A limit on the key itself (Cohere's trial keys): another key helps.
	{Name: "key_rate_limit_message", Statuses: []int{429}, Category: RateLimited, Scope: ScopeKey,
		Contains: []string{"trial key"}},
	{Name: "rate_limit_message", Statuses: rateStatuses, Category: RateLimited, Contains: []string{
		"rate limit", "rate-limit", "ratelimit", "rate_limit", "too many requests", "being rate limited",
		"requests per min", "tokens per min", "throttl", "request limit", "per minute", "per hour", "per day",
		// English synonyms: a request rate or frequency too high, slow
		// down, a concurrency limit, per-second limits.
		"rate too high", "rate exceeded", "slow down", "too frequent", "frequency limit", "request frequency",
		"concurrency limit", "concurrent requests", "per second",
		// Chinese (Simplified and Traditional; aihubmix's 请求频率超过限制,
		// Zhipu 1302's 并发数过高): requests too frequent or too many,
		// request or call frequency, rate limiting, concurrency too high.
		"请求过于频繁", "请求频率", "调用频率", "访问频率", "频率超限", "限流", "速率限制", "并发数过高", "并发过高",
		"请求过多", "请求次数过多", "請求過於頻繁", "請求頻率", "請求過多",
		// Japanese and Korean (new-api's tables: リクエスト制限に達しました,
		// 요청 수 제한에 도달했습니다): too many requests, rate limit,
		// request limit reached, frequency too high.
		"リクエストが多すぎ", "レート制限", "リクエスト制限", "頻度が高すぎ", "요청이 너무 많", "요청 수 제한", "속도 제한",
		"요청 한도",
		// Russian (new-api's "лимита запросов"), Spanish, Portuguese,
		// German, French.
		"лишком много запросов", "имит запросов", "имита запросов", "граничение скорости", "астота запросов",
		"астоты запросов", "demasiadas solicitudes", "límite de velocidad", "límite de solicitudes",
		"muitas solicitações", "muitas requisições", "limite de taxa", "limite de requisições",
		"zu viele anfragen", "ratenlimit", "trop de requêtes", "limite de débit", "limite de requêtes",
	}},
	// A request to top up is billing whatever else the message says:
	// GeekAI's "您的算力不足，请充值后再试" names its credits "算力"
	// (compute), which elsewhere is a busy server's word. Before the
	// overload phrases, on their statuses (elsewhere the billing phrases
	// come first anyway).
	{Name: "billing_topup_message", Statuses: overloadStatuses, Category: QuotaExceeded, Contains: []string{
		"请充值", "請充值", "please top up", "please recharge", "top up your balance", "top up your account",
	}},
	// "Bad Gateway" is the status line again: trusted only on the
	// statuses where a gateway's page says it.
	{Name: "endpoint_unavailable_message", Statuses: overloadStatuses, Category: Unavailable, Scope: ScopeProvider,
		Contains: []string{"bad gateway"}},
	{Name: "upstream_unreachable_message", Statuses: overloadStatuses, Category: Unavailable, Scope: ScopeProvider,
		Contains: upstreamPhrases},
	{Name: "overloaded_message", Statuses: overloadStatuses, Category: Unavailable, Contains: overloadPhrases},
	{Name: "timeout_message", Statuses: timeoutStatuses, Category: Timeout, Contains: []string{
		"timed out", "timeout", "deadline exceeded",
		// A time limit said in words: "The selected model did not
		// respond in time." (Onyx's LLM gateway on a 502, round 31),
		// "did not complete in time".
		"respond in time", "responded in time", "complete in time", "completed in time",
		// Chinese (Simplified and Traditional), Japanese, Korean, Russian,
		// Spanish, Portuguese, German, French: the standard words for a
		// request or response that timed out.
		"请求超时", "响应超时", "连接超时", "处理超时", "逾時", "タイムアウト", "시간 초과", "타임아웃",
		"айм-аут", "аймаут", "ремя ожидания", "tiempo de espera agotado", "tempo limite esgotado",
		"zeitüberschreitung", "délai d'attente",
	}},
	{Name: "authentication_message", Statuses: authStatuses, Category: Authentication, Contains: authPhrases},
	// A token that is invalid, in words that a tokenizer's error can also
	// say ("invalid token id"): trusted only on 400, 401 and 403, and
	// inside a 2xx, where no status says more (NHN Cloud's "Invalid
	// token." in a 200).
	{Name: "auth_token_message", Statuses: slices.Concat(authStatuses, inBandStatusesOK), Category: Authentication, Contains: []string{
		"invalid token", "token is invalid", "token is not valid",
		// The same words in Japanese, Korean and Russian (new-api's
		// tables): 無効なトークン, 유효하지 않은 토큰, "Недопустимый токен".
		"無効なトークン", "유효하지 않은 토큰", "едопустимый токен",
	}},
	// Terms of one model not accepted (Cloudflare Workers AI 5016): a
	// person must accept them; other models are not concerned.
	{Name: "model_terms_message", Statuses: []int{403}, Category: PermissionDenied, Action: ActionStop, Scope: ScopeModel,
		Contains: []string{"not agreed to*model terms"}},
	// A model the account or key may not use: another model serves. Before
	// the account blocks: "the account is not allowed to access this model"
	// is about the model.
	{Name: "model_permission_message", Statuses: authStatuses, Category: PermissionDenied, Action: ActionFallback,
		Scope: ScopeModel, Contains: modelPermissionPhrases},
	// Refusals that reach the whole account, the organization or the
	// caller's region, whatever the key.
	{Name: "account_blocked_message", Statuses: authStatuses, Category: PermissionDenied, Scope: ScopeAccount,
		Contains: accountBlockedPhrases},
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
	// A request the server refused as malformed, in the words of JSON
	// Schema validation ("0 is less than the minimum of 1 - 'max_tokens'"):
	// no retry helps, even when a server sends it on a 500 or a 417.
	{Name: "invalid_request_message", Statuses: []int{200, 400, 417, 422, 500, 501}, Category: InvalidRequest,
		Contains: []string{
			"unsupported protocol", "is less than the minimum of", "is greater than the maximum of",
			"is not valid under any of the given schemas", "is a required property",
		}},
	// A conflict with something that already exists ("Name already in
	// use"): the same request conflicts again; another name is the fix.
	{Name: "already_exists_message", Statuses: []int{409}, Category: InvalidRequest, Contains: []string{
		"already exists", "already exist", "already in use", "already taken", "already been taken",
	}},

	// Strong phrases on every other status: they say the same there.
	// A per-request size cap: a smaller request passes ("Requested 9000
	// tokens, max 8000 tokens per request").
	{Name: "request_size_cap_message", Category: RequestTooLarge, Contains: append([]string{
		"tokens per request",
		// GitHub Models: "Request body too large for gpt-4o model. Max
		// size: 8000 tokens"; a relay's free plan: "The number of prompt
		// tokens for free accounts is limited to 4096".
		"request body too large", "max size:*tokens", "prompt tokens for*limited to",
		// A gateway's body size cap on a 400 ("Request is too large"); a
		// server's cap on the items of one batch.
		"request is too large", "maximum allowed batch size",
		// A body over the server's byte cap, on a 400 as on a 413
		// ("Request payload exceeds 10MB limit"). Not a bare "exceeds":
		// "Request exceeds rate limit" is a pace.
		"payload exceeds", "body exceeds", "payload too large", "payload is too large",
	}, perRequestCapPhrases...)},
	{Name: "key_spend_limit_elsewhere", Statuses: statusesExcept(billingStatuses...), Category: QuotaExceeded,
		Scope: ScopeKey, Contains: keySpendPhrases},
	{Name: "credit_balance_elsewhere", Statuses: statusesExcept(billingStatuses...), Category: QuotaExceeded,
		Contains: billingPhrases},
	// Quota words that no status's phrases above claim: after them, so that
	// a classification whose status's own phrases match first does not
	// search these (see quotaPhrases for why not on a 429).
	// A cap on requests in flight is freed as they finish, even when the
	// server calls it a quota ("请求并发数超过配额限制", Tencent Cloud's
	// LimitExceeded.ConcurrencyLimitExceeded inside a 200, round 22;
	// "quota exceeded for types: concurrency", Volcengine): a rate limit.
	// Every published response in the fixtures that names concurrency is
	// a rate limit or an overload. Just before the quota words, so that
	// a status's own phrases still decide first.
	{Name: "concurrency_quota_message", Statuses: statusesExcept(429), Category: RateLimited,
		Contains: []string{"concurren*quota", "quota*concurren", "并发*配额", "配额*并发", "併發*配額", "配額*併發"}},
	{Name: "quota_spent_message", Statuses: statusesExcept(429), Category: QuotaExceeded, Contains: quotaPhrases},
	{Name: "model_not_found_elsewhere", Statuses: statusesExcept(modelStatuses...), Category: ModelNotFound,
		Contains: modelNotFoundPhrases},
	{Name: "model_permission_elsewhere", Statuses: statusesExcept(authStatuses...), Category: PermissionDenied,
		Action: ActionFallback, Scope: ScopeModel, Contains: modelPermissionPhrases},
	{Name: "account_blocked_elsewhere", Statuses: statusesExcept(authStatuses...), Category: PermissionDenied,
		Scope: ScopeAccount, Contains: accountBlockedPhrases},
	// On a 429, "maximum context length reached for this minute" is a
	// rate limit.
	{Name: "context_length_elsewhere", Statuses: statusesExcept(slices.Concat(contextStatuses, []int{429})...),
		Category: ContextLengthExceeded, Contains: contextPhrases},
	{Name: "content_filter_elsewhere", Statuses: statusesExcept(filterStatuses...), Category: ContentFiltered,
		Contains: filterPhrases},
	{Name: "overloaded_elsewhere", Statuses: statusesExcept(overloadStatuses...), Category: Unavailable,
		Contains: overloadPhrases},
	{Name: "authentication_elsewhere", Statuses: statusesExcept(authStatuses...), Category: Authentication,
		Contains: authPhrases},
	{Name: "upstream_unreachable_elsewhere", Statuses: statusesExcept(overloadStatuses...), Category: Unavailable,
		Scope: ScopeProvider, Contains: upstreamPhrases},
	// The server saw its caller go away ("Client disconnected.", Lepton's
	// photon on a 503, round 30; nginx's "client closed request"): a
	// cancellation, whatever the status. Late, so that the responses an
	// earlier rule decides do not search for it.
	{Name: "canceled_message", Category: Canceled, Contains: []string{
		"client disconnected", "client closed request", "client closed the connection", "client has disconnected",
	}},

	// A server's own failure said in generic words, inside a 2xx or by a
	// gateway: after the strong phrases, which say more ("Service internal
	// error: Authentication failed for inference service" is a credential).
	{Name: "internal_error_message", Statuses: []int{200, 502}, Category: ServerError, Contains: []string{
		"internal server error", "internal error",
	}},

	// Generic provider types: only errors found inside 2xx responses need
	// them; for other statuses the status table says as much.
	{Name: "in_band_type", Statuses: inBandStatusesOK, Category: InvalidRequest, Codes: []string{
		"invalid_request_error", "BadRequestError", "ValidationException", "INVALID_ARGUMENT", "validation",
		"invalid_request",
		// Pangea's failed state, named by its error's class.
		"ValidationError",
	}},
	{Name: "in_band_server_error", Statuses: inBandStatusesOK, Category: ServerError, Codes: []string{
		"api_error", "server_error", "InternalServerException", "INTERNAL", "internal_error", "internal_server_error",
		"generation", "ModelErrorException",
	}},
	{Name: "in_band_not_found", Statuses: inBandStatusesOK, Category: NotFound, Codes: []string{
		"not_found_error", "NOT_FOUND", "ResourceNotFoundException", "not_found",
	}},
}
