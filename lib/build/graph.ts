/**
 * The layer graph of a tfjs model as plain data: one node per layer (with shapes, parameter
 * counts and activation) and one edge per connection. Summary, layer table and both
 * diagrams are computed from it.
 *
 * @module
 */
import { withText } from "../core/text.ts";
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";

/** A shape with `null` for the batch dimension, e.g. `[null, 10]`. */
export type Shape = (number | null)[];

/** One layer of a model. */
export interface LayerNode {
  /** Layer name, as the user gave it. */
  name: string;
  /** tfjs/Keras class, e.g. `Dense`, `Dropout`, `InputLayer`. */
  className: string;
  /** One shape per input tensor (an InputLayer has its own shape here). */
  inputShapes: Shape[];
  /** One shape per output tensor. */
  outputShapes: Shape[];
  /** Number of parameters (weights and biases). */
  params: number;
  /** Parameters updated by training. */
  trainableParams: number;
  /** Activation name for layers that have one, else `null`. */
  activation: string | null;
  /** Units of a Dense layer, else 0 (the article's "neurons"). */
  units: number;
  /** Whether the layer trains. */
  trainable: boolean;
  /** Data type of the layer's weights/outputs. */
  dtype: string;
  /** Names of the layers feeding this one, in order. */
  inbound: string[];
  /** True for the input node the lib adds in front of a Sequential model. */
  synthetic: boolean;
}

/** A model's layer graph. */
export interface ModelGraph {
  /** Model name. */
  name: string;
  /** `Sequential` or `Functional`. */
  className: "Sequential" | "Functional";
  /** Layers in topological order; Sequential models get a leading `input` node. */
  nodes: LayerNode[];
  /** Connections, `from` and `to` being layer names. */
  edges: { from: string; to: string }[];
  /** True when the layers form one chain, each with one input and one output. */
  isChain: boolean;
}

/**
 * Checks `model` is a built tfjs LayersModel with at least one layer.
 *
 * @example
 * ```ts
 * import { checkModel } from "./graph.ts";
 * import { perceptron } from "./models.ts";
 * checkModel("summary", perceptron());
 * ```
 */
export function checkModel(fn: string, model: unknown): tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) {
    throw new ArgumentError(fn, "model", model, "a tfjs LayersModel (tf.sequential or tf.model)");
  }
  if (model.layers.length === 0) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${
        JSON.stringify(model.name)
      } is not built: it has no layers (add layers with an input shape first)`,
    );
  }
  // tfjs would fail later with "Layer 'h1' is already disposed", naming neither us nor the model.
  const layer = model.layers.find((l) =>
    (l as unknown as { _refCount: number | null })._refCount === 0
  );
  const weight = model.weights.find((w) => (w as unknown as { val?: tf.Tensor }).val?.isDisposed);
  if (layer || weight) {
    const what = layer
      ? `layer ${JSON.stringify(layer.name)}`
      : `weight ${JSON.stringify(weight!.name)}`;
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(model.name)} is disposed (its ${what} was freed by dispose() ` +
        "or tf.disposeVariables()); build or load the model again",
    );
  }
  return model;
}

function asShapeList(s: unknown): Shape[] {
  if (!Array.isArray(s)) return [];
  return s.length > 0 && Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape];
}

