/**
 * Reads and checks what {@linkcode explain} is given (the model, the instance, the
 * background, names and options) into one {@linkcode Problem} of plain arrays, before any
 * work: a rejected call computes nothing and leaves no tensor behind.
 *
 * @module
 */
import { checkNotTraining } from "../build/training_state.ts";
import { maxOf } from "../core/extent.ts";
import { tf } from "../core/tf.ts";
import { checkExplainSize } from "../core/budget.ts";
import {
  ArgumentError,
  checkInt,
  checkOneOf,
  checkOptions,
  checkSeed,
  describe,
} from "../core/errors.ts";
import { checkModel, outputActivation } from "../build/graph.ts";
import type { Summarize } from "./background.ts";

/** The space values are explained in: the raw output, or log-odds of a probability output. */
export type Link = "identity" | "logit";
/** How Shapley values are computed: `"auto"` is exact up to 16 features, Kernel SHAP above. */
export type ExplainMethod = "auto" | "exact" | "kernel";
/** A row of feature values. */
export type Row = readonly number[] | Float32Array | Float64Array;
/** A model as a function from a `[rows, features]` batch to one output per row. */
export type PredictFn = (x: tf.Tensor2D) => tf.Tensor;

/** Options of {@linkcode explain}. */
export interface ExplainOptions {
  /** The feature values to explain: an array, a 1-D tensor, or a record with `units: "raw"`. */
  instance: Row | tf.Tensor | Readonly<Record<string, unknown>>;
  /** Rows whose average output is the base value: rows, a 2-D tensor, records (`units: "raw"`). */
  background: readonly (Row | Readonly<Record<string, unknown>>)[] | tf.Tensor;
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
  /**
   * For a model with several outputs (a softmax classifier, or a function returning
   * `[rows, k]`): which output to explain, as an index or a name from `classNames`. Default:
   * the instance's predicted class (its largest output).
   */
  output?: number | string;
  /**
   * Names of a model's classes (`fromRecords`'s `classNames`), for `output` and the plots:
   * one per output of a softmax model, 2 (class 0, then class 1) for a one-output sigmoid
   * model; any other count is an error. Default: those of the preprocessing the model
   * carries, if any.
   */
  classNames?: readonly string[];
  /**
   * `"model"`: `instance` and `background` are the model's inputs (the default, but for a model
   * that carries its preprocessing). `"raw"` (that model's default): records, or rows as the
   * table has them (`fromRecords`' `x`), scaled for the model by its scaler; the explanation's
   * `instance` (and its plots) show the raw values, as `predict` and `evaluate` take them.
   */
  units?: "model" | "raw";
}

/** Which of a model's several outputs an explanation is about. */
export interface ExplainedOutput {
  /** The output's index. */
  index: number;
  /** Its name: from `classNames`, or the index as text. */
  name: string;
  /** How many outputs the model has. */
  of: number;
}

/**
 * Largest background used as is; larger ones are summarized to this many rows.
 *
 * @example
 * ```ts
 * import { explain, perceptron } from "../mod.ts";
 * import { MAX_BACKGROUND } from "./explain_input.ts";
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
 * import { MAX_EXACT_FEATURES } from "./explain_input.ts";
 * 2 ** MAX_EXACT_FEATURES; // 65536 coalitions
 * ```
 */
export const MAX_EXACT_FEATURES = 16;

const LINKS: readonly Link[] = ["identity", "logit"];
const METHODS: readonly ExplainMethod[] = ["auto", "exact", "kernel"];
const SUMMARIZE: readonly Summarize[] = ["sample", "kmeans"];

/** Everything explain needs, checked and copied before any work. */
export interface Problem {
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
  explained: ExplainedOutput | null;
}

/**
 * Checks `model` and `options` for {@linkcode explain} (errors name `fn`) and copies the
 * instance and background into float arrays.
 *
 * @example
 * ```ts
 * import { checkProblem } from "./explain_input.ts";
 * const p = checkProblem("explain", (x) => x.sum(1), { instance: [1, 2], background: [[0, 0]] }, "background");
 * [p.features, p.method, p.featureNames]; // [2, "exact", ["x1", "x2"]]
 * ```
 */
