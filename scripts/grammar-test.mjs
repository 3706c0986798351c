#!/usr/bin/env node
// Tokenizes DMAR sources with syntaxes/dmar.tmLanguage.json (vscode-textmate +
// vscode-oniguruma, the engine VS Code uses) and reports timing plus any
// tokens scoped `invalid.*`, which should never appear in iasl output.
//
//   node scripts/grammar-test.mjs [--dump] [--no-stress] [--max-ms N] [file|dir ...]
//
// Defaults to examples/ and test/grammar/. --dump prints every token of the
// given files. Also tokenizes a set of pathological 20000-char lines. Exits 1 if
// a file takes longer than --max-ms (default 1000), a single line longer than
// 50 ms (250 ms for the stress lines), or an assertion line of a syntax test is
// not a comment for the grammar.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// vscode-textmate and vscode-oniguruma come in as dependencies of
// vscode-tmgrammar-test; resolve them from there (or from the top level).
function load(name) {
  const bases = [
    join(root, 'node_modules/vscode-tmgrammar-test/package.json'),
    join(root, 'package.json'),
  ];
  for (const base of bases) {
    try {
      const req = createRequire(base);
      return { mod: req(name), path: req.resolve(name) };
    } catch { /* try next */ }
  }
  throw new Error(`cannot resolve ${name}; run npm install`);
}

const args = process.argv.slice(2);
let dump = false;
let stress = true;
let maxMs = 1000;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--dump') dump = true;
  else if (args[i] === '--no-stress') stress = false;
  else if (args[i] === '--max-ms') maxMs = Number(args[++i]);
  else inputs.push(args[i]);
}
if (inputs.length === 0) inputs.push(join(root, 'examples'), join(root, 'test/grammar'));

const files = [];
for (const input of inputs) {
  if (!existsSync(input)) continue;
  if (statSync(input).isDirectory()) {
    for (const name of readdirSync(input).sort()) {
      if (/\.(dsl|asl|dmar)$/i.test(name)) files.push(join(input, name));
    }
  } else {
    files.push(input);
  }
}
if (files.length === 0) {
  console.error('no input files');
  process.exit(2);
}

const { mod: tm } = load('vscode-textmate');
const { mod: onig, path: onigPath } = load('vscode-oniguruma');
await onig.loadWASM(readFileSync(join(dirname(onigPath), 'onig.wasm')).buffer);

const grammarPath = join(root, 'syntaxes/dmar.tmLanguage.json');
const registry = new tm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (p) => new onig.OnigScanner(p),
    createOnigString: (s) => new onig.OnigString(s),
  }),
  loadGrammar: async (scope) =>
    scope === 'source.dmar'
      ? tm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
      : null,
});
const grammar = await registry.loadGrammar('source.dmar');

// Warm up (scanner compilation) so the first line of the first file is not
// charged for it.
{
  let st = tm.INITIAL;
  for (const l of ['/* x */', '[000h 0000   4]  Subtable Type : 0001 [x] // c', '[0008]  Base Address : 00',
    'Raw Table Data: Length 1 (0x1)', '    0000: 44  // D', '**** note', '#include "x"', ']']) {
    st = grammar.tokenizeLine(l, st).ruleStack;
  }
}

let total = 0;
let lines = 0;
let slowest = { file: '', ms: 0 };
let slowLine = { file: '', line: 0, ms: 0 };
let failed = false;
const invalid = [];

