/**
 * One core's wasm SIMD ceiling, measured rather than assumed from a clock: a loop of nothing
 * but independent f32x4 multiply-adds (12 accumulators, enough to hide the FMA latency on two
 * FMA ports), the same instruction the matrix kernel uses (relaxed_madd where it validates,
 * else mul + add). In the WebAssembly text format, the module is:
 *
 * ```wat
 * (module
 *   (func (export "fma") (param $n i32) (param $b f32) (param $c f32) (result f32)
 *     (local $a0 v128) ... (local $a11 v128) (local $vb v128) (local $vc v128)
 *     (local.set $vb (f32x4.splat (local.get $b)))
 *     (local.set $vc (f32x4.splat (local.get $c)))
 *     (loop $next
 *       (local.set $a0 (f32x4.relaxed_madd (local.get $a0) (local.get $vb) (local.get $vc)))
 *       ... the same for $a1 .. $a11 ...
 *       (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
 *     (f32.add (f32x4.extract_lane 0 (local.get $a0)) ... (f32x4.extract_lane 0 (local.get $a11)))))
 * ```
 *
 * The bytes below are that text, instruction by instruction (a dozen opcodes: no assembler).
 *
 * @module
 */

const ACCUMULATORS = 12;
// Locals: params 0..2 ($n, $b, $c), then the accumulators, then $vb and $vc.
const A0 = 3, VB = A0 + ACCUMULATORS, VC = VB + 1;

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const op = {
  localGet: (i: number) => [0x20, i],
  localSet: (i: number) => [0x21, i],
  localTee: (i: number) => [0x22, i],
  i32Const: (v: number) => [0x41, v],
  i32Sub: [0x6b],
  f32Add: [0x92],
  loop: [0x03, 0x40], // a loop block with no result
  brIf: (depth: number) => [0x0d, depth],
  end: [0x0b],
  f32x4Splat: [0xfd, 0x13],
  f32x4ExtractLane: (lane: number) => [0xfd, 0x1f, lane],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
  f32x4RelaxedMadd: [0xfd, 0x85, 0x02],
};

/** A section: its id, its byte length (under 128 here, so one LEB128 byte), its bytes. */
function section(id: number, bytes: number[]): number[] {
  if (bytes.length > 127) throw new Error("wasm_ceiling: section too long for one length byte");
  return [id, bytes.length, ...bytes];
}

/** The module's bytes, with fused multiply-add (`relaxed`) or a multiply then an add. */
export function fmaModuleBytes(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const body: number[] = [
    ...[1, ACCUMULATORS + 2, V128], // one run of locals: 14 v128
    ...op.localGet(1),
    ...op.f32x4Splat,
    ...op.localSet(VB),
    ...op.localGet(2),
    ...op.f32x4Splat,
    ...op.localSet(VC),
    ...op.loop,
  ];
  for (let a = A0; a < VB; a++) {
    body.push(
      ...op.localGet(a),
      ...op.localGet(VB),
      ...(relaxed
        ? [...op.localGet(VC), ...op.f32x4RelaxedMadd]
        : [...op.f32x4Mul, ...op.localGet(VC), ...op.f32x4Add]),
      ...op.localSet(a),
    );
  }
  body.push(
    ...op.localGet(0),
    ...op.i32Const(1),
    ...op.i32Sub,
    ...op.localTee(0),
    ...op.brIf(0),
    ...op.end,
  );
  for (let a = A0; a < VB; a++) {
    body.push(...op.localGet(a), ...op.f32x4ExtractLane(0));
    if (a > A0) body.push(...op.f32Add);
  }
  body.push(...op.end);
  const code = [1, ...leb(body.length), ...body];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 3, I32, F32, F32, 1, F32]), // type 0: (i32, f32, f32) -> f32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(
      7,
      [1, 3, ..."fma"].map((c) => typeof c === "string" ? c.charCodeAt(0) : c)
        .concat([0x00, 0]),
    ), // export "fma" = function 0
    10,
    ...leb(code.length),
    ...code,
  ]);
}

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** Multiply-adds per loop iteration: accumulators x 4 lanes; flops are twice that. */
export const FLOPS_PER_ITERATION = 2 * 4 * ACCUMULATORS;

/**
 * GFLOP/s of the loop on this thread: the best of several half-second windows (the ceiling is
 * what the core can do; a shared machine only ever lowers a window).
 */
export function measureCeiling(relaxed: boolean, windows = 5): number {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fmaModuleBytes(relaxed)));
  const fma = instance.exports.fma as (n: number, b: number, c: number) => number;
  const iterations = 2_000_000;
  fma(iterations, 0.999, 1e-4); // warm-up: the optimising tier
  let best = 0;
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < 500) {
      fma(iterations, 0.999, 1e-4);
      calls++;
    }
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, (FLOPS_PER_ITERATION * iterations * calls) / seconds / 1e9);
  }
  return best;
}
