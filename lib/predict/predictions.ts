/**
 * What `predict` returns: plain numbers per row (class probabilities and the predicted class
 * for a classifier, values for a regression), printed as a table in a script and rendered
 * as one in the kernel.
 *
 * @module
 */
import { escapeXml } from "../core/escape.ts";
import { ArgumentError } from "../core/errors.ts";
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/display.ts";
import { plural } from "../core/words.ts";

/** The plain data of {@linkcode Predictions}. */
export interface PredictionsData {
  /** `"classification"` (probabilities and classes) or `"regression"` (values). */
  task: "classification" | "regression";
  /** What is predicted (the target column), when the model carries its preprocessing. */
  target: string | null;
  /** Classification: the class of each output column. */
  classNames: string[] | null;
  /**
   * Classification: each row's probability per class, in `classNames` order. A sigmoid
   * model (one output) gets two columns, `1 - p` and `p`, as scikit-learn's `predict_proba`.
   */
  probabilities: number[][] | null;
  /** Classification: each row's predicted class (the most probable; sigmoid: `p > 0.5`). */
  classes: string[] | null;
  /** Classification: each row's predicted class index into `classNames`. */
  classIndices: number[] | null;
  /** Regression with one output: each row's value. */
  values: number[] | null;
  /** Each row's raw model outputs (as float32 gave them, widened to numbers). */
  outputs: number[][];
}

/** Rows shown by `toString()` and in the kernel before "... N more rows". */
const SHOWN = 20;

/**
 * A model's predictions for some rows, as plain numbers. `String(p)` is a table; in a
 * notebook the value renders as an HTML table.
 *
 * @example
 * ```ts
 * import { Predictions } from "./predictions.ts";
 * const p = new Predictions({
 *   task: "regression", target: "mpg", classNames: null, probabilities: null, classes: null,
 *   classIndices: null, values: [21.5, 30.25], outputs: [[21.5], [30.25]],
 * });
 * String(p).split("\n")[0]; // "row    mpg"
 * ```
 */
export class Predictions implements Displayable, PredictionsData {
  /** `"classification"` (probabilities and classes) or `"regression"` (values). */
  readonly task: "classification" | "regression";
  /** What is predicted (the target column), when the model carries its preprocessing. */
  readonly target: string | null;
  /** Classification: the class of each probability column. */
  readonly classNames: string[] | null;
  /** Classification: each row's probability per class (a sigmoid model: `1 - p`, `p`). */
  readonly probabilities: number[][] | null;
  /** Classification: each row's predicted class. */
  readonly classes: string[] | null;
  /** Classification: each row's predicted class index into `classNames`. */
  readonly classIndices: number[] | null;
  /** Regression with one output: each row's value. */
  readonly values: number[] | null;
  /** Each row's raw model outputs. */
  readonly outputs: number[][];

  /**
   * Wraps predictions given as plain data.
   * @example
   * ```ts
   * import { Predictions } from "./predictions.ts";
   * const p = new Predictions({
   *   task: "classification", target: null, classNames: ["no", "yes"],
   *   probabilities: [[0.25, 0.75]], classes: ["yes"], classIndices: [1], values: null,
   *   outputs: [[0.75]],
   * });
   * p.length; // 1
   * ```
   */
  constructor(data: PredictionsData) {
    const ok = data !== null && typeof data === "object" && Array.isArray(data.outputs) &&
      (data.task === "classification" || data.task === "regression") &&
      (data.task === "regression" ||
        (Array.isArray(data.classNames) && Array.isArray(data.probabilities) &&
          Array.isArray(data.classes)));
    if (!ok) {
      throw new ArgumentError(
        "Predictions",
        "data",
        data,
        "{ task, outputs, ... } as predict makes it (a classification with classNames, " +
          "probabilities and classes)",
      );
    }
    this.task = data.task;
    this.target = data.target;
    this.classNames = data.classNames;
    this.probabilities = data.probabilities;
    this.classes = data.classes;
    this.classIndices = data.classIndices;
    this.values = data.values;
    this.outputs = data.outputs;
  }

