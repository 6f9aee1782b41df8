/**
 * Saving and loading models on Deno's file system, in tfjs's Layers format (`model.json`
 * plus a weights file), which the tensorflowjs converter turns into a Keras model.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import { checkModel } from "../build/graph.ts";
import { DTYPE_BYTES } from "../core/numeric.ts";
import "../build/activations.ts"; // registers binaryStep, so models using it load

const WEIGHTS_FILE = "weights.bin";

/**
 * Saves a model into folder `dir` (created if missing): `model.json` and `weights.bin`.
 * It is written into a temporary folder first and renamed into place, so an interrupted
 * save never leaves a half-written model. An existing model in `dir` is replaced.
 *
 * @example
 * ```ts
 * import { saveModel } from "./model_io.ts";
 * import { deepNN } from "../build/models.ts";
 * await saveModel(deepNN({ features: 10 }), await Deno.makeTempDir());
 * ```
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<string> {
  checkModel("saveModel", model);
  if (typeof dir !== "string" || dir.length === 0) {
    throw new ArgumentError("saveModel", "dir", dir, "a folder path");
  }
  const parent = dirname(dir);
  await Deno.mkdir(parent, { recursive: true });
  const temp = await Deno.makeTempDir({ dir: parent, prefix: ".saving-" });
  try {
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      const data = artifacts.weightData;
      const buffer = data instanceof ArrayBuffer ? data : tf.io.concatenateArrayBuffers(data ?? []);
      await Deno.writeFile(join(temp, WEIGHTS_FILE), new Uint8Array(buffer));
      await Deno.writeTextFile(join(temp, "model.json"), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }));
    const old = `${temp}-old`;
    let replaced = false;
    try {
      await Deno.rename(dir, old);
      replaced = true;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    try {
      await Deno.rename(temp, dir);
    } catch (e) {
      // Put the previous model back: a failed save must not lose the one already there.
      if (replaced) await Deno.rename(old, dir).catch(() => {});
      throw e;
    }
    if (replaced) await Deno.remove(old, { recursive: true });
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw error;
  }
  return dir;
}

interface ModelJSON {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  trainingConfig?: tf.io.TrainingConfig;
}

/**
 * Loads a model saved by {@linkcode saveModel} (or any tfjs Layers model folder). Errors name
 * the file at fault: a missing folder or `model.json`, JSON that does not parse, or weight
 * files whose size does not match the manifest.
 *
 * @example
 * ```ts
 * import { loadModel, saveModel } from "./model_io.ts";
 * import { perceptron } from "../build/models.ts";
 * const dir = await saveModel(perceptron(), await Deno.makeTempDir());
 * (await loadModel(dir)).countParams(); // 4
 * ```
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  if (typeof dir !== "string" || dir.length === 0) {
    throw new ArgumentError("loadModel", "dir", dir, "a folder path");
  }
  const jsonPath = join(dir, "model.json");
  let raw: string;
  try {
    raw = await Deno.readTextFile(jsonPath);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(
        `loadModel: ${jsonPath} not found (is ${dir} a folder written by saveModel?)`,
      );
    }
    throw e;
  }
  let json: ModelJSON;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new Error(`loadModel: ${jsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  if (!json || typeof json.modelTopology !== "object" || !Array.isArray(json.weightsManifest)) {
    throw new Error(
      `loadModel: ${jsonPath} is not a tfjs Layers model (modelTopology or weightsManifest missing)`,
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    const files = await Promise.all(group.paths.map(async (p) => {
      const path = join(dir, p);
      try {
        return { path, bytes: await Deno.readFile(path) };
      } catch {
        throw new Error(`loadModel: weights file ${path} named in ${jsonPath} cannot be read`);
      }
    }));
    const expected = group.weights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.dtype ?? "float32"] ?? 4),
      0,
    );
    const got = files.reduce((n, f) => n + f.bytes.length, 0);
    if (got !== expected) {
      throw new Error(
        `loadModel: ${files.map((f) => f.path).join(", ")} holds ${got} bytes, ` +
          `but ${jsonPath} describes ${expected} bytes of weights`,
      );
    }
    specs.push(...group.weights);
    chunks.push(...files.map((f) => f.bytes));
  }
  const weightData = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    weightData.set(c, offset);
    offset += c.length;
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: weightData.buffer,
      trainingConfig: json.trainingConfig,
    }));
  } catch (e) {
    throw new Error(
      `loadModel: ${jsonPath} could not be turned into a model: ${(e as Error).message}`,
    );
  }
}
