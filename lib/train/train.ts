/**
 * `train(model, x, y, options)`: the article's `model.fit(x=X, y=y, batch_size=30,
 * epochs=100, shuffle=True)` with 30% of the rows kept for the validation curves it plots,
 * live progress in the notebook and a Keras-style history. Four separate steps: check the
 * inputs (inputs.ts), plan the split and the batch order (plan.ts), run the epochs on an
 * engine (engine.ts: `fused`, fused/engine.ts, by default; `tfjs` = model.fit, tfjs/engine.ts,
 * for other models),
 * report progress (progress.ts). What it returns, `TrainingHistory`, is history.ts's.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { isTraining, markTraining } from "../build/training_state.ts";
import { watchInterrupt } from "../display/interrupt.ts";
import { Interrupted, rememberHistory } from "./interrupted.ts";
import {
  ArgumentError,
  checkBoolean,
  checkInt,
  checkNumber,
  checkOptions,
  checkSeed,
} from "../core/errors.ts";
import {
  checkBinary,
  checkFit,
  type Matrix,
  modelShape,
  readFeatures,
  readTargets,
  readTargetsFor,
  type Targets,
} from "./inputs.ts";
import { makePlan } from "./plan.ts";
import { attachedPreprocessing, refuseUnscaled } from "../data/attached.ts";
import { checkLossFits } from "./loss_fit.ts";
import { TrainingHistory } from "./history.ts";
import { checkTrainingMemory, DEFAULT_MEMORY_LIMIT, trainingFootprint } from "./memory.ts";
import {
  compiledMetrics,
  historyKeys,
  lossError,
  type TrainEngine,
  type TrainJob,
} from "./engine.ts";
import { tfjsEngine } from "./tfjs/engine.ts";
import { fusedEngine } from "./fused/engine.ts";
import {
  LineProgress,
  type ProgressReporter,
  progressReporter,
  silentProgress,
} from "./progress.ts";

export { type History, TrainingHistory, type TrainParams } from "./history.ts";

/** Models with a train() under way: a second one at once is refused. */

/** Least time between two per-batch progress updates and interrupt checks, ms. */
const BATCH_MS = 100;

/** The engines `train` knows by name. */
const ENGINES: ReadonlyMap<string, TrainEngine> = new Map([
  [fusedEngine.name, fusedEngine],
  [tfjsEngine.name, tfjsEngine],
]);

/**
 * Options of {@linkcode train}; defaults are the article's (batch 30, 100 epochs, shuffled,
 * 30% kept for validation).
 */
export interface TrainOptions {
  /** Rows per gradient step. Default 30. */
  batchSize?: number;
  /** Passes over the training rows. Default 100. */
  epochs?: number;
  /** Shuffle the training rows before each epoch. Default true. */
  shuffle?: boolean;
  /**
   * Fraction of rows kept for validation, in [0, 1): the LAST rows (taken before shuffling, as
   * Keras takes them), never trained on. Default 0.3, for the article: its history plot has a
   * validation panel (`val_loss`), which needs rows kept aside (Keras's own default is 0, no
   * validation); 0 trains on every row.
   */
  validationSplit?: number;
  /**
   * Seed for the shuffles and the dropout masks: with the same seed (and a model built with
   * the same seed) two runs give identical histories on the same backend.
   */
  seed?: number;
  /**
   * Show progress: one live display in the notebook, one printed line per epoch in a script
   * (`Epoch 3/100 - ... - loss: ... - val_loss: ...`). Default true; false (or `verbose: 0`)
   * prints nothing.
   */
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
  /**
   * Most bytes the run may take, estimated before it starts (a larger run is refused). Default
   * 4 GiB; a run inside WebAssembly stays under 4 GiB whatever it is.
   */
  memoryLimit?: number;
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
  "memoryLimit",
] as const;

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
 * Trains a compiled model as Keras's `fit` does and returns (a promise of) its history:
 * `await` it. Two defaults to know, both for the article: it keeps the LAST 30% of the rows
 * for validation and never trains on them (the article plots validation curves; Keras's
 * default is no validation; pass `validationSplit: 0` to train on all), and in a script it
 * prints one line per epoch (pass `verbose: 0` for none). The other rows are shuffled each epoch and fed in batches of
 * `batchSize` (30). In the notebook it shows ONE output updated in place (progress line, bar,
 * ETA, ms/step, loss and metrics, and a growing chart). Every bad input, including a loss
 * that does not fit the model's output, throws an {@linkcode ArgumentError} before training
 * starts, leaving no tensor behind.
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
  const memoryLimit = checkNumber(fn, "memoryLimit", o.memoryLimit ?? DEFAULT_MEMORY_LIMIT, 1);

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
  checkLossFits(fn, model, shape.outputs);
  const xs = readFeatures(fn, "x", x, model);
  const carried = attachedPreprocessing(model);
  if (carried) {
    const { source, cols } = xs;
    refuseUnscaled(
      fn,
      "x",
      carried,
      xs.rows,
      (r) => source ? source[r] : xs.data.subarray(r * cols, (r + 1) * cols),
    );
  }
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
    // Copied only for an engine that reads it (tfjs): the fused one reads xRows.
    get x() {
      return xs.data;
    },
    xRows: xs.source,
    y: ys.data,
    rows: xs.rows,
    features: xs.cols,
    outputs: ys.cols,
    plan,
    metrics: compiledMetrics(model),
    weightsEachEpoch: false, // the epoch callback below reads only the logs
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
  const footprint = trainingFootprint(job, engine);
  if (footprint) checkTrainingMemory(fn, model, footprint, memoryLimit);
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
      if (await interrupt.checkpoint()) throw new StopRequested(epoch);
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
        if (await interrupt.checkpoint()) throw new StopRequested(epoch + 1);
        batchAt = performance.now();
      }, onBatch);
    } catch (error) {
      if (!(error instanceof StopRequested)) {
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
    const result = new TrainingHistory({
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
    rememberHistory(model, result);
    if (!stopped) return result;
    // The kernel: the cell ends in an error, so the frontend stops the cells queued after it.
    if (interrupt.inKernel) throw new Interrupted(result);
    // A script: the history so far; a second Ctrl+C ends the process.
    console.error(`train: ${stopped} (Ctrl+C); returning the history so far`);
    return result;
  } finally {
    trained();
  }
}

/** Thrown from the epoch callback to end a run the user interrupted. */
class StopRequested extends Error {
  constructor(readonly epochs: number) {
    super(`interrupted after ${epochs} ${epochs === 1 ? "epoch" : "epochs"}`);
  }
}
