/**
 * One run of the fused engine: the buffers, forward and backward passes, the optimizer state,
 * and the write-back of weights and state into the tfjs model (see fused/engine.ts).
 *
 * @module
 */
import { tf } from "../../core/tf.ts";
import { Arena, type ArenaOptions } from "./arena.ts";
import { type AdamFields, type DenseOp, type FusedSpec, type Op, RELU } from "./spec.ts";
import { activate, activationGrad, columnSums, transpose } from "./layers.ts";
import type { TrainJob } from "../engine.ts";

const fround = Math.fround;

/** Where a Dense layer's parameters sit in the flat parameter vector. */
interface DenseSlot {
  readonly op: DenseOp;
  /** Offset of the kernel, in tfjs's layout (`inputs x units`). */
  readonly kernelAt: number;
  /** Offset of the bias (`units`), or -1. */
  readonly biasAt: number;
  /** The kernel transposed (`units x inputs`), kept in step for dLoss/dInput. */
  readonly kernelT: Float32Array;
}

/** Where every buffer of a run goes: the sizes of the arena's buffers, in floats. */
// deno-lint-ignore explicit-function-return-type
function runLayout(spec: FusedSpec, job: TrainJob) {
  const maxRows = Math.max(1, Math.min(job.plan.batchSize, job.rows));
  // Layout first (sizes of every buffer the products touch), then one arena for all.
  let size = 0;
  let width = job.features;
  let maxWidth = width;
  const widths = [width];
  const layout: { kernelAt: number; biasAt: number }[] = [];
  for (const op of spec.ops) {
    if (op.kind === "dense") {
      const kernelAt = size;
      size += op.units * op.inputs;
      layout.push({ kernelAt, biasAt: op.useBias ? size : -1 });
      if (op.useBias) size += op.units;
      width = op.units;
    } else {
      layout.push({ kernelAt: -1, biasAt: -1 });
    }
    widths.push(width);
    maxWidth = Math.max(maxWidth, width);
  }
  const adam = spec.optimizer.kind === "adam";
  const sizes = [
    ...widths.map((w) => maxRows * w), // outputs
    ...widths.map((w) => maxRows * w), // deltas
    ...spec.ops.map((op) => (op.kind === "dropout" ? maxRows * op.width : 0)), // masks
    ...spec.ops.map((op) => (op.kind === "dense" ? op.inputs * op.units : 0)), // kernelsT
    maxRows * job.outputs,
    size,
    size,
    adam ? size : 0,
    adam ? size : 0,
  ];
  return { maxRows, maxWidth, widths, layout, size, sizes };
}

/**
 * Bytes a run of `spec` on `job` holds beyond the data: the arena (activations, gradients,
 * parameters, optimizer state) and the copies of the last complete epoch's state.
 */
export function runBytes(spec: FusedSpec, job: TrainJob): number {
  const { size, sizes } = runLayout(spec, job);
  const adam = spec.optimizer.kind === "adam";
  return 4 * (Arena.floatsFor(sizes) + size * (adam ? 3 : 1));
}

/** `1.7 GB`, `420 MB`, `12 KB`. */
export function gigabytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return bytes >= 1e6 ? `${Math.round(bytes / 1e6)} MB` : `${Math.ceil(bytes / 1e3)} KB`;
}

/** The most a run may hold: one WebAssembly memory (4 GiB), less room for the stack. */
export const MAX_RUN_BYTES = 2 ** 32 - 2 ** 24;

