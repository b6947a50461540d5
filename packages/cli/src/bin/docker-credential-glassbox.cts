#!/usr/bin/env node
/**
 * docker-credential-glassbox: Docker's credential helper for Amazon ECR. The program is the ES module
 * `../helper/helper-process.ts`, which runs the helper as it loads; this file only loads it.
 *
 * CommonJS on purpose. Docker runs the helper on every pull and push, and Node starts a CommonJS entry
 * about 10 ms sooner than an ES module one, the difference between a warm `get` at 1.5x and at 1.35x a
 * bare `node -e ""` (docs/benchmarks.md, "The main job's last milliseconds"). `require()` of an ES
 * module, which Node has without a flag since 20.19 (the engines field), skips the ES module entry's
 * set-up and loads the same graph. A Node without it (older, or run with --no-experimental-require-module)
 * takes `import()`.
 */
type HelperProcess = typeof import('../helper/helper-process.js');

let finished: Promise<void>;
try {
  finished = (require('../helper/helper-process.js') as HelperProcess).finished;
} catch (error) {
  // No require(esm) in this Node, or a top-level await somewhere in the graph (which require() refuses
  // before it runs anything): the same module by import(), a little slower, rather than no helper at all.
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
  finished = import('../helper/helper-process.js').then((program) => program.finished);
}

// For whoever loads the bin as a module (the tests' open-resources wrapper): settled once the exit status is set.
module.exports = { finished };
