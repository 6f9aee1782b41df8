/**
 * The matrix product behind the fused training engine: `c = a · bᵀ` for row-major float32
 * matrices (every operand read along its rows), in plain JavaScript (accumulated in float64)
 * and, where WebAssembly SIMD is available, in a small SIMD kernel assembled here from its
 * instructions (no binary blob, no dependency) that works on float32 buffers living in a
 * WebAssembly memory (accumulated in float32 over 4 lanes, as tfjs's wasm backend does).
 *
 * @module
 */

/**
 * `c[i][j] = sum_p a[i][p] * b[j][p]` for an `m x k` matrix `a` (from `aAt`) and an `n x k`
 * matrix `b` (from `bAt`), written to `c` (from `cAt`, row-major `m x n`). Accumulates in
 * float64; blocked 2 x 2 so each loaded value feeds two products.
 *
 * @example
 * ```ts
 * import { gemmNT } from "./gemm.ts";
 * const a = new Float32Array([1, 2, 3, 4]); // 2 x 2
 * const c = new Float32Array(4);
 * gemmNT(a, 0, a, 0, c, 0, 2, 2, 2); // a · aᵀ
 * c; // Float32Array [5, 11, 11, 25]
 * ```
 */
export function gemmNT(
  a: Float32Array,
  aAt: number,
  b: Float32Array,
  bAt: number,
  c: Float32Array,
  cAt: number,
  m: number,
  n: number,
  k: number,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = aAt + i * k, a1 = a0 + k;
    const c0 = cAt + i * n, c1 = c0 + n;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = bAt + j * k, b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p];
        const y0 = b[b0 + p], y1 = b[b1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      c[c0 + j] = s00;
      c[c0 + j + 1] = s01;
      c[c1 + j] = s10;
      c[c1 + j + 1] = s11;
    }
    if (j < n) {
      const b0 = bAt + j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const y = b[b0 + p];
        s0 += a[a0 + p] * y;
        s1 += a[a1 + p] * y;
      }
      c[c0 + j] = s0;
      c[c1 + j] = s1;
    }
  }
  if (i < m) {
    const a0 = aAt + i * k, c0 = cAt + i * n;
    for (let j = 0; j < n; j++) {
      const b0 = bAt + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[c0 + j] = s;
    }
  }
}

/** The last row (odd `m`) and the last column (odd `n`) the SIMD kernel leaves to JS. */
function gemmEdges(
  a: Float32Array,
  aAt: number,
  b: Float32Array,
  bAt: number,
  c: Float32Array,
  cAt: number,
  m: number,
  n: number,
  k: number,
): void {
  const m2 = m & ~1, n2 = n & ~1;
  if (n2 < n) {
    const b0 = bAt + n2 * k;
    for (let i = 0; i < m2; i++) {
      const a0 = aAt + i * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[cAt + i * n + n2] = s;
    }
  }
  if (m2 < m) {
    const a0 = aAt + m2 * k;
    for (let j = 0; j < n; j++) {
      const b0 = bAt + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[cAt + m2 * n + j] = s;
    }
  }
}

// ---------------------------------------------------------------------------------------
// The SIMD kernel, written out instruction by instruction (WebAssembly binary format).

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (small constants). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const BLOCK = 0x02, LOOP = 0x03, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const GET = 0x20, SET = 0x21;
const I32_CONST = 0x41, I32_ADD = 0x6a, I32_MUL = 0x6c, I32_AND = 0x71, I32_SHL = 0x74;
const I32_GE_S = 0x4e;
const F32_LOAD = 0x2a, F32_STORE = 0x38, F32_ADD = 0x92, F32_MUL = 0x94;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, ...uleb(0), 2, 0]; // align 2^2, offset 0
const V128_ZERO = [SIMD, ...uleb(12), ...new Array(16).fill(0)];
const F32X4_ADD = [SIMD, ...uleb(228)];
const F32X4_MUL = [SIMD, ...uleb(230)];
const lane = (l: number) => [SIMD, ...uleb(31), l];

// Locals: the six parameters, then the kernel's own.
const A = 0, B = 1, C = 2, M = 3, N = 4, K = 5;
const I = 6, J = 7, P = 8, A0 = 9, A1 = 10, B0 = 11, B1 = 12, C0 = 13, C1 = 14;
const KB = 15, K4B = 16, M2 = 17, N2 = 18, NB = 19;
const ACC = [20, 21, 22, 23]; // acc00, acc01, acc10, acc11 (v128)
const VA0 = 24, VA1 = 25, VB0 = 26, VB1 = 27;
const S = [28, 29, 30, 31]; // s00, s01, s10, s11 (f32)
const X0 = 32, X1 = 33, Y0 = 34, Y1 = 35;

