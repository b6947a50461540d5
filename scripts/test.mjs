// Runs every uvu test file (packages/*/test and test/) in one process, from TypeScript source:
// the `glassbox-source` export condition points workspace imports at src/, tsx strips the types.
// Ends with the plain "N passed, N failed" line that CI reads.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const uvuBin = new URL('../bin.js', 'file://' + require.resolve('uvu')).pathname;
// Any number of substrings: a test file runs when its path contains one of them (none: every file).
const filters = process.argv.slice(2).map((filter) => filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const pattern = `^(?=.*(?:${filters.join('|')}))(packages/[^/]+/test|test)/.*\\.test\\.ts$`;

const child = spawn(
  process.execPath,
  ['--conditions=glassbox-source', '--import', 'tsx', uvuBin, '.', pattern, '-i', 'node_modules', '-i', 'dist'],
  { stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, GLASSBOX_TEST: '1' } },
);
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failed = total - passed; // uvu's Total counts the tests that ran (skips are apart)
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  // uvu's own status is not enough: a run that printed no summary (it crashed) or counted a test as
  // neither passed nor skipped has failed, whatever uvu exited with.
  const summarized = /Total:\s+\d+/.test(plain);
  process.exit(code !== 0 ? (code ?? 1) : !summarized || failed > 0 ? 1 : 0);
});
