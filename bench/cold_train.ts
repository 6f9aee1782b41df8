/**
 * The article's run as a notebook user meets it: the first `train` call in a fresh process
 * (model built first, as a notebook cell before would), then warm calls in the same process.
 * Prints one JSON line: `{"first": s, "warm": [s, ...]}`. Run by training_bench.ts in a child
 * process so nothing before it has warmed the engine.
 *
 * @module
 */
import { deepNN } from "../lib/build/models.ts";
import { f1 } from "../lib/train/metrics.ts";
import { randomData } from "../lib/data/random_data.ts";
import { train } from "../lib/train/train.ts";

const reps = Number(Deno.args[0] ?? 5);
const { x, y } = randomData({ seed: 42 });
const times: number[] = [];
for (let i = 0; i <= reps; i++) {
  const model = deepNN({ features: 10, seed: 1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
  const t0 = performance.now();
  await train(model, x, y, {
    batchSize: 30,
    epochs: 100,
    validationSplit: 0,
    seed: 1,
    live: false,
  });
  times.push((performance.now() - t0) / 1000);
  model.dispose();
}
console.log(JSON.stringify({ first: times[0], warm: times.slice(1) }));
