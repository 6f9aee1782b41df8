/**
 * Keras's `plot_model`: one node per layer (a small table with the layer's name, class and
 * shapes), one edge per connection. {@linkcode modelDiagram} gives the diagram as plain data
 * before layout, {@linkcode describeDiagram} as text, and {@linkcode plotModel} lays it out
 * with Graphviz (`renderModelGraph` in lib/plot) and returns a {@linkcode Figure}.
 *
 * @module
 */
import { withText } from "../core/text.ts";
import type { tf } from "../core/tf.ts";
import { ArgumentError, checkBoolean, checkOneOf, checkOptions } from "../core/errors.ts";
import { formatShapes, graphFor } from "../build/graph.ts";
import { Figure } from "../display/display.ts";
import type { DiagramNode, ModelDiagram, RankDir } from "../plot/model_graph.ts";
import { renderModelGraph } from "../plot/model_graph.ts";
import { plural } from "../core/words.ts";

export type { DiagramEdge, DiagramNode, ModelDiagram, RankDir } from "../plot/model_graph.ts";

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
  const graph = graphFor(fn, model);
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
 * import assert from "node:assert/strict";
 * const d = modelDiagram(deepNN({ features: 10 }));
 * assert.deepEqual(d.nodes[1].header, "h1 (Dense)");
 * d.nodes[1].rows; // [["Input shape: (None, 10)", "Output shape: (None, 6)"]]
 * assert.deepEqual(d.edges.length, 5);
 * ```
 */
export function modelDiagram(model: tf.LayersModel, options?: PlotModelOptions): ModelDiagram {
  const fn = "modelDiagram";
  return withText(buildDiagram(fn, model, checkPlotOptions(fn, options)), describeDiagram);
}

/**
 * A text description of a {@linkcode ModelDiagram}: one line per layer with its rows and the
 * layers feeding it.
 *
 * @example
 * ```ts
 * import { describeDiagram, modelDiagram } from "./plot_model.ts";
 * import { perceptron } from "../build/models.ts";
 * describeDiagram(modelDiagram(perceptron())).split("\n")[0];
 * // 'Layer graph of "Perceptron": 2 layers, 1 connections (TB)'
 * ```
 */
export function describeDiagram(d: ModelDiagram): string {
  const lines = [
    `Layer graph of ${JSON.stringify(d.name)}: ${plural(d.nodes.length, "layer")}, ${
      plural(d.edges.length, "connection")
    } (${d.rankdir})`,
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
 * const dir = await Deno.makeTempDir(); // not the working folder
 * fig.save(`${dir}/model.svg`);
 * ```
 */
export function plotModel(
  model: tf.LayersModel,
  options?: PlotModelOptions,
): Promise<Figure> {
  const fn = "plotModel";
  // Not async: a bad argument throws at the call, not in the promise.
  const diagram = buildDiagram(fn, model, checkPlotOptions(fn, options));
  return renderModelGraph(diagram).then((svg) => new Figure(svg, describeDiagram(diagram)));
}
