// Command release checks that the modules of this repository can be
// released together at one version, prints or creates their tags, and
// publishes them into a local module proxy directory, so that CI can
// install them exactly as a user would (see RELEASING.md at the root).
//
//	go run . -root ../.. check v0.1.0
//	go run . -root ../.. tags v0.1.0           # dry run: prints the git tag commands
//	go run . -root ../.. -create tags v0.1.0   # creates the tags
//	go run . -root ../.. publish v0.1.0 DIR    # writes DIR in the GOPROXY layout
//	go run . -root ../.. names                 # exported names per public package
//
// A module is published when its path has no "/internal/" element; the
// others (benchmarks, integration tests, this command) live in the
// repository only.
//
// It is its own module so that golang.org/x/mod stays out of the core's
// dependencies.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

// corePath is the module path of the repository's root module.
const corePath = "github.com/apierr/apierr"

func main() {
	root := flag.String("root", ".", "the repository's root directory")
	create := flag.Bool("create", false, "with tags: create the tags instead of printing the commands")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: release [-root DIR] check VERSION | [-create] tags VERSION | publish VERSION DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	args := flag.Args()
	if len(args) == 1 && args[0] == "names" {
		if err := names(*root, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "release:", err)
			os.Exit(1)
		}
		return
	}
	if len(args) < 2 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*root, *create, args[0], args[1], args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

