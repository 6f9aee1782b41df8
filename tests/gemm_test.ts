import assert from "node:assert/strict";
import { Arena, gemmNT } from "../lib/train/gemm.ts";
import { rng } from "../lib/core/random.ts";

/** `a · bᵀ` the slow way, in float64. */
function naive(a: Float32Array, b: Float32Array, m: number, n: number, k: number): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c.push(s);
    }
  }
  return c;
}

const SHAPES = [
  [1, 1, 1],
  [2, 2, 16],
  [3, 5, 17],
  [7, 4, 33],
  [5, 1, 64],
  [1, 3, 20],
  [30, 6, 10],
  [
    64,
    33,
    100,
  ],
];

Deno.test("gemmNT computes a · bᵀ from offsets", () => {
  const a = new Float32Array([9, 1, 2, 3, 4]); // a 2 x 2 matrix from offset 1
  const c = new Float32Array(6);
  gemmNT(a, 1, a, 1, c, 2, 2, 2, 2);
  assert.deepEqual([...c], [0, 0, 5, 11, 11, 25]);
});

for (const simd of [true, false]) {
  Deno.test(`Arena.gemm (simd: ${simd}) matches the float64 product on odd shapes`, () => {
    const r = rng(7);
    for (const [m, n, k] of SHAPES) {
      const arena = new Arena(Arena.floatsFor([m * k, n * k, m * n + 3]), { simd });
      if (!simd) assert.equal(arena.simd, false);
      const a = arena.take(m * k), b = arena.take(n * k), c = arena.take(m * n + 3);
      for (let e = 0; e < a.length; e++) a[e] = r.normal();
      for (let e = 0; e < b.length; e++) b[e] = r.normal();
      c.fill(-1);
      arena.gemm(a, 0, b, 0, c, 3, m, n, k);
      assert.deepEqual([...c.subarray(0, 3)], [-1, -1, -1], "writes nothing before cAt");
      naive(a, b, m, n, k).forEach((want, e) => {
        const got = c[3 + e];
        assert.ok(Math.abs(got - want) <= 1e-5 * (1 + Math.abs(want)), `${m}x${n}x${k}[${e}]`);
      });
    }
  });
}

Deno.test("Arena hands out zeroed, disjoint buffers and refuses to overflow", () => {
  const arena = new Arena(Arena.floatsFor([3, 5]));
  const a = arena.take(3), b = arena.take(5);
  assert.deepEqual([...a, ...b], [0, 0, 0, 0, 0, 0, 0, 0]);
  a.fill(1);
  assert.deepEqual([...b], [0, 0, 0, 0, 0]);
  assert.throws(() => arena.take(1), /Arena: out of space/);
});
