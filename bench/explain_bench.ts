/**
 * Explanations: exact Shapley values of the article's DeepNN (10 features, 100 background
 * rows: 1,024 coalitions, 102,400 model rows) and Kernel SHAP with 50 features and 100
 * background rows (2,148 coalitions), each with the peak resident memory while it ran.
 *
 * Run alone: `deno run -A bench/explain_bench.ts`.
 *
 * @module
 */
import { type BenchOptions, type BenchRow, peakRss, resetPeak, timeIt } from "./common.ts";
import { tf } from "../lib/core/tf.ts";
import { deepNN } from "../lib/build/models.ts";
import { rng } from "../lib/core/random.ts";
import { explain } from "../lib/explain/explain.ts";

function uniformRows(rows: number, features: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: features }, () => r.next()));
}

interface Case {
  name: string;
  features: number;
  method: "exact" | "kernel";
  target?: string;
  slow?: boolean;
}

const CASES: Case[] = [
  {
    name: "exact, article DeepNN (10 features, 100 bg)",
    features: 10,
    method: "exact",
    target: "< 0.5 s",
  },
  { name: "kernel SHAP (50 features, 100 bg)", features: 50, method: "kernel", target: "< 5 s" },
  { name: "exact, 16 features (100 bg)", features: 16, method: "exact", slow: true },
];

/** Time (median seconds) and peak memory of each explanation. */
export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const c of CASES) {
    if (c.slow && options.quick) continue;
    const model = deepNN({ features: c.features, task: "classification", seed: 42 });
    const background = uniformRows(100, c.features, 1);
    const instance = uniformRows(1, c.features, 2)[0];
    const run = () => explain(model, { instance, background, method: c.method, link: "logit" });
    resetPeak();
    const reps = options.quick || c.slow ? 1 : options.reps ?? 5;
    const seconds = await timeIt(run, reps);
    const peak = peakRss() / 2 ** 20;
    const { coalitions, modelRows } = run();
    rows.push(
      {
        group: "explain",
        name: c.name,
        value: seconds,
        unit: "s",
        target: c.target,
        note: `${coalitions} coalitions, ${modelRows} model rows`,
      },
      { group: "explain", name: `${c.name}: peak rss`, value: peak, unit: "MiB" },
    );
    model.dispose();
  }
  if (tf.memory().numTensors !== 0) {
    rows.push({
      group: "explain",
      name: "tensors left",
      value: tf.memory().numTensors,
      unit: "tensors",
    });
  }
  return rows;
}

if (import.meta.main) {
  for (const r of await bench({ quick: Deno.args.includes("--quick") })) {
    console.log(
      `${r.name.padEnd(56)} ${r.value.toPrecision(3).padStart(8)} ${r.unit.padEnd(4)} ${
        r.target ?? ""
      } ${r.note ?? ""}`,
    );
  }
}
