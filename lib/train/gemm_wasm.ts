/**
 * The SIMD matrix kernel of the fused engine, assembled here instruction by instruction in the
 * WebAssembly binary format (no binary blob, no dependency):
 *
 * `gemm(a, b, c, m, n, k, aRow, aCol, bias, gate, relu)` computes, for byte addresses `a`, `b`,
 * `c`, `bias`, `gate` in the imported memory,
 * `c[i][j] = epilogue(sum_p a[i*aRow + p*aCol] * b[p*n + j])` for `i < m`, `j < n`, where `b` and
 * `c` are row-major (`k x n` and `m x n`), `a` is read through its strides (so `a` or `aᵀ`), and
 * the epilogue adds `bias[j]` (if `bias` is not 0), clamps at 0 (if `relu`: `x < 0 ? 0 : x`), and
 * zeroes where `gate[i][j] > 0` is false (if `gate` is not 0).
 *
 * Register-blocked: 4 rows x 8 columns of `c` in 8 vector accumulators, each step loading two
 * vectors of `b` and broadcasting one value of `a` per row (an outer product). Every element is
 * the same sequence of multiply-adds over `p = 0 .. k-1` whatever block computes it (the last
 * rows, the last 4 columns and single columns use the same instruction), so results do not
 * depend on how rows are split between threads. The multiply-add is `f32x4.relaxed_madd` where
 * the runtime validates relaxed SIMD (fused where the CPU has FMA), else `f32x4.mul` then `add`.
 *
 * @module
 */

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
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const GET = 0x20, SET = 0x21, TEE = 0x22;
const I32_CONST = 0x41, I32_EQZ = 0x45, I32_GE_S = 0x4e, I32_ADD = 0x6a, I32_SUB = 0x6b;
const I32_MUL = 0x6c, I32_AND = 0x71, I32_SHL = 0x74;
const simd = (op: number, ...rest: number[]) => [0xfd, ...uleb(op), ...rest];
const MEM = [2, 0]; // align 2^2, offset 0
const V128_LOAD = simd(0x00, ...MEM);
const V128_LOAD32_SPLAT = simd(0x09, ...MEM);
const V128_STORE = simd(0x0b, ...MEM);
const V128_STORE32_LANE0 = simd(0x5a, ...MEM, 0);
const V128_ZERO = simd(0x0c, ...new Array(16).fill(0));
const V128_AND = simd(0x4e);
const F32X4_GT = simd(0x44);
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const F32X4_PMAX = simd(0xeb);
const F32X4_RELAXED_MADD = simd(0x105);
const F32X4_SPLAT = simd(0x13);
const F32X4_SUB = simd(0xe5);
const F32X4_DIV = simd(0xe7);
const F32X4_SQRT = simd(0xe3);
const F32_ADD = 0x92;
const lane = (l: number) => simd(0x1f, l);
const I32X4_SPLAT = simd(0x11);
const I32X4_ADD = simd(0xae);
const I32X4_MUL = simd(0xb5);
const I32X4_SHR_U = simd(0xad);
const I32X4_GE_U = simd(0x40);
const V128_OR = simd(0x50);
const V128_XOR = simd(0x51);
/** A v128 constant of four i32 lanes. */
const i32x4 = (lanes: number[]) =>
  simd(0x0c, ...lanes.flatMap((v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]));

// Parameters, then locals.
const A = 0, B = 1, C = 2, M = 3, N = 4, K = 5, AROW = 6, ACOL = 7, BIAS = 8, GATE = 9;
const RELU = 10;
const I = 11, J = 12, P = 13, PB = 14, NB = 15, N8 = 16, N4 = 17, AROWB = 18, ACOLB = 19;
const PA = [20, 21, 22, 23]; // row pointers into a for the current rows
const QA = [24, 25, 26, 27]; // the same, walking along p
const CROW = 28, GROW = 29, MR4 = 30;
const I32_LOCALS = 20;
const ACC = [31, 32, 33, 34, 35, 36, 37, 38]; // acc[r * 2 + v]
const VB = [39, 40], VA = 41, X = 42;
const V128_LOCALS = 12;

