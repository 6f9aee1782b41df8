/**
 * The `fused` training engine: runs a {@linkcode TrainJob} for a chain of Dense and Dropout
 * layers as one JavaScript training loop over preallocated `Float32Array` buffers, with the
 * math of tfjs's `model.fit` but without its per-op overhead (no tensors, no tape, no
 * allocation per step).
 *
 * What it computes, as tfjs does:
 * - Dense: `y = act(x · kernel + bias)`, activations linear, relu, sigmoid, tanh, softmax;
 *   the three products of a layer (forward, weight gradient, input gradient) run in
 *   kernels/gemm_*.wat (through arena.ts): a register-blocked WebAssembly SIMD kernel
 *   accumulating in float32 (relaxed-SIMD multiply-add where it validates, unless
 *   `multiplyAdd: "separate"`) with bias and relu (forward) and relu's derivative (input
 *   gradient) applied in the same pass. Large models split each product's rows between two threads (a Worker
 *   sharing the wasm memory): every element is computed by the same instructions in the same
 *   order, so the results are identical bit for bit whatever the thread count. Every stored
 *   value is float32 and the elementwise steps are rounded to float32 as tfjs's are; the
 *   results match tfjs's fit to ~1e-6 on either backend (tests).
 * - Dropout: inverted dropout, kept units scaled by `1 / (1 - rate)`, masks drawn from
 *   `rng(plan.dropoutSeed)` (kernels/steps.wat, 4 draws at once); off during validation.
 *   (tfjs draws its masks from another stream, so only dropout-free runs match tfjs number
 *   for number.)
 * - Losses of tfjs-layers: binary cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7],
 *   no gradient where clipped), categorical cross-entropy (rows renormalised, clipped),
 *   sparse categorical cross-entropy (one integer label per row: clipped, then categorical),
 *   mean squared and mean absolute error (`d|x|/dx` is -1 at 0, as tfjs's `step(x, -1)`).
 * - Optimizers: tfjs's Adam (`accBeta1`/`accBeta2` products, its epsilon, every operation
 *   rounded to float32 as tfjs's tensors are) and plain SGD.
 * - Logs: per-batch loss and metrics on the training batch (dropout on), averaged over the
 *   epoch weighted by batch size in float32 as tfjs's BaseLogger; validation after the last
 *   batch, in batches of `batchSize`, averaged the same way as tfjs's `testLoop`.
 *
 * State: the run starts from the model's own weights and its optimizer's state (Adam's
 * moments, `accBeta1`/`accBeta2` and the iteration count if the optimizer has already
 * trained, fresh zeros otherwise, exactly as a new tfjs optimizer starts). After every epoch
 * the weights are written back into the model before `onEpochEnd` runs (so a callback that
 * reads or evaluates the model sees the current weights), unless the job's
 * `weightsEachEpoch` is false (`train`'s: then once, when the run ends, which spares a first
 * run a hundred cold trips through tfjs); the optimizer state is written back when the run ends (also when the callback throws, e.g. on an interrupt). Between
 * batches, about every 50 ms, the run gives the event loop a turn (timers, progress, the
 * kernel's interrupt) and calls `onBatch`, which may stop it. If the loss
 * or the weights stop being finite, the run stops at that step with an error naming the
 * epoch, and the model keeps the weights and optimizer state of the last complete epoch
 * (nothing half-done is written).
 *
 * @module
 */
import type { BatchCallback, EpochCallback, TrainEngine, TrainJob } from "../engine.ts";
import { analyze, type FusedSpec } from "./spec.ts";
import { gigabytes, MAX_RUN_BYTES, runBytes } from "./run.ts";
import { autoThreads, runFused } from "./epochs.ts";
import { kernelsUnavailable } from "./arena.ts";

/**
 * The fused engine: a Dense/Dropout chain with a binary or categorical cross-entropy, MSE or
 * MAE loss and Adam or SGD, trained in one JavaScript loop with tfjs's math (see the module
 * doc). `unsupported(job)` says in one line why another model must run on tfjs.
 *
 * @example
 * ```ts
 * import { fusedEngine } from "./engine.ts";
 * import { deepNN } from "../../build/models.ts";
 * import { f1 } from "../metrics.ts";
 * import { train } from "../train.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 10, seed: 1 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
 * const x = Array.from({ length: 100 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i * j) % 7));
 * const y = x.map((row) => (row[1] > 3 ? 1 : 0));
 * const history = await train(model, x, y, { epochs: 3, seed: 1, live: false, engine: fusedEngine });
 * assert.deepEqual(history.engine, "fused");
 * ```
 */
