/**
 * Scores for k classes with scikit-learn's definitions: the k x k confusion matrix (rows:
 * true class, columns: predicted), per-class precision, recall, F1 and support, their macro
 * and support-weighted averages and the accuracy, as `classification_report` with
 * `zero_division=0`; and their text (the report's layout) and HTML renderings.
 *
 * @module
 */
import { withText } from "../core/text.ts";
import { maxOf } from "../core/extent.ts";
import { heatCell } from "./cell_colors.ts";
import { ArgumentError } from "../core/errors.ts";
import { escapeXml } from "../core/escape.ts";
import { plural } from "../core/words.ts";

/** Precision, recall, F1 and support of one class or of an average. */
export interface ClassScores {
  /** Of the rows predicted as this class, the share that are (0 when none is predicted). */
  precision: number;
  /** Of the rows of this class, the share predicted as it (0 when it has no row). */
  recall: number;
  /** The harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Rows whose true class this is (for an average: all rows). */
  support: number;
}

/** Scores of a k-class model over all rows. */
export interface MulticlassScores {
  /** Always `"multiclass"`. */
  task: "multiclass";
  /** Rows evaluated. */
  rows: number;
  /** The class names, in index order. */
  classNames: string[];
  /** `confusion[t][p]`: rows of true class t predicted as class p. */
  confusion: number[][];
  /** Share of rows whose predicted class is their true class. */
  accuracy: number;
  /** One entry per class, in index order. */
  perClass: ClassScores[];
  /** The unweighted mean over classes. */
  macro: ClassScores;
  /** The mean over classes weighted by support. */
  weighted: ClassScores;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function checkLabels(fn: string, argument: string, labels: ArrayLike<number>, k: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0 || v >= k) {
      throw ArgumentError.because(
        fn,
        argument,
        `${argument} must hold class indices 0 to ${k - 1} (${k} classes), got ${v} at row ${i}`,
      );
    }
  }
}

/**
 * Multi-class scores from true and predicted class indices, equal to scikit-learn's
 * `confusion_matrix` and `classification_report(labels=range(k), zero_division=0)`.
 *
 * @example
 * ```ts
 * import { multiclassScores } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const s = multiclassScores([0, 1, 2, 2], [0, 2, 2, 2], ["a", "b", "c"]);
 * s.confusion; // [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
 * assert.deepEqual(s.perClass[2].precision, 0.6666666666666666);
 * assert.deepEqual(s.accuracy, 0.75);
 * ```
 */
export function multiclassScores(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classNames: readonly string[],
): MulticlassScores {
  const fn = "multiclassScores";
  for (const [argument, labels] of [["yTrue", yTrue], ["yPred", yPred]] as const) {
    if (!Array.isArray(labels) && !(ArrayBuffer.isView(labels) && !(labels instanceof DataView))) {
      throw new ArgumentError(fn, argument, labels, "an array of class indices");
    }
  }
  if (
    !Array.isArray(classNames) || classNames.length < 2 ||
    !classNames.every((n) => typeof n === "string")
  ) {
    throw new ArgumentError(fn, "classNames", classNames, "an array of at least 2 class names");
  }
  const k = classNames.length;
  if (yTrue.length === 0) throw ArgumentError.because(fn, "yTrue", "yTrue is empty");
  if (yTrue.length !== yPred.length) {
    throw ArgumentError.because(
      fn,
      "yPred",
      `yTrue and yPred must have the same length, got ${yTrue.length} and ${yPred.length}`,
    );
  }
  checkLabels(fn, "yTrue", yTrue, k);
  checkLabels(fn, "yPred", yPred, k);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) confusion[yTrue[i]][yPred[i]]++;
  const rows = yTrue.length;
  let correct = 0;
  for (let c = 0; c < k; c++) correct += confusion[c][c];
  const perClass = confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[c], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * tp, support + predicted), support };
  });
  const average = (weight: (s: ClassScores) => number): ClassScores => {
    const total = perClass.reduce((a, s) => a + weight(s), 0);
    const mean = (key: "precision" | "recall" | "f1") =>
      ratio(perClass.reduce((a, s) => a + weight(s) * s[key], 0), total);
    return { precision: mean("precision"), recall: mean("recall"), f1: mean("f1"), support: rows };
  };
  return withText<MulticlassScores>({
    task: "multiclass",
    rows,
    classNames: [...classNames],
    confusion,
    accuracy: correct / rows,
    perClass,
    macro: average(() => 1),
    weighted: average((s) => s.support),
  }, multiclassText);
}

