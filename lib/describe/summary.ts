/**
 * A Keras-3-style model summary: `Layer (type) | Output Shape | Param #` (plus
 * `Connected to` for graphs that are not a chain) and the parameter totals.
 *
 * @module
 */
import { withText } from "../core/text.ts";
import { maxOf } from "../core/extent.ts";
import type { tf } from "../core/tf.ts";
import { formatShapes, graphFor, type LayerNode } from "../build/graph.ts";
import { modelNote } from "../build/model_notes.ts";
import { TextTable } from "../display/display.ts";
import { escapeXml } from "../core/escape.ts";
import { DTYPE_BYTES, readableSize } from "../core/numeric.ts";

/** One row of a summary. */
export interface SummaryRow {
  /** `name (Class)`. */
  layer: string;
  /** Output shape as Keras prints it, e.g. `(None, 6)`. */
  outputShape: string;
  /** Parameter count. */
  params: number;
  /** Inbound connections as `name[0][0]`, for non-chain graphs. */
  connectedTo: string[];
}

/** The numbers behind a summary. */
export interface SummaryData {
  /** Model name. */
  name: string;
  /** Rows, one per layer (functional models include their InputLayer, as Keras does). */
  rows: SummaryRow[];
  /** Whether the `Connected to` column is shown. */
  showConnections: boolean;
  /** All parameters. */
  totalParams: number;
  /** Trainable parameters. */
  trainableParams: number;
  /** Non-trainable parameters. */
  nonTrainableParams: number;
  /** Bytes taken by all parameters (float32: 4 each). */
  totalBytes: number;
  /** Bytes taken by trainable parameters. */
  trainableBytes: number;
  /**
   * The optimizer's variables once it has taken a step, counted as Keras 3 does (its slots plus
   * `iterations` and `learning_rate`), else undefined. Included in the totals, as in Keras.
   */
  optimizer?: { params: number; bytes: number };
  /**
   * What the builder said about this model, shown as a `Note:` line under the totals: e.g.
   * `deepNN`'s warning that the article's neuron rule built a layer too narrow to learn.
   * Absent when there is nothing to say (and for models of your own).
   */
  note?: string;
}

// One implementation, in core, where size checks use it too.
export { readableSize } from "../core/numeric.ts";

/**
 * Computes a summary's rows and totals as plain data.
 *
 * @example
 * ```ts
 * import { summaryData } from "./summary.ts";
 * import { deepNN } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(summaryData(deepNN({ features: 10 })).totalParams, 91);
 * ```
 */
export function summaryData(model: tf.LayersModel): SummaryData {
  return withText(computeSummary("summaryData", model), drawText);
}

function computeSummary(fn: string, model: tf.LayersModel): SummaryData {
  const graph = graphFor(fn, model);
  const shown: LayerNode[] = graph.nodes.filter((n) => !n.synthetic);
  const rows = shown.map((n) => ({
    layer: `${n.name} (${n.className})`,
    outputShape: formatShapes(n.outputShapes),
    params: n.params,
    connectedTo: n.inbound.map((from) => `${from}[0][0]`),
  }));
  const bytesPer = (n: LayerNode) => DTYPE_BYTES[n.dtype] ?? 4;
  const totalParams = shown.reduce((s, n) => s + n.params, 0);
  const trainableParams = shown.reduce((s, n) => s + n.trainableParams, 0);
  const totalBytes = shown.reduce((s, n) => s + n.params * bytesPer(n), 0);
  const trainableBytes = shown.reduce((s, n) => s + n.trainableParams * bytesPer(n), 0);
  const optimizer = optimizerParams(model, trainableParams, trainableBytes);
  const note = modelNote(model);
  return {
    name: graph.name,
    rows,
    showConnections: !graph.isChain,
    totalParams: totalParams + (optimizer?.params ?? 0),
    trainableParams,
    nonTrainableParams: totalParams - trainableParams,
    totalBytes: totalBytes + (optimizer?.bytes ?? 0),
    trainableBytes,
    optimizer,
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * Keras 3 counts an optimizer's variables once it is built (after its first step): one or two
 * slots per trainable parameter, plus `iterations` (int64, 8 B) and `learning_rate` (float32).
 * tfjs's optimizers have the same slots; `iterations` > 0 says a step was taken.
 */
function optimizerParams(
  model: tf.LayersModel,
  trainable: number,
  trainableBytes: number,
): { params: number; bytes: number } | undefined {
  const opt = model.optimizer as unknown as
    | { iterations?: number; getClassName?: () => string; momentum?: number; centered?: boolean }
    | undefined;
  if (!opt || !(Number(opt.iterations) > 0) || typeof opt.getClassName !== "function") return;
  const slots: Record<string, number> = {
    Adam: 2,
    Adamax: 2,
    Adadelta: 2,
    SGD: 0,
    Momentum: 1,
    Adagrad: 1,
    RMSProp: 1 + ((opt.momentum ?? 0) > 0 ? 1 : 0) + (opt.centered ? 1 : 0),
  };
  const k = slots[opt.getClassName()];
  if (k === undefined) return;
  return { params: k * trainable + 2, bytes: k * trainableBytes + 8 + 4 };
}

/** Pads to `w` code points (a cell's text may hold characters outside the BMP). */
const pad = (s: string, w: number, right = false) => {
  const fill = " ".repeat(Math.max(0, w - [...s].length));
  return right ? fill + s : s + fill;
};

/**
 * Wraps a cell as Keras's table (rich) does: words fill lines greedily, a word longer than the
 * column is cut with "…". Lengths count code points, so a cut never splits a character.
 */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== "").map((w) => [...w])) {
    if (line.length > 0 && line.length + 1 + word.length <= width) {
      line.push(" ");
      for (const ch of word) line.push(ch);
      continue;
    }
    if (line.length > 0) lines.push(line.join(""));
    line = word.length > width ? [...word.slice(0, width - 1), "…"] : word;
  }
  lines.push(line.join(""));
  return lines;
}

