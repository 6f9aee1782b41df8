/**
 * Core: what every step stands on. TensorFlow.js loaded once with its backend chosen
 * (WebAssembly when it loads, else `cpu`), the {@linkcode ArgumentError} every function
 * throws on bad input, and the seeded random numbers that make runs repeatable.
 *
 * @example
 * ```ts
 * import { ArgumentError, backendChoice, rng, tf } from "./mod.ts";
 * import assert from "node:assert/strict";
 * backendChoice.name; // "wasm" or "cpu"
 * rng(42).next() === rng(42).next(); // true: same seed, same numbers
 * assert.deepEqual(tf.tensor([1, 2, 3]).shape, [3]);
 * assert.ok(new ArgumentError("f", "x", -1, "a positive number") instanceof Error);
 * ```
 *
 * @module
 */
export { backendChoice, type BackendName, type TensorFlow, tf, useBackend } from "./tf.ts";
export { ArgumentError } from "./errors.ts";
export { type Rng, rng } from "./random.ts";
