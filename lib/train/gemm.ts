/**
 * The matrix products of the fused training engine, on an arena of float32 buffers:
 * `c = epilogue(a · b)` with `a` read through strides (so `a` or `aᵀ`), `b` and `c` row-major.
 * Where WebAssembly SIMD runs, the buffers live in one WebAssembly memory and long products
 * run in the register-blocked kernel of gemm_wasm.ts (accumulating in float32); with
 * `threads: 2` the memory is shared with a Worker and a long product's rows are split between
 * the two, each element computed by the same instructions in the same order, so the results
 * are the same bit for bit whatever the thread count. Short products (and runtimes without
 * SIMD) run in JavaScript, accumulating in float64.
 *
 * @module
 */
import { variantKey } from "./gemm_wasm.ts";
import { GEMM_WASM } from "./gemm_wasm_bytes.ts";

/** What is applied to each element after the sum: `+ bias[j]`, `max(0, .)`, `gate[i][j] > 0 ? . : 0`. */
export interface Epilogue {
  /** Per-column bias (`n` values), or null. */
  readonly bias?: Float32Array | null;
  /** Offset of the bias in its buffer. */
  readonly biasAt?: number;
  /** Clamp at 0 (`x < 0 ? 0 : x`, as tfjs's relu). */
  readonly relu?: boolean;
  /** An `m x n` matrix: elements where it is not > 0 become 0 (relu's derivative), or null. */
  readonly gate?: Float32Array | null;
}

let scratch = new Float64Array(64);

/**
 * `c = epilogue(a · b)` in JavaScript, accumulating in float64: `a[i][p]` is
 * `a[aAt + i * aRow + p * aCol]`, `b` is `k x n` from `bAt`, `c` is `m x n` from `cAt`.
 *
 * @example
 * ```ts
 * import { gemmJS } from "./gemm.ts";
 * const a = new Float32Array([1, 2, 3, 4]); // 2 x 2
 * const c = new Float32Array(4);
 * gemmJS(a, 0, 2, 1, a, 0, c, 0, 2, 2, 2); // a · a
 * c; // Float32Array [7, 10, 15, 22]
 * ```
 */
export function gemmJS(
  a: Float32Array,
  aAt: number,
  aRow: number,
  aCol: number,
  b: Float32Array,
  bAt: number,
  c: Float32Array,
  cAt: number,
  m: number,
  n: number,
  k: number,
  epilogue: Epilogue = {},
): void {
  if (scratch.length < n) scratch = new Float64Array(n);
  const s = scratch;
  const { bias = null, biasAt = 0, relu = false, gate = null } = epilogue;
  for (let i = 0; i < m; i++) {
    s.fill(0, 0, n);
    for (let p = 0; p < k; p++) {
      const x = a[aAt + i * aRow + p * aCol];
      const row = bAt + p * n;
      for (let j = 0; j < n; j++) s[j] += x * b[row + j];
    }
    const o = cAt + i * n;
    for (let j = 0; j < n; j++) {
      let v = Math.fround(s[j]);
      if (bias) v = Math.fround(v + bias[biasAt + j]);
      if (relu && v < 0) v = 0;
      if (gate && !(gate[i * n + j] > 0)) v = 0;
      c[o + j] = v;
    }
  }
}

type Kernel = (...args: number[]) => void;

interface Compiled {
  readonly module: WebAssembly.Module;
  readonly shared: boolean;
  readonly relaxed: boolean;
}

const compiledCache = new Map<boolean, Compiled | null>();

/** Base64 to bytes: natively where the runtime has it (a per-character callback is slow cold). */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> })
    .fromBase64;
  if (native) return native.call(Uint8Array, text);
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}

/**
 * The compiled kernel (relaxed SIMD where it validates), for a shared or a private memory, or
 * `null` where WebAssembly SIMD does not run. Compiled once per process.
 */
function compiled(shared: boolean): Compiled | null {
  if (!compiledCache.has(shared)) {
    let found: Compiled | null = null;
    for (const relaxed of [true, false]) {
      try {
        // Assembled ahead (gemm_wasm_bytes.ts), so the first run pays no assembly.
        const bytes = fromBase64(GEMM_WASM[variantKey({ relaxed, shared })]);
        if (!WebAssembly.validate(bytes)) continue;
        found = { module: new WebAssembly.Module(bytes), shared, relaxed };
        break;
      } catch {
        // not this variant
      }
    }
    compiledCache.set(shared, found);
  }
  return compiledCache.get(shared) ?? null;
}

