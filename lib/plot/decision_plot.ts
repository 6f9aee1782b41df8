/**
 * The decision plot of one explanation, as `shap.decision_plot` draws it: a path that starts
 * at the base value at the bottom and moves by each feature's contribution, least important
 * first, up to the prediction at the top. With the logit link the axis shows probability.
 *
 * @module
 */
import * as Plot from "../deps/plot.ts";
import { Figure } from "../display/display.ts";
import { checkOneOf, checkOptions } from "../core/errors.ts";
import { plotToSvg } from "./plot_dom.ts";
import {
  gapPastRules,
  labelledDomain,
  type LabelPlace,
  MAX_DRAWN_ROWS,
  niceTicks,
  outputAndBaseLabels,
  placedValueLabels,
  rowLabels,
  valueLabelWidth,
} from "./shap_marks.ts";
import {
  checkExplanation,
  type ContributionRow,
  explainedNote,
  type ExplanationData,
  formatNumber,
  formatSigned,
  SHAP_COLORS,
  sigmoid,
  topContributions,
} from "./shap_rows.ts";

/** Options of {@linkcode decisionPlot}. */
export interface DecisionOptions {
  /** Features shown by |value|; the rest become one "N other features" step. Default 10. */
  top?: number;
  /**
   * `"logit"`: the values are log-odds and the axis shows probability; `"identity"`: the
   * axis shows the values as they are. Default: the explanation's link.
   */
  link?: ExplanationData["link"];
}

/** One step of the decision path. */
export interface DecisionStep extends ContributionRow {
  /** Height of the step's end point: 1 for the bottom step, up to the number of steps. */
  level: number;
  /** Cumulative value before the step, in link space. */
  before: number;
  /** Cumulative value after the step, in link space. */
  after: number;
  /** `before` on the plot's axis (probability for the logit link). */
  axisBefore: number;
  /** `after` on the plot's axis. */
  axisAfter: number;
}

/** Everything a decision plot draws, as plain data. */
export interface DecisionData {
  /** Steps from the bottom (level 1) to the top (the most important feature). */
  steps: DecisionStep[];
  /** The base value, in link space. */
  baseValue: number;
  /** The prediction, in link space. */
  output: number;
  /** The base value on the axis. */
  axisBase: number;
  /** The prediction on the axis. */
  axisOutput: number;
  /** What the axis shows. */
  axis: "probability" | "log-odds" | "raw";
}

/**
 * Computes the decision path: from the base value, the "other features" step first, then
 * the shown features from least to most important.
 *
 * @example
 * ```ts
 * import { decisionRows } from "./decision_plot.ts";
 * import assert from "node:assert/strict";
 * const e = { values: [1, -0.5], baseValue: 0, output: 0.5, featureNames: ["a", "b"], instance: [1, 2], link: "logit" as const };
 * assert.deepEqual(decisionRows(e).steps.map((s) => s.feature), ["b", "a"]);
 * ```
 */
export function decisionRows(e: ExplanationData, options?: DecisionOptions): DecisionData {
  return decisionData("decisionRows", e, options);
}

function decisionData(
  fn: string,
  e: ExplanationData,
  options?: DecisionOptions,
  maxRows = Infinity,
): DecisionData {
  const o = checkOptions(fn, options, { top: true, link: true });
  const top = Math.min(maxRows, checkExplanation(fn, e, o.top ?? 10));
  const link = checkOneOf(fn, "link", o.link ?? e.link, ["identity", "logit"] as const);
  const toAxis = link === "logit" ? sigmoid : (v: number) => v;
  const contributions = topContributions(e, top).reverse();
  let cumulative = e.baseValue;
  const steps = contributions.map((c, i): DecisionStep => {
    const before = cumulative;
    cumulative += c.value;
    return {
      ...c,
      level: i + 1,
      before,
      after: cumulative,
      axisBefore: toAxis(before),
      axisAfter: toAxis(cumulative),
    };
  });
  return {
    steps,
    baseValue: e.baseValue,
    output: e.output,
    axisBase: toAxis(e.baseValue),
    axisOutput: toAxis(e.output),
    axis: link === "logit" ? "probability" : e.link === "logit" ? "log-odds" : "raw",
  };
}

/**
 * Where each step's value label goes: beside its end point, on the side of its sign unless
 * the path is much closer there, and far enough out that neither the segment arriving from
 * below nor the one leaving upwards, nor the base rule, crosses it. Near the point a segment
 * is at most `|dx| * (half a label's height) / (px per level)` to the side, so a label past
 * that clears it.
 */
