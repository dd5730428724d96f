"""Go (the supported subset) to the core language of `seplogic.syntax`.

Translation scheme (goose/README.md has the user-level description):

* **Variables.**  A local variable that is never assigned after its declaration is a ``let``;
  one that is (``=``, ``+=``, ``++``, a field of a struct value, ...) lives in a heap cell:
  ``let x := ref(v) in ... !x ... x <- e``.  A first pass over each function finds the assigned
  ones.  Go names are kept (a name that is a pv keyword gets a ``_`` suffix); temporaries are
  ``name'`` / ``name'1`` ..., which no Go identifier can be.
* **Statements** are translated in continuation-passing style: ``block(stmts, k)`` knows what
  falling off the end, ``return e``, ``break`` and ``continue`` mean at that point (`_K`).
  A compound statement followed by more statements is sequenced with ``;;`` when control cannot
  leave it by a jump; ``if c { ...return... }; rest`` becomes ``if c then ... else rest``; the
  general case (a branch that may both jump and fall through) evaluates the statement to a
  tagged pair ``(tag, v)`` (0 fall through, 1 return v, 2 break, 3 continue) and dispatches on
  the tag, so no code is ever duplicated.
* **Loops.**  ``for`` is ``loop { body }`` whose body evaluates to ``continue`` or ``break(v)``.
  A loop that contains a ``return`` and is the last statement of the function breaks with the
  function's result; otherwise it breaks with ``(true, v)`` for ``return v`` and
  ``(false, ())`` for ``break`` and the code after it tests ``fst``.  ``range`` over a slice
  walks an index cell over a length read once; over a map it walks a snapshot of the keys
  (``map_keys``, in an unspecified order) and skips keys deleted meanwhile; a body that may
  add a key is refused (goose/evalorder.py).
* **Data.**  Multiple results and structs are right-nested pairs without a terminator (the
  layout of pv's ``Record``): ``(a, (b, c))``; a one-field struct is its field.  A pointer to a
  struct is a heap cell holding the whole struct: ``p.f`` is a projection of ``!p`` and
  ``p.f = v`` stores the updated struct.  Slices, maps and strings use the primitives listed in
  docs/syntax.md ("Primitives for Go data").
"""
from __future__ import annotations

import os
import sys

from seplogic.syntax import PRIM_OPS

from . import gotypes as T, validity
from .consts import ConstEval, convert_const, _go_string
from .errors import GooseError
from .functions import FuncTranslator
from .goparse import parse_go
from .nodes import (_collect_idents, _field, _fields, _kids, _pos, _text, _unparen,
    UNSUPPORTED_NODES)
from .package import FuncInfo, _Import, _NotYet, Package, reserved
from .primlib import package_for_import
from .terms import _VOID


