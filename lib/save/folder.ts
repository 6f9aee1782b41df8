/**
 * The folder protocol that lets {@linkcode saveModel} replace a model without ever losing
 * one, and without touching anything it did not write.
 *
 * A model folder holds `model.json` (marked with {@linkcode SAVED_BY}) and the weights it
 * names, `weights.<hash>.bin`, named after their content. A save writes the new weights
 * under their own name, then renames a new `model.json` over the old one (an atomic step),
 * then removes the old weights. At every instant the folder holds a complete model, old or
 * new, and a reader that finds the weights gone re-reads `model.json`. Saves to one folder
 * take turns under an OS lock, which the OS releases when a process dies, so a killed save
 * never blocks the next one; its leftovers (`.saveModel-*.tmp`, weights no `model.json`
 * names) are removed by the next save. Any other file in the folder is left alone.
 *
 * @module
 */
import { join } from "node:path";
import { ArgumentError, fileError } from "../core/errors.ts";

/** The model file, as tfjs names it. */
export const MODEL_FILE = "model.json";

/**
 * The `savedBy` field {@linkcode saveModel} writes into `model.json`: only a folder whose
 * `model.json` carries it is replaced.
 *
 * @example
 * ```ts
 * import { SAVED_BY } from "./folder.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(SAVED_BY, "saveModel (deep-learning-notebooks)");
 * ```
 */
export const SAVED_BY = "saveModel (deep-learning-notebooks)";

const WEIGHTS_NAME = /^weights\.[0-9a-f]{16}\.bin$/;
const TEMP_NAME = /^\.saveModel-[0-9a-f]{16}\.tmp$/;
/** Where saveModel 0.1 kept the weights; removed when a new save replaces such a model. */
const LEGACY_WEIGHTS = "weights.bin";
/** Used for the lock only where a folder itself cannot be locked (Windows). */
const LOCK_FILE = ".saveModel.lock";

/** The name of a weights file holding bytes whose SHA-256 starts with `hash` (16 hex digits). */
export function weightsFileName(hash: string): string {
  return `weights.${hash}.bin`;
}

/** The first 16 hex digits of the SHA-256 of `bytes`. */
export async function contentHash(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether `name` is a file only saveModel writes (weights, a temporary file, the lock). */
function isOwnName(name: string): boolean {
  return WEIGHTS_NAME.test(name) || TEMP_NAME.test(name) || name === LOCK_FILE;
}

/** What a folder holds, as far as saving is concerned. */
export interface FolderState {
  /** The weight files the current `model.json` names (removed once a new one replaces it). */
  current: string[];
  /** Leftovers of saves that were killed: removed by the next save. */
  leftovers: string[];
}

/**
 * Reads what `dir` holds and refuses any folder saveModel must not write into: a file, a
 * `model.json` saveModel did not write, or files that are not a model saved by saveModel.
 * Synchronous, so `saveModel` can throw before it returns a promise.
 */
export function inspectFolder(fn: string, dir: string): FolderState {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { current: [], leftovers: [] };
    throw fileError(fn, "read", dir, error);
  }
  if (!info.isDirectory) {
    throw ArgumentError.because(
      fn,
      "dir",
      `${dir} is a file, not a folder; saveModel writes a folder (model.json and its weights) ` +
        "and never overwrites a file",
    );
  }
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch (error) {
    throw fileError(fn, "read the folder", dir, error);
  }
  const ownLeftovers = (keep: string[]) =>
    names.filter((n) => n !== LOCK_FILE && isOwnName(n) && !keep.includes(n));
  if (!names.includes(MODEL_FILE)) {
    const others = names.filter((n) => !isOwnName(n));
    if (others.length > 0) {
      throw ArgumentError.because(
        fn,
        "dir",
        `${dir} holds files that are not a model saved by saveModel (${listNames(others)}); ` +
          "saveModel never overwrites or deletes what it did not write: choose a new or empty folder",
      );
    }
    return { current: [], leftovers: ownLeftovers([]) };
  }
  const current = ownWeights(fn, dir);
  return { current, leftovers: ownLeftovers(current) };
}

