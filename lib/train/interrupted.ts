/**
 * What an interrupted `train()` leaves: the {@linkcode Interrupted} error that ends the cell in
 * the kernel (so the frontend stops its queue, as a Python kernel's KeyboardInterrupt does), and
 * {@linkcode lastHistory}, the history of a model's last run, finished or stopped.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import type { TrainingHistory } from "./train.ts";

const LAST = new WeakMap<tf.LayersModel, TrainingHistory>();
// lib/train/interrupted.ts: the lib is the folder above this one.
const LIB_DIR = new URL("..", import.meta.url).href;

/**
 * The error an interrupted `train()` ends with in the kernel. The model keeps the weights of
 * the last finished epoch; `history` holds the epochs run so far (also `lastHistory(model)`).
 *
 * @example
 * ```ts
 * import { deepNN } from "../build/mod.ts";
 * import { randomData } from "../data/mod.ts";
 * import { Interrupted, lastHistory, train } from "./mod.ts";
 * const model = deepNN({ features: 10, seed: 1 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
 * const { x, y } = randomData({ rows: 100, seed: 1 });
 * try {
 *   await train(model, x, y, { epochs: 2, seed: 1, live: false });
 * } catch (error) {
 *   if (!(error instanceof Interrupted)) throw error;
 *   console.log(error.history.epoch.length); // the epochs that ran
 * }
 * lastHistory(model)?.epoch.length; // 2
 * ```
 */
export class Interrupted extends Error {
  /** The history of the epochs that finished before the interrupt. */
  readonly history: TrainingHistory;
  /**
   * Creates the error for a run stopped after `history`'s epochs; `stopped` says where.
   * @example
   * ```ts
   * import { Interrupted } from "./interrupted.ts";
   * import { TrainingHistory } from "./train.ts";
   * const params = { epochs: 9, batchSize: 30, steps: 1, trainRows: 7, valRows: 3, validationSplit: 0.3, shuffle: true, seed: 1 };
   * const stopped = "interrupted after epoch 1/9";
   * const h = new TrainingHistory({ history: { loss: [0.7] }, epoch: [0], params, engine: "fused", timeMs: 5, stopped });
   * new Interrupted(h).message.startsWith("train: interrupted after epoch 1/9"); // true
   * ```
   */
  constructor(history: TrainingHistory) {
    if (!Array.isArray((history as Partial<TrainingHistory> | null)?.epoch)) {
      throw new ArgumentError("Interrupted", "history", history, "a TrainingHistory");
    }
    const done = history.epoch.length;
    super(
      `train: ${history.stopped ?? "interrupted"}. The model keeps ${
        done ? `the weights of epoch ${done}` : "the weights it had before"
      }; lastHistory(model) returns the history so far.`,
    );
    this.name = "Interrupted";
    this.history = history;
    // The message and the caller's line: where in the lib it stopped is of no use to anyone.
    const frames = (this.stack ?? "").split("\n").filter((l) =>
      /^\s+at /.test(l) && !l.includes(LIB_DIR)
    );
    this.stack = [`${this.name}: ${this.message}`, ...frames].join("\n");
  }
}

/**
 * Records `history` as `model`'s last run (train calls it, also for a stopped run).
 *
 * @example
 * ```ts
 * import { perceptron } from "../build/mod.ts";
 * import { lastHistory, rememberHistory } from "./interrupted.ts";
 * import { TrainingHistory } from "./train.ts";
 * const params = { epochs: 1, batchSize: 30, steps: 1, trainRows: 7, valRows: 3, validationSplit: 0.3, shuffle: true, seed: 1 };
 * const model = perceptron();
 * rememberHistory(model, new TrainingHistory({ history: { loss: [0.7] }, epoch: [0], params, engine: "fused", timeMs: 5 }));
 * lastHistory(model)?.history.loss; // [0.7]
 * ```
 */
export function rememberHistory(model: tf.LayersModel, history: TrainingHistory): void {
  LAST.set(model, history);
}

/**
 * The history of `model`'s last `train()` run, finished or interrupted (then `stopped` says
 * after which epoch), or `undefined` if it was never trained. After an interrupt in the
 * notebook, `const history = await train(...)` is never assigned: this is where the epochs that
 * ran are.
 *
 * @example
 * ```ts
 * import { deepNN } from "../build/mod.ts";
 * import { randomData } from "../data/mod.ts";
 * import { lastHistory, train } from "./mod.ts";
 * const model = deepNN({ features: 10, seed: 1 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
 * lastHistory(model); // undefined
 * const { x, y } = randomData({ rows: 100, seed: 1 });
 * await train(model, x, y, { epochs: 3, seed: 1, live: false });
 * lastHistory(model)?.epoch.length; // 3
 * ```
 */
export function lastHistory(model: tf.LayersModel): TrainingHistory | undefined {
  if (typeof model !== "object" || model === null || typeof model.getWeights !== "function") {
    throw new ArgumentError(
      "lastHistory",
      "model",
      model,
      "a model (from deepNN, perceptron, ...)",
    );
  }
  return LAST.get(model);
}
