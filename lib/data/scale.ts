/**
 * Putting features on one scale: `standardize(x)` learns each column's mean and standard
 * deviation from the rows it is given (the training rows) and returns a scaler that applies
 * the same shift and scale to any rows or single row later (test rows, an instance to
 * explain), as scikit-learn's `StandardScaler`. `scalerFrom` rebuilds a scaler from saved
 * parameters.
 *
 * @module
 */
import { ArgumentError, describe } from "../core/errors.ts";
import { counted } from "../core/words.ts";
import { notRows } from "./rows_input.ts";

/** A scaler's parameters as plain data: what `JSON.stringify(scaler)` writes. */
export interface ScalerParams {
  /** Each column's mean. */
  mean: number[];
  /** Each column's scale (standard deviation), finite and positive. */
  std: number[];
}

/** A fitted standardization: `(x - mean) / std`, column by column. */
export interface Scaler {
  /** Each column's mean over the fitted rows. */
  readonly mean: number[];
  /** Each column's population standard deviation (ddof 0); a constant column gets 1. */
  readonly std: number[];
  /** Scales rows (an array of rows) or one row, returning the same shape. */
  transform(x: readonly (readonly number[])[]): number[][];
  /** Scales one row. */
  transform(row: readonly number[]): number[];
  /** The parameters as plain data (`{ mean, std }`), which {@linkcode scalerFrom} takes back. */
  toJSON(): ScalerParams;
  /** One line: the columns, their means and scales (the first 8). */
  toString(): string;
}

/** The power of two nearest below `m` (1 for 0), so that dividing by it is exact. */
function powerOfTwoBelow(m: number): number {
  if (!(m > 0)) return 1;
  const e = Math.floor(Math.log2(m));
  // 2 ** 1024 overflows; Math.log2 may round up at the top of a binade.
  return 2 ** Math.min(1023, Math.max(-1022, e));
}

/**
 * Fits a scaler on `x` (rows of numbers): each column's mean and standard deviation (ddof 0,
 * as scikit-learn; a constant column is only shifted). Fit it on the training rows only and
 * apply the same scaler to test rows and to instances, so no test information leaks in.
 *
 * The numbers are scikit-learn's `StandardScaler`'s (the same sums in the same order, and
 * its test for a constant column), computed on each column divided by a power of two near
 * its largest magnitude (scale first, then square), so values near the float limits neither
 * overflow nor vanish: `[[1e308], [1e308]]` has mean `1e308`, `[[1e200], [-1e200]]` scales
 * to `[[1], [-1]]`.
 *
 * @example
 * ```ts
 * import { standardize } from "./scale.ts";
 * import assert from "node:assert/strict";
 * const scaler = standardize([[1, 10], [3, 10]]);
 * [scaler.mean, scaler.std]; // [[2, 10], [1, 1]]
 * scaler.transform([[1, 10], [5, 11]]); // [[-1, 0], [3, 1]]
 * assert.deepEqual(scaler.transform([3, 10]), [1, 0]);
 * ```
 */
export function standardize(x: readonly (readonly number[])[]): Scaler {
  const fn = "standardize";
  notRows(fn, x);
  if (!Array.isArray(x) || x.length === 0 || !Array.isArray(x[0]) || x[0].length === 0) {
    throw new ArgumentError(fn, "x", x, "a non-empty array of rows of numbers");
  }
  const rows = x.length;
  const cols = x[0].length;
  x.forEach((row: unknown, r: number) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw ArgumentError.because(
        fn,
        "x",
        `x rows must all have ${counted(cols, "value")}, as x[0]; x[${r}] has ${
          Array.isArray(row) ? row.length : describe(row)
        }`,
      );
    }
    row.forEach((v: unknown, c: number) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw ArgumentError.because(
          fn,
          "x",
          `x[${r}][${c}] must be a finite number, got ${describe(v)}`,
        );
      }
    });
  });
  const mean = new Array<number>(cols);
  const std = new Array<number>(cols);
  const eps = Number.EPSILON;
  for (let c = 0; c < cols; c++) {
    let largest = 0;
    for (let r = 0; r < rows; r++) largest = Math.max(largest, Math.abs(x[r][c]));
    const s = powerOfTwoBelow(largest);
    // In units of s: exact divisions, and no sum or square can overflow.
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x[r][c] / s;
    const m = sum / rows;
    let correction = 0, squares = 0;
    for (let r = 0; r < rows; r++) {
      const d = x[r][c] / s - m;
      correction += d;
      squares += d * d;
    }
    const variance = (squares - correction ** 2 / rows) / rows;
    // scikit-learn's _is_constant_feature: a variance within rounding of zero.
    const constant = variance <= rows * eps * variance + (rows * m * eps) ** 2;
    mean[c] = m * s;
    const deviation = Math.sqrt(variance) * s;
    // A spread that underflows (subnormal values) divides nothing: shift only, as constant.
    std[c] = constant || !(deviation > 0) ? 1 : deviation;
  }
  return makeScaler(mean, std);
}

