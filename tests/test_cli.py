"""`pv check`, `pv recheck`, `pv rules` as a user runs them: exit codes, located errors,
no tracebacks on malformed input."""
import json
import os
import random
import subprocess
import sys

import pytest

from driver.cli import main, rules_markdown, tactics_markdown

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROOFS = os.path.join(ROOT, "proofs")


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path, text, name="f.pv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_all_proofs_check(capsys):
    code, out, err = run(["check", PROOFS], capsys)
    assert code == 0, err
    assert out.strip().splitlines()[-1].startswith("OK:")
    assert "Assumptions of swap.swap_spec:" in out and "heap_load" in out


def test_usage_errors_exit_2(capsys, tmp_path):
    assert run(["check", str(tmp_path / "missing.pv")], capsys)[0] == 2
    assert run(["check"], capsys)[0] == 2
    assert run(["frobnicate"], capsys)[0] == 2
    assert run([], capsys)[0] == 2


def test_syntax_error_is_located(capsys, tmp_path):
    f = write(tmp_path, "Function f (x) :=\n  let y := in x.\n")
    code, out, err = run(["check", f], capsys)
    assert code == 1
    assert f"{f}:2:" in err and ": error: " in err


def test_failing_tactic_shows_the_goal(capsys, tmp_path):
    f = write(tmp_path, "Theorem t (n : nat) (l : loc) (v : val) :\n"
                        "  {l ↦[n] v} !#l {r. ⌜r = v⌝}[n].\n"
                        "Proof.\n  intros n l v \"H\".\n  wp_pures.\n  wp_fork.\nQed.\n")
    code, out, err = run(["check", f], capsys)
    assert code == 1
    assert f"{f}:6:3: error:" in err
    assert "H : l ↦[n] v" in err and "WP[n] !#l" in err
    assert "FAILED" in out


def test_incomplete_proof_is_reported_at_qed(capsys, tmp_path):
    f = write(tmp_path, "Theorem t (n : nat) (l : loc) (v : val) :\n"
                        "  {l ↦[n] v} !#l {r. ⌜r = v⌝}[n].\nProof.\n  intros n l v \"H\".\nQed.\n")
    code, _, err = run(["check", f], capsys)
    assert code == 1 and f"{f}:5:1: error:" in err and "not complete" in err


def test_admitted_fails_unless_allowed(capsys, tmp_path):
    f = write(tmp_path, "Theorem t : True.\nAdmitted.\n"
                        "Theorem u : True.\nProof. use t as \"H\". done. Qed.\n"
                        "Print Assumptions u.\n")
    code, out, _ = run(["check", f], capsys)
    assert code == 1 and "ADMITTED" in out and "admitted f.t" in out
    assert "rests on admitted f.t" in out
    code, out, _ = run(["check", "--allow-admit", f], capsys)
    assert code == 0


def test_kernel_definitions_errors_are_located(capsys, tmp_path):
    f = write(tmp_path, "Definition d (x : u64) : bool := x + 1.\n"
                        "Predicate p (x : u64) := l ↦[x] x.\n")
    code, _, err = run(["check", f], capsys)
    assert code == 1 and f"{f}:1:1: error:" in err and f"{f}:2:1: error:" in err


def test_require_and_cycles(capsys, tmp_path):
    write(tmp_path, 'Require "b.pv".\nDefinition one : u64 := 1.\n', "a.pv")
    write(tmp_path, 'Require "a.pv".\n', "b.pv")
    code, _, err = run(["check", str(tmp_path / "a.pv")], capsys)
    assert code == 1 and "circular Require" in err
    write(tmp_path, 'Require "nope.pv".\n', "c.pv")
    code, _, err = run(["check", str(tmp_path / "c.pv")], capsys)
    assert code == 1 and "cannot read" in err


def test_certificate_round_trip_and_tampering(capsys, tmp_path):
    cert = str(tmp_path / "c.json")
    code, _, _ = run(["check", "-q", "--certificate", cert,
                      os.path.join(PROOFS, "bench", "spin_lock.pv")], capsys)
    assert code == 0
    code, out, _ = run(["recheck", cert], capsys)
    assert code == 0 and "OK: 1 certificate, 4 proven, 0 admitted, 0 failed, 0 errors" in out
    data = json.load(open(cert, encoding="utf-8"))
    thm = next(e for e in data["entries"] if e["call"] == "prove")
    rows = thm["derivation"]
    i = next(i for i, r in enumerate(rows) if r[0] == "wp_axiom")
    rows[i][1][0] = "heap_cas_fail" if rows[i][1][0] != "heap_cas_fail" else "heap_cas_suc"
    json.dump(data, open(cert, "w", encoding="utf-8"))
    code, out, err = run(["recheck", cert], capsys)
    assert code == 1 and "FAILED" in out and f"{cert}:" in err and ": error: " in err
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(["recheck", str(tmp_path / "junk.json")], capsys)
    assert code == 1 and f"{tmp_path / 'junk.json'}:1:2: error: " in err


