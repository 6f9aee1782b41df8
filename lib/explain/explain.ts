/**
 * Shapley-value explanations of one prediction: which features pushed the model output up
 * or down from its average over a background set. Exact enumeration of all coalitions for
 * up to 16 features, Kernel SHAP (as Python's `shap` KernelExplainer computes it) beyond.
 * The result is plain data; the waterfall, decision and bar plots draw it.
 *
 * @module
 */
import { checkExplainSize } from "../core/budget.ts";
import { tf } from "../core/tf.ts";
import {
  ArgumentError,
  checkInt,
  checkOneOf,
  checkOptions,
  checkSeed,
  describe,
} from "../core/errors.ts";
import { checkModel } from "../build/graph.ts";
import { type Rng, rng } from "../core/random.ts";
import { type BackgroundSummary, type Summarize, summarizeRows } from "./background.ts";

/** The space values are explained in: the raw output, or log-odds of a probability output. */
export type Link = "identity" | "logit";
/** How Shapley values are computed: `"auto"` is exact up to 16 features, Kernel SHAP above. */
export type ExplainMethod = "auto" | "exact" | "kernel";
export type { Summarize } from "./background.ts";
/** A row of feature values. */
export type Row = readonly number[] | Float32Array | Float64Array;
/** A model as a function from a `[rows, features]` batch to one output per row. */
export type PredictFn = (x: tf.Tensor2D) => tf.Tensor;

/** Options of {@linkcode explain}. */
export interface ExplainOptions {
  /** The feature values of the prediction to explain (an array or a 1-D tensor). */
  instance: Row | tf.Tensor;
  /** Rows whose average output is the base value (an array of rows or a 2-D tensor). */
  background: readonly Row[] | tf.Tensor;
  /** One unique name per feature. Default `x1`, `x2`, ... */
  featureNames?: readonly string[];
  /** `"identity"` (default) or `"logit"`: explain log-odds of a sigmoid output. */
  link?: Link;
  /** `"auto"` (default), `"exact"` (at most 16 features) or `"kernel"`. */
  method?: ExplainMethod;
  /** Kernel SHAP coalition samples. Default 2M + 2048 for M varying features. */
  nsamples?: number;
  /** Seed for background sampling and Kernel SHAP. Default 0 (same call, same numbers). */
  seed?: number;
  /** How a background of more than 100 rows is reduced. Default `"sample"`. */
  summarize?: Summarize;
}

/** Where the base value came from. */
export interface BackgroundInfo {
  /** Rows given. */
  givenRows: number;
  /** Rows used (at most {@linkcode MAX_BACKGROUND}). */
  rows: number;
  /** How the given rows were reduced, or `null` when all were used. */
  summarized: Summarize | null;
  /** True when rows carry unequal weights (k-means cluster sizes). */
  weighted: boolean;
  /** Which of the given rows were used, in order. */
  indices: number[];
  /** Each used row's weight in the base value's average (they sum to 1). */
  weights: number[];
}

/** One explained prediction, as plain data. */
export interface Explanation {
  /** One Shapley value per feature, in link space; they add up to `output - baseValue`. */
  values: number[];
  /** The background's mean model output, in link space (`E[f(X)]`). */
  baseValue: number;
  /** The model output for the instance, in link space (`f(x)`). */
  output: number;
  /** Feature names, in input order. */
  featureNames: string[];
  /** The instance's feature values. */
  instance: number[];
  /** The space of `values`, `baseValue` and `output`. */
  link: Link;
  /** The method that computed the values. */
  method: "exact" | "kernel";
  /** Coalitions whose value was computed (each averages the model over the background). */
  coalitions: number;
  /** Rows passed through the model: coalitions times background rows. */
  modelRows: number;
  /** The background used. */
  background: BackgroundInfo;
  /** The seed used. */
  seed: number;
}

