"""The Goose file system's axioms (theories/filesys.py): checked against the interpreter, used in
proofs, and the proofs they must not allow."""
import random

import pytest

from kernel.crash import LEASED
from kernel.pure import fs_name_ok
from seplogic.syntax import And, App, Atom, Emp, Exists, Forall, Lit, Or, Pure, Sep, Var
from theories import filesys
from theories.shipped import axioms
from theories.interp import NONE, UNIT, Machine, SliceVal, Some, Stuck, _elements, _new_slice
from tests.kernel_helpers import failed, proved

# ---- the axioms' text, evaluated on the interpreter's states ----------------------------------
#
# A state of the interpreter is read as the resources the logic would own in it: every directory,
# entry and inode as a master and its lease, every open fd, and the tracked slices.  For an
# operation whose precondition (some axiom's) holds, the operation must not get stuck, the
# resources the precondition did not use (the frame) must be unchanged, and the postcondition
# must hold of the rest of the new state.


class PvList(tuple):
    """A list value (a plain tuple is a pair)."""


def same(a, b) -> bool:
    return type(a) is type(b) and a == b


def value(t, env):
    """The value of a pure term (the operators the file-system axioms use)."""
    if type(t) is Var:
        return env[t.name]
    if type(t) is Lit:
        return UNIT if t.kind == "unit" else t.value
    op, xs = t.op, [value(a, env) for a in t.args]
    if op in ("and", "or", "implies", "not"):
        return {"and": lambda: xs[0] and xs[1], "or": lambda: xs[0] or xs[1],
                "implies": lambda: not xs[0] or xs[1], "not": lambda: not xs[0]}[op]()
    if op in ("eq", "ne"):
        return same(*xs) == (op == "eq")
    simple = {
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "le": lambda a, b: a <= b,
        "lt": lambda a, b: a < b, "pair": lambda a, b: (a, b), "some": Some,
        "none": lambda: NONE, "len": len, "app": lambda a, b: PvList(a + b),
        "nth": lambda l, i: Some(l[i]) if 0 <= i < len(l) else NONE,
        "sublist": lambda l, o, k: PvList(l[max(o, 0):max(o, 0) + max(k, 0)]),
        "union": frozenset.union, "diff": frozenset.difference, "mem": lambda x, s: x in s,
        "fs_name_ok": lambda s: type(s) is str and bool(fs_name_ok(s)),
        "u64_to_string": str,
    }
    if op == "list":
        return PvList(xs)
    if op == "set":
        return frozenset(xs)
    return simple[op](*xs)


def domain(sort, env, res):
    """Values a ∀/∃ ranges over in a check: small integers, or every value in sight."""
    if sort.name in ("int", "nat", "u64"):
        longest = max([len(v) for v in _values(env, res) if type(v) is PvList] + [0])
        return range(-2, longest + 3)
    return list(dict.fromkeys(_values(env, res)))


def _values(env, res):
    out = list(env.values()) + [v for _, args in res for v in args]
    for v in list(out):
        if type(v) in (PvList, frozenset):
            out.extend(v)
    return [v for v in out if type(v) in (int, str, bool, PvList, frozenset)]


def bind(t, v, env):
    """Match the term t against the value v, binding t's unbound variables (or None)."""
    if type(t) is Var and t.name not in env:
        return {**env, t.name: v}
    if type(t) is App and t.op == "app" and type(t.args[0]) is Var and \
            t.args[0].name not in env and type(v) is PvList:
        tail = value(t.args[1], env)    # bs ++ tail (an inode between Append's two steps)
        n = len(v) - len(tail)
        return {**env, t.args[0].name: PvList(v[:n])} if n >= 0 and v[n:] == tail else None
    if type(t) is App and t.op == "pair" and type(v) is tuple:
        env = bind(t.args[0], v[0], env)
        return None if env is None else bind(t.args[1], v[1], env)
    return env if same(value(t, env), v) else None


