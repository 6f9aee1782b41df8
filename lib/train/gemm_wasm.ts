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

import {
  addTo,
  BR_IF,
  END,
  F32,
  F32X4_ADD,
  F32X4_GT,
  F32X4_MUL,
  F32X4_PMAX,
  F32X4_RELAXED_MADD,
  get,
  I32,
  i32,
  I32_ADD,
  I32_AND,
  I32_EQZ,
  I32_MUL,
  I32_SHL,
  I32_SUB,
  IF,
  ifNonZero,
  LOOP,
  name,
  section,
  set,
  TEE,
  uleb,
  V128,
  V128_AND,
  V128_LOAD,
  V128_LOAD32_SPLAT,
  V128_STORE,
  V128_STORE32_LANE0,
  V128_ZERO,
  VOID,
  whileLess,
} from "./gemm_asm.ts";
import { adamBody, dropbackBody, dropoutBody, sgdBody } from "./gemm_elementwise.ts";

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
      let binary = "";
      for (const b of bytes) binary += String.fromCharCode(b);
      const text = btoa(binary);
      const chunks = text.match(/.{1,88}/g) ?? [];
      lines.push(`  "${variantKey({ relaxed, shared })}":`);
      chunks.forEach((c, i) => lines.push(`    "${c}"${i < chunks.length - 1 ? " +" : ","}`));
    }
  }
  lines.push("};");
  console.log(lines.join("\n"));
}
