/**
 * The bench's training runs, shared by the lib's side, the memory child and the Python peers:
 * their shapes, their data (generated once per bench run from a seed and written as raw
 * little-endian float32 files that every peer reads, so every peer trains on the same numbers),
 * and the FLOPs a run costs.
 *
 * @module
 */
import { join } from "./paths.ts";
import { rng } from "../lib/core/random.ts";

/** A training run: a Dense network trained with Adam, no validation. */
export interface Run {
  /** The name peers.py knows it by. */
  key: "article" | "large" | "mnist";
  /** The table's heading for it. */
  group: string;
  rows: number;
  features: number;
  /** Hidden layer widths (relu). */
  hidden: number[];
  /** Output units: 1 (sigmoid, binary cross-entropy) or classes (softmax, sparse labels). */
  outputs: number;
  /** Dropout after each hidden layer (0: none). */
  dropout: number;
  epochs: number;
  batch: number;
}

/** The article's run: DeepNN-10, 1,000 rows, batch 30, 100 epochs (3,400 steps). */
export const ARTICLE: Run = {
  key: "article",
  group: "article run: DeepNN 10-6-3-1, 1,000 rows, batch 30, 100 epochs (3,400 steps)",
  rows: 1000,
  features: 10,
  hidden: [6, 3],
  outputs: 1,
  dropout: 0.2,
  epochs: 100,
  batch: 30,
};

/** Issue 14's large run. */
export const LARGE: Run = {
  key: "large",
  group: "large run: 100,000 x 100, Dense 256-128-1, dropout 0.2, batch 256, 3 epochs",
  rows: 100_000,
  features: 100,
  hidden: [256, 128],
  outputs: 1,
  dropout: 0.2,
  epochs: 3,
  batch: 256,
};

/** Issue 21's MNIST-sized run (synthetic data: 10 classes). */
export const MNIST: Run = {
  key: "mnist",
  group: "MNIST-sized run: 60,000 x 784, Dense 512-256-10 softmax, batch 128, 2 epochs",
  rows: 60_000,
  features: 784,
  hidden: [512, 256],
  outputs: 10,
  dropout: 0,
  epochs: 2,
  batch: 128,
};

/** Runs by key. */
export const RUNS: Record<Run["key"], Run> = { article: ARTICLE, large: LARGE, mnist: MNIST };

/** Optimiser steps of a run. */
export const steps = (r: Run): number => Math.ceil(r.rows / r.batch) * r.epochs;

/** Layer widths from input to output, e.g. [784, 512, 256, 10]. */
export const widths = (r: Run): number[] => [r.features, ...r.hidden, r.outputs];

/**
 * Floating-point operations of training on `samples` rows of a Dense stack with these widths:
 * per row, the forward products (2·in·out per layer), the weight gradients (as many) and the
 * input gradients of every layer but the first. Element-wise work is left out: it is the same
 * for every peer and small beside the products.
 *
 * @example
 * ```ts
 * trainFlops([784, 512, 256, 10], 120_000); // 2.89e11
 * ```
 */
export function trainFlops(layerWidths: readonly number[], samples: number): number {
  let products = 0, first = 0;
  for (let i = 0; i + 1 < layerWidths.length; i++) {
    const macs = layerWidths[i] * layerWidths[i + 1];
    products += macs;
    if (i === 0) first = macs;
  }
  return 2 * (3 * products - first) * samples;
}

/** Bytes of the run's data and model as float32: x, y, weights and biases, Adam's two moments. */
export function dataModelBytes(r: Run): { data: number; model: number } {
  const w = widths(r);
  let params = 0;
  for (let i = 0; i + 1 < w.length; i++) params += w[i] * w[i + 1] + w[i + 1];
  return { data: 4 * r.rows * (r.features + 1), model: 4 * 3 * params };
}

/** A run's data: features row-major, and one target per row (0/1, or a class index). */
export interface RunData {
  x: Float32Array;
  y: Float32Array;
}

