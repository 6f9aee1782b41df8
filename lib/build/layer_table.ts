/**
 * The article's `utils_nn_config` as typed plain data: one record per layer, the input
 * included, with the layer's weights and biases.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { type ModelGraph, modelGraph } from "./graph.ts";

/** One layer, as the article's `utils_nn_config` describes it. */
export interface LayerRecord {
  /** Layer name. */
  name: string;
  /** Layer class, e.g. `Dense`. */
  className: string;
  /** Size of the layer's input (last dimension; summed over several inputs). */
  inputs: number;
  /** Units of a Dense layer, else 0. */
  neurons: number;
  /** Size of the layer's output (last dimension). */
  outputs: number;
  /** Activation name, or `null` for layers without one. */
  activation: string | null;
  /** Kernel as `inputs` rows of `neurons` values, or `null`. */
  weights: number[][] | null;
  /** Bias, one value per neuron, or `null`. */
  bias: number[] | null;
}

function lastDim(shape: (number | null)[] | undefined): number {
  return shape && shape.length > 0 ? (shape[shape.length - 1] ?? 0) : 0;
}

/**
 * Describes a model layer by layer, as the article's `utils_nn_config` does.
 *
 * @example
 * ```ts
 * import { layerTable } from "./layer_table.ts";
 * import { perceptron } from "./models.ts";
 * const rows = layerTable(perceptron({ initializer: "ones" }));
 * rows.map((r) => [r.name, r.inputs, r.neurons, r.outputs]); // [["input", 3, 0, 3], ["dense", 3, 1, 1]]
 * rows[1].weights; // [[1], [1], [1]]
 * ```
 */
export function layerTable(model: tf.LayersModel): LayerRecord[] {
  return layerRecords(modelGraph(model, "layerTable"), model, true);
}

/**
 * The records of an already computed graph; without `withWeights`, weights and bias stay
 * `null` (copying a 10,000 x 10,000 kernel into arrays takes seconds a diagram may not need).
 */
export function layerRecords(
  graph: ModelGraph,
  model: tf.LayersModel,
  withWeights: boolean,
): LayerRecord[] {
  const layers = new Map(model.layers.map((l) => [l.name, l]));
  return graph.nodes.map((node) => {
    const layer = layers.get(node.name);
    let weights: number[][] | null = null;
    let bias: number[] | null = null;
    if (withWeights && layer && node.units > 0 && layer.weights.length > 0) {
      const [kernel, b] = layer.getWeights();
      const [rows, cols] = kernel.shape;
      const flat = kernel.dataSync();
      weights = Array.from(
        { length: rows },
        (_, r) => Array.from(flat.subarray(r * cols, (r + 1) * cols)),
      );
      bias = b ? Array.from(b.dataSync()) : null;
    }
    return {
      name: node.name,
      className: node.className,
      inputs: node.inputShapes.reduce((n, s) => n + lastDim(s), 0),
      neurons: node.units,
      outputs: lastDim(node.outputShapes[0]),
      activation: node.activation,
      weights,
      bias,
    };
  });
}
