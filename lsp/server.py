"""`pv lsp`: a language server for `.pv` files over stdio (pygls).

Features: diagnostics on open, change (debounced) and save; hover (what the word is, and in a
proof the goal at the cursor); the custom request ``pv/goalAt`` (the goal at a position, for
the VS Code goal panel); go-to-definition of theorems, predicates, functions and definitions
(also in Require'd files); completion of tactics and of the hypotheses in scope.

Checks run one at a time on a worker thread, so the server keeps reading messages while it
checks; a request about a document whose check is pending waits for that check, so positions
always refer to the text the client sent last.  Each document has a `lsp.analysis.Checker`
that keeps the kernel-checked derivations of the previous version (see there).
"""
from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from lsp.analysis import Analysis, Checker

DEBOUNCE = 0.3          # seconds of quiet after a change before it is checked
GOAL_AT = "pv/goalAt"

_SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning}
_KIND = {"tactic": T.CompletionItemKind.Function, "hypothesis": T.CompletionItemKind.Variable,
         "variable": T.CompletionItemKind.Variable, "name": T.CompletionItemKind.Reference,
         "keyword": T.CompletionItemKind.Keyword}


class PvServer(LanguageServer):
    def __init__(self):
        super().__init__("pv", _version(), text_document_sync_kind=T.TextDocumentSyncKind.Full)
        self.checkers: dict = {}          # uri -> Checker
        self.analyses: dict = {}          # uri -> Analysis of the last version checked
        self.pending: dict = {}           # uri -> asyncio.Task (debounced or running check)
        self.running: set = set()         # uris whose check is on the worker
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pv-check")

    # ---- checking ------------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        old = self.pending.get(uri)
        if old is not None and not old.done():
            old.cancel()
        self.pending[uri] = asyncio.ensure_future(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        doc = self.workspace.get_text_document(uri)
        text, version = doc.source, doc.version
        checker = self.checkers.setdefault(uri, Checker(to_fs_path(uri) or uri))
        loop = asyncio.get_running_loop()
        self.running.add(uri)
        try:
            # shielded: once started, a check finishes (the Checker's state must stay whole)
            analysis = await asyncio.shield(loop.run_in_executor(self.worker, checker.check,
                                                                 text))
        except Exception as e:         # a bug in pv, not in the text: say so, keep serving
            self.checkers.pop(uri, None)
            msg = ("pv: error: input nested too deeply" if isinstance(e, RecursionError) else
                   f"pv: internal error: {type(e).__name__}: {e} (please report this)")
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Error, message=msg))
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[T.Diagnostic(
                    range=T.Range(start=T.Position(line=0, character=0),
                                  end=T.Position(line=0, character=0)),
                    message=msg, severity=T.DiagnosticSeverity.Error, source="pv")]))
            return
        finally:
            self.running.discard(uri)
        if self.workspace.get_text_document(uri).version != version:
            return                                # a newer version is on its way
        self.analyses[uri] = analysis
        self.publish(uri, analysis, version)

    def publish(self, uri: str, a: Analysis, version) -> None:
        doc = self.workspace.get_text_document(uri)
        diags = []
        for d in a.diagnostics():
            rng = _range(doc, d["start"], d["end"])
            goal = d.get("goal")
            diags.append(T.Diagnostic(range=rng, message=d["message"] +
                                      (f"\n\n{goal}" if goal else ""),
                                      severity=_SEVERITY[d["severity"]], source="pv"))
        self.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, diagnostics=diags, version=version))

    async def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the text last sent: a check still waiting for its debounce is run
        now, and a running one is waited for."""
        for _ in range(5):
            a = self.analyses.get(uri)
            if a is not None and a.text == self.workspace.get_text_document(uri).source:
                return a
            task = self.pending.get(uri)
            if task is None or task.done() or uri not in self.running:
                self.schedule(uri, 0)      # now, not after what is left of the debounce
                task = self.pending[uri]
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                pass                       # replaced by a newer check: look again
        return self.analyses.get(uri)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pv")
    except PackageNotFoundError:
        return "0"


def _range(doc, start: dict, end: dict) -> T.Range:
    """A range of 1-based code-point positions, in the client's units."""
    from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange
    return doc.range_to_client_units(ServerTextRange(
        ServerTextPosition(start["line"] - 1, start["column"] - 1),
        ServerTextPosition(end["line"] - 1, end["column"] - 1)))


def _pos(doc, position) -> tuple:
    """An LSP position as 1-based (line, column) in code points."""
    p = doc.position_from_client_units(T.Position(line=position.line,
                                                  character=position.character))
    return p.line + 1, p.character + 1


server = PvServer()


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: PvServer, params: T.DidOpenTextDocumentParams):
    ls.schedule(params.text_document.uri, 0)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: PvServer, params: T.DidChangeTextDocumentParams):
    ls.schedule(params.text_document.uri, DEBOUNCE)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: PvServer, params: T.DidSaveTextDocumentParams):
    """Check the document, and the open documents that Require it (they read it from disk)."""
    uri = params.text_document.uri
    ls.schedule(uri, 0)
    saved = os.path.abspath(to_fs_path(uri) or uri)
    for other, a in list(ls.analyses.items()):
        if other != uri and saved in a.session.loaded:
            ls.schedule(other, 0)


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: PvServer, params: T.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.analyses.pop(uri, None)
    ls.checkers.pop(uri, None)
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


async def _ask(ls: PvServer, params, method: str, *extra):
    """``Analysis.method(line, col, *extra)`` on the worker, for the text last sent; None
    when the document has no analysis."""
    doc_id = getattr(params, "text_document", None) or params.textDocument
    a = await ls.analysis(doc_id.uri)
    if a is None:
        return None
    line, col = _pos(ls.workspace.get_text_document(doc_id.uri), params.position)
    return await asyncio.get_running_loop().run_in_executor(
        ls.worker, getattr(a, method), line, col, *extra)


@server.feature(T.TEXT_DOCUMENT_HOVER)
async def hover(ls: PvServer, params: T.HoverParams):
    text = await _ask(ls, params, "hover")
    if text is None:
        return None
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text))


@server.feature(GOAL_AT)
async def goal_at(ls: PvServer, params):
    """``{textDocument: {uri}, position, width?}`` -> ``{theorem, goal, error, steps}`` or
    null outside a theorem."""
    width = getattr(params, "width", None) or 80
    g = await _ask(ls, params, "goal_at", max(40, int(width)))
    if g is None:
        return None
    return {"theorem": g.theorem, "goal": g.text, "error": g.error, "steps": g.steps}


@server.feature(T.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: PvServer, params: T.DefinitionParams):
    where = await _ask(ls, params, "definition")
    if where is None:
        return None
    path, line, col, end_line, end_col = where
    uri = from_fs_path(os.path.abspath(path))
    doc = ls.workspace.get_text_document(uri)    # read from disk when not open
    return T.Location(uri=uri, range=_range(doc, {"line": line, "column": col},
                                            {"line": end_line, "column": end_col}))


@server.feature(T.TEXT_DOCUMENT_COMPLETION,
                T.CompletionOptions(trigger_characters=['"', " "]))
async def completion(ls: PvServer, params: T.CompletionParams):
    items = await _ask(ls, params, "completions")
    if items is None:
        return None
    return T.CompletionList(is_incomplete=False, items=[
        T.CompletionItem(label=n, kind=_KIND[k], detail=k) for n, k in items])


def main(argv=None) -> int:
    """Serve on stdin/stdout until the client says exit."""
    server.start_io()
    return 0
