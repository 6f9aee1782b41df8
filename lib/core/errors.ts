/**
 * Argument checks shared by every public function: each throws an {@linkcode ArgumentError}
 * that names the function, the argument, the value given and what was expected, before
 * any work starts.
 *
 * @module
 */

/**
 * An error about one argument of one public function.
 *
 * @example
 * ```ts
 * import { ArgumentError } from "./errors.ts";
 * new ArgumentError("deepNN", "features", 0, "a positive integer").message;
 * // "deepNN: features must be a positive integer, got 0"
 * ```
 */
export class ArgumentError extends Error {
  /** The function that rejected the argument, e.g. `deepNN`. */
  readonly fn: string;
  /** The argument's name, e.g. `features`. */
  readonly argument: string;
  /**
   * Creates the error; the message is `fn: argument must be expected, got given`.
   * @example
   * ```ts
   * import { ArgumentError } from "./errors.ts";
   * import assert from "node:assert/strict";
   * const e = new ArgumentError("deepNN", "features", -1, "a positive integer");
   * assert.deepEqual(e.message, 'deepNN: features must be a positive integer, got -1');
   * ```
   */
  constructor(fn: string, argument: string, given: unknown, expected: string, hint = "") {
    super(
      `${fn}: ${argument} must be ${expected}, got ${describe(given)}${hint ? `. ${hint}` : ""}`,
    );
    this.name = "ArgumentError";
    this.fn = fn;
    this.argument = argument;
    this.stack = userStack(this.stack);
  }

  /**
   * An error about `argument` with a message of its own, for problems that are not a
   * value out of range (e.g. a model that is not built).
   *
   * @example
   * ```ts
   * import { ArgumentError } from "./errors.ts";
   * ArgumentError.because("summary", "model", 'model "m" is not built').message;
   * // 'summary: model "m" is not built'
   * ```
   */
  static because(fn: string, argument: string, message: string): ArgumentError {
    const e = new ArgumentError(fn, argument, undefined, "");
    e.message = `${fn}: ${message}`;
    const frames = (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
    e.stack = [`${e.name}: ${e.message}`, ...frames].join("\n");
    return e;
  }
}

// lib/core/errors.ts: the lib is the folder above this one.
const LIB_DIR = new URL("..", import.meta.url).href;

/**
 * Drops the lib's own frames from a stack: the error is about the caller's input, so the
 * notebook shows the message and the caller's line, not the lib's internals.
 */
function userStack(stack: string | undefined): string | undefined {
  if (!stack) return stack;
  return stack.split("\n").filter((line) => !line.includes(LIB_DIR)).join("\n");
}

/** A short, safe rendering of any value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") {
    const s = value.length > 60 ? value.slice(0, 57) + "..." : value;
    return JSON.stringify(s);
  }
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of length ${
      (value as unknown as ArrayLike<number>).length
    }`;
  }
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

/**
 * An error from the file system, rephrased to name the function, the action and the path
 * (the OS's reason kept, and the original as `cause`), e.g. `saveModel: cannot write
 * /x/model.json: Read-only file system (os error 30)`.
 *
 * @example
 * ```ts
 * import { fileError } from "./errors.ts";
 * fileError("Figure.save", "write", "/fig.svg", new Error("Permission denied")).message;
 * // "Figure.save: cannot write /fig.svg: Permission denied"
 * ```
 */
export function fileError(fn: string, action: string, path: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`${fn}: cannot ${action} ${path}: ${reason}`, { cause: error });
}

/** Checks `value` is an integer >= `min` (default 1). */
export function checkInt(
  fn: string,
  argument: string,
  value: unknown,
  min = 1,
  max = Infinity,
): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Infinity
      ? (min === 1 ? "a positive integer" : `an integer >= ${min}`)
      : `an integer from ${min} to ${max}`;
    // 1e308 is an integer to JavaScript, but counting to it never ends and loses precision.
    const tooLarge = Number.isInteger(value) && Math.abs(value as number) > Number.MAX_SAFE_INTEGER;
    throw new ArgumentError(
      fn,
      argument,
      value,
      tooLarge && max === Infinity ? `${range} up to 2^53 - 1 (Number.MAX_SAFE_INTEGER)` : range,
    );
  }
  return value;
}

/** Checks `value` is a finite number in [min, max] (or [min, max) with `maxExclusive`). */
export function checkNumber(
  fn: string,
  argument: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
  maxExclusive = false,
): number {
  const ok = typeof value === "number" && Number.isFinite(value) && value >= min &&
    (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const range = min === -Infinity && max === Infinity
      ? "a finite number"
      : `a number in [${min}, ${max}${maxExclusive ? ")" : "]"}`;
    throw new ArgumentError(fn, argument, value, range);
  }
  return value as number;
}

