/**
 * The contract between `train()` and a training engine. `train()` checks the inputs and makes
 * the {@linkcode TrainPlan}; an engine runs the epochs of that plan on a compiled model and
 * reports each epoch's logs (Keras's names: `loss`, `accuracy`, `F1`, `val_loss`, ...);
 * `train()` records the history and shows progress. Engines: `fused` (fused/engine.ts, the
 * default for the models it supports) and `tfjs` (model.fit, in tfjs/engine.ts).
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import type { MetricFn } from "./metrics.ts";
import type { TrainPlan } from "./plan.ts";

/** One epoch's values, by Keras's history key. */
export type EpochLogs = Readonly<Record<string, number>>;

/**
 * Called by an engine after each epoch with its 0-based index and logs; the engine awaits it
 * before starting the next epoch (progress display happens there).
 */
export type EpochCallback = (epoch: number, logs: EpochLogs) => void | Promise<void>;

/**
 * Called by an engine between batches (each batch, or every few tens of ms) with the epoch and
 * the batches done in it; awaited, so progress can redraw and an interrupt can stop the run
 * (by throwing) before the next batch.
 */
export type BatchCallback = (epoch: number, batches: number) => void | Promise<void>;

/** One compiled metric of the model. */
export interface CompiledMetric {
  /** The history key Keras uses: the string given to compile (`"accuracy"`), or the function's name (`"F1"`). */
  key: string;
  /** The name tfjs's `fit` logs it under (`"acc"` for `"accuracy"`). */
  tfjsName: string;
  /** What was given to `compile`: a metric name or a metric function. */
  source: string | MetricFn;
}

/** Everything an engine needs for one run; every engine gets the same job. */
export interface TrainJob {
  /** The compiled model; the engine updates its weights (and optimizer state) in place. */
  readonly model: tf.LayersModel;
  /**
   * All rows' features, row-major: `rows * features` values (training rows first, then
   * validation rows). May be made on first read (a copy of `xRows`).
   */
  readonly x: Float32Array;
  /**
   * The caller's rows of features when they came as an array of rows (checked: `features`
   * finite numbers each), or null: an engine may read its batches from them instead of `x`,
   * so the data is never copied whole.
   */
  readonly xRows?: readonly ArrayLike<number>[] | null;
  /** All rows' targets, row-major: `rows * outputs` values. */
  readonly y: Float32Array;
  /** Number of rows (`plan.trainRows + plan.valRows`). */
  readonly rows: number;
  /** Features per row (the model's input width). */
  readonly features: number;
  /** Targets per row: the model's output width, or 1 (class indices, sparse categorical cross-entropy). */
  readonly outputs: number;
  /** Split, per-epoch row order, batches and dropout seed. */
  readonly plan: TrainPlan;
  /**
   * Whether the model must hold each epoch's weights when `onEpochEnd` runs (default true: a
   * callback may read or evaluate it). `train` passes false, as its callback reads only the
   * logs: an engine may then write the weights once, when the run ends (or stops).
   */
  readonly weightsEachEpoch?: boolean;
  /** The model's compiled metrics, in compile order. */
  readonly metrics: readonly CompiledMetric[];
}

/** A way of running the epochs of a {@linkcode TrainJob}. */
export interface TrainEngine {
  /** Name recorded in the history, e.g. `"tfjs"`. */
  readonly name: string;
  /** Why this engine cannot run `job` (e.g. a layer it does not implement), or `null` if it can. */
  unsupported(job: TrainJob): string | null;
  /**
   * Runs `job.plan.epochs` epochs, visiting training rows in `job.plan.epochOrder(e)` order in
   * `job.plan.batches`, then validating on the last `job.plan.valRows` rows. After each epoch
   * calls `onEpochEnd` with every key of {@linkcode historyKeys}. Deterministic for a seeded
   * plan (dropout drawn from `job.plan.dropoutSeed`); leaves no tensor behind but the model's.
   * Between batches it may call `onBatch` (an exception from it ends the run like one from
   * `onEpochEnd`, the model keeping the last complete epoch).
   */
  run(job: TrainJob, onEpochEnd: EpochCallback, onBatch?: BatchCallback): Promise<void>;
}

/**
 * The model's compiled metrics with Keras's history keys. tfjs logs `"accuracy"` as `acc`;
 * Keras uses the string given to compile, so `"accuracy"` stays `accuracy`.
 *
 * @example
 * ```ts
 * import { compiledMetrics } from "./engine.ts";
 * import { deepNN } from "../build/models.ts";
 * import { f1 } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 10 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
 * assert.deepEqual(compiledMetrics(model).map((m) => m.key), ["accuracy", "F1"]);
 * ```
 */
export function compiledMetrics(model: tf.LayersModel): CompiledMetric[] {
  const given = model.metrics as unknown;
  const list: unknown[] = given == null ? [] : Array.isArray(given) ? given : [given];
  // metricsNames is ["loss", ...one name per metric, in compile order] for one output.
  const names = model.metricsNames.slice(1);
  return names.map((tfjsName, i) => {
    const source = list[i] as string | MetricFn;
    return { key: typeof source === "string" ? source : tfjsName, tfjsName, source };
  });
}

/**
 * The keys an engine reports each epoch, in Keras's order: `loss`, the metrics, then their
 * `val_` twins when the plan validates.
 *
 * @example
 * ```ts
 * import { historyKeys } from "./engine.ts";
 * historyKeys([{ key: "accuracy", tfjsName: "acc", source: "accuracy" }], true);
 * // ["loss", "accuracy", "val_loss", "val_accuracy"]
 * ```
 */
export function historyKeys(metrics: readonly CompiledMetric[], validation: boolean): string[] {
  const train = ["loss", ...metrics.map((m) => m.key)];
  return validation ? [...train, ...train.map((k) => `val_${k}`)] : train;
}

/**
 * The error both engines and `train` throw when a run blows up: the value, the epoch, and
 * what to try.
 *
 * @example
 * ```ts
 * import { lossError } from "./engine.ts";
 * lossError(NaN, 11, 100).message;
 * // "train: the loss became NaN in epoch 12/100; try a lower learning rate, or check the data for extreme values"
 * ```
 */
export function lossError(value: number, epoch: number, epochs: number, what = "the loss"): Error {
  return new Error(
    `train: ${what} became ${value} in epoch ${epoch + 1}/${epochs}; ` +
      `try a lower learning rate, or check the data for extreme values`,
  );
}
