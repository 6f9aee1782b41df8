/**
 * The fused engine's buffers and the door to its WebAssembly kernels: one WebAssembly memory
 * of float32 buffers (shared on 2 threads; a memory of its own on one, where V8 runs the
 * products ~15% faster), the matrix product `c = epilogue(a · b)` of
 * kernels/gemm_*.wat (`a` read through strides, so `a` or `aᵀ`; `b` and `c` row-major;
 * accumulating in float32) and the elementwise steps of kernels/steps.wat. With
 * `threads: 2` a Worker shares the memory and a long product's rows are split between the two,
 * each element computed by the same instructions in the same order, so the results are the
 * same bit for bit whatever the thread count.
 *
 * @module
 */
import { KERNEL_BYTES } from "./kernels/bytes.ts";

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

import {
  ARG_COUNT,
  ARGS,
  CHUNKS,
  FINISHED,
  HELPED,
  type Kernel,
  NEXT,
  runChunks,
  SEQ,
  workerUrl,
} from "./worker.ts";

/** The compiled kernel modules (for a shared memory). */
interface Compiled {
  /** The matrix product. */
  readonly gemm: WebAssembly.Module;
  /** Adam, SGD, dropout forward and backward. */
  readonly steps: WebAssembly.Module;
  /** Whether the product's multiply-add is `f32x4.relaxed_madd`. */
  readonly relaxed: boolean;
}

const compiledCache = new Map<string, Compiled | null>();

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

/** A module of kernels/bytes.ts, or null where it does not validate (no SIMD, no threads). */
function kernelModule(name: string): WebAssembly.Module | null {
  const bytes = fromBase64(KERNEL_BYTES[name]);
  return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
}

/**
 * Runs each kernel a few times on scratch buffers, so the engine compiles them to optimized
 * code (in the background) before a first training run needs them: ~2 ms, once per process.
 */
function warmUp(kernels: Compiled, shared: boolean): void {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
  const env = { env: { memory } };
  const gemm = new WebAssembly.Instance(kernels.gemm, env).exports.gemm as Kernel;
  const steps = new WebAssembly.Instance(kernels.steps, env).exports;
  // 32 x 32 matrices at bytes 0, 4096, 8192, 12288 (all zeros: the code path is the same).
  for (let i = 0; i < 40; i++) {
    gemm(0, 4096, 8192, 32, 32, 32, 32, 1, 12288, 0, 1);
    gemm(0, 4096, 8192, 32, 32, 32, 1, 32, 0, 12288, 0);
    (steps.adam as Kernel)(
      0,
      4096,
      8192,
      12288,
      1024,
      0.9,
      0.1,
      0.999,
      0.001,
      0.1,
      0.001,
      1e-7,
      -1e-3,
    );
    (steps.sgd as Kernel)(0, 4096, 1024, -0.01);
    (steps.dropout as Kernel)(0, 4096, 8192, 1024, i, 1 << 30, 1.25);
    (steps.dropback as Kernel)(0, 4096, 8192, 12288, 1024);
  }
}

/**
 * The compiled kernels for a shared memory or a memory of one thread (the relaxed multiply-add
 * where it validates and `relaxed` is asked for, else the plain one), or `null` where
 * WebAssembly SIMD (or, for `shared`, shared memory) does not run. Compiled once per process.
 */
function compiled(relaxed: boolean, shared: boolean): Compiled | null {
  const key = `${relaxed}-${shared}`;
  if (!compiledCache.has(key)) {
    let found: Compiled | null = null;
    try {
      if (!shared || typeof SharedArrayBuffer === "function") {
        const suffix = shared ? "" : "_private";
        const steps = kernelModule(`steps${suffix}`);
        for (const kind of relaxed ? ["relaxed", "plain"] : ["plain"]) {
          const gemm = steps && kernelModule(`gemm_${kind}${suffix}`);
          if (steps && gemm) {
            found = { gemm, steps, relaxed: kind === "relaxed" };
            warmUp(found, shared);
            break;
          }
        }
      }
    } catch {
      // no kernels here: the fused engine says so and train uses tfjs
    }
    compiledCache.set(key, found);
  }
  return compiledCache.get(key) ?? null;
}

/** Products at least this long (multiply-adds) are split between threads. */
const SPLIT_WORK = 1 << 18;

/** Options of an {@linkcode Arena}. */
export interface ArenaOptions {
  /** Threads for long products: 1 (default) or 2 (a Worker sharing the memory; call `start`). */
  threads?: number;
  /**
   * The products' multiply-add: `"relaxed"` (default: `f32x4.relaxed_madd` where it
   * validates, fused where the CPU has FMA) or `"separate"` (a multiply, then an add: the same
   * bits on every CPU).
   */
  multiplyAdd?: "relaxed" | "separate";
}

/**
 * Why the kernels cannot run here (no WebAssembly SIMD or no shared memory), or null.
 *
 * @example
 * ```ts
 * import { kernelsUnavailable } from "./arena.ts";
 * kernelsUnavailable(); // null in Deno
 * ```
 */
export function kernelsUnavailable(): string | null {
  return compiled(false, false) === null
    ? "this runtime has no WebAssembly SIMD for the fused engine's kernels"
    : null;
}

/**
 * A float32 arena for one training run plus its kernels: buffers handed out by
 * {@linkcode Arena.take} live in one WebAssembly memory, where the matrix product and
 * the elementwise steps of kernels/*.wat read and write them. Throws where
 * {@linkcode kernelsUnavailable} says why.
 *
 * @example
 * ```ts
 * import { Arena } from "./arena.ts";
 * const arena = new Arena(64);
 * const a = arena.take(32), c = arena.take(16);
 * a.fill(1);
 * arena.gemm(a, 0, 8, 1, a, 0, c, 0, 4, 4, 8); // (4 x 8) · (8 x 4): every entry 8
 * c[0]; // 8
 * ```
 */
