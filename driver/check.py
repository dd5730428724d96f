"""`pv check`'s run: a session over the given files, reported file by file, and ``-j N``.

A run is cut into one `Chunk` per file named on the command line: what checking it printed
(its theorems, and those of the files it loads first through Require), its results,
diagnostics and certificate entries.  ``-j N`` checks *groups* of files in N processes: a
group is closed under Require (followed through the files' text, over-approximately) and holds
every file of a module name it uses, so no two groups share a file, a kernel name or a module
name, and each group's session does what the one session of ``-j 1`` does for those files.  The
chunks are then printed in the files' order: the output, certificate and exit status are those
of ``-j 1``.
"""
from __future__ import annotations

import os
import re

from seplogic.record import dataclass, field


@dataclass
class Chunk:
    """What checking one file named on the command line gave."""
    index: int
    events: list = field(default_factory=list)        # (stream, line): "out" or "err"
    results: list = field(default_factory=list)       # driver.load.TheoremResult
    diagnostics: list = field(default_factory=list)   # driver.load.Diagnostic
    output: list = field(default_factory=list)        # Print lines (for --json)
    entries: list = field(default_factory=list)       # certificate entries


@dataclass
class Totals:
    """The parts of a run that are not per file."""
    files: int = 0                                    # files loaded (or unreadable)
    loaded: dict = field(default_factory=dict)        # abspath -> Document (for --json spans)
    unreadable: set = field(default_factory=set)
    paths: set = field(default_factory=set)           # every file loaded (or unreadable)


@dataclass
class Run:
    """A whole run as `driver.diagnostics_json.report` reads a session."""
    loaded: dict
    unreadable: set
    diagnostics: list
    results: list


def check_files(files, indices, opts, emit=None, preload=()) -> tuple:
    """Check ``files`` (the command line's files ``indices``) in one session; (chunks,
    totals).  ``emit(stream, line)`` prints as the check goes (else chunks keep the lines).
    ``preload``: files loaded first, as ``-j 1`` loads them, whose chunks are dropped (another
    process reports them)."""
    from driver.cli import theorem_line
    from driver.load import Session
    chunk = None

    def out(stream, line):
        chunk.events.append((stream, line))
        if emit is not None and chunk.index is not None:     # (a preload's chunk is dropped)
            emit(stream, line)

    def on_theorem(r):
        if not opts.quiet and not opts.json:
            out("out", theorem_line(r))

    recorder = None
    if opts.certificate:
        from driver.certificate import Recorder
        recorder = Recorder()
    cache = None
    if not opts.no_cache:
        from driver.cache import ProofCache
        cache = ProofCache(trust=opts.trust_cache)
    session = Session(on_theorem=on_theorem, recorder=recorder, cache=cache)
    session.width = opts.width
    shown, chunks = set(), []
    for i, f in [(None, p) for p in preload] + list(zip(indices, files)):
        chunk = Chunk(i)
        if i is not None:
            chunks.append(chunk)
        n_diag, n_res = len(session.diagnostics), len(session.results)
        n_entries = len(recorder.entries) if recorder else 0
        session.load_file(f)
        chunk.results = session.results[n_res:]
        chunk.diagnostics = session.diagnostics[n_diag:]
        chunk.entries = recorder.entries[n_entries:] if recorder else []
        if opts.json:
            chunk.output = list(session.output)
        else:
            for d in chunk.diagnostics:
                key = (d.path, d.line, d.col, d.message)
                if key not in shown:
                    shown.add(key)
                    out("err", d.render())
            if not opts.quiet:          # -q: only errors and the summary
                for line in session.output:
                    out("out", line)
        session.output.clear()
    totals = Totals(len(session.loaded) + len(session.unreadable),
                    dict(session.loaded) if opts.json else {}, set(session.unreadable),
                    set(session.loaded) | set(session.unreadable))
    if cache is not None and cache.stored:
        cache.prune()
    return chunks, totals


# ---- -j N ------------------------------------------------------------------------------

_REQUIRE = re.compile(r'Require\s*"((?:[^"\\\n]|\\.)*)"')   # (read with comments blanked)


# a file that may be loaded by several processes: no Require (nothing else comes with it) and
# nothing to check (loading it twice costs a parse; it prints no theorem)
_WORK = re.compile(r"\b(Require|Theorem|Lemma|Proof|Admitted|Refinement)\b")


def groups(files) -> list:
    """The command line's file indices in groups, each in the files' order, groups by their
    first file: see `plan`."""
    return [g for g, _ in plan(files)]