/**
 * Control words shared with the worker: the job number, the next chunk to claim (job number
 * in the high 16 bits, chunk index in the low 16), chunks finished, then the job's arguments
 * (the kernel's 11, then rows per chunk and chunks).
 */
const SEQ = 0, NEXT = 1, FINISHED = 2, ARGS = 3, ARG_COUNT = 13, HELPED = ARGS + ARG_COUNT;

/**
 * Claims chunks of rows of the posted job `job` until none is left, running each in `gemm`.
 * Both threads run it, so a worker the OS does not schedule only delays the chunk it holds.
 * Self-contained: the worker gets its source text.
 */
function runChunks(c: Int32Array, job: number, gemm: Kernel, notify: boolean): void {
  const a = c[3], b = c[4], cc = c[5], m = c[6], n = c[7], k = c[8], aRow = c[9], aCol = c[10];
  const bias = c[11], gate = c[12], relu = c[13], rows = c[14], chunks = c[15];
  for (;;) {
    const v = Atomics.load(c, 1);
    if (v >>> 16 !== job || (v & 0xffff) >= chunks) return;
    if (Atomics.compareExchange(c, 1, v, v + 1) !== v) continue;
    const r0 = (v & 0xffff) * rows;
    const r = Math.min(rows, m - r0);
    gemm(
      a + r0 * aRow * 4,
      b,
      cc + r0 * n * 4,
      r,
      n,
      k,
      aRow,
      aCol,
      bias,
      gate && gate + r0 * n * 4,
      relu,
    );
    Atomics.add(c, 2, 1);
    if (notify) {
      Atomics.add(c, 16, 1); // chunks the worker ran
      Atomics.notify(c, 2);
    }
  }
}

/** The worker: instantiates the kernel on the shared memory, helps with each posted job. */
const WORKER_SOURCE = `
const runChunks = ${runChunks.toString()};
self.onmessage = (e) => {
  const { module, memory, ctrl } = e.data;
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
  const c = new Int32Array(ctrl);
  self.postMessage("ready");
  let seen = 0;
  for (;;) {
    let spins = 0;
    while (Atomics.load(c, ${SEQ}) === seen && spins++ < 4000);
    Atomics.wait(c, ${SEQ}, seen);
    const seq = Atomics.load(c, ${SEQ});
    if (seq < 0) return;
    if (seq === seen) continue;
    seen = seq;
    runChunks(c, seq & 0x7fff, gemm, true);
  }
};`;

let workerUrl: string | null = null;

/** Products at least this long (multiply-adds) are split between threads. */
const SPLIT_WORK = 1 << 18;

/** Options of an {@linkcode Arena}. */
export interface ArenaOptions {
  /** Use the WebAssembly SIMD kernel where it runs. Default true. */
  simd?: boolean;
  /** Threads for long products: 1 (default) or 2 (a Worker sharing the memory; call `start`). */
  threads?: number;
}

/**
 * A float32 arena for one training run plus the fastest `c = epilogue(a · b)` on it: buffers
 * handed out by {@linkcode Arena.take} live in one WebAssembly memory when SIMD is available
 * (so the kernel can read them), else in a plain buffer with the JavaScript kernel.
 *
 * @example
 * ```ts
 * import { Arena } from "./gemm.ts";
 * import assert from "node:assert/strict";
 * const arena = new Arena(64);
 * const a = arena.take(32), c = arena.take(16);
 * a.fill(1);
 * arena.gemm(a, 0, 8, 1, a, 0, c, 0, 4, 4, 8); // (4 x 8) · (8 x 4): every entry 8
 * assert.deepEqual(c[0], 8);
 * ```
 */
export class Arena {
  /** Whether long products run in the WebAssembly SIMD kernel. */
  readonly simd: boolean;
  /** Whether that kernel uses relaxed-SIMD multiply-add. */
  readonly relaxed: boolean;
  readonly #buffer: ArrayBufferLike;
  readonly #size: number;
  readonly #kernel: Kernel | null;
  readonly #adam: Kernel | null;
  readonly #sgd: Kernel | null;
  readonly #dropout: Kernel | null;
  readonly #dropback: Kernel | null;
  readonly #compiled: Compiled | null;
  readonly #memory: WebAssembly.Memory | null;
  #used = 0;
  #threads = 1;
  #worker: Worker | null = null;
  #ctrl: Int32Array | null = null;
  #seq = 0;

