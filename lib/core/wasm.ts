/**
 * Registers tfjs's WebAssembly backend with its .wasm files read from the installed npm
 * package (no network), as Deno resolves it.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { once } from "./once.ts";

/**
 * Loads `@tensorflow/tfjs-backend-wasm` and points it at the package's own .wasm files.
 *
 * @example
 * ```ts
 * import { registerWasm } from "./wasm.ts";
 * await registerWasm();
 * ```
 */
export const registerWasm: () => Promise<void> = once(async () => {
  const wasm = await import("../deps/tfjs_backend_wasm.ts");
  const main = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(`${dirname(main)}/`);
});
