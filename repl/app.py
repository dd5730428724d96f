"""`pv repl`: the terminal user interface (prompt_toolkit) and the non-interactive mode.

Enter runs the input when it ends with a complete sentence (the parser accepts it, see
`repl/sentences.py`) and otherwise starts a new line; Alt-Enter (Esc Enter) always starts a new
line.  Tab completes commands, tactics, defined names and the hypotheses of the current goal.
Ctrl-C abandons the input, Ctrl-D (on an empty input) leaves.  History is kept in
``~/.pv_history`` (or ``$PV_HISTORY``).

When standard input is not a terminal, sentences are read from it and the same output is
printed, without prompts; the exit status is 1 when a sentence failed.
"""
from __future__ import annotations

import gc
import os
import sys

from .engine import ReplEngine
from tactics.display import terminal_width
from driver.deep import deep

__all__ = ["main", "run_interactive", "run_batch", "make_session", "history_path"]


BANNER = ("pv repl: sentences end with '.'; Undo, Back N, Restart, Abort, Show, Check, Print, "
          "Search, About, Quit.\nTab completes, Alt-Enter starts a new line, Ctrl-C abandons "
          "the input, Ctrl-D leaves.")


def history_path() -> str:
    return os.environ.get("PV_HISTORY") or os.path.join(os.path.expanduser("~"), ".pv_history")


def main(args) -> int:
    """Entry point of ``pv repl [FILE] [--until LINE]``."""
    if args.file is not None and not os.path.isfile(args.file):
        print(f"pv: error: no such file: {args.file}", file=sys.stderr)
        return 2
    if args.until is not None and args.file is None:
        print("pv: error: --until needs a FILE", file=sys.stderr)
        return 2
    interactive = sys.stdin.isatty()
    fixed = getattr(args, "width", None)
    width = max(fixed or (terminal_width() if interactive else None) or 72, 30)
    collecting = gc.isenabled()
    gc.disable()                    # until start-up is over (`_settle`)
    try:
        # loading and every step run on a deep stack (driver.deep); Ctrl-C still interrupts a
        # step; the file's unchanged theorems come from the proof cache, re-checked by the kernel
        from driver.cache import ProofCache
        cache = None if getattr(args, "no_cache", False) else ProofCache()
        engine = deep(ReplEngine, args.file, args.until, width, cache)
        if not interactive:
            _settle()
            return run_batch(engine, sys.stdin, sys.stdout.write)
        print(BANNER)
        return run_interactive(engine, follow_terminal=fixed is None)
    finally:
        if collecting:
            gc.enable()


