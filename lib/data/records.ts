/**
 * From a table of records to what `train` takes: `fromRecords` picks the target and the
 * feature columns, keeps numeric columns as they are, one-hot encodes the categorical ones
 * with readable names (`Island=Biscoe`), turns a text target into class indices with
 * `classNames`, and reports or drops rows with missing values.
 *
 * @module
 */
import { ArgumentError, checkOneOf, checkOptions, describe } from "../core/errors.ts";
import { readableSize } from "../core/numeric.ts";
import { withText } from "../core/text.ts";
import type { Task } from "../build/models.ts";
import type { DataRecord, Value } from "./read.ts";
import { counted } from "../core/words.ts";
import {
  checkColumn,
  checkColumns,
  columnsOf,
  firstNonNumber,
  isMissing,
  notNumbersAdvice,
} from "./columns.ts";
import type { ColumnEncoding, TableEncoding } from "./preprocessing.ts";

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
   * Default: classification for a text or boolean target, and for a numeric one of exactly
   * two distinct whole numbers (such as 0/1, as scikit-learn's `type_of_target` calls it
   * "binary"; class names `"0"`, `"1"` in numeric order); regression for any other numeric
   * target. A target of 3 to 10 distinct whole numbers stays regression with a note
   * (printed once, and in `String(table)`) that `task: "classification"` makes them classes.
   */
  task?: Task;
  /**
   * Most bytes `x` may take, counted as 8 per cell (rows x columns, one-hot columns
   * included), checked before it is built. Default 1 GiB (`MAX_TABLE_X_BYTES`).
   */
  maxBytes?: number;
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
  /**
   * How a record became a row of `x` (columns, one-hot levels, classes), which
   * `attachPreprocessing` carries with a model. Not enumerable: comparing or printing a
   * table shows its rows only.
   */
  readonly encoding?: TableEncoding;
}

/**
 * Most bytes the features `x` of {@linkcode fromRecords} may take unless `maxBytes` raises
 * it: 1 GiB, counted as 8 bytes per cell (a JavaScript number).
 *
 * @example
 * ```ts
 * import { MAX_TABLE_X_BYTES } from "./records.ts";
 * MAX_TABLE_X_BYTES / 8; // 134217728 cells
 * ```
 */
export const MAX_TABLE_X_BYTES = 2 ** 30;

const POLICIES: readonly MissingPolicy[] = ["error", "drop"];
const TASKS: readonly Task[] = ["classification", "regression"];

/** A record's own value of a column: never one inherited from `Object.prototype`. */
function own(record: DataRecord, column: string): Value | undefined {
  return Object.hasOwn(record, column) ? record[column] : undefined;
}

/**
 * Sorted distinct texts (numbers in numeric order), refusing two values that would read as
 * one category, such as `1` and `"1"`.
 */
