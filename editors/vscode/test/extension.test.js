// Tests of extension.js without VS Code: `vscode` and `vscode-languageclient/node` are stubbed
// (recording what the extension asks of them), so this runs with Node alone:
//   node --test extension.test.js
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { test } = require('node:test');

const EXT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
const table = JSON.parse(fs.readFileSync(path.join(EXT, 'abbreviations.json'), 'utf8'));

// ---- the stubs -----------------------------------------------------------------------------

const log = { commands: {}, clients: [], requests: [], panels: [], edits: [], handlers: {} };

class Range {
  constructor(l1, c1, l2, c2) { Object.assign(this, { l1, c1, l2, c2 }); }
}

function on(name) {
  return (fn) => { (log.handlers[name] = log.handlers[name] || []).push(fn); return { dispose() {} }; };
}

let activeEditor = null;
const settings = { 'goals.autoOpen': false };
const vscode = {
  Range,
  ViewColumn: { Beside: -2 },
  commands: {
    registerCommand: (name, fn) => { log.commands[name] = fn; return { dispose() {} }; },
    executeCommand: (name, ...args) => log.commands[name](...args),
  },
  window: {
    get activeTextEditor() { return activeEditor; },
    onDidChangeTextEditorSelection: on('selection'),
    createWebviewPanel: (id, title) => {
      const p = { id, title, webview: { html: '' }, reveal() {}, onDidDispose() {} };
      log.panels.push(p);
      return p;
    },
  },
  languages: { onDidChangeDiagnostics: on('diagnostics') },
  workspace: {
    getConfiguration: () => ({ get: (k, d) => (k in settings ? settings[k] : d) }),
    onDidChangeTextDocument: on('change'),
    onDidOpenTextDocument: on('open'),
  },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, started: false });
    log.clients.push(this);
  }
  async start() { this.started = true; }
  async stop() { this.started = false; }
  async sendRequest(method, params) {
    log.requests.push({ method, params });
    return { theorem: 'swap_spec', goal: '1 goal\n  H : l ↦[n] v\n  ====\n  a < b', error: null };
  }
}
const languageclient = { LanguageClient, TransportKind: { stdio: 0 } };

const realLoad = Module._load;
Module._load = function load(request, ...rest) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return languageclient;
  return realLoad.call(this, request, ...rest);
};
const ext = require(path.join(EXT, pkg.main));

// ---- tests ---------------------------------------------------------------------------------

test('the manifest declares the extension entry point, activation and command', () => {
  assert.ok(fs.existsSync(path.join(EXT, pkg.main)));
  assert.deepEqual(pkg.activationEvents, ['onLanguage:pv']);
  assert.ok(pkg.dependencies['vscode-languageclient']);
  assert.deepEqual(pkg.contributes.commands.map((c) => c.command), ['pv.showGoals']);
  for (const key of Object.keys(pkg.contributes.configuration.properties)) {
    assert.match(key, /^pv\./);
  }
});

test('abbreviations: \\name before a non-letter', () => {
  assert.deepEqual(ext.abbreviationBefore('P \\sep'), { start: 2, end: 6, symbol: '∗' });
  assert.deepEqual(ext.abbreviationBefore('\\lc'), { start: 0, end: 3, symbol: '⌜' });
  assert.equal(ext.abbreviationBefore('P \\nosuchname'), null);
  assert.equal(ext.abbreviationBefore('sep'), null);
  for (const [name, symbol] of Object.entries(table)) {
    assert.equal(ext.abbreviationBefore(`x \\${name}`).symbol, symbol, name);
  }
});

test('a typed space completes an abbreviation; a letter does not', () => {
  const doc = { lineAt: () => ({ text: '  l \\mapsto v' }) };
  const at = (ch) => ({ text: ch, rangeLength: 0, range: { start: { line: 3, character: 11 } } });
  const [e] = ext.expansions(doc, at(' '));
  assert.equal(e.symbol, '↦');
  assert.deepEqual(e.range, new Range(3, 4, 3, 11));
  assert.deepEqual(ext.expansions(doc, at('x')), []);
  assert.deepEqual(ext.expansions(doc, { ...at(' '), rangeLength: 2 }), []);
});

test('activate starts `pv lsp` and the goal panel asks pv/goalAt', async () => {
  const context = { subscriptions: [] };
  await ext.activate(context);
  const [client] = log.clients;
  assert.ok(client.started);
  assert.equal(client.serverOptions.command, 'pv');
  assert.deepEqual(client.serverOptions.args, ['lsp']);
  assert.deepEqual(client.clientOptions.documentSelector, [{ scheme: 'file', language: 'pv' }]);
  assert.ok('pv.showGoals' in log.commands);

  activeEditor = {
    document: { languageId: 'pv', uri: { toString: () => 'file:///x/swap.pv' } },
    selection: { active: { line: 11, character: 2 } },
  };
  vscode.commands.executeCommand('pv.showGoals');
  assert.equal(log.panels.length, 1);
  await new Promise((r) => setTimeout(r, 300));          // the refresh is debounced
  const req = log.requests.at(-1);
  assert.equal(req.method, ext.GOAL_AT);
  assert.deepEqual(req.params, {
    textDocument: { uri: 'file:///x/swap.pv' }, position: { line: 11, character: 2 }, width: 80,
  });
  const html = log.panels[0].webview.html;
  assert.match(html, /swap_spec/);
  assert.match(html, /a &lt; b/);                        // goal text is escaped
  await ext.deactivate();
  assert.equal(client.started, false);
});

test('no theorem at the cursor', () => {
  assert.match(ext.goalHtml(null), /No theorem at the cursor/);
});
