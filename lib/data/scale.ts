/**
 * Putting features on one scale: `standardize(x)` learns each column's mean and standard
 * deviation from the rows it is given (the training rows) and returns a scaler that applies
 * the same shift and scale to any rows or single row later (test rows, an instance to
 * explain), as scikit-learn's `StandardScaler`.
 *
 * @module
 */
import { ArgumentError, describe } from "../core/errors.ts";

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
}

/**
 * Fits a scaler on `x` (rows of numbers): each column's mean and standard deviation (ddof 0,
 * as scikit-learn; a constant column is only shifted). Fit it on the training rows only and
 * apply the same scaler to test rows and to instances, so no test information leaks in.
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
        `x rows must all have ${cols} values, as x[0]; x[${r}] has ${
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
  const values = x;
  const mean = new Array<number>(cols).fill(0);
  for (const row of values) for (let c = 0; c < cols; c++) mean[c] += row[c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  const std = new Array<number>(cols).fill(0);
  for (const row of values) for (let c = 0; c < cols; c++) std[c] += (row[c] - mean[c]) ** 2;
  for (let c = 0; c < cols; c++) {
    const s = Math.sqrt(std[c] / rows);
    std[c] = s > 0 ? s : 1;
  }
  const scaleRow = (argument: string, row: unknown): number[] => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw ArgumentError.because(
        "scaler.transform",
        argument,
        `${argument} must have ${cols} columns, as the rows the scaler was fitted on, got ${
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
      return (v - mean[c]) / std[c];
    });
  };
  function transform(x: readonly (readonly number[])[]): number[][];
  function transform(row: readonly number[]): number[];
  function transform(
    input: readonly (readonly number[])[] | readonly number[],
  ): number[][] | number[] {
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
  return { mean, std, transform };
}
