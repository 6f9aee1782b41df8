/**
 * The fused engine's training loop: epochs of batches over a {@linkcode FusedRun} (forward,
 * loss and metrics, backward, optimizer step), validation, logs as tfjs averages them, the
 * per-epoch write-back, and turns for the event loop between batches.
 *
 * @module
 */
import type { FusedSpec } from "./spec.ts";
import { allFinite, copyRows, gatherFromRows, gatherRows } from "./layers.ts";
import { batchLoss, batchMetric } from "./loss.ts";
import { FusedRun } from "./run.ts";
import type { ArenaOptions } from "./arena.ts";
import {
  type BatchCallback,
  type EpochCallback,
  type EpochLogs,
  historyKeys,
  lossError,
  type TrainJob,
} from "../engine.ts";

const fround = Math.fround;

/** The error that stops a run whose loss or weights stopped being finite (as train's own). */
function nanError(what: "loss" | "weights", epoch: number, epochs: number, value: number): Error {
  return lossError(value, epoch, epochs, `the ${what}`);
}

/** Multiply-adds per step from which a run uses two threads (~4 ms of work per step). */
const THREAD_WORK = 4_000_000;

/** Threads worth using for `job`: 2 for models whose products outweigh the hand-off. */
export function autoThreads(spec: FusedSpec, job: TrainJob): number {
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)
    ?.hardwareConcurrency ?? 1;
  if (cores < 2) return 1;
  const rows = Math.min(job.plan.batchSize, job.rows);
  let work = 0;
  for (const op of spec.ops) if (op.kind === "dense") work += 3 * rows * op.inputs * op.units;
  return work >= THREAD_WORK ? 2 : 1;
}

/** Gives the event loop a turn (timers, signals, output) at most this often, in ms. */
const YIELD_MS = 50;

/** One macrotask turn. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs all epochs of `job` (see the module doc) on the arena's threads (results identical for
 * any count); between batches, at most every {@linkcode YIELD_MS} ms, gives the event loop a
 * turn and calls `onBatch` (which may throw to stop the run).
 */
export async function runFused(
  spec: FusedSpec,
  job: TrainJob,
  onEpochEnd: EpochCallback,
  arena: ArenaOptions,
  onBatch?: BatchCallback,
): Promise<void> {
  const run = new FusedRun(spec, job, arena);
  await run.arena.start();
  // The model's output width, and the targets' (1 for integer labels).
  const { plan, features, outputs: targetCols } = job;
  const outputs = spec.outputs;
  const metrics = spec.metrics;
  const validation = plan.valRows > 0;
  const keys = historyKeys(job.metrics, validation);
  const nValues = 1 + metrics.length;
  const trainTotals = new Float64Array(nValues);
  const valTotals = new Float64Array(nValues);
  const xb = run.outputs[0];
  // The caller's rows when it gave rows: batches come from them, the data is never copied.
  const xRows = job.xRows ?? null;
  const yb = run.targets;
  const lossGrad = run.deltas[run.deltas.length - 1];
  run.load();
  let yieldedAt = performance.now();
  try {
    for (let epoch = 0; epoch < plan.epochs; epoch++) {
      const order = plan.epochOrder(epoch);
      trainTotals.fill(0);
      let seen = 0;
      for (let b = 0; b < plan.batches.length; b++) {
        const start = plan.batches[b][0];
        const rows = plan.batches[b][1] - start;
        if (xRows) gatherFromRows(xRows, order, start, rows, features, xb);
        else gatherRows(job.x, order, start, rows, features, xb);
        gatherRows(job.y, order, start, rows, targetCols, yb);
        const out = run.forward(rows, true);
        const loss = batchLoss(spec.loss, out, yb, rows, outputs, lossGrad);
        if (!Number.isFinite(loss)) {
          throw nanError(allFinite(run.params) ? "loss" : "weights", epoch, plan.epochs, loss);
        }
        // tfjs's BaseLogger: total += value * size, in float32.
        trainTotals[0] = fround(trainTotals[0] + fround(loss * rows));
        for (let i = 0; i < metrics.length; i++) {
          const value = batchMetric(metrics[i], out, yb, rows, outputs);
          trainTotals[i + 1] = fround(trainTotals[i + 1] + fround(value * rows));
        }
        seen += rows;
        run.backward(rows);
        if (!run.update()) {
          const bad = run.params.find((w) => !Number.isFinite(w)) ?? NaN;
          throw nanError("weights", epoch, plan.epochs, bad);
        }
        if (performance.now() - yieldedAt >= YIELD_MS && b + 1 < plan.batches.length) {
          await nextTurn();
          if (onBatch) await onBatch(epoch, b + 1);
          yieldedAt = performance.now();
        }
      }
      const logs: Record<string, number> = {};
      const perSeen = fround(1 / seen);
      for (let i = 0; i < nValues; i++) logs[keys[i]] = fround(perSeen * trainTotals[i]);
      if (validation) {
        // tfjs's testLoop: batches of batchSize in row order, total += size * value, / n.
        valTotals.fill(0);
        for (let start = 0; start < plan.valRows; start += plan.batchSize) {
          const rows = Math.min(plan.batchSize, plan.valRows - start);
          const first = plan.trainRows + start;
          if (xRows) gatherFromRows(xRows, null, first, rows, features, xb);
          else copyRows(job.x, first, rows, features, xb);
          copyRows(job.y, plan.trainRows + start, rows, targetCols, yb);
          const out = run.forward(rows, false);
          valTotals[0] = fround(
            valTotals[0] + fround(rows * batchLoss(spec.loss, out, yb, rows, outputs, null)),
          );
          for (let i = 0; i < metrics.length; i++) {
            const value = batchMetric(metrics[i], out, yb, rows, outputs);
            valTotals[i + 1] = fround(valTotals[i + 1] + fround(rows * value));
          }
        }
        for (let i = 0; i < nValues; i++) {
          logs[keys[nValues + i]] = fround(valTotals[i] / plan.valRows);
        }
      }
      run.save(epoch);
      // Written now only for a callback that reads the model; always when the run ends.
      if (job.weightsEachEpoch !== false) run.writeWeights();
      await onEpochEnd(epoch, logs as EpochLogs);
      yieldedAt = performance.now();
    }
  } finally {
    run.arena.close();
    run.writeWeights();
    run.writeOptimizer();
  }
}
