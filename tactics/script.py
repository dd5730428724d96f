"""Running tactic scripts: the proof state with focusing (bullets, braces), tactic argument
elaboration, and the table of tactics.  Errors carry the position of the failing tactic."""
from __future__ import annotations

from kernel.wf import KernelError
from seplogic.document import Bullet, TacFirst, TacRepeat, TacThen, TacTry, Tactic
from seplogic.record import dataclass, field, replace
from seplogic.syntax import Var
from . import applying, basic, bigsep, wp
from .equalities import equalities
from .state import CURRENT_TAG, Goal, TacticError, freeze, new_goal


@dataclass
class ProofState:
    """Goals in focus plus a stack of (bullet marker, goals set aside) for focusing."""
    kernel: object
    statement: object
    root: Goal
    goals: list
    stack: list = field(default_factory=list)
    avars: frozenset = frozenset()

    @classmethod
    def start(cls, kernel, statement):
        from seplogic.syntax import avars
        g = new_goal(kernel, statement)
        return cls(kernel, statement, g, [g], [], avars(statement))

    def all_goals(self) -> list:
        out = list(self.goals)
        for _, rest in reversed(self.stack):
            out += rest
        return out

    def finished(self) -> bool:
        return not self.goals and all(not rest for _, rest in self.stack)

    def derivation(self):
        return freeze(self.root.hole)

    def copy(self) -> "ProofState":
        return ProofState(self.kernel, self.statement, self.root, list(self.goals),
                          [(m, list(r)) for m, r in self.stack], self.avars)


class ScriptError(Exception):
    def __init__(self, msg, pos, goal=None):
        super().__init__(msg)
        self.pos, self.goal = pos, goal


# ---- focusing -----------------------------------------------------------------------------------

def bullet(ps: ProofState, b: Bullet) -> None:
    m = b.marker
    if m == "{":
        if not ps.goals:
            raise ScriptError("no goal to focus", b.pos)
        ps.stack.append(("{", ps.goals[1:]))
        ps.goals = ps.goals[:1]
        return
    if m == "}":
        if not ps.stack or ps.stack[-1][0] != "{":
            _close_bullets(ps, b)
        if not ps.stack or ps.stack[-1][0] != "{":
            raise ScriptError("'}' without matching '{'", b.pos)
        if ps.goals:
            raise ScriptError("this block is not finished", b.pos, ps.goals[0])
        ps.goals = ps.stack.pop()[1]
        return
    # a bullet: same marker as an open level continues it; a new marker opens a level
    for depth in range(len(ps.stack) - 1, -1, -1):
        if ps.stack[depth][0] == m:
            if ps.goals:
                raise ScriptError(f"the previous '{m}' goal is not finished", b.pos, ps.goals[0])
            # close inner levels (they must be finished)
            while len(ps.stack) > depth + 1:
                mk, rest = ps.stack.pop()
                if rest or mk == "{":
                    raise ScriptError("an inner bullet level is not finished", b.pos)
            rest = ps.stack[depth][1]
            if not rest:
                raise ScriptError(f"no more goals for '{m}'", b.pos)
            ps.goals = rest[:1]
            ps.stack[depth] = (m, rest[1:])
            return
        if ps.stack[depth][0] == "{":
            break
    if not ps.goals:
        raise ScriptError(f"no goal for '{m}'", b.pos)
    ps.stack.append((m, ps.goals[1:]))
    ps.goals = ps.goals[:1]


def _close_bullets(ps, b):
    while ps.stack and ps.stack[-1][0] != "{" and not ps.goals and not ps.stack[-1][1]:
        ps.stack.pop()


def unfocus_finished(ps: ProofState) -> None:
    """When the focused goals are done and the enclosing level has no bullet structure left,
    let the goals set aside come back (as after the last bullet of a level)."""
    while not ps.goals and ps.stack and ps.stack[-1][0] != "{" and not ps.stack[-1][1]:
        ps.stack.pop()


# ---- running ------------------------------------------------------------------------------

def run_step(ps: ProofState, step) -> None:
    if type(step) is Bullet:
        bullet(ps, step)
        return
    if not ps.goals:
        raise ScriptError("no goals left" + (" (use a bullet to focus the next one)"
                                             if ps.all_goals() else ""), step.pos)
    g, rest = ps.goals[0], ps.goals[1:]
    new = run_tactic(ps, g, step)
    ps.goals = new + rest
    unfocus_finished(ps)


