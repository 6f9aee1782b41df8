/**
 * The fused engine's per-layer JavaScript: plain loops over typed arrays (no closures, no
 * allocation): row gathers, transposes, the activations other than relu and their
 * derivatives, bias gradients, each operation rounded to float32 as tfjs's ops are. The
 * products, relu, dropout and the optimizer steps run in the WebAssembly kernels (kernels/).
 *
 * @module
 */
import { RELU, SIGMOID, SOFTMAX, TANH } from "./spec.ts";

const fround = Math.fround;

/** `dst = transpose(src)` for a `rows x cols` row-major `src` starting at `srcAt`. */
export function transpose(
  src: Float32Array,
  srcAt: number,
  dst: Float32Array,
  dstAt: number,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = srcAt + r * cols;
    for (let c = 0; c < cols; c++) dst[dstAt + c * rows + r] = src[s + c];
  }
}

/** Copies rows `order[start..start+count)` of `src` (`width` wide) into `dst`. */
export function gatherRows(
  src: Float32Array,
  order: Int32Array,
  start: number,
  count: number,
  width: number,
  dst: Float32Array,
): void {
  for (let r = 0; r < count; r++) {
    const s = order[start + r] * width, d = r * width;
    for (let c = 0; c < width; c++) dst[d + c] = src[s + c];
  }
}

/** Copies rows `order[start..start+count)` of an array of rows (`width` values each) into `dst`. */
export function gatherFromRows(
  src: readonly ArrayLike<number>[],
  order: Int32Array | null,
  start: number,
  count: number,
  width: number,
  dst: Float32Array,
): void {
  for (let r = 0; r < count; r++) {
    const row = src[order === null ? start + r : order[start + r]], d = r * width;
    for (let c = 0; c < width; c++) dst[d + c] = row[c];
  }
}

/** Copies `count` consecutive rows from row `first` of `src` into `dst`. */
export function copyRows(
  src: Float32Array,
  first: number,
  count: number,
  width: number,
  dst: Float32Array,
): void {
  const s = first * width;
  dst.set(src.subarray(s, s + count * width));
}

/** Adds the bias and applies the activation in place: `z` holds `rows x units` dot products. */
export function activate(
  z: Float32Array,
  bias: Float32Array,
  biasAt: number,
  useBias: boolean,
  rows: number,
  units: number,
  activation: number,
): void {
  const n = rows * units;
  if (useBias) {
    for (let r = 0; r < rows; r++) {
      const o = r * units;
      for (let j = 0; j < units; j++) z[o + j] = z[o + j] + bias[biasAt + j];
    }
  }
  switch (activation) {
    case RELU:
      for (let e = 0; e < n; e++) if (z[e] < 0) z[e] = 0;
      break;
    case SIGMOID:
      for (let e = 0; e < n; e++) z[e] = 1 / (1 + Math.exp(-z[e]));
      break;
    case TANH:
      for (let e = 0; e < n; e++) z[e] = Math.tanh(z[e]);
      break;
    case SOFTMAX:
      // tfjs: exp(z - max) / sum, each step rounded to float32.
      for (let r = 0; r < rows; r++) {
        const o = r * units;
        let max = -Infinity;
        for (let j = 0; j < units; j++) if (z[o + j] > max) max = z[o + j];
        let sum = 0;
        for (let j = 0; j < units; j++) {
          const e = fround(Math.exp(fround(z[o + j] - max)));
          z[o + j] = e;
          sum += e;
        }
        const s = fround(sum);
        for (let j = 0; j < units; j++) z[o + j] = z[o + j] / s;
      }
      break;
  }
}

/** Turns `d` (dLoss/dOutput) into dLoss/dPreactivation in place, from the outputs `y`. */
export function activationGrad(
  d: Float32Array,
  y: Float32Array,
  rows: number,
  units: number,
  activation: number,
): void {
  const n = rows * units;
  switch (activation) {
    case RELU:
      for (let e = 0; e < n; e++) if (!(y[e] > 0)) d[e] = 0;
      break;
    case SIGMOID:
      for (let e = 0; e < n; e++) d[e] = d[e] * fround(y[e] * fround(1 - y[e]));
      break;
    case TANH:
      for (let e = 0; e < n; e++) d[e] = fround(1 - fround(y[e] * y[e])) * d[e];
      break;
    case SOFTMAX:
      for (let r = 0; r < rows; r++) {
        const o = r * units;
        let s = 0;
        for (let j = 0; j < units; j++) {
          const dy = fround(d[o + j] * y[o + j]);
          d[o + j] = dy;
          s += dy;
        }
        const sum = fround(s);
        for (let j = 0; j < units; j++) d[o + j] = d[o + j] - fround(sum * y[o + j]);
      }
      break;
  }
}

/**
 * Column sums of a `rows x cols` matrix into `out[at..at+cols)` (bias gradients from dZ),
 * accumulated in float64 (`acc`, at least `cols` long) row by row.
 */
export function columnSums(
  m: Float32Array,
  rows: number,
  cols: number,
  acc: Float64Array,
  out: Float32Array,
  at: number,
): void {
  acc.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += m[o + c];
  }
  for (let c = 0; c < cols; c++) out[at + c] = acc[c];
}

/** Whether every value is finite. */
export function allFinite(a: Float32Array): boolean {
  let s = 0;
  for (let e = 0; e < a.length; e++) s += a[e] - a[e];
  return s === 0;
}
