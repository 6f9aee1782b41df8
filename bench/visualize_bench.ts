/**
 * Network diagram figures: `visualizeNN` of a 784-512-256-10 MLP (time and SVG size) and
 * `plotModel` of a 20-layer functional model, cold (a fresh process: loading Graphviz's
 * WebAssembly and starting it are included) and warm.
 *
 * Run alone: `deno run -A bench/visualize_bench.ts`.
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "./paths.ts";
import { type BenchOptions, type BenchRow, median, timeIt } from "./common.ts";
import { tf } from "../lib/core/tf.ts";
import { visualizeNN } from "../lib/describe/visualize_nn.ts";
import { plotModel } from "../lib/describe/plot_model.ts";

const ROOT = join(dirname(fromFileUrl(import.meta.url)), "..");
const COLD_FLAG = "--cold-plot-model";

/** The MNIST-sized MLP of the issue: 784 inputs, 512 and 256 relu neurons, 10 softmax outputs. */
function mnistMLP(): tf.LayersModel {
  return tf.sequential({
    name: "MNIST-MLP",
    layers: [
      tf.layers.dense({ name: "h1", units: 512, activation: "relu", inputShape: [784] }),
      tf.layers.dense({ name: "h2", units: 256, activation: "relu" }),
      tf.layers.dense({ name: "digits", units: 10, activation: "softmax" }),
    ],
  });
}

/** A 20-layer functional model: an input, six blocks of two parallel Dense layers merged by a
 * concatenate, and an output. */
function functional20(): tf.LayersModel {
  const input = tf.input({ name: "input", shape: [32] });
  let x: tf.SymbolicTensor = input;
  for (let b = 1; b <= 6; b++) {
    const left = tf.layers.dense({ name: `b${b}_left`, units: 16, activation: "relu" })
      .apply(x) as tf.SymbolicTensor;
    const right = tf.layers.dense({ name: `b${b}_right`, units: 16, activation: "tanh" })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ name: `b${b}_merge` }).apply([left, right]) as tf.SymbolicTensor;
  }
  const output = tf.layers.dense({ name: "output", units: 1, activation: "sigmoid" })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ name: "Functional20", inputs: input, outputs: output });
  if (model.layers.length !== 20) throw new Error(`expected 20 layers, got ${model.layers.length}`);
  return model;
}

/** One cold `plotModel` in a fresh process, in ms (the model is built before the clock starts). */
async function coldPlotModel(): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fromFileUrl(import.meta.url), COLD_FLAG],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return Number(new TextDecoder().decode(out.stdout).trim());
}

/** The rows of this section. */
export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const reps = options.reps ?? (options.quick ? 3 : 9);
  const group = "visualize";
  const model = mnistMLP();
  const plain = await timeIt(() => visualizeNN(model), reps, 2);
  const full = await timeIt(
    () => visualizeNN(model, { description: true, weights: true }),
    reps,
    2,
  );
  const kb = (svg: string) => new TextEncoder().encode(svg).length / 1024;
  const rows: BenchRow[] = [
    {
      group,
      name: "visualizeNN 784-512-256-10",
      value: plain * 1000,
      unit: "ms",
      target: "< 200 ms",
    },
    {
      group,
      name: "visualizeNN 784-512-256-10 SVG size",
      value: kb(visualizeNN(model).toSVG()),
      unit: "KB",
      target: "< 300 KB",
    },
    {
      group,
      name: "visualizeNN 784-512-256-10, description + weights",
      value: full * 1000,
      unit: "ms",
      target: "< 200 ms",
    },
    {
      group,
      name: "visualizeNN 784-512-256-10, description + weights SVG size",
      value: kb(visualizeNN(model, { description: true, weights: true }).toSVG()),
      unit: "KB",
      target: "< 300 KB",
    },
  ];
  model.dispose();

  const cold: number[] = [];
  for (let i = 0; i < Math.min(reps, 3); i++) cold.push(await coldPlotModel());
  const graph = functional20();
  const warm = await timeIt(() => plotModel(graph), reps, 2);
  graph.dispose();
  rows.push(
    {
      group,
      name: "plotModel 20-layer functional, cold (engine start included)",
      value: median(cold),
      unit: "ms",
      target: "< 1 s",
      note: "fresh process: Graphviz wasm load + start + layout",
    },
    {
      group,
      name: "plotModel 20-layer functional, warm",
      value: warm * 1000,
      unit: "ms",
    },
  );
  return rows;
}

if (import.meta.main) {
  if (Deno.args.includes(COLD_FLAG)) {
    const graph = functional20();
    const t0 = performance.now();
    await plotModel(graph);
    console.log(performance.now() - t0);
  } else {
    for (const row of await bench({ quick: Deno.args.includes("--quick") })) {
      console.log(`${row.name}: ${row.value.toFixed(1)} ${row.unit} (target ${row.target ?? "-"})`);
    }
  }
}
