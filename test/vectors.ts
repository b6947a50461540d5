// The official AWS SigV4 test suite, read as data from test/vectors/ in this repository (its README
// names the source, licence and quirks); GLASSBOX_VECTORS points elsewhere.
// Nothing here is transcribed: every expected value comes from the suite's own files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const suiteDir = process.env.GLASSBOX_VECTORS ?? resolve(repoRoot, 'test', 'vectors', 'aws-sig-v4-test-suite');

/** The signing parameters every case uses (see the suite's README). */
export const suiteParameters = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
  date: '20150830T123600Z',
} as const;

export interface VectorCase {
  /** e.g. `get-vanilla`, `normalize-path/get-space`. */
  name: string;
  dir: string;
  req: string;
  creq: string;
  sts: string;
  authz: string;
  sreq: string;
}

/** Every case folder (one holding `<name>.req`), recursively. */
export function loadVectors(): VectorCase[] {
  if (!existsSync(suiteDir)) throw new Error(`official SigV4 suite not found at ${suiteDir} (set GLASSBOX_VECTORS)`);
  const cases: VectorCase[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (!statSync(path).isDirectory()) continue;
      const file = (ext: string): string => readFileSync(join(path, `${entry}.${ext}`), 'utf8');
      if (existsSync(join(path, `${entry}.req`))) {
        cases.push({
          name: relative(suiteDir, path),
          dir: path,
          req: file('req'),
          creq: file('creq'),
          sts: file('sts'),
          authz: file('authz'),
          sreq: file('sreq'),
        });
      }
      walk(path);
    }
  };
  walk(suiteDir);
  return cases;
}

/**
 * The session token a case is signed with, taken from the suite's files: the `.sreq`/`.creq` carry
 * it for the two token cases; the README documents which ones. Returns the token and whether it is
 * signed (in the canonical request) or added after signing.
 */
export function sessionTokenFor(vector: VectorCase): { sessionToken?: string; signSessionToken: boolean } {
  const inCreq = /^x-amz-security-token:(.*)$/m.exec(vector.creq)?.[1];
  const inSreq = /^X-Amz-Security-Token:\s*(.*)$/im.exec(vector.sreq)?.[1];
  if (inCreq !== undefined) return { sessionToken: inCreq, signSessionToken: true };
  if (inSreq !== undefined) return { sessionToken: inSreq, signSessionToken: false };
  return { signSessionToken: true };
}