/**
 * Largest background used as is; larger ones are summarized to this many rows.
 *
 * @example
 * ```ts
 * import { explain, MAX_BACKGROUND, perceptron } from "../mod.ts";
 * const rows = Array.from({ length: 500 }, (_, j) => [j / 500, 1 - j / 500]);
 * const e = explain(perceptron({ inputs: 2 }), { instance: [1, 1], background: rows });
 * e.background.rows === MAX_BACKGROUND; // true
 * ```
 */
export const MAX_BACKGROUND = 100;
/**
 * Most features exact enumeration accepts (2^16 = 65,536 coalitions); `method: "auto"`
 * switches to Kernel SHAP above it.
 *
 * @example
 * ```ts
 * import { MAX_EXACT_FEATURES } from "./explain.ts";
 * 2 ** MAX_EXACT_FEATURES; // 65536 coalitions
 * ```
 */
export const MAX_EXACT_FEATURES = 16;

const LINKS: readonly Link[] = ["identity", "logit"];
const METHODS: readonly ExplainMethod[] = ["auto", "exact", "kernel"];
const SUMMARIZE: readonly Summarize[] = ["sample", "kmeans"];
// Probabilities are clipped this far from 0 and 1 before the logit (float32 sigmoids saturate).
const LOGIT_EPS = 1e-7;
// Values per model call: chunk rows x widest layer stays near 16 MB of float32.
const CHUNK_FLOATS = 1 << 22;

/** Everything explain needs, checked and copied before any work. */
interface Problem {
  fn: string;
  predict: PredictFn;
  features: number;
  width: number;
  instance: Float64Array;
  background: Float32Array;
  backgroundRows: number;
  featureNames: string[];
  link: Link;
  method: "exact" | "kernel";
  nsamples: number | undefined;
  seed: number;
  summarize: Summarize;
}

/**
 * Explains one prediction with Shapley values: for each feature, how much it moved the
 * model output from the background's average. The value of a coalition S is interventional,
 * as in Kernel SHAP: features in S take the instance's values, the others each background
 * row's values, and the model output is averaged over the background (then linked).
 *
 * @example
 * ```ts
 * import { explain, perceptron } from "../mod.ts";
 * const model = perceptron({ inputs: 3, activation: "sigmoid", initializer: "ones" });
 * const e = explain(model, {
 *   instance: [0.2, 0.5, 0.9],
 *   background: [[0, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5]],
 *   featureNames: ["a", "b", "c"],
 *   link: "logit",
 * });
 * e.values.map((v) => v.toFixed(3)); // ["-0.159", "0.123", "0.501"] (log-odds)
 * e.values.reduce((s, v) => s + v, 0); // ≈ e.output - e.baseValue
 * ```
 */
export function explain(model: tf.LayersModel | PredictFn, options: ExplainOptions): Explanation {
  return explainAs("explain", model, options);
}

/**
 * {@linkcode explain}, with errors naming `fn` (for functions built on it).
 *
 * @example
 * ```ts
 * import { explainAs } from "./explain.ts";
 * import { perceptron } from "../build/models.ts";
 * try {
 *   explainAs("myExplainer", perceptron({ inputs: 2 }), { instance: [1], background: [[0, 0]] });
 * } catch (e) {
 *   (e as Error).message; // "myExplainer: instance must be 2 numbers (one per model input feature), got an array of length 1"
 * }
 * ```
 */
