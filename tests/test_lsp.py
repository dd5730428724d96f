"""`pv lsp` driven over stdio by a real LSP client (pygls's JSON-RPC client): diagnostics on
open, change and save (a file with errors, then a change that fixes them), hover and the
``pv/goalAt`` request in a proof, go-to-definition across a Require, completion of tactics and
hypotheses."""
import asyncio
import os
import sys

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as T  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LIB = """\
(* a Function in another file, for go-to-definition across a Require *)
Function swap (x y) :=
  let a := !x in
  let b := !y in
  x <- b;;
  y <- a.
"""

MAIN = """\
Require "lib.pv".

Theorem swap_spec (n : nat) (l1 l2 : loc) (a b : val) :
  {l1 ↦[n] a ∗ l2 ↦[n] b} swap(#l1, #l2) {r. l1 ↦[n] b ∗ l2 ↦[n] a}[n].
Proof.
  intros n l1 l2 a b "[H1 H2]".
  wp_call.
  wp_step. wp_pures.
  wp_step. wp_pures.
  wp_step. wp_pures.
  wp_step. wp_pures.
  frme.
Qed.

Print Assumptions swap_spec.
"""


class Client:
    """A pygls client plus the diagnostics the server has published, per document."""

    def __init__(self):
        self.lc = LanguageClient("pv-test", "1")
        self.diags: dict = {}
        self.changed = asyncio.Event()

        @self.lc.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: T.PublishDiagnosticsParams):
            self.diags.setdefault(params.uri, []).append(params)
            self.changed.set()

    async def wait_diagnostics(self, uri, count, timeout=60):
        """The ``count``-th publication for ``uri``."""
        async def wait():
            while len(self.diags.get(uri, [])) < count:
                self.changed.clear()
                await self.changed.wait()
        await asyncio.wait_for(wait(), timeout)
        return self.diags[uri][count - 1]


def pos(line, col):
    """1-based line/column -> an LSP position."""
    return T.Position(line=line - 1, character=col - 1)


