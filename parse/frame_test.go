package parse_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/parse"
)

// TestStatusFrames: a body whose status member reports a failure is an
// error on its own (Found), whatever the HTTP status; a success code is
// not.
func TestStatusFrames(t *testing.T) {
	tests := []struct {
		name string
		body string
		want parse.Fields
	}{
		{"MiniMax base_resp", `{"id":"x","choices":null,"base_resp":{"status_code":1008,"status_msg":"insufficient balance"}}`,
			parse.Fields{Format: parse.FormatFrame, Found: true, Code: "1008", Message: "insufficient balance"}},
		{"MiniMax success", `{"id":"x","choices":[],"base_resp":{"status_code":0,"status_msg":""}}`,
			parse.Fields{Format: parse.FormatJSON}},
		{"iFlytek header", `{"header":{"code":10013,"message":"input audit failed","sid":"cht000","status":2}}`,
			parse.Fields{Format: parse.FormatFrame, Found: true, Code: "10013", Message: "input audit failed"}},
		{"iFlytek success header", `{"header":{"code":0,"message":"Success","sid":"cht000","status":2},"payload":{}}`,
			parse.Fields{Format: parse.FormatJSON, Message: "Success"}},
		// Alibaba Cloud's speech gateway (round 10 fixture
		// alibaba-cloud-nls/idle_timeout_task_failed): an 8-digit status
		// and its text; 20000000 is success.
		{"speech gateway status", `{"header":{"namespace":"Default","name":"TaskFailed","status":40000004,"status_text":"Gateway:IDLE_TIMEOUT:Websocket session is idle for too long time"}}`,
			parse.Fields{Format: parse.FormatFrame, Found: true, Code: "40000004", Message: "Gateway:IDLE_TIMEOUT:Websocket session is idle for too long time"}},
		{"speech gateway success", `{"header":{"namespace":"SpeechTranscriber","name":"TranscriptionStarted","status":20000000,"status_text":"Gateway:SUCCESS:Success."}}`,
			parse.Fields{Format: parse.FormatJSON}},
		{"gateway resultCode", `{"header":{"resultCode":20004,"resultMessage":"20004 Usage quota exceeded","isSuccessful":false}}`,
			parse.Fields{Format: parse.FormatFrame, Found: true, Code: "20004", Message: "20004 Usage quota exceeded"}},
		// Tencent Cloud's digital human API (round 14 fixture
		// tencent-cloud-digital-human/compute_insufficient_-101001_zh):
		// the frame's members capitalised.
		{"capitalised header", `{"Header": {"Code": -101001, "Message": "算力不足", "RequestID": "123"}}`,
			parse.Fields{Format: parse.FormatFrame, Found: true, Code: "-101001", Message: "算力不足"}},
		{"capitalised header success", `{"Header": {"Code": 0, "Message": "success", "RequestID": "123"}, "Payload": {}}`,
			parse.Fields{Format: parse.FormatJSON, Message: "success"}},
		{"CLOVA Studio status object", `{"status":{"code":"40003","message":"Context length exceeded"},"result":null}`,
			parse.Fields{Format: parse.FormatFrame, Found: true, Code: "40003", Message: "Context length exceeded"}},
		{"CLOVA Studio success", `{"status":{"code":"20000","message":"OK"},"result":{"message":{"content":"hi"}}}`,
			parse.Fields{Format: parse.FormatJSON, Message: "OK"}},
		{"numeric status of failure", `{"status":429,"message":"Too many requests"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Code: "429", Message: "Too many requests"}},
		// A status counted as Alibaba Cloud's speech gateway counts it, at
		// the top level (FunSpeech, round 32): 4xxxxxxx is a failure,
		// 20000000 success; four digits are no status.
		{"eight-digit status of failure", `{"task_id":"d07f","result":"","status":40000002,"message":"audio file too large"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Code: "40000002", Message: "audio file too large"}},
		{"eight-digit status of success", `{"task_id":"x","result":"hello","status":20000000,"message":"SUCCESS"}`,
			parse.Fields{Format: parse.FormatMessage, Message: "SUCCESS"}},
		{"four-digit status", `{"status":4001,"message":"queued"}`,
			parse.Fields{Format: parse.FormatMessage, Message: "queued"}},
		// A code name with no message (Tolgee, round 33): the body's code,
		// though alone it does not make the body an error; a code that is
		// a word is not taken.
		{"code name without a message", `{"code":"out_of_credits","params":[0,0]}`,
			parse.Fields{Format: parse.FormatJSON, Code: "out_of_credits"}},
		{"code word without a message", `{"code":"Created","id":1}`,
			parse.Fields{Format: parse.FormatJSON}},
		{"numeric status of success", `{"status":200,"message":"ok"}`,
			parse.Fields{Format: parse.FormatMessage, Message: "ok"}},
		{"code zero is success", `{"code":0,"message":"success","data":{"id":1}}`,
			parse.Fields{Format: parse.FormatMessage, Code: "0", Message: "success"}},
		{"code 200 is success", `{"code":"200","message":"ok"}`,
			parse.Fields{Format: parse.FormatMessage, Code: "200", Message: "ok"}},
		{"code of failure", `{"code":30011,"message":"balance is insufficient","data":null}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Code: "30011", Message: "balance is insufficient"}},
		{"msg with a code of failure", `{"code":-1,"msg":"Too many requests"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Code: "-1", Message: "Too many requests"}},
		{"msg with code zero", `{"code":0,"msg":"success","data":{"id":1}}`,
			parse.Fields{Format: parse.FormatMessage, Code: "0", Message: "success"}},
		// Zeros written as a string are success too ("00", "0000"), and a
		// code beside a message of success is no failure; a code with
		// other digits and another message still is.
		{"string zeros are success", `{"code":"0000","msg":"success","data":{}}`,
			parse.Fields{Format: parse.FormatMessage, Code: "0000", Message: "success"}},
		{"two zeros are success", `{"code":"00","message":"Success","data":{}}`,
			parse.Fields{Format: parse.FormatMessage, Code: "00", Message: "Success"}},
		{"code 1 with success", `{"code":1,"message":"success","data":{"id":1}}`,
			parse.Fields{Format: parse.FormatMessage, Code: "1", Message: "success"}},
		{"code 01 is a failure", `{"code":"01","message":"Invalid merchant"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Code: "01", Message: "Invalid merchant"}},
		{"code 1 with a failure", `{"code":1,"message":"quota exceeded"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Code: "1", Message: "quota exceeded"}},
		// A failed task whose status is a sentence: its message
		// (text-extract-api, round 30); a status that is a state word is
		// none.
		{"failed task's status sentence", `{"state":"FAILURE","status":"Failed to generate text with Ollama model llama3.2-vision"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Message: "Failed to generate text with Ollama model llama3.2-vision"}},
		{"failed task's status word", `{"state":"FAILURE","status":"failed"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true}},
		// An envelope's responseCode and responseMessage (Voysis's
		// WebSocket responses, round 29).
		{"responseCode of failure", `{"type": "response", "requestId": "1", "responseCode": 500, "responseMessage": "Internal Server Error"}`,
			parse.Fields{Format: parse.FormatMessage, Found: true, Type: "response", Code: "500", Message: "Internal Server Error"}},
		{"responseCode of success", `{"type": "response", "requestId": "1", "responseCode": 200, "responseMessage": "OK"}`,
			parse.Fields{Format: parse.FormatMessage, Type: "response", Code: "200", Message: "OK"}},
		// Alibaba Cloud Model Studio's WebSocket speech APIs
		// (help.aliyun.com/document_detail/2869339.html, "task-failed"):
		// the header's error_code and error_message; its other events
		// carry neither.
		{"task-failed header", `{"header":{"task_id":"2bf83b9a-baeb-4fda-8d9a-xxxxxxxxxxxx","event":"task-failed","error_code":"CLIENT_ERROR","error_message":"request timeout after 23 seconds.","attributes":{}},"payload":{}}`,
			parse.Fields{Format: parse.FormatFrame, Found: true, Code: "CLIENT_ERROR", Message: "request timeout after 23 seconds."}},
		{"task-finished header", `{"header":{"task_id":"2bf83b9a-baeb-4fda-8d9a-xxxxxxxxxxxx","event":"task-finished","attributes":{}},"payload":{"output":{},"usage":null}}`,
			parse.Fields{Format: parse.FormatJSON}},
		{"header with empty error fields", `{"header":{"task_id":"x","event":"result-generated","error_code":"","error_message":""},"payload":{"output":{"sentence":{"text":"hi"}}}}`,
			parse.Fields{Format: parse.FormatJSON}},
		{"header error code of success", `{"Header":{"ErrorCode":"Success","ErrorMessage":"success","Event":"task-finished"},"Payload":{}}`,
			parse.Fields{Format: parse.FormatJSON}},
		{"frame without a code", `{"header":{"message":"hello"}}`,
			parse.Fields{Format: parse.FormatJSON, Message: "hello"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parse.Parse("application/json", []byte(tt.body))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%s) (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

// TestRetryStatement: a body's own "retryable" and retry_after members,
// at the top level or in the error object, bounded as every delay is.
func TestRetryStatement(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		retryable string
		delay     time.Duration
		source    string
	}{
		{"Cloudflare JSON page", `{"title":"Error 1033: Cloudflare Tunnel error","status":530,"detail":"unable to reach it","error_name":"tunnel_error","retryable":true,"retry_after":120}`,
			"true", 120 * time.Second, parse.SourceBody},
		{"in the error object", `{"error":{"class":"BackendUnavailable","message":"no backend reachable","retryable":true,"retry_after":1}}`,
			"true", time.Second, parse.SourceBody},
		{"not retryable", `{"error":{"message":"bad","retryable":false}}`, "false", 0, ""},
		{"Python literal", `{'error': {'message': 'x', 'retryable': True}}`, "true", 0, ""},
		{"milliseconds", `{"error":{"message":"slow down","retry_after_ms":1500}}`, "", 1500 * time.Millisecond, parse.SourceBody},
		{"fractional seconds", `{"message":"x","code":"busy","retry_after":0.25}`, "", 250 * time.Millisecond, parse.SourceBody},
		{"protobuf duration", `{"error":{"message":"x","retryDelay":"34s"}}`, "", 34 * time.Second, parse.SourceBody},
		{"negative ignored", `{"error":{"message":"x","retry_after":-5}}`, "", 0, ""},
		{"string ignored", `{"error":{"message":"x","retry_after":"soon"}}`, "", 0, ""},
		{"huge saturates", `{"error":{"message":"x","retry_after":1e400}}`, "", time.Duration(math.MaxInt64), parse.SourceBody},
		{"RetryInfo first", `{"error":{"code":429,"message":"x","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7s"}],"retry_after":99}}`,
			"", 7 * time.Second, parse.SourceRetryInfo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parse.Parse("application/json", []byte(tt.body))
			if got.Retryable != tt.retryable || got.RetryDelay != tt.delay || got.RetryDelaySource != tt.source {
				t.Errorf("Parse(%s) = retryable %q, delay %v from %q; want %q, %v from %q",
					tt.body, got.Retryable, got.RetryDelay, got.RetryDelaySource, tt.retryable, tt.delay, tt.source)
			}
		})
	}
}

// TestRetryMembersEverywhere: every member name of a body's own retry
// statement is read at the top level and inside an error object alike
// (object and errorObject each name them in their own switch).
func TestRetryMembersEverywhere(t *testing.T) {
	delays := map[string]time.Duration{
		`"retry_after": 2`: 2 * time.Second, `"retryAfter": 2`: 2 * time.Second,
		`"retry_after_seconds": 2`: 2 * time.Second, `"retry_after_ms": 2000`: 2 * time.Second,
		`"retryAfterMs": 2000`: 2 * time.Second, `"retryDelay": "2s"`: 2 * time.Second,
		`"retryAfterSeconds": 2`: 2 * time.Second, `"retry_after_secs": 2`: 2 * time.Second,
		`"retry_after_millis": 2000`: 2 * time.Second, `"retryAfterMillis": 2000`: 2 * time.Second,
	}
	for member, want := range delays {
		for _, body := range []string{
			`{"message": "slow down", "code": "busy", ` + member + `}`,
			`{"error": {"message": "slow down", ` + member + `}}`,
		} {
			got := parse.Parse("application/json", []byte(body))
			if got.RetryDelay != want || got.RetryDelaySource != parse.SourceBody {
				t.Errorf("%s: delay %v from %q, want %v from the body", body, got.RetryDelay, got.RetryDelaySource, want)
			}
		}
	}
	for _, name := range []string{"retryable", "retriable"} {
		for _, body := range []string{
			`{"message": "slow down", "code": "busy", "` + name + `": false}`,
			`{"error": {"message": "slow down", "` + name + `": false}}`,
		} {
			if got := parse.Parse("application/json", []byte(body)); got.Retryable != "false" {
				t.Errorf("%s: Retryable %q, want false", body, got.Retryable)
			}
		}
	}
	// A member that only looks like one is not read, nor the Vercel AI
	// SDK's isRetryable, a guess from the status (bolt.diy, round 32).
	for _, body := range []string{
		`{"error": {"message": "x", "retry_count": 3}}`,
		`{"error":true,"message":"Model not found","statusCode":500,"isRetryable":true,"provider":"unknown"}`,
	} {
		if got := parse.Parse("application/json", []byte(body)); got.RetryDelaySource != "" || got.Retryable != "" {
			t.Errorf("%s: delay %v from %q, retryable %q; want none", body, got.RetryDelay, got.RetryDelaySource, got.Retryable)
		}
	}
}
