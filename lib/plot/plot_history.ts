/**
 * The article's training figure: two panels, "Training" and "Validation", each with the loss
 * on the left axis (black) and the metrics on an independent right axis, x = epoch. A
 * vega-lite chart with tooltips, plus the same chart as SVG.
 *
 * The panels are stacked, one above the other, with the metrics' legend below: the chart is
 * about 440 px wide, so it fits JupyterLab's output area from a 600 px window up. A vega-lite
 * chart cannot follow its output's width here: `width: "container"` and `autosize: "fit"` work
 * only for single and layered views in vega-lite 5 (not for concatenated panels), and in
 * JupyterLab 4.6 a `"container"` width hangs the page.
 *
 * @module
 */
import { xmlChars } from "../core/escape.ts";
import { ArgumentError, checkInt, checkOptions, describe, misplacedModel } from "../core/errors.ts";
import { CHART_FONT, VegaLiteFigure, vegaLiteFigure, type VegaLiteSpec } from "../display/vega.ts";
import { METRIC_COLORS } from "./progress_chart.ts";
import { fitSvg } from "./fit_svg.ts";
import { plural } from "../core/words.ts";

/** Options of {@linkcode plotHistory}. */
export interface PlotHistoryOptions {
  /**
   * Metrics to draw on the right axis (training names, e.g. `["accuracy", "F1"]`). Default:
   * every key that is not a loss and not `val_` (the article's choice).
   */
  metrics?: string[];
  /** Width of each panel in pixels. Default 300. */
  width?: number;
  /** Height of each panel in pixels. Default 160. */
  height?: number;
}

/** One point of the chart's data. */
export interface HistoryPoint {
  /** `Training` or `Validation`. */
  panel: "Training" | "Validation";
  /** 1-based epoch. */
  epoch: number;
  /** History key, e.g. `val_F1`. */
  key: string;
  /** The metric without `val_`, e.g. `F1` (colour); `loss` for the loss. */
  metric: string;
  /** `loss` (left axis) or `metric` (right axis). */
  kind: "loss" | "metric";
  /** The value. */
  value: number;
  /**
   * The series' field name in the chart's pivoted rows: `s0`, `s1`... (user metric names are
   * never field names: quotes, dots or brackets in them would break vega's field paths).
   */
  series: string;
}

/**
 * Most points a history chart draws: past it, {@linkcode historyPoints} keeps per stretch of
 * epochs its first epoch and each series' lowest and highest value, so the curves keep their
 * shape and the chart (spec and SVG) stays well under 1 MB at any number of epochs.
 */
export const MAX_DRAWN_POINTS = 4000;

/** A history to plot: what `train` returns, or Keras's `training.history` dict as JSON. */
export type HistoryLike =
  | { history: Readonly<Record<string, readonly number[]>> }
  | Readonly<
    Record<string, readonly number[]>
  >;

function historyOf(fn: string, value: unknown): Record<string, readonly number[]> {
  if (value instanceof Promise) {
    // The usual slip: `const history = train(...)` without `await`.
    throw ArgumentError.because(
      fn,
      "history",
      "history is a Promise: await train(...) first (const history = await train(...))",
    );
  }
  const model = misplacedModel(
    fn,
    "history",
    value,
    "what train() returns",
    "plot what training returned: const history = await train(model, x, y); plotHistory(history)",
  );
  if (model) throw model;
  const h =
    value && typeof value === "object" && "history" in value && typeof value.history === "object"
      ? (value as { history: unknown }).history
      : value;
  if (!h || typeof h !== "object" || Array.isArray(h)) {
    throw new ArgumentError(
      fn,
      "history",
      value,
      "what train() returns, or an object of per-epoch arrays",
    );
  }
  for (const [k, v] of Object.entries(h)) {
    if (!Array.isArray(v) || v.some((n) => typeof n !== "number")) {
      throw ArgumentError.because(
        fn,
        "history",
        `history.${k} must be an array of numbers, got ${describe(v)}`,
      );
    }
  }
  const record = h as Record<string, readonly number[]>;
  if (!record.loss || record.loss.length === 0) {
    throw ArgumentError.because(
      fn,
      "history",
      `history has no "loss" values; its keys are ${Object.keys(record).join(", ") || "none"}`,
    );
  }
  return record;
}

