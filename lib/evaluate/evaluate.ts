/**
 * Exact evaluation over a whole data set, with scikit-learn's definitions: for
 * classification the confusion matrix, accuracy, precision, recall and F1
 * (`precision_score`, `recall_score`, `f1_score`, 0 when undefined); for regression MAE, MSE,
 * RMSE and R2 (`mean_absolute_error`, `mean_squared_error`, `r2_score`). Unlike the per-batch
 * training metrics these are computed once over all rows, in float64. A softmax model with k
 * outputs gets the k-class report (multiclass.ts): `classification_report` and a k x k
 * confusion matrix.
 *
 * @module
 */
import { withText } from "../core/text.ts";
import { checkScores } from "./scores_check.ts";
import { checkNotTraining } from "../build/training_state.ts";
import { outputActivation } from "../build/graph.ts";
import { heatCell } from "./cell_colors.ts";
import { tf } from "../core/tf.ts";
import { ArgumentError, checkNumber, checkOneOf, checkOptions } from "../core/errors.ts";
import { TextTable } from "../display/display.ts";
import { escapeXml } from "../core/escape.ts";
import { type Task, TASKS } from "../build/models.ts";
import {
  checkBinary,
  checkFit,
  classIndices,
  isSoftmaxModel,
  type Matrix,
  modelShape,
  type Table,
  type Targets,
} from "../train/inputs.ts";
import { attachedPreprocessing } from "../data/attached.ts";
import { evaluationInputs } from "./evaluate_inputs.ts";
import {
  multiclassHTML,
  type MulticlassScores,
  multiclassScores,
  multiclassText,
} from "./multiclass.ts";
import { plural } from "../core/words.ts";

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /**
   * What the model predicts. Default: the task of the preprocessing it carries, else
   * `"classification"` if its last layer is a sigmoid or softmax, else `"regression"`.
   */
  task?: Task;
  /** Classification: a row is predicted positive when its score is > threshold (as Keras's accuracy), in [0, 1]. Default 0.5. */
  threshold?: number;
  /**
   * A classifier's class names (`fromRecords`'s `classNames`): k for a softmax model, in
   * output order; 2 for a one-output (sigmoid) model, for 0 then 1. Default: the class names
   * the model carries (`attachPreprocessing`), else `0`, `1`, ...
   */
  classNames?: readonly string[];
}

/** Classification scores over all rows. */
export interface ClassificationScores {
  /** Always `"classification"`. */
  task: "classification";
  /** Rows evaluated. */
  rows: number;
  /** Score above which a row is predicted 1. */
  threshold: number;
  /** True negatives, false positives, false negatives, true positives. */
  confusion: { tn: number; fp: number; fn: number; tp: number };
  /** (tp + tn) / rows. */
  accuracy: number;
  /** tp / (tp + fp), 0 when nothing is predicted positive (scikit-learn's zero_division). */
  precision: number;
  /** tp / (tp + fn), 0 when there are no positives. */
  recall: number;
  /** 2 tp / (2 tp + fp + fn), 0 when undefined. */
  f1: number;
  /** The names of class 0 and class 1 (the positive class), when given. */
  classNames?: [string, string];
}

/** Regression scores over all rows. */
export interface RegressionScores {
  /** Always `"regression"`. */
  task: "regression";
  /** Rows evaluated. */
  rows: number;
  /** Mean absolute error. */
  mae: number;
  /** Mean squared error. */
  mse: number;
  /** Root of the mean squared error. */
  rmse: number;
  /** 1 - SS_res / SS_tot; for a constant target 1 if predictions are exact, else 0 (scikit-learn). */
  r2: number;
}

/** Scores of a one-output model. */
type SingleOutputScores = ClassificationScores | RegressionScores;

/** Any kind of scores: binary classification, regression, or k classes. */
export type EvaluationScores = ClassificationScores | RegressionScores | MulticlassScores;

