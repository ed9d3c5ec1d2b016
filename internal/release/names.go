package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// count is the exported API of one package.
type count struct {
	Decls   int // exported top-level names: types, functions, constants, variables
	Methods int // exported methods of exported types
	Fields  int // exported fields and interface methods of exported types
}

// names writes, for every public package of the root module (not under
// internal/, not a command, not a nested module), the count of its
// exported names, read from its non-test files.
func names(root string, w io.Writer) error {
	counts := map[string]*count{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "internal" || d.Name() == "cmd") {
				return filepath.SkipDir
			}
			if rel != "." {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module
				}
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		c := counts[pkg]
		if c == nil {
			c = &count{}
			counts[pkg] = c
		}
		add(c, f)
		return nil
	})
	if err != nil {
		return err
	}
	pkgs := make([]string, 0, len(counts))
	for p := range counts {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	var total count
	fmt.Fprintf(w, "%-12s %6s %8s %7s %6s\n", "package", "decls", "methods", "fields", "all")
	for _, p := range pkgs {
		c := counts[p]
		fmt.Fprintf(w, "%-12s %6d %8d %7d %6d\n", p, c.Decls, c.Methods, c.Fields, c.Decls+c.Methods+c.Fields)
		total.Decls += c.Decls
		total.Methods += c.Methods
		total.Fields += c.Fields
	}
	fmt.Fprintf(w, "%-12s %6d %8d %7d %6d\n", "total", total.Decls, total.Methods, total.Fields, total.Decls+total.Methods+total.Fields)
	return nil
}

// add counts the exported names one file declares.
func add(c *count, f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			if d.Recv == nil {
				c.Decls++
			} else if recvExported(d.Recv) {
				c.Methods++
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					c.Decls++
					c.Fields += members(s.Type)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() {
							c.Decls++
						}
					}
				}
			}
		}
	}
}

// members counts the exported fields of a struct type or the methods of an
// interface type.
func members(t ast.Expr) int {
	var list *ast.FieldList
	switch t := t.(type) {
	case *ast.StructType:
		list = t.Fields
	case *ast.InterfaceType:
		list = t.Methods
	default:
		return 0
	}
	n := 0
	for _, f := range list.List {
		for _, name := range f.Names {
			if name.IsExported() {
				n++
			}
		}
	}
	return n
}

// recvExported reports whether a method's receiver type is exported.
func recvExported(recv *ast.FieldList) bool {
	if len(recv.List) == 0 {
		return false
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.IsExported()
		default:
			return false
		}
	}
}
