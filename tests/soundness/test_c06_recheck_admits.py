"""Class 6 of issue 9: `pv recheck` replayed admitted entries as theorems and exited 0, and the
certificate `pv check --certificate` wrote for a file whose proof failed recorded it as
admitted.  Now a failed proof is recorded as failed (recheck reports it and fails, even with
--allow-admit), and recheck reports theorems, admits and errors exactly as `pv check` does, and
fails on admits unless --allow-admit."""
import json
import re

import pytest

from driver.cli import main

# an admitted false lemma, and False proven from it
ADMIT_FALSE = """\
Theorem bad : ⌜1 = 2⌝.
Admitted.
Theorem oops : False.
Proof. use bad as "H". destruct "H" as "%H". contradiction. Qed.
"""
# a proof that fails, one that is fine, a definition the kernel refuses
FAILED_PROOF = """\
Theorem wrong (n : nat) : ⌜n = n + 1⌝.
Proof. intros n. pure. Qed.
Theorem fine (n : nat) : ⌜n = n⌝.
Proof. intros n. pure. Qed.
Definition d (x : u64) : bool := x + 1.
"""


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def certify(tmp_path, capsys, text, name="f"):
    src, cert = tmp_path / f"{name}.pv", tmp_path / f"{name}.json"
    src.write_text(text, encoding="utf-8")
    check = run(["check", "--certificate", str(cert), str(src)], capsys)
    return str(src), str(cert), check


def _lines(out, path):
    """The per-theorem lines and the summary, without the path and the timings."""
    lines = [re.sub(r" \[\d+ ms\]$", "", ln.replace(path, "P")) for ln in out.splitlines()]
    return [re.sub(r"\d+ (file|certificate)s?, (.*) \([\d.]+ s\)$", r"N, \2", ln)
            for ln in lines]


def test_admitted_entries_fail_the_recheck_unless_allowed(tmp_path, capsys):
    src, cert, (code, out, _) = certify(tmp_path, capsys, ADMIT_FALSE)
    assert code == 1 and "oops: ok (rests on admitted f.bad)" in out
    code, rout, _ = run(["recheck", cert], capsys)
    assert code == 1
    assert "bad: ADMITTED" in rout and "oops: ok (rests on admitted f.bad)" in rout
    assert _lines(rout, cert) == _lines(out, src)
    code, rout, _ = run(["recheck", "--allow-admit", cert], capsys)
    assert code == 0 and "bad: ADMITTED" in rout and "rests on admitted f.bad" in rout


def test_an_admit_added_by_hand_is_reported(tmp_path, capsys):
    """A clean certificate with an admit appended (and a theorem resting on it) fails."""
    _, clean, (code, _, _) = certify(tmp_path, capsys, "Theorem t : True.\nProof. done. Qed.\n")
    assert code == 0
    _, dirty, _ = certify(tmp_path, capsys, ADMIT_FALSE, "g")
    data = json.load(open(clean, encoding="utf-8"))
    data["entries"] += json.load(open(dirty, encoding="utf-8"))["entries"]
    json.dump(data, open(clean, "w", encoding="utf-8"))
    code, out, _ = run(["recheck", clean], capsys)
    assert code == 1 and "ADMITTED" in out and out.splitlines()[-1].startswith("FAILED")


def test_a_failed_proof_never_replays(tmp_path, capsys):
    src, cert, (code, out, err) = certify(tmp_path, capsys, FAILED_PROOF)
    assert code == 1 and "wrong: FAILED" in out
    for e in json.load(open(cert, encoding="utf-8"))["entries"]:
        # nothing that replays records `wrong`: it is there only as failed
        assert e.get("call") == "failed" or "wrong" not in json.dumps(e), e
    for flags in ([], ["--allow-admit"]):
        code, rout, rerr = run(["recheck", *flags, cert], capsys)
        assert code == 1 and "wrong: FAILED" in rout and "fine: ok" in rout
        assert f"{cert}:" in rerr and ": error: " in rerr
    assert _lines(rout, cert) == _lines(run(["check", "--allow-admit", src], capsys)[1], src)


def test_recheck_summary_is_the_checks(tmp_path, capsys):
    """Same per-theorem lines and the same counts (proven, admitted, failed, errors)."""
    src, cert, (_, out, _) = certify(tmp_path, capsys, ADMIT_FALSE + FAILED_PROOF)
    code, rout, _ = run(["recheck", cert], capsys)
    assert code == 1
    assert _lines(rout, cert) == _lines(out, src)
    assert _lines(rout, cert)[-1] == "FAILED: N, 2 proven, 1 admitted, 1 failed, 2 errors"


def _help(cmd, capsys):
    """A command's help text and the flags its options section lists."""
    assert main([cmd, "--help"] if cmd else ["--help"]) == 0
    text = capsys.readouterr().out
    options = text[text.index("options:"):]
    return text, set(re.findall(r"^\s+(?:-\w(?: \S+)?, )?(--[\w-]+)", options, re.M))


@pytest.mark.parametrize("cmd", [None, "check", "recheck", "run", "goose", "repl", "rules",
                                 "cache"])
def test_help_names_only_flags_that_exist(cmd, capsys):
    """Every `--flag` a help text mentions exists: `pv OTHER --flag` among OTHER's options,
    any other among the command's own (for `pv --help`, among some command's)."""
    text, own = _help(cmd, capsys)
    if cmd is None:
        own = own.union(*(_help(c, capsys)[1] for c in ("check", "recheck", "run", "goose",
                                                          "repl", "rules", "cache")))
    for other, flag in re.findall(r"pv (\w+) (--[\w-]+)", text):
        assert flag in _help(other, capsys)[1], f"pv {other} has no {flag}"
    rest = re.sub(r"pv \w+ --[\w-]+", "", text)
    for flag in re.findall(r"--[\w-]+", rest):
        assert flag in own, f"pv {cmd or ''} has no {flag}"
