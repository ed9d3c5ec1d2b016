// Package genai tells the GenAI operation of a request from its URL path,
// and reads the semantic conventions' stability opt-in list, for package
// otelapierr.
package genai

import "strings"

// Operation is a GenAI operation (gen_ai.operation.name), a closed set.
type Operation uint8

// The operations told from paths.
const (
	Unknown Operation = iota
	Chat
	TextCompletion
	GenerateContent
	Embeddings
	NumOperations
)

var names = [NumOperations]string{"", "chat", "text_completion", "generate_content", "embeddings"}

// String returns the value of gen_ai.operation.name, "" for Unknown.
func (o Operation) String() string {
	if o < NumOperations {
		return names[o]
	}
	return ""
}

// Inference reports whether o is an inference operation: chat,
// text_completion or generate_content.
func (o Operation) Inference() bool {
	return o == Chat || o == TextCompletion || o == GenerateContent
}

// OperationOf tells the operation from a URL path, by the endpoints of
// OpenAI and compatible APIs (chat/completions, completions, embeddings,
// responses), Anthropic (messages) and Gemini (:generateContent,
// :streamGenerateContent, :embedContent, :batchEmbedContents).
func OperationOf(path string) Operation {
	p := strings.TrimSuffix(path, "/")
	switch {
	case strings.HasSuffix(p, "/chat/completions"), strings.HasSuffix(p, "/messages"), strings.HasSuffix(p, "/responses"):
		return Chat
	case strings.HasSuffix(p, "/completions"):
		return TextCompletion
	case strings.HasSuffix(p, ":generateContent"), strings.HasSuffix(p, ":streamGenerateContent"):
		return GenerateContent
	case strings.HasSuffix(p, "/embeddings"), strings.HasSuffix(p, ":embedContent"), strings.HasSuffix(p, ":batchEmbedContents"):
		return Embeddings
	}
	return Unknown
}

// OptedIn reports whether the comma-separated opt-in list holds value,
// spaces around an element ignored.
func OptedIn(list, value string) bool {
	for v := range strings.SplitSeq(list, ",") {
		if strings.TrimSpace(v) == value {
			return true
		}
	}
	return false
}
