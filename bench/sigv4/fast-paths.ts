// The gains that packages/sigv4/src/fast-paths.ts (and hash-node.ts's HMAC from pad blocks) state: for each shortcut, the work a hit skips
// against the hit, in ns per call (median of interleaved rounds), and that difference as a share of one
// signature (ECR GetAuthorizationToken POST, and an S3-style presign). Internals are imported from
// source on purpose: they are not public. Run: node --import tsx bench/sigv4/fast-paths.ts
import { formatSecond } from '../../packages/sigv4/src/amz-date.ts';
import { amzDateOfSecond, bodyHex, encodedCredential } from '../../packages/sigv4/src/fast-paths.ts';
import { nodeSha256 } from '../../packages/sigv4/src/hash-node.ts';
import { uriEncode } from '../../packages/sigv4/src/uri-encode.ts';
import { presign, sign } from '@glassbox/sigv4';
import { createHmac } from 'node:crypto';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date('2015-08-30T12:36:00Z');
const rounds = 9;
let sink: unknown;

/** Median ns per call of each function, run round by round interleaved. */
async function nsPerCall(cases: Record<string, () => unknown>, iterations: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) {
        const value = run();
        sink = value instanceof Promise ? await value : value;
      }
      samples[name]!.push(Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, median(xs)]));
}

const second = Math.floor(date.getTime() / 1000);
const raw = `AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request`;
// The ECR POST's string to sign, under a signing key used more than once (as the cached key is).
const stringToSign = `AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/ecr/aws4_request\n${'5'.repeat(64)}`;
const signingKey = new Uint8Array(32).fill(3);
nodeSha256.hmacHex!(signingKey, stringToSign);
const micro = await nsPerCall(
  {
    'format the time': () => formatSecond(second),
    'format the time, remembered': () => amzDateOfSecond(second, formatSecond),
    "hash the body '{}'": () => nodeSha256.hex('{}'),
    "hash the body '{}', remembered": () => bodyHex('{}', nodeSha256),
    'encode X-Amz-Credential': () => uriEncode(raw),
    'encode X-Amz-Credential, remembered': () => encodedCredential(raw, uriEncode),
    'HMAC with createHmac': () => createHmac('sha256', signingKey).update(stringToSign).digest('hex'),
    'HMAC from pad blocks': () => nodeSha256.hmacHex!(signingKey, stringToSign),
  },
  200_000,
);

const whole = await nsPerCall(
  {
    'sign ECR POST': () =>
      sign(
        {
          method: 'POST',
          url: 'https://api.ecr.us-east-1.amazonaws.com/',
          body: '{}',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
          },
        },
        { credentials, region: 'us-east-1', service: 'ecr', date },
      ),
    'presign S3 GET': () =>
      presign(
        { method: 'GET', url: 'https://bucket.s3.us-east-1.amazonaws.com/key.txt' },
        { credentials, region: 'us-east-1', service: 's3', date, expiresIn: 900 },
      ),
  },
  20_000,
);

const row = (label: string, without: string, withIt: string, of: string) => {
  const gain = micro[without]! - micro[withIt]!;
  console.log(
    `  ${label.padEnd(26)} ${micro[without]!.toFixed(0).padStart(6)} ns → ${micro[withIt]!.toFixed(0).padStart(4)} ns   gain ${(gain / 1000).toFixed(2)} µs = ${((100 * gain) / whole[of]!).toFixed(1)}% of a ${of} (${(whole[of]! / 1000).toFixed(1)} µs)`,
  );
};
console.log(`fast paths (packages/sigv4/src/fast-paths.ts), Node ${process.version}, medians of ${rounds} interleaved rounds`);
row('amzDateOfSecond', 'format the time', 'format the time, remembered', 'sign ECR POST');
row('bodyHex', "hash the body '{}'", "hash the body '{}', remembered", 'sign ECR POST');
row('hmacHex (hash-node.ts)', 'HMAC with createHmac', 'HMAC from pad blocks', 'sign ECR POST');
row('encodedCredential', 'encode X-Amz-Credential', 'encode X-Amz-Credential, remembered', 'presign S3 GET');
void sink;