def test_certificates_cover_crash_theorems_specs_and_theorem_2(capsys, tmp_path):
    """The replicated disk's certificate replays through the kernel alone: its spec, crash
    theorems and the refinement by Theorem 2 -- and a tampered premise is caught."""
    cert = str(tmp_path / "rd.json")
    code, _, _ = run(["check", "-q", "--certificate", cert,
                      os.path.join(PROOFS, "replicated_disk")], capsys)
    assert code == 0
    code, out, _ = run(["recheck", cert], capsys)
    assert code == 0 and out.strip().splitlines()[-1].startswith("OK: 1 certificate")
    data = json.load(open(cert, encoding="utf-8"))
    calls = {e["call"] for e in data["entries"]}
    assert {"define_spec", "define_spec_op", "define_spec_crash", "prove_crash",
            "theorem2"} <= calls
    ref = next(e for e in data["entries"] if e["call"] == "theorem2")
    premises = ref["args"][-1]["dict"]
    ref["args"][-1]["dict"] = [[k, "rd_spec.renew" if k == "idempotence" else v] for k, v in premises]
    json.dump(data, open(cert, "w", encoding="utf-8"))
    code, out, err = run(["recheck", cert], capsys)
    assert code == 1 and "does not state what Theorem 2 needs" in err + out


def test_rules_table_in_docs_is_current():
    doc = open(os.path.join(ROOT, "docs", "kernel.md"), encoding="utf-8").read()
    assert rules_markdown() in doc, "regenerate the table with `pv rules --markdown`"


def test_tactic_table_in_docs_is_current():
    doc = open(os.path.join(ROOT, "docs", "tactics.md"), encoding="utf-8").read()
    assert tactics_markdown() in doc, "regenerate with docs/regen.sh"


def _mutations(text, rng, n):
    chars = list("().:;,{}[]⌜⌝∗↦#\"*-|") + ["Qed.", "Proof.", "(*", "*)", "\n", "∃", "wp_step."]
    for _ in range(n):
        t = list(text)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(t) + 1)
            op = rng.random()
            if op < 0.4 and t:
                del t[min(i, len(t) - 1)]
            elif op < 0.8:
                t.insert(i, rng.choice(chars))
            else:
                j = rng.randrange(len(t) + 1)
                t[i:j] = []
        yield "".join(t)


def test_fuzzed_inputs_never_raise(capsys, tmp_path):
    """Mutated proof files give located errors or pass, never an exception."""
    rng = random.Random(2)
    srcs = [open(os.path.join(PROOFS, p), encoding="utf-8").read()
            for p in ("heap/swap.pv", "heap/counter.pv", "bench/spin_lock.pv")]
    for k, text in enumerate(srcs):
        for j, m in enumerate(_mutations(text, rng, 40)):
            f = write(tmp_path, m, f"m{k}_{j}.pv")
            code, out, err = run(["check", "-q", f], capsys)
            assert code in (0, 1), (m, err)
            if code == 1:
                assert ": error: " in err, err


def test_no_traceback_from_the_real_process(tmp_path):
    f = write(tmp_path, "Theorem (* unclosed\n")
    p = subprocess.run([sys.executable, "-m", "driver.cli", "check", f], capture_output=True,
                       text=True, cwd=ROOT)
    assert p.returncode == 1 and "Traceback" not in p.stderr and f"{f}:1:" in p.stderr
    p = subprocess.run([sys.executable, "-m", "driver.cli", "--help"], capture_output=True,
                       text=True, cwd=ROOT)
    assert p.returncode == 0 and "pv check" in p.stdout


def test_a_closed_pipe_is_not_an_internal_error():
    """`pv ... | head -1`: the reader goes away while pv still writes; pv stops quietly (the
    output here is larger than a pipe's buffer, so the write does fail)."""
    code = ("import driver.cli as c\n"
            "def lots():\n    for _ in range(10 ** 6):\n        print('x' * 60)\n    return 0\n"
            "c.main = lots\nc.entry()\n")
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait() == 0 and "internal error" not in err, err


def test_kernel_messages_show_terms_as_written(capsys, tmp_path):
    f = write(tmp_path, "Definition h (x : u64) : u64 := x + 1.\n"
                        "Definition k (x : u64) : u64 := x + true.\n")
    code, _, err = run(["check", f], capsys)
    assert code == 1 and "cannot prove the pure fact x + 1 < 2^64" in err
    assert "x + true: expected" in err and "App(" not in err


