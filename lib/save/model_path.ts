/**
 * Where a model lives, from what a user passes to `saveModel` or `loadModel`: a folder path,
 * a `file://` URL as tfjs-node's `model.save("file://./dir")` and
 * `tf.loadLayersModel("file://./dir/model.json")` take it, or a `URL` object. Each becomes a
 * plain path before anything is read or written, so a URL never becomes a folder named
 * `file:`; `loadModel` also takes the path of `model.json` itself (as Keras users pass a
 * model file) and reads its folder. All checks are synchronous: bad input throws at the call.
 *
 * @module
 */
import { basename, dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ArgumentError, fileError } from "../core/errors.ts";
import { MODEL_FILE } from "./folder.ts";

const FILE_SCHEME = "file://";
/** A URL scheme (`indexeddb://`, `http://`): tfjs's other stores, which a file path is not. */
const OTHER_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** What `loadModel` expects, in its errors. */
export const MODEL_FOLDER = "the folder saveModel wrote (it holds model.json)";

/**
 * The path `value` names: a string path as it is, `file://` followed by a path as tfjs-node
 * reads it (`file://./m` is `./m`, `file:///abs/m` is `/abs/m`, nothing decoded), a `file:`
 * `URL` object as `fileURLToPath` reads it. Any other scheme, or no path, is an error.
 *
 * @example
 * ```ts
 * import { modelPath } from "./model_path.ts";
 * import assert from "node:assert/strict";
 * assert.equal(modelPath("saveModel", "file://./my-model"), "./my-model");
 * assert.equal(modelPath("saveModel", "file:///tmp/my-model"), "/tmp/my-model");
 * assert.equal(modelPath("saveModel", new URL("file:///tmp/my%20model")), "/tmp/my model");
 * assert.equal(modelPath("saveModel", "my-model"), "my-model");
 * ```
 */
export function modelPath(fn: string, value: unknown): string {
  const expected = "a folder path or a file:// URL";
  if (value instanceof URL) {
    if (value.protocol !== "file:") {
      throw new ArgumentError(fn, "dir", value.href, expected, schemeHint(fn));
    }
    try {
      return fileURLToPath(value);
    } catch (e) {
      throw new ArgumentError(fn, "dir", value.href, expected, (e as Error).message);
    }
  }
  if (typeof value !== "string" || value.length === 0) {
    throw new ArgumentError(fn, "dir", value, "a folder path");
  }
  if (value.slice(0, FILE_SCHEME.length).toLowerCase() === FILE_SCHEME) {
    let path = value.slice(FILE_SCHEME.length);
    // file:///C:/models/m on Windows is C:/models/m.
    if (Deno.build.os === "windows" && /^\/[A-Za-z]:[\\/]/.test(path)) path = path.slice(1);
    if (path.length === 0) {
      throw new ArgumentError(
        fn,
        "dir",
        value,
        expected,
        "Give a path after file://, e.g. file://./my-model",
      );
    }
    return path;
  }
  if (OTHER_SCHEME.test(value) || /^file:/i.test(value)) {
    throw new ArgumentError(fn, "dir", value, expected, schemeHint(fn));
  }
  return value;
}

function schemeHint(fn: string): string {
  const does = fn === "loadModel" ? "reads from" : "writes to";
  return `${fn} ${does} the file system: write a path ("my-model"), or ` +
    `"file://./my-model" as tfjs-node does`;
}

/**
 * The model folder `loadModel` reads for `path` (`given` is what the user passed, for
 * errors): `path` itself when it is a folder holding `model.json`, its folder when it is a
 * `model.json` file. Anything else (nothing there, another file, a folder without
 * `model.json`) is an {@linkcode ArgumentError} that says what is there.
 *
 * @example
 * ```ts
 * import { modelFolder } from "./model_path.ts";
 * import { saveModel } from "./model_io.ts";
 * import { perceptron } from "../build/models.ts";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 * const dir = await saveModel(perceptron(), await Deno.makeTempDir());
 * assert.equal(modelFolder("loadModel", dir, dir), dir);
 * assert.equal(modelFolder("loadModel", join(dir, "model.json"), dir), dir);
 * ```
 */
export function modelFolder(fn: string, path: string, given: unknown): string {
  const refuse = (what: string) =>
    new ArgumentError(fn, "dir", describeGiven(given), MODEL_FOLDER, what);
  const shown = displayPath(path);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw refuse(`Nothing is at ${shown}`);
    if (e instanceof Deno.errors.NotADirectory) {
      throw refuse(`${displayPath(fileOnPath(path))} is a file, not a folder`);
    }
    throw fileError(fn, "read", path, e);
  }
  if (info.isFile) {
    if (basename(path) === MODEL_FILE) return dirname(path);
    throw refuse(`${shown} is a file, not a model folder`);
  }
  if (!info.isDirectory) throw refuse(`${shown} is neither a file nor a folder`);
  try {
    Deno.statSync(join(path, MODEL_FILE));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      throw refuse(`${shown} is a folder without ${MODEL_FILE}`);
    }
    throw fileError(fn, "read", join(path, MODEL_FILE), e);
  }
  return path;
}

/** The file that stands where `path` needs a folder (`m/model.json` of `m/model.json/x`). */
function fileOnPath(path: string): string {
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* not there, or not readable: look further up */ }
  }
  return path;
}

/**
 * What the user passed, for an error: `describe` would say "a URL" of a `URL` object, so its
 * text is shown instead.
 */
function describeGiven(given: unknown): unknown {
  return given instanceof URL ? given.href : given;
}

/** `path`, with the folder a relative path is read from (a notebook's is not always clear). */
function displayPath(path: string): string {
  if (isAbsolute(path)) return path;
  let cwd = "";
  try {
    cwd = Deno.cwd();
  } catch { /* no read permission for the working folder: the path alone */ }
  return cwd ? `${path} (in ${cwd})` : path;
}
