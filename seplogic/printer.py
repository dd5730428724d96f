"""Printing sorts, terms, programs and assertions in the concrete syntax of docs/syntax.md.

`show` writes the Unicode notation, `show_ascii` the ASCII one; both print the fewest
parentheses the grammar needs, re-sugar ``□ (P -∗ WP ...)`` into a Hoare triple, and are exact
inverses of the parser: ``parse_X(show(x)) == x`` for every well-formed ``x`` (names are
identifiers that are not keywords).  Long programs and assertions are laid out over several
lines; white space is insignificant to the parser, so that does not affect reading them back.

Precedence levels mirror `grammar.lark`; keep the two in sync.
"""
from __future__ import annotations

from . import syntax as S
from .names import display as _name   # a definition's short name where it means it

__all__ = ["show", "show_ascii", "show_fact"]

WIDTH = 90  # longer programs / assertions are printed over several lines

# formula levels (loosest first); binder forms (∃ ∀ [∗] if) are level 0
F_TOP, F_WAND, F_OR, F_AND, F_SEP, F_BOX, F_PT, F_IMP, F_LOR, F_LAND, F_NOT, F_CMP, F_SET, \
    F_INTER, F_SUM, F_PROD, F_NEG, F_POST, F_ATOM = range(19)
# program levels
P_SEQ, P_STMT, P_STORE, P_OR, P_AND, P_CMP, P_SUM, P_PROD, P_UN, P_ATOM = range(10)

_UNI = {
    "sep": "∗", "wand": "-∗", "and": "∧", "or": "∨", "box": "□", "exists": "∃", "forall": "∀",
    "big": "[∗", "mapsto": "↦", "mapsto_v": "↦[", "spec": "⤇", "pure_l": "⌜", "pure_r": "⌝",
    "implies": "→", "ne": "≠", "le": "≤", "mem": "∈", "subseteq": "⊆", "supseteq": "⊇",
    "union": "∪", "inter": "∩", "diff": "∖", "empty": "∅", "top": "⊤",
}
_ASC = {
    "sep": "**", "wand": "-*", "and": "/\\", "or": "\\/", "box": "#[]", "exists": "exists",
    "forall": "forall", "big": "[**", "mapsto": "|->", "mapsto_v": "|->[", "spec": "~>",
    "pure_l": "[! ", "pure_r": " !]", "implies": "->", "ne": "!=", "le": "<=", "mem": "in",
    "subseteq": "subseteq", "supseteq": ">=", "union": "\\cup", "inter": "\\cap", "diff": "\\",
    "empty": "{}", "top": "T",
}
# term operator -> (level, symbol or key into the tables above, associativity)
_TBIN = {
    "implies": (F_IMP, "implies", "R"), "or": (F_LOR, "||", "L"), "and": (F_LAND, "&&", "L"),
    "eq": (F_CMP, "=", "N"), "ne": (F_CMP, "ne", "N"), "lt": (F_CMP, "<", "N"),
    "le": (F_CMP, "le", "N"), "mem": (F_CMP, "mem", "N"), "subseteq": (F_CMP, "subseteq", "N"),
    "union": (F_SET, "union", "L"), "diff": (F_SET, "diff", "L"),
    "inter": (F_INTER, "inter", "L"),
    "add": (F_SUM, "+", "L"), "sub": (F_SUM, "-", "L"), "app": (F_SUM, "++", "L"),
    "add64": (F_SUM, "+64", "L"), "sub64": (F_SUM, "-64", "L"),
    "mul": (F_PROD, "*", "L"), "div": (F_PROD, "/", "L"), "mod": (F_PROD, "mod", "L"),
    "mul64": (F_PROD, "*64", "L"),
}
_AOPS = {S.Wand: (F_WAND, "wand"), S.Or: (F_OR, "or"), S.And: (F_AND, "and"),
         S.Sep: (F_SEP, "sep")}
_PBIN = {
    "eq": (P_CMP, "==", "N"), "ne": (P_CMP, "!=", "N"), "lt": (P_CMP, "<", "N"),
    "le": (P_CMP, "<=", "N"), "gt": (P_CMP, ">", "N"), "ge": (P_CMP, ">=", "N"),
    "add": (P_SUM, "+", "L"), "sub": (P_SUM, "-", "L"), "mul": (P_PROD, "*", "L"),
    "div": (P_PROD, "/", "L"), "mod": (P_PROD, "%", "L"), "and": (P_AND, "&&", "L"),
    "or": (P_OR, "||", "L"), "store": (P_STORE, "<-", "N"),
}
# file-system cell kinds -> (surface head, is the lease)
_FS_HEAD = {kind: (head, i == 1) for head, cell in S.FS_CELLS.items()
            for i, kind in enumerate(cell[:2])}


