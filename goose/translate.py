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
  (``map_keys``, in an unspecified order) and skips keys deleted meanwhile.
* **Data.**  Multiple results and structs are right-nested pairs without a terminator (the
  layout of pv's ``Record``): ``(a, (b, c))``; a one-field struct is its field.  A pointer to a
  struct is a heap cell holding the whole struct: ``p.f`` is a projection of ``!p`` and
  ``p.f = v`` stores the updated struct.  Slices, maps and strings use the primitives listed in
  docs/syntax.md ("Primitives for Go data").
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Callable

from seplogic.syntax import (
    Call, EVar, Fork, If, Let, Lit, Loop, PRIM_OPS, Prim, Val, App,
)

from . import gotypes as T
from .errors import GooseError
from .goparse import parse_go
from .primlib import package_for_import

UNIT_V = Val(Lit("unit", None))
TRUE_V = Val(Lit("bool", True))
FALSE_V = Val(Lit("bool", False))
CONTINUE_V = Val(App("continue", ()))
MAX_U64 = 2 ** 64 - 1


def vint(n: int) -> Val:
    return Val(Lit("int", n))


def pair(a, b):
    return Prim("pair", (a, b))


def fst(e):
    return Prim("fst", (e,))


def snd(e):
    return Prim("snd", (e,))


def brk(e):
    return Prim("break", (e,))


def seq(a, b):
    """``a;; b``, dropping a final ``()`` after a unit-valued ``a``."""
    if b == UNIT_V and _unit_valued(a):
        return a
    return Let("_", a, b)


# primitives whose value is always ()
_UNIT_PRIMS = frozenset({"store", "atomic_store", "release", "acquire", "slice_set", "map_insert",
                         "map_delete", "write", "disk_write", "fs_append", "fs_close", "fs_delete"})
# primitives that do not write to the heap or the outside world (safe to reorder / drop)
_READ_ONLY = frozenset({
    "add", "sub", "mul", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "pair", "fst",
    "snd", "some", "load", "nil", "slice_len", "slice_cap", "slice_get", "map_get", "map_len",
    "string_len", "string_concat", "string_from_bytes",
})
# primitives that cannot get stuck on well-typed arguments and have no effect at all
_TOTAL_PURE = frozenset({"add", "sub", "mul", "eq", "ne", "lt", "le", "gt", "ge", "and", "or",
                         "not", "pair", "fst", "snd", "nil", "slice_len", "slice_cap",
                         "string_len", "string_concat"})


# pv names of the functions being translated that have no results (set by `Translator.run`)
_VOID: set = set()


def _unit_valued(e) -> bool:
    tp = type(e)
    if tp is Val:
        return e == UNIT_V
    if tp is Prim:
        return e.op in _UNIT_PRIMS
    if tp is Let:
        return _unit_valued(e.body)
    if tp is If:
        return _unit_valued(e.then) and _unit_valued(e.els)
    if tp is Fork:
        return True
    if tp is Call:
        return e.func in _VOID
    return False


def _simple(e) -> bool:
    """A value or a variable: evaluating it twice, or later, gives the same result."""
    return type(e) in (Val, EVar)


def _write_free(e) -> bool:
    tp = type(e)
    if tp in (Val, EVar):
        return True
    if tp is Prim:
        return e.op in _READ_ONLY and all(_write_free(a) for a in e.args)
    if tp is If:
        return _write_free(e.cond) and _write_free(e.then) and _write_free(e.els)
    return False


def _total(e) -> bool:
    """No effect and never stuck (so it may be evaluated eagerly: ``a && b`` as a primitive)."""
    tp = type(e)
    if tp in (Val, EVar):
        return True
    if tp is Prim:
        return e.op in _TOTAL_PURE and all(_total(a) for a in e.args)
    return False


# ---------------------------------------------------------------------------------------------
# Names

def _reserved_words() -> frozenset:
    from seplogic import vocabulary as V
    from seplogic.parser import RESERVED
    return frozenset(RESERVED) | frozenset(V.KEYWORDS) | frozenset(V.COMMANDS) | \
        frozenset(V.TACTICALS) | {"set", "map", "T", "nil"}


_RESERVED = None


def reserved() -> frozenset:
    global _RESERVED
    if _RESERVED is None:
        _RESERVED = _reserved_words()
    return _RESERVED


# ---------------------------------------------------------------------------------------------
# Nodes

def _kids(n):
    return [c for c in n.named_children if c.type != "comment"]


def _field(n, name):
    return n.child_by_field_name(name)


def _fields(n, name):
    return [c for c in n.children_by_field_name(name) if c.type != "comment"]


def _text(n) -> str:
    return n.text.decode("utf-8")


def _op(n) -> str:
    o = n.child_by_field_name("operator")
    return _text(o) if o is not None else ""


def _unparen(n):
    while n is not None and n.type in ("parenthesized_expression", "parenthesized_type"):
        ks = _kids(n)
        if len(ks) != 1:
            break
        n = ks[0]
    return n


# Constructs outside the subset, by node type: the name used in "... is not supported".
UNSUPPORTED_NODES = {
    "func_literal": "function literal", "function_type": "function type",
    "interface_type": "interface", "channel_type": "channel",
    "send_statement": "channel", "receive_statement": "channel",
    "select_statement": "select", "goto_statement": "goto", "labeled_statement": "label",
    "defer_statement": "defer", "fallthrough_statement": "fallthrough",
    "expression_switch_statement": "switch", "type_switch_statement": "type switch",
    "type_assertion_expression": "type assertion", "float_literal": "floating-point number",
    "imaginary_literal": "complex number", "array_type": "array",
    "implicit_length_array_type": "array", "generic_type": "generic type",
    "type_instantiation_expression": "generic instantiation",
    "type_parameter_list": "type parameter", "method_declaration": "method",
    "variadic_parameter_declaration": "variadic function", "negated_type": "type parameter",
    "type_constraint": "type parameter",
}


# ---------------------------------------------------------------------------------------------
# Package-level environment

@dataclass
class FuncInfo:
    name: str
    pv: str
    params: tuple      # types
    results: tuple     # types
    node: object
    path: str


@dataclass
class Var:
    go: str
    pv: str
    type: object
    mutable: bool


class _Import:
    def __init__(self, kind, pkg=None):
        self.kind = kind   # "sync" | "prim"
        self.pkg = pkg


class Package:
    def __init__(self, name):
        self.name = name
        self.types: dict = {}      # name -> Type (or a type node while resolving)
        self.consts: dict = {}     # name -> (value, Type)
        self.const_order: list = []
        self.funcs: dict = {}      # name -> FuncInfo
        self.idents: set = set()   # every identifier in the package (for fresh names)


class _K:
    """What the jumps mean where a statement list ends: falling off the end (``fall``), ``return``
    (``ret`` maps the returned value to an expression), ``break`` and ``continue`` (None outside
    a loop).  ``level`` is ``func``, ``loop`` or ``join``."""
    __slots__ = ("fall", "ret", "brk", "cont", "level")

    def __init__(self, fall, ret: Callable, brk, cont, level):
        self.fall, self.ret, self.brk, self.cont, self.level = fall, ret, brk, cont, level

    def unit(self):
        return _K(UNIT_V, self.ret, self.brk, self.cont, self.level)


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
                    pkg.types[name] = self.type_of(tnode)
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
            if name in pkg.funcs:
                self.error(name_node, f"{name} redeclared in this package")
            if _field(d, "body") is None:
                self.unsupported(d, "function without a body")
            params = [t for _, t, _ in self.param_list(_field(d, "parameters"))]
            results = [t for _, t, _ in self.param_list(_field(d, "result"))]
            pkg.funcs[name] = FuncInfo(name, self.func_name(name), tuple(params), tuple(results),
                                       d, path)

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
            imports[_text(alias) if alias is not None else default] = kind

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
                out.append((_text(n), typ))
        return out

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


class GooseErrors(GooseError):
    """Several errors (one per function that could not be translated)."""

    def __init__(self, errors):
        first = errors[0]
        super().__init__(first.path, first.line, first.col, first.message)
        self.errors = errors

    def __str__(self):
        return "\n".join(str(e) for e in self.errors)


class _NotYet(Exception):
    pass


def _pos(node):
    return node.start_point[0] + 1, node.start_point[1] + 1


def _collect_idents(root, out: set):
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "field_identifier", "type_identifier"):
            out.add(n.text.decode("utf-8"))
        elif n.child_count:
            stack.extend(n.children)


# ---------------------------------------------------------------------------------------------
# Go literals

def _go_string(text: str) -> str:
    """The value of a Go string literal as a Python str.  pv's string literals are Unicode
    text (a literal is its UTF-8 bytes), so a literal whose bytes are not valid UTF-8 raises
    UnicodeDecodeError."""
    return _go_string_bytes(text).decode("utf-8")


