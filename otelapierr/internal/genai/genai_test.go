package genai

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOperationOf(t *testing.T) {
	tests := []struct {
		path string
		want Operation
	}{
		{"/v1/chat/completions", Chat},
		{"/v1/chat/completions/", Chat},
		{"/v1/messages", Chat},
		{"/v1/responses", Chat},
		{"/v1/completions", TextCompletion},
		{"/v1/embeddings", Embeddings},
		{"/v1beta/models/gemini-2.0-flash:generateContent", GenerateContent},
		{"/v1beta/models/gemini-2.0-flash:streamGenerateContent", GenerateContent},
		{"/v1beta/models/text-embedding-004:embedContent", Embeddings},
		{"/v1/models", Unknown},
		{"", Unknown},
	}
	for _, tt := range tests {
		if got := OperationOf(tt.path); got != tt.want {
			t.Errorf("OperationOf(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	var inference []string
	for o := range NumOperations {
		if o.Inference() {
			inference = append(inference, o.String())
		}
	}
	if diff := cmp.Diff([]string{"chat", "text_completion", "generate_content"}, inference); diff != "" {
		t.Errorf("inference operations (-want +got):\n%s", diff)
	}
}

// FuzzOperationOf: any path gives an operation of the closed set, the same
// one twice, with no panic; a known endpoint's suffix decides whatever
// comes before it.
func FuzzOperationOf(f *testing.F) {
	for _, p := range []string{"/v1/chat/completions", "/v1/messages", "/v1/completions", "/v1/embeddings",
		"/v1beta/models/gemini-2.0-flash:generateContent", "/v1/responses", "", "/", "%zz"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		op := OperationOf(p)
		if op >= NumOperations || op != OperationOf(p) {
			t.Fatalf("OperationOf(%q) = %d, then %d", p, op, OperationOf(p))
		}
		if got := OperationOf(p + "/v1/chat/completions"); got != Chat {
			t.Errorf("%q + /v1/chat/completions is %q, want chat", p, got)
		}
	})
}

// FuzzOptedIn: the value is found in any comma-separated list that holds
// it, with spaces around, and in none that does not.
func FuzzOptedIn(f *testing.F) {
	const v = "gen_ai_latest_experimental"
	for _, s := range []string{"", "http", "http/dup, gen_ai_latest_experimental", "gen_ai_latest_experimental,database", ",,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		for _, e := range strings.Split(s, ",") {
			if strings.TrimSpace(e) == v {
				want = true
			}
		}
		if got := OptedIn(s, v); got != want {
			t.Errorf("OptedIn(%q) = %v, want %v", s, got, want)
		}
		if !OptedIn(s+", "+v+" ", v) {
			t.Errorf("OptedIn(%q + the value) = false", s)
		}
	})
}
