/**
 * The fused engine's second thread: a Worker that shares the arena's WebAssembly memory and
 * claims chunks of rows of each long product the main thread posts (both threads claim from
 * the same counter, so a thread the OS does not schedule only delays the chunk it holds).
 *
 * @module
 */

/** A kernel export: numbers in, nothing out. */
export type Kernel = (...args: number[]) => void;

/**
 * Control words shared with the worker: the job number, the next chunk to claim (job number
 * in the high 16 bits, chunk index in the low 16), chunks finished, then the job's arguments
 * (the kernel's 11, then rows per chunk and chunks).
 */
export const SEQ = 0, NEXT = 1, FINISHED = 2, ARGS = 3, ARG_COUNT = 13;
/** Chunks the worker has run (a count for tests and the bench). */
export const HELPED = ARGS + ARG_COUNT;

/** How long the worker waits for the next product awake (ms) before it sleeps. */
const SPIN_MS = 1;

/** Chunks a split product is cut into (at least 4 rows each): enough to even out the end. */
export const CHUNKS = 16;

/**
 * Claims chunks of rows of the posted job `job` until none is left, running each in `gemm`.
 * Both threads run it, so a worker the OS does not schedule only delays the chunk it holds.
 * Self-contained: the worker gets its source text.
 */
export function runChunks(c: Int32Array, job: number, gemm: Kernel, notify: boolean): void {
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
    // Spin a while before sleeping: between the products of a step the main thread runs for
    // well under SPIN_MS, and a sleeping worker takes tens of microseconds to wake.
    const until = performance.now() + ${SPIN_MS};
    for (let spins = 1; Atomics.load(c, ${SEQ}) === seen; spins++) {
      if ((spins & 255) === 0 && performance.now() > until) break;
    }
    Atomics.wait(c, ${SEQ}, seen);
    const seq = Atomics.load(c, ${SEQ});
    if (seq < 0) return;
    if (seq === seen) continue;
    seen = seq;
    runChunks(c, seq & 0x7fff, gemm, true);
  }
};`;

let url: string | null = null;

/** The worker's script, as a blob URL made once per process. */
export function workerUrl(): string {
  url ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" }));
  return url;
}
