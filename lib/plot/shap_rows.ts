/**
 * What the explanation plots share, as plain data: the explanation fields they read, the
 * ranking of features by |value| with one "N other features" row, number formatting and
 * the colours of positive and negative contributions.
 *
 * @module
 */
import { ArgumentError, checkInt, misplacedModel } from "../core/errors.ts";
import { truncate } from "../core/escape.ts";

/**
 * An explanation as the plots read it, as plain data. `explain()` returns these fields (and
 * more), so its result is passed as is; the plots know nothing of models or tensors.
 */
export interface ExplanationData {
  /** One contribution per feature, in link space; they add up to `output - baseValue`. */
  values: number[];
  /** The expected output, in link space (`E[f(X)]`). */
  baseValue: number;
  /** The explained output, in link space (`f(x)`). */
  output: number;
  /** Feature names, in input order. */
  featureNames: string[];
  /** The instance's feature values. */
  instance: number[];
  /** The space of `values`, `baseValue` and `output`: raw output, or log-odds. */
  link: "identity" | "logit";
  /** For a model with several outputs: the one explained (its index, name and the count). */
  explained?: { index: number; name: string; of: number } | null;
}

/**
 * What a plot of `e` says about the output it explains: `", explaining P(Gentoo)"` for one
 * class of a model with several outputs, nothing otherwise.
 *
 * @example
 * ```ts
 * import { explainedNote } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * const e = { values: [1], baseValue: 0, output: 1, featureNames: ["a"], instance: [2], link: "identity" as const };
 * assert.deepEqual(explainedNote({ ...e, explained: { index: 2, name: "Gentoo", of: 3 } }), ", explaining P(Gentoo)");
 * assert.deepEqual(explainedNote(e), "");
 * ```
 */
export function explainedNote(e: ExplanationData): string {
  const x = e.explained;
  return x ? `, explaining P(${truncate(String(x.name), 40)})` : "";
}

/**
 * Colours of contributions that raise (red) and lower (blue) the output, as in `shap`.
 *
 * @example
 * ```ts
 * import { SHAP_COLORS } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(SHAP_COLORS.positive, "#ff0051");
 * ```
 */
export const SHAP_COLORS: { positive: string; negative: string } = {
  positive: "#ff0051",
  negative: "#008bfb",
};

/** One plotted contribution: a feature, or the sum of the features not shown. */
export interface ContributionRow {
  /** A key unique within the plot (`f<index>` or `others`), safe as a scale domain value. */
  key: string;
  /** The axis label: `name = value`, or `N other features`. */
  label: string;
  /** The feature's name, or `null` for the "other features" row. */
  feature: string | null;
  /** The feature's value in the instance, or `null` for the "other features" row. */
  featureValue: number | null;
  /** The contribution, in link space. */
  value: number;
  /** How many features the row stands for. */
  features: number;
}

/**
 * Checks the fields the plots read and returns `top` checked (a positive integer).
 *
 * @example
 * ```ts
 * import { checkExplanation } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * const e = { values: [1], baseValue: 0, output: 1, featureNames: ["a"], instance: [2], link: "identity" as const };
 * assert.deepEqual(checkExplanation("barPlot", e, 10), 10);
 * ```
 */
