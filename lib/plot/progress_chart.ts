/**
 * The small chart of the live training display: the progress text, a bar, and the loss
 * (left scale, black) and metrics (right scale, colours) so far, validation dashed, x fixed to
 * all epochs so the curves grow from left to right. Geometry is computed as plain data first,
 * then drawn as a standalone SVG of constant size (no jumping while it updates).
 *
 * @module
 */
import { escapeXml } from "../core/escape.ts";
import { extent } from "../core/extent.ts";
import { shorten, textWidth } from "../core/text_width.ts";
import { fitSvg } from "./fit_svg.ts";

/** Colours of the metric curves, in order (loss is always black). */
export const METRIC_COLORS: readonly string[] = [
  "#4682b4",
  "#e07b24",
  "#2e9e5b",
  "#b5369a",
  "#8c6d31",
  "#6b6ecf",
];

/** One drawn curve. */
export interface ChartSeries {
  /** History key, e.g. `val_F1`. */
  key: string;
  /** Stroke colour. */
  color: string;
  /** Dashed for validation. */
  dashed: boolean;
  /** Which scale it uses: loss on the left, metrics on the right. */
  axis: "left" | "right";
  /** Polyline points in SVG units. */
  points: [number, number][];
}

/** Everything needed to draw the live chart. */
export interface ProgressChartGeometry {
  /** Total size of the SVG. */
  width: number;
  /** Total size of the SVG. */
  height: number;
  /** Plot area. */
  plot: { x: number; y: number; width: number; height: number };
  /** First line, left of the bar: `Epoch 37/100`. */
  title: string;
  /** First line, right of the bar: `37% - ETA: 5s - 3ms/step`. */
  status: string;
  /** Further text lines above the plot (the metrics). */
  lines: string[];
  /** The bar: fraction done in [0, 1], and where it is drawn. */
  bar: { x: number; y: number; width: number; height: number; fraction: number };
  /** Curves. */
  series: ChartSeries[];
  /** Tick labels: `[label, y]` on the left (loss) and right (metrics) scales. */
  leftTicks: [string, number][];
  /** Tick labels on the right scale. */
  rightTicks: [string, number][];
  /** Labels under the x axis: first and last epoch. */
  xTicks: [string, number][];
}

const WIDTH = 640;
const LINE = 16;
const TOP = 6;
// The right tick labels end before the rotated "score" title, which ends inside the picture.
const PLOT = { x: 56, width: 516, height: 96 };
/** Advance of the progress text's monospace font (DejaVu Sans Mono, Menlo: 0.602 em) at 12px. */
const CHAR = 7.3;
const TEXT_CHARS = Math.floor((WIDTH - 16) / CHAR);

/** The scale of some series: their finite extent, widened when flat. */
function scaleOf(series: readonly (readonly number[])[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const values of series) {
    const [a, b] = extent(values) ?? [Infinity, -Infinity];
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.05 || 0.5;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

function tick(v: number, digits = 3): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0)
    ? v.toExponential(digits - 2)
    : String(Number(v.toPrecision(digits)));
}

/** Both ends of a scale, with as many digits as it takes for them to read differently. */
function endTicks([lo, hi]: [number, number]): [string, string] {
  for (let digits = 3; digits < 8; digits++) {
    const ends: [string, string] = [tick(hi, digits), tick(lo, digits)];
    if (ends[0] !== ends[1]) return ends;
  }
  return [tick(hi, 8), tick(lo, 8)];
}

/**
 * Lines of the progress text wrapped to the chart's width (at " - " between values, else
 * at a space, else anywhere), so none is cut at the edge.
 *
 * @example
 * ```ts
 * import { wrapLines } from "./progress_chart.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(wrapLines(["a - b - c"], 5), ["a - b", "c"]);
 * ```
 */
export function wrapLines(lines: readonly string[], chars: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let rest = line;
    while (Array.from(rest).length > chars) {
      const head = Array.from(rest).slice(0, chars + 3).join("");
      const cut = [head.lastIndexOf(" - ", chars), head.lastIndexOf(" ", chars)]
        .find((i) => i > 0) ?? chars;
      out.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).replace(/^ - /, "").trimStart();
    }
    out.push(rest);
  }
  return out;
}

