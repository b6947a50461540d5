// Issue 6 §1: every exported symbol has a doc comment with at least one example. typedoc (`pnpm run docs`)
// already fails on a missing doc comment, but only for `src/index.ts` and it has no rule for `@example`;
// this reads every entry point named in a package.json `exports` map with the compiler API and holds
// functions, classes and constants to an `@example` tag, interfaces and types to a doc comment.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './vectors.ts';

const packages = ['sigv4', 'ecr', 'docker-config', 'cli'];

interface ExportsEntry {
  'glassbox-source'?: string;
}

/** The source file behind each `exports` sub-path of each published package (the `glassbox-source` condition). */
function entryPoints(): string[] {
  const files: string[] = [];
  for (const name of packages) {
    const dir = join(repoRoot, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (subpath === './package.json') continue;
      const source = typeof target === 'object' && target !== null ? (target as ExportsEntry)['glassbox-source'] : undefined;
      assert.type(source, 'string', `packages/${name} exports "${subpath}" has no glassbox-source condition`);
      files.push(join(dir, source as string));
    }
  }
  return files;
}

type Rule = 'example' | 'doc' | 'ignore';

/** What a declaration owes: values a caller runs or reads need an example; shapes need words. */
function ruleFor(declaration: ts.Declaration): Rule {
  if (ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration) || ts.isVariableDeclaration(declaration))
    return 'example';
  if (ts.isEnumDeclaration(declaration)) return 'example';
  if (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration) || ts.isModuleDeclaration(declaration)) return 'doc';
  return 'ignore';
}

function hasExample(declaration: ts.Declaration): boolean {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example');
}

function hasDocComment(declaration: ts.Declaration): boolean {
  return ts
    .getJSDocCommentsAndTags(declaration)
    .some((node) => ts.isJSDoc(node) && (node.comment !== undefined || (node.tags?.length ?? 0) > 0));
}

/**
 * Every exported symbol of `roots` that misses what its kind owes, as `file:name` (the file that holds the
 * declaration, where the comment belongs). Overloads pass when any declaration has the example.
 */
function findOffenders(program: ts.Program, roots: readonly string[], base: string): { example: string[]; doc: string[]; checked: number } {
  const checker = program.getTypeChecker();
  const example = new Set<string>();
  const doc = new Set<string>();
  let checked = 0;
  for (const root of roots) {
    const sourceFile = program.getSourceFile(root);
    assert.ok(sourceFile, `${relative(base, root)} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
    assert.ok(moduleSymbol, `${relative(base, root)} is not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const byRule = new Map<Rule, ts.Declaration[]>();
      for (const declaration of symbol.declarations ?? []) {
        const rule = ruleFor(declaration);
        byRule.set(rule, [...(byRule.get(rule) ?? []), declaration]);
      }
      const valueDeclarations = byRule.get('example') ?? [];
      const typeDeclarations = byRule.get('doc') ?? [];
      if (valueDeclarations.length + typeDeclarations.length > 0) checked++;
      const where = (declarations: ts.Declaration[]) => `${relative(base, declarations[0]!.getSourceFile().fileName)}:${exported.name}`;
      if (valueDeclarations.length > 0 && !valueDeclarations.some(hasExample)) example.add(where(valueDeclarations));
      // A class or const that merges with an interface/type of the same name is documented by its value declaration.
      if (valueDeclarations.length === 0 && typeDeclarations.length > 0 && !typeDeclarations.some(hasDocComment))
        doc.add(where(typeDeclarations));
    }
  }
  return { example: [...example].sort(), doc: [...doc].sort(), checked };
}

const roots = entryPoints();
let cached: ReturnType<typeof findOffenders> | undefined;
function offenders(): ReturnType<typeof findOffenders> {
  if (cached) return cached;
  // No type-check: binding and symbol resolution are enough, and one program covers all entry points.
  const program = ts.createProgram(roots, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    customConditions: ['glassbox-source'],
  });
  cached = findOffenders(program, roots, repoRoot);
  return cached;
}

test('the entry points come from every package.json exports map', () => {
  const names = roots.map((file) => relative(repoRoot, file)).sort();
  for (const expected of [
    'packages/sigv4/src/index.ts',
    'packages/ecr/src/index.ts',
    'packages/ecr/src/emulator.ts',
    'packages/docker-config/src/index.ts',
    'packages/cli/src/index.ts',
  ]) {
    assert.ok(names.includes(expected), `${expected} missing from ${names.join(', ')}`);
  }
});

test('every exported function, class and constant has an @example', () => {
  const { example, checked } = offenders();
  assert.ok(checked > 100, `only ${checked} exported symbols found: the entry points did not resolve`);
  assert.ok(example.length === 0, `${example.length} exported values without an @example:\n  ${example.join('\n  ')}`);
});

test('every exported interface and type alias has a doc comment', () => {
  const { doc } = offenders();
  assert.ok(doc.length === 0, `${doc.length} exported types without a doc comment:\n  ${doc.join('\n  ')}`);
});

test('the check itself finds a missing @example and a missing doc comment', () => {
  // A tiny in-memory module, so the rule above is known to be able to fail.
  const files: Record<string, string> = {
    '/virtual/index.ts': "export { documented, bare, overloaded, CONSTANT, Shape, Bare } from './impl.ts';\n",
    '/virtual/impl.ts': [
      '/** Adds one.\n * @example documented(1) // 2\n */',
      'export function documented(n: number): number { return n + 1; }',
      '/** No example. */',
      'export function bare(): void {}',
      '/** @example overloaded(1) */',
      'export function overloaded(n: number): number;',
      'export function overloaded(s: string): string;',
      'export function overloaded(x: unknown): unknown { return x; }',
      '/** A constant without an example. */',
      'export const CONSTANT = 1;',
      '/** A documented shape. */',
      'export interface Shape { a: number }',
      'export type Bare = string;',
      '',
    ].join('\n'),
  };
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    noLib: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (fileName, languageVersion) => {
    const text = files[fileName];
    return text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => fileName in files;
  host.directoryExists = (directory) => directory === '/virtual';
  host.readFile = (fileName) => files[fileName];
  host.getCurrentDirectory = () => '/virtual';
  const program = ts.createProgram(['/virtual/index.ts'], options, host);
  const found = findOffenders(program, ['/virtual/index.ts'], '/virtual');
  assert.equal(found.example, ['impl.ts:CONSTANT', 'impl.ts:bare']);
  assert.equal(found.doc, ['impl.ts:Bare']);
  assert.is(found.checked, 6);
});

test.run();
