/**
 * Deep learning notebooks for Deno: the article "Neural Networks and Deep Learning with
 * Python" rebuilt on TensorFlow.js. Build a model, describe it, train it, evaluate it and
 * explain it; every result renders in Deno's Jupyter kernel and prints as text elsewhere.
 *
 * This is the public surface: what a notebook or script calls and the plain-data types it
 * receives, re-exported by name from each step's door (`core/mod.ts`, `build/mod.ts`, ...).
 * Everything else in `lib/` is internal.
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

// core: tfjs and its backend, errors, seeded random numbers
export {
  ArgumentError,
  backendChoice,
  type BackendName,
  type Rng,
  rng,
  type TensorFlow,
  tf,
  useBackend,
} from "./core/mod.ts";

// display: values that render in the kernel and print as text elsewhere
export {
  type Displayable,
  Figure,
  inKernel,
  LiveOutput,
  type MimeBundle,
  show,
  TextTable,
  VegaLiteFigure,
  type VegaLiteSpec,
} from "./display/mod.ts";

// build: the article's models, and a model read back as plain data
export {
  type Activation,
  type ActivationName,
  ACTIVATIONS,
  binaryStep,
  deepNN,
  type DeepNNOptions,
  hiddenUnits,
  type Initializer,
  type LayerNode,
  type LayerRecord,
  LayerTable,
  layerTable,
  type ModelGraph,
  modelGraph,
  perceptron,
  type PerceptronOptions,
  type Shape,
  type Style,
  type Task,
} from "./build/mod.ts";

// data: the article's random data set, and tables of your own
export {
  type ColumnEncoding,
  type DataRecord,
  fromRecords,
  type FromRecordsOptions,
  type MissingPolicy,
  packageFile,
  type Preprocessing,
  type RandomData,
  randomData,
  type RandomDataOptions,
  readCSV,
  type ReadCSVOptions,
  readJSON,
  type ReadJSONOptions,
  type Rows,
  type Scaler,
  scalerFrom,
  type ScalerParams,
  type Split,
  type SplitInput,
  type SplitOptions,
  type SplitPart,
  standardize,
  type TableData,
  type TableEncoding,
  trainTestSplit,
  type Value,
} from "./data/mod.ts";

// describe: summary, neuron diagram, layer graph (each with its plain data)
export {
  type CollapsedMarker,
  type ColumnRole,
  type Connection,
  type DiagramEdge,
  type DiagramNode,
  type LegendItem,
  type ModelDiagram,
  modelDiagram,
  type NetworkColumn,
  type NetworkGeometry,
  networkGeometry,
  type NetworkLegend,
  type NetworkLink,
  type NeuronCircle,
  plotModel,
  type PlotModelOptions,
  type RankDir,
  summary,
  type SummaryData,
  summaryData,
  type SummaryRow,
  type TextLine,
  visualizeNN,
  type VisualizeNNOptions,
} from "./describe/mod.ts";

// train: fit, the article's metrics, the engine interface
export {
  type BatchCallback,
  type CompiledMetric,
  type EpochCallback,
  type EpochLogs,
  f1,
  type History,
  Interrupted,
  lastHistory,
  type Matrix,
  type MetricFn,
  precision,
  r2,
  recall,
  type Targets,
  train,
  type TrainEngine,
  TrainingHistory,
  type TrainJob,
  type TrainOptions,
  type TrainParams,
  type TrainPlan,
} from "./train/mod.ts";

// evaluate: scikit-learn's scores over all rows
export {
  type ClassificationScores,
  classificationScores,
  type ClassScores,
  evaluate,
  type EvaluateOptions,
  Evaluation,
  type EvaluationScores,
  type MulticlassScores,
  multiclassScores,
  type RegressionScores,
  regressionScores,
} from "./evaluate/mod.ts";

// explain: Shapley values, and the article's explainer helper
export {
  type BackgroundInfo,
  explain,
  type ExplainedOutput,
  explainerShap,
  explainerShapData,
  type ExplainerShapOptions,
  type ExplainerShapResult,
  type ExplainMethod,
  type ExplainOptions,
  type Explanation,
  type Link,
  type PredictFn,
  type Row,
  type Summarize,
} from "./explain/mod.ts";

// plot: SHAP plots and training curves, drawn from plain data
export {
  type BarOptions,
  barPlot,
  barRows,
  type ContributionRow,
  type DecisionData,
  type DecisionOptions,
  decisionPlot,
  decisionRows,
  type DecisionStep,
  type ExplanationData,
  type HistoryLike,
  plotHistory,
  type PlotHistoryOptions,
  type WaterfallData,
  type WaterfallOptions,
  waterfallPlot,
  type WaterfallRow,
  waterfallRows,
} from "./plot/mod.ts";

// predict: new rows in, plain numbers out; a model that carries its preprocessing
export {
  attachPreprocessing,
  modelPreprocessing,
  predict,
  Predictions,
  type PredictionsData,
  type PredictOptions,
  type PredictRows,
  type PreprocessingSource,
} from "./predict/mod.ts";

// save: models on disk, in tfjs's Layers format
export { loadModel, type LoadModelOptions, saveModel } from "./save/mod.ts";
