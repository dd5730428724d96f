"""Go literals and constant expressions, evaluated exactly as the Go compiler does (untyped
constants, overflow checks, truncated division)."""
from __future__ import annotations

from .nodes import _field, _kids, _op, _text, _unparen, UNSUPPORTED_NODES


from . import gotypes as T


MAX_U64 = 2 ** 64 - 1


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


def convert_const(tr, node, val, vt, typ, conversion=False):
    """The constant ``val`` (of type ``vt``) converted to ``typ``: implicitly, or by the
    conversion ``typ(...)`` (``conversion``), which Go also refuses when it overflows."""
    kind = T.same_kind(typ)
    if kind == "int":
        if not isinstance(val, int) or isinstance(val, bool):
            tr.error(node, f"cannot use {_show_const(val)} as a value of type {typ}")
        limit = 255 if typ == T.BYTE else MAX_U64 if typ != T.UNTYPED_INT else None
        if typ == T.INT:
            limit = 2 ** 63 - 1
        if val < 0 or (limit is not None and val > limit):
            if conversion:          # node: the argument (gc's wording and position)
                src = _text(node)
                what = (f"constant {val} of type {vt}" if not T.is_untyped(vt) else
                        "untyped int constant" + ("" if src == str(val) else f" {val}"))
                tr.error(node, f"cannot convert {src} ({what}) to type {typ}")
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
            predeclared(tr, self.ft, node)
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
                typ = T.BASIC_NAMES.get(name, tr.pkg.types.get(name))
                if local is None and isinstance(typ, T.Basic):     # T(c): a constant of T
                    v, vt = self.eval(args[0])
                    if T.same_kind(typ) == "string" and not isinstance(v, str):
                        tr.unsupported(node, "conversion of an integer to a string")
                    return convert_const(tr, args[0], v, vt, typ, conversion=True), typ
                if local is None and name == "len":
                    v, vt = self.eval(args[0])
                    if isinstance(v, str):
                        return len(v.encode("utf-8")), T.INT
            raise _NotConst()
        raise _NotConst()


def predeclared(tr, ft, node) -> None:
    """Refuse ``true``, ``false`` or ``nil`` (parsed as literals) where the program declares
    the name: Go's meaning is then the declaration's, which the literal would not be."""
    name = _text(node)
    if (ft is not None and ft.lookup(name) is not None) or \
            any(name in d for d in (tr.pkg.consts, tr.pkg.funcs, tr.pkg.types)):
        tr.unsupported(node, f"a use of {name} where the program declares {name}",
                       f"rename the declaration: it shadows Go's predeclared {name}")


class _NotConst(Exception):
    pass


def _is_num(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q