def run_tactic(ps, g: Goal, t) -> list:
    tp = type(t)
    if tp is TacThen:
        out = []
        for h in run_tactic(ps, g, t.first):
            out += run_tactic(ps, h, t.then)
        return out
    if tp is TacTry:
        try:
            return run_tactic(ps, g, t.body)
        except ScriptError:
            return [g]
    if tp is TacRepeat:
        goals, n = [g], 0
        while n < 10000:
            try:
                new = run_tactic(ps, goals[0], t.body) if goals else None
            except ScriptError:
                break
            if new is None or (len(new) == 1 and new[0].seq == goals[0].seq):
                break
            goals = new + goals[1:]
            n += 1
        return goals
    if tp is TacFirst:
        last = None
        for alt in t.alternatives:
            try:
                return run_tactic(ps, g, alt)
            except ScriptError as e:
                last = e
        raise last or ScriptError("first: no alternatives", t.pos, g)
    fn = TACTICS.get(t.name)
    if fn is None:
        from .suggest import tactic_hint
        raise ScriptError(f"unknown tactic '{t.name}'{tactic_hint(t.name, TACTICS)}", t.pos, g)
    args = Args(ps, t)
    CURRENT_TAG.set((t.pos.line, t.pos.col))
    try:
        out = fn(g, args)
        args.finish()
        return out
    except TacticError as e:
        raise ScriptError(str(e) + _origin_note(g), e.pos or t.pos, e.goal or g) from None
    except KernelError as e:    # a kernel check a tactic called directly
        raise ScriptError(str(e) + _origin_note(g), t.pos, g) from None
    except (KeyError, IndexError, AttributeError, TypeError, ValueError, RecursionError) as e:
        # a bug in a tactic (Coq's "anomaly"): report it where it happened, never a traceback
        raise ScriptError(f"anomaly in tactic {t.name} (a bug in pv, please report it): "
                          f"{type(e).__name__}: {e}", t.pos, g) from None


def _pos(e):
    """The position of a syntax error inside a tactic's argument."""
    from seplogic.document import Pos
    return Pos(e.line, e.col) if e.line else None


def _origin_note(g: Goal) -> str:
    """Where a side goal came from, so that a wrong invariant is not blamed on the tactic
    that happens to meet it first."""
    return f"\n  (this goal is {g.origin})" if g.origin else ""


class Args:
    """Reads a tactic's arguments: identifiers, strings, integers, parenthesised formulas,
    and the keywords ``with``/``as``/``in``."""

    def __init__(self, ps, t: Tactic):
        self.ps, self.t, self.items, self.i = ps, t, list(t.args), 0

    def _peek(self, kind=None):
        if self.i < len(self.items):
            a = self.items[self.i]
            if kind is None or a.kind == kind:
                return a
        return None

    def has(self, kind) -> bool:
        a = self._peek(kind)
        return a is not None and not (kind == "ident" and a.value in ("with", "as", "in"))

    def ident(self, what="a name") -> str:
        if not self.has("ident"):
            raise TacticError(f"{self.t.name} expects {what}")
        self.i += 1
        return self.items[self.i - 1].value

    def ref(self, kind, what) -> str:
        """An identifier naming a definition (``thm``, ``pred``, ``spec``): its kernel key in
        the scope of the file (seplogic/names.py)."""
        from seplogic.names import ScopeError, resolve
        name = self.ident(what)
        try:
            return resolve(kind, name)
        except ScopeError as e:
            raise TacticError(e.message) from None

    def string(self, what="a string") -> str:
        if not self.has("string"):
            raise TacticError(f"{self.t.name} expects {what} in quotes")
        self.i += 1
        return self.items[self.i - 1].value

    def kw(self, word) -> bool:
        a = self._peek("ident")
        if a is not None and a.value == word:
            self.i += 1
            return True
        return False

    def syntax(self, what):
        if not self.has("syntax"):
            raise TacticError(f"{self.t.name} expects {what} in parentheses")
        self.i += 1
        return self.items[self.i - 1]

    def term(self, what="a term"):
        from seplogic.parser import PVSyntaxError, parse_term
        a = self.syntax(what)
        try:
            return _resolved(parse_term(a.value, line=a.pos.line, col=a.pos.col + 1))
        except PVSyntaxError as e:
            raise TacticError(f"in {what}: {e.message}", pos=_pos(e)) from None

    def assertion(self, what="an assertion"):
        from seplogic.parser import PVSyntaxError, parse_assertion
        a = self.syntax(what)
        try:
            return _resolved(parse_assertion(a.value, avars=self.ps.avars, line=a.pos.line,
                                             col=a.pos.col + 1))
        except PVSyntaxError as e:
            raise TacticError(f"in {what}: {e.message}", pos=_pos(e)) from None

    def opt_string_after(self, word):
        return self.string() if self.kw(word) else None

    def finish(self):
        if self.i < len(self.items):
            a = self.items[self.i]
            raise TacticError(f"{self.t.name}: unexpected argument {a.value!r}")


# ---- the tactic table ----------------------------------------------------------------------

def _names(text):
    return text.split() if text else []


