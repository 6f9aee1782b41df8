/**
 * Training figures: the article's run (DeepNN-10, 1,000 rows, batch 30, 100 epochs, Adam,
 * binary crossentropy: 3,400 steps) and a larger run (100,000 x 100, hidden 256 and 128,
 * 3 epochs, batch 256) on tfjs cpu and wasm, the lib's `train` default path, PyTorch and
 * scikit-learn (bench/peers.py, with Debian's python3).
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "./paths.ts";
import { type BenchOptions, type BenchRow, median, timeIt } from "./common.ts";
import * as lib from "../lib/mod.ts";

const { tf } = lib;
const HERE = dirname(fromFileUrl(import.meta.url));

interface Run {
  group: string;
  rows: number;
  features: number;
  hidden: [number, number];
  epochs: number;
  batch: number;
}
const ARTICLE: Run = {
  group: "article run",
  rows: 1000,
  features: 10,
  hidden: [6, 3],
  epochs: 100,
  batch: 30,
};
const LARGE: Run = {
  group: "large run",
  rows: 100_000,
  features: 100,
  hidden: [256, 128],
  epochs: 3,
  batch: 256,
};

const steps = (r: Run) => Math.ceil(r.rows / r.batch) * r.epochs;

function data(r: Run): { x: number[][]; y: number[][] } {
  const g = lib.rng(0);
  const x = Array.from(
    { length: r.rows },
    () => Array.from({ length: r.features }, () => g.next()),
  );
  const y = Array.from({ length: r.rows }, () => [g.int(2)]);
  return { x, y };
}

function model(r: Run): lib.tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({
        units: r.hidden[0],
        activation: "relu",
        inputShape: [r.features],
        name: "h1",
      }),
      tf.layers.dropout({ rate: 0.2, name: "drop1" }),
      tf.layers.dense({ units: r.hidden[1], activation: "relu", name: "h2" }),
      tf.layers.dropout({ rate: 0.2, name: "drop2" }),
      tf.layers.dense({ units: 1, activation: "sigmoid", name: "output" }),
    ],
  });
  m.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
  return m;
}

async function tfjsFit(
  r: Run,
  backend: "cpu" | "wasm",
  reps: number,
  warmup: number,
): Promise<number> {
  await lib.useBackend(backend);
  const { x, y } = data(r);
  const xs = tf.tensor2d(x), ys = tf.tensor2d(y);
  try {
    return await timeIt(
      async () => {
        const m = model(r);
        await m.fit(xs, ys, { batchSize: r.batch, epochs: r.epochs, shuffle: true, verbose: 0 });
        m.dispose();
      },
      reps,
      warmup,
    );
  } finally {
    tf.dispose([xs, ys]);
  }
}

type TrainFn = (
  m: lib.tf.LayersModel,
  x: number[][],
  y: number[][],
  o: Record<string, unknown>,
) => Promise<{ engine?: string }>;

async function libTrain(
  r: Run,
  reps: number,
  warmup: number,
): Promise<{ seconds: number; engine: string } | null> {
  const train = (lib as unknown as { train?: TrainFn }).train;
  if (!train) return null;
  await lib.useBackend(lib.backendChoice.name);
  const { x, y } = data(r);
  let engine = "?";
  const seconds = await timeIt(
    async () => {
      const m = model(r);
      const h = await train(m, x, y, {
        batchSize: r.batch,
        epochs: r.epochs,
        validationSplit: 0,
        live: false,
        verbose: false,
        seed: 1,
      });
      engine = h.engine ?? "?";
      m.dispose();
    },
    reps,
    warmup,
  );
  return { seconds, engine };
}

async function peers(run: "article" | "large", reps: number): Promise<BenchRow[]> {
  const group = run === "article" ? ARTICLE.group : LARGE.group;
  try {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [join(HERE, "peers.py"), run, "--reps", String(reps)],
      stdout: "piped",
      stderr: "null",
    }).output();
    return new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean).flatMap(
      (line) => {
        const p = JSON.parse(line) as {
          engine: string;
          seconds?: number[];
          steps?: number;
          error?: string;
        };
        if (!p.seconds) {
          return [{
            group,
            name: p.engine,
            value: NaN,
            unit: "us/step",
            peer: true,
            note: p.error,
          }];
        }
        const s = median(p.seconds);
        return [
          { group, name: p.engine, value: (s / p.steps!) * 1e6, unit: "us/step", peer: true },
          { group, name: `${p.engine} total`, value: s, unit: "s" },
        ];
      },
    );
  } catch (e) {
    return [{
      group,
      name: "python peers",
      value: NaN,
      unit: "us/step",
      peer: true,
      note: `not run: ${(e as Error).message}`,
    }];
  }
}

function rowsFor(r: Run, name: string, seconds: number, target?: string): BenchRow[] {
  // The large run takes minutes on tfjs: one timed run, no warm-up, there.
  const note = r === LARGE ? "1 run" : undefined;
  return [
    { group: r.group, name, value: (seconds / steps(r)) * 1e6, unit: "us/step", note },
    { group: r.group, name: `${name} total`, value: seconds, unit: "s", target },
  ];
}

/** The training rows of the bench table. */
export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const reps = options.quick ? 1 : 3;
  const rows: BenchRow[] = [];
  for (const r of options.quick ? [ARTICLE] : [ARTICLE, LARGE]) {
    const big = r === LARGE;
    for (const backend of ["cpu", "wasm"] as const) {
      console.error(`[bench]   ${r.group}: tfjs fit (${backend})`);
      rows.push(
        ...rowsFor(
          r,
          `tfjs fit (${backend})`,
          await tfjsFit(r, backend, big ? 1 : reps, big ? 0 : 1),
        ),
      );
    }
    console.error(`[bench]   ${r.group}: lib train (default path)`);
    // The fused run is short, so more repetitions settle its median.
    const t = await libTrain(r, big ? 1 : 3 * reps, big ? 0 : 2);
    if (t) {
      rows.push(
        ...rowsFor(
          r,
          `lib train (engine: ${t.engine}, backend: ${lib.backendChoice.name})`,
          t.seconds,
          big ? "<= fastest tfjs backend" : "< 0.15 s",
        ),
      );
    } else {rows.push({
        group: r.group,
        name: "lib train",
        value: NaN,
        unit: "us/step",
        note: "train() not available",
      });}
    console.error(`[bench]   ${r.group}: pytorch and scikit-learn`);
    rows.push(...await peers(big ? "large" : "article", big ? 1 : reps));
  }
  await lib.useBackend(lib.backendChoice.name);
  rows.push({
    group: "backend",
    name: `default backend: ${lib.backendChoice.name}`,
    value: NaN,
    unit: "",
    note: lib.backendChoice.reason,
  });
  return rows;
}
