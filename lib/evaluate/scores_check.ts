/**
 * Checks that a value is scores as `classificationScores`, `regressionScores` or
 * `multiclassScores` return them, before an `Evaluation` is drawn from it: a hand-made or
 * mistaken object gets the lib's error naming the first field that is wrong, not a
 * TypeError from deep inside the table drawing.
 *
 * @module
 */
import { ArgumentError, describe } from "../core/errors.ts";
import type { EvaluationScores } from "./evaluate.ts";

const EXPECTED = "what classificationScores, regressionScores or multiclassScores return";

type Fields = Record<string, unknown>;

function field(fn: string, path: string, value: unknown, ok: boolean, expected: string): void {
  if (!ok) {
    throw ArgumentError.because(
      fn,
      "scores",
      `scores must be ${EXPECTED}: ${path} must be ${expected}, got ${describe(value)}`,
    );
  }
}

const isCount = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
// NaN is a score too (R2 of one row, as scikit-learn).
const isNumber = (v: unknown) => typeof v === "number";

function numbers(fn: string, path: string, o: Fields, keys: readonly string[]): void {
  for (const k of keys) field(fn, `${path}.${k}`, o[k], isNumber(o[k]), "a number");
}

function classScores(fn: string, path: string, value: unknown): void {
  field(fn, path, value, value !== null && typeof value === "object", "an object");
  const o = value as Fields;
  numbers(fn, path, o, ["precision", "recall", "f1"]);
  field(fn, `${path}.support`, o.support, isCount(o.support), "a count");
}

/**
 * Throws an {@linkcode ArgumentError} naming `fn` unless `value` has the fields of one of
 * the three kinds of scores.
 *
 * @example
 * ```ts
 * import { checkScores } from "./scores_check.ts";
 * import { regressionScores } from "./evaluate.ts";
 * checkScores("Evaluation", regressionScores([1, 2], [1, 3])); // fine
 * try {
 *   checkScores("Evaluation", { task: "regression" });
 * } catch (e) {
 *   (e as Error).message; // "Evaluation: scores must be what ...: scores.rows must be a count, got undefined"
 * }
 * ```
 */
export function checkScores(fn: string, value: unknown): asserts value is EvaluationScores {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ArgumentError(fn, "scores", value, EXPECTED);
  }
  const s = value as Fields;
  const tasks = ["classification", "regression", "multiclass"];
  field(fn, "scores.task", s.task, tasks.includes(s.task as string), `one of ${tasks.join(", ")}`);
  field(fn, "scores.rows", s.rows, isCount(s.rows), "a count");
  if (s.task === "regression") return numbers(fn, "scores", s, ["mae", "mse", "rmse", "r2"]);
  numbers(fn, "scores", s, ["accuracy"]);
  if (s.task === "classification") {
    numbers(fn, "scores", s, ["threshold", "precision", "recall", "f1"]);
    const c = s.confusion as Fields;
    field(fn, "scores.confusion", c, c !== null && typeof c === "object", "{ tn, fp, fn, tp }");
    for (const k of ["tn", "fp", "fn", "tp"]) {
      field(fn, `scores.confusion.${k}`, c[k], isCount(c[k]), "a count");
    }
    const n = s.classNames;
    field(
      fn,
      "scores.classNames",
      n,
      n === undefined ||
        (Array.isArray(n) && n.length === 2 && n.every((v) => typeof v === "string")),
      "absent or 2 class names",
    );
    return;
  }
  const names = s.classNames;
  field(
    fn,
    "scores.classNames",
    names,
    Array.isArray(names) && names.length >= 2 && names.every((n) => typeof n === "string"),
    "an array of at least 2 class names",
  );
  const k = (names as string[]).length;
  const m = s.confusion;
  field(
    fn,
    "scores.confusion",
    m,
    Array.isArray(m) && m.length === k &&
      m.every((row) => Array.isArray(row) && row.length === k && row.every(isCount)),
    `${k} rows of ${k} counts`,
  );
  const per = s.perClass;
  field(fn, "scores.perClass", per, Array.isArray(per) && per.length === k, `${k} class scores`);
  (per as unknown[]).forEach((c, i) => classScores(fn, `scores.perClass[${i}]`, c));
  classScores(fn, "scores.macro", s.macro);
  classScores(fn, "scores.weighted", s.weighted);
}
