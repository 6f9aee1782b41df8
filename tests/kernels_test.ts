import assert from "node:assert/strict";
import {
  BYTES_FILE,
  bytesModule,
  compileWat,
  KERNEL_SOURCES,
  KERNELS_DIR,
  privateVariant,
} from "../tools/kernels/compile.ts";
import { KERNEL_BYTES } from "../lib/train/fused/kernels/bytes.ts";
import { Arena } from "../lib/train/fused/arena.ts";
import { tf } from "../lib/core/tf.ts";
import { rng } from "../lib/core/random.ts";
import { train } from "../lib/train/train.ts";
import { fusedEngineWith } from "../lib/train/fused/engine.ts";

Deno.test("kernels: the committed bytes are the .wat sources compiled (regenerate: deno task kernels)", async () => {
  const modules = [];
  for (const source of KERNEL_SOURCES) {
    const text = Deno.readTextFileSync(new URL(source.file, KERNELS_DIR));
    if (source.generate) {
      assert.equal(text, source.generate(), `${source.file} is the template's output`);
    }
    const variants = [[source.name, text], [`${source.name}_private`, privateVariant(text)]];
    for (const [name, wat] of variants) {
      const bytes = await compileWat(source.file, wat);
      assert.ok(WebAssembly.validate(bytes), name);
      assert.deepEqual(
        Uint8Array.from(atob(KERNEL_BYTES[name]), (c) => c.charCodeAt(0)),
        bytes,
        name,
      );
      modules.push({ name, bytes });
    }
  }
  assert.deepEqual(Object.keys(KERNEL_BYTES), modules.map((m) => m.name));
  // And the file itself is what the generator writes (deno fmt leaves it as it is).
  assert.equal(Deno.readTextFileSync(BYTES_FILE), bytesModule(modules));
});

Deno.test("kernels: a .wat error names the file and line", async () => {
  await assert.rejects(
    () => compileWat("broken.wat", "(module (func (result i32) (f32.const 1)))"),
    /broken\.wat:1:/,
  );
});

/**
 * Whether this CPU fuses the relaxed multiply-add: (1 + 2⁻¹²)² - (1 + 2⁻¹¹) is 2⁻²⁴ exactly
 * when fused, 0 when the product is rounded first.
 */
function relaxedFuses(): boolean {
  const arena = new Arena(Arena.floatsFor([2, 2, 1]));
  if (!arena.relaxed) return false;
  const a = arena.take(2), b = arena.take(2), c = arena.take(1);
  a.set([-1, 1 + 2 ** -12]);
  b.set([1 + 2 ** -11, 1 + 2 ** -12]);
  arena.gemm(a, 0, 2, 1, b, 0, c, 0, 1, 1, 2);
  return c[0] !== 0;
}

/** A short run with dropout, relu, Adam or SGD with softmax: a hash of its weights and history. */
async function runHash(
  multiplyAdd: "relaxed" | "separate",
  threads: 1 | 2,
  softmax: boolean,
): Promise<string> {
  const r = rng(8);
  const x = Array.from({ length: 600 }, () => Array.from({ length: 64 }, () => r.normal()));
  const y = x.map((row) => (row[0] + row[5] - row[9] > 0 ? 1 : 0));
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 96,
        activation: "relu",
        inputShape: [64],
        kernelInitializer: init(1),
      }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({
        units: 48,
        activation: softmax ? "tanh" : "relu",
        kernelInitializer: init(2),
      }),
      tf.layers.dense({
        units: softmax ? 2 : 1,
        activation: softmax ? "softmax" : "sigmoid",
        kernelInitializer: init(3),
      }),
    ],
  });
  model.compile({
    optimizer: softmax ? tf.train.sgd(0.05) : "adam",
    loss: softmax ? "sparseCategoricalCrossentropy" : "binaryCrossentropy",
    metrics: ["accuracy"],
  });
  const history = await train(model, x, y, {
    epochs: 3,
    batchSize: 64,
    seed: 5,
    live: false,
    engine: fusedEngineWith({ threads, multiplyAdd }),
  });
  const parts = model.getWeights().map((w) => new Uint8Array(w.dataSync().slice().buffer));
  model.dispose();
  parts.push(new TextEncoder().encode(JSON.stringify(history.history)));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Recorded with the kernels of the hand-written assembler this .wat replaced (same bits), and
// again with the .wat: "separate" on any CPU; "relaxed" where the CPU fuses (x86 with FMA).
const SEPARATE = { sigmoid: "97eabb60df94bb27", softmax: "30d3454a9aeeda0d" };
const RELAXED_FUSED = { sigmoid: "93ab8e4a06b2600b", softmax: "b9cca9d28e93285e" };

Deno.test("kernels: multiplyAdd 'separate' gives the recorded bits on any CPU, 1 or 2 threads", async () => {
  for (const softmax of [false, true]) {
    const want = SEPARATE[softmax ? "softmax" : "sigmoid"];
    for (const threads of [1, 2] as const) {
      assert.equal(await runHash("separate", threads, softmax), want, `${threads} thread(s)`);
    }
  }
});

Deno.test("kernels: the relaxed multiply-add gives the fused bits where the CPU fuses, else the separate ones", async () => {
  const fuses = relaxedFuses();
  for (const softmax of [false, true]) {
    const key = softmax ? "softmax" : "sigmoid";
    const want = (fuses ? RELAXED_FUSED : SEPARATE)[key];
    for (const threads of [1, 2] as const) {
      assert.equal(await runHash("relaxed", threads, softmax), want, `${threads} thread(s)`);
    }
  }
});
