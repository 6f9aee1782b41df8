/**
 * Counts in messages: `1 column`, `2 columns`, `1,000 rows`.
 *
 * @module
 */

/**
 * `n` and the noun, singular for exactly one, else with an `s` (or the given plural); `n`
 * is written with thousands separators.
 *
 * @example
 * ```ts
 * import { counted } from "./words.ts";
 * [counted(1, "column"), counted(2, "column"), counted(3201, "row"), counted(2, "category", "categories")];
 * // ["1 column", "2 columns", "3,201 rows", "2 categories"]
 * ```
 */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : plural}`;
}
