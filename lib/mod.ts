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
export { backendChoice, type BackendName, type TensorFlow, tf, useBackend } from "./tf.ts";
export { ArgumentError } from "./errors.ts";
export {
  type Displayable,
  Figure,
  inKernel,
  JUPYTER_DISPLAY,
  LiveOutput,
  type MimeBundle,
  show,
  TextTable,
} from "./display.ts";
export { escapeXml } from "./escape.ts";
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
export { formatShape, type LayerNode, type ModelGraph, modelGraph, type Shape } from "./graph.ts";
export { type LayerRecord, layerTable } from "./layer_table.ts";
export {
  readableSize,
  summary,
  type SummaryData,
  summaryData,
  type SummaryRow,
} from "./summary.ts";
export { type Rng, rng } from "./random.ts";
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
} from "./visualize_nn.ts";
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
} from "./plot_model.ts";
export { loadModel, saveModel } from "./io.ts";
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
} from "./explain.ts";
export {
  type ContributionRow,
  type ExplanationData,
  SHAP_COLORS,
  topContributions,
} from "./shap_rows.ts";
export {
  type WaterfallData,
  type WaterfallOptions,
  waterfallPlot,
  type WaterfallRow,
  waterfallRows,
} from "./waterfall_plot.ts";
export {
  type DecisionData,
  type DecisionOptions,
  decisionPlot,
  decisionRows,
  type DecisionStep,
} from "./decision_plot.ts";
export { type BarOptions, barPlot, barRows } from "./bar_plot.ts";
export {
  explainerShap,
  explainerShapData,
  type ExplainerShapOptions,
  type ExplainerShapResult,
} from "./explainer_shap.ts";
export { EPSILON, f1, type MetricFn, precision, r2, recall } from "./metrics.ts";
export { type RandomData, randomData, type RandomDataOptions } from "./data.ts";
export { type Matrix, type Targets } from "./inputs.ts";
export {
  type ClassificationScores,
  classificationScores,
  evaluate,
  type EvaluateOptions,
  Evaluation,
  type EvaluationScores,
  type RegressionScores,
  regressionScores,
} from "./evaluate.ts";
export {
  type History,
  train,
  TrainingHistory,
  type TrainOptions,
  type TrainParams,
} from "./train.ts";
export {
  type CompiledMetric,
  type EpochCallback,
  type EpochLogs,
  type TrainEngine,
  type TrainJob,
} from "./train_engine.ts";
export { type TrainPlan } from "./train_plan.ts";
export { tfjsEngine } from "./engine_tfjs.ts";
export { type HistoryLike, plotHistory, type PlotHistoryOptions } from "./plot_history.ts";
export { VEGALITE_MIME, VegaLiteFigure, type VegaLiteSpec } from "./vega.ts";
export { fusedEngine } from "./engine_fused.ts";
