"""The ``pv`` command line.  Heavy modules are imported inside the subcommands so that
``pv --help`` stays fast."""
from __future__ import annotations

import os
import sys
import time
from driver.deep import deep

DESCRIPTION = """\
pv — a proof assistant for concurrent, crash-safe storage code written in Go,
after the Perennial logic (SOSP'19).

Every theorem in a .pv file is proven by a tactic script; the tactics build a
derivation and a small trusted kernel re-checks it from scratch before the
theorem is recorded.  `Print Assumptions name.` lists the semantics axioms and
admitted theorems a result rests on.
"""

EPILOG = """\
exit status: 0 everything proven, 1 a proof failed (or was admitted without
--allow-admit), 2 usage error.

examples:
  pv check proofs/                  check every .pv file below proofs/
  pv check --allow-admit draft.pv   accept admitted proofs (they are still listed)
  pv check -j 2 proofs/             check independent files in 2 processes
  pv cache --clear                  empty the proof cache
  pv rules                          the kernel's rules and their justifications
  pv goose proofs/wal -o proofs/wal/wal_goose.pv   translate a Go package
  pv run proofs/semantics/semantics_goose.pv semantics_testBreak   run a Function
  pv repl proofs/heap/swap.pv --until 14   prove interactively from line 14 on
  pv lsp                            the language server an editor starts (docs/editor.md)
"""


def _formatters() -> tuple:
    """argparse's formatters, told the terminal's width: argparse makes a formatter for every
    argument added and asks `shutil` for the width each time (importing shutil is ~3 ms of
    every start); the width is the one shutil would give.  (The top-level help keeps its
    description's and epilog's lines as written.)"""
    import argparse

    class Formatter(argparse.HelpFormatter):
        def __init__(self, prog, **kw):
            if kw.get("width") is None:
                kw["width"] = _columns() - 2        # as argparse does with shutil's answer
            super().__init__(prog, **kw)

    class RawFormatter(argparse.RawDescriptionHelpFormatter, Formatter):
        pass

    return Formatter, RawFormatter


