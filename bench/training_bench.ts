/**
 * Training figures: the article's run (DeepNN-10, 1,000 rows, batch 30, 100 epochs, Adam,
 * binary crossentropy: 3,400 steps) and a larger run (100,000 x 100, hidden 256 and 128,
 * 3 epochs, batch 256) on tfjs cpu and wasm, the lib's `train` default path, PyTorch and
 * scikit-learn (bench/peers.py, with Debian's python3).
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "./paths.ts";
import { type BenchOptions, type BenchRow, median, peakRss, resetPeak, timeIt } from "./common.ts";
import { kernelRows } from "./kernels.ts";
import { fusedEngineWith } from "../lib/train/fused/engine.ts";
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
  group: "article run: DeepNN 10-6-3-1, 1,000 rows, batch 30, 100 epochs (3,400 steps)",
  rows: 1000,
  features: 10,
  hidden: [6, 3],
  epochs: 100,
  batch: 30,
};
const LARGE: Run = {
  group: "large run: 100,000 x 100, Dense 256-128-1, dropout 0.2, batch 256, 3 epochs " +
    "(tfjs: 1 run)",
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

async function libTrain(
  r: Run,
  reps: number,
  warmup: number,
  threads?: 1 | 2,
): Promise<{ seconds: number; engine: string; peakBytes: number }> {
  await lib.useBackend(lib.backendChoice.name);
  const { x, y } = data(r);
  let engine = "?";
  const base = Deno.memoryUsage().rss;
  resetPeak();
  const seconds = await timeIt(
    async () => {
      const m = model(r);
      const h = await lib.train(m, x, y, {
        batchSize: r.batch,
        epochs: r.epochs,
        validationSplit: 0,
        live: false,
        verbose: false,
        seed: 1,
        ...(threads ? { engine: fusedEngineWith({ threads }) } : {}),
      });
      engine = h.engine ?? "?";
      m.dispose();
    },
    reps,
    warmup,
  );
  return { seconds, engine, peakBytes: peakRss() - base };
}

/** What the large run's data and model take as float32: x, y, weights and Adam's moments. */
function dataModelBytes(r: Run): number {
  const params = r.features * r.hidden[0] + r.hidden[0] + r.hidden[0] * r.hidden[1] +
    r.hidden[1] + r.hidden[1] + 1;
  return 4 * (r.rows * (r.features + 1) + 3 * params);
}

/** A venv's python with pip's PyTorch and Keras/TensorFlow, if one is installed. */
function pipPython(): string | null {
  const candidates = [
    Deno.env.get("PEERS_PYTHON"),
    join(HERE, ".venv/bin/python"),
    "/work/venvs/peers/bin/python",
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch {
      // not there
    }
  }
  return null;
}

const PIP_HINT = "python3 -m venv /work/venvs/peers && /work/venvs/peers/bin/pip install " +
  "--retries 0 tensorflow-cpu keras torch (or set PEERS_PYTHON)";

/** Rows of bench/peers.py for one set of peers (Debian's python3, or a venv's). */
async function peerSet(
  run: "article" | "large",
  reps: number,
  python: string,
  set: "debian" | "pip",
): Promise<BenchRow[]> {
  const group = run === "article" ? ARTICLE.group : LARGE.group;
  try {
    const out = await new Deno.Command(python, {
      args: [join(HERE, "peers.py"), run, "--reps", String(reps), "--set", set],
      stdout: "piped",
      stderr: "null",
      env: { KERAS_BACKEND: "tensorflow", TF_CPP_MIN_LOG_LEVEL: "3" },
      signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
    }).output();
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean);
    if (lines.length === 0) {
      return [{
        group,
        name: `python peers (${set})`,
        value: NaN,
        unit: "us/step",
        peer: true,
        note: `no result within ${PEER_TIMEOUT_MS / 1000} s`,
      }];
    }
    return lines.flatMap((line) => {
      const p = JSON.parse(line) as {
        engine: string;
        seconds?: number[];
        steps?: number;
        error?: string;
      };
      if (!p.seconds) {
        const note = p.error === "not installed" && set === "pip"
          ? `not installed: ${PIP_HINT}`
          : p.error;
        return [{ group, name: p.engine, value: NaN, unit: "us/step", peer: true, note }];
      }
      const s = median(p.seconds);
      return [
        { group, name: p.engine, value: (s / p.steps!) * 1e6, unit: "us/step", peer: true },
        { group, name: `${p.engine} total`, value: s, unit: "s" },
      ];
    });
  } catch (e) {
    return [{
      group,
      name: `python peers (${set})`,
      value: NaN,
      unit: "us/step",
      peer: true,
      note: `not run: ${(e as Error).message}`,
    }];
  }
}

/** Minutes the Python peers of one run may take (a loaded machine can stall them). */
const PEER_TIMEOUT_MS = 10 * 60_000;