for (const file of files) {
  const text = readFileSync(file, 'utf8').split(/\r\n|\n/);
  // Syntax test files: skip the header and the assertion lines, like the runner.
  const isTest = /^\/\/ SYNTAX TEST/.test(text[0] ?? '');
  let stack = tm.INITIAL;
  const t0 = performance.now();
  text.forEach((line, n) => {
    if (isTest && (n === 0 || /^\/\/\s*(\^|<[~]*-)/.test(line))) return;
    const l0 = performance.now();
    const r = grammar.tokenizeLine(line, stack);
    const lms = performance.now() - l0;
    if (lms > slowLine.ms) slowLine = { file, line: n + 1, ms: lms };
    stack = r.ruleStack;
    lines++;
    for (const tok of r.tokens) {
      const s = tok.scopes.join(' ');
      const txt = line.slice(tok.startIndex, tok.endIndex);
      if (dump) console.log(`${n + 1}:${tok.startIndex}-${tok.endIndex} ${JSON.stringify(txt)}  ${s}`);
      if (!isTest && /\binvalid\./.test(s)) invalid.push(`${file}:${n + 1}:${tok.startIndex + 1} ${JSON.stringify(txt)} ${s}`);
    }
  });
  const ms = performance.now() - t0;
  if (isTest) {
    // As the editor sees it: every line, and the header and assertion lines
    // must come out as comments.
    let st = tm.INITIAL;
    text.forEach((line, n) => {
      const r = grammar.tokenizeLine(line, st);
      st = r.ruleStack;
      if (n === 0 || /^\/\/\s*(\^|<[~]*-)/.test(line)) {
        const bad = r.tokens.find((t) => !t.scopes.some((s) => s.startsWith('comment.')));
        if (bad) {
          console.error(`${file}:${n + 1}: assertion line is not a comment for the grammar: ${bad.scopes.join(' ')}`);
          failed = true;
        }
      }
    });
  }
  total += ms;
  if (ms > slowest.ms) slowest = { file, ms };
  if (ms > maxMs) {
    console.error(`SLOW ${file}: ${ms.toFixed(1)} ms`);
    failed = true;
  }
}

// Pathological lines as long as VS Code tokenizes by default
// (editor.maxTokenizationLineLength = 20000): nothing may backtrack badly.
if (stress) {
  const n = 20000;
  const p = '[000h 0000   4]  Flags : ';
  const cases = {
    'name then spaces': 'A' + ' '.repeat(n) + 'B',
    'words, no colon': 'Ab '.repeat(n / 4),
    'hex run + junk': p + '0'.repeat(n) + 'G',
    'many bytes': p + '0 '.repeat(n / 2),
    'open brackets': '['.repeat(n),
    'quotes': p + '"'.repeat(n),
    'dump row, odd digits': '    0000:' + ' 0'.repeat(n / 2),
    'dump row + ascii': '    0000:' + ' 00'.repeat(n / 3) + '  x',
    'raw header junk': 'Raw Table Data: ' + '(0x'.repeat(n / 3),
    'slashes': 'Flags' + ' /'.repeat(n / 2),
    'pci commas': p + '1F,'.repeat(n / 3),
    'stars': '*'.repeat(n),
  };
  for (const [what, line] of Object.entries(cases)) {
    const t0 = performance.now();
    grammar.tokenizeLine(line, tm.INITIAL);
    const ms = performance.now() - t0;
    if (ms > 250) {
      console.error(`SLOW stress line "${what}": ${ms.toFixed(1)} ms`);
      failed = true;
    }
  }
  console.log(`stress: ${Object.keys(cases).length} lines of ~${n} chars checked`);
}

console.log(`tokenized ${files.length} file(s), ${lines} lines in ${total.toFixed(1)} ms ` +
  `(${(total / files.length).toFixed(2)} ms/file)`);
console.log(`slowest file: ${slowest.file} ${slowest.ms.toFixed(1)} ms`);
console.log(`slowest line: ${slowLine.file}:${slowLine.line} ${slowLine.ms.toFixed(2)} ms`);
if (slowLine.ms > 50) failed = true;
if (invalid.length) {
  console.log(`${invalid.length} token(s) scoped invalid.* (outside syntax tests):`);
  for (const s of invalid.slice(0, 40)) console.log('  ' + s);
} else {
  console.log('no invalid.* tokens');
}
process.exit(failed ? 1 : 0);