function checkPairs(
  fn: string,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  predName: string,
): void {
  for (const [name, values] of [["yTrue", yTrue], [predName, yPred]] as const) {
    const v = values as unknown;
    if (
      typeof v !== "object" || v === null || typeof (v as ArrayLike<number>).length !== "number"
    ) {
      throw new ArgumentError(fn, name, v, "an array of numbers");
    }
  }
  if (yTrue.length === 0) throw ArgumentError.because(fn, "yTrue", "yTrue is empty");
  if (yTrue.length !== yPred.length) {
    throw ArgumentError.because(
      fn,
      predName,
      `yTrue and ${predName} must have the same length, got ${yTrue.length} and ${yPred.length}`,
    );
  }
  for (const [name, values] of [["yTrue", yTrue], [predName, yPred]] as const) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw ArgumentError.because(
          fn,
          name,
          `${name} must hold finite numbers, got ${values[i]} at row ${i}`,
        );
      }
    }
  }
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * Classification scores from 0/1 labels and predicted scores (probabilities).
 *
 * @example
 * ```ts
 * import { classificationScores } from "./evaluate.ts";
 * import assert from "node:assert/strict";
 * const s = classificationScores([1, 0, 1, 1], [0.9, 0.6, 0.4, 0.8]);
 * assert.deepEqual([s.precision, s.recall], [0.6666666666666666, 0.6666666666666666]);
 * ```
 */
export function classificationScores(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold = 0.5,
  classNames?: readonly string[],
): ClassificationScores {
  const fn = "classificationScores";
  checkPairs(fn, yTrue, scores, "scores");
  checkNumber(fn, "threshold", threshold, 0, 1);
  if (
    classNames !== undefined &&
    (!Array.isArray(classNames) || classNames.length !== 2 ||
      classNames.some((n) => typeof n !== "string"))
  ) {
    throw new ArgumentError(fn, "classNames", classNames, "2 class names, for 0 then for 1");
  }
  let tn = 0, fp = 0, fnCount = 0, tp = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    if (t !== 0 && t !== 1) {
      throw ArgumentError.because(
        fn,
        "yTrue",
        `yTrue must hold only 0/1 labels, got ${t} at row ${i}`,
      );
    }
    const p = scores[i] > threshold ? 1 : 0;
    if (t === 1) p === 1 ? tp++ : fnCount++;
    else p === 1 ? fp++ : tn++;
  }
  const rows = yTrue.length;
  return withText<ClassificationScores>({
    task: "classification",
    rows,
    threshold,
    confusion: { tn, fp, fn: fnCount, tp },
    accuracy: (tp + tn) / rows,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fnCount),
    f1: ratio(2 * tp, 2 * tp + fp + fnCount),
    ...(classNames ? { classNames: [classNames[0], classNames[1]] as [string, string] } : {}),
  }, drawText);
}

/**
 * Regression scores from targets and predictions.
 *
 * @example
 * ```ts
 * import { regressionScores } from "./evaluate.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(regressionScores([1, 2, 3, 4], [1.5, 2, 2.5, 4.5]).r2, 0.85);
 * ```
 */