def t_intros(g, a: Args):
    items = []          # ("var", x) or ("pat", text), in the order written
    while a.has("ident") or a.has("string"):
        items.append(("var", a.ident()) if a.has("ident") else ("pat", a.string()))
    if not items:
        return basic.intros_all(g)
    return basic.intros(g, items)


def t_destruct(g, a):
    h = a.string("a hypothesis")
    a.kw("as")
    from .patterns import PList, parse_patterns
    pats = parse_patterns(a.string("an intro pattern"))
    return basic.destruct(g, h, pats[0] if len(pats) == 1 else PList(tuple(pats)))


def t_exists(g, a):
    goals = [g]
    while a.has("syntax"):
        t = a.term("a witness")
        goals = [h for x in goals for h in basic.exists(x, t)]
    return goals


def t_split(g, a):
    return basic.split_and(g)


def t_split_l(g, a):
    return basic.split_sep(g, _names(a.string("hypothesis names")) if a.has("string") else [])


def t_split_r(g, a):
    return basic.split_sep(g, _names(a.string("hypothesis names")) if a.has("string") else [],
                           right=True)


def t_left(g, a):
    return basic.or_intro(g, 0)


def t_right(g, a):
    return basic.or_intro(g, 1)


def t_frame(g, a):
    return basic.frame(g, auto_exists=True)


def t_done(g, a):
    return basic.done(g)


def t_contradiction(g, a):
    """``contradiction``: the pure facts are inconsistent (the pure checker's full search,
    slow when it fails).  ``contradiction clash``: two facts clash directly, up to the facts'
    equations (``x < 5`` and ``5 ≤ y`` with ``x = y``, ``f = 1`` and ``f ≠ 1``); it fails fast
    otherwise, so ``try contradiction clash`` is cheap in a consistent branch."""
    clash = a.kw("clash")
    g = basic.pure_hyps_to_context(g)
    if clash and not equalities(g).contradictory():
        raise TacticError("contradiction clash: no two pure facts clash directly (plain "
                          "`contradiction` asks the pure checker)", g)
    return g.step("pure_contra", ())


def t_clear(g, a):
    out = [g]
    for n in _names(a.string("hypothesis names")):
        out = [h for x in out for h in basic.destruct(x, n, __import__(
            "tactics.patterns", fromlist=["PDrop"]).PDrop())]
    return out


def t_assert(g, a):
    A = a.assertion()
    names = _names(a.opt_string_after("with"))
    pat = a.opt_string_after("as")
    return basic.assert_(g, A, names, pat)


def t_specialize(g, a):
    if a.has("ident"):            # a theorem: use it, then specialize the copy
        thm = a.ref("thm", "a theorem")
        h = g.fresh("_" + thm.rpartition(".")[2])
        (g,) = g.step("use_theorem", (thm, ()), [{"pnames": g.pnames + (h,)}])
    else:
        h = a.string("a hypothesis or theorem")
    terms = []
    while a.has("syntax"):
        terms.append(a.term())
    names = _names(a.opt_string_after("with")) if a._peek("ident") and \
        a._peek().value == "with" else None
    pat = a.opt_string_after("as")
    out = applying.specialize(g, h, names, terms, pat)
    if h.startswith("_"):         # drop the theorem's copy again
        out = [x.step("clear", (("p", x.pnames.index(h)),),
                      [{"pnames": basic.drop(x.pnames, [x.pnames.index(h)])}])[0]
               if h in x.pnames else x for x in out]
    return out


def t_unfold(g, a):
    name = a.ref("pred", "a predicate name")
    target = ("goal",)
    if a.kw("in"):
        target = g.find(a.string("a hypothesis"))
    old = g.seq.goal if target == ("goal",) else g.hyp(target)
    new = basic.unfold_all(g.kernel, old, name)
    if new == old:
        raise TacticError(f"{name} does not occur", g)
    return [basic.convert(g, target, new)]


def t_change(g, a):
    new = a.assertion()
    target = g.find(a.string("a hypothesis")) if a.kw("in") else ("goal",)
    return [basic.convert(g, target, new)]


def t_excl(g, a):
    i = g.find(a.string("a hypothesis"))
    j = g.find(a.string("a hypothesis"))
    if i[0] != "s" or j[0] != "s":
        raise TacticError("excl needs two spatial hypotheses", g)
    return g.step("excl", (i[1], j[1]))


def t_use(g, a):
    written = a._peek().value.rpartition(".")[2] if a.has("ident") else None
    name = a.ref("thm", "a theorem")
    as_ = a.opt_string_after("as") or written
    return g.step("use_theorem", (name, ()), [{"pnames": g.pnames + (as_,)}])


def _target(g, a):
    return g.find(a.string()) if a.kw("in") else ("goal",)


