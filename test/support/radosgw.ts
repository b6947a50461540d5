// Ceph's RADOS Gateway as a real S3 peer: a one-node cluster held in memory (a monitor, one OSD on
// `memstore`, the gateway's beast frontend), all on 127.0.0.1, everything (config, data, logs, admin
// sockets) in one temporary folder. Written by people who are not us, it verifies SigV4 headers,
// presigned queries (expiry and method included) and every chunk signature of an aws-chunked body;
// it does not check the region of the scope, and version 16 does not know the trailer modes.
//
// Started once per test run, however many suites use it: every suite registers through
// `radosgwSuite()` while the test files load (uvu imports them all before running any), so the count
// of users is known before the first `before` hook; the last suite's `after` hook stops the daemons,
// by PID, gateway first. `beforeExit`/`exit` hooks and signal handlers catch a run that ends another
// way. Cold start to a usable gateway: about 2 s on the 2-core machine (11 s with the monitor's
// default 1 s batching of map changes; see cephConf).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'uvu';
import { missingPrograms, suiteNeeding, type SystemProgram } from './system-programs.ts';
import { freePort } from './free-port.ts';

/** The programs the cluster needs (all from Debian's radosgw, ceph-mon, ceph-osd and ceph-common). */
export const RADOSGW_PROGRAMS: readonly SystemProgram[] = ['radosgw', 'radosgw-admin', 'ceph-mon', 'ceph-osd', 'ceph', 'monmaptool'];

/** A running gateway and the S3 user created on it. */
export interface Radosgw {
  /** `http://127.0.0.1:PORT`, path-style (no bucket in the host). */
  endpoint: string;
  /** `127.0.0.1:PORT`, as it appears in a signed Host header. */
  host: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where the daemons' logs are (removed at the end of the run unless GLASSBOX_KEEP_RADOSGW=1). */
  logDir: string;
  /** Milliseconds from nothing to a gateway that answers, per step and in total. */
  startup: Record<string, number>;
  /** The daemons' process ids, by Ceph name (mon.a, osd.0, client.rgw.a). */
  pids: Record<string, number>;
}

const STEP_TIMEOUT_MS = 30_000;
const GATEWAY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
// Lines of each log in a start failure's message. The daemons' logs name the user, never the key
// (radosgw-admin prints the secret in its JSON: that output is read here and never shown).
const LOG_TAIL_LINES = 25;
const EADDRINUSE = 98;

/** A cluster's folder and daemons (in start order). */
interface Cluster {
  dir: string;
  daemons: { name: string; child: ChildProcess }[];
}

class RadosgwStartError extends Error {
  readonly code = 'RADOSGW_START_FAILED';
}

let starting: Promise<Radosgw> | undefined;
let cluster: Cluster | undefined;
// While it starts: what to stop if the start fails.
let partial: Cluster | undefined;
let users = 0;
let stopping: Promise<void> | undefined;

/**
 * Starts the cluster, once: every caller gets the same promise (and the same failure).
 * The error of a failed start carries the tail of every daemon's log.
 */
export function startRadosgw(): Promise<Radosgw> {
  starting ??= startCluster();
  return starting;
}

/**
 * A uvu suite that needs the gateway: skipped locally (failing under CI) when the Ceph programs or
 * `alsoNeeds` are missing; otherwise its `before` hook starts (or joins) the one gateway of the run
 * and puts it in the state as `rgw`, and its `after` hook lets go of it (the last one stops it).
 *
 * @example
 * ```ts
 * const test = radosgwSuite('glassbox sign --send against radosgw');
 * test('ListBuckets answers 200', async ({ rgw }) => { … });
 * test.run();
 * ```
 */
export function radosgwSuite(name: string, alsoNeeds: readonly SystemProgram[] = []): Test<{ rgw: Radosgw }> {
  const programs = [...RADOSGW_PROGRAMS, ...alsoNeeds];
  const test = suiteNeeding<{ rgw: Radosgw }>(name, programs, {} as { rgw: Radosgw });
  // Count only suites whose hooks will run: a skipped suite never calls `after`.
  if (missingPrograms(programs).missing.length === 0 || process.env['CI']) {
    users++;
    test.before(async (state) => {
      state.rgw = await startRadosgw();
    });
    test.after(async () => {
      users--;
      if (users === 0) await stopRadosgw();
    });
  }
  return test;
}

