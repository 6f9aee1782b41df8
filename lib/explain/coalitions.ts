/**
 * Coalition values for Shapley explanations: v(S) = link(E_bg[f(x_S, bg)]), the model's
 * output averaged over the background with the features in S set to the instance's values,
 * computed in large chunked model calls.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import type { BackgroundSummary } from "./background.ts";
import type { Problem } from "./explain_input.ts";
import { plural } from "../core/words.ts";

// Probabilities are clipped this far from 0 and 1 before the logit (float32 sigmoids saturate).
const LOGIT_EPS = 1e-7;
// Values per model call: chunk rows x widest layer stays near 16 MB of float32.
const CHUNK_FLOATS = 1 << 22;

/**
 * Computes coalition values v(S) = link(E_bg[f(x_S, bg)]) in large chunked model calls.
 *
 * @example
 * ```ts
 * import { CoalitionEvaluator } from "./coalitions.ts";
 * import { checkProblem } from "./explain_input.ts";
 * const p = checkProblem("explain", (x) => x.sum(1), { instance: [1, 2], background: [[0, 0]] }, "background");
 * const bg = { data: new Float32Array(2), rows: 1, weights: Float64Array.of(1), indices: [0], weighted: false };
 * const e = new CoalitionEvaluator(p, bg, Float32Array.of(1, 2), [0, 1]);
 * e.values(1, (_c, on) => ((on[0] = 1), 1)); // Float64Array [2]
 * ```
 */
export class CoalitionEvaluator {
  readonly #p: Problem;
  readonly #bg: BackgroundSummary;
  readonly #x: Float32Array;
  readonly #varying: number[];
  constructor(p: Problem, bg: BackgroundSummary, x: Float32Array, varying: number[]) {
    this.#p = p;
    this.#bg = bg;
    this.#x = x;
    this.#varying = varying;
  }

  /**
   * Values of `count` coalitions; `members(c, on)` writes the varying-feature indices in
   * coalition c into `on` and returns how many there are.
   */
  values(count: number, members: (c: number, on: Int32Array) => number): Float64Array {
    const { features: M, width } = this.#p;
    const rows = this.#bg.rows;
    const perChunk = Math.max(1, Math.floor(CHUNK_FLOATS / (width * rows)));
    const buffer = new Float32Array(Math.min(count, perChunk) * rows * M);
    const on = new Int32Array(this.#varying.length);
    const out = new Float64Array(count);
    for (let start = 0; start < count; start += perChunk) {
      const size = Math.min(perChunk, count - start);
      let offset = 0;
      for (let c = 0; c < size; c++) {
        const n = members(start + c, on);
        for (let j = 0; j < rows; j++, offset += M) {
          buffer.set(this.#bg.data.subarray(j * M, (j + 1) * M), offset);
          for (let t = 0; t < n; t++) {
            const k = this.#varying[on[t]];
            buffer[offset + k] = this.#x[k];
          }
        }
      }
      const predictions = this.#predict(buffer.subarray(0, size * rows * M), size * rows);
      for (let c = 0; c < size; c++) {
        let mean = 0;
        for (let j = 0; j < rows; j++) mean += this.#bg.weights[j] * predictions[c * rows + j];
        out[start + c] = this.#link(mean);
      }
    }
    return out;
  }

  #predict(batch: Float32Array, rows: number): Float32Array {
    const { fn, predict, features } = this.#p;
    const y = tf.tidy(() => predict(tf.tensor2d(batch, [rows, features])));
    try {
      if (y.size !== rows) {
        throw ArgumentError.because(
          fn,
          "model",
          `model must give one output per row, got shape ${JSON.stringify(y.shape)} for ${
            plural(rows, "row")
          }`,
        );
      }
      return Float32Array.from(y.dataSync());
    } finally {
      y.dispose();
    }
  }

  #link(mean: number): number {
    if (!Number.isFinite(mean)) {
      throw ArgumentError.because(this.#p.fn, "model", `model output is not finite (${mean})`);
    }
    if (this.#p.link === "identity") return mean;
    if (mean < -1e-6 || mean > 1 + 1e-6) {
      throw ArgumentError.because(
        this.#p.fn,
        "link",
        `link "logit" needs probability outputs in [0, 1], but the model gave ${mean}; ` +
          `use link: "identity" for a model without a sigmoid output`,
      );
    }
    const p = Math.min(1 - LOGIT_EPS, Math.max(LOGIT_EPS, mean));
    return Math.log(p / (1 - p));
  }
}

/** Shapley values of the varying features, with the base value and the output. */
export interface ShapleyResult {
  phi: Float64Array;
  base: number;
  output: number;
  coalitions: number;
}

/**
 * The binomial coefficient C(n, k), in floating point.
 *
 * @example
 * ```ts
 * import { binomial } from "./coalitions.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(binomial(5, 2), 10);
 * ```
 */
export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