/**
 * Draws the summary as Keras 3's box table, with its column widths at 80 columns (a notebook's or
 * a pipe's): 31/22/13 for a chain, 19/17/10/17 with `Connected to`.
 */
function drawText(d: SummaryData): string {
  const headers = [
    "Layer (type)",
    "Output Shape",
    "Param #",
    ...(d.showConnections ? ["Connected to"] : []),
  ];
  const widths = d.showConnections ? [19, 17, 10, 17] : [31, 22, 13];
  const cells = d.rows.map((r) =>
    [
      r.layer,
      r.outputShape,
      r.params.toLocaleString("en-US"),
      ...(d.showConnections ? [r.connectedTo.join(", ") || "-"] : []),
    ].map((text, c) => wrapCell(text, widths[c]))
  );
  const right = (c: number) => c === 2;
  const line = (l: string, fill: string, mid: string, r: string) =>
    l + widths.map((w) => fill.repeat(w + 2)).join(mid) + r;
  const out = [`Model: "${d.name}"`, line("┏", "━", "┳", "┓")];
  out.push("┃" + headers.map((h, c) => ` ${pad(h, widths[c], right(c))} `).join("┃") + "┃");
  out.push(line("┡", "━", "╇", "┩"));
  cells.forEach((row, i) => {
    const height = maxOf(row, (cell) => cell.length, 0);
    for (let k = 0; k < height; k++) {
      out.push(
        "│" + row.map((cell, c) => ` ${pad(cell[k] ?? "", widths[c], right(c))} `).join("│") + "│",
      );
    }
    out.push(i < cells.length - 1 ? line("├", "─", "┼", "┤") : line("└", "─", "┴", "┘"));
  });
  for (const t of totals(d)) out.push(` ${t}`);
  return out.join("\n");
}

function totals(d: SummaryData): string[] {
  const n = (x: number) => x.toLocaleString("en-US");
  return [
    `Total params: ${n(d.totalParams)} (${readableSize(d.totalBytes)})`,
    `Trainable params: ${n(d.trainableParams)} (${readableSize(d.trainableBytes)})`,
    `Non-trainable params: ${n(d.nonTrainableParams)} (${
      readableSize(d.totalBytes - d.trainableBytes - (d.optimizer?.bytes ?? 0))
    })`,
    ...(d.optimizer
      ? [`Optimizer params: ${n(d.optimizer.params)} (${readableSize(d.optimizer.bytes)})`]
      : []),
    ...(d.note ? [`Note: ${d.note.replace(/^deepNN: /, "")}`] : []),
  ];
}

function drawHTML(d: SummaryData): string {
  const th = (s: string, right = false) =>
    `<th style="text-align:${right ? "right" : "left"}">${escapeXml(s)}</th>`;
  const td = (s: string, right = false) =>
    `<td style="text-align:${right ? "right" : "left"}">${s}</td>`;
  const head = [
    th("Layer (type)"),
    th("Output Shape"),
    th("Param #", true),
    ...(d.showConnections ? [th("Connected to")] : []),
  ];
  const body = d.rows.map((r) =>
    "<tr>" + [
      td(escapeXml(r.layer)),
      td(escapeXml(r.outputShape)),
      td(r.params.toLocaleString("en-US"), true),
      ...(d.showConnections ? [td(escapeXml(r.connectedTo.join(", ")) || "-")] : []),
    ].join("") + "</tr>"
  );
  return `<div class="dlnb-summary"><p><b>Model: "${escapeXml(d.name)}"</b></p>` +
    `<table><thead><tr>${head.join("")}</tr></thead><tbody>${body.join("")}</tbody></table>` +
    `<p>${totals(d).map(escapeXml).join("<br>")}</p></div>`;
}

/**
 * The model's summary in Keras 3's layout, as text and an HTML table. Ending a notebook cell
 * with it renders the table; `String(summary(model))` gives the text.
 *
 * @example
 * ```ts
 * import { summary } from "./summary.ts";
 * import { deepNN } from "../build/models.ts";
 * console.log(String(summary(deepNN({ features: 10 })))); // ... Total params: 91 (364.00 B)
 * ```
 */
export function summary(model: tf.LayersModel): TextTable {
  const data = computeSummary("summary", model);
  return new TextTable(drawText(data), drawHTML(data));
}
