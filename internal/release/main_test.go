package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// write lays out files (path -> content) under a new directory.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const coreMod = "module github.com/apierr/apierr\n\ngo 1.26\n"

// TestCheck: what stops a release is found, and a repository laid out as
// this one is passes.
func TestCheck(t *testing.T) {
	good := "module github.com/apierr/apierr/adapters/x\n\ngo 1.26\n\nrequire github.com/apierr/apierr v0.1.0\n\nreplace github.com/apierr/apierr => ../..\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings, one per problem
	}{
		{"released together", map[string]string{
			"go.mod": coreMod, "adapters/x/go.mod": good,
			"adapters/x/x.go": "package x\n\nimport _ \"github.com/apierr/apierr/classify\"\n",
			// A test may use the core's test kit.
			"adapters/x/x_test.go": "package x\n\nimport _ \"github.com/apierr/apierr/internal/testkit/sdktest\"\n",
		}, nil},
		{"adapter requires v0.0.0", map[string]string{
			"go.mod":            coreMod,
			"adapters/x/go.mod": strings.Replace(good, "v0.1.0", "v0.0.0", 1),
		}, []string{"requires github.com/apierr/apierr v0.0.0, want v0.1.0"}},
		{"replace points elsewhere", map[string]string{
			"go.mod":            coreMod,
			"adapters/x/go.mod": strings.Replace(good, "=> ../..", "=> ../../../other", 1),
		}, []string{"replaces github.com/apierr/apierr with ../../../other, want ../.."}},
		{"replace of an outside module", map[string]string{
			"go.mod":            coreMod,
			"adapters/x/go.mod": good + "replace example.com/dep => ../dep\n",
		}, []string{"replaces example.com/dep, which is not in this repository"}},
		{"non-test code imports the core's internal", map[string]string{
			"go.mod": coreMod, "adapters/x/go.mod": good,
			"adapters/x/x.go": "package x\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/apierr/apierr/internal/redact\"\n)\n",
		}, []string{"imports github.com/apierr/apierr/internal/redact (adapters/x/x.go), internal to github.com/apierr/apierr"}},
		{"module path not its directory", map[string]string{
			"go.mod":            coreMod,
			"adapters/y/go.mod": strings.Replace(good, "adapters/x", "adapters/z", 1),
		}, []string{"module path github.com/apierr/apierr/adapters/z, want github.com/apierr/apierr/adapters/y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mods, err := load(write(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			got := check(mods, "v0.1.0")
			if len(got) != len(tt.want) {
				t.Fatalf("check = %q, want %d problems: %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to say %q", i, got[i], w)
				}
			}
		})
	}
}

// TestTagsAndPublished: internal modules are neither tagged nor published;
// the root's tag is the bare version, a nested module's is prefixed.
func TestTagsAndPublished(t *testing.T) {
	mods := []mod{
		{Path: corePath},
		{Path: corePath + "/adapters/x", Dir: "adapters/x"},
		{Path: corePath + "/internal/bench", Dir: "internal/bench"},
	}
	var got []string
	for _, m := range mods {
		if m.Published() {
			got = append(got, m.Tag("v0.1.0"))
		}
	}
	if diff := cmp.Diff([]string{"v0.1.0", "adapters/x/v0.1.0"}, got); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

// TestVersionMustBeCanonical: only a plain release version is accepted.
func TestVersionMustBeCanonical(t *testing.T) {
	for _, v := range []string{"0.1.0", "v0.1", "v0.1.0+build", "latest"} {
		if err := run(".", false, "check", v, nil); err == nil || !strings.Contains(err.Error(), "not a release version") {
			t.Errorf("run(check %q) = %v, want a version error", v, err)
		}
	}
}

// TestNames counts a small package's exported API.
func TestNames(t *testing.T) {
	root := write(t, map[string]string{
		"go.mod":          coreMod,
		"p/p.go":          "package p\n\ntype T struct{ A, b int; C string }\n\nfunc (T) M() {}\nfunc (t *T) m() {}\n\ntype I interface{ X(); y() }\n\nconst K, k = 1, 2\n\nvar V int\n\nfunc F() {}\nfunc f() {}\n",
		"p/p_test.go":     "package p\n\nfunc TestX() {}\n",
		"internal/q/q.go": "package q\n\nfunc G() {}\n",
	})
	var b strings.Builder
	if err := names(root, &b); err != nil {
		t.Fatal(err)
	}
	// p: T, I, K, V, F = 5 decls; M = 1 method; A, C, X = 3 members.
	if !strings.Contains(b.String(), "p                 5        1       3      9") {
		t.Errorf("names =\n%s\nwant p with 5 decls, 1 method, 3 fields", b.String())
	}
	if strings.Contains(b.String(), "internal") {
		t.Errorf("names counts an internal package:\n%s", b.String())
	}
}
