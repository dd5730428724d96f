// The pv extension for VS Code: starts `pv lsp` as its language server (diagnostics, hover,
// go-to-definition, completion), shows the goal at the cursor in a side panel (the server's
// `pv/goalAt` request), and turns `\name` abbreviations into the Unicode notations as you type
// (`\sep` -> ∗; the table is abbreviations.json, generated from seplogic/vocabulary.py).
// Plain JavaScript (no build step); docs/editor.md says how to install it.
'use strict';

const vscode = require('vscode');
const ABBREVIATIONS = require('./abbreviations.json');

const GOAL_AT = 'pv/goalAt';
const ABBREV = /\\([A-Za-z]+)$/;

let client = null;
let panel = null;

// If `before` (the text of a line up to the character just typed) ends with `\name` for a
// known name, the range to replace (as offsets in `before`) and its symbol; else null.
function abbreviationBefore(before) {
  const m = ABBREV.exec(before);
  if (!m || !Object.prototype.hasOwnProperty.call(ABBREVIATIONS, m[1])) return null;
  return { start: m.index, end: before.length, symbol: ABBREVIATIONS[m[1]] };
}

// The edits expanding abbreviations that one content change has just completed: the change
// typed one character that cannot continue a name (a space, punctuation, ...).
function expansions(document, change) {
  if (change.text.length !== 1 || /[A-Za-z\\]/.test(change.text) || change.rangeLength !== 0) {
    return [];
  }
  const start = change.range.start;
  const line = document.lineAt(start.line).text;
  const hit = abbreviationBefore(line.slice(0, start.character));
  if (!hit) return [];
  return [{
    range: new vscode.Range(start.line, hit.start, start.line, hit.end),
    symbol: hit.symbol,
  }];
}

function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// The goal panel's page for a `pv/goalAt` answer (null: the cursor is not in a theorem).
function goalHtml(result) {
  const body = result
    ? `<h3>${escapeHtml(result.theorem)}</h3><pre>${escapeHtml(result.goal)}</pre>`
    : '<p>No theorem at the cursor.</p>';
  return '<!DOCTYPE html><html><head><meta charset="utf-8">' +
    '<style>pre{font-family:var(--vscode-editor-font-family);' +
    'font-size:var(--vscode-editor-font-size);white-space:pre}</style></head>' +
    `<body>${body}</body></html>`;
}

function showPanel() {
  if (panel) {
    panel.reveal(vscode.ViewColumn.Beside, true);
    return panel;
  }
  panel = vscode.window.createWebviewPanel('pvGoals', 'pv Goals',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false });
  panel.onDidDispose(() => { panel = null; });
  return panel;
}

async function updateGoals(editor) {
  if (!client || !panel || !editor || editor.document.languageId !== 'pv') return;
  const pos = editor.selection.active;
  const width = vscode.workspace.getConfiguration('pv').get('goals.width', 80);
  try {
    const result = await client.sendRequest(GOAL_AT, {
      textDocument: { uri: editor.document.uri.toString() },
      position: { line: pos.line, character: pos.character },
      width,
    });
    if (panel) panel.webview.html = goalHtml(result);
  } catch (e) {
    if (panel) panel.webview.html = goalHtml(null);
  }
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
}

async function activate(context) {
  const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
  const config = vscode.workspace.getConfiguration('pv');
  const serverOptions = {
    command: config.get('server.command', 'pv'),
    args: config.get('server.args', ['lsp']),
    transport: TransportKind.stdio,
  };
  const clientOptions = { documentSelector: [{ scheme: 'file', language: 'pv' }] };
  client = new LanguageClient('pv', 'pv language server', serverOptions, clientOptions);

  const refresh = debounce(() => updateGoals(vscode.window.activeTextEditor), 150);
  context.subscriptions.push(
    vscode.commands.registerCommand('pv.showGoals', () => {
      showPanel();
      refresh();
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor.document.languageId === 'pv') refresh();
    }),
    vscode.languages.onDidChangeDiagnostics(() => refresh()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId !== 'pv') return;
      if (!vscode.workspace.getConfiguration('pv').get('abbreviations.enabled', true)) return;
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document !== e.document) return;
      const edits = e.contentChanges.flatMap((c) => expansions(e.document, c));
      if (edits.length) {
        editor.edit((b) => edits.forEach((x) => b.replace(x.range, x.symbol)),
          { undoStopBefore: false, undoStopAfter: false });
      }
    }),
    { dispose: () => (client ? client.stop() : undefined) },
  );
  await client.start();
  if (config.get('goals.autoOpen', true)) {
    const open = (d) => {
      if (d && d.languageId === 'pv' && !panel) vscode.commands.executeCommand('pv.showGoals');
    };
    const editor = vscode.window.activeTextEditor;
    open(editor && editor.document);
    context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(open));
  }
}

function deactivate() {
  const c = client;
  client = null;
  return c ? c.stop() : undefined;
}

module.exports = { activate, deactivate, abbreviationBefore, expansions, goalHtml, GOAL_AT };
