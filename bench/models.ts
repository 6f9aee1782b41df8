/**
 * The tfjs model of a bench run (what the lib trains), and the layer widths read back from a
 * model, so the FLOPs check reads the lib's network as it reads the peers'.
 *
 * @module
 */
import { tf } from "../lib/core/tf.ts";
import type { Run } from "./runs.ts";

/**
 * Dense relu layers (with dropout if the run has it), then a sigmoid unit with binary
 * cross-entropy, or a softmax over the classes with sparse categorical cross-entropy; Adam.
 */
export function buildModel(r: Run): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  r.hidden.forEach((units, i) => {
    layers.push(tf.layers.dense({
      units,
      activation: "relu",
      name: `h${i + 1}`,
      ...(i === 0 ? { inputShape: [r.features] } : {}),
    }));
    if (r.dropout) layers.push(tf.layers.dropout({ rate: r.dropout, name: `drop${i + 1}` }));
  });
  const binary = r.outputs === 1;
  layers.push(tf.layers.dense({
    units: r.outputs,
    activation: binary ? "sigmoid" : "softmax",
    name: "output",
  }));
  const m = tf.sequential({ layers });
  m.compile({
    optimizer: "adam",
    loss: binary ? "binaryCrossentropy" : "sparseCategoricalCrossentropy",
    metrics: ["accuracy"],
  });
  return m;
}

/** Widths from input to output of a model's Dense layers, e.g. [784, 512, 256, 10]. */
export function modelWidths(m: tf.LayersModel): number[] {
  const kernels = m.layers.filter((l) => l.getClassName() === "Dense")
    .map((l) => l.weights[0].shape as number[]);
  return [kernels[0][0], ...kernels.map((s) => s[1])];
}
