/**
 * Building a loaded model from its topology and weights, bounded and leak-free: every weight
 * the topology builds is counted before it is allocated (a topology may not build more than
 * its manifest declares), the manifest's names must be exactly the model's, and a build that
 * fails disposes every tensor made on the way.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import type { Declared, ModelJSON } from "./read_model.ts";

const FN = "loadModel";

type TrainingConfig = Parameters<tf.LayersModel["loadTrainingConfig"]>[0];

/** tfjs's Layer, whose `addWeight` every layer calls to make each weight while it is built. */
type AddWeight = (name: string, shape: number[], ...rest: unknown[]) => unknown;
const LAYER = (tf.layers as unknown as { Layer: { prototype: { addWeight: AddWeight } } }).Layer;

/**
 * Builds the model and loads its weights; if anything fails, every tensor made on the way
 * is disposed. While the topology is built, each weight's size is counted before it is
 * allocated, and a topology that would build more than the manifest declares is refused:
 * its layers could otherwise claim any size.
 */
export async function buildModel(
  json: ModelJSON,
  weights: { specs: tf.io.WeightsManifestEntry[]; data: Uint8Array<ArrayBuffer> },
  declared: Declared,
  jsonPath: string,
): Promise<tf.LayersModel> {
  const fail = (e: unknown) =>
    e instanceof ArgumentError ? e : new Error(
      `loadModel: ${jsonPath} could not be turned into a model: ${(e as Error).message}`,
      { cause: e },
    );
  // modelFromJSON builds the layers (and their weight variables) synchronously before its
  // first await, so the variables registered across this call are exactly the model's, and
  // addWeight is guarded only while this model is built (no other code runs meanwhile).
  const registered = () => Object.keys(tf.engine().registeredVariables);
  const before = new Set(registered());
  const addWeight = LAYER.prototype.addWeight;
  let built = 0;
  LAYER.prototype.addWeight = function (this: unknown, name, shape, ...rest) {
    const n = Array.isArray(shape) ? shape.reduce((a, b) => a * b, 1) : NaN;
    built += n;
    if (!(built <= declared.parameters)) {
      throw ArgumentError.because(
        FN,
        "dir",
        `${jsonPath}'s topology builds weights of more than the ${
          declared.parameters.toLocaleString("en-US")
        } parameters its weightsManifest declares (weight ${JSON.stringify(name)} of shape ${
          JSON.stringify(shape)
        }); the file is damaged or was not written for this model`,
      );
    }
    return addWeight.call(this, name, shape, ...rest);
  };
  let pending: Promise<tf.LayersModel>;
  try {
    pending = tf.models.modelFromJSON(
      { modelTopology: json.modelTopology } as Parameters<typeof tf.models.modelFromJSON>[0],
    );
  } finally {
    LAYER.prototype.addWeight = addWeight;
  }
  const made = registered().filter((k) => !before.has(k));
  let model: tf.LayersModel;
  try {
    model = await pending;
  } catch (e) {
    for (const k of made) tf.engine().registeredVariables[k]?.dispose();
    throw fail(e);
  }
  let named: Record<string, tf.Tensor> = {};
  try {
    checkNames(model, weights.specs, jsonPath);
    if (json.trainingConfig) model.loadTrainingConfig(json.trainingConfig as TrainingConfig);
    // Optimizer state (written by other savers) is not restored: keep the model's weights.
    named = tf.io.decodeWeights(weights.data.buffer, weights.specs);
    const modelWeights: Record<string, tf.Tensor> = {};
    for (const s of weights.specs) {
      if (s.group !== "optimizer") modelWeights[s.name] = named[s.name];
    }
    model.loadWeights(modelWeights, true);
    return model;
  } catch (e) {
    model.dispose();
    throw fail(e);
  } finally {
    tf.dispose(named);
  }
}

/** Refuses a manifest whose weight names are not exactly the model's, before decoding. */
function checkNames(
  model: tf.LayersModel,
  specs: tf.io.WeightsManifestEntry[],
  jsonPath: string,
): void {
  const wanted = new Set(model.weights.map((w) => w.originalName));
  const given = specs.filter((s) => s.group !== "optimizer").map((s) => s.name);
  const unknown = given.filter((n) => !wanted.has(n));
  const absent = [...wanted].filter((n) => !given.includes(n));
  if (unknown.length === 0 && absent.length === 0) return;
  const list = (names: string[]) =>
    names.slice(0, 3).map((n) => JSON.stringify(n)).join(", ") +
    (names.length > 3 ? ` and ${names.length - 3} more` : "");
  throw ArgumentError.because(
    FN,
    "dir",
    `${jsonPath}'s weightsManifest does not match its topology: ` +
      [
        unknown.length > 0 ? `it names weights the model does not have (${list(unknown)})` : "",
        absent.length > 0 ? `it lacks weights the model has (${list(absent)})` : "",
      ].filter(Boolean).join("; "),
  );
}