def sat(a, env, res):
    """Ways ``a`` holds with the resources ``res`` (a list): (env, resources left)."""
    tp = type(a)
    if tp is Pure:
        if value(a.term, env):
            yield env, res
    elif tp is Emp:
        yield env, res
    elif tp is Sep:
        for env1, res1 in sat(a.left, env, res):
            yield from sat(a.right, env1, res1)
    elif tp is Or:
        yield from sat(a.left, env, res)
        yield from sat(a.right, env, res)
    elif tp is And:
        for env1, res1 in sat(a.left, env, res):
            if any(True for _ in sat(a.right, env1, res)):
                yield env1, res1
    elif tp is Exists:
        for v in domain(a.sort, env, res):
            yield from sat(a.body, {**env, a.var: v}, res)
    elif tp is Forall:      # (the axioms' ∀s are about pure facts)
        if all(any(True for _ in sat(a.body, {**env, a.var: v}, res))
               for v in domain(a.sort, env, res)):
            yield env, res
    elif tp is Atom:
        persistent = a.kind == "slice_ro"
        kind = "slice" if persistent else a.kind
        for j, (k, args) in enumerate(res):
            if k != kind:
                continue
            env1 = env
            for t, v in zip(a.args, args):
                env1 = bind(t, v, env1) if env1 is not None else None
            if env1 is not None:
                yield env1, res if persistent else res[:j] + res[j + 1:]
    else:
        raise AssertionError(f"not expected in a file-system axiom: {a!r}")


def resources(m, slices):
    """The resources a proof may own in the machine's state, at its version."""
    st, n = m._go, getattr(m, "version", 0)
    out = []

    def cell(kind, *args):
        out.extend([(kind, args), (LEASED[kind], args)])
    for d in sorted(st["fs_dirs"]):
        cell("fs_dir", d, n, frozenset(st["dirs"].get(d, {})))
        for nm, i in sorted(st["dirs"].get(d, {}).items()):
            cell("fs_link", d, nm, n, i)
    for i, bs in sorted(st["inodes"].items()):
        cell("fs_inode", i, n, PvList(bs))
    for f, (i, app) in sorted(st["fds"].items()):
        out.append(("fs_fd", (f, n, i, "append" if app else "read")))
    for s in slices:
        out.append(("slice", (s, n, PvList(_elements(m, s)))))
    return out


def minus(big, small):
    """The multiset difference, or None if ``small`` is not contained in ``big``."""
    rest = list(big)
    for r in small:
        if r not in rest:
            return None
        rest.remove(r)
    return rest


AXIOMS = {ax.name: ax for ax in axioms(filesys.AXIOMS)}


def step(m, slices, op, args, stats):
    """Run one file-system primitive and check it against every axiom about it."""
    res = resources(m, slices)
    n = getattr(m, "version", 0)
    applicable = []
    for ax in AXIOMS.values():
        if ax.expr is None or ax.expr.op != op:
            continue
        env = {ax.version: n}
        for t, v in zip(ax.expr.args, args):
            env = bind(t.term, v, env) if env is not None else None
        for sol in (sat(ax.pre, env, res) if env is not None else ()):   # every way it holds
            applicable.append((ax, *sol))
    try:
        r = m.go_prim(op, args)
    except Stuck as e:
        assert not applicable, f"{op}{args} is stuck ({e}) but {applicable[0][0].name} applies"
        stats["stuck"] += 1
        return None
    for x in (r, *(r if type(r) is tuple else ())):
        if type(x) is SliceVal:
            slices.append(x)
    after = resources(m, slices)
    for ax, env, frame in applicable:
        rest = minus(after, frame)
        assert rest is not None, f"{ax.name}: {op}{args} changed resources it does not own"
        env = bind(ax.ret, r, env)
        assert env is not None, f"{ax.name}: {op}{args} returned {r!r}"
        assert any(True for _ in sat(ax.post, env, rest)), \
            f"{ax.name}: the postcondition does not hold after {op}{args} = {r!r}"
        stats[ax.name] += 1
    return r


def crash_image(res):
    """What the kernel keeps of the file-system resources in a crash (kernel/crash.py)."""
    out = []
    for kind, args in res:
        if kind in LEASED and kind.startswith("fs_"):
            *key, n, v = args
            out += [(kind, (*key, n + 1, v)), (LEASED[kind], (*key, n + 1, v))]
    return out


