/**
 * Reading a model folder that may not be trustworthy: every size is checked before anything
 * is allocated. `model.json` must be a regular file of at most
 * {@linkcode MAX_MODEL_JSON_BYTES}; the weights it declares must fit the limit (`maxBytes`),
 * match the sizes of the files that hold them (regular files only, so a FIFO never blocks a
 * load) and name each weight once; the topology may not build more weights than the
 * manifest declares. A load that fails leaves no tensor behind.
 *
 * @module
 */
import { isAbsolute, join, relative, sep as SEPARATOR } from "node:path";
import type { tf } from "../core/tf.ts";
import { ArgumentError, fileError } from "../core/errors.ts";
import { DTYPE_BYTES, readableSize } from "../core/numeric.ts";
import { parsePreprocessing, type Preprocessing } from "../data/preprocessing.ts";
import { checkFits, storePreprocessing } from "../data/attached.ts";
import { MODEL_FILE } from "./folder.ts";
import { MODEL_FOLDER } from "./model_path.ts";
import { buildModel } from "./build_model.ts";
import { checkedCompile } from "../build/compile_check.ts";
import { withModelText } from "../build/model_notes.ts";

/** Largest `model.json` loadModel reads: 32 MiB (topology, manifest and metadata). */
export const MAX_MODEL_JSON_BYTES = 32 * 2 ** 20;

/** The key of `model.json`'s `userDefinedMetadata` that holds a model's preprocessing. */
export const PREPROCESSING_KEY = "preprocessing";

/** One group of tfjs's weights manifest: files, and the weights they hold in order. */
export interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** A tfjs Layers `model.json`. */
export interface ModelJSON {
  format?: string;
  generatedBy?: string;
  convertedBy?: null;
  savedBy?: string;
  modelTopology: object;
  weightsManifest: WeightsGroup[];
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
}

const FN = "loadModel";

/** How many times a load re-reads `model.json` when saves keep replacing the model. */
const MAX_REREADS = 100;
/** How many times it retries when `model.json` looks unchanged but its weights are gone. */
const MAX_UNCHANGED = 8;

/**
 * Reads, checks and builds the model in `dir`, reading at most `maxBytes` of weights, and
 * attaches the preprocessing its `model.json` carries.
 */
export async function readModel(dir: string, maxBytes: number): Promise<tf.LayersModel> {
  const jsonPath = join(dir, MODEL_FILE);
  let unchanged = 0;
  for (let attempt = 0;; attempt++) {
    const raw = await readModelJSON(dir, jsonPath);
    const json = parseModelJSON(raw, jsonPath);
    const preprocessing = readPreprocessing(json, jsonPath);
    const declared = checkDeclared(json, jsonPath, maxBytes);
    const weights = await readWeights(dir, jsonPath, json.weightsManifest);
    if (typeof weights !== "string") {
      const model = await buildModel(json, weights, declared, jsonPath);
      if (preprocessing) {
        try {
          checkFits(FN, model, preprocessing);
          storePreprocessing(model, preprocessing);
        } catch (e) {
          model.dispose();
          throw e;
        }
      }
      // As the builders' models: a readable String(model), and compile checks loss names.
      return withModelText(checkedCompile(model));
    }
    // A save replaced the model (and removed its weights) between the two reads: the new
    // model.json names weights that exist, so read it again. Saves that alternate two models
    // can bring back the same model.json, so an unchanged one is retried too, a few times
    // after a short wait, before the weights are called missing.
    const now = await readModelJSON(dir, jsonPath).catch(() => raw);
    if (now === raw) {
      if (++unchanged > MAX_UNCHANGED) attempt = MAX_REREADS;
      else await new Promise((r) => setTimeout(r, unchanged * 2));
    }
    if (attempt >= MAX_REREADS) {
      throw new Error(`loadModel: weights file ${weights} named in ${jsonPath} is missing`);
    }
  }
}

async function readModelJSON(dir: string, jsonPath: string, rereads = 0): Promise<string> {
  let root: string, real: string;
  try {
    [root, real] = await Promise.all([Deno.realPath(dir), Deno.realPath(jsonPath)]);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      // Removed since loadModel looked (modelFolder checks it at the call).
      throw new ArgumentError(FN, "dir", dir, MODEL_FOLDER, `${jsonPath} is not there`);
    }
    throw fileError(FN, "read", jsonPath, e);
  }
  if (outside(root, real)) {
    throw new Error(
      `loadModel: ${jsonPath} is a link to ${real} outside ${dir}; ` +
        "loadModel reads only inside the model's folder",
    );
  }
  const bytes = await readRegularFile(
    jsonPath,
    real,
    MAX_MODEL_JSON_BYTES,
    (size) =>
      `${jsonPath} holds ${readableSize(size)}, more than the ${
        readableSize(MAX_MODEL_JSON_BYTES)
      } a model.json may take (its topology, weights manifest and metadata)`,
  );
  if (bytes === undefined) {
    // Replaced while read (a save renamed a new one over it): read the new one.
    if (rereads < MAX_REREADS) return readModelJSON(dir, jsonPath, rereads + 1);
    throw new Error(`loadModel: ${jsonPath} kept changing while it was read`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw ArgumentError.because(FN, "dir", `${jsonPath} is not UTF-8 text`);
  }
}

/**
 * The bytes of regular file `real` (named `path` in messages), refusing anything else (a
 * FIFO, a device, a folder) and a file larger than `limit`, before reading. `undefined`
 * when the file changed size while read (a save replaced it).
 */
