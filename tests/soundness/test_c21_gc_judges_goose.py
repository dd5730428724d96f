"""Class 21: Go that gc rejects must not get a model.  Random programs (c19_gen's gooseable
functions, each edited by one or two random mutations, of which about half make it invalid Go
of the kinds gc refuses: unused variables and imports, constants that overflow, duplicate
literal keys, == on incomparable structs, a field of a map element assigned, a shadowed
result returned bare, values of one type used as another, a missing return, division by a
constant zero, constant slice indices out of order, names declared twice in one block, an
undefined name) are given to the translator alone (no `go build`) and to gc: every program the
translator accepts, gc compiles.

Offline, many more: ``python -m tests.soundness.test_c21_gc_judges_goose 400`` prints the
counts (translator and gc agreeing both ways, and the programs the translator refuses that gc
compiles, which are outside the subset or refused conservatively)."""
from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

from goose import GooseError, translate_package
from tests.go_env import toolchain_env
from tests.soundness.c19_gen import package

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _body_start(src):
    return src.index("\n", src.index("\tm := map[uint64]uint64{")) + 1


def _insert(src, lines):
    """``lines`` right after F0's declarations (all its variables are in scope)."""
    i = _body_start(src)
    return src[:i] + lines + src[i:]


# (name, valid edit, invalid edit): each a function of (source, rng) -> source
MUTATIONS = [
    ("unused variable",
     lambda s, r: _insert(s, "\tz := uint64(1)\n\t_ = z\n"),
     lambda s, r: _insert(s, "\tz := uint64(1)\n\tz = 2\n")),
    ("unused import",
     lambda s, r: s.replace("package gen\n", 'package gen\n\nimport "sync"\n\n'
                            "func lock(mu *sync.Mutex) { mu.Lock() }\n", 1),
     lambda s, r: s.replace("package gen\n", 'package gen\n\nimport "sync"\n', 1)),
    ("constant overflow",
     lambda s, r: _insert(s, "\ta += uint64(byte(255)) + uint64(tb(200))\n"),
     lambda s, r: _insert(s, "\ta += uint64(" + r.choice(["byte(256)", "tb(300)", "tc + tc",
                                                          "uint64(0) - 1"]) + ")\n")),
    ("duplicate map key",
     lambda s, r: s.replace("{1: 2}", "{1: 2, 2: 3, a: 4}", 1),
     lambda s, r: s.replace("{1: 2}", r.choice(["{1: 2, 1: 3}", "{1: 2, 0x1: 3}"]), 1)),
    ("duplicate slice index",
     lambda s, r: _insert(s, "\ts = append(s, []uint64{1: 1, 0: 2, 3}...)\n"),
     lambda s, r: _insert(s, "\ts = append(s, []uint64{1: 1, 0: 2, 1: 3}...)\n")),
    ("incomparable struct",
     lambda s, r: _insert(s, "\tif *p == (pt{x: a}) {\n\t\tb++\n\t}\n"),
     lambda s, r: _insert(s, "\tif (sl{}) == (sl{s: s}) {\n\t\tb++\n\t}\n")),
    ("field of a map element",
     lambda s, r: _insert(s, "\tms := map[uint64]pt{}\n\tms[1] = pt{x: a}\n\tb += ms[1].x\n"),
     lambda s, r: _insert(s, "\tms := map[uint64]pt{}\n\tms[1].x = a\n\tb += ms[1].x\n")),
    ("shadowed result",
     lambda s, r: s.replace("func F0() uint64 {\n", "func F0() (r uint64) {\n\tif r == 7 {\n"
                            "\t\tr := uint64(3)\n\t\treturn r\n\t}\n", 1),
     lambda s, r: s.replace("func F0() uint64 {\n", "func F0() (r uint64) {\n\tif r == 7 {\n"
                            "\t\tr := uint64(3)\n\t\t_ = r\n\t\treturn\n\t}\n", 1)),
    ("types",
     lambda s, r: _insert(s, "\tvar d ta = 3\n\ta += uint64(d) + uint64(len(s))\n"
                          "\tvar sd sa = s\n\ts = sd\n"),
     lambda s, r: _insert(s, r.choice(["\tvar d ta = 3\n\ta += d\n", "\ta = len(s)\n",
                                       "\tvar d ta = 3\n\tif d == a {\n\t\tb++\n\t}\n",
                                       "\ta += s[0] == b\n", "\tvar y byte = a\n\t_ = y\n",
                                       "\tvar sd sa = s\n\tvar se sb = sd\n\t_ = se\n"]))),
    ("missing return",
     lambda s, r: s.replace("\treturn a + b*3", "\tfor {\n\t\tif c > 0 {\n\t\t\treturn a\n"
                            "\t\t}\n\t\tc++\n\t}\n\treturn a + b*3", 1),
     lambda s, r: re.sub(r"\treturn a \+ b\*3.*\n", "\tfor {\n\t\tif c > 0 {\n\t\t\tbreak\n"
                         "\t\t}\n\t\tc++\n\t}\n", s, count=1)),
    ("constant operands",
     lambda s, r: _insert(s, r.choice(["\ta = a / 1\n", "\ts = s[1:1]\n", "\tb %= 3\n"])),
     lambda s, r: _insert(s, r.choice(["\ta = a / 0\n", "\ts = s[2:1]\n", "\tb %= 0\n"]))),
    ("redeclaration",
     lambda s, r: _insert(s, "\t{\n\t\tvar a uint64 = 2\n\t\tb += a\n\t}\n\ta, n := b, c\n"
                          "\tc += n\n"),
     lambda s, r: r.choice([_insert(s, "\tvar a uint64 = 2\n\tb += a\n"),
                            s.replace("type ta uint64\n", "type ta uint64\n\nconst ta = 1\n"),
                            s.replace("\ty uint64\n}", "\ty uint64\n\tx bool\n}", 1),
                            s.replace("v uint64) (uint64", "q uint64) (uint64", 1)])),
    ("undefined name",
     lambda s, r: s,
     lambda s, r: s.replace("\tc := uint64(1)\n", "\tc0 := uint64(1)\n\t_ = c0\n", 1)),
]