NAMES = ["a", "b", "c", "17"]
BAD_NAMES = ["", "..", "x/y", "n\0", "z" * 256]


def random_trace(seed, stats, length=80):
    """Random operations, mostly with arguments that make sense, some with bad ones."""
    rnd = random.Random(seed)
    m = Machine({}, seed)
    m.fs_dirs = {"d", "e"}
    m.go_prim("fs_list", ["d"])    # set up the state
    slices, pending = [], None

    def pick(good, bad, p=0.85):
        return rnd.choice(good) if good and rnd.random() < p else rnd.choice(bad)

    def name():
        return pick(NAMES, BAD_NAMES)

    def entry():
        ents = [(d, nm) for d, es in m._go["dirs"].items() for nm in es]
        return list(pick(ents, [("d", "q"), ("u", "a"), ("e", "..")], 0.7))
    for _ in range(length):
        st = m._go
        fd = pick(list(st["fds"]), list(range(1, 40)))
        d = pick(["d", "e"], ["u", ""])
        op = rnd.choice(["fs_create", "fs_create", "fs_append_prefix", "fs_append_rest",
                         "fs_close", "fs_open", "fs_readat", "fs_readat", "fs_delete", "fs_link",
                         "fs_link", "fs_list", "crash"])
        if op == "crash" and rnd.random() < 0.5:
            before = [r for r in resources(m, []) if r[0] != "fs_fd"]
            m.crash()
            slices, pending = [], None
            assert sorted(resources(m, []), key=repr) == sorted(crash_image(before), key=repr)
            stats["crash"] += 1
            continue
        if op == "fs_create":
            args = [d, name()]
        elif op in ("fs_open", "fs_delete"):
            args = entry()
        elif op == "fs_append_prefix":
            data = _new_slice(m, [rnd.randrange(256) for _ in range(rnd.randrange(6))], 0)
            slices.append(data)
            args = [fd, data]
        elif op == "fs_append_rest":
            # mostly the rest of the last prefix; else any slice and k (0: all of it at once)
            if pending and rnd.random() < 0.6:
                args = list(pending)
            else:
                slices = slices or [_new_slice(m, [7], 0)]
                args = [fd, rnd.choice(slices), rnd.randrange(4)]
        elif op == "fs_close":
            args = [fd]
        elif op == "fs_readat":
            limit = filesys.READ_LIMIT
            off, k = pick([(rnd.randrange(8), rnd.randrange(8))],
                          [(limit, 0), (limit, 1), (limit - 3, 3), (2 ** 63, 0)])
            args = [fd, off, k]
        elif op == "fs_link":
            args = entry() + [d, name()]
        else:
            args = [d]
        r = step(m, slices, op, args, stats)
        if op == "fs_append_prefix" and r is not None:
            pending = (args[0], args[1], r)


def test_axioms_hold_in_the_interpreter():
    from collections import Counter
    stats = Counter()
    for seed in range(40):
        random_trace(seed, stats)
    # every axiom was exercised, and so were the stuck cases and crashes
    for name, ax in AXIOMS.items():
        if ax.expr is not None:
            assert stats[name] >= 30, (name, stats)
    assert stats["stuck"] >= 100 and stats["crash"] >= 30, stats


@pytest.mark.parametrize("name", [n for n, ax in AXIOMS.items() if ax.expr is None])
def test_entailment_axioms_hold_in_the_interpreter(name):
    ax = AXIOMS[name]
    if name == "fs_name_u64":
        for x in (0, 7, 10, 2 ** 63, 2 ** 64 - 1):
            assert any(True for _ in sat(ax.post, {"x": x}, []))
        return
    stats = {}
    for seed in range(10):      # in every reachable state, for every way the premise holds
        m = Machine({}, seed)
        m.fs_dirs = {"d", "e"}
        m.go_prim("fs_list", ["d"])
        rnd = random.Random(seed)
        for _ in range(20):
            op = rnd.choice(["fs_create", "fs_link", "fs_delete"])
            args = ([rnd.choice("de"), rnd.choice("abc")] if op != "fs_link" else
                    [rnd.choice("de"), rnd.choice("abc"), rnd.choice("de"), rnd.choice("abc")])
            try:
                m.go_prim(op, args)
            except Stuck:
                pass
            res = resources(m, [])
            for env, rest in sat(ax.pre, {"n": 0}, res):
                assert any(True for _ in sat(ax.post, env, res)), (name, env)
                stats[name] = stats.get(name, 0) + 1
    assert stats.get(name, 0) >= 20


