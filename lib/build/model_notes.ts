/**
 * Notes a builder attaches to the model it built, for the places a user reads about the
 * model: a warning printed once per process when it is built, and a `Note:` line under its
 * `summary`. Today the only note is the article's neuron rule building a layer too narrow to
 * learn (see `deepNN`).
 *
 * @module
 */
import type { tf } from "../core/tf.ts";

const NOTES = new WeakMap<tf.LayersModel, string>();
const WARNED = new Set<string>();

/**
 * Attaches `note` to `model` and prints it once per process (the same note again, for another
 * model of the same shape, stays quiet: a loop over seeds warns once).
 *
 * @example
 * ```ts
 * import { modelNote, noteModel } from "./model_notes.ts";
 * import { perceptron } from "./models.ts";
 * const m = perceptron();
 * noteModel(m, "a note", { warn: false });
 * modelNote(m); // "a note"
 * ```
 */
export function noteModel(
  model: tf.LayersModel,
  note: string,
  { warn = true }: { warn?: boolean } = {},
): void {
  NOTES.set(model, note);
  if (warn && !WARNED.has(note)) {
    WARNED.add(note);
    console.warn(`Warning: ${note}`);
  }
}

/**
 * The note a builder attached to `model`, if any (a model of the user's own has none).
 *
 * @example
 * ```ts
 * import { modelNote } from "./model_notes.ts";
 * import { perceptron } from "./models.ts";
 * modelNote(perceptron()); // undefined
 * ```
 */
export function modelNote(model: tf.LayersModel): string | undefined {
  return NOTES.get(model);
}