def show(x, width: int = WIDTH, avoid=frozenset()) -> str:
    """Unicode concrete syntax of a Sort, Term, Expr or Assertion; lines longer than ``width``
    are broken where the layout allows.  Bound variables named as one in ``avoid`` (the
    variables of a goal's context) are renamed apart, so the text reads back as an
    alpha-equivalent assertion; without ``avoid`` it reads back as exactly ``x``."""
    return _Printer(_UNI, width=width).top(rename_apart(x, avoid) if avoid else x)


def show_fact(t, width: int = WIDTH) -> str:
    """A pure term as a goal shows a pure fact: laid out over several lines when it is longer
    than ``width`` (`show` prints a term on one line)."""
    p = _Printer(_UNI, width=width)
    flat = p.term(t, F_TOP, True)
    return flat if len(flat) <= width else "\n".join(p.term_lines(t))


def show_ascii(x, width: int = WIDTH) -> str:
    """ASCII concrete syntax of a Sort, Term, Expr or Assertion."""
    return _Printer(_ASC, ascii_only=True, width=width).top(x)


def rename_apart(a, avoid):
    """``a`` with every bound variable of an assertion (∃, ∀, big-∗, a postcondition's
    value) that is named as one in ``avoid``, or as an enclosing binder, renamed to a fresh
    name: alpha-equivalent to ``a``, and unambiguous to a reader who sees ``avoid``."""
    if not isinstance(a, S.Assertion):
        return a
    return _Renamer().go(a, frozenset(avoid))


class _Renamer:
    def bind(self, var, body, avoid, taken=frozenset()):
        if var in avoid and var != "_":
            new = S.fresh_name(var, avoid | S.fv(body) | taken)
            body = S.subst(body, {var: S.Var(new)})
            var = new
        return var, body, avoid | {var}

    def go(self, a, avoid):
        tp = type(a)
        if tp in (S.Sep, S.Wand, S.And, S.Or):
            spine = []                       # along the right spine without recursion
            while type(a) is tp:
                spine.append(self.go(a.left, avoid))
                a = a.right
            out = self.go(a, avoid)
            for left in reversed(spine):
                out = tp(left, out)
            return out
        if tp in (S.Exists, S.Forall):
            var, body, inner = self.bind(a.var, a.body, avoid)
            return tp(var, a.sort, self.go(body, inner))
        if tp is S.BigSep:
            body, names, inner = a.body, [], avoid
            for i, v in enumerate(a.vars):
                v, body, inner = self.bind(v, body, inner, frozenset(a.vars[i + 1:]))
                names.append(v)
            return S.BigSep(a.kind, tuple(names), a.coll, self.go(body, inner))
        if tp is S.Persistently:
            return S.Persistently(self.go(a.body, avoid))
        if tp is S.Inv:
            return S.Inv(a.name, self.go(a.body, avoid))
        if tp is S.IsLock:
            return S.IsLock(a.lock, self.go(a.body, avoid))
        if tp is S.PredApp:
            return S.PredApp(a.name, tuple(self.go(x, avoid) if isinstance(x, S.Assertion)
                                           else x for x in a.args))
        if tp is S.WP:
            var, post, inner = self.bind(a.var, a.post, avoid)
            return S.WP(a.version, a.opened, a.expr, var, self.go(post, inner))
        return a


def _par(s: str, yes: bool) -> str:
    return f"({s})" if yes else s


def _is_triple(a) -> bool:
    return type(a) is S.Persistently and type(a.body) is S.Wand and type(a.body.right) is S.WP