export function explainAs(
  fn: string,
  model: tf.LayersModel | PredictFn,
  options: ExplainOptions,
  backgroundName = "background",
): Explanation {
  const p = checkProblem(fn, model, options, backgroundName);
  const r = rng(p.seed);
  const bgRng = rng((p.seed ^ 0x9E3779B9) >>> 0);
  const bg = summarizeRows(p.background, p.backgroundRows, p.features, {
    method: p.summarize,
    max: MAX_BACKGROUND,
    rng: bgRng,
  });
  const x32 = Float32Array.from(p.instance);
  // Features equal to the instance in every background row cannot change the output.
  const varying: number[] = [];
  for (let k = 0; k < p.features; k++) {
    for (let j = 0; j < bg.rows; j++) {
      if (bg.data[j * p.features + k] !== x32[k]) {
        varying.push(k);
        break;
      }
    }
  }
  const evaluator = new CoalitionEvaluator(p, bg, x32, varying);
  const result = p.method === "exact"
    ? exactShapley(evaluator, varying.length)
    : kernelShap(evaluator, varying.length, p.nsamples, r);
  const values = new Array<number>(p.features).fill(0);
  varying.forEach((k, i) => (values[k] = result.phi[i]));
  return {
    values,
    baseValue: result.base,
    output: result.output,
    featureNames: p.featureNames,
    instance: Array.from(p.instance),
    link: p.link,
    method: p.method,
    coalitions: result.coalitions,
    modelRows: result.coalitions * bg.rows,
    background: {
      givenRows: p.backgroundRows,
      rows: bg.rows,
      summarized: p.backgroundRows > MAX_BACKGROUND ? p.summarize : null,
      weighted: bg.weighted,
      indices: Array.from(bg.indices),
      weights: Array.from(bg.weights),
    },
    seed: p.seed,
  };
}

// ---------------------------------------------------------------- argument checks

function checkProblem(
  fn: string,
  model: tf.LayersModel | PredictFn,
  options: ExplainOptions,
  backgroundName: string,
): Problem {
  const o = checkOptions(fn, options, {
    instance: true,
    background: true,
    featureNames: true,
    link: true,
    method: true,
    nsamples: true,
    seed: true,
    summarize: true,
  });
  let predict: PredictFn;
  let features: number | undefined;
  let width = 64;
  if (typeof model === "function") {
    predict = model;
  } else {
    const m = checkModel(fn, model);
    if (m.inputs.length !== 1 || m.inputs[0].shape.length !== 2) {
      throw ArgumentError.because(
        fn,
        "model",
        `model must take one input of shape [rows, features], got ${
          m.inputs.map((i) => JSON.stringify(i.shape)).join(", ")
        }`,
      );
    }
    const outShape = m.outputs[0].shape;
    const outUnits = outShape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
    if (m.outputs.length !== 1 || outUnits !== 1) {
      throw ArgumentError.because(
        fn,
        "model",
        `model must have one output with one unit, got ${
          m.outputs.map((t) => JSON.stringify(t.shape)).join(", ")
        }`,
      );
    }
    features = m.inputs[0].shape[1] ?? undefined;
    width = Math.max(
      1,
      ...m.layers.map((l) => {
        const s = l.outputShape as (number | null)[] | (number | null)[][];
        const first = Array.isArray(s[0]) ? s[0] as (number | null)[] : s as (number | null)[];
        return first.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
      }),
    );
    predict = (x) => m.predict(x, { batchSize: x.shape[0] }) as tf.Tensor;
  }
  const instance = readInstance(fn, o.instance, features);
  const M = instance.length;
  if (M === 0) throw new ArgumentError(fn, "instance", o.instance, "a non-empty array of numbers");
  const { data: background, rows: backgroundRows } = readBackground(
    fn,
    o.background,
    M,
    backgroundName,
  );
  const featureNames = readNames(fn, o.featureNames, M);
  const link = checkOneOf(fn, "link", o.link ?? "identity", LINKS);
  const requested = checkOneOf(fn, "method", o.method ?? "auto", METHODS);
  const summarize = checkOneOf(fn, "summarize", o.summarize ?? "sample", SUMMARIZE);
  const seed = checkSeed(fn, o.seed) ?? 0;
  const nsamples = o.nsamples === undefined
    ? undefined
    : checkInt(fn, "nsamples", o.nsamples, Math.max(1, Math.min(M + 1, 2 ** M - 2)));
  if (requested === "exact" && M > MAX_EXACT_FEATURES) {
    throw ArgumentError.because(
      fn,
      "method",
      `method "exact" would need 2^${M} = ${
        (2 ** M).toLocaleString("en-US")
      } coalitions for ${M} ` +
        `features (exact enumeration is limited to ${MAX_EXACT_FEATURES} features); ` +
        `use method: "kernel" (Kernel SHAP) or "auto"`,
    );
  }
  const method = requested === "auto" ? (M <= MAX_EXACT_FEATURES ? "exact" : "kernel") : requested;
  checkExplainSize(fn, {
    features: M,
    backgroundRows: Math.min(backgroundRows, MAX_BACKGROUND),
    method,
    nsamples: Math.min(nsamples ?? 2 * M + 2048, M <= 30 ? 2 ** M - 2 : 2 ** 30), // as kernelShap
    params: typeof model === "function" ? undefined : model.countParams(),
  });
  return {
    fn,
    predict,
    features: M,
    width: Math.max(width, M),
    instance,
    background,
    backgroundRows,
    featureNames,
    link,
    method,
    nsamples,
    seed,
    summarize,
  };
}

