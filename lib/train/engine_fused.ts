/**
 * The `fused` training engine: runs a {@linkcode TrainJob} for a chain of Dense and Dropout
 * layers as one JavaScript training loop over preallocated `Float32Array` buffers, with the
 * math of tfjs's `model.fit` but without its per-op overhead (no tensors, no tape, no
 * allocation per step).
 *
 * What it computes, as tfjs does:
 * - Dense: `y = act(x · kernel + bias)`, activations linear, relu, sigmoid, tanh, softmax;
 *   the matrix products run in gemm.ts: a WebAssembly SIMD kernel accumulating in float32
 *   wherever SIMD is available (whatever tfjs backend is active), and JavaScript accumulating
 *   in float64 for short products (k < 16), odd shapes, or without SIMD. Every stored value is
 *   float32 and the elementwise steps are rounded to float32 as tfjs's are; the results match
 *   tfjs's fit to ~1e-6 on either backend (tests).
 * - Dropout: inverted dropout, kept units scaled by `1 / (1 - rate)`, masks drawn from
 *   `rng(plan.dropoutSeed)`; off during validation. (tfjs draws its masks from another
 *   stream, so only dropout-free runs match tfjs number for number.)
 * - Losses of tfjs-layers: binary cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7],
 *   no gradient where clipped), categorical cross-entropy (rows renormalised, clipped),
 *   mean squared and mean absolute error (`d|x|/dx` is -1 at 0, as tfjs's `step(x, -1)`).
 * - Optimizers: tfjs's Adam (`accBeta1`/`accBeta2` products, its epsilon, every operation
 *   rounded to float32 as tfjs's tensors are) and plain SGD.
 * - Logs: per-batch loss and metrics on the training batch (dropout on), averaged over the
 *   epoch weighted by batch size in float32 as tfjs's BaseLogger; validation after the last
 *   batch, in batches of `batchSize`, averaged the same way as tfjs's `testLoop`.
 *
 * State: the run starts from the model's own weights and its optimizer's state (Adam's
 * moments, `accBeta1`/`accBeta2` and the iteration count if the optimizer has already
 * trained, fresh zeros otherwise, exactly as a new tfjs optimizer starts). After every epoch
 * the weights are written back into the model before `onEpochEnd` runs (so a callback that
 * reads or evaluates the model sees the current weights); the optimizer state is written
 * back when the run ends (also when the callback throws, e.g. on an interrupt). If the loss
 * or the weights stop being finite, the run stops at that step with an error naming the
 * epoch, and the model keeps the weights and optimizer state of the last complete epoch
 * (nothing half-done is written).
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { rng } from "../core/random.ts";
import { Arena } from "./gemm.ts";
import { EPSILON, f1, type MetricFn, precision, r2, recall } from "./metrics.ts";
import { roundHalfEven } from "../core/numeric.ts";
import {
  type EpochCallback,
  type EpochLogs,
  historyKeys,
  lossError,
  type TrainEngine,
  type TrainJob,
} from "./train_engine.ts";

const fround = Math.fround;

// ---------------------------------------------------------------------------------------
// What the engine understands of a model (plain data; no tensors).

const LINEAR = 0, RELU = 1, SIGMOID = 2, TANH = 3, SOFTMAX = 4;
const ACTIVATIONS: Readonly<Record<string, number>> = {
  linear: LINEAR,
  relu: RELU,
  sigmoid: SIGMOID,
  tanh: TANH,
  softmax: SOFTMAX,
};

const BCE = 0, CCE = 1, MSE = 2, MAE = 3;
const LOSSES: Readonly<Record<string, number>> = {
  binaryCrossentropy: BCE,
  categoricalCrossentropy: CCE,
  meanSquaredError: MSE,
  meanAbsoluteError: MAE,
};

const M_BINARY_ACCURACY = 0,
  M_CATEGORICAL_ACCURACY = 1,
  M_PRECISION = 2,
  M_RECALL = 3,
  M_F1 = 4,
  M_R2 = 5,
  M_MSE = 6,
  M_MAE = 7,
  M_BCE = 8,
  M_CCE = 9;

/** The lib's metric functions, by identity. */
const LIB_METRICS: ReadonlyMap<MetricFn, number> = new Map([
  [precision, M_PRECISION],
  [recall, M_RECALL],
  [f1, M_F1],
  [r2, M_R2],
]);

/** A tfjs-layers weight (`LayerVariable`), as far as the engine uses it. */
interface LayerWeight {
  readonly name: string;
  readonly shape: number[];
  readonly trainable: boolean;
  read(): tf.Tensor;
}