class _Printer:
    def __init__(self, sym: dict, ascii_only: bool = False, width: int = WIDTH):
        self.sym = sym
        self.ascii = ascii_only
        self.width = width

    def top(self, x) -> str:
        if isinstance(x, S.Sort):
            return self.sort(x)
        if isinstance(x, S.Term):
            return self.term(x, F_TOP, True)
        if isinstance(x, S.Expr):
            flat = self.expr(x, P_SEQ)
            return flat if len(flat) <= self.width else "\n".join(self.expr_lines(x, P_SEQ))
        if isinstance(x, S.Assertion):
            flat = self.assertion(x, F_TOP, True)
            return flat if len(flat) <= self.width else "\n".join(self.assertion_lines(x))
        raise TypeError(f"cannot print {x!r}")

    # ---- sorts ----------------------------------------------------------------------------

    def sort(self, s: S.Sort, arg: bool = False) -> str:
        if s.name == "prod" and len(s.args) == 2:
            out = f"{self.sort_operand(s.args[0])} * {self.sort(s.args[1])}"
            return _par(out, arg)
        if not s.args:
            return s.name
        out = " ".join([s.name] + [self.sort(a, True) for a in s.args])
        return _par(out, arg)

    def sort_operand(self, s: S.Sort) -> str:
        return _par(self.sort(s), s.name == "prod" and len(s.args) == 2)

    # ---- terms ----------------------------------------------------------------------------

    def string(self, s: str) -> str:
        out = ['"']
        for ch in s:
            if ch == "\\":
                out.append("\\\\")
            elif ch == '"':
                out.append('\\"')
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\t":
                out.append("\\t")
            elif ch == "\r":
                out.append("\\r")
            elif not ch.isprintable() or (self.ascii and ord(ch) > 127):
                out.append("\\u{%x}" % ord(ch))
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)

    def lit(self, t: S.Lit) -> str:
        if t.kind == "int":
            return str(t.value)
        if t.kind == "bool":
            return "true" if t.value else "false"
        if t.kind == "string":
            return self.string(t.value)
        return "()"

    def args(self, items) -> str:
        return ", ".join(self.term(a, F_TOP, True) for a in items)

    def term(self, t, need: int, rm: bool) -> str:
        """``t`` printed where the grammar needs level ``need``; ``rm``: nothing follows it
        up to a closing delimiter (so a trailing `if` needs no parentheses)."""
        tp = type(t)
        if tp is S.Var:
            return t.name
        if tp is S.Lit:
            s = self.lit(t)
            return _par(s, t.kind == "int" and t.value < 0 and need > F_NEG)
        if tp is not S.App:
            raise TypeError(f"not a term: {t!r}")
        op, a = t.op, t.args
        n = len(a)
        if op in _TBIN and n == 2:
            level, sym, assoc = _TBIN[op]
            sym = self.sym.get(sym, sym)
            left = self.term(a[0], level + (assoc != "L"), False)
            right = self.term(a[1], level + (assoc != "R"), False)
            return _par(f"{left} {sym} {right}", level < need)
        if op == "not" and n == 1:
            return _par("~" + self.term(a[0], F_NOT, False), F_NOT < need)
        if op == "neg" and n == 1:
            x = a[0]
            inner = self.term(x, F_NEG, False)
            if type(x) is S.Lit and x.kind == "int" and x.value >= 0:
                inner = f"({inner})"  # `-5` would read back as the literal -5
            return _par("-" + inner, F_NEG < need)
        if op == "lookup" and n == 2:
            return f"{self.term(a[0], F_POST, False)}[{self.term(a[1], F_TOP, True)}]"
        if op == "insert" and n == 3:
            return (f"{self.term(a[0], F_POST, False)}[{self.term(a[1], F_TOP, True)} := "
                    f"{self.term(a[2], F_TOP, True)}]")
        if op == "ite" and n == 3:
            # `if` extends as far right as it can: bare only where a whole formula may stand
            s = (f"if {self.term(a[0], F_TOP, True)} then {self.term(a[1], F_TOP, True)} "
                 f"else {self.term(a[2], F_TOP, True)}")
            return _par(s, need > F_TOP)
        if op == "pair" and n == 2:
            return f"({self.args(a)})"
        if op == "list":
            return f"[{self.args(a)}]"
        if op == "set":
            return f"{{[{self.args(a)}]}}" if a else self.sym["empty"]
        if n == 0 and op in ("none", "continue", "map_empty"):
            return "None" if op == "none" else op
        if op == "some":
            return f"Some({self.args(a)})"
        return f"{_name(op)}({self.args(a)})"

    # ---- assertions -----------------------------------------------------------------------

    def binder_form(self, s: str, need: int, rm: bool) -> str:
        return _par(s, not (need == F_TOP or (rm and need <= F_BOX)))

    def inner_rm(self, need: int, rm: bool) -> bool:
        """Whether the body of a binder form printed at ``need`` is rightmost."""
        return True if not (need == F_TOP or (rm and need <= F_BOX)) else rm

    def assertion(self, a, need: int, rm: bool) -> str:
        tp = type(a)
        sym = self.sym
        if tp in _AOPS:
            level, key = _AOPS[tp]
            paren = level < need
            left = self.assertion(a.left, level + 1, False)
            right = self.assertion(a.right, level, True if paren else rm)
            return _par(f"{left} {sym[key]} {right}", paren)
        if tp is S.Pure:
            if a.term == S.TRUE:
                return "True"
            if a.term == S.FALSE:
                return "False"
            return f"{sym['pure_l']}{self.term(a.term, F_TOP, True)}{sym['pure_r']}"
        if tp is S.Emp:
            return "emp"
        if tp is S.Persistently:
            if _is_triple(a):
                return self.triple(a.body.left, a.body.right)
            paren = F_BOX < need
            body = self.assertion(a.body, F_BOX, True if paren else rm)
            return _par(f"{sym['box']} {body}", paren)
        if tp in (S.Exists, S.Forall):
            return self.quant(a, need, rm)
        if tp is S.BigSep:
            inner = self.inner_rm(need, rm)
            s = f"{self.bigsep_head(a)} {self.assertion(a.body, F_TOP, inner)}"
            return self.binder_form(s, need, rm)
        if tp is S.Atom:
            return self.atom(a, need)
        if tp is S.Inv:
            return f"inv({a.name}, {self.assertion(a.body, F_TOP, True)})"
        if tp is S.IsLock:
            return (f"is_lock({self.term(a.lock, F_TOP, True)}, "
                    f"{self.assertion(a.body, F_TOP, True)})")
        if tp is S.PredApp:
            if not a.args:
                return _name(a.name)
            return f"{_name(a.name)}({', '.join(self.pred_arg(x) for x in a.args)})"
        if tp is S.AVar:
            return a.name
        if tp is S.WP:
            return (f"WP[{self.term(a.version, F_TOP, True)}]{self.mask(a.opened)} "
                    f"{self.expr(a.expr, P_SEQ)} {self.post(a.var, a.post)}")
        raise TypeError(f"not an assertion: {a!r}")

    def bigsep_head(self, a) -> str:
        sym = self.sym
        binders = a.vars[0] if a.kind == "set" or len(a.vars) != 2 else \
            f"{a.vars[0]} {sym['mapsto']} {a.vars[1]}"
        return (f"{sym['big']} {a.kind}] {binders} {sym['mem']} "
                f"{self.term(a.coll, F_IMP, False)}.")

    def pred_arg(self, x) -> str:
        if isinstance(x, S.Assertion):
            s = self.assertion(x, F_TOP, True)
            # a predicate application would read back as a term: say it is an assertion
            return f"{s} : iProp" if type(x) is S.PredApp else s
        return self.term(x, F_TOP, True)

    def quant(self, a, need: int, rm: bool) -> str:
        head, body = self.quant_head(a)
        inner = self.inner_rm(need, rm)
        return self.binder_form(f"{head} {self.assertion(body, F_TOP, inner)}", need, rm)

    def quant_head(self, a) -> tuple:
        """(``∃ (x y : u64) z.``, the body) of a run of quantifiers of one kind."""
        tp = type(a)
        groups: list = []  # [sort, [names]] runs of equal sort
        body = a
        while type(body) is tp:
            if groups and groups[-1][0] == body.sort and body.sort != S.VAL:
                groups[-1][1].append(body.var)
            else:
                groups.append([body.sort, [body.var]])
            body = body.body
        parts = []
        for sort, names in groups:
            if sort == S.VAL:
                parts.extend(names)
            else:
                parts.append(f"({' '.join(names)} : {self.sort(sort)})")
        key = "exists" if tp is S.Exists else "forall"
        return f"{self.sym[key]} {' '.join(parts)}.", body

    def atom(self, a: S.Atom, need: int) -> str:
        k, x = a.kind, a.args
        sym = self.sym
        t = self.term
        if k == "pointsto" and len(x) == 3:
            lhs = t(x[0], F_IMP, False)
            l0 = x[0]
            if type(l0) is S.App and (l0.op == "fd" or l0.op in S.FS_CELLS):
                lhs = f"({lhs})"  # `fd(f) ↦[n] (i, md)`, `dir(d) ↦[n] S`, ... are fs atoms
            s = f"{lhs} {sym['mapsto_v']}{t(x[1], F_TOP, True)}] {t(x[2], F_IMP, False)}"
            return _par(s, F_PT < need)
        if k == "fs_fd" and len(x) == 4:
            s = (f"fd({t(x[0], F_TOP, True)}) {sym['mapsto_v']}{t(x[1], F_TOP, True)}] "
                 f"({t(x[2], F_TOP, True)}, {t(x[3], F_TOP, True)})")
            return _par(s, F_PT < need)
        if k in _FS_HEAD and len(x) >= 3:
            (head, is_lease), ver = _FS_HEAD[k], t(x[-2], F_TOP, True)
            cell = f"{head}({self.args(x[:-2])})"
            if is_lease:
                return f"lease[{ver}]({cell}, {t(x[-1], F_TOP, True)})"
            s = f"{cell} {sym['mapsto_v']}{ver}] {t(x[-1], F_IMP, False)}"
            return _par(s, F_PT < need)
        if k == "spec" and len(x) == 3:
            s = f"{t(x[1], F_IMP, False)} {sym['spec']}[{t(x[0], F_TOP, True)}] " \
                f"{t(x[2], F_IMP, False)}"
            return _par(s, F_PT < need)
        if k == "crashing" and len(x) == 1:
            return _par(f"{sym['spec']}[{t(x[0], F_TOP, True)}] Crashing", F_PT < need)
        if k == "done" and not x:
            return _par(f"{sym['spec']} Done", F_PT < need)
        if k == "source" and len(x) == 2:
            return f"source[{t(x[0], F_TOP, True)}]({t(x[1], F_TOP, True)})"
        if k in ("master", "lease") and len(x) == 4:
            return (f"{k}[{t(x[2], F_TOP, True)}]({t(x[0], F_POST, False)}"
                    f"[{t(x[1], F_TOP, True)}], {t(x[3], F_TOP, True)})")
        if k in S.VERSIONED_ATOMS and len(x) == 3:
            return (f"{k}[{t(x[1], F_TOP, True)}]({t(x[0], F_TOP, True)}, "
                    f"{t(x[2], F_TOP, True)})")
        if k == "lease_lb" and len(x) == 3:
            return (f"lease[{t(x[1], F_TOP, True)}]({t(x[0], F_SET, False)} "
                    f"{sym['supseteq']} {t(x[2], F_SET, False)})")
        return f"{k}({self.args(x)})"

    def mask(self, opened) -> str:
        if not opened:
            return ""
        return f" @ {self.sym['top']}{self.sym['diff']}{{{', '.join(opened)}}}"

    def braced(self, s: str) -> str:
        # `{[` would read as the start of a set literal
        return f"{{ {s}}}" if s.startswith("[") and not s.startswith(("[∗", "[**", "[!")) \
            else f"{{{s}}}"

    def post(self, var: str, post) -> str:
        body = self.assertion(post, F_TOP, True)
        return self.braced(body if var == "_" else f"{var}. {body}")

    def triple(self, pre, wp: S.WP) -> str:
        return (f"{self.braced(self.assertion(pre, F_TOP, True))} {self.expr(wp.expr, P_SEQ)} "
                f"{self.post(wp.var, wp.post)}[{self.term(wp.version, F_TOP, True)}]"
                f"{self.mask(wp.opened)}")

    # ---- programs -------------------------------------------------------------------------

    def val(self, t) -> str:
        tp = type(t)
        if tp is S.Lit and not (t.kind == "int" and t.value < 0):
            return self.lit(t)
        if tp is S.Var:
            return "#" + t.name
        if tp is S.App and not t.args and t.op in ("continue", "none"):
            return "None" if t.op == "none" else "continue"
        return f"#({self.term(t, F_TOP, True)})"

    def expr(self, e, need: int) -> str:
        tp = type(e)
        if tp is S.Val:
            return self.val(e.term)
        if tp is S.EVar:
            return e.name
        if tp is S.Let:
            if e.name == "_":
                s = f"{self.expr(e.bound, P_STMT)};; {self.expr(e.body, P_SEQ)}"
            else:
                s = f"let {e.name} := {self.expr(e.bound, P_SEQ)} in {self.expr(e.body, P_SEQ)}"
            return _par(s, need > P_SEQ)
        if tp is S.If:
            s = (f"if {self.expr(e.cond, P_SEQ)} then {self.expr(e.then, P_SEQ)} "
                 f"else {self.expr(e.els, P_STMT)}")
            return _par(s, need > P_STMT)
        if tp is S.Call:
            return f"{_name(e.func)}({', '.join(self.expr(a, P_SEQ) for a in e.args)})"
        if tp is S.Prim:
            op, a = e.op, e.args
            if op in _PBIN and len(a) == 2:
                level, sym, assoc = _PBIN[op]
                left = self.expr(a[0], level + (assoc != "L"))
                right = self.expr(a[1], level + 1)
                return _par(f"{left} {sym} {right}", level < need)
            if op == "load" and len(a) == 1:
                return _par("!" + self.expr(a[0], P_UN), P_UN < need)
            if op == "not" and len(a) == 1:
                return _par("not " + self.expr(a[0], P_UN), P_UN < need)
            if op == "pair" and len(a) == 2:
                return f"({self.expr(a[0], P_SEQ)}, {self.expr(a[1], P_SEQ)})"
            name = "Some" if op == "some" else op
            return f"{name}({', '.join(self.expr(x, P_SEQ) for x in a)})"
        if tp is S.Fork:
            return f"fork {{ {self.expr(e.body, P_SEQ)} }}"
        if tp is S.Loop:
            return f"loop {{ {self.expr(e.body, P_SEQ)} }}"
        raise TypeError(f"not an expression: {e!r}")

    # ---- multi-line layout ----------------------------------------------------------------

    def expr_lines(self, e, need: int, indent: str = "", chain: bool = False) -> list:
        """``e`` over several lines: one let / `;;` step per line (all steps of a chain once
        it is broken: ``chain``), long `if`, fork and loop bodies indented."""
        flat = self.expr(e, need)
        tp = type(e)
        if len(indent) + len(flat) <= self.width and not (chain and tp is S.Let):
            return [indent + flat]
        if tp is S.Let and need <= P_SEQ:
            if e.name == "_":
                head = self.expr_lines(e.bound, P_STMT, indent)
                head[-1] += ";;"
            else:
                bound = self.expr(e.bound, P_SEQ)
                if len(indent) + len(bound) + len(e.name) + 10 <= self.width:
                    head = [f"{indent}let {e.name} := {bound} in"]
                else:
                    head = [f"{indent}let {e.name} :="]
                    head += self.expr_lines(e.bound, P_SEQ, indent + "  ")
                    head.append(f"{indent}in")
            return head + self.expr_lines(e.body, P_SEQ, indent, chain=True)
        if tp is S.If and need <= P_STMT:
            inner = indent + "  "
            return ([f"{indent}if {self.expr(e.cond, P_SEQ)} then"]
                    + self.expr_lines(e.then, P_SEQ, inner) + [f"{indent}else"]
                    + self.expr_lines(e.els, P_STMT, inner))
        if tp in (S.Fork, S.Loop):
            kw = "fork" if tp is S.Fork else "loop"
            return ([f"{indent}{kw} {{"] + self.expr_lines(e.body, P_SEQ, indent + "  ")
                    + [f"{indent}}}"])
        if tp in (S.Let, S.If):
            return ([f"{indent}("] + self.expr_lines(e, P_SEQ, indent + "  ")
                    + [f"{indent})"])
        return [indent + flat]

    def assertion_lines(self, a, indent: str = "", need: int = F_TOP, rm: bool = True,
                        reserve: int = 0) -> list:
        """A long assertion (printed where the grammar needs level ``need``; ``rm``: nothing
        follows it): inside its parentheses if it needs them there, one operand of a ∗ / -∗ /
        ∧ / ∨ chain per line, the body of a quantifier or big-∗ on the lines after its
        binders, triples and weakest preconditions with their program laid out as above
        (``reserve``: columns taken after the last line, by an operator that follows)."""
        flat = self.assertion(a, need, rm)
        if len(indent) + len(flat) + reserve <= self.width:
            return [indent + flat]
        if need != F_TOP or not rm:
            top = self.assertion(a, F_TOP, True)
            if flat == f"({top})":
                return [indent + "("] + self.assertion_lines(a, indent + "  ") + [indent + ")"]
        tp = type(a)
        if tp in _AOPS:
            level, key = _AOPS[tp]
            op = self.sym[key]
            lines = self.assertion_lines(a.left, indent, level + 1, False, len(op) + 1)
            lines[-1] += f" {op}"
            return lines + self.assertion_lines(a.right, indent, level, rm, reserve)
        if _is_triple(a):
            wp = a.body.right
            return (self.braced_lines("", a.body.left, indent)
                    + self.expr_lines(wp.expr, P_SEQ, indent + "  ")
                    + self.braced_lines("" if wp.var == "_" else f"{wp.var}.", wp.post, indent,
                                        f"[{self.term(wp.version, F_TOP, True)}]"
                                        f"{self.mask(wp.opened)}"))
        if tp in (S.Exists, S.Forall) and not flat.startswith("("):
            head, body = self.quant_head(a)
            return [indent + head] + self.assertion_lines(body, indent + "  ", F_TOP, rm,
                                                          reserve)
        if tp is S.BigSep and not flat.startswith("("):
            return ([indent + self.bigsep_head(a)]
                    + self.assertion_lines(a.body, indent + "  ", F_TOP, rm, reserve))
        if tp is S.WP:
            return ([f"{indent}WP[{self.term(a.version, F_TOP, True)}]{self.mask(a.opened)}"]
                    + self.expr_lines(a.expr, P_SEQ, indent + "  ")
                    + self.braced_lines("" if a.var == "_" else f"{a.var}.", a.post, indent))
        if tp is S.Pure and flat.startswith(self.sym["pure_l"]):
            pl, pr = self.sym["pure_l"], self.sym["pure_r"]
            lines = self.term_lines(a.term, indent + " " * len(pl), F_TOP, True,
                                    reserve + len(pr))
            lines[0] = indent + pl + lines[0][len(indent) + len(pl):]
            lines[-1] += pr
            return lines
        if tp is S.PredApp and a.args:
            return self.call_lines(a.name, [self.pred_arg(x) for x in a.args], indent, reserve)
        return [indent + flat]

    def term_lines(self, t, indent: str = "", need: int = F_TOP, rm: bool = True,
                   reserve: int = 0) -> list:
        """A long term: inside its parentheses if it needs them there, broken after the
        operators of a chain of binary operators, or between the arguments of a call."""
        flat = self.term(t, need, rm)
        if len(indent) + len(flat) + reserve <= self.width or type(t) is not S.App:
            return [indent + flat]
        top = self.term(t, F_TOP, True)
        if flat == f"({top})":               # the parentheses hug the first and last lines
            lines = self.term_lines(t, indent + " ", F_TOP, True, reserve + 1)
            lines[0] = indent + "(" + lines[0][len(indent) + 1:]
            lines[-1] += ")"
            return lines
        op, a = t.op, t.args
        if flat != top:
            return [indent + flat]
        if op in _TBIN and len(a) == 2:
            level, sym, assoc = _TBIN[op]
            sym = self.sym.get(sym, sym)
            lines = self.term_lines(a[0], indent, level + (assoc != "L"), False, len(sym) + 1)
            lines[-1] += f" {sym}"
            return lines + self.term_lines(a[1], indent, level + (assoc != "R"), False, reserve)
        head = "Some" if op == "some" else op
        if a and flat == f"{head}({self.args(a)})":
            return self.call_lines(head, [self.term(x, F_TOP, True) for x in a], indent,
                                   reserve)
        return [indent + flat]

    def call_lines(self, head: str, items: list, indent: str, reserve: int = 0) -> list:
        """``head(a, b, ...)`` with its arguments filled into lines of the width."""
        lines, cur = [], f"{indent}{head}("
        for i, it in enumerate(items):
            last = i == len(items) - 1
            piece = it + (")" if last else ",")
            if not cur.endswith("(") and \
                    len(cur) + 1 + len(piece) + (reserve if last else 0) > self.width:
                lines.append(cur)
                cur = indent + "    " + piece
            else:
                cur += ("" if cur.endswith("(") else " ") + piece
        return lines + [cur]

    def braced_lines(self, head: str, a, indent: str, suffix: str = "") -> list:
        """``{head body}suffix`` (a precondition, a postcondition) on one line if it fits,
        else the body on the lines between ``{head`` and ``}suffix``."""
        flat = self.braced(f"{head} {self.assertion(a, F_TOP, True)}" if head
                           else self.assertion(a, F_TOP, True)) + suffix
        if len(indent) + len(flat) <= self.width:
            return [indent + flat]
        return ([f"{indent}{{{head}"] + self.assertion_lines(a, indent + "  ")
                + [f"{indent}}}{suffix}"])