/**
 * The run's data, the same every time: uniform features from `rng(0)`, then labels: random 0/1
 * for the binary runs (as issue 14's bench), and for the MNIST-sized run the class whose
 * features (j mod 10 = class) sum highest, so there is something to learn.
 */
export function makeData(r: Run): RunData {
  const g = rng(0);
  const x = new Float32Array(r.rows * r.features);
  for (let i = 0; i < x.length; i++) x[i] = g.next();
  const y = new Float32Array(r.rows);
  if (r.outputs === 1) {
    for (let i = 0; i < r.rows; i++) y[i] = g.int(2);
    return { x, y };
  }
  const sums = new Float64Array(r.outputs);
  for (let i = 0; i < r.rows; i++) {
    sums.fill(0);
    const row = x.subarray(i * r.features, (i + 1) * r.features);
    for (let j = 0; j < r.features; j++) sums[j % r.outputs] += row[j];
    let best = 0;
    for (let c = 1; c < r.outputs; c++) if (sums[c] > sums[best]) best = c;
    y[i] = best;
  }
  return { x, y };
}

/** Rows as views of one buffer (no copy): what `train` receives. */
export function rowViews(r: Run, x: Float32Array): Float32Array[] {
  return Array.from({ length: r.rows }, (_, i) => x.subarray(i * r.features, (i + 1) * r.features));
}

/** The files of a run's data: `<dir>/<key>-x.f32` and `<dir>/<key>-y.f32`. */
export function dataFiles(dir: string, r: Run): { x: string; y: string } {
  return { x: join(dir, `${r.key}-x.f32`), y: join(dir, `${r.key}-y.f32`) };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesOf(a: Float32Array): Uint8Array {
  if (!littleEndian) throw new Error("bench: the data files are little-endian float32");
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes a run's data files into `dir` (whole files: written beside, then renamed). */
export function writeData(dir: string, r: Run, d: RunData): { x: string; y: string } {
  const files = dataFiles(dir, r);
  for (const [path, a] of [[files.x, d.x], [files.y, d.y]] as const) {
    Deno.writeFileSync(`${path}.tmp`, bytesOf(a));
    Deno.renameSync(`${path}.tmp`, path);
  }
  return files;
}

/**
 * Reads a run's data files back into float32 buffers of their own, read in place (no transient
 * second copy: the memory child's high-water mark must see the data once).
 */
export function readData(dir: string, r: Run): RunData {
  const files = dataFiles(dir, r);
  const read = (path: string, length: number) => {
    const size = Deno.statSync(path).size;
    if (size !== 4 * length) {
      throw new Error(`bench: ${path} has ${size} bytes, expected ${4 * length}`);
    }
    const out = new Float32Array(length);
    const bytes = new Uint8Array(out.buffer);
    using file = Deno.openSync(path);
    for (let at = 0; at < bytes.length;) {
      const n = file.readSync(bytes.subarray(at, Math.min(bytes.length, at + 2 ** 24)));
      if (n === null) throw new Error(`bench: ${path} ended at byte ${at}`);
      at += n;
    }
    return out;
  };
  return { x: read(files.x, r.rows * r.features), y: read(files.y, r.rows) };
}

let dataDir: string | undefined;
const written = new Map<Run["key"], RunData>();

/**
 * A run's data, generated once per bench process and written to a temporary folder for the
 * peers and the memory child; {@linkcode removeDataFiles} removes that folder.
 */
export function benchData(r: Run): RunData & { dir: string } {
  dataDir ??= Deno.makeTempDirSync({ prefix: "dlnb-bench-data-" });
  let d = written.get(r.key);
  if (!d) {
    d = makeData(r);
    writeData(dataDir, r, d);
    written.set(r.key, d);
  }
  return { ...d, dir: dataDir };
}

/** Removes the data files this process wrote (the folder is its own). */
export function removeDataFiles(): void {
  if (dataDir) Deno.removeSync(dataDir, { recursive: true });
  dataDir = undefined;
  written.clear();
}
