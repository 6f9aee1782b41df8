import assert from "node:assert/strict";
import { Arena, gemmJS } from "../lib/train/gemm.ts";
import { rng } from "../lib/core/random.ts";

/** `relu(a · b + bias)` gated, the slow way, in float64; `a[i][p]` at `i * aRow + p * aCol`. */
function naive(
  a: Float32Array,
  aRow: number,
  aCol: number,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  bias: Float32Array | null,
  relu: boolean,
  gate: Float32Array | null,
): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * aRow + p * aCol] * b[p * n + j];
      if (bias) s += bias[j];
      if (relu && s < 0) s = 0;
      if (gate && !(gate[i * n + j] > 0)) s = 0;
      c.push(s);
    }
  }
  return c;
}

// [m, n, k]: edges of the 4 x 8 block in every direction, short and long sums.
const SHAPES = [
  [1, 1, 1],
  [2, 2, 16],
  [3, 5, 17],
  [7, 4, 33],
  [5, 1, 64],
  [1, 3, 20],
  [30, 6, 10],
  [64, 33, 100],
  [9, 13, 40],
  [40, 12, 70],
];

Deno.test("gemmJS computes a · b from offsets, and aᵀ · b through strides", () => {
  const a = new Float32Array([9, 1, 2, 3, 4]); // a 2 x 2 matrix from offset 1
  const c = new Float32Array(6);
  gemmJS(a, 1, 2, 1, a, 1, c, 2, 2, 2, 2);
  assert.deepEqual([...c], [0, 0, 7, 10, 15, 22]);
  gemmJS(a, 1, 1, 2, a, 1, c, 2, 2, 2, 2); // aᵀ · a
  assert.deepEqual([...c], [0, 0, 10, 14, 14, 20]);
});

for (const simd of [true, false]) {
  Deno.test(`Arena.gemm (simd: ${simd}) matches the float64 product, with bias, relu and gate`, () => {
    const r = rng(7);
    for (const [m, n, k] of SHAPES) {
      for (const transposed of [false, true]) {
        for (
          const [withBias, relu, withGate] of [[false, false, false], [true, true, false], [
            true,
            false,
            true,
          ]]
        ) {
          const arena = new Arena(Arena.floatsFor([m * k, n * k, m * n + 3, n, m * n]), { simd });
          if (!simd) assert.equal(arena.simd, false);
          const a = arena.take(m * k), b = arena.take(n * k), c = arena.take(m * n + 3);
          const bias = arena.take(n), gate = arena.take(m * n);
          for (const t of [a, b, bias, gate]) for (let e = 0; e < t.length; e++) t[e] = r.normal();
          c.fill(-1);
          const [aRow, aCol] = transposed ? [1, m] : [k, 1];
          arena.gemm(a, 0, aRow, aCol, b, 0, c, 3, m, n, k, {
            bias: withBias ? bias : null,
            relu,
            gate: withGate ? gate : null,
          });
          assert.deepEqual([...c.subarray(0, 3)], [-1, -1, -1], "writes nothing before cAt");
          const want = naive(
            a,
            aRow,
            aCol,
            b,
            m,
            n,
            k,
            withBias ? bias : null,
            relu,
            withGate ? gate : null,
          );
          want.forEach((w, e) => {
            const got = c[3 + e];
            assert.ok(
              Math.abs(got - w) <= 1e-5 * (1 + Math.abs(w)),
              `${m}x${n}x${k}[${e}]: ${got} vs ${w}`,
            );
          });
        }
      }
    }
  });
}

Deno.test("Arena.gemm on 2 threads gives the same bits as on 1 (rows split, same instructions)", async () => {
  const r = rng(3);
  const [m, n, k] = [203, 77, 150];
  const sizes = [m * k, n * k, m * n, n, m * n];
  const one = new Arena(Arena.floatsFor(sizes), { threads: 1 });
  const two = new Arena(Arena.floatsFor(sizes), { threads: 2 });
  await two.start();
  try {
    assert.equal(two.threads, 2);
    const buffers = [one, two].map((arena) => sizes.map((s) => arena.take(s)));
    for (let t = 0; t < sizes.length; t++) {
      for (let e = 0; e < sizes[t]; e++) buffers[0][t][e] = buffers[1][t][e] = r.normal();
    }
    for (const [i, arena] of [one, two].entries()) {
      const [a, b, c, bias, gate] = buffers[i];
      arena.gemm(a, 0, k, 1, b, 0, c, 0, m, n, k, { bias, relu: true });
      arena.gemm(a, 0, 1, m, c, 0, b, 0, k, n, m, { gate }); // aᵀ · c into b (k x n)
    }
    assert.deepEqual(buffers[1][2], buffers[0][2]);
    assert.deepEqual(buffers[1][1], buffers[0][1]);
  } finally {
    two.close();
  }
  assert.equal(two.threads, 1);
});

Deno.test("Arena hands out zeroed, disjoint buffers and refuses to overflow", () => {
  const arena = new Arena(Arena.floatsFor([3, 5]));
  const a = arena.take(3), b = arena.take(5);
  assert.deepEqual([...a, ...b], [0, 0, 0, 0, 0, 0, 0, 0]);
  a.fill(1);
  assert.deepEqual([...b], [0, 0, 0, 0, 0]);
  assert.throws(() => arena.take(1), /Arena: out of space/);
});
