/**
 * Cooperative stopping of long runs in the notebook. Deno's kernel cannot interrupt a cell
 * that awaits (upstream issue denoland/deno#24491: the kernel stays busy), but it does
 * receive the interrupt as SIGINT; a run that watches for it stops at the next safe point.
 *
 * @module
 */
import { inKernel } from "./display.ts";

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
