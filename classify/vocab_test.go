package classify_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
)

// Sources of the vocabulary cases below.
const (
	srcNewAPIJa  = "QuantumNous/new-api i18n/locales/ja.yaml"
	srcNewAPIKo  = "QuantumNous/new-api i18n/locales/ko-KR.yaml"
	srcNewAPIRu  = "QuantumNous/new-api i18n/locales/ru.yaml"
	srcAihubmix  = "https://docs.aihubmix.com/cn/FAQs/HTTP-Codes (and its zh-Hant page)"
	srcZhipu     = "https://docs.z.ai/api-reference/api-code"
	srcGigaChat  = "https://developers.sber.ru/docs/ru/gigachat/api/errors-description"
	srcGeminiRu  = "https://ai.google.dev/gemini-api/docs/api-errors?hl=ru"
	srcTranslate = "standard translation of the catalog's English phrase"
	srcSynonym   = "English synonym of the catalog's phrase"
)

// vocabCase is one wording of a failure, with where it comes from and the
// statuses it is classified under.
type vocabCase struct {
	name     string
	source   string
	statuses [2]int
	message  string
	want     catalog.Category
}

// vocabCases covers each family the vocabulary of issue 17 widened, in each
// language, on two statuses: one of the family's home statuses and one
// where only its "elsewhere" rule speaks.
var vocabCases = []vocabCase{
	// Billing.
	{"billing/en balance too low", srcSynonym, [2]int{402, 500}, "Your account balance is too low to run this request.", catalog.QuotaExceeded},
	{"billing/en no credits remaining", srcSynonym, [2]int{403, 503}, "No credits remaining on this account.", catalog.QuotaExceeded},
	{"billing/en credits exhausted", srcSynonym, [2]int{429, 500}, "Your credits have been exhausted. Purchase more credits to continue.", catalog.QuotaExceeded},
	{"billing/en exhausted your credits", srcSynonym, [2]int{402, 503}, "You have exhausted your credits for this month.", catalog.QuotaExceeded},
	{"billing/en subscription expired", srcSynonym, [2]int{403, 502}, "Your subscription has expired.", catalog.QuotaExceeded},
	{"billing/zh-Hant balance", srcAihubmix, [2]int{403, 500}, "使用者餘額不足,需要充值", catalog.QuotaExceeded},
	{"billing/zh allowance used up", srcTranslate, [2]int{429, 500}, "您的额度已用完，请前往充值", catalog.QuotaExceeded},
	{"billing/ja credits", srcTranslate, [2]int{402, 500}, "クレジットが不足しています。チャージしてください。", catalog.QuotaExceeded},
	{"billing/ko credits", srcTranslate, [2]int{402, 500}, "크레딧이 부족합니다.", catalog.QuotaExceeded},
	{"billing/ru top up", srcGigaChat, [2]int{402, 500}, "Закончились токены модели. Пополните баланс в личном кабинете.", catalog.QuotaExceeded},
	{"billing/es balance", srcTranslate, [2]int{402, 500}, "Saldo insuficiente en la cuenta.", catalog.QuotaExceeded},
	{"billing/de balance", srcTranslate, [2]int{402, 500}, "Ihr Guthaben reicht nicht aus.", catalog.QuotaExceeded},
	{"billing/fr balance", srcTranslate, [2]int{402, 500}, "Solde insuffisant pour cette requête.", catalog.QuotaExceeded},

	// Quota used up (not on a 429, where a per-second quota is meant).
	{"quota/en used up", srcSynonym, [2]int{403, 500}, "Your quota is used up for this period.", catalog.QuotaExceeded},
	{"quota/zh", srcTranslate, [2]int{403, 500}, "配额已用尽", catalog.QuotaExceeded},
	{"quota/ja", srcTranslate, [2]int{403, 500}, "クォータを超えました。", catalog.QuotaExceeded},
	{"quota/ko", srcTranslate, [2]int{403, 500}, "할당량을 초과했습니다.", catalog.QuotaExceeded},
	{"quota/ru", srcTranslate, [2]int{403, 500}, "Квота превышена.", catalog.QuotaExceeded},
	{"quota/pt", srcTranslate, [2]int{403, 500}, "Cota excedida para este projeto.", catalog.QuotaExceeded},

	// Context overflow.
	{"context/en context limit", srcSynonym, [2]int{400, 502}, "The request exceeds the context limit of this model.", catalog.ContextLengthExceeded},
	{"context/en too many tokens", srcSynonym, [2]int{400, 503}, "There are too many tokens in the prompt: 140000 > 128000.", catalog.ContextLengthExceeded},
	{"context/zh", srcTranslate, [2]int{400, 502}, "输入长度超过模型上下文窗口", catalog.ContextLengthExceeded},
	{"context/ja", srcTranslate, [2]int{400, 502}, "プロンプトが長すぎます。", catalog.ContextLengthExceeded},
	{"context/ko", srcTranslate, [2]int{400, 502}, "입력이 너무 깁니다. 최대 컨텍스트 길이를 초과했습니다.", catalog.ContextLengthExceeded},
	{"context/ru", srcGigaChat, [2]int{400, 502}, "Количество токенов в промпте превышает размер окна контекста модели.", catalog.ContextLengthExceeded},
	{"context/de", srcTranslate, [2]int{400, 502}, "Die Eingabe überschreitet die Kontextlänge des Modells.", catalog.ContextLengthExceeded},

	// Model not found.
	{"model/en could not find", srcSynonym, [2]int{404, 502}, "Could not find model foo-7b.", catalog.ModelNotFound},
	{"model/zh", srcTranslate, [2]int{400, 503}, "找不到模型 foo-7b", catalog.ModelNotFound},
	{"model/ja", srcTranslate, [2]int{404, 500}, "モデルが見つかりません: foo-7b", catalog.ModelNotFound},
	{"model/ko", srcTranslate, [2]int{404, 500}, "모델을 찾을 수 없습니다: foo-7b", catalog.ModelNotFound},
	{"model/ru", srcTranslate, [2]int{404, 500}, "Модель не найдена: foo-7b", catalog.ModelNotFound},
	{"model/fr", srcTranslate, [2]int{404, 500}, "Modèle introuvable : foo-7b", catalog.ModelNotFound},

	// Content filter.
	{"filter/en unsafe content", srcSynonym, [2]int{400, 500}, "The prompt contains unsafe content.", catalog.ContentFiltered},
	{"filter/en guardrail", srcSynonym, [2]int{400, 503}, "Request blocked by the input guardrail.", catalog.ContentFiltered},
	{"filter/zh", srcTranslate, [2]int{400, 500}, "输入内容包含违规内容，请修改后重试", catalog.ContentFiltered},
	{"filter/ja", srcTranslate, [2]int{400, 500}, "不適切なコンテンツが検出されました。", catalog.ContentFiltered},
	{"filter/ko", srcTranslate, [2]int{400, 500}, "부적절한 콘텐츠가 감지되었습니다.", catalog.ContentFiltered},
	{"filter/ru", srcTranslate, [2]int{400, 500}, "Запрос содержит недопустимый контент.", catalog.ContentFiltered},
	{"filter/es", srcTranslate, [2]int{400, 500}, "La solicitud infringe la política de contenido.", catalog.ContentFiltered},

	// Overload.
	{"overload/en service busy", srcSynonym, [2]int{503, 400}, "The service is busy, please try again later.", catalog.Unavailable},
	{"overload/en server busy", srcSynonym, [2]int{500, 404}, "Server is busy.", catalog.Unavailable},
	{"overload/zh", srcTranslate, [2]int{503, 400}, "服务器繁忙，请稍后再试", catalog.Unavailable},
	{"overload/zh-Hant", srcTranslate, [2]int{503, 400}, "伺服器繁忙，請稍後再試", catalog.Unavailable},
	{"overload/ja", srcTranslate, [2]int{503, 400}, "サーバーが混雑しています。", catalog.Unavailable},
	{"overload/ko", srcTranslate, [2]int{503, 400}, "서버 과부하로 요청을 처리할 수 없습니다.", catalog.Unavailable},
	{"overload/ru", srcTranslate, [2]int{503, 400}, "Сервер перегружен, повторите попытку позже.", catalog.Unavailable},
	{"overload/de", srcTranslate, [2]int{503, 400}, "Der Dienst ist überlastet.", catalog.Unavailable},

	// Authentication.
	{"auth/en key not valid", srcSynonym, [2]int{401, 500}, "API key is not valid. Please pass a valid API key.", catalog.Authentication},
	{"auth/en token expired", srcZhipu, [2]int{401, 500}, "Authentication Token expired, please regenerate/obtain", catalog.Authentication},
	{"auth/zh", srcTranslate, [2]int{401, 500}, "令牌已过期，请重新获取", catalog.Authentication},
	{"auth/ja", srcNewAPIJa, [2]int{401, 500}, "このトークンは有効期限が切れています", catalog.Authentication},
	{"auth/ko", srcNewAPIKo, [2]int{401, 500}, "이 토큰은 만료되었습니다.", catalog.Authentication},
	{"auth/ru key", srcGeminiRu, [2]int{401, 500}, "Ключ API недействителен.", catalog.Authentication},
	{"auth/ru token", srcNewAPIRu, [2]int{401, 500}, "Этот токен истёк", catalog.Authentication},
	{"auth/pt", srcTranslate, [2]int{401, 500}, "Chave de API inválida.", catalog.Authentication},
	{"auth/ja invalid token", srcNewAPIJa, [2]int{401, 403}, "無効なトークン", catalog.Authentication},
	{"auth/ru invalid token", srcNewAPIRu, [2]int{401, 403}, "Недопустимый токен", catalog.Authentication},

	// Account blocked.
	{"account/en frozen", srcSynonym, [2]int{403, 500}, "This account has been frozen.", catalog.PermissionDenied},
	{"account/en inactive", srcZhipu, [2]int{403, 500}, "Your account is currently inactive. Please check your account information", catalog.PermissionDenied},
	{"account/zh", srcTranslate, [2]int{403, 500}, "账户已被冻结，请联系客服", catalog.PermissionDenied},
	{"account/ja", srcNewAPIJa, [2]int{403, 500}, "ユーザーはBANされています", catalog.PermissionDenied},
	{"account/ko", srcNewAPIKo, [2]int{403, 500}, "사용자가 차단되었습니다.", catalog.PermissionDenied},
	{"account/ru", srcNewAPIRu, [2]int{403, 500}, "Пользователь заблокирован", catalog.PermissionDenied},

	// Model permission.
	{"model access/en", srcAihubmix, [2]int{403, 500}, "Forbidden – key not authorized to access the requested model.", catalog.PermissionDenied},
	{"model access/zh", srcAihubmix, [2]int{403, 500}, "当前分组下对于模型无使用权限", catalog.PermissionDenied},
	{"model access/ko", srcTranslate, [2]int{403, 500}, "이 키는 해당 모델을 사용할 권한이 없습니다.", catalog.PermissionDenied},
	{"model access/ja", srcTranslate, [2]int{403, 500}, "このモデルへのアクセス権がありません。", catalog.PermissionDenied},

	// Rate limit (on the statuses where its phrases are read).
	{"rate/en rate too high", srcSynonym, [2]int{429, 400}, "Request rate too high, please slow down.", catalog.RateLimited},
	{"rate/en rate exceeded", srcSynonym, [2]int{429, 400}, "Rate exceeded.", catalog.RateLimited},
	{"rate/zh", srcAihubmix, [2]int{429, 403}, "请求频率超过限制", catalog.RateLimited},
	{"rate/zh concurrency", srcZhipu, [2]int{429, 400}, "您当前使用该API的并发数过高，请降低并发", catalog.RateLimited},
	{"rate/ja", srcNewAPIJa, [2]int{429, 403}, "リクエスト制限に達しました：1分間で最大60リクエスト", catalog.RateLimited},
	{"rate/ko", srcNewAPIKo, [2]int{429, 403}, "요청 수 제한에 도달했습니다: 1분 내에 최대 60회 요청 가능", catalog.RateLimited},
	{"rate/ru", srcNewAPIRu, [2]int{429, 403}, "Вы достигли лимита запросов: максимум 60 запросов за 1 минут", catalog.RateLimited},
	{"rate/fr", srcTranslate, [2]int{429, 400}, "Trop de requêtes.", catalog.RateLimited},

	// Timeout (on the statuses where its phrases are read).
	{"timeout/zh", srcTranslate, [2]int{504, 500}, "上游请求超时", catalog.Timeout},
	{"timeout/ja", srcTranslate, [2]int{504, 500}, "リクエストがタイムアウトしました", catalog.Timeout},
	{"timeout/ko", srcTranslate, [2]int{504, 500}, "요청 시간 초과", catalog.Timeout},
	{"timeout/ru", srcTranslate, [2]int{504, 500}, "Превышено время ожидания ответа", catalog.Timeout},
}

// TestVocabulary classifies each wording of vocabCases as a JSON error
// body on its two statuses: the category and its retryability come from
// the words, whatever the status.
func TestVocabulary(t *testing.T) {
	type answer struct {
		Category  string
		Retryable bool
	}
	for _, tc := range vocabCases {
		if tc.source == "" {
			t.Errorf("%s: no source", tc.name)
		}
		body, err := json.Marshal(map[string]map[string]string{"error": {"message": tc.message}})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range tc.statuses {
			r := classify.Classify(st, nil, body)
			want := answer{tc.want.String(), tc.want.Retryable()}
			if diff := cmp.Diff(want, answer{r.Category.String(), r.Retryable}); diff != "" {
				t.Errorf("%s under %d (%s), rule %s (-want +got):\n%s", tc.name, st, tc.source, r.Rule, diff)
			}
		}
	}
}
