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
import { isAbsolute, join, relative, sep as SEPARATOR } from "node:path";
import { tf } from "../core/tf.ts";
import { ArgumentError, fileError } from "../core/errors.ts";
import { checkModel } from "../build/graph.ts";
import { DTYPE_BYTES } from "../core/numeric.ts";
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
 * @example
 * ```ts
 * import { saveModel } from "./model_io.ts";
 * import { deepNN } from "../build/models.ts";
 * await saveModel(deepNN({ features: 10 }), await Deno.makeTempDir());
 * ```
 */
export function saveModel(model: tf.LayersModel, dir: string): Promise<string> {
  const fn = "saveModel";
  checkModel(fn, model);
  checkNotTraining(fn, model);
  if (typeof dir !== "string" || dir.length === 0) {
    throw new ArgumentError(fn, "dir", dir, "a folder path");
  }
  inspectFolder(fn, dir); // refuses a file or a folder of other files, before any promise
  return writeModel(fn, model, dir);
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

type TrainingConfig = Parameters<tf.LayersModel["loadTrainingConfig"]>[0];

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

interface ModelJSON {
  format?: string;
  generatedBy?: string;
  convertedBy?: null;
  savedBy?: string;
  modelTopology: object;
  weightsManifest: WeightsGroup[];
  trainingConfig?: tf.io.TrainingConfig;
}

/** The model's `model.json` content and its weights, as tfjs serialises them. */
async function serialize(
  model: tf.LayersModel,
): Promise<{ json: ModelJSON; weights: Uint8Array<ArrayBuffer> }> {
  let result: { json: ModelJSON; weights: Uint8Array<ArrayBuffer> } | undefined;
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
      },
      weights: new Uint8Array(buffer),
    };
    return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) });
  }));
  return result!;
}

/**
 * Loads a model saved by {@linkcode saveModel} (or any tfjs Layers model folder). Errors name
 * the file at fault: a missing folder or `model.json`, JSON that does not parse, a weights
 * path outside the folder, or weight files whose size does not match the manifest. It reads
 * only inside `dir`, and a load that fails leaves no tensor behind.
 *
 * @example
 * ```ts
 * import { loadModel, saveModel } from "./model_io.ts";
 * import { perceptron } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * const dir = await saveModel(perceptron(), await Deno.makeTempDir());
 * assert.deepEqual((await loadModel(dir)).countParams(), 4);
 * ```
 */
export function loadModel(dir: string): Promise<tf.LayersModel> {
  if (typeof dir !== "string" || dir.length === 0) {
    throw new ArgumentError("loadModel", "dir", dir, "a folder path");
  }
  return readModel(dir);
}

/** How many times a load re-reads `model.json` when saves keep replacing the model. */
const MAX_REREADS = 100;
/** How many times it retries when `model.json` looks unchanged but its weights are gone. */
const MAX_UNCHANGED = 8;

async function readModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, MODEL_FILE);
  let unchanged = 0;
  for (let attempt = 0;; attempt++) {
    const raw = await readModelJSON(dir, jsonPath);
    const json = parseModelJSON(raw, jsonPath);
    const weights = await readWeights(dir, jsonPath, json.weightsManifest);
    if (typeof weights !== "string") return await buildModel(json, weights, jsonPath);
    // A save replaced the model (and removed its weights) between the two reads: the new
    // model.json names weights that exist, so read it again. Saves that alternate two models
    // can bring back the same model.json, so an unchanged one is retried too, a few times
    // after a short wait, before the weights are called missing.
    const now = await Deno.readTextFile(jsonPath).catch(() => raw);
    if (now === raw) {
      if (++unchanged > MAX_UNCHANGED) attempt = MAX_REREADS;
      else await new Promise((r) => setTimeout(r, unchanged * 2));
    }
    if (attempt >= MAX_REREADS) {
      throw new Error(`loadModel: weights file ${weights} named in ${jsonPath} is missing`);
    }
  }
}

async function readModelJSON(dir: string, jsonPath: string): Promise<string> {
  let root: string, real: string;
  try {
    [root, real] = await Promise.all([Deno.realPath(dir), Deno.realPath(jsonPath)]);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(
        `loadModel: ${jsonPath} not found (is ${dir} a folder written by saveModel?)`,
      );
    }
    throw fileError("loadModel", "read", jsonPath, e);
  }
  if (outside(root, real)) {
    throw new Error(
      `loadModel: ${jsonPath} is a link to ${real} outside ${dir}; ` +
        "loadModel reads only inside the model's folder",
    );
  }
  try {
    return await Deno.readTextFile(real);
  } catch (e) {
    throw fileError("loadModel", "read", jsonPath, e);
  }
}

/** Whether resolved path `real` lies outside resolved folder `root`. */
function outside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === ".." || rel.startsWith(`..${SEPARATOR}`) || isAbsolute(rel);
}

/** Bytes per stored value: the quantized dtype's when weights are quantized. */
const STORED_BYTES: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

