/**
 * Load-once helpers for slow asynchronous set-up (WebAssembly engines, large imports).
 *
 * @module
 */

/**
 * Wraps `load` so it runs at most once at a time and its result is shared by every caller.
 * A load that fails is forgotten, so the next call tries again instead of getting the same
 * rejection forever (a failed import or a missing .wasm file can be fixed in a live kernel).
 *
 * @example
 * ```ts
 * import { once } from "./once.ts";
 * import assert from "node:assert/strict";
 * let runs = 0;
 * const engine = once(async () => ++runs);
 * assert.deepEqual(await engine(), 1);
 * assert.deepEqual(await engine(), 1); // loaded once, shared afterwards
 * ```
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    // `new Promise` turns a synchronous throw into a rejection too.
    pending ??= new Promise<T>((resolve) => resolve(load())).catch((e) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
