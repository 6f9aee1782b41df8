/**
 * The fused training engine against tfjs's `fit`, through the lib's `train`:
 * - the article's run as the issue measures it: DeepNN (10 features, hidden 6 and 3, dropout
 *   0.2), 1,000 rows, batch 30, 100 epochs, Adam, binary cross-entropy, metrics accuracy and
 *   F1, no validation: 34 steps x 100 = 3,400 steps;
 * - the same with `train`'s defaults (validationSplit 0.3: 24 steps x 100 = 2,400 steps and a
 *   300-row validation pass per epoch);
 * - the larger run: 100,000 rows x 100 features, hidden 256 and 128 (dropout 0.2), 3 epochs,
 *   batch 256 (1,173 steps), Adam, binary cross-entropy, accuracy, no validation.
 * tfjs rows run `train(..., { engine: "tfjs" })` (model.fit per epoch) on the named backend.
 * Every figure is the median of several repetitions after a warm-up, except the large tfjs
 * runs (one repetition: they take a minute each) and the cold first fused run.
 *
 * Run alone: `deno run -A bench/fused_bench.ts [--quick]`.
 *
 * @module
 */
import { backendChoice, type tf, useBackend } from "../lib/core/tf.ts";
import { deepNN } from "../lib/build/models.ts";
import { f1 } from "../lib/train/metrics.ts";
import { randomData } from "../lib/data/random_data.ts";
import { train } from "../lib/train/train.ts";
import type { TrainEngine } from "../lib/train/engine.ts";
import { fusedEngine } from "../lib/train/fused/engine.ts";
import type { BenchRow } from "./common.ts";

interface Case {
  group: string;
  steps: number;
  build: () => tf.LayersModel;
  x: tf.Tensor | number[][];
  y: tf.Tensor | number[];
  options: { batchSize: number; epochs: number; validationSplit: number };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seconds of one `train` run of `c` on `engine` (a fresh model each time). */
async function once(c: Case, engine: TrainEngine | "tfjs", epochs?: number): Promise<number> {
  const model = c.build();
  const t0 = performance.now();
  const h = await train(model, c.x, c.y, {
    ...c.options,
    epochs: epochs ?? c.options.epochs,
    seed: 1,
    live: false,
    engine,
  });
  const seconds = (performance.now() - t0) / 1000;
  const wanted = typeof engine === "string" ? engine : engine.name;
  if (h.engine !== wanted) throw new Error(`bench: ran on ${h.engine}, not ${wanted}`);
  model.dispose();
  return seconds;
}

async function timed(c: Case, engine: TrainEngine | "tfjs", reps: number): Promise<number> {
  await once(c, engine, 1); // warm-up: one epoch
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await once(c, engine));
  return median(times);
}

function rows(c: Case, name: string, seconds: number, target?: string, note?: string) {
  return [
    { group: c.group, name, value: (seconds / c.steps) * 1e6, unit: "us/step", note },
    { group: c.group, name: `${name} total`, value: seconds, unit: "s", target },
  ];
}

function articleCase(validationSplit: number): Case {
  const { x, y } = randomData({ seed: 42 });
  const trainRows = Math.floor(1000 * (1 - validationSplit));
  const steps = Math.ceil(trainRows / 30) * 100;
  return {
    group: validationSplit === 0
      ? "fused: article run (no validation, 3,400 steps)"
      : "fused: article run (validationSplit 0.3, 2,400 steps + validation)",
    steps,
    build: () => {
      const model = deepNN({ features: 10, seed: 1 });
      model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
      return model;
    },
    x,
    y,
    options: { batchSize: 30, epochs: 100, validationSplit },
  };
}

/**
 * The fused-engine rows of the bench table: the article run with and without validation,
 * cold and warm, against tfjs cpu through the same train(). (The large run is in the
 * training section, next to tfjs and the Python peers.)
 */
export async function bench(
  options: { quick?: boolean; reps?: number } = {},
): Promise<BenchRow[]> {
  const reps = options.reps ?? (options.quick ? 1 : 5);
  const out: BenchRow[] = [];
  const home = backendChoice.name;
  try {
    for (const validationSplit of [0, 0.3]) {
      const c = articleCase(validationSplit);
      console.error(`[bench]   ${c.group}: fused`);
      const cold = validationSplit === 0 ? await once(c, fusedEngine) : NaN;
      const fused = await timed(c, fusedEngine, reps);
      await useBackend("cpu");
      console.error(`[bench]   ${c.group}: tfjs fit (cpu)`);
      const cpu = await timed(c, "tfjs", Math.min(reps, 2));
      await useBackend(home);
      out.push(...rows(c, "fused train", fused, "< 0.15 s"));
      if (validationSplit === 0) {
        out.push({
          group: c.group,
          name: "fused train, first run in the process (cold JIT)",
          value: cold,
          unit: "s",
        });
      }
      out.push(...rows(c, "tfjs fit (cpu) via train", cpu));
      out.push({
        group: c.group,
        name: "fused speed-up vs tfjs cpu",
        value: cpu / fused,
        unit: "x",
      });
    }
  } finally {
    await useBackend(home);
  }
  return out;
}

if (import.meta.main) {
  for (const r of await bench({ quick: Deno.args.includes("--quick") })) {
    const value = r.value >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3);
    console.log(
      [r.group, r.name, value, r.unit, r.target ?? "", r.note ?? ""].join(" | "),
    );
  }
}
