package classify

// The vocabulary of word evidence (see words.go): per family, the words
// that are its subjects, its predicates, or say it alone, in Latin and
// Cyrillic scripts (wordVocabulary) and in Chinese, Japanese and Korean
// (cjkVocabulary). It is data: a new synonym goes here, with the case it
// comes from in words_test.go.

// wordVocabulary lists, per family and role, the words and pairs of words
// (two words separated by one space) that word evidence reads. Russian
// words are listed by their stem (see stemMin): the scanner also looks up
// the first letters of a Cyrillic word.
var wordVocabulary = []struct {
	fam   wordFamily
	role  uint8
	words []string
}{
	// Money: a balance, credits, a payment or a subscription that is
	// short, spent, overdue or expired.
	{famBilling, roleSubject, []string{
		"balance", "credit", "credits", "funds", "billing", "payment", "payments", "prepaid", "wallet",
		"recharge", "invoice", "invoices", "subscription", "topup", "trial", "free trial",
		// Pay-as-you-go: the limit of a plan billed by use.
		"payg", "you go",
		"баланс", "средст", "оплат", "кредит", "счет", "счёт",
	}},
	{famBilling, rolePredicate, []string{
		"insufficient", "low", "exhausted", "depleted", "negative", "not enough", "expired", "required",
		"run out", "ran out", "out of", "exceeded", "limit", "lack", "lacking", "unpaid", "declined", "spent",
		"used up", "remaining", "canceled", "cancelled", "lapsed", "ended",
		// Arrears and a plan not paid for: "Your account has an
		// outstanding balance. Please settle your invoice.",
		// "Subscription inactive".
		"outstanding", "settle", "inactive",
		// "Your newly created teams doesn't have any credits yet" (xAI
		// on a 403), "you have no credits".
		"doesnt have", "dont have", "have no", "has no",
		// "You do not have enough credits to run this task." (Runway on a
		// 400, round 19).
		"not have",
		"недостат", "исчерпан", "закончил", "просрочен",
	}},
	// "You need an active, paid subscription to use this API" (Datalab).
	// ("A valid key for an active subscription" is Azure's wrong key.)
	{famBilling, roleBoth, []string{"arrears", "overdue", "top up", "please recharge", "paid subscription",
		"purchase credits", "buy credits", "add credits", "задолженност"}},

	// A spending cap or budget reached: of a key when a key is named (see
	// wordEvidence). "Per-request token budget" is a size cap.
	{famBudget, roleVeto, []string{"per request"}},
	{famBudget, roleSubject, []string{"budget", "cost", "max cost", "maximum cost", "cost limit", "spend limit",
		"spending limit", "allowed limit", "max budget", "usage limit", "spend cap", "бюджет"}},
	{famBudget, rolePredicate, []string{"reached", "exceeded", "exceeds", "exhausted", "hit", "used up", "spent",
		"достигнут", "превышен", "исчерпан"}},

	// A quota or allowance used up: not on a 429 unless it names a day,
	// a week or a month (see wordFamilyFits).
	// The caller's plan named with a limit it reached ("The document
	// limit for your current plan has been exceeded").
	{famQuota, roleSubject, []string{"quota", "quotas", "allowance", "usage", "free tier", "entitlement",
		"your plan", "current plan", "account tier", "your tier", "current tier", "квот"}},
	{famQuota, roleBoth | rolePeriod, []string{"daily limit", "daily quota", "daily cap", "monthly quota"}},
	{famQuota, rolePredicate, []string{
		"exceeded", "exceed", "exceeds", "exhausted", "reached", "depleted", "insufficient", "used up",
		"spent", "consumed", "run out", "ran out", "limit", "not enough",
		// "Out of call volume quota. Quota will be replenished in 2 days."
		"replenished",
		"исчерпан", "превышен", "достигнут", "израсходован",
	}},
	// A quota short or spent ("quota ... is not enough", "the free quota
	// has been used up") is the account's allowance, not a pace, on a 429
	// too; an exceeded one may be per minute.
	{famQuota, roleShort, []string{"insufficient", "not enough", "used up", "run out", "ran out", "depleted",
		"free quota", "free tier", "free usage", "free plan", "free credits", "free trial", "free allowance",
		"entitlement"}},
	// A refill days away ("replenished in 2 days") is a period too.
	{famQuota, rolePeriod, []string{"daily", "monthly", "weekly", "yearly", "annual", "today", "per day", "days",
		"weeks", "months",
		"per month", "per week", "this month", "this week", "billing cycle", "billing period",
		// A plan's cycle: "Usage cap for the current cycle reached ...
		// wait until the cycle resets".
		"current cycle", "this cycle", "next cycle", "cycle resets",
		"суточн", "дневн", "месячн", "ежемесячн"}},

	// A safety or moderation refusal.
	{famFilter, roleBoth, []string{
		"moderated", "nsfw", "unsafe", "harmful", "inappropriate", "guardrail", "guardrails",
		"censored", "offensive", "profanity", "jailbreak", "toxic", "toxicity", "content policy",
		"content policies", "safety system", "usage policy", "usage policies", "safety policy",
		"safety policies", "acceptable use", "cant assist", "cannot assist", "safety check", "safety checks",
		"security policy", "violated policies",
		// A guard that caught an injection ("prompt injection detected",
		// Prediction Guard's check on a 400, round 21).
		"prompt injection", "injection detected",
		// A word list's hit: "Your message contains a forbidden word"
		// (Casibase), "sensitive words" (敏感词 in English).
		"forbidden word", "forbidden words", "banned word", "banned words", "sensitive word", "sensitive words",
		// A filter that names itself ({"error": "content_filter"},
		// VibeRouter on a 400), and the moderation categories a filter
		// reports ("the input text may contain violence information",
		// Volcengine Ark's SensitiveContentDetected; round 18).
		"content filter", "content filtered", "content filtering", "sensitive information", "sensitive content",
		"violence", "violent content", "pornographic", "sexual content", "self harm", "hate speech",
		"модерац",
		// The usage and safety policies in Russian, as "usage policy"
		// and "safety policy" above ("Запрос нарушает правила
		// использования"), by stem.
		"правила использ", "правил использ", "политики использ", "политику использ", "политика использ",
		"политики безопасн", "политику безопасн", "политика безопасн", "политикой безопасн",
		"политикой использ",
	}},
	// "Request contains personal data and was blocked by PII policy"
	// (ru-llm-proxy on a 422, round 23): a privacy filter.
	{famFilter, roleSubject, []string{"pii", "personal data"}},
	// "moderation" needs a predicate ("flagged by moderation"): alone it
	// may be a model's name ("omni-moderation-latest" in a list of the
	// models a proxy allows, round 36).
	{famFilter, roleSubject, []string{"moderation"}},
	{famFilter, roleBoth, []string{"by moderation", "moderation failed", "failed moderation", "content moderation",
		"moderation policy", "moderation filter", "moderation system", "moderation check"}},
	{famFilter, roleSubject, []string{"content", "prompt", "input", "output", "image", "images", "text", "topic",
		// Volcengine's "Post Text Risk Not Pass": a risk review.
		"risk",
		"message", "messages", "response", "completion", "generation", "query", "контент", "содержим",
		"сообщени"}},
	{famFilter, rolePredicate, []string{"flagged", "violates", "violate", "violation", "violations",
		"violating", "violated", "prohibited", "filtered", "blocked", "disallowed", "objectionable", "not pass",
		// "Your prompt contains content we can't generate. Please
		// rephrase and try again." (PlayCut on a 422). ("Unable to
		// rephrase the query" is a RAG server's own step.)
		"cant generate", "cannot generate",
		"нарушает", "нарушени", "запрещ", "заблокирован"}},

	// A credential that is wrong, missing or expired.
	// "Invalid auth key" (one-balance).
	{famAuth, roleSubject, []string{"apikey", "api key", "api token", "auth key", "access key", "secret key", "credential",
		"credentials", "signature", "bearer", "authentication", "authorization", "access token",
		"auth token", "refresh_token", "access_token", "jwt", "auth header", "authorization header", "ключ"}},
	{famAuth, rolePredicate, []string{"invalid", "incorrect", "missing", "expired", "revoked", "wrong",
		"malformed", "not valid", "failed", "required", "not provided", "absent", "unrecognized",
		"unrecognised", "failure", "abnormal", "rejected",
		// "please check the api-key you provided" (Baseten on a 403).
		"check",
		// "received illegal service authorization" (AmiVoice), "apikey is
		// empty" (NiuTrans).
		"illegal", "empty",
		// "Your API key was reported as leaked. Please use another API
		// key." (Gemini on a 403).
		"leaked", "compromised",
		"недействител", "неверн", "истек", "истёк", "отсутству"}},
	// An upstream's own refusal quoted by a relay ("401 Unauthorized - check
	// your API key" in a 500).
	{famAuth, roleBoth, []string{"401 unauthorized", "bad auth", "unauthorized", "unauthorised", "unauthenticated",
		// A web relay's session: "Please login first", "You are not
		// logged in". ("Requires a logged-in account" is a permission.)
		"please login", "login required", "not logged",
		// Russian, by stem: "Ошибка авторизации", "Пользователь не
		// авторизован", "Требуется авторизация".
		"ошибка авторизац", "ошибка аутентификац", "не авторизован", "требуется авторизац"}},

	// A model that does not exist (any longer).
	// A provider a gateway does not know ("Provider 'x' not found") is a
	// route that does not exist, as "unknown provider for model" is.
	// TensorFlow Serving calls a model a servable; a speech API's voice
	// is its model.
	// A LoRA adapter is served as a model of its own (vLLM's and TGI's
	// "lora adapter ... not found").
	{famModel, roleSubject, []string{"model", "models", "deployment", "deployments", "provider", "servable",
		"servables", "voice", "voices", "adapter", "adapters", "lora", "модел"}},
	// "Provider key not found" is a credential.
	{famModel, roleVeto, []string{"provider key", "key not", "keys not"}},
	// A relay with no channel (upstream) for the model ("No channel for
	// model", one-api's "无可用渠道").
	// A gateway with no route for it: "No OpenAI route in route group
	// \"default\" for this model" (OctaFuse on a 502, round 20).
	{famModel, rolePredicate, []string{"not found", "notfound", "not exist", "doesnt exist", "no such", "no channel",
		"no channels", "no route", "no routes",
		// "Model not available anymore" (HuggingChat on a 410, round 21).
		"decommissioned", "retired", "no longer", "anymore", "not installed", "не найден", "не существует"}},
	{famModel, rolePredicate4xx, []string{"nonexistent", "unrecognized", "unrecognised", "not recognized",
		// "be one" is "must be one of" (a list of the names it knows).
		"not configured", "not served", "not deployed", "be one", "неизвестн"}},

	// A context window overflow, in three shapes: the context named with
	// any limit; tokens that exceed one; a prompt, an input or messages
	// too long.
	// The server's own names for its window ("max_seq_len",
	// "max_model_len", llama.cpp's "n_ctx") are subjects too; "out of
	// context" ("out_of_context", a code sent as the message) says it
	// alone.
	{famContext, roleSubject, []string{"context", "max_seq_len", "max_model_len", "max_context_length",
		"max_sequence_length", "n_ctx", "context_length", "max_position_embeddings", "контекст"}},
	{famContext, rolePredicate, []string{"too long", "length", "window", "exceeds", "exceeded", "exceed",
		"exceeding", "maximum", "limit", "too many", "too large", "greater than", "larger than", "превыш",
		"длин", "слишком"}},
	{famContext, roleBoth, []string{"of context"}},
	// "Your request exceeded model token limit: 262144 (requested:
	// 265359)" (Moonshot on a 400).
	{famTokens, roleSubject, []string{"tokens", "токенов", "prompt length", "input length", "sequence length",
		"token limit"}},
	// "max tokens must be at most 4096", "the maximum tokens you requested
	// exceeds the model limit": the length of the answer asked for, a
	// parameter to fix, not a prompt to shrink.
	{famTokens, roleVeto, []string{"max tokens", "maximum tokens", "max new", "max output", "output tokens",
		"completion tokens"}},
	// "failed to fit messages within the maximum prompt tokens limit"
	// (Yandex's assistants, a failed run inside a 200).
	{famTokens, rolePredicate, []string{"exceeds", "exceeded", "exceed", "exceeding", "too many",
		"too long", "larger than", "greater than", "to fit", "not fit", "cannot fit", "cant fit", "превыш", "слишком",
		// Forms that other families hold whole, which a stem lookup
		// would not reach: "Превышен лимит токенов".
		"превышен", "превышена", "превышено", "превышает"}},
	{famLong, roleSubject, []string{"prompt", "input", "messages", "conversation", "sequence", "history"}},
	{famLong, rolePredicate, []string{"too long"}},

	// A request too large to send as it is.
	// A search index's record ("Record is too big size=123992 bytes",
	// Algolia).
	// "One of your reference images is too large (max 36 megapixels)"
	// (VicSee's failed task inside a 200, round 18).
	// An array of the request over its cap ("Invalid 'tools': array too
	// long. Expected an array with maximum length 128", OpenAI's
	// array_above_max_length), document pages ("A maximum of 100 PDF
	// pages may be provided", Anthropic), media (round 20).
	{famSize, roleSubject, []string{"request", "payload", "body", "file", "files", "entity", "upload", "image",
		"images", "attachment", "batch", "prompt", "text", "record", "records", "audio", "duration", "array",
		"pages", "media",
		// Russian, by stem: "Размер запроса", "Файл слишком большой",
		// "изображение" (MDN's ru translation of 413 Payload Too Large:
		// "объект запроса больше, чем ограничения"). "запросов" (many
		// requests) stays a rate's word.
		"запрос", "файл", "размер", "изображени"}},
	// "Request size is larger than the permissible limit" (NHN Cloud),
	// "Uploaded file exceeds limit of 20 MB" (Morphik), "text parameter
	// exceeds max length" (CLOVA Voice).
	{famSize, rolePredicate, []string{"too large", "too big", "oversized", "size limit", "max size",
		"maximum size", "size exceeds", "size exceeded", "payload limit", "larger than", "exceeds limit",
		"max length", "maximum length", "too long",
		// AWS's TextLengthExceededException (Polly): the type's words.
		"length exceeded",
		// A cap on one request's items: "Exceeded maximum image URLs per
		// request: 9" (Chutes, round 19); "Image dimensions exceed the
		// maximum allowed", "Video duration exceeds the maximum allowed"
		// (Venice on a 422, round 20).
		"per request", "exceeded maximum", "maximum allowed", "maximum of",
		// "audio duration 1830.53 seconds is longer than 1400 seconds
		// which is the maximum for this model" (OpenAI's transcription on
		// a 400, round 23).
		"longer than",
		// "image size error" (Baidu AIP inside a 200, round 19), "File
		// size error" (CLOVA Studio 40061, round 21).
		"size error",
		// Russian: too large, over what is allowed.
		"слишком больш", "слишком велик", "превышает допустим"}},
	// A request that took too long is a timeout, not a size: "The
	// request took too long to complete and was timed-out" (Venice on a
	// 504, round 19).
	{famSize, roleVeto, []string{"took too", "timed out"}},
	{famLong, roleVeto, []string{"took too", "timed out"}},
	// Too many items in one request: "Too many files: 5 exceeds the
	// maximum of 3" (Docling Serve), "Document pages exceed the limit: 15
	// got 40" (Document AI).
	// "Image limit exceeded" (CLOVA Studio 40003).
	// "Too much media: 0 document pages + 102 images > 100" (Anthropic).
	{famSize, roleBoth, []string{"much media", "many files", "many images", "many pages", "many documents", "many attachments",
		"pages exceed", "files exceed", "page limit", "image limit", "images limit", "file limit",
		"attachment limit"}},

	// A cap counted in characters, bytes or megabytes: "Text is too long
	// (120000 characters). Maximum allowed: 100000" (Chatterbox TTS),
	// "Prompt must be 500 characters or less" (round 8), "Uploaded file
	// exceeds limit of 20 MB" (Morphik), "The provided text exceeds the
	// 5000-character limit" (round 9). A token is the model's context
	// (famTokens); these units are the API's own limit on one request.
	// "At least one of the image dimensions exceed max allowed size: 8000
	// pixels" (Anthropic on a 400, round 18).
	{famUnit, roleSubject, []string{"characters", "character", "chars", "bytes", "kb", "mb", "gb", "kib",
		"mib", "kilobytes", "megabytes", "pixels", "megapixels", "символ"}},
	{famUnit, rolePredicate, []string{"too long", "too large", "too big", "exceeds", "exceeded", "exceed",
		"exceeding", "maximum", "max", "limit", "or less", "or fewer", "at most", "превыш"}},

	// A service not offered in the caller's region or country.
	{famRegion, roleSubject, []string{"region", "country", "countries", "location", "territory", "regions",
		"регион", "стран"}},
	// "region not allow" (a Jimeng relay, round 18): the verb's bare form.
	{famRegion, rolePredicate, []string{"not supported", "unsupported", "not available", "restricted",
		"blocked", "not allowed", "not allow", "не поддерживает", "недоступ"}},

	// An account, organization or workspace that is blocked, whatever the
	// key.
	{famAccount, roleSubject, []string{"account", "organization", "organisation", "org", "tenant", "team",
		"workspace", "user", "аккаунт", "учетн", "учётн", "организаци"}},
	{famAccount, rolePredicate, []string{"suspended", "disabled", "banned", "blocked", "locked", "deactivated",
		// "Your organization must be verified to generate reasoning
		// summaries" (OpenAI on a 400, round 21): the account, not the
		// request, has to change.
		"be verified",
		"terminated", "frozen", "blacklisted", "restricted", "paused", "inactive", "заблокирован", "приостановлен",
		"отключен"}},

	// A model that this account or key may not use: another model may
	// serve.
	{famModelAccess, roleSubject, []string{"model", "models", "модел"}},
	{famModelAccess, rolePredicate, []string{"no access", "have access", "not enabled", "not entitled",
		"not authorized", "not authorised", "permission denied", "no permission", "not permitted",
		"access denied", "restricted", "not allowed", "cant use", "cannot use", "нет доступа"}},
	// A schema's validation that names a "model" key: "extraneous key
	// [model] is not permitted" (Bedrock's malformed input, round 18) is
	// the request's shape, not the model's access.
	{famModelAccess, roleVeto, []string{"extraneous", "schema", "malformed"}},

	// A permission refusal in words that name a permission: on a 401 too,
	// where "you do not have permission" is not a wrong key.
	{famPermissionOwn, roleBoth, []string{"permission denied", "no permission", "have permission",
		"insufficient permissions", "insufficient permission", "lacks permission", "lack permission",
		"lack permissions", "lacks permissions",
		"no permissions"}},

	// A permission refusal, in pairs that cannot mean a validation error
	// ("extra fields not permitted" is one).
	// "You are not subscribed to this API", "The option is not subscribed
	// in the plan": a plan or a product the account has not taken.
	{famPermission, roleBoth, []string{"not subscribed", "permission denied", "access denied", "no permission",
		"no access", "not authorized", "not authorised", "insufficient permissions",
		"insufficient permission", "lacks permission", "lack permission", "not entitled", "have permission",
		"have access", "доступ запрещен", "доступ запрещён", "нет доступа", "нет прав", "недостаточно прав"}},

	// "No access key configured" names a credential, not a refusal.
	{famPermission, roleVeto, []string{"access key", "access token", "access keys", "access tokens"}},

	// A pace to wait out.
	// "Too many request from this IP" (singular) is "too many requests".
	{famRate, roleBoth, []string{"many request", "throttled", "throttling", "ratelimit", "ratelimited", "rate limit",
		// Apigee's SpikeArrest policy ("Spike arrest violation").
		"spike arrest",
		"rate limited", "rate limits", "rate limiting", "request limit", "slow down", "access limit",
		"access frequency", "частот"}},
	{famRate, roleSubject, []string{"rate", "requests", "calls", "frequency", "concurrency",
		"concurrent", "qps", "rpm", "rps", "tpm",
		// "qpm of current model reached the upper limit" (coze-loop
		// inside a 200, round 37).
		"qpm", "tps",
		// "You have too many jobs running at the same time. Try your
		// request again later." (Amazon Transcribe on a 400).
		"jobs", "tasks", "sessions",
		"запросов"}},
	{famRate, rolePredicate, []string{"upper limit", "limit", "limited", "exceeded", "too many", "too frequent", "too high",
		"too frequently", "too fast", "reached",
		// "Reduce the rate of requests" (Azure AI Search on a 503).
		"reduce",
		"лимит", "превышен", "слишком"}},

	// A server or model too busy, or not ready.
	{famOverload, roleBoth, []string{"overloaded", "overload", "overcapacity", "too busy", "at capacity",
		"over capacity", "saturated", "congested", "congestion", "high demand", "heavy load", "high load",
		"high traffic", "heavy traffic", "maximum capacity", "full capacity", "enough capacity", "перегруж",
		// Every slot of a batching server taken: "no free channels"
		// (moshi-server's batched ASR on a 500, round 29).
		"free channel", "free channels", "free slot", "free slots", "free worker", "free workers", "free gpu",
		"free gpus"}},
	{famOverload, roleSubject, []string{"server", "servers", "service", "services", "model", "system",
		"cluster", "gpu", "gpus", "backend", "upstream", "engine", "worker", "workers", "resources",
		"instance", "instances", "node", "nodes", "replicas", "capacity", "queue", "сервер", "сервис", "систем"}},
	// "server shutting down" (ds4 on a 503, under invalid_request_error).
	{famOverload, rolePredicate, []string{"busy", "no capacity", "not ready", "warming up", "is full",
		"starting up", "shutting down", "загружен", "занят"}},
	// "Service tier capacity exceeded for this model." (Mistral on a 503,
	// with the type invalid_request_error).
	{famOverload, rolePredicate5xx, []string{"unavailable", "not available", "no available", "loading",
		"insufficient", "capacity exceeded", "недоступ"}},

	// A provider, backend or GPU that is down, not loaded or out of
	// memory: on any status, a client one too ("AI provider unavailable"
	// on a 400). A model that is "unavailable" on a 400 may not exist, so
	// the model is not among these subjects; a model "not loaded" is.
	{famInfra, roleSubject, []string{"provider", "providers", "upstream", "upstreams", "backend", "backends",
		"server", "servers", "service", "services", "cluster", "gpu", "gpus", "worker", "workers", "node",
		"nodes", "instance", "instances", "replica", "replicas", "engine", "engines", "resources",
		// Kubernetes' unit of serving: "no pods available in datastore"
		// (gateway-api-inference-extension's endpoint picker).
		"pod", "pods"}},
	// "Worker Service Not Healthy" (FastDeploy's router, on a 304).
	{famInfra, rolePredicate, []string{"unavailable", "not available", "no available", "no healthy",
		"not healthy", "unhealthy",
		"not loaded", "not ready", "is down", "went down",
		// "Instance stopped" (ServerlessLLM), "worker stopped".
		"stopped"}},
	// "No backends available", "no providers available": none left to
	// serve.
	{famInfra, roleBoth, []string{"no backends", "no backend", "no providers", "no workers", "no replicas",
		"no servers", "no upstreams", "no pods",
		// "No provider available." (free-one-api).
		"provider available",
		// A relay that tried its pool (of accounts, sessions, keys) and
		// found none to serve: "Failed to process request after multiple
		// attempts".
		"multiple attempts", "all attempts"}},

	// A model or engine not loaded yet, or loading: the next try may find
	// it ready.
	{famLoading, roleSubject, []string{"model", "models", "engine", "engines"}},
	{famLoading, rolePredicate, []string{"not loaded", "being loaded", "still loading", "warming up",
		// Scaled to zero: "Model is currently in sleep state".
		"sleep state", "sleeping", "asleep"}},

	// A time limit that ran out: another try may be quicker. "Timeout"
	// alone may name a parameter ("timeout must be positive").
	{famTimeout, roleBoth, []string{"timed out", "deadline exceeded", "took too", "time out",
		"превышено время", "истекло время"}},
	{famTimeout, roleSubject, []string{"timeout", "deadline", "таймаут", "тайм аут"}},
	{famTimeout, rolePredicate, []string{"occurred", "exceeded", "reached", "expired", "истек", "истёк",
		"превышен"}},

	// A proxy or gateway that could not reach its backend: the endpoint is
	// out, not one model. A server's own failure ("internal server error")
	// is not among them.
	{famUpstream, roleSubject, []string{"connection", "connect", "connecting", "host", "hosts", "instance",
		"instances", "upstream", "backend", "backends", "endpoint", "endpoints", "origin", "fetch", "socket",
		"dns", "network", "соединени", "подключени"}},
	{famUpstream, rolePredicate, []string{"refused", "failed", "failure", "reset", "unreachable", "no valid",
		"unable to", "could not", "cannot", "can not", "not reachable", "no route", "closed", "lost",
		"error", "errors", "не удалось", "разорван", "ошибка"}},
	// A proxy whose DNS lookup of its upstream failed (Apache Traffic
	// Server's "Unknown Host").
	{famUpstream, roleBoth, []string{"unknown host"}},

	// "Try again later" on a client status: the server says waiting helps.
	{famLater, roleBoth, []string{"again later", "retry later", "попробуйте позже", "повторите позже"}},

	// Something the request names that does not exist, when no more
	// specific family (a model, a key) claims it: the predicate says it
	// alone.
	{famNotFound, roleBoth, []string{"not found", "notfound", "not exist", "doesnt exist",
		"no such", "not find", "cannot find", "не найден", "не существует"}},

	// A request the server refused as malformed, in pairs that a server's
	// own failure does not use ("failed to parse" may be the upstream's
	// answer, so parsing is not among them).
	{famInvalid, roleBoth, []string{"invalid request", "bad request", "invalid parameter", "invalid parameters",
		"invalid argument", "invalid arguments", "missing required", "required parameter", "required field",
		"validation error", "validation failed", "validation failure", "validate error", "validate failed",
		"invalid json", "malformed json", "unsupported parameter",
		"unknown parameter", "unrecognized request", "invalid value", "field required", "be provided",
		"invalid_request_error", "not allowed",
		// A range a value is outside of: "Speed must be between 0.25 and 2".
		"be between",
		// A bound a value broke: "top_k should be less than or equal
		// to 100". ("Index out of range" is a server's panic.)
		"or equal",
		// A value that must be given: "message content can not be empty"
		// (Qianfan inside a 200), "cannot be empty", "must not be empty";
		// "Parameter error: avatar_id is required" (JOGG AI inside a 200,
		// round 20).
		"be empty", "parameter error", "is required",
		// Values that may not go together: "temperature and top_p are
		// mutually exclusive", "cannot be used together", "cannot be
		// combined" (words and pairs of words are what scanWords sees).
		"mutually exclusive", "used together", "be combined"}},
	{famInvalid, roleSubject, []string{"params", "param", "parameter", "parameters", "argument", "arguments",
		"field", "fields", "body", "messages", "input", "value", "format", "json", "file", "url"}},
	// "is expected": what the server wanted instead ("integer is expected
	// for nbest option", "Start signal is expected before binary data",
	// WeNet's WebSocket server inside a 200, round 26). Inside a 2xx it
	// needs no subject, elsewhere one of those above.
	// "supports only" / "only supports": the values the server takes
	// ("FunASR SenseVoiceSmall supports only: auto, en, ja, ...",
	// WhisperLiveKit's WebSocket frame, round 29).
	{famInvalid, rolePredicate, []string{"invalid", "malformed", "not valid", "is expected", "are expected",
		"supports only", "only supports"}},

	// A server's own failure, said inside a 2xx ("system error",
	// "generation failed"), where no status says it.
	{famServer, roleSubject, []string{"system", "internal", "server", "generation", "sdkerror", "execution", "engine",
		"workflow", "task", "job", "processing",
		// "Failed to generate text with Ollama model ..." (a polled task
		// that failed inside a 200, round 30).
		"generate",
		// "start worker failed" (TEN Agent's frame inside a 200, round
		// 36).
		"worker",
		// Russian, by stem: "Внутренняя ошибка сервера".
		"внутренн", "сервер"}},
	// "Incomplete generation stream" (TGI's last frame when the generation
	// broke off).
	{famServer, rolePredicate, []string{"error", "failed", "failure", "incomplete", "ошибка", "ошибк", "сбой"}},
	// "an error was encountered while running the model: unexpected EOF"
	// (Ollama's runner crashing mid-stream), "EngineCore encountered an
	// issue" (vLLM).
	{famServer, roleBoth, []string{"was encountered", "encountered an", "unexpected eof"}},
	// Out of memory: the server's, a retry may find it free (a CUDA
	// allocation that failed).
	// "Unknown error." inside a 2xx: the server's, whatever it was (on a
	// 400 the status's invalid request holds).
	{famServer, roleSubject | rolePredicate, []string{"unknown error"}},
	// A failure the server reports as its own, inside a 2xx: "An error
	// occurred. Please try again." (FreeGPT35-style relays), a process
	// that crashed, an engine's error (iFlytek's 10700 "engine error";
	// round 21). Not on a 400, where a catch-all text may be the
	// caller's. "Something went wrong" is not among them: OpenAI's own
	// stream error example says it of an error it does not name.
	{famServer, roleSubject | rolePredicate, []string{"error occurred", "crashed"}},
	{famServer, roleBoth, []string{"of memory", "outofmemory", "oom",
		// The server's own failure said in so many words, on a 400 too.
		"internal service", "internal server"}},
}

