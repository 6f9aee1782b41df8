/**
 * `train(model, x, y, options)`: the article's `model.fit(x=X, y=y, batch_size=30,
 * epochs=100, shuffle=True)` with Keras's validation split, live progress in the notebook
 * and a Keras-style history. Four separate steps: check the inputs (inputs.ts), plan the
 * split and the batch order (train_plan.ts), run the epochs on an engine (train_engine.ts:
 * `fused`, engine_fused.ts, by default; `tfjs` = model.fit, engine_tfjs.ts, for other models),
 * report progress (progress.ts).
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { isTraining, markTraining } from "../build/training_state.ts";
import { watchInterrupt } from "../display/interrupt.ts";
import {
  ArgumentError,
  checkBoolean,
  checkInt,
  checkNumber,
  checkOptions,
  checkSeed,
} from "../core/errors.ts";
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/display.ts";
import {
  checkBinary,
  checkFit,
  type Matrix,
  modelShape,
  readMatrix,
  readTargets,
  readTargetsFor,
  type Targets,
} from "./inputs.ts";
import { makePlan } from "./train_plan.ts";
import {
  compiledMetrics,
  type EpochLogs,
  historyKeys,
  lossError,
  type TrainEngine,
  type TrainJob,
} from "./train_engine.ts";
import { tfjsEngine } from "./engine_tfjs.ts";
import { fusedEngine } from "./engine_fused.ts";
import {
  formatLogs,
  LineProgress,
  type ProgressReporter,
  progressReporter,
  silentProgress,
} from "./progress.ts";

/** Models with a train() under way: a second one at once is refused. */

/** Least time between two per-batch progress updates and interrupt checks, ms. */
const BATCH_MS = 100;

/** The engines `train` knows by name. */
const ENGINES: ReadonlyMap<string, TrainEngine> = new Map([
  [fusedEngine.name, fusedEngine],
  [tfjsEngine.name, tfjsEngine],
]);

/** Options of {@linkcode train}; defaults are the article's and Keras's. */
export interface TrainOptions {
  /** Rows per gradient step. Default 30. */
  batchSize?: number;
  /** Passes over the training rows. Default 100. */
  epochs?: number;
  /** Shuffle the training rows before each epoch. Default true. */
  shuffle?: boolean;
  /** Fraction of rows, taken from the END (before shuffling, as Keras), used for validation, in [0, 1). Default 0.3. */
  validationSplit?: number;
  /**
   * Seed for the shuffles and the dropout masks: with the same seed (and a model built with
   * the same seed) two runs give identical histories on the same backend.
   */
  seed?: number;
  /** Show progress: one live display in the notebook, one line per epoch elsewhere. Default true. */
  live?: boolean;
  /**
   * Keras's `verbose`: 0 (or false) prints nothing, 1 (or true) is the default display, 2 prints
   * one line per epoch even in the notebook.
   */
  verbose?: boolean | 0 | 1 | 2;
  /**
   * The engine that runs the epochs: `"fused"`, `"tfjs"` or an engine object. By default the
   * fused engine runs the models it supports (Dense and Dropout layers; Adam or SGD; binary or
   * (sparse) categorical crossentropy, MSE or MAE) and anything else falls back to tfjs, saying why.
   */
  engine?: string | TrainEngine;
}