function parseModelJSON(raw: string, jsonPath: string): ModelJSON {
  let json: ModelJSON;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new Error(`loadModel: ${jsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  if (
    !json || typeof json !== "object" || !json.modelTopology ||
    typeof json.modelTopology !== "object" || !Array.isArray(json.weightsManifest)
  ) {
    throw new Error(
      `loadModel: ${jsonPath} is not a tfjs Layers model (modelTopology or weightsManifest missing)`,
    );
  }
  const bad = (what: string) =>
    new Error(`loadModel: ${jsonPath} is not a tfjs Layers model: ${what}`);
  for (const group of json.weightsManifest as unknown[]) {
    const g = group as Partial<WeightsGroup> | null;
    if (!g || typeof g !== "object" || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw bad("each weightsManifest entry needs a paths list and a weights list");
    }
    if (g.paths.some((p) => typeof p !== "string" || p.length === 0)) {
      throw bad("weightsManifest paths must be file names");
    }
    for (const w of g.weights as unknown[]) {
      const e = w as Partial<tf.io.WeightsManifestEntry> | null;
      const ok = e && typeof e === "object" && typeof e.name === "string" &&
        Array.isArray(e.shape) &&
        e.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
        storedBytes(e as tf.io.WeightsManifestEntry) !== undefined;
      if (!ok) {
        throw bad(`weight ${JSON.stringify(describeEntry(w))} needs a name, a shape and a dtype`);
      }
    }
  }
  return json;
}

function describeEntry(w: unknown): unknown {
  return w && typeof w === "object" && "name" in w ? (w as { name: unknown }).name : w;
}

function storedBytes(w: tf.io.WeightsManifestEntry): number | undefined {
  const q = w.quantization?.dtype;
  return q ? STORED_BYTES[q] : DTYPE_BYTES[w.dtype ?? "float32"];
}

/**
 * Reads every weights file the manifest names, in order, checking each lies inside `dir`
 * and the sizes match; returns the path of a file that is missing instead.
 */
async function readWeights(
  dir: string,
  jsonPath: string,
  groups: WeightsGroup[],
): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: Uint8Array<ArrayBuffer> } | string> {
  const root = await Deno.realPath(dir);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const files: { path: string; size: number }[][] = [];
  for (const group of groups) {
    const found: { path: string; size: number }[] = [];
    for (const p of group.paths) {
      const path = insidePath(dir, root, p, jsonPath);
      let real: string;
      try {
        real = await Deno.realPath(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return path;
        throw fileError("loadModel", "read", path, e);
      }
      if (outside(root, real)) {
        throw new Error(
          `loadModel: ${jsonPath} names weights file ${path}, a link to ${real} outside ${dir}; ` +
            "loadModel reads only inside the model's folder",
        );
      }
      let size: number;
      try {
        size = (await Deno.stat(real)).size;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return path;
        throw fileError("loadModel", "read", path, e);
      }
      found.push({ path: real, size });
    }
    const expected = group.weights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * storedBytes(w)!,
      0,
    );
    const got = found.reduce((n, f) => n + f.size, 0);
    if (got !== expected) {
      throw new Error(
        `loadModel: ${group.paths.map((p) => join(dir, p)).join(", ")} holds ${got} bytes, ` +
          `but ${jsonPath} describes ${expected} bytes of weights`,
      );
    }
    for (const w of group.weights) specs.push(w); // no spread: a manifest may list any number
    files.push(found);
  }
  const total = files.flat().reduce((n, f) => n + f.size, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const f of files.flat()) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(f.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return f.path;
      throw fileError("loadModel", "read", f.path, e);
    }
    if (bytes.length !== f.size) return f.path; // replaced while we read: read the model again
    data.set(bytes, offset);
    offset += bytes.length;
  }
  return { specs, data };
}

/** `dir/p`, refusing a path that leaves `dir` (`..`, absolute, or a drive letter). */
function insidePath(dir: string, root: string, p: string, jsonPath: string): string {
  const parts = p.split(/[\\/]/);
  if (isAbsolute(p) || /^[A-Za-z]:/.test(p) || parts.includes("..") || p.includes("\0")) {
    throw new Error(
      `loadModel: ${jsonPath} names weights file ${JSON.stringify(p)}, outside ${root}; ` +
        "loadModel reads only inside the model's folder",
    );
  }
  return join(dir, p);
}

/**
 * Builds the model and loads its weights; if anything fails, every tensor made on the way
 * is disposed.
 */
async function buildModel(
  json: ModelJSON,
  weights: { specs: tf.io.WeightsManifestEntry[]; data: Uint8Array<ArrayBuffer> },
  jsonPath: string,
): Promise<tf.LayersModel> {
  const fail = (e: unknown) =>
    new Error(
      `loadModel: ${jsonPath} could not be turned into a model: ${(e as Error).message}`,
      { cause: e },
    );
  // modelFromJSON builds the layers (and their weight variables) synchronously before its
  // first await, so the variables registered across this call are exactly the model's.
  const registered = () => Object.keys(tf.engine().registeredVariables);
  const before = new Set(registered());
  const pending = tf.models.modelFromJSON(
    { modelTopology: json.modelTopology } as Parameters<typeof tf.models.modelFromJSON>[0],
  );
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
