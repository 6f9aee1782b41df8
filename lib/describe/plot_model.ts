/**
 * Keras's `plot_model`: one node per layer (a small table with the layer's name, class and
 * shapes), one edge per connection, laid out by Graphviz (`@viz-js/viz`, Graphviz compiled to
 * WebAssembly). {@linkcode modelDiagram} gives the diagram as plain data, {@linkcode modelDot}
 * turns it into Graphviz DOT, and {@linkcode plotModel} lays it out and returns a
 * {@linkcode Figure}.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import type { Viz } from "../deps/viz.ts";
import { ArgumentError, checkBoolean, checkOneOf, checkOptions } from "../core/errors.ts";
import { Figure } from "../display/display.ts";
import { escapeXml } from "../core/escape.ts";
import { formatShapes, modelGraph } from "../build/graph.ts";
import { once } from "../core/once.ts";

/** Direction of the layout: top to bottom or left to right. */
export type RankDir = "TB" | "LR";

/** Options of {@linkcode plotModel} and {@linkcode modelDiagram}. */
export interface PlotModelOptions {
  /** Show input and output shapes. Default true. */
  showShapes?: boolean;
  /** Show layer names (else only classes). Default true. */
  showLayerNames?: boolean;
  /** Show each layer's dtype. Default false. */
  showDtype?: boolean;
  /** Show activations of layers that have one. Default false. */
  showLayerActivations?: boolean;
  /** Show whether each layer trains. Default false. */
  showTrainable?: boolean;
  /** `"TB"` (top to bottom, default) or `"LR"` (left to right). */
  rankdir?: RankDir;
  /** Title above the graph; `""` for none. Default: the model's name. */
  title?: string;
}

/** One node of the diagram: a layer drawn as a small table. */
export interface DiagramNode {
  /** Position in the model's topological order, from 0. */
  index: number;
  /** Layer name. */
  name: string;
  /** Layer class. */
  className: string;
  /** Header text: `name (Class)`, or `Class` without layer names. */
  header: string;
  /** Table rows below the header, each one or two cells of text. */
  rows: string[][];
  /** Header background colour. */
  fill: string;
}

/** One connection, by node index. */
export interface DiagramEdge {
  /** Index of the layer the tensor comes from. */
  from: number;
  /** Index of the layer it goes to. */
  to: number;
}

/** The layer diagram as plain data, before layout. */
export interface ModelDiagram {
  /** Model name. */
  name: string;
  /** Title above the graph (may be empty). */
  title: string;
  /** Layout direction. */
  rankdir: RankDir;
  /** One node per layer (Sequential models get their input node, as Keras draws it). */
  nodes: DiagramNode[];
  /** One edge per connection. */
  edges: DiagramEdge[];
}

const FONT_FAMILY = "Helvetica, Arial, sans-serif";
// Graphviz sizes text with Helvetica/Arial metrics only when the font is named alone; the
// fallback list is put back into the SVG afterwards.
const DOT_FONT = "Helvetica";
const FN = "plotModel";

/** Header colours, matching the neuron diagram's green input and blue neurons. */
const FILLS = { input: "#dff3df", dense: "#dde8f7", other: "#eeeeee" } as const;

interface CheckedOptions {
  showShapes: boolean;
  showLayerNames: boolean;
  showDtype: boolean;
  showLayerActivations: boolean;
  showTrainable: boolean;
  rankdir: RankDir;
  title: string | undefined;
}

function checkPlotOptions(fn: string, options: PlotModelOptions | undefined): CheckedOptions {
  const o = checkOptions(fn, options, {
    showShapes: true,
    showLayerNames: true,
    showDtype: true,
    showLayerActivations: true,
    showTrainable: true,
    rankdir: true,
    title: true,
  });
  if (o.title !== undefined && typeof o.title !== "string") {
    throw new ArgumentError(fn, "title", o.title, "a string");
  }
  return {
    showShapes: checkBoolean(fn, "showShapes", o.showShapes, true),
    showLayerNames: checkBoolean(fn, "showLayerNames", o.showLayerNames, true),
    showDtype: checkBoolean(fn, "showDtype", o.showDtype, false),
    showLayerActivations: checkBoolean(fn, "showLayerActivations", o.showLayerActivations, false),
    showTrainable: checkBoolean(fn, "showTrainable", o.showTrainable, false),
    rankdir: checkOneOf(fn, "rankdir", o.rankdir ?? "TB", ["TB", "LR"] as const),
    title: o.title,
  };
}