const OPTION_KEYS = [
  "batchSize",
  "epochs",
  "shuffle",
  "validationSplit",
  "seed",
  "live",
  "verbose",
  "engine",
] as const;

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
  /** Why the run ended before its last epoch (a kernel interrupt), or `null`. */
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
  /** Why the run ended before its last epoch (a kernel interrupt), or `null`. */
  readonly stopped: string | null;

  /**
   * Creates a history from its plain data.
   * @example
   * ```ts
   * import { TrainingHistory } from "./train.ts";
   * import assert from "node:assert/strict";
   * const params = { epochs: 1, batchSize: 30, steps: 1, trainRows: 7, valRows: 3, validationSplit: 0.3, shuffle: true, seed: 1 };
   * const h = new TrainingHistory({ history: { loss: [0.7] }, epoch: [0], params, engine: "tfjs", timeMs: 12 });
   * assert.deepEqual(h.history.loss, [0.7]);
   * ```
   */
  constructor(data: History) {
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
    return `History: ${this.epoch.length} epochs on ${p.trainRows} rows (${p.valRows} validation), ` +
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

function checkEngine(fn: string, value: unknown): TrainEngine {
  if (typeof value === "string") {
    const engine = ENGINES.get(value);
    if (engine) return engine;
  } else if (
    value && typeof value === "object" && typeof (value as TrainEngine).run === "function" &&
    typeof (value as TrainEngine).name === "string" &&
    typeof (value as TrainEngine).unsupported === "function"
  ) {
    return value as TrainEngine;
  }
  throw new ArgumentError(
    fn,
    "engine",
    value,
    `one of ${[...ENGINES.keys()].map((k) => `"${k}"`).join(", ")} or a TrainEngine`,
  );
}

/** Whether the model is compiled with this loss (camelCase name, or its snake_case twin). */
function usesLoss(model: tf.LayersModel, loss: string): boolean {
  const snake = loss.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const losses = [model.loss, ...(model.lossFunctions ?? [])].flat();
  return losses.some((l) => {
    const name = typeof l === "string" ? l : typeof l === "function" ? l.name : "";
    return name === loss || name === snake;
  });
}

/** Whether the model is compiled with binary cross-entropy (then labels must be 0/1). */
function usesBinaryCrossentropy(model: tf.LayersModel): boolean {
  return usesLoss(model, "binaryCrossentropy");
}

/** Checks every label is an integer class index in [0, classes), naming the first that is not. */
function checkLabels(fn: string, y: { data: Float32Array }, classes: number): void {
  const bad = y.data.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < classes));
  if (bad >= 0) {
    throw ArgumentError.because(
      fn,
      "y",
      `with a sparseCategoricalCrossentropy loss, y holds one class index per row, an ` +
        `integer from 0 to ${classes - 1}; row ${bad} has ${y.data[bad]}`,
    );
  }
}

/**
 * Trains a compiled model as Keras's `fit` does and returns its history. The last
 * `validationSplit` of the rows (taken before shuffling) validate; the rest are shuffled each
 * epoch and fed in batches of `batchSize`. In the notebook it shows ONE output updated in
 * place (progress line, bar, ETA, ms/step, loss and metrics, and a growing chart); outside
 * it prints one line per epoch. Every bad input throws an {@linkcode ArgumentError} before
 * training starts, leaving no tensor behind.
 *
 * @example
 * ```ts
 * import { deepNN, f1, randomData, train } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = randomData({ seed: 42 });
 * const model = deepNN({ features: 10, seed: 42 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
 * const training = await train(model, x, y, { epochs: 5, seed: 42 });
 * assert.deepEqual(training.history.val_F1.length, 5);
 * ```
 */
export function train(
  model: tf.LayersModel,
  x: Matrix,
  y: Targets,
  options?: TrainOptions,
): Promise<TrainingHistory> {
  // Not async: a bad argument throws at the call, even when the caller forgets `await`.
  return runTraining(checkTraining(model, x, y, options));
}

/** Every check of {@linkcode train}'s arguments, done before any work and any promise. */
function checkTraining(
  model: tf.LayersModel,
  x: Matrix,
  y: Targets,
  options?: TrainOptions,
) {
  const fn = "train";
  const o = checkOptions(fn, options, OPTION_KEYS);
  const batchSize = checkInt(fn, "batchSize", o.batchSize ?? 30);
  const epochs = checkInt(fn, "epochs", o.epochs ?? 100);
  const shuffle = checkBoolean(fn, "shuffle", o.shuffle, true);
  const validationSplit = checkNumber(fn, "validationSplit", o.validationSplit ?? 0.3, 0, 1, true);
  const seed = checkSeed(fn, o.seed);
  const live = checkBoolean(fn, "live", o.live, true);
  const verbose = o.verbose ?? 1;
  if (![0, 1, 2, true, false].includes(verbose)) {
    throw new ArgumentError(fn, "verbose", verbose, "0, 1, 2, true or false");
  }
  const chosen = o.engine === undefined ? null : checkEngine(fn, o.engine);

  const shape = modelShape(fn, model);
  if (isTraining(model)) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${
        JSON.stringify(model.name)
      } is already training (an earlier train() on it has not finished): await it, ` +
        `or train a copy`,
    );
  }
  if (model.optimizer == null) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${
        JSON.stringify(model.name)
      } is not compiled: call model.compile({ optimizer, loss, metrics }) first`,
    );
  }
  const xs = readMatrix(fn, "x", x);
  const sparse = usesLoss(model, "sparseCategoricalCrossentropy");
  // Integer class labels, one per row, for a sparse categorical cross-entropy; otherwise
  // readTargetsFor one-hots class indices for a softmax model.
  const ys = sparse ? readTargets(fn, "y", y) : readTargetsFor(fn, "y", y, model);
  checkFit(fn, sparse ? { ...shape, outputs: 1 } : shape, xs, ys);
  if (sparse) checkLabels(fn, ys, shape.outputs);
  if (usesBinaryCrossentropy(model)) checkBinary(fn, "y", ys, "with a binaryCrossentropy loss");
  const plan = makePlan(fn, { rows: xs.rows, batchSize, epochs, validationSplit, shuffle, seed });
  const job: TrainJob = {
    model,
    x: xs.data,
    y: ys.data,
    rows: xs.rows,
    features: xs.cols,
    outputs: ys.cols,
    plan,
    metrics: compiledMetrics(model),
  };
  // By default the fused engine runs what it supports; anything else falls back to tfjs,
  // and the reason is shown in the progress and kept in the history.
  const fallback = chosen ? null : fusedEngine.unsupported(job);
  const engine = chosen ?? (fallback ? tfjsEngine : fusedEngine);
  const why = chosen ? engine.unsupported(job) : null;
  if (why) {
    throw ArgumentError.because(
      fn,
      "engine",
      `engine "${engine.name}" cannot train this model: ${why}`,
    );
  }
  return {
    job,
    plan,
    engine,
    fallback,
    epochs,
    batchSize,
    validationSplit,
    shuffle,
    live,
    verbose,
  };
}

