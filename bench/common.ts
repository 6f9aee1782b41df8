/**
 * Shared pieces of the bench: the row format, medians, timing and peak memory.
 *
 * @module
 */

/** One measured figure. */
export interface BenchRow {
  /** The comparison it belongs to, e.g. "article run". */
  group: string;
  /** What was measured, e.g. "tfjs fit (cpu)". */
  name: string;
  /** The figure (NaN when it could not be measured: see `note`). */
  value: number;
  /** Its unit, e.g. "us/step", "s", "ms", "KB", "MiB". */
  unit: string;
  /** The target, as text, e.g. "< 200 ms". */
  target?: string;
  /** Whether the target is met in this run (set on the rows the table names). */
  met?: boolean;
  /** True for rows measured in another framework (PyTorch, scikit-learn). */
  peer?: boolean;
  /** Anything a reader should know (e.g. "not installed"). */
  note?: string;
}

/** Options every bench section receives. */
export interface BenchOptions {
  /** Fewer repetitions and smaller runs, for a smoke test. */
  quick?: boolean;
  /** Repetitions of each timed run (a section's default otherwise). */
  reps?: number;
  /** Leave out tfjs's own `fit` rows (minutes on the large run on a loaded machine). */
  noTfjs?: boolean;
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` once to warm up, then `reps` times; returns the median seconds. */
export async function timeIt(
  fn: () => unknown | Promise<unknown>,
  reps: number,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, Deno.memoryUsage().rss);
}, 20);
Deno.unrefTimer(sampler);

/** Starts a new peak-memory window. */
export function resetPeak(): void {
  peak = Deno.memoryUsage().rss;
}

/** The highest resident set size seen since {@linkcode resetPeak}, in bytes. */
export function peakRss(): number {
  return Math.max(peak, Deno.memoryUsage().rss);
}
