"""Rules of Go that only refuse (nothing in the model depends on them), checked on the syntax
tree as gc states them: a function with results must end in a terminating statement ("missing
return"), and a local variable or an import must be used.  The checks err on the side of
accepting: whatever they let through, `go build` in ``pv goose`` still judges
(goose/gocheck.py)."""
from __future__ import annotations

from .nodes import _escapes, _field, _fields, _kids, _never_falls, _stmts, _text


def terminating(s) -> bool:
    """The Go spec's terminating statement (a ``return``, a block or an ``if``/``else`` whose
    branches end in one, a ``for`` without condition that no ``break`` leaves, ...)."""
    if s is None:
        return False
    t = s.type
    if t in ("return_statement", "goto_statement"):
        return True
    if t == "block":
        ss = _stmts(s)
        return bool(ss) and terminating(ss[-1])
    if t == "if_statement":
        return terminating(_field(s, "consequence")) and terminating(_field(s, "alternative"))
    if t == "for_statement":
        return _never_falls(s)          # no condition, no range, no break out of it
    return False


def missing_return(ft, decl) -> None:
    """Refuse a function with results whose body can end without a ``return``: gc's
    "missing return", at the closing brace."""
    body = _field(decl, "body")
    if _field(decl, "result") is None or terminating(body):
        return
    row, col = body.end_point
    ft.error_at(row + 1, col, "missing return")


def _declared(n, out):
    """The identifiers ``n`` declares as variables and the ones it assigns with ``=``
    (neither is a use): into ``out`` by node id."""
    t = n.type
    if t == "short_var_declaration" or (t == "assignment_statement" and _op_is(n, "=")):
        for c in _kids(_field(n, "left")):
            if c.type == "identifier":
                out[c.id] = "decl" if t == "short_var_declaration" else "set"
    elif t == "var_spec":
        for c in _fields(n, "name"):
            out[c.id] = "decl"
    elif t == "range_clause" and any(c.type == ":=" for c in n.children):
        left = _field(n, "left")
        for c in (_kids(left) if left is not None else []):
            if c.type == "identifier":
                out[c.id] = "decl"


def _op_is(n, op) -> bool:
    return any(c.type == op for c in n.children if not c.is_named)


# the nodes a variable's name can be: tree-sitter parses a use of a declared true, false, nil
# or iota as the literal
_NAMES = frozenset({"identifier", "true", "false", "nil", "iota"})


def unused_variable(ft, decl) -> None:
    """Refuse a local variable never used (gc: "x declared but not used"): a name every
    occurrence of which in the function declares it or is assigned with ``=``.  (A name
    also used elsewhere, even as another variable, is let through, and so are the names of
    the parameters and results, which ``:=`` in the body assigns.)"""
    params = {_text(n) for f in ("parameters", "result") if _field(decl, f) is not None
              for p in _kids(_field(decl, f)) for n in _fields(p, "name")}
    roles, occurrences = {}, {}
    stack = [_field(decl, "body")]
    while stack:
        n = stack.pop()
        _declared(n, roles)
        if n.type in _NAMES:
            occurrences.setdefault(_text(n), []).append(n)
        stack.extend(n.children)
    unused = [n for name, ns in occurrences.items() if name != "_" and name not in params
              and all(n.id in roles for n in ns) for n in ns if roles[n.id] == "decl"]
    if unused:
        n = min(unused, key=lambda n: n.start_byte)
        ft.error(n, f"{_text(n)} declared but not used")


def unused_imports(tr, root, specs) -> None:
    """Refuse an import whose name the file never mentions (gc: ``imported and not used``).
    ``specs``: [(its name in the file, the import spec)]."""
    names = set()
    stack = [c for c in root.children if c.type != "import_declaration"]
    while stack:
        n = stack.pop()
        if n.type in _NAMES or n.type == "package_identifier":
            names.add(_text(n))
        stack.extend(n.children)
    for name, spec in specs:
        if name not in names:
            alias = _field(spec, "name")
            tr.error(spec, f"imported and not used: {_text(_field(spec, 'path'))}"
                     + (f" as {name}" if alias is not None else ""))
