// Runs a built bin as `node report-open-resources.mjs BIN ARGS...` would run `node BIN ARGS...`, and once the
// bin has finished (set process.exitCode, after the answer is written), waits one turn of the event loop for
// close callbacks, then writes to stderr, as one JSON line after MARKER, what
// is still open: `active`, what would keep the process alive (process.getActiveResourcesInfo()), and
// `sockets`, every TCP socket created and not yet closed, even an unref'd one that would not (undici unrefs
// idle kept-alive sockets, so only this list shows a connection left open). Used by
// open-resources.test.ts. Plain JavaScript, so the bin runs without a TypeScript loader and its handles.
import { createHook } from 'node:async_hooks';
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MARKER = 'glassbox-open-resources:';
const sockets = new Map();
createHook({
  init(id, type) {
    if (type === 'TCPWRAP' || type === 'TCPCONNECTWRAP') sockets.set(id, type);
  },
  destroy(id) {
    sockets.delete(id);
  },
}).enable();

const bin = resolve(process.argv[2] ?? '');
process.argv.splice(1, 2, bin);
const loaded = await import(pathToFileURL(bin).href);
// glassbox.js finishes as its module does (top-level await); the helper's CommonJS bin exports `finished`.
if (bin.endsWith('.cjs') && typeof loaded.default?.finished?.then !== 'function') {
  throw new Error(`${bin} exports no \`finished\` promise: there is no telling when it is done`);
}
await loaded.default?.finished;
setImmediate(() => {
  const report = { active: process.getActiveResourcesInfo(), sockets: [...sockets.values()] };
  writeSync(2, `${MARKER}${JSON.stringify(report)}\n`);
});
