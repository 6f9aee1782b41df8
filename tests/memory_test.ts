import assert from "node:assert/strict";
import { tf } from "../lib/core/tf.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { deepNN } from "../lib/build/models.ts";
import { randomData } from "../lib/data/random_data.ts";
import { train } from "../lib/train/train.ts";
import { DEFAULT_MEMORY_LIMIT, WASM_MEMORY_BYTES } from "../lib/train/memory.ts";

Deno.test("train refuses, before allocating, a run that cannot fit WebAssembly's 4 GiB or the limit", () => {
  // 1.2 million parameters, but a batch of 20,000 rows through 100,000 units: ~16 GB of
  // activations. Neither engine could hold it; today's answer is an error in milliseconds.
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 100_000, activation: "relu", inputShape: [10] }),
      tf.layers.dense({ units: 1, activation: "sigmoid" }),
    ],
  });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const x = Array.from(
    { length: 20_000 },
    (_, i) => Array.from({ length: 10 }, (_, j) => (i * j) % 3),
  );
  const y = x.map((_, i) => i % 2);
  const tensors = tf.memory().numTensors;
  const rss = Deno.memoryUsage().rss;
  const t0 = performance.now();
  let error: unknown = null;
  try {
    // Thrown at the call, before any promise or work.
    train(model, x, y, { batchSize: 20_000, epochs: 1, live: false });
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  assert.ok(error instanceof ArgumentError, String(error));
  assert.equal(error.argument, "model");
  assert.match(
    error.message,
    /^train: model "\w+" makes 1,200,001 parameters \(4\.58 MB of float32 weights\); training it on the tfjs engine \((wasm|cpu) backend\) needs about [\d.]+ GB/,
  );
  assert.match(
    error.message,
    tf.getBackend() === "wasm"
      ? /more than the 4\.00 GB one WebAssembly memory can address; use a smaller model or batchSize, or the cpu backend/
      : /more than the memoryLimit of 4\.00 GB; .*raise memoryLimit/,
  );
  assert.ok(ms < 5000, `refused in ${ms.toFixed(0)} ms`);
  assert.ok(Deno.memoryUsage().rss - rss < 300 * 2 ** 20, "nothing large was allocated");
  assert.equal(tf.memory().numTensors, tensors, "no tensor left behind");
  model.dispose();
});

Deno.test("train's memoryLimit: a run over it is refused naming it; raised, the run goes", async () => {
  const { x, y } = randomData({ seed: 1 });
  const model = deepNN({ features: 10, seed: 1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  assert.throws(
    () => train(model, x, y, { epochs: 1, live: false, memoryLimit: 10_000 }),
    (e: Error) =>
      e instanceof ArgumentError &&
      /^train: model "DeepNN" makes 91 parameters \(364\.00 B of float32 weights\); training it on the fused engine needs about [\d.]+ KB .*more than the memoryLimit of 9\.77 KB; use a smaller model or batchSize, or raise memoryLimit/
        .test(e.message),
  );
  const history = await train(model, x, y, { epochs: 1, live: false, memoryLimit: 1e6 });
  assert.equal(history.history.loss.length, 1);
  assert.throws(
    () => train(model, x, y, { memoryLimit: -1 }),
    /train: memoryLimit must be a number in \[1, Infinity\], got -1/,
  );
  model.dispose();
  assert.equal(DEFAULT_MEMORY_LIMIT, 2 ** 32);
  assert.equal(WASM_MEMORY_BYTES, 2 ** 32);
});