export function checkExplanation(fn: string, e: ExplanationData, top: unknown): number {
  if (e === null || typeof e !== "object") {
    throw new ArgumentError(fn, "explanation", e, "the result of explain()");
  }
  const model = misplacedModel(
    fn,
    "explanation",
    e,
    "the result of explain()",
    `explain it first: ${fn}(explain(model, { instance, background }))`,
  );
  if (model) throw model;
  if (!("values" in e) && "explanation" in e && "figure" in e) {
    throw ArgumentError.because(
      fn,
      "explanation",
      `explanation must be the result of explain(), got explainerShapData()'s { explanation, ` +
        `figure }: pass its .explanation`,
    );
  }
  const n = Array.isArray(e.values) ? e.values.length : -1;
  if (n < 1) throw new ArgumentError(fn, "explanation.values", e.values, "a non-empty array");
  for (
    const [name, list] of [["featureNames", e.featureNames], ["instance", e.instance]] as const
  ) {
    if (!Array.isArray(list) || list.length !== n) {
      throw new ArgumentError(fn, `explanation.${name}`, list, `an array of ${n} entries`);
    }
  }
  e.values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      throw new ArgumentError(fn, `explanation.values[${i}]`, v, "a finite number");
    }
  });
  for (const key of ["baseValue", "output"] as const) {
    if (!Number.isFinite(e[key])) {
      throw new ArgumentError(fn, `explanation.${key}`, e[key], "a finite number");
    }
  }
  if (e.link !== "identity" && e.link !== "logit") {
    throw new ArgumentError(fn, "explanation.link", e.link, '"identity" or "logit"');
  }
  return checkInt(fn, "top", top);
}

/**
 * The `top` features by |value| (largest first), then one row summing the rest when there
 * are more than `top` features.
 *
 * @example
 * ```ts
 * import { topContributions } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * const e = { values: [0.1, -0.5, 0.2], baseValue: 0, output: -0.2, featureNames: ["a", "b", "c"], instance: [1, 2, 3], link: "identity" as const };
 * assert.deepEqual(topContributions(e, 2).map((r) => r.label), ["b = 2", "c = 3", "1 other feature"]);
 * ```
 */
export function topContributions(e: ExplanationData, top: number): ContributionRow[] {
  checkExplanation("topContributions", e, top);
  const order = e.values.map((_, i) => i)
    .sort((a, b) => Math.abs(e.values[b]) - Math.abs(e.values[a]) || a - b);
  const rows: ContributionRow[] = order.slice(0, top).map((i) => ({
    key: `f${i}`,
    label: `${e.featureNames[i]} = ${formatNumber(e.instance[i])}`,
    feature: e.featureNames[i],
    featureValue: e.instance[i],
    value: e.values[i],
    features: 1,
  }));
  const rest = order.slice(top);
  if (rest.length > 0) {
    rows.push({
      key: "others",
      label: `${rest.length} other feature${rest.length === 1 ? "" : "s"}`,
      feature: null,
      featureValue: null,
      value: rest.reduce((s, i) => s + e.values[i], 0),
      features: rest.length,
    });
  }
  return rows;
}

/**
 * A row's axis label with a long feature name shortened (the value stays readable).
 *
 * @example
 * ```ts
 * import { axisLabel, topContributions } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * const e = { values: [1], baseValue: 0, output: 1, featureNames: ["a".repeat(50)], instance: [2], link: "identity" as const };
 * assert.deepEqual(axisLabel(topContributions(e, 1)[0]), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… = 2");
 * ```
 */
export function axisLabel(row: ContributionRow, maxName = 32): string {
  return row.feature === null
    ? row.label
    : `${truncate(row.feature, maxName)} = ${formatNumber(row.featureValue!)}`;
}

/**
 * A number in at most 3 significant digits (4 decimals for small ones), without float noise.
 *
 * @example
 * ```ts
 * import { formatNumber } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatNumber(0.123456), "0.123");
 * assert.deepEqual(formatNumber(1234.5), "1235");
 * ```
 */
export function formatNumber(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(2);
  if (a >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

/**
 * A contribution with its sign: `+0.12` or `-0.05` (a true minus sign).
 *
 * @example
 * ```ts
 * import { formatSigned } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatSigned(0.12), "+0.12");
 * ```
 */
export function formatSigned(v: number): string {
  return v < 0 ? `\u2212${formatNumber(-v)}` : `+${formatNumber(v)}`;
}

/**
 * The logistic function, from log-odds to probability.
 *
 * @example
 * ```ts
 * import { sigmoid } from "./shap_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(sigmoid(0), 0.5);
 * ```
 */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