  /** An arena of `floats` float32 values (each buffer is rounded up to 16 bytes). */
  constructor(floats: number, options: ArenaOptions = {}) {
    const wantThreads = (options.threads ?? 1) > 1 && typeof SharedArrayBuffer === "function";
    const found = options.simd === false ? null : compiled(wantThreads);
    this.#size = floats;
    this.#compiled = found;
    if (found) {
      const pages = Math.max(1, Math.ceil((floats * 4) / 65536));
      const memory = new WebAssembly.Memory(
        found.shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages },
      );
      const instance = new WebAssembly.Instance(found.module, { env: { memory } });
      this.#memory = memory;
      this.#buffer = memory.buffer;
      this.#kernel = instance.exports.gemm as Kernel;
      this.#adam = instance.exports.adam as Kernel;
      this.#sgd = instance.exports.sgd as Kernel;
      this.#dropout = instance.exports.dropout as Kernel;
      this.#dropback = instance.exports.dropback as Kernel;
    } else {
      this.#memory = null;
      this.#buffer = new ArrayBuffer(floats * 4);
      this.#kernel =
        this.#adam =
        this.#sgd =
        this.#dropout =
        this.#dropback =
          null;
    }
    this.simd = found !== null;
    this.relaxed = found?.relaxed ?? false;
    if (wantThreads && found?.shared) this.#threads = 2;
  }

  /** Threads long products run on (2 only once {@linkcode Arena.start} has started the worker). */
  get threads(): number {
    return this.#worker ? 2 : 1;
  }

  /**
   * Starts the worker of a 2-thread arena; resolves once it runs (on any failure the arena
   * stays on one thread, with the same results).
   */
  async start(): Promise<void> {
    if (this.#threads < 2 || this.#worker || !this.#compiled || !this.#memory) return;
    workerUrl ??= URL.createObjectURL(
      new Blob([WORKER_SOURCE], { type: "application/javascript" }),
    );
    const ctrl = new Int32Array(new SharedArrayBuffer(4 * (HELPED + 1)));
    let worker: Worker;
    try {
      worker = new Worker(workerUrl, { type: "module" });
    } catch {
      return;
    }
    const ready = await new Promise<boolean>((resolve) => {
      worker.onmessage = () => resolve(true);
      worker.onerror = (e) => {
        e.preventDefault();
        resolve(false);
      };
      worker.postMessage({
        module: this.#compiled!.module,
        memory: this.#memory,
        ctrl: ctrl.buffer,
      });
    });
    if (!ready) {
      worker.terminate();
      return;
    }
    this.#worker = worker;
    this.#ctrl = ctrl;
  }

  /** Chunks of rows the worker has computed so far (0 on one thread). */
  get workerChunks(): number {
    return this.#ctrl ? Atomics.load(this.#ctrl, HELPED) : 0;
  }

  /** Stops the worker (call when the run ends; the arena goes on on one thread). */
  close(): void {
    if (!this.#worker || !this.#ctrl) return;
    Atomics.store(this.#ctrl, SEQ, -1);
    Atomics.notify(this.#ctrl, SEQ);
    this.#worker.terminate();
    this.#worker = null;
    this.#ctrl = null;
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
   * One Adam step in the SIMD kernel over buffers of this arena (`w`, `g`, `m`, `v` of the same
   * length), every operation in float32 as tfjs's; returns 0, or NaN if a new weight is not
   * finite; `null` without SIMD (the caller runs its JavaScript step).
   */
  adam(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    constants: readonly number[],
  ): number | null {
    if (!this.#adam) return null;
    const n = Math.ceil(w.length / 4) * 4; // the padding is zeros and stays zeros
    return (this.#adam as (...args: number[]) => number)(
      w.byteOffset,
      g.byteOffset,
      m.byteOffset,
      v.byteOffset,
      n,
      ...constants,
    );
  }

  /** One SGD step (`w = (-lr * g) + w`) in the SIMD kernel, as {@linkcode Arena.adam}. */
  sgd(w: Float32Array, g: Float32Array, negLearningRate: number): number | null {
    if (!this.#sgd) return null;
    const n = Math.ceil(w.length / 4) * 4;
    return (this.#sgd as (...args: number[]) => number)(
      w.byteOffset,
      g.byteOffset,
      n,
      negLearningRate,
    );
  }

  /**
   * Inverted dropout in the SIMD kernel: draws `n` values of the lib's `rng` from `state`
   * (mulberry32, 4 lanes at once: its state only counts up), `mask[e]` = `scale` where the
   * draw is >= `rate`, else 0, `out[e] = input[e] * mask[e]`; returns the new state, or
   * `null` without SIMD (the caller runs its JavaScript loop). Buffers from this arena.
   */
  dropout(
    input: Float32Array,
    out: Float32Array,
    mask: Float32Array,
    n: number,
    rate: number,
    scale: number,
    state: number,
  ): number | null {
    const threshold = Math.ceil(rate * 4294967296); // draw / 2^32 >= rate <=> u32 >= this
    if (!this.#dropout || threshold > 0xffffffff) return null;
    // Whole vectors: the padding of arena buffers absorbs the last one.
    this.#dropout(
      input.byteOffset,
      out.byteOffset,
      mask.byteOffset,
      Math.ceil(n / 4) * 4,
      state | 0,
      threshold | 0,
      scale,
    );
    return (state + Math.imul(n, 0x6D2B79F5)) >>> 0;
  }

  /**
   * `into = delta * mask`, zero where `y > 0` is false when `y` is given (relu's derivative);
   * false without SIMD.
   */
  dropback(
    delta: Float32Array,
    mask: Float32Array,
    y: Float32Array | null,
    into: Float32Array,
    n: number,
  ): boolean {
    if (!this.#dropback) return false;
    this.#dropback(
      delta.byteOffset,
      mask.byteOffset,
      y ? y.byteOffset : 0,
      into.byteOffset,
      Math.ceil(n / 4) * 4,
    );
    return true;
  }

  /**
   * `c = epilogue(a · b)` as {@linkcode gemmJS}, for buffers taken from this arena: in the
   * SIMD kernel when the arena has it and the product is long enough to gain from it, split
   * between two threads when it is longer still.
   */
  gemm(
    a: Float32Array,
    aAt: number,
    aRow: number,
    aCol: number,
    b: Float32Array,
    bAt: number,
    c: Float32Array,
    cAt: number,
    m: number,
    n: number,
    k: number,
    epilogue: Epilogue = {},
  ): void {
    const kernel = this.#kernel;
    if (kernel === null || m === 0) {
      gemmJS(a, aAt, aRow, aCol, b, bAt, c, cAt, m, n, k, epilogue);
      return;
    }
    const aPtr = a.byteOffset + aAt * 4, bPtr = b.byteOffset + bAt * 4;
    const cPtr = c.byteOffset + cAt * 4;
    const biasPtr = epilogue.bias ? epilogue.bias.byteOffset + (epilogue.biasAt ?? 0) * 4 : 0;
    const gatePtr = epilogue.gate ? epilogue.gate.byteOffset : 0;
    const relu = epilogue.relu ? 1 : 0;
    const ctrl = this.#ctrl;
    if (ctrl === null || m * n * k < SPLIT_WORK || m < 8) {
      kernel(aPtr, bPtr, cPtr, m, n, k, aRow, aCol, biasPtr, gatePtr, relu);
      return;
    }
    // Chunks of rows (whole 4-row blocks), claimed by whichever thread is free.
    const rows = Math.max(4, Math.ceil(m / 8 / 4) * 4);
    const chunks = Math.ceil(m / rows);
    const args = [aPtr, bPtr, cPtr, m, n, k, aRow, aCol, biasPtr, gatePtr, relu, rows, chunks];
    for (let q = 0; q < ARG_COUNT; q++) ctrl[ARGS + q] = args[q];
    const seq = this.#seq = (this.#seq % 0x7fff) + 1;
    Atomics.store(ctrl, FINISHED, 0);
    Atomics.store(ctrl, NEXT, seq << 16);
    Atomics.store(ctrl, SEQ, seq);
    Atomics.notify(ctrl, SEQ);
    runChunks(ctrl, seq, kernel, false);
    let spins = 0;
    for (
      let done = Atomics.load(ctrl, FINISHED);
      done !== chunks;
      done = Atomics.load(ctrl, FINISHED)
    ) {
      if (spins++ > 4000) Atomics.wait(ctrl, FINISHED, done, 1);
    }
  }
}
