// A tiny interleaved benchmark harness: every candidate of a scenario runs in the same process,
// round after round in a rotating order, so drift in CPU frequency or GC pressure hits all of them
// alike. Results are medians of per-round ratios against a named baseline.

export interface Candidate {
  name: string;
  /** One operation; resolves when done. */
  run: () => unknown;
}

export interface ScenarioResult {
  scenario: string;
  rows: { name: string; opsPerSecond: number; ratio: Record<string, number> }[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timeSlice(candidate: Candidate, sliceMs: number, batch: number): Promise<number> {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < sliceMs) {
    // Batches keep the clock reads out of the measurement for fast operations.
    for (let i = 0; i < batch; i++) await candidate.run();
    ops += batch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Runs `rounds` rounds of `sliceMs` per candidate, rotating the order, after one warm-up round. */
export async function runScenario(
  scenario: string,
  candidates: Candidate[],
  compareTo: string[],
  { rounds = 7, sliceMs = 150, batch = 16 } = {},
): Promise<ScenarioResult> {
  for (const c of candidates) await timeSlice(c, sliceMs, batch); // warm-up: JIT and caches
  const perRound: Record<string, number[]> = Object.fromEntries(candidates.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = candidates.map((_, i) => candidates[(i + round) % candidates.length]!);
    for (const c of order) perRound[c.name]!.push(await timeSlice(c, sliceMs, batch));
  }
  return {
    scenario,
    rows: candidates.map((c) => ({
      name: c.name,
      opsPerSecond: median(perRound[c.name]!),
      ratio: Object.fromEntries(compareTo.map((base) => [base, median(perRound[c.name]!.map((ops, i) => ops / perRound[base]![i]!))])),
    })),
  };
}

/** Prints one scenario as an aligned table. `unitBytes` turns ops/s into MB/s. */
export function printScenario(result: ScenarioResult, unitBytes?: number): string {
  const lines = [`\n${result.scenario}`];
  const bases = Object.keys(result.rows[0]?.ratio ?? {});
  lines.push(
    `  ${'candidate'.padEnd(44)}${'ops/s'.padStart(12)}${unitBytes ? 'MB/s'.padStart(10) : ''}${bases.map((b) => `  vs ${b}`.padStart(20)).join('')}`,
  );
  for (const row of result.rows) {
    const mbs = unitBytes ? ((row.opsPerSecond * unitBytes) / 1e6).toFixed(0).padStart(10) : '';
    lines.push(
      `  ${row.name.padEnd(44)}${row.opsPerSecond.toFixed(row.opsPerSecond < 100 ? 2 : 0).padStart(12)}${mbs}${bases.map((b) => `${row.ratio[b]!.toFixed(2)}x`.padStart(20)).join('')}`,
    );
  }
  const text = lines.join('\n');
  console.log(text);
  return text;
}