func run(root string, create bool, cmd, version string, rest []string) error {
	if !semver.IsValid(version) || semver.Canonical(version) != version {
		return fmt.Errorf("version %q is not a release version such as v0.1.0", version)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	mods, err := load(abs)
	if err != nil {
		return err
	}
	if problems := check(mods, version); len(problems) > 0 {
		return fmt.Errorf("the modules disagree with %s:\n  %s", version, strings.Join(problems, "\n  "))
	}
	switch cmd {
	case "check":
		for _, m := range mods {
			fmt.Printf("ok %s (%s)\n", m.Path, rel(m.Dir))
		}
		return nil
	case "tags":
		return tags(abs, mods, version, create)
	case "publish":
		if len(rest) != 1 {
			return errors.New("publish needs a directory")
		}
		return publish(abs, mods, version, rest[0])
	}
	return fmt.Errorf("unknown command %q", cmd)
}

// mod is one module of the repository.
type mod struct {
	Path string // module path
	Dir  string // directory relative to the root, "" for the root
	File *modfile.File
	// Imports lists the import paths of its non-test Go files.
	Imports map[string][]string // import path -> files
}

// Published reports whether the module is released (it is not internal).
func (m mod) Published() bool { return !strings.Contains(m.Path+"/", "/internal/") }

// Tag returns the module's git tag for version.
func (m mod) Tag(version string) string {
	if m.Dir == "" {
		return version
	}
	return m.Dir + "/" + version
}

func rel(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// load reads every go.mod under root, and the imports of each module's
// non-test Go files (a file belongs to the nearest go.mod above it).
func load(root string) ([]mod, error) {
	var mods []mod
	byDir := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && p != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != "go.mod" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f, err := modfile.Parse(p, data, nil)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(p))
		dir = filepath.ToSlash(dir)
		if dir == "." {
			dir = ""
		}
		byDir[dir] = len(mods)
		mods = append(mods, mod{Path: f.Module.Mod.Path, Dir: dir, File: f, Imports: map[string][]string{}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		r, _ := filepath.Rel(root, p)
		r = filepath.ToSlash(r)
		owner := owner(byDir, r)
		for _, imp := range imports(p) {
			mods[owner].Imports[imp] = append(mods[owner].Imports[imp], r)
		}
		return nil
	})
	sort.Slice(mods, func(i, j int) bool { return mods[i].Dir < mods[j].Dir })
	return mods, err
}

// owner returns the index of the module whose directory is the longest
// prefix of file.
func owner(byDir map[string]int, file string) int {
	dir := filepath.ToSlash(filepath.Dir(file))
	for {
		if dir == "." {
			dir = ""
		}
		if i, ok := byDir[dir]; ok {
			return i
		}
		if dir == "" {
			return 0
		}
		dir = filepath.ToSlash(filepath.Dir(dir))
	}
}

// imports returns the import paths of a Go file (none when it does not
// parse: the compiler reports that).
func imports(file string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(f.Imports))
	for _, spec := range f.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// check returns what stops the modules from being released together at
// version: a module whose path is not its directory's, an in-repository
// requirement at another version, a replace of an in-repository module
// that does not point at its directory, and a module that imports
// another module's internal packages from non-test code.
func check(mods []mod, version string) []string {
	var problems []string
	inRepo := map[string]string{} // path -> dir
	for _, m := range mods {
		inRepo[m.Path] = m.Dir
		want := corePath
		if m.Dir != "" {
			want += "/" + m.Dir
		}
		if m.Path != want {
			problems = append(problems, fmt.Sprintf("%s: module path %s, want %s (its directory)", rel(m.Dir)+"/go.mod", m.Path, want))
		}
	}
	for _, m := range mods {
		for _, r := range m.File.Require {
			if _, ok := inRepo[r.Mod.Path]; ok && r.Mod.Version != version {
				problems = append(problems, fmt.Sprintf("%s requires %s %s, want %s", m.Path, r.Mod.Path, r.Mod.Version, version))
			}
		}
		for _, r := range m.File.Replace {
			dir, ok := inRepo[r.Old.Path]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s replaces %s, which is not in this repository: a replace is ignored for users", m.Path, r.Old.Path))
				continue
			}
			want, _ := filepath.Rel(filepath.FromSlash("/"+m.Dir), filepath.FromSlash("/"+dir))
			if r.New.Version != "" || filepath.ToSlash(filepath.Clean(r.New.Path)) != filepath.ToSlash(want) {
				problems = append(problems, fmt.Sprintf("%s replaces %s with %s, want %s", m.Path, r.Old.Path, r.New.Path, want))
			}
		}
		for imp, files := range m.Imports {
			for _, o := range mods {
				if o.Path == m.Path || !strings.HasPrefix(imp, o.Path+"/internal/") && imp != o.Path+"/internal" {
					continue
				}
				if strings.HasPrefix(imp, m.Path+"/") {
					continue // its own internal package
				}
				problems = append(problems, fmt.Sprintf("%s imports %s (%s), internal to %s", m.Path, imp, files[0], o.Path))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// tags prints, or creates, the tag of every published module.
func tags(root string, mods []mod, version string, create bool) error {
	for _, m := range mods {
		if !m.Published() {
			continue
		}
		t := m.Tag(version)
		if !create {
			fmt.Printf("git tag -a %s -m '%s %s'\n", t, m.Path, version)
			continue
		}
		c := exec.Command("git", "-C", root, "tag", "-a", t, "-m", m.Path+" "+version)
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		if err := c.Run(); err != nil {
			return fmt.Errorf("tagging %s: %w", t, err)
		}
		fmt.Println("tagged", t)
	}
	if !create {
		fmt.Println("# then: git push origin --tags")
	}
	return nil
}

// zipCommitted writes the module zip of m from the files committed at
// HEAD under dir: git archive extracts them into a temporary directory, and
// golang.org/x/mod/zip makes the zip from there (leaving nested modules
// out). Unlike zip.CreateFromVCS it works in a git worktree too.
func zipCommitted(w io.Writer, m module.Version, root, dir string) error {
	tmp, err := os.MkdirTemp("", "release-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	args := []string{"-C", root, "archive", "--format=tar", "HEAD"}
	if dir != "" {
		args = append(args, "--", dir)
	}
	archive := exec.Command("git", args...)
	extract := exec.Command("tar", "-x", "-C", tmp)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		return err
	}
	extract.Stdin = pipe
	if err := extract.Start(); err != nil {
		return err
	}
	if err := archive.Run(); err != nil {
		return fmt.Errorf("git archive: %w", err)
	}
	if err := extract.Wait(); err != nil {
		return fmt.Errorf("tar: %w", err)
	}
	return zip.CreateFromDir(w, m, filepath.Join(tmp, filepath.FromSlash(dir)))
}

// publish writes every published module at version into dir, in the
// layout a GOPROXY serves (https://go.dev/ref/mod#goproxy-protocol): for
// each module, @v/list, @v/VERSION.info, .mod and .zip. The zip holds the
// module's files as committed at HEAD (nested modules left out), made with
// golang.org/x/mod/zip as the go command expects (see zipCommitted).
func publish(root string, mods []mod, version, dir string) error {
	stamp := time.Now().UTC().Truncate(time.Second)
	if out, err := exec.Command("git", "-C", root, "log", "-1", "--format=%cI").Output(); err == nil {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(out))); err == nil {
			stamp = t.UTC()
		}
	}
	for _, m := range mods {
		if !m.Published() {
			continue
		}
		esc, err := module.EscapePath(m.Path)
		if err != nil {
			return err
		}
		vdir := filepath.Join(dir, filepath.FromSlash(esc), "@v")
		if err := os.MkdirAll(vdir, 0o755); err != nil {
			return err
		}
		mv := module.Version{Path: m.Path, Version: version}
		zf, err := os.Create(filepath.Join(vdir, version+".zip"))
		if err != nil {
			return err
		}
		err = zipCommitted(zf, mv, root, m.Dir)
		if cerr := zf.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("zipping %s: %w", m.Path, err)
		}
		gomod, err := exec.Command("git", "-C", root, "show", "HEAD:"+filepath.ToSlash(filepath.Join(m.Dir, "go.mod"))).Output()
		if err != nil {
			return fmt.Errorf("reading %s's committed go.mod: %w", m.Path, err)
		}
		if err := os.WriteFile(filepath.Join(vdir, version+".mod"), gomod, 0o644); err != nil {
			return err
		}
		info, _ := json.Marshal(struct {
			Version string
			Time    time.Time
		}{version, stamp})
		if err := os.WriteFile(filepath.Join(vdir, version+".info"), info, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(vdir, "list"), []byte(version+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Printf("published %s@%s\n", m.Path, version)
	}
	return nil
}
