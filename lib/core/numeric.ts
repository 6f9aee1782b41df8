/**
 * Small numeric facts shared across modules: halves rounded to even (Python's `round`,
 * tfjs's `tf.round`), the bytes each tensor dtype takes, and sizes written for people.
 *
 * @module
 */

import { ArgumentError } from "./errors.ts";

/**
 * Rounds to the nearest integer, halves to the even neighbour, as Python's `round` and tfjs's
 * `tf.round` do.
 *
 * @example
 * ```ts
 * import { roundHalfEven } from "./numeric.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([0.5, 1.5, 2.5, -2.5].map(roundHalfEven), [0, 2, 2, -2]);
 * ```
 */
export function roundHalfEven(x: number): number {
  const base = Math.floor(x);
  const frac = x - base;
  if (frac < 0.5) return base;
  if (frac > 0.5) return base + 1;
  return base % 2 === 0 ? base : base + 1;
}

/**
 * Bytes per value of each tfjs dtype (Keras's summary sizes, weight-file sizes).
 *
 * @example
 * ```ts
 * import { DTYPE_BYTES } from "./numeric.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(DTYPE_BYTES.float32, 4);
 * ```
 */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
};

/**
 * A byte count for people, in powers of 1024 as Keras's `model.summary()` writes it.
 *
 * @example
 * ```ts
 * import { readableSize } from "./numeric.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(readableSize(364), "364.00 B");
 * assert.deepEqual(readableSize(2048), "2.00 KB");
 * ```
 */
export function readableSize(bytes: number): string {
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) {
    throw new ArgumentError("readableSize", "bytes", bytes, "a finite number >= 0");
  }
  const units = ["B", "KB", "MB", "GB", "TB"];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}