/** Emits `va * vb + acc` (left on the stack). */
type Madd = (va: number, vb: number, acc: number) => number[];

/** Rows and vectors of the main block. */
const MR = 4, NV = 2;

const get = (l: number) => [GET, ...uleb(l)];
const set = (l: number) => [SET, ...uleb(l)];
const i32 = (v: number) => [I32_CONST, ...sleb(v)];
const addTo = (l: number, step: number[]) => [...get(l), ...step, I32_ADD, ...set(l)];
/** `while (x < limit) body`. */
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
const ifNonZero = (l: number, body: number[]) => [...get(l), IF, VOID, ...body, END];

/**
 * One block of `rows x (vectors * 4)` elements of `c` at row I, column J (`vectors` 0: one
 * column, computed in lane 0).
 */
function block(rows: number, vectors: number, madd: Madd): number[] {
  const nv = Math.max(1, vectors);
  const acc = (r: number, v: number) => ACC[r * NV + v];
  const loadB = vectors === 0 ? V128_LOAD32_SPLAT : V128_LOAD;
  const loop = [
    LOOP,
    VOID,
    ...Array.from({ length: nv }, (_, v) => [
      ...get(PB),
      ...(v > 0 ? [...i32(16 * v), I32_ADD] : []),
      ...loadB,
      ...set(VB[v]),
    ]).flat(),
    ...Array.from({ length: rows }, (_, r) => [
      ...get(QA[r]),
      ...V128_LOAD32_SPLAT,
      ...set(VA),
      ...Array.from({ length: nv }, (_, v) => [
        ...madd(VA, VB[v], acc(r, v)),
        ...set(acc(r, v)),
      ]).flat(),
      ...addTo(QA[r], get(ACOLB)),
    ]).flat(),
    ...addTo(PB, get(NB)),
    ...get(P),
    ...i32(1),
    I32_SUB,
    TEE,
    ...uleb(P),
    BR_IF,
    0,
    END,
  ];
  // Byte offset of element (r, J + 4v) in a row-major m x n matrix starting at row pointer `row`.
  const at = (row: number, r: number, v: number) => [
    ...get(row),
    ...(r > 0 ? [...get(NB), ...i32(r), I32_MUL, I32_ADD] : []),
    ...get(J),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...(v > 0 ? [...i32(16 * v), I32_ADD] : []),
  ];
  const load = vectors === 0 ? V128_LOAD32_SPLAT : V128_LOAD;
  const epilogue = Array.from({ length: rows }, (_, r) =>
    Array.from({ length: nv }, (_, v) => [
      ...get(acc(r, v)),
      ...set(X),
      ...ifNonZero(BIAS, [
        ...get(X),
        ...get(BIAS),
        ...get(J),
        ...i32(2),
        I32_SHL,
        I32_ADD,
        ...(v > 0 ? [...i32(16 * v), I32_ADD] : []),
        ...load,
        ...F32X4_ADD,
        ...set(X),
      ]),
      ...ifNonZero(RELU, [...get(X), ...V128_ZERO, ...F32X4_PMAX, ...set(X)]),
      ...ifNonZero(GATE, [
        ...get(X),
        ...at(GROW, r, v),
        ...load,
        ...V128_ZERO,
        ...F32X4_GT,
        ...V128_AND,
        ...set(X),
      ]),
      ...at(CROW, r, v),
      ...get(X),
      ...(vectors === 0 ? V128_STORE32_LANE0 : V128_STORE),
    ]).flat()).flat();
  return [
    ...Array.from({ length: rows * nv }, (_, q) => {
      const r = Math.floor(q / nv), v = q % nv;
      return [...V128_ZERO, ...set(acc(r, v))];
    }).flat(),
    ...Array.from({ length: rows }, (_, r) => [...get(PA[r]), ...set(QA[r])]).flat(),
    ...get(B),
    ...get(J),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...set(PB),
    ...get(K),
    ...set(P),
    ...loop,
    ...epilogue,
  ];
}