const get = (l: number) => [GET, ...uleb(l)];
const set = (l: number) => [SET, ...uleb(l)];
const i32 = (v: number) => [I32_CONST, ...sleb(v)];
/** `block; loop; if (x >= limit) break; body; continue; end; end`. */
const whileLess = (x: number, limit: number, body: number[]) => [
  BLOCK,
  VOID,
  LOOP,
  VOID,
  ...get(x),
  ...get(limit),
  I32_GE_S,
  BR_IF,
  1,
  ...body,
  BR,
  0,
  END,
  END,
];
const addTo = (l: number, step: number[]) => [...get(l), ...step, I32_ADD, ...set(l)];

/** The kernel: every 2 x 2 block of `c` for even `m2 x n2`; 4 lanes along `k`, then the tail. */
function kernelBody(): number[] {
  const macc = (acc: number, va: number, vb: number) => [
    ...get(acc),
    ...get(va),
    ...get(vb),
    ...F32X4_MUL,
    ...F32X4_ADD,
    ...set(acc),
  ];
  const hsum = (acc: number, s: number) => [
    ...get(acc),
    ...lane(0),
    ...get(acc),
    ...lane(1),
    F32_ADD,
    ...get(acc),
    ...lane(2),
    ...get(acc),
    ...lane(3),
    F32_ADD,
    F32_ADD,
    ...set(s),
  ];
  const fma = (s: number, x: number, y: number) => [
    ...get(s),
    ...get(x),
    ...get(y),
    F32_MUL,
    F32_ADD,
    ...set(s),
  ];
  const load = (base: number, into: number, op: number[]) => [
    ...get(base),
    ...get(P),
    I32_ADD,
    ...op,
    ...set(into),
  ];
  const store = (base: number, offset: number, s: number) => [
    ...get(base),
    ...get(J),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...get(s),
    F32_STORE,
    2,
    ...uleb(offset),
  ];
  const simdLoop = whileLess(P, K4B, [
    ...load(A0, VA0, V128_LOAD),
    ...load(A1, VA1, V128_LOAD),
    ...load(B0, VB0, V128_LOAD),
    ...load(B1, VB1, V128_LOAD),
    ...macc(ACC[0], VA0, VB0),
    ...macc(ACC[1], VA0, VB1),
    ...macc(ACC[2], VA1, VB0),
    ...macc(ACC[3], VA1, VB1),
    ...addTo(P, i32(16)),
  ]);
  // Two row pointers: p0 = base + index * stride, p1 = p0 + stride (the 2 x 2 micro-kernel's rows).
  const pointerPair = (base: number, index: number, stride: number, p0: number, p1: number) => [
    ...get(base),
    ...get(index),
    ...get(stride),
    I32_MUL,
    I32_ADD,
    ...set(p0),
    ...get(p0),
    ...get(stride),
    I32_ADD,
    ...set(p1),
  ];
  const tailLoop = whileLess(P, KB, [
    ...load(A0, X0, [F32_LOAD, 2, 0]),
    ...load(A1, X1, [F32_LOAD, 2, 0]),
    ...load(B0, Y0, [F32_LOAD, 2, 0]),
    ...load(B1, Y1, [F32_LOAD, 2, 0]),
    ...fma(S[0], X0, Y0),
    ...fma(S[1], X0, Y1),
    ...fma(S[2], X1, Y0),
    ...fma(S[3], X1, Y1),
    ...addTo(P, i32(4)),
  ]);
  const columnLoop = whileLess(J, N2, [
    ...pointerPair(B, J, KB, B0, B1),
    ...ACC.flatMap((acc) => [...V128_ZERO, ...set(acc)]),
    ...i32(0),
    ...set(P),
    ...simdLoop,
    ...ACC.flatMap((acc, q) => hsum(acc, S[q])),
    ...tailLoop,
    ...store(C0, 0, S[0]),
    ...store(C0, 4, S[1]),
    ...store(C1, 0, S[2]),
    ...store(C1, 4, S[3]),
    ...addTo(J, i32(2)),
  ]);
  const rowLoop = whileLess(I, M2, [
    ...pointerPair(A, I, KB, A0, A1),
    ...pointerPair(C, I, NB, C0, C1),
    ...i32(0),
    ...set(J),
    ...columnLoop,
    ...addTo(I, i32(2)),
  ]);
  return [
    ...get(K),
    ...i32(2),
    I32_SHL,
    ...set(KB),
    ...get(K),
    ...i32(-4),
    I32_AND,
    ...i32(2),
    I32_SHL,
    ...set(K4B),
    ...get(M),
    ...i32(-2),
    I32_AND,
    ...set(M2),
    ...get(N),
    ...i32(-2),
    I32_AND,
    ...set(N2),
    ...get(N),
    ...i32(2),
    I32_SHL,
    ...set(NB),
    ...i32(0),
    ...set(I),
    ...rowLoop,
    END,
  ];
}