async def scenario(tmp_path):
    (tmp_path / "lib.pv").write_text(LIB, encoding="utf-8")
    main = tmp_path / "main.pv"
    main.write_text(MAIN, encoding="utf-8")
    uri = from_fs_path(str(main))
    c = Client()
    await c.lc.start_io(sys.executable, "-m", "driver.cli", "lsp", cwd=ROOT)
    try:
        init = await c.lc.initialize_async(T.InitializeParams(
            process_id=os.getpid(), root_uri=from_fs_path(str(tmp_path)),
            capabilities=T.ClientCapabilities()))
        caps = init.capabilities
        assert caps.hover_provider and caps.definition_provider and caps.completion_provider
        c.lc.initialized(T.InitializedParams())

        # open: the unknown tactic is an error covering the sentence `frme.`
        c.lc.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(
            uri=uri, language_id="pv", version=1, text=MAIN)))
        pub = await c.wait_diagnostics(uri, 1)
        (d,) = pub.diagnostics
        assert d.severity == T.DiagnosticSeverity.Error and "frme" in d.message
        assert d.range == T.Range(start=pos(12, 3), end=pos(12, 8))
        assert "H1 : l1 ↦[n] b" in d.message       # the goal at the failing step

        # hover on a tactic in the proof: its help and the goal after it
        h = await c.lc.text_document_hover_async(T.HoverParams(
            T.TextDocumentIdentifier(uri), pos(7, 4)))
        assert "wp_call" in h.contents.value and "WP[n]" in h.contents.value
        assert "H1 : l1 ↦[n] a" in h.contents.value

        # the goal panel's request: before `frme.` the goal is the frame goal
        g = await c.lc.protocol.send_request_async(GOAL_AT, {
            "textDocument": {"uri": uri}, "position": {"line": 11, "character": 2},
            "width": 60})
        assert g.theorem == "swap_spec" and g.error is None and g.steps == 10
        assert g.goal.startswith("1 goal") and g.goal.rstrip().endswith("l2 ↦[n] a")
        assert max(len(ln) for ln in g.goal.splitlines()) <= 60
        # on the failing step: the state before it and the error
        g = await c.lc.protocol.send_request_async(GOAL_AT, {
            "textDocument": {"uri": uri}, "position": {"line": 11, "character": 4}})
        assert "frme" in g.error and "H2 : l2 ↦[n] a" in g.goal
        # outside a theorem
        assert await c.lc.protocol.send_request_async(GOAL_AT, {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}) is None

        # go to the definition of swap, in lib.pv
        loc = await c.lc.text_document_definition_async(T.DefinitionParams(
            T.TextDocumentIdentifier(uri), pos(4, 27)))
        assert loc.uri == from_fs_path(str(tmp_path / "lib.pv"))
        assert loc.range == T.Range(start=pos(2, 10), end=pos(2, 14))
        # ... and of a theorem of this file
        loc = await c.lc.text_document_definition_async(T.DefinitionParams(
            T.TextDocumentIdentifier(uri), pos(15, 22)))
        assert loc.uri == uri and loc.range.start == pos(3, 9)

        # completion: tactics and the hypotheses in scope at the cursor
        comp = await c.lc.text_document_completion_async(T.CompletionParams(
            T.TextDocumentIdentifier(uri), pos(12, 4)))
        labels = {i.label for i in comp.items}
        assert "frame" in labels and "wp_step" not in labels     # prefix `f`
        # ... inside a string only hypothesis names
        fixed = MAIN.replace("  frme.\n", '  frame "H\n')
        c.lc.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [T.TextDocumentContentChangeWholeDocument(text=fixed)]))
        comp = await c.lc.text_document_completion_async(T.CompletionParams(
            T.TextDocumentIdentifier(uri), pos(12, 11)))
        assert {i.label for i in comp.items} == {"H1", "H2"}

        # a change that fixes the error: the diagnostics are cleared
        n = len(c.diags[uri])
        fixed = MAIN.replace("frme.", "frame.")
        c.lc.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(uri=uri, version=3),
            [T.TextDocumentContentChangeWholeDocument(text=fixed)]))
        pub = await c.wait_diagnostics(uri, n + 1)
        while pub.version != 3:
            n += 1
            pub = await c.wait_diagnostics(uri, n + 1)
        assert len(pub.diagnostics) == 0

        # an admitted proof is a warning; saving checks again
        draft = fixed + "\nTheorem later : True.\nAdmitted.\n"
        c.lc.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(uri=uri, version=4),
            [T.TextDocumentContentChangeWholeDocument(text=draft)]))
        c.lc.text_document_did_save(T.DidSaveTextDocumentParams(T.TextDocumentIdentifier(uri)))
        n = len(c.diags[uri])
        pub = await c.wait_diagnostics(uri, n + 1)
        while pub.version != 4 or not pub.diagnostics:
            n += 1
            pub = await c.wait_diagnostics(uri, n + 1)
        (w,) = pub.diagnostics
        assert w.severity == T.DiagnosticSeverity.Warning and "later" in w.message

        # a Require'd file saved with a change: the documents that Require it are checked again
        lib = tmp_path / "lib.pv"
        lib.write_text(LIB.replace("Function swap", "Function swap2"), encoding="utf-8")
        lib_uri = from_fs_path(str(lib))
        c.lc.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(
            uri=lib_uri, language_id="pv", version=1, text=lib.read_text(encoding="utf-8"))))
        n = len(c.diags[uri])
        c.lc.text_document_did_save(T.DidSaveTextDocumentParams(T.TextDocumentIdentifier(lib_uri)))
        pub = await c.wait_diagnostics(uri, n + 1)
        assert any("swap" in d.message and d.severity == T.DiagnosticSeverity.Error
                   for d in pub.diagnostics), pub.diagnostics

        await c.lc.shutdown_async(None)
        c.lc.exit(None)
        code = await asyncio.wait_for(c.lc._server.wait(), 30)
        assert code == 0
    finally:
        if c.lc._server is not None and c.lc._server.returncode is None:
            c.lc._server.kill()
        await c.lc.stop()


GOAL_AT = "pv/goalAt"


def test_language_server_round_trip(tmp_path):
    asyncio.run(asyncio.wait_for(scenario(tmp_path), 240))
