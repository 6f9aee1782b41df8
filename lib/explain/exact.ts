/**
 * Exact Shapley values: every one of the 2^M coalitions of the M varying features is
 * valued, and each feature's value is its Shapley-weighted average marginal contribution.
 *
 * @module
 */
import { binomial, type CoalitionEvaluator, type ShapleyResult } from "./coalitions.ts";

/**
 * Exact Shapley values from all 2^M coalitions (M = varying features).
 *
 * @example
 * ```ts
 * import { exactShapley } from "./exact.ts";
 * import { CoalitionEvaluator } from "./coalitions.ts";
 * import { checkProblem } from "./explain_input.ts";
 * const p = checkProblem("explain", (x) => x.sum(1), { instance: [1, 2], background: [[0, 0]] }, "background");
 * const bg = { data: new Float32Array(2), rows: 1, weights: Float64Array.of(1), indices: [0], weighted: false };
 * exactShapley(new CoalitionEvaluator(p, bg, Float32Array.of(1, 2), [0, 1]), 2).phi; // Float64Array [1, 2]
 * ```
 */
export function exactShapley(evaluator: CoalitionEvaluator, M: number): ShapleyResult {
  const count = 2 ** M;
  const v = evaluator.values(count, (mask, on) => {
    let n = 0;
    for (let i = 0; i < M; i++) if (mask & (1 << i)) on[n++] = i;
    return n;
  });
  const size = new Uint8Array(count);
  for (let mask = 1; mask < count; mask++) size[mask] = size[mask >> 1] + (mask & 1);
  // Shapley weight of a coalition of size s not containing i: s!(M-s-1)!/M! = 1/(M C(M-1, s)).
  const weight = new Float64Array(Math.max(M, 1));
  for (let s = 0; s < M; s++) weight[s] = 1 / (M * binomial(M - 1, s));
  const phi = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    const bit = 1 << i;
    let sum = 0;
    for (let mask = 0; mask < count; mask++) {
      if (mask & bit) continue;
      sum += weight[size[mask]] * (v[mask | bit] - v[mask]);
    }
    phi[i] = sum;
  }
  return { phi, base: v[0], output: v[count - 1], coalitions: count };
}
