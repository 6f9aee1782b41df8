/**
 * Kernel SHAP as Python's `shap` KernelExplainer computes it: coalitions enumerated by size
 * while the budget allows, the rest sampled by Shapley-kernel weight in complementary pairs,
 * then a weighted least-squares fit under the efficiency constraint.
 *
 * @module
 */
import type { Rng } from "../core/random.ts";
import { binomial, type CoalitionEvaluator, type ShapleyResult } from "./coalitions.ts";
import { solveSymmetric } from "./linear_solve.ts";

/**
 * Kernel SHAP as `shap`'s KernelExplainer: subset sizes are enumerated fully (with their
 * complements) while the budget allows, the rest are sampled by Shapley-kernel weight in
 * complementary pairs, then a weighted least squares fit with the efficiency constraint
 * substituted out (the last feature's value is f(x) - E[f(X)] minus the others).
 *
 * @example
 * ```ts
 * import { kernelShap } from "./kernel_shap.ts";
 * import { CoalitionEvaluator } from "./coalitions.ts";
 * import { checkProblem } from "./explain_input.ts";
 * import { rng } from "../core/random.ts";
 * const p = checkProblem("explain", (x) => x.sum(1), { instance: [1, 2, 3], background: [[0, 0, 0]] }, "background");
 * const bg = { data: new Float32Array(3), rows: 1, weights: Float64Array.of(1), indices: [0], weighted: false };
 * kernelShap(new CoalitionEvaluator(p, bg, Float32Array.of(1, 2, 3), [0, 1, 2]), 3, undefined, rng(0)).phi; // ≈ [1, 2, 3]
 * ```
 */
export function kernelShap(
  evaluator: CoalitionEvaluator,
  M: number,
  requested: number | undefined,
  r: Rng,
): ShapleyResult {
  // The empty and full coalitions give the base value and the output.
  const [base, output] = evaluator.values(2, (c, on) => {
    for (let i = 0; i < c * M; i++) on[i] = i;
    return c * M;
  });
  if (M === 0) return { phi: new Float64Array(0), base, output, coalitions: 2 };
  if (M === 1) return { phi: Float64Array.of(output - base), base, output, coalitions: 2 };

  const maxSamples = M <= 30 ? 2 ** M - 2 : 2 ** 30;
  const nsamples = Math.min(requested ?? 2 * M + 2048, maxSamples);
  const { masks, weights, count } = sampleCoalitions(M, nsamples, r);
  const v = evaluator.values(count, (c, on) => {
    let n = 0;
    for (let i = 0; i < M; i++) if (masks[c * M + i]) on[n++] = i;
    return n;
  });

  // Unknowns: phi_0..phi_{M-2}; phi_{M-1} = total - sum(others).
  const total = output - base;
  const last = M - 1;
  const P = M - 1;
  const A = new Float64Array(P * P);
  const b = new Float64Array(P);
  const row = new Float64Array(P);
  for (let s = 0; s < count; s++) {
    const zl = masks[s * M + last];
    const y = v[s] - base - zl * total;
    for (let i = 0; i < P; i++) row[i] = masks[s * M + i] - zl;
    const w = weights[s];
    for (let i = 0; i < P; i++) {
      if (row[i] === 0) continue;
      const wi = w * row[i];
      b[i] += wi * y;
      for (let j = i; j < P; j++) A[i * P + j] += wi * row[j];
    }
  }
  for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) A[i * P + j] = A[j * P + i];
  const solved = solveSymmetric(A, b, P);
  const phi = new Float64Array(M);
  let sum = 0;
  for (let i = 0; i < P; i++) {
    phi[i] = solved[i];
    sum += solved[i];
  }
  phi[last] = total - sum;
  return { phi, base, output, coalitions: count + 2 };
}

