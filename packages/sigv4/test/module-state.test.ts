// Issue 14 §3: the signer's measured shortcuts live in one documented module (src/fast-paths.ts), the
// hash-level ones behind src/hash-node.ts, and the signing-key caches where their keys are derived; no
// other file keeps state between calls. Read with TypeScript's own parser, so a `let` in a comment or a
// string is not mistaken for one.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** The files allowed to keep state, each with why. */
const ALLOWED = new Map([
  ['fast-paths.ts', 'the measured shortcuts, each with its gain'],
  ['hash-node.ts', 'HMAC pad blocks per key, behind the hash seam'],
  ['signing-key.ts', 'defaultSigningKeyCache: public and clearable'],
  ['sigv4a/key-derivation.ts', 'the SigV4a key-pair cache: cleared by clearV4aKeyCache'],
]);

/** Mutable collections and caches: what a top-level `const` may not hold outside the allowed files. */
const STATEFUL_CONSTRUCTORS = /^(Map|WeakMap|WeakRef|[A-Za-z]*Cache)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Each top-level declaration in `text` that keeps state: a `let`/`var`, or a `const` holding a Map, WeakMap or cache. */
function moduleState(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of list.declarations) {
      const name = declaration.name.getText(source);
      const init = declaration.initializer;
      if (!isConst) found.push(`${name} (let)`);
      else if (init && ts.isNewExpression(init) && STATEFUL_CONSTRUCTORS.test(init.expression.getText(source))) {
        found.push(`${name} (new ${init.expression.getText(source)})`);
      }
    }
  }
  return found;
}

test('the detector finds a top-level let, a Map and a cache, and passes constants and function-local state', () => {
  const text = [
    'let last = 0;',
    'const byKey = new Map<string, string>();',
    'const keys = new SigningKeyCache(5);',
    "const NAMES = new Set(['a']);",
    'const LIMIT = 32;',
    'function f() { let local = 1; const m = new Map(); return local + m.size; }',
    '// let inComment = 1;',
  ].join('\n');
  assert.equal(moduleState('x.ts', text), ['last (let)', 'byKey (new Map)', 'keys (new SigningKeyCache)']);
});

test('no file of the signer keeps module-level state outside fast-paths.ts, hash-node.ts and the signing-key caches', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const path = relative(SRC, file).split('\\').join('/');
    if (ALLOWED.has(path)) continue;
    for (const state of moduleState(path, readFileSync(file, 'utf8'))) offenders.push(`${path}: ${state}`);
  }
  assert.equal(offenders, [], 'move the state into src/fast-paths.ts with its measured gain, or make it local');
});

test('every allowed file still keeps the state it is allowed for (an entry cannot outlive its reason)', () => {
  for (const path of ALLOWED.keys()) {
    assert.ok(moduleState(path, readFileSync(join(SRC, path), 'utf8')).length > 0, `${path} keeps no state: drop it from ALLOWED`);
  }
});

test.run();