/** Checks `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  fn: string,
  argument: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new ArgumentError(
      fn,
      argument,
      value,
      `one of ${allowed.map((a) => `"${a}"`).join(", ")}`,
    );
  }
  return value as T;
}

/**
 * Checks an optional seed: `undefined`, or an integer from 0 to 2^32 - 1.
 *
 * @example
 * ```ts
 * import { checkSeed } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkSeed("deepNN", 42), 42);
 * ```
 */
export function checkSeed(fn: string, value: unknown): number | undefined {
  return value === undefined ? undefined : checkInt(fn, "seed", value, 0, 2 ** 32 - 1);
}

/** Checks `value` is a boolean; `undefined` gives `fallback`. */
export function checkBoolean(
  fn: string,
  argument: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new ArgumentError(fn, argument, value, "true or false");
  return value;
}

/** Checks `value` is a non-empty string. */
export function checkName(fn: string, argument: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ArgumentError(fn, argument, value, "a non-empty string");
  }
  return value;
}

/**
 * Checks an options argument is an object (or undefined, which becomes `{}`) and, given the
 * option names the function knows, that it has no other: a misspelt option is an error with
 * a "did you mean" hint, never silently ignored. `known` lists every name, as an array or as
 * `{ name: true, ... }` (which TypeScript checks against the options type, so none is missed).
 *
 * @example
 * ```ts
 * import { checkOptions } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkOptions("evaluate", { threshold: 0.9 }, ["task", "threshold"]), { threshold: 0.9 });
 * try {
 *   checkOptions("evaluate", { treshold: 0.9 } as never, ["task", "threshold"]);
 * } catch (e) {
 *   (e as Error).message;
 *   // 'evaluate: unknown option "treshold" (did you mean "threshold"?); options are task, threshold'
 * }
 * ```
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known?: readonly string[] | Readonly<Record<keyof T, true>>,
): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ArgumentError(fn, "options", options, "an object");
  }
  if (known !== undefined) {
    const names: readonly string[] = Array.isArray(known) ? known : Object.keys(known);
    for (const key of Object.keys(options)) {
      if (names.includes(key)) continue;
      const guess = closestName(key, names);
      throw ArgumentError.because(
        fn,
        "options",
        `unknown option ${describe(key)}${guess ? ` (did you mean "${guess}"?)` : ""}; ` +
          (names.length > 0 ? `options are ${names.join(", ")}` : "it takes no options"),
      );
    }
  }
  return options;
}

/**
 * The known name closest to `given`, if close enough to be a slip: the same letters once
 * case, `_` and `-` are ignored (`batch_size`), or a few edits away (`treshold`, `epoch`).
 */
export function closestName(given: string, names: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, "");
  const g = squash(given);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const n = squash(name);
    const d = n === g ? 0 : editDistance(g, n);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  const allowed = Math.max(1, Math.floor(Math.min(g.length, 40) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, swaps. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 60 || b.length > 60) return Infinity;
  const d = Array.from({ length: a.length + 1 }, (_, i) => {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The error for a model passed where something computed from it was expected (an explanation
 * to a plot, a history to `plotHistory`), or `undefined` when `value` is not a model. A model
 * is told by its shape (`predict` and `layers`), so core needs no tfjs.
 *
 * @example
 * ```ts
 * import { misplacedModel } from "./errors.ts";
 * const model = { name: "DeepNN", layers: [], predict: () => 0 };
 * misplacedModel("waterfallPlot", "explanation", model, "the result of explain()", "waterfallPlot(explain(model, { instance, background }))")?.message;
 * // 'waterfallPlot: explanation must be the result of explain(), got the model "DeepNN"; ...'
 * misplacedModel("waterfallPlot", "explanation", { values: [1] }, "", ""); // undefined
 * ```
 */
export function misplacedModel(
  fn: string,
  argument: string,
  value: unknown,
  expected: string,
  example: string,
): ArgumentError | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const m = value as { predict?: unknown; layers?: unknown; name?: unknown };
  if (typeof m.predict !== "function" || !Array.isArray(m.layers)) return undefined;
  const name = typeof m.name === "string" ? ` ${describe(m.name)}` : "";
  return ArgumentError.because(
    fn,
    argument,
    `${argument} must be ${expected}, got the model${name}; ${example}`,
  );
}
