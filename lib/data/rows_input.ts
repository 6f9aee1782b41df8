/**
 * What was passed where rows of numbers are expected, when it is records or a tensor: an
 * error that says how to get rows.
 *
 * @module
 */
import { ArgumentError } from "../core/errors.ts";

/**
 * Refuses, with what to do, the two things most often passed where rows of numbers are
 * expected: records (objects of column values) and a tensor. Anything else passes, for the
 * caller's own checks.
 *
 * @example
 * ```ts
 * import { notRows } from "./rows_input.ts";
 * notRows("standardize", [[1, 2]]); // rows: nothing to say
 * try {
 *   notRows("standardize", [{ a: 1 }]);
 * } catch (e) {
 *   (e as Error).message; // 'standardize: x[0] is a record (an object), not a row of numbers: ...'
 * }
 * ```
 */
export function notRows(fn: string, x: unknown, argument = "x"): void {
  if (isTensor(x)) {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} must be rows of numbers (arrays), got a Tensor; pass the arrays (table.x, ` +
        "or await tensor.array())",
    );
  }
  if (!Array.isArray(x)) return;
  if (isRecord(x[0])) {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument}[0] is a record (an object), not a row of numbers: turn records into rows ` +
        "with fromRecords(records, { target })",
    );
  }
}

/**
 * Whether `v` is a record: an object that is not an array, a typed array or a tensor (an
 * object literal, or a row `readCSV` gives, whose prototype gives it its text).
 *
 * @example
 * ```ts
 * import { isRecord } from "./rows_input.ts";
 * [isRecord({ alcohol: 14.2 }), isRecord([14.2]), isRecord(new Float32Array(1))]; // [true, false, false]
 * ```
 */
export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v) &&
    !isTensor(v);
}

/**
 * Whether `value` is a tfjs tensor, known by its shape and `dataSync` (lib/data loads no tfjs).
 *
 * @example
 * ```ts
 * import { isTensor } from "./rows_input.ts";
 * [isTensor([[1]]), isTensor({ shape: [1], dataSync: () => [1] })]; // [false, true]
 * ```
 */
export function isTensor(value: unknown): boolean {
  return value !== null && typeof value === "object" &&
    Array.isArray((value as { shape?: unknown }).shape) &&
    typeof (value as { dataSync?: unknown }).dataSync === "function";
}