function buildDiagram(fn: string, model: tf.LayersModel, o: CheckedOptions): ModelDiagram {
  const graph = modelGraph(model, fn);
  const index = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    if (!index.has(n.name)) index.set(n.name, i);
  });
  const nodes = graph.nodes.map((n, i): DiagramNode => {
    const rows: string[][] = [];
    if (o.showShapes) {
      rows.push([
        `Input shape: ${formatShapes(n.inputShapes)}`,
        `Output shape: ${formatShapes(n.outputShapes)}`,
      ]);
    }
    if (o.showDtype) rows.push([`dtype: ${n.dtype}`]);
    if (o.showLayerActivations && n.activation !== null) rows.push([`Activation: ${n.activation}`]);
    if (o.showTrainable) rows.push([`Trainable: ${n.trainable}`]);
    return {
      index: i,
      name: n.name,
      className: n.className,
      header: o.showLayerNames ? `${n.name} (${n.className})` : n.className,
      rows,
      fill: n.className === "InputLayer" ? FILLS.input : n.units > 0 ? FILLS.dense : FILLS.other,
    };
  });
  const edges = graph.edges.flatMap((e) => {
    const from = index.get(e.from);
    const to = index.get(e.to);
    return from === undefined || to === undefined ? [] : [{ from, to }];
  });
  return { name: graph.name, title: o.title ?? graph.name, rankdir: o.rankdir, nodes, edges };
}

/**
 * Computes a model's layer diagram as plain data: node tables and edges, before layout.
 *
 * @example
 * ```ts
 * import { modelDiagram } from "./plot_model.ts";
 * import { deepNN } from "../build/models.ts";
 * const d = modelDiagram(deepNN({ features: 10 }));
 * d.nodes[1].header; // "h1 (Dense)"
 * d.nodes[1].rows; // [["Input shape: (None, 10)", "Output shape: (None, 6)"]]
 * d.edges.length; // 5
 * ```
 */
export function modelDiagram(model: tf.LayersModel, options?: PlotModelOptions): ModelDiagram {
  const fn = "modelDiagram";
  return buildDiagram(fn, model, checkPlotOptions(fn, options));
}

/** The header of a node: the layer name in bold, as Keras draws it. */
function headerHtml(node: DiagramNode): string {
  const suffix = ` (${node.className})`;
  return node.header.endsWith(suffix) && node.header.length > suffix.length
    ? `<b>${escapeXml(node.header.slice(0, -suffix.length))}</b>${escapeXml(suffix)}`
    : `<b>${escapeXml(node.header)}</b>`;
}

/**
 * A DOT attribute value: a plain identifier as is, anything else as a quoted string,
 * XML-escaped so no `"` ends it early and with backslashes as a character reference so
 * none escapes the closing quote.
 */
function dotValue(text: string): string {
  const plain = escapeXml(text);
  return /^[A-Za-z_][A-Za-z_0-9]*$/.test(plain) ? plain : `"${plain.replaceAll("\\", "&#92;")}"`;
}

/**
 * Writes a {@linkcode ModelDiagram} as Graphviz DOT with HTML-like table labels; all user
 * text is escaped, and nodes get the ids `layer_<index>`, edges `edge_<index>`.
 *
 * @example
 * ```ts
 * import { modelDiagram, modelDot } from "./plot_model.ts";
 * import { perceptron } from "../build/models.ts";
 * modelDot(modelDiagram(perceptron())).startsWith("digraph model {"); // true
 * ```
 */
export function modelDot(diagram: ModelDiagram): string {
  if (!Array.isArray(diagram?.nodes) || !Array.isArray(diagram?.edges)) {
    throw new ArgumentError("modelDot", "diagram", diagram, "what modelDiagram() returns");
  }
  const lines = [
    "digraph model {",
    `  graph [rankdir=${
      dotValue(diagram.rankdir)
    } fontname="${DOT_FONT}" fontsize=14 nodesep=0.35 ranksep=0.45 bgcolor="white" labelloc=t${
      diagram.title ? ` label=<<b>${escapeXml(diagram.title)}</b>>` : ""
    }];`,
    `  node [shape=plain fontname="${DOT_FONT}" fontsize=11];`,
    `  edge [color="#555555" arrowsize=0.7];`,
  ];
  for (const node of diagram.nodes) {
    const width = Math.max(1, ...node.rows.map((r) => r.length));
    const cells = node.rows.map((row) =>
      "<tr>" +
      row.map((cell, k) => {
        const span = k === row.length - 1 && row.length < width ? ` colspan="${width - k}"` : "";
        return `<td${span}>${escapeXml(cell)}</td>`;
      }).join("") +
      "</tr>"
    );
    const header = `<tr><td colspan="${width}" bgcolor="${escapeXml(node.fill)}">${
      headerHtml(node)
    }</td></tr>`;
    lines.push(
      `  n${node.index} [id="layer_${node.index}" class="layer" label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">${header}${
        cells.join("")
      }</table>>];`,
    );
  }
  diagram.edges.forEach((e, i) => {
    lines.push(`  n${e.from} -> n${e.to} [id="edge_${i}" class="connection"];`);
  });
  lines.push("}");
  return lines.join("\n");
}