function categories(fn: string, argument: string, column: string, values: Value[]): string[] {
  const byText = new Map<string, Value>();
  for (const v of values) {
    const text = String(v);
    const first = byText.get(text);
    if (first === undefined) byText.set(text, v);
    else if (first !== v) {
      throw ArgumentError.because(
        fn,
        argument,
        `column ${describe(column)} holds both ${describe(first)} (${typeof first}) and ${
          describe(v)
        } (${typeof v}), which would be one category; make the column one type (e.g. map ` +
          "every value to a string) before fromRecords",
      );
    }
  }
  const distinct = [...byText.keys()];
  const allNumbers = values.every((v) => typeof v === "number");
  return allNumbers
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Turns records into features and targets: numeric columns as they are, `categorical`
 * columns one-hot (`Island=Biscoe`, categories sorted), a text target into class indices
 * (classes sorted, as scikit-learn's LabelEncoder), and so a numeric target of two whole
 * numbers such as 0/1 (see `task`). A row with a missing value in a used
 * column is an error naming the column and row, or is dropped with `missing: "drop"` (the
 * dropped rows are listed in `dropped`). Only a record's own values count (a column named
 * `constructor` is a column like any other); values that would read as one category, such as
 * `1` and `"1"`, are refused; and a table whose `x` would pass `maxBytes` (1 GiB, e.g. an
 * ID-like column one-hot encoded) is refused before it is built.
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
    maxBytes: true,
  });
  const maxBytes = o.maxBytes ?? MAX_TABLE_X_BYTES;
  if (typeof maxBytes !== "number" || !Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new ArgumentError(fn, "maxBytes", maxBytes, "a positive whole number of bytes");
  }
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
    const absent = used.find((c) => isMissing(own(r, c)));
    if (absent === undefined) {
      kept.push(r);
      rows.push(i);
    } else if (missing === "drop") dropped.push(i);
    else {
      throw ArgumentError.because(
        fn,
        "records",
        `records[${i}] has no value for ${describe(absent)} (${describe(own(r, absent))}); ` +
          `fill it in, or pass missing: "drop" to drop such rows`,
      );
    }
  });
  if (kept.length === 0) {
    throw ArgumentError.because(fn, "records", "every row has a missing value: none is left");
  }

  // Numeric features must hold numbers; categorical ones become one column per category.
  const encoders: { names: string[]; encode: (v: Value | undefined, row: number[]) => void }[] =
    features.map((c) => {
      if (categorical.includes(c)) {
        const cats = categories(fn, "categorical", c, kept.map((r) => own(r, c) as Value));
        const index = new Map(cats.map((cat, k) => [cat, k]));
        return {
          names: cats.map((v) => `${c}=${v}`),
          encode: (v, row) => {
            const at = row.length;
            for (let k = 0; k < cats.length; k++) row.push(0);
            row[at + (index.get(String(v)) as number)] = 1;
          },
        };
      }
      const values = kept.map((r) => own(r, c));
      const j = firstNonNumber(values);
      if (j >= 0) {
        const v = values[j];
        if (typeof v === "number") {
          throw ArgumentError.because(
            fn,
            "records",
            `column ${describe(c)} holds ${v} at records[${rows[j]}], not a finite number: a ` +
              "model cannot train on it; correct the value, or list its text in readCSV's na " +
              '(e.g. readCSV(path, { na: ["inf"] })) to read it as missing',
          );
        }
        const hint = typeof v === "string" || typeof v === "boolean"
          ? notNumbersAdvice(c, values as Value[], features, categorical)
          : "";
        throw ArgumentError.because(
          fn,
          "categorical",
          `column ${describe(c)} must hold numbers, got ${describe(v)} at records[${
            rows[j]
          }]${hint}`,
        );
      }
      return { names: [c], encode: (v, row) => void row.push(v as number) };
    });
  const encoding = (classNames: string[] | null): TableEncoding => ({
    features: features.map((column, k): ColumnEncoding =>
      categorical.includes(column)
        ? {
          column,
          kind: "oneHot",
          levels: encoders[k].names.map((n) => n.slice(column.length + 1)),
        }
        : { column, kind: "number" }
    ),
    target,
    task,
    classNames,
    missing,
    otherColumns: columns.filter((c) => !features.includes(c)),
  });
  const withEncoding = (table: TableData, classNames: string[] | null, note?: string) =>
    withText(
      Object.defineProperty(table, "encoding", { value: encoding(classNames) }),
      (t) => tableText(t) + (note === undefined ? "" : `\nNote: ${note}`),
    );
  const featureNames = encoders.flatMap((e) => e.names);
  // Refused before x is built: one-hot encoding an ID-like column makes rows x rows cells.
  const cells = kept.length * featureNames.length;
  if (cells * 8 > maxBytes) {
    const wide = encoders.map((e, k) => ({ name: features[k], width: e.names.length }))
      .filter((e) => e.width > 1).sort((a, b) => b.width - a.width).slice(0, 3)
      .map((e) => `${describe(e.name)} (${e.width.toLocaleString("en-US")} categories)`);
    throw ArgumentError.because(
      fn,
      "maxBytes",
      `${counted(kept.length, "row")} x ${counted(featureNames.length, "feature column")} makes ${
        counted(cells, "cell")
      } (${readableSize(cells * 8)} as numbers), more than the ${
        readableSize(maxBytes)
      } (maxBytes ${maxBytes}) a table may take` +
        (wide.length > 0
          ? `; the widest one-hot columns are ${wide.join(", ")}: leave ID-like columns out ` +
            "with features: [...] or drop: [...]"
          : "") +
        ", or pass a larger maxBytes if you mean it",
    );
  }
  const x = kept.map((r) => {
    const row: number[] = [];
    features.forEach((c, k) => encoders[k].encode(own(r, c), row));
    return row;
  });

  const targets = kept.map((r) => own(r, target) as Value);
  const numeric = targets.every((v) => typeof v === "number");
  // Whole numbers: two of them are a binary target (scikit-learn's type_of_target says
  // "binary" of {0, 1}); a few more stay a number to predict, with a note.
  const wholes = numeric && targets.every((v) => Number.isSafeInteger(v))
    ? new Set(targets as number[]).size
    : 0;
  const task = checkOneOf(
    fn,
    "task",
    o.task ?? (!numeric || wholes === 2 ? "classification" : "regression"),
    TASKS,
  );
  if (task === "regression") {
    const bad = targets.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) {
      throw ArgumentError.because(
        fn,
        "task",
        `a regression target must be finite numbers, got ${describe(targets[bad])} in ${
          describe(target)
        } at records[${rows[bad]}]` +
          (typeof targets[bad] === "number" ? "" : '; use task: "classification" for classes'),
      );
    }
    const note = o.task === undefined && wholes >= 3 && wholes <= FEW_CLASSES
      ? fewWholesNote(target, targets as number[])
      : undefined;
    if (note !== undefined && !NOTED.has(note)) {
      NOTED.add(note);
      console.warn(`Note: ${note}`);
    }
    return withEncoding(
      { x, y: targets as number[], featureNames, target, task, rows, dropped },
      null,
      note,
    );
  }
  const classNames = categories(fn, "target", target, targets);
  const index = new Map(classNames.map((name, i) => [name, i]));
  const y = targets.map((v) => index.get(String(v)) as number);
  return withEncoding({ x, y, featureNames, target, task, classNames, rows, dropped }, classNames);
}

