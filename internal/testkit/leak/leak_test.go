package leak

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/apierr/apierr/internal/redact"
)

// TestRedactString runs every case through the redactor itself: the first
// surface every other one builds on.
func TestRedactString(t *testing.T) {
	cs := Cases()
	if len(cs) < 80 {
		t.Fatalf("the suite has %d cases, want at least 80", len(cs))
	}
	for _, c := range cs {
		if !strings.Contains(strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\u00ad", "", "\u2060", "").Replace(c.Text), c.Secret) {
			t.Errorf("%s: the text does not hold the secret", c)
		}
		if piece := c.Found(redact.String(c.Text)); piece != "" {
			t.Errorf("%s: %q leaks in %q", c, piece, redact.String(c.Text))
		}
	}
}

// TestFound checks the leak detector itself: it must see a secret that was
// left in place, also a short one, and only then.
func TestFound(t *testing.T) {
	c := Case{Secret: "sk-proj-AbCdEfGh123", Keep: "sk-proj-"}
	for _, tc := range []struct {
		out  string
		want bool
	}{
		{"key sk-proj-AbCdEfGh123 denied", true},
		{"key sk-proj-*** denied", false},
		{"tail EfGh123", true},
		{"tail fGh123", false},
	} {
		if got := c.Found(tc.out) != ""; got != tc.want {
			t.Errorf("Found(%q) = %v, want %v", tc.out, got, tc.want)
		}
	}
	short := Case{Secret: "xai-AB7", Keep: "xai-"}
	if short.Found("cut xai-AB7") == "" || short.Found("cut xai-***") != "" {
		t.Error("a secret shorter than the window must be found whole, and only then")
	}
}

// TestLogOptions checks that a record rendered with LogOptions carries no
// time, and keeps everything else, a nested "time" included.
func TestLogOptions(t *testing.T) {
	var j, x bytes.Buffer
	slog.New(slog.NewJSONHandler(&j, LogOptions)).Warn("m", "k", "v", slog.Group("g", "time", "kept"))
	slog.New(slog.NewTextHandler(&x, LogOptions)).Warn("m", "k", "v")
	if got, want := j.String(), `{"level":"WARN","msg":"m","k":"v","g":{"time":"kept"}}`+"\n"; got != want {
		t.Errorf("JSON: got %q, want %q", got, want)
	}
	if got, want := x.String(), "level=WARN msg=m k=v\n"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
}