function isNumberRow(value: unknown): value is Row {
  return Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array;
}

/** An error whose "given" is a description (not a value to quote): `x must be ..., got a bool tensor`. */
function mustBe(fn: string, argument: string, expected: string, got: string): ArgumentError {
  return ArgumentError.because(fn, argument, `${argument} must be ${expected}, got ${got}`);
}

const FLOAT32_MAX = 3.4028234663852886e38;

/** A feature value the model's float32 arithmetic can hold; beyond it, tfjs makes Infinity. */
function checkValue(fn: string, argument: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ArgumentError(fn, argument, v, "a finite number");
  }
  if (Math.abs(v) > FLOAT32_MAX) {
    throw new ArgumentError(fn, argument, v, "a number float32 can hold (|x| <= 3.4e38)");
  }
  return v;
}

function tensorValues(fn: string, argument: string, t: tf.Tensor): Float32Array | Int32Array {
  if (t.isDisposed) throw ArgumentError.because(fn, argument, `${argument} is a disposed tensor`);
  if (t.dtype !== "float32" && t.dtype !== "int32") {
    throw mustBe(fn, argument, "a float32 or int32 tensor", `a ${t.dtype} tensor`);
  }
  return t.dataSync() as Float32Array | Int32Array;
}

function readInstance(fn: string, value: unknown, features: number | undefined): Float64Array {
  let values: ArrayLike<unknown>;
  if (value instanceof tf.Tensor) {
    const rowShaped = value.rank === 2 && value.shape[0] === 1;
    if (value.rank !== 1 && !rowShaped) {
      throw mustBe(
        fn,
        "instance",
        "a 1-D tensor (one row of feature values)",
        `a tensor of shape ${JSON.stringify(value.shape)}`,
      );
    }
    values = tensorValues(fn, "instance", value);
  } else if (isNumberRow(value)) {
    values = value;
  } else {
    throw new ArgumentError(fn, "instance", value, "an array of numbers (one per feature)");
  }
  if (features !== undefined && values.length !== features) {
    const expected = `${features} numbers (one per model input feature)`;
    if (value instanceof tf.Tensor) {
      throw mustBe(fn, "instance", expected, `a tensor of ${values.length} values`);
    }
    throw new ArgumentError(fn, "instance", value, expected);
  }
  const out = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = checkValue(fn, `instance[${k}]`, values[k]);
  return out;
}

