/**
 * Checks the plain data a `TrainingHistory` is made from (what `train` builds, or a history
 * read back from JSON), so a wrong object gets the lib's error naming the field rather than
 * a TypeError when it is printed or plotted.
 *
 * @module
 */
import { ArgumentError, describe } from "../core/errors.ts";

const EXPECTED = "a history as train() returns it (or its JSON)";

function field(fn: string, path: string, value: unknown, ok: boolean, expected: string): void {
  if (!ok) {
    throw ArgumentError.because(
      fn,
      "data",
      `data must be ${EXPECTED}: ${path} must be ${expected}, got ${describe(value)}`,
    );
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Throws an {@linkcode ArgumentError} naming `fn` unless `value` has a history's fields:
 * `history` (per-epoch arrays of numbers, one per epoch), `epoch`, `params`, `engine` and
 * `timeMs`.
 *
 * @example
 * ```ts
 * import { checkHistoryData } from "./history_check.ts";
 * const params = { epochs: 1, batchSize: 30, steps: 1, trainRows: 7, valRows: 3, validationSplit: 0.3, shuffle: true, seed: 1 };
 * checkHistoryData("TrainingHistory", { history: { loss: [0.7] }, epoch: [0], params, engine: "tfjs", timeMs: 1 });
 * ```
 */
export function checkHistoryData(fn: string, value: unknown): void {
  if (!isObject(value)) throw new ArgumentError(fn, "data", value, EXPECTED);
  const { history, epoch, params, engine, timeMs } = value;
  field(
    fn,
    "data.epoch",
    epoch,
    Array.isArray(epoch) && epoch.every(isCount),
    "an array of epoch indices",
  );
  const epochs = (epoch as number[]).length;
  field(fn, "data.history", history, isObject(history), "an object of per-epoch arrays");
  for (const [key, values] of Object.entries(history as Record<string, unknown>)) {
    field(
      fn,
      `data.history[${JSON.stringify(key)}]`,
      values,
      Array.isArray(values) && values.length === epochs &&
        values.every((v) => typeof v === "number"),
      `an array of ${epochs} numbers (one per epoch)`,
    );
  }
  field(fn, "data.params", params, isObject(params), "the run's settings");
  const p = params as Record<string, unknown>;
  for (const k of ["epochs", "batchSize", "steps", "trainRows", "valRows"]) {
    field(fn, `data.params.${k}`, p[k], isCount(p[k]), "a count");
  }
  field(
    fn,
    "data.params.validationSplit",
    p.validationSplit,
    typeof p.validationSplit === "number" && p.validationSplit >= 0 && p.validationSplit < 1,
    "a number in [0, 1)",
  );
  field(fn, "data.params.shuffle", p.shuffle, typeof p.shuffle === "boolean", "true or false");
  field(
    fn,
    "data.params.seed",
    p.seed,
    p.seed == null || isCount(p.seed),
    "a seed or null",
  );
  field(fn, "data.engine", engine, typeof engine === "string", "the engine's name");
  field(
    fn,
    "data.timeMs",
    timeMs,
    typeof timeMs === "number" && timeMs >= 0,
    "a number of milliseconds",
  );
  for (const k of ["fallback", "stopped"]) {
    field(
      fn,
      `data.${k}`,
      value[k],
      value[k] == null || typeof value[k] === "string",
      "text or null",
    );
  }
}