export class FusedRun {
  readonly spec: FusedSpec;
  readonly job: TrainJob;
  readonly ops: readonly Op[];
  readonly slots: (DenseSlot | null)[];
  /** All parameters, flat: per Dense layer its kernel (tfjs's layout), then its bias. */
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** The state after the last complete epoch. */
  readonly savedParams: Float32Array;
  readonly savedM: Float32Array;
  readonly savedV: Float32Array;
  /** Float32 scalars as tfjs keeps them. */
  accBeta1 = 0;
  accBeta2 = 0;
  iterations = 0;
  savedAccBeta1 = 0;
  savedAccBeta2 = 0;
  savedIterations = 0;
  /** Epochs completed and saved; -1 before the first. */
  savedEpoch = -1;
  writtenEpoch = -1;
  /** Activations: outputs[0] is the input batch, outputs[k + 1] the output of op k. */
  readonly outputs: Float32Array[];
  /** The input each op read in the last forward pass. */
  readonly inputs: Float32Array[];
  readonly deltas: Float32Array[];
  readonly masks: (Float32Array | null)[];
  readonly targets: Float32Array;
  /** Column sums of dZ (bias gradients), accumulated in float64. */
  readonly columnSums: Float64Array;
  /** Whether op k must pass a gradient to its input (some Dense layer comes before it). */
  readonly needsInputGrad: boolean[];
  /** For a Dense op: the relu Dense op right below it, whose derivative gates its dX, or null. */
  readonly gateOf: (number | null)[];
  /** Whether a relu Dense op's derivative is applied by the op above it (gate or dropout). */
  readonly gated: boolean[];
  /** The state of the dropout stream (mulberry32, as `rng(plan.dropoutSeed)`). */
  dropoutState: number;
  /** Where every buffer lives, and the matrix product that reads them. */
  readonly arena: Arena;

  constructor(spec: FusedSpec, job: TrainJob, options: ArenaOptions) {
    this.spec = spec;
    this.job = job;
    this.ops = spec.ops;
    const { maxRows, maxWidth, widths, layout, size, sizes } = runLayout(spec, job);
    const adam = spec.optimizer.kind === "adam";
    try {
      this.arena = new Arena(Arena.floatsFor(sizes), options);
    } catch (error) {
      throw new Error(
        `train: the fused engine could not allocate ${gigabytes(runBytes(spec, job))} for ` +
          `this model's buffers (${
            (error as Error).message
          }); try engine: "tfjs" or a smaller model`,
      );
    }
    this.outputs = widths.map((w) => this.arena.take(maxRows * w));
    this.deltas = widths.map((w) => this.arena.take(maxRows * w));
    this.masks = this.ops.map((op) =>
      op.kind === "dropout" ? this.arena.take(maxRows * op.width) : null
    );
    this.slots = this.ops.map((op, k) => {
      if (op.kind !== "dense") return null;
      return { op, ...layout[k], kernelT: this.arena.take(op.inputs * op.units) };
    });
    this.targets = this.arena.take(maxRows * job.outputs);
    this.columnSums = new Float64Array(maxWidth);
    this.params = this.arena.take(size);
    this.grads = this.arena.take(size);
    this.m = this.arena.take(adam ? size : 0);
    this.v = this.arena.take(adam ? size : 0);
    this.inputs = this.ops.map((_, k) => this.outputs[k]);
    let seenDense = false;
    this.needsInputGrad = this.ops.map((op) => {
      const needs = seenDense;
      if (op.kind === "dense") seenDense = true;
      return needs;
    });
    const reluDense = (k: number) => {
      const op = this.ops[k];
      return op !== undefined && op.kind === "dense" && op.activation === RELU;
    };
    this.gateOf = this.ops.map((op, k) => (op.kind === "dense" && reluDense(k - 1) ? k - 1 : null));
    this.gated = this.ops.map((_, k) => reluDense(k) && k + 1 < this.ops.length);
    this.savedParams = new Float32Array(size);
    this.savedM = new Float32Array(this.m.length);
    this.savedV = new Float32Array(this.v.length);
    this.dropoutState = job.plan.dropoutSeed >>> 0;
  }

