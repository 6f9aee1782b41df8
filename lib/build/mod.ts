/**
 * Build: the article's networks as tfjs models (the perceptron and the DeepNN, Sequential
 * or functional), its binary step activation, and each model read back as plain data: the
 * layer graph and the article's layer table.
 *
 * @example
 * ```ts
 * import { deepNN, layerTable, modelGraph, perceptron } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 10, seed: 42 }); // h1 (6 relu), drop1, h2 (3 relu), drop2, output
 * assert.deepEqual(modelGraph(model).nodes.map((n) => n.name), ["input", "h1", "drop1", "h2", "drop2", "output"]);
 * layerTable(perceptron({ initializer: "ones" }))[1].weights; // [[1], [1], [1]]
 * ```
 *
 * @module
 */
export { type Activation, type ActivationName, ACTIVATIONS, binaryStep } from "./activations.ts";
export {
  deepNN,
  type DeepNNOptions,
  hiddenUnits,
  type Initializer,
  perceptron,
  type PerceptronOptions,
  type Style,
  type Task,
} from "./models.ts";
export { type LayerNode, type ModelGraph, modelGraph, type Shape } from "./graph.ts";
export { type LayerRecord, LayerTable, layerTable } from "./layer_table.ts";
