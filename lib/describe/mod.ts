/**
 * Describe: a model before training. The Keras-style {@linkcode summary}, the article's
 * neuron diagram ({@linkcode visualizeNN}) and Keras's layer graph ({@linkcode plotModel}).
 * Each has a plain-data twin ({@linkcode summaryData}, {@linkcode networkGeometry},
 * {@linkcode modelDiagram}) computed before anything is drawn.
 *
 * @example
 * ```ts
 * import { deepNN } from "../build/mod.ts";
 * import { networkGeometry, plotModel, summary, visualizeNN } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 10, seed: 42 });
 * assert.match(String(summary(model)), /Total params: 91 \(364\.00 B\)/);
 * assert.deepEqual(networkGeometry(model).columns.length, 6); // one column per layer, the input included
 * const dir = await Deno.makeTempDir(); // not the working folder
 * visualizeNN(model, { description: true }).save(`${dir}/diagram.svg`);
 * (await plotModel(model)).save(`${dir}/layers.svg`);
 * ```
 *
 * @module
 */
export { summary, type SummaryData, summaryData, type SummaryRow } from "./summary.ts";
export {
  type CollapsedMarker,
  type ColumnRole,
  type Connection,
  type LegendItem,
  type NetworkColumn,
  type NetworkGeometry,
  networkGeometry,
  type NetworkLegend,
  type NetworkLink,
  type NeuronCircle,
  type TextLine,
  visualizeNN,
  type VisualizeNNOptions,
} from "./visualize_nn.ts";
export {
  type DiagramEdge,
  type DiagramNode,
  type ModelDiagram,
  modelDiagram,
  plotModel,
  type PlotModelOptions,
  type RankDir,
} from "./plot_model.ts";