def _go_string_bytes(text: str) -> bytes:
    if text.startswith("`"):
        return text[1:-1].replace("\r", "").encode("utf-8")
    body = text[1:-1]
    out = bytearray()
    i = 0
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39,
              '"': 34}
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode("utf-8")
            i += 1
            continue
        c = body[i + 1]
        if c in simple:
            out.append(simple[c])
            i += 2
        elif c == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif c in "01234567":
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        elif c == "u":
            out += chr(int(body[i + 2:i + 6], 16)).encode("utf-8", "surrogatepass")
            i += 6
        elif c == "U":
            out += chr(int(body[i + 2:i + 10], 16)).encode("utf-8", "surrogatepass")
            i += 10
        else:
            raise ValueError(f"bad escape \\{c}")
    return bytes(out)


def _go_rune(text: str) -> int:
    body = text[1:-1]
    if body.startswith("\\"):
        b = _go_string_bytes('"' + body + '"') if body[1] not in "uU" else None
        if b is not None and len(b) == 1:
            return b[0]
        if body[1] in "uU":
            return int(body[2:], 16)
        return b.decode("utf-8")[0] if b else 0
    return ord(body)


def _go_int(text: str) -> int:
    t = text.replace("_", "").lower()
    if t.startswith("0x"):
        return int(t[2:], 16)
    if t.startswith("0b"):
        return int(t[2:], 2)
    if t.startswith("0o"):
        return int(t[2:], 8)
    if len(t) > 1 and t.startswith("0"):
        return int(t[1:], 8)
    return int(t)


def convert_const(tr, node, val, vt, typ):
    """The constant ``val`` (of type ``vt``) converted implicitly to ``typ``."""
    kind = T.same_kind(typ)
    if kind == "int":
        if not isinstance(val, int) or isinstance(val, bool):
            tr.error(node, f"cannot use {_show_const(val)} as a value of type {typ}")
        limit = 255 if typ == T.BYTE else MAX_U64 if typ != T.UNTYPED_INT else None
        if typ == T.INT:
            limit = 2 ** 63 - 1
        if val < 0 or (limit is not None and val > limit):
            tr.error(node, f"constant {val} overflows {typ}")
        return val
    if kind == "bool":
        if not isinstance(val, bool):
            tr.error(node, f"cannot use {_show_const(val)} as a value of type {typ}")
        return val
    if kind == "string":
        if not isinstance(val, str):
            tr.error(node, f"cannot use {_show_const(val)} as a value of type {typ}")
        return val
    tr.error(node, f"cannot use constant {_show_const(val)} as a value of type {typ}")


def _show_const(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return repr(v)
    return str(v)


class ConstEval:
    """Evaluation of Go constant expressions (exact arithmetic, as Go does)."""

    def __init__(self, tr, ft=None, iota=None):
        self.tr, self.ft, self.iota = tr, ft, iota

    def try_eval(self, node):
        try:
            return self.eval(node)
        except _NotConst:
            return None

    def eval(self, node):
        node = _unparen(node)
        t = node.type
        tr = self.tr
        if t == "int_literal":
            return _go_int(_text(node)), T.UNTYPED_INT
        if t in ("interpreted_string_literal", "raw_string_literal"):
            try:
                return _go_string(_text(node)), T.UNTYPED_STRING
            except UnicodeDecodeError:
                tr.unsupported(node, "a string literal whose bytes are not valid UTF-8",
                               "pv's string literals are Unicode text")
            except (ValueError, IndexError):
                tr.error(node, "invalid string literal")
        if t == "rune_literal":
            return _go_rune(_text(node)), T.UNTYPED_INT
        if t in ("true", "false"):
            return t == "true", T.UNTYPED_BOOL
        if t == "iota":
            if self.iota is None:
                tr.error(node, "iota outside a constant declaration")
            return self.iota, T.UNTYPED_INT
        if t in UNSUPPORTED_NODES:
            tr.unsupported(node, UNSUPPORTED_NODES[t])
        if t == "identifier":
            name = _text(node)
            if self.ft is not None:
                v = self.ft.lookup(name)
                if v is not None:
                    if isinstance(v, tuple) and len(v) == 2 and v[0] == "const":
                        return v[1]
                    raise _NotConst()
            if name in tr.pkg.consts:
                return tr.pkg.consts[name]
            if name in ("true", "false"):
                return name == "true", T.UNTYPED_BOOL
            raise _NotConst()
        if t == "selector_expression":
            op = _field(node, "operand")
            if op.type == "identifier" and (self.ft is None or self.ft.lookup(_text(op)) is None):
                imp = tr.imports.get(_text(op))
                if imp is not None and imp.kind == "prim":
                    nm = _text(_field(node, "field"))
                    if nm in imp.pkg.consts:
                        return imp.pkg.consts[nm]
            raise _NotConst()
        if t == "unary_expression":
            o = _op(node)
            v, vt = self.eval(_field(node, "operand"))
            if o == "-" and _is_num(v):
                if vt in (T.UINT64, T.BYTE) and v != 0:
                    tr.error(node, f"constant -{v} overflows {vt}")
                return -v, vt
            if o == "+" and _is_num(v):
                return v, vt
            if o == "!" and isinstance(v, bool):
                return not v, vt
            if o == "^":
                tr.unsupported(node, "the bitwise operator ^")
            raise _NotConst()
        if t == "binary_expression":
            o = _op(node)
            if o in ("&", "|", "^", "<<", ">>", "&^"):
                tr.unsupported(node, f"the bitwise operator {o}")
            a, at = self.eval(_field(node, "left"))
            b, bt = self.eval(_field(node, "right"))
            typ = at if not T.is_untyped(at) else bt
            if o in ("&&", "||"):
                if not (isinstance(a, bool) and isinstance(b, bool)):
                    tr.error(node, f"invalid operation: operator {o} needs booleans")
                return (a and b) if o == "&&" else (a or b), typ
            if o in ("==", "!=", "<", "<=", ">", ">="):
                r = {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b,
                     ">=": a >= b}[o]
                return r, T.UNTYPED_BOOL
            if o == "+" and isinstance(a, str) and isinstance(b, str):
                return a + b, typ
            if not (_is_num(a) and _is_num(b)):
                tr.error(node, f"invalid constant operation {o}")
            if o in ("/", "%") and b == 0:
                tr.error(node, "division by zero")
            r = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                 "/": lambda: _trunc_div(a, b), "%": lambda: a - b * _trunc_div(a, b)}[o]()
            if not T.is_untyped(typ):
                convert_const(tr, node, r, T.UNTYPED_INT, typ)
            return r, typ
        if t == "call_expression":
            fn = _unparen(_field(node, "function"))
            args = _kids(_field(node, "arguments"))
            if fn.type == "identifier" and len(args) == 1:
                name = _text(fn)
                local = self.ft.lookup(name) if self.ft is not None else None
                if local is None and name in ("uint64", "uint8", "byte"):
                    v, vt = self.eval(args[0])
                    typ = T.BASIC_NAMES[name]
                    return convert_const(tr, node, v, vt, typ), typ
                if local is None and name in ("string", "bool") and name not in tr.pkg.types:
                    v, vt = self.eval(args[0])
                    if name == "string" and not isinstance(v, str):
                        tr.unsupported(node, "conversion of an integer to a string")
                    return convert_const(tr, node, v, vt, T.BASIC_NAMES[name]), \
                        T.BASIC_NAMES[name]
                if local is None and name == "len":
                    v, vt = self.eval(args[0])
                    if isinstance(v, str):
                        return len(v.encode("utf-8")), T.INT
            raise _NotConst()
        raise _NotConst()


class _NotConst(Exception):
    pass


