/**
 * A small WebAssembly assembler for the fused engine's kernels: LEB128, sections, the
 * opcodes used, and structured-control helpers, producing plain byte arrays.
 *
 * @module
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
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
export function sleb(n: number): number[] {
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

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

export const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
export const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
export const GET = 0x20, SET = 0x21, TEE = 0x22;
export const I32_CONST = 0x41, I32_EQZ = 0x45, I32_GE_S = 0x4e, I32_ADD = 0x6a, I32_SUB = 0x6b;
export const I32_MUL = 0x6c, I32_AND = 0x71, I32_SHL = 0x74;
export const simd = (op: number, ...rest: number[]) => [0xfd, ...uleb(op), ...rest];
export const MEM = [2, 0]; // align 2^2, offset 0
export const V128_LOAD = simd(0x00, ...MEM);
export const V128_LOAD32_SPLAT = simd(0x09, ...MEM);
export const V128_STORE = simd(0x0b, ...MEM);
export const V128_STORE32_LANE0 = simd(0x5a, ...MEM, 0);
export const V128_ZERO = simd(0x0c, ...new Array(16).fill(0));
export const V128_AND = simd(0x4e);
export const F32X4_GT = simd(0x44);
export const F32X4_ADD = simd(0xe4);
export const F32X4_MUL = simd(0xe6);
export const F32X4_PMAX = simd(0xeb);
export const F32X4_RELAXED_MADD = simd(0x105);
export const F32X4_SPLAT = simd(0x13);
export const F32X4_SUB = simd(0xe5);
export const F32X4_DIV = simd(0xe7);
export const F32X4_SQRT = simd(0xe3);
export const F32_ADD = 0x92;
export const lane = (l: number) => simd(0x1f, l);
export const I32X4_SPLAT = simd(0x11);
export const I32X4_ADD = simd(0xae);
export const I32X4_MUL = simd(0xb5);
export const I32X4_SHR_U = simd(0xad);
export const I32X4_GE_U = simd(0x40);
export const V128_OR = simd(0x50);
export const V128_XOR = simd(0x51);
/** A v128 constant of four i32 lanes. */
export const i32x4 = (lanes: number[]) =>
  simd(0x0c, ...lanes.flatMap((v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]));

export const get = (l: number) => [GET, ...uleb(l)];
export const set = (l: number) => [SET, ...uleb(l)];
export const i32 = (v: number) => [I32_CONST, ...sleb(v)];
export const addTo = (l: number, step: number[]) => [...get(l), ...step, I32_ADD, ...set(l)];
/** `while (x < limit) body`. */
export const whileLess = (x: number, limit: number, body: number[]) => [
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
export const ifNonZero = (l: number, body: number[]) => [...get(l), IF, VOID, ...body, END];
