/**
 * Training progress in the manner of Keras: in the notebook ONE output updated in place
 * (progress line, bar, ETA, ms/step, loss and metrics, and a small chart that grows),
 * throttled so it costs little; outside the kernel one line per epoch, as Keras's
 * `verbose=2`. The text is computed by pure functions; reporters only decide when to show it.
 *
 * @module
 */
import { inKernel, LiveOutput, type MimeBundle } from "../display/display.ts";
import type { EpochLogs } from "./engine.ts";
import { progressChartGeometry, progressChartSVG } from "../plot/progress_chart.ts";

/** Where a run stands after an epoch. */
export interface ProgressState {
  /** Epochs done so far (1-based count of the last finished epoch; 0 before the first). */
  epoch: number;
  /** Epochs of the run. */
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  /** Milliseconds since training started. */
  elapsedMs: number;
  /** Milliseconds the last epoch took. */
  epochMs: number;
  /** The last epoch's logs. */
  logs: EpochLogs;
  /** Set when the run ended early: why. */
  stopped?: string;
  /** The engine running the epochs, e.g. `fused`, or `tfjs (fused engine not used: ...)`. */
  engine?: string;
  /** Batches done in the epoch under way (after `epoch` complete ones), when known. */
  batch?: number;
}

/**
 * A duration as Keras prints ETAs: `7s`, `1:05`, `1:02:03`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./progress.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([formatDuration(7400), formatDuration(65000), formatDuration(3723000)], ["7s", "1:05", "1:02:03"]);
 * ```
 */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/**
 * Time per step as Keras prints it: `3ms/step`, `1s/step`, `250us/step`.
 *
 * @example
 * ```ts
 * import { formatPerStep } from "./progress.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatPerStep(2.6), "3ms/step");
 * ```
 */
export function formatPerStep(ms: number): string {
  if (ms >= 1000) return `${Math.round(ms / 1000)}s/step`;
  if (ms >= 1) return `${Math.round(ms)}ms/step`;
  return `${Math.round(ms * 1000)}us/step`;
}

/**
 * Logs as Keras prints them: `loss: 0.6931 - accuracy: 0.5043 - val_loss: ...` (4 decimals,
 * or scientific notation below 1e-3).
 *
 * @example
 * ```ts
 * import { formatLogs } from "./progress.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatLogs({ loss: 0.69314, F1: 0.00001 }), "loss: 0.6931 - F1: 1.0000e-5");
 * ```
 */
export function formatLogs(logs: EpochLogs): string {
  return Object.entries(logs).map(([k, v]) =>
    `${k}: ${
      Math.abs(v) > 1e-3 || v === 0 || !Number.isFinite(v) ? v.toFixed(4) : v.toExponential(4)
    }`
  ).join(" - ");
}

/**
 * A Keras progress bar: `[=========>....................]`.
 *
 * @example
 * ```ts
 * import { progressBar } from "./progress.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(progressBar(1, 2, 10), "[====>.....]");
 * ```
 */
export function progressBar(done: number, total: number, width = 30): string {
  // Keras's Progbar: filled-1 "=", then ">" (or "=" when done), then "." for the rest.
  const filled = Math.min(width, Math.floor((width * done) / total));
  const head = filled > 0 ? "=".repeat(filled - 1) + (done < total ? ">" : "=") : "";
  const body = head + ".".repeat(width - filled);
  return `[${body}]`;
}

/** The pieces of the live display's text. */
export interface ProgressText {
  /** `Epoch 37/100`. */
  title: string;
  /** `37% - ETA: 5s - 3ms/step`, or the total time when done. */
  status: string;
  /** The training values, then the validation values (none before the first epoch). */
  lines: string[];
}

/**
 * The live display's text for a state.
 *
 * @example
 * ```ts
 * import { progressText } from "./progress.ts";
 * import assert from "node:assert/strict";
 * const t = progressText({ epoch: 37, epochs: 100, steps: 24, elapsedMs: 3700, epochMs: 72, logs: { loss: 0.69 } });
 * assert.deepEqual(t.title, "Epoch 37/100");
 * ```
 */
