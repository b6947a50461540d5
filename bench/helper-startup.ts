// The credential helper's start-up cost, which Docker pays on every pull and push: the median wall time
// of a warm-cache `docker-credential-glassbox get` against bare `node -e ""`, spawned alternately so
// both see the same machine load. Run after `tsc -b` (pnpm bench does it):
//   node --import tsx bench/helper-startup.ts [--rounds N]
// The cache is warmed once through a stand-in GetAuthorizationToken endpoint on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELPER = fileURLToPath(new URL('../packages/cli/dist/bin/docker-credential-glassbox.cjs', import.meta.url));
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag > 0 ? Math.max(3, Number(process.argv[roundsFlag + 1]) || 30) : 30;

function timeRun(args: string[], stdin: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout }));
    child.stdin.end(stdin);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Answers any POST as GetAuthorizationToken does (no signature check: this only fills the cache).
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const body = JSON.stringify({
      authorizationData: [
        {
          authorizationToken: Buffer.from('AWS:bench-password').toString('base64'),
          expiresAt: Date.now() / 1000 + 43_200,
          proxyEndpoint: `https://${HOST}`,
        },
      ],
    });
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'bench' });
    response.end(body);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const dir = await mkdtemp(join(tmpdir(), 'glassbox-bench-helper-'));
const env: NodeJS.ProcessEnv = {
  PATH: process.env['PATH'],
  HOME: dir,
  GLASSBOX_CACHE_DIR: join(dir, 'cache'),
  AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${port}`,
};

try {
  const cold = await timeRun([HELPER, 'get'], HOST, env);
  if (cold.code !== 0 || !cold.stdout.includes('bench-password')) throw new Error(`the cold get failed: ${cold.stdout}`);
  server.close();

  // An empty ES module: the floor for any ESM bin (the ESM loader's own start-up), for context.
  const emptyModule = join(dir, 'empty.mjs');
  await writeFile(emptyModule, '');
  const bare: number[] = [];
  const esm: number[] = [];
  const warm: number[] = [];
  const notEcr: number[] = [];
  for (let round = 0; round < rounds; round++) {
    bare.push((await timeRun(['-e', ''], '', env)).ms);
    esm.push((await timeRun([emptyModule], '', env)).ms);
    const hit = await timeRun([HELPER, 'get'], HOST, env);
    if (hit.code !== 0) throw new Error('a warm get failed');
    warm.push(hit.ms);
    notEcr.push((await timeRun([HELPER, 'get'], 'docker.io', env)).ms);
  }
  const bareMedian = median(bare);
  console.log(`docker-credential-glassbox start-up, ${rounds} interleaved rounds (node ${process.version})`);
  console.log(`  node -e ""                  median ${bareMedian.toFixed(1)} ms`);
  console.log(`  node empty.mjs              median ${median(esm).toFixed(1)} ms  ratio ${(median(esm) / bareMedian).toFixed(2)}x`);
  console.log(`  get, warm cache (ECR host)  median ${median(warm).toFixed(1)} ms  ratio ${(median(warm) / bareMedian).toFixed(2)}x`);
  console.log(`  get, not an ECR host        median ${median(notEcr).toFixed(1)} ms  ratio ${(median(notEcr) / bareMedian).toFixed(2)}x`);
  console.log(`  cold get (API call, once)   ${cold.ms.toFixed(1)} ms`);
  console.log(
    `  load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} (medians drift with load; ratios less so)`,
  );
  console.log('  target: warm get within 1.5x of bare node (issue 4)');
} finally {
  server.close();
  await rm(dir, { recursive: true, force: true });
}
