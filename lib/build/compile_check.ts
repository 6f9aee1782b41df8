/**
 * `model.compile`'s loss and metric names, checked before tfjs sees them: tfjs knows only its
 * camelCase names and says "Unknown loss categorical_crossentropy"; a Keras user reaches for
 * the snake_case name, and the lib's own metrics (`f1`, `r2`, ...) are functions to import,
 * not names. The builders give their models a `compile` that checks first.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError, closestName, describe } from "../core/errors.ts";

/**
 * tfjs's loss names (tfjs-layers' `lossesMap`).
 *
 * @example
 * ```ts
 * import { LOSS_NAMES } from "./compile_check.ts";
 * LOSS_NAMES.includes("categoricalCrossentropy"); // true
 * ```
 */
export const LOSS_NAMES: readonly string[] = [
  "meanSquaredError",
  "meanAbsoluteError",
  "meanAbsolutePercentageError",
  "meanSquaredLogarithmicError",
  "squaredHinge",
  "hinge",
  "categoricalHinge",
  "logcosh",
  "categoricalCrossentropy",
  "sparseCategoricalCrossentropy",
  "binaryCrossentropy",
  "kullbackLeiblerDivergence",
  "poisson",
  "cosineProximity",
];

/**
 * tfjs's metric names (`compile`'s own and tfjs-layers' `metricsMap`).
 *
 * @example
 * ```ts
 * import { METRIC_NAMES } from "./compile_check.ts";
 * METRIC_NAMES.includes("f1"); // false: f1 is the lib's function, passed as is
 * ```
 */
export const METRIC_NAMES: readonly string[] = [
  "accuracy",
  "acc",
  "crossentropy",
  "ce",
  "binaryAccuracy",
  "categoricalAccuracy",
  "precision",
  "categoricalCrossentropy",
  "sparseCategoricalCrossentropy",
  "mse",
  "MSE",
  "mae",
  "MAE",
  "mape",
  "MAPE",
  "cosine",
];

/** The lib's metric functions (lib/train/metrics.ts), by the names users type for them. */
const LIB_METRICS: Readonly<Record<string, string>> = {
  f1: "f1",
  f1score: "f1",
  fscore: "f1",
  recall: "recall",
  r2: "r2",
  r2score: "r2",
  rsquared: "r2",
  coefficientofdetermination: "r2",
};

const squash = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, "");

function checkLossName(fn: string, argument: string, name: string): void {
  if (LOSS_NAMES.includes(name)) return;
  const guess = closestName(name, LOSS_NAMES);
  const hint = guess
    ? `did you mean "${guess}"? tfjs names losses in camelCase, not Keras's snake_case`
    : `name one of the losses below, or pass a function (yTrue, yPred) => tensor`;
  throw ArgumentError.because(
    fn,
    argument,
    `${argument} ${describe(name)} is not a loss tfjs knows (${hint}); losses are ${
      LOSS_NAMES.join(", ")
    }`,
  );
}

function checkMetricName(fn: string, argument: string, name: string): void {
  if (METRIC_NAMES.includes(name)) return;
  const lib = LIB_METRICS[squash(name)];
  if (lib !== undefined) {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} ${describe(name)} is not a name tfjs knows: ${lib} is the lib's metric ` +
        `function; import { ${lib} } from the lib's mod.ts and pass the function itself, ` +
        `e.g. metrics: ["accuracy", ${lib}]`,
    );
  }
  const guess = closestName(name, METRIC_NAMES);
  throw ArgumentError.because(
    fn,
    argument,
    `${argument} ${describe(name)} is not a metric tfjs knows${
      guess ? ` (did you mean "${guess}"?)` : ""
    }; metrics are ${METRIC_NAMES.join(", ")}, the lib's functions precision, recall, f1 ` +
      `and r2 (import them), or a function (yTrue, yPred) => tensor`,
  );
}

/** Every string in a loss or metrics argument (one, an array, or one per output by name). */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  }
  return [];
}

/**
 * Checks `compile`'s arguments: each loss and metric given by name must be one tfjs knows,
 * else an {@linkcode ArgumentError} with the name it was probably meant to be (camelCase for
 * Keras's snake_case) or, for the lib's metrics (`f1`, `r2`, ...), the import to use.
 *
 * @example
 * ```ts
 * import { checkCompileArgs } from "./compile_check.ts";
 * try {
 *   checkCompileArgs("model.compile", { optimizer: "adam", loss: "categorical_crossentropy" });
 * } catch (e) {
 *   (e as Error).message; // 'model.compile: loss "categorical_crossentropy" is not a loss tfjs knows (did you mean "categoricalCrossentropy"? ...'
 * }
 * ```
 */
export function checkCompileArgs(fn: string, args: unknown): void {
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new ArgumentError(fn, "args", args, "an object { optimizer, loss, metrics }");
  }
  const { loss, metrics } = args as { loss?: unknown; metrics?: unknown };
  for (const [path, name] of strings(loss, "loss")) checkLossName(fn, path, name);
  for (const [path, name] of strings(metrics, "metrics")) checkMetricName(fn, path, name);
}

/**
 * Gives a model a `compile` that runs {@linkcode checkCompileArgs} first, then tfjs's own.
 * The builders call it on every model they return.
 *
 * @example
 * ```ts
 * import { checkedCompile } from "./compile_check.ts";
 * import { tf } from "../core/tf.ts";
 * const model = checkedCompile(tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] }));
 * model.compile({ optimizer: "adam", loss: "meanSquaredError" }); // as tfjs's
 * ```
 */
export function checkedCompile<M extends tf.LayersModel>(model: M): M {
  const compile = model.compile.bind(model);
  Object.defineProperty(model, "compile", {
    value: (args: Parameters<M["compile"]>[0]) => {
      checkCompileArgs("model.compile", args);
      return compile(args);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return model;
}