export function progressText(s: ProgressState): ProgressText {
  // Within an epoch (per-batch progress): `Epoch 4/100 - 12/24`, shares counted in batches.
  const inEpoch = !s.stopped && s.batch !== undefined && s.batch > 0 && s.epoch < s.epochs;
  const done = inEpoch ? s.epoch + (s.batch as number) / s.steps : s.epoch;
  const title = inEpoch
    ? `Epoch ${s.epoch + 1}/${s.epochs} - ${s.batch}/${s.steps}`
    : `Epoch ${s.epoch}/${s.epochs}`;
  const perStep = s.epoch > 0 ? ` - ${formatPerStep(s.epochMs / s.steps)}` : "";
  let status: string;
  if (s.stopped) status = `stopped - ${formatDuration(s.elapsedMs)}${perStep}`;
  else if (s.epoch >= s.epochs) status = `100% - ${formatDuration(s.elapsedMs)}${perStep}`;
  else if (done === 0) status = "0% - starting";
  else {
    const eta = (s.elapsedMs / done) * (s.epochs - done);
    status = `${Math.floor((100 * done) / s.epochs)}% - ETA: ${formatDuration(eta)}${perStep}`;
  }
  // Training and validation values on two lines, so each fits the chart's width.
  const entries = Object.entries(s.logs);
  const lines = [
    formatLogs(Object.fromEntries(entries.filter(([k]) => !k.startsWith("val_")))),
    formatLogs(Object.fromEntries(entries.filter(([k]) => k.startsWith("val_")))),
  ].filter((l) => l.length > 0);
  if (s.stopped) lines.push(`stopped: ${s.stopped}`);
  if (s.engine) lines.push(`engine: ${s.engine}`);
  return { title, status, lines };
}

/**
 * The live display as plain text: `Epoch 37/100 [====>...] 37% - ETA: 5s - 3ms/step` and the
 * metrics line.
 *
 * @example
 * ```ts
 * import { progressPlain } from "./progress.ts";
 * progressPlain({ epoch: 1, epochs: 2, steps: 1, elapsedMs: 10, epochMs: 10, logs: {} }).split("\n")[0];
 * // "Epoch 1/2 [==============>...............] 50% - ETA: 0s - 10ms/step"
 * ```
 */
export function progressPlain(s: ProgressState): string {
  const t = progressText(s);
  return [`${t.title} ${progressBar(s.epoch, s.epochs)} ${t.status}`, ...t.lines].join("\n");
}

/**
 * One epoch as Keras's `verbose=2` prints it, on one line:
 * `Epoch 3/100 - 24/24 - 0s - loss: 0.6912 - accuracy: 0.5314 - 71ms/epoch - 3ms/step`.
 *
 * @example
 * ```ts
 * import { epochLine } from "./progress.ts";
 * epochLine({ epoch: 3, epochs: 100, steps: 24, elapsedMs: 220, epochMs: 71, logs: { loss: 0.69123 } });
 * // "Epoch 3/100 - 24/24 - 0s - loss: 0.6912 - 71ms/epoch - 3ms/step"
 * ```
 */
export function epochLine(s: ProgressState): string {
  const logs = formatLogs(s.logs);
  return `Epoch ${s.epoch}/${s.epochs} - ${s.steps}/${s.steps} - ${formatDuration(s.epochMs)}` +
    (logs ? ` - ${logs}` : "") +
    ` - ${Math.round(s.epochMs)}ms/epoch - ${formatPerStep(s.epochMs / s.steps)}`;
}

