// Bundles the explainer into one self-contained HTML file (script and styles inline), so it works
// opened from disk (file://) as well as served. @glassbox/sigv4 comes from source through the
// `glassbox-source` condition; node:crypto, which its default hash imports, and the other node:*
// modules (SigV4a, aws-chunked) are replaced by stubs, because the page always passes
// @aws-crypto/sha256-js and never calls them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Every `node:*` module @glassbox/sigv4 imports becomes a module whose every export throws when called:
 * the page never calls them (it passes sha256), and tree shaking drops most of their users.
 */
const nodeBuiltinStub: Plugin = {
  name: 'node-builtin-stub',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin-stub' }, (args) => ({
      loader: 'js',
      contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not available in the browser`)}); };
module.exports = new Proxy({}, { get: (_, name) => (name === '__esModule' ? false : fail) });`,
    }));
  },
};

/** Where `pnpm --filter @glassbox/explainer build` writes the page. */
export const defaultOutFile: string = join(here, 'dist', 'index.html');

/** Builds the page; returns its path, its size and esbuild's list of bundled inputs. */
export async function buildExplainer(outFile: string = defaultOutFile): Promise<{ outFile: string; bytes: number; inputs: string[] }> {
  const result = await build({
    entryPoints: [join(here, 'src', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    conditions: ['glassbox-source'],
    plugins: [nodeBuiltinStub],
    minify: true,
    legalComments: 'eof',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]!.text;
  const css = readFileSync(join(here, 'src', 'style.css'), 'utf8');
  const template = readFileSync(join(here, 'src', 'index.html'), 'utf8');
  // Function replacers: the bundle contains `$&`-like sequences that string replacement would expand.
  const html = template.replace('/*__CSS__*/', () => css).replace('/*__JS__*/', () => js);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, html);
  return { outFile, bytes: Buffer.byteLength(html), inputs: Object.keys((result.metafile as Metafile).inputs) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { outFile, bytes } = await buildExplainer();
  console.log(`explainer: ${outFile} (${(bytes / 1024).toFixed(0)} KiB); open it directly or run pnpm explainer`);
}