/**
 * Computes the live chart's geometry from the history so far.
 *
 * @param history per-epoch values by key (`loss`, `accuracy`, `val_loss`, ...)
 * @param epochs all epochs of the run (fixes the x scale)
 * @param text the title left of the bar, the status right of it, and further lines
 * @param fraction how much of the run is done, in [0, 1]
 *
 * @example
 * ```ts
 * import { progressChartGeometry } from "./progress_chart.ts";
 * import assert from "node:assert/strict";
 * const text = { title: "Epoch 2/10", status: "20%", lines: ["loss: 0.6000"] };
 * const g = progressChartGeometry({ loss: [0.7, 0.6] }, 10, text, 0.2);
 * assert.deepEqual(g.series[0].points.length, 2);
 * ```
 */
export function progressChartGeometry(
  history: Readonly<Record<string, readonly number[]>>,
  epochs: number,
  text: { title: string; status: string; lines: string[] },
  fraction: number,
): ProgressChartGeometry {
  const { title, status } = text;
  const lines = wrapLines(text.lines, TEXT_CHARS);
  // Room for two text lines always, so the SVG keeps its size from the first update to the last.
  const plotY = TOP + (1 + Math.max(2, lines.length)) * LINE + 10;
  const plot = { ...PLOT, y: plotY };
  const keys = Object.keys(history);
  const isLoss = (k: string) => k === "loss" || k === "val_loss";
  const metricNames = [
    ...new Set(keys.filter((k) => !isLoss(k)).map((k) => k.replace(/^val_/, ""))),
  ];
  const left = scaleOf(keys.filter(isLoss).map((k) => history[k]));
  const right = scaleOf(keys.filter((k) => !isLoss(k)).map((k) => history[k]));
  const xOf = (i: number) =>
    plot.x + (epochs > 1 ? (i / (epochs - 1)) * plot.width : plot.width / 2);
  const yOf = ([lo, hi]: [number, number], v: number) =>
    plot.y + plot.height - ((v - lo) / (hi - lo)) * plot.height;
  const series: ChartSeries[] = keys.map((key) => {
    const loss = isLoss(key);
    const scale = loss ? left : right;
    const color = loss
      ? "#000000"
      : METRIC_COLORS[metricNames.indexOf(key.replace(/^val_/, "")) % METRIC_COLORS.length];
    const points = summarised(history[key], plot.width).map(([i, v]): [number, number] => [
      xOf(i),
      yOf(scale, v),
    ]);
    return { key, color, dashed: key.startsWith("val_"), axis: loss ? "left" : "right", points };
  });
  const ticks = (scale: [number, number]): [string, number][] => {
    const [top, bottom] = endTicks(scale);
    return [[top, yOf(scale, scale[1])], [bottom, yOf(scale, scale[0])]];
  };
  const hasMetrics = metricNames.length > 0;
  return {
    width: WIDTH,
    height: plot.y + plot.height + 38,
    plot,
    title,
    status,
    lines,
    bar: {
      // After the longest title of the run ("Epoch 1500/1500"), so they never touch.
      x: Math.max(120, Math.ceil(8 + Array.from(`Epoch ${epochs}/${epochs}`).length * CHAR + 12)),
      y: TOP + 3,
      width: 180,
      height: 10,
      fraction: Math.min(1, Math.max(0, fraction)),
    },
    series,
    leftTicks: ticks(left),
    rightTicks: hasMetrics ? ticks(right) : [],
    xTicks: [["1", xOf(0)], [String(epochs), xOf(epochs - 1)]],
  };
}

/**
 * The finite points of a series as `[index, value]`; past two per pixel column, only the first,
 * lowest, highest and last of each column, in order: the line looks the same and the SVG stays
 * small at any number of epochs.
 *
 * @example
 * ```ts
 * import { summarised } from "./progress_chart.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(summarised([1, 5, 2, 3], 500).length, 4);
 * assert.ok(summarised(Array.from({ length: 100000 }, (_, i) => Math.sin(i)), 500).length <= 2000);
 * ```
 */
export function summarised(values: readonly number[], columns: number): [number, number][] {
  const out: [number, number][] = [];
  const n = values.length;
  if (n <= 2 * columns) {
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i])) out.push([i, values[i]]);
    return out;
  }
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * n) / columns), to = Math.floor(((c + 1) * n) / columns);
    let first = -1, last = -1, lo = -1, hi = -1;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (first < 0) first = lo = hi = i;
      last = i;
      if (v < values[lo]) lo = i;
      if (v > values[hi]) hi = i;
    }
    if (first < 0) continue;
    for (const i of [...new Set([first, lo, hi, last])].sort((a, b) => a - b)) {
      out.push([i, values[i]]);
    }
  }
  return out;
}

const f = (v: number) => String(Math.round(v * 10) / 10);