/** The weight files named by `dir/model.json`, which must carry saveModel's mark. */
function ownWeights(fn: string, dir: string): string[] {
  const path = join(dir, MODEL_FILE);
  const refuse = (why: string) =>
    ArgumentError.because(
      fn,
      "dir",
      `${path} was not written by saveModel (${why}); saveModel never overwrites a model it ` +
        "did not write: choose a new or empty folder, or move that model away",
    );
  let json: unknown;
  try {
    json = JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    if (error instanceof SyntaxError) throw refuse("it is not valid JSON");
    throw fileError(fn, "read", path, error);
  }
  const manifest = json as { savedBy?: unknown; weightsManifest?: { paths?: unknown }[] };
  if (isLegacy(json)) return [LEGACY_WEIGHTS];
  if (manifest === null || typeof manifest !== "object" || manifest.savedBy !== SAVED_BY) {
    throw refuse(`it has no "savedBy": "${SAVED_BY}"`);
  }
  const groups = Array.isArray(manifest.weightsManifest) ? manifest.weightsManifest : [];
  return groups.flatMap((g) => (Array.isArray(g?.paths) ? g.paths : []))
    .filter((p): p is string => typeof p === "string" && WEIGHTS_NAME.test(p));
}

/**
 * Whether `json` is a model.json written by saveModel before it marked its files (version
 * 0.1): exactly its keys in its order, and weights in `weights.bin`.
 */
function isLegacy(json: unknown): boolean {
  if (json === null || typeof json !== "object") return false;
  const j = json as Record<string, unknown>;
  const keys = ["format", "generatedBy", "convertedBy", "modelTopology", "trainingConfig"];
  const groups = j.weightsManifest as { paths?: unknown }[];
  // JSON.stringify drops a trainingConfig that was undefined (an uncompiled model).
  const own = keys.filter((k) => k !== "trainingConfig" || "trainingConfig" in j);
  return Object.keys(j).join() === [...own, "weightsManifest"].join() &&
    j.format === "layers-model" && typeof j.generatedBy === "string" &&
    j.generatedBy.startsWith("TensorFlow.js tfjs-layers v") && j.convertedBy === null &&
    Array.isArray(groups) && groups.length === 1 &&
    JSON.stringify(groups[0]?.paths) === JSON.stringify([LEGACY_WEIGHTS]);
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => JSON.stringify(n)).join(", ");
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/**
 * Takes the folder's save lock, waiting for a save already under way. The OS releases it
 * when the process ends, however it ends.
 */
export async function lockFolder(fn: string, dir: string): Promise<Deno.FsFile> {
  let folder: Deno.FsFile | undefined;
  try {
    folder = await Deno.open(dir, { read: true });
    await folder.lock(true);
    return folder;
  } catch {
    folder?.close();
  }
  const path = join(dir, LOCK_FILE);
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path, { read: true, write: true, create: true });
    await file.lock(true);
    return file;
  } catch (error) {
    file?.close();
    throw fileError(fn, "lock", dir, error);
  }
}

/** Flushes the folder's entries (the renames) to disk where the OS allows, then unlocks. */
export async function unlockFolder(lock: Deno.FsFile): Promise<void> {
  try {
    await lock.sync();
  } catch { /* a lock file, or an OS that cannot sync a folder: the renames still stand */ }
  try {
    await lock.unlock();
  } finally {
    lock.close();
  }
}

/**
 * Writes `bytes` to `dir/name` so that the name only ever holds complete contents: into a
 * temporary file first, flushed to disk, then renamed over `name` in one step.
 */
export async function writeAtomically(
  fn: string,
  dir: string,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const temp = join(
    dir,
    `.saveModel-${[...random].map((b) => b.toString(16).padStart(2, "0")).join("")}.tmp`,
  );
  try {
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temp, join(dir, name));
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw fileError(fn, "write", join(dir, name), error);
  }
}

/**
 * Removes files saveModel wrote in `dir` (with `legacy`, also the `weights.bin` of a model
 * saveModel 0.1 wrote); one already gone is fine.
 */
export async function removeOwn(
  fn: string,
  dir: string,
  names: string[],
  legacy = false,
): Promise<void> {
  for (const name of names) {
    // Never anything else, whatever the caller passes; weights.bin only as a model's weights.
    if (!isOwnName(name) && !(name === LEGACY_WEIGHTS && legacy)) continue;
    try {
      await Deno.remove(join(dir, name));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw fileError(fn, "remove", join(dir, name), error);
      }
    }
  }
}