/**
 * `v` with `digits` decimals as Python's format rounds: to nearest, exact ties to even
 * (`toFixed` rounds ties up: 0.53125 is "0.5313" in JavaScript, "0.5312" in Python).
 *
 * @example
 * ```ts
 * import { pythonFixed } from "./multiclass.ts";
 * [pythonFixed(0.53125, 4), pythonFixed(0.96875, 4), pythonFixed(2 / 3, 4)]; // ["0.5312", "0.9688", "0.6667"]
 * ```
 */
export function pythonFixed(v: number, digits: number): string {
  // toFixed with many more digits is the double's exact decimal expansion this far.
  const long = Math.abs(v).toFixed(digits + 25);
  const cut = long.indexOf(".") + 1 + digits;
  if (!/^50*$/.test(long.slice(cut))) return v.toFixed(digits);
  const kept = long.slice(0, cut).replace(/\.$/, "");
  const last = Number(kept.at(-1));
  const rounded = last % 2 === 0 ? kept : Math.abs(v).toFixed(digits);
  return (v < 0 && Number(rounded) !== 0 ? "-" : "") + rounded;
}

/**
 * The per-class table laid out as scikit-learn's `classification_report` prints it (same
 * columns, widths and rounding; `digits` decimals).
 *
 * @example
 * ```ts
 * import { multiclassScores, reportText } from "./multiclass.ts";
 * reportText(multiclassScores([0, 1, 1], [0, 1, 0], ["a", "b"]), 2).split("\n")[0];
 * // "              precision    recall  f1-score   support"
 * ```
 */
export function reportText(s: MulticlassScores, digits = 4): string {
  const width = maxOf(s.classNames, (n) => n.length, Math.max("weighted avg".length, digits));
  const col = (v: string) => " " + v.padStart(9);
  const num = (v: number) => col(pythonFixed(v, digits));
  const row = (name: string, c: ClassScores) =>
    name.padStart(width) + " " + num(c.precision) + num(c.recall) + num(c.f1) +
    col(String(c.support)) + "\n";
  let out = "".padStart(width) + " " + ["precision", "recall", "f1-score", "support"].map(col)
    .join("") +
    "\n\n";
  s.perClass.forEach((c, i) => (out += row(s.classNames[i], c)));
  out += "\n";
  out += "accuracy".padStart(width) + " " + col("") + col("") + num(s.accuracy) +
    col(String(s.rows)) + "\n";
  out += row("macro avg", s.macro);
  out += row("weighted avg", s.weighted);
  return out;
}

/**
 * The confusion matrix as text: rows are true classes, columns predicted classes.
 *
 * @example
 * ```ts
 * import { confusionText, multiclassScores } from "./multiclass.ts";
 * confusionText(multiclassScores([0, 1, 1], [0, 1, 0], ["a", "b"]));
 * // "true \\ predicted  a  b\na                 1  0\nb                 1  1"
 * ```
 */
export function confusionText(s: MulticlassScores): string {
  const corner = "true \\ predicted";
  const first = maxOf(s.classNames, (n) => n.length, corner.length);
  const widths = s.classNames.map((n, c) =>
    maxOf(s.confusion, (r) => String(r[c]).length, n.length)
  );
  const line = (head: string, cells: string[]) =>
    [head.padEnd(first), ...cells.map((v, c) => v.padStart(widths[c]))].join("  ");
  return [
    line(corner, s.classNames),
    ...s.confusion.map((r, t) => line(s.classNames[t], r.map(String))),
  ].join("\n");
}

