/**
 * Interrupts in Deno's Jupyter kernel. The kernel delivers an interrupt as SIGINT to its own
 * process, and Deno's default for SIGINT is to exit: the kernel dies, its variables are lost
 * and the frontend restarts it (upstream issue denoland/deno#24491, open: the stop button
 * crashes the kernel and loses its state). A process with a SIGINT listener does not exit,
 * so the lib installs one permanent no-op listener when it loads in the kernel: an interrupt
 * then never kills the kernel, whatever runs (a timer, a busy loop, nothing at all). Deno
 * cannot abort a running cell, so a long run stops itself: `train()` watches for the signal
 * and ends after the current epoch.
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
  /**
   * Lets a pending signal through, then tells whether one arrived. A run made of promises
   * that resolve at once (tfjs's fit) never gives the event loop a turn otherwise.
   */
  checkpoint(): Promise<boolean>;
  /** Stops watching (always call it, in `finally`). */
  stop(): void;
}

/**
 * Watches for the kernel's interrupt (SIGINT) while a run lasts. Outside the kernel it
 * watches nothing, so Ctrl+C ends a script as usual.
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
export function watchInterrupt(force = false): InterruptWatch {
  let requested = false;
  const inactive: InterruptWatch = {
    get requested() {
      return requested;
    },
    checkpoint: () => Promise.resolve(requested),
    stop() {},
  };
  if (!force && !inKernel()) return inactive;
  const onSignal = () => {
    requested = true;
  };
  try {
    Deno.addSignalListener("SIGINT", onSignal);
  } catch {
    return inactive; // no signals here (Windows)
  }
  return {
    get requested() {
      return requested;
    },
    // One macrotask turn: the event loop polls the signal before the run goes on.
    checkpoint: () => new Promise((resolve) => setTimeout(() => resolve(requested), 0)),
    stop() {
      Deno.removeSignalListener("SIGINT", onSignal);
    },
  };
}