def _split_pattern(g, a, target):
    """The ``as "pat"`` of a big-∗ split: only for a hypothesis (a goal has nothing to name)."""
    pat = a.opt_string_after("as")
    if pat is not None and target == ("goal",):
        raise TacticError('as "pat" names what is split off a hypothesis (in "H")', g)
    return pat


def t_bigsep_split(g, a):
    key = a.term("the element")
    val = a.term("the value") if a.has("syntax") else None
    target = _target(g, a)
    pat = _split_pattern(g, a, target)
    (g,) = g.step("bigsep_split", (target, key, val))
    return [g] if pat is None else bigsep.element_as(g, target, pat)


def t_bigsep_range(g, a):
    end = a.ident("front or back")
    if end not in ("front", "back"):
        raise TacticError("bigsep_range takes front or back")
    c = a.term("the split point") if a.has("syntax") else None
    target = _target(g, a)
    pat = _split_pattern(g, a, target)
    (g,) = bigsep.bigsep_range(g, target, end == "back", c)
    return [g] if pat is None else bigsep.element_as(g, target, pat)


def t_bigsep_empty(g, a):
    return g.step("bigsep_empty", ())


def t_bigsep_sep(g, a):
    target = _target(g, a)
    pat = _split_pattern(g, a, target)
    (g,) = g.step("bigsep_sep", (target,))
    if pat is None:
        return [g]
    from .patterns import PList, parse_patterns
    name = g.snames[target[1]] if target[0] == "s" else g.pnames[target[1]]
    pats = parse_patterns(pat)
    return basic.destruct(g, name, pats[0] if len(pats) == 1 else PList(tuple(pats)))


def t_bigsep_merge(g, a):
    """``bigsep_merge "H1" "H2" as "H"``: [∗] P and [∗] Q over one collection give [∗] (P ∗ Q)
    (big_sepS_sep, from left to right)."""
    from seplogic.syntax import Sep
    n1, n2 = a.string("a big-∗ hypothesis"), a.string("a big-∗ hypothesis")
    name = a.opt_string_after("as") or n1
    (k1, i1), (k2, i2) = g.find(n1), g.find(n2)
    if k1 != "s" or k2 != "s":
        raise TacticError("bigsep_merge needs two spatial hypotheses", g)
    both = Sep(g.seq.spat[i1], g.seq.spat[i2])
    tmp = g.fresh("_m")
    first, second = g.step("cut", (both, (i1, i2)), [
        {"snames": basic.only(g.snames, (i1, i2))},
        {"snames": basic.drop(g.snames, (i1, i2)) + (tmp,)}])
    if basic.frame(first):
        raise TacticError("bigsep_merge: internal error joining the hypotheses", g)
    (second,) = second.step("bigsep_sep", (second.find(tmp),))
    return [basic.rename(second, tmp, name)]


def t_bigsep_mono(g, a):
    kind, i = g.find(a.string("a hypothesis"))
    return g.step("bigsep_mono", (i,))


def t_induction(g, a):
    return g.step("nat_induct", ())


def t_wp_pures(g, a):
    return wp.wp_pures(g)


def t_wp_value(g, a):
    return wp.wp_value(g)


def t_wp_call(g, a):
    return wp.wp_call(g)


def t_wp_if(g, a):
    return wp.wp_if(g, a.string().lstrip("%") if a.has("string") else None)


def t_wp_step(g, a):
    binders = []
    while a.has("ident"):
        binders.append(a.ident())
    extra = _instantiations(a)
    names = _names(a.opt_string_after("with"))
    pat = a.opt_string_after("as")
    return wp.wp_step(g, pat, extra, binders, names)


def _resolved(x):
    """A parsed phrase with its names resolved in the file's scope (seplogic/names.py)."""
    from seplogic.names import ScopeError, resolve_syntax
    try:
        return resolve_syntax(x)
    except ScopeError as e:
        raise TacticError(e.message) from None


class Instantiation(dict):
    """``(x := ...)`` arguments, kept as text until the parameter's sort is known (an iProp
    parameter takes an assertion, any other a term)."""

    def __init__(self, raw, avars):
        super().__init__()
        self.raw, self.avars = raw, avars

    def for_params(self, params) -> dict:
        from seplogic.parser import PVSyntaxError, parse_assertion, parse_term
        sorts = dict(params)
        out = {}
        for name, (text, pos) in self.raw.items():
            if name not in sorts:
                continue
            try:
                out[name] = _resolved(
                    parse_assertion(text, avars=self.avars, line=pos.line)
                    if sorts[name].name == "iProp" else parse_term(text, line=pos.line))
            except PVSyntaxError as e:
                raise TacticError(f"in ({name} := ...): {e.message}") from None
        return out


def _instantiations(a) -> Instantiation:
    raw = {}
    while a.has("syntax"):
        s = a.syntax("an instantiation (x := ...)")
        if ":=" not in s.value:
            raise TacticError("write instantiations as (name := value)")
        name, text = (x.strip() for x in s.value.split(":=", 1))
        raw[name] = (text, s.pos)
    return Instantiation(raw, a.ps.avars)