/**
 * The whole report as text: a heading, the per-class table and the confusion matrix.
 *
 * @example
 * ```ts
 * import { multiclassScores, multiclassText } from "./multiclass.ts";
 * multiclassText(multiclassScores([0, 1, 2], [0, 1, 2], ["a", "b", "c"])).split("\n")[0];
 * // "Evaluation: 3 classes, 3 rows, each predicted as its most probable class"
 * ```
 */
export function multiclassText(s: MulticlassScores): string {
  return [
    multiclassHeading(s),
    "",
    reportText(s).trimEnd(),
    "",
    "Confusion matrix (rows: true class, columns: predicted class)",
    confusionText(s),
  ].join("\n");
}

function multiclassHeading(s: MulticlassScores): string {
  return `Evaluation: ${s.classNames.length} classes, ${plural(s.rows, "row")}, ` +
    `each predicted as its most probable class`;
}

/**
 * The report as HTML: the per-class table beside the confusion matrix, whose cells are
 * shaded by their share of the true class's rows (so a small class's errors show too).
 * Class names are escaped.
 *
 * @example
 * ```ts
 * import { multiclassHTML, multiclassScores } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * assert.ok(multiclassHTML(multiclassScores([0, 1], [0, 1], ["<a>", "b"])).includes("&lt;a&gt;"));
 * ```
 */
export function multiclassHTML(s: MulticlassScores): string {
  const f = (v: number) => v.toFixed(4);
  const right = 'style="text-align:right;padding:2px 8px"';
  const line = (name: string, c: ClassScores, bold = false) => {
    const th = bold ? "th" : "td";
    return `<tr><${th} style="text-align:left">${escapeXml(name)}</${th}>` +
      `<td ${right}>${f(c.precision)}</td><td ${right}>${f(c.recall)}</td>` +
      `<td ${right}>${f(c.f1)}</td><td ${right}>${c.support}</td></tr>`;
  };
  const table = `<table class="dlnb-report"><thead><tr><th></th><th ${right}>precision</th>` +
    `<th ${right}>recall</th><th ${right}>F1</th><th ${right}>support</th></tr></thead><tbody>` +
    s.perClass.map((c, i) => line(s.classNames[i], c)).join("") +
    `<tr><th style="text-align:left">accuracy</th><td></td><td></td><td ${right}>${
      f(s.accuracy)
    }</td><td ${right}>${s.rows}</td></tr>` +
    line("macro avg", s.macro, true) + line("weighted avg", s.weighted, true) +
    `</tbody></table>`;
  const cell = (v: number, t: number, p: number) => {
    const share = ratio(v, s.perClass[t].support);
    const { background, color } = heatCell(share);
    const title = `true ${s.classNames[t]}, predicted ${s.classNames[p]}: ${v}`;
    return `<td title="${escapeXml(title)}" style="min-width:56px;height:36px;` +
      `text-align:center;background:${background};color:${color}">` +
      `${v}</td>`;
  };
  const confusion = `<table class="dlnb-confusion"><caption>Confusion matrix ` +
    `(rows: true class, columns: predicted)</caption><tr><th></th>` +
    s.classNames.map((n) => `<th>${escapeXml(n)}</th>`).join("") + `</tr>` +
    s.confusion.map((r, t) =>
      `<tr><th style="text-align:left">${escapeXml(s.classNames[t])}</th>` +
      r.map((v, p) => cell(v, t, p)).join("") + `</tr>`
    ).join("") + `</table>`;
  return `<div class="dlnb-evaluation"><p><b>${escapeXml(multiclassHeading(s))}</b></p>` +
    `<div style="display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap">${table}` +
    `${confusion}</div></div>`;
}
