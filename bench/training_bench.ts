/**
 * Training figures: the article's run (DeepNN-10, 1,000 rows, batch 30, 100 epochs, Adam,
 * binary crossentropy: 3,400 steps) and a larger run (100,000 x 100, hidden 256 and 128,
 * 3 epochs, batch 256) on tfjs cpu and wasm, the lib's `train` default path, and the Python
 * peers (bench/peers.py: Debian's python3-torch and python3-sklearn where installed, and
 * scikit-learn, PyTorch and Keras 3 from pip in the bench's own venv), all on the same data
 * (bench/runs.ts), with issue 21's targets on the figures measured here.
 *
 * @module
 */
import { type BenchOptions, type BenchRow, timeIt } from "./common.ts";
import { kernelRows } from "./kernels.ts";
import { fusedEngineWith } from "../lib/train/fused/engine.ts";
import * as lib from "../lib/mod.ts";
import { ARTICLE, benchData, LARGE, rowViews, type Run, steps, trainFlops } from "./runs.ts";
import { buildModel, modelWidths } from "./models.ts";
import { flopsRow, type PeerResult, peerRows, pipPeersRow, runPeers } from "./peer_rows.ts";
import { coldStart, memoryRows } from "./children.ts";

const { tf } = lib;
async function tfjsFit(
  r: Run,
  backend: "cpu" | "wasm",
  reps: number,
  warmup: number,
): Promise<number> {
  await lib.useBackend(backend);
  const { x, y } = benchData(r);
  const xs = tf.tensor2d(x, [r.rows, r.features]), ys = tf.tensor2d(y, [r.rows, 1]);
  try {
    return await timeIt(
      async () => {
        const m = buildModel(r);
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

/** The lib's `train` on run `r`: median seconds, the engine it ran on, and the FLOPs it did. */
export async function libTrain(
  r: Run,
  reps: number,
  warmup: number,
  threads?: 1 | 2,
): Promise<{ seconds: number; engine: string; flops: number }> {
  await lib.useBackend(lib.backendChoice.name);
  const { x, y } = benchData(r);
  const rows = rowViews(r, x);
  let engine = "?", flops = NaN;
  const seconds = await timeIt(
    async () => {
      const m = buildModel(r);
      const h = await lib.train(m, rows, y, {
        batchSize: r.batch,
        epochs: r.epochs,
        validationSplit: 0,
        live: false,
        verbose: false,
        seed: 1,
        ...(threads ? { engine: fusedEngineWith({ threads }) } : {}),
      });
      engine = h.engine ?? "?";
      flops = trainFlops(modelWidths(m), h.params.trainRows * h.epoch.length);
      m.dispose();
    },
    reps,
    warmup,
  );
  return { seconds, engine, flops };
}

/** A time per step and a total of run `r`. */
export function rowsFor(r: Run, name: string, seconds: number, target?: string): BenchRow[] {
  return [
    { group: r.group, name, value: (seconds / steps(r)) * 1e6, unit: "us/step" },
    { group: r.group, name: `${name} total`, value: seconds, unit: "s", target },
  ];
}

/** The scikit-learn peer to compare with: pip's (current) when it ran, else Debian's. */
function sklearnOf(results: PeerResult[]): PeerResult | undefined {
  const ran = results.filter((p) => p.peer === "sklearn" && p.seconds !== undefined);
  return ran.find((p) => p.set === "pip") ?? ran[0];
}

/** The training rows of the bench table. */
export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const reps = options.reps ?? (options.quick ? 1 : 3);
  const rows: BenchRow[] = [];
  for (const r of options.quick ? [ARTICLE] : [ARTICLE, LARGE]) {
    const big = r === LARGE;
    const { dir } = benchData(r);
    // tfjs cpu takes minutes on the large run (134 s measured): wasm only there, once.
    const backends = options.noTfjs ? [] : big ? ["wasm"] as const : ["cpu", "wasm"] as const;
    for (const backend of backends) {
      console.error(`[bench]   ${r.group}: tfjs fit (${backend})`);
      const seconds = await tfjsFit(r, backend, big ? 1 : reps, big ? 0 : 1);
      rows.push(...rowsFor(r, `tfjs fit (${backend}${big ? ", 1 run" : ""})`, seconds));
    }
    console.error(`[bench]   ${r.group}: lib train (default path)`);
    // The fused run is short, so more repetitions settle its median.
    const t = await libTrain(r, big ? Math.min(2, reps) : 3 * reps, big ? 1 : 2);
    rows.push(
      ...rowsFor(
        r,
        `lib train (${t.engine}${big ? ", auto threads" : ", in the bench process"})`,
        t.seconds,
        big ? "<= scikit-learn" : "< 0.15 s",
      ),
    );
    if (big) {
      console.error(`[bench]   ${r.group}: lib train (1 thread)`);
      const one = await libTrain(r, 1, 0, 1);
      rows.push(...rowsFor(r, "lib train (fused, 1 thread)", one.seconds));
      console.error(`[bench]   ${r.group}: peak memory (fresh process)`);
      rows.push(...await memoryRows(r, dir));
    }
    console.error(`[bench]   ${r.group}: python peers`);
    const peers = await runPeers(r, big ? 1 : reps, dir);
    rows.push(...peerRows(r, peers), flopsRow(r, peers, t.flops));
    if (big) rows.push(pipPeersRow(r, peers));
    const sklearn = sklearnOf(peers);
    if (!big) {
      console.error(`[bench]   ${r.group}: first train in a fresh process`);
      const cold = await coldStart();
      if (typeof cold === "string") {
        rows.push({
          group: r.group,
          name: "lib first call / warm",
          value: NaN,
          unit: "x",
          target: "<= 1.25x",
          met: false,
          note: cold,
        });
        continue;
      }
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
          name: "lib first call / warm (fresh process)",
          value: cold.first / cold.warm,
          unit: "x",
          target: "<= 1.25x",
          met: cold.first / cold.warm <= 1.25,
        },
      );
      if (sklearn?.seconds) {
        rows.push(
          {
            group: r.group,
            name: `${sklearn.engine} / lib first call`,
            value: sklearn.seconds / cold.first,
            unit: "x",
            target: ">= 8x",
          },
          {
            group: r.group,
            name: `${sklearn.engine} / lib warm (fresh process)`,
            value: sklearn.seconds / cold.warm,
            unit: "x",
            target: ">= 15x",
          },
        );
      }
    } else {
      const ratio = sklearn?.seconds ? t.seconds / sklearn.seconds : NaN;
      rows.push({
        group: r.group,
        name: `lib / ${sklearn?.engine ?? "scikit-learn"} time`,
        value: ratio,
        unit: "x",
        target: "<= 1.0x (stretch 0.75x)",
        met: ratio <= 1,
        note: sklearn
          ? `${t.seconds.toFixed(2)} s vs ${sklearn.seconds!.toFixed(2)} s` +
            (ratio <= 0.75 ? "; stretch met" : "")
          : "n/a: no scikit-learn ran",
      });
    }
  }
  if (!options.quick) {
    console.error("[bench]   kernels");
    rows.push(...await kernelRows());
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
