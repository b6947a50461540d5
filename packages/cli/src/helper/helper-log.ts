/** `GLASSBOX_LOG`: the helper's optional log file, one line per event, never anything secret, never stdout. */
import type { Env } from '@glassbox/docker-config/token-cache';

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises) and costs a warm `get` several milliseconds; this reads the same module.
const { closeSync, constants, fchmodSync, fstatSync, openSync, writeSync } = process.getBuiltinModule('node:fs');

/**
 * Appends one line to the log file: created 0600 (a umask only narrows that), and an existing regular file
 * of ours with group or other bits is tightened to 0600 (a log holds registry names and identities), said
 * in the log itself. Opened with O_NONBLOCK: a FIFO nobody reads fails with ENXIO instead of hanging the
 * helper; a terminal or /dev/stderr is written to as it is, never chmod-ed.
 */
function appendLogLine(file: string, prefix: string, message: string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o600);
  try {
    const info = fstatSync(fd);
    const ours = typeof process.getuid !== 'function' || info.uid === process.getuid();
    let text = `${prefix} ${message}\n`;
    if (info.isFile() && ours && (info.mode & 0o077) !== 0) {
      fchmodSync(fd, 0o600);
      text = `${prefix} log file was mode 0${(info.mode & 0o777).toString(8)}; changed it to 0600\n${text}`;
    }
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * A logger appending to `GLASSBOX_LOG` when it is set (a no-op otherwise), each message through `redact`.
 *
 * @example
 * ```ts
 * const log = makeLogger({ GLASSBOX_LOG: '/tmp/helper.log' }, Date.now, (text) => text);
 * log('get 123456789012.dkr.ecr.eu-west-1.amazonaws.com: cache hit');
 * ```
 */
export function makeLogger(env: Env, now: () => number, redact: (text: string) => string): (message: string) => void {
  const file = env['GLASSBOX_LOG'];
  if (!file) return () => undefined;
  return (message) => {
    try {
      appendLogLine(file, `${new Date(now()).toISOString()} docker-credential-glassbox[${process.pid}]`, redact(message));
    } catch {
      // Logging must never break the protocol.
    }
  };
}
