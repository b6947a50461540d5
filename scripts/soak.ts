// `pnpm soak`: the file-safety soak at full size, with the figures docs/file-safety.md quotes. The routines
// are the ones the tests run small (packages/docker-config/test/support/soak.ts, packages/cli/test/support/helper/cold-gets.ts). Not part of `npm test`:
// it starts hundreds of processes and takes a few minutes on two cores.
//
//   pnpm soak                      all four parts at full size
//   pnpm soak -- --small           the sizes of the regression tests (a quick check)
//   pnpm soak -- writers kill      only the parts named (writers, gets, kill, fuzz)
import { coldHelperGets } from '../packages/cli/test/support/helper/cold-gets.ts';
import { concurrentWriters, fuzzRoundTrips, killWriters } from '../packages/docker-config/test/support/soak.ts';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const small = args.includes('--small');
const only = args.filter((arg) => !arg.startsWith('--'));
const wanted = (part: string) => only.length === 0 || only.includes(part);
const size = small ? { writers: 24, gets: 10, kills: 15, fuzz: 150 } : { writers: 210, gets: 50, kills: 400, fuzz: 5_000 };

let failed = false;
function report(title: string, ok: boolean, figures: Record<string, unknown>, started: number): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${title} (${seconds} s)`);
  for (const [key, value] of Object.entries(figures)) console.log(`       ${key}: ${String(value)}`);
  if (!ok) failed = true;
}

if (wanted('writers')) {
  const started = Date.now();
  const r = await concurrentWriters(size.writers, 2);
  report(
    `${r.writers} concurrent writers, ${r.entries} entries, with a reader`,
    r.lost === 0 && r.invalidReads === 0 && r.failedWriters === 0 && r.unrelatedKept,
    { ...r },
    started,
  );
}
if (wanted('gets')) {
  const started = Date.now();
  const r = await coldHelperGets(size.gets);
  report(`${r.gets} cold docker-credential-glassbox gets at once`, r.apiCalls === 1 && r.failed === 0, { ...r }, started);
}
if (wanted('kill')) {
  const started = Date.now();
  const r = await killWriters(size.kills, 400);
  report(
    `${r.kills} writers killed with SIGKILL at random moments`,
    r.invalidAfterKill === 0 && r.firstEntryKept && r.temporariesAfterNextWrite === 0,
    { ...r },
    started,
  );
}
if (wanted('fuzz')) {
  const started = Date.now();
  const r = await fuzzRoundTrips(size.fuzz);
  report(`${r.documents} fuzzed config.json documents: set + remove round trip`, r.failures === 0, { ...r }, started);
}
process.exit(failed ? 1 : 0);