function placeLabels(
  data: DecisionData,
  domain: readonly [number, number],
  innerWidth: number,
  levelPx: number,
): LabelPlace[] {
  const px = innerWidth / (domain[1] - domain[0]);
  const at = (x: number) => (x - domain[0]) * px;
  const reach = 8 / levelPx; // half a 12 px label and a pixel of air, per px of rise
  return data.steps.map((s, i) => {
    const next = data.steps[i + 1];
    const arriving = (s.axisAfter - s.axisBefore) * px; // from the point's other side
    const leaving = next ? (next.axisAfter - s.axisAfter) * px : 0;
    const width = valueLabelWidth(s.value);
    const gapOn = (side: 1 | -1) => {
      let g = 7;
      if (Math.sign(-arriving) === side) g = Math.max(g, Math.abs(arriving) * reach + 4);
      if (Math.sign(leaving) === side) g = Math.max(g, Math.abs(leaving) * reach + 4);
      return gapPastRules(at(s.axisAfter), side, g, width, [at(data.axisBase)]);
    };
    const own: 1 | -1 = s.value >= 0 ? 1 : -1;
    const side = gapOn(own) <= gapOn(-own as 1 | -1) + 12 ? own : -own as 1 | -1;
    return { x: s.axisAfter, value: s.value, side, gap: gapOn(side) };
  });
}

/**
 * Draws a decision plot of an explanation: the path from E[f(X)] to f(x), each step red
 * where the feature raises the output and blue where it lowers it.
 *
 * @example
 * ```ts
 * import { decisionPlot } from "./decision_plot.ts";
 * const e = { values: [1, -0.5], baseValue: 0, output: 0.5, featureNames: ["a", "b"], instance: [1, 2], link: "logit" as const };
 * const dir = await Deno.makeTempDir(); // not the working folder
 * decisionPlot(e).save(`${dir}/decision.svg`);
 * ```
 */
export function decisionPlot(e: ExplanationData, options?: DecisionOptions): Figure {
  const data = decisionData("decisionPlot", e, options, MAX_DRAWN_ROWS);
  const levels = data.steps.length;
  const rows = rowLabels(data.steps);
  const labels = new Map(data.steps.map((s) => [s.level, rows.labels.get(s.key)!]));
  const width = 720, marginRight = 40, marginTop = 50, marginBottom = 50;
  const height = 110 + 30 * levels;
  const innerWidth = width - rows.marginLeft - marginRight;
  const color = (s: DecisionStep) => s.value >= 0 ? SHAP_COLORS.positive : SHAP_COLORS.negative;
  // Room for every value label inside the frame, away from the row labels on the left; each
  // label placed clear of the path and the base rule (placeLabels), which depends on the
  // domain's scale, so the two are settled together.
  const roomFor = (places?: LabelPlace[]) =>
    labelledDomain(
      [
        { x: data.axisBase, value: null },
        ...data.steps.map((s, i) => places?.[i] ?? { x: s.axisAfter, value: s.value }),
      ],
      innerWidth,
      7,
      0.15,
    );
  const levelPx = (height - marginTop - marginBottom) / (levels + 0.4);
  let domain = roomFor();
  for (let pass = 0; pass < 3; pass++) {
    domain = roomFor(placeLabels(data, domain, innerWidth, levelPx));
  }
  const places = placeLabels(data, domain, innerWidth, levelPx);
  // A probability axis may need room past 0 or 1 for labels; its ticks stay in [0, 1].
  const ticks = data.axis === "probability"
    ? niceTicks(Math.max(0, domain[0]), Math.min(1, domain[1]), 6)
    : undefined;
  const svg = plotToSvg({
    width,
    height,
    marginLeft: rows.marginLeft,
    marginRight,
    marginTop,
    marginBottom,
    style: { fontSize: "12px" },
    x: {
      domain,
      ticks,
      label: `model output (${data.axis})${explainedNote(e)}`,
      labelAnchor: "center",
      grid: true,
    },
    y: {
      domain: [0, levels + 0.4],
      ticks: data.steps.map((s) => s.level),
      tickFormat: (level: number) => labels.get(level) ?? "",
      tickSize: 0,
      label: null,
      // A light line per step; value labels sit on it, as on the x grid.
      grid: true,
    },
    marks: [
      Plot.ruleX([data.axisBase], {
        stroke: "#999",
        strokeDasharray: "4,3",
        className: "shap-base-rule",
      }),
      Plot.link(data.steps, {
        x1: "axisBefore",
        y1: (s: DecisionStep) => s.level - 1,
        x2: "axisAfter",
        y2: "level",
        stroke: color,
        strokeWidth: 2.5,
        className: "shap-step",
      }),
      Plot.dot(data.steps, {
        x: "axisAfter",
        y: "level",
        fill: color,
        r: 3.5,
        className: "shap-point",
      }),
      ...placedValueLabels(data.steps, (_, i) => places[i], { y: "level", domain, innerWidth }),
      ...outputAndBaseLabels(data.axisOutput, data.axisBase, { dy: -16, boldOutput: true }),
    ],
  });
  const values = data.axis === "probability" ? ", contributions in log-odds" : "";
  const lines = [...data.steps].reverse().map((s) =>
    `  ${s.label}: ${formatSigned(s.value)} -> ${formatNumber(s.axisAfter)}`
  );
  return new Figure(
    svg,
    [
      `Decision plot (${data.axis} axis${values}${explainedNote(e)}): E[f(X)] = ${
        formatNumber(data.axisBase)
      } -> ` +
      `f(x) = ${formatNumber(data.axisOutput)}`,
      ...lines,
    ].join("\n"),
  );
}