/** The module: imports `env.memory`, exports `gemm(a, b, c, m, n, k)` (byte addresses). */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const locals = [[14, I32], [8, V128], [8, F32]];
  const body = [
    ...uleb(locals.length),
    ...locals.flatMap(([count, type]) => [...uleb(count), type]),
    ...kernelBody(),
  ];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]),
    ...section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name("gemm"), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled SIMD module, or `null` where WebAssembly SIMD is not available. */
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = moduleBytes();
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * A float32 arena for one training run plus the fastest `c = a · bᵀ` on it: buffers handed
 * out by {@linkcode Arena.take} live in one WebAssembly memory when SIMD is available (so the
 * SIMD kernel can read them), else in a plain buffer with the JavaScript kernel.
 *
 * @example
 * ```ts
 * import { Arena } from "./gemm.ts";
 * const arena = new Arena(64);
 * const a = arena.take(32), c = arena.take(16);
 * a.fill(1);
 * arena.gemm(a, 0, a, 0, c, 0, 4, 4, 8); // every entry 8
 * c[0]; // 8
 * ```
 */
export class Arena {
  /** Whether products run in the WebAssembly SIMD kernel. */
  readonly simd: boolean;
  readonly #buffer: ArrayBufferLike;
  readonly #size: number;
  readonly #kernel:
    | ((a: number, b: number, c: number, m: number, n: number, k: number) => void)
    | null;
  #used = 0;

  /** An arena of `floats` float32 values (each buffer is rounded up to 16 bytes). */
  constructor(floats: number, options: { simd?: boolean } = {}) {
    const module = options.simd === false ? null : simdModule();
    this.#size = floats;
    if (module) {
      const pages = Math.max(1, Math.ceil((floats * 4) / 65536));
      const memory = new WebAssembly.Memory({ initial: pages });
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      this.#buffer = memory.buffer;
      this.#kernel = instance.exports.gemm as (
        a: number,
        b: number,
        c: number,
        m: number,
        n: number,
        k: number,
      ) => void;
    } else {
      this.#buffer = new ArrayBuffer(floats * 4);
      this.#kernel = null;
    }
    this.simd = module !== null;
  }

  /** Floats an arena needs for buffers of these sizes. */
  static floatsFor(sizes: readonly number[]): number {
    return sizes.reduce((s, n) => s + Math.ceil(n / 4) * 4, 0);
  }

  /** A new zeroed buffer of `n` floats from the arena. */
  take(n: number): Float32Array {
    const padded = Math.ceil(n / 4) * 4;
    if (this.#used + padded > this.#size) throw new Error("Arena: out of space");
    const view = new Float32Array(this.#buffer, this.#used * 4, n);
    this.#used += padded;
    return view;
  }

  /**
   * `c = a · bᵀ` as {@linkcode gemmNT}, for buffers taken from this arena; SIMD when the
   * arena has it and the product is long enough to gain from it.
   */
  gemm(
    a: Float32Array,
    aAt: number,
    b: Float32Array,
    bAt: number,
    c: Float32Array,
    cAt: number,
    m: number,
    n: number,
    k: number,
  ): void {
    const kernel = this.#kernel;
    if (kernel === null || k < 16 || m < 2 || n < 2) {
      gemmNT(a, aAt, b, bAt, c, cAt, m, n, k);
      return;
    }
    kernel(
      a.byteOffset + aAt * 4,
      b.byteOffset + bAt * 4,
      c.byteOffset + cAt * 4,
      m,
      n,
      k,
    );
    if ((m & 1) !== 0 || (n & 1) !== 0) gemmEdges(a, aAt, b, bAt, c, cAt, m, n, k);
  }
}