# Wrong axioms the check above must catch: (axiom, part, text in its printed form, replacement).
MUTANTS = [
    # the old, atomic Append (a crash leaves all of the bytes or none): the interpreter's
    # prefix shows it wrong
    ("fs_append_prefix", "post", "bs ++ sublist(data, 0, k)", "bs ++ data"),
    ("fs_append_prefix", "post", "k ≤ len(data)", "k < len(data)"),
    ("fs_append_rest", "post", "bs ++ data", "bs ++ sublist(data, k, len(data))"),
    ("fs_append_rest", "pre", "bs ++ sublist(data, 0, k)", "bs"),
    ("fs_append_rest_ro", "pre", "bs ++ sublist(data, 0, k)", "bs"),
    ("fs_readat", "post", "sublist(bs, off, k)", "sublist(bs, off, k + 1)"),
    ("fs_readat", "pre", " ∗ ⌜off + k ≤ 281474976710656⌝", ""),
    ("fs_create", "pre", " ∗ ⌜fs_name_ok(nm)⌝", ""),
    ("fs_create", "post", "nm ∈ S && (ok = false && f = 0)", "nm ∈ S && ok = false"
     " && f = 1"),
    ("fs_create", "post", "inode(i) ↦[n] []", "inode(i) ↦[n] [0]"),
    ("fs_delete", "post", "S ∖ {[nm]}", "S"),
    ("fs_link", "post", "nm ∈ S && ok = false", "nm ∈ S && ok = true"),
    ("fs_link", "post", "link(d, nm) ↦[n] i", "link(d, nm) ↦[n] d1"),
    ("fs_link", "pre", " ∗ ⌜fs_name_ok(nm)⌝", ""),
    ("fs_list", "post", "nth(l, k) = Some(x) → x ∈ S", "nth(l, k) = Some(x) → k = 0"),
    ("fs_close", "post", "emp", "fd(f) ↦[n] (i, md)"),
    ("fs_open", "post", '"read"', '"append"'),
    ("fs_append_prefix", "pre", "inode(i) ↦[n] bs ∗ lease[n](inode(i), bs) ∗ ", ""),
]


@pytest.mark.parametrize("name,part,old,new", MUTANTS, ids=[f"{m[0]}:{m[3] or 'drop'}"
                                                            for m in MUTANTS])
def test_the_check_catches_wrong_axioms(name, part, old, new, monkeypatch):
    from collections import Counter
    from seplogic.record import replace

    from seplogic.parser import parse_assertion
    from seplogic.printer import show
    ax = AXIOMS[name]
    text = show(getattr(ax, part))
    assert old in text, text
    wrong = parse_assertion(text.replace(old, new))
    monkeypatch.setitem(AXIOMS, name, replace(ax, **{part: wrong}))
    with pytest.raises(AssertionError, match=name):
        for seed in range(40):
            random_trace(seed, Counter())


# ---- proofs with the axioms ---------------------------------------------------------------------


P = "(n : nat) (d nm : val) (S : set val) (i : val) (bs : list val) (f : u64) (s : val)"
I = 'intros n d nm S i bs f s'


