/**
 * The `tfjs` training engine: runs a {@linkcode TrainJob} with tfjs's own `model.fit`, one
 * call per epoch on the training rows gathered in the plan's order (`shuffle: false`, so the
 * order is the plan's, not tfjs's), validating on the plan's last rows.
 *
 * @module
 */
import { tf } from "../../core/tf.ts";
import { rng } from "../../core/random.ts";
import {
  type BatchCallback,
  type EpochCallback,
  type EpochLogs,
  lossError,
  type TrainEngine,
  type TrainJob,
} from "../engine.ts";

let randomLock: Promise<void> = Promise.resolve();

/**
 * Runs `fit` with Math.random replaced by a seeded stream. tfjs's Dropout draws each mask's
 * seed from Math.random() (tf.dropout without a seed), and a fixed layer seed would reuse one
 * mask every step. Every fit takes its turn (a lock), seeded or not: now that fits yield
 * between batches, an unseeded fit running beside a seeded one would otherwise draw from the
 * seeded stream; Math.random is put back only if it is still ours.
 */
async function withRandom<T>(next: (() => number) | null, fit: () => Promise<T>): Promise<T> {
  const previous = randomLock;
  let release = () => {};
  randomLock = new Promise((resolve) => (release = resolve));
  await previous;
  const original = Math.random;
  if (next) Math.random = next;
  try {
    return await fit();
  } finally {
    if (next && Math.random === next) Math.random = original;
    release();
  }
}

/** Puts back the weights and optimizer state kept before an epoch. */
async function rollback(
  model: tf.LayersModel,
  weights: tf.Tensor[],
  state: { name: string; tensor: tf.Tensor }[],
): Promise<void> {
  model.setWeights(weights);
  const broken = await model.optimizer.getWeights();
  await model.optimizer.setWeights(state);
  tf.dispose(broken.map((w) => w.tensor));
}

/** A copy of the optimizer's state (Adam's moments and iteration count), for a rollback. */
async function snapshot(optimizer: tf.Optimizer): Promise<{ name: string; tensor: tf.Tensor }[]> {
  const state = await optimizer.getWeights();
  const copy = state.map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
  // getWeights returns the live state variables plus a new iteration-count tensor.
  tf.dispose(state.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  return copy;
}

/** Converts one epoch of tfjs's history (`acc`, `val_acc`, ...) to Keras's keys. */
function kerasLogs(job: TrainJob, history: Record<string, (number | tf.Tensor)[]>): EpochLogs {
  const logs: Record<string, number> = {};
  const prefixes = job.plan.valRows > 0 ? ["", "val_"] : [""];
  for (const prefix of prefixes) {
    const pairs = [["loss", "loss"], ...job.metrics.map((m) => [m.key, m.tfjsName])];
    for (const [key, tfjsName] of pairs) {
      const value = history[prefix + tfjsName]?.[0];
      logs[prefix + key] = typeof value === "number" ? value : NaN;
    }
  }
  return logs;
}

/**
 * The engine behind `train(..., { engine: "tfjs" })`, and the fallback for models the fused
 * engine does not run.
 *
 * @example
 * ```ts
 * import { tfjsEngine } from "./engine.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(tfjsEngine.name, "tfjs");
 * ```
 */
export const tfjsEngine: TrainEngine = {
  name: "tfjs",
  unsupported: () => null,
  async run(job: TrainJob, onEpochEnd: EpochCallback, onBatch?: BatchCallback): Promise<void> {
    const { plan, features, outputs, model } = job;
    const n = plan.trainRows;
    const tensors: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      tensors.push(t);
      return t;
    };
    const dropout = plan.seed === null ? null : rng(plan.dropoutSeed);
    try {
      const trainX = keep(tf.tensor2d(job.x.subarray(0, n * features), [n, features]));
      const trainY = keep(tf.tensor2d(job.y.subarray(0, n * outputs), [n, outputs]));
      const validationData: [tf.Tensor, tf.Tensor] | undefined = plan.valRows > 0
        ? [
          keep(tf.tensor2d(job.x.subarray(n * features), [plan.valRows, features])),
          keep(tf.tensor2d(job.y.subarray(n * outputs), [plan.valRows, outputs])),
        ]
        : undefined;
      for (let epoch = 0; epoch < plan.epochs; epoch++) {
        const [ex, ey] = plan.shuffle
          ? tf.tidy(() => {
            const order = tf.tensor1d(plan.epochOrder(epoch), "int32");
            return [tf.gather(trainX, order), tf.gather(trainY, order)];
          })
          : [trainX, trainY];
        // Kept so a run that blows up leaves the last good epoch's weights and optimizer
        // state, as the fused engine does.
        const lastGood = model.getWeights().map((w) => w.clone());
        const lastState = await snapshot(model.optimizer);
        let history: tf.History;
        try {
          try {
            history = await withRandom(dropout?.next ?? null, () =>
              model.fit(ex, ey, {
                batchSize: plan.batchSize,
                epochs: 1,
                shuffle: false,
                validationData,
                verbose: 0,
                yieldEvery: "never",
                // Per-batch progress and interrupts (an exception stops fit after this batch).
                callbacks: onBatch
                  ? { onBatchEnd: (batch) => onBatch(epoch, batch + 1) }
                  : undefined,
              }));
          } catch (error) {
            // Stopped within the epoch: the model keeps the last complete epoch.
            await rollback(model, lastGood, lastState);
            throw error;
          }
          if (!Number.isFinite(history.history.loss?.[0] as number)) {
            await rollback(model, lastGood, lastState);
            throw lossError(history.history.loss?.[0] as number, epoch, plan.epochs);
          }
        } finally {
          if (ex !== trainX) tf.dispose([ex, ey]);
          tf.dispose([...lastGood, ...lastState.map((w) => w.tensor)]);
        }
        const logs = kerasLogs(job, history.history);
        await onEpochEnd(epoch, logs);
      }
    } finally {
      tf.dispose(tensors);
    }
  },
};
