/**
 * Deep learning notebooks for Deno: the article "Neural Networks and Deep Learning with
 * Python" rebuilt on TensorFlow.js. Build a model, describe it, train it, evaluate it and
 * explain it; every result renders in Deno's Jupyter kernel and prints as text elsewhere.
 *
 * @example
 * ```ts
 * import { deepNN, summary } from "./mod.ts";
 * const model = deepNN({ features: 10, seed: 42 });
 * console.log(String(summary(model)));
 * ```
 *
 * @module
 */
export { backendChoice, type BackendName, type TensorFlow, tf, useBackend } from "./core/tf.ts";
export { ArgumentError } from "./core/errors.ts";
export {
  type Displayable,
  Figure,
  inKernel,
  JUPYTER_DISPLAY,
  LiveOutput,
  type MimeBundle,
  show,
  TextTable,
} from "./display/display.ts";
export { escapeXml } from "./core/escape.ts";
export {
  type Activation,
  type ActivationName,
  ACTIVATIONS,
  binaryStep,
} from "./build/activations.ts";
export {
  deepNN,
  type DeepNNOptions,
  hiddenUnits,
  type Initializer,
  perceptron,
  type PerceptronOptions,
  type Style,
  type Task,
} from "./build/models.ts";
export {
  formatShape,
  type LayerNode,
  type ModelGraph,
  modelGraph,
  type Shape,
} from "./build/graph.ts";
export { type LayerRecord, layerTable } from "./build/layer_table.ts";
export {
  readableSize,
  summary,
  type SummaryData,
  summaryData,
  type SummaryRow,
} from "./describe/summary.ts";
export { type Rng, rng } from "./core/random.ts";
export {
  type CollapsedMarker,
  type ColumnRole,
  type Connection,
  describeNetwork,
  type LegendItem,
  NETWORK_COLORS,
  type NetworkColumn,
  type NetworkGeometry,
  networkGeometry,
  type NetworkLegend,
  type NetworkLink,
  type NeuronCircle,
  renderNetworkSVG,
  type TextLine,
  visualizeNN,
  type VisualizeNNOptions,
} from "./describe/visualize_nn.ts";
export {
  type DiagramEdge,
  type DiagramNode,
  layoutDot,
  type ModelDiagram,
  modelDiagram,
  modelDot,
  plotModel,
  type PlotModelOptions,
  type RankDir,
} from "./describe/plot_model.ts";
export { loadModel, saveModel } from "./save/model_io.ts";
export {
  type BackgroundInfo,
  explain,
  type ExplainMethod,
  type ExplainOptions,
  type Explanation,
  type Link,
  MAX_BACKGROUND,
  MAX_EXACT_FEATURES,
  type PredictFn,
  type Row,
  type Summarize,
} from "./explain/explain.ts";
export {
  type ContributionRow,
  type ExplanationData,
  SHAP_COLORS,
  topContributions,
} from "./explain/shap_rows.ts";
export {
  type WaterfallData,
  type WaterfallOptions,
  waterfallPlot,
  type WaterfallRow,
  waterfallRows,
} from "./plot/waterfall_plot.ts";
export {
  type DecisionData,
  type DecisionOptions,
  decisionPlot,
  decisionRows,
  type DecisionStep,
} from "./plot/decision_plot.ts";
export { type BarOptions, barPlot, barRows } from "./plot/bar_plot.ts";
export {
  explainerShap,
  explainerShapData,
  type ExplainerShapOptions,
  type ExplainerShapResult,
} from "./explain/explainer_shap.ts";
export { EPSILON, f1, type MetricFn, precision, r2, recall } from "./train/metrics.ts";
export { type RandomData, randomData, type RandomDataOptions } from "./data/random_data.ts";
export { type Matrix, type Targets } from "./train/inputs.ts";
export {
  type ClassificationScores,
  classificationScores,
  evaluate,
  type EvaluateOptions,
  Evaluation,
  type EvaluationScores,
  type RegressionScores,
  regressionScores,
} from "./evaluate/evaluate.ts";
export {
  type History,
  train,
  TrainingHistory,
  type TrainOptions,
  type TrainParams,
} from "./train/train.ts";
export {
  type BatchCallback,
  type CompiledMetric,
  type EpochCallback,
  type EpochLogs,
  type TrainEngine,
  type TrainJob,
} from "./train/train_engine.ts";
export { type TrainPlan } from "./train/train_plan.ts";
export { tfjsEngine } from "./train/engine_tfjs.ts";
export { type HistoryLike, plotHistory, type PlotHistoryOptions } from "./plot/plot_history.ts";
export { VEGALITE_MIME, VegaLiteFigure, type VegaLiteSpec } from "./display/vega.ts";
export { fusedEngine } from "./train/engine_fused.ts";
