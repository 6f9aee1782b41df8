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
   * const e = new ArgumentError("deepNN", "features", -1, "a positive integer");
   * e.message; // 'deepNN: features must be a positive integer, got -1'
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

const LIB_DIR = new URL("..", import.meta.url).href; // lib/, this file being lib/core/errors.ts

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

/** Checks `value` is an integer >= `min` (default 1). */
export function checkInt(
  fn: string,
  argument: string,
  value: unknown,
  min = 1,
  max = Infinity,
): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity
      ? (min === 1 ? "a positive integer" : `an integer >= ${min}`)
      : `an integer from ${min} to ${max}`;
    throw new ArgumentError(fn, argument, value, range);
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
 * checkSeed("deepNN", 42); // 42
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

/** Checks an options argument is an object (or undefined, which becomes `{}`). */
export function checkOptions<T extends object>(fn: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ArgumentError(fn, "options", options, "an object");
  }
  return options;
}