/** The Graphviz engine, started once (the WebAssembly module loads on first use). */
const graphviz: () => Promise<Viz> = once(() => import("../deps/viz.ts").then((m) => m.instance()));

/**
 * Lays out a DOT graph with Graphviz and returns its SVG as Graphviz writes it.
 *
 * @example
 * ```ts
 * import { layoutDot } from "./plot_model.ts";
 * const svg = await layoutDot("digraph { a -> b }");
 * svg.includes("<svg"); // true
 * ```
 */
export function layoutDot(dot: string): Promise<string> {
  // Not async: a bad argument throws at the call.
  if (typeof dot !== "string") throw new ArgumentError("layoutDot", "dot", dot, "a DOT string");
  return renderDot(dot);
}

async function renderDot(dot: string): Promise<string> {
  const viz = await graphviz();
  const result = viz.render(dot, { format: "svg" });
  if (result.status !== "success") {
    const messages = result.errors.map((e) => e.message).join("; ");
    throw new Error(`plotModel: Graphviz could not lay out the graph: ${messages}`);
  }
  return result.output;
}

/**
 * Turns Graphviz's SVG into a standalone, self-describing document: no DOCTYPE or
 * comments, fonts named on the root, and `data-layer`/`data-from`/`data-to` markers on
 * nodes and edges in place of Graphviz's ids.
 */
function finishSvg(svg: string, diagram: ModelDiagram): string {
  const name = (i: number) => escapeXml(diagram.nodes[i]?.name ?? "");
  const label = escapeXml(`Layer graph: ${diagram.title || diagram.name}`);
  let out = svg.slice(svg.indexOf("<svg"))
    .replace(/<!--[\s\S]*?-->\n?/g, "")
    .replace(
      /^<svg /,
      `<svg font-family="${FONT_FAMILY}" role="img" aria-label="${label}" `,
    )
    .replace(/font-family="[^"]*"/g, `font-family="${FONT_FAMILY}"`)
    .replace(/<g id="graph0" class="graph"/, `<g class="graph"`)
    .replace(/<title>model<\/title>/, `<title>${label}</title>`)
    .replace(/<g id="layer_(\d+)" class="([^"]*)">\n<title>n\d+<\/title>/g, (_, i, cls) => {
      const node = diagram.nodes[Number(i)];
      return `<g class="${cls}" data-index="${i}" data-layer="${name(Number(i))}" data-class="${
        escapeXml(node.className)
      }">\n<title>${escapeXml(`${node.name} (${node.className})`)}</title>`;
    })
    .replace(/<g id="edge_(\d+)" class="([^"]*)">\n<title>[^<]*<\/title>/g, (_, i, cls) => {
      const e = diagram.edges[Number(i)];
      return `<g class="${cls}" data-from="${name(e.from)}" data-to="${name(e.to)}">\n<title>${
        escapeXml(`${diagram.nodes[e.from].name} → ${diagram.nodes[e.to].name}`)
      }</title>`;
    });
  if (!out.endsWith("\n")) out += "\n";
  return out;
}

function describeDiagram(d: ModelDiagram): string {
  const lines = [
    `Layer graph of ${
      JSON.stringify(d.name)
    }: ${d.nodes.length} layers, ${d.edges.length} connections (${d.rankdir})`,
  ];
  for (const node of d.nodes) {
    const inbound = d.edges.filter((e) => e.to === node.index).map((e) => d.nodes[e.from].name);
    const details = node.rows.flat().join(", ");
    lines.push(
      `  ${node.header}${details ? `: ${details}` : ""}${
        inbound.length > 0 ? ` <- ${inbound.join(", ")}` : ""
      }`,
    );
  }
  return lines.join("\n");
}

/**
 * Draws a model's layer graph, as Keras's `plot_model` does: one node per layer with its
 * name, class and shapes (plus optional dtype, activation and trainable rows) and one edge
 * per connection, laid out by Graphviz so branching models come out clean. Async because
 * the layout engine loads on first use: `await plotModel(model)`.
 *
 * @example
 * ```ts
 * import { plotModel } from "./plot_model.ts";
 * import { deepNN } from "../build/models.ts";
 * const fig = await plotModel(deepNN({ features: 10 }), { showLayerActivations: true });
 * fig.toSVG().match(/class="node layer"/g)?.length; // 6
 * fig.save("model.svg");
 * ```
 */
export function plotModel(
  model: tf.LayersModel,
  options?: PlotModelOptions,
): Promise<Figure> {
  // Not async: a bad argument throws at the call, even when the caller forgets `await`.
  const diagram = buildDiagram(FN, model, checkPlotOptions(FN, options));
  return layoutDot(modelDot(diagram))
    .then((svg) => new Figure(finishSvg(svg, diagram), describeDiagram(diagram)));
}
