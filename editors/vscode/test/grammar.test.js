// Tests of syntaxes/pv.tmLanguage.json in VS Code's own TextMate engine (vscode-textmate with
// the Oniguruma regex library compiled to WebAssembly).  Run: ./run.sh (or npm ci && npm test).
//
// 1. spot checks of scopes on an inline sample and on proofs/heap/swap.pv;
// 2. every proofs/**/*.pv file: the grammar ends back at top level, nothing is `invalid`, and
//    every token has the scope that the Pygments lexer's token type calls for
//    (expectations.py; $PYTHON or python3 runs it).
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const oniguruma = require('vscode-oniguruma');
const vsctm = require('vscode-textmate');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const GRAMMAR = path.resolve(__dirname, '..', 'syntaxes', 'pv.tmLanguage.json');

let grammarPromise = null;
function loadGrammar() {
  if (!grammarPromise) {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')),
      'onig.wasm'));
    const onigLib = oniguruma.loadWASM(
      wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) => (scopeName === 'source.pv'
        ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null),
    });
    grammarPromise = registry.loadGrammar('source.pv');
  }
  return grammarPromise;
}

// Tokenize a whole text: lines[i] = {text, tokens: [{start, end, text, scopes}]}.
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  const lines = text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return {
      text: line,
      tokens: r.tokens.map((t) => ({
        start: t.startIndex, end: t.endIndex, text: line.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      })),
    };
  });
  return { lines, stack };
}

// The scopes of the `nth` token whose text is `word` (counting from the start of the text).
function scopesOf(lines, word, nth = 0) {
  let seen = 0;
  for (const l of lines) {
    for (const t of l.tokens) {
      if (t.text === word && seen++ === nth) return t.scopes;
    }
  }
  throw new Error(`token ${JSON.stringify(word)} #${nth} not found`);
}

function hasScope(scopes, prefix) {
  return scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}

const SAMPLE = `(* outer (* nested *) still comment *)
Require "lib\\n.pv".
Definition d (x : u64) (s : set nat) : bool := x +64 1 ∈ s && len([x]) ≥ 0.
Predicate p (l : loc) (γ : gname) := ∃ v. l ↦[n] v ∗ tok(γ) -∗ master[n](d[a], v) ∨ ⌜v = 0⌝.
Predicate q (m : map u64 val) := exists v, [** map] k |-> w in m. [! v != w !] ** #[] emp.
Function f (x) := let y := ref(#x) in fork { y <- !y + 1 };; loop { break(()) }.
Theorem t : WP[n] @ T\\{N} f(#(1 + 2)) {r. ⤇ Done ∧ j ~> op}.
Proof.
  intros "H". try (wp_step; wp_pures). first [done | left].
  - wp_apply f_spec with "H1" as "[H2 %H3]". exists (x). unfold p in "H".
  + my_tactic 3. split.left.
Qed.
Print Assumptions t.
`;

test('scopes of the inline sample', async () => {
  const { lines } = tokenize(await loadGrammar(), SAMPLE);
  const cases = [
    ['(*', 1, 'comment.block'], [' still comment ', 0, 'comment.block'],
    ['"', 0, 'string.quoted.double'], ['\\n', 0, 'constant.character.escape'],
    ['1', 0, 'constant.numeric'],
    ['Require', 0, 'keyword.control'], ['Definition', 0, 'keyword.control'],
    ['Proof', 0, 'keyword.control'], ['Qed', 0, 'keyword.control'],
    ['Assumptions', 0, 'keyword.control'],
    ['u64', 0, 'storage.type'], ['set', 0, 'storage.type'], ['map', 0, 'storage.type'],
    ['map', 1, 'keyword.other'], ['in', 0, 'keyword.other'], ['let', 0, 'keyword.other'],
    ['fork', 0, 'keyword.other'], ['emp', 0, 'keyword.other'], ['WP', 0, 'keyword.other'],
    ['exists', 0, 'keyword.other'],
    ['tok', 0, 'support.function.atom'], ['master', 0, 'support.function.atom'],
    ['Done', 0, 'support.function.atom'], ['ref', 0, 'support.function.builtin'],
    ['+64', 0, 'keyword.operator'], ['∈', 0, 'keyword.operator'], ['∃', 0, 'keyword.operator'],
    ['↦', 0, 'keyword.operator'], ['∗', 0, 'keyword.operator'], ['-∗', 0, 'keyword.operator'],
    ['⌜', 0, 'keyword.operator'], ['⌝', 0, 'keyword.operator'], ['[**', 0, 'keyword.operator'],
    ['|->', 0, 'keyword.operator'], ['[!', 0, 'keyword.operator'],
    ['!]', 0, 'keyword.operator'], ['**', 0, 'keyword.operator'],
    ['#[]', 0, 'keyword.operator'], ['T', 0, 'keyword.operator'], ['~>', 0, 'keyword.operator'],
    ['x', 4, 'variable.other.logical'],
    ['intros', 0, 'entity.name.function'], ['wp_step', 0, 'entity.name.function'],
    ['wp_pures', 0, 'entity.name.function'], ['left', 0, 'entity.name.function'],
    ['split', 0, 'entity.name.function'], ['left', 1, 'entity.name.function'],
    ['exists', 1, 'entity.name.function'], ['unfold', 0, 'entity.name.function'],
    ['try', 0, 'keyword.control.tactical'], ['first', 0, 'keyword.control.tactical'],
    ['with', 0, 'keyword.other.tactic'], ['as', 0, 'keyword.other.tactic'],
    ['in', 2, 'keyword.other.tactic'],
  ];
  for (const [word, nth, scope] of cases) {
    const scopes = scopesOf(lines, word, nth);
    assert.ok(hasScope(scopes, scope), `${word} #${nth}: expected ${scope}, got ${scopes}`);
  }
  // plain names and tactic arguments get no highlighting scope
  for (const [word, nth] of [['f_spec', 0], ['my_tactic', 0], ['p', 1], ['x', 2]]) {
    const scopes = scopesOf(lines, word, nth);
    assert.ok(!scopes.some((s) => /^(keyword|entity|storage|support|constant|variable)/.test(s)),
      `${word} #${nth}: got ${scopes}`);
  }
});