  /** How many rows were predicted. */
  get length(): number {
    return this.outputs.length;
  }

  /** The plain data (what `JSON.stringify` writes). */
  toJSON(): PredictionsData {
    return {
      task: this.task,
      target: this.target,
      classNames: this.classNames,
      probabilities: this.probabilities,
      classes: this.classes,
      classIndices: this.classIndices,
      values: this.values,
      outputs: this.outputs,
    };
  }

  /** The table's header and cells (first rows only), as text. */
  #table(): { header: string[]; rows: string[][]; more: number } {
    const n = Math.min(this.length, SHOWN);
    const rows: string[][] = [];
    let header: string[];
    if (this.task === "classification" && this.probabilities && this.classes) {
      header = ["row", this.target ?? "class", ...this.classNames!.map((c) => `P(${c})`)];
      for (let i = 0; i < n; i++) {
        rows.push([String(i), this.classes[i], ...this.probabilities[i].map(fixed)]);
      }
    } else if (this.values) {
      header = ["row", this.target ?? "value"];
      const format = column(this.values.slice(0, n));
      for (let i = 0; i < n; i++) rows.push([String(i), format(this.values[i])]);
    } else {
      header = ["row", ...this.outputs[0].map((_, k) => `output ${k}`)];
      const format = column(this.outputs.slice(0, n).flat());
      for (let i = 0; i < n; i++) rows.push([String(i), ...this.outputs[i].map(format)]);
    }
    return { header, rows, more: this.length - n };
  }

  /** A text table: one line per row (the first 20), then how many more. */
  toString(): string {
    const { header, rows, more } = this.#table();
    // A loop, not Math.max(...): a table may have more rows than a call takes arguments.
    const widths = header.map((h, c) => rows.reduce((w, r) => Math.max(w, r[c].length), h.length));
    const line = (cells: string[]) =>
      cells.map((
        cell,
        c,
      ) => (c === 1 && this.task === "classification"
        ? cell.padEnd(widths[c])
        : cell.padStart(widths[c]))
      ).join("  ").trimEnd();
    const lines = [line(header), ...rows.map(line)];
    if (more > 0) lines.push(`... ${more} more ${more === 1 ? "row" : "rows"}`);
    lines.push(plural(this.length, "prediction"));
    return lines.join("\n");
  }

  /** The MIME bundle: the text table and an HTML table. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const { header, rows, more } = this.#table();
    const cell = (tag: string, text: string, c: number) =>
      `<${tag} style="text-align:${c === 1 && this.task === "classification" ? "left" : "right"}">${
        escapeXml(text)
      }</${tag}>`;
    const html = "<table>" +
      `<thead><tr>${header.map((h, c) => cell("th", h, c)).join("")}</tr></thead><tbody>` +
      rows.map((r) => `<tr>${r.map((v, c) => cell("td", v, c)).join("")}</tr>`).join("") +
      "</tbody></table>" +
      `<p>${more > 0 ? `… ${more} more ${more === 1 ? "row" : "rows"}; ` : ""}${
        plural(this.length, "prediction")
      }</p>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

function fixed(p: number): string {
  return p.toFixed(3);
}

/**
 * One number format for a column of values, so their decimal points line up: each value to 6
 * significant digits, all with the most decimals any of them needs (whole numbers as they are;
 * a column with a value in exponent notation keeps each value's own form).
 */
function column(values: readonly number[]): (v: number) => string {
  const six = (v: number) => Number(v.toPrecision(6));
  let decimals = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const text = String(six(v));
    if (text.includes("e")) return (x) => (Number.isFinite(x) ? String(six(x)) : String(x));
    decimals = Math.max(decimals, text.split(".")[1]?.length ?? 0);
  }
  return (v) => (Number.isFinite(v) ? six(v).toFixed(decimals) : String(v));
}

/** `n noun`, the noun plural unless n is 1 ("1 row", "2 rows"). */
