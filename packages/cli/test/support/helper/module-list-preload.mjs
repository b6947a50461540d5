// Preloaded with `node --import` into the built credential helper by helper-modules.test.ts: at exit, appends
// every CommonJS module the process loaded (require's cache: the bin itself, proper-lockfile, undici) to the
// file named by GLASSBOX_MODULE_LIST, one path a line. ES modules are listed by Node itself (NODE_DEBUG=esm),
// since a load hook does not see those that the bin's require() loads. Plain JavaScript: the child runs
// without tsx.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.GLASSBOX_MODULE_LIST;
if (file) {
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    appendFileSync(
      file,
      Object.keys(require.cache)
        .map((path) => `${path}\n`)
        .join(''),
    );
  });
}