function readBackground(
  fn: string,
  value: unknown,
  features: number,
  argument: string,
): { data: Float32Array; rows: number } {
  if (value instanceof tf.Tensor) {
    if (value.rank !== 2 || value.shape[1] !== features || value.shape[0] === 0) {
      throw mustBe(
        fn,
        argument,
        `a 2-D tensor of shape [rows >= 1, ${features}]`,
        `a tensor of shape ${JSON.stringify(value.shape)}`,
      );
    }
    const data = Float32Array.from(tensorValues(fn, argument, value));
    data.forEach((v, i) =>
      checkValue(fn, `${argument}[${Math.floor(i / features)}][${i % features}]`, v)
    );
    return { data, rows: value.shape[0] };
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new ArgumentError(
      fn,
      argument,
      value,
      `a non-empty array of rows of ${features} numbers`,
    );
  }
  const data = new Float32Array(value.length * features);
  value.forEach((row: unknown, j: number) => {
    if (!isNumberRow(row) || row.length !== features) {
      throw new ArgumentError(fn, `${argument}[${j}]`, row, `a row of ${features} numbers`);
    }
    for (let k = 0; k < features; k++) {
      data[j * features + k] = checkValue(fn, `${argument}[${j}][${k}]`, row[k]);
    }
  });
  return { data, rows: value.length };
}

function readNames(fn: string, value: unknown, features: number): string[] {
  if (value === undefined) return Array.from({ length: features }, (_, k) => `x${k + 1}`);
  if (!Array.isArray(value) || value.length !== features) {
    throw new ArgumentError(
      fn,
      "featureNames",
      value,
      `an array of ${features} names (one per feature)`,
    );
  }
  const seen = new Map<string, number>();
  value.forEach((name: unknown, k: number) => {
    if (typeof name !== "string") {
      throw new ArgumentError(fn, `featureNames[${k}]`, name, "a string");
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw ArgumentError.because(
        fn,
        "featureNames",
        `featureNames must be unique, got ${
          describe(name)
        } at positions ${first} and ${k}; each feature needs its own name`,
      );
    }
    seen.set(name, k);
  });
  return [...value];
}

// ---------------------------------------------------------------- coalition values

/** Computes coalition values v(S) = link(E_bg[f(x_S, bg)]) in large chunked model calls. */
class CoalitionEvaluator {
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
          `model must give one output per row, got shape ${
            JSON.stringify(y.shape)
          } for ${rows} rows`,
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

interface ShapleyResult {
  phi: Float64Array;
  base: number;
  output: number;
  coalitions: number;
}

/** Exact Shapley values from all 2^M coalitions (M = varying features). */
function exactShapley(evaluator: CoalitionEvaluator, M: number): ShapleyResult {
  const count = 2 ** M;
  const v = evaluator.values(count, (mask, on) => {
    let n = 0;
    for (let i = 0; i < M; i++) if (mask & (1 << i)) on[n++] = i;
    return n;
  });
  const size = new Uint8Array(count);
  for (let mask = 1; mask < count; mask++) size[mask] = size[mask >> 1] + (mask & 1);
  // Shapley weight of a coalition of size s not containing i: s!(M-s-1)!/M! = 1/(M C(M-1, s)).
  const weight = new Float64Array(Math.max(M, 1));
  for (let s = 0; s < M; s++) weight[s] = 1 / (M * binomial(M - 1, s));
  const phi = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    const bit = 1 << i;
    let sum = 0;
    for (let mask = 0; mask < count; mask++) {
      if (mask & bit) continue;
      sum += weight[size[mask]] * (v[mask | bit] - v[mask]);
    }
    phi[i] = sum;
  }
  return { phi, base: v[0], output: v[count - 1], coalitions: count };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * Kernel SHAP as `shap`'s KernelExplainer: subset sizes are enumerated fully (with their
 * complements) while the budget allows, the rest are sampled by Shapley-kernel weight in
 * complementary pairs, then a weighted least squares fit with the efficiency constraint
 * substituted out (the last feature's value is f(x) - E[f(X)] minus the others).
 */
function kernelShap(
  evaluator: CoalitionEvaluator,
  M: number,
  requested: number | undefined,
  r: Rng,
): ShapleyResult {
  // The empty and full coalitions give the base value and the output.
  const [base, output] = evaluator.values(2, (c, on) => {
    for (let i = 0; i < c * M; i++) on[i] = i;
    return c * M;
  });
  if (M === 0) return { phi: new Float64Array(0), base, output, coalitions: 2 };
  if (M === 1) return { phi: Float64Array.of(output - base), base, output, coalitions: 2 };

  const maxSamples = M <= 30 ? 2 ** M - 2 : 2 ** 30;
  const nsamples = Math.min(requested ?? 2 * M + 2048, maxSamples);
  const { masks, weights, count } = sampleCoalitions(M, nsamples, r);
  const v = evaluator.values(count, (c, on) => {
    let n = 0;
    for (let i = 0; i < M; i++) if (masks[c * M + i]) on[n++] = i;
    return n;
  });

  // Unknowns: phi_0..phi_{M-2}; phi_{M-1} = total - sum(others).
  const total = output - base;
  const last = M - 1;
  const P = M - 1;
  const A = new Float64Array(P * P);
  const b = new Float64Array(P);
  const row = new Float64Array(P);
  for (let s = 0; s < count; s++) {
    const zl = masks[s * M + last];
    const y = v[s] - base - zl * total;
    for (let i = 0; i < P; i++) row[i] = masks[s * M + i] - zl;
    const w = weights[s];
    for (let i = 0; i < P; i++) {
      if (row[i] === 0) continue;
      const wi = w * row[i];
      b[i] += wi * y;
      for (let j = i; j < P; j++) A[i * P + j] += wi * row[j];
    }
  }
  for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) A[i * P + j] = A[j * P + i];
  const solved = solveSymmetric(A, b, P);
  const phi = new Float64Array(M);
  let sum = 0;
  for (let i = 0; i < P; i++) {
    phi[i] = solved[i];
    sum += solved[i];
  }
  phi[last] = total - sum;
  return { phi, base, output, coalitions: count + 2 };
}