test('scopes in proofs/heap/swap.pv', async () => {
  const text = fs.readFileSync(path.join(ROOT, 'proofs', 'heap', 'swap.pv'), 'utf8');
  const { lines } = tokenize(await loadGrammar(), text);
  assert.ok(hasScope(lines[0].tokens[0].scopes, 'comment.block'));
  assert.ok(lines[0].tokens.every((t) => hasScope(t.scopes, 'comment.block')));
  assert.ok(hasScope(scopesOf(lines, 'Proof'), 'keyword.control'));
  assert.ok(hasScope(scopesOf(lines, 'wp_pures'), 'entity.name.function'));
  assert.ok(hasScope(scopesOf(lines, '∗'), 'keyword.operator'));
  assert.ok(hasScope(scopesOf(lines, 'nat'), 'storage.type'));
  assert.ok(hasScope(scopesOf(lines, 'let'), 'keyword.other'));
});

// ---- every example file, against the Pygments lexer

function pvFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return pvFiles(p);
    return e.name.endsWith('.pv') ? [p] : [];
  });
}

const FILES = pvFiles(path.join(ROOT, 'proofs')).sort();
let expectations = null;
function expectationsFor(rel) {
  if (!expectations) {
    const python = process.env.PYTHON || 'python3';
    const out = execFileSync(python, [path.join(__dirname, 'expectations.py')],
      { encoding: 'utf8', maxBuffer: 1 << 28 });
    expectations = JSON.parse(out).files;
  }
  return expectations[rel];
}

test('there are example files', () => {
  assert.ok(FILES.length >= 3, `only ${FILES.length} .pv files under proofs/`);
});

for (const file of FILES) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  test(`${rel}: scopes agree with the Pygments lexer`, async () => {
    const grammar = await loadGrammar();
    const text = fs.readFileSync(file, 'utf8');
    const { lines, stack } = tokenize(grammar, text);
    const top = grammar.tokenizeLine('', vsctm.INITIAL).ruleStack.depth;
    assert.equal(stack.depth, top, 'the file does not end at top level (unclosed region)');
    const bad = [];
    lines.forEach((l, i) => l.tokens.forEach((t) => {
      if (hasScope(t.scopes, 'invalid')) bad.push(`${rel}:${i + 1}: invalid ${t.text}`);
    }));
    const exp = expectationsFor(rel);
    assert.ok(exp, `expectations.py did not list ${rel}`);
    for (const [line, col, len, want] of exp) {
      const l = lines[line - 1];
      for (let c = col; c < col + len; c++) {
        const t = l.tokens.find((tk) => tk.start <= c && c < tk.end);
        let ok;
        if (want === null) {
          ok = !t.scopes.some((s) =>
            /^(comment|string|constant|keyword|storage|support|entity|variable|punctuation)/
              .test(s));
        } else {
          ok = hasScope(t.scopes, want);
        }
        if (!ok) {
          bad.push(`${rel}:${line}:${c + 1}: ${JSON.stringify(l.text.slice(col, col + len))}` +
            ` should be ${want} but ${JSON.stringify(t.text)} has ${t.scopes.join(' ')}`);
          break;
        }
      }
    }
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} disagreements`);
  });
}