const isLoss = (k: string) => k === "loss" || k === "val_loss";

/** Each panel's plot area by default: two stacked panels and their axes fit in about 440 px. */
const PANEL_SIZE = { width: 300, height: 160 };

/**
 * The metrics the article plots: every key that is not a loss and not `val_`.
 *
 * @example
 * ```ts
 * import { defaultMetrics } from "./plot_history.ts";
 * defaultMetrics({ loss: [1], accuracy: [0.5], F1: [0.4], val_loss: [1], val_accuracy: [0.5], val_F1: [0.3] });
 * // ["accuracy", "F1"]
 * ```
 */
export function defaultMetrics(history: Readonly<Record<string, readonly number[]>>): string[] {
  return Object.keys(history).filter((k) => !isLoss(k) && !k.startsWith("val_"));
}

/**
 * The chart's data as plain rows: loss and each metric per epoch, in both panels (the
 * Validation panel only when the history has `val_loss`). Non-finite values are left out.
 * Past `maxPoints` points the epochs are summarised: per stretch of epochs, its first epoch
 * (every series, so tooltips list them all) and each series' lowest and highest epoch.
 *
 * @example
 * ```ts
 * import { historyPoints } from "./plot_history.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(historyPoints({ loss: [0.7], val_loss: [0.8] }, []).map((p) => p.panel), ["Training", "Validation"]);
 * const long = { loss: Array.from({ length: 100000 }, (_, i) => 1 / (i + 1)) };
 * assert.ok(historyPoints(long, [], 5000).length <= 5000);
 * ```
 */
export function historyPoints(
  history: Readonly<Record<string, readonly number[]>>,
  metrics: readonly string[],
  maxPoints = Infinity,
): HistoryPoint[] {
  const panels: [HistoryPoint["panel"], string][] = [["Training", ""]];
  if (history.val_loss) panels.push(["Validation", "val_"]);
  const keys = panels.flatMap(([, prefix]) => ["loss", ...metrics].map((m) => prefix + m));
  const drawn = drawnEpochs(keys.map((k) => history[k] ?? []), maxPoints);
  const points: HistoryPoint[] = [];
  let k = 0;
  for (const [panel, prefix] of panels) {
    for (const metric of ["loss", ...metrics]) {
      const key = prefix + metric;
      const values = history[key] ?? [];
      for (const i of drawn[k]) {
        points.push({
          panel,
          epoch: i + 1,
          key,
          metric,
          kind: isLoss(key) ? "loss" : "metric",
          value: values[i],
          series: `s${k}`,
        });
      }
      k++;
    }
  }
  return points;
}

/** Per series, the indices of its finite values to draw (all of them within the budget). */
function drawnEpochs(series: readonly (readonly number[])[], maxPoints: number): number[][] {
  const finite = (values: readonly number[], i: number) => Number.isFinite(values[i]);
  const total = series.reduce((n, s) => n + s.length, 0);
  if (total <= maxPoints) {
    return series.map((s) => s.flatMap((_, i) => finite(s, i) ? [i] : []));
  }
  const n = series.reduce((m, s) => Math.max(m, s.length), 0);
  const bins = Math.max(20, Math.floor(maxPoints / (3 * Math.max(1, series.length))));
  return series.map((s) => {
    const picked: number[] = [];
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * n) / bins),
        to = Math.min(s.length, Math.floor(((b + 1) * n) / bins));
      let lo = -1, hi = -1;
      for (let i = from; i < to; i++) {
        if (!finite(s, i)) continue;
        if (lo < 0 || s[i] < s[lo]) lo = i;
        if (hi < 0 || s[i] > s[hi]) hi = i;
      }
      const last = b === bins - 1 ? s.length - 1 : -1;
      for (
        const i of new Set(
          [from, lo, hi, last].filter((i) => i >= 0 && i < s.length).sort((a, c) => a - c),
        )
      ) {
        if (finite(s, i)) picked.push(i);
      }
    }
    return picked;
  });
}

