// Preloaded with `node --import` into the built credential helper by helper-modules.test.ts: records every
// module the process loads into the file named by GLASSBOX_MODULE_LIST, one path or URL a line. ES modules
// are seen by a load hook (module-list-hooks.mjs, in the hooks thread); CommonJS ones (undici, required
// from inside a package) by require's cache at exit. Plain JavaScript: the child runs without tsx.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.GLASSBOX_MODULE_LIST;
if (file) {
  register('./module-list-hooks.mjs', import.meta.url, { data: { file } });
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
