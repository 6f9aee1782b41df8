/**
 * The `tfjs` training engine: runs a {@linkcode TrainJob} with tfjs's own `model.fit`, one
 * call per epoch on the training rows gathered in the plan's order (`shuffle: false`, so the
 * order is the plan's, not tfjs's), validating on the plan's last rows.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { rng } from "./random.ts";
import type { EpochCallback, EpochLogs, TrainEngine, TrainJob } from "./train_engine.ts";

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
 * The engine behind `train(..., { engine: "tfjs" })`, the default.
 *
 * @example
 * ```ts
 * import { tfjsEngine } from "./engine_tfjs.ts";
 * tfjsEngine.name; // "tfjs"
 * ```
 */
export const tfjsEngine: TrainEngine = {
  name: "tfjs",
  unsupported: () => null,
  async run(job: TrainJob, onEpochEnd: EpochCallback): Promise<void> {
    const { plan, features, outputs, model } = job;
    const n = plan.trainRows;
    const tensors: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      tensors.push(t);
      return t;
    };
    // tfjs's Dropout draws each mask's seed from Math.random() (tf.dropout without a seed),
    // and a fixed layer seed would reuse one mask every step; so with a seed, Math.random is
    // a seeded stream while fit runs (only then: the epoch callback sees the real one).
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
        let history: tf.History;
        // Kept so a run that blows up leaves the last good epoch's weights, as the fused engine does.
        const lastGood = model.getWeights().map((w) => w.clone());
        const mathRandom = Math.random;
        if (dropout) Math.random = dropout.next;
        try {
          history = await model.fit(ex, ey, {
            batchSize: plan.batchSize,
            epochs: 1,
            shuffle: false,
            validationData,
            verbose: 0,
            yieldEvery: "never",
          });
          if (!Number.isFinite(history.history.loss?.[0] as number)) {
            model.setWeights(lastGood);
            throw new Error(
              `train: the loss became ${history.history.loss?.[0]} in epoch ${
                epoch + 1
              }/${plan.epochs}; ` +
                `try a lower learning rate, or check the data for extreme values`,
            );
          }
        } finally {
          Math.random = mathRandom;
          if (ex !== trainX) tf.dispose([ex, ey]);
          tf.dispose(lastGood);
        }
        const logs = kerasLogs(job, history.history);
        await onEpochEnd(epoch, logs);
      }
    } finally {
      tf.dispose(tensors);
    }
  },
};
