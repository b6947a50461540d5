// Bundles the explainer into one self-contained HTML file (script and styles inline), so it works
// opened from disk (file://) as well as served. @glassbox/sigv4 comes from source through the
// `glassbox-source` condition, and its `browser` conditions keep node:* out (the pure-JS hash is the
// default there; SigV4a and aws-chunked are subpaths the page does not import).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

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
