"""``pv goose``: translation of Go (the subset of goose/README.md) into Functions of the core
language, after Goose (Perennial, SOSP'19, §6).

Choice of the Go parser: **tree-sitter with its Go grammar** (PyPI ``tree-sitter`` and
``tree-sitter-go``), rather than a lark grammar for the subset.

* Completeness of rejection.  The translator must name what it rejects (``function literals
  are not supported``, ``channels ...``, ``generics ...``) at the construct's position, for any
  Go program.  A subset grammar would turn everything it lacks into a bare syntax error, unless
  it grew a grammar for the whole language anyway; tree-sitter-go covers all of Go (generics,
  channels, select, labels, ...) and is maintained upstream against the language.
* Go's syntax is awkward for an LALR grammar: automatic semicolon insertion, and composite
  literals in ``if``/``for``/``switch`` headers (``for _, x := range []T{a} {``), which go/parser
  resolves with an expression-level flag.  tree-sitter's GLR parser handles both.
* Speed and packaging: the parser is C (every case study parses in well under a millisecond;
  translating all five case studies takes about 20 ms, 90 ms including imports;
  bench/goose_bench.py) and
  ships as binary wheels (abi3) with no compiler or Go toolchain needed.  It does not import
  lark, so ``pv goose`` starts fast.
* Syntax errors: tree-sitter recovers from errors and marks ERROR / MISSING nodes; the first
  one in document order becomes ``path:line:col: error: syntax error: ...`` (goparse.py).
  tree-sitter is more lenient than the Go compiler in a few corners; the translator's own
  checks (names, types, arity, and gc's rules that only refuse: `validity`) catch what
  matters for the model, and the Go toolchain remains the judge of whether the source is
  valid Go: ``pv goose`` compiles what it translated with ``go build`` (`gocheck`).

The cost is two binary dependencies (tested with tree-sitter 0.26.1, tree-sitter-go 0.25.0;
the API used -- ``Language(tree_sitter_go.language())``, ``Parser(language)``, node fields --
exists since tree-sitter 0.23).  If they are missing, ``pv goose`` says so; nothing else in pv
needs them.

Modules: `goparse` (parsing, syntax errors), `gotypes` (Go types), `primlib` (the primitive
packages prim/disk, twodisk, filesys, rand, strconv, and sync/atomic), `translate` (a package:
declarations, types, output; its docstring describes the scheme), `functions` (one function:
passes, scopes, names) with its mixins `statements`, `expressions` and `calls`, and the
helpers `package` (what is known about a package), `consts` (Go constants), `nodes`
(tree-sitter nodes, control-flow facts), `terms` (the core-language terms built),
`evalorder` (refusing expressions whose order of evaluation Go leaves open), `validity`
(missing returns, unused variables and imports) and `gocheck` (``go build`` as the judge).
"""
from .errors import GooseError
from .gocheck import go_check
from .translate import GooseErrors, go_files, translate_package, translator

__all__ = ["GooseError", "GooseErrors", "go_check", "go_files", "translate_package",
           "translator"]