async function runTraining(
  { job, plan, engine, fallback, epochs, batchSize, validationSplit, shuffle, live, verbose }:
    ReturnType<typeof checkTraining>,
): Promise<TrainingHistory> {
  const keys = historyKeys(job.metrics, plan.valRows > 0);
  const history: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const epochIndices: number[] = [];
  const reporter: ProgressReporter = !live || verbose === 0 || verbose === false
    ? silentProgress
    : verbose === 2
    ? new LineProgress()
    : progressReporter(true);
  // Marked before the first await, so a second train() on it in the same tick is refused.
  const model = job.model;
  const trained = markTraining(model);
  try {
    const started = performance.now();
    const engineNote = fallback
      ? `${engine.name} (fused engine not used: ${fallback})`
      : engine.name;
    await reporter.start(epochs, plan.stepsPerEpoch, engineNote);
    const interrupt = watchInterrupt();
    let stopped: string | null = null;
    // Between batches (the fused engine calls every ~50 ms, tfjs every batch): redraw the
    // progress and take an interrupt, at most every BATCH_MS so it stays cheap.
    let batchAt = performance.now();
    const onBatch = async (epoch: number, batches: number) => {
      const now = performance.now();
      if (now - batchAt < BATCH_MS) return;
      batchAt = now;
      await reporter.batchEnd?.(epoch, batches);
      if (await interrupt.checkpoint()) throw new Interrupted(epoch);
    };
    try {
      await engine.run(job, async (epoch, logs) => {
        for (const k of keys) history[k].push(logs[k] ?? NaN);
        epochIndices.push(epoch);
        await reporter.epochEnd(
          epoch,
          Object.fromEntries(keys.map((k) => [k, logs[k] ?? NaN])),
          history,
        );
        // Both engines stop on a non-finite loss themselves; this catches metrics that overflow
        // float32 while the loss stays finite (R2 on a single row).
        const overflow = keys.find((k) => !Number.isFinite(logs[k]));
        if (overflow !== undefined) {
          const what = overflow === "loss" ? "the loss" : `the metric ${overflow}`;
          throw lossError(logs[overflow], epoch, epochs, what);
        }
        if (await interrupt.checkpoint()) throw new Interrupted(epoch + 1);
        batchAt = performance.now();
      }, onBatch);
    } catch (error) {
      if (!(error instanceof Interrupted)) {
        await reporter.end(error instanceof Error ? error.message : String(error));
        throw error;
      }
      stopped = `interrupted after epoch ${error.epochs}/${epochs}`;
    } finally {
      interrupt.stop();
    }
    await reporter.end(
      stopped ? `${stopped}; the model keeps the weights of that epoch` : undefined,
    );
    return new TrainingHistory({
      history,
      epoch: epochIndices,
      params: {
        epochs,
        batchSize,
        steps: plan.stepsPerEpoch,
        trainRows: plan.trainRows,
        valRows: plan.valRows,
        validationSplit,
        shuffle,
        seed: plan.seed,
      },
      engine: engine.name,
      fallback,
      timeMs: performance.now() - started,
      stopped,
    });
  } finally {
    trained();
  }
}

/** Thrown from the epoch callback to end a run the user interrupted. */
class Interrupted extends Error {
  constructor(readonly epochs: number) {
    super(`interrupted after ${epochs} epochs`);
  }
}