def t_wp_apply(g, a):
    if a.has("ident"):
        spec, thm = a.ref("thm", "a theorem"), True
    else:
        spec, thm = a.string("a theorem or hypothesis"), False
    names = _names(a.opt_string_after("with")) if a._peek("ident") and a._peek().value == "with" \
        else None
    pat = a.opt_string_after("as")
    return wp.wp_apply(g, spec, thm, names, pat)


def t_wp_loop(g, a):
    inv = a.assertion("a loop invariant")
    names = _names(a.opt_string_after("with"))
    pat = a.opt_string_after("as")
    return wp.wp_loop(g, inv, names, pat)


def t_wp_fork(g, a):
    names = _names(a.opt_string_after("with"))
    return wp.wp_fork(g, names)


def t_inv_open(g, a):
    name = a.string("an invariant hypothesis")
    return wp.inv_open(g, name, a.opt_string_after("as"))


def t_inv_ghost(g, a):
    name = a.string("an invariant hypothesis")
    return wp.inv_open(g, name, a.opt_string_after("as"), ghost=True)


def t_inv_alloc(g, a):
    name = a.string("a hypothesis")
    inv = a.ident("an invariant name")
    return wp.inv_alloc(g, name, inv, a.opt_string_after("as"))


def t_ghost_alloc(g, a):
    """``ghost_alloc γ (S) (v) as "H"``: fresh durable ghost cells (γ, k) ↦ v for k ∈ S."""
    var = a.ident("a ghost name")
    coll = a.term("the set of keys")
    val = a.term("the cells' value")
    wp.wp_goal(g)
    if var in g.all_names():
        raise TacticError(f"name {var} is already used", g)
    name = a.opt_string_after("as") or "Hcells"
    return g.step("wp_ghost_alloc", (var, coll, val), [{"snames": g.snames + (name,)}])


def t_tok_alloc(g, a):
    var = a.ident("a ghost name")
    return wp.tok_alloc(g, var, a.opt_string_after("as") or "Htok")


def _spec_args(g, a, token):
    """``SPEC ["Hsrc" "Htoken"] (w)...`` for the spec-step tactics.  Without names: the source
    (there is one) and the one token that can take this step (an operation of SPEC that has not
    returned, or ⤇ Crashing)."""
    from seplogic.syntax import Atom, App as _App
    spec = a.ref("spec", "a spec name")
    if a.has("string"):
        src = g.find(a.string("the source hypothesis"))
        tok = g.find(a.string(f"the {token} hypothesis"))
    else:
        sp = g.kernel.specs.get(spec)
        ops = sp.ops if sp is not None else {}

        def one(ok, what):
            found = [i for i, h in enumerate(g.seq.spat) if type(h) is Atom and ok(h)]
            if len(found) != 1:
                raise TacticError(f"name the {what} hypothesis: {len(found)} candidates", g)
            return ("s", found[0])
        src = one(lambda h: h.kind == "source", "source")
        if token == "⤇ Crashing":
            tok = one(lambda h: h.kind == "crashing", token)
        else:
            tok = one(lambda h: h.kind == "spec" and type(h.args[2]) is _App
                      and h.args[2].op in ops, token)
    choices = []
    while a.has("syntax"):
        choices.append(a.term("a witness"))
    if src[0] != "s" or tok[0] != "s":
        raise TacticError("a spec step needs two spatial hypotheses")
    return (spec, src[1], tok[1], tuple(choices))


def _same_era(g, src: int, tok: int):
    """Make the token's era provably the source's, if a spec_era hypothesis helps (the token
    gives one): source_era gives spec_era(k) ≤ e, which with the facts at hand may fix the
    era."""
    from seplogic.syntax import Atom, alpha_eq
    e, t = g.seq.spat[src].args[0], g.seq.spat[tok].args[0]
    if alpha_eq(t, e):
        return g
    # (cheap steps, no pure checks: the kernel's spec step decides whether the era is fixed)
    if g.seq.spat[tok].kind == "spec" and not any(
            type(h) is Atom and h.kind == "spec_era" and alpha_eq(h.args[0], t)
            for h in g.seq.pers):
        (g,) = g.step("spec_era", (tok,), [{"pnames": g.pnames + (g.fresh("Hera"),)}])
    for i, h in enumerate(g.seq.pers):
        if type(h) is Atom and h.kind == "spec_era" and alpha_eq(h.args[0], t):
            (g,) = g.step("source_era", (src, i), [{"fnames": g.fnames + (g.fresh("Hera"),)}])
            break
    return g