async function readRegularFile(
  path: string,
  real: string,
  limit: number,
  tooLarge: (size: number) => string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(real);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined; // removed by a save meanwhile
    throw fileError(FN, "read", path, e);
  }
  if (!info.isFile) {
    const kind = info.isDirectory
      ? "a folder"
      : info.isFifo
      ? "a FIFO (named pipe)"
      : info.isCharDevice || info.isBlockDevice
      ? "a device"
      : info.isSocket
      ? "a socket"
      : "not a regular file";
    throw ArgumentError.because(
      FN,
      "dir",
      `${path} is ${kind}; loadModel reads only regular files`,
    );
  }
  if (info.size > limit) throw ArgumentError.because(FN, "dir", tooLarge(info.size));
  const bytes = new Uint8Array(info.size);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(real, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw fileError(FN, "read", path, e);
  }
  try {
    let at = 0;
    while (at < bytes.length) {
      const n = await file.read(bytes.subarray(at));
      if (n === null) return undefined; // shorter than it was: replaced while read
      at += n;
    }
    const more = await file.read(new Uint8Array(1));
    if (more !== null && more > 0) return undefined; // longer than it was
    return bytes;
  } catch (e) {
    throw fileError(FN, "read", path, e);
  } finally {
    file.close();
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
  const names = new Set<string>();
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
      const name = (e as tf.io.WeightsManifestEntry).name;
      if (names.has(name)) {
        throw ArgumentError.because(
          FN,
          "dir",
          `${jsonPath} lists weight ${JSON.stringify(name)} twice; each weight is stored once`,
        );
      }
      names.add(name);
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

/** The preprocessing in `model.json`'s metadata, checked, or `undefined` when it has none. */
function readPreprocessing(json: ModelJSON, jsonPath: string): Preprocessing | undefined {
  const meta = json.userDefinedMetadata;
  if (meta === undefined) return undefined;
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
    throw ArgumentError.because(
      FN,
      "dir",
      `${jsonPath}'s userDefinedMetadata must be an object`,
    );
  }
  if (!Object.hasOwn(meta, PREPROCESSING_KEY)) return undefined;
  try {
    return parsePreprocessing(FN, PREPROCESSING_KEY, meta[PREPROCESSING_KEY]);
  } catch (e) {
    throw ArgumentError.because(
      FN,
      "dir",
      `${jsonPath} carries a preprocessing that cannot be used: ${
        (e as Error).message.replace(/^loadModel: /, "")
      }`,
    );
  }
}

/** The model's parameters and bytes, as declared by the manifest (optimizer state aside). */
export interface Declared {
  parameters: number;
  bytes: number;
}

/** Refuses declared weights larger than `maxBytes`, before any file is opened. */
function checkDeclared(json: ModelJSON, jsonPath: string, maxBytes: number): Declared {
  let parameters = 0, bytes = 0;
  for (const g of json.weightsManifest) {
    for (const w of g.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      bytes += n * storedBytes(w)!;
      if (w.group !== "optimizer") parameters += n;
    }
  }
  if (bytes > maxBytes) {
    const count = (n: number) => Math.round(n).toLocaleString("en-US");
    throw ArgumentError.because(
      FN,
      "maxBytes",
      `${jsonPath} declares weights that make ${count(parameters)} parameters (${
        readableSize(bytes)
      }), more than the ${readableSize(maxBytes)} loadModel reads (maxBytes); ` +
        `if you trust this model, pass { maxBytes: ${Math.ceil(bytes)} }`,
    );
  }
  return { parameters, bytes };
}

/**
 * Reads every weights file the manifest names, in order, checking each lies inside `dir`,
 * is a regular file and the sizes match; returns the path of a file that is missing instead.
 */
async function readWeights(
  dir: string,
  jsonPath: string,
  groups: WeightsGroup[],
): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: Uint8Array<ArrayBuffer> } | string> {
  const root = await Deno.realPath(dir);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const files: { path: string; real: string; size: number }[] = [];
  for (const group of groups) {
    const found: { path: string; real: string; size: number }[] = [];
    for (const p of group.paths) {
      const path = insidePath(dir, root, p, jsonPath);
      let real: string;
      let info: Deno.FileInfo;
      try {
        real = await Deno.realPath(path);
        info = await Deno.stat(real);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return path;
        throw fileError(FN, "read", path, e);
      }
      if (outside(root, real)) {
        throw new Error(
          `loadModel: ${jsonPath} names weights file ${path}, a link to ${real} outside ${dir}; ` +
            "loadModel reads only inside the model's folder",
        );
      }
      found.push({ path, real, size: info.isFile ? info.size : -1 });
    }
    const expected = group.weights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * storedBytes(w)!,
      0,
    );
    const got = found.reduce((n, f) => n + f.size, 0);
    if (found.every((f) => f.size >= 0) && got !== expected) {
      throw new Error(
        `loadModel: ${group.paths.map((p) => join(dir, p)).join(", ")} holds ${got} ${
          got === 1 ? "byte" : "bytes"
        }, but ${jsonPath} describes ${expected} ${expected === 1 ? "byte" : "bytes"} of weights`,
      );
    }
    for (const w of group.weights) specs.push(w); // no spread: a manifest may list any number
    for (const f of found) files.push(f);
  }
  const total = files.reduce((n, f) => n + Math.max(0, f.size), 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const f of files) {
    // Refuses a FIFO or device (its stat size says nothing) before opening it.
    const bytes = await readRegularFile(
      f.path,
      f.real,
      Math.max(0, f.size),
      (size) => `${f.path} grew to ${readableSize(size)} while being read`,
    );
    if (bytes === undefined || bytes.length !== f.size) return f.path; // replaced: read again
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
