/**
 * The neuron diagram's geometry: where each column, circle, link, label and legend sample goes,
 * computed from a model as plain data ({@linkcode NetworkGeometry}) for `renderNetworkSVG`.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import { graphFor } from "../build/graph.ts";
import { type LayerRecord, layerRecords } from "../build/layer_table.ts";
import type {
  CollapsedMarker,
  ColumnRole,
  LegendItem,
  NetworkColumn,
  NetworkGeometry,
  NetworkLegend,
  NetworkLink,
  NeuronCircle,
  TextLine,
} from "../plot/network_types.ts";
import { fitText, shorten, textWidth } from "../core/text_width.ts";

/**
 * The diagram's colours: the article's (matplotlib names) for columns and links, and
 * TensorFlow Playground's blue/orange for the sign of a weight.
 *
 * @example
 * ```ts
 * import { NETWORK_COLORS } from "./network_geometry.ts";
 * import { networkGeometry } from "./visualize_nn.ts";
 * import { deepNN } from "../build/models.ts";
 * const g = networkGeometry(deepNN({ features: 4 }));
 * g.columns[2].fill === NETWORK_COLORS.neuronless; // true: drop1 is red
 * ```
 */
export const NETWORK_COLORS = {
  /** Circles of the input and output columns. */
  inputOutput: "limegreen",
  /** Circles of hidden columns. */
  hidden: "blue",
  /** Circles of layers without neurons (Dropout and the like). */
  neuronless: "red",
  /** Text and links of the input/output columns. */
  inputOutputText: "green",
  /** Positive weights. */
  positive: "#0877bd",
  /** Negative weights. */
  negative: "#e8710a",
} as const;

const FONT_FAMILY = "Helvetica, Arial, sans-serif";

/** {@linkcode VisualizeNNOptions} checked, with defaults. */
export interface CheckedNetworkOptions {
  description: boolean;
  weights: boolean;
  maxNeurons: number;
  width: number | undefined;
  height: number | undefined;
  title: string | undefined;
}

/** Checks the model can be drawn as a chain and returns its layer records. */
function chainRecords(fn: string, model: tf.LayersModel): LayerRecord[] {
  const graph = graphFor(fn, model);
  if (!graph.isChain) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${
        JSON.stringify(graph.name)
      } is not a single chain of layers (it branches, merges or has several inputs or outputs), so it has no neuron columns to draw; draw its layer graph with plotModel(model) instead`,
    );
  }
  // Only layers that map a vector to a vector have neuron columns: a Conv2D's 28x28x1 image
  // is not "1 input", and an RNN's sequence is not a column either.
  const flat = graph.nodes.find((n) => !DRAWABLE.has(n.className)) ??
    graph.nodes.find((n) => [...n.outputShapes, ...n.inputShapes].some((s) => s.length !== 2));
  if (flat) {
    const shape = flat.outputShapes[0] ?? [];
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(graph.name)} has layer ${
        JSON.stringify(flat.name)
      } (${flat.className}, output shape [${
        shape.map((d) => d ?? "null").join(", ")
      }]): visualizeNN draws dense networks only (Dense, Dropout and similar layers on flat vectors); draw its layer graph with plotModel(model) instead`,
    );
  }
  return layerRecords(graph, model, false);
}

/** Layers a neuron column can stand for: Dense, and layers that keep a vector's size. */
const DRAWABLE = new Set([
  "InputLayer",
  "Dense",
  "Dropout",
  "AlphaDropout",
  "GaussianDropout",
  "GaussianNoise",
  "Activation",
  "BatchNormalization",
  "LayerNormalization",
  "ReLU",
  "LeakyReLU",
  "PReLU",
  "ELU",
  "ThresholdedReLU",
  "Softmax",
]);

/**
 * A Dense layer's weight from neuron `from` to neuron `to`, read from the kernel's flat data
 * (the diagram only needs the drawn links; copying a 10,000 x 10,000 kernel took seconds).
 */
function kernelReader(
  model: tf.LayersModel,
  name: string,
): ((from: number, to: number) => number) | null {
  const layer = model.layers.find((l) => l.name === name);
  const kernel = layer?.getWeights()[0];
  if (!kernel || kernel.rank !== 2) return null;
  const flat = kernel.dataSync();
  const cols = kernel.shape[1]!;
  return (from, to) => flat[from * cols + to];
}