def _settle() -> None:
    """The end of start-up, when `main` turned the cyclic garbage collector off for it: its
    collections, each rescanning the growing heap, were ~68 M instructions (3.5%) of the time
    to the first prompt, and start-up leaves little cyclic garbage (~1,000 objects of ~40,000
    after loading rd_proof.pv).  What start-up made (the kernel's tables, the files' syntax,
    the modules) lives as long as the session, so it is moved out of the collector's sight
    (`gc.freeze`: later collections do not rescan it) and the collector is turned on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


# ---- non-interactive ------------------------------------------------------------------------

def run_batch(engine: ReplEngine, lines, write) -> int:
    """Read lines; run the input each time it ends with a complete sentence."""
    if engine.load_report:
        write(engine.load_report + "\n")
    buf = ""
    for line in lines:
        buf += line
        if buf.strip() and engine.is_complete(buf):
            out = deep(engine.execute, buf)
            buf = ""
            if out:
                write(out + "\n")
            if engine.quit:
                break
    if buf.strip() and not engine.quit:
        out = deep(engine.execute, buf)
        if out:
            write(out + "\n")
    return 1 if engine.errors else 0


# ---- the terminal UI ------------------------------------------------------------------------

def _lexer(engine):
    """The input's Pygments lexer (prompt_toolkit's adapter of it)."""
    from prompt_toolkit.lexers import PygmentsLexer

    from . import sentences as S
    from .lexer import PvLexer

    class ReplPvLexer(PvLexer):
        """The file lexer, started in its proof state when the input begins with a bullet or
        does not begin with a command (a tactic)."""

        def get_tokens_unprocessed(self, text, stack=("root",)):
            blanked, _ = S.blank(text)
            head = blanked.lstrip()
            word = S.first_word(head, 0)
            if stack == ("root",) and (head[:1] in ("-", "+", "*", "{", "}") or word and word
                                       not in S.REPL_WORDS and word not in S.FILE_WORDS):
                stack = ("root", "proof")
            return super().get_tokens_unprocessed(text, stack)

    return PygmentsLexer(ReplPvLexer)


def _colours(engine):
    """The session's lexer: plain text until `build` makes the Pygments lexer.  Importing
    Pygments and compiling the lexer's expressions is ~48 M instructions (~12 ms), which
    `run_interactive` spends after the first prompt is on the screen, not before."""
    from prompt_toolkit.lexers import DynamicLexer

    class Colours(DynamicLexer):
        def __init__(self):
            self.lexer = None
            super().__init__(lambda: self.lexer)

        def build(self):
            """The Pygments lexer, made on the first call; True if this call made it."""
            if self.lexer is not None:
                return False
            self.lexer = _lexer(engine)
            return True

    return Colours()


def _completer(engine):
    from prompt_toolkit.completion import Completer, Completion

    class PvCompleter(Completer):
        def get_completions(self, document, complete_event):
            word, cands = engine.completions(document.text_before_cursor)
            for c in cands:
                yield Completion(c, start_position=-len(word))

    return PvCompleter()


def _history():
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    path = history_path()
    try:
        d = os.path.dirname(os.path.abspath(path))
        os.makedirs(d, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
        return FileHistory(path)
    except OSError:
        return InMemoryHistory()


def make_session(engine: ReplEngine, input=None, output=None, history=None):
    """The prompt_toolkit `PromptSession` of the REPL (``input``/``output`` for tests)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("enter")
    def _enter(event):
        b = event.current_buffer
        if b.complete_state is not None:
            b.complete_state = None
        after = b.document.text_after_cursor
        if not after.strip() and engine.is_complete(b.text):
            b.validate_and_handle()
        else:
            b.insert_text("\n")

    @kb.add("escape", "enter")
    def _newline(event):
        event.current_buffer.insert_text("\n")

    def continuation(width, line_number, is_soft_wrap):
        return "." * max(width - 1, 0) + " "

    return PromptSession(
        message=lambda: engine.prompt,
        multiline=True,
        key_bindings=kb,
        lexer=_colours(engine),
        completer=_completer(engine),
        complete_while_typing=False,
        history=history if history is not None else _history(),
        prompt_continuation=continuation,
        input=input,
        output=output,
    )


def _after_drawing(build):
    """A ``pre_run`` for `PromptSession.prompt` that runs ``build`` once the prompt is drawn
    (prompt_toolkit calls ``pre_run`` just before it draws; the event loop runs what it
    schedules after the drawing) and redraws if ``build`` says it changed something."""
    def pre_run():
        import asyncio

        from prompt_toolkit.application import get_app
        app = get_app()

        def later():
            if build():
                app.invalidate()
        asyncio.get_running_loop().call_soon(later)
    return pre_run


def run_interactive(engine: ReplEngine, input=None, output=None, write=None,
                    history=None, follow_terminal: bool = False) -> int:
    """The prompt loop; with ``follow_terminal`` goals are laid out for the terminal's width
    as it is when each input is run (so resizing the window is followed)."""
    if write is None:
        def write(text):
            sys.stdout.write(text)
            sys.stdout.flush()
    if engine.load_report:
        write(engine.load_report + "\n")
    session = make_session(engine, input=input, output=output, history=history)

    def start_up() -> bool:         # once the first prompt is drawn (a no-op afterwards)
        _settle()
        return session.lexer.build()
    while not engine.quit:
        try:
            text = session.prompt(pre_run=_after_drawing(start_up))
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if follow_terminal:
            engine.width = terminal_width() or engine.width
        try:
            out = deep(engine.execute, text)
        except KeyboardInterrupt:
            out = "Interrupted."
        if out:
            write(out + "\n")
    return 0