# declarations the mutations use (valid in every program)
DECLS = "type sl struct {\n\ts []uint64\n}\n\ntype ta uint64\n\ntype tb uint8\n\n" \
        "type sa []uint64\n\ntype sb []uint64\n\n" \
        "const tc tb = 200\n\n"


def program(seed: int):
    """(Go source of package gen, [(mutation, valid?)]) for one seed."""
    rng = random.Random(seed)
    src, _, _ = package(seed, 2)
    src = src.replace("func mut(", DECLS + "func mut(", 1)
    edits = []
    for m in rng.sample(MUTATIONS, rng.choice([1, 2])):
        valid = rng.random() < 0.5
        src = (m[1] if valid else m[2])(src, rng)
        edits.append((m[0], valid))
    return src, edits


def translator_accepts(src: str) -> bool:
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "gen"))
        with open(os.path.join(d, "gen", "gen.go"), "w", encoding="utf-8") as f:
            f.write(src)
        try:
            translate_package(os.path.join(d, "gen"))
            return True
        except GooseError:
            return False


def gc_verdicts(sources: dict) -> dict:
    """{name: gc compiles it} from one `go build ./...` of a module with a package each."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "go.mod"), "w") as f:
            f.write("module c21\n\ngo 1.19\n")
        for name, src in sources.items():
            os.mkdir(os.path.join(d, name))
            with open(os.path.join(d, name, "gen.go"), "w", encoding="utf-8") as f:
                f.write(src)
        p = subprocess.run(["go", "build", "./..."], cwd=d, env=toolchain_env(),
                           capture_output=True, text=True, timeout=1200)
        failed = set(re.findall(r"^# c21/(\w+)$", p.stdout + p.stderr, re.M))
        assert (p.returncode != 0) == bool(failed), p.stderr[-2000:]
        ok = [f"./{name}" for name in sources if name not in failed]
        if ok:      # (the others were built, not skipped: a build of them alone passes)
            q = subprocess.run(["go", "build", *ok], cwd=d, env=toolchain_env(),
                               capture_output=True, text=True, timeout=1200)
            assert q.returncode == 0, q.stderr[-2000:]
        return {name: name not in failed for name in sources}


def verdicts(seeds):
    """[(seed, edits, translator accepts, gc compiles)]."""
    progs = {f"s{seed}": (seed, *program(seed)) for seed in seeds}
    gc = gc_verdicts({name: src for name, (_, src, _) in progs.items()})
    return [(seed, edits, translator_accepts(src), gc[name])
            for name, (seed, src, edits) in progs.items()]


@pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain is not installed")
def test_every_program_the_translator_accepts_compiles():
    rows = verdicts(range(40))
    wrong = [(seed, edits) for seed, edits, tr, gc in rows if tr and not gc]
    assert not wrong, wrong
    # the check is not vacuous: invalid programs were made (and refused), valid ones accepted
    assert sum(not gc for *_, gc in rows) >= 10
    assert sum(tr for _, _, tr, _ in rows) >= 8
    # every valid edit is within the subset: the translator accepts what gc compiles
    assert all(tr for _, _, tr, gc in rows if gc), [r for r in rows if r[3] and not r[2]]


def main(n: int) -> None:
    rows = verdicts(range(n))
    counts = {}
    for _, _, tr, gc in rows:
        counts[(tr, gc)] = counts.get((tr, gc), 0) + 1
    print(f"{n} programs: both accept {counts.get((True, True), 0)}, both refuse "
          f"{counts.get((False, False), 0)}, translator refuses what gc compiles "
          f"{counts.get((False, True), 0)}, translator accepts what gc rejects "
          f"{counts.get((True, False), 0)}")
    for seed, edits, tr, gc in rows:
        if tr != gc:
            print(f"  seed {seed}: {edits}: translator {'accepts' if tr else 'refuses'}, gc "
                  f"{'compiles' if gc else 'rejects'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