/** Which neurons of a layer of `size` are drawn, and the slot of each (a gap for the ellipsis). */
function drawnNeurons(size: number, maxNeurons: number): { neurons: number[]; gapAfter: number } {
  if (size <= maxNeurons) {
    return { neurons: Array.from({ length: size }, (_, i) => i), gapAfter: -1 };
  }
  const head = Math.ceil(maxNeurons / 2);
  const tail = maxNeurons - head;
  const neurons = Array.from({ length: head }, (_, i) => i);
  for (let i = size - tail; i < size; i++) neurons.push(i);
  return { neurons, gapAfter: head - 1 };
}

/** The article's description: the name, then `relu (`, `Σ10[X*w]+b`, `) = 6 out` for neurons. */
function descriptionLines(record: LayerRecord, index: number, last: boolean): string[] {
  const name = shorten(record.name, MAX_NAME);
  if (index === 0 || record.neurons === 0 || record.activation === null) return [name];
  return [
    name,
    `${record.activation} (`,
    `Σ${record.inputs}[X*w]+b`,
    `) = ${record.neurons} ${last ? "Y" : "out"}`,
  ];
}

/** Longest layer name in a description line; the SVG's `data-layer` keeps the whole name. */
const MAX_NAME = 32;

const round = (v: number) => Math.round(v * 100) / 100;

/** What a diagram may draw, in link-sized units (~150 bytes): an output stays under 1 MB. */
export const DRAWING_BUDGET = 4500;

/** Links plus circles drawn with `maxNeurons` per column; a circle and its label weigh ~4 links. */
function drawingSize(records: LayerRecord[], maxNeurons: number): number {
  const drawn = records.map((r) => Math.min(r.outputs, maxNeurons));
  let size = 4 * drawn.reduce((a, b) => a + b, 0);
  for (let i = 1; i < records.length; i++) {
    size += records[i].neurons === 0 ? drawn[i] : drawn[i - 1] * drawn[i];
  }
  return size;
}

