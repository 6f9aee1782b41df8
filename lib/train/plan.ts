/**
 * The schedule of a training run, shared by every training engine: which rows train and
 * which validate (Keras's `validation_split` takes the LAST fraction, before any shuffling),
 * the order of the training rows in each epoch, the batches, and the seed of the dropout
 * stream. Pure data: no tensors.
 *
 * @module
 */
import { ArgumentError } from "../core/errors.ts";
import { rng } from "../core/random.ts";
import { plural } from "../core/words.ts";

/** What a plan is made from (already checked by `train`). */
export interface PlanOptions {
  /** Rows in the data set (training + validation). */
  rows: number;
  /** Rows per batch. */
  batchSize: number;
  /** Passes over the training rows. */
  epochs: number;
  /** Fraction of rows, taken from the end, kept for validation, in [0, 1). */
  validationSplit: number;
  /** Shuffle the training rows before each epoch. */
  shuffle: boolean;
  /** Seed of the shuffles and dropout; without one a random seed is drawn. */
  seed?: number;
}

/** The schedule of one training run. */
export interface TrainPlan {
  /** Rows 0 .. trainRows-1 train. */
  readonly trainRows: number;
  /** Rows trainRows .. trainRows+valRows-1 (the last ones) validate; 0 without validation. */
  readonly valRows: number;
  /** Rows per batch (the last batch of an epoch may be smaller). */
  readonly batchSize: number;
  /** Number of epochs. */
  readonly epochs: number;
  /** Batches per epoch: ceil(trainRows / batchSize). */
  readonly stepsPerEpoch: number;
  /** Batches of a validation pass: ceil(valRows / batchSize). */
  readonly validationSteps: number;
  /** Whether training rows are shuffled before each epoch. */
  readonly shuffle: boolean;
  /** The seed the user gave, or `null` (then the streams below are seeded at random). */
  readonly seed: number | null;
  /** Seed for the dropout masks of the whole run. */
  readonly dropoutSeed: number;
  /** `[start, end)` offsets into an epoch's order, one per batch. */
  readonly batches: readonly (readonly [number, number])[];
  /**
   * The training rows in the order epoch `epoch` (0-based) visits them: a permutation of
   * 0 .. trainRows-1, or the identity without shuffling. Pure: the same epoch gives the same
   * order, in any call order.
   */
  epochOrder(epoch: number): Int32Array;
}

/** A 32-bit integer hash (murmur3's finaliser), to derive independent seeds. */
function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 1, 0x9E3779B1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85EBCA6B) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xC2B2AE35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const DROPOUT_STREAM = 0x44524F50; // "DROP"

/**
 * Plans a run as Keras's `fit` does: `split_at = floor(rows * (1 - validationSplit))`, the
 * rows before it train and the rest validate; each epoch visits the training rows in a
 * fresh shuffled order, in batches of `batchSize`.
 *
 * @example
 * ```ts
 * import { makePlan } from "./plan.ts";
 * import assert from "node:assert/strict";
 * const plan = makePlan("train", { rows: 1000, batchSize: 30, epochs: 100, validationSplit: 0.3, shuffle: true, seed: 1 });
 * assert.deepEqual([plan.trainRows, plan.valRows, plan.stepsPerEpoch], [700, 300, 24]);
 * ```
 */
export function makePlan(fn: string, o: PlanOptions): TrainPlan {
  const trainRows = Math.floor(o.rows * (1 - o.validationSplit));
  const valRows = o.rows - trainRows;
  if (trainRows < 1) {
    throw ArgumentError.because(
      fn,
      "validationSplit",
      `validationSplit ${o.validationSplit} of ${plural(o.rows, "row")} leaves no row to train on`,
    );
  }
  if (o.validationSplit > 0 && valRows < 1) {
    throw ArgumentError.because(
      fn,
      "validationSplit",
      `validationSplit ${o.validationSplit} of ${
        plural(o.rows, "row")
      } leaves no row to validate on ` +
        `(use 0 to train without validation)`,
    );
  }
  const base = o.seed ?? crypto.getRandomValues(new Uint32Array(1))[0];
  const batches: [number, number][] = [];
  for (let start = 0; start < trainRows; start += o.batchSize) {
    batches.push([start, Math.min(start + o.batchSize, trainRows)]);
  }
  return {
    trainRows,
    valRows,
    batchSize: o.batchSize,
    epochs: o.epochs,
    stepsPerEpoch: batches.length,
    validationSteps: Math.ceil(valRows / o.batchSize),
    shuffle: o.shuffle,
    seed: o.seed ?? null,
    dropoutSeed: mix(base, DROPOUT_STREAM),
    batches,
    epochOrder(epoch: number): Int32Array {
      const order = new Int32Array(trainRows);
      for (let i = 0; i < trainRows; i++) order[i] = i;
      return o.shuffle ? rng(mix(base, epoch)).shuffle(order) : order;
    },
  };
}

/** `n noun`, the noun plural unless n is 1 ("1 row", "2 rows"). */