  /** Copies the model's weights and its optimizer's state in. */
  load(): void {
    const opt = this.spec.optimizer;
    const adam = opt.kind === "adam" ? opt.optimizer as unknown as AdamFields : null;
    for (const slot of this.slots) {
      if (!slot) continue;
      const { op } = slot;
      const weights = this.spec.trainables;
      const kernel = weights[op.kernelSlot].read().dataSync() as Float32Array;
      this.params.set(kernel, slot.kernelAt);
      transpose(kernel, 0, slot.kernelT, 0, op.inputs, op.units);
      if (op.useBias) {
        this.params.set(weights[op.biasSlot].read().dataSync() as Float32Array, slot.biasAt);
      }
      if (adam) {
        const parts: [number, number][] = [[op.kernelSlot, slot.kernelAt]];
        if (op.useBias) parts.push([op.biasSlot, slot.biasAt]);
        for (const [index, at] of parts) {
          const pairs: [typeof adam.accumulatedFirstMoment, Float32Array][] = [
            [adam.accumulatedFirstMoment, this.m],
            [adam.accumulatedSecondMoment, this.v],
          ];
          for (const [moments, into] of pairs) {
            const entry = moments[index];
            if (!entry) continue; // fresh optimizer: zeros, as tfjs creates them
            into.set(entry.variable.dataSync() as Float32Array, at);
          }
        }
      }
    }
    if (adam) {
      this.accBeta1 = adam.accBeta1.dataSync()[0];
      this.accBeta2 = adam.accBeta2.dataSync()[0];
    }
    this.iterations = opt.optimizer.iterations;
    this.save(-1);
  }

  /** Saves the current state as the last complete one. */
  save(epoch: number): void {
    this.savedParams.set(this.params);
    this.savedM.set(this.m);
    this.savedV.set(this.v);
    this.savedAccBeta1 = this.accBeta1;
    this.savedAccBeta2 = this.accBeta2;
    this.savedIterations = this.iterations;
    this.savedEpoch = epoch;
  }

  /** Forward pass over `rows` rows already in outputs[0]; returns the model's output buffer. */
  forward(rows: number, training: boolean): Float32Array {
    let current = this.outputs[0];
    for (let k = 0; k < this.ops.length; k++) {
      const op = this.ops[k];
      this.inputs[k] = current;
      const out = this.outputs[k + 1];
      if (op.kind === "dense") {
        const slot = this.slots[k] as DenseSlot;
        // z = x · kernel (+ bias, relu in the same pass); other activations after it.
        const relu = op.activation === RELU;
        this.arena.gemm(
          current,
          0,
          op.inputs,
          1,
          this.params,
          slot.kernelAt,
          out,
          0,
          rows,
          op.units,
          op.inputs,
          {
            bias: op.useBias ? this.params : null,
            biasAt: slot.biasAt,
            relu,
          },
        );
        if (!relu) activate(out, this.params, 0, false, rows, op.units, op.activation);
        current = out;
      } else if (training) {
        const mask = this.masks[k] as Float32Array;
        const scale = fround(1 / fround(1 - op.rate));
        const n = rows * op.width;
        this.dropoutState = this.arena.dropout(
          current,
          out,
          mask,
          n,
          op.rate,
          scale,
          this.dropoutState,
        );
        current = out;
      }
    }
    return current;
  }

  /** Backward pass from dLoss/dOutput in the last delta buffer; fills `grads`. */
  backward(rows: number): void {
    for (let k = this.ops.length - 1; k >= 0; k--) {
      const op = this.ops[k];
      const delta = this.deltas[k + 1];
      if (op.kind === "dense") {
        const slot = this.slots[k] as DenseSlot;
        // relu's derivative was applied where dZ was made (the gate of the product below).
        if (!this.gated[k]) {
          activationGrad(delta, this.outputs[k + 1], rows, op.units, op.activation);
        }
        // dKernel = Xᵀ · dZ (x read through its strides), dBias = column sums of dZ.
        const x = this.inputs[k];
        this.arena.gemm(
          x,
          0,
          1,
          op.inputs,
          delta,
          0,
          this.grads,
          slot.kernelAt,
          op.inputs,
          op.units,
          rows,
        );
        if (op.useBias) columnSums(delta, rows, op.units, this.columnSums, this.grads, slot.biasAt);
        if (this.needsInputGrad[k]) {
          // dX = dZ · kernelᵀ, gated by relu's derivative of the Dense layer below when it
          // feeds this one directly.
          const gate = this.gateOf[k];
          this.arena.gemm(
            delta,
            0,
            op.units,
            1,
            slot.kernelT,
            0,
            this.deltas[k],
            0,
            rows,
            op.inputs,
            op.units,
            {
              gate: gate === null ? null : this.outputs[gate + 1],
            },
          );
        }
      } else if (this.needsInputGrad[k]) {
        const mask = this.masks[k] as Float32Array;
        const into = this.deltas[k];
        const n = rows * op.width;
        // relu's derivative of the Dense layer below, in the same pass.
        const y = this.gated[k - 1] ? this.outputs[k] : null;
        this.arena.dropback(delta, mask, y, into, n);
      }
    }
  }

