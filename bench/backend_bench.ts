/**
 * Backend choice: batched predict (what explanations do) and one training epoch of the large
 * run's network on tfjs's cpu and wasm backends, so the default (`backendChoice`) is measured.
 *
 * @module
 */
import { type BenchOptions, type BenchRow, timeIt } from "./common.ts";
import { backendChoice, tf, useBackend } from "../lib/mod.ts";

function mlp(features: number, hidden: [number, number]): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: hidden[0], activation: "relu", inputShape: [features] }),
      tf.layers.dense({ units: hidden[1], activation: "relu" }),
      tf.layers.dense({ units: 1, activation: "sigmoid" }),
    ],
  });
}

/** Batched predict timings per backend. */
export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const reps = options.reps ?? (options.quick ? 2 : 5);
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    // Exact SHAP of the article's model: 2^10 coalitions x 100 background rows = 102,400 rows.
    const small = mlp(10, [6, 3]);
    const x1 = tf.randomUniform([102_400, 10], 0, 1, "float32", 1);
    // One batch, as explain and evaluate predict (tfjs's default batch of 32 is measured below).
    const one = (m: tf.LayersModel, x: tf.Tensor) =>
      tf.tidy(() => (m.predict(x, { batchSize: x.shape[0] }) as tf.Tensor).dataSync());
    const s1 = await timeIt(() => one(small, x1), reps);
    rows.push({
      group: "backend choice",
      name: `predict 102,400 x 10 on DeepNN-10 (${backend})`,
      value: s1 * 1000,
      unit: "ms",
    });
    // The large run's network on 10,000 rows.
    const large = mlp(100, [256, 128]);
    const x2 = tf.randomUniform([10_000, 100], 0, 1, "float32", 2);
    const s2 = await timeIt(() => one(large, x2), reps);
    rows.push({
      group: "backend choice",
      name: `predict 10,000 x 100 on 256-128 (${backend})`,
      value: s2 * 1000,
      unit: "ms",
    });
    const s3 = await timeIt(() => tf.tidy(() => (small.predict(x1) as tf.Tensor).dataSync()), 1, 0);
    rows.push({
      group: "backend choice",
      name: `predict 102,400 x 10, tfjs's default batchSize 32 (${backend})`,
      value: s3 * 1000,
      unit: "ms",
      note: "1 run; why the lib predicts in large batches",
    });
    tf.dispose([x1, x2]);
    small.dispose();
    large.dispose();
  }
  await useBackend(backendChoice.name);
  rows.push({
    group: "backend choice",
    name: `default: ${backendChoice.name}`,
    value: NaN,
    unit: "",
    note: backendChoice.reason,
  });
  return rows;
}