/**
 * Rebuilds a scaler from its parameters, e.g. the `{ mean, std }` that `JSON.stringify` wrote
 * of a scaler (or scikit-learn's `mean_` and `scale_`). It scales exactly as the scaler it
 * was saved from.
 *
 * @example
 * ```ts
 * import { scalerFrom, standardize } from "./scale.ts";
 * const saved = JSON.stringify(standardize([[1, 10], [3, 20]])); // '{"mean":[2,15],"std":[1,5]}'
 * const scaler = scalerFrom(JSON.parse(saved));
 * scaler.transform([3, 25]); // [1, 2]
 * ```
 */
export function scalerFrom(params: ScalerParams): Scaler {
  const fn = "scalerFrom";
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new ArgumentError(fn, "params", params, "an object { mean, std } of number arrays");
  }
  const extra = Object.keys(params).filter((k) => k !== "mean" && k !== "std");
  if (extra.length > 0) {
    throw ArgumentError.because(
      fn,
      "params",
      `params has ${describe(extra[0])}; a scaler's parameters are { mean, std }`,
    );
  }
  const { mean, std } = params;
  for (const [name, values] of [["mean", mean], ["std", std]] as const) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new ArgumentError(fn, name, values, "a non-empty array of finite numbers");
    }
    values.forEach((v: unknown, i: number) => {
      const ok = typeof v === "number" && Number.isFinite(v) && (name === "mean" || v > 0);
      if (!ok) {
        throw new ArgumentError(
          fn,
          `${name}[${i}]`,
          v,
          name === "mean" ? "a finite number" : "a finite number > 0",
        );
      }
    });
  }
  if (mean.length !== std.length) {
    throw ArgumentError.because(
      fn,
      "std",
      `std has ${counted(std.length, "value")} and mean ${mean.length}: one of each per column`,
    );
  }
  return makeScaler([...mean], [...std]);
}

function makeScaler(mean: number[], std: number[]): Scaler {
  const cols = mean.length;
  // For values near the float limits, where v - mean would overflow.
  const meanOverStd = mean.map((m, c) => m / std[c]);
  const scaleRow = (argument: string, row: unknown): number[] => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw ArgumentError.because(
        "scaler.transform",
        argument,
        `${argument} must have ${
          counted(cols, "column")
        }, as the rows the scaler was fitted on, got ${
          Array.isArray(row) ? `${row.length}` : typeof row
        }`,
      );
    }
    return row.map((v: unknown, c) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw ArgumentError.because(
          "scaler.transform",
          argument,
          `${argument}[${c}] must be a finite number, got ${String(v)}`,
        );
      }
      const d = v - mean[c];
      return Number.isFinite(d) ? d / std[c] : v / std[c] - meanOverStd[c];
    });
  };
  function transform(x: readonly (readonly number[])[]): number[][];
  function transform(row: readonly number[]): number[];
  function transform(
    input: readonly (readonly number[])[] | readonly number[],
  ): number[][] | number[] {
    notRows("scaler.transform", input);
    if (!Array.isArray(input) || input.length === 0) {
      throw ArgumentError.because(
        "scaler.transform",
        "x",
        `x must be rows of ${cols} numbers or one row, got ${
          Array.isArray(input) ? "an empty array" : typeof input
        }`,
      );
    }
    if (Array.isArray(input[0])) {
      // Check every row before scaling any.
      input.forEach((row, i) => {
        if (!Array.isArray(row) || row.length !== cols) scaleRow(`x[${i}]`, row);
      });
      return (input as readonly (readonly number[])[]).map((row, i) => scaleRow(`x[${i}]`, row));
    }
    return scaleRow("x", input);
  }
  const list = (values: number[]) =>
    values.slice(0, 8).map((v) => Number(v.toPrecision(6))).join(", ") +
    (values.length > 8 ? `, ... (${values.length - 8} more)` : "");
  // Not enumerable: keys and comparisons of the plain data stay { mean, std, transform }.
  return Object.defineProperties({ mean, std, transform } as Scaler, {
    toJSON: { value: () => ({ mean: [...mean], std: [...std] }) },
    toString: {
      value: () => `Scaler of ${counted(cols, "column")}: mean [${list(mean)}], std [${list(std)}]`,
    },
  });
}
