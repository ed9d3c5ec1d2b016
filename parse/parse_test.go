package parse_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/internal/testkit/sdktest"
	"github.com/apierr/apierr/parse"
)

// parseCase is one body and the whole Error that Parse must return for it.
type parseCase struct {
	name   string
	ct     string       // Content-Type; "" when unknown
	body   string       // the response body
	parser parse.Parser // zero: the defaults
	want   parse.Fields
}

// Shared bodies, also used by the fuzz seeds and the benchmarks.
const (
	openAI429 = `{"error":{"message":"Rate limit reached for gpt-4o in organization org-abc123 on tokens per min (TPM): Limit 30000, Used 29804, Requested 1042. Please try again in 1.692s. Visit https://platform.openai.com/account/rate-limits to learn more.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}`

	anthropicOverloaded = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`

	googleQuota = `{
  "error": {
    "code": 429,
    "message": "You exceeded your current quota, please check your plan and billing details.",
    "status": "RESOURCE_EXHAUSTED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests", "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]
      },
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"}
      },
      {
        "@type": "type.googleapis.com/google.rpc.RetryInfo",
        "retryDelay": "26s"
      }
    ]
  }
}`

	detailText = `{"detail":"Not Found"}`

	validationV1 = `{"detail":[{"loc":["body","messages",2,"content"],"msg":"field required","type":"value_error.missing"}]}`

	validationV2 = `{"detail":[{"type":"missing","loc":["body","model"],"msg":"Field required","input":{"messages":[{"role":"user","content":"hi"}]},"url":"https://errors.pydantic.dev/2.6/v/missing"},{"type":"int_parsing","loc":["query","n"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"two","url":"https://errors.pydantic.dev/2.6/v/int_parsing"}]}`

	tgiError = `{"error":"Input validation error: ` + "`inputs`" + ` tokens + ` + "`max_new_tokens`" + ` must be <= 2048. Given: 1959 ` + "`inputs`" + ` tokens and 100 ` + "`max_new_tokens`" + `","error_type":"validation"}`

	vllmError = `{"object":"error","message":"The model ` + "`gpt-4`" + ` does not exist.","type":"NotFoundError","param":null,"code":404}`

	bedrockMessage = `{"message":"Too many tokens, please wait before trying again."}`

	problemDetail = `{"title":"Unauthenticated","detail":"You did not pass an authentication token","status":401}`

	sseStream = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1721737661,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n" +
		"data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1721737661,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\n\n" +
		"data: {\"error\":{\"message\":\"That model is currently overloaded with other requests.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"

	nginx502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

	envoyText = "upstream connect error or disconnect/reset before headers. reset reason: connection failure\n"
)

var parseCases = []parseCase{
	// FastAPI / pydantic.
	{
		name: "detail/string",
		ct:   "application/json",
		body: detailText,
		want: parse.Fields{Format: parse.FormatDetail, Found: true, Message: "Not Found"},
	},
	{
		name: "detail/object with error",
		body: `{"detail": {"error": "Model is not loaded yet"}}`,
		want: parse.Fields{Format: parse.FormatDetail, Found: true, Message: "Model is not loaded yet"},
	},
	{
		name: "detail/status sibling is ignored",
		body: `{"status":400,"detail":"Invalid input"}`,
		want: parse.Fields{Format: parse.FormatDetail, Found: true, Message: "Invalid input"},
	},
	{
		name: "validation/pydantic v1",
		body: validationV1,
		want: parse.Fields{
			Format:  parse.FormatValidation,
			Found:   true,
			Message: "body.messages.2.content: field required",
			Issues:  []parse.Issue{{Loc: "body.messages.2.content", Msg: "field required", Type: "value_error.missing"}},
		},
	},
	{
		name: "validation/pydantic v2 two items joined",
		body: validationV2,
		want: parse.Fields{
			Format:  parse.FormatValidation,
			Found:   true,
			Message: "body.model: Field required; query.n: Input should be a valid integer, unable to parse string as an integer",
			Issues: []parse.Issue{
				{Loc: "body.model", Msg: "Field required", Type: "missing"},
				{Loc: "query.n", Msg: "Input should be a valid integer, unable to parse string as an integer", Type: "int_parsing"},
			},
		},
	},
	{
		name: "validation/item without loc",
		body: `{"detail":[{"msg":"bad request","type":"value_error"}]}`,
		want: parse.Fields{
			Format:  parse.FormatValidation,
			Found:   true,
			Message: "bad request",
			Issues:  []parse.Issue{{Msg: "bad request", Type: "value_error"}},
		},
	},
	{
		name: "validation/empty list",
		body: `{"detail":[]}`,
		want: parse.Fields{Format: parse.FormatValidation, Found: true},
	},

	// OpenAI and compatible.
	{
		name: "openai/code string, param null",
		ct:   "application/json",
		body: openAI429,
		want: parse.Fields{
			Format:  parse.FormatOpenAI,
			Found:   true,
			Message: "Rate limit reached for gpt-4o in organization org-abc123 on tokens per min (TPM): Limit 30000, Used 29804, Requested 1042. Please try again in 1.692s. Visit https://platform.openai.com/account/rate-limits to learn more.",
			Type:    "tokens",
			Code:    "rate_limit_exceeded",
		},
	},
	{
		name: "openai/code number",
		body: `{"error":{"code":502,"message":"Bad gateway.","param":null,"type":"cf_bad_gateway"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Bad gateway.", Type: "cf_bad_gateway", Code: "502"},
	},
	{
		name: "openai/code null, param set",
		body: `{"error":{"message":"Invalid 'messages[0].role': expected one of system, user.","type":"invalid_request_error","param":"messages[0].role","code":null}}`,
		want: parse.Fields{
			Format:  parse.FormatOpenAI,
			Found:   true,
			Message: "Invalid 'messages[0].role': expected one of system, user.",
			Type:    "invalid_request_error",
			Param:   "messages[0].role",
		},
	},
	{
		name: "openai/azure content_filter keeps outer code",
		body: `{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"sexual":{"filtered":true,"severity":"high"}}}}}`,
		want: parse.Fields{
			Format:  parse.FormatOpenAI,
			Found:   true,
			Message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
			Code:    "content_filter",
			Param:   "prompt",
		},
	},
	{
		name: "openai/azure innererror code when outer code absent",
		body: `{"error":{"message":"The response was filtered.","param":"prompt","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"violence":{"filtered":true,"severity":"medium"}}}}}`,
		want: parse.Fields{
			Format:  parse.FormatOpenAI,
			Found:   true,
			Message: "The response was filtered.",
			Code:    "ResponsibleAIPolicyViolation",
			Param:   "prompt",
		},
	},
	{
		name: "openai/error object without message but with code",
		body: `{"error":{"code":"DeploymentNotFound"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Code: "DeploymentNotFound"},
	},

	// {"error": "text"}.
	{
		name: "error_string/tgi error_type",
		body: tgiError,
		want: parse.Fields{
			Format:  parse.FormatErrorString,
			Found:   true,
			Message: "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048. Given: 1959 `inputs` tokens and 100 `max_new_tokens`",
			Type:    "validation",
		},
	},
	{
		name: "error_string/xai sibling code",
		body: `{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***ys. You can obtain an API key from https://console.x.ai."}`,
		want: parse.Fields{
			Format:  parse.FormatErrorString,
			Found:   true,
			Message: "Incorrect API key provided: xa***ys. You can obtain an API key from https://console.x.ai.",
			Code:    "Client specified an invalid argument",
		},
	},
	{
		name: "error_string/hf estimated_time",
		body: `{"error":"Model meta-llama/Llama-2-13b-chat is currently loading","estimated_time":20.0}`,
		want: parse.Fields{
			Format:           parse.FormatErrorString,
			Found:            true,
			Message:          "Model meta-llama/Llama-2-13b-chat is currently loading",
			RetryDelay:       20 * time.Second,
			RetryDelaySource: parse.SourceEstimatedTime,
		},
	},
	{
		name: "error_string/hf fractional estimated_time",
		body: `{"error":"Model x is currently loading","estimated_time":1.5}`,
		want: parse.Fields{
			Format:           parse.FormatErrorString,
			Found:            true,
			Message:          "Model x is currently loading",
			RetryDelay:       1500 * time.Millisecond,
			RetryDelaySource: parse.SourceEstimatedTime,
		},
	},
	{
		name: "error_string/estimated_time as string is ignored",
		body: `{"error":"loading","estimated_time":"20"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "loading"},
	},
	{
		name: "error_string/negative estimated_time is ignored",
		body: `{"error":"loading","estimated_time":-3}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "loading"},
	},
	{
		name: "error_string/huge estimated_time saturates",
		body: `{"error":"loading","estimated_time":1e300}`,
		want: parse.Fields{
			Format:           parse.FormatErrorString,
			Found:            true,
			Message:          "loading",
			RetryDelay:       time.Duration(1<<63 - 1),
			RetryDelaySource: parse.SourceEstimatedTime,
		},
	},
	{
		name: "error_string/list of strings",
		body: `{"error": ["Model gpt9 not found", "second"]}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Model gpt9 not found"},
	},
	{
		// Regression: a leading number was taken as "the first string", and
		// being no string it hid the message.
		name: "error_string/list with a number before the string",
		body: `{"error": [404, "Model gpt9 not found"]}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Model gpt9 not found"},
	},
	{
		name: "error_string/escaped quotes (ollama)",
		body: `{"error":"model \"llama3.1\" not found, try pulling it first"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: `model "llama3.1" not found, try pulling it first`},
	},

	// Anthropic.
	{
		name: "anthropic/overloaded with request_id",
		body: anthropicOverloaded,
		want: parse.Fields{
			Format:    parse.FormatAnthropic,
			Found:     true,
			Message:   "Overloaded",
			Type:      "overloaded_error",
			RequestID: "req_011CSHoEeqs5C35K2UUqR7Fy",
		},
	},
	{
		name: "anthropic/without top-level type is openai shape",
		body: `{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Request exceeds the maximum size", Type: "request_too_large"},
	},

	// Google.
	{
		name: "google/resource exhausted with ErrorInfo and RetryInfo 26s",
		body: googleQuota,
		want: parse.Fields{
			Format:           parse.FormatGoogle,
			Found:            true,
			Message:          "You exceeded your current quota, please check your plan and billing details.",
			Type:             "RESOURCE_EXHAUSTED",
			Code:             "RATE_LIMIT_EXCEEDED",
			RetryDelay:       26 * time.Second,
			RetryDelaySource: parse.SourceRetryInfo,
		},
	},
	{
		name: "google/fractional retryDelay 0.5s",
		body: `{"error":{"code":429,"message":"Resource exhausted.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.5s"}]}}`,
		want: parse.Fields{
			Format:           parse.FormatGoogle,
			Found:            true,
			Message:          "Resource exhausted.",
			Type:             "RESOURCE_EXHAUSTED",
			RetryDelay:       500 * time.Millisecond,
			RetryDelaySource: parse.SourceRetryInfo,
		},
	},
	{
		name: "google/api key invalid, numeric code dropped",
		body: `{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}`,
		want: parse.Fields{
			Format:  parse.FormatGoogle,
			Found:   true,
			Message: "API key not valid. Please pass a valid API key.",
			Type:    "INVALID_ARGUMENT",
			Code:    "API_KEY_INVALID",
		},
	},
	{
		name: "google/no details",
		body: `{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}`,
		want: parse.Fields{Format: parse.FormatGoogle, Found: true, Message: "The model is overloaded. Please try again later.", Type: "UNAVAILABLE"},
	},
	{
		name: "google/array wrapped",
		body: `[{
  "error": {
    "code": 429,
    "message": "Resource exhausted. Please try again later.",
    "status": "RESOURCE_EXHAUSTED"
  }
}
]`,
		want: parse.Fields{Format: parse.FormatGoogle, Found: true, Message: "Resource exhausted. Please try again later.", Type: "RESOURCE_EXHAUSTED"},
	},
	{
		name: "google/invalid retryDelay is ignored",
		body: `{"error":{"code":429,"message":"m","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"soon"}]}}`,
		want: parse.Fields{Format: parse.FormatGoogle, Found: true, Message: "m", Type: "RESOURCE_EXHAUSTED"},
	},
	{
		// Regression: the ErrorInfo reason was lost when "details" came
		// before the numeric "code" (JSON key order carries no meaning).
		name: "google/details before numeric code keeps reason",
		body: `{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}],"code":400,"message":"m","status":"INVALID_ARGUMENT"}}`,
		want: parse.Fields{Format: parse.FormatGoogle, Found: true, Message: "m", Type: "INVALID_ARGUMENT", Code: "API_KEY_INVALID"},
	},

	// Flat message shapes.
	{
		name: "message/lower case, not found on its own",
		body: bedrockMessage,
		want: parse.Fields{Format: parse.FormatMessage, Message: "Too many tokens, please wait before trying again."},
	},
	{
		name: "message/upper-case Message",
		body: `{"Message":"User is not authorized to access this resource with an explicit deny"}`,
		want: parse.Fields{Format: parse.FormatMessage, Message: "User is not authorized to access this resource with an explicit deny"},
	},
	{
		name: "message/aws __type",
		body: `{"__type":"com.amazon.coral.service#ThrottlingException","message":"Rate exceeded"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Rate exceeded", Type: "ThrottlingException"},
	},
	{
		name: "message/aws __type without namespace",
		body: `{"__type":"ValidationException","Message":"Malformed input request"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Malformed input request", Type: "ValidationException"},
	},
	{
		name: "message/error_code",
		body: `{"error_code":"RESOURCE_EXHAUSTED","message":"Too many requests, retry later."}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Too many requests, retry later.", Code: "RESOURCE_EXHAUSTED"},
	},
	{
		name: "message/azure apim statusCode",
		body: `{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 30 seconds." }`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Rate limit is exceeded. Try again in 30 seconds."},
	},
	{
		name: "vllm/object error with numeric code",
		body: vllmError,
		want: parse.Fields{Format: parse.FormatVLLM, Found: true, Message: "The model `gpt-4` does not exist.", Type: "NotFoundError", Code: "404"},
	},
	{
		name: "problem/title and detail",
		body: problemDetail,
		want: parse.Fields{Format: parse.FormatProblem, Found: true, Message: "You did not pass an authentication token"},
	},
	{
		name: "problem/title only",
		body: `{"title":"Too Many Requests","status":429}`,
		want: parse.Fields{Format: parse.FormatProblem, Found: true, Message: "Too Many Requests"},
	},
	{
		name: "problem/code member",
		body: `{"title":"Token Limit Exceeded","status":413,"detail":"Too many tokens.","code":"token_limit_exceeded"}`,
		want: parse.Fields{Format: parse.FormatProblem, Found: true, Message: "Too many tokens.", Code: "token_limit_exceeded"},
	},
	{
		name: "apigee/fault with faultstring and errorcode",
		body: `{"fault":{"faultstring":"Invalid ApiKey","detail":{"errorcode":"oauth.v2.InvalidApiKey"}}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Invalid ApiKey", Code: "oauth.v2.InvalidApiKey"},
	},
	{
		name: "jsonapi/errors array, string status is not a Google status",
		body: `{"errors":[{"status":"404","title":"Not Found","detail":"Agent agent-123 not found"}]}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Agent agent-123 not found"},
	},
	{
		name: "errors/array of strings",
		body: `{"errors":["invalid_prompts"]}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "invalid_prompts"},
	},
	{
		name: "error object/detail as the message",
		body: `{"error":{"detail":"Model 'llama3.2:3b' not found"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Model 'llama3.2:3b' not found"},
	},
	{
		name: "errors/an error member says it first",
		body: `{"error":"first","errors":[{"message":"second"}]}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "first"},
	},
	{
		name: "json/unknown shape with nested message",
		body: `{"Outcome":{"message":"nested somewhere"}}`,
		want: parse.Fields{Format: parse.FormatJSON, Message: "nested somewhere"},
	},
	{
		name: "json/unknown shape without message",
		body: `{"done":false,"reason":"nope"}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "json/bare number",
		body: `42`,
		want: parse.Fields{Format: parse.FormatText, Message: "42"},
	},

	// JSON re-wrapped inside message strings.
	{
		name: "nested/json object after a prefix",
		body: `{"error":{"message":"litellm.BadRequestError: OpenAIException - {\"error\":{\"message\":\"Invalid 'messages[1].content': string too long.\",\"type\":\"invalid_request_error\",\"param\":\"messages[1].content\",\"code\":\"string_above_max_length\"}}","type":null,"param":null,"code":"400"}}`,
		want: parse.Fields{
			Format:  parse.FormatOpenAI,
			Found:   true,
			Message: "Invalid 'messages[1].content': string too long.",
			Type:    "invalid_request_error",
			Code:    "string_above_max_length",
			Param:   "messages[1].content",
		},
	},
	{
		name: "nested/python repr with single quotes and None",
		body: `{"error":{"message":"Error code: 400 - {'error': {'message': \"This model's maximum context length is 8192 tokens.\", 'type': 'invalid_request_error', 'param': None, 'code': None}}","type":null,"param":null,"code":"400"}}`,
		want: parse.Fields{
			Format:  parse.FormatOpenAI,
			Found:   true,
			Message: "This model's maximum context length is 8192 tokens.",
			Type:    "invalid_request_error",
			Code:    "400",
		},
	},
	{
		name: "nested/anthropic body inside google message",
		body: "{\n  \"error\": {\n    \"code\": 400,\n    \"message\": \"{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"invalid_request_error\\\",\\\"message\\\":\\\"prompt is too long: 200903 tokens \\u003e 200000 maximum\\\"},\\\"request_id\\\":\\\"req_vrtx_011\\\"}\",\n    \"status\": \"INVALID_ARGUMENT\"\n  }\n}",
		want: parse.Fields{
			Format:  parse.FormatGoogle,
			Found:   true,
			Message: "prompt is too long: 200903 tokens > 200000 maximum",
			Type:    "invalid_request_error",
			// The upstream's request id survives the re-wrapping.
			RequestID: "req_vrtx_011",
		},
	},
	{
		name: "nested/body that is a JSON string",
		body: `"{\"error\":{\"message\":\"quoted body\",\"type\":\"invalid_request_error\"}}"`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "quoted body", Type: "invalid_request_error"},
	},
	{
		name: "nested/body that is a JSON string of text",
		body: `"  just text  "`,
		want: parse.Fields{Format: parse.FormatJSON, Message: "just text"},
	},
	{
		name: "nested/three levels fully unwrapped",
		body: nestedMessage(3),
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "innermost", Type: "deep"},
	},
	{
		name: "nested/braces without a quote are left alone",
		body: `{"error":{"message":"expected {x} got {y}","type":"t"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "expected {x} got {y}", Type: "t"},
	},
	{
		name: "nested/embedded json that is no error is left alone",
		body: `{"error":{"message":"bad input: {\"a\": 1}","type":"t"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: `bad input: {"a": 1}`, Type: "t"},
	},
	{
		name: "nested/plain text wrapping json is unwrapped but not found",
		ct:   "text/plain",
		body: `OpenAIException - {"error":{"message":"inner","type":"server_error"}}`,
		want: parse.Fields{Format: parse.FormatText, Message: "inner", Type: "server_error"},
	},

	// Server-Sent Events.
	{
		name: "sse/error chunk after normal chunks",
		ct:   "text/event-stream",
		body: sseStream,
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "That model is currently overloaded with other requests.", Type: "server_error"},
	},
	{
		// xLLM writes its refusals as the whole body of the stream
		// (github.com/jd-opensource/xllm, api_service).
		name: "sse/a stream of plain text is an error",
		ct:   "text/event-stream; charset=utf-8",
		body: "Prompt is too long",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Prompt is too long"},
	},
	{
		// llama.cpp's server through 2025 (b5966) wrote its errors as a
		// field of their own (round 25 first-sight fixture
		// llama.cpp/sse_error_field_context_overflow_200).
		name: "sse/an error field of its own",
		ct:   "text/event-stream",
		body: "error: {\"code\":400,\"message\":\"the request exceeds the available context size. try increasing the context size or enable context shift\",\"type\":\"invalid_request_error\"}\n\ndata: [DONE]\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "the request exceeds the available context size. try increasing the context size or enable context shift", Type: "invalid_request_error", Code: "400"},
	},
	{
		name: "sse/an error field of null is no error",
		ct:   "text/event-stream",
		body: "data: {\"choices\":[]}\nerror: null\n\ndata: [DONE]\n\n",
		want: parse.Fields{Format: parse.FormatSSE},
	},
	{
		name: "sse/comment lines only are a stream",
		ct:   "text/event-stream",
		body: ": keep-alive\n\n",
		want: parse.Fields{Format: parse.FormatSSE},
	},
	{
		name: "sse/sniffed without content type",
		body: sseStream,
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "That model is currently overloaded with other requests.", Type: "server_error"},
	},
	{
		name: "sse/event error with anthropic payload",
		ct:   "text/event-stream; charset=utf-8",
		body: "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n" +
			"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Overloaded", Type: "overloaded_error"},
	},
	{
		name: "sse/responses response.failed",
		ct:   "text/event-stream",
		body: "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"error\":null}}\n\n" +
			"event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"The model failed to generate a response.\"}}}\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "The model failed to generate a response.", Code: "server_error"},
	},
	{
		name: "sse/responses flat error event",
		ct:   "text/event-stream",
		body: "event: error\ndata: {\"type\":\"error\",\"code\":\"ERR_SOMETHING\",\"message\":\"Something went wrong\",\"param\":null,\"sequence_number\":1}\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Something went wrong", Type: "error", Code: "ERR_SOMETHING"},
	},
	{
		name: "sse/event error with non-JSON payload",
		ct:   "text/event-stream",
		body: "event: error\ndata: upstream connect error\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "upstream connect error"},
	},
	{
		name: "sse/comment lines before the error",
		body: ": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\ndata: {\"error\":{\"message\":\"Provider returned error\",\"code\":502}}\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Provider returned error", Code: "502"},
	},
	{
		name: "sse/crlf line endings",
		ct:   "text/event-stream",
		body: "event: ping\r\ndata: {}\r\n\r\nevent: error\r\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}\r\n\r\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Internal server error", Type: "api_error"},
	},
	{
		name: "sse/no error",
		ct:   "text/event-stream",
		body: "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
		want: parse.Fields{Format: parse.FormatSSE},
	},
	{
		name: "sse/tgi error_string mid stream",
		ct:   "text/event-stream",
		body: "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Both\"},\"finish_reason\":null}]}\n\ndata: {\"error\":\"Input validation error\",\"error_type\":\"validation\"}\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Input validation error", Type: "validation"},
	},
	{
		// Questionable, kept as is (see report): a JSON body served as an
		// event stream is not read as JSON.
		// A gateway that answers a streaming request with a plain JSON
		// error keeps the stream's Content-Type: the body decides.
		name: "sse/content type event-stream with a plain JSON body",
		ct:   "text/event-stream",
		body: `{"error":{"message":"x"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "x"},
	},

	// In-band safety blocks.
	{
		name: "safety/gemini finishReason SAFETY in a stream",
		ct:   "text/event-stream",
		body: "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"probability\":\"HIGH\"}]}]}\r\n\r\n",
		want: parse.Fields{Format: parse.FormatSafetyBlock, Found: true, Type: parse.TypeSafetyBlock, Code: "SAFETY"},
	},
	{
		name: "safety/gemini finishReason SAFETY",
		body: `{"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_SEXUALLY_EXPLICIT","probability":"NEGLIGIBLE"}]}]}`,
		want: parse.Fields{Format: parse.FormatSafetyBlock, Found: true, Type: parse.TypeSafetyBlock, Code: "SAFETY"},
	},
	{
		name: "safety/openai finish_reason content_filter",
		body: `{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}]}`,
		want: parse.Fields{Format: parse.FormatSafetyBlock, Found: true, Type: parse.TypeSafetyBlock, Code: "content_filter"},
	},
	{
		// Zhipu's chat completion: finish_reason "sensitive" when its
		// safety review blocked the output.
		name: "safety/zhipu finish_reason sensitive",
		body: `{"id":"1","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"sensitive"}]}`,
		want: parse.Fields{Format: parse.FormatSafetyBlock, Found: true, Type: parse.TypeSafetyBlock, Code: "sensitive"},
	},
	{
		// The failure flag of many JSON APIs (xiaozhi-esp32-server's
		// vision endpoint, on a 200).
		name: "flag/success false",
		body: `{"success":false,"message":"Image too large"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Image too large"},
	},
	{
		name: "flag/ok false without a message",
		body: `{"ok":false,"traceback":"Traceback (most recent call last): ..."}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true},
	},
	{
		name: "flag/success true is no error",
		body: `{"success":true,"message":"Queued"}`,
		want: parse.Fields{Format: parse.FormatMessage, Message: "Queued"},
	},
	// A failure code beside a text under a name of its own.
	{
		// midjourney-proxy's task submit answer (round 6 first-sight
		// fixture midjourney-proxy/queue_full_in_200).
		name: "code/description beside a failure code",
		body: `{"code":23,"description":"队列已满，请稍后尝试","result":null,"properties":{}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "队列已满，请稍后尝试", Code: "23"},
	},
	{
		// Unstract's MCP server (round 36 first-sight fixture
		// unstract/mcp_extract_rate_limit_frame_200): a tool's failure
		// inside a JSON-RPC success.
		name: "mcp/tool result with isError",
		body: `{"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": "Rate limit exceeded for this organization."}], "isError": true}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Rate limit exceeded for this organization."},
	},
	{
		name: "mcp/tool result without isError is no failure",
		body: `{"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": "Rate limits: 20 per minute."}], "isError": false}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "mcp/a result without isError is no failure",
		body: `{"result": {"content": [{"type": "text", "text": "error: none"}]}, "success": true}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "code/a failure flag beside a description",
		body: `{"success": false, "description": "Insufficient balance"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Insufficient balance"},
	},
	{
		// The Vercel AI SDK's UI message stream (round 36 first-sight
		// fixture buildingai/points_insufficient_stream_200).
		name: "sse/errorText beside type error",
		ct:   "text/event-stream",
		body: "data: {\"type\":\"start\",\"messageId\":\"x\"}\n\ndata: {\"type\":\"error\",\"errorText\":\"积分不足，请充值后重试\"}\n\ndata: [DONE]\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "积分不足，请充值后重试", Type: "error"},
	},
	{
		name: "sse/content beside type text is no error",
		ct:   "text/event-stream",
		body: "data: {\"type\":\"text\",\"content\":\"an error message about errors\"}\n\n",
		want: parse.Fields{Format: parse.FormatSSE},
	},
	{
		// aiflowy (round 36 first-sight fixture
		// aiflowy/public_wiki_model_missing_sse_200).
		name: "type ERROR with its payload",
		body: `{"domain":"SYSTEM","payload":{"code":"SYSTEM_ERROR","message":"模型不存在","retryable":false},"type":"ERROR"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "模型不存在", Code: "SYSTEM_ERROR", Type: "ERROR"},
	},
	{
		// farfalle's stream (round 37 first-sight fixture
		// farfalle/rate_limit_sse_200).
		name: "event error with its detail under data",
		body: `{"event": "error", "data": {"event_type": "error", "detail": "Rate limit exceeded, please try again later."}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Rate limit exceeded, please try again later."},
	},
	{
		name: "event message with a detail is no error",
		body: `{"event": "message", "data": {"detail": "Rate limits explained"}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// Skywork (round 34 first-sight fixture skywork/unauthorized_401).
		name: "code/code_msg beside a failure code",
		body: `{"code": 401, "code_msg": "Unauthorized", "trace_id": "xxx"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Unauthorized", Code: "401"},
	},
	{
		name: "code/retMsg of success beside a zero code",
		body: `{"code":0,"retMsg":"ok","data":{}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "code/errmsg beside errcode",
		body: `{"errcode":40001,"errmsg":"invalid credential"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "invalid credential", Code: "40001"},
	},
	{
		// VoiceRSS (round 20 first-sight fixture
		// voicerss/api_key_not_available_200).
		name: "text that starts with ERROR: is an error",
		body: "ERROR: The API key is not available!",
		want: parse.Fields{Format: parse.FormatText, Found: true, Message: "ERROR: The API key is not available!"},
	},
	{
		name: "text that names an error later is not one",
		body: "Hello. The last error: none",
		want: parse.Fields{Format: parse.FormatText, Message: "Hello. The last error: none"},
	},
	{
		// Jimeng's web API (round 18 first-sight fixture
		// jimeng/credit_prededuct_failed_5001).
		name: "code/errmsg beside a non-zero ret",
		body: `{"ret":"5001","errmsg":"credit prededuct failed","systime":"1772937024","data":{"aigc_data":null}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "credit prededuct failed", Code: "5001"},
	},
	{
		name: "a zero ret is a success",
		body: `{"ret":"0","errmsg":"success","data":{"id":1}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "a ret that is not a number is not a code",
		body: `{"ret":"hello","text":"a return value"}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// db-gpt's stream frame (round 6 fixture db-gpt/stream_gpu_oom_200).
		name: "code/text beside error_code in a stream",
		ct:   "text/event-stream",
		body: "data: {\"error_code\": 1, \"text\": \"**GPU OutOfMemory, Please Refresh.**\", \"finish_reason\": null}\n\ndata: [DONE]\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "**GPU OutOfMemory, Please Refresh.**", Code: "1"},
	},
	{
		name: "code/text beside a success code is the answer",
		body: `{"text":"Hello there","error_code":0}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "code/description without a code is no error",
		body: `{"description":"A model for chat","name":"m1"}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},

	{
		// Tencent Cloud API 3.0's envelope, on a 200 (round 8 first-sight
		// fixture tencent-cloud-asr/signature_failure_200, from
		// tencentcloud-sdk-go's common error codes).
		name: "envelope/Response Error Code Message",
		body: `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"ed93f3cb"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "The provided credentials could not be validated.",
			Code: "AuthFailure.SignatureFailure", RequestID: "ed93f3cb"},
	},
	{
		name: "envelope/Response without an Error is no error",
		body: `{"Response":{"Result":"ok","RequestId":"r1"}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// D-ID's error object (round 8 fixture d-id/face_error_200).
		name: "error object/kind and description",
		body: `{"status":"error","error":{"kind":"FaceError","description":"No valid face detected"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "No valid face detected", Code: "FaceError"},
	},
	{
		// Mindee's async job (round 8 fixture mindee/async_job_failed_200).
		name: "job/failed job with an error object",
		body: `{"api_request":{"error":{},"status":"success","status_code":200},"job":{"id":"j1","status":"failed","error":{"code":"ServerError","message":"An error occurred"}}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "An error occurred"},
	},

	{
		// crynux relay's validation error (round 8 fixture
		// crynux/insufficient_relay_balance_400).
		name: "code/snake_case message with the text under data",
		body: `{"message":"validation_error","data":{"field_name":"task_fee","message":"Insufficient relay account balance"}}`,
		want: parse.Fields{Format: parse.FormatMessage, Message: "Insufficient relay account balance", Code: "validation_error"},
	},
	{
		name: "code/a sentence message keeps its place",
		body: `{"message":"Invalid field","data":{"message":"other"}}`,
		want: parse.Fields{Format: parse.FormatMessage, Message: "Invalid field"},
	},

	{
		// Kagi's v0 API (round 11 first-sight fixture
		// kagi/insufficient_credit_v0_400, from its published client's
		// test fixture): a list of error objects.
		name: "error list/first object",
		body: `{"meta":{"api_balance":0.0},"data":null,"error":[{"code":101,"msg":"Insufficient credit to perform this request."}]}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Insufficient credit to perform this request.", Code: "101"},
	},
	{
		name: "error list/a string after an object is not the message",
		body: `{"error":[{"message":"first"},"second"]}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "first"},
	},
	{
		name: "error list/strings keep the first",
		body: `{"error":["first",{"message":"second"}]}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "first"},
	},
	{
		// Alibaba Cloud's RPC envelope on a 200 (round 11 fixture
		// alibaba-cloud-mt/param_error_10004_in_200).
		name: "code/capitalised Code beside Message",
		body: `{"Message":"参数出错","Code":"10004"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "参数出错", Code: "10004"},
	},
	{
		name: "code/capitalised success Code is no error",
		body: `{"Message":"OK","Code":"200"}`,
		want: parse.Fields{Format: parse.FormatMessage, Message: "OK", Code: "200"},
	},
	{
		// Qdrant's response envelope (round 11 fixture
		// qdrant/inference_auth_failed_500; qdrant's lib/api
		// ApiStatus::Error).
		name: "frame/status object with an error text",
		body: `{"status":{"error":"Not found: Collection ` + "`test`" + ` doesn't exist!"},"time":0.000012}`,
		want: parse.Fields{Format: parse.FormatFrame, Found: true, Message: "Not found: Collection `test` doesn't exist!"},
	},
	{
		name: "frame/status ok with a result is no error",
		body: `{"result":{"collections":[]},"status":"ok","time":0.000012}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// MemOS's stream frame (round 11 fixture
		// memos/llm_generation_error_stream_200).
		name: "type error/text under data",
		ct:   "text/event-stream",
		body: "data: {\"type\": \"error\", \"data\": \"模型生成错误: Connection error.\"}\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "模型生成错误: Connection error.", Type: "error"},
	},
	{
		name: "type error/data beside another type is no error",
		body: `{"type":"text","data":"hello"}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// Refact's stream frame (round 11 fixture refact/stream_timeout_200):
		// a failed state with its text under a name of its own.
		name: "job/failed state with a message member of its own",
		ct:   "text/event-stream",
		body: "data: {\"status\": \"error\", \"human_readable_message\": \"timeout\", \"caps_version\": 1}\n\ndata: [DONE]\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "timeout"},
	},
	{
		name: "job/a message member of its own without a failure is no error",
		body: `{"status":"done","welcome_message":"hello"}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// Pangea's response envelope (round 11 fixture
		// pangea/validation_error_200): the state names its error's class.
		name: "job/state named by an error class is the code",
		body: `{"request_id":"some-id","status":"ValidationError","result":{"errors":[]},"summary":"bad request"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Code: "ValidationError", RequestID: "some-id"},
	},
	{
		// chatgpt-web's reply (round 11 fixture
		// chatgpt-web/no_access_rights_200).
		name: "job/state Unauthorized is the code",
		body: `{"status":"Unauthorized","message":"Error: 无访问权限 | No access rights","data":null}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Error: 无访问权限 | No access rights", Code: "Unauthorized"},
	},
	{
		name: "job/state NoError is no failure",
		body: `{"status":"NoError","message":"done"}`,
		want: parse.Fields{Format: parse.FormatMessage, Message: "done"},
	},
	{
		// Casibase's stream (round 11 fixture
		// casibase/context_overflow_zh_sse_200): an event name of its own
		// that ends as an error's.
		name: "sse/event named myerror",
		ct:   "text/event-stream",
		body: "event: myerror\ndata: too many tokens\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "too many tokens"},
	},
	{
		// langchain4j-aideepin's Spring SseEmitter (round 34 first-sight
		// fixture aideepin/monthly_quota_used_en_sse_200): the name in
		// brackets, no space after the colons.
		name: "sse/event named in brackets",
		ct:   "text/event-stream",
		body: "event:[ERROR]\ndata:Monthly quota exhausted\n\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Monthly quota exhausted"},
	},
	{
		name: "sse/event named [DONE] is no error",
		ct:   "text/event-stream",
		body: "event: [DONE]\ndata: [DONE]\n\n",
		want: parse.Fields{Format: parse.FormatSSE},
	},
	{
		name: "sse/event named message is no error",
		ct:   "text/event-stream",
		body: "event: message\ndata: hello\n\n",
		want: parse.Fields{Format: parse.FormatSSE},
	},
	{
		// Chroma's error body (round 12 first-sight fixture
		// chroma/quota_num_databases_422, from chroma's Rust frontend):
		// "error" names the class, "message" says what happened.
		name: "error string/a class name beside a message",
		body: `{"error":"ChromaError","message":"Quota exceeded: 'Number of databases' exceeded quota limit"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Quota exceeded: 'Number of databases' exceeded quota limit", Type: "ChromaError"},
	},
	{
		name: "error string/a sentence keeps its place beside a message",
		body: `{"error":"Model not found","message":"see the docs"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Model not found"},
	},
	{
		// llamactl's writeError (round 24 fixture
		// llamactl/instance_shutting_down_503): "error" is a code, the
		// text is under "details".
		name: "error string/a code beside a details text",
		body: `{"error":"instance_shutting_down","details":"Instance is shutting down"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Instance is shutting down", Code: "instance_shutting_down"},
	},
	{
		// stable-diffusion-webui's handle_exception (testdata/real
		// stable-diffusion-webui/sampler_not_found_404): a class name
		// beside FastAPI's "detail".
		name: "error string/a class name beside a detail text",
		body: `{"error":"HTTPException","detail":"Sampler not found","body":"","errors":"404: Sampler not found"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Sampler not found", Code: "HTTPException"},
	},
	{
		name: "error string/a sentence keeps its place beside details",
		body: `{"error":"Model not found","details":"see the docs"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Model not found"},
	},
	{
		name: "error string/an empty details text leaves the code as the message",
		body: `{"error":"instance_shutting_down","details":""}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "instance_shutting_down"},
	},
	{
		// Explorium (round 12 fixture explorium/insufficient_credits_403).
		name: "detail/a details string",
		body: `{"details":"You have insufficient credits to perform this operation.","correlation_id":"48264"}`,
		want: parse.Fields{Format: parse.FormatDetail, Found: true, Message: "You have insufficient credits to perform this operation."},
	},
	{
		// Nixtla (classify/testdata/real nixtla/invalid_api_key_401).
		name: "detail/a message beside details wins",
		body: `{"data":null,"message":"Invalid API key","details":"Key not found","code":"A12"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Invalid API key", Code: "A12"},
	},
	{
		name: "detail/details that are a list are not a message",
		body: `{"details":[{"reason":"x"}]}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// Yandex's XML search API (round 13 first-sight fixture
		// yandex-search-api/key_error_42_200): an <error> element with
		// its code, on a 200.
		name: "xml/error element with a code",
		ct:   "text/xml",
		body: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<yandexsearch version=\"1.0\">\n  <response>\n    <error code=\"42\">Ключ содержит ошибку</error>\n  </response>\n</yandexsearch>\n",
		want: parse.Fields{Format: parse.FormatXML, Found: true, Message: "Ключ содержит ошибку", Code: "42"},
	},
	{
		name: "xml/an empty error element is no error",
		ct:   "text/xml",
		body: `<result><error/><value>1</value></result>`,
		want: parse.Fields{Format: parse.FormatHTML},
	},
	{
		name: "xml/errors is not error",
		ct:   "text/xml",
		body: `<result><errors>0</errors></result>`,
		want: parse.Fields{Format: parse.FormatHTML},
	},
	{
		// Weaviate's batch result (round 13 fixture
		// weaviate/batch_vectorizer_openai_quota_200).
		name: "errors/an object holding a list of error objects",
		body: `{"errors":{"error":[{"message":"update vector: You exceeded your current quota"}]}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "update vector: You exceeded your current quota"},
	},
	{
		// NestJS's HttpException body: "error" is the reason phrase.
		name: "nestjs/message beside the reason phrase",
		body: `{"statusCode":402,"message":"Not enough credits","error":"Payment Required"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Not enough credits"},
	},
	{
		// Supertone's documented errors (round 7 fixture
		// supertone/not_enough_credits_402): the NestJS body under a
		// "message" beside "status": "error".
		name: "nestjs/nested under message beside status error",
		body: `{"status": "error", "message": {"message": "Not enough credits", "error": "Payment Required", "statusCode": 402}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Not enough credits"},
	},
	{
		// Lightspeed Stack's {"detail": {"cause", "response"}} (round 2
		// fixture lightspeed-stack/model_not_found_404).
		name: "detail object/cause before response",
		body: `{"detail": {"cause": "Model with ID gpt-4o-mini does not exist", "response": "Model not found"}}`,
		want: parse.Fields{Format: parse.FormatDetail, Found: true, Message: "Model with ID gpt-4o-mini does not exist"},
	},

	{
		// remove.bg's errors (round 9 fixture removebg/api_key_invalid_403):
		// a JSON:API error with a title and no detail.
		name: "jsonapi/title without a detail is the message",
		body: `{"errors":[{"title":"API Key invalid","code":"auth_failed"}]}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "API Key invalid", Code: "auth_failed"},
	},

	{
		// BiSheng's envelope (round 10 fixture bisheng/no_permission_200).
		name: "code/status_code and status_message",
		body: `{"status_code":403,"status_message":"No permission to operate","data":{"exception":"No permission to operate"}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "No permission to operate", Code: "403"},
	},
	{
		name: "code/status_code 200 is no error",
		body: `{"status_code":200,"status_message":"success","data":{}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// PixVerse (round 10 fixture pixverse/invalid_param_200).
		name: "code/ErrCode and ErrMsg",
		body: `{"ErrCode": 400017,"ErrMsg": "invalid param","Resp": null}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "invalid param", Code: "400017"},
	},
	{
		// PaddleSpeech (round 10 fixture paddlespeech/tts_invalid_speed_200).
		name: "flag/success false with a message object",
		body: `{"success": false, "code": 400, "message": {"description": "invalid speed value, the value should be between 0 and 3."}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "invalid speed value, the value should be between 0 and 3."},
	},
	{
		// Meshy's failed task (round 10 fixture meshy/task_failed_server_busy_200).
		name: "job/FAILED with a task_error",
		body: `{"id":"t1","status":"FAILED","task_error":{"message":"The server is busy. Please try again later."}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "The server is busy. Please try again later."},
	},

	// A task whose state says it failed, polled with a 200.
	{
		// Kling's task query (round 5 fixture
		// kling/task_failed_image_pixel_invalid_in_200).
		name: "job/data task_status failed",
		body: `{"code": 0, "data": {"task_id": "833446756", "task_info": {}, "task_result": {}, "task_status": "failed", "task_status_msg": "Image pixel is invalid"}, "message": "SUCCEED", "request_id": "ace7625a"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Image pixel is invalid", RequestID: "ace7625a"},
	},
	{
		// BFL's result poll (round 4 fixture bfl/request_moderated_in_200).
		name: "job/status Request Moderated",
		body: "{\n  \"id\": \"your-task-id\",\n  \"status\": \"Request Moderated\",\n  \"result\": null\n}",
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Request Moderated"},
	},
	{
		name: "job/top-level FAILED with a failure and its code",
		body: `{"id":"t1","status":"FAILED","failure":"Input rejected","failureCode":"INPUT.REJECTED"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Input rejected", Code: "INPUT.REJECTED"},
	},
	{
		name: "job/output task_status FAILED with code and message",
		body: `{"request_id":"r1","output":{"task_id":"t1","task_status":"FAILED","code":"InvalidParameter","message":"bad size"}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "bad size", Code: "InvalidParameter", RequestID: "r1"},
	},
	{
		name: "job/failed without a reason keeps an empty message",
		body: `{"code": 0, "data": {"task_id": "t1", "status": "failed", "progress": 100}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true},
	},
	{
		name: "job/failed task with an error string",
		body: `{"data": {"task_id": "t1", "status": "failed", "error": "out of credits"}}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "out of credits"},
	},
	{
		name: "job/a running task is no error",
		body: `{"code": 0, "message": "SUCCEED", "data": {"task_id": "t1", "task_status": "processing"}}`,
		want: parse.Fields{Format: parse.FormatMessage, Message: "SUCCEED", Code: "0"},
	},
	{
		name: "job/a data array is skipped",
		body: `{"object":"list","data":[{"status":"failed"}]}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "safety/anthropic stop_reason refusal",
		body: `{"id":"msg_1","type":"message","role":"assistant","content":[],"stop_reason":"refusal","stop_sequence":null}`,
		want: parse.Fields{Format: parse.FormatSafetyBlock, Found: true, Type: parse.TypeSafetyBlock, Code: "refusal"},
	},
	{
		name: "safety/gemini promptFeedback blockReason",
		body: `{"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": [{"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"}]}}`,
		want: parse.Fields{Format: parse.FormatSafetyBlock, Found: true, Type: parse.TypeSafetyBlock, Code: "SAFETY"},
	},
	{
		name: "safety/blockReason unspecified is not a block",
		body: `{"promptFeedback": {"blockReason": "BLOCK_REASON_UNSPECIFIED"}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "safety/finishReason STOP is not a block",
		body: `{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP","index":0}]}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "safety/marker inside a string value does not match",
		body: `{"text":"she wrote \"finishReason\": \"SAFETY\" in a doc"}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},

	// HTML.
	{
		name: "html/a declared HTML page is not searched for an XML <message>",
		body: "<!DOCTYPE html><html><head><title>Error</title></head><body><message>not XML</message></body></html>",
		want: parse.Fields{Format: parse.FormatHTML, Message: "Error"},
	},
	{
		name: "html/<html> first, then a <message> element",
		body: "\n <HTML lang=en><title>Bad Gateway</title><Message>x</Message></HTML>",
		want: parse.Fields{Format: parse.FormatHTML, Message: "Bad Gateway"},
	},
	{
		name: "xml/<htmlx> is not an HTML tag: the <message> element wins",
		body: "<htmlx><Message>Rate exceeded</Message></htmlx>",
		want: parse.Fields{Format: parse.FormatXML, Found: true, Message: "Rate exceeded"},
	},
	{
		name: "html/nginx 502 title",
		ct:   "text/html",
		body: nginx502,
		want: parse.Fields{Format: parse.FormatHTML, Message: "502 Bad Gateway"},
	},
	{
		name: "html/no title, first h1",
		ct:   "text/html",
		body: "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n",
		want: parse.Fields{Format: parse.FormatHTML, Message: "503 Service Unavailable"},
	},
	{
		name: "html/empty title falls back to h1",
		body: "<html><head><title> </title></head><body><h1 class=\"x\">Oops</h1></body></html>",
		want: parse.Fields{Format: parse.FormatHTML, Message: "Oops"},
	},
	{
		name: "html/entities",
		body: "<html><head><title>Tom &amp; Jerry&#39;s&nbsp;&nbsp;page &#x27;x&#x27; &lt;b&gt; &bogus; &#0;</title></head></html>",
		want: parse.Fields{Format: parse.FormatHTML, Message: "Tom & Jerry's page 'x' <b> &bogus; &#0;"},
	},
	{
		name: "html/white space collapsed",
		body: "<html><title>\n   502\n\t Bad   Gateway  \r\n</title></html>",
		want: parse.Fields{Format: parse.FormatHTML, Message: "502 Bad Gateway"},
	},
	{
		name: "html/upper-case tags",
		body: "<HTML><HEAD><TITLE>503 Service Unavailable</TITLE></HEAD><BODY></BODY></HTML>",
		want: parse.Fields{Format: parse.FormatHTML, Message: "503 Service Unavailable"},
	},
	{
		name: "html/tags inside h1 removed",
		body: "<html><body><h1>\n  <span class=\"a\">A timeout occurred</span>\n  <span>Error code 524</span>\n</h1></body></html>",
		want: parse.Fields{Format: parse.FormatHTML, Message: "A timeout occurred Error code 524"},
	},
	{
		name: "html/cloudflare title",
		ct:   "text/html; charset=UTF-8",
		body: "<!DOCTYPE html>\n\n <html class=\"no-js\" lang=\"en-US\">\n<head>\n\n<title>example.com | 524: A timeout occurred</title>\n<meta charset=\"UTF-8\" />\n</head>\n<body><h1>A timeout occurred</h1></body></html>\n",
		want: parse.Fields{Format: parse.FormatHTML, Message: "example.com | 524: A timeout occurred"},
	},
	{
		name: "html/no title and no h1",
		body: "<html><body><p>nothing</p></body></html>",
		want: parse.Fields{Format: parse.FormatHTML},
	},
	{
		// A body labelled HTML with no tag at all is text (Express's
		// res.send sets text/html: express-gateway's "Bad gateway.").
		name: "html/content type html on plain text",
		ct:   "text/html",
		body: "Bad Gateway",
		want: parse.Fields{Format: parse.FormatText, Message: "Bad Gateway"},
	},
	{
		name: "html/content type html on a fragment without a title",
		ct:   "text/html",
		body: "Bad <b>Gateway</b>",
		want: parse.Fields{Format: parse.FormatHTML},
	},

	// XML.
	{
		name: "xml/s3 style error",
		ct:   "application/xml",
		body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>",
		want: parse.Fields{Format: parse.FormatXML, Found: true, Message: "Access Denied", Code: "AccessDenied"},
	},

	// Text and empty.
	{
		name: "text/trimmed",
		ct:   "text/plain",
		body: "  " + envoyText,
		want: parse.Fields{Format: parse.FormatText, Message: "upstream connect error or disconnect/reset before headers. reset reason: connection failure"},
	},
	{
		name: "empty/no body",
		body: "",
		want: parse.Fields{Format: parse.FormatEmpty},
	},
	{
		name: "empty/white space only",
		ct:   "application/json",
		body: " \r\n\t \n",
		want: parse.Fields{Format: parse.FormatEmpty},
	},
	{
		name: "empty/byte order mark only",
		body: "\xef\xbb\xbf",
		want: parse.Fields{Format: parse.FormatEmpty},
	},

	// Tolerance.
	{
		name: "tolerance/utf-8 bom",
		body: "\xef\xbb\xbf{\"error\":{\"message\":\"with bom\",\"type\":\"t\"}}",
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "with bom", Type: "t"},
	},
	{
		name: "tolerance/raw newline inside a string",
		body: "{\"error\":{\"message\":\"line one\nline two\",\"type\":\"t\"}}",
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "line one\nline two", Type: "t"},
	},
	{
		name: "tolerance/trailing garbage after the object",
		body: `{"error":{"message":"m","type":"t"}}garbage}]]"`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "m", Type: "t"},
	},
	{
		name: "tolerance/truncated in the middle of the message",
		body: `{"error":{"type":"tokens","message":"Rate limit reached for gpt-4o in organiz`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Rate limit reached for gpt-4o in organiz", Type: "tokens"},
	},
	{
		name: "tolerance/truncated after a key",
		body: `{"error":{"message":`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "tolerance/invalid utf-8 becomes U+FFFD",
		body: "{\"error\":{\"message\":\"bad \xff\xfe byte \xe2\x82 end\"}}",
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "bad \uFFFD\uFFFD byte \uFFFD\uFFFD end"},
	},
	{
		name: "tolerance/invalid utf-8 in plain text",
		body: "oops \xc0\xaf",
		want: parse.Fields{Format: parse.FormatText, Message: "oops \uFFFD\uFFFD"},
	},
	{
		name: "tolerance/unicode escapes",
		body: `{"error":{"message":"caf\u00e9 \ud83d\ude00 lone \ud800 low \udc00x pair? \ud800\u0041 \u00","type":"\u0074"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "café 😀 lone \uFFFD low \uFFFDx pair? \uFFFDA \uFFFD00", Type: "t"},
	},
	{
		name: "tolerance/simple escapes",
		body: `{"error":{"message":"a\tb\\c\/d\"e\nf\u0020g\qh"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "a\tb\\c/d\"e\nf gqh"},
	},
	{
		// Duplicate keys: the last one wins, like encoding/json.
		name: "tolerance/duplicate keys last wins",
		body: `{"error":{"message":"first","type":"a","message":"second","type":"b"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "second", Type: "b"},
	},
	{
		// Regression: the error object won over a later "error" string.
		name: "tolerance/duplicate error key, string after object",
		body: `{"error":{"message":"object"},"error":"string"}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "string"},
	},
	{
		name: "tolerance/duplicate error key, object after string",
		body: `{"error":"string","error":{"message":"object"}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "object"},
	},
	{
		// Regression: the validation list won over a later "detail" string.
		name: "tolerance/duplicate detail key, string after list",
		body: `{"detail":[{"msg":"m"}],"detail":"text"}`,
		want: parse.Fields{Format: parse.FormatDetail, Found: true, Message: "text"},
	},
	{
		name: "tolerance/keys are case-sensitive",
		body: `{"MESSAGE":"x","ERROR":{"message":"y"}}`,
		want: parse.Fields{Format: parse.FormatJSON, Message: "y"},
	},
	{
		name: "tolerance/upper-case MESSAGE is not a message",
		body: `{"MESSAGE":"x"}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "tolerance/single-quoted python dict",
		body: `{'error': {'message': 'python repr', 'type': None}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "python repr"},
	},
	{
		name: "tolerance/surrounding space trimmed in every field",
		body: "{\"error\":{\"message\":\"  \\n padded \\t \",\"type\":\" t \",\"code\":\" c \",\"param\":\" p \"},\"request_id\":\" r \"}",
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "padded", Type: "t", Code: "c", Param: "p", RequestID: "r"},
	},

	// Limit.
	{
		name:   "limit/MaxBytes 10 truncates",
		body:   `{"error":"0123456789"}`,
		parser: parse.Parser{MaxBytes: 10},
		want:   parse.Fields{Format: parse.FormatErrorString, Found: true, Truncated: true},
	},
	{
		name:   "limit/MaxBytes 18 keeps a partial message",
		body:   `{"error":"0123456789"}`,
		parser: parse.Parser{MaxBytes: 18},
		want:   parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "01234567", Truncated: true},
	},
	{
		name:   "limit/body of exactly MaxBytes is not truncated",
		body:   `{"error":"0123456789"}`,
		parser: parse.Parser{MaxBytes: 22},
		want:   parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "0123456789"},
	},
	{
		name: "limit/default limit applies when MaxBytes is 0",
		body: `{"error":"` + strings.Repeat("a", parse.DefaultMaxBytes) + `"}`,
		want: parse.Fields{
			Format:    parse.FormatErrorString,
			Found:     true,
			Message:   strings.Repeat("a", parse.DefaultMaxBytes-len(`{"error":"`)),
			Truncated: true,
		},
	},
	{
		name:   "limit/negative MaxBytes means the default",
		body:   `{"error":"` + strings.Repeat("a", parse.DefaultMaxBytes) + `"}`,
		parser: parse.Parser{MaxBytes: -1},
		want: parse.Fields{
			Format:    parse.FormatErrorString,
			Found:     true,
			Message:   strings.Repeat("a", parse.DefaultMaxBytes-len(`{"error":"`)),
			Truncated: true,
		},
	},
	{
		name: "limit/truncation inside a utf-8 sequence",
		body: `{"error":"é"}`,
		// The limit cuts "é" (2 bytes) after its first byte.
		parser: parse.Parser{MaxBytes: len(`{"error":"`) + 1},
		want:   parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "\uFFFD", Truncated: true},
	},

	// Regressions found by reading the code and by FuzzParse.
	{
		// Used to loop for ever: elem saw ':' as the start of a value that
		// skip never consumed.
		name: "regression/colon in a top-level array",
		body: `[:`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "regression/colon in a validation list",
		body: `{"detail":[:]}`,
		want: parse.Fields{Format: parse.FormatValidation, Found: true},
	},
	{
		// The stray ':' ends the item, as anything unexpected does, so
		// "msg" is not read; the (empty) item is still listed.
		name: "regression/colon in a validation loc",
		body: `{"detail":[{"loc":[:],"msg":"m"}]}`,
		want: parse.Fields{Format: parse.FormatValidation, Found: true, Issues: []parse.Issue{{}}},
	},
	{
		name: "regression/colon in google details",
		body: `{"error":{"message":"m","details":[:]}}`,
		want: parse.Fields{Format: parse.FormatGoogle, Found: true, Message: "m"},
	},
	{
		// Loc and the summary were not trimmed.
		name: "regression/validation loc and summary trimmed",
		body: `{"detail":[{"loc":[" body","x "]},{}]}`,
		want: parse.Fields{
			Format:  parse.FormatValidation,
			Found:   true,
			Message: "body.x",
			Issues:  []parse.Issue{{Loc: "body.x"}, {}},
		},
	},

	// Gateways and serving layers that carry the upstream's error inside
	// their own.
	{
		name: "openrouter/metadata.raw JSON body is the message",
		body: `{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"{\"error\":{\"message\":\"Your account is suspended due to insufficient balance\",\"type\":\"exceeded_current_quota_error\"}}","provider_name":"Moonshot AI","is_byok":true}}}`,
		want: parse.Fields{
			Format: parse.FormatOpenAI, Found: true,
			Message: "Your account is suspended due to insufficient balance", Type: "exceeded_current_quota_error",
			Code: "429", Upstream: "Moonshot AI",
		},
	},
	{
		name: "openrouter/metadata.raw plain text is the message",
		body: `{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"m is temporarily rate-limited upstream.","provider_name":"BaseTen"}}}`,
		want: parse.Fields{
			Format: parse.FormatOpenAI, Found: true,
			Message: "m is temporarily rate-limited upstream.", Code: "429", Upstream: "BaseTen",
		},
	},
	{
		// litellm#16226: raw is an object, not a relayed body; the
		// gateway's message stays, the upstream is still named.
		name: "openrouter/metadata.raw not a string",
		body: `{"error":{"message":"Error processing stream","metadata":{"provider_name":"Google","raw":{"retryable":true}}}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Error processing stream", Upstream: "Google"},
	},
	{
		name: "openrouter/metadata.raw empty keeps the gateway's message",
		body: `{"error":{"message":"Provider returned error","code":502,"metadata":{"raw":"  ","provider_name":"X"}}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Provider returned error", Code: "502", Upstream: "X"},
	},
	{
		name: "openrouter/metadata without raw",
		body: `{"error":{"message":"Insufficient credits","code":402,"metadata":{"limit_source":"openrouter_credits"}}}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Message: "Insufficient credits", Code: "402"},
	},
	{
		name: "databricks/external_model_message",
		body: `{"error":"Received error from databricks-model-serving","external_model_message":{"error_code":"INVALID_PARAMETER_VALUE","message":"INVALID_PARAMETER_VALUE: Missing required embeddings parameter: 'input'"}}`,
		want: parse.Fields{
			Format: parse.FormatErrorString, Found: true,
			Message: "INVALID_PARAMETER_VALUE: Missing required embeddings parameter: 'input'", Code: "INVALID_PARAMETER_VALUE",
		},
	},
	{
		name: "mistral/object message with a validation list",
		body: `{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","store"],"msg":"Extra inputs are not permitted"}]},"type":"invalid_request_error","param":null,"code":null}`,
		want: parse.Fields{
			Format: parse.FormatVLLM, Found: true,
			Message: "body.store: Extra inputs are not permitted", Type: "invalid_request_error",
		},
	},
	// AWS event streams (Bedrock ConverseStream): the exception message
	// after the events.
	{
		// The throttling message Bedrock sent mid-stream in
		// https://github.com/aws-samples/aws-genai-llm-chatbot/issues/220.
		name: "eventstream/throttlingException after a chunk",
		ct:   "application/vnd.amazon.eventstream",
		body: sdktest.EventStreamMessage([][2]string{{":event-type", "chunk"}, {":content-type", "application/json"}, {":message-type", "event"}}, `{"bytes":"eyJ0eXBlIjoibWVzc2FnZV9zdGFydCJ9"}`) +
			sdktest.EventStreamMessage([][2]string{{":exception-type", "throttlingException"}, {":content-type", "application/json"}, {":message-type", "exception"}}, `{"message":"Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again."}`),
		want: parse.Fields{
			Format: parse.FormatEventStream, Found: true, Type: "throttlingException",
			Message: "Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again.",
		},
	},
	{
		// The payload of https://github.com/aws-samples/foundation-model-benchmarking-tool/issues/247;
		// no Content-Type: the prelude is sniffed.
		name: "eventstream/serviceUnavailableException sniffed",
		body: sdktest.EventStreamMessage([][2]string{{":message-type", "exception"}, {":exception-type", "serviceUnavailableException"}}, `{"message":"Bedrock is unable to process your request."}`),
		want: parse.Fields{
			Format: parse.FormatEventStream, Found: true, Type: "serviceUnavailableException",
			Message: "Bedrock is unable to process your request.",
		},
	},
	{
		name: "eventstream/unmodeled error message",
		body: sdktest.EventStreamMessage([][2]string{{":message-type", "error"}, {":error-code", "InternalFailure"}, {":error-message", "An internal error occurred."}}, ""),
		want: parse.Fields{Format: parse.FormatEventStream, Found: true, Type: "InternalFailure", Message: "An internal error occurred."},
	},
	{
		name: "eventstream/only events",
		ct:   "application/vnd.amazon.eventstream",
		body: sdktest.EventStreamMessage([][2]string{{":message-type", "event"}, {":event-type", "messageStop"}}, `{"stopReason":"end_turn"}`),
		want: parse.Fields{Format: parse.FormatEventStream},
	},
	{
		// The message cut after its headers: its declared length runs
		// past the end, and what is there is read.
		name: "eventstream/truncated exception",
		ct:   "application/vnd.amazon.eventstream",
		body: sdktest.EventStreamMessage(streamErrHeaders, `{"message":"stream failed"}`)[:len(sdktest.EventStreamMessage(streamErrHeaders, ""))-4],
		want: parse.Fields{Format: parse.FormatEventStream, Found: true, Type: "modelStreamErrorException"},
	},
	{
		name: "eventstream/declared length too small",
		ct:   "application/vnd.amazon.eventstream",
		body: "\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00:message-type",
		want: parse.Fields{Format: parse.FormatEventStream},
	},
	{
		name: "qianfan/error_msg and numeric error_code",
		body: `{"error_code":17,"error_msg":"Open api daily request limit reached"}`,
		want: parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Open api daily request limit reached", Code: "17"},
	},
	// Errors a body carries where the first reading does not look: wrapped
	// in an envelope member of the server's own naming (up to two levels,
	// a list only with one element), in a later line of newline-delimited
	// JSON, or written into an event stream without "data:".
	{
		// NucliaDB's NDJSON answer stream (round 13 fixture
		// nucliadb/ask_stream_error_item_200).
		name: "wrapped/item envelope",
		ct:   "application/json",
		body: `{"item":{"type":"error","error":"Unexpected error while generating the answer. Please try again later."}}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Unexpected error while generating the answer. Please try again later."},
	},
	{
		// Bing chat's final frame (round 9 fixture bing-chat/throttled_frame_200).
		name: "wrapped/two levels",
		ct:   "application/json",
		body: `{"type":2,"invocationId":"0","item":{"requestId":"e","result":{"value":"Throttled","message":"Request is throttled.","error":"Request is throttled."}}}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "Request is throttled."},
	},
	{
		// Yandex Vision's per-item result (round 12 fixture
		// yandex-vision/cannot_decode_image_200).
		name: "wrapped/list of results",
		ct:   "application/json",
		body: `{"results":[{"error":{"code":3,"message":"Can't decode Image"}}]}`,
		want: parse.Fields{Format: parse.FormatOpenAI, Found: true, Code: "3", Message: "Can't decode Image"},
	},
	{
		// VK Cloud Vision's per-object result under its envelope (round
		// 13 fixture vk-cloud-vision/face_set_one_face_200).
		name: "wrapped/list under an envelope",
		ct:   "application/json",
		body: `{"status":200,"body":{"objects":[{"status":1,"error":"face set required only one face per image","name":"file"}]}}`,
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "face set required only one face per image"},
	},
	{
		name: "wrapped/too deep",
		ct:   "application/json",
		body: `{"a":{"b":{"c":{"error":"deep"}}}}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "wrapped/list in a list",
		ct:   "application/json",
		body: `{"results":[{"results":[{"error":{"code":3,"message":"deep"}}]}]}`,
		want: parse.Fields{Format: parse.FormatJSON, Message: "deep"},
	},
	{
		name: "wrapped/success chunk",
		ct:   "application/json",
		body: `{"choices":[{"delta":{"content":"hi"}}]}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "wrapped/error in a success's text",
		ct:   "application/json",
		body: `{"choices":[{"message":{"role":"assistant","content":"the \"error\": field is null"}}]}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "wrapped/a listing with a failed job",
		ct:   "application/json",
		body: `{"object":"list","jobs":[{"id":"j1","status":"succeeded"},{"id":"j2","status":"failed","error":{"code":"x","message":"failed"}}]}`,
		want: parse.Fields{Format: parse.FormatJSON, Message: "failed"},
	},
	{
		name: "wrapped/null error of an item",
		ct:   "application/json",
		body: `{"results":[{"id":"1","error":null,"output":"ok"}]}`,
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "wrapped/ok code of an item",
		ct:   "application/json",
		body: `{"result":{"code":0,"message":"success","error_code":0}}`,
		want: parse.Fields{Format: parse.FormatJSON, Message: "success"},
	},
	{
		// Ollama's runner failing after the first tokens (round 16
		// fixture ollama/runner_unexpected_eof_stream_200).
		name: "ndjson/error after output",
		ct:   "application/x-ndjson",
		body: "{\"model\":\"llama3.1\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How\"},\"done\":false}\n{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n",
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "an error was encountered while running the model: unexpected EOF"},
	},
	{
		name: "ndjson/clean stream",
		ct:   "application/x-ndjson",
		body: "{\"model\":\"m\",\"done\":false}\n{\"model\":\"m\",\"done\":true}\n",
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		name: "ndjson/error first",
		ct:   "application/x-ndjson",
		body: "{\"error\":\"first\"}\n{\"error\":\"second\"}\n",
		want: parse.Fields{Format: parse.FormatErrorString, Found: true, Message: "first"},
	},
	{
		name: "ndjson/trailing text",
		ct:   "application/x-ndjson",
		body: "{\"model\":\"m\"}\nnot json {\"error\":\"x\"}",
		want: parse.Fields{Format: parse.FormatJSON},
	},
	{
		// Round 16 fixture firebase-ai-logic/stream_error_mid_stream_499_in_200.
		name: "sse/bare json/error after the last event",
		ct:   "text/event-stream",
		body: "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"First \"}]}}]}\n\n{\n  \"error\": {\n    \"code\": 499,\n    \"message\": \"The operation was cancelled.\",\n    \"status\": \"CANCELLED\"\n  }\n}\n",
		want: parse.Fields{Format: parse.FormatSSE, Found: true, Message: "The operation was cancelled.", Type: "CANCELLED"},
	},
	{
		name: "sse/bare json/bare success",
		ct:   "text/event-stream",
		body: "data: {\"x\": 1}\n\n{\"usage\": {\"total\": 3}}\n",
		want: parse.Fields{Format: parse.FormatSSE},
	},
}

// nestedMessage returns an OpenAI error body whose message wraps, n times
// over, another OpenAI error body as JSON text; the innermost message is
// "innermost" and its type "deep".
func nestedMessage(n int) string {
	s := `{"error":{"message":"innermost","type":"deep"}}`
	for range n {
		b, err := json.Marshal(map[string]any{"error": map[string]any{"message": "wrapped - " + s}})
		if err != nil {
			panic(err)
		}
		s = string(b)
	}
	return s
}

func TestParse(t *testing.T) {
	names := map[string]bool{}
	for _, c := range parseCases {
		if names[c.name] {
			t.Errorf("duplicate case name %q", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			got := c.parser.Parse(c.ct, []byte(c.body))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Parse(%q, %.200q) mismatch (-want +got):\n%s", c.ct, c.body, diff)
			}
		})
	}
}

// TestParseShorthand checks that Parse is Parser{}.Parse.
func TestParseShorthand(t *testing.T) {
	for _, c := range parseCases {
		if c.parser != (parse.Parser{}) {
			continue
		}
		if diff := cmp.Diff(parse.Parser{}.Parse(c.ct, []byte(c.body)), parse.Parse(c.ct, []byte(c.body))); diff != "" {
			t.Errorf("%s: Parse differs from Parser{}.Parse (-parser +shorthand):\n%s", c.name, diff)
		}
	}
}

// TestParseDoesNotModifyBody checks that Parse leaves the body alone and
// that the Error it returns does not share memory with it.
func TestParseDoesNotModifyBody(t *testing.T) {
	for _, c := range parseCases {
		body := []byte(c.body)
		got := c.parser.Parse(c.ct, body)
		if string(body) != c.body {
			t.Fatalf("%s: Parse modified the body", c.name)
		}
		for i := range body {
			body[i] = 'X'
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: Error changed after the body was overwritten (-want +got):\n%s", c.name, diff)
		}
	}
}

// TestParseDepthBound nests an error body 20 levels deep inside message
// strings. Each level doubles the backslashes, so the body is 16 MiB: with
// the default limit it is truncated and Parse must still return a message;
// without a limit, unwrapping must stop at its bound and return the text of
// one of the levels.
func TestParseDepthBound(t *testing.T) {
	const levels = 20
	body := []byte(nestedMessage(levels))

	got := parse.Parse("application/json", body)
	if got.Format != parse.FormatOpenAI || !got.Found || !got.Truncated || got.Message == "" {
		t.Errorf("default limit: Format %q, Found %v, Truncated %v, Message %.80q; want openai, true, true, a message",
			got.Format, got.Found, got.Truncated, got.Message)
	}

	got = parse.Parser{MaxBytes: 2 * len(body)}.Parse("application/json", body)
	if got.Format != parse.FormatOpenAI || !got.Found || got.Truncated {
		t.Fatalf("no limit: Format %q, Found %v, Truncated %v; want openai, true, false", got.Format, got.Found, got.Truncated)
	}
	if got.Message == "innermost" {
		t.Fatalf("no limit: all %d levels unwrapped; the bound did not apply", levels)
	}
	level := -1
	for i := range levels {
		if got.Message == "wrapped - "+nestedMessage(i) {
			level = i
		}
	}
	if level < 0 {
		t.Fatalf("no limit: message is none of the levels: %.200q", got.Message)
	}
	t.Logf("unwrapping stopped with %d of %d levels still wrapped", level+1, levels)
}

// TestParseDeepNesting feeds structures nested far beyond maxDepth.
func TestParseDeepNesting(t *testing.T) {
	const n = 100000
	bodies := map[string]string{
		"arrays":         strings.Repeat("[", n),
		"objects":        strings.Repeat(`{"a":`, n),
		"error objects":  strings.Repeat(`{"error":`, n),
		"detail objects": strings.Repeat(`{"detail":`, n),
		"messages":       strings.Repeat(`{"message":`, n) + `"x"`,
		"closed arrays":  strings.Repeat("[", n) + strings.Repeat("]", n),
		"quoted strings": strings.Repeat(`"\"`, 1000),
		"error in error": strings.Repeat(`{"error":{"error":`, n),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			got := parse.Parse("", []byte(body))
			if got.Format == "" {
				t.Errorf("no format")
			}
		})
	}
}

// TestSSEMultiLineData: an event whose JSON payload is split over several
// data lines (the spec joins them with "\n") is found, with all its
// fields; a stream without the split allocates nothing for joining.
func TestSSEMultiLineData(t *testing.T) {
	body := "event: error\ndata: {\"type\": \"error\",\ndata:  \"error\": {\"type\": \"overloaded_error\",\ndata:   \"message\": \"Overloaded\"}}\n\n"
	got := parse.Parse("text/event-stream", []byte(body))
	want := parse.Fields{Format: parse.FormatSSE, Found: true, Message: "Overloaded", Type: "overloaded_error"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	clean := []byte(strings.Repeat("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n", 50))
	if n := testing.AllocsPerRun(20, func() { parse.Parse("text/event-stream", clean) }); n != 0 {
		t.Errorf("a clean stream costs %v allocations, want 0", n)
	}
}

// TestUnwrapKeepsRequestID: a gateway that re-wraps an upstream body as
// text keeps the upstream request id when it has none of its own.
func TestUnwrapKeepsRequestID(t *testing.T) {
	body := `{"error":{"code":400,"message":"{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"},\"request_id\":\"req_vrtx_011\"}","status":"INVALID_ARGUMENT"}}`
	got := parse.Parse("application/json", []byte(body))
	if got.RequestID != "req_vrtx_011" || got.Message != "prompt is too long: 210000 tokens > 200000 maximum" {
		t.Errorf("got %+v", got)
	}
}

// TestLongNumbers: delays of any number of digits are read in one pass:
// too large saturates, 0.<many zeros>1 rounds to zero, and a plain-text
// body's message is cut at MaxTextMessage.
func TestLongNumbers(t *testing.T) {
	zeros, nines := strings.Repeat("0", 100000), strings.Repeat("9", 30)
	google := func(d string) string {
		return `{"error":{"code":429,"message":"m","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"` + d + `"}]}}`
	}
	type delay struct {
		D   time.Duration
		Src string
	}
	tests := []struct {
		name string
		body string
		want delay
	}{
		{"retryDelay of 30 digits saturates", google(nines + "s"), delay{1<<63 - 1, parse.SourceRetryInfo}},
		{"retryDelay 0.<100,000 zeros>1s", google("0." + zeros + "1s"), delay{0, parse.SourceRetryInfo}},
		{"retryDelay 1.5s", google("1.5s"), delay{1500 * time.Millisecond, parse.SourceRetryInfo}},
		{"retryDelay with an exponent is ignored", google("1e3s"), delay{}},
		{"retryDelay negative is ignored", google("-1s"), delay{}},
		{"estimated_time of 30 digits saturates", `{"error":"loading","estimated_time":` + nines + `}`, delay{1<<63 - 1, parse.SourceEstimatedTime}},
		{"estimated_time 0.<100,000 zeros>1", `{"error":"loading","estimated_time":0.` + zeros + `1}`, delay{0, parse.SourceEstimatedTime}},
		{"estimated_time 2.5e1", `{"error":"loading","estimated_time":2.5e1}`, delay{25 * time.Second, parse.SourceEstimatedTime}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parse.Parser{MaxBytes: 1 << 20}.Parse("application/json", []byte(tt.body))
			if diff := cmp.Diff(tt.want, delay{e.RetryDelay, e.RetryDelaySource}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestTextMessageCut: a plain-text body longer than MaxTextMessage becomes
// a message of its first MaxTextMessage bytes, or fewer so as not to split
// a character.
func TestTextMessageCut(t *testing.T) {
	for _, tt := range []struct {
		name string
		body string
		want int // message length
	}{
		{"short", "Internal Server Error", len("Internal Server Error")},
		{"exactly the limit", strings.Repeat("a", parse.MaxTextMessage), parse.MaxTextMessage},
		{"longer", strings.Repeat("a", 3*parse.MaxTextMessage), parse.MaxTextMessage},
		{"a 3-byte character across the cut", strings.Repeat("a", parse.MaxTextMessage-1) + "€" + "tail", parse.MaxTextMessage - 1},
		{"a 4-byte character across the cut", strings.Repeat("a", parse.MaxTextMessage-2) + "😀" + "tail", parse.MaxTextMessage - 2},
	} {
		e := parse.Parse("text/plain", []byte(tt.body))
		if len(e.Message) != tt.want || !utf8.ValidString(e.Message) || !strings.HasPrefix(tt.body, e.Message) {
			t.Errorf("%s: message of %d bytes (valid UTF-8 %v), want %d", tt.name, len(e.Message), utf8.ValidString(e.Message), tt.want)
		}
	}
}

// TestRelayedDepthBound nests OpenRouter's error.metadata.raw past the
// depth bound (each level doubles the escaping, so ten levels make some
// 40 KB): the parse stops unwrapping at the bound and still returns a
// message.
func TestRelayedDepthBound(t *testing.T) {
	s := `{"error":{"message":"innermost","type":"deep"}}`
	for i := range 10 {
		b, err := json.Marshal(map[string]any{"error": map[string]any{
			"message": "Provider returned error", "metadata": map[string]any{"raw": s, "provider_name": "p" + strings.Repeat("x", i%3)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		s = string(b)
	}
	e := parse.Parse("application/json", []byte(s))
	if !e.Found || e.Message == "" {
		t.Fatalf("Parse of 10 nested relays = %+v, want a found error with a message", e)
	}
	if e.Message == "innermost" {
		t.Errorf("the innermost body, 10 levels down, was reached: the depth bound did not apply")
	}
}

var streamErrHeaders = [][2]string{{":message-type", "exception"}, {":exception-type", "modelStreamErrorException"}}

// TestParseInto: ParseInto writes what Parse returns over any earlier
// content of the Error, for every body of the parse table and with a
// limit that truncates.
func TestParseInto(t *testing.T) {
	for _, c := range parseCases {
		for _, p := range []parse.Parser{{}, {MaxBytes: 16}} {
			want := p.Parse(c.ct, []byte(c.body))
			got := parse.Fields{Message: "stale", Type: "stale", Truncated: true, Found: true,
				RetryDelay: time.Hour, RetryDelaySource: "stale", Issues: []parse.Issue{{Msg: "stale"}}}
			p.ParseInto(&got, c.ct, []byte(c.body))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, MaxBytes %d: (-Parse +ParseInto):\n%s", c.name, p.MaxBytes, diff)
			}
		}
	}
}