def t_spec_step(g, a):
    """``spec_step SPEC "Hs" "Hj"`` is the kernel's rule as it is; without names the tactic
    also shows the token's era is the source's (``_same_era``)."""
    named = len(a.items) > a.i + 1 and a.items[a.i + 1].kind == "string"
    spec, i, j, choices = _spec_args(g, a, "spec-token")
    if not named:
        g = _same_era(g, i, j)
    return g.step("spec_step", (spec, i, j, choices))


def t_spec_crash(g, a):
    return g.step("spec_crash", _spec_args(g, a, "⤇ Crashing"))


def t_spec_era(g, a):
    """``spec_era "Hj" as "#H"``: a spec token's era is a lower bound of the spec's era."""
    tok = g.find(a.string("a spec-token hypothesis"))
    name = (a.opt_string_after("as") or "#" + g.fresh("Hera")).lstrip("#")
    if tok[0] != "s":
        raise TacticError("spec_era needs a spatial spec token")
    return g.step("spec_era", (tok[1],), [{"pnames": g.pnames + (name,)}])


def t_source_era(g, a):
    """``source_era "Hsrc" "Hera" as "%H"``: the source's era is at least spec_era's."""
    src = g.find(a.string("the source hypothesis"))
    lb = g.find(a.string("a spec_era hypothesis"))
    name = (a.opt_string_after("as") or g.fresh("Hera")).lstrip("%")
    if src[0] != "s" or lb[0] != "p":
        raise TacticError("source_era needs the spatial source and a persistent spec_era")
    return g.step("source_era", (src[1], lb[1]), [{"fnames": g.fnames + (name,)}])


def t_agree(g, a):
    """``agree "Hm" "Hl" as "%H"``: the master and its lease hold the same value.  Without
    hypotheses: every master with its lease, keys equal under the facts' equations
    (``basic.agree_all``), stopping early in a branch they show dead."""
    if not a._peek("string"):
        return [basic.agree_all(g, clash=True)]
    m = g.find(a.string("a master hypothesis"))
    l = g.find(a.string("a lease hypothesis"))
    name = a.opt_string_after("as") or g.fresh("Hagree")
    return g.step("lease_agree", (m[1], l[1]), [{"fnames": g.fnames + (name.lstrip("%"),)}])


def t_cases(g, a):
    phi = a.term("a boolean condition")
    pat = a.opt_string_after("as")
    name = (pat or "%Hc").lstrip("%")
    out = []
    for sub in g.step("pure_cases", (phi,)):
        out.append(replace(sub, fnames=sub.fnames[:-1] + (name,)))
    return out


def t_apply(g, a):
    if a.has("ident"):
        name, thm = a.ref("thm", "a theorem"), True
    else:
        name, thm = a.string("a theorem or hypothesis"), False
    names = _names(a.opt_string_after("with"))
    return applying.apply(g, name, thm, names)


def t_inv_close(g, a):
    """``inv_close thm with "H1 H2"``: after the atomic step of an opened invariant, prove its
    contents (the left conjunct of the post) by applying thm to the named hypotheses.  Without
    a theorem: by framing, from the named hypotheses or else from all of them."""
    thm = a.ref("thm", "a theorem") if a.has("ident") else None
    names = _names(a.opt_string_after("with"))
    w = g.seq.goal
    if type(w).__name__ == "WP" and type(w.expr).__name__ == "Val":
        (g,) = g.step("wp_value", ())
    if thm is None:
        # no lemma: frame the contents from the hypotheses, leaving the rest of the program
        g, inv = basic.head_unfold(g, ("goal",))
        if type(inv).__name__ != "Sep":
            raise TacticError("inv_close: the goal is not an invariant's contents ∗ the rest", g)
        if names:
            left, right = basic.split_sep(g, names)
            if basic.frame(left, auto_exists=True, try_or=True):
                raise TacticError("inv_close: the named hypotheses do not give the contents",
                                  left)
            return [right]
        rest = basic.frame(basic.pure_hyps_to_context(g), auto_exists=True, try_or=True)
        if rest and type(rest[0].seq.goal).__name__ != "WP":
            raise TacticError("inv_close: cannot prove the invariant's contents", rest[0])
        return rest
    left, right = basic.split_sep(g, names)
    return applying.apply(left, thm, True, names) + [right]


def t_rewrite(g, a):
    """``rewrite "H"``: with the pure fact ``x = t`` named H, replace the variable x by t in
    the goal (or t by x if t is the variable); the kernel's convert checks it."""
    from seplogic.syntax import App as _App, Var as _Var, subst
    name = a.string("a pure fact").lstrip("%")
    if name not in g.fnames:
        raise TacticError(f"no pure fact named {name}", g)
    fact = g.seq.pure[g.fnames.index(name)]
    if not (type(fact) is _App and fact.op == "eq"):
        raise TacticError(f"{name} is not an equation", g)
    lhs, rhs = fact.args
    if type(lhs) is not _Var:
        lhs, rhs = rhs, lhs
    if type(lhs) is not _Var:
        raise TacticError(f"{name}: neither side is a variable", g)
    target = g.find(a.string()) if a.kw("in") else ("goal",)
    old = g.seq.goal if target == ("goal",) else g.hyp(target)
    return [basic.convert(g, target, subst(old, {lhs.name: rhs}))]


