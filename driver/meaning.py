"""What a recorded refinement means, in words and terms, read off the kernel's record (the
spec as Theorem 2 sealed it, the semantics, the implementation); see docs/kernel.md, "What a
refinement means".  Printing only: nothing here is trusted."""
from __future__ import annotations

from seplogic.printer import show as _show
from seplogic.syntax import fresh_name


def show(x) -> str:
    """One item of the description: continuation lines indented under it."""
    return _show(x).replace("\n", "\n        ")


def _params(params) -> str:
    return " ".join(f"({x} : {show(s)})" for x, s in params)


def initial_state_line(ref) -> str:
    """The spec's initial-state declaration, as Print Assumptions lists it."""
    sp = ref.spec_def
    params, term = sp.init
    return f"initial state Initial {sp.name} {_params(params)} := {show(term)}"


def _definitions(k, sp) -> list:
    """The definitions the spec's programs and initial state use, and those they use in turn
    (what a reader needs to know what the operations do; definitions are never redefined)."""
    from kernel.core import _ops
    todo = _ops((tuple(body for _, body in sp.ops.values()), sp.crash, sp.init[1]), set())
    seen, out = set(), []
    while todo:
        name = todo.pop()
        if name in seen or name not in k.defs:
            continue
        seen.add(name)
        out.append((name, k.defs[name]))
        _ops(k.defs[name][2], todo)
    return sorted(out)


def describe_refinement(k, ref) -> list:
    sp = ref.spec_def
    impl = dict(ref.impl)
    from theories import PARAM_RANGES
    quant = f"For all {_params(ref.sem_params)}" if ref.sem_params else ""
    if ref.sem_init in PARAM_RANGES:
        cond, ax = PARAM_RANGES[ref.sem_init]
        quant += f" with {cond} (no larger machine exists: axiom {ax})"
    quant += ": " if quant else ""
    sem_args = ", ".join(x for x, _ in ref.sem_params)
    init_params, init_term = sp.init
    from seplogic.syntax import Var, subst
    start = subst(init_term, {x: Var(y) for (x, _), (y, _) in zip(init_params, ref.sem_params)})
    out = [
        f"{ref.name} : the implementation refines spec {sp.name} (Theorem 2).",
        f"  {quant}started in the semantics' initial state {ref.sem_init}({sem_args}) with "
        f"{impl['init']}(), and the spec in state {show(start)},",
        "  every execution of the code (any interleaving of the operations below, crashes at "
        f"any point, during {impl['init']}() too, {impl['recover']}() after each crash, "
        "crashes during recovery) is an "
        f"execution of {sp.name}: each operation call takes effect atomically, with the "
        "result the code returns, between its call and its return; an operation in flight at "
        "a crash takes effect before that crash or not at all; each completed recovery is "
        f"one crash step of {sp.name} (crashes during a recovery before it takes its step "
        "count as one). Undefined behaviour of the spec puts no obligation on the code.",
        f"  Values: each operation's code gets the handle h that {impl['init']} or "
        f"{impl['recover']} returned.  An argument of a list sort is a slice the caller owns "
        "with exactly those elements, lent for the call: the code must give it back unchanged "
        "and keeps no part of it; a result of a list sort is a new slice the caller then owns; "
        "pairs stand for pairs component-wise (distinct list arguments are distinct slices); "
        "any other argument or result is the spec's value itself.",
        f"  Spec {sp.name} ({sp.state} : {show(sp.sort)}):",
        f"    Initial {sp.name} {_params(init_params)} := {show(init_term)}",
    ]
    for op, (params, body) in sp.ops.items():
        res = (sp.results or {}).get(op)
        sig = f"{_params(params)}{' : ' + show(res) if res is not None else ''}"
        handle = fresh_name("h", {x for x, _ in params} | {sp.state})   # no parameter's name
        out.append(f"    Operation {op} {sig} := {show(body)}   "
                   f"[implemented by {impl[op]}({handle}"
                   f"{''.join(', ' + x for x, _ in params)}), {handle} the handle]")
    out.append(f"    Crash {sp.name} := {show(sp.crash)}")
    for name, (params, sort, body) in _definitions(k, sp):
        out.append(f"    Definition {name} {_params(params)} : {show(sort)} := {show(body)}")
    out.append(f"  Semantics: {ref.sem_init}({sem_args}) := {show(k.preds[ref.sem_init][1])}")
    out.append(f"  Rests on: {', '.join(sorted(ref.axioms))}")
    if ref.admits:
        out.append(f"  ADMITTED: {', '.join(sorted(ref.admits))}")
    return out
