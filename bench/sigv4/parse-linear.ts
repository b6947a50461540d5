// pnpm bench: parseHttpRequest is linear in its input. Each scenario parses an input and the same
// input ten times larger; a linear parser takes about 10× as long, a quadratic one about 100×. The
// anchor is the OWS trim the parser used before (`/^[ \t]+|[ \t]+$/g`), on a run of inner spaces, so
// the contrast is in the same table. Prints the fastest of a few timed runs per size (the least
// disturbed by a busy machine), and the ratio. The headers are a plain object (the public shape),
// and V8 itself slows per key as an object grows past a few thousand keys: the floor row, a plain
// object filled with the same N keys, shows that part, which no parser can avoid.
import { cpus } from 'node:os';
import { parseHttpRequest, sign } from '@glassbox/sigv4';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 7;

async function bestMs(task: () => unknown): Promise<number> {
  await task(); // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const spacesValue = (n: number): string => `GET / HTTP/1.1\nHost: h\nX-Spaces: a${' '.repeat(n)}b\n`;
const distinctHeaders = (n: number): string => {
  const lines = ['GET / HTTP/1.1', 'Host: h'];
  for (let i = 0; i < n; i++) lines.push(`X-H${i}: v${i}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
};
const repeatedHeader = (n: number): string => {
  const lines = ['GET / HTTP/1.1', 'Host: h'];
  for (let i = 0; i < n; i++) lines.push(`X-Same: ${i}`);
  return `${lines.join('\n')}\n`;
};
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signOptions = { credentials, region: 'us-east-1', service: 'service', date: '20150830T123600Z' };
const oldTrim = (n: number): string => `a${' '.repeat(n)}b`.replace(/^[ \t]+|[ \t]+$/g, '');

const scenarios: [name: string, small: number, make: (n: number) => () => unknown][] = [
  [
    'parse: one value of N inner spaces',
    100_000,
    (n) => {
      const text = spacesValue(n);
      return () => parseHttpRequest(text);
    },
  ],
  [
    'parse: N distinct headers',
    5_000,
    (n) => {
      const text = distinctHeaders(n);
      return () => parseHttpRequest(text);
    },
  ],
  [
    'parse: one header repeated N times',
    5_000,
    (n) => {
      const text = repeatedHeader(n);
      return () => parseHttpRequest(text);
    },
  ],
  [
    'parse as bytes: N distinct headers',
    5_000,
    (n) => {
      const bytes = Buffer.from(distinctHeaders(n));
      return () => parseHttpRequest(bytes);
    },
  ],
  [
    'parse + sign: N distinct headers',
    5_000,
    (n) => {
      const text = distinctHeaders(n);
      return () => sign(parseHttpRequest(text), signOptions);
    },
  ],
  [
    'parse + sign with trace (the CLI): N headers',
    5_000,
    (n) => {
      const text = distinctHeaders(n);
      return () => sign(parseHttpRequest(text), { ...signOptions, trace: true });
    },
  ],
  [
    'floor: a plain object filled with N keys',
    5_000,
    (n) => () => {
      const o: Record<string, string> = {};
      for (let i = 0; i < n; i++) o[`X-H${i}`] = `v${i}`;
      return o;
    },
  ],
  ['anchor, the old trim regex: N inner spaces', 2_000, (n) => () => oldTrim(n)],
];

console.log(`\nparseHttpRequest linearity — Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, best of ${runs} runs`);
console.log(
  `${'scenario'.padEnd(46)}${'N'.padStart(10)}${'ms'.padStart(10)}${'10×N'.padStart(10)}${'ms'.padStart(10)}   ratio (linear ≈ 10, quadratic ≈ 100)`,
);
for (const [name, small, make] of scenarios) {
  const a = await bestMs(make(small));
  const b = await bestMs(make(small * 10));
  console.log(
    `${name.padEnd(46)}${String(small).padStart(10)}${a.toFixed(2).padStart(10)}${String(small * 10).padStart(10)}${b.toFixed(2).padStart(10)}   ${(b / a).toFixed(1)}×`,
  );
}