/** All columns of `rows` rows from row I. */
function rowBlock(rows: number, madd: Madd): number[] {
  return [
    // pa_r = a + (I + r) * aRow * 4; crow = c + I * nb; grow = gate + I * nb
    ...Array.from({ length: rows }, (_, r) => [
      ...get(A),
      ...get(I),
      ...(r > 0 ? [...i32(r), I32_ADD] : []),
      ...get(AROWB),
      I32_MUL,
      I32_ADD,
      ...set(PA[r]),
    ]).flat(),
    ...get(C),
    ...get(I),
    ...get(NB),
    I32_MUL,
    I32_ADD,
    ...set(CROW),
    ...get(GATE),
    ...get(I),
    ...get(NB),
    I32_MUL,
    I32_ADD,
    ...set(GROW),
    ...i32(0),
    ...set(J),
    ...whileLess(J, N8, [...block(rows, 2, madd), ...addTo(J, i32(8))]),
    ...whileLess(J, N4, [...block(rows, 1, madd), ...addTo(J, i32(4))]),
    ...whileLess(J, N, [...block(rows, 0, madd), ...addTo(J, i32(1))]),
  ];
}

function body(madd: Madd): number[] {
  return [
    // k = 0: nothing to sum (callers never ask); guard against an endless countdown.
    ...get(K),
    I32_EQZ,
    IF,
    VOID,
    0x0f, // return
    END,
    ...get(N),
    ...i32(2),
    I32_SHL,
    ...set(NB),
    ...get(N),
    ...i32(-8),
    I32_AND,
    ...set(N8),
    ...get(N),
    ...i32(-4),
    I32_AND,
    ...set(N4),
    ...get(AROW),
    ...i32(2),
    I32_SHL,
    ...set(AROWB),
    ...get(ACOL),
    ...i32(2),
    I32_SHL,
    ...set(ACOLB),
    ...get(M),
    ...i32(-MR),
    I32_AND,
    ...set(MR4),
    ...i32(0),
    ...set(I),
    ...whileLess(I, MR4, [...rowBlock(MR, madd), ...addTo(I, i32(MR))]),
    ...whileLess(I, M, [...rowBlock(1, madd), ...addTo(I, i32(1))]),
    END,
  ];
}

// The optimizer steps: (w, g, [m, v,] n, ...f32 constants) -> 0, or NaN if a new weight is not
// finite. Every operation is one float32 operation, as tfjs's tensor ops (and the JavaScript
// steps with Math.fround) do; `n` is a multiple of 4 (arena buffers are padded with zeros,
// which stay zeros).

/** `check += w - w` (0 while finite), then the loop step. */
function elementwise(
  n: number,
  p: number,
  check: number,
  body: number[],
): number[] {
  return [
    ...V128_ZERO,
    ...set(check),
    ...i32(0),
    ...set(p),
    ...get(n),
    ...i32(2),
    I32_SHL,
    ...set(n),
    ...whileLess(p, n, [...body, ...addTo(p, i32(16))]),
    ...get(check),
    ...lane(0),
    ...get(check),
    ...lane(1),
    F32_ADD,
    ...get(check),
    ...lane(2),
    F32_ADD,
    ...get(check),
    ...lane(3),
    F32_ADD,
    END,
  ];
}

const at = (base: number, p: number) => [...get(base), ...get(p), I32_ADD];

