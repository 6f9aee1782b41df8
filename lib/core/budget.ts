/**
 * Size limits checked before work starts: a model, a data set or an explanation that would
 * not fit in memory, or would run for a very long time, is refused with an
 * {@linkcode ArgumentError} that names the estimate, instead of failing minutes later with
 * "Array buffer allocation failed" or a crashed kernel.
 *
 * @module
 */
import { ArgumentError } from "./errors.ts";
import { readableSize } from "./numeric.ts";

/**
 * Most bytes of weights a model built by the lib may take: 1 GiB, 268,435,456 float32
 * parameters. Training needs about four times the weights (gradients, optimizer state), and
 * WebAssembly memory ends at 4 GiB.
 *
 * @example
 * ```ts
 * import { MAX_MODEL_BYTES } from "./budget.ts";
 * MAX_MODEL_BYTES / 4; // 268435456 parameters
 * ```
 */
export const MAX_MODEL_BYTES = 2 ** 30;

/**
 * Most bytes of working arrays an explanation may allocate: 1 GiB.
 *
 * @example
 * ```ts
 * import { MAX_EXPLAIN_BYTES } from "./budget.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(MAX_EXPLAIN_BYTES, 1073741824);
 * ```
 */
export const MAX_EXPLAIN_BYTES = 2 ** 30;

/**
 * Longest an explanation may be estimated to run, in seconds, before it is refused.
 *
 * @example
 * ```ts
 * import { MAX_EXPLAIN_SECONDS } from "./budget.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(MAX_EXPLAIN_SECONDS, 300);
 * ```
 */
export const MAX_EXPLAIN_SECONDS = 300;

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Refuses a model whose weights would exceed {@linkcode MAX_MODEL_BYTES}, before any layer
 * is built. `cause` says what made it that large, e.g. `features 100000`.
 *
 * @example
 * ```ts
 * import { checkModelSize } from "./budget.ts";
 * checkModelSize("perceptron", "inputs", "inputs 3", 4); // fine
 * ```
 */
export function checkModelSize(fn: string, argument: string, cause: string, params: number): void {
  const bytes = params * 4;
  if (bytes <= MAX_MODEL_BYTES) return;
  throw ArgumentError.because(
    fn,
    argument,
    `${cause} makes a model of ${count(params)} parameters (${
      readableSize(bytes)
    } of float32 weights), more than the ${readableSize(MAX_MODEL_BYTES)} (${
      count(MAX_MODEL_BYTES / 4)
    } parameters) a model may take; use fewer ${argument}`,
  );
}

/** What an explanation will compute, for {@linkcode checkExplainSize}. */
export interface ExplainWork {
  /** Features explained. */
  features: number;
  /** Background rows each coalition is averaged over (after summarizing). */
  backgroundRows: number;
  /** `"exact"` (every coalition) or `"kernel"` (Kernel SHAP). */
  method: "exact" | "kernel";
  /** Kernel SHAP's coalitions (ignored for exact). */
  nsamples: number;
  /** The model's parameters (multiply-adds per row), when known. */
  params?: number;
}

/**
 * Refuses an explanation whose working arrays would exceed {@linkcode MAX_EXPLAIN_BYTES} or
 * whose estimated time would exceed {@linkcode MAX_EXPLAIN_SECONDS}, naming the estimate
 * and what to change.
 *
 * @example
 * ```ts
 * import { checkExplainSize } from "./budget.ts";
 * checkExplainSize("explain", { features: 10, backgroundRows: 100, method: "exact", nsamples: 0 });
 * ```
 */
export function checkExplainSize(fn: string, work: ExplainWork): void {
  const M = work.features;
  const coalitions = work.method === "exact" ? 2 ** M : Math.max(2, work.nsamples) + 2;
  // Kernel SHAP keeps a 0/1 mask per coalition and feature, a weight and a value per
  // coalition, and an (M-1)^2 matrix of float64 for the least squares.
  const bytes = work.method === "exact"
    ? coalitions * 8 * 2
    : coalitions * (M + 16) + (M - 1) ** 2 * 8;
  const what = work.method === "exact"
    ? `exact SHAP over ${M} features (${count(coalitions)} coalitions)`
    : `Kernel SHAP over ${M} features with ${count(coalitions - 2)} coalitions (nsamples)`;
  const fix = work.method === "exact"
    ? 'use method: "kernel"'
    : "pass a smaller nsamples, or explain fewer features";
  if (bytes > MAX_EXPLAIN_BYTES) {
    throw ArgumentError.because(
      fn,
      work.method === "exact" ? "method" : "nsamples",
      `${what} needs ${readableSize(bytes)} of working memory, more than the ${
        readableSize(MAX_EXPLAIN_BYTES)
      } an explanation may take; ${fix}`,
    );
  }
  // Rough rates on one core: ~1.5e9 scalar JavaScript operations a second for the least
  // squares, ~5e9 multiply-adds a second for the model on the background rows.
  const modelRows = coalitions * work.backgroundRows;
  const perRow = work.params ?? M;
  const fit = work.method === "kernel" ? coalitions * (M - 1) ** 2 / 2 : 0;
  const seconds = fit / 1.5e9 + modelRows * perRow / 5e9;
  if (seconds > MAX_EXPLAIN_SECONDS) {
    throw ArgumentError.because(
      fn,
      work.method === "exact" ? "method" : "nsamples",
      `${what} on ${work.backgroundRows} background rows would take about ${
        count(seconds / 60)
      } minutes (${count(modelRows)} model rows${
        fit > 0 ? ` and ${fit.toExponential(1)} operations of least squares` : ""
      }), more than the ${MAX_EXPLAIN_SECONDS / 60} minutes an explanation may take; ${fix}, ` +
        "or use a smaller background",
    );
  }
}
