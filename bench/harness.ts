// The benchmark harness: each benchmark prints its figures beside a baseline measured in
// the same run (these machines are noisy: ratios matter, not single absolute times).
// Servers and PostgreSQL are started by the harness the tests share, test/support/harness.ts.

export interface Figure {
  /** What was measured, e.g. "gateway Echo (TC3 POST) req/s". */
  name: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, when the figure is a ratio against one. */
  baseline?: { name: string; value: number };
  /** The target, e.g. ">= 0.5 of baseline" or "<= 100 ms", and whether it was met. */
  target?: string;
  met?: boolean;
}

export interface Benchmark {
  /** Short name used to select it: `npm run bench -- gateway`. */
  name: string;
  /**
   * A scale or memory benchmark that runs for minutes (a million events, five minutes of
   * ingest): run when named or with `all`, not by a bare `npm run bench`, which stays near
   * 10 minutes on the 2-core development machine.
   */
  long?: boolean;
  run(): Promise<Figure[]>;
}

export function printFigures(bench: string, figures: Figure[]): void {
  for (const f of figures) {
    const base = f.baseline
      ? `  | baseline ${f.baseline.name}: ${fmt(f.baseline.value)} → ratio ${(f.value / f.baseline.value).toFixed(2)}`
      : "";
    const target = f.target ? `  | target ${f.target}: ${f.met === undefined ? "?" : f.met ? "met" : "NOT met"}` : "";
    process.stdout.write(`[${bench}] ${f.name}: ${fmt(f.value)} ${f.unit}${base}${target}\n`);
  }
}

const fmt = (n: number): string => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2));

/** The median of a list of numbers (of an even count, the mean of the middle two). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** p-quantile of a list of numbers (q in 0..1). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
