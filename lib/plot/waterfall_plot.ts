/**
 * The waterfall plot of one explanation: from the base value E[f(X)] at the bottom, each
 * feature's contribution is a bar that starts where the previous one ended, up to the
 * prediction f(x) at the top, as `shap.plots.waterfall` draws it.
 *
 * @module
 */
import * as Plot from "../deps/plot.ts";
import { Figure } from "../display/display.ts";
import { checkOptions } from "../core/errors.ts";
import { plotToSvg } from "./plot_dom.ts";
import {
  gapPastRules,
  labelledDomain,
  type LabelPlace,
  MAX_DRAWN_ROWS,
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
  topContributions,
} from "./shap_rows.ts";

/** Options of {@linkcode waterfallPlot}. */
export interface WaterfallOptions {
  /** Features shown by |value|; the rest become one "N other features" bar. Default 10. */
  top?: number;
}

/** One bar of a waterfall: a contribution and where it starts and ends on the output axis. */
export interface WaterfallRow extends ContributionRow {
  /** Cumulative output before this contribution. */
  start: number;
  /** Cumulative output after it (`start + value`). */
  end: number;
}

/** Everything a waterfall plot draws, as plain data. */
export interface WaterfallData {
  /** Bars from top (largest |value|) to bottom ("N other features" when there is one). */
  rows: WaterfallRow[];
  /** Where the bottom bar starts. */
  baseValue: number;
  /** Where the top bar ends. */
  output: number;
  /** The axis space: raw output or log-odds. */
  link: ExplanationData["link"];
}

/**
 * Computes the waterfall's bars: the bottom bar starts at the base value and each bar above
 * starts where the one below ended, so the top bar ends at the prediction.
 *
 * @example
 * ```ts
 * import { waterfallRows } from "./waterfall_plot.ts";
 * const e = { values: [0.3, -0.1], baseValue: 0.5, output: 0.7, featureNames: ["a", "b"], instance: [1, 2], link: "identity" as const };
 * waterfallRows(e).rows.map((r) => [r.start, r.end]); // [[0.4, 0.7], [0.5, 0.4]]
 * ```
 */
export function waterfallRows(e: ExplanationData, options?: WaterfallOptions): WaterfallData {
  return checkedRows("waterfallRows", e, options);
}

/** {@linkcode waterfallRows} with errors naming `fn`, the public function called. */
function checkedRows(
  fn: string,
  e: ExplanationData,
  options?: WaterfallOptions,
  maxRows = Infinity,
): WaterfallData {
  const o = checkOptions(fn, options, { top: true });
  const top = Math.min(maxRows, checkExplanation(fn, e, o.top ?? 10));
  const contributions = topContributions(e, top);
  const rows: WaterfallRow[] = new Array(contributions.length);
  let cumulative = e.baseValue;
  for (let i = contributions.length - 1; i >= 0; i--) {
    const c = contributions[i];
    rows[i] = { ...c, start: cumulative, end: cumulative + c.value };
    cumulative += c.value;
  }
  return { rows, baseValue: e.baseValue, output: e.output, link: e.link };
}

/**
 * Draws a waterfall plot of an explanation: bars from E[f(X)] to f(x), red where a feature
 * raises the output and blue where it lowers it.
 *
 * @example
 * ```ts
 * import { waterfallPlot } from "./waterfall_plot.ts";
 * const e = { values: [0.3, -0.1], baseValue: 0.5, output: 0.7, featureNames: ["a", "b"], instance: [1, 2], link: "identity" as const };
 * const dir = await Deno.makeTempDir(); // not the working folder
 * waterfallPlot(e).save(`${dir}/waterfall.svg`);
 * ```
 */
export function waterfallPlot(e: ExplanationData, options?: WaterfallOptions): Figure {
  const data = checkedRows("waterfallPlot", e, options, MAX_DRAWN_ROWS);
  const { labels, marginLeft } = rowLabels(data.rows);
  const width = 720, marginRight = 30;
  const space = (data.link === "logit" ? "log-odds" : "model output") + explainedNote(e);
  const innerWidth = width - marginLeft - marginRight;
  // Room for every value label (past each bar's end) inside the frame. A label that the
  // E[f(X)] or f(x) rule would cross goes before the bar's start when nothing is in the way
  // there, so it stays beside its bar; else past the rule. Both need the domain's scale.
  const place = (domain: readonly [number, number]): LabelPlace[] => {
    const px = innerWidth / (domain[1] - domain[0]);
    const at = (x: number) => (x - domain[0]) * px;
    const rules = [at(data.baseValue), at(data.output)];
    return data.rows.map((r) => {
      const side: 1 | -1 = r.value >= 0 ? 1 : -1;
      const width = valueLabelWidth(r.value);
      const gap = gapPastRules(at(r.end), side, 4, width, rules);
      if (gap > 4 && gapPastRules(at(r.start), -side as 1 | -1, 4, width, rules) === 4) {
        return { x: r.start, value: r.value, side: -side as 1 | -1, gap: 4 };
      }
      return { x: r.end, value: r.value, side, gap };
    });
  };
  const roomFor = (places?: LabelPlace[]) =>
    labelledDomain(
      data.rows.flatMap((r, i) => [
        { x: r.start, value: null },
        { x: r.end, value: null },
        places?.[i] ?? { x: r.end, value: r.value },
      ]),
      innerWidth,
      4,
      0.12,
    );
  let domain = roomFor();
  for (let pass = 0; pass < 3; pass++) domain = roomFor(place(domain));
  const places = place(domain);
  const color = (r: WaterfallRow) => r.value >= 0 ? SHAP_COLORS.positive : SHAP_COLORS.negative;
  const svg = plotToSvg({
    width,
    height: 90 + 30 * data.rows.length,
    marginLeft,
    marginRight,
    marginTop: 40,
    marginBottom: 44,
    style: { fontSize: "12px" },
    x: { domain, label: space, labelAnchor: "center", grid: true },
    y: {
      domain: data.rows.map((r) => r.key),
      tickFormat: (key: string) => labels.get(key) ?? key,
      label: null,
      tickSize: 0,
    },
    marks: [
      Plot.ruleX([data.baseValue], {
        stroke: "#999",
        strokeDasharray: "4,3",
        className: "shap-base-rule",
      }),
      Plot.ruleX([data.output], {
        stroke: "#333",
        strokeDasharray: "4,3",
        className: "shap-output-rule",
      }),
      Plot.barX(data.rows, {
        y: "key",
        x1: "start",
        x2: "end",
        fill: color,
        insetTop: 3,
        insetBottom: 3,
        className: "shap-bar",
      }),
      // Value labels just past each bar's end: right of rising bars, left of falling ones.
      ...placedValueLabels(data.rows, (_, i) => places[i], { y: "key", domain, innerWidth }),
      ...outputAndBaseLabels(data.output, data.baseValue, { dy: -14 }),
    ],
  });
  const lines = data.rows.map((r) => `  ${r.label}: ${formatSigned(r.value)}`);
  return new Figure(
    svg,
    [
      `Waterfall plot (${space}): E[f(X)] = ${formatNumber(data.baseValue)} -> f(x) = ${
        formatNumber(data.output)
      }`,
      ...lines,
    ].join("\n"),
  );
}
