/**
 * What a training run will allocate, said before it allocates: the engine's buffers (weights,
 * gradients, optimizer state, a batch's activations, the data it copies) against WebAssembly's
 * 4 GiB address space (the fused engine's memory, tfjs's wasm backend) and a memory limit the
 * user may raise. A run that cannot fit is refused with an {@linkcode ArgumentError} naming the
 * estimate, instead of failing minutes later with "memory access out of bounds".
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import { readableSize } from "../core/numeric.ts";
import type { TrainEngine, TrainJob } from "./engine.ts";
import { fusedBytes, fusedEngine } from "./fused/engine.ts";
import { tfjsEngine } from "./tfjs/engine.ts";

/**
 * Most bytes a training run may take unless `train`'s `memoryLimit` raises it: 4 GiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_MEMORY_LIMIT } from "./memory.ts";
 * DEFAULT_MEMORY_LIMIT / 2 ** 30; // 4
 * ```
 */
export const DEFAULT_MEMORY_LIMIT = 2 ** 32;

/** What one WebAssembly memory can address. */
export const WASM_MEMORY_BYTES = 2 ** 32;

/** Copies of the weights an optimizer keeps beside them (tfjs's slots), by class name. */
const OPTIMIZER_SLOTS: Readonly<Record<string, number>> = {
  SGDOptimizer: 0,
  MomentumOptimizer: 1,
  AdagradOptimizer: 1,
  RMSPropOptimizer: 3,
  AdadeltaOptimizer: 2,
  AdamOptimizer: 2,
  AdamaxOptimizer: 2,
};

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/** Values per row of a layer's output (the product of its shape without the batch). */
function rowWidth(layer: tf.layers.Layer): number {
  const shape = layer.outputShape;
  const first = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
  return first.slice(1).reduce((p: number, d) => p * (d ?? 1), 1);
}

/** An estimate of what tfjs's `fit` holds for `job`, in bytes, and what it is made of. */
export function tfjsBytes(job: TrainJob): number {
  const params = job.model.countParams();
  const optimizer = job.model.optimizer?.getClassName() ?? "";
  const slots = OPTIMIZER_SLOTS[optimizer] ?? 2;
  // Weights, their gradients, the optimizer's slots, and the update's temporaries (about two
  // weight-sized tensors alive at once while a variable is assigned).
  const weights = params * (1 + 1 + slots + 2);
  // Each layer's output for a batch, kept for the backward pass, and its gradient.
  const batch = Math.min(job.plan.batchSize, job.rows);
  const widths = job.model.layers.reduce((s, l) => s + rowWidth(l), job.features);
  const activations = 2 * batch * widths;
  // The data: a float32 copy in JavaScript and the tensors made from it.
  const data = 2 * job.rows * (job.features + job.outputs);
  return 4 * (weights + activations + data);
}

/** What {@linkcode checkTrainingMemory} checks. */
export interface TrainingFootprint {
  /** The engine's name, as in the history. */
  engine: string;
  /** Estimated bytes of the run. */
  bytes: number;
  /** Whether the run lives in one WebAssembly memory (4 GiB at most, whatever the limit). */
  wasm: boolean;
}

/**
 * What `engine` will hold for `job`, for the lib's engines (null for another engine object).
 *
 * @example
 * ```ts
 * import { trainingFootprint } from "./memory.ts";
 * typeof trainingFootprint; // "function"
 * ```
 */
export function trainingFootprint(job: TrainJob, engine: TrainEngine): TrainingFootprint | null {
  if (engine === fusedEngine) {
    // Its WebAssembly arena is checked against 4 GiB by the engine (which then says why it
    // cannot run the model); here its whole footprint meets the limit.
    const bytes = fusedBytes(job);
    return bytes === null ? null : { engine: "fused", bytes, wasm: false };
  }
  if (engine === tfjsEngine) {
    return { engine: "tfjs", bytes: tfjsBytes(job), wasm: tf.getBackend() === "wasm" };
  }
  return null;
}

/**
 * Refuses a run whose estimate exceeds WebAssembly's address space (when it lives there) or
 * `limit`, naming the parameters, the estimate and what to change.
 *
 * @example
 * ```ts
 * import { checkTrainingMemory } from "./memory.ts";
 * import { deepNN } from "../build/models.ts";
 * const model = deepNN({ features: 10 });
 * checkTrainingMemory("train", model, { engine: "fused", bytes: 2e6, wasm: true }, 2 ** 32); // fine
 * ```
 */
export function checkTrainingMemory(
  fn: string,
  model: tf.LayersModel,
  footprint: TrainingFootprint,
  limit: number,
): void {
  const { engine, bytes, wasm } = footprint;
  const overWasm = wasm && bytes > WASM_MEMORY_BYTES;
  if (!overWasm && bytes <= limit) return;
  const params = model.countParams();
  const what =
    `model ${JSON.stringify(model.name)} makes ${count(params)} parameters (${
      readableSize(params * 4)
    } of float32 weights); training it on the ${engine} engine${
      engine === "tfjs" ? ` (${tf.getBackend()} backend)` : ""
    } needs about ${readableSize(bytes)} (weights, gradients, optimizer state, a batch's ` +
    `activations, the data)`;
  if (overWasm) {
    throw ArgumentError.because(
      fn,
      "model",
      `${what}, more than the ${
        readableSize(WASM_MEMORY_BYTES)
      } one WebAssembly memory can address; use a smaller model or batchSize` +
        (engine === "tfjs" ? `, or the cpu backend (useBackend("cpu")) and a memoryLimit` : ""),
    );
  }
  throw ArgumentError.because(
    fn,
    "memoryLimit",
    `${what}, more than the memoryLimit of ${
      readableSize(limit)
    }; use a smaller model or batchSize, or raise memoryLimit if this machine has the memory`,
  );
}
