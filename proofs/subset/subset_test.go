package subset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "pv/proofs"

var allowedImports = map[string]bool{
	"sync":                   true,
	"sync/atomic":            true,
	module + "/prim/disk":    true,
	module + "/prim/twodisk": true,
	module + "/prim/filesys": true,
	module + "/prim/rand":    true,
	module + "/prim/strconv": true,
}

// The sync/atomic functions pv goose translates (on *uint64).
var allowedAtomics = map[string]bool{
	"LoadUint64": true, "StoreUint64": true, "CompareAndSwapUint64": true,
}

var allowedBuiltins = map[string]bool{
	"append": true, "len": true, "make": true, "new": true, "delete": true,
}

type listedPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Export     string
}

// goList runs `go list -json` with args and decodes its stream of packages.
func goList(t *testing.T, args ...string) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// verified reports whether a package of the module must be gooseable: not
// the primitives, not the programs under cmd/ that run the libraries, and not
// the test helpers under testing/ that the libraries' tests share.
func verified(path string) bool {
	return path != module+"/subset" && !strings.HasPrefix(path, module+"/prim/") &&
		!strings.HasPrefix(path, module+"/cmd/") &&
		!strings.HasPrefix(path, module+"/testing/") && strings.HasPrefix(path, module+"/")
}

func TestGooseable(t *testing.T) {
	exports := map[string]string{}
	var targets []listedPackage
	for _, p := range goList(t, "-export", "-deps", "./...") {
		exports[p.ImportPath] = p.Export
		if verified(p.ImportPath) {
			targets = append(targets, p)
		}
	}
	if len(targets) < 5 {
		t.Fatalf("found only %d verified packages", len(targets))
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(exports[path])
	})
	for _, p := range targets {
		var files []*ast.File
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		info := &types.Info{
			Types: map[ast.Expr]types.TypeAndValue{},
			Defs:  map[*ast.Ident]types.Object{},
			Uses:  map[*ast.Ident]types.Object{},
		}
		conf := types.Config{Importer: imp}
		if _, err := conf.Check(p.ImportPath, fset, files, info); err != nil {
			t.Fatalf("type-checking %s: %v", p.ImportPath, err)
		}
		c := &checker{t: t, fset: fset, info: info}
		for _, f := range files {
			c.file(f)
		}
		t.Logf("%s: %d files checked", p.ImportPath, len(files))
	}
}

type checker struct {
	t    *testing.T
	fset *token.FileSet
	info *types.Info
}

func (c *checker) errorf(n ast.Node, format string, args ...interface{}) {
	c.t.Errorf("%s: not gooseable: %s", c.fset.Position(n.Pos()), fmt.Sprintf(format, args...))
}

func (c *checker) file(f *ast.File) {
	for _, im := range f.Imports {
		path := strings.Trim(im.Path.Value, `"`)
		if !allowedImports[path] {
			c.errorf(im, "import %q", path)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.VAR {
				c.errorf(d, "package-level var")
			}
		case *ast.FuncDecl:
			if d.Recv != nil {
				c.errorf(d, "method %s", d.Name.Name)
			}
			if d.Type.TypeParams != nil {
				c.errorf(d, "generic function %s", d.Name.Name)
			}
			sig := c.info.Defs[d.Name].Type().(*types.Signature)
			for _, tup := range []*types.Tuple{sig.Params(), sig.Results()} {
				for i := 0; i < tup.Len(); i++ {
					if !c.allowedType(tup.At(i).Type(), false) {
						c.errorf(d, "%s: parameter or result of type %s", d.Name.Name, tup.At(i).Type())
					}
				}
			}
		}
	}
	ast.Inspect(f, c.node)
	for id, obj := range c.info.Defs {
		if obj == nil || id.Name == "_" || c.fset.File(id.Pos()) != c.fset.File(f.Pos()) {
			continue
		}
		switch obj := obj.(type) {
		case *types.Var, *types.Const, *types.TypeName:
			if !c.allowedType(obj.Type(), false) {
				c.errorf(id, "%s has type %s", id.Name, obj.Type())
			}
		}
	}
}

// allowedType reports whether t is a gooseable type; behindPtr says that t
// is the target of a pointer (where sync.Mutex and structs are allowed).
func (c *checker) allowedType(t types.Type, behindPtr bool) bool {
	switch t := t.(type) {
	case *types.Basic:
		switch t.Kind() {
		case types.Uint64, types.Uint8, types.Bool, types.String,
			types.UntypedString, types.UntypedBool:
			return true
		}
		return false
	case *types.Slice:
		return c.allowedType(t.Elem(), false)
	case *types.Map:
		return types.Identical(t.Key(), types.Typ[types.Uint64]) && c.allowedType(t.Elem(), false)
	case *types.Pointer:
		return c.allowedType(t.Elem(), true)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if !c.allowedType(t.Field(i).Type(), false) {
				return false
			}
		}
		return true
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil && obj.Pkg().Path() == "sync" {
			return obj.Name() == "Mutex" && behindPtr
		}
		if t.TypeArgs().Len() > 0 {
			return false
		}
		return c.allowedType(t.Underlying(), behindPtr)
	}
	return false
}

