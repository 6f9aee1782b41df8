/**
 * From a table of records to what `train` takes: `fromRecords` picks the target and the
 * feature columns, keeps numeric columns as they are, one-hot encodes the categorical ones
 * with readable names (`Island=Biscoe`), turns a text target into class indices with
 * `classNames`, and reports or drops rows with missing values.
 *
 * @module
 */
import { ArgumentError, checkOneOf, checkOptions, describe } from "../core/errors.ts";
import type { Task } from "../build/models.ts";
import type { DataRecord, Value } from "./read.ts";

/** What to do with a row that has a missing value in a used column. */
export type MissingPolicy = "error" | "drop";

/** Options of {@linkcode fromRecords}. */
export interface FromRecordsOptions {
  /** The column to predict (required). */
  target: string;
  /** The columns to predict from. Default: every column but the target and `drop`. */
  features?: readonly string[];
  /** Feature columns of categories (text), one-hot encoded as `column=value`. Default none. */
  categorical?: readonly string[];
  /** Columns to leave out (when `features` is not given). Default none. */
  drop?: readonly string[];
  /**
   * A row with a missing value (`null`, `undefined`, `NaN` or `""`) in a used column:
   * `"error"` (default) throws naming the column and row, `"drop"` drops the row.
   */
  missing?: MissingPolicy;
  /**
   * `"classification"` (the target's values are classes) or `"regression"` (a number).
   * Default: classification for a text or boolean target, regression for a numeric one.
   */
  task?: Task;
}

/** A table ready for `train`: features, targets and what they mean. */
export interface TableData {
  /** One row of feature values per kept record, columns in `featureNames` order. */
  x: number[][];
  /** One target per row: a class index for classification, the number for regression. */
  y: number[];
  /** Feature names: numeric columns as they are, one-hot columns as `column=value`. */
  featureNames: string[];
  /** The target column. */
  target: string;
  /** What `y` is for. */
  task: Task;
  /** Classification: the class of each index (sorted), so `classNames[y[i]]` is row i's class. */
  classNames?: string[];
  /** For each row of `x`, its index in the records given. */
  rows: number[];
  /** Indices (into the records given) of the rows dropped for missing values. */
  dropped: number[];
}

