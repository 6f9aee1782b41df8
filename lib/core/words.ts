/**
 * Counts in messages and text: `1 column`, `2 columns`, `1,000 rows`.
 *
 * @module
 */

/**
 * `n` and the noun, singular for exactly one, else with an `s` (or the given plural).
 *
 * @example
 * ```ts
 * import { plural } from "./words.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([plural(1, "row"), plural(3201, "row"), plural(2, "category", "categories")], ["1 row", "3201 rows", "2 categories"]);
 * ```
 */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

/**
 * As {@linkcode plural}, with `n` written with thousands separators.
 *
 * @example
 * ```ts
 * import { counted } from "./words.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([counted(1, "column"), counted(3201, "row")], ["1 column", "3,201 rows"]);
 * ```
 */
export function counted(n: number, noun: string, many = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : many}`;
}
