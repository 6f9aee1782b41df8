/**
 * The one place the lib loads TensorFlow.js: it picks the backend and keeps tfjs's
 * "install tfjs-node" banner out of notebook outputs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The backends the lib can run on: pure JavaScript (`cpu`) or WebAssembly (`wasm`). */
export type BackendName = "cpu" | "wasm";

/** Marks a backend as already used so tfjs's one-time "install tfjs-node" banner stays silent. */
function silenceBanner(name: string): void {
  const backend = tf.findBackend(name) as unknown as { firstUse?: boolean } | null;
  if (backend && "firstUse" in backend) backend.firstUse = false;
}

/** Why the lib runs on the backend it does; `deno task bench` measures the choice. */
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
        : "default: faster for batched work";
      return;
    } catch (error) {
      backendChoice.reason = `wasm unavailable (${(error as Error).message}), using cpu`;
    }
  } else {
    backendChoice.reason = "DLNB_BACKEND=cpu";
  }
  await tf.setBackend("cpu");
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
export async function useBackend(name: BackendName): Promise<void> {
  if (name !== "cpu" && name !== "wasm") {
    throw new Error(`useBackend: name must be "cpu" or "wasm", got ${JSON.stringify(name)}`);
  }
  if (name === "wasm") {
    const { registerWasm } = await import("./wasm.ts");
    await registerWasm();
  }
  if (!(await tf.setBackend(name))) {
    throw new Error(`useBackend: the ${name} backend failed to initialise`);
  }
  silenceBanner(name);
}

await chooseBackend();

export { tf };