function countWeights(weights: tf.LayerVariable[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
}

/**
 * Computes the layer graph of a model.
 *
 * @example
 * ```ts
 * import { modelGraph } from "./graph.ts";
 * import { deepNN } from "./models.ts";
 * import assert from "node:assert/strict";
 * const g = modelGraph(deepNN({ features: 10 }));
 * assert.deepEqual(g.nodes.map((n) => n.name), ["input", "h1", "drop1", "h2", "drop2", "output"]);
 * ```
 */
export function modelGraph(model: tf.LayersModel): ModelGraph {
  return graphFor("modelGraph", model);
}

/**
 * {@linkcode modelGraph} for the lib's own functions: a bad model is an error naming `fn`.
 *
 * @example
 * ```ts
 * import { graphFor } from "./graph.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => graphFor("summary", null as never), /^ArgumentError: summary: /);
 * ```
 */
export function graphFor(fn: string, model: tf.LayersModel): ModelGraph {
  checkModel(fn, model);
  const sequential = model instanceof tf.Sequential;
  const inModel = new Set(model.layers.map((l) => l.name));
  const nodes: LayerNode[] = [];
  if (sequential) {
    const first = model.layers[0];
    // The article calls it "input"; a model with its own layer of that name gets "<first>_input".
    const inputName = inModel.has("input") ? `${first.name}_input` : "input";
    const shape = asShapeList(first.batchInputShape ?? first.inboundNodes[0]?.inputShapes)[0];
    nodes.push({
      name: inputName,
      className: "InputLayer",
      inputShapes: [shape],
      outputShapes: [shape],
      params: 0,
      trainableParams: 0,
      activation: null,
      units: 0,
      trainable: false,
      dtype: first.dtype ?? "float32",
      inbound: [],
      synthetic: true,
    });
  }
  for (const [i, layer] of model.layers.entries()) {
    const node0 = layer.inboundNodes[0];
    let inbound = node0 ? node0.inboundLayers.map((l) => l.name).filter((n) => inModel.has(n)) : [];
    if (sequential) inbound = [i === 0 ? nodes[0].name : model.layers[i - 1].name];
    const config = layer.getConfig() as { activation?: unknown; units?: unknown };
    const outputShapes = asShapeList(layer.outputShape);
    const inputShapes = layer.getClassName() === "InputLayer"
      ? outputShapes
      : asShapeList(node0?.inputShapes);
    nodes.push({
      name: layer.name,
      className: layer.getClassName(),
      inputShapes,
      outputShapes,
      params: countWeights(layer.weights),
      trainableParams: layer.trainable ? countWeights(layer.trainableWeights) : 0,
      activation: typeof config.activation === "string" ? config.activation : null,
      units: typeof config.units === "number" ? config.units : 0,
      trainable: layer.trainable,
      dtype: layer.dtype ?? "float32",
      inbound,
      synthetic: false,
    });
  }
  const edges = nodes.flatMap((n) => n.inbound.map((from) => ({ from, to: n.name })));
  const outDegree = new Map<string, number>();
  for (const e of edges) outDegree.set(e.from, (outDegree.get(e.from) ?? 0) + 1);
  const isChain =
    nodes.every((n, i) =>
      (i === 0
        ? n.inbound.length === 0
        : n.inbound.length === 1 && n.inbound[0] === nodes[i - 1].name) &&
      (outDegree.get(n.name) ?? 0) <= 1
    ) && nodes.filter((n) => n.className === "InputLayer").length === 1;
  return withText<ModelGraph>({
    name: model.name,
    className: sequential ? "Sequential" : "Functional",
    nodes,
    edges,
    isChain,
  }, graphText);
}

/** A graph as text: its name and kind, then one line per layer with what feeds it. */
function graphText(g: ModelGraph): string {
  const lines = g.nodes.map((n) =>
    `  ${n.name} (${n.className}) ${formatShapes(n.outputShapes)}, ${n.params} params` +
    (n.inbound.length > 0 ? ` <- ${n.inbound.join(", ")}` : "")
  );
  return [`Layer graph of "${g.name}" (${g.className}, ${g.nodes.length} layers):`, ...lines]
    .join("\n");
}

/**
 * Formats a shape as Keras prints it: `(None, 10)`.
 *
 * @example
 * ```ts
 * import { formatShape } from "./graph.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatShape([null, 10]), "(None, 10)");
 * ```
 */
export function formatShape(shape: Shape | undefined): string {
  if (!shape) return "?";
  if (!Array.isArray(shape)) {
    throw new ArgumentError(
      "formatShape",
      "shape",
      shape,
      "an array of dimensions (numbers or null)",
    );
  }
  const parts = shape.map((d) => (d === null ? "None" : String(d)));
  return `(${parts.join(", ")}${parts.length === 1 ? "," : ""})`;
}

/** Shapes of several tensors: one shape alone, several as a list. */
export function formatShapes(list: Shape[]): string {
  return list.length === 1 ? formatShape(list[0]) : `[${list.map(formatShape).join(", ")}]`;
}

/**
 * The activation the model's output goes through last: a Dense (or Activation) layer's
 * `activation`, `"softmax"` for a Softmax layer, `undefined` when it cannot be told (another
 * layer type, a custom activation). `train`, `evaluate` and `predict` read the task from it.
 *
 * @example
 * ```ts
 * import { outputActivation } from "./graph.ts";
 * import { deepNN } from "./models.ts";
 * import assert from "node:assert/strict";
 * assert.equal(outputActivation(deepNN({ features: 4, classes: 3, hidden: [8] })), "softmax");
 * ```
 */
export function outputActivation(model: tf.LayersModel): string | undefined {
  const last = model.layers.at(-1);
  if (!last) return undefined;
  const kind = last.getClassName();
  if (kind === "Softmax") return "softmax";
  if (kind !== "Dense" && kind !== "Activation") return undefined;
  const activation = (last.getConfig() as { activation?: unknown }).activation;
  return typeof activation === "string" ? activation : undefined;
}
