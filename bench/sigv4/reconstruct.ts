// How fast reconstruct() searches: candidates per second with node:crypto and with the pure-JS
// @aws-crypto/sha256-js (what a browser page would pass), on a request with a large candidate space
// and a secret that reproduces nothing, so the search runs until its one-second budget; and how many
// candidates the common cases need. Run: node --import tsx bench/sigv4/reconstruct.ts
import { Sha256 } from '@aws-crypto/sha256-js';
import { reconstruct, sign } from '@glassbox/sigv4';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signed = await sign(
  {
    method: 'PUT',
    url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod//my%20file+x.txt/?b=2&a=1&q=a+b&empty&tag=z&tag=y',
    headers: {
      'Content-Type': 'application/json',
      'X-Tag': ['a', 'b'],
      'X-Note': 'a  b',
      'Content-Length': '2',
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    },
    body: '{}',
  },
  { credentials, region: 'us-east-1', service: 'execute-api', date: '20260115T093000Z' },
);
const request = { method: 'PUT', url: signed.request.url, headers: signed.request.headers, body: '{}' };
const wrong = { ...credentials, secretAccessKey: 'a-secret-that-reproduces-nothing' };

for (const [name, sha256] of [
  ['node:crypto', undefined],
  ['@aws-crypto/sha256-js', Sha256],
] as const) {
  const rates: number[] = [];
  let last = reconstruct(request, wrong, sha256 ? { sha256 } : {});
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    last = reconstruct(request, wrong, sha256 ? { sha256 } : {});
    rates.push(last.tried / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(22)} ${Math.round(rates[2]!).toLocaleString('en')} candidates/s (median of 5), space ${last.space.toLocaleString('en')}, exhausted: ${last.exhausted}`,
  );
}
const found = reconstruct(request, credentials);
console.log(`signed by the rules: ${found.code} after ${found.tried} candidate(s)`);
