/**
 * Interrupts in Deno's Jupyter kernel. The kernel delivers an interrupt as SIGINT to its own
 * process, and Deno's default for SIGINT is to exit: the kernel dies, its variables are lost
 * and the frontend restarts it (upstream issue denoland/deno#24491, open: the stop button
 * crashes the kernel and loses its state). A process with a SIGINT listener does not exit,
 * so the lib installs one permanent no-op listener when it loads in the kernel: an interrupt
 * then never kills the kernel, whatever runs (a timer, a busy loop, nothing at all). Deno
 * cannot abort a running cell, so a long run stops itself: `train()` watches for the signal
 * and stops after the current batch (in the kernel the cell then ends in an error, so the
 * frontend's queue stops; in a script `train()` returns, and a second Ctrl+C exits).
 *
 * @module
 */
import { inKernel } from "./display.ts";

let keptAlive = false;

/**
 * Keeps Deno's kernel alive on interrupts: one permanent no-op SIGINT listener, installed
 * once per process (further calls do nothing). Returns whether a listener is installed.
 * The lib calls it when it loads in the kernel; outside the kernel it is left to the caller,
 * so Ctrl+C still ends a script.
 *
 * @example
 * ```ts
 * import { inKernel } from "./display.ts";
 * import { keepKernelAlive } from "./interrupt.ts";
 * if (inKernel()) keepKernelAlive(); // true: interrupts no longer end the process
 * ```
 */
export function keepKernelAlive(): boolean {
  if (keptAlive) return true;
  try {
    Deno.addSignalListener("SIGINT", () => {});
    keptAlive = true;
  } catch { /* no signals here (Windows) */ }
  return keptAlive;
}

if (inKernel()) keepKernelAlive();

/** A SIGINT watch for the duration of one run. */
export interface InterruptWatch {
  /** True once an interrupt arrived. */
  readonly requested: boolean;
  /** True in the kernel (an interrupt ends the cell), false in a script (Ctrl+C). */
  readonly inKernel: boolean;
  /**
   * Gives the event loop one turn (timers, signal handlers, output) if the last was over 20 ms
   * ago, then tells whether an interrupt arrived. A run made of promises that resolve at once (tfjs's fit) never gives
   * the event loop a turn otherwise, so neither a signal nor a user's timer would run.
   */
  checkpoint(): Promise<boolean>;
  /** Stops watching (always call it, in `finally`). */
  stop(): void;
}

/** The event loop gets a turn at a checkpoint at most this often, in ms. */
const TURN_MS = 20;

/** Exit code of a process ended by SIGINT (128 + 2), as shells report Ctrl+C. */
export const SIGINT_EXIT_CODE = 130;

/**
 * Watches for an interrupt (SIGINT) while a run lasts: the kernel's stop button, or Ctrl+C in
 * a script. The first one sets `requested`, and the run stops itself at its next checkpoint.
 * In a script a second one ends the process at once (exit code 130), as Ctrl+C does without
 * the watch; in the kernel it never does. Listeners of the caller's own keep running: this
 * adds one beside them.
 *
 * @example
 * ```ts
 * import { watchInterrupt } from "./interrupt.ts";
 * const watch = watchInterrupt();
 * try {
 *   for (let epoch = 0; epoch < 3; epoch++) if (await watch.checkpoint()) break;
 * } finally {
 *   watch.stop();
 * }
 * ```
 */
export function watchInterrupt(): InterruptWatch {
  const kernel = inKernel();
  let requested = false;
  // A turn at most every TURN_MS: a timeout chained from a timeout is clamped to 4 ms, so one
  // per epoch cost the article's 100-epoch run ~200 ms; between turns no signal can arrive.
  let turnedAt = performance.now();
  const turn = (): Promise<boolean> => {
    if (performance.now() - turnedAt < TURN_MS) return Promise.resolve(requested);
    return new Promise<boolean>((resolve) =>
      setTimeout(() => {
        turnedAt = performance.now();
        resolve(requested);
      }, 0)
    );
  };
  const onSignal = () => {
    if (requested && !kernel) Deno.exit(SIGINT_EXIT_CODE);
    requested = true;
  };
  let listening = false;
  try {
    Deno.addSignalListener("SIGINT", onSignal);
    listening = true;
  } catch { /* no signals here (Windows): only the event loop turns */ }
  return {
    get requested() {
      return requested;
    },
    inKernel: kernel,
    // A macrotask turn: the event loop runs due timers and polls signals before the run goes on.
    checkpoint: turn,
    stop() {
      if (listening) Deno.removeSignalListener("SIGINT", onSignal);
      listening = false;
    },
  };
}