export function regressionScores(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
): RegressionScores {
  checkPairs("regressionScores", yTrue, yPred, "yPred");
  const rows = yTrue.length;
  let mean = 0;
  for (let i = 0; i < rows; i++) mean += yTrue[i];
  mean /= rows;
  let abs = 0, ssRes = 0, ssTot = 0;
  for (let i = 0; i < rows; i++) {
    const e = yTrue[i] - yPred[i];
    abs += Math.abs(e);
    ssRes += e * e;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  const mse = ssRes / rows;
  return withText<RegressionScores>({
    task: "regression",
    rows,
    mae: abs / rows,
    mse,
    rmse: Math.sqrt(mse),
    // scikit-learn's r2_score: NaN (with a warning) below two rows; 1 or 0 for a constant target.
    r2: rows < 2 ? NaN : ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot,
  }, drawText);
}

/** The rows of the metric table: label and value. */
function metricRows(s: SingleOutputScores): [string, number][] {
  return s.task === "classification"
    ? [["accuracy", s.accuracy], ["precision", s.precision], ["recall", s.recall], ["F1", s.f1]]
    : [["MAE", s.mae], ["MSE", s.mse], ["RMSE", s.rmse], ["R2", s.r2]];
}

function heading(s: SingleOutputScores): string {
  return s.task === "classification"
    ? `Evaluation: classification, ${plural(s.rows, "row")}, predicted ${
      s.classNames ? `${JSON.stringify(s.classNames[1])} (1)` : "1"
    } when score > ${s.threshold}` +
      (s.classNames ? `; precision, recall and F1 of ${JSON.stringify(s.classNames[1])}` : "")
    : `Evaluation: regression, ${plural(s.rows, "row")}` +
      (s.rows < 2 ? " (R2 is NaN: not defined for fewer than two rows, as in scikit-learn)" : "");
}

function drawText(s: SingleOutputScores): string {
  const rows = metricRows(s);
  const out = [
    heading(s),
    "",
    "metric      value",
    ...rows.map(([k, v]) => `${k.padEnd(10)}  ${v.toFixed(4)}`),
  ];
  if (s.task === "classification") {
    const { tn, fp, fn, tp } = s.confusion;
    const [no, yes] = s.classNames ?? ["0", "1"];
    const heads = [`true ${no}`, `true ${yes}`];
    const first = Math.max(heads[0].length, heads[1].length);
    const w = Math.max(6, String(Math.max(tn, fp, fn, tp)).length, no.length + 5, yes.length + 5);
    const cell = (v: number | string) => String(v).padStart(w);
    const line = (head: string, a: number | string, b: number | string) =>
      `${head.padEnd(first)}  ${cell(a)}  ${cell(b)}`;
    out.push(
      "",
      "Confusion matrix (rows: true label, columns: predicted)",
      line("", `pred ${no}`, `pred ${yes}`),
      line(heads[0], tn, fp),
      line(heads[1], fn, tp),
    );
  }
  return out.join("\n");
}

/** The confusion matrix as an HTML table whose cells are shaded by count (a small heatmap). */
function confusionHTML(
  c: ClassificationScores["confusion"],
  names: readonly string[] = ["0", "1"],
): string {
  const [no, yes] = names.map(escapeXml);
  const max = Math.max(c.tn, c.fp, c.fn, c.tp, 1);
  const cell = (v: number, label: string) => {
    const { background, color } = heatCell(v / max);
    return `<td title="${label}: ${v}" style="width:64px;height:40px;text-align:center;` +
      `background:${background};color:${color}">${v}</td>`;
  };
  return `<table class="dlnb-confusion"><caption>Confusion matrix</caption>` +
    `<tr><th></th><th>pred ${no}</th><th>pred ${yes}</th></tr>` +
    `<tr><th>true ${no}</th>${cell(c.tn, "true negatives")}${cell(c.fp, "false positives")}</tr>` +
    `<tr><th>true ${yes}</th>${cell(c.fn, "false negatives")}${
      cell(c.tp, "true positives")
    }</tr></table>`;
}

function drawHTML(s: SingleOutputScores): string {
  const rows = metricRows(s).map(([k, v]) =>
    `<tr><td style="text-align:left">${escapeXml(k)}</td><td style="text-align:right">${
      v.toFixed(4)
    }</td></tr>`
  ).join("");
  const metrics = `<table><thead><tr><th style="text-align:left">metric</th>` +
    `<th style="text-align:right">value</th></tr></thead><tbody>${rows}</tbody></table>`;
  const body = s.task === "classification"
    ? `<div style="display:flex;gap:24px;align-items:flex-start">${metrics}${
      confusionHTML(s.confusion, s.classNames)
    }</div>`
    : metrics;
  return `<div class="dlnb-evaluation"><p><b>${escapeXml(heading(s))}</b></p>${body}</div>`;
}

/**
 * The result of {@linkcode evaluate}: the scores, shown as a table (and a confusion heatmap).
 *
 * @example
 * ```ts
 * import { Evaluation, regressionScores } from "./evaluate.ts";
 * import assert from "node:assert/strict";
 * const e = new Evaluation(regressionScores([1, 2, 3], [1, 2, 4]));
 * assert.deepEqual(e.scores.task, "regression");
 * ```
 */
export class Evaluation extends TextTable {
  /** The numbers. */
  readonly scores: EvaluationScores;
  /**
   * Creates the displayable report of `scores`.
   * @example
   * ```ts
   * import { Evaluation, regressionScores } from "./evaluate.ts";
   * import assert from "node:assert/strict";
   * assert.deepEqual(String(new Evaluation(regressionScores([1, 2], [1, 2]))).split("\n")[0], "Evaluation: regression, 2 rows");
   * ```
   */
  constructor(scores: EvaluationScores) {
    // Arguments run in order: the scores are checked before anything is drawn.
    super(checkedText(scores), scoresHTML(scores));
    this.scores = scores;
  }
}

/** The report's text, once the scores are checked (the first thing `Evaluation` does). */
function checkedText(scores: EvaluationScores): string {
  checkScores("Evaluation", scores);
  return scores.task === "multiclass" ? multiclassText(scores) : drawText(scores);
}

function scoresHTML(scores: EvaluationScores): string {
  return scores.task === "multiclass" ? multiclassHTML(scores) : drawHTML(scores);
}

function inferTask(model: tf.LayersModel): Task {
  const activation = outputActivation(model);
  return activation === "sigmoid" || activation === "softmax" ? "classification" : "regression";
}

/**
 * Evaluates a model on every row of `x` and `y` at once (not per batch) with scikit-learn's
 * definitions, and shows a table; the numbers are in `.scores`.
 *
 * A model that carries its preprocessing (`attachPreprocessing`, or `loadModel` of a model
 * saved with it) takes what `predict` takes, as a scikit-learn Pipeline does: `x` holds
 * records with the training columns or rows of feature values in the table's units (such as
 * `fromRecords`' `x`, unscaled), encoded and scaled exactly as `predict` does (a tensor is
 * refused: its units are unknown); `y` holds class names or class indices, and the report
 * names the carried classes. Any other model takes `x` as its input expects it (a 2-D tensor
 * or rows of numbers) and `y` as numbers (class names in `y` need `classNames`).
 *
 * @example
 * ```ts
 * import { deepNN, evaluate, randomData } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = randomData({ rows: 100, seed: 1 });
 * const result = evaluate(deepNN({ features: 10, seed: 1 }), x, y);
 * assert.deepEqual(result.scores.task, "classification");
 * ```
 */
export function evaluate(
  model: tf.LayersModel,
  x: Matrix | readonly Readonly<Record<string, unknown>>[],
  y: Targets | readonly (string | number)[],
  options?: EvaluateOptions,
): Evaluation {
  const fn = "evaluate";
  const o = checkOptions(fn, options, { task: true, threshold: true, classNames: true });
  const shape = modelShape(fn, model);
  checkNotTraining(fn, model);
  const carried = attachedPreprocessing(model);
  const task = checkOneOf(fn, "task", o.task ?? carried?.task ?? inferTask(model), TASKS);
  const threshold = checkNumber(fn, "threshold", o.threshold ?? 0.5, 0, 1);
  const softmax = isSoftmaxModel(model);
  const classes = softmax ? shape.outputs : task === "classification" ? 2 : 0;
  const { xs, ys, classNames } = evaluationInputs(fn, model, x, y, o.classNames, classes, task);
  if (softmax) return evaluateClasses(fn, model, xs, ys, shape, classNames!);
  checkFit(fn, shape, xs, ys);
  if (shape.outputs !== 1) {
    throw ArgumentError.because(
      fn,
      "model",
      `evaluate needs a model with one output, this one has ${shape.outputs}`,
    );
  }
  if (task === "classification") checkBinary(fn, "y", ys, "for classification");
  const predicted = predictAll(fn, model, xs);
  const truth = Float64Array.from(ys.data);
  return new Evaluation(
    task === "classification"
      ? classificationScores(truth, predicted, threshold, classNames)
      : regressionScores(truth, predicted),
  );
}

/** The model's outputs for every row, row-major, checked finite. */
function predictAll(fn: string, model: tf.LayersModel, xs: Matrix2D): Float64Array {
  // predict's default batch of 32 slices and re-joins the input; on wasm that costs time
  // quadratic in the rows (8 s for 100,000 rows), so predict in large batches.
  const batchSize = Math.min(xs.rows, 16384);
  const out = tf.tidy(() =>
    model.predict(tf.tensor2d(xs.data, [xs.rows, xs.cols]), { batchSize }) as tf.Tensor
  );
  let predicted: Float64Array;
  try {
    predicted = Float64Array.from(out.dataSync());
  } finally {
    out.dispose();
  }
  const bad = predicted.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const row = Math.floor(bad / (predicted.length / xs.rows));
    throw ArgumentError.because(
      fn,
      "x",
      `the model's output is ${predicted[bad]} for x row ${row}: x's values are too large ` +
        `for the model's float32 arithmetic (or its weights are not finite)`,
    );
  }
  return predicted;
}

type Matrix2D = Table;

/** A softmax model: each row's class is its most probable output (the first on ties). */
function evaluateClasses(
  fn: string,
  model: tf.LayersModel,
  xs: Matrix2D,
  ys: Matrix2D,
  shape: { features: number; outputs: number },
  classNames: string[],
): Evaluation {
  const k = shape.outputs;
  // Class indices: one value per row, whatever the number of outputs.
  checkFit(fn, { ...shape, outputs: ys.cols }, xs, ys);
  const truth = classIndices(fn, "y", ys, k);
  const out = predictAll(fn, model, xs);
  const predicted = new Int32Array(xs.rows);
  for (let r = 0; r < xs.rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (out[r * k + c] > out[r * k + best]) best = c;
    predicted[r] = best;
  }
  return new Evaluation(multiclassScores(truth, predicted, classNames));
}