/** Most distinct whole numbers in a target that {@linkcode fromRecords} notes may be classes. */
const FEW_CLASSES = 10;
// Notes printed so far: each once per process (a loop over seeds notes once).
const NOTED = new Set<string>();

/** The note on a numeric target of a few whole numbers, kept as a number to predict. */
function fewWholesNote(target: string, values: readonly number[]): string {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return `fromRecords: target ${describe(target)} holds ${distinct.length} distinct whole ` +
    `numbers (${distinct.join(", ")}), read as a number to predict (regression); if they ` +
    `are classes, pass task: "classification"`;
}

/** `String(table)` in a script: its size, target and first feature columns. */
function tableText(t: TableData): string {
  const names = t.featureNames.slice(0, 6).join(", ") +
    (t.featureNames.length > 6 ? `, ... (${t.featureNames.length - 6} more)` : "");
  return `Table: ${counted(t.x.length, "row")} x ${
    counted(t.featureNames.length, "feature")
  } (${names}); ` +
    `target ${JSON.stringify(t.target)} (${t.task}` +
    (t.classNames ? `, ${t.classNames.length} classes: ${t.classNames.join(", ")}` : "") +
    `)${
      t.dropped.length > 0 ? `; ${counted(t.dropped.length, "row")} dropped for missing values` : ""
    }`;
}