/**
 * The live display's bundle: the chart (with the progress text in it) as SVG, the text as
 * `text/plain`. No `text/html`, so every front end shows the same SVG.
 *
 * @example
 * ```ts
 * import { progressBundle } from "./progress.ts";
 * import assert from "node:assert/strict";
 * const b = progressBundle({ epoch: 1, epochs: 5, steps: 1, elapsedMs: 5, epochMs: 5, logs: { loss: 1 } }, { loss: [1] });
 * assert.deepEqual(Object.keys(b), ["image/svg+xml", "text/plain"]);
 * ```
 */
export function progressBundle(
  s: ProgressState,
  history: Readonly<Record<string, readonly number[]>>,
): MimeBundle {
  const geometry = progressChartGeometry(history, s.epochs, progressText(s), s.epoch / s.epochs);
  return { "image/svg+xml": progressChartSVG(geometry), "text/plain": progressPlain(s) };
}

/** Receives the progress of a run. `train` calls `start`, then `epochEnd` per epoch, then `end`. */
export interface ProgressReporter {
  /** Called once before the first epoch, with the engine that will run the epochs. */
  start(epochs: number, steps: number, engine?: string): Promise<void>;
  /** Called after each epoch with its 0-based index, logs and the whole history so far. */
  epochEnd(
    epoch: number,
    logs: EpochLogs,
    history: Readonly<Record<string, readonly number[]>>,
  ): Promise<void>;
  /** Called once at the end, also after an error (then with its message): writes the final state. */
  end(stopped?: string): Promise<void>;
  /** Called between batches (throttled by the engine) with the batches done in the epoch. */
  batchEnd?(epoch: number, batches: number): Promise<void>;
}

/** Where a live reporter writes: a {@linkcode LiveOutput} in the kernel, or a fake in tests. */
export interface ProgressSink {
  /** Replaces what the output shows. */
  update(bundle: MimeBundle): Promise<void>;
}

/** Options of {@linkcode LiveProgress}. */
export interface LiveProgressOptions {
  /** Least time between two updates, in ms. Default 200: about 5 redraws a second. */
  minIntervalMs?: number;
  /** The clock, in ms (tests pass a fake one). Default `performance.now`. */
  now?: () => number;
}

/**
 * Shows progress in one output updated in place: at the start, after the first epoch, then
 * at most every `minIntervalMs`, and always the final state at the end.
 *
 * @example
 * ```ts
 * import { LiveProgress } from "./progress.ts";
 * const shown: string[] = [];
 * const live = new LiveProgress({ update: async (b) => void shown.push(b["text/plain"]) });
 * await live.start(1, 1);
 * await live.epochEnd(0, { loss: 0.5 }, { loss: [0.5] });
 * await live.end();
 * ```
 */
export class LiveProgress implements ProgressReporter {
  readonly #sink: ProgressSink;
  readonly #interval: number;
  readonly #now: () => number;
  #state: ProgressState = { epoch: 0, epochs: 1, steps: 1, elapsedMs: 0, epochMs: 0, logs: {} };
  #history: Readonly<Record<string, readonly number[]>> = {};
  #startedAt = 0;
  #epochStartedAt = 0;
  #shownAt = -Infinity;
  #dirty = false;
  /** Number of updates written so far. */
  updates = 0;

  constructor(sink: ProgressSink, options: LiveProgressOptions = {}) {
    this.#sink = sink;
    this.#interval = options.minIntervalMs ?? 200;
    this.#now = options.now ?? (() => performance.now());
  }