def test_a_second_create_of_a_name_fails():
    proved(f"""
Theorem twice {P} :
  {{dir(d) ↦[n] S ∗ lease[n](dir(d), S) ∗ ⌜~("a" ∈ S)⌝}}
    let c1 := fs_create(#d, "a") in let c2 := fs_create(#d, "a") in snd(c2)
  {{r. ⌜r = false⌝}}[n].
Proof.
  {I} "[Hd [Hl %Ha]]".
  wp_step f ok as "[[%H1 [Hd Hl]] | [%H1 [Hd [Hl [%i [Hk [Hkl [Hi [Hil Hf]]]]]]]]]".
  - contradiction.
  - wp_pures. wp_step f2 ok2 as "[[%H2 [Hd Hl]] | [%H2 ?]]".
    + wp_pures. done.
    + contradiction.
Qed.
""", "twice")


def test_create_needs_a_good_name():
    for name, ok in (('"a"', True), ('"a/b"', False), ('".."', False), ('""', False)):
        text = f"""
Theorem c {P} :
  {{dir(d) ↦[n] S ∗ lease[n](dir(d), S)}} fs_create(#d, {name}) {{r. True}}[n].
Proof. {I} "[Hd Hl]". wp_step f ok as "_". done. Qed.
"""
        (proved if ok else failed)(text, "c")
    # a variable name needs the fact; a decimal name has it (fs_name_u64)
    failed(f"""
Theorem c {P} : {{dir(d) ↦[n] S ∗ lease[n](dir(d), S)}} fs_create(#d, #nm) {{r. True}}[n].
Proof. {I} "[Hd Hl]". wp_step f ok as "_". done. Qed.
""", "c")
    proved(f"""
Theorem c {P} (x : u64) :
  {{dir(d) ↦[n] S ∗ lease[n](dir(d), S)}} fs_create(#d, u64_to_string(#x)) {{r. True}}[n].
Proof.
  {I} x "[Hd Hl]". wp_pures. use_axiom fs_name_u64 (x := x) with "" as "%Hx".
  wp_step f ok as "_". done.
Qed.
""", "c")


def test_a_directory_changes_only_with_its_lease():
    failed(f"""
Theorem c {P} :
  {{dir(d) ↦[n] S ∗ ⌜fs_name_ok(nm)⌝}} fs_create(#d, #nm) {{r. True}}[n].
Proof. {I} "[Hd %Hn]". wp_step f ok as "_". done. Qed.
""", "c", "lease[n](dir(d), S)")
    failed(f"""
Theorem c {P} :
  {{dir(d) ↦[n] S ∗ link(d, nm) ↦[n] i ∗ lease[n](link(d, nm), i)}} fs_delete(#d, #nm)
  {{r. True}}[n].
Proof. {I} "[Hd [Hk Hkl]]". wp_step. done. Qed.
""", "c", "lease[n](dir(d), S)")
    # nor with the lease of another directory or another version
    failed(f"""
Theorem c {P} :
  {{dir(d) ↦[n] S ∗ lease[n](dir(nm), S) ∗ ⌜fs_name_ok(nm) ∧ d ≠ nm⌝}} fs_create(#d, #nm)
  {{r. True}}[n].
Proof. {I} "[Hd [Hl %Hn]]". wp_step f ok as "_". done. Qed.
""", "c")


def test_appending_needs_an_append_fd():
    for step in ("fs_append_prefix(#f, #s)", "fs_append_rest(#f, #s, 0)"):
        failed(f"""
Theorem c {P} (data : list val) :
  {{fd(f) ↦[n] (i, "read") ∗ inode(i) ↦[n] bs ∗ lease[n](inode(i), bs) ∗ slice[n](s, data)}}
    {step} {{r. True}}[n].
Proof. {I} data "[Hf [Hi [Hl Hs]]]". wp_step. done. Qed.
""", "c", 'fd(f) ↦[n] (i, "append")')
    proved(f"""
Theorem c {P} (data : list val) :
  {{fd(f) ↦[n] (i, "append") ∗ inode(i) ↦[n] bs ∗ lease[n](inode(i), bs) ∗ slice[n](s, data)}}
    let k := fs_append_prefix(#f, #s) in fs_append_rest(#f, #s, k)
  {{r. inode(i) ↦[n] bs ++ data}}[n].
Proof. {I} data "[Hf [Hi [Hl Hs]]]". wp_step k as "[%Hk [Hf [Hi [Hl Hs]]]]". wp_step. done. Qed.
""", "c")