def test_a_command_s_own_parser_is_the_full_parser_s():
    """`driver.cli.parser` makes only the command argv names (start-up): the same arguments,
    defaults, help and errors as the parser of every command (made for argv without one)."""
    import contextlib
    import io
    from driver.cli import COMMANDS, parser
    full = parser([])
    sub = next(a for a in full._actions if a.dest == "cmd")
    assert sorted(sub.choices) == sorted(name for name, _, _, _ in COMMANDS)
    samples = {"check": ["a.pv", "-q", "--no-cache", "-j", "2", "--width", "40"],
               "recheck": ["c.json", "--allow-admit"], "cache": ["--clear"],
               "rules": ["--markdown"], "axioms": ["--width", "70"], "tactics": [],
               "repl": ["f.pv", "--until", "3"], "lsp": [], "goose": ["d", "-o", "m.pv"],
               "run": ["f.pv", "g", "1", "--seed", "3"]}
    for name, _, _, _ in COMMANDS:
        argv = [name] + samples[name]
        own = parser(argv)
        assert list(next(a for a in own._actions if a.dest == "cmd").choices) == [name]
        assert own.parse_args(argv) == full.parse_args(argv), name
        helps = []
        for p in (own, full):
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
                p.parse_args([name, "--help"])
            helps.append(out.getvalue())
        assert helps[0] == helps[1] and f"usage: pv {name}" in helps[0], name
    errs = []
    for p in (parser(["check", "--frob"]), full):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.suppress(SystemExit):
            p.parse_args(["check", "--frob", "x.pv"])
        errs.append(err.getvalue())
    assert errs[0] == errs[1] and "unrecognized arguments: --frob" in errs[0]


# (command, words drawn at random after it, seed, usual command lines, ones it leaves to argparse)
PLAIN_CASES = {
    "check": (["a.pv", "b", "proofs/", "-q", "--quiet", "--json", "--no-cache", "--trust-cache",
               "--allow-admit", "--width", "-j", "--jobs", "--certificate", "2", "40", "x",
               "-1", "--no-c", "--width=3", "-qj", "--", "-", "", "-h", "check", "1_0", "٣"], 7,
              (["check", "proofs/"], ["check", "-q", "--no-cache", "a.pv", "b.pv"],
               ["check", "--json", "x.pv", "-j", "2"], ["check", "--certificate", "c", "f"],
               ["check", "--width", "60", "--trust-cache", "f.pv", "--allow-admit"]),
              (["check"], ["check", "a", "-q", "b"], ["check", "--no-c", "a"],
               ["check", "-j", "x", "a"], ["check", "--width", "-3", "a"], ["rules"], [])),
    "repl": (["a.pv", "proofs/heap/swap.pv", "--until", "--width", "--no-cache", "14", "0",
              "-3", "x", "--until=3", "--no-c", "--", "-", "", "-h", "repl", "1_0", "٣", " 7"], 11,
             (["repl"], ["repl", "a.pv"], ["repl", "a.pv", "--until", "14"],
              ["repl", "--until", "14", "a.pv", "--no-cache"], ["repl", "--width", "60"]),
             (["repl", "a", "b"], ["repl", "--until"], ["repl", "--until", "x", "a"],
              ["repl", "--until=3", "a"], ["repl", "-h"], ["check", "a.pv"], [])),
}


@pytest.mark.parametrize("cmd", sorted(PLAIN_CASES))
def test_plain_arguments_parse_as_argparse_parses_them(cmd):
    """`driver.cli.plain_check_args` / `plain_repl_args` (no argparse at start-up) give
    argparse's namespace whenever they answer, and answer for the usual command lines."""
    from driver import cli
    plain = {"check": cli.plain_check_args, "repl": cli.plain_repl_args}[cmd]
    words, seed, usual, refused = PLAIN_CASES[cmd]
    full = cli.parser([cmd])
    rng = random.Random(seed)
    answered = 0
    for n in range(4000):
        argv = [cmd] + [rng.choice(words) for _ in range(rng.randrange(0, 6))]
        got = plain(argv)
        if got is None:
            continue
        answered += 1
        assert vars(got) == vars(full.parse_args(argv)), argv
    assert answered > 300
    for argv in usual:
        got = plain(argv)
        assert got is not None and vars(got) == vars(full.parse_args(argv)), argv
    for argv in refused:
        assert plain(argv) is None, argv


@pytest.mark.parametrize("argv", [["check", "--no-cache", "proofs/heap/swap.pv"],
                                  ["repl", "proofs/heap/swap.pv", "--until", "14", "--no-cache"]])
def test_argparse_is_not_imported_by_a_plain_command_line(argv):
    code = ("import sys, io, contextlib\nimport driver.cli as c\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    c.main({argv!r})\n"
            "print('argparse' in sys.modules)")
    p = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                       cwd=ROOT, stdin=subprocess.DEVNULL)
    assert p.returncode == 0 and p.stdout.split()[-1:] == ["False"], p.stderr
