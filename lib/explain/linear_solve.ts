/**
 * The small dense linear solve behind Kernel SHAP's weighted least squares.
 *
 * @module
 */

/**
 * Solves A x = b for a symmetric positive semi-definite A by Gaussian elimination with
 * partial pivoting; a singular A (coalitions that do not separate every feature) gets a
 * tiny ridge so the solve still returns the minimum-change answer.
 *
 * @example
 * ```ts
 * import { solveSymmetric } from "./linear_solve.ts";
 * solveSymmetric(Float64Array.of(2, 1, 1, 2), Float64Array.of(3, 3), 2); // Float64Array [1, 1]
 * ```
 */
export function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += A[i * n + i];
  for (const ridge of [0, 1e-10, 1e-7, 1e-4]) {
    const m = Float64Array.from(A);
    for (let i = 0; i < n; i++) m[i * n + i] += (ridge * trace) / n;
    const x = gaussianSolve(m, Float64Array.from(b), n, trace);
    if (x) return x;
  }
  return new Float64Array(n);
}

function gaussianSolve(
  m: Float64Array,
  x: Float64Array,
  n: number,
  scale: number,
): Float64Array | null {
  const tiny = 1e-14 * (scale / n || 1);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i * n + c]) > Math.abs(m[p * n + c])) p = i;
    if (Math.abs(m[p * n + c]) <= tiny) return null;
    if (p !== c) {
      for (let j = 0; j < n; j++) [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let i = c + 1; i < n; i++) {
      const f = m[i * n + c] / m[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) m[i * n + j] -= f * m[c * n + j];
      x[i] -= f * x[c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= m[i * n + j] * x[j];
    x[i] = s / m[i * n + i];
  }
  return x;
}
