package parse_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/apierr/apierr/parse"
)

// benchCase is one body per format. StdJSON decodes it with encoding/json
// into a struct suited to the format, as a caller without this package
// would; nil means that encoding/json has nothing to offer (HTML, text).
type benchCase struct {
	name    string
	ct      string
	body    string
	stdJSON func([]byte) error
}

// Typed structs for the encoding/json baseline.
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
				Type       string            `json:"@type"`
				Reason     string            `json:"reason"`
				Domain     string            `json:"domain"`
				Metadata   map[string]string `json:"metadata"`
				RetryDelay string            `json:"retryDelay"`
			} `json:"details"`
		} `json:"error"`
	}
	stdDetail struct {
		Detail string `json:"detail"`
	}
	stdValidation struct {
		Detail []struct {
			Loc  []any  `json:"loc"` // strings and integers
			Msg  string `json:"msg"`
			Type string `json:"type"`
		} `json:"detail"`
	}
	stdErrorString struct {
		Error     string `json:"error"`
		ErrorType string `json:"error_type"`
	}
	stdVLLM struct {
		Object  string  `json:"object"`
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    int     `json:"code"`
	}
	stdMessage struct {
		Message string `json:"message"`
	}
	stdProblem struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Status int    `json:"status"`
	}
	// stdChunk is a chat completion chunk that may carry an error instead.
	stdChunk struct {
		Choices []struct {
			Delta struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"delta"`
			FinishReason *string `json:"finish_reason"`
		} `json:"choices"`
		Error *struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Code    any    `json:"code"`
		} `json:"error"`
	}
)

func unmarshalInto[T any](b []byte) error {
	var v T
	return json.Unmarshal(b, &v)
}

// stdSSE reads data lines one by one, as a streaming client would, and
// stops at the first chunk that holds an error.
func stdSSE(b []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line, ok := bytes.CutPrefix(sc.Bytes(), []byte("data:"))
		if !ok {
			continue
		}
		line = bytes.TrimSpace(line)
		if string(line) == "[DONE]" {
			break
		}
		var c stdChunk
		if err := json.Unmarshal(line, &c); err != nil {
			return err
		}
		if c.Error != nil {
			break
		}
	}
	return sc.Err()
}

var benchCases = []benchCase{
	{"openai", "application/json", openAI429, unmarshalInto[stdOpenAI]},
	{"anthropic", "application/json", anthropicOverloaded, unmarshalInto[stdAnthropic]},
	{"google", "application/json", googleQuota, unmarshalInto[stdGoogle]},
	{"detail", "application/json", detailText, unmarshalInto[stdDetail]},
	{"validation", "application/json", validationV2, unmarshalInto[stdValidation]},
	{"error_string", "application/json", tgiError, unmarshalInto[stdErrorString]},
	{"vllm", "application/json", vllmError, unmarshalInto[stdVLLM]},
	{"message", "application/json", bedrockMessage, unmarshalInto[stdMessage]},
	{"problem", "application/problem+json", problemDetail, unmarshalInto[stdProblem]},
	{"sse", "text/event-stream", sseStream, stdSSE},
	{"html", "text/html", nginx502, nil},
	{"text", "text/plain", envoyText, nil},
}

// TestBenchBodies checks that every benchmark body parses as its format and
// that the baseline decodes it, so that the benchmarks measure real work.
func TestBenchBodies(t *testing.T) {
	for _, c := range benchCases {
		e := parse.Parse(c.ct, []byte(c.body))
		if string(e.Format) != c.name || e.Message == "" {
			t.Errorf("%s: Format %q, Message %q", c.name, e.Format, e.Message)
		}
		if c.stdJSON != nil {
			if err := c.stdJSON([]byte(c.body)); err != nil {
				t.Errorf("%s: encoding/json: %v", c.name, err)
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for _, c := range benchCases {
		body := []byte(c.body)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				parse.Parse(c.ct, body)
			}
		})
	}
}

func BenchmarkStdJSON(b *testing.B) {
	for _, c := range benchCases {
		body := []byte(c.body)
		b.Run(c.name, func(b *testing.B) {
			if c.stdJSON == nil {
				b.Skip("not JSON: encoding/json has no baseline")
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if err := c.stdJSON(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