/** The fields of a tfjs Dense layer the engine reads. */
interface DenseFields {
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
interface AdamFields {
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

interface DenseOp {
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

interface DropoutOp {
  readonly kind: "dropout";
  readonly width: number;
  readonly rate: number;
}

type Op = DenseOp | DropoutOp;

interface OptimizerSpec {
  readonly kind: "adam" | "sgd";
  readonly optimizer: tf.Optimizer;
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** A job the fused engine can run. */
interface FusedSpec {
  readonly ops: readonly Op[];
  readonly loss: number;
  readonly metrics: readonly number[];
  readonly optimizer: OptimizerSpec;
  /** The model's trainable weights in the optimizer's order. */
  readonly trainables: readonly LayerWeight[];
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
function chainOps(model: tf.LayersModel, trainables: readonly LayerWeight[]): Op[] | string {
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

function lossCode(model: tf.LayersModel): number | string {
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

function optimizerSpec(model: tf.LayersModel): OptimizerSpec | string {
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
function metricCode(source: string | MetricFn, loss: number, outputs: number): number | string {
  if (typeof source === "function") {
    const code = LIB_METRICS.get(source);
    if (code !== undefined) return code;
    return `the metric ${quote(source.name || "(anonymous)")} is a custom function`;
  }
  const binary = outputs === 1 || loss === BCE;
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
function analyze(job: TrainJob): FusedSpec | string {
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
    return `the model has ${trainables.length} trainable weights outside its Dense layers`;
  }
  const outputs = dense[dense.length - 1].units;
  if (outputs !== job.outputs) {
    return `the model has ${outputs} outputs and the targets ${job.outputs} columns`;
  }
  const metrics: number[] = [];
  for (const m of job.metrics) {
    const code = metricCode(m.source, loss, outputs);
    if (typeof code === "string") return code;
    metrics.push(code);
  }
  return { ops, loss, metrics, optimizer, trainables };
}

// ---------------------------------------------------------------------------------------
// Kernels: plain loops over typed arrays, no closures, no allocation.

/** `dst = transpose(src)` for a `rows x cols` row-major `src` starting at `srcAt`. */
function transpose(
  src: Float32Array,
  srcAt: number,
  dst: Float32Array,
  dstAt: number,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = srcAt + r * cols;
    for (let c = 0; c < cols; c++) dst[dstAt + c * rows + r] = src[s + c];
  }
}

/** Copies rows `order[start..start+count)` of `src` (`width` wide) into `dst`. */
function gatherRows(
  src: Float32Array,
  order: Int32Array,
  start: number,
  count: number,
  width: number,
  dst: Float32Array,
): void {
  for (let r = 0; r < count; r++) {
    const s = order[start + r] * width, d = r * width;
    for (let c = 0; c < width; c++) dst[d + c] = src[s + c];
  }
}

/** Copies `count` consecutive rows from row `first` of `src` into `dst`. */
function copyRows(
  src: Float32Array,
  first: number,
  count: number,
  width: number,
  dst: Float32Array,
): void {
  const s = first * width, n = count * width;
  for (let e = 0; e < n; e++) dst[e] = src[s + e];
}

/** Adds the bias and applies the activation in place: `z` holds `rows x units` dot products. */
function activate(
  z: Float32Array,
  bias: Float32Array,
  biasAt: number,
  useBias: boolean,
  rows: number,
  units: number,
  activation: number,
): void {
  const n = rows * units;
  if (useBias) {
    for (let r = 0; r < rows; r++) {
      const o = r * units;
      for (let j = 0; j < units; j++) z[o + j] = z[o + j] + bias[biasAt + j];
    }
  }
  switch (activation) {
    case RELU:
      for (let e = 0; e < n; e++) if (z[e] < 0) z[e] = 0;
      break;
    case SIGMOID:
      for (let e = 0; e < n; e++) z[e] = 1 / (1 + Math.exp(-z[e]));
      break;
    case TANH:
      for (let e = 0; e < n; e++) z[e] = Math.tanh(z[e]);
      break;
    case SOFTMAX:
      // tfjs: exp(z - max) / sum, each step rounded to float32.
      for (let r = 0; r < rows; r++) {
        const o = r * units;
        let max = -Infinity;
        for (let j = 0; j < units; j++) if (z[o + j] > max) max = z[o + j];
        let sum = 0;
        for (let j = 0; j < units; j++) {
          const e = fround(Math.exp(fround(z[o + j] - max)));
          z[o + j] = e;
          sum += e;
        }
        const s = fround(sum);
        for (let j = 0; j < units; j++) z[o + j] = z[o + j] / s;
      }
      break;
  }
}

/** Turns `d` (dLoss/dOutput) into dLoss/dPreactivation in place, from the outputs `y`. */
function activationGrad(
  d: Float32Array,
  y: Float32Array,
  rows: number,
  units: number,
  activation: number,
): void {
  const n = rows * units;
  switch (activation) {
    case RELU:
      for (let e = 0; e < n; e++) if (!(y[e] > 0)) d[e] = 0;
      break;
    case SIGMOID:
      for (let e = 0; e < n; e++) d[e] = d[e] * fround(y[e] * fround(1 - y[e]));
      break;
    case TANH:
      for (let e = 0; e < n; e++) d[e] = fround(1 - fround(y[e] * y[e])) * d[e];
      break;
    case SOFTMAX:
      for (let r = 0; r < rows; r++) {
        const o = r * units;
        let s = 0;
        for (let j = 0; j < units; j++) {
          const dy = fround(d[o + j] * y[o + j]);
          d[o + j] = dy;
          s += dy;
        }
        const sum = fround(s);
        for (let j = 0; j < units; j++) d[o + j] = d[o + j] - fround(sum * y[o + j]);
      }
      break;
  }
}

/** Row sums of a `rows x cols` matrix into `out[at..at+rows)` (bias gradients from dZᵀ). */
function rowSums(
  m: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  at: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += m[o + c];
    out[at + r] = s;
  }
}

// tfjs clips probabilities with clipByValue(p, 1e-7, 1 - 1e-7): the forward pass compares in
// float64 and stores the float32 bound; the gradient mask compares with float32 bounds.
const CLIP_LO = 1e-7, CLIP_HI = 1 - 1e-7;
const CLIP_LO32 = fround(CLIP_LO), CLIP_HI32 = fround(CLIP_HI);

function clipProbability(p: number): number {
  return p > CLIP_HI ? CLIP_HI32 : p < CLIP_LO ? CLIP_LO32 : p;
}

/**
 * The batch's mean loss, as tfjs-layers computes it in float32; with `grad`, also writes
 * dLoss/dOutput (`rows x outputs`) as tfjs's autodiff of the same expression.
 */
function batchLoss(
  loss: number,
  p: Float32Array,
  t: Float32Array,
  rows: number,
  outputs: number,
  grad: Float32Array | null,
): number {
  let total = 0;
  // d(mean over rows)/d(row) = 1/rows; d(mean over outputs)/d(element) = 1/outputs.
  const perRow = fround(1 / rows);
  const perElement = fround(perRow / outputs);
  for (let r = 0; r < rows; r++) {
    const o = r * outputs;
    let rowLoss = 0;
    if (loss === BCE) {
      let s = 0;
      for (let j = 0; j < outputs; j++) {
        const pj = p[o + j], z = t[o + j];
        const y = clipProbability(pj);
        // sigmoidCrossEntropyWithLogits(z, log(y / (1 - y))), step by step in float32.
        const l = fround(Math.log(fround(y / fround(1 - y))));
        const ce = fround(
          fround((l > 0 ? l : 0) - fround(l * z)) +
            fround(Math.log1p(fround(Math.exp(-Math.abs(l))))),
        );
        s += ce;
        if (grad) {
          const inside = pj >= CLIP_LO32 && pj <= CLIP_HI32;
          grad[o + j] = inside ? perElement * (y - z) / (y * (1 - y)) : 0;
        }
      }
      rowLoss = fround(fround(s) / outputs);
    } else if (loss === CCE) {
      let s = 0;
      for (let j = 0; j < outputs; j++) s += p[o + j];
      const sum = fround(s);
      let ce = 0;
      let gq = 0; // sum_j dL/dq_j * q_j, for the gradient of the renormalisation
      for (let j = 0; j < outputs; j++) {
        const q = fround(p[o + j] / sum);
        const y = clipProbability(q);
        ce += fround(t[o + j] * fround(Math.log(y)));
        if (grad) {
          const g = q >= CLIP_LO32 && q <= CLIP_HI32 ? -perRow * t[o + j] / y : 0;
          grad[o + j] = g;
          gq += g * q;
        }
      }
      rowLoss = -fround(ce);
      if (grad) {
        for (let j = 0; j < outputs; j++) grad[o + j] = (grad[o + j] - gq) / sum;
      }
    } else {
      let s = 0;
      for (let j = 0; j < outputs; j++) {
        const d = fround(p[o + j] - t[o + j]);
        if (loss === MSE) {
          s += fround(d * d);
          if (grad) grad[o + j] = perElement * 2 * d;
        } else {
          s += Math.abs(d);
          // tfjs's d|x|/dx is step(x, -1): 1 for x > 0, else -1 (NaN stays NaN).
          if (grad) grad[o + j] = d > 0 ? perElement : d !== d ? d : -perElement;
        }
      }
      rowLoss = fround(fround(s) / outputs);
    }
    total += rowLoss;
  }
  return fround(fround(total) / rows);
}

/** `K.round(K.clip(x, 0, 1))`. */
function roundedUnit(x: number): number {
  return roundHalfEven(x < 0 ? 0 : x > 1 ? 1 : x);
}

/** One batch's value of a metric, as tfjs computes it (then `tf.mean` over the batch). */
function batchMetric(
  code: number,
  p: Float32Array,
  t: Float32Array,
  rows: number,
  outputs: number,
): number {
  const n = rows * outputs;
  switch (code) {
    case M_BINARY_ACCURACY: {
      let total = 0;
      for (let r = 0; r < rows; r++) {
        let hits = 0;
        for (let j = 0; j < outputs; j++) {
          const e = r * outputs + j;
          if (t[e] === (p[e] > 0.5 ? 1 : 0)) hits++;
        }
        total += fround(hits / outputs);
      }
      return fround(fround(total) / rows);
    }
    case M_CATEGORICAL_ACCURACY: {
      let hits = 0;
      for (let r = 0; r < rows; r++) {
        const o = r * outputs;
        let bestP = 0, bestT = 0;
        for (let j = 1; j < outputs; j++) {
          if (p[o + j] > p[o + bestP]) bestP = j;
          if (t[o + j] > t[o + bestT]) bestT = j;
        }
        if (bestP === bestT) hits++;
      }
      return fround(hits / rows);
    }
    case M_PRECISION:
    case M_RECALL:
    case M_F1: {
      let tp = 0, predicted = 0, actual = 0;
      for (let e = 0; e < n; e++) {
        tp += roundedUnit(fround(t[e] * p[e]));
        predicted += roundedUnit(p[e]);
        actual += roundedUnit(t[e]);
      }
      const eps = fround(EPSILON);
      const pr = fround(tp / fround(predicted + eps));
      const re = fround(tp / fround(actual + eps));
      if (code === M_PRECISION) return pr;
      if (code === M_RECALL) return re;
      return fround(2 * fround(fround(pr * re) / fround(fround(pr + re) + eps)));
    }
    case M_R2: {
      let st = 0;
      for (let e = 0; e < n; e++) st += t[e];
      const mean = fround(fround(st) / n);
      let ssRes = 0, ssTot = 0;
      for (let e = 0; e < n; e++) {
        const d = fround(t[e] - p[e]);
        ssRes += fround(d * d);
        const c = fround(t[e] - mean);
        ssTot += fround(c * c);
      }
      return fround(1 - fround(fround(ssRes) / fround(fround(ssTot) + fround(EPSILON))));
    }
    case M_MSE:
      return batchLoss(MSE, p, t, rows, outputs, null);
    case M_MAE:
      return batchLoss(MAE, p, t, rows, outputs, null);
    case M_BCE:
      return batchLoss(BCE, p, t, rows, outputs, null);
    case M_CCE:
      return batchLoss(CCE, p, t, rows, outputs, null);
  }
  return NaN; // not reached: codes come from metricCode
}

/**
 * One Adam step over all parameters, each operation rounded to float32 as tfjs's tensor ops;
 * returns the sum of the new parameters (not finite if any became NaN or infinite).
 */
function adamStep(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  beta1: number,
  oneMinusBeta1: number,
  beta2: number,
  oneMinusBeta2: number,
  oneMinusAccBeta1: number,
  oneMinusAccBeta2: number,
  epsilon: number,
  negLearningRate: number,
): number {
  let check = 0;
  const n = w.length;
  for (let e = 0; e < n; e++) {
    const ge = g[e];
    const mNew = fround(fround(m[e] * beta1) + fround(ge * oneMinusBeta1));
    const vNew = fround(fround(v[e] * beta2) + fround(fround(ge * ge) * oneMinusBeta2));
    m[e] = mNew;
    v[e] = vNew;
    const mHat = fround(mNew / oneMinusAccBeta1);
    const vHat = fround(vNew / oneMinusAccBeta2);
    const step = fround(fround(mHat / fround(fround(Math.sqrt(vHat)) + epsilon)) * negLearningRate);
    const we = fround(step + w[e]);
    w[e] = we;
    check += we;
  }
  return check;
}

/** One SGD step (`w + (-lr) * g` in float32); returns the sum of the new parameters. */
function sgdStep(w: Float32Array, g: Float32Array, negLearningRate: number): number {
  let check = 0;
  const n = w.length;
  for (let e = 0; e < n; e++) {
    const we = fround(fround(negLearningRate * g[e]) + w[e]);
    w[e] = we;
    check += we;
  }
  return check;
}

/** Whether every value is finite. */
function allFinite(a: Float32Array): boolean {
  let s = 0;
  for (let e = 0; e < a.length; e++) s += a[e] - a[e];
  return s === 0;
}

// ---------------------------------------------------------------------------------------
// One run: buffers, forward/backward, optimizer state, write-back.

/** Where a Dense layer's parameters sit in the flat parameter vector. */
interface DenseSlot {
  readonly op: DenseOp;
  /** Offset of the kernel, stored unit-major (`units x inputs`, the transpose of tfjs's). */
  readonly kernelAt: number;
  /** Offset of the bias (`units`), or -1. */
  readonly biasAt: number;
  /** The kernel in tfjs's layout (`inputs x units`), kept in step for dLoss/dInput. */
  readonly kernel: Float32Array;
}

class FusedRun {
  readonly spec: FusedSpec;
  readonly job: TrainJob;
  readonly ops: readonly Op[];
  readonly slots: (DenseSlot | null)[];
  /** All parameters, flat: per Dense layer its kernel (unit-major), then its bias. */
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** The state after the last complete epoch. */
  readonly savedParams: Float32Array;
  readonly savedM: Float32Array;
  readonly savedV: Float32Array;
  /** Float32 scalars as tfjs keeps them. */
  accBeta1 = 0;
  accBeta2 = 0;
  iterations = 0;
  savedAccBeta1 = 0;
  savedAccBeta2 = 0;
  savedIterations = 0;
  /** Epochs completed and saved; -1 before the first. */
  savedEpoch = -1;
  writtenEpoch = -1;
  /** Activations: outputs[0] is the input batch, outputs[k + 1] the output of op k. */
  readonly outputs: Float32Array[];
  /** The input each op read in the last forward pass. */
  readonly inputs: Float32Array[];
  readonly deltas: Float32Array[];
  readonly masks: (Float32Array | null)[];
  readonly targets: Float32Array;
  readonly scratchA: Float32Array;
  readonly scratchB: Float32Array;
  /** Whether op k must pass a gradient to its input (some Dense layer comes before it). */
  readonly needsInputGrad: boolean[];
  readonly dropoutNext: () => number;
  /** Where every buffer lives, and the matrix product that reads them. */
  readonly arena: Arena;

  constructor(spec: FusedSpec, job: TrainJob) {
    this.spec = spec;
    this.job = job;
    this.ops = spec.ops;
    const maxRows = Math.max(1, Math.min(job.plan.batchSize, job.rows));
    // Layout first (sizes of every buffer the products touch), then one arena for all.
    let size = 0;
    let width = job.features;
    let maxWidth = width;
    const widths = [width];
    const layout: { kernelAt: number; biasAt: number }[] = [];
    for (const op of this.ops) {
      if (op.kind === "dense") {
        const kernelAt = size;
        size += op.units * op.inputs;
        layout.push({ kernelAt, biasAt: op.useBias ? size : -1 });
        if (op.useBias) size += op.units;
        width = op.units;
      } else {
        layout.push({ kernelAt: -1, biasAt: -1 });
      }
      widths.push(width);
      maxWidth = Math.max(maxWidth, width);
    }
    const adam = spec.optimizer.kind === "adam";
    const sizes = [
      ...widths.map((w) => maxRows * w), // outputs
      ...widths.map((w) => maxRows * w), // deltas
      ...widths.map((w) => maxRows * w), // masks
      ...this.ops.map((op) => (op.kind === "dense" ? op.inputs * op.units : 0)), // kernels
      maxRows * job.outputs,
      maxRows * maxWidth,
      maxRows * maxWidth,
      size,
      size,
      adam ? size : 0,
      adam ? size : 0,
    ];
    this.arena = new Arena(Arena.floatsFor(sizes));
    this.outputs = widths.map((w) => this.arena.take(maxRows * w));
    this.deltas = widths.map((w) => this.arena.take(maxRows * w));
    const maskBuffers = widths.map((w) => this.arena.take(maxRows * w));
    this.masks = this.ops.map((op, k) => (op.kind === "dropout" ? maskBuffers[k] : null));
    this.slots = this.ops.map((op, k) => {
      const kernel = this.arena.take(op.kind === "dense" ? op.inputs * op.units : 0);
      return op.kind === "dense" ? { op, ...layout[k], kernel } : null;
    });
    this.targets = this.arena.take(maxRows * job.outputs);
    this.scratchA = this.arena.take(maxRows * maxWidth);
    this.scratchB = this.arena.take(maxRows * maxWidth);
    this.params = this.arena.take(size);
    this.grads = this.arena.take(size);
    this.m = this.arena.take(adam ? size : 0);
    this.v = this.arena.take(adam ? size : 0);
    this.inputs = this.ops.map((_, k) => this.outputs[k]);
    let seenDense = false;
    this.needsInputGrad = this.ops.map((op) => {
      const needs = seenDense;
      if (op.kind === "dense") seenDense = true;
      return needs;
    });
    this.savedParams = new Float32Array(size);
    this.savedM = new Float32Array(this.m.length);
    this.savedV = new Float32Array(this.v.length);
    this.dropoutNext = rng(job.plan.dropoutSeed).next;
  }

  /** Copies the model's weights and its optimizer's state in. */
  load(): void {
    const opt = this.spec.optimizer;
    const adam = opt.kind === "adam" ? opt.optimizer as unknown as AdamFields : null;
    for (const slot of this.slots) {
      if (!slot) continue;
      const { op } = slot;
      const weights = this.spec.trainables;
      const kernel = weights[op.kernelSlot].read().dataSync() as Float32Array;
      slot.kernel.set(kernel);
      transpose(kernel, 0, this.params, slot.kernelAt, op.inputs, op.units);
      if (op.useBias) {
        this.params.set(weights[op.biasSlot].read().dataSync() as Float32Array, slot.biasAt);
      }
      if (adam) {
        const parts: [number, number, boolean][] = [[op.kernelSlot, slot.kernelAt, true]];
        if (op.useBias) parts.push([op.biasSlot, slot.biasAt, false]);
        for (const [index, at, isKernel] of parts) {
          const pairs: [typeof adam.accumulatedFirstMoment, Float32Array][] = [
            [adam.accumulatedFirstMoment, this.m],
            [adam.accumulatedSecondMoment, this.v],
          ];
          for (const [moments, into] of pairs) {
            const entry = moments[index];
            if (!entry) continue; // fresh optimizer: zeros, as tfjs creates them
            const values = entry.variable.dataSync() as Float32Array;
            if (isKernel) transpose(values, 0, into, at, op.inputs, op.units);
            else into.set(values, at);
          }
        }
      }
    }
    if (adam) {
      this.accBeta1 = adam.accBeta1.dataSync()[0];
      this.accBeta2 = adam.accBeta2.dataSync()[0];
    }
    this.iterations = opt.optimizer.iterations;
    this.save(-1);
  }

  /** Saves the current state as the last complete one. */
  save(epoch: number): void {
    this.savedParams.set(this.params);
    this.savedM.set(this.m);
    this.savedV.set(this.v);
    this.savedAccBeta1 = this.accBeta1;
    this.savedAccBeta2 = this.accBeta2;
    this.savedIterations = this.iterations;
    this.savedEpoch = epoch;
  }

  /** Forward pass over `rows` rows already in outputs[0]; returns the model's output buffer. */
  forward(rows: number, training: boolean): Float32Array {
    let current = this.outputs[0];
    for (let k = 0; k < this.ops.length; k++) {
      const op = this.ops[k];
      this.inputs[k] = current;
      const out = this.outputs[k + 1];
      if (op.kind === "dense") {
        const slot = this.slots[k] as DenseSlot;
        this.arena.gemm(current, 0, this.params, slot.kernelAt, out, 0, rows, op.units, op.inputs);
        activate(out, this.params, slot.biasAt, op.useBias, rows, op.units, op.activation);
        current = out;
      } else if (training) {
        const mask = this.masks[k] as Float32Array;
        const scale = fround(1 / fround(1 - op.rate));
        const n = rows * op.width;
        const next = this.dropoutNext;
        for (let e = 0; e < n; e++) {
          const keep = next() >= op.rate ? scale : 0;
          mask[e] = keep;
          out[e] = current[e] * keep;
        }
        current = out;
      }
    }
    return current;
  }

  /** Backward pass from dLoss/dOutput in the last delta buffer; fills `grads`. */
  backward(rows: number): void {
    for (let k = this.ops.length - 1; k >= 0; k--) {
      const op = this.ops[k];
      const delta = this.deltas[k + 1];
      if (op.kind === "dense") {
        const slot = this.slots[k] as DenseSlot;
        activationGrad(delta, this.outputs[k + 1], rows, op.units, op.activation);
        // dKernelᵀ = dZᵀ · X, read along rows of dZᵀ and Xᵀ.
        const dzT = this.scratchA, xT = this.scratchB;
        transpose(delta, 0, dzT, 0, rows, op.units);
        transpose(this.inputs[k], 0, xT, 0, rows, op.inputs);
        this.arena.gemm(dzT, 0, xT, 0, this.grads, slot.kernelAt, op.units, op.inputs, rows);
        if (op.useBias) rowSums(dzT, op.units, rows, this.grads, slot.biasAt);
        if (this.needsInputGrad[k]) {
          this.arena.gemm(delta, 0, slot.kernel, 0, this.deltas[k], 0, rows, op.inputs, op.units);
        }
      } else if (this.needsInputGrad[k]) {
        const mask = this.masks[k] as Float32Array;
        const into = this.deltas[k];
        const n = rows * op.width;
        for (let e = 0; e < n; e++) into[e] = delta[e] * mask[e];
      }
    }
  }

  /** Applies the optimizer to all parameters; returns false if a parameter is not finite. */
  update(): boolean {
    const opt = this.spec.optimizer;
    let check: number;
    if (opt.kind === "adam") {
      check = adamStep(
        this.params,
        this.grads,
        this.m,
        this.v,
        fround(opt.beta1),
        fround(1 - opt.beta1),
        fround(opt.beta2),
        fround(1 - opt.beta2),
        fround(1 - this.accBeta1),
        fround(1 - this.accBeta2),
        fround(opt.epsilon),
        fround(-opt.learningRate),
      );
      this.accBeta1 = fround(this.accBeta1 * fround(opt.beta1));
      this.accBeta2 = fround(this.accBeta2 * fround(opt.beta2));
    } else {
      check = sgdStep(this.params, this.grads, fround(-opt.learningRate));
    }
    this.iterations++;
    for (let k = 0; k < this.slots.length; k++) {
      const slot = this.slots[k];
      if (slot) {
        transpose(this.params, slot.kernelAt, slot.kernel, 0, slot.op.units, slot.op.inputs);
      }
    }
    return check - check === 0;
  }

  /** Writes the saved weights into the model (once per saved epoch). */
  writeWeights(): void {
    if (this.savedEpoch < 0 || this.writtenEpoch === this.savedEpoch) return;
    const p = this.savedParams;
    for (const slot of this.slots) {
      if (!slot) continue;
      const { op } = slot;
      const kernel = new Float32Array(op.inputs * op.units);
      transpose(p, slot.kernelAt, kernel, 0, op.units, op.inputs);
      const values: tf.Tensor[] = [tf.tensor2d(kernel, [op.inputs, op.units])];
      if (op.useBias) values.push(tf.tensor1d(p.slice(slot.biasAt, slot.biasAt + op.units)));
      try {
        op.layer.setWeights(values);
      } finally {
        tf.dispose(values);
      }
    }
    this.writtenEpoch = this.savedEpoch;
  }

  /** Writes the saved optimizer state into the model's optimizer. */
  writeOptimizer(): void {
    if (this.savedEpoch < 0) return;
    const opt = this.spec.optimizer;
    const internals = opt.optimizer as unknown as AdamFields;
    internals.iterations_ = this.savedIterations;
    if (opt.kind !== "adam") return;
    const weights = this.spec.trainables;
    for (const slot of this.slots) {
      if (!slot) continue;
      const { op } = slot;
      const parts: [number, number, boolean][] = [[op.kernelSlot, slot.kernelAt, true]];
      if (op.useBias) parts.push([op.biasSlot, slot.biasAt, false]);
      for (const [index, at, isKernel] of parts) {
        const pairs: [typeof internals.accumulatedFirstMoment, Float32Array, string][] = [
          [internals.accumulatedFirstMoment, this.savedM, "m"],
          [internals.accumulatedSecondMoment, this.savedV, "v"],
        ];
        for (const [moments, from, suffix] of pairs) {
          let values: Float32Array;
          if (isKernel) {
            values = new Float32Array(op.inputs * op.units);
            transpose(from, at, values, 0, op.units, op.inputs);
          } else {
            values = from.slice(at, at + op.units);
          }
          const t = tf.tensor(values, weights[index].shape);
          try {
            const entry = moments[index];
            if (entry) entry.variable.assign(t);
            else {
              moments[index] = {
                originalName: `${weights[index].name}/${suffix}`,
                variable: tf.variable(t, false),
              };
            }
          } finally {
            t.dispose();
          }
        }
      }
    }
    const accBetas = [tf.scalar(this.savedAccBeta1), tf.scalar(this.savedAccBeta2)];
    try {
      internals.accBeta1.assign(accBetas[0]);
      internals.accBeta2.assign(accBetas[1]);
    } finally {
      tf.dispose(accBetas);
    }
  }
}

/** The error that stops a run whose loss or weights stopped being finite (as train's own). */
function nanError(what: "loss" | "weights", epoch: number, epochs: number, value: number): Error {
  return lossError(value, epoch, epochs, `the ${what}`);
}

/** Runs all epochs of `job` (see the module doc). */
async function runFused(spec: FusedSpec, job: TrainJob, onEpochEnd: EpochCallback): Promise<void> {
  const run = new FusedRun(spec, job);
  const { plan, features, outputs } = job;
  const metrics = spec.metrics;
  const validation = plan.valRows > 0;
  const keys = historyKeys(job.metrics, validation);
  const nValues = 1 + metrics.length;
  const trainTotals = new Float64Array(nValues);
  const valTotals = new Float64Array(nValues);
  const xb = run.outputs[0];
  const yb = run.targets;
  const lossGrad = run.deltas[run.deltas.length - 1];
  run.load();
  try {
    for (let epoch = 0; epoch < plan.epochs; epoch++) {
      const order = plan.epochOrder(epoch);
      trainTotals.fill(0);
      let seen = 0;
      for (let b = 0; b < plan.batches.length; b++) {
        const start = plan.batches[b][0];
        const rows = plan.batches[b][1] - start;
        gatherRows(job.x, order, start, rows, features, xb);
        gatherRows(job.y, order, start, rows, outputs, yb);
        const out = run.forward(rows, true);
        const loss = batchLoss(spec.loss, out, yb, rows, outputs, lossGrad);
        if (!Number.isFinite(loss)) {
          throw nanError(allFinite(run.params) ? "loss" : "weights", epoch, plan.epochs, loss);
        }
        // tfjs's BaseLogger: total += value * size, in float32.
        trainTotals[0] = fround(trainTotals[0] + fround(loss * rows));
        for (let i = 0; i < metrics.length; i++) {
          const value = batchMetric(metrics[i], out, yb, rows, outputs);
          trainTotals[i + 1] = fround(trainTotals[i + 1] + fround(value * rows));
        }
        seen += rows;
        run.backward(rows);
        if (!run.update()) {
          const bad = run.params.find((w) => !Number.isFinite(w)) ?? NaN;
          throw nanError("weights", epoch, plan.epochs, bad);
        }
      }
      const logs: Record<string, number> = {};
      const perSeen = fround(1 / seen);
      for (let i = 0; i < nValues; i++) logs[keys[i]] = fround(perSeen * trainTotals[i]);
      if (validation) {
        // tfjs's testLoop: batches of batchSize in row order, total += size * value, / n.
        valTotals.fill(0);
        for (let start = 0; start < plan.valRows; start += plan.batchSize) {
          const rows = Math.min(plan.batchSize, plan.valRows - start);
          copyRows(job.x, plan.trainRows + start, rows, features, xb);
          copyRows(job.y, plan.trainRows + start, rows, outputs, yb);
          const out = run.forward(rows, false);
          valTotals[0] = fround(
            valTotals[0] + fround(rows * batchLoss(spec.loss, out, yb, rows, outputs, null)),
          );
          for (let i = 0; i < metrics.length; i++) {
            const value = batchMetric(metrics[i], out, yb, rows, outputs);
            valTotals[i + 1] = fround(valTotals[i + 1] + fround(rows * value));
          }
        }
        for (let i = 0; i < nValues; i++) {
          logs[keys[nValues + i]] = fround(valTotals[i] / plan.valRows);
        }
      }
      run.save(epoch);
      run.writeWeights();
      await onEpochEnd(epoch, logs as EpochLogs);
    }
  } finally {
    run.writeWeights();
    run.writeOptimizer();
  }
}

/**
 * The fused engine: a Dense/Dropout chain with a binary or categorical cross-entropy, MSE or
 * MAE loss and Adam or SGD, trained in one JavaScript loop with tfjs's math (see the module
 * doc). `unsupported(job)` says in one line why another model must run on tfjs.
 *
 * @example
 * ```ts
 * import { fusedEngine } from "./engine_fused.ts";
 * import { deepNN } from "../build/models.ts";
 * import { f1 } from "./metrics.ts";
 * import { train } from "./train.ts";
 * const model = deepNN({ features: 10, seed: 1 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
 * const x = Array.from({ length: 100 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i * j) % 7));
 * const y = x.map((row) => (row[1] > 3 ? 1 : 0));
 * const history = await train(model, x, y, { epochs: 3, seed: 1, live: false, engine: fusedEngine });
 * history.engine; // "fused"
 * ```
 */
export const fusedEngine: TrainEngine = {
  name: "fused",
  unsupported(job: TrainJob): string | null {
    const spec = analyze(job);
    return typeof spec === "string" ? spec : null;
  },
  async run(job: TrainJob, onEpochEnd: EpochCallback): Promise<void> {
    const spec = analyze(job);
    if (typeof spec === "string") throw new Error(`train: the fused engine cannot run: ${spec}`);
    await runFused(spec, job, onEpochEnd);
  },
};
