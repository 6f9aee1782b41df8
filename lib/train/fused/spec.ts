/**
 * What the fused engine understands of a model: a chain of Dense and Dropout layers, its loss,
 * metrics and optimizer, read into plain data ({@linkcode FusedSpec}), or one line saying why
 * the engine cannot run it.
 *
 * @module
 */
import { tf } from "../../core/tf.ts";
import { f1, type MetricFn, precision, r2, recall } from "../metrics.ts";
import type { TrainJob } from "../engine.ts";
import { plural } from "../../core/words.ts";

export const LINEAR = 0, RELU = 1, SIGMOID = 2, TANH = 3, SOFTMAX = 4;
export const ACTIVATIONS: Readonly<Record<string, number>> = {
  linear: LINEAR,
  relu: RELU,
  sigmoid: SIGMOID,
  tanh: TANH,
  softmax: SOFTMAX,
};

export const BCE = 0, CCE = 1, MSE = 2, MAE = 3, SCCE = 4;
export const LOSSES: Readonly<Record<string, number>> = {
  binaryCrossentropy: BCE,
  categoricalCrossentropy: CCE,
  sparseCategoricalCrossentropy: SCCE,
  meanSquaredError: MSE,
  meanAbsoluteError: MAE,
};

export const M_BINARY_ACCURACY = 0,
  M_CATEGORICAL_ACCURACY = 1,
  M_PRECISION = 2,
  M_RECALL = 3,
  M_F1 = 4,
  M_R2 = 5,
  M_MSE = 6,
  M_MAE = 7,
  M_BCE = 8,
  M_CCE = 9,
  M_SPARSE_CATEGORICAL_ACCURACY = 10,
  M_SCCE = 11;

/** The lib's metric functions, by identity. */
export const LIB_METRICS: ReadonlyMap<MetricFn, number> = new Map([
  [precision, M_PRECISION],
  [recall, M_RECALL],
  [f1, M_F1],
  [r2, M_R2],
]);

/** A tfjs-layers weight (`LayerVariable`), as far as the engine uses it. */
export interface LayerWeight {
  readonly name: string;
  readonly shape: number[];
  readonly trainable: boolean;
  read(): tf.Tensor;
  /** Assigns `value` (tfjs's LayerVariable.write: shape check, then the constraint if any). */
  write(value: tf.Tensor): unknown;
}

/** The fields of a tfjs Dense layer the engine reads. */
export interface DenseFields {
  units: number;
  useBias: boolean;
  kernel: LayerWeight | null;
  bias: LayerWeight | null;
  activation: { getClassName(): string } | null;
  kernelRegularizer?: unknown;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
}

/** The fields of tfjs's AdamOptimizer the engine reads and writes (protected in its types). */
export interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  iterations_?: number;
}

export interface DenseOp {
  readonly kind: "dense";
  readonly layer: tf.layers.Layer;
  readonly inputs: number;
  readonly units: number;
  readonly activation: number;
  readonly useBias: boolean;
  /** Index of the kernel (and bias) in the model's trainable weights = optimizer slots. */
  readonly kernelSlot: number;
  readonly biasSlot: number;
}

export interface DropoutOp {
  readonly kind: "dropout";
  readonly width: number;
  readonly rate: number;
}

export type Op = DenseOp | DropoutOp;