export function layoutNetwork(
  fn: string,
  model: tf.LayersModel,
  o: CheckedNetworkOptions,
): NetworkGeometry {
  const records = chainRecords(fn, model);
  const count = records.length;
  const last = count - 1;
  // Collapse further when the drawing would pass the budget, and say so on the figure.
  let maxNeurons = o.maxNeurons;
  while (maxNeurons > 2 && drawingSize(records, maxNeurons) > DRAWING_BUDGET) maxNeurons--;
  if (drawingSize(records, maxNeurons) > DRAWING_BUDGET) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(model.name)} has ${count} layers: its neuron diagram would draw ` +
        `${drawingSize(records, maxNeurons)} units even with maxNeurons 2 (the limit ` +
        `is ${DRAWING_BUDGET}, to keep the output under 1 MB); use summary(model) to see its layers`,
    );
  }
  const noteText = maxNeurons < o.maxNeurons
    ? `maxNeurons lowered from ${o.maxNeurons} to ${maxNeurons} to keep the figure small`
    : null;
  const picks = records.map((r) => drawnNeurons(r.outputs, maxNeurons));
  const slots = picks.map((p) => p.neurons.length + (p.gapAfter >= 0 ? 1 : 0));
  const maxSlots = slots.reduce((a, b) => Math.max(a, b), 1);

  // Vertical bands: title, description lines, neurons, legend.
  const titleText = o.title ?? model.name;
  const titleBand = titleText ? 34 : 10;
  const lineGap = 14;
  const descBand = o.description ? 4 * lineGap + 10 : 0;
  const bottom = noteText ? 28 : 14;
  const top = titleBand + descBand;

  // Widths come from DejaVu Sans, the widest usual fallback for Helvetica and Arial.
  const descTexts = o.description ? records.map((r, i) => descriptionLines(r, i, i === last)) : [];
  const widest = (lines: string[]) => lines.reduce((w, t) => Math.max(w, textWidth(t, 11)), 0);
  const descWidths = descTexts.map(widest);
  const longest = descWidths.reduce((a, b) => Math.max(a, b), 0);
  // Descriptions are centred between columns, the input's on its column: half a gap apart.
  const firstPair = (descWidths[0] ?? 0) + (descWidths[1] ?? 0) + 16;
  const defaultGap = Math.max(120, longest + 16, firstPair);
  // The input column's description is centred on it: room for half of it on the left.
  const marginX = Math.max(46, Math.ceil((descWidths[0] ?? 0) / 2 + 8));
  const legendWidth = o.weights ? legendNaturalWidth() + 32 : 0;
  const width = o.width ?? Math.max(
    Math.round(2 * marginX + (count > 1 ? (count - 1) * defaultGap : 2 * defaultGap)),
    Math.ceil(legendWidth),
  );
  const legendRows = o.weights ? legendSlots(width).rows : 0;
  const legendBand = o.weights ? 14 + 18 * legendRows + 14 : 0;
  const height = o.height ?? Math.round(top + Math.max(160, maxSlots * 30) + legendBand + bottom);

  const plotHeight = Math.max(40, height - top - legendBand - bottom);
  const xGap = count > 1 ? (width - 2 * marginX) / (count - 1) : width - 2 * marginX;
  const yGap = plotHeight / maxSlots;
  const r = Math.min(14, Math.max(1.5, Math.min(yGap * 0.3, xGap * 0.12)));
  const labelSize = Math.min(11, Math.max(7, r * 1.2));
  const centreY = top + plotHeight / 2;
  const columnX = (i: number) => count > 1 ? marginX + i * xGap : width / 2;

  const columns: NetworkColumn[] = records.map((record, i) => {
    const neuronless = i > 0 && record.neurons === 0;
    const role: ColumnRole = i === 0 ? "input" : i === last ? "output" : "hidden";
    const inputOutput = role !== "hidden";
    return {
      index: i,
      name: record.name,
      className: record.className,
      activation: neuronless || i === 0 ? null : record.activation,
      role,
      neuronless,
      size: record.outputs,
      drawn: picks[i].neurons.length,
      hidden: record.outputs - picks[i].neurons.length,
      connection: i === 0 ? "none" : neuronless ? "oneToOne" : "dense",
      x: round(columnX(i)),
      fill: neuronless
        ? NETWORK_COLORS.neuronless
        : inputOutput
        ? NETWORK_COLORS.inputOutput
        : NETWORK_COLORS.hidden,
      textColor: neuronless
        ? NETWORK_COLORS.neuronless
        : inputOutput
        ? NETWORK_COLORS.inputOutputText
        : NETWORK_COLORS.hidden,
    };
  });

  // Neuron positions: slot k of a column with `slots` slots, centred vertically.
  const positions = picks.map((pick, i) => {
    const firstY = centreY - ((slots[i] - 1) / 2) * yGap;
    const ys = new Map<number, number>();
    pick.neurons.forEach((neuron, k) => {
      const slot = pick.gapAfter >= 0 && k > pick.gapAfter ? k + 1 : k;
      ys.set(neuron, round(firstY + slot * yGap));
    });
    return { ys, gapY: pick.gapAfter >= 0 ? firstY + (pick.gapAfter + 1) * yGap : null };
  });

  const circles: NeuronCircle[] = [];
  const collapsed: CollapsedMarker[] = [];
  for (const column of columns) {
    const x = column.x;
    const prefix = column.role === "input" ? "X" : column.role === "output" ? "y" : "H";
    for (const [neuron, y] of positions[column.index].ys) {
      const hiddenLabel = column.role === "hidden";
      circles.push({
        column: column.index,
        neuron,
        x,
        y,
        r: round(r),
        fill: column.fill,
        label: `${prefix}${neuron + 1}`,
        labelX: round(
          column.role === "input" ? x - r - 3 : hiddenLabel ? x + r * 0.75 + 1 : x + r + 3,
        ),
        labelY: round(hiddenLabel ? y - r * 0.75 - 1 : y + labelSize * 0.35),
        labelAnchor: column.role === "input" ? "end" : "start",
        labelSize: round(hiddenLabel ? labelSize * 0.9 : labelSize),
      });
    }
    const gapY = positions[column.index].gapY;
    if (gapY !== null) {
      const size = Math.min(14, Math.max(9, yGap * 0.8));
      collapsed.push({
        column: column.index,
        x,
        y: round(gapY),
        hidden: column.hidden,
        label: `+${column.hidden}`,
        labelX: round(x + Math.max(r, size * 0.3) + 3),
        size: round(size),
      });
    }
  }

  // Links among drawn neurons; dense layers carry a weight per link.
  const links: NetworkLink[] = [];
  for (const column of columns) {
    if (column.connection === "none") continue;
    const i = column.index;
    const from = positions[i - 1].ys;
    const to = positions[i].ys;
    const color = column.neuronless
      ? NETWORK_COLORS.neuronless
      : i === last
      ? NETWORK_COLORS.inputOutputText
      : NETWORK_COLORS.hidden;
    const weight = o.weights && records[i].neurons > 0
      ? kernelReader(model, records[i].name)
      : null;
    const x1 = columns[i - 1].x;
    const addLink = (
      fromNeuron: number,
      y1: number,
      toNeuron: number,
      y2: number,
      weight: number | null,
    ) =>
      links.push({
        fromColumn: i - 1,
        fromNeuron,
        toColumn: i,
        toNeuron,
        x1,
        y1,
        x2: column.x,
        y2,
        color,
        width: 1,
        opacity: 0.5,
        weight,
      });
    for (const [toNeuron, y2] of to) {
      if (column.connection === "oneToOne") {
        const y1 = from.get(toNeuron);
        if (y1 !== undefined) addLink(toNeuron, y1, toNeuron, y2, null);
        continue;
      }
      for (const [fromNeuron, y1] of from) {
        addLink(fromNeuron, y1, toNeuron, y2, weight ? weight(fromNeuron, toNeuron) : null);
      }
    }
  }

  let legend: NetworkLegend | null = null;
  if (o.weights) {
    let maxAbs = 0;
    for (const link of links) {
      if (link.weight !== null) maxAbs = Math.max(maxAbs, Math.abs(link.weight));
    }
    for (const link of links) {
      if (link.weight === null) continue;
      const t = maxAbs > 0 ? Math.abs(link.weight) / maxAbs : 0;
      link.color = link.weight >= 0 ? NETWORK_COLORS.positive : NETWORK_COLORS.negative;
      link.width = round(0.3 + 2.7 * t);
      link.opacity = round(0.2 + 0.7 * t);
    }
    const y0 = height - bottom - legendBand + 18;
    const slots = legendSlots(width);
    const items = LEGEND.map(([label, color, t], k): LegendItem => ({
      label,
      x1: slots.x[k],
      y: y0 + 18 * slots.row[k],
      x2: slots.x[k] + 28,
      color,
      width: round(0.3 + 2.7 * t),
      opacity: round(0.2 + 0.7 * t),
    }));
    const widestText = `widest: |w| = ${formatWeight(maxAbs)}`;
    const legendNote = `width and opacity grow with |w|; ${widestText}`;
    legend = {
      items,
      note: {
        text: textWidth(legendNote, 10) <= width - 32 ? legendNote : widestText,
        x: 16,
        y: y0 + 18 * (slots.rows - 1) + 22,
        color: "#333333",
        anchor: "start",
        size: 10,
        column: null,
      },
      maxAbsWeight: maxAbs,
    };
  }

  const descriptions: TextLine[] = descTexts.flatMap((lines, i) => {
    const x = i === 0 || count === 1 ? columns[0].x : (columns[i - 1].x + columns[i].x) / 2;
    return lines.map((text, k) => ({
      text,
      x: round(x),
      y: titleBand + 12 + k * lineGap,
      color: columns[i].textColor,
      anchor: "middle" as const,
      size: 11,
      column: i,
    }));
  });

  return {
    name: model.name,
    width,
    height,
    fontFamily: FONT_FAMILY,
    title: titleText
      ? {
        text: fitText(titleText, 15, width - 16, true),
        x: round(width / 2),
        y: 22,
        color: "#111111",
        anchor: "middle",
        size: 15,
        column: null,
      }
      : null,
    note: noteText
      ? {
        text: fitText(noteText, 10, width - 16),
        x: 8,
        y: height - 8,
        color: "#555555",
        anchor: "start",
        size: 10,
        column: null,
      }
      : null,
    columns,
    circles,
    links,
    descriptions,
    collapsed,
    legend,
  };
}

/** The weights legend's samples: label, colour and how strong a weight each stands for. */
const LEGEND: [string, string, number][] = [
  ["positive weight", NETWORK_COLORS.positive, 1],
  ["negative weight", NETWORK_COLORS.negative, 1],
  ["small |w|", "#555555", 0.1],
];
/** A sample's line, the gap to its label, and the space before the next sample. */
const legendItemWidth = (label: string) => 28 + 6 + textWidth(label, 10) + 18;

/** The legend on one row with its note: what a default width makes room for. */
function legendNaturalWidth(): number {
  const row = LEGEND.reduce((w, [label]) => w + legendItemWidth(label), 0);
  return Math.max(row, textWidth("width and opacity grow with |w|; widest: |w| = -0.00e+00", 10));
}

/** Where each legend sample goes in `width`: left to right, on a new row when full. */
function legendSlots(width: number): { x: number[]; row: number[]; rows: number } {
  const x: number[] = [], row: number[] = [];
  let at = 16, r = 0;
  for (const [label] of LEGEND) {
    const w = legendItemWidth(label);
    if (at > 16 && at + w - 18 > width - 16) {
      at = 16;
      r++;
    }
    x.push(at);
    row.push(r);
    at += w;
  }
  return { x, row, rows: r + 1 };
}

export function formatWeight(w: number): string {
  return Math.abs(w) >= 100 || (w !== 0 && Math.abs(w) < 0.01) ? w.toExponential(2) : w.toFixed(2);
}