/** adam(w, g, m, v, n, beta1, 1-beta1, beta2, 1-beta2, 1-accBeta1, 1-accBeta2, epsilon, -lr). */
function adamBody(): number[] {
  const [W, G, MM, VV, NN] = [0, 1, 2, 3, 4];
  const consts = [5, 6, 7, 8, 9, 10, 11, 12].map((l) => l);
  const [P_, CHECK, GV, MN, VN, WN] = [13, 14, 15, 16, 17, 18];
  const S = [19, 20, 21, 22, 23, 24, 25, 26]; // splats of the constants
  const [B1, OB1, B2, OB2, OA1, OA2, EPS, NLR] = S;
  return [
    ...consts.flatMap((c, q) => [...get(c), ...F32X4_SPLAT, ...set(S[q])]),
    ...elementwise(NN, P_, CHECK, [
      ...at(G, P_),
      ...V128_LOAD,
      ...set(GV),
      // m = m * beta1 + g * (1 - beta1)
      ...at(MM, P_),
      ...at(MM, P_),
      ...V128_LOAD,
      ...get(B1),
      ...F32X4_MUL,
      ...get(GV),
      ...get(OB1),
      ...F32X4_MUL,
      ...F32X4_ADD,
      TEE,
      ...uleb(MN),
      ...V128_STORE,
      // v = v * beta2 + (g * g) * (1 - beta2)
      ...at(VV, P_),
      ...at(VV, P_),
      ...V128_LOAD,
      ...get(B2),
      ...F32X4_MUL,
      ...get(GV),
      ...get(GV),
      ...F32X4_MUL,
      ...get(OB2),
      ...F32X4_MUL,
      ...F32X4_ADD,
      TEE,
      ...uleb(VN),
      ...V128_STORE,
      // w = ((m / (1 - accBeta1)) / (sqrt(v / (1 - accBeta2)) + eps)) * -lr + w
      ...at(W, P_),
      ...get(MN),
      ...get(OA1),
      ...F32X4_DIV,
      ...get(VN),
      ...get(OA2),
      ...F32X4_DIV,
      ...F32X4_SQRT,
      ...get(EPS),
      ...F32X4_ADD,
      ...F32X4_DIV,
      ...get(NLR),
      ...F32X4_MUL,
      ...at(W, P_),
      ...V128_LOAD,
      ...F32X4_ADD,
      TEE,
      ...uleb(WN),
      ...V128_STORE,
      ...get(CHECK),
      ...get(WN),
      ...get(WN),
      ...F32X4_SUB,
      ...F32X4_ADD,
      ...set(CHECK),
    ]),
  ];
}

/** sgd(w, g, n, -lr): w = (-lr * g) + w. */
function sgdBody(): number[] {
  const [W, G, NN, NLR, P_, CHECK, LR, WN] = [0, 1, 2, 3, 4, 5, 6, 7];
  return [
    ...get(NLR),
    ...F32X4_SPLAT,
    ...set(LR),
    ...elementwise(NN, P_, CHECK, [
      ...at(W, P_),
      ...get(LR),
      ...at(G, P_),
      ...V128_LOAD,
      ...F32X4_MUL,
      ...at(W, P_),
      ...V128_LOAD,
      ...F32X4_ADD,
      TEE,
      ...uleb(WN),
      ...V128_STORE,
      ...get(CHECK),
      ...get(WN),
      ...get(WN),
      ...F32X4_SUB,
      ...F32X4_ADD,
      ...set(CHECK),
    ]),
  ];
}

/** The lib's rng step (mulberry32) on 4 lanes: `t` = state in, u32 draw out. */
function mulberry(t: number, u: number): number[] {
  const shr = (x: number, bits: number) => [...get(x), ...i32(bits), ...I32X4_SHR_U];
  return [
    // u = imul(t ^ (t >>> 15), t | 1)
    ...get(t),
    ...shr(t, 15),
    ...V128_XOR,
    ...get(t),
    ...i32x4([1, 1, 1, 1]),
    ...V128_OR,
    ...I32X4_MUL,
    ...set(u),
    // u ^= u + imul(u ^ (u >>> 7), u | 61)
    ...get(u),
    ...get(u),
    ...get(u),
    ...shr(u, 7),
    ...V128_XOR,
    ...get(u),
    ...i32x4([61, 61, 61, 61]),
    ...V128_OR,
    ...I32X4_MUL,
    ...I32X4_ADD,
    ...V128_XOR,
    ...set(u),
    // u ^= u >>> 14
    ...get(u),
    ...shr(u, 14),
    ...V128_XOR,
    ...set(u),
  ];
}

