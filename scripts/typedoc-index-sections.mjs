// @ts-check
/**
 * A TypeDoc plugin that makes each package's `index.ts` the one owner of two facts about its reference pages:
 *
 * - Categories follow the index's sections. An index groups its exports under line comments
 *   (`// The steps, in the order the specification gives them.`); every name exported below such a
 *   comment gets it as its `@category` (the first sentence, without the full stop). Writing
 *   `@category` on hundreds of declarations instead would say the same thing a second time, far from the list.
 * - Entry points are named by their import paths (`@glassbox/ecr/emulator`, not `emulator`), read from
 *   the package.json `exports` map that decides them.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** The section of each exported name in one entry file: `{ name → section title }`. */
export function sectionsOf(sourceText) {
  const sections = new Map();
  let section;
  let inExport = false;
  for (const raw of sourceText.split('\n')) {
    const line = raw.trim();
    const heading = /^\/\/\s*(.+)$/.exec(line);
    if (heading && !inExport) {
      section = heading[1]
        .split(/(?<=[a-z)])[.:;](\s|$)/)[0]
        .replace(/[.:]$/, '')
        .trim();
      continue;
    }
    if (line === '') continue;
    const exportLine = /^export\s+(?:type\s+)?(?:\*\s+as\s+(\w+)|\{([^}]*)\}?)/.exec(line);
    let names = '';
    if (exportLine) {
      if (exportLine[1]) names = exportLine[1];
      else {
        names = exportLine[2] ?? '';
        inExport = !line.includes('}');
      }
    } else if (inExport) {
      names = line.replace(/\}.*$/, '');
      if (line.includes('}')) inExport = false;
    } else continue;
    for (const part of names.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name && section) sections.set(name, section);
    }
  }
  return sections;
}

/** `{ absolute source file → import path }` for one package, from its `exports` map. */
function importPathsOf(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const paths = new Map();
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const source = typeof target === 'object' && target !== null ? target['glassbox-source'] : undefined;
    if (typeof source !== 'string') continue;
    paths.set(resolve(packageDir, source), subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`);
  }
  return paths;
}

function packageDirOf(file) {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** Entry modules and the file each was made from, noted as TypeDoc creates them. */
  const moduleFiles = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    if (file) moduleFiles.set(reflection, resolve(file));
  });
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      // A package with one entry point has no module of its own: its project holds the exports.
      if (moduleFiles.size === 0) {
        const child = context.project.children?.[0];
        const declared = child && context.getSymbolFromReflection(child)?.declarations?.[0]?.getSourceFile().fileName;
        const entry =
          declared &&
          [...importPathsOf(packageDirOf(resolve(declared))).entries()].find(([, path]) => !path.includes('/', path.indexOf('/') + 1));
        if (entry) moduleFiles.set(context.project, entry[0]);
      }
      for (const [module, file] of moduleFiles) {
        const importPath = importPathsOf(packageDirOf(file)).get(file);
        if (importPath && module !== context.project) module.name = importPath;
        const sections = sectionsOf(readFileSync(file, 'utf8'));
        for (const child of module.children ?? []) {
          const section = sections.get(child.name);
          if (!section) continue;
          const comment = child.comment ?? child.signatures?.[0]?.comment ?? (child.comment = new Comment());
          if (!comment.blockTags.some((tag) => tag.tag === '@category'))
            comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: section }]));
        }
      }
      moduleFiles.clear();
    },
    100,
  );
}