def _is_num(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


# ---------------------------------------------------------------------------------------------
# Functions

class _Vals:
    """Values for an assignment or a declaration: ``items`` [(expr, type)] refer to
    temporaries that ``wrap`` binds, in evaluation order, around the code using them."""

    def __init__(self, items, binds=()):
        self.items, self.binds = list(items), list(binds)

    def wrap(self, body):
        for name, e in reversed(self.binds):
            body = Let(name, e, body)
        return body


class _LV:
    """An assignable place: ``binds`` evaluate its operands (the slice and the index, the
    pointer, ...) once, before the right-hand side; ``read()`` / ``write(v)`` then use them."""

    def __init__(self, typ, binds, read, write):
        self.type, self.binds, self.read, self.write = typ, binds, read, write


class FuncTranslator:
    def __init__(self, tr: Translator, info: FuncInfo):
        self.tr = tr
        self.info = info
        self.path = tr.path

    def translate(self):
        """(parameter names, body).  Pass 1 finds the variables assigned after their
        declaration; pass 2 translates with those in heap cells."""
        self.mutable: set = set()
        self.assigned: set = set()
        self.analysis = True
        self._translate()
        self.mutable = set(self.assigned)
        self.analysis = False
        return self._translate()

    def _translate(self):
        d = self.info.node
        self.scopes: list = [{}]
        self.used: set = set(self.tr.pkg.idents)
        params, wrap = [], []
        for name, typ, node in self.tr.param_list(_field(d, "parameters")):
            if name is None or name == "_":
                params.append(self.fresh("arg"))
                continue
            var = self.new_var(name, typ, node)
            params.append(var.pv)
            if var.mutable:
                wrap.append(var)
        self.results = self.tr.param_list(_field(d, "result"))
        self.named_results = []
        inits = []
        for name, typ, node in self.results:
            if name is not None:
                if name == "_":
                    self.unsupported(node, "blank result name")
                var = self.new_var(name, typ, node)
                self.named_results.append(var)
                inits.append((var, self.zero(typ, node)))
        k = _K(UNIT_V, lambda e: e, None, None, "func")
        body = self.block_node(_field(d, "body"), k)
        for var, z in reversed(inits):
            body = Let(var.pv, Prim("ref", (z,)) if var.mutable else z, body)
        for var in reversed(wrap):
            body = Let(var.pv, Prim("ref", (EVar(var.pv),)), body)
        return params, body

    # ---- errors, names, scopes ---------------------------------------------------------------

    def error(self, node, msg):
        raise GooseError(self.path, *_pos(node), msg)

    def unsupported(self, node, what, hint=None):
        raise GooseError(self.path, *_pos(node), f"{what} is not supported"
                         + (f" ({hint})" if hint else ""))

    def slice_of(self, typ, node):
        """``typ``, a slice type whose element fits the core language's allocation bound."""
        size = T.size_align(typ.elem)[0]
        if size > T.MAX_ELEM_SIZE:
            self.unsupported(node, f"a slice of {typ.elem} ({size} bytes an element)",
                             f"at most {T.MAX_ELEM_SIZE}: pv bounds slices by their elements, "
                             "Go by their bytes; use a slice of pointers")
        return typ

    def fresh(self, base):
        name = base + "'"
        i = 0
        while name in self.used:
            i += 1
            name = f"{base}'{i}"
        self.used.add(name)
        return name

    def pv_name(self, go):
        pv = go
        while pv in reserved() or (pv != go and pv in self.used):
            pv += "_"
        return pv

    def new_var(self, go, typ, node, allow_int=False):
        if typ == T.INT and not allow_int:
            self.error(node, f"variables of type int are not supported (use uint64: "
                       f"{go} := uint64(...))")
        if typ == T.MUTEX:
            self.unsupported(node, "a sync.Mutex value", "use *sync.Mutex and new(sync.Mutex)")
        if isinstance(typ, T.TupleT):
            self.error(node, "multiple-value expression in single-value context")
        # A variable that shadows a visible one gets a fresh name (x'): continuations
        # translated outside its scope (a loop's post statement, ...) may be placed inside it.
        shadows = any(isinstance(sc.get(go), Var) for sc in self.scopes)
        pv = self.fresh(go) if shadows else self.pv_name(go)
        var = Var(go, pv, typ, node.id in self.mutable)
        var.key = node.id
        self.scopes[-1][go] = var
        return var

    def lookup(self, name):
        for s in reversed(self.scopes):
            if name in s:
                return s[name]
        return None

    def lookup_var(self, name):
        v = self.lookup(name)
        return v if isinstance(v, Var) else None

    def push(self):
        self.scopes.append({})

    def pop(self):
        self.scopes.pop()

    def read_var(self, var):
        return Prim("load", (EVar(var.pv),)) if var.mutable else EVar(var.pv)

    def write_var(self, var, value):
        if self.analysis:
            self.assigned.add(var.key)
        return Prim("store", (EVar(var.pv), value))

    def bind(self, go, node, typ, value, body_thunk, allow_int=False):
        """``let x := value in <rest>`` declaring the Go variable ``go`` for the rest."""
        if go == "_":
            return seq(value, body_thunk())
        var = self.new_var(go, typ, node, allow_int)
        init = Prim("ref", (value,)) if var.mutable else value
        return Let(var.pv, init, body_thunk())

    def tmp(self, base, value, body_fn):
        """``let t := value in body_fn(t)``, or ``body_fn(value)`` when value is simple."""
        if _simple(value):
            return body_fn(value)
        t = self.fresh(base)
        return Let(t, value, body_fn(EVar(t)))

    def tmp_bind(self, base, value, binds):
        """Add a binding of ``value`` to ``binds`` unless it is simple; the expression to use."""
        if _simple(value):
            return value
        t = self.fresh(base)
        binds.append((t, value))
        return EVar(t)

    # ---- statements ----------------------------------------------------------------------------

    def block_node(self, node, k):
        self.push()
        try:
            return self.block(_stmts(node), k)
        finally:
            self.pop()

    def block(self, stmts, k):
        if not stmts:
            return k.fall
        s, rest = stmts[0], stmts[1:]
        t = s.type
        if t == "return_statement":
            return k.ret(self.return_value(s))
        if t in ("break_statement", "continue_statement"):
            if _kids(s):
                self.unsupported(s, "label")
            j = k.brk if t == "break_statement" else k.cont
            if j is None:
                self.error(s, f"{t.split('_')[0]} is not in a loop")
            return j
        if t == "short_var_declaration":
            return self.short_var_decl(s, lambda: self.block(rest, k))
        if t == "var_declaration":
            return self.var_decl(s, lambda: self.block(rest, k))
        if t == "const_declaration":
            consts, order = {}, []
            self.tr.const_decl(s, consts, order, self)
            for name, cv in consts.items():
                self.scopes[-1][name] = ("const", cv)
            return self.block(rest, k)
        if t == "type_declaration":
            self.unsupported(s, "local type declaration")
        if t in ("if_statement", "for_statement", "block"):
            return self.compound(s, rest, k)
        if t in UNSUPPORTED_NODES:
            self.unsupported(s, UNSUPPORTED_NODES[t])
        return seq(self.simple_stmt(s), self.block(rest, k))

    def compound(self, s, rest, k):
        """A compound statement ``s`` followed by the statements ``rest``."""
        if _never_falls(s):
            return self.stmt_compound(s, k)   # (statements after one that never falls: dead)
        esc = _escapes(s)
        if not rest:
            if esc or k.fall == UNIT_V:
                return self.stmt_compound(s, k)
            return seq(self.stmt_compound(s, k.unit()), k.fall)
        if not esc:
            return seq(self.stmt_compound(s, k.unit()), self.block(rest, k))
        if s.type == "for_statement":
            return self.loop(s, k, rest)
        if s.type == "if_statement" and _field(s, "initializer") is None:
            cons, alt = _field(s, "consequence"), _field(s, "alternative")
            if _never_falls(cons):
                cond = self.cond(_field(s, "condition"))
                then = self.block_node(cons, k)
                return If(cond, then, self.compound(alt, rest, k) if alt is not None
                          else self.block(rest, k))
            if alt is not None and _never_falls(alt):
                cond = self.cond(_field(s, "condition"))
                return If(cond, self.compound(cons, rest, k), self.stmt_compound(alt, k))
        return self.join(s, rest, k, esc)

    def join(self, s, rest, k, esc):
        """``s`` evaluates to (0, ()) on falling through, (1, v) on ``return v``, (2, ()) on
        ``break``, (3, ()) on ``continue``; the code after it dispatches on the tag."""
        j = self.fresh("j")
        kj = _K(pair(vint(0), UNIT_V), lambda e: pair(vint(1), e),
                pair(vint(2), UNIT_V) if k.brk is not None else None,
                pair(vint(3), UNIT_V) if k.cont is not None else None, "join")
        body = self.stmt_compound(s, kj)
        tag = fst(EVar(j))
        exits = []
        if "ret" in esc:
            exits.append((1, k.ret(snd(EVar(j)))))
        if "brk" in esc:
            exits.append((2, k.brk))
        if "cont" in esc:
            exits.append((3, k.cont))
        disp = exits[-1][1]
        for n, e in reversed(exits[:-1]):
            disp = If(Prim("eq", (tag, vint(n))), e, disp)
        return Let(j, body, If(Prim("eq", (tag, vint(0))), self.block(rest, k), disp))

    def stmt_compound(self, s, k):
        t = s.type
        if t == "block":
            return self.block_node(s, k)
        if t == "for_statement":
            return self.loop(s, k, None)
        init = _field(s, "initializer")
        if init is not None:
            self.push()
            try:
                return self.simple_or_decl(init, lambda: self.if_rest(s, k))
            finally:
                self.pop()
        return self.if_rest(s, k)

    def if_rest(self, s, k):
        cond = self.cond(_field(s, "condition"))
        then = self.block_node(_field(s, "consequence"), k)
        alt = _field(s, "alternative")
        return If(cond, then, self.stmt_compound(alt, k) if alt is not None else k.fall)

    def simple_or_decl(self, s, thunk):
        if s.type == "short_var_declaration":
            return self.short_var_decl(s, thunk)
        return seq(self.simple_stmt(s), thunk())

    def cond(self, node):
        e, typ = self.expr(node)
        if T.same_kind(typ) != "bool":
            self.error(node, f"non-boolean condition (type {typ})")
        return e

    def return_value(self, s):
        vals = _kids(s)
        if vals and vals[0].type == "expression_list":
            vals = _kids(vals[0])
        results = self.results
        if not vals:
            if self.named_results:
                return _tuple([self.read_var(v) for v in self.named_results])
            if results:
                self.error(s, "not enough return values")
            return UNIT_V
        if len(vals) == 1 and len(results) > 1:
            e, typ = self.expr(vals[0])
            if not isinstance(typ, T.TupleT) or len(typ.elems) != len(results):
                self.error(s, f"not enough return values (want {len(results)})")
            return e
        if len(vals) != len(results):
            self.error(s, f"{'too many' if len(vals) > len(results) else 'not enough'} return "
                       f"values (have {len(vals)}, want {len(results)})")
        return _tuple([self.expr_as(v, typ) for v, (_, typ, _) in zip(vals, results)])

    # ---- loops ---------------------------------------------------------------------------------

    def loop(self, s, k, rest):
        """The ``for`` statement ``s`` followed by ``rest`` (None: ``s`` is last and completes
        with ``k.fall``)."""
        if "ret" not in _escapes(s):
            loop_e = self.loop_expr(s, brk(UNIT_V), None)
            tail = self.block(rest, k) if rest is not None else k.fall
            return loop_e if tail == UNIT_V else Let("_", loop_e, tail)
        if rest is None and k.level in ("func", "join") and _value_like(k.fall):
            # the loop's result is the function's (or the join's): break with it directly
            return self.loop_expr(s, brk(k.fall), lambda e: brk(k.ret(e)))
        loop_e = self.loop_expr(s, brk(pair(FALSE_V, UNIT_V)), lambda e: brk(pair(TRUE_V, e)))
        r = self.fresh("r")
        tail = self.block(rest, k) if rest is not None else k.fall
        return Let(r, loop_e, If(fst(EVar(r)), k.ret(snd(EVar(r))), tail))

    def loop_expr(self, s, enc_brk, enc_ret):
        body_node = _field(s, "body")
        clause = next((c for c in _kids(s) if c.id != body_node.id), None)

        def kb(post=None):
            nxt = seq(post, CONTINUE_V) if post is not None else CONTINUE_V
            return _K(nxt, enc_ret, enc_brk, nxt, "loop")

        if clause is None:                                     # for { }
            return Loop(self.block_node(body_node, kb()))
        if clause.type == "range_clause":
            return self.range_loop(clause, body_node, kb(), enc_brk)
        if clause.type != "for_clause":                        # for cond { }
            return Loop(If(self.cond(clause), self.block_node(body_node, kb()), enc_brk))
        init = _field(clause, "initializer")
        cond = _field(clause, "condition")
        upd = _field(clause, "update")
        self.push()
        try:
            def rest():
                c = self.cond(cond) if cond is not None else None
                post = self.simple_stmt(upd) if upd is not None else None
                body = self.block_node(body_node, kb(post))
                return Loop(If(c, body, enc_brk) if c is not None else body)
            if init is not None:
                if init.type == "short_var_declaration":
                    return self.short_var_decl(init, rest)
                return seq(self.simple_stmt(init), rest())
            return rest()
        finally:
            self.pop()

    def range_loop(self, clause, body_node, kb, enc_brk):
        left = _field(clause, "left")
        right = _field(clause, "right")
        names = _kids(left) if left is not None else []
        define = any(c.type == ":=" for c in clause.children)
        if len(names) > 2:
            self.error(clause, "range has at most two iteration variables")
        coll, ctype = self.expr(right)
        kind = T.same_kind(ctype)
        if kind not in ("slice", "map"):
            what = "a string" if kind == "string" else \
                "an integer" if kind == "int" else f"a value of type {ctype}"
            self.unsupported(right, f"range over {what}")
        key_n = names[0] if names and _text(names[0]) != "_" else None
        val_n = names[1] if len(names) > 1 and _text(names[1]) != "_" else None
        idx = self.fresh("i")
        cur = Prim("load", (EVar(idx),))
        step = Prim("store", (EVar(idx), Prim("add", (cur, vint(1)))))
        body = lambda: self.block_node(body_node, kb)  # noqa: E731

        def iter_var(node, typ, value, rest_fn):
            """Bind (``:=``) or assign (``=``) an iteration variable, then ``rest_fn(expr)``
            with an expression for its value."""
            if node is None:
                return self.tmp("k", value, rest_fn)
            if define:
                var = self.new_var(_text(node), typ, node, allow_int=True)
                if var.mutable:
                    return self.tmp("k", value, lambda kv: Let(
                        var.pv, Prim("ref", (kv,)), rest_fn(kv)))
                return Let(var.pv, value, rest_fn(EVar(var.pv)))
            return self.tmp("k", value, lambda kv: seq(self.assign_value(node, kv),
                                                       rest_fn(kv)))

        self.push()
        try:
            if kind == "slice":
                def with_slice(c):
                    def after_key(kv):
                        if val_n is None:
                            return seq(step, body())
                        return seq(step, iter_var(val_n, ctype.elem, Prim("slice_get", (c, kv)),
                                                  lambda _: body()))
                    it = iter_var(key_n, T.INT, cur, after_key)
                    test = Prim("lt", (cur, Prim("slice_len", (c,))))
                    return Let(idx, Prim("ref", (vint(0),)), Loop(If(test, it, enc_brk)))
                return self.tmp("s", coll, with_slice)

            def with_map(m):
                ks = self.fresh("keys")

                def after_key(kv):
                    look = Prim("map_get", (m, kv))
                    if val_n is None:
                        return seq(step, If(snd(look), body(), CONTINUE_V))
                    e = self.fresh("e")
                    present = iter_var(val_n, ctype.val, fst(EVar(e)), lambda _: body())
                    return seq(step, Let(e, look, If(snd(EVar(e)), present, CONTINUE_V)))
                it = iter_var(key_n, T.UINT64, Prim("slice_get", (EVar(ks), cur)), after_key)
                test = Prim("lt", (cur, Prim("slice_len", (EVar(ks),))))
                return Let(ks, Prim("map_keys", (m,)),
                           Let(idx, Prim("ref", (vint(0),)), Loop(If(test, it, enc_brk))))
            return self.tmp("m", coll, with_map)
        finally:
            self.pop()

    # ---- simple statements ---------------------------------------------------------------------

    def simple_stmt(self, s):
        t = s.type
        if t == "expression_statement":
            node = _unparen(_kids(s)[0])
            if node.type != "call_expression":
                if node.type in UNSUPPORTED_NODES:
                    self.unsupported(node, UNSUPPORTED_NODES[node.type])
                if node.type == "unary_expression" and _op(node) == "<-":
                    self.unsupported(node, "channel")
                self.error(node, "expression statement is not a call")
            e, _ = self.expr(node)
            return e
        if t in ("inc_statement", "dec_statement"):
            return self.update(_kids(s)[0], "+" if t == "inc_statement" else "-", None, s)
        if t == "assignment_statement":
            return self.assignment(s)
        if t == "go_statement":
            return self.go_stmt(s)
        if t in UNSUPPORTED_NODES:
            self.unsupported(s, UNSUPPORTED_NODES[t])
        self.unsupported(s, f"this statement ({t.replace('_', ' ')})")

    def go_stmt(self, s):
        call = _unparen(_kids(s)[0])
        if call.type != "call_expression":
            self.error(s, "go needs a function call")
        fn = _unparen(_field(call, "function"))
        if fn.type in UNSUPPORTED_NODES:
            self.unsupported(fn, UNSUPPORTED_NODES[fn.type])
        e, _ = self.expr(call)
        if type(e) not in (Call, Prim):
            self.error(s, "go needs a function call")
        # Go evaluates the arguments in the current goroutine, then starts the call
        binds = []
        args = [self.tmp_bind("a", a, binds) for a in e.args]
        inner = Call(e.func, tuple(args)) if type(e) is Call else Prim(e.op, tuple(args))
        return _Vals([], binds).wrap(Fork(inner))

    def short_var_decl(self, s, thunk):
        lefts = _kids(_field(s, "left"))
        rights = _kids(_field(s, "right"))
        for n in lefts:
            if n.type != "identifier":
                self.error(n, "non-name on the left side of :=")
        if not any(_text(n) != "_" and not isinstance(self.scopes[-1].get(_text(n)), Var)
                   for n in lefts):
            self.error(s, "no new variables on the left side of :=")
        vals = self.rhs_values(s, len(lefts), rights, [None] * len(lefts))

        def define(i):
            if i == len(lefts):
                return thunk()
            n, (e, typ) = lefts[i], vals.items[i]
            name = _text(n)
            old = self.scopes[-1].get(name)
            if name != "_" and isinstance(old, Var):       # redeclaration: an assignment
                return seq(self.write_var(old, e), define(i + 1))
            return self.bind(name, n, self.decl_type(n, typ), e, lambda: define(i + 1))
        return vals.wrap(define(0))

    def var_decl(self, s, thunk):
        specs = []
        for c in _kids(s):
            specs += _kids(c) if c.type == "var_spec_list" else [c]

        def go(i):
            if i == len(specs):
                return thunk()
            spec = specs[i]
            names = _fields(spec, "name")
            tnode = _field(spec, "type")
            vnode = _field(spec, "value")
            typ = self.tr.type_of(tnode) if tnode is not None else None
            if vnode is None:
                vals = _Vals([(self.zero(typ, spec), typ)] * len(names))
            else:
                vals = self.rhs_values(spec, len(names), _kids(vnode), [typ] * len(names))

            def define(j):
                if j == len(names):
                    return go(i + 1)
                n, (e, et) = names[j], vals.items[j]
                return self.bind(_text(n), n, typ or self.decl_type(n, et), e,
                                 lambda: define(j + 1))
            return vals.wrap(define(0))
        return go(0)

    def decl_type(self, node, typ):
        if typ == T.UNTYPED_NIL:
            self.error(node, "use of untyped nil in a variable declaration")
        if isinstance(typ, T.TupleT):
            self.error(node, "multiple-value expression in single-value context")
        return T.default_type(typ)

    def rhs_values(self, s, nl, rights, want):
        """The values of the right side for ``nl`` names or places.  With several values they
        are bound to temporaries first (Go evaluates the whole right side before assigning)."""
        if len(rights) == 1 and nl > 1:
            r = _unparen(rights[0])
            if r.type == "index_expression":           # v, ok := m[k]
                coll, ctype = self.expr(_field(r, "operand"))
                if not isinstance(ctype, T.MapT):
                    self.error(s, f"assignment mismatch: {nl} variables but 1 value")
                key = self.expr_as(_field(r, "index"), ctype.key)
                e, types = Prim("map_get", (coll, key)), (ctype.val, T.BOOL)
            elif r.type == "type_assertion_expression":
                self.unsupported(r, "type assertion")
            elif r.type == "unary_expression" and _op(r) == "<-":
                self.unsupported(r, "channel")
            else:
                e, typ = self.expr(r)
                n = len(typ.elems) if isinstance(typ, T.TupleT) else 1
                if n != nl:
                    self.error(s, f"assignment mismatch: {nl} variables but {n} value"
                               f"{'s' if n != 1 else ''}")
                types = typ.elems
            if nl != len(types):
                self.error(s, f"assignment mismatch: {nl} variables but {len(types)} values")
            t = self.fresh("r")
            return _Vals([(_tuple_proj(EVar(t), nl, i), types[i]) for i in range(nl)],
                         [(t, e)])
        if len(rights) != nl:
            self.error(s, f"assignment mismatch: {nl} variable{'s' if nl != 1 else ''} but "
                       f"{len(rights)} value{'s' if len(rights) != 1 else ''}")
        items = []
        for r, w in zip(rights, want):
            if w is not None:
                items.append((self.expr_as(r, w), w))
            else:
                e, typ = self.expr(r)
                if isinstance(typ, T.TupleT):
                    self.error(r, "multiple-value expression in single-value context")
                items.append((e, typ))
        if nl == 1:
            return _Vals(items)
        binds = []
        items = [(e if type(e) is Val else self.tmp_bind("t", e, binds), typ)
                 for e, typ in items]
        return _Vals(items, binds)

    def assignment(self, s):
        o = _op(s)
        lefts = _kids(_field(s, "left"))
        rights = _kids(_field(s, "right"))
        if o == "=":
            lvs = [None if _is_blank(n) else self.lvalue(n, twice=len(lefts) > 1)
                   for n in lefts]
            if len(lefts) == 1 and len(rights) == 1:
                if lvs[0] is None:
                    e, _ = self.expr(rights[0])
                    return e
                lv = lvs[0]
                return _Vals([], lv.binds).wrap(lv.write(self.expr_as(rights[0], lv.type)))
            binds = [b for lv in lvs if lv is not None for b in lv.binds]
            vals = self.rhs_values(s, len(lefts), rights,
                                   [lv.type if lv is not None else None for lv in lvs])
            writes = [lv.write(e) for lv, (e, _) in zip(lvs, vals.items) if lv is not None]
            # blank targets still evaluate their values (already bound by rhs_values)
            return _Vals([], binds).wrap(vals.wrap(_seq_all(writes)))
        if o in ("+=", "-=", "*=", "/=", "%="):
            if len(lefts) != 1 or len(rights) != 1:
                self.error(s, f"{o} needs one operand on each side")
            return self.update(lefts[0], o[0], rights[0], s)
        self.unsupported(s, f"the assignment operator {o}")

    def update(self, target, op, rnode, s):
        """``target op= r`` (``rnode`` None: ``++`` / ``--``)."""
        lv = self.lvalue(target, twice=True)
        if T.same_kind(lv.type) == "string" and op == "+" and rnode is not None:
            new = Prim("string_concat", (lv.read(), self.expr_as(rnode, lv.type)))
        elif lv.type in (T.UINT64, T.BYTE):
            r = vint(1) if rnode is None else self.expr_as(rnode, lv.type)
            new = self.arith(op, lv.read(), r, lv.type)
        else:
            self.error(s, f"arithmetic on a value of type {lv.type} is not supported")
        return _Vals([], lv.binds).wrap(lv.write(new))

    def assign_value(self, target, value):
        """Assign an already translated value (range loops with ``=``)."""
        if _is_blank(target):
            return value
        lv = self.lvalue(target)
        return _Vals([], lv.binds).wrap(lv.write(value))

    # ---- lvalues -------------------------------------------------------------------------------

    def lvalue(self, target, twice=False):
        """The place ``target``.  With ``twice`` (a compound or multiple assignment) its
        operands are bound to temporaries, evaluated once and before the right side."""
        target = _unparen(target)

        def hold(base, e, binds):
            return self.tmp_bind(base, e, binds) if twice else e
        t = target.type
        if t == "identifier":
            name = _text(target)
            var = self.lookup(name)
            if not isinstance(var, Var):
                if isinstance(var, tuple) or name in self.tr.pkg.consts:
                    self.error(target, f"cannot assign to constant {name}")
                self.error(target, f"undefined: {name}")
            return _LV(var.type, [], lambda: self.read_var(var),
                       lambda v: self.write_var(var, v))
        if t == "index_expression":
            coll, ctype = self.expr(_field(target, "operand"))
            kind = T.same_kind(ctype)
            binds = []
            if kind == "slice":
                c = hold("s", coll, binds)
                i = hold("i", self.index_expr(_field(target, "index")), binds)
                return _LV(ctype.elem, binds, lambda: Prim("slice_get", (c, i)),
                           lambda v: Prim("slice_set", (c, i, v)))
            if kind == "map":
                c = hold("m", coll, binds)
                kk = hold("k", self.expr_as(_field(target, "index"), ctype.key), binds)
                return _LV(ctype.val, binds, lambda: fst(Prim("map_get", (c, kk))),
                           lambda v: Prim("map_insert", (c, kk, v)))
            if kind == "string":
                self.error(target, "cannot assign to a byte of a string (strings are immutable)")
            self.error(target, f"cannot index a value of type {ctype}")
        if t == "selector_expression":
            base = _unparen(_field(target, "operand"))
            fname = _text(_field(target, "field"))
            if base.type == "identifier" and self.lookup(_text(base)) is None and \
                    _text(base) in self.tr.imports:
                self.error(target, f"cannot assign to {_text(target)}")
            bexpr, btype = self.expr(base)
            if isinstance(btype, T.PtrT) and isinstance(btype.elem, T.StructT):
                st = btype.elem
                i = self.field_index(st, fname, target)
                binds = []
                p = self.tmp_bind("p", bexpr, binds)

                def write(v):
                    return self.tmp("v", v, lambda vv: self.tmp(
                        "c", Prim("load", (p,)), lambda c: Prim("store", (p, _upd(c, st, i, vv))))
                        if len(st.fields) > 2 else Prim("store", (p, _upd(Prim("load", (p,)),
                                                                           st, i, vv))))
                return _LV(st.fields[i][1], binds, lambda: _proj(Prim("load", (p,)), st, i),
                           write)
            if isinstance(btype, T.StructT):
                st = btype
                i = self.field_index(st, fname, target)
                blv = self.lvalue(base, twice=True)

                def write(v):
                    if len(st.fields) == 1:
                        return blv.write(v)
                    return self.tmp("v", v, lambda vv: blv.write(self.tmp(
                        "c", blv.read(), lambda c: _upd(c, st, i, vv))))
                return _LV(st.fields[i][1], blv.binds, lambda: _proj(blv.read(), st, i), write)
            self.error(target, f"{fname} is not a field (the operand has type {btype})")
        if t == "unary_expression" and _op(target) == "*":
            pexpr, ptype = self.expr(_field(target, "operand"))
            if not isinstance(ptype, T.PtrT):
                self.error(target, f"cannot dereference a value of type {ptype}")
            binds = []
            p = hold("p", pexpr, binds)
            return _LV(ptype.elem, binds, lambda: Prim("load", (p,)),
                       lambda v: Prim("store", (p, v)))
        self.error(target, "cannot assign to this expression")

    def field_index(self, st, fname, node):
        i = st.index(fname)
        if i is None:
            self.error(node, f"{st} has no field {fname}")
        return i

    # ---- expressions ---------------------------------------------------------------------------

    def expr_as(self, node, typ):
        """Translate ``node`` as a value of type ``typ`` (converting untyped constants)."""
        if typ is None:
            e, _ = self.expr(node)
            return e
        e, et = self.expr(node, want=typ)
        if et == T.UNTYPED_NIL and T.same_kind(typ) not in ("slice", "ptr", "map"):
            self.error(node, f"cannot use nil as a value of type {typ}")
        if isinstance(et, T.TupleT):
            self.error(node, "multiple-value expression in single-value context")
        return e

    _CONST_NODES = frozenset({"int_literal", "interpreted_string_literal", "raw_string_literal",
                              "rune_literal", "true", "false", "binary_expression",
                              "unary_expression", "identifier", "selector_expression",
                              "call_expression", "iota", "parenthesized_expression"})

    def expr(self, node, want=None):
        """(core expression, Go type) of an expression node."""
        node = _unparen(node)
        if node.type in self._CONST_NODES:
            cv = ConstEval(self.tr, self).try_eval(node)
            if cv is not None:
                val, vt = cv
                if want is not None and T.same_kind(want) in ("int", "bool", "string"):
                    val, vt = convert_const(self, node, val, vt, want), want
                elif want is not None:
                    self.error(node, f"cannot use constant {_show_const(val)} as a value of "
                               f"type {want}")
                return _const_val(val), vt
        t = node.type
        m = getattr(self, "x_" + t, None)
        if m is None:
            if t in UNSUPPORTED_NODES:
                self.unsupported(node, UNSUPPORTED_NODES[t])
            self.unsupported(node, f"this expression ({t.replace('_', ' ')})")
        return m(node)

    def x_identifier(self, node):
        name = _text(node)
        var = self.lookup_var(name)
        if var is not None:
            return self.read_var(var), var.type
        if name == "nil":
            return Prim("nil", ()), T.UNTYPED_NIL
        if name in self.tr.pkg.funcs:
            self.unsupported(node, "function value")
        if name in self.tr.pkg.types or name in T.BASIC_NAMES:
            self.error(node, f"{name} is a type, not an expression")
        if name in self.tr.imports:
            self.error(node, f"use of package {name} without selector")
        self.error(node, f"undefined: {name}")

    def x_nil(self, node):
        return Prim("nil", ()), T.UNTYPED_NIL

    def x_selector_expression(self, node):
        op = _unparen(_field(node, "operand"))
        fname = _text(_field(node, "field"))
        if op.type == "identifier" and self.lookup(_text(op)) is None and \
                _text(op) in self.tr.imports:
            imp = self.tr.imports[_text(op)]
            pk = _text(op)
            if imp.kind == "sync":
                self.unsupported(node, f"sync.{fname}")
            if fname in imp.pkg.funcs or fname in imp.pkg.hooks:
                self.unsupported(node, "function value")
            self.error(node, f"undefined: {pk}.{fname}")
        base, btype = self.expr(op)
        if isinstance(btype, T.PtrT) and isinstance(btype.elem, T.StructT):
            st = btype.elem
            i = self.field_index(st, fname, node)
            return _proj(Prim("load", (base,)), st, i), st.fields[i][1]
        if isinstance(btype, T.StructT):
            i = self.field_index(btype, fname, node)
            return _proj(base, btype, i), btype.fields[i][1]
        if btype in (T.MUTEX, T.PtrT(T.MUTEX)):
            self.unsupported(node, "method value")
        self.error(node, f"{fname} is not a field (the operand has type {btype})")

    def x_index_expression(self, node):
        coll, ctype = self.expr(_field(node, "operand"))
        kind = T.same_kind(ctype)
        if kind == "slice":
            return Prim("slice_get", (coll, self.index_expr(_field(node, "index")))), ctype.elem
        if kind == "map":
            key = self.expr_as(_field(node, "index"), ctype.key)
            return fst(Prim("map_get", (coll, key))), ctype.val
        if kind == "string":
            self.unsupported(node, "indexing a string")
        self.error(node, f"cannot index a value of type {ctype}")

    def index_expr(self, node):
        cv = ConstEval(self.tr, self).try_eval(node)
        if cv is not None:
            val, _ = cv
            if not _is_num(val) or val < 0:
                self.error(node, f"invalid index {_show_const(val)}")
            return vint(val)
        e, typ = self.expr(node)
        if typ not in (T.UINT64, T.INT, T.BYTE):
            self.error(node, f"invalid index of type {typ}")
        return e

    def x_slice_expression(self, node):
        coll, ctype = self.expr(_field(node, "operand"))
        if _field(node, "capacity") is not None:
            self.unsupported(node, "three-index slice")
        kind = T.same_kind(ctype)
        if kind == "string":
            self.unsupported(node, "slicing a string")
        if kind != "slice":
            self.error(node, f"cannot slice a value of type {ctype}")
        lo_n, hi_n = _field(node, "start"), _field(node, "end")
        lo = self.index_expr(lo_n) if lo_n is not None else vint(0)
        if hi_n is None:
            return self.tmp("s", coll, lambda c: Prim("slice_sub", (
                c, lo, Prim("slice_len", (c,))))), ctype
        return Prim("slice_sub", (coll, lo, self.index_expr(hi_n))), ctype

    def x_unary_expression(self, node):
        o = _op(node)
        operand = _unparen(_field(node, "operand"))
        if o == "&":
            if operand.type != "composite_literal":
                self.unsupported(node, "taking the address of a variable",
                                 "& is only supported on a composite literal: &T{...}")
            e, typ = self.expr(operand)
            return Prim("ref", (e,)), T.PtrT(typ)
        if o == "<-":
            self.unsupported(node, "channel")
        if o == "^":
            self.unsupported(node, "the bitwise operator ^")
        e, typ = self.expr(operand)
        if o == "*":
            if not isinstance(typ, T.PtrT):
                self.error(node, f"cannot dereference a value of type {typ}")
            if typ.elem == T.MUTEX:
                self.unsupported(node, "a sync.Mutex value", "use *sync.Mutex")
            return Prim("load", (e,)), typ.elem
        if o == "!":
            if T.same_kind(typ) != "bool":
                self.error(node, f"operator ! needs a boolean (type {typ})")
            return Prim("not", (e,)), typ
        if o == "-":
            if typ not in (T.UINT64, T.BYTE):
                self.error(node, f"negation of a value of type {typ} is not supported")
            return self.arith("-", vint(0), e, typ), typ
        if o == "+":
            return e, typ
        self.unsupported(node, f"the operator {o}")

    def x_binary_expression(self, node):
        o = _op(node)
        ln, rn = _field(node, "left"), _field(node, "right")
        if o in ("&", "|", "^", "<<", ">>", "&^"):
            self.unsupported(node, f"the bitwise operator {o}")
        if o in ("&&", "||"):
            a, b = self.cond(ln), self.cond(rn)
            if _total(b):
                return Prim("and" if o == "&&" else "or", (a, b)), T.BOOL
            # Go evaluates the right operand only if needed
            return (If(a, b, FALSE_V) if o == "&&" else If(a, TRUE_V, b)), T.BOOL
        lc = ConstEval(self.tr, self).try_eval(ln)
        rc = ConstEval(self.tr, self).try_eval(rn)
        if lc is not None and rc is None:
            b, bt = self.expr(rn)
            a, at = self.expr(ln, want=None if T.is_untyped(bt) else bt)
        elif rc is not None and lc is None:
            a, at = self.expr(ln)
            b, bt = self.expr(rn, want=None if T.is_untyped(at) else at)
        else:
            a, at = self.expr(ln)
            b, bt = self.expr(rn)
        typ = at if at != T.UNTYPED_NIL else bt
        if o in ("==", "!="):
            if T.UNTYPED_NIL in (at, bt):
                other = bt if at == T.UNTYPED_NIL else at
                if T.same_kind(other) not in ("slice", "ptr", "map"):
                    self.error(node, f"invalid operation: cannot compare a value of type {other} "
                               f"with nil")
            elif T.same_kind(typ) in ("slice", "map"):
                self.error(node, f"invalid operation: {typ} can only be compared to nil")
            else:
                _check_mix(self, node, at, bt)
            return Prim("eq" if o == "==" else "ne", (a, b)), T.BOOL
        if o in ("<", "<=", ">", ">="):
            if T.same_kind(typ) != "int":
                self.unsupported(node, f"ordering comparison of {_plural(typ)}")
            _check_mix(self, node, at, bt)
            return Prim({"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}[o], (a, b)), T.BOOL
        if o in ("+", "-", "*", "/", "%"):
            _check_mix(self, node, at, bt)
            if T.same_kind(typ) == "string" and o == "+":
                return Prim("string_concat", (a, b)), typ
            if typ not in (T.UINT64, T.BYTE):
                if typ == T.INT:
                    self.unsupported(node, "arithmetic on int", "convert with uint64(...)")
                self.error(node, f"invalid operation: operator {o} on a value of type {typ}")
            return self.arith(o, a, b, typ), typ
        self.unsupported(node, f"the operator {o}")

    def arith(self, o, a, b, typ):
        """uint64 arithmetic wraps modulo 2^64 (the primitives do); byte arithmetic modulo 256
        (2^64 is a multiple of 256, so reducing the uint64 result is exact)."""
        op = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}[o]
        e = Prim(op, (a, b))
        if typ == T.BYTE and op in ("add", "sub", "mul"):
            e = Prim("mod", (e, vint(256)))
        return e

    def x_composite_literal(self, node):
        typ = self.tr.type_of(_field(node, "type"))
        return self.literal(_field(node, "body"), typ, node), typ

    def literal(self, body, typ, node):
        elems = [c for c in _kids(body) if c.type in ("literal_element", "keyed_element")]
        if isinstance(typ, T.StructT):
            return self.struct_literal(body, elems, typ, node)
        if isinstance(typ, T.SliceT):
            self.slice_of(typ, node)
            items, nxt = [], 0
            for el in elems:
                vnode = el
                if el.type == "keyed_element":
                    kn = _field(el, "key")
                    kv, _ = ConstEval(self.tr, self).eval(_elem(kn))
                    if not _is_num(kv) or kv < 0:
                        self.error(kn, "invalid index in a slice literal")
                    nxt, vnode = kv, _field(el, "value")
                items.append((nxt, self.element(vnode, typ.elem)))
                nxt += 1
            n = max((i for i, _ in items), default=-1) + 1
            s = self.fresh("s")
            out = EVar(s)
            for i, v in reversed(items):
                out = seq(Prim("slice_set", (EVar(s), vint(i), v)), out)
            return Let(s, Prim("slice_make", (self.zero(typ.elem, node), vint(n), vint(n))),
                       out)
        if isinstance(typ, T.MapT):
            m = self.fresh("m")
            out = EVar(m)
            pairs = []
            for el in elems:
                if el.type != "keyed_element":
                    self.error(el, "missing key in map literal")
                pairs.append((self.element(_field(el, "key"), typ.key),
                              self.element(_field(el, "value"), typ.val)))
            for kk, v in reversed(pairs):
                out = seq(Prim("map_insert", (EVar(m), kk, v)), out)
            return Let(m, Prim("map_make", (self.zero(typ.val, node),)), out)
        self.error(node, f"invalid composite literal of type {typ}")

    def struct_literal(self, body, elems, typ, node):
        n = len(typ.fields)
        vals = [None] * n
        order = []
        keyed = bool(elems) and elems[0].type == "keyed_element"
        if elems and not keyed and len(elems) != n:
            self.error(body, f"too {'few' if len(elems) < n else 'many'} values in a literal "
                       f"of type {typ}")
        for i, el in enumerate(elems):
            if (el.type == "keyed_element") != keyed:
                self.error(el, "mixture of field:value and value elements in a struct literal")
            if keyed:
                kn = _elem(_field(el, "key"))
                j = self.field_index(typ, _text(kn), kn)
                vnode = _field(el, "value")
            else:
                j, vnode = i, el
            if vals[j] is not None:
                self.error(el, f"duplicate field {typ.fields[j][0]} in a struct literal")
            vals[j] = self.element(vnode, typ.fields[j][1])
            order.append(j)
        for j in range(n):
            if vals[j] is None:
                vals[j] = self.zero(typ.fields[j][1], node)
        if order != sorted(order) and not all(_write_free(vals[j]) for j in order):
            # Go evaluates the elements in source order: bind them in that order first
            names = {j: self.fresh("f") for j in order}
            out = _tuple([EVar(names[j]) if j in names else vals[j] for j in range(n)])
            for j in reversed(order):
                out = Let(names[j], vals[j], out)
            return out
        return _tuple(vals)

    def element(self, vnode, typ):
        vnode = _elem(vnode)
        if vnode.type == "literal_value":          # an element whose type is elided
            if isinstance(typ, T.PtrT):
                return Prim("ref", (self.literal(vnode, typ.elem, vnode),))
            return self.literal(vnode, typ, vnode)
        return self.expr_as(vnode, typ)

    def zero(self, typ, node):
        kind = T.same_kind(typ)
        if kind == "int":
            return vint(0)
        if kind == "bool":
            return FALSE_V
        if kind == "string":
            return Val(Lit("string", ""))
        if kind in ("slice", "ptr"):
            return Prim("nil", ())
        if kind == "map":
            self.unsupported(node, f"a nil map (the zero value of {typ})", "make maps with make")
        if kind == "struct":
            return _tuple([self.zero(ft, node) for _, ft in typ.fields])
        if typ == T.MUTEX:
            self.unsupported(node, "a sync.Mutex value", "use *sync.Mutex and new(sync.Mutex)")
        self.error(node, f"no zero value for type {typ}")

    def x_type_conversion_expression(self, node):
        typ = self.tr.type_of(_field(node, "type"))
        return self.conversion(node, typ, _field(node, "operand"))

    def conversion(self, node, typ, arg):
        e, at = self.expr(arg)
        tk, ak = T.same_kind(typ), T.same_kind(at)
        if tk == "int":
            if ak != "int":
                self.unsupported(node, f"conversion from {at} to {typ}")
            if typ == T.INT:
                self.unsupported(node, "conversion to int")
            if typ == T.BYTE and at != T.BYTE:
                if _below(e, 256):
                    return e, typ
                return Prim("mod", (e, vint(256))), typ
            return e, typ
        if tk == "string":
            if at == T.SliceT(T.BYTE):
                return Prim("string_from_bytes", (e,)), typ
            if ak == "string":
                return e, typ
            self.unsupported(node, f"conversion from {at} to string")
        if typ == T.SliceT(T.BYTE) and ak == "string":
            return Prim("bytes_from_string", (e,)), typ
        if at == T.UNTYPED_NIL and tk in ("slice", "ptr"):
            return e, typ
        if (tk == ak and tk in ("bool",)) or at == typ:
            return e, typ
        self.unsupported(node, f"conversion from {at} to {typ}")

    def x_call_expression(self, node):
        fn = _unparen(_field(node, "function"))
        args = _kids(_field(node, "arguments"))
        if any(a.type == "variadic_argument" for a in args[:-1]):
            self.error(node, "can only use ... with the final argument")
        spread = bool(args) and args[-1].type == "variadic_argument"
        if fn.type in UNSUPPORTED_NODES:
            self.unsupported(fn, UNSUPPORTED_NODES[fn.type])
        if fn.type in ("slice_type", "map_type", "pointer_type", "qualified_type"):
            if len(args) != 1 or spread:
                self.error(node, "a conversion takes one argument")
            return self.conversion(node, self.tr.type_of(fn), args[0])
        if fn.type == "identifier":
            name = _text(fn)
            if self.lookup(name) is not None:
                self.unsupported(fn, "call of a function value")
            if name in BUILTINS and name not in self.tr.pkg.funcs:
                return getattr(self, "b_" + name)(node, args, spread)
            if name in self.tr.pkg.funcs:
                info = self.tr.pkg.funcs[name]
                if spread:
                    self.unsupported(node, "variadic function")
                vals = self.call_args(node, args, info.params, name)
                return Call(info.pv, tuple(vals)), _results_type(info.results)
            if name in T.BASIC_NAMES or name in self.tr.pkg.types:
                if len(args) != 1 or spread:
                    self.error(node, "a conversion takes one argument")
                return self.conversion(node, self.tr.type_of(fn), args[0])
            if name in UNSUPPORTED_BUILTINS:
                self.unsupported(fn, f"the builtin {name}")
            if name in T.UNSUPPORTED_BASIC:
                self.unsupported(fn, f"conversion to {name}")
            self.error(fn, f"undefined: {name}")
        if fn.type == "selector_expression":
            op = _unparen(_field(fn, "operand"))
            meth = _text(_field(fn, "field"))
            if op.type == "identifier" and self.lookup(_text(op)) is None and \
                    _text(op) in self.tr.imports:
                imp = self.tr.imports[_text(op)]
                pk = _text(op)
                if imp.kind == "sync":
                    self.unsupported(fn, f"sync.{meth}")
                if meth in imp.pkg.types:
                    if len(args) != 1 or spread:
                        self.error(node, "a conversion takes one argument")
                    return self.conversion(node, imp.pkg.types[meth], args[0])
                if meth in imp.pkg.hooks:
                    self.unsupported(fn, f"{pk}.{meth}", "a test hook of the primitive package, not "
                                     "part of its model")
                pf = imp.pkg.funcs.get(meth)
                if pf is None and imp.pkg.name == "atomic":
                    self.unsupported(fn, f"sync/atomic's {meth}", "only LoadUint64, StoreUint64 "
                                     "and CompareAndSwapUint64, on a *uint64")
                if pf is None:
                    self.error(fn, f"undefined: {pk}.{meth}")
                if spread:
                    self.unsupported(node, "variadic function")
                vals = self.call_args(node, args, pf.params, f"{pk}.{meth}")
                return Prim(pf.prim, tuple(vals)), _results_type(pf.results)
            recv, rtype = self.expr(op)
            if rtype == T.PtrT(T.MUTEX):
                if args:
                    self.error(node, f"too many arguments in call to {meth}")
                if meth == "Lock":
                    return Prim("acquire", (recv,)), T.UNIT
                if meth == "Unlock":
                    return Prim("release", (recv,)), T.UNIT
                self.unsupported(fn, f"sync.Mutex.{meth}")
            self.unsupported(fn, "method call")
        self.unsupported(fn, "call of a function value")

    def call_args(self, node, args, params, name):
        if len(args) == 1 and len(params) > 1:
            _, typ = self.expr(args[0])
            if isinstance(typ, T.TupleT):
                self.unsupported(node, "passing the results of a call as arguments")
        if len(args) != len(params):
            self.error(node, f"{'not enough' if len(args) < len(params) else 'too many'} "
                       f"arguments in call to {name} (want {len(params)})")
        return [self.expr_as(a, p) for a, p in zip(args, params)]

    # ---- builtins ------------------------------------------------------------------------------

    def b_len(self, node, args, spread):
        if len(args) != 1 or spread:
            self.error(node, "len takes one argument")
        e, typ = self.expr(args[0])
        kind = T.same_kind(typ)
        if kind == "slice" or typ == T.UNTYPED_NIL:
            return Prim("slice_len", (e,)), T.INT
        if kind == "map":
            return Prim("map_len", (e,)), T.INT
        if kind == "string":
            return Prim("string_len", (e,)), T.INT
        self.error(node, f"invalid argument for len (type {typ})")

    def b_cap(self, node, args, spread):
        if len(args) != 1 or spread:
            self.error(node, "cap takes one argument")
        e, typ = self.expr(args[0])
        if T.same_kind(typ) != "slice":
            self.error(node, f"invalid argument for cap (type {typ})")
        return Prim("slice_cap", (e,)), T.INT

    def b_append(self, node, args, spread):
        if not args:
            self.error(node, "not enough arguments for append")
        s, st = self.expr(args[0])
        if T.same_kind(st) != "slice":
            self.error(args[0], f"the first argument of append must be a slice (type {st})")
        self.slice_of(st, node)
        rest = args[1:]
        if spread:
            if len(rest) != 1:
                self.error(node, "can only use ... with the final argument")
            inner = _kids(rest[0])[0]
            t, tt = self.expr(inner)
            if T.same_kind(tt) == "string" and st.elem == T.BYTE:
                t = Prim("bytes_from_string", (t,))
            elif T.same_kind(tt) != "slice" and tt != T.UNTYPED_NIL:
                self.error(inner, f"cannot use ... with a value of type {tt}")
            return Prim("slice_append_slice", (s, t)), st
        if not rest:
            return s, st
        vals = [self.expr_as(a, st.elem) for a in rest]
        if len(vals) == 1:
            return Prim("slice_append", (s, vals[0])), st
        # several elements are appended at once (growing the slice once), as a slice of them
        xs = self.fresh("xs")
        body = EVar(xs)
        for i, v in reversed(list(enumerate(vals))):
            body = seq(Prim("slice_set", (EVar(xs), vint(i), v)), body)
        lit = Let(xs, Prim("slice_make", (self.zero(st.elem, node), vint(len(vals)),
                                          vint(len(vals)))), body)
        return self.tmp("s", s, lambda sv: Prim("slice_append_slice", (sv, lit))), st

    def b_make(self, node, args, spread):
        if not args or spread:
            self.error(node, "make needs a type")
        typ = self.tr.type_of(args[0])
        if isinstance(typ, T.SliceT):
            self.slice_of(typ, node)
            if len(args) not in (2, 3):
                self.error(node, "make of a slice needs a length (and optionally a capacity)")
            n = self.index_expr(args[1])
            z = self.zero(typ.elem, node)
            if len(args) == 2:
                return self.tmp("n", n, lambda nn: Prim("slice_make", (z, nn, nn))), typ
            return Prim("slice_make", (z, n, self.index_expr(args[2]))), typ
        if isinstance(typ, T.MapT):
            if len(args) == 2:
                self.index_expr(args[1])   # a size hint: checked, ignored
            elif len(args) != 1:
                self.error(node, "too many arguments to make")
            return Prim("map_make", (self.zero(typ.val, node),)), typ
        self.error(node, f"cannot make a value of type {typ}")

    def b_new(self, node, args, spread):
        if len(args) != 1 or spread:
            self.error(node, "new takes one type")
        typ = self.tr.type_of(args[0])
        if typ == T.MUTEX:
            return Prim("newlock", ()), T.PtrT(T.MUTEX)
        return Prim("ref", (self.zero(typ, node),)), T.PtrT(typ)

    def b_delete(self, node, args, spread):
        if len(args) != 2 or spread:
            self.error(node, "delete takes a map and a key")
        m, mt = self.expr(args[0])
        if not isinstance(mt, T.MapT):
            self.error(args[0], f"the first argument of delete must be a map (type {mt})")
        return Prim("map_delete", (m, self.expr_as(args[1], mt.key))), T.UNIT


BUILTINS = {"len", "cap", "append", "make", "new", "delete"}
UNSUPPORTED_BUILTINS = {"copy", "panic", "recover", "print", "println", "close", "complex",
                        "real", "imag", "min", "max", "clear"}


def _below(e, n) -> bool:
    """``e`` is ``x % c`` with a constant ``0 < c <= n`` (so its value is below n)."""
    return (type(e) is Prim and e.op == "mod" and type(e.args[1]) is Val
            and e.args[1].term.kind == "int" and 0 < e.args[1].term.value <= n)


def _plural(typ) -> str:
    return {"string": "strings", "bool": "booleans"}.get(T.same_kind(typ), f"values of type {typ}")


def _elem(n):
    """The expression inside a ``literal_element``."""
    if n is not None and n.type == "literal_element":
        return _kids(n)[0]
    return n


def _is_blank(n):
    n = _unparen(n)
    return n.type == "identifier" and _text(n) == "_"


def _results_type(results):
    if not results:
        return T.UNIT
    if len(results) == 1:
        return results[0]
    return T.TupleT(tuple(results))


def _check_mix(ft, node, at, bt):
    if T.is_untyped(at) or T.is_untyped(bt) or at == bt:
        return
    ft.error(node, f"invalid operation: mismatched types {at} and {bt}")


def _const_val(v):
    if isinstance(v, bool):
        return Val(Lit("bool", v))
    if isinstance(v, int):
        return Val(Lit("int", v))
    return Val(Lit("string", v))


def _tuple(vals):
    """Right-nested pairs without a terminator; one value is itself, none is ()."""
    if not vals:
        return UNIT_V
    out = vals[-1]
    for v in reversed(vals[:-1]):
        out = pair(v, out)
    return out


def _tuple_proj(e, n, i):
    """Component i of an n-tuple built by `_tuple`."""
    if n == 1:
        return e
    for _ in range(i):
        e = snd(e)
    return fst(e) if i < n - 1 else e


def _proj(e, st, i):
    return _tuple_proj(e, len(st.fields), i)


def _upd(c, st, i, v):
    """The struct ``c`` (a simple expression or a load) with field i replaced by ``v``."""
    n = len(st.fields)
    return _tuple([v if j == i else _tuple_proj(c, n, j) for j in range(n)])


def _seq_all(es):
    if not es:
        return UNIT_V
    out = es[-1]
    for e in reversed(es[:-1]):
        out = seq(e, out)
    return out


def _value_like(e) -> bool:
    """Cheap, effect-free completion values (``()``, ``(0, ())``)."""
    if type(e) is Val:
        return True
    return type(e) is Prim and e.op == "pair" and all(_value_like(a) for a in e.args)


# ---------------------------------------------------------------------------------------------
# Control-flow analysis

def _stmts(block):
    out = []
    for c in _kids(block):
        if c.type == "statement_list":
            out += _kids(c)
        else:
            out.append(c)
    return [s for s in out if s.type != "empty_statement"]


def _never_falls(s) -> bool:
    """Control never reaches the statement after ``s``."""
    if s is None:
        return False
    t = s.type
    if t in ("return_statement", "break_statement", "continue_statement", "goto_statement"):
        return True
    if t == "block":
        ss = _stmts(s)
        return bool(ss) and _never_falls(ss[-1])
    if t == "if_statement":
        alt = _field(s, "alternative")
        return alt is not None and _never_falls(_field(s, "consequence")) and _never_falls(alt)
    if t == "for_statement":
        body = _field(s, "body")
        clause = next((c for c in _kids(s) if c.id != body.id), None)
        infinite = clause is None or (clause.type == "for_clause" and
                                      _field(clause, "condition") is None)
        return infinite and "brk" not in _escapes(body)
    return False


def _escapes(s) -> set:
    """Which of return / break / continue inside ``s`` leave it (``ret``, ``brk``, ``cont``).
    The breaks and continues of a loop belong to it; when ``s`` is a loop, its own do not
    escape."""
    out = set()

    def walk(n, depth):
        t = n.type
        if t == "return_statement":
            out.add("ret")
            return
        if t == "break_statement" and depth == 0:
            out.add("brk")
            return
        if t == "continue_statement" and depth == 0:
            out.add("cont")
            return
        if t == "func_literal":
            return
        d = depth + 1 if t == "for_statement" else depth
        for c in n.named_children:
            walk(c, d)
    if s.type == "for_statement":
        for c in s.named_children:
            walk(c, 1)
    else:
        walk(s, 0)
    return out


# ---------------------------------------------------------------------------------------------
# Public entry points

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