def test_reading_needs_an_open_read_fd():
    pre = "inode(i) ↦[n] bs ∗ lease[n](inode(i), bs)"
    script = 'wp_step. done.'
    for fd, prog in (('fd(f) ↦[n] (i, "read") ∗ ', "fs_close(#f);; fs_readat(#f, 0, 1)"),
                     ("", "fs_readat(#f, 0, 1)"),
                     ('fd(f) ↦[n] (i, "append") ∗ ', "fs_readat(#f, 0, 1)"),
                     ('fd(f) ↦[n + 1] (i, "read") ∗ ', "fs_readat(#f, 0, 1)"),
                     ('fd(f) ↦[n] (i, "read") ∗ ', "fs_readat(#f, 0, 1)")):
        pat = "[Hf [Hi Hl]]" if fd else "[Hi Hl]"
        steps = "wp_step. wp_pures. " + script if "close" in prog else script
        text = f"""
Theorem c {P} : {{{fd}{pre}}} {prog} {{r. True}}[n].
Proof. {I} "{pat}". {steps} Qed.
"""
        # only the last one, an open read fd of this version, can read
        (proved if prog == "fs_readat(#f, 0, 1)" and '[n] (i, "read")' in fd else failed)(
            text, "c")


def test_reads_return_what_is_there():
    proved(f"""
Theorem c {P} :
  {{fd(f) ↦[n] (i, "read") ∗ inode(i) ↦[n] [1, 2, 3] ∗ lease[n](inode(i), [1, 2, 3])}}
    fs_readat(#f, 1, 5) {{r. slice[n](r, [2, 3])}}[n].
Proof. {I} "[Hf [Hi Hl]]". wp_step. done. Qed.
""", "c")
    failed(f"""
Theorem c {P} :
  {{fd(f) ↦[n] (i, "read") ∗ inode(i) ↦[n] bs ∗ lease[n](inode(i), bs)}}
    fs_readat(#f, 0, 281474976710657) {{r. True}}[n].
Proof. {I} "[Hf [Hi Hl]]". wp_step. done. Qed.
""", "c")


def test_a_lease_from_before_a_crash_is_useless_after_it():
    # after a crash at n, the master is at n + 1; an old lease does not go with it
    failed(f"""
Theorem c {P} :
  {{dir(d) ↦[n + 1] S ∗ lease[n](dir(d), S) ∗ ⌜fs_name_ok(nm)⌝}} fs_create(#d, #nm)
  {{r. True}}[n + 1].
Proof. {I} "[Hd [Hl %Hn]]". wp_step f ok as "_". done. Qed.
""", "c")
    failed(f"""
Theorem c {P} :
  {{inode(i) ↦[n + 1] bs ∗ lease[n](inode(i), bs) ∗ fd(f) ↦[n + 1] (i, "read")}}
    fs_readat(#f, 0, 1) {{r. True}}[n + 1].
Proof. {I} "[Hi [Hl Hf]]". wp_step. done. Qed.
""", "c")
    # and the crash itself drops it: what survives is the renewed lease only
    failed(f"""
Theorem c {P} : link(d, nm) ↦[n] i ∗ lease[n](link(d, nm), i) ⇒[n]
  link(d, nm) ↦[n + 1] i ∗ lease[n + 1](link(d, nm), i) ∗ lease[n](link(d, nm), i).
Proof. done. Qed.
""", "c")