async function peers(run: "article" | "large", reps: number): Promise<BenchRow[]> {
  const rows = await peerSet(run, reps, "/usr/bin/python3", "debian");
  const pip = pipPython();
  if (pip) rows.push(...await peerSet(run, reps, pip, "pip"));
  else {
    rows.push({
      group: run === "article" ? ARTICLE.group : LARGE.group,
      name: "pytorch, keras/tensorflow (pip)",
      value: NaN,
      unit: "us/step",
      peer: true,
      note: `not installed: ${PIP_HINT}`,
    });
  }
  return rows;
}

/** Peak RSS above the process's during one large train() in a fresh process (memory_train.ts). */
async function peakMemory(): Promise<number | null> {
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(HERE, "memory_train.ts")],
      stdout: "piped",
      stderr: "null",
    }).output();
    const p = JSON.parse(new TextDecoder().decode(out.stdout).trim()) as {
      before: number;
      peak: number;
    };
    return p.peak - p.before;
  } catch {
    return null;
  }
}

/** The article run's first train() in a fresh process, and warm ones (bench/cold_train.ts). */
async function coldStart(): Promise<{ first: number; warm: number } | null> {
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(HERE, "cold_train.ts"), "5"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const p = JSON.parse(new TextDecoder().decode(out.stdout).trim()) as {
      first: number;
      warm: number[];
    };
    return { first: p.first, warm: median(p.warm) };
  } catch {
    return null;
  }
}

function rowsFor(r: Run, name: string, seconds: number, target?: string): BenchRow[] {
  return [
    { group: r.group, name, value: (seconds / steps(r)) * 1e6, unit: "us/step" },
    { group: r.group, name: `${name} total`, value: seconds, unit: "s", target },
  ];
}

/** The training rows of the bench table. */
export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const reps = options.reps ?? (options.quick ? 1 : 3);
  const rows: BenchRow[] = [];
  for (const r of options.quick ? [ARTICLE] : [ARTICLE, LARGE]) {
    const big = r === LARGE;
    // tfjs cpu takes minutes on the large run (134 s measured): wasm only there.
    for (const backend of big ? ["wasm"] as const : ["cpu", "wasm"] as const) {
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
    const t = await libTrain(r, big ? Math.min(2, reps) : 3 * reps, big ? 1 : 2);
    const libRows = rowsFor(
      r,
      `lib train (${t.engine}${big ? ", auto threads" : ", in the bench process"})`,
      t.seconds,
      big ? "<= scikit-learn" : "< 0.15 s",
    );
    rows.push(...libRows);
    if (big) {
      console.error(`[bench]   ${r.group}: lib train (1 thread)`);
      const one = await libTrain(r, 1, 0, 1);
      rows.push(...rowsFor(r, "lib train (fused, 1 thread)", one.seconds));
      const memory = await peakMemory();
      rows.push(
        {
          group: r.group,
          name: "lib train: peak memory above the process (fresh)",
          value: memory ? memory / 2 ** 20 : NaN,
          unit: "MiB",
          target: "<= 1.5x data+model",
        },
        {
          group: r.group,
          name: "data + model as float32 (x, y, weights, Adam)",
          value: dataModelBytes(r) / 2 ** 20,
          unit: "MiB",
        },
      );
    }
    console.error(`[bench]   ${r.group}: python peers`);
    const peerRows = await peers(big ? "large" : "article", big ? 1 : reps);
    rows.push(...peerRows);
    const sklearn = peerRows.find((p) => p.name.startsWith("scikit-learn") && p.unit === "s");
    const libTotal = t.seconds;
    if (!big) {
      console.error(`[bench]   ${r.group}: first train in a fresh process`);
      const cold = await coldStart();
      if (cold) {
        rows.push(
          {
            group: r.group,
            name: "lib train: first call, fresh process",
            value: cold.first,
            unit: "s",
          },
          { group: r.group, name: "lib train: warm (same process)", value: cold.warm, unit: "s" },
          {
            group: r.group,
            name: "lib first call / warm",
            value: cold.first / cold.warm,
            unit: "x",
            target: "<= 1.5x",
          },
        );
        if (sklearn && Number.isFinite(sklearn.value)) {
          rows.push(
            {
              group: r.group,
              name: "scikit-learn / lib first call",
              value: sklearn.value / cold.first,
              unit: "x",
              target: ">= 8x",
            },
            {
              group: r.group,
              name: "scikit-learn / lib warm (fresh process)",
              value: sklearn.value / cold.warm,
              unit: "x",
              target: ">= 15x",
            },
          );
        }
      }
    } else if (sklearn && Number.isFinite(sklearn.value)) {
      rows.push({
        group: r.group,
        name: "lib / scikit-learn time",
        value: libTotal / sklearn.value,
        unit: "x",
        target: "<= 1x",
      });
    }
  }
  if (!options.quick) rows.push(...await kernelRows());
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