export class Arena {
  /** Whether the product uses relaxed-SIMD multiply-add. */
  readonly relaxed: boolean;
  readonly #buffer: ArrayBufferLike;
  readonly #size: number;
  readonly #kernel: Kernel;
  readonly #adam: (...args: number[]) => number;
  readonly #sgd: (...args: number[]) => number;
  readonly #dropout: Kernel;
  readonly #dropback: Kernel;
  readonly #compiled: Compiled;
  readonly #memory: WebAssembly.Memory;
  #used = 0;
  #threads = 1;
  #worker: Worker | null = null;
  #ctrl: Int32Array | null = null;
  #seq = 0;

  /** An arena of `floats` float32 values (each buffer is rounded up to 16 bytes). */
  constructor(floats: number, options: ArenaOptions = {}) {
    const relaxed = (options.multiplyAdd ?? "relaxed") === "relaxed";
    // Two threads share the memory; one thread runs faster on a memory of its own.
    const shared = (options.threads ?? 1) > 1 ? compiled(relaxed, true) : null;
    const found = shared ?? compiled(relaxed, false);
    if (found === null) throw new Error(`Arena: ${kernelsUnavailable()}`);
    this.#size = floats;
    this.#compiled = found;
    const pages = Math.max(1, Math.ceil((floats * 4) / 65536));
    const memory = new WebAssembly.Memory(
      shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages },
    );
    const env = { env: { memory } };
    const gemm = new WebAssembly.Instance(found.gemm, env).exports;
    const steps = new WebAssembly.Instance(found.steps, env).exports;
    this.#memory = memory;
    this.#buffer = memory.buffer;
    this.#kernel = gemm.gemm as Kernel;
    this.#adam = steps.adam as (...args: number[]) => number;
    this.#sgd = steps.sgd as (...args: number[]) => number;
    this.#dropout = steps.dropout as Kernel;
    this.#dropback = steps.dropback as Kernel;
    this.relaxed = found.relaxed;
    if (shared) this.#threads = 2;
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
    if (this.#threads < 2 || this.#worker) return;
    const ctrl = new Int32Array(new SharedArrayBuffer(4 * (HELPED + 1)));
    let worker: Worker;
    try {
      worker = new Worker(workerUrl(), { type: "module" });
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
        module: this.#compiled.gemm,
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
   * One Adam step (kernels/steps.wat) over buffers of this arena (`w`, `g`, `m`, `v` of the
   * same length), every operation in float32 as tfjs's; returns 0, or NaN if a new weight is
   * not finite. `constants`: beta1, 1-beta1, beta2, 1-beta2, 1-accBeta1, 1-accBeta2, epsilon,
   * -learningRate.
   */
  adam(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    constants: readonly number[],
  ): number {
    const n = Math.ceil(w.length / 4) * 4; // the padding is zeros and stays zeros
    const c = constants;
    return this.#adam(
      w.byteOffset,
      g.byteOffset,
      m.byteOffset,
      v.byteOffset,
      n,
      c[0],
      c[1],
      c[2],
      c[3],
      c[4],
      c[5],
      c[6],
      c[7],
    );
  }

  /** One SGD step (`w = (-lr * g) + w`), as {@linkcode Arena.adam}. */
  sgd(w: Float32Array, g: Float32Array, negLearningRate: number): number {
    return this.#sgd(w.byteOffset, g.byteOffset, Math.ceil(w.length / 4) * 4, negLearningRate);
  }

  /**
   * Inverted dropout (kernels/steps.wat): draws `n` values of the lib's `rng` from `state`
   * (mulberry32, 4 lanes at once: its state only counts up), `mask[e]` = `scale` where the
   * draw is >= `rate`, else 0, `out[e] = input[e] * mask[e]`; returns the new state. Buffers
   * from this arena.
   */
  dropout(
    input: Float32Array,
    out: Float32Array,
    mask: Float32Array,
    n: number,
    rate: number,
    scale: number,
    state: number,
  ): number {
    const threshold = Math.ceil(rate * 4294967296); // draw / 2^32 >= rate <=> u32 >= this
    if (threshold > 0xffffffff) {
      // No u32 draw reaches it: every unit dropped.
      mask.fill(0, 0, n);
      out.fill(0, 0, n);
    } else {
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
    }
    return (state + Math.imul(n, 0x6D2B79F5)) >>> 0;
  }

  /**
   * `into = delta * mask`, zero where `y > 0` is false when `y` is given (relu's derivative of
   * the layer below).
   */
  dropback(
    delta: Float32Array,
    mask: Float32Array,
    y: Float32Array | null,
    into: Float32Array,
    n: number,
  ): void {
    this.#dropback(
      delta.byteOffset,
      mask.byteOffset,
      y ? y.byteOffset : 0,
      into.byteOffset,
      Math.ceil(n / 4) * 4,
    );
  }

  /**
   * `c = epilogue(a · b)` for buffers taken from this arena, accumulating in float32: `a[i][p]`
   * is `a[aAt + i * aRow + p * aCol]` (so `a` or `aᵀ`), `b` is `k x n` from `bAt`, `c` is
   * `m x n` from `cAt`; split between two threads when the arena has them and the product is
   * long enough.
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
    if (m === 0) return;
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
    const rows = Math.max(4, Math.ceil(m / CHUNKS / 4) * 4);
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