/** Sampled coalitions as 0/1 masks (row-major, M per coalition) with kernel weights. */
function sampleCoalitions(
  M: number,
  nsamples: number,
  r: Rng,
): { masks: Uint8Array; weights: Float64Array; count: number } {
  const masks = new Uint8Array(nsamples * M);
  const weights = new Float64Array(nsamples);
  let count = 0;
  const add = (mask: Uint8Array, w: number) => {
    masks.set(mask, count * M);
    weights[count++] = w;
  };

  const numSizes = Math.ceil((M - 1) / 2);
  const numPaired = Math.floor((M - 1) / 2);
  const weightVector = Array.from(
    { length: numSizes },
    (_, i) => (M - 1) / ((i + 1) * (M - i - 1)),
  );
  for (let i = 0; i < numPaired; i++) weightVector[i] *= 2;
  const weightSum = weightVector.reduce((a, c) => a + c, 0);
  for (let i = 0; i < numSizes; i++) weightVector[i] /= weightSum;

  // Enumerate whole subset sizes (smallest first) while the budget covers them.
  let numFull = 0;
  let left = nsamples;
  let remaining = [...weightVector];
  const mask = new Uint8Array(M);
  for (let size = 1; size <= numSizes; size++) {
    let nsubsets = binomial(M, size);
    if (size <= numPaired) nsubsets *= 2;
    if ((left * remaining[size - 1]) / nsubsets < 1 - 1e-8) break;
    numFull++;
    left -= nsubsets;
    if (remaining[size - 1] < 1) {
      const scale = 1 - remaining[size - 1];
      remaining = remaining.map((w) => w / scale);
    }
    let w = weightVector[size - 1] / binomial(M, size);
    if (size <= numPaired) w /= 2;
    forEachCombination(M, size, (members) => {
      mask.fill(0);
      for (const i of members) mask[i] = 1;
      add(mask, w);
      if (size <= numPaired) {
        for (let i = 0; i < M; i++) mask[i] = 1 - mask[i];
        add(mask, w);
      }
    });
  }

  // Sample the remaining sizes by kernel weight, each with its complement.
  const fixed = count;
  let samplesLeft = nsamples - count;
  if (numFull !== numSizes && samplesLeft > 0) {
    const rest = weightVector.map((w, i) => (i < numPaired ? w / 2 : w)).slice(numFull);
    const restSum = rest.reduce((a, c) => a + c, 0);
    const cumulative: number[] = [];
    rest.reduce((acc, w) => (cumulative.push(acc + w / restSum), acc + w / restSum), 0);
    const seen = new Map<string, number>();
    const order = Array.from({ length: M }, (_, i) => i);
    const draws = 4 * samplesLeft;
    for (let d = 0; d < draws && samplesLeft > 0; d++) {
      const u = r.next();
      let ind = cumulative.findIndex((c) => u < c);
      if (ind < 0) ind = cumulative.length - 1;
      const size = ind + numFull + 1;
      // A uniformly random subset of `size` features: a partial Fisher-Yates shuffle.
      for (let t = 0; t < size; t++) {
        const j = t + r.int(M - t);
        [order[t], order[j]] = [order[j], order[t]];
      }
      mask.fill(0);
      for (let t = 0; t < size; t++) mask[order[t]] = 1;
      const key = String.fromCharCode(...mask);
      const previous = seen.get(key);
      if (previous === undefined) {
        seen.set(key, count);
        samplesLeft--;
        add(mask, 1);
      } else {
        weights[previous] += 1;
      }
      if (samplesLeft > 0 && size <= numPaired) {
        for (let i = 0; i < M; i++) mask[i] = 1 - mask[i];
        if (previous === undefined) {
          samplesLeft--;
          add(mask, 1);
        } else {
          // The complement was added right after the original.
          weights[previous + 1] += 1;
        }
      }
    }
    // The sampled weights share what the enumerated sizes left of the kernel's mass.
    const weightLeft = weightVector.slice(numFull).reduce((a, c) => a + c, 0);
    let sampled = 0;
    for (let s = fixed; s < count; s++) sampled += weights[s];
    for (let s = fixed; s < count; s++) weights[s] *= weightLeft / sampled;
  }
  return { masks, weights, count };
}

