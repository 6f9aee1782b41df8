/**
 * Notes a builder attaches to the model it built, for the places a user reads about the
 * model: a warning printed once per process when it is built, and a `Note:` line under its
 * `summary`. Today the only note is the article's neuron rule building a layer too narrow to
 * learn (see `deepNN`).
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { withText } from "../core/text.ts";
import { counted, plural } from "../core/words.ts";

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

/** One layer in a model's text: `h1 (16 relu)`, `drop1 (0.2)`, or its class. */
function layerText(layer: tf.layers.Layer): string {
  const config = layer.getConfig() as { units?: unknown; activation?: unknown; rate?: unknown };
  const kind = layer.getClassName();
  if (kind === "Dense") return `${layer.name} (${config.units} ${config.activation})`;
  if (kind === "Dropout") return `${layer.name} (${config.rate})`;
  return `${layer.name} (${kind})`;
}

/**
 * Gives a built model a `String(model)` that says what it is (tfjs's is
 * `[object Object]`): its name, kind, layers, parameters, and where its table is.
 *
 * @example
 * ```ts
 * import { withModelText } from "./model_notes.ts";
 * import { tf } from "../core/tf.ts";
 * const m = withModelText(tf.sequential({ name: "m", layers: [tf.layers.dense({ name: "d", units: 1, inputShape: [2] })] }));
 * String(m); // 'Model "m" (Sequential): 2 features -> d (1 linear); 3 parameters. summary(model) shows its table'
 * ```
 */
export function withModelText<M extends tf.LayersModel>(model: M): M {
  return withText(model, (m) => {
    const features = m.inputs.length === 1 ? m.inputs[0].shape[1] : undefined;
    const layers = m.layers.filter((l) => l.getClassName() !== "InputLayer").map(layerText);
    const note = modelNote(m);
    const kind = m.getClassName() === "Model" ? "Functional" : m.getClassName(); // Keras's word
    return `Model ${JSON.stringify(m.name)} (${kind}): ` +
      `${features == null ? "" : `${plural(features, "feature")} -> `}${layers.join(" -> ")}; ` +
      `${counted(m.countParams(), "parameter")}. summary(model) shows its table` +
      (note ? `\nNote: ${note.replace(/^deepNN: /, "")}` : "");
  });
}