/** The generator's step, 0x6D2B79F5. */
const GOLDEN = 0x6D2B79F5;

/**
 * dropout(input, out, mask, n, state, threshold, scale): for e < n (a multiple of 4),
 * draw e is mulberry32 at state + (e + 1) * GOLDEN; mask[e] = draw >= threshold ? scale : 0;
 * out[e] = input[e] * mask[e].
 */
function dropoutBody(): number[] {
  const [IN, OUT, MASK, NN, STATE, THR, SCALE, P_, S_, T_, U_, TH, SC] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
  ];
  const step = (GOLDEN * 4) >>> 0;
  const lanes = [1, 2, 3, 4].map((q) => Math.imul(GOLDEN, q) >>> 0);
  return [
    ...get(STATE),
    ...I32X4_SPLAT,
    ...i32x4(lanes),
    ...I32X4_ADD,
    ...set(S_),
    ...get(THR),
    ...I32X4_SPLAT,
    ...set(TH),
    ...get(SCALE),
    ...F32X4_SPLAT,
    ...set(SC),
    ...i32(0),
    ...set(P_),
    ...get(NN),
    ...i32(2),
    I32_SHL,
    ...set(NN),
    ...whileLess(P_, NN, [
      ...get(S_),
      ...set(T_),
      ...mulberry(T_, U_),
      // mask = (u >= threshold) & scale
      ...at(MASK, P_),
      ...get(U_),
      ...get(TH),
      ...I32X4_GE_U,
      ...get(SC),
      ...V128_AND,
      TEE,
      ...uleb(U_),
      ...V128_STORE,
      ...at(OUT, P_),
      ...at(IN, P_),
      ...V128_LOAD,
      ...get(U_),
      ...F32X4_MUL,
      ...V128_STORE,
      ...get(S_),
      ...i32x4([step, step, step, step]),
      ...I32X4_ADD,
      ...set(S_),
      ...addTo(P_, i32(16)),
    ]),
    END,
  ];
}

/**
 * dropback(delta, mask, y, into, n): into = delta * mask, and 0 where y > 0 is false when `y`
 * is not 0 (relu's derivative of the layer below).
 */
function dropbackBody(): number[] {
  const [D, MASK, Y, INTO, NN, P_, PR] = [0, 1, 2, 3, 4, 5, 6];
  return [
    ...i32(0),
    ...set(P_),
    ...get(NN),
    ...i32(2),
    I32_SHL,
    ...set(NN),
    ...whileLess(P_, NN, [
      ...at(INTO, P_),
      ...at(D, P_),
      ...V128_LOAD,
      ...at(MASK, P_),
      ...V128_LOAD,
      ...F32X4_MUL,
      ...set(PR),
      ...get(Y),
      IF,
      V128,
      ...get(PR),
      ...at(Y, P_),
      ...V128_LOAD,
      ...V128_ZERO,
      ...F32X4_GT,
      ...V128_AND,
      0x05, // else
      ...get(PR),
      END,
      ...V128_STORE,
      ...addTo(P_, i32(16)),
    ]),
    END,
  ];
}

function func(locals: number[][], code: number[]): number[] {
  const body = [
    ...uleb(locals.length),
    ...locals.flatMap(([count, type]) => [...uleb(count), type]),
    ...code,
  ];
  return [...uleb(body.length), ...body];
}

