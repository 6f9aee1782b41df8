/**
 * GFLOP/s of the fused engine's matrix kernel (lib/train/fused/arena.ts) on the large run's products, on one
 * and two threads, next to one core's nominal float32 SIMD peak (128-bit: 4 lanes x 2 FMA
 * units x 2 flops x the clock /proc/cpuinfo reports; turbo clocks run higher).
 *
 * @module
 */
import { Arena } from "../lib/train/fused/arena.ts";
import type { BenchRow } from "./common.ts";

const GROUP = "kernels: GFLOP/s of the large run's products (batch 256)";

/** [name, m, n, k, aRow, aCol, relu]: c (m x n) = a · b over k. */
const PRODUCTS: [string, number, number, number, boolean, boolean][] = [
  ["forward 100->256 (+bias, relu)", 256, 256, 100, false, true],
  ["weight gradient 256x128 (xT · dZ)", 256, 128, 256, true, false],
  ["input gradient 128->256 (dZ · WT, gated)", 256, 256, 128, false, false],
];

function clockGHz(): number {
  try {
    const m = Deno.readTextFileSync("/proc/cpuinfo").match(/cpu MHz\s*:\s*([\d.]+)/);
    return m ? Number(m[1]) / 1000 : NaN;
  } catch {
    return NaN;
  }
}

/** The kernel rows of the bench table. */
export async function kernelRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const threads of [1, 2]) {
    for (const [name, m, n, k, transposed, relu] of PRODUCTS) {
      const arena = new Arena(Arena.floatsFor([m * k, k * n, m * n, n, m * n]), { threads });
      await arena.start();
      try {
        const a = arena.take(m * k), b = arena.take(k * n), c = arena.take(m * n);
        const bias = arena.take(n), gate = arena.take(m * n);
        for (const t of [a, b, bias, gate]) t.fill(0.5);
        const [aRow, aCol] = transposed ? [1, m] : [k, 1];
        const epilogue = relu ? { bias, relu } : transposed ? {} : { gate };
        const run = () => arena.gemm(a, 0, aRow, aCol, b, 0, c, 0, m, n, k, epilogue);
        for (let i = 0; i < 50; i++) run();
        const t0 = performance.now();
        let reps = 0;
        while (performance.now() - t0 < 500) {
          for (let i = 0; i < 20; i++) run();
          reps += 20;
        }
        const seconds = (performance.now() - t0) / 1000;
        rows.push({
          group: GROUP,
          name: `${name}, ${arena.threads} thread${arena.threads > 1 ? "s" : ""}`,
          value: (2 * m * n * k * reps) / seconds / 1e9,
          unit: "GFLOP/s",
        });
      } finally {
        arena.close();
      }
    }
  }
  const ghz = clockGHz();
  const arena = new Arena(16);
  rows.push({
    group: GROUP,
    name: `one core's nominal peak (${ghz.toFixed(2)} GHz, 4 lanes, 2 FMA)`,
    value: ghz * 4 * 2 * 2,
    unit: "GFLOP/s",
    note: `multiply-add: ${arena.relaxed ? "relaxed_madd (fused)" : "mul + add"}`,
  });
  return rows;
}