  /** Applies the optimizer to all parameters; returns false if a parameter is not finite. */
  update(): boolean {
    const opt = this.spec.optimizer;
    let check: number;
    const negLearningRate = fround(-opt.learningRate);
    if (opt.kind === "adam") {
      const constants = [
        fround(opt.beta1),
        fround(1 - opt.beta1),
        fround(opt.beta2),
        fround(1 - opt.beta2),
        fround(1 - this.accBeta1),
        fround(1 - this.accBeta2),
        fround(opt.epsilon),
        negLearningRate,
      ];
      check = this.arena.adam(this.params, this.grads, this.m, this.v, constants);
      this.accBeta1 = fround(this.accBeta1 * fround(opt.beta1));
      this.accBeta2 = fround(this.accBeta2 * fround(opt.beta2));
    } else {
      check = this.arena.sgd(this.params, this.grads, negLearningRate);
    }
    this.iterations++;
    for (let k = 0; k < this.slots.length; k++) {
      const slot = this.slots[k];
      if (slot) {
        transpose(this.params, slot.kernelAt, slot.kernelT, 0, slot.op.inputs, slot.op.units);
      }
    }
    return check - check === 0;
  }

  /** Writes the saved weights into the model (once per saved epoch). */
  writeWeights(): void {
    if (this.savedEpoch < 0 || this.writtenEpoch === this.savedEpoch) return;
    const p = this.savedParams;
    const weights = this.spec.trainables;
    // Straight to the variables (what setWeights does, without its checks and scope): this
    // runs every epoch, mostly in cold tfjs code on a first run.
    for (const slot of this.slots) {
      if (!slot) continue;
      const { op } = slot;
      const kernel = tf.tensor2d(
        p.slice(slot.kernelAt, slot.kernelAt + op.inputs * op.units),
        [op.inputs, op.units],
      );
      try {
        weights[op.kernelSlot].write(kernel);
      } finally {
        kernel.dispose();
      }
      if (!op.useBias) continue;
      const bias = tf.tensor1d(p.slice(slot.biasAt, slot.biasAt + op.units));
      try {
        weights[op.biasSlot].write(bias);
      } finally {
        bias.dispose();
      }
    }
    this.writtenEpoch = this.savedEpoch;
  }

  /** Writes the saved optimizer state into the model's optimizer. */
  writeOptimizer(): void {
    if (this.savedEpoch < 0) return;
    const opt = this.spec.optimizer;
    const internals = opt.optimizer as unknown as AdamFields;
    internals.iterations_ = this.savedIterations;
    if (opt.kind !== "adam") return;
    const weights = this.spec.trainables;
    for (const slot of this.slots) {
      if (!slot) continue;
      const { op } = slot;
      const parts: [number, number, number][] = [[op.kernelSlot, slot.kernelAt, op.inputs]];
      if (op.useBias) parts.push([op.biasSlot, slot.biasAt, 1]);
      for (const [index, at, rows] of parts) {
        const pairs: [typeof internals.accumulatedFirstMoment, Float32Array, string][] = [
          [internals.accumulatedFirstMoment, this.savedM, "m"],
          [internals.accumulatedSecondMoment, this.savedV, "v"],
        ];
        for (const [moments, from, suffix] of pairs) {
          const values = from.slice(at, at + rows * op.units);
          const t = tf.tensor(values, weights[index].shape);
          try {
            const entry = moments[index];
            if (entry) entry.variable.assign(t);
            else {
              moments[index] = {
                originalName: `${weights[index].name}/${suffix}`,
                variable: tf.variable(t, false),
              };
            }
          } finally {
            t.dispose();
          }
        }
      }
    }
    const accBetas = [tf.scalar(this.savedAccBeta1), tf.scalar(this.savedAccBeta2)];
    try {
      internals.accBeta1.assign(accBetas[0]);
      internals.accBeta2.assign(accBetas[1]);
    } finally {
      tf.dispose(accBetas);
    }
  }
}