export function checkProblem(
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
    output: true,
    classNames: true,
    units: true,
  });
  let predict: PredictFn;
  let features: number | undefined;
  let width = 64;
  let units = 1;
  // A one-output model's kind: a sigmoid takes 2 class names; unknown for a function.
  let sigmoid: boolean | undefined;
  if (typeof model === "function") {
    // The user's function must give a tensor; anything else is named here, not met later as
    // a TypeError.
    predict = (x) => {
      const y: unknown = model(x);
      if (!(y instanceof tf.Tensor)) {
        throw ArgumentError.because(
          fn,
          "model",
          `model, a function, must return a tensor of shape [rows, outputs] for a tensor of ` +
            `rows, got ${describe(y)}`,
        );
      }
      return y;
    };
  } else {
    const m = checkModel(fn, model);
    checkNotTraining(fn, m);
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
    if (m.outputs.length !== 1 || outShape.length !== 2) {
      throw ArgumentError.because(
        fn,
        "model",
        `model must have one output of shape [rows, units], got ${
          m.outputs.map((t) => JSON.stringify(t.shape)).join(", ")
        }`,
      );
    }
    units = outShape[1] ?? 1;
    sigmoid = outputActivation(m) === "sigmoid";
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
  const explained = readOutput(fn, o, units, sigmoid, typeof model === "function", () => {
    // The predicted class: the instance's largest output.
    const y = tf.tidy(() => predict(tf.tensor2d(Float32Array.from(instance), [1, M])));
    try {
      return Array.from(y.dataSync());
    } finally {
      y.dispose();
    }
  });
  if (explained) {
    const full = predict;
    const column = explained.index;
    predict = (x) => tf.tidy(() => full(x).slice([0, column], [-1, 1]));
  }
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
    explained,
  };
}

/**
 * The output to explain for a model with `units` outputs, or `null` for one output. Checks
 * `output` and `classNames` first; `outputsOf()` (the instance's outputs) runs only when the
 * default, the predicted class, is needed.
 */
function readOutput(
  fn: string,
  o: ExplainOptions,
  modelUnits: number,
  sigmoid: boolean | undefined,
  isFunction: boolean,
  outputsOf: () => number[],
): ExplainedOutput | null {
  // A function's outputs per row are known only by calling it: once, on the instance, when
  // `output` or `classNames` asks for one of several.
  let outputs: number[] | undefined;
  if (isFunction && (o.output !== undefined || o.classNames !== undefined)) outputs = outputsOf();
  const units = outputs?.length ?? modelUnits;
  if (units === 1) {
    if (o.output !== undefined) {
      throw ArgumentError.because(
        fn,
        "output",
        `output is for a model with several outputs; this model has one, explained as it is`,
      );
    }
    if (o.classNames !== undefined) checkBinaryNames(fn, o.classNames, sigmoid);
    return null;
  }
  let names: string[];
  if (o.classNames === undefined) names = Array.from({ length: units }, (_, k) => String(k));
  else if (
    !Array.isArray(o.classNames) || o.classNames.length !== units ||
    o.classNames.some((n) => typeof n !== "string")
  ) {
    throw new ArgumentError(
      fn,
      "classNames",
      o.classNames,
      `an array of ${units} names (one per model output)`,
    );
  } else names = [...o.classNames];
  let index: number;
  if (o.output === undefined) {
    outputs ??= outputsOf();
    index = outputs.indexOf(maxOf(outputs, (v) => v, -Infinity));
  } else if (typeof o.output === "string") {
    index = names.indexOf(o.output);
    if (index < 0) {
      throw new ArgumentError(
        fn,
        "output",
        o.output,
        `an output index 0 to ${units - 1} or one of the classNames ${
          names.map((n) => describe(n)).join(", ")
        }`,
      );
    }
  } else {
    index = checkInt(fn, "output", o.output, 0, units - 1);
  }
  return { index, name: names[index], of: units };
}

/** Class names for a one-output model: 2 (class 0, then class 1) for a sigmoid or a function. */
function checkBinaryNames(fn: string, names: unknown, sigmoid: boolean | undefined): void {
  if (sigmoid === false) {
    throw ArgumentError.because(
      fn,
      "classNames",
      `classNames is ${describe(names)}, but this model has one output that is not a sigmoid ` +
        "(a regression): it has no classes to name",
    );
  }
  if (
    !Array.isArray(names) || names.length !== 2 || names.some((n) => typeof n !== "string")
  ) {
    throw new ArgumentError(
      fn,
      "classNames",
      names,
      "an array of 2 names (class 0, then class 1) for a model with one sigmoid output",
    );
  }
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
