/**
 * Peak memory of the large run in a fresh process (garbage of earlier runs would blur it):
 * builds the data as the bench does (arrays of rows), then one `train`, sampling the resident
 * set size every 10 ms (the fused engine yields to timers between batches). Prints one JSON
 * line: `{"before": bytes, "peak": bytes}`. Run by training_bench.ts.
 *
 * @module
 */
import * as lib from "../lib/mod.ts";

const { tf } = lib;
const [rows, features] = [100_000, 100];
const g = lib.rng(0);
const x = Array.from({ length: rows }, () => Array.from({ length: features }, () => g.next()));
const y = Array.from({ length: rows }, () => [g.int(2)]);
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 256, activation: "relu", inputShape: [features] }),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.dense({ units: 128, activation: "relu" }),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.dense({ units: 1, activation: "sigmoid" }),
  ],
});
model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
const before = Deno.memoryUsage().rss;
let peak = before;
const timer = setInterval(() => (peak = Math.max(peak, Deno.memoryUsage().rss)), 10);
await lib.train(model, x, y, {
  batchSize: 256,
  epochs: 3,
  validationSplit: 0,
  live: false,
  seed: 1,
});
clearInterval(timer);
peak = Math.max(peak, Deno.memoryUsage().rss);
console.log(JSON.stringify({ before, peak }));