const POLICIES: readonly MissingPolicy[] = ["error", "drop"];
const TASKS: readonly Task[] = ["classification", "regression"];

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/** The closest column name, for "did you mean". */
function closest(name: string, columns: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const same = columns.find((c) => c.toLowerCase() === lower);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of columns) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function checkColumn(fn: string, argument: string, name: unknown, columns: string[]): string {
  if (typeof name !== "string") throw new ArgumentError(fn, argument, name, "a column name");
  if (!columns.includes(name)) {
    const guess = closest(name, columns);
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} names no column: ${describe(name)}${
        guess ? ` (did you mean ${describe(guess)}?)` : ""
      }; the columns are ${columns.map((c) => describe(c)).join(", ")}`,
    );
  }
  return name;
}

function checkColumns(fn: string, argument: string, value: unknown, columns: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new ArgumentError(fn, argument, value, "an array of column names");
  }
  return value.map((name, i) => checkColumn(fn, `${argument}[${i}]`, name, columns));
}

/** Column names in order of first appearance over all records. */
function columnsOf(fn: string, records: unknown): string[] {
  if (!Array.isArray(records) || records.length === 0) {
    throw new ArgumentError(fn, "records", records, "a non-empty array of records (objects)");
  }
  const seen = new Set<string>();
  records.forEach((r: unknown, i: number) => {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw new ArgumentError(fn, `records[${i}]`, r, "a record (an object of column values)");
    }
    for (const k of Object.keys(r)) seen.add(k);
  });
  return [...seen];
}

/** Sorted distinct texts, numbers in numeric order first. */
function categories(values: Value[]): string[] {
  const distinct = [...new Set(values.map((v) => String(v)))];
  const allNumbers = values.every((v) => typeof v === "number");
  return allNumbers
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Turns records into features and targets: numeric columns as they are, `categorical`
 * columns one-hot (`Island=Biscoe`, categories sorted), a text target into class indices
 * (classes sorted, as scikit-learn's LabelEncoder). A row with a missing value in a used
 * column is an error naming the column and row, or is dropped with `missing: "drop"` (the
 * dropped rows are listed in `dropped`).
 *
 * @example
 * ```ts
 * import { fromRecords } from "./records.ts";
 * import assert from "node:assert/strict";
 * const records = [
 *   { island: "Dream", bill: 39.1, species: "Adelie" },
 *   { island: "Biscoe", bill: 47.5, species: "Gentoo" },
 *   { island: "Dream", bill: null, species: "Adelie" },
 * ];
 * const t = fromRecords(records, { target: "species", categorical: ["island"], missing: "drop" });
 * assert.deepEqual(t.featureNames, ["island=Biscoe", "island=Dream", "bill"]);
 * t.x; // [[0, 1, 39.1], [1, 0, 47.5]]
 * [t.y, t.classNames, t.rows, t.dropped]; // [[0, 1], ["Adelie", "Gentoo"], [0, 1], [2]]
 * ```
 */
export function fromRecords(
  records: readonly DataRecord[],
  options: FromRecordsOptions,
): TableData {
  const fn = "fromRecords";
  if (options === undefined) {
    throw ArgumentError.because(fn, "options", 'options must name the target: { target: "..." }');
  }
  const o = checkOptions(fn, options, {
    target: true,
    features: true,
    categorical: true,
    drop: true,
    missing: true,
    task: true,
  });
  const columns = columnsOf(fn, records);
  if (o.target === undefined) {
    throw ArgumentError.because(
      fn,
      "target",
      `target is required: the column to predict, one of ${
        columns.map((c) => describe(c)).join(", ")
      }`,
    );
  }
  const target = checkColumn(fn, "target", o.target, columns);
  const drop = checkColumns(fn, "drop", o.drop, columns);
  const categorical = checkColumns(fn, "categorical", o.categorical, columns);
  let features = o.features === undefined
    ? columns.filter((c) => c !== target && !drop.includes(c))
    : checkColumns(fn, "features", o.features, columns);
  if (o.features !== undefined && o.drop !== undefined) {
    features = features.filter((c) => !drop.includes(c));
  }
  if (features.includes(target)) {
    throw ArgumentError.because(
      fn,
      "features",
      `features must not include the target ${describe(target)}`,
    );
  }
  if (new Set(features).size !== features.length) {
    throw ArgumentError.because(fn, "features", "features names a column twice");
  }
  if (features.length === 0) {
    throw ArgumentError.because(fn, "features", "no feature column is left to predict from");
  }
  const missing = checkOneOf(fn, "missing", o.missing ?? "error", POLICIES);
  for (const c of categorical) {
    if (!features.includes(c)) {
      throw ArgumentError.because(
        fn,
        "categorical",
        `categorical names ${describe(c)}, which is not a feature column` +
          (c === target ? " (a text target becomes class indices by itself)" : ""),
      );
    }
  }

  // Rows to keep: every used value present.
  const used = [...features, target];
  const kept: DataRecord[] = [];
  const rows: number[] = [];
  const dropped: number[] = [];
  records.forEach((r, i) => {
    const absent = used.find((c) => isMissing(r[c]));
    if (absent === undefined) {
      kept.push(r);
      rows.push(i);
    } else if (missing === "drop") dropped.push(i);
    else {
      throw ArgumentError.because(
        fn,
        "records",
        `records[${i}] has no value for ${describe(absent)} (${describe(r[absent])}); ` +
          `fill it in, or pass missing: "drop" to drop such rows`,
      );
    }
  });
  if (kept.length === 0) {
    throw ArgumentError.because(fn, "records", "every row has a missing value: none is left");
  }

  // Numeric features must hold numbers; categorical ones become one column per category.
  const encoders: { names: string[]; encode: (v: Value) => number[] }[] = features.map((c) => {
    if (categorical.includes(c)) {
      const cats = categories(kept.map((r) => r[c]));
      return {
        names: cats.map((v) => `${c}=${v}`),
        encode: (v) => cats.map((cat) => (cat === String(v) ? 1 : 0)),
      };
    }
    kept.forEach((r, j) => {
      const v = r[c];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        const row = rows[j];
        const hint = typeof v === "string" || typeof v === "boolean"
          ? `; declare it categorical: { categorical: [${describe(c)}] }`
          : "";
        throw ArgumentError.because(
          fn,
          "categorical",
          `column ${describe(c)} must hold numbers, got ${describe(v)} at records[${row}]${hint}`,
        );
      }
    });
    return { names: [c], encode: (v) => [v as number] };
  });
  const x = kept.map((r) => features.flatMap((c, k) => encoders[k].encode(r[c])));
  const featureNames = encoders.flatMap((e) => e.names);

  const targets = kept.map((r) => r[target]);
  const numeric = targets.every((v) => typeof v === "number");
  const task = checkOneOf(
    fn,
    "task",
    o.task ?? (numeric ? "regression" : "classification"),
    TASKS,
  );
  if (task === "regression") {
    const bad = targets.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) {
      throw ArgumentError.because(
        fn,
        "task",
        `a regression target must be numbers, got ${describe(targets[bad])} in ${
          describe(target)
        } at records[${rows[bad]}]; use task: "classification" for classes`,
      );
    }
    return { x, y: targets as number[], featureNames, target, task, rows, dropped };
  }
  const classNames = categories(targets);
  const index = new Map(classNames.map((name, i) => [name, i]));
  const y = targets.map((v) => index.get(String(v)) as number);
  return { x, y, featureNames, target, task, classNames, rows, dropped };
}