/** A rotated axis title centred on (x, y). */
function axisTitle(x: number, y: number, angle: number, color: string, label: string): string {
  return `<text x="${x}" y="${f(y)}" text-anchor="middle" fill="${color}" ` +
    `transform="rotate(${angle} ${x} ${f(y)})">${escapeXml(label)}</text>`;
}

/**
 * Draws the live chart as a standalone SVG (xmlns, viewBox, fonts named, user text escaped).
 *
 * @example
 * ```ts
 * import { progressChartGeometry, progressChartSVG } from "./progress_chart.ts";
 * import assert from "node:assert/strict";
 * const text = { title: "Epoch 1/5", status: "20%", lines: [] };
 * const svg = progressChartSVG(progressChartGeometry({ loss: [0.7] }, 5, text, 0.2));
 * assert.ok(svg.startsWith("<svg"));
 * ```
 */
export function progressChartSVG(g: ProgressChartGeometry): string {
  const { plot, bar } = g;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" ` +
    `viewBox="0 0 ${g.width} ${g.height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12">`,
    `<rect width="${g.width}" height="${g.height}" fill="#ffffff"/>`,
  ];
  const text = (x: number, row: number, content: string) =>
    `<text x="${x}" y="${TOP + 11 + row * LINE}" fill="#222222" xml:space="preserve">${
      escapeXml(content)
    }</text>`;
  out.push(
    text(8, 0, g.title),
    `<rect class="bar" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" fill="#e6e6e6"/>`,
    `<rect class="bar" x="${bar.x}" y="${bar.y}" width="${
      f(bar.width * bar.fraction)
    }" height="${bar.height}" fill="#4682b4"/>`,
    text(bar.x + bar.width + 8, 0, g.status),
    ...g.lines.map((line, i) => text(8, i + 1, line)),
  );
  out.push(
    `<g font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="10" fill="#555555">`,
    `<rect x="${plot.x}" y="${plot.y}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#cccccc"/>`,
  );
  for (const [label, y] of g.leftTicks) {
    out.push(
      `<text class="tick-left" x="${plot.x - 4}" y="${f(y + 3)}" text-anchor="end" fill="#000000">${
        escapeXml(label)
      }</text>`,
    );
  }
  for (const [label, y] of g.rightTicks) {
    out.push(
      `<text class="tick-right" x="${plot.x + plot.width + 4}" y="${f(y + 3)}" fill="#4682b4">${
        escapeXml(label)
      }</text>`,
    );
  }
  for (const [label, x] of g.xTicks) {
    out.push(
      `<text x="${f(x)}" y="${plot.y + plot.height + 12}" text-anchor="middle">${
        escapeXml(label)
      }</text>`,
    );
  }
  out.push(
    `<text x="${plot.x + plot.width / 2}" y="${
      plot.y + plot.height + 12
    }" text-anchor="middle">epoch</text>`,
    axisTitle(12, plot.y + plot.height / 2, -90, "#000000", "loss"),
  );
  // The right scale's title only with a series on it (a regression run may have none).
  if (g.rightTicks.length > 0) {
    out.push(axisTitle(g.width - 12, plot.y + plot.height / 2, 90, "#4682b4", "score"));
  }
  for (const s of g.series) {
    if (s.points.length === 0) continue;
    const d = s.points.map(([x, y]) => `${f(x)},${f(y)}`).join(" ");
    const dash = s.dashed ? ` stroke-dasharray="4 3"` : "";
    out.push(
      s.points.length === 1
        ? `<circle cx="${f(s.points[0][0])}" cy="${f(s.points[0][1])}" r="1.5" fill="${s.color}"/>`
        : `<polyline points="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${dash}/>`,
    );
  }
  // Legend: one entry per series, in history order, names shortened until the row fits.
  const entry = (label: string) => 28 + textWidth(label, 10);
  let names = g.series.map((s) => s.key);
  for (
    let max = 40;
    max > 4 && names.reduce((w, n) => w + entry(n), 0) > g.width - plot.x - 8;
    max -= 2
  ) {
    names = g.series.map((s) => shorten(s.key, max));
  }
  let x = plot.x;
  const y = plot.y + plot.height + 28;
  for (const [k, s] of g.series.entries()) {
    const dash = s.dashed ? ` stroke-dasharray="4 3"` : "";
    out.push(
      `<line x1="${x}" y1="${y - 3}" x2="${x + 16}" y2="${
        y - 3
      }" stroke="${s.color}" stroke-width="1.5"${dash}/>`,
      `<text x="${x + 20}" y="${y}">${escapeXml(names[k])}</text>`,
    );
    x += entry(names[k]);
  }
  out.push("</g></svg>");
  return fitSvg(out.join(""));
}