export const fusedEngine: TrainEngine = fusedEngineWith();

/**
 * Bytes a fused run of `job` holds (its wasm arena and the copies of the last epoch's state),
 * or null if the engine cannot run the model.
 *
 * @example
 * ```ts
 * import { fusedBytes } from "./engine.ts";
 * typeof fusedBytes; // "function"
 * ```
 */
export function fusedBytes(job: TrainJob): number | null {
  const spec = analyze(job);
  return typeof spec === "string" ? null : runBytes(spec, job);
}

/** Options of {@linkcode fusedEngineWith}. */
export interface FusedEngineOptions {
  /**
   * Threads for the matrix products: 1, 2, or `"auto"` (default: 2 on a machine with two
   * cores or more for models whose products outweigh the hand-off, else 1). The results are
   * the same bit for bit whatever the count.
   */
  threads?: 1 | 2 | "auto";
  /**
   * The most bytes of training buffers the engine takes on (default: what one WebAssembly
   * memory holds, 4 GiB less a margin); a larger model is refused before any work, and
   * `train` falls back to tfjs saying why.
   */
  maxBytes?: number;
  /**
   * The products' multiply-add: `"relaxed"` (`f32x4.relaxed_madd`: fused where the CPU has
   * FMA, so the bits can differ between CPUs) or `"separate"` (a multiply then an add: the same
   * bits on every CPU, somewhat slower). Default: the environment variable
   * `DLNB_MULTIPLY_ADD` if it is one of these, else `"relaxed"`.
   */
  multiplyAdd?: "relaxed" | "separate";
}

/** `DLNB_MULTIPLY_ADD` when it names a multiply-add (and the environment may be read). */
function multiplyAddFromEnv(): "relaxed" | "separate" | undefined {
  try {
    const value = Deno.env.get("DLNB_MULTIPLY_ADD");
    return value === "relaxed" || value === "separate" ? value : undefined;
  } catch {
    return undefined; // no --allow-env: the default
  }
}

/**
 * A fused engine with its own settings (the default {@linkcode fusedEngine} is
 * `fusedEngineWith()`).
 *
 * @example
 * ```ts
 * import { fusedEngineWith } from "./engine.ts";
 * import assert from "node:assert/strict";
 * const oneThread = fusedEngineWith({ threads: 1 });
 * assert.deepEqual(oneThread.name, "fused");
 * ```
 */
export function fusedEngineWith(options: FusedEngineOptions = {}): TrainEngine {
  const threads = options.threads ?? "auto";
  const maxBytes = Math.min(options.maxBytes ?? MAX_RUN_BYTES, MAX_RUN_BYTES);
  return {
    name: "fused",
    unsupported(job: TrainJob): string | null {
      const noKernels = kernelsUnavailable();
      if (noKernels !== null) return noKernels;
      const spec = analyze(job);
      if (typeof spec === "string") return spec;
      // Said before any work: a model whose buffers exceed one WebAssembly memory.
      const bytes = runBytes(spec, job);
      if (bytes > maxBytes) {
        return `the model needs ${gigabytes(bytes)} of training buffers (weights, gradients, ` +
          `optimizer state, activations for a batch of ${job.plan.batchSize}), more than the ` +
          `${gigabytes(maxBytes)} the engine takes on (one WebAssembly memory)`;
      }
      return null;
    },
    async run(job: TrainJob, onEpochEnd: EpochCallback, onBatch?: BatchCallback): Promise<void> {
      const why = this.unsupported(job);
      if (why !== null) throw new Error(`train: the fused engine cannot run: ${why}`);
      const spec = analyze(job) as FusedSpec;
      const count = threads === "auto" ? autoThreads(spec, job) : threads;
      const multiplyAdd = options.multiplyAdd ?? multiplyAddFromEnv() ?? "relaxed";
      await runFused(spec, job, onEpochEnd, { threads: count, multiplyAdd }, onBatch);
    },
  };
}