def _columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else standard output's terminal, else
    80."""
    try:
        cols = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        cols = 0
    if cols <= 0:
        try:
            cols = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            cols = 0
    return cols or 80


def _check_args(c) -> None:
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--allow-admit", action="store_true",
                   help="do not fail on admitted proofs (they are still reported)")
    c.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")
    c.add_argument("--certificate", metavar="FILE",
                   help="write the kernel calls the check made (definitions, statements and "
                   "their derivations), in order, and what failed, to FILE (JSON; re-check it "
                   "with `pv recheck FILE`)")
    c.add_argument("--json", action="store_true",
                   help="print one JSON document (diagnostics with ranges and goals, theorems, "
                   "summary; docs/editor.md) instead of the text report")
    c.add_argument("--width", type=int, metavar="N",
                   help="lay goals out for N columns (default: the terminal's width)")
    c.add_argument("--no-cache", action="store_true",
                   help="neither use nor fill the proof cache (by default an unchanged "
                   "theorem's derivation is taken from the cache and re-checked by the kernel, "
                   "skipping its tactics; the cache is in $PV_CACHE_DIR, else "
                   "$XDG_CACHE_HOME/pv/proofs or ~/.cache/pv/proofs; docs/performance.md)")
    c.add_argument("--trust-cache", action="store_true",
                   help="record unchanged theorems from the cache without the kernel "
                   "re-checking them (reported as trusted, and counted in the summary)")
    c.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="check independent files (those sharing no Require) in N processes "
                   "(default: one per processor pv may use, at most 8, unless one group is nearly all "
                   "the work; -j 1: one process); "
                   "the output is that of -j 1")


def _recheck_args(rc) -> None:
    rc.add_argument("files", nargs="+", metavar="FILE")
    rc.add_argument("--allow-admit", action="store_true",
                    help="do not fail on admitted theorems (they are still reported)")
    rc.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")


def _cache_args(ca) -> None:
    ca.add_argument("--clear", action="store_true", help="remove every entry")


def _markdown_args(r) -> None:
    r.add_argument("--markdown", action="store_true", help="as the table of docs/kernel.md")


def _axioms_args(ax) -> None:
    ax.add_argument("--width", type=int, metavar="N",
                    help="lay them out for N columns (default: the terminal's width, or 100)")


def _tactics_args(t) -> None:
    t.add_argument("--markdown", action="store_true", help="as the table of docs/tactics.md")


def _repl_args(rp) -> None:
    rp.add_argument("file", nargs="?", metavar="FILE")
    rp.add_argument("--until", type=int, metavar="LINE",
                    help="run only the commands that start at or before LINE")
    rp.add_argument("--width", type=int, metavar="N",
                    help="lay goals out for N columns (default: the terminal's width, "
                    "followed as it changes)")
    rp.add_argument("--no-cache", action="store_true",
                    help="run the tactics of every theorem before LINE (by default an unchanged "
                    "one's derivation is taken from the proof cache and re-checked by the kernel)")


def _goose_args(g) -> None:
    g.add_argument("package", metavar="DIR")
    g.add_argument("-o", "--output", metavar="FILE.pv", help="write the model to FILE.pv "
                   "(default: standard output)")
    g.add_argument("--prefix", metavar="P", help="prefix of the Function names (default: the "
                   "Go package name and _)")
    g.add_argument("--no-go-check", action="store_true", help="do not compile the package with "
                   "the Go toolchain (by default a package gc rejects is refused with gc's "
                   "message)")


def _run_args(ru) -> None:
    ru.add_argument("file", metavar="FILE.pv")
    ru.add_argument("func", metavar="FUNC")
    ru.add_argument("args", nargs="*", metavar="ARG")
    ru.add_argument("--seed", type=int, default=0, help="seed of the scheduler and of map "
                    "iteration order (default 0)")
    ru.add_argument("--max-steps", type=int, default=10_000_000, metavar="N",
                    help="give up after N scheduling steps (default 10000000)")
    ru.add_argument("--disk-blocks", type=int, default=32, metavar="N",
                    help="size of the in-memory disks (default 32 blocks)")


# (name, help, description or None, the function adding its arguments or None)
COMMANDS = (
    ("check", "check .pv files and directories (recursively)",
     "Check every theorem of the given .pv files and of the .pv files below the given "
     "directories.  A theorem unchanged since a check that proved it takes its derivation "
     "from the proof cache (the kernel still re-checks it; its tactics do not run).",
     _check_args),
    ("recheck", "re-check certificates with the kernel alone",
     "Replay certificates written by `pv check --certificate` through the kernel alone (no "
     "parser, no tactics), and report the theorems as `pv check` does.", _recheck_args),
    ("cache", "the proof cache: where it is, how big, or empty it",
     "The proof cache `pv check` keeps (derivations of proven theorems by a hash of their "
     "content; docs/performance.md): print its directory, entries and size, or remove every "
     "entry.", _cache_args),
    ("rules", "print the kernel's rule table with justifications", None, _markdown_args),
    ("axioms", "print the semantics axioms the kernel is given", None, _axioms_args),
    ("tactics", "list the tactics with a line of help each", None, _tactics_args),
    ("repl", "interactive proof mode (load a file and go on from there)",
     "Load FILE (optionally only up to line LINE: an unfinished theorem there is entered in "
     "proof mode at the point reached; so is a proof the file ends in, still without Qed) "
     "and read commands and tactics interactively; without "
     "a terminal, read them from standard input.", _repl_args),
    ("lsp", "run the language server (LSP over stdin/stdout) for editors",
     "Serve the Language Server Protocol on standard input and output: diagnostics, the goal "
     "at the cursor (hover and pv/goalAt), go-to-definition and completion for .pv files "
     "(docs/editor.md).", None),
    ("goose", "translate a Go package into a .pv model",
     "Translate the Go package in DIR (all its .go files but the tests; or one .go file) into "
     "core-language Functions, one per Go function.  Go outside the supported subset is "
     "reported with its position, and so is Go that gc does not compile (go build judges "
     "what the translator accepts).", _goose_args),
    ("run", "run a Function of a .pv file in the interpreter",
     "Load FILE (and what it Requires; proofs are not checked), run FUNC on the given "
     "arguments (pv values: 42, true, \"s\") in the interpreter of the core language, and "
     "print the result.", _run_args),
)


def parser(argv):
    """The command line's parser (argparse), for ``argv``.  When ``argv`` starts with a
    command, only that command's parser is made (argparse does not look at the others then):
    a `pv check` does not pay for making the rest (~6 ms of every start).  Otherwise
    (``--help``, a typo, no command) every command is made, with all its arguments."""
    import argparse
    from driver import __version__
    formatter, raw_formatter = _formatters()
    wanted = argv[0] if argv and argv[0] in {name for name, _, _, _ in COMMANDS} else None
    p = argparse.ArgumentParser(prog="pv", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=raw_formatter)
    p.add_argument("--version", action="version", version=f"pv {__version__}")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND")
    for name, help, description, add_args in COMMANDS:
        if wanted not in (None, name):
            continue
        kw = {} if description is None else {"description": description}
        c = sub.add_parser(name, help=help, formatter_class=formatter, **kw)
        if add_args is not None:
            add_args(c)
    return p


# `pv check`'s options as `_check_args` declares them: flags, and options taking one value
_CHECK_FLAGS = {"--allow-admit": "allow_admit", "-q": "quiet", "--quiet": "quiet",
                "--json": "json", "--no-cache": "no_cache", "--trust-cache": "trust_cache"}
_CHECK_VALUES = {"--certificate": ("certificate", str), "--width": ("width", int),
                 "-j": ("jobs", int), "--jobs": ("jobs", int)}
_CHECK_DEFAULTS = {"cmd": "check", "paths": None, "allow_admit": False, "quiet": False,
                   "certificate": None, "json": False, "width": None, "no_cache": False,
                   "trust_cache": False, "jobs": None}


_BAD = object()


def _value(words, conv):
    """The next word as an option's value, converted; ``_BAD`` if there is none, it starts with
    ``-`` or does not convert (argparse then reads the command line, and says what is wrong)."""
    v = next(words, None)
    if v is None or v.startswith("-"):
        return _BAD
    try:
        return conv(v)
    except ValueError:
        return _BAD


def plain_check_args(argv):
    """The arguments of ``pv check ...`` when they are plain -- options spelled out in full,
    each value its own word not starting with ``-``, the paths in one run -- as argparse
    would parse them, or None (then argparse parses them, and reports what is wrong): importing
    and setting up argparse is ~5 ms of every start.  tests/test_cli.py compares the two."""
    if not argv or argv[0] != "check":
        return None
    ns = dict(_CHECK_DEFAULTS)
    words = iter(argv[1:])
    paths, ended = [], False            # ended: a run of paths was followed by an option
    for w in words:
        if w in _CHECK_FLAGS:
            ns[_CHECK_FLAGS[w]] = True
        elif w in _CHECK_VALUES:
            dest, conv = _CHECK_VALUES[w]
            ns[dest] = _value(words, conv)
            if ns[dest] is _BAD:
                return None
        elif w.startswith("-") or ended:
            return None
        else:
            paths.append(w)
            continue
        ended = bool(paths)
    if not paths:
        return None
    import types
    ns["paths"] = paths
    return types.SimpleNamespace(**ns)


# `pv repl`'s options as `_repl_args` declares them: (destination, conversion or None for a flag)
_REPL_OPTIONS = {"--until": ("until", int), "--width": ("width", int),
                 "--no-cache": ("no_cache", None)}


def plain_repl_args(argv):
    """`plain_check_args` for ``pv repl [FILE] [--until LINE] [--width N] [--no-cache]``
    (options spelled out in full, values their own words not starting with ``-``), or None:
    argparse is ~15 M instructions (~4 ms) of the REPL's time to its first prompt."""
    if not argv or argv[0] != "repl":
        return None
    ns = {"cmd": "repl", "file": None, "until": None, "width": None, "no_cache": False}
    words = iter(argv[1:])
    for w in words:
        if w in _REPL_OPTIONS:
            dest, conv = _REPL_OPTIONS[w]
            if conv is None:
                ns[dest] = True
                continue
            ns[dest] = _value(words, conv)
            if ns[dest] is _BAD:
                return None
        elif w.startswith("-") or ns["file"] is not None:
            return None
        else:
            ns["file"] = w
    import types
    return types.SimpleNamespace(**ns)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = plain_check_args(argv) or plain_repl_args(argv)
    if args is None:
        p = parser(argv)
        try:
            args = p.parse_args(argv)
        except SystemExit as e:
            return int(e.code or 0)
    if args.cmd is None:
        p.print_help()
        return 2
    try:
        if args.cmd == "check":
            return deep(cmd_check, args)
        if args.cmd == "recheck":
            return deep(cmd_recheck, args)
        if args.cmd == "cache":
            return cmd_cache(args)
        if args.cmd == "rules":
            return cmd_rules(args.markdown)
        if args.cmd == "axioms":
            return cmd_axioms(args.width)
        if args.cmd == "tactics":
            print(tactics_markdown() if args.markdown else tactics_text())
            return 0
        if args.cmd == "repl":
            from repl.app import main as repl_main
            return repl_main(args)
        if args.cmd == "lsp":
            from lsp.server import main as lsp_main
            return lsp_main()
        if args.cmd == "goose":
            return cmd_goose(args)
        if args.cmd == "run":
            return deep(cmd_run, args)
    except KeyboardInterrupt:
        print("pv: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        print("pv: error: input nested too deeply", file=sys.stderr)
        return 1
    return 2


def collect(paths) -> tuple[list, list]:
    files, missing = [], []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".pv")]
        elif os.path.isfile(path):
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def default_jobs() -> int:
    """One process per processor this one may run on (its affinity), at most 8: what `make -j`
    users set by hand and dune, lake and cargo do by themselves."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


def cmd_check(args) -> int:
    files, missing = collect(args.paths)
    for m in missing:
        print(f"pv: error: no such file or directory: {m}", file=sys.stderr)
    if missing:
        return 2
    if not files:       # an empty folder (or a typo in a glob) must not pass green
        print(f"pv: error: no .pv files in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    auto = args.jobs is None
    if auto:
        args.jobs = default_jobs()
    if args.jobs < 1:
        print("pv: error: -j takes a number of processes, 1 or more", file=sys.stderr)
        return 2
    from driver.check import check_files, check_parallel
    t0 = time.perf_counter()
    from tactics.display import terminal_width
    tty = None if args.json else terminal_width(sys.stderr)
    args.width = max(args.width or tty or 76, 30)

    def emit(stream, line):
        print(line, file=sys.stderr if stream == "err" else sys.stdout, flush=True)

    if args.jobs > 1:
        chunks, totals = check_parallel(files, args, args.jobs, emit, unless_small=auto)
    else:
        chunks, totals = check_files(files, range(len(files)), args, emit)
    results = [r for c in chunks for r in c.results]
    diagnostics = [d for c in chunks for d in c.diagnostics]
    if args.certificate:
        from driver.certificate import Recorder
        recorder = Recorder()
        recorder.entries = [e for c in chunks for e in c.entries]
        for d in diagnostics:     # so that a replay fails as this check does
            recorder.error(f"{d.path}:{d.line}:{d.col}: {d.message}")
        try:
            recorder.dump(args.certificate, " ".join(args.paths))
        except OSError as e:
            print(f"pv: error: cannot write {args.certificate}: {e.strerror}", file=sys.stderr)
            return 2
    seconds = time.perf_counter() - t0
    ok, line = summary(results, totals.files, "file", len(diagnostics), args.allow_admit,
                       seconds)
    if args.json:
        import json
        from driver.diagnostics_json import report
        from driver.check import Run
        run = Run(totals.loaded, totals.unreadable, diagnostics, results)
        print(json.dumps(report(run, args.paths, ok, line, seconds,
                                [x for c in chunks for x in c.output]),
                         ensure_ascii=False, indent=1))
    else:
        print(line)
    return 0 if ok else 1


def theorem_line(r) -> str:
    """How `pv check` and `pv recheck` report one theorem (a `driver.load.TheoremResult`)."""
    mark = {"proved": "ok", "admitted": "ADMITTED", "failed": "FAILED",
            "trusted": "trusted (from the cache, not re-checked by the kernel)"}[r.status]
    failed = [a for a in r.admits if a in r.failed]
    admitted = [a for a in r.admits if a != r.name and a not in r.failed]
    parts = ([f"admitted {', '.join(admitted)}"] if admitted else []) + (
        [f"failed {', '.join(failed)}"] if failed else []) + (
        [f"trusted {', '.join(r.unchecked)} (not re-checked)"] if r.unchecked else [])
    extra = f" (rests on {'; '.join(parts)})" if r.status in ("proved", "trusted") and \
        parts else ""
    return f"{r.path}: {r.name}: {mark}{extra} [{r.seconds * 1000:.0f} ms]"


def summary(results, n_files, noun, errors, allow_admit, seconds) -> tuple:
    """(ok, the summary line): failed on any error or failed theorem, and on admits (also
    those a proven theorem rests on) unless ``allow_admit``."""
    proved = sum(r.status == "proved" for r in results)
    admitted = sum(r.status == "admitted" for r in results)
    failed = sum(r.status == "failed" for r in results)
    trusted = sum(r.status == "trusted" for r in results)
    tainted = sum(r.status in ("proved", "trusted") and bool(r.admits) for r in results)
    ok = errors == 0 and failed == 0 and (allow_admit or (admitted == 0 and tainted == 0))
    plural = lambda n, w: f"{n} {w}{'s' * (n != 1)}"  # noqa: E731
    unchecked = (f"{trusted} trusted from the cache (not re-checked by the kernel), "
                 if trusted else "")
    return ok, (f"{'OK' if ok else 'FAILED'}: {plural(n_files, noun)}, {proved} proven, "
                f"{unchecked}{admitted} admitted, {failed} failed, {plural(errors, 'error')} "
                f"({seconds:.2f} s)")


def rules_markdown() -> str:
    from kernel.rules import RULES
    rows = ["| rule | justification (Iris / Perennial / Goose) |", "|---|---|"]
    rows += [f"| `{n}` | {r.justification.replace('|', '∣')} |" for n, r in RULES.items()]
    return "\n".join(rows)


def _tactic_rows():
    from tactics.script import TACTIC_HELP, TACTICS
    for name in sorted(TACTICS):
        usage, _, what = TACTIC_HELP.get(name, f"{name} — (synonym)").partition(" — ")
        yield name, usage, what


def tactics_text() -> str:
    return "\n".join(f"{u:44} {w}" for _, u, w in _tactic_rows())


def tactics_markdown() -> str:
    rows = ["| tactic | use | what it does |", "|---|---|---|"]
    rows += [f"| `{n}` | `{u.replace('|', '∣')}` | {w.replace('|', '∣')} |"
             for n, u, w in _tactic_rows()]
    return "\n".join(rows)


def cmd_recheck(args) -> int:
    """Each certificate in a fresh kernel; theorems, admits and errors reported (and the exit
    status decided) as `pv check` does."""
    import json
    from driver.certificate import parse, position, replay
    from driver.load import TheoremResult, make_kernel
    t0 = time.perf_counter()
    results, errors = [], 0

    def error(f, at, msg):
        nonlocal errors
        errors += 1
        print(f"{f}:{at[0]}:{at[1]}: error: {msg}", file=sys.stderr, flush=True)

    for f in args.files:
        try:
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as e:
            error(f, (1, 1), f"cannot read certificate: {getattr(e, 'strerror', None) or e}")
            continue
        try:
            data, offsets = parse(text)
        except json.JSONDecodeError as e:
            error(f, (e.lineno, e.colno), f"not a certificate (JSON): {e.msg}")
            continue
        except RecursionError:
            error(f, (1, 1), "not a certificate: nested too deeply")
            continue

        failed = set()       # theorems whose proof failed: never called admitted

        def on_outcome(o, f=f, offsets=offsets, text=text, failed=failed):
            at = position(text, offsets[o.index]) if 0 <= o.index < len(offsets) else (1, 1)
            if o.error is not None:
                error(f, at, o.error)
                return
            if o.status == "failed":
                failed.add(o.name)
            r = TheoremResult(f, o.name.rpartition('.')[2], at[0], o.status, o.seconds,
                              o.axioms, o.admits, [a for a in o.admits if a in failed])
            results.append(r)
            if not args.quiet:
                print(theorem_line(r), flush=True)

        replay(make_kernel(), data, on_outcome)
    ok, line = summary(results, len(args.files), "certificate", errors, args.allow_admit,
                       time.perf_counter() - t0)
    print(line)
    return 0 if ok else 1


def cmd_cache(args) -> int:
    from driver.cache import cache_dir, clear, entries
    root = cache_dir()
    if args.clear:
        n = clear(root)
        print(f"removed {n} entr{'y' if n == 1 else 'ies'} from {root}")
        return 0
    found = entries(root)
    size = sum(e[1] for e in found)
    print(f"{root}: {len(found)} entr{'y' if len(found) == 1 else 'ies'}, "
          f"{size / 2 ** 20:.1f} MB")
    return 0


def cmd_rules(markdown=False) -> int:
    from kernel.rules import RULES
    if markdown:
        print(rules_markdown())
        return 0
    for name, r in RULES.items():
        print(f"{name:16} {r.justification}")
    return 0


def cmd_axioms(width=None) -> int:
    from driver.axioms import show_axiom
    from driver.load import make_kernel
    from tactics.display import terminal_width
    from kernel.wf import KernelError
    width = max(width or terminal_width() or 100, 40)
    table = make_kernel().axioms
    try:        # the kernel checks the axioms a proof uses when it uses them; here, all
        axs = [table[name] for name in table]
    except KernelError as e:
        print(f"pv: error: a semantics axiom is ill-formed: {e}", file=sys.stderr)
        return 1
    for ax in axs:
        print(show_axiom(ax, width))
    return 0


def cmd_goose(args) -> int:
    from goose import GooseError, go_check, go_files, translate_package
    if not os.path.exists(args.package):
        print(f"pv: error: no such file or directory: {args.package}", file=sys.stderr)
        return 2
    try:
        text = translate_package(args.package, prefix=args.prefix)
        # the toolchain judges what the translator accepted (goose/gocheck.py)
        note = None if args.no_go_check else go_check(go_files(args.package))
    except GooseError as e:
        print(e, file=sys.stderr)
        return 1
    if note is not None:
        print(f"pv: note: {note}", file=sys.stderr)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        print(f"pv: error: cannot write {args.output}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


def load_functions(path: str) -> dict:
    """The Functions of a .pv file and of the files it Requires (parsed, not checked):
    name -> (params, body, path, pos).  Raises ValueError with a located message."""
    from seplogic.document import FunctionDef, Require
    from seplogic.parser import PVSyntaxError, parse_file
    funcs: dict = {}
    seen: set = set()

    def load(p, where):
        ap = os.path.abspath(p)
        if ap in seen:
            return
        seen.add(ap)
        try:
            with open(p, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise ValueError(f"{where}error: cannot read {p}: "
                             f"{getattr(e, 'strerror', None) or e}") from None
        try:
            doc = parse_file(text, p)
        except PVSyntaxError as e:
            raise ValueError(f"{p}:{e.line}:{e.col}: error: {e.message}") from None
        for cmd in doc.commands:
            if type(cmd) is Require:
                load(os.path.join(os.path.dirname(p), cmd.path),
                     f"{p}:{cmd.pos.line}:{cmd.pos.col}: ")
            elif type(cmd) is FunctionDef:
                if cmd.name in funcs:
                    raise ValueError(f"{p}:{cmd.pos.line}:{cmd.pos.col}: error: "
                                     f"{cmd.name} is already defined")
                funcs[cmd.name] = (cmd.params, cmd.body, p, cmd.pos)
    load(path, "pv: ")
    return funcs


def cmd_run(args) -> int:
    from seplogic.parser import PVSyntaxError, parse_term
    from theories.interp import Machine, Stuck, term_value
    try:
        funcs = load_functions(args.file)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 1
    if args.func not in funcs:
        near = sorted(n for n in funcs if n.endswith("_" + args.func))
        hint = f" (did you mean {' or '.join(near)}?)" if near else ""
        print(f"pv: error: {args.file} defines no Function {args.func}{hint}", file=sys.stderr)
        return 1
    params, _, fpath, pos = funcs[args.func]
    where = f"{fpath}:{pos.line}:{pos.col}"
    if len(args.args) != len(params):
        print(f"{where}: error: {args.func} takes {len(params)} argument"
              f"{'s' * (len(params) != 1)}, given {len(args.args)}", file=sys.stderr)
        return 1
    values = []
    for i, a in enumerate(args.args, 1):
        try:
            values.append(term_value(parse_term(a)))
        except (PVSyntaxError, Stuck):
            print(f"pv: error: argument {i} ({a!r}) is not a value (a number, true, false, "
                  f"a \"string\", () or a pair)", file=sys.stderr)
            return 1
    m = Machine({n: (f[0], f[1]) for n, f in funcs.items()}, seed=args.seed,
                max_steps=args.max_steps)
    m.disk_blocks = args.disk_blocks
    try:
        result = m.run(args.func, values)
    except Stuck as e:
        print(f"{where}: error: {args.func} is stuck: {e}", file=sys.stderr)
        return 1
    except RecursionError:
        print(f"{where}: error: {args.func}: recursion too deep", file=sys.stderr)
        return 1
    print(m.format(result))
    return 0


def entry() -> None:
    """The console script: whatever happens, no Python traceback reaches the user."""
    try:
        code = main()
    except BrokenPipeError:     # the reader went away (pv axioms | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except Exception as e:  # a bug in pv, not in the input: say so briefly
        print(f"pv: internal error: {type(e).__name__}: {e}\n(please report this with the "
              "input that caused it)", file=sys.stderr)
        code = 70
    if sys.argv[1:2] in (["check"], ["recheck"]) and _nothing_left_at_exit():
        _leave_now(code)
    sys.exit(code)


def _nothing_left_at_exit() -> bool:
    """No exit handler registered (multiprocessing's for ``-j``, a coverage tool's, a site
    hook's) and no other thread that Python's exit would wait for."""
    import atexit
    if atexit._ncallbacks():
        return False
    threading = sys.modules.get("threading")
    return threading is None or not (threading._threading_atexits or any(
        t.is_alive() and not t.daemon for t in threading.enumerate()
        if t is not threading.main_thread()))


def _leave_now(code: int) -> None:
    """Exit without Python's teardown, which frees every object of the run one by one (~8 ms
    of a spin-lock check): everything pv writes is written and closed by now (the proof cache
    and certificates with ``with``), so only the standard streams need flushing."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:             # (a closed pipe, a full disk) the ordinary exit deals with it
        return
    os._exit(code)


if __name__ == "__main__":
    from driver import use_bytecode_cache
    use_bytecode_cache()
    entry()