def test_an_entry_is_in_its_directory():
    proved(f"""
Theorem c {P} :
  {{dir(d) ↦[n] S ∗ lease[n](dir(d), S) ∗ link(d, nm) ↦[n] i ∗ lease[n](link(d, nm), i)}}
    fs_delete(#d, #nm)
  {{r. dir(d) ↦[n] S ∖ {{[nm]}} ∗ ⌜nm ∈ S⌝}}[n].
Proof.
  {I} "[Hd [Hl [Hk Hkl]]]".
  use_axiom fs_link_in_dir with "Hd Hk" as "[Hd [Hk %Hin]]".
  wp_step. done.
Qed.
""", "c")
    # without the entry's master (of the same version) there is no such fact
    failed(f"""
Theorem c {P} : dir(d) ↦[n] S -∗ ⌜nm ∈ S⌝.
Proof. {I} "Hd". done. Qed.
""", "c")
    failed(f"""
Theorem c {P} : dir(d) ↦[n] S ∗ link(d, nm) ↦[n + 1] i -∗ ⌜nm ∈ S⌝.
Proof.
  {I} "[Hd Hk]".
  use_axiom fs_link_in_dir (n := n) (d := d) (nm := nm) (S := S) (i := i) with "Hd Hk"
    as "[Hd [Hk %Hin]]".
  done.
Qed.
""", "c", "cannot close the goal")


def test_the_initial_state_has_the_directories_empty():
    proved("""
Theorem c (n : nat) : fs_init({["d", "e"]}) -∗ dir("d") ↦[0] ∅ ∗ lease[0](dir("d"), ∅) ∗ True.
Proof.
  intros n "H". unfold fs_init in "H". bigsep_split ("d") in "H".
  destruct "H" as "[[Hd Hl] H]". frame.
Qed.
""", "c")
    failed("""
Theorem c (n : nat) : fs_init({["d", "e"]}) -∗ dir("f") ↦[0] ∅.
Proof. intros n "H". unfold fs_init in "H". bigsep_split ("f") in "H". done. Qed.
""", "c")


# ---- the example (proofs/fs_example): its model runs as the theorems say ----------------------

def test_the_example_runs_as_proved():
    import os

    from seplogic.document import FunctionDef
    from seplogic.parser import parse_file
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "proofs", "fs_example", "fs_example_goose.pv")
    doc = parse_file(open(path, encoding="utf-8").read(), path)
    funcs = {c.name: (c.params, c.body) for c in doc.commands if type(c) is FunctionDef}
    m = Machine(funcs)
    m.fs_dirs = {"d"}
    data = [104, 105, 33]
    got, ok = m.run("fs_example_Store", ["d", "f", _new_slice(m, data, 0), 3])
    assert ok is True and _elements(m, got) == data                      # Store_roundtrip
    got, ok = m.run("fs_example_Store", ["d", "g", _new_slice(m, data, 0), 2])
    assert ok is True and _elements(m, got) == data[:2]                  # Store_spec
    assert m.run("fs_example_Store", ["d", "f", _new_slice(m, [], 0), 3])[1] is False
    names = m.run("fs_example_Publish", ["d", "h", _new_slice(m, data, 0)])
    assert _elements(m, names) == ["f", "g", "h"]                       # Publish_spec
    with pytest.raises(Stuck, match="unknown directory"):
        m.run("fs_example_Store", ["e", "f", _new_slice(m, data, 0), 3])


def test_the_example_claims_no_more_than_it_proves():
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = open(os.path.join(root, "proofs", "fs_example", "fs_example.pv"),
               encoding="utf-8").read()
    goose = os.path.join(root, "proofs", "fs_example", "fs_example_goose.pv")
    src = src.replace('Require "fs_example_goose.pv".', f'Require "{goose}".')
    proved(src, "Store_roundtrip")
    # reading one byte less does not give all of them back; nor does a name already taken
    for old, new, why in (("k = len(data) ∧", "k + 1 = len(data) ∧", "slice[n](got, data)"),
                          ("⌜~(nm ∈ S)⌝ ∗\n", "⌜true⌝ ∗\n", "pure fact False")):
        assert old in src
        failed(src.replace(old, new), "Store_roundtrip", why)


def test_fs_cells_change_only_by_the_program():
    # a ghost update is for ghost cells; a directory changes by a file-system operation
    failed(f"""
Theorem c {P} :
  {{dir(d) ↦[n] S ∗ lease[n](dir(d), S)}} () {{r. dir(d) ↦[n] S ∪ {{[nm]}}}}[n].
Proof. {I} "[Hd Hl]". ghost_update "Hd" "Hl" (S ∪ {{[nm]}}). wp_value. done. Qed.
""", "c", "only ghost cells")