/**
 * A tooltip title that shows as given: vega-lite 5 writes tooltip titles into a vega
 * expression string and escapes only `"` there (compile/mark/encode/tooltip.js), so
 * backslashes and line breaks are escaped here to reach the tooltip as typed.
 */
function tooltipTitle(name: string): string {
  return name.replace(
    /[\\\n\r\u2028\u2029]/g,
    (c) => c === "\\" ? "\\\\" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The vega-lite spec of the figure: per panel a black loss line on the left axis, metric lines
 * on an independent right axis, and (with `hover`) an invisible rule per epoch whose tooltip
 * lists every value of that epoch.
 *
 * @example
 * ```ts
 * import { historyPoints, historySpec } from "./plot_history.ts";
 * const h = { loss: [0.7, 0.6], F1: [0.2, 0.4] };
 * const spec = historySpec(historyPoints(h, ["F1"]), ["F1"]);
 * ```
 */
export function historySpec(
  points: readonly HistoryPoint[],
  metrics: readonly string[],
  size: { width: number; height: number } = PANEL_SIZE,
  hover = true,
): VegaLiteSpec {
  const panels = [...new Set(points.map((p) => p.panel))];
  const x = {
    field: "epoch",
    type: "quantitative",
    title: "Epochs",
    scale: { zero: false, nice: false },
    axis: { tickMinStep: 1, format: "d" },
  } as const;
  const panel = (name: string, prefix: string) => {
    const keys = ["loss", ...metrics].map((m) => prefix + m);
    // Tooltip fields are the series ids of the panel's keys, in the same order as the points.
    const ids = new Map(points.map((p) => [p.key, p.series]));
    const layers: Record<string, unknown>[] = [
      {
        transform: [{ filter: { field: "kind", equal: "loss" } }],
        mark: { type: "line", color: "black", strokeWidth: 1.5 },
        encoding: {
          x,
          y: {
            field: "value",
            type: "quantitative",
            title: "Loss",
            scale: { zero: false },
            // End labels inside the plot's height: a label poking above would lift this
            // panel's title above the other's.
            axis: { titleColor: "black", orient: "left", labelFlush: true },
          },
        },
      },
    ];
    if (metrics.length > 0) {
      layers.push({
        transform: [{ filter: { field: "kind", equal: "metric" } }],
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x,
          y: {
            field: "value",
            type: "quantitative",
            title: "Score",
            scale: { zero: false },
            axis: { titleColor: "steelblue", orient: "right", labelFlush: true },
          },
          color: {
            field: "metric",
            type: "nominal",
            title: "Metric",
            scale: {
              domain: [...metrics],
              range: metrics.map((_, i) => METRIC_COLORS[i % METRIC_COLORS.length]),
            },
            // Below the panels: a legend on the right would widen the chart.
            legend: { orient: "bottom", columns: 2, labelLimit: 180 },
          },
        },
      });
    }
    if (hover) {
      layers.push({
        transform: [{ pivot: "series", value: "value", groupby: ["epoch"] }],
        mark: { type: "rule", color: "#888888" },
        params: [{
          name: `hover_${name}`,
          select: {
            type: "point",
            fields: ["epoch"],
            nearest: true,
            on: "pointerover",
            clear: "pointerout",
          },
        }],
        encoding: {
          x,
          opacity: { condition: { param: `hover_${name}`, empty: false, value: 0.4 }, value: 0 },
          tooltip: [
            { field: "epoch", type: "quantitative", title: "epoch" },
            ...keys.filter((k) => ids.has(k)).map((k) => ({
              field: ids.get(k)!,
              type: "quantitative",
              title: tooltipTitle(k),
              format: ".4f",
            })),
          ],
        },
      });
    }
    return {
      title: name,
      width: size.width,
      height: size.height,
      transform: [{ filter: { field: "panel", equal: name } }],
      layer: layers,
      resolve: { scale: { y: "independent" } },
    };
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    description: "Training history: loss (left axis) and metrics (right axis) per epoch.",
    data: { values: points.map((p) => ({ ...p })) },
    vconcat: panels.map((p) => panel(p, p === "Training" ? "" : "val_")),
    config: { font: CHART_FONT, view: { stroke: "#dddddd" }, title: { fontSize: 14 } },
  } as unknown as VegaLiteSpec;
}

function describeHistory(
  history: Readonly<Record<string, readonly number[]>>,
  metrics: readonly string[],
): string {
  const epochs = history.loss.length;
  const panels = history.val_loss
    ? `"Training" and "Validation" panels`
    : `a "Training" panel (no validation)`;
  const last = Object.entries(history)
    .filter(([k]) => isLoss(k) || metrics.includes(k.replace(/^val_/, "")))
    .map(([k, v]) => `${k} ${Number(v[v.length - 1]).toFixed(4)}`)
    .join(", ");
  return `Training history, ${plural(epochs, "epoch")}: ${panels}, loss on the left axis (black)` +
    (metrics.length ? ` and ${metrics.join(", ")} on the right axis` : "") +
    `. Last epoch: ${last}.`;
}

/** Says when the chart draws a summary of a long history rather than every epoch. */
function summaryNote(
  history: Readonly<Record<string, readonly number[]>>,
  metrics: readonly string[],
  drawn: number,
): string {
  const all = historyPoints(history, metrics).length;
  return drawn < all
    ? ` Drawn from ${drawn} of ${all} points: per stretch of epochs its first epoch and each curve's lowest and highest value.`
    : "";
}

/**
 * Plots a training history as the article does: "Training" and "Validation" panels, loss in
 * black on the left axis, metrics on the right axis. The result renders as a live vega-lite
 * chart with tooltips (JupyterLab, VS Code) and as SVG elsewhere; `save("fig.svg")` writes
 * the SVG, `save("fig.json")` the spec.
 *
 * @example
 * ```ts
 * import { plotHistory } from "./plot_history.ts";
 * const fig = await plotHistory({ loss: [0.7, 0.6], F1: [0.2, 0.4], val_loss: [0.8, 0.7], val_F1: [0.1, 0.3] });
 * const dir = await Deno.makeTempDir(); // not the working folder
 * fig.save(`${dir}/history.svg`);
 * ```
 */
export function plotHistory(
  history: HistoryLike,
  options?: PlotHistoryOptions,
): Promise<VegaLiteFigure> {
  const fn = "plotHistory";
  const o = checkOptions(fn, options, { metrics: true, width: true, height: true });
  const h = historyOf(fn, history);
  const available = defaultMetrics(h);
  // vega writes names into the SVG as given; it escapes markup, but not characters XML cannot
  // carry at all, so those become U+FFFD in what is drawn.
  const shown = (names: readonly string[]) => names.map(xmlChars);
  let metrics = available;
  if (o.metrics !== undefined) {
    if (!Array.isArray(o.metrics)) {
      throw new ArgumentError(fn, "metrics", o.metrics, "an array of metric names");
    }
    for (const m of o.metrics) {
      if (typeof m !== "string" || !available.includes(m)) {
        throw new ArgumentError(
          fn,
          "metrics",
          m,
          `one of the history's metrics (${available.map((a) => `"${a}"`).join(", ") || "none"})`,
        );
      }
    }
    metrics = [...o.metrics];
  }
  const size = {
    width: checkInt(fn, "width", o.width ?? PANEL_SIZE.width, 50, 2000),
    height: checkInt(fn, "height", o.height ?? PANEL_SIZE.height, 50, 2000),
  };
  const points = historyPoints(h, metrics, MAX_DRAWN_POINTS).map((p) => ({
    ...p,
    key: xmlChars(p.key),
    metric: xmlChars(p.metric),
  }));
  const drawn = shown(metrics);
  // The SVG is drawn from the same spec without its hover layer: that layer only draws
  // invisible rules (and vega's voronoi cells), two thirds of the SVG's bytes for nothing.
  return vegaLiteFigure( // not awaited: plotHistory is not async, so bad input throws at the call
    historySpec(points, drawn, size),
    describeHistory(h, metrics) + summaryNote(h, metrics, points.length),
    historySpec(points, drawn, size, false),
  ).then((figure) => new VegaLiteFigure(figure.toSpec(), fitSvg(figure.toSVG()), String(figure)));
}
