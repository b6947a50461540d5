// The real peers the end-to-end tests run (Debian packages), and what a suite does when one is absent:
// on a developer's machine its tests are skipped, counted in `skipped`, with the reason and the command
// that installs what is missing; under CI=true the same absence is a failure (.ci/run installs them all).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as assert from 'uvu/assert';
import { suite, type Test } from 'uvu';

/** Each program a test may run, and the Debian package that brings it. */
export const SYSTEM_PROGRAMS = {
  chromium: 'chromium',
  skopeo: 'skopeo',
  'docker-registry': 'docker-registry',
  htpasswd: 'apache2-utils',
  radosgw: 'radosgw',
  'radosgw-admin': 'radosgw',
  'ceph-mon': 'ceph-mon',
  'ceph-osd': 'ceph-osd',
  ceph: 'ceph-common',
  monmaptool: 'ceph-mon',
  curl: 'curl',
  aws: 'awscli',
  openssl: 'openssl',
} as const;

/** A program name from {@link SYSTEM_PROGRAMS}. */
export type SystemProgram = keyof typeof SYSTEM_PROGRAMS;

/** The absolute path of a program found on PATH (or /usr/bin, /usr/sbin), or undefined. */
export function findProgram(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of [...path.split(delimiter), '/usr/bin', '/usr/sbin', '/bin', '/sbin']) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The programs of `names` that are not installed, and the one command that installs them. */
export function missingPrograms(names: readonly SystemProgram[]): { missing: SystemProgram[]; install: string } {
  // GLASSBOX_TEST_MISSING=radosgw,curl pretends those are absent: to see (and test) the skip path.
  const pretend = new Set((process.env['GLASSBOX_TEST_MISSING'] ?? '').split(',').filter(Boolean));
  const missing = names.filter((name) => pretend.has(name) || findProgram(name) === undefined);
  const packages = [...new Set(missing.map((name) => SYSTEM_PROGRAMS[name]))];
  return { missing, install: `apt-get install ${packages.join(' ')}` };
}

/**
 * A uvu suite whose tests need real programs. With all of them installed (or under CI=true, where a
 * missing one must fail loudly) it is the plain suite. Otherwise every test and hook registered on it
 * is skipped, the reason is printed once, and `run()` counts the skips.
 *
 * @example
 * ```ts
 * const test = suiteNeeding('radosgw end to end', ['radosgw', 'ceph-mon', 'ceph-osd']);
 * test.before(startGateway); // never called when the programs are missing locally
 * test('PUT then GET is byte-exact', async () => { … });
 * test.run();
 * ```
 */
export function suiteNeeding<State = Record<string, unknown>>(
  name: string,
  programs: readonly SystemProgram[],
  state?: State,
): Test<State> {
  const real = suite<State>(name, state);
  const { missing, install } = missingPrograms(programs);
  if (missing.length === 0) return real;
  const reason = `${missing.join(', ')} not installed (${install}; .ci/run does)`;
  if (process.env['CI']) {
    // Fail first, with the reason, before any hook can fail with a less helpful one.
    const failing = suite<State>(name, state);
    failing(`the programs this suite needs are installed`, () => assert.unreachable(reason));
    failing.run();
    return real;
  }
  console.log(`\n  skipping "${name}": ${reason}`);
  const skip = ((_title: string) => real.skip()) as unknown as Test<State>;
  const noop = (() => undefined) as never;
  Object.assign(skip, {
    skip: () => real.skip(),
    only: () => real.skip(),
    before: Object.assign(noop, { each: noop }),
    after: Object.assign(noop, { each: noop }),
    run: () => real.run(),
  });
  return skip;
}