/** Stops every daemon by PID (gateway first; SIGTERM, then SIGKILL after a grace period) and removes the folder. */
export function stopRadosgw(): Promise<void> {
  stopping ??= (async () => {
    await starting?.catch(() => undefined);
    const running = cluster ?? partial;
    if (running === undefined) return;
    // Gateway, OSD, monitor: one after the other, as an OSD whose monitor is gone waits 5 s
    // (osd_mon_shutdown_timeout) before it exits.
    for (const daemon of [...running.daemons].reverse()) await stopDaemon(daemon.child);
    // A failed start keeps its folder: the error named it, and its logs say why.
    if (cluster !== undefined && !process.env['GLASSBOX_KEEP_RADOSGW']) rmSync(running.dir, { recursive: true, force: true });
  })();
  return stopping;
}

process.on('beforeExit', () => {
  if ((cluster ?? partial) !== undefined && stopping === undefined) void stopRadosgw();
});
// Last resort (process.exit, an uncaught error): no time for a grace period, but no daemon left behind.
process.on('exit', killDaemons);

function killDaemons(): void {
  for (const { child } of (cluster ?? partial)?.daemons ?? []) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  if (cluster !== undefined && !process.env['GLASSBOX_KEEP_RADOSGW']) rmSync(cluster.dir, { recursive: true, force: true, maxRetries: 3 });
}

/** A run stopped by a signal (Ctrl-C, a CI timeout) kills the daemons, then dies of that signal as it would have. */
function killDaemonsOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killDaemons();
      process.kill(process.pid, signal);
    });
  }
}

async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function startCluster(): Promise<Radosgw> {
  const began = Date.now();
  const startup: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-radosgw-'));
  const logDir = join(dir, 'log');
  for (const sub of ['log', 'run', 'mon/mon.a', 'osd/osd.0', 'rgw']) mkdirSync(join(dir, sub), { recursive: true });
  partial = { dir, daemons: [] };
  killDaemonsOnSignals();
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await run();
    } catch (error) {
      throw new RadosgwStartError(`radosgw did not start: step '${name}' failed: ${(error as Error).message}\n${logTails(logDir)}`, {
        cause: error,
      });
    } finally {
      startup[name] = Date.now() - t0;
    }
  };

  const fsid = randomUUID();
  const monPort = await freePort();
  const conf = join(dir, 'ceph.conf');
  writeFileSync(conf, cephConf(dir, fsid, monPort));
  const ceph = (program: string, args: string[], timeoutMs = STEP_TIMEOUT_MS): Promise<string> =>
    run(program, ['-c', conf, ...args], timeoutMs);

  await step('monitor', async () => {
    await run('monmaptool', ['--create', '--clobber', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, join(dir, 'monmap')]);
    await ceph('ceph-mon', ['--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap')]);
    partial!.daemons.push({ name: 'mon.a', child: daemon('ceph-mon', ['-c', conf, '-f', '-i', 'a'], logDir, 'mon.a') });
    // Creating the OSD before the monitor answers hangs: ask until it does.
    await retry(() => ceph('ceph', ['--connect-timeout', '5', 'mon', 'stat'], 10_000), STEP_TIMEOUT_MS, partial!.daemons);
  });
  await step('osd', async () => {
    const uuid = randomUUID();
    await ceph('ceph', ['--connect-timeout', '10', 'osd', 'new', uuid]);
    await ceph('ceph-osd', ['-i', '0', '--mkfs', '--osd-uuid', uuid]);
    partial!.daemons.push({ name: 'osd.0', child: daemon('ceph-osd', ['-c', conf, '-f', '-i', '0'], logDir, 'osd.0') });
  });
  const gatewayPort = await step('gateway', async () => {
    for (let attempt = 1; ; attempt++) {
      // Chosen just before the gateway binds it; taken meanwhile by someone else, radosgw exits 98
      // (EADDRINUSE, "failed to bind address") at once, and another port is tried. (Its watches
      // linger for the OSD's 30 s watch timeout, which then slows `user create`: rare, and it works.)
      const port = await freePort();
      const args = ['-c', conf, '-f', '-n', 'client.rgw.a', '--rgw-frontends', `beast endpoint=127.0.0.1:${port}`];
      const gateway = { name: 'client.rgw.a', child: daemon('radosgw', args, logDir, 'client.rgw.a') };
      partial!.daemons.push(gateway);
      try {
        // It answers once the OSD is up and its pools are created; the daemons must stay alive meanwhile.
        await retry(() => isGateway(`http://127.0.0.1:${port}`), GATEWAY_TIMEOUT_MS, partial!.daemons);
        return port;
      } catch (error) {
        if (gateway.child.exitCode !== EADDRINUSE || attempt === 3) throw error;
        partial!.daemons.pop();
      }
    }
  });
  const endpoint = `http://127.0.0.1:${gatewayPort}`;
  const accessKeyId = `GLASSBOXRGW${randomBytes(6).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  await step('user', async () => {
    // Its own admin socket: the default name would be the gateway's.
    const output = await ceph('radosgw-admin', [
      '-n',
      'client.admin',
      '--admin-socket',
      join(dir, 'run', 'radosgw-admin.asok'),
      'user',
      'create',
      '--uid',
      'glassbox',
      '--display-name',
      'Glassbox tests',
      '--access-key',
      accessKeyId,
      '--secret-key',
      secretAccessKey,
    ]).catch((error: Error) => {
      throw new Error(error.message.replaceAll(secretAccessKey, '[redacted]'));
    });
    if (!output.includes(`"access_key": "${accessKeyId}"`)) throw new Error('radosgw-admin user create did not report the access key');
  });
  startup['total'] = Date.now() - began;
  const pids = Object.fromEntries(partial.daemons.map(({ name, child }) => [name, child.pid ?? 0]));
  const gateway: Radosgw = { endpoint, host: `127.0.0.1:${gatewayPort}`, accessKeyId, secretAccessKey, logDir, startup, pids };
  cluster = partial;
  partial = undefined;
  const steps = Object.entries(startup)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  process.stderr.write(`  radosgw ready at ${endpoint} (${steps}); logs in ${logDir}\n`);
  return gateway;
}

/** One monitor, one in-memory OSD, one gateway: the settings that make a single node legal, all on 127.0.0.1. */
function cephConf(dir: string, fsid: string, monPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
# msgr v1 alone leaves the OSD's second monitor client without the fsid ("wrong fsid"): v2 works.
auth cluster required = none
auth service required = none
auth client required = none
# radosgw defaults the monitor connection to "secure", which needs cephx: crc is what "none" offers.
ms mon client mode = crc
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
# The monitor batches map changes for 1 s; the gateway's first start creates a pool per change.
paxos propose interval = 0.05
paxos min wait = 0.01
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 2147483648
run dir = ${dir}/run
log file = ${dir}/log/$name.log
admin socket = ${dir}/run/$name.asok
pid file = ${dir}/run/$name.pid
mon data = ${dir}/mon/$name
osd data = ${dir}/osd/$name
# Nothing from /etc/ceph: no keyring is needed without cephx.
keyring = ${dir}/keyring
# rgw frontends (beast on 127.0.0.1) is given on the gateway's command line, with its port.
rgw data = ${dir}/rgw
rgw thread pool size = 32
`;
}