class Translator:
    """Translates the Go files of one package."""

    def __init__(self, files, module_root=None, prefix=None):
        self.files = files          # [(display path, comment path, bytes)]
        self.module_root = module_root
        self.prefix = prefix        # prepended to function names (None: "<package>_")
        self.errors: list = []

    # ---- entry -------------------------------------------------------------------------------

    def run(self) -> str:
        trees = []
        for path, cpath, src in self.files:
            root = parse_go(src, path)
            trees.append((path, cpath, src, root))
        names = []
        for path, _, _, root in trees:
            pc = next((c for c in _kids(root) if c.type == "package_clause"), None)
            if pc is None:
                raise GooseError(path, 1, 1, "missing package clause")
            names.append((_text(_kids(pc)[0]), path, pc))
        pkg = Package(names[0][0])
        for name, path, pc in names[1:]:
            if name != pkg.name:
                raise GooseError(path, *_pos(pc), f"package {name}; expected package {pkg.name}")
        self.pkg = pkg
        self.collect(trees)
        _VOID.clear()
        _VOID.update(f.pv for f in pkg.funcs.values() if not f.results)
        out = []
        for path, cpath, src, root in trees:
            self.path = path
            self.imports = self.file_imports[path]
            for d in _kids(root):
                if d.type != "function_declaration":
                    continue
                info = pkg.funcs[_text(_field(d, "name"))]
                try:
                    params, body = FuncTranslator(self, info).translate()
                except GooseError as e:
                    self.errors.append(e)
                    continue
                out.append((cpath, d, info, params, body))
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else GooseErrors(self.errors)
        for path, _, _, root in trees:
            self.path = path
            validity.unused_imports(self, root, self.import_specs[path])
        self.functions = [(info.pv, tuple(params), body) for _, _, info, params, body in out]
        return self.emit(out)

    def error(self, node, msg):
        raise GooseError(self.path, *_pos(node), msg)

    def unsupported(self, node, what, hint=None):
        raise GooseError(self.path, *_pos(node), f"{what} is not supported"
                         + (f" ({hint})" if hint else ""))

    # ---- declarations --------------------------------------------------------------------------

    def collect(self, trees):
        pkg = self.pkg
        self.file_imports = {}
        self.import_specs = {path: [] for path, _, _, _ in trees}
        type_specs = []
        const_decls = []
        func_decls = []
        for path, _, src, root in trees:
            self.path = path
            _collect_idents(root, pkg.idents)
            imports = {}
            self.file_imports[path] = imports
            for d in _kids(root):
                t = d.type
                if t == "package_clause":
                    continue
                if t == "import_declaration":
                    self.collect_imports(d, imports)
                elif t == "type_declaration":
                    for spec in _kids(d):
                        type_specs.append((path, spec))
                elif t == "const_declaration":
                    const_decls.append((path, d))
                elif t == "var_declaration":
                    self.unsupported(d, "package-level variable")
                elif t == "function_declaration":
                    func_decls.append((path, d))
                elif t in UNSUPPORTED_NODES:
                    self.unsupported(d, UNSUPPORTED_NODES[t])
                else:
                    self.error(d, f"unexpected declaration ({t})")
        declared = set()
        for path, d in type_specs + const_decls + func_decls:
            self.path = path
            self.not_predeclared(d)
            for n in _declared_names(d):
                if _text(n) in declared and _text(n) not in ("_", "init"):   # (both may repeat)
                    self.error(n, f"{_text(n)} redeclared in this block")
                declared.add(_text(n))
        # types: first the names (structs may refer to each other), then their definitions
        for path, spec in type_specs:
            self.path = path
            if _field(spec, "type_parameters") is not None:
                self.unsupported(_field(spec, "type_parameters"), "type parameter")
            name = _text(_field(spec, "name"))
            tnode = _unparen(_field(spec, "type"))
            pkg.types[name] = T.StructT(name) if tnode.type == "struct_type" else None
        pending = list(type_specs)
        for _ in range(len(pending) + 1):
            if not pending:
                break
            later = []
            for path, spec in pending:
                self.path = path
                self.imports = self.file_imports[path]
                name = _text(_field(spec, "name"))
                tnode = _unparen(_field(spec, "type"))
                if tnode.type == "struct_type":
                    pkg.types[name].fields = self.struct_fields(tnode, name)
                    continue
                try:
                    typ = self.type_of(tnode)
                    pkg.types[name] = typ if spec.type == "type_alias" else \
                        T.defined_as(typ, name)
                except _NotYet:
                    later.append((path, spec))
            if len(later) == len(pending):
                path, spec = later[0]
                self.path = path
                self.error(spec, f"invalid recursive type {_text(_field(spec, 'name'))}")
            pending = later
        for path, d in const_decls:
            self.path = path
            self.imports = self.file_imports[path]
            self.const_decl(d, pkg.consts, pkg.const_order)
        for path, d in func_decls:
            self.path = path
            self.imports = self.file_imports[path]
            name_node = _field(d, "name")
            name = _text(name_node)
            if _field(d, "type_parameters") is not None:
                self.unsupported(_field(d, "type_parameters"), "type parameter")
            if name == "init":
                self.unsupported(name_node, "init function")
            if name == "_":
                self.unsupported(name_node, "blank function name")
            if _field(d, "body") is None:
                self.unsupported(d, "function without a body")
            params = [t for _, t, _ in self.param_list(_field(d, "parameters"))]
            results = [t for _, t, _ in self.param_list(_field(d, "result"))]
            pkg.funcs[name] = FuncInfo(name, self.func_name(name), tuple(params), tuple(results),
                                       d, path)

    def not_predeclared(self, d):
        """Refuse a package-level type, constant or function named as one of Go's predeclared
        identifiers: in Go it replaces that one in the package (``type byte uint64``), while
        the translation knows the names as Go's own (byte arithmetic modulo 256, ...)."""
        for n in _declared_names(d):
            if _text(n) in PREDECLARED:
                self.unsupported(n, f"declaring {_text(n)}, one of Go's predeclared "
                                 "identifiers,", "rename it")

    def func_name(self, name):
        """The pv name of a Go function: prefixed, because all the files that `pv check`
        loads share one name space (the case studies all have an ``Init``)."""
        prefix = self.prefix if self.prefix is not None else self.pkg.name + "_"
        pv = prefix + name
        while pv in reserved() or pv in PRIM_OPS or (pv != name and pv in self.pkg.idents):
            pv += "_"
        return pv

    def collect_imports(self, d, imports):
        specs = []
        for c in _kids(d):
            specs += _kids(c) if c.type == "import_spec_list" else [c]
        for spec in specs:
            if spec.type != "import_spec":
                continue
            pnode = _field(spec, "path")
            path = _go_string(_text(pnode))
            alias = _field(spec, "name")
            if alias is not None and alias.type in ("dot", "blank_identifier"):
                self.unsupported(alias, "dot or blank import")
            if path == "sync":
                kind = _Import("sync")
                default = "sync"
            else:
                p = package_for_import(path)
                if p is None:
                    self.unsupported(pnode, f'import "{path}"', 'only "sync", "sync/atomic" '
                                     'and the primitive packages .../prim/disk, twodisk, '
                                     'filesys, rand, strconv')
                kind = _Import("prim", p)
                default = p.name
            name = _text(alias) if alias is not None else default
            imports[name] = kind
            self.import_specs[self.path].append((name, spec))

    def struct_fields(self, node, name):
        out = []
        body = next((c for c in _kids(node) if c.type == "field_declaration_list"), None)
        for fd in (_kids(body) if body is not None else []):
            if fd.type != "field_declaration":
                continue
            tnode = _field(fd, "type")
            names = _fields(fd, "name")
            if not names:
                self.unsupported(fd, "embedded field")
            if _field(fd, "tag") is not None:
                pass  # tags are irrelevant to the model
            typ = self.type_of(tnode, lazy=True)
            for n in names:
                self.not_blank(n)
                if any(f == _text(n) for f, _ in out):
                    self.error(n, f"{_text(n)} redeclared")
                out.append((_text(n), typ))
        return out

    def not_blank(self, n):
        """Refuse a blank (_) struct field: Go's == skips it, the core language's compares
        the whole tuple a struct is."""
        if _text(n) == "_":
            self.unsupported(n, "a blank (_) struct field", "Go's == ignores it")

    def param_list(self, node):
        """[(name or None, type, node)] of a parameter or result list (or a bare result type)."""
        if node is None:
            return []
        if node.type != "parameter_list":
            return [(None, self.type_of(node), node)]
        out = []
        for p in _kids(node):
            if p.type == "variadic_parameter_declaration":
                self.unsupported(p, "variadic function")
            if p.type != "parameter_declaration":
                continue
            typ = self.type_of(_field(p, "type"))
            names = _fields(p, "name")
            if not names:
                out.append((None, typ, p))
            for n in names:
                out.append((_text(n), typ, n))
        named = [name is not None for name, _, _ in out]
        if any(named) and not all(named):
            self.error(out[named.index(False)][2], "syntax error: mixed named and unnamed "
                       "parameters")
        return out

    # ---- types ---------------------------------------------------------------------------------

    def type_of(self, node, lazy=False, scope=None):
        """The Go type denoted by a type node (or an expression naming a type)."""
        node = _unparen(node)
        t = node.type
        if t in ("type_identifier", "identifier"):
            name = _text(node)
            if name in T.BASIC_NAMES:
                return T.BASIC_NAMES[name]
            if name in self.pkg.types:
                typ = self.pkg.types[name]
                if typ is None:
                    raise _NotYet()
                return typ
            if name in T.UNSUPPORTED_BASIC:
                self.error(node, f"type {name} is not supported (use uint64, byte, bool or "
                           f"string)")
            self.error(node, f"undefined type {name}")
        if t in ("qualified_type", "selector_expression"):
            if t == "qualified_type":
                pk, nm = _text(_field(node, "package")), _text(_field(node, "name"))
            else:
                op = _field(node, "operand")
                if op.type != "identifier":
                    self.error(node, "not a type")
                pk, nm = _text(op), _text(_field(node, "field"))
            imp = self.imports.get(pk)
            if imp is None:
                self.error(node, f"undefined package {pk}")
            if imp.kind == "sync":
                if nm == "Mutex":
                    return T.MUTEX
                self.unsupported(node, f"sync.{nm}")
            typ = imp.pkg.types.get(nm)
            if typ is None:
                self.error(node, f"{pk}.{nm} is not a type of the primitive package {pk}")
            return typ
        if t == "slice_type":
            return T.SliceT(self.type_of(_field(node, "element"), lazy))
        if t == "map_type":
            key = self.type_of(_field(node, "key"), lazy)
            if key != T.UINT64:
                self.error(node, f"maps with keys of type {key} are not supported (only uint64)")
            return T.MapT(key, self.type_of(_field(node, "value"), lazy))
        if t == "pointer_type":
            inner = _kids(node)[0]
            try:
                return T.PtrT(self.type_of(inner, lazy))
            except _NotYet:
                if lazy:
                    raise
                raise
        if t == "struct_type":
            return T.StructT("", self.struct_fields(node, ""))
        if t in UNSUPPORTED_NODES:
            self.unsupported(node, UNSUPPORTED_NODES[t])
        self.error(node, f"not a supported type ({t})")

    # ---- constants -----------------------------------------------------------------------------

    def const_decl(self, d, table, order, ft=None):
        prev_type, prev_values = None, None
        iota = 0
        for spec in _kids(d):
            if spec.type != "const_spec":
                continue
            names = _fields(spec, "name")
            tnode = _field(spec, "type")
            vnode = _field(spec, "value")
            if vnode is None:
                if prev_values is None:
                    self.error(spec, "missing constant value")
                values, tnode2 = prev_values, prev_type
            else:
                values, tnode2 = _kids(vnode), tnode
                prev_values, prev_type = values, tnode
            if len(values) != len(names):
                self.error(spec, "wrong number of constant values")
            typ = self.type_of(tnode2) if tnode2 is not None else None
            for n, v in zip(names, values):
                val, vt = ConstEval(self, ft, iota).eval(v)
                if typ is not None and not T.assignable(vt, typ):
                    self.error(v, f"cannot use {_text(v)} (constant {val} of type {vt}) as "
                               f"type {typ} in constant declaration")
                if typ is not None:
                    val, vt = convert_const(self, v, val, vt, typ), typ
                if _text(n) != "_":
                    table[_text(n)] = (val, vt)
                    order.append(_text(n))
            iota += 1

    # ---- output --------------------------------------------------------------------------------

    def emit(self, funcs) -> str:
        from seplogic.printer import show
        files = ", ".join(os.path.basename(p) for p, _, _ in self.files)
        lines = [f"(* Generated by `pv goose` from the Go package {self.pkg.name} ({files}).",
                 "   Do not edit: regenerate it. *)", ""]
        consts = []
        for name in self.pkg.const_order:
            val, typ = self.pkg.consts[name]
            if isinstance(val, bool):
                consts.append(f"{name} = {'true' if val else 'false'}")
            elif isinstance(val, int):
                consts.append(f"{name} = {val}")
        if consts:
            lines += _wrap("(* constants (inlined):", consts, " *)", 92) + [""]
        for cpath, d, info, params, body in funcs:
            l0 = d.start_point[0] + 1
            l1 = d.end_point[0] + 1
            params = " ".join(params)
            lines.append(f"(* {cpath}:{l0}" + (f"-{l1}" if l1 != l0 else "") + " *)")
            lines.append(f"Function {info.pv} ({params}) :=")
            text = show(body)
            body_lines = text.split("\n")
            body_lines[-1] += "."
            lines += ["  " + ln for ln in body_lines]
            lines.append("")
        return "\n".join(lines)


