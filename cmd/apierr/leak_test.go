package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/apierr/apierr/internal/testkit/leak"
)

// TestLeakSuite runs every case of the leak suite through every output of
// the command: explain with flags and from curl -i text, classify's JSON
// Lines, and the diagnostics that quote the user's input (a bad --header, a
// stray argument, a --body @file that cannot be read, an invalid flag value,
// an unknown command). No part of any secret may reach stdout or stderr.
func TestLeakSuite(t *testing.T) {
	cases := leak.Cases()
	leaks := 0
	for _, c := range cases {
		msg, _ := json.Marshal(c.Text)
		body := `{"error":{"message":` + string(msg) + `,"type":"invalid_request_error","param":` + string(msg) + `,"code":"invalid_api_key"}}`
		header := "X-Request-Id: " + strings.NewReplacer("\r", " ", "\n", " ").Replace(c.Text)
		line, _ := json.Marshal(map[string]any{"status": 401, "headers": map[string]string{"X-Request-Id": c.Text}, "body": body})
		runs := []struct {
			name  string
			args  []string
			stdin string
		}{
			{"explain flags", []string{"explain", "--status", "401", "--header", header, "--body", body}, ""},
			{"explain plain body", []string{"explain", "--status", "502", "--body", c.Text}, ""},
			{"explain curl -i", []string{"explain"}, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n" + header + "\r\n\r\n" + body},
			{"classify", []string{"classify"}, string(line) + "\n"},
			{"bad header", []string{"explain", "--status", "401", "--header", "bad name: " + c.Text}, ""},
			{"stray argument", []string{"explain", "--status", "401", c.Text}, ""},
			{"body file", []string{"explain", "--status", "401", "--body", "@/nonexistent/" + c.Text}, ""},
			{"invalid flag value", []string{"explain", "--status", c.Text}, ""},
			{"unknown flag", []string{"explain", "--" + c.Text}, ""},
			{"unknown command", []string{c.Text}, ""},
		}
		for _, r := range runs {
			var out, errOut bytes.Buffer
			run(r.args, strings.NewReader(r.stdin), &out, &errOut)
			for stream, text := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
				if piece := c.Found(text); piece != "" {
					leaks++
					t.Errorf("%s\n%s, %s: %q leaks in %q", c, r.name, stream, piece, text)
				}
			}
		}
	}
	t.Logf("%d cases x 10 runs: %d leaks", len(cases), leaks)
}
