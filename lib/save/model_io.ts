/**
 * Saving and loading models on Deno's file system, in tfjs's Layers format (`model.json`
 * plus a weights file), which the tensorflowjs converter turns into a Keras model.
 *
 * Saving never loses a model and never touches a file it did not write; see
 * {@link ./folder.ts} for how.
 *
 * @module
 */
import { checkNotTraining } from "../build/training_state.ts";
import { tf } from "../core/tf.ts";
import { ArgumentError, checkInt, checkOptions, describe, fileError } from "../core/errors.ts";
import { checkModel } from "../build/graph.ts";
import { MAX_MODEL_BYTES } from "../core/budget.ts";
import { attachedPreprocessing } from "../data/attached.ts";
import {
  contentHash,
  inspectFolder,
  lockFolder,
  MODEL_FILE,
  removeOwn,
  SAVED_BY,
  unlockFolder,
  weightsFileName,
  writeAtomically,
} from "./folder.ts";
import { type ModelJSON, PREPROCESSING_KEY, readModel } from "./read_model.ts";
import { modelFolder, modelPath } from "./model_path.ts";
import { basename } from "node:path";
import "../build/activations.ts"; // registers binaryStep, so models using it load

/**
 * Saves a model into folder `dir` (created if missing): `model.json` and one weights file
 * named after its content, `weights.<hash>.bin`. Replacing a model saved there before is
 * safe whatever is killed when: the folder holds the complete old model until one rename
 * makes the complete new one current, readers never see a half-written model, and two saves
 * at once both succeed (the last one wins). Other files in `dir` (a README, data) are kept.
 *
 * `dir` must be a new folder, an empty one, or one a previous `saveModel` wrote: a file, or a
 * folder holding other files and no model saved by `saveModel`, is refused before anything
 * is written, so a mistyped path never costs data.
 *
 * `dir` is a path, or a `file://` URL as tfjs-node's `model.save` takes it (`file://./m` is
 * `./m`, `file:///abs/m` is `/abs/m`, nothing percent-decoded, as tfjs-node), or a `file:`
 * `URL` object (decoded: `new URL("file:///a/my%20m")` is `/a/my m`). It resolves to the
 * folder's path. saveModel takes no options: it always replaces a model it saved there
 * before (there is no `overwrite` to ask for), and never anything else.
 *
 * A model that carries its preprocessing (`attachPreprocessing`) keeps it: the columns,
 * one-hot levels, scaler and class names go into `model.json`'s `userDefinedMetadata`
 * (plain JSON, which `tf.loadLayersModel` loads and ignores), and `loadModel` restores them.
 *
 * @example
 * ```ts
 * import { saveModel } from "./model_io.ts";
 * import { deepNN } from "../build/models.ts";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 * const dir = join(await Deno.makeTempDir(), "m");
 * assert.equal(await saveModel(deepNN({ features: 10 }), dir), dir);
 * assert.equal(await saveModel(deepNN({ features: 10 }), `file://${dir}`), dir);
 * ```
 */
export function saveModel(model: tf.LayersModel, dir: string | URL): Promise<string> {
  const fn = "saveModel";
  if (arguments.length > 2) {
    throw ArgumentError.because(
      fn,
      "options",
      `saveModel takes no options, got ${given(arguments[2])} after dir; it already ` +
        "replaces a model it saved in that folder before, and never overwrites or deletes " +
        "what it did not write: call saveModel(model, dir)",
    );
  }
  checkModel(fn, model);
  checkNotTraining(fn, model);
  const path = modelPath(fn, dir);
  if (basename(path) === MODEL_FILE) {
    throw new ArgumentError(
      fn,
      "dir",
      dir instanceof URL ? dir.href : dir,
      "a folder path",
      `saveModel writes a folder holding ${MODEL_FILE} and its weights: pass the folder, not ${MODEL_FILE}`,
    );
  }
  inspectFolder(fn, path); // refuses a file or a folder of other files, before any promise
  return writeModel(fn, model, path);
}

/** An unexpected argument, for an error: an options object by its names (`{ overwrite }`). */
function given(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return describe(value);
  const names = Object.keys(value);
  return names.length === 0 ? "{}" : `{ ${names.join(", ")} }`;
}

