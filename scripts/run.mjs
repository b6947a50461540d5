// `npm test` / `npm run demo` on a machine that has only Node and npm: use pnpm if it is on the
// PATH, else run the pinned version through npx; install the workspace once, then run the script.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).packageManager;
const [, version] = pinned.split('@');

function pnpmCommand() {
  try {
    if (execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim() === version) return ['pnpm'];
  } catch {}
  return ['npx', '--yes', `pnpm@${version}`];
}

const [cmd, ...pre] = pnpmCommand();
const run = (args) => {
  const r = spawnSync(cmd, [...pre, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync(new URL('../node_modules/.modules.yaml', import.meta.url))) run(['install', '--frozen-lockfile']);
run(['run', ...process.argv.slice(2)]);
