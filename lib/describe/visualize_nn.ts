/**
 * The article's `visualize_nn` neuron diagram: one column of circles per layer, links between
 * them, optional descriptions and trained weights. {@linkcode networkGeometry} gives the
 * picture as plain data, {@linkcode describeNetwork} as text, and {@linkcode visualizeNN}
 * draws it with `renderNetworkSVG` (lib/plot) and returns a {@linkcode Figure}.
 *
 * @module
 */
import { withText } from "../core/text.ts";
import type { tf } from "../core/tf.ts";
import {
  ArgumentError,
  checkBoolean,
  checkInt,
  checkNumber,
  checkOptions,
} from "../core/errors.ts";
import { Figure } from "../display/display.ts";
import type { NetworkGeometry } from "../plot/network_types.ts";
import { checkGeometry, renderNetworkSVG } from "../plot/network_svg.ts";
import { type CheckedNetworkOptions, formatWeight, layoutNetwork } from "./network_geometry.ts";

export type {
  CollapsedMarker,
  ColumnRole,
  Connection,
  LegendItem,
  NetworkColumn,
  NetworkGeometry,
  NetworkLegend,
  NetworkLink,
  NeuronCircle,
  TextLine,
} from "../plot/network_types.ts";
import { plural } from "../core/words.ts";
export { DRAWING_BUDGET, NETWORK_COLORS } from "./network_geometry.ts";

/** Options of {@linkcode visualizeNN} and {@linkcode networkGeometry}. */
export interface VisualizeNNOptions {
  /** Write each layer's name and formula above it, as the article does. Default false. */
  description?: boolean;
  /** Colour links by the weight's sign and size them by its magnitude. Default false. */
  weights?: boolean;
  /** Most neurons drawn per column; wider layers are collapsed. At least 2. Default 12. */
  maxNeurons?: number;
  /** Width in pixels (100 to 20000). Default: from the number of columns. */
  width?: number;
  /** Height in pixels (100 to 20000). Default: from the tallest column. */
  height?: number;
  /** Title above the diagram; `""` for none. Default: the model's name. */
  title?: string;
}

function checkVisualizeOptions(
  fn: string,
  options: VisualizeNNOptions | undefined,
): CheckedNetworkOptions {
  const o = checkOptions(fn, options, {
    description: true,
    weights: true,
    maxNeurons: true,
    width: true,
    height: true,
    title: true,
  });
  const size = (argument: "width" | "height") =>
    o[argument] === undefined ? undefined : checkNumber(fn, argument, o[argument], 100, 20000);
  if (o.title !== undefined && typeof o.title !== "string") {
    throw new ArgumentError(fn, "title", o.title, "a string");
  }
  return {
    description: checkBoolean(fn, "description", o.description, false),
    weights: checkBoolean(fn, "weights", o.weights, false),
    maxNeurons: checkInt(fn, "maxNeurons", o.maxNeurons ?? 12, 2),
    width: size("width"),
    height: size("height"),
    title: o.title,
  };
}

/**
 * Computes the neuron diagram of a model as plain data: columns, circles, links,
 * description lines, collapsed-column markers and the weights legend.
 *
 * @example
 * ```ts
 * import { networkGeometry } from "./visualize_nn.ts";
 * import { perceptron } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * const g = networkGeometry(perceptron());
 * assert.deepEqual([g.circles.length, g.links.length], [4, 3]);
 * assert.deepEqual(g.circles.map((c) => c.label), ["X1", "X2", "X3", "y1"]);
 * ```
 */
export function networkGeometry(
  model: tf.LayersModel,
  options?: VisualizeNNOptions,
): NetworkGeometry {
  const fn = "networkGeometry";
  return withText(layoutNetwork(fn, model, checkVisualizeOptions(fn, options)), describeNetwork);
}

/**
 * A text description of a {@linkcode NetworkGeometry}: one line per column, then what the
 * links show.
 *
 * @example
 * ```ts
 * import { describeNetwork, networkGeometry } from "./visualize_nn.ts";
 * import { perceptron } from "../build/models.ts";
 * describeNetwork(networkGeometry(perceptron())).split("\n")[0];
 * // 'Neural network diagram of "Perceptron": 2 columns, 4 neurons, 3 links'
 * ```
 */
export function describeNetwork(geometry: NetworkGeometry): string {
  checkGeometry("describeNetwork", geometry);
  const g = geometry;
  const lines = [
    `Neural network diagram of ${JSON.stringify(g.name)}: ${plural(g.columns.length, "column")}, ${
      plural(g.circles.length, "neuron")
    }, ${plural(g.links.length, "link")}`,
  ];
  const heads = g.columns.map((c) => `${c.name} (${c.className})`);
  const pad = heads.reduce((a, h) => Math.max(a, h.length), 0);
  for (const c of g.columns) {
    const prefix = c.role === "input" ? "X" : c.role === "output" ? "y" : "H";
    const what = c.role === "input"
      ? `${c.size} input${c.size === 1 ? "" : "s"}`
      : c.neuronless
      ? `${c.size} outputs, linked one-to-one`
      : `${c.size} neuron${c.size === 1 ? "" : "s"}${
        c.activation ? `, ${c.activation}` : ""
      }, fully connected`;
    const range = c.size === 1 ? `${prefix}1` : `${prefix}1..${prefix}${c.size}`;
    const shown = c.hidden > 0
      ? `, ${c.drawn} drawn (${range}, +${c.hidden} collapsed)`
      : `, ${range}`;
    lines.push(`  ${heads[c.index].padEnd(pad)}  ${what}${shown}`);
  }
  if (g.legend) {
    lines.push(
      `Links show weights: blue positive, orange negative, wider and darker for larger |w| (max ${
        formatWeight(g.legend.maxAbsWeight)
      }).`,
    );
  }
  if (g.note) lines.push(`note: ${g.note.text}`);
  return lines.join("\n");
}

/**
 * Draws a model as the article's neuron diagram: one column of circles per layer (plus the
 * input column of a Sequential model), links between them, and optionally each layer's
 * formula (`description`) and trained weights (`weights`). Columns wider than `maxNeurons`
 * show their first and last neurons, an ellipsis and a `+N` count. Models that are not a
 * single chain of dense layers are rejected with a pointer to `plotModel`.
 *
 * @example
 * ```ts
 * import { visualizeNN } from "./visualize_nn.ts";
 * import { deepNN } from "../build/models.ts";
 * const fig = visualizeNN(deepNN({ features: 10 }), { description: true });
 * fig.toSVG().match(/class="link"/g)?.length; // 90
 * const dir = await Deno.makeTempDir(); // not the working folder
 * fig.save(`${dir}/deepnn.svg`);
 * ```
 */
export function visualizeNN(model: tf.LayersModel, options?: VisualizeNNOptions): Figure {
  const fn = "visualizeNN";
  const geometry = layoutNetwork(fn, model, checkVisualizeOptions(fn, options));
  return new Figure(renderNetworkSVG(geometry), describeNetwork(geometry));
}