export interface OptimizerSpec {
  readonly kind: "adam" | "sgd";
  readonly optimizer: tf.Optimizer;
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** A job the fused engine can run. */
export interface FusedSpec {
  readonly ops: readonly Op[];
  readonly loss: number;
  readonly metrics: readonly number[];
  readonly optimizer: OptimizerSpec;
  /** The model's trainable weights in the optimizer's order. */
  readonly trainables: readonly LayerWeight[];
  /** The model's output width (the last Dense layer's units). */
  readonly outputs: number;
}

/** The LayersModel that owns the compiled state (a Sequential keeps it in `.model`). */
function compiledModel(model: tf.LayersModel): tf.LayersModel {
  const inner = (model as unknown as { model?: tf.LayersModel }).model;
  return model instanceof tf.Sequential && inner ? inner : model;
}

function quote(name: string): string {
  return JSON.stringify(name);
}

/** The layers as a chain of ops, or why they are not one. */
export function chainOps(model: tf.LayersModel, trainables: readonly LayerWeight[]): Op[] | string {
  const ops: Op[] = [];
  let width = model.inputs[0].shape[1] as number;
  const layers = model.layers;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const cls = layer.getClassName();
    if (cls === "InputLayer") {
      if (i !== 0) return `input layer ${quote(layer.name)} is not the first layer`;
      continue;
    }
    if (cls !== "Dense" && cls !== "Dropout") {
      return `layer ${quote(layer.name)} (${cls}): the fused engine runs Dense and Dropout ` +
        `layers only`;
    }
    if (layer.inboundNodes.length !== 1) {
      return `layer ${quote(layer.name)} is used ${layer.inboundNodes.length} times; ` +
        `the fused engine runs a plain chain of layers`;
    }
    const inbound = layer.inboundNodes[0].inboundLayers;
    const previous = i > 0 ? layers[i - 1] : null;
    const chained = inbound.length === 1 &&
      (previous ? inbound[0] === previous : inbound[0].getClassName() === "InputLayer");
    if (!chained) {
      return `layer ${quote(layer.name)} does not follow the previous layer; ` +
        `the fused engine runs a plain chain of layers`;
    }
    if (cls === "Dense") {
      const d = layer as unknown as DenseFields;
      const act = d.activation?.getClassName() ?? "linear";
      if (!(act in ACTIVATIONS)) {
        return `Dense layer ${quote(layer.name)} has activation ${quote(act)}; ` +
          `the fused engine runs ${Object.keys(ACTIVATIONS).join(", ")}`;
      }
      const extras = [
        ["kernel regularizer", d.kernelRegularizer],
        ["bias regularizer", d.biasRegularizer],
        ["activity regularizer", d.activityRegularizer],
        ["kernel constraint", d.kernelConstraint],
        ["bias constraint", d.biasConstraint],
      ].filter(([, v]) => v != null).map(([k]) => k);
      if (extras.length > 0) {
        return `Dense layer ${quote(layer.name)} has a ${extras[0]}; the fused engine has none`;
      }
      const kernel = d.kernel;
      const bias = d.useBias ? d.bias : null;
      const kernelSlot = kernel ? trainables.indexOf(kernel) : -1;
      const biasSlot = bias ? trainables.indexOf(bias) : -1;
      if (!layer.trainable || !kernel || kernelSlot < 0 || (bias && biasSlot < 0)) {
        return `Dense layer ${quote(layer.name)} is not trainable (frozen layers run on tfjs)`;
      }
      if (kernel.shape[0] !== width || kernel.shape[1] !== d.units) {
        return `Dense layer ${quote(layer.name)} has a kernel of shape [${kernel.shape}]`;
      }
      ops.push({
        kind: "dense",
        layer,
        inputs: width,
        units: d.units,
        activation: ACTIVATIONS[act],
        useBias: bias !== null,
        kernelSlot,
        biasSlot,
      });
      width = d.units;
    } else {
      const { rate, noiseShape } = layer as unknown as { rate: number; noiseShape?: unknown };
      if (noiseShape != null) {
        return `Dropout layer ${quote(layer.name)} has a noiseShape; the fused engine has none`;
      }
      // tfjs applies dropout only for 0 < rate < 1; anything else passes the input through.
      if (rate > 0 && rate < 1) ops.push({ kind: "dropout", width, rate });
    }
  }
  return ops;
}

export function lossCode(model: tf.LayersModel): number | string {
  let loss: unknown = model.loss;
  if (Array.isArray(loss) && loss.length === 1) loss = loss[0];
  if (typeof loss !== "string") {
    return `the loss is ${
      typeof loss === "function" ? "a custom function" : "not one loss name"
    }; the fused engine runs the tfjs loss names ${Object.keys(LOSSES).join(", ")}`;
  }
  if (!(loss in LOSSES)) {
    return `the loss ${quote(loss)} is not one of ${Object.keys(LOSSES).join(", ")}`;
  }
  return LOSSES[loss];
}

