package main

import (
	"strings"
	"testing"
)

// TestRun runs a small search: it prints the kept schedules, each measured
// again on fresh seeds, and the default policy's row; bad flags are usage
// errors.
func TestRun(t *testing.T) {
	var out, errOut strings.Builder
	if code := run([]string{"-candidates", "2", "-steps", "1", "-keep", "1", "-fresh", "3"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	text := out.String()
	if !strings.Contains(text, "of 3 tried") || !strings.Contains(text, "\n| the default policy | ") {
		t.Errorf("output:\n%s", text)
	}
	if rows := strings.Count(text, "\n| "); rows < 2 || rows > 3 { // header, 0-1 schedule, default
		t.Errorf("%d table rows:\n%s", rows, text)
	}
	for _, bad := range [][]string{{"-candidates", "0"}, {"-steps", "-1"}, {"-nope"}, {"-fresh", "0"}} {
		if code := run(bad, &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
