"""`pv repl`'s command line read without argparse (driver.cli.plain_repl_args): the same
namespace as argparse's whenever it answers, and an answer for the usual command lines."""
import random
import subprocess
import sys
import os

from driver.cli import parser, plain_repl_args

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_plain_repl_arguments_parse_as_argparse_parses_them():
    full = parser(["repl"])
    words = ["a.pv", "proofs/heap/swap.pv", "--until", "--width", "--no-cache", "14", "0",
             "-3", "x", "--until=3", "--no-c", "--", "-", "", "-h", "repl", "1_0", "٣", " 7"]
    rng = random.Random(11)
    answered = 0
    for _ in range(4000):
        argv = ["repl"] + [rng.choice(words) for _ in range(rng.randrange(0, 6))]
        got = plain_repl_args(argv)
        if got is None:
            continue
        answered += 1
        assert vars(got) == vars(full.parse_args(argv)), argv
    assert answered > 300
    for argv in (["repl"], ["repl", "a.pv"], ["repl", "a.pv", "--until", "14"],
                 ["repl", "--until", "14", "a.pv", "--no-cache"], ["repl", "--width", "60"]):
        got = plain_repl_args(argv)
        assert got is not None and vars(got) == vars(full.parse_args(argv)), argv
    for argv in (["repl", "a", "b"], ["repl", "--until"], ["repl", "--until", "x", "a"],
                 ["repl", "--until=3", "a"], ["repl", "-h"], ["check", "a.pv"], []):
        assert plain_repl_args(argv) is None, argv


def test_argparse_is_not_imported_by_a_plain_repl_command_line():
    code = ("import sys, io, contextlib\nimport driver.cli as c\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    c.main(['repl', 'proofs/heap/swap.pv', '--until', '14', '--no-cache'])\n"
            "print('argparse' in sys.modules)")
    p = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                       cwd=ROOT, stdin=subprocess.DEVNULL)
    assert p.returncode == 0 and p.stdout.split()[-1:] == ["False"], p.stderr