/** Calls `visit` with each `size`-subset of 0..n-1 in lexicographic order. */
function forEachCombination(n: number, size: number, visit: (members: Int32Array) => void): void {
  const members = Int32Array.from({ length: size }, (_, i) => i);
  while (true) {
    visit(members);
    let i = size - 1;
    while (i >= 0 && members[i] === n - size + i) i--;
    if (i < 0) return;
    members[i]++;
    for (let j = i + 1; j < size; j++) members[j] = members[j - 1] + 1;
  }
}

/**
 * Solves A x = b for a symmetric positive semi-definite A by Gaussian elimination with
 * partial pivoting; a singular A (coalitions that do not separate every feature) gets a
 * tiny ridge so the solve still returns the minimum-change answer.
 */
function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += A[i * n + i];
  for (const ridge of [0, 1e-10, 1e-7, 1e-4]) {
    const m = Float64Array.from(A);
    for (let i = 0; i < n; i++) m[i * n + i] += (ridge * trace) / n;
    const x = gaussianSolve(m, Float64Array.from(b), n, trace);
    if (x) return x;
  }
  return new Float64Array(n);
}

function gaussianSolve(
  m: Float64Array,
  x: Float64Array,
  n: number,
  scale: number,
): Float64Array | null {
  const tiny = 1e-14 * (scale / n || 1);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i * n + c]) > Math.abs(m[p * n + c])) p = i;
    if (Math.abs(m[p * n + c]) <= tiny) return null;
    if (p !== c) {
      for (let j = 0; j < n; j++) [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let i = c + 1; i < n; i++) {
      const f = m[i * n + c] / m[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) m[i * n + j] -= f * m[c * n + j];
      x[i] -= f * x[c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= m[i * n + j] * x[j];
    x[i] = s / m[i * n + i];
  }
  return x;
}
