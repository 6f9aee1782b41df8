/**
 * The one place the lib loads TensorFlow.js: it picks the backend and keeps tfjs's
 * "install tfjs-node" banner out of notebook outputs.
 *
 * @module
 */
import * as tfjs from "../deps/tfjs.ts";
import { ArgumentError } from "./errors.ts";

/** The backends the lib can run on: pure JavaScript (`cpu`) or WebAssembly (`wasm`). */
export type BackendName = "cpu" | "wasm";

/** Marks a backend as already used so tfjs's one-time "install tfjs-node" banner stays silent. */
function silenceBanner(name: string): void {
  const backend = tfjs.findBackend(name) as unknown as { firstUse?: boolean } | null;
  if (backend && "firstUse" in backend) backend.firstUse = false;
}

/**
 * Why the lib runs on the backend it does; `deno task bench` measures the choice.
 *
 * @example
 * ```ts
 * import { backendChoice } from "./tf.ts";
 * console.log(backendChoice.name, backendChoice.reason); // e.g. "wasm default: faster for batched work"
 * ```
 */
export const backendChoice: { name: BackendName; reason: string } = { name: "cpu", reason: "" };

// wasm (SIMD) runs batched matrix work ~10-20x faster than the pure-JS cpu backend, so it is
// the default; DLNB_BACKEND=cpu overrides, and any failure to load it falls back to cpu.
async function chooseBackend(): Promise<void> {
  let wanted: string | undefined;
  try {
    wanted = Deno.env.get("DLNB_BACKEND");
  } catch { /* no env permission: use the default */ }
  if (wanted !== "cpu") {
    try {
      await useBackend("wasm");
      backendChoice.name = "wasm";
      backendChoice.reason = wanted === "wasm"
        ? "DLNB_BACKEND=wasm"
        : wanted
        ? `DLNB_BACKEND=${JSON.stringify(wanted)} is not "cpu" or "wasm", so the default, wasm`
        : "default: faster for batched work";
      return;
    } catch (error) {
      backendChoice.reason = `wasm unavailable (${(error as Error).message}), using cpu`;
    }
  } else {
    backendChoice.reason = "DLNB_BACKEND=cpu";
  }
  await tfjs.setBackend("cpu");
  silenceBanner("cpu");
}

/**
 * Switches tfjs to a backend, initialising it on first use.
 *
 * @example
 * ```ts
 * import { useBackend } from "./tf.ts";
 * await useBackend("cpu");
 * ```
 */
export function useBackend(name: BackendName): Promise<void> {
  if (name !== "cpu" && name !== "wasm") {
    throw new ArgumentError("useBackend", "name", name, '"cpu" or "wasm"');
  }
  return switchBackend(name); // not async above: a bad name throws at the call
}

async function switchBackend(name: BackendName): Promise<void> {
  if (name === "wasm") {
    const { registerWasm } = await import("./wasm.ts");
    await registerWasm();
  }
  if (!(await tfjs.setBackend(name))) {
    throw new Error(`useBackend: the ${name} backend failed to initialise`);
  }
  silenceBanner(name);
}

await chooseBackend();

/** The type of the TensorFlow.js namespace. */
export type TensorFlow = typeof tfjs;

/**
 * TensorFlow.js (`@tensorflow/tfjs`), with the lib's backend already chosen. Use it for raw
 * tensors and layers; its types (`tf.LayersModel`, `tf.Tensor`, ...) come with it.
 *
 * @example
 * ```ts
 * import { tf } from "./tf.ts";
 * import assert from "node:assert/strict";
 * const t: tf.Tensor = tf.tensor2d([[1, 2], [3, 4]]);
 * assert.deepEqual(t.shape, [2, 2]);
 * t.dispose();
 * ```
 */
export const tf: TensorFlow = tfjs;

// A type-only namespace merged with the const: `tf.LayersModel` works as a type, and every
// tfjs type in the lib's signatures has a documented public name (deno doc --lint).
/** TensorFlow.js types used in the lib's signatures, e.g. `tf.LayersModel`, `tf.Tensor`. */
export declare namespace tf {
  /** A layers model, as `tf.sequential` or `tf.model` build it. */
  export type LayersModel = tfjs.LayersModel;
  /** A model built with `tf.sequential`. */
  export type Sequential = tfjs.Sequential;
  /** A tensor of any rank. */
  export type Tensor = tfjs.Tensor;
  /** A rank-0 tensor. */
  export type Scalar = tfjs.Scalar;
  /** A rank-1 tensor. */
  export type Tensor1D = tfjs.Tensor1D;
  /** A rank-2 tensor (rows x columns). */
  export type Tensor2D = tfjs.Tensor2D;
  /** A tensor's rank. */
  export type Rank = tfjs.Rank;
  /** A symbolic tensor: a layer's output in a functional model under construction. */
  export type SymbolicTensor = tfjs.SymbolicTensor;
  /** A mutable tensor. */
  export type Variable = tfjs.Variable;
  /** A layer's weight. */
  export type LayerVariable = tfjs.LayerVariable;
  /** What `model.fit` returns. */
  export type History = tfjs.History;
  /** A training optimizer. */
  export type Optimizer = tfjs.Optimizer;
  /** The Adam optimizer. */
  export type AdamOptimizer = tfjs.AdamOptimizer;
  /** Stochastic gradient descent. */
  export type SGDOptimizer = tfjs.SGDOptimizer;
  /** Layer types. */
  export namespace layers {
    /** A layer. */
    export type Layer = tfjs.layers.Layer;
  }
  /** Model I/O types. */
  export namespace io {
    /** One weight's entry in a model.json manifest. */
    export type WeightsManifestEntry = tfjs.io.WeightsManifestEntry;
    /** The training configuration stored with a model. */
    export type TrainingConfig = tfjs.io.TrainingConfig;
  }
  /** Serialization types. */
  export namespace serialization {
    /** A layer's or activation's configuration. */
    export type ConfigDict = tfjs.serialization.ConfigDict;
    /** A class tfjs can serialize. */
    export type Serializable = tfjs.serialization.Serializable;
  }
}