def t_ghost_update(g, a):
    """``ghost_update ["Hgm" "Hgl"] (v)``: without names, the one ghost cell whose master and
    lease (of the same key) are both at hand."""
    from seplogic.syntax import Atom, alpha_eq
    if a.has("string"):
        m = g.find(a.string("a gmaster hypothesis"))
        l = g.find(a.string("a glease hypothesis"))
    else:
        pairs = [(("s", i), ("s", j)) for i, x in enumerate(g.seq.spat)
                 for j, y in enumerate(g.seq.spat)
                 if type(x) is Atom and type(y) is Atom and x.kind == "gmaster" and
                 y.kind == "glease" and all(map(alpha_eq, x.args[:-1], y.args[:-1]))]
        if len(pairs) != 1:
            raise TacticError(f"name the ghost cell's master and lease: {len(pairs)} candidates", g)
        m, l = pairs[0]
    w = a.term("the new value")
    if m[0] != "s" or l[0] != "s":
        raise TacticError("ghost_update needs two spatial hypotheses")
    return g.step("wp_ghost_update", (m[1], l[1], w))


def t_use_axiom(g, a):
    from .match import match
    from kernel.rules import sep_spine
    name = a.ident("an axiom name")
    ax = g.kernel.axioms.get(name)
    if ax is None or ax.expr is not None:
        raise TacticError(f"{name} is not an entailment axiom")
    given = _instantiations(a)
    names = _names(a.opt_string_after("with"))
    pat = a.opt_string_after("as")
    refs = [g.find(n) for n in names]
    idxs = tuple(i for kind, i in refs if kind == "s")
    metas = frozenset(n for n, _ in ax.params)
    sub, used = given.for_params(ax.params), set()
    for conj in sep_spine(ax.pre):
        for ref in refs:
            s2 = match(conj, g.hyp(ref), metas, sub) if ref not in used else None
            if s2 is not None:
                sub = s2
                used.add(ref)
                break
    missing = sorted(metas - set(sub))
    if missing:
        raise TacticError(f"cannot infer {', '.join(missing)} from the named hypotheses")
    inst = tuple((n, sub[n]) for n, _ in ax.params)
    tmp = g.fresh("_ax")
    prem, rest = g.step("axiom_entail", (name, inst, idxs), [
        {"snames": basic.only(g.snames, idxs)}, {"snames": basic.drop(g.snames, idxs) + (tmp,)}])
    side = basic.frame(basic.pure_hyps_to_context(prem), auto_exists=True)
    from .patterns import PName, parse_patterns
    p = parse_patterns(pat)[0] if pat else PName(g.fresh("H"))
    return side + basic.destruct(rest, tmp, p)


TACTICS = {
    name[2:]: fn for name, fn in globals().items() if name.startswith("t_") and callable(fn)
}
TACTICS["intro"] = t_intros
TACTICS["pure"] = t_done
TACTICS["exact"] = t_done

