/**
 * What `train` returns: Keras's `History` as plain data (`History`, `TrainParams`) and the
 * `TrainingHistory` value that prints and renders it.
 *
 * @module
 */
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/display.ts";
import { checkHistoryData } from "./history_check.ts";
import type { EpochLogs } from "./engine.ts";
import { formatLogs } from "./progress.ts";
import { plural } from "../core/words.ts";

/** The settings of a run, as Keras's `History.params`. */
export interface TrainParams {
  /** Epochs run. */
  epochs: number;
  /** Rows per batch. */
  batchSize: number;
  /** Batches per epoch. */
  steps: number;
  /** Rows trained on (the first ones). */
  trainRows: number;
  /** Rows validated on (the last ones). */
  valRows: number;
  /** The validation fraction asked for. */
  validationSplit: number;
  /** Whether rows were shuffled each epoch. */
  shuffle: boolean;
  /** The seed, or `null`. */
  seed: number | null;
}

/** What `train` returns, as plain data: Keras's `History` plus the engine and time. */
export interface History {
  /** Per-epoch values by Keras's key: `loss`, `accuracy`, `F1`, ..., `val_loss`, `val_accuracy`, ... */
  history: Record<string, number[]>;
  /** Epoch indices, 0-based (Keras's `History.epoch`). */
  epoch: number[];
  /** The run's settings. */
  params: TrainParams;
  /** The engine that ran the epochs: `"fused"` or `"tfjs"`. */
  engine: string;
  /** Why the default fused engine was not used (the run fell back to tfjs), or `null`. */
  fallback?: string | null;
  /** Wall time of the run, ms. */
  timeMs: number;
  /** Why the run ended before its last epoch (an interrupt: the stop button, Ctrl+C), or `null`. */
  stopped?: string | null;
}

/**
 * A {@linkcode History} that also prints and renders as a one-paragraph summary.
 *
 * @example
 * ```ts
 * import { deepNN, randomData, train } from "../mod.ts";
 * const model = deepNN({ features: 10, seed: 1 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
 * const { x, y } = randomData({ seed: 1 });
 * String(await train(model, x, y, { epochs: 2, live: false })); // "History: 2 epochs on 700 rows ..."
 * ```
 */
export class TrainingHistory implements History, Displayable {
  /** Per-epoch values by Keras's key. */
  readonly history: Record<string, number[]>;
  /** Epoch indices, 0-based. */
  readonly epoch: number[];
  /** The run's settings. */
  readonly params: TrainParams;
  /** The engine that ran the epochs. */
  readonly engine: string;
  /** Why the default fused engine was not used, or `null`. */
  readonly fallback: string | null;
  /** Wall time of the run, ms. */
  readonly timeMs: number;
  /** Why the run ended before its last epoch (an interrupt: the stop button, Ctrl+C), or `null`. */
  readonly stopped: string | null;

  /**
   * Creates a history from its plain data.
   * @example
   * ```ts
   * import { TrainingHistory } from "./history.ts";
   * import assert from "node:assert/strict";
   * const params = { epochs: 1, batchSize: 30, steps: 1, trainRows: 7, valRows: 3, validationSplit: 0.3, shuffle: true, seed: 1 };
   * const h = new TrainingHistory({ history: { loss: [0.7] }, epoch: [0], params, engine: "tfjs", timeMs: 12 });
   * assert.deepEqual(h.history.loss, [0.7]);
   * ```
   */
  constructor(data: History) {
    checkHistoryData("TrainingHistory", data);
    this.history = data.history;
    this.epoch = data.epoch;
    this.params = data.params;
    this.engine = data.engine;
    this.fallback = data.fallback ?? null;
    this.timeMs = data.timeMs;
    this.stopped = data.stopped ?? null;
  }

  /** The last epoch's value of every key. */
  last(): EpochLogs {
    return Object.fromEntries(Object.entries(this.history).map(([k, v]) => [k, v[v.length - 1]]));
  }

  /** `History: 100 epochs on 700 rows (300 validation), engine tfjs, 8.4 s` and the last epoch's values. */
  toString(): string {
    const p = this.params;
    return `History: ${plural(this.epoch.length, "epoch")} on ${plural(p.trainRows, "row")} ` +
      `(${p.valRows} validation), ` +
      `batch ${p.batchSize}, seed ${p.seed ?? "none"}, engine ${this.engine}` +
      `${this.fallback ? ` (fused engine not used: ${this.fallback})` : ""}, ` +
      `${(this.timeMs / 1000).toFixed(1)} s${this.stopped ? ` (${this.stopped})` : ""}\n` +
      `last epoch: ${formatLogs(this.last())}`;
  }

  /** Plain text only; plot it with `plotHistory`. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString() };
  }

  /** The plain data (what JSON.stringify writes). */
  toJSON(): History {
    const { history, epoch, params, engine, fallback, timeMs, stopped } = this;
    return { history, epoch, params, engine, fallback, timeMs, stopped };
  }
}

/** `n noun`, the noun plural unless n is 1 ("1 row", "2 rows"). */
