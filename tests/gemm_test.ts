import assert from "node:assert/strict";
import { Arena } from "../lib/train/fused/arena.ts";
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

{
  Deno.test("Arena.gemm matches the float64 product from offsets, a or aᵀ, with bias, relu and gate", () => {
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
          const arena = new Arena(Arena.floatsFor([m * k, n * k, m * n + 3, n, m * n]));
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
    // The same products on both arenas, in lockstep, until the worker has taken part in some
    // (on a busy machine the main thread may finish a few products before the worker wakes).
    for (let rep = 0; rep < 10 || (two.workerChunks === 0 && rep < 2000); rep++) {
      for (const [i, arena] of [one, two].entries()) {
        const [a, b, c, bias, gate] = buffers[i];
        arena.gemm(a, 0, k, 1, b, 0, c, 0, m, n, k, { bias, relu: true });
        arena.gemm(a, 0, 1, k, c, 0, b, 0, k, n, m, { gate }); // aᵀ · c into b (k x n)
      }
    }
    assert.ok(two.workerChunks > 0, "the worker took part");
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

Deno.test("Arena.dropout draws the lib's rng stream (4 lanes at once) and masks with it", () => {
  for (
    const [n, rate, seed] of [[1, 0.2, 1], [7, 0.5, 42], [1000, 0.2, 0xdeadbeef], [33, 0.9, 0]]
  ) {
    const arena = new Arena(Arena.floatsFor([n, n, n]));
    const input = arena.take(n), out = arena.take(n), mask = arena.take(n);
    const r = rng(11);
    for (let e = 0; e < n; e++) input[e] = r.normal();
    const scale = Math.fround(1 / Math.fround(1 - rate));
    const state = arena.dropout(input, out, mask, n, rate, scale, seed);
    const stream = rng(seed);
    const want = Array.from({ length: n }, () => (stream.next() >= rate ? scale : 0));
    assert.deepEqual([...mask], want);
    assert.deepEqual([...out], want.map((keep, e) => Math.fround(input[e] * keep)));
    // The stream goes on from the returned state.
    assert.equal(rng(state).next(), stream.next());
  }
});

Deno.test("Arena.dropback masks the gradient, gated by relu's derivative when given", () => {
  const n = 11;
  const arena = new Arena(Arena.floatsFor([n, n, n, n]));
  const [delta, mask, y, into] = [n, n, n, n].map((s) => arena.take(s));
  const r = rng(2);
  for (let e = 0; e < n; e++) {
    delta[e] = r.normal();
    mask[e] = e % 3 === 0 ? 0 : 1.25;
    y[e] = e % 2 === 0 ? 0 : r.next();
  }
  arena.dropback(delta, mask, null, into, n);
  assert.deepEqual([...into], [...delta].map((d, e) => Math.fround(d * mask[e])));
  arena.dropback(delta, mask, y, into, n);
  assert.deepEqual([...into], [...delta].map((d, e) => (y[e] > 0 ? Math.fround(d * mask[e]) : 0)));
});

/** tfjs's Adam in float32, one operation at a time (the kernel's reference). */
function adamReference(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  c: number[],
) {
  const f = Math.fround;
  const [b1, ob1, b2, ob2, oa1, oa2, eps, nlr] = c;
  for (let e = 0; e < w.length; e++) {
    m[e] = f(f(m[e] * b1) + f(g[e] * ob1));
    v[e] = f(f(v[e] * b2) + f(f(g[e] * g[e]) * ob2));
    const step = f(f(f(m[e] / oa1) / f(f(Math.sqrt(f(v[e] / oa2))) + eps)) * nlr);
    w[e] = f(step + w[e]);
  }
}

Deno.test("Arena.adam and Arena.sgd give tfjs's float32 steps bit for bit", () => {
  const n = 37;
  const arena = new Arena(Arena.floatsFor([n, n, n, n]));
  const [w, g, m, v] = [n, n, n, n].map((s) => arena.take(s));
  const r = rng(5);
  for (const t of [w, g, m]) for (let e = 0; e < n; e++) t[e] = r.normal();
  for (let e = 0; e < n; e++) v[e] = Math.abs(r.normal());
  const [jw, jg, jm, jv] = [w, g, m, v].map((t) => Float32Array.from(t));
  const f = Math.fround;
  const c = [
    f(0.9),
    f(0.1),
    f(0.999),
    f(0.001),
    f(1 - 0.9 ** 3),
    f(1 - 0.999 ** 3),
    f(1e-7),
    f(-0.01),
  ];
  assert.equal(arena.adam(w, g, m, v, c), 0);
  adamReference(jw, jg, jm, jv, c);
  assert.deepEqual([w, m, v], [jw, jm, jv]);
  assert.equal(arena.sgd(w, g, f(-0.1)), 0);
  for (let e = 0; e < n; e++) jw[e] = f(f(f(-0.1) * jg[e]) + jw[e]);
  assert.deepEqual(w, jw);
  g[3] = Infinity;
  assert.ok(Number.isNaN(arena.sgd(w, g, f(-0.1))), "a weight that is not finite shows");
});
