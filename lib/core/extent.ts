/**
 * Smallest and largest values by a loop: `Math.min(...values)` overflows the call stack past
 * ~100,000 values (a long history, a waterfall of every feature).
 *
 * @module
 */

/**
 * The finite minimum and maximum of `values`, or `null` when none is finite.
 *
 * @example
 * ```ts
 * import { extent } from "./extent.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(extent([3, NaN, -1, 2]), [-1, 3]);
 * assert.deepEqual(extent(new Float64Array(500000).fill(1)), [1, 1]);
 * ```
 */
export function extent(values: Iterable<number>): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * The largest value of `f` over `items`, or `start` when there is none larger.
 *
 * @example
 * ```ts
 * import { maxOf } from "./extent.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(maxOf(["a", "abc"], (s) => s.length, 0), 3);
 * ```
 */
export function maxOf<T>(items: Iterable<T>, f: (item: T) => number, start: number): number {
  let best = start;
  for (const item of items) best = Math.max(best, f(item));
  return best;
}