/**
 * The module's bytes: imports `env.memory` (shared when `shared`), exports `gemm`.
 * `relaxed` picks `f32x4.relaxed_madd` over `f32x4.mul` + `f32x4.add`.
 *
 * @example
 * ```ts
 * import { gemmModuleBytes } from "./gemm_wasm.ts";
 * WebAssembly.validate(gemmModuleBytes({ relaxed: false, shared: false })); // true where SIMD runs
 * ```
 */
export function gemmModuleBytes(
  options: { relaxed: boolean; shared: boolean },
): Uint8Array<ArrayBuffer> {
  const madd: Madd = options.relaxed
    ? (va, vb, acc) => [...get(va), ...get(vb), ...get(acc), ...F32X4_RELAXED_MADD]
    : (va, vb, acc) => [...get(va), ...get(vb), ...F32X4_MUL, ...get(acc), ...F32X4_ADD];
  const functions = [
    func([[I32_LOCALS, I32], [V128_LOCALS, V128]], body(madd)),
    func([[1, I32], [13, V128]], adamBody()),
    func([[1, I32], [3, V128]], sgdBody()),
    func([[1, I32], [5, V128]], dropoutBody()),
    func([[1, I32], [1, V128]], dropbackBody()),
  ];
  const types = [
    [0x60, 11, ...new Array(11).fill(I32), 0],
    [0x60, 13, ...new Array(5).fill(I32), ...new Array(8).fill(F32), 1, F32],
    [0x60, 4, I32, I32, I32, F32, 1, F32],
    [0x60, 7, I32, I32, I32, I32, I32, I32, F32, 0],
    [0x60, 5, I32, I32, I32, I32, I32, 0],
  ];
  // Shared memories need a maximum: the whole 32-bit space (the actual memory sets its own).
  const limits = options.shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [types.length, ...types.flat()]),
    ...section(2, [1, ...name("env"), ...name("memory"), 0x02, ...limits]),
    ...section(3, [5, 0, 1, 2, 3, 4]),
    ...section(7, [
      5,
      ...[["gemm", 0], ["adam", 1], ["sgd", 2], ["dropout", 3], ["dropback", 4]].flatMap((
        [n, i],
      ) => [...name(n as string), 0x00, i as number]),
    ]),
    ...section(10, [functions.length, ...functions.flat()]),
  ]);
}

/** The variants' keys in gemm_wasm_bytes.ts: `relaxed-shared`, `plain-private`, ... */
export function variantKey(options: { relaxed: boolean; shared: boolean }): string {
  return `${options.relaxed ? "relaxed" : "plain"}-${options.shared ? "shared" : "private"}`;
}

// `deno run lib/train/gemm_wasm.ts > lib/train/gemm_wasm_bytes.ts` writes the assembled bytes
// of every variant (so a first train() pays no assembly; gemm_test checks they are current).
if (import.meta.main) {
  const lines = [
    "// Generated by `deno run lib/train/gemm_wasm.ts > lib/train/gemm_wasm_bytes.ts`: the",
    "// assembled kernel module of gemm_wasm.ts, base64, per variant. Do not edit by hand.",
    "",
    "/** Base64 module bytes by variant key (see `variantKey` in gemm_wasm.ts). */",
    "export const GEMM_WASM: Readonly<Record<string, string>> = {",
  ];
  for (const relaxed of [true, false]) {
    for (const shared of [true, false]) {
      const bytes = gemmModuleBytes({ relaxed, shared });
      const text = btoa(String.fromCharCode(...bytes));
      const chunks = text.match(/.{1,88}/g) ?? [];
      lines.push(`  "${variantKey({ relaxed, shared })}":`);
      chunks.forEach((c, i) => lines.push(`    "${c}"${i < chunks.length - 1 ? " +" : ","}`));
    }
  }
  lines.push("};");
  console.log(lines.join("\n"));
}
