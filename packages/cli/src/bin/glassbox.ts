#!/usr/bin/env node
// The `glassbox` command. All the work is in main(); this file only binds it to the process.

// Before anything loads undici (hence the dynamic import below), which happens only through a proxy: direct
// exchanges use Node's own client (packages/aws/src/transport/node-client.ts). undici compiles its HTTP
// parser, llhttp in WebAssembly, as its module loads (undici 6 lib/dispatcher/client-h1.js, `lazyllhttp()`);
// V8 then recompiles it with TurboFan on a background thread, and Node does not exit until that thread is
// done (NodePlatform::DrainTasks): 0.1–0.8 s after the password was written, on every run. Liftoff's code
// parses the few kilobytes a run reads as well. Only when a proxy variable is set, because loading node:v8
// costs every other run a few milliseconds. Measured in docs/benchmarks.md ("The main job").
if (Object.keys(process.env).some((name) => /^https?_proxy$/i.test(name))) {
  process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
}

const { main, processIo } = await import('../program.ts');
process.exitCode = await main(process.argv.slice(2), processIo());