func (c *checker) node(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.FuncLit:
		c.errorf(n, "function literal")
	case *ast.InterfaceType:
		c.errorf(n, "interface")
	case *ast.ChanType:
		c.errorf(n, "channel")
	case *ast.SelectStmt, *ast.SendStmt:
		c.errorf(n, "channel operation")
	case *ast.DeferStmt:
		c.errorf(n, "defer")
	case *ast.LabeledStmt:
		c.errorf(n, "label")
	case *ast.BranchStmt:
		if n.Label != nil || (n.Tok != token.BREAK && n.Tok != token.CONTINUE) {
			c.errorf(n, "%s", n.Tok)
		}
	case *ast.SwitchStmt, *ast.TypeSwitchStmt:
		c.errorf(n, "switch")
	case *ast.TypeAssertExpr:
		c.errorf(n, "type assertion")
	case *ast.Ellipsis:
		c.errorf(n, "variadic parameter or array length")
	case *ast.ArrayType:
		if n.Len != nil {
			c.errorf(n, "array type")
		}
	case *ast.IndexListExpr:
		c.errorf(n, "generic instantiation")
	case *ast.BasicLit:
		if n.Kind == token.FLOAT || n.Kind == token.IMAG {
			c.errorf(n, "float literal")
		}
	case *ast.SliceExpr:
		if n.Slice3 {
			c.errorf(n, "three-index slice")
		}
		c.sliceOrMap(n.X, n, false)
	case *ast.IndexExpr:
		c.sliceOrMap(n.X, n, true)
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			if _, ok := n.X.(*ast.CompositeLit); !ok {
				c.errorf(n, "& of something other than a composite literal")
			}
		}
		if n.Op == token.ARROW || n.Op == token.XOR {
			c.errorf(n, "operator %s", n.Op)
		}
	case *ast.BinaryExpr:
		switch n.Op {
		case token.SHL, token.SHR, token.AND, token.OR, token.XOR, token.AND_NOT:
			c.errorf(n, "operator %s", n.Op)
		}
	case *ast.AssignStmt:
		switch n.Tok {
		case token.ASSIGN, token.DEFINE, token.ADD_ASSIGN, token.SUB_ASSIGN:
		default:
			c.errorf(n, "assignment %s", n.Tok)
		}
	case *ast.ForStmt:
		if n.Init != nil || n.Post != nil {
			_, incr := n.Post.(*ast.IncDecStmt)
			if n.Init == nil || n.Cond == nil || !incr {
				c.errorf(n, "for loop other than for i := ...; cond; i++")
			}
		}
	case *ast.RangeStmt:
		c.sliceOrMap(n.X, n, true)
	case *ast.CallExpr:
		c.call(n)
	}
	return true
}

// sliceOrMap checks that x, which is indexed, sliced or ranged over, is a
// slice (or, if mapOK, a map): never a string or an array.
func (c *checker) sliceOrMap(x ast.Expr, n ast.Node, mapOK bool) {
	t := c.info.Types[x].Type
	if t == nil {
		return // e.g. a type in a generic instantiation, reported elsewhere
	}
	switch t.Underlying().(type) {
	case *types.Slice:
		return
	case *types.Map:
		if mapOK {
			return
		}
	}
	c.errorf(n, "indexing, slicing or ranging over %s", t)
}

func (c *checker) call(n *ast.CallExpr) {
	fun := n.Fun
	for {
		p, ok := fun.(*ast.ParenExpr)
		if !ok {
			break
		}
		fun = p.X
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if f, ok := c.info.Uses[sel.Sel].(*types.Func); ok && f.Pkg() != nil &&
			f.Pkg().Path() == "sync/atomic" && !allowedAtomics[f.Name()] {
			c.errorf(n, "atomic.%s", f.Name())
		}
	}
	if id, ok := fun.(*ast.Ident); ok {
		if b, ok := c.info.Uses[id].(*types.Builtin); ok {
			if !allowedBuiltins[b.Name()] {
				c.errorf(n, "builtin %s", b.Name())
			}
			return
		}
	}
	tv := c.info.Types[fun]
	if !tv.IsType() {
		return
	}
	// A conversion.
	to := tv.Type.Underlying()
	from := c.info.Types[n.Args[0]].Type
	switch {
	case types.Identical(to, types.Typ[types.Uint64]), types.Identical(to, types.Typ[types.Uint8]):
		if b, ok := from.Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
			c.errorf(n, "conversion from %s to %s", from, tv.Type)
		}
	case types.Identical(to, types.Typ[types.String]):
		if !types.Identical(from.Underlying(), types.NewSlice(types.Typ[types.Uint8])) {
			c.errorf(n, "conversion from %s to string", from)
		}
	case types.Identical(to, types.NewSlice(types.Typ[types.Uint8])):
		if b, ok := from.Underlying().(*types.Basic); !ok || b.Kind() != types.String {
			c.errorf(n, "conversion from %s to []byte", from)
		}
	default:
		c.errorf(n, "conversion to %s", tv.Type)
	}
}
