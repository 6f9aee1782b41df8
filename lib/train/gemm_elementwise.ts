/**
 * The fused engine's elementwise kernels in WebAssembly SIMD (assembled with gemm_asm.ts):
 * the Adam and SGD steps and dropout forward and backward. Every operation is one float32
 * operation, so the results are those of the JavaScript loops with Math.fround, bit for bit.
 *
 * @module
 */
import {
  addTo,
  END,
  F32_ADD,
  F32X4_ADD,
  F32X4_DIV,
  F32X4_GT,
  F32X4_MUL,
  F32X4_SPLAT,
  F32X4_SQRT,
  F32X4_SUB,
  get,
  i32,
  I32_ADD,
  I32_SHL,
  i32x4,
  I32X4_ADD,
  I32X4_GE_U,
  I32X4_MUL,
  I32X4_SHR_U,
  I32X4_SPLAT,
  IF,
  lane,
  set,
  TEE,
  uleb,
  V128,
  V128_AND,
  V128_LOAD,
  V128_OR,
  V128_STORE,
  V128_XOR,
  V128_ZERO,
  whileLess,
} from "./gemm_asm.ts";

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
export function adamBody(): number[] {
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
export function sgdBody(): number[] {
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
export const GOLDEN = 0x6D2B79F5;

/**
 * dropout(input, out, mask, n, state, threshold, scale): for e < n (a multiple of 4),
 * draw e is mulberry32 at state + (e + 1) * GOLDEN; mask[e] = draw >= threshold ? scale : 0;
 * out[e] = input[e] * mask[e].
 */
export function dropoutBody(): number[] {
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
export function dropbackBody(): number[] {
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