def _declared_names(d) -> list:
    """The name nodes a package-level type spec, const declaration or function declares."""
    if d.type == "const_declaration":
        return [n for spec in _kids(d) if spec.type == "const_spec"
                for n in _fields(spec, "name")]
    return [_field(d, "name")]


def _wrap(head, items, tail, width):
    out, cur = [], head
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else tail)
        if len(cur) + 1 + len(piece) > width:
            out.append(cur)
            cur = "  " + piece
        else:
            cur = f"{cur} {piece}"
    out.append(cur)
    return out


# Go's universe scope: the predeclared types, constants, zero value and functions.
PREDECLARED = frozenset(T.BASIC_NAMES) | T.UNSUPPORTED_BASIC | {
    "comparable", "true", "false", "iota", "nil", "append", "cap", "clear", "close", "complex",
    "copy", "delete", "imag", "len", "make", "max", "min", "new", "panic", "print", "println",
    "real", "recover"}


class GooseErrors(GooseError):
    """Several errors (one per function that could not be translated)."""

    def __init__(self, errors):
        first = errors[0]
        super().__init__(first.path, first.line, first.col, first.message)
        self.errors = errors

    def __str__(self):
        return "\n".join(str(e) for e in self.errors)


def _module_root(start):
    d = os.path.abspath(start)
    while True:
        if os.path.isfile(os.path.join(d, "go.mod")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def go_files(target: str) -> list:
    """The Go files of a package directory (sorted, without tests), or the one file given."""
    if os.path.isdir(target):
        names = sorted(n for n in os.listdir(target)
                       if n.endswith(".go") and not n.endswith("_test.go")
                       and not n.startswith((".", "_")))
        return [os.path.join(target, n) for n in names]
    return [target]


def translate_package(target: str, prefix: str | None = None) -> str:
    """The `.pv` model of the Go package in directory ``target`` (or of the one file
    ``target``).  Function names get ``prefix`` (default: the package name and ``_``).
    Raises `GooseError` (possibly `GooseErrors`)."""
    tr = translator(target, prefix)
    return tr.text


def translator(target: str, prefix: str | None = None) -> Translator:
    """Run the translation; the result has ``text`` (the .pv file) and ``functions``
    ([(name, params, body)], the ASTs that ``text`` prints)."""
    files = go_files(target)
    if not files:
        raise GooseError(target, 1, 1, "no Go files (other than tests) in this directory")
    root = _module_root(os.path.dirname(os.path.abspath(files[0])))
    loaded = []
    for f in files:
        try:
            with open(f, "rb") as fh:
                src = fh.read()
        except OSError as e:
            raise GooseError(None, 0, 0, f"cannot read {f}: {e.strerror}") from None
        if root is not None:
            cpath = os.path.relpath(os.path.abspath(f), root).replace(os.sep, "/")
        else:
            cpath = os.path.basename(f)
        loaded.append((f, cpath, src))
    tr = Translator(loaded, root, prefix)
    # statements are translated (and lets printed) recursively: allow long functions
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        tr.text = tr.run()
    finally:
        sys.setrecursionlimit(limit)
    return tr
