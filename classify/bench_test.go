package classify_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apierr/apierr/classify"
)

// benchBodies are typical error bodies, one per format, each under 1 KiB.
// Sources: OpenAI rate-limit and quota errors (platform.openai.com/docs/guides/error-codes),
// Anthropic errors (docs.anthropic.com/en/api/errors), Google RetryInfo (cloud.google.com/apis/design/errors),
// FastAPI's default bodies, nginx's 502 page (ngx_http_special_response.c).
var benchBodies = []benchBody{
	{"openai_429", 429, "application/json", `{"error":{"message":"Rate limit reached for gpt-4o in organization org-abc123 on tokens per min (TPM): Limit 30000, Used 29804, Requested 1042. Please try again in 1.692s. Visit https://platform.openai.com/account/rate-limits to learn more.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}`},
	{"openai_quota", 429, "application/json", `{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`},
	{"openai_context", 400, "application/json", `{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`},
	{"anthropic_529", 529, "application/json", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`},
	{"google_429", 429, "application/json", `{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}`},
	{"detail_401", 401, "application/json", `{"detail":"Incorrect API key provided"}`},
	{"vllm_400", 400, "application/json", `{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}`},
	{"tgi_422", 422, "application/json", `{"error":"Input validation error: ` + "`inputs`" + ` tokens + ` + "`max_new_tokens`" + ` must be <= 4096. Given: 4000 ` + "`inputs`" + ` tokens and 200 ` + "`max_new_tokens`" + `","error_type":"validation"}`},
	{"nginx_502", 502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"},
}

type benchBody struct {
	name   string
	status int
	ct     string
	body   string
}

// The typed structs a hand-written client would decode each body into:
// the baseline.
type (
	stdOpenAI struct {
		Error struct {
			Message string  `json:"message"`
			Type    string  `json:"type"`
			Param   *string `json:"param"`
			Code    any     `json:"code"` // string, number or null
		} `json:"error"`
	}
	stdAnthropic struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	stdGoogle struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Status  string `json:"status"`
			Details []struct {
				Type       string `json:"@type"`
				RetryDelay string `json:"retryDelay"`
			} `json:"details"`
		} `json:"error"`
	}
	stdDetail struct {
		Detail string `json:"detail"`
	}
	stdVLLM struct {
		Object  string  `json:"object"`
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    int     `json:"code"`
	}
	stdTGI struct {
		Error     string `json:"error"`
		ErrorType string `json:"error_type"`
	}
)

// stdTarget returns a fresh typed struct for the body named name.
func stdTarget(name string) any {
	switch {
	case strings.HasPrefix(name, "openai"):
		return new(stdOpenAI)
	case strings.HasPrefix(name, "anthropic"):
		return new(stdAnthropic)
	case strings.HasPrefix(name, "google"):
		return new(stdGoogle)
	case strings.HasPrefix(name, "detail"):
		return new(stdDetail)
	case strings.HasPrefix(name, "vllm"):
		return new(stdVLLM)
	case strings.HasPrefix(name, "tgi"):
		return new(stdTGI)
	}
	return nil
}

// BenchmarkStdJSON is the baseline: encoding/json decoding each body into a
// typed struct suited to it, nothing else.
func BenchmarkStdJSON(b *testing.B) {
	for _, bb := range benchBodies {
		if stdTarget(bb.name) == nil {
			continue
		}
		body := []byte(bb.body)
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if err := json.Unmarshal(body, stdTarget(bb.name)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClassify is a whole classification: sniffing, parsing, rules
// and message patterns, delays and hint.
func BenchmarkClassify(b *testing.B) {
	for _, bb := range benchBodies {
		body := []byte(bb.body)
		h := http.Header{"Content-Type": {bb.ct}}
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				classify.Classify(bb.status, h, body)
			}
		})
	}
}

// BenchmarkClassifyBody is a whole classification of the body alone, with
// no headers: the same input the encoding/json baseline sees.
func BenchmarkClassifyBody(b *testing.B) {
	for _, bb := range benchBodies {
		body := []byte(bb.body)
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				classify.Classify(bb.status, nil, body)
			}
		})
	}
}

// BenchmarkClassifyStatusOnly is the path with no body and no headers.
func BenchmarkClassifyStatusOnly(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		classify.Classify(503, nil, nil)
	}
}

// BenchmarkResponseHugeBody classifies a streamed body of 1 GiB (an
// endless reader that would yield it): B/op shows the memory is bounded by
// the 64 KiB limit, not by the body.
func BenchmarkResponseHugeBody(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		resp := &http.Response{StatusCode: 502, ContentLength: -1, Body: &endless{}}
		if _, err := classify.Response(resp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassifyRealHeaders is a whole classification with the headers
// OpenAI sends on a 429 (from a captured response of its API).
func BenchmarkClassifyRealHeaders(b *testing.B) {
	body := []byte(benchBodies[0].body)
	h := http.Header{
		"Date":                           {"Wed, 25 Nov 2026 03:00:00 GMT"},
		"Content-Type":                   {"application/json; charset=utf-8"},
		"Content-Length":                 {"292"},
		"Connection":                     {"keep-alive"},
		"Vary":                           {"Origin"},
		"X-Ratelimit-Limit-Requests":     {"10000"},
		"X-Ratelimit-Limit-Tokens":       {"30000"},
		"X-Ratelimit-Remaining-Requests": {"9999"},
		"X-Ratelimit-Remaining-Tokens":   {"0"},
		"X-Ratelimit-Reset-Requests":     {"6ms"},
		"X-Ratelimit-Reset-Tokens":       {"1.692s"},
		"X-Request-Id":                   {"req_7b6b0f0d4c3f4e2a9c1d"},
		"Strict-Transport-Security":      {"max-age=31536000; includeSubDomains; preload"},
		"Cf-Cache-Status":                {"DYNAMIC"},
		"Server":                         {"cloudflare"},
		"Cf-Ray":                         {"8f1c2d3e4a5b6c7d-AMS"},
		"Alt-Svc":                        {`h3=":443"; ma=86400`},
	}
	b.ReportAllocs()
	for b.Loop() {
		classify.Classify(429, h, body)
	}
}

// BenchmarkSpeedup times the encoding/json baseline and a whole
// classification of the same body alternately, in chunks within one
// benchmark, so that the machine's drift affects both alike, and reports
// both times and their ratio (speedup: baseline time over classification
// time). Headers are not passed: the baseline sees only the body.
func BenchmarkSpeedup(b *testing.B) { benchSpeedup(b, alternate) }

// BenchmarkSpeedupCPU is BenchmarkSpeedup timed in the thread's CPU time
// (alternateCPU) instead of the wall clock: on a machine that other work
// shares, the time the thread waits for a core counts for neither side.
func BenchmarkSpeedupCPU(b *testing.B) {
	benchSpeedup(b, func(b *testing.B, x, y func()) (float64, float64) { return alternateCPU(b, 256, x, y) })
}

// benchSpeedup times decoding each body into its SDK's struct against
// classifying it, with timer, and reports both and their ratio.
func benchSpeedup(b *testing.B, timer func(b *testing.B, x, y func()) (xNs, yNs float64)) {
	for _, bb := range benchBodies {
		if stdTarget(bb.name) == nil {
			continue
		}
		body := []byte(bb.body)
		b.Run(bb.name, func(b *testing.B) {
			std, lib := timer(b, func() {
				if err := json.Unmarshal(body, stdTarget(bb.name)); err != nil {
					b.Fatal(err)
				}
			}, func() {
				classify.Classify(bb.status, nil, body)
			})
			b.ReportMetric(std, "std-ns/op")
			b.ReportMetric(lib, "apierr-ns/op")
			b.ReportMetric(std/lib, "speedup")
		})
	}
}

// alternate runs x and y alternately, a chunk of calls of each at a time,
// for as long as b asks, and returns the nanoseconds per call of each:
// the machine's drift affects both alike, so their ratio is steady on a
// busy machine.
func alternate(b *testing.B, x, y func()) (xNs, yNs float64) {
	return alternateChunks(b, 256, x, y)
}

// alternateChunks is alternate with chunks of the given number of calls:
// fewer for the calls that take long, so that x and y take turns often.
func alternateChunks(b *testing.B, chunk int, x, y func()) (xNs, yNs float64) {
	var tx, ty time.Duration
	n := 0
	for b.Loop() {
		if n%chunk == 0 {
			start := time.Now()
			for range chunk {
				x()
			}
			tx += time.Since(start)
			start = time.Now()
			for range chunk {
				y()
			}
			ty += time.Since(start)
		}
		n++
	}
	runs := float64((n + chunk - 1) / chunk * chunk)
	return float64(tx.Nanoseconds()) / runs, float64(ty.Nanoseconds()) / runs
}

// BenchmarkHTMLvsJSON times a whole classification of the nginx 502 page
// and of the OpenAI 429 body alternately, in chunks within one benchmark,
// as BenchmarkSpeedup does, and reports their ratio (html/json: below 1
// when the page is the faster): the target is an HTML gateway page no
// slower than a JSON body.
func BenchmarkHTMLvsJSON(b *testing.B) {
	var page, js benchBody
	for _, bb := range benchBodies {
		switch bb.name {
		case "nginx_502":
			page = bb
		case "openai_429":
			js = bb
		}
	}
	pageBody, jsBody := []byte(page.body), []byte(js.body)
	htmlNs, jsonNs := alternate(b, func() {
		classify.Classify(page.status, nil, pageBody)
	}, func() {
		classify.Classify(js.status, nil, jsBody)
	})
	b.ReportMetric(htmlNs, "html-ns/op")
	b.ReportMetric(jsonNs, "json-ns/op")
	b.ReportMetric(htmlNs/jsonNs, "html/json")
}