  async #show(): Promise<void> {
    this.#shownAt = this.#now();
    this.#dirty = false;
    this.updates++;
    await this.#sink.update(progressBundle(this.#state, this.#history));
  }

  /** Shows `Epoch 0/N` so the output exists from the start. */
  async start(epochs: number, steps: number, engine?: string): Promise<void> {
    this.#startedAt = this.#epochStartedAt = this.#now();
    this.#state = { epoch: 0, epochs, steps, elapsedMs: 0, epochMs: 0, logs: {}, engine };
    await this.#show();
  }

  /** Records the epoch; redraws if the first epoch or if `minIntervalMs` has passed. */
  async epochEnd(
    epoch: number,
    logs: EpochLogs,
    history: Readonly<Record<string, readonly number[]>>,
  ): Promise<void> {
    const now = this.#now();
    this.#state = {
      ...this.#state,
      batch: undefined,
      epoch: epoch + 1,
      elapsedMs: now - this.#startedAt,
      epochMs: now - this.#epochStartedAt,
      logs,
    };
    this.#history = history;
    this.#dirty = true;
    if (epoch === 0 || now - this.#shownAt >= this.#interval) await this.#show();
    this.#epochStartedAt = this.#now();
  }

  /** Records the batches done in the epoch under way; redraws if `minIntervalMs` has passed. */
  async batchEnd(epoch: number, batches: number): Promise<void> {
    const now = this.#now();
    this.#state = { ...this.#state, epoch, batch: batches, elapsedMs: now - this.#startedAt };
    this.#dirty = true;
    if (now - this.#shownAt >= this.#interval) await this.#show();
  }

  /** Writes the final state (always, so the saved notebook shows how the run ended). */
  async end(stopped?: string): Promise<void> {
    if (stopped) {
      this.#state = { ...this.#state, stopped, elapsedMs: this.#now() - this.#startedAt };
    }
    if (this.#dirty || stopped || this.updates === 0) await this.#show();
  }
}

/**
 * Prints one line per epoch, as Keras's `verbose=2`.
 *
 * @example
 * ```ts
 * import { LineProgress } from "./progress.ts";
 * const lines: string[] = [];
 * const p = new LineProgress((l) => lines.push(l));
 * await p.start(2, 24);
 * await p.epochEnd(0, { loss: 0.7 }, { loss: [0.7] }); // lines[0] starts "Epoch 1/2 - 24/24"
 * ```
 */
export class LineProgress implements ProgressReporter {
  readonly #print: (line: string) => void;
  readonly #now: () => number;
  #epochs = 1;
  #steps = 1;
  #startedAt = 0;
  #epochStartedAt = 0;

  constructor(
    print: (line: string) => void = console.log,
    now: () => number = () => performance.now(),
  ) {
    this.#print = print;
    this.#now = now;
  }

  /** Remembers the run's size, and says which engine runs it. */
  start(epochs: number, steps: number, engine?: string): Promise<void> {
    this.#epochs = epochs;
    this.#steps = steps;
    if (engine) this.#print(`Training with engine: ${engine}`);
    this.#startedAt = this.#epochStartedAt = this.#now();
    return Promise.resolve();
  }

  /** Prints the epoch's line (the history is not needed for a line). */
  epochEnd(
    epoch: number,
    logs: EpochLogs,
    _history?: Readonly<Record<string, readonly number[]>>,
  ): Promise<void> {
    const now = this.#now();
    this.#print(epochLine({
      epoch: epoch + 1,
      epochs: this.#epochs,
      steps: this.#steps,
      elapsedMs: now - this.#startedAt,
      epochMs: now - this.#epochStartedAt,
      logs,
    }));
    this.#epochStartedAt = this.#now();
    return Promise.resolve();
  }

  /** Prints why the run stopped, if it did. */
  end(stopped?: string): Promise<void> {
    if (stopped) this.#print(`Training stopped: ${stopped}`);
    return Promise.resolve();
  }
}

/** Reports nothing (`live: false`). */
export const silentProgress: ProgressReporter = {
  start: () => Promise.resolve(),
  epochEnd: () => Promise.resolve(),
  end: () => Promise.resolve(),
};

/**
 * The reporter `train` uses: live in the kernel, lines elsewhere, nothing when `live` is false.
 *
 * @example
 * ```ts
 * import { progressReporter } from "./progress.ts";
 * const reporter = progressReporter(false); // silent
 * ```
 */
export function progressReporter(live: boolean): ProgressReporter {
  if (!live) return silentProgress;
  return inKernel() ? new LiveProgress(new LiveOutput("dlnb-train")) : new LineProgress();
}