async function writeModel(fn: string, model: tf.LayersModel, dir: string): Promise<string> {
  const { json, weights } = await serialize(model);
  const name = weightsFileName(await contentHash(weights));
  json.weightsManifest[0].paths = [name];
  const text = new TextEncoder().encode(JSON.stringify(json));
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (error) {
    throw fileError(fn, "create the folder", dir, error);
  }
  const lock = await lockFolder(fn, dir);
  try {
    // Looked at again under the lock: another save may have run since the first look.
    const { current, leftovers } = inspectFolder(fn, dir);
    await removeOwn(fn, dir, leftovers);
    await writeAtomically(fn, dir, name, weights);
    try {
      await writeAtomically(fn, dir, MODEL_FILE, text); // the one step that switches models
    } catch (error) {
      // The old model stays current; its weights are kept, the new ones are not needed.
      if (!current.includes(name)) await removeOwn(fn, dir, [name]).catch(() => {});
      throw error;
    }
    await removeOwn(fn, dir, current.filter((c) => c !== name), true);
  } finally {
    await unlockFolder(lock);
  }
  return dir;
}

/** The model's `model.json` content and its weights, as tfjs serialises them. */
async function serialize(
  model: tf.LayersModel,
): Promise<{ json: ModelJSON; weights: Uint8Array<ArrayBuffer> }> {
  let result: { json: ModelJSON; weights: Uint8Array<ArrayBuffer> } | undefined;
  const preprocessing = attachedPreprocessing(model);
  await model.save(tf.io.withSaveHandler((artifacts) => {
    const data = artifacts.weightData;
    const buffer = data instanceof ArrayBuffer ? data : tf.io.concatenateArrayBuffers(data ?? []);
    result = {
      json: {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        savedBy: SAVED_BY,
        modelTopology: artifacts.modelTopology as object,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [], weights: artifacts.weightSpecs ?? [] }],
        ...(preprocessing ? { userDefinedMetadata: { [PREPROCESSING_KEY]: preprocessing } } : {}),
      },
      weights: new Uint8Array(buffer),
    };
    return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) });
  }));
  return result!;
}

/** Options of {@linkcode loadModel}. */
export interface LoadModelOptions {
  /**
   * Most bytes of weights to read: a `model.json` declaring more is refused before any
   * weights file is opened. Default 1 GiB (268,435,456 float32 parameters), the largest
   * model the builders make.
   */
  maxBytes?: number;
}

/**
 * Loads a model saved by {@linkcode saveModel} (or any tfjs Layers model folder), with the
 * preprocessing it carries (see `attachPreprocessing`), so `predict(model, records)` works
 * at once. `dir` is the folder, or its `model.json` (as `tf.loadLayersModel` takes it), as a
 * path, a `file://` URL (`file://./m/model.json`, as tfjs-node) or a `file:` `URL` object.
 * Something else there (nothing, another file, a folder without `model.json`) is an
 * `ArgumentError` at the call. Errors name the file at fault: JSON that does
 * not parse, a weights path outside the folder, weight files whose size does not match the
 * manifest, a weight listed twice or one the model does not have, a preprocessing that
 * cannot be used.
 *
 * Bounded before it allocates, so an untrusted folder cannot exhaust memory or hang:
 * `model.json` must be a regular file of at most 32 MiB, the weights it declares at most
 * `maxBytes` (default 1 GiB) and the topology may not build more; weights files must be
 * regular files (never a FIFO or a device). It reads only inside `dir`, and a load that
 * fails leaves no tensor behind.
 *
 * @example
 * ```ts
 * import { loadModel, saveModel } from "./model_io.ts";
 * import { perceptron } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * const dir = await saveModel(perceptron(), await Deno.makeTempDir());
 * assert.deepEqual((await loadModel(dir)).countParams(), 4);
 * assert.equal((await loadModel(dir, { maxBytes: 2 ** 20 })).countParams(), 4);
 * assert.equal((await loadModel(`${dir}/model.json`)).countParams(), 4);
 * assert.equal((await loadModel(`file://${dir}`)).countParams(), 4);
 * ```
 */
export function loadModel(
  dir: string | URL,
  options?: LoadModelOptions,
): Promise<tf.LayersModel> {
  const fn = "loadModel";
  const path = modelPath(fn, dir);
  const o = checkOptions(fn, options, { maxBytes: true });
  const maxBytes = o.maxBytes === undefined
    ? MAX_MODEL_BYTES
    : checkInt(fn, "maxBytes", o.maxBytes, 0);
  return readModel(modelFolder(fn, path, dir), maxBytes);
}