// cjkVocabulary is wordVocabulary for Chinese (simplified and
// traditional), Japanese and Korean: cues read where they start, as
// these scripts do not separate words (Korean separates them, but joins
// particles to them: "잔액이" is "잔액" and a particle). The words are the
// standard terms of each failure, as the providers and relays in the
// fixtures use them (DashScope, Zhipu, Qianfan, Moonshot, one-api and
// new-api with its Japanese and Korean translations, CLOVA Studio).
var cjkVocabulary = []struct {
	fam   wordFamily
	role  uint8
	words []string
}{
	// A prepaid resource pack (资源包) is money too: "免费资源包余量已用尽，
	// 请购买资源包或开通后付费".
	// "计费资源已耗尽" (billing resources used up), "没有余额" (no balance):
	// Tencent Cloud inside a 200.
	{famBilling, roleSubject, []string{"余额", "餘額", "点数", "點數", "积分", "費用", "费用", "账单", "帳單", "资源包", "计费",
		"残高", "クレジット", "請求", "支払", "料金", "잔액", "크레딧", "결제", "요금"}},
	{famBilling, rolePredicate, []string{"不足", "不够", "用尽", "用完", "耗尽", "为零", "为0", "过低", "逾期", "没有",
		"足りません", "未払", "부족", "소진", "미납"}},
	// "当前账号处未订购seedance2.0模型资费包，或资费包已到期，请先订购后才能使用"
	// (new-api relaying Volcengine on a 500): a fee package not ordered
	// or expired.
	// "计费状态异常。" (the account's billing state is abnormal: Tencent
	// Cloud LKE and LKEAP inside a 200, rounds 16 and 19).
	{famBilling, roleBoth, []string{"欠费", "欠費", "请充值", "請充值", "余额不足", "充值后", "资费包", "資費包",
		"请先订购", "請先訂購", "计费状态异常", "計費狀態異常"}},

	// "小时包余量不足" (Tencent Cloud's digital human: the hours package's
	// remainder is short).
	{famQuota, roleSubject, []string{"配额", "配額", "额度", "額度", "用量", "次数", "次數", "限额", "余量", "餘量",
		"クォータ", "利用枠", "使用量", "할당량", "사용량", "한도"}},
	// A total quota (总额度), or one short or spent, is the account's on a
	// 429 too.
	{famQuota, roleSubject | roleShort, []string{"总额度", "總額度", "总配额"}},
	// "100000토큰을 모두 사용했습니다." (CLOVA Studio: all of them used).
	{famQuota, roleShort, []string{"用尽", "耗尽", "用完", "不足", "使い果た", "부족", "소진"}},
	{famQuota, roleBoth | roleShort, []string{"모두 사용했"}},
	{famQuota, rolePredicate, []string{"用尽", "耗尽", "用完", "不足", "超限", "超出", "上限", "超过", "超過",
		"超え", "達し", "使い果た", "초과", "소진", "도달"}},
	{famQuota, rolePeriod, []string{"今日", "今天", "每日", "每天", "本月", "每月", "本周", "每周", "当日",
		"1日", "月間", "毎月", "本日", "일일", "월간", "오늘"}},

	{famFilter, roleBoth, []string{"风险内容", "風險內容", "内容安全", "内容审核", "敏感词", "违禁词", "敏感内容", "违规内容", "涉政", "色情",
		"安全ポリシー", "コンテンツポリシー", "不適切", "유해", "부적절",
		// Korean's safety, content and usage policies, as "safety
		// policy" in English ("안전 정책에 따라 요청이 차단되었습니다").
		"안전 정책", "콘텐츠 정책", "이용 정책", "사용 정책"}},
	{famFilter, roleSubject, []string{"内容", "內容", "输入", "輸入", "输出", "輸出", "图片", "圖片", "图像",
		"提示词", "文本", "消息", "生成", "コンテンツ", "入力", "出力", "画像", "プロンプト", "콘텐츠", "내용",
		"입력", "출력", "이미지", "프롬프트"}},
	{famFilter, rolePredicate, []string{"违规", "違規", "合规", "合規", "敏感", "审核", "審核", "不安全", "违反",
		"違反", "违禁", "阻止", "拦截", "屏蔽", "ポリシー", "ブロック", "フィルタ", "有害", "정책", "위반", "차단",
		"안전",
		// "文本安全校验未通过" (Tencent Cloud's digital human): a safety
		// check of the text.
		"安全校验", "安全檢查", "安全检查", "安全审查"}},

	{famAuth, roleSubject, []string{"令牌", "密钥", "密鑰", "秘钥", "凭证", "憑證", "签名", "簽名", "キー",
		"トークン", "資格情報", "토큰", "인증", "키가", "키를", "키는"}},
	{famAuth, rolePredicate, []string{"过期", "過期", "失效", "无效", "無效", "错误", "錯誤", "不正确", "缺失", "缺少",
		"未提供", "期限切れ", "無効", "不正", "失敗", "유효하지", "만료", "잘못", "실패"}},
	{famAuth, roleBoth, []string{"鉴权失败", "鑒權失敗", "身份验证失败", "认证失败", "認証に失敗", "認証エラー",
		"인증 실패", "인증에 실패",
		// Log in (first): a web relay's session ("请先登录").
		"请先登录", "请登录", "未登录", "請先登錄", "ログインしてください", "로그인이 필요"}},

	// A relay's channel for the model ("未找到可用渠道": no channel found).
	{famModel, roleSubject, []string{"模型", "渠道", "モデル", "모델"}},
	{famModel, rolePredicate, []string{"不存在", "未找到", "找不到", "已下线", "已下架", "无法找到", "已废弃",
		"見つかりません", "存在しません", "インストールされていません", "찾을 수 없", "존재하지 않"}},

	{famContext, roleSubject, []string{"上下文", "コンテキスト", "컨텍스트"}},
	{famContext, rolePredicate, []string{"超长", "超長", "过长", "過長", "超过", "超過", "超出", "太长", "最大",
		"長すぎ", "超え", "초과", "너무 길", "너무 깁", "최대"}},
	{famTokens, roleSubject, []string{"token数", "token 数", "トークン数", "토큰 수", "提示词长度", "输入长度",
		"輸入長度", "入力長"}},
	{famTokens, rolePredicate, []string{"超长", "超過", "超过", "超出", "过长", "超え", "초과"}},

	// "内容长度超出限制" (WeKnora), "请求的文本长度过长" (Tencent Cloud TMS):
	// a length over its cap.
	// "输入文本太长" (Tencent Cloud's oral evaluation: the reference text
	// is too long).
	// "超过最大文件页数限制" (over the most pages a file may have: Tencent
	// Cloud LKE and LKEAP inside a 200, rounds 16 and 19).
	{famSize, roleSubject, []string{"请求体", "文件", "大小", "尺寸", "长度", "时长", "時長", "文本", "サイズ", "ファイル",
		"크기", "파일",
		// "텍스트 제한 (5000) 초과하는 요청" (LibreTranslate in Korean, round
		// 21): text over its limit.
		"텍스트",
		// The request, its payload and body, and an image, as the
		// Japanese and Korean 413 pages name them (MDN's ja and ko
		// translations of 413 Content Too Large). Korean's "요청" is not
		// among them: "요청 한도 초과" is a rate limit.
		"リクエスト", "ペイロード", "画像", "본문", "페이로드"}},
	// "base64编码后的图片数据大小不超过10M" (a size that must not exceed).
	{famSize, rolePredicate, []string{"过大", "太大", "超过限制", "超出限制", "过长", "太长", "大きすぎ", "너무 큽", "너무 커",
		"不超过", "不能超过", "不得超过", "不可超过", "초과"}},
	// "Omni 模型最多支持 3 张参考图，当前提供了 5 张" (flow2api): more items
	// than a request may hold.
	{famSize, roleBoth, []string{"最多支持", "页数限制", "頁數限制"}},

	// "内容长度超出限制（最多200000个字符）" (WeKnora): characters, 文字 in
	// Japanese.
	{famUnit, roleSubject, []string{"字符", "文字数"}},
	{famUnit, rolePredicate, []string{"超过", "超出", "超過", "过长", "最多", "超え"}},

	{famRegion, roleSubject, []string{"地区", "地區", "国家", "國家", "区域", "地域", "国・地域", "지역", "국가"}},
	// The polite forms of "cannot be used": "お住まいの地域ではご利用いただけません",
	// "ご利用になれません", Korean "이용할 수 없습니다", "이용 불가".
	{famRegion, rolePredicate, []string{"不支持", "不可用", "受限", "利用できません", "サポートされていません",
		"지원되지 않", "사용할 수 없", "利用いただけません", "利用になれません", "이용할 수 없", "이용 불가"}},

	{famModelAccess, roleSubject, []string{"模型", "モデル", "모델"}},
	{famModelAccess, rolePredicate, []string{"无权", "无权限", "没有权限", "未开通", "未授权", "権限がありません",
		"アクセス権", "권한이 없", "권한 없"}},

	{famAccount, roleSubject, []string{"账号", "账户", "帳號", "帳戶", "帐号", "帐户", "用户", "用戶", "组织",
		"アカウント", "組織", "계정", "조직"}},
	{famAccount, rolePredicate, []string{"封禁", "被封", "禁用", "冻结", "凍結", "锁定", "鎖定", "停用", "封号",
		"停止", "停服", "被禁止", "禁止登录", "無効化", "정지", "차단", "비활성", "잠금", "잠겨",
		// "您的账户当前处于非活动状态" (Zhipu 1110): inactive.
		"非活动", "非活動"}},
	// An account without the real-name verification that Chinese
	// providers require ("用户未实名，请先进行实名认证", Tencent Cloud).
	{famAccount, roleBoth, []string{"未实名", "未實名", "实名认证", "實名認證"}},

	{famPermission, roleBoth, []string{"无权", "没有权限", "权限不足", "無權", "權限不足", "无访问权限", "禁止访问",
		"拒绝访问", "访问被拒绝", "権限がありません", "権限が不足", "アクセスが拒否", "권한이 없", "권한 부족",
		"접근이 거부", "액세스가 거부",
		// A service the account has not enabled ("服务未开通").
		"未开通", "未開通"}},

	{famRate, roleBoth, []string{"限流", "过于频繁", "太频繁", "頻繁", "频率限制", "速率限制", "并发超限", "并发过高",
		"请求过多", "請求過多", "レート制限", "レートリミット", "リクエストが多すぎ", "속도 제한", "요청이 너무 많",
		"요청 한도",
		// Too many calls or visits: "访问次数太多" (langchain4j-aideepin's
		// per-user request window, round 34).
		"次数太多", "次数过多", "次數太多", "次數過多", "访问过多", "访问太多", "訪問過多"}},
	// "当前模型TPM达到上限" (the current model's TPM reached its upper
	// limit, coze-loop inside a 200, round 37): the unit is an ASCII word
	// of the rate's subjects above.
	{famRate, rolePredicate, []string{"达到上限", "達到上限"}},
	{famRate, roleSubject, []string{"请求", "請求", "调用", "調用", "并发", "併發", "频率", "リクエスト", "呼び出し",
		"요청", "호출"}},
	{famRate, rolePredicate, []string{"过多", "過多", "太多", "过快", "超限", "多すぎ", "너무 많"}},

	{famOverload, roleBoth, []string{"服务繁忙", "系统繁忙", "服务器繁忙", "伺服器繁忙", "负载过高", "负载已饱和",
		"過負荷", "高負荷", "混雑", "混み合", "과부하", "혼잡"}},
	{famOverload, roleSubject, []string{"服务", "服務", "服务器", "系统", "系統", "模型", "上游", "渠道", "节点",
		"集群", "资源", "算力", "可用账号", "账号实例", "凭证", "サーバー", "サービス", "システム", "モデル", "서버", "서비스", "시스템",
		"모델"}},
	{famOverload, rolePredicate, []string{"繁忙", "过载", "過載", "拥挤", "负载", "饱和", "排队", "维护中",
		"一時的", "일시적"}},
	{famOverload, rolePredicate5xx, []string{"不可用", "暂无可用", "没有可用", "无可用", "無可用", "利用できません",
		"사용할 수 없"}},

	{famTimeout, roleBoth, []string{"请求超时", "響應超時", "响应超时", "连接超时", "处理超时", "已超时", "超時", "超时",
		"タイムアウト", "시간 초과", "타임아웃"}},

	{famLater, roleBoth, []string{"稍后再试", "稍后重试", "稍後再試", "後でもう一度", "しばらくしてから",
		"잠시 후 다시"}},

	{famNotFound, roleBoth, []string{"不存在", "未找到", "找不到", "无法找到", "見つかりません", "存在しません",
		"찾을 수 없", "존재하지 않"}},

	{famInvalid, roleBoth, []string{"不能为空", "参数错误", "参数無效", "参数无效", "格式错误", "无效的参数", "缺少参数",
		"参数不合法", "パラメータが不正", "잘못된 매개변수", "输入非法", "参数非法", "非法参数", "超过最大值",
		// "请提供speaker_name或speaker_id": a parameter to provide.
		"请提供",
		// "参数出错" (Alibaba Cloud Machine Translation 10004).
		"参数出错",
		// A value the request must carry and did not: "必须传递引用文本"
		// (must pass the reference text), "参考音频未传入" (the reference
		// audio was not passed), CosyVoice's API server on a 500 (round
		// 26); "必填" (required).
		"必须传", "必须提供", "必须指定", "未传入", "未提供", "必填"}},
	// "不支持的 AudioFormat 参数" (Tencent Cloud TSI inside a 200, round
	// 20): a parameter the server does not support.
	// "请求中缺少 base64 字段。" (Umi-OCR inside a 200, round 21): a
	// field the request lacks.
	// "缺少待合成的文本" (the text to synthesize is missing, CosyVoice's
	// API server on a 500, round 26): the text of the request.
	{famInvalid, roleSubject, []string{"参数", "參數", "字段", "欄位", "文本"}},
	{famInvalid, rolePredicate, []string{"不支持", "不支援", "缺少"}},

	{famServer, roleSubject, []string{"系统", "系統", "内部", "服务器", "生成", "システム", "시스템", "내부",
		"サーバー", "서버"}},
	// "RPC请求失败，一般为算法微服务故障" (Tencent Cloud's AI art, inside a
	// 200): a fault of the server's own services.
	{famServer, rolePredicate, []string{"错误", "錯誤", "失败", "失敗", "异常", "エラー", "오류", "故障"}},
	{famServer, roleBoth, []string{"服务故障", "服務故障", "微服务故障"}},
	// "疑似子进程已崩溃" (Umi-OCR inside a 200, round 21: its recogniser
	// process crashed).
	{famServer, roleSubject | rolePredicate, []string{"崩溃", "崩潰"}},
	// "An error occurred (while processing the request)".
	{famServer, roleSubject | rolePredicate, []string{"发生错误", "發生錯誤", "エラーが発生", "오류가 발생"}},
}
