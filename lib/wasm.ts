/**
 * Registers tfjs's WebAssembly backend with its .wasm files read from the installed npm
 * package (no network), as Deno resolves it.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";

let ready: Promise<void> | undefined;

/**
 * Loads `@tensorflow/tfjs-backend-wasm` and points it at the package's own .wasm files.
 *
 * @example
 * ```ts
 * import { registerWasm } from "./wasm.ts";
 * await registerWasm();
 * ```
 */
export function registerWasm(): Promise<void> {
  ready ??= (async () => {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const main = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(`${dirname(main)}/`);
  })();
  return ready;
}