/** Sampled coalitions as 0/1 masks (row-major, M per coalition) with kernel weights. */
function sampleCoalitions(
  M: number,
  nsamples: number,
  r: Rng,
): { masks: Uint8Array; weights: Float64Array; count: number } {
  const masks = new Uint8Array(nsamples * M);
  const weights = new Float64Array(nsamples);
  let count = 0;
  const add = (mask: Uint8Array, w: number) => {
    masks.set(mask, count * M);
    weights[count++] = w;
  };

  const numSizes = Math.ceil((M - 1) / 2);
  const numPaired = Math.floor((M - 1) / 2);
  const weightVector = Array.from(
    { length: numSizes },
    (_, i) => (M - 1) / ((i + 1) * (M - i - 1)),
  );
  for (let i = 0; i < numPaired; i++) weightVector[i] *= 2;
  const weightSum = weightVector.reduce((a, c) => a + c, 0);
  for (let i = 0; i < numSizes; i++) weightVector[i] /= weightSum;

  // Enumerate whole subset sizes (smallest first) while the budget covers them.
  let numFull = 0;
  let left = nsamples;
  let remaining = [...weightVector];
  const mask = new Uint8Array(M);
  for (let size = 1; size <= numSizes; size++) {
    let nsubsets = binomial(M, size);
    if (size <= numPaired) nsubsets *= 2;
    if ((left * remaining[size - 1]) / nsubsets < 1 - 1e-8) break;
    numFull++;
    left -= nsubsets;
    if (remaining[size - 1] < 1) {
      const scale = 1 - remaining[size - 1];
      remaining = remaining.map((w) => w / scale);
    }
    let w = weightVector[size - 1] / binomial(M, size);
    if (size <= numPaired) w /= 2;
    forEachCombination(M, size, (members) => {
      mask.fill(0);
      for (const i of members) mask[i] = 1;
      add(mask, w);
      if (size <= numPaired) {
        for (let i = 0; i < M; i++) mask[i] = 1 - mask[i];
        add(mask, w);
      }
    });
  }

  // Sample the remaining sizes by kernel weight, each with its complement.
  const fixed = count;
  let samplesLeft = nsamples - count;
  if (numFull !== numSizes && samplesLeft > 0) {
    const rest = weightVector.map((w, i) => (i < numPaired ? w / 2 : w)).slice(numFull);
    const restSum = rest.reduce((a, c) => a + c, 0);
    const cumulative: number[] = [];
    rest.reduce((acc, w) => (cumulative.push(acc + w / restSum), acc + w / restSum), 0);
    const seen = new Map<string, number>();
    const order = Array.from({ length: M }, (_, i) => i);
    const draws = 4 * samplesLeft;
    for (let d = 0; d < draws && samplesLeft > 0; d++) {
      const u = r.next();
      let ind = cumulative.findIndex((c) => u < c);
      if (ind < 0) ind = cumulative.length - 1;
      const size = ind + numFull + 1;
      // A uniformly random subset of `size` features: a partial Fisher-Yates shuffle.
      for (let t = 0; t < size; t++) {
        const j = t + r.int(M - t);
        [order[t], order[j]] = [order[j], order[t]];
      }
      mask.fill(0);
      for (let t = 0; t < size; t++) mask[order[t]] = 1;
      const key = mask.join(""); // no spread: M may be more than a call takes arguments
      const previous = seen.get(key);
      if (previous === undefined) {
        seen.set(key, count);
        samplesLeft--;
        add(mask, 1);
      } else {
        weights[previous] += 1;
      }
      if (samplesLeft > 0 && size <= numPaired) {
        for (let i = 0; i < M; i++) mask[i] = 1 - mask[i];
        if (previous === undefined) {
          samplesLeft--;
          add(mask, 1);
        } else {
          // The complement was added right after the original.
          weights[previous + 1] += 1;
        }
      }
    }
    // The sampled weights share what the enumerated sizes left of the kernel's mass.
    const weightLeft = weightVector.slice(numFull).reduce((a, c) => a + c, 0);
    let sampled = 0;
    for (let s = fixed; s < count; s++) sampled += weights[s];
    for (let s = fixed; s < count; s++) weights[s] *= weightLeft / sampled;
  }
  return { masks, weights, count };
}

/** Calls `visit` with each `size`-subset of 0..n-1 in lexicographic order. */
function forEachCombination(n: number, size: number, visit: (members: Int32Array) => void): void {
  const members = Int32Array.from({ length: size }, (_, i) => i);
  while (true) {
    visit(members);
    let i = size - 1;
    while (i >= 0 && members[i] === n - size + i) i--;
    if (i < 0) return;
    members[i]++;
    for (let j = i + 1; j < size; j++) members[j] = members[j - 1] + 1;
  }
}