/** Runs a program to completion within `timeoutMs`; rejects with its status and output tail. */
function run(program: string, args: string[], timeoutMs = STEP_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      const why = error.killed ? `timed out after ${timeoutMs / 1000} s` : `exited ${error.code ?? error.signal}`;
      reject(
        new Error(
          `${program} ${args
            .filter((a) => a !== '-c')
            .slice(0, 4)
            .join(' ')}… ${why}: ${tail(`${stdout}${stderr}`, 8)}`,
        ),
      );
    });
  });
}

/** Starts a daemon in the foreground (so its PID is the child's), output to a file beside its log. */
function daemon(program: string, args: string[], logDir: string, name: string): ChildProcess {
  const out = openSync(join(logDir, `${name}.out`), 'a');
  const child = spawn(program, args, { stdio: ['ignore', out, out] });
  closeSync(out);
  child.on('error', () => undefined); // reported by the liveness check
  // Unreferenced: a live daemon must not keep the test process from ending (beforeExit stops it).
  child.unref();
  return child;
}

/** Calls `attempt` until it resolves, failing after `timeoutMs` or as soon as a daemon has exited. */
async function retry<T>(attempt: () => Promise<T>, timeoutMs: number, daemons: { name: string; child: ChildProcess }[]): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const dead = daemons.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode})`);
    try {
      return await attempt();
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000} s: ${(last as Error)?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Resolves when `endpoint` answers as a RADOS Gateway (not some other server that took the port). */
function isGateway(endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(endpoint + '/', { timeout: 5_000 }, (res) => {
      res.resume();
      const id = String(res.headers['x-amz-request-id'] ?? '');
      // RGW's request ids end with the zone's name: tx…-…-default.
      if (/^tx[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-default$/.test(id)) resolve();
      else reject(new Error(`port answered HTTP ${res.statusCode} without a RADOS Gateway request id`));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

function logTails(logDir: string): string {
  if (!existsSync(logDir)) return '';
  const parts: string[] = [];
  for (const name of ['mon.a', 'osd.0', 'client.rgw.a']) {
    for (const file of [`${name}.log`, `${name}.out`]) {
      const path = join(logDir, file);
      if (!existsSync(path)) continue;
      const text = tail(readFileSync(path, 'utf8'), LOG_TAIL_LINES);
      if (text.trim() !== '') parts.push(`--- ${path} (last lines) ---\n${text}`);
    }
  }
  return parts.join('\n');
}

function tail(text: string, lines: number): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n');
}