export function optimizerSpec(model: tf.LayersModel): OptimizerSpec | string {
  const optimizer = model.optimizer;
  if (optimizer == null) return "the model is not compiled";
  const proto = Object.getPrototypeOf(optimizer);
  if (proto === tf.AdamOptimizer.prototype) {
    const a = optimizer as unknown as AdamFields;
    return {
      kind: "adam",
      optimizer,
      learningRate: a.learningRate,
      beta1: a.beta1,
      beta2: a.beta2,
      epsilon: a.epsilon,
    };
  }
  if (proto === tf.SGDOptimizer.prototype) {
    const { learningRate } = optimizer as unknown as { learningRate: number };
    return { kind: "sgd", optimizer, learningRate, beta1: 0, beta2: 0, epsilon: 0 };
  }
  return `the optimizer is ${optimizer.getClassName()}; the fused engine runs Adam and SGD`;
}

/** tfjs's choice for "accuracy": binary for one output or a binary cross-entropy loss. */
export function metricCode(
  source: string | MetricFn,
  loss: number,
  outputs: number,
): number | string {
  if (typeof source === "function") {
    const code = LIB_METRICS.get(source);
    if (code !== undefined) return code;
    return `the metric ${quote(source.name || "(anonymous)")} is a custom function`;
  }
  const binary = outputs === 1 || loss === BCE;
  if (loss === SCCE && !binary) {
    // Integer labels: only the sparse metrics read them (tfjs picks these for "accuracy").
    switch (source) {
      case "accuracy":
      case "acc":
      case "sparseCategoricalAccuracy":
        return M_SPARSE_CATEGORICAL_ACCURACY;
      case "crossentropy":
      case "ce":
      case "sparseCategoricalCrossentropy":
        return M_SCCE;
    }
    return `the metric ${quote(source)} with integer labels is computed by tfjs only`;
  }
  switch (source) {
    case "accuracy":
    case "acc":
      return binary ? M_BINARY_ACCURACY : M_CATEGORICAL_ACCURACY;
    case "crossentropy":
    case "ce":
      return binary ? M_BCE : M_CCE;
    case "binaryAccuracy":
      return M_BINARY_ACCURACY;
    case "categoricalAccuracy":
      return M_CATEGORICAL_ACCURACY;
    case "categoricalCrossentropy":
      return M_CCE;
    case "mse":
    case "MSE":
      return M_MSE;
    case "mae":
    case "MAE":
      return M_MAE;
  }
  return `the metric ${quote(source)} is computed by tfjs only`;
}

/** Reads a job into a {@linkcode FusedSpec}, or returns why the engine cannot run it. */
export function analyze(job: TrainJob): FusedSpec | string {
  const model = job.model;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    return `the model has ${model.inputs.length} input(s) and ${model.outputs.length} ` +
      `output(s); the fused engine runs one of each`;
  }
  const inputShape = model.inputs[0].shape;
  if (inputShape.length !== 2 || inputShape[1] !== job.features) {
    return `the model's input shape [${inputShape}] is not [null, ${job.features}]`;
  }
  const compiled = compiledModel(model);
  const trainables = (compiled as unknown as { collectedTrainableWeights?: LayerWeight[] })
    .collectedTrainableWeights;
  if (!trainables || model.optimizer == null) return "the model is not compiled";
  const optimizer = optimizerSpec(model);
  if (typeof optimizer === "string") return optimizer;
  const loss = lossCode(model);
  if (typeof loss === "string") return loss;
  const ops = chainOps(model, trainables);
  if (typeof ops === "string") return ops;
  const dense = ops.filter((op): op is DenseOp => op.kind === "dense");
  if (dense.length === 0) return "the model has no Dense layer";
  const weights = dense.reduce((n, op) => n + (op.useBias ? 2 : 1), 0);
  if (weights !== trainables.length) {
    return `the model has ${
      plural(trainables.length, "trainable weight")
    } outside its Dense layers`;
  }
  const outputs = dense[dense.length - 1].units;
  if (loss === SCCE) {
    if (job.outputs !== 1) {
      return `sparseCategoricalCrossentropy takes one integer label per row, and the targets ` +
        `have ${job.outputs} columns`;
    }
  } else if (outputs !== job.outputs) {
    return `the model has ${plural(outputs, "output")} and the targets ${
      plural(job.outputs, "column")
    }`;
  }
  const metrics: number[] = [];
  for (const m of job.metrics) {
    const code = metricCode(m.source, loss, outputs);
    if (typeof code === "string") return code;
    metrics.push(code);
  }
  return { ops, loss, metrics, optimizer, trainables, outputs };
}

/** `n noun`, the noun plural unless n is 1 ("1 row", "2 rows"). */