def plan(files) -> list:
    """[(group, prerequisites)]: the command line's file indices in groups that share no file
    (through Require, read from each file's text with its comments blanked, as the parser reads
    it, wherever the word occurs: in a string too, more than the parser sees, never less) and no
    module name, each with the files of other groups its process
    loads first, silently.  A file f's requirement p is such a prerequisite only if p is a
    command-line file before f (so ``-j 1`` has loaded it, in its own chunk, before f's) that
    requires nothing and checks nothing (`_WORK`); every other requirement joins f's group."""
    from driver.modules import module_name
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)

    index: dict = {}
    for i, f in enumerate(files):
        index.setdefault(os.path.abspath(f), i)     # (named again, a file loads nothing)
    requires: dict = {}            # abspath -> the abspaths its text requires (unreadable: none)
    leaf: dict = {}

    def read(ap):
        if ap not in requires:
            try:
                with open(ap, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            except OSError:
                requires[ap], leaf[ap] = (), False
                return ()
            from seplogic.parser import PVSyntaxError, blank_comments
            try:
                text = blank_comments(text)       # as the parser reads it
            except PVSyntaxError:                 # an unclosed comment or string: one group
                raise _Escape from None
            ms = [m.group(1) for m in _REQUIRE.finditer(text)]
            if any("\\" in m for m in ms):    # an escape the parser decodes: do not guess
                raise _Escape
            requires[ap] = [os.path.abspath(os.path.join(os.path.dirname(ap), m)) for m in ms]
            leaf[ap] = not _WORK.search(text)
        return requires[ap]

    pre: dict = {}                 # command-line index -> its prerequisites' indices
    maybe: list = []
    try:
        for f in files:
            root = os.path.abspath(f)
            seen, todo = set(), [root]
            while todo:
                ap = todo.pop()
                if ap in seen:
                    continue
                seen.add(ap)
                union(ap, "module " + module_name(ap))
                for target in read(ap):
                    read(target)
                    if leaf[target] and index.get(target, len(files)) < index[root]:
                        maybe.append((root, target))
                    else:
                        union(ap, target)
                        todo.append(target)
    except _Escape:
        return [(list(range(len(files))), [])]
    from collections import Counter
    stems = Counter(module_name(ap) for ap in requires)
    for root, target in maybe:     # a module name another file has: its name is the session's
        if stems[module_name(target)] > 1:
            union(root, target)
        else:
            pre.setdefault(index[root], set()).add(index[target])
    by_root: dict = {}
    for i, f in enumerate(files):
        by_root.setdefault(find(os.path.abspath(f)), []).append(i)
    out = []
    for g in sorted(by_root.values()):
        mine = set(g)
        out.append((g, sorted({p for i in g for p in pre.get(i, ())} - mine)))
    return out


class _Escape(Exception):
    """A Require whose path has an escape, or a file the parser cannot read: no split."""


def _work(files, indices, opts, preload):
    from driver.deep import deep
    return deep(check_files, files, indices, opts, None, preload)


def check_parallel(files, opts, jobs: int, emit, unless_small=False) -> tuple:
    """``check_files`` over `groups` in ``jobs`` processes; chunks are emitted in the files'
    order as soon as every earlier one is in.  ``unless_small`` (the default -j): one process
    when the files outside the largest group are under a quarter of the text, so that the
    processes' start (~40 ms) could not pay for itself."""
    parts = plan(files) if len(files) > 1 and jobs > 1 else []
    sizes = [sum(_size(files[i]) for i in p) for p, _ in parts]
    if len(parts) < 2 or unless_small and 4 * (sum(sizes) - max(sizes)) < sum(sizes):
        # (multiprocessing not even imported: a plain run exits quickly)
        return check_files(files, range(len(files)), opts, emit)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    import driver.load  # noqa: F401  (imported once here, not in every process)
    try:
        context = multiprocessing.get_context("fork")    # the workers inherit pv's imports
    except ValueError:                                  # no fork here: one process
        return check_files(files, range(len(files)), opts, emit)
    order = sorted(range(len(parts)), key=lambda g: -sizes[g])     # the biggest first
    ready, totals, nxt = {}, Totals(), 0
    with ProcessPoolExecutor(min(jobs, len(parts)), mp_context=context) as pool:
        futures = [pool.submit(_work, [files[i] for i in parts[g][0]], parts[g][0], opts,
                               [files[i] for i in parts[g][1]]) for g in order]
        for fut in as_completed(futures):
            chunks, t = fut.result()
            totals.paths |= t.paths         # (a prerequisite is loaded by several)
            totals.files = len(totals.paths)
            totals.loaded.update(t.loaded)
            totals.unreadable |= t.unreadable
            for c in chunks:
                ready[c.index] = c
            while nxt in ready:
                for stream, line in ready[nxt].events:
                    emit(stream, line)
                nxt += 1
    return [ready[i] for i in range(len(files))], totals


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
