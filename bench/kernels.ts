/**
 * GFLOP/s of the fused engine's matrix kernel (lib/train/fused/arena.ts) on the large run's products, on one
 * and two threads, next to one core's wasm ceiling measured in the same run (a pure
 * multiply-add loop: wasm_ceiling.ts), and issue 21's targets on them: 1 -> 2 thread scaling
 * of each product, and the forward product's share of the ceiling.
 *
 * @module
 */
import { Arena } from "../lib/train/fused/arena.ts";
import type { BenchRow } from "./common.ts";
import { measureCeiling } from "./wasm_ceiling.ts";

const GROUP = "kernels: GFLOP/s of the large run's products (batch 256)";

/** [name, m, n, k, aRow, aCol, relu]: c (m x n) = a · b over k. */
const PRODUCTS: [string, number, number, number, boolean, boolean][] = [
  ["forward 100->256 (+bias, relu)", 256, 256, 100, false, true],
  ["weight gradient 256x128 (xT · dZ)", 256, 128, 256, true, false],
  ["input gradient 128->256 (dZ · WT, gated)", 256, 256, 128, false, false],
];

/** The kernel rows of the bench table, with issue 21's targets on them. */
export async function kernelRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const gflops = new Map<string, number>();
  let relaxed = false;
  for (const threads of [1, 2]) {
    for (const [name, m, n, k, transposed, relu] of PRODUCTS) {
      const arena = new Arena(Arena.floatsFor([m * k, k * n, m * n, n, m * n]), { threads });
      relaxed = arena.relaxed;
      await arena.start();
      try {
        const a = arena.take(m * k), b = arena.take(k * n), c = arena.take(m * n);
        const bias = arena.take(n), gate = arena.take(m * n);
        for (const t of [a, b, bias, gate]) t.fill(0.5);
        const [aRow, aCol] = transposed ? [1, m] : [k, 1];
        const epilogue = relu ? { bias, relu } : transposed ? {} : { gate };
        const run = () => arena.gemm(a, 0, aRow, aCol, b, 0, c, 0, m, n, k, epilogue);
        for (let i = 0; i < 50; i++) run();
        // The best of three windows, as the ceiling: a shared machine only lowers a window.
        let value = 0;
        for (let window = 0; window < 3; window++) {
          const t0 = performance.now();
          let reps = 0;
          while (performance.now() - t0 < 300) {
            for (let i = 0; i < 20; i++) run();
            reps += 20;
          }
          const seconds = (performance.now() - t0) / 1000;
          value = Math.max(value, (2 * m * n * k * reps) / seconds / 1e9);
        }
        gflops.set(`${name}/${threads}`, value);
        rows.push({
          group: GROUP,
          name: `${name}, ${arena.threads} thread${arena.threads > 1 ? "s" : ""}`,
          value,
          unit: "GFLOP/s",
          note: threads > 1 && arena.threads < 2 ? "no second thread here" : undefined,
        });
      } finally {
        arena.close();
      }
    }
  }
  const ceiling = measureCeiling(relaxed);
  rows.push({
    group: GROUP,
    name: `one core's wasm ceiling (measured: f32x4 ${
      relaxed ? "relaxed_madd" : "mul + add"
    } loop)`,
    value: ceiling,
    unit: "GFLOP/s",
  });
  for (const [name] of PRODUCTS) {
    const scaling = gflops.get(`${name}/2`)! / gflops.get(`${name}/1`)!;
    rows.push({
      group: GROUP,
      name: `scaling 1 -> 2 threads: ${name.split(" ").slice(0, 2).join(" ")}`,
      value: scaling,
      unit: "x",
      target: ">= 1.8x",
      met: scaling >= 1.8,
    });
  }
  const forward = gflops.get(`${PRODUCTS[0][0]}/1`)!;
  rows.push({
    group: GROUP,
    name: "forward kernel, 1 thread / wasm ceiling",
    value: (100 * forward) / ceiling,
    unit: "%",
    target: ">= 80%",
    met: forward / ceiling >= 0.8,
    note: `${forward.toFixed(1)} of ${ceiling.toFixed(1)} GFLOP/s`,
  });
  return rows;
}
