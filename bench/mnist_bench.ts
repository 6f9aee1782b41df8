/**
 * Issue 21's MNIST-sized run: 60,000 x 784 synthetic rows (seeded, 10 classes), Dense
 * 512-256-10 softmax, sparse categorical cross-entropy, Adam, batch 128, 2 epochs, no
 * validation; the lib's `train` against scikit-learn (MLPClassifier, adam, batch 128, 2
 * iterations), PyTorch (Debian's and pip's) and Keras 3 on TensorFlow, all reading the same data
 * file, with the work each peer did checked (FLOPs), and the run's peak memory against data +
 * model. Run alone: `deno task bench --only mnist`.
 *
 * @module
 */
import type { BenchOptions, BenchRow } from "./common.ts";
import { benchData, MNIST } from "./runs.ts";
import { libTrain, rowsFor } from "./training_bench.ts";
import { flopsRow, peerRows, pipPeersRow, runPeers } from "./peer_rows.ts";
import { memoryRows } from "./children.ts";

/** The MNIST-sized run's rows of the bench table. */
export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  if (options.quick) return [];
  const r = MNIST;
  const reps = Math.min(options.reps ?? 2, 2);
  const { dir } = benchData(r);
  console.error(`[bench]   ${r.group}: lib train`);
  const t = await libTrain(r, reps, 1);
  const rows: BenchRow[] = rowsFor(r, `lib train (${t.engine}, auto threads)`, t.seconds);
  console.error(`[bench]   ${r.group}: peak memory (fresh process)`);
  rows.push(...await memoryRows(r, dir));
  console.error(`[bench]   ${r.group}: python peers`);
  const peers = await runPeers(r, 1, dir);
  rows.push(...peerRows(r, peers), flopsRow(r, peers, t.flops));
  rows.push(pipPeersRow(r, peers));
  // Debian's peers are rows only where installed; pip's always (or why pip could not).
  for (const p of peers.filter((p) => p.seconds !== undefined || p.set === "pip")) {
    const ratio = p.seconds ? t.seconds / p.seconds : NaN;
    rows.push({
      group: r.group,
      name: `lib / ${p.engine} time`,
      value: ratio,
      unit: "x",
      target: "< 1.0x",
      met: ratio < 1,
      note: p.seconds
        ? `${t.seconds.toFixed(2)} s vs ${p.seconds.toFixed(2)} s`
        : `n/a: ${p.error ?? "no figure"}`,
    });
  }
  return rows;
}
