/**
 * Background summaries for explanations: a large background is reduced to a few rows, by a
 * seeded sample or by k-means with each centre snapped to a real row and weighted by its
 * cluster's size (as `shap.kmeans` weights its summary).
 *
 * @module
 */
import type { Rng } from "../core/random.ts";

/** How a background of more than `max` rows is reduced: a seeded sample or k-means. */
export type Summarize = "sample" | "kmeans";

/** Rows chosen to stand for a background, each with its weight in the average. */
export interface BackgroundSummary {
  /** The chosen rows, row-major (`rows` x features). */
  data: Float32Array;
  /** How many rows were chosen. */
  rows: number;
  /** Which of the given rows they are, ascending. */
  indices: number[];
  /** Each row's weight; they sum to 1. */
  weights: Float64Array;
  /** True when the weights differ (k-means cluster sizes). */
  weighted: boolean;
}

/** Options of {@linkcode summarizeRows}. */
export interface SummarizeOptions {
  /** How to reduce more than `max` rows. */
  method: Summarize;
  /** Most rows kept. */
  max: number;
  /** The random source (sampling, k-means++ starts). */
  rng: Rng;
}

/**
 * Keeps all `rows` when there are at most `max`; otherwise picks `max` distinct rows at
 * random (`"sample"`) or clusters them (`"kmeans"`) and keeps the real row nearest each
 * centre, weighted by its cluster's size.
 *
 * @example
 * ```ts
 * import { summarizeRows } from "./background.ts";
 * import { rng } from "../core/random.ts";
 * import assert from "node:assert/strict";
 * const data = Float32Array.from({ length: 1000 }, (_, i) => i % 7);
 * const s = summarizeRows(data, 500, 2, { method: "sample", max: 100, rng: rng(1) });
 * assert.deepEqual([s.rows, s.indices.length, s.weighted], [100, 100, false]);
 * ```
 */
export function summarizeRows(
  data: Float32Array,
  rows: number,
  features: number,
  options: SummarizeOptions,
): BackgroundSummary {
  const { method, max, rng: r } = options;
  const M = features;
  if (rows <= max) {
    return {
      data,
      rows,
      indices: Array.from({ length: rows }, (_, j) => j),
      weights: new Float64Array(rows).fill(1 / rows),
      weighted: false,
    };
  }
  if (method === "sample") {
    const order = r.shuffle(Array.from({ length: rows }, (_, j) => j));
    const picked = order.slice(0, max).sort((a, b) => a - b);
    return {
      data: gather(data, picked, M),
      rows: picked.length,
      indices: picked,
      weights: new Float64Array(picked.length).fill(1 / picked.length),
      weighted: false,
    };
  }
  return kmeansRows(data, rows, M, max, r);
}

function gather(data: Float32Array, indices: number[], M: number): Float32Array {
  const out = new Float32Array(indices.length * M);
  indices.forEach((j, i) => out.set(data.subarray(j * M, (j + 1) * M), i * M));
  return out;
}

function squaredDistance(
  a: Float32Array | Float64Array,
  ai: number,
  b: Float32Array | Float64Array,
  bi: number,
  M: number,
): number {
  let d = 0;
  for (let k = 0; k < M; k++) {
    const t = a[ai + k] - b[bi + k];
    d += t * t;
  }
  return d;
}

/**
 * k-means (k-means++ start, Lloyd iterations), then each centre snapped to its nearest real
 * row and weighted by its cluster's size, as `shap.kmeans` weights its summary.
 */
function kmeansRows(
  data: Float32Array,
  n: number,
  M: number,
  k: number,
  r: Rng,
): BackgroundSummary {
  const centres = new Float64Array(k * M);
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = r.int(n);
  for (let c = 0; c < k; c++) {
    for (let f = 0; f < M; f++) centres[c * M + f] = data[pick * M + f];
    let total = 0;
    for (let j = 0; j < n; j++) {
      nearest[j] = Math.min(nearest[j], squaredDistance(data, j * M, centres, c * M, M));
      total += nearest[j];
    }
    // Next centre drawn with probability proportional to squared distance (k-means++).
    let u = r.next() * total;
    pick = n - 1;
    for (let j = 0; j < n; j++) {
      u -= nearest[j];
      if (u < 0) {
        pick = j;
        break;
      }
    }
  }
  const assign = new Int32Array(n).fill(-1);
  const counts = new Float64Array(k);
  for (let iteration = 0; iteration < 50; iteration++) {
    let changed = false;
    for (let j = 0; j < n; j++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = squaredDistance(data, j * M, centres, c * M, M);
        if (d < bestD) [best, bestD] = [c, d];
      }
      if (assign[j] !== best) [assign[j], changed] = [best, true];
    }
    if (!changed) break;
    const sums = new Float64Array(k * M);
    counts.fill(0);
    for (let j = 0; j < n; j++) {
      counts[assign[j]]++;
      for (let f = 0; f < M; f++) sums[assign[j] * M + f] += data[j * M + f];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an empty cluster keeps its centre
      for (let f = 0; f < M; f++) centres[c * M + f] = sums[c * M + f] / counts[c];
    }
  }
  counts.fill(0);
  for (let j = 0; j < n; j++) counts[assign[j]]++;
  // Snap each centre to its nearest row; centres sharing a row pool their weights.
  const weightOf = new Map<number, number>();
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    let best = 0, bestD = Infinity;
    for (let j = 0; j < n; j++) {
      const d = squaredDistance(data, j * M, centres, c * M, M);
      if (d < bestD) [best, bestD] = [j, d];
    }
    weightOf.set(best, (weightOf.get(best) ?? 0) + counts[c] / n);
  }
  const rowsUsed = [...weightOf.keys()].sort((a, b) => a - b);
  return {
    data: gather(data, rowsUsed, M),
    rows: rowsUsed.length,
    indices: rowsUsed,
    weights: Float64Array.from(rowsUsed, (j) => weightOf.get(j)!),
    weighted: true,
  };
}