TACTIC_HELP = {
    "intros": 'intros x y "H1 [H2 %H3]" — introduce ∀ variables and wands with intro patterns, '
              'in the order written',
    "intro": 'intro x "H" — the same as intros',
    "pure": "pure — the same as done", "exact": "exact — the same as done",
    "destruct": 'destruct "H" as "[H1 H2]" — take a hypothesis apart with an intro pattern',
    "exists": "exists (a) (b)... — choose the witnesses of the leading ∃s, in order",
    "split": "split — prove both sides of ∧",
    "split_l": 'split_l "H1 H2" — prove P ∗ Q: the named hypotheses go to P',
    "split_r": 'split_r "H1 H2" — prove P ∗ Q: the named hypotheses go to Q',
    "left": "left — prove the left disjunct", "right": "right — prove the right disjunct",
    "frame": "frame — cancel goal conjuncts against hypotheses, find ∃ witnesses; a big-∗ "
             "from one short of an index (S ∖ {[x]}, a range one shorter) or pointwise",
    "done": "done — close the goal by assumption, pure reasoning or framing",
    "contradiction": "contradiction [clash] — the pure facts are inconsistent (clash: two of "
                     "them clash directly, up to their equations; fails fast otherwise)",
    "clear": 'clear "H1 H2" — drop hypotheses',
    "assert": 'assert (A) with "H1" as "HA" — prove A from H1, then use it',
    "specialize": 'specialize "H"|thm (t) with "H1" as "pat" — instantiate ∀, discharge a wand',
    "unfold": 'unfold P [in "H"] — unfold a predicate definition',
    "change": 'change (A) [in "H"] — replace by an equal assertion (checked by the kernel)',
    "excl": 'excl "H1" "H2" — two copies of an exclusive resource are contradictory',
    "use": 'use thm as "H" — add a proven theorem as a persistent hypothesis',
    "bigsep_split": 'bigsep_split (x) [in "H" [as "pat"]] — split element x off a big-∗ (or put it '
                    'back; as: destruct the element, the rest keeps the name)',
    "bigsep_range": 'bigsep_range front|back [(c)] [in "H" [as "pat"]] — split off the first/last '
                    'index of a range (c: the new bound / the last index; as: as bigsep_split)',
    "bigsep_empty": "bigsep_empty — a big-∗ over an empty set",
    "bigsep_sep": 'bigsep_sep [in "H" [as "[H1 H2]"]] — split/merge [∗](P ∗ Q)',
    "bigsep_mono": 'bigsep_mono "H" — prove [∗] Q from [∗] P pointwise',
    "bigsep_merge": 'bigsep_merge "H1" "H2" as "H" — [∗] P and [∗] Q over one set to [∗] (P ∗ Q)',
    "induction": "induction — induction on the leading ∀ (k : nat)",
    "wp_pures": "wp_pures — take pure steps",
    "wp_value": "wp_value — the program is a value", "wp_call": "wp_call — unfold a call",
    "wp_if": 'wp_if ["%H"] — case split on a symbolic condition',
    "wp_step": 'wp_step [x y] [(R := P)] [with "H1 H2"] [as "pat"] — execute a primitive with its axiom (x y name the values it returns; (R := P) fixes an axiom parameter, e.g. a lock invariant; with: the hypotheses its precondition uses)',
    "wp_apply": 'wp_apply spec [with "H1"] [as "pat"] — use a proven triple for a call',
    "wp_loop": 'wp_loop (I) with "H1" [as "HI"] — prove a loop with invariant I',
    "wp_fork": 'wp_fork with "H1" — fork a thread that gets H1',
    "inv_open": 'inv_open "Hinv" as "pat" — open an invariant around an atomic step',
    "inv_ghost": 'inv_ghost "Hinv" as "pat" — open an invariant for ghost steps only (e.g. a spec '
                 'step) before the program runs; the goal becomes P ∗ WP',
    "inv_alloc": 'inv_alloc "H" N [as "Hinv"] — turn H into invariant N',
    "tok_alloc": 'tok_alloc γ as "H" — allocate a fresh exclusive token',
    "ghost_alloc": 'ghost_alloc γ (S) (v) as "H" — fresh durable ghost cells (γ, k) for k ∈ S',
    "spec_step": 'spec_step SPEC ["Hsrc" "Hj"] [(w)...] — the spec takes j\'s step (witnesses '
                 'for any(); without names, the era from spec_era)',
    "spec_crash": 'spec_crash SPEC ["Hsrc" "Hc"] — the spec takes its crash step',
    "agree": 'agree ["Hmaster" "Hlease" as "%H"] — a master and its lease hold the same value '
             '(no names: every master and lease of one key; compound values first, and no '
             'more once two facts clash)',
    "spec_era": 'spec_era "Hj" as "#H" — a spec token j ⤇[e] x gives spec_era(e)',
    "source_era": 'source_era "Hsrc" "Hera" as "%H" — source[e](σ) and spec_era(k) give k ≤ e',
    "ghost_update": 'ghost_update ["Hgm" "Hgl"] (v) — set a durable ghost cell (inside a WP)',
    "cases": 'cases (φ) as "%H" — case split on a boolean condition (φ, then ¬φ)',
    "rewrite": 'rewrite "%H" [in "H2"] — replace x by t using the pure fact x = t',
    "apply": 'apply thm|"H" with "H1 H2" — prove the goal from ∀xs. P -∗ Q (Q = goal)',
    "inv_close": 'inv_close [thm] [with "H1 H2"] — re-establish an opened invariant (with a lemma, '
                 'or by framing its contents)',
    "use_axiom": 'use_axiom NAME [(x := t)] with "H1 H2" as "pat" — apply an entailment axiom',
}


def start(kernel, statement) -> ProofState:
    return ProofState.start(kernel, statement)


def start_crash(kernel, statement, seq) -> ProofState:
    """A crash theorem starts from the crash image of its left side, named "Hcrash"."""
    from .state import Goal, Hole
    g = Goal(seq, ("Hcrash",), (), (), Hole(), kernel, born=("Hcrash",))
    return ProofState(kernel, statement, g, [g], [], frozenset())


__all__ = ["ProofState", "ScriptError", "run_step", "start", "TACTICS", "TACTIC_HELP", "Var"]
