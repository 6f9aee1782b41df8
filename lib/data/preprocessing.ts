/**
 * The fitted steps between a record and a model's input, as plain JSON data: the feature
 * columns in order, each numeric or one-hot with its levels, the scaler's parameters, the
 * target and its class names. `fromRecords` and `standardize` fit them; a
 * {@linkcode Preprocessing} carries them with a model (through `saveModel` and `loadModel`)
 * so new records become model inputs exactly as the training rows did.
 *
 * @module
 */
import { ArgumentError, closestName, describe } from "../core/errors.ts";
import type { Task } from "../build/models.ts";
import type { MissingPolicy, TableData } from "./records.ts";
import { type Scaler, scalerFrom, type ScalerParams } from "./scale.ts";
import { counted, plural } from "../core/words.ts";

/** How one feature column becomes model inputs: as it is, or one-hot over its levels. */
export type ColumnEncoding =
  | { column: string; kind: "number" }
  | { column: string; kind: "oneHot"; levels: string[] };

/** How `fromRecords` turned records into rows: what `TableData.encoding` holds. */
export interface TableEncoding {
  /** The feature columns, in the order their inputs appear. */
  features: ColumnEncoding[];
  /** The column the model predicts. */
  target: string;
  /** What the model predicts. */
  task: Task;
  /** Classification: the class of each output, in order; `null` for regression. */
  classNames: string[] | null;
  /** What fitting did with rows missing a value (predicting refuses such a row). */
  missing: MissingPolicy;
  /** Columns of the training records that were not features (the target, dropped ones). */
  otherColumns: string[];
}

/**
 * A model's preprocessing as plain, JSON-serialisable data: from a record (or a row of
 * feature values in raw units) to the model's input, and from its outputs to class names.
 */
export interface Preprocessing extends TableEncoding {
  /** Marks the object and its layout. */
  format: "dlnb-preprocessing";
  /** The layout's version. */
  version: 1;
  /** The model's inputs: numeric columns as they are, one-hot ones as `column=level`. */
  featureNames: string[];
  /** The scaler applied after encoding, or `null` for none. */
  scaler: ScalerParams | null;
}

/** Most feature columns, model inputs, levels or classes a preprocessing may describe. */
export const MAX_PREPROCESSING_ITEMS = 100_000;
/** Longest column, level or class name, in characters. */
const MAX_NAME_LENGTH = 1_000;

/**
 * The preprocessing of a table `fromRecords` made, scaled by `scaler` (fitted with
 * `standardize` on the table's training rows) if given.
 *
 * @example
 * ```ts
 * import { fromRecords } from "./records.ts";
 * import { standardize } from "./scale.ts";
 * import { preprocessingOfTable } from "./preprocessing.ts";
 * const table = fromRecords([{ a: 1, b: "x", y: 0 }, { a: 3, b: "z", y: 1 }], {
 *   target: "y",
 *   categorical: ["b"],
 *   task: "classification",
 * });
 * const p = preprocessingOfTable("demo", table, standardize(table.x));
 * [p.featureNames, p.classNames, p.scaler?.mean]; // [["a", "b=x", "b=z"], ["0", "1"], [2, 0.5, 0.5]]
 * ```
 */
export function preprocessingOfTable(
  fn: string,
  table: TableData,
  scaler?: Scaler,
): Preprocessing {
  const encoding = table?.encoding;
  if (encoding === undefined) {
    throw ArgumentError.because(
      fn,
      "table",
      "table must be the table fromRecords returned (it carries how records became rows); " +
        "for rows of numbers, give no table",
    );
  }
  const scalerParams = scaler === undefined ? null : toParams(fn, scaler);
  if (scalerParams && scalerParams.mean.length !== table.featureNames.length) {
    throw ArgumentError.because(
      fn,
      "scaler",
      `scaler was fitted on rows of ${counted(scalerParams.mean.length, "column")}, but the ` +
        `table has ${counted(table.featureNames.length, "feature")}: fit it with ` +
        "standardize(train.x)",
    );
  }
  return parsePreprocessing(fn, "table", {
    format: "dlnb-preprocessing",
    version: 1,
    ...structuredClone(encoding),
    featureNames: [...table.featureNames],
    scaler: scalerParams,
  });
}

function toParams(fn: string, scaler: Scaler): ScalerParams {
  const ok = scaler !== null && typeof scaler === "object" && Array.isArray(scaler.mean) &&
    Array.isArray(scaler.std);
  if (!ok) {
    throw new ArgumentError(fn, "scaler", scaler, "a Scaler (from standardize or scalerFrom)");
  }
  return { mean: [...scaler.mean], std: [...scaler.std] };
}

/**
 * Checks that `value` is a well-formed {@linkcode Preprocessing} (as read from an untrusted
 * `model.json`) and returns a fresh copy of it; anything else is an {@linkcode ArgumentError}
 * naming `argument`. Sizes are bounded by {@linkcode MAX_PREPROCESSING_ITEMS}.
 *
 * @example
 * ```ts
 * import { parsePreprocessing } from "./preprocessing.ts";
 * try {
 *   parsePreprocessing("loadModel", "preprocessing", { format: "dlnb-preprocessing", version: 2 });
 * } catch (e) {
 *   (e as Error).message; // "loadModel: preprocessing.version must be 1, got 2"
 * }
 * ```
 */
export function parsePreprocessing(fn: string, argument: string, value: unknown): Preprocessing {
  const bad = (field: string, given: unknown, expected: string) =>
    new ArgumentError(fn, field ? `${argument}.${field}` : argument, given, expected);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw bad("", value, "a preprocessing object");
  }
  const v = value as Record<string, unknown>;
  if (v.format !== "dlnb-preprocessing") throw bad("format", v.format, '"dlnb-preprocessing"');
  if (v.version !== 1) throw bad("version", v.version, "1");
  const known = [
    "format",
    "version",
    "features",
    "featureNames",
    "target",
    "task",
    "classNames",
    "missing",
    "otherColumns",
    "scaler",
  ];
  const extra = Object.keys(v).find((k) => !known.includes(k));
  if (extra !== undefined) throw bad(extra, v[extra], "absent (an unknown field)");
  const names = (field: string, list: unknown, min: number): string[] => {
    if (!Array.isArray(list) || list.length < min || list.length > MAX_PREPROCESSING_ITEMS) {
      throw bad(field, list, `an array of ${min} to ${MAX_PREPROCESSING_ITEMS} names`);
    }
    const out = list.map((n: unknown, i: number) => name(`${field}[${i}]`, n));
    if (new Set(out).size !== out.length) throw bad(field, list, "names without repeats");
    return out;
  };
  const name = (field: string, n: unknown): string => {
    if (typeof n !== "string" || n.length === 0 || n.length > MAX_NAME_LENGTH) {
      throw bad(field, n, `a name of 1 to ${MAX_NAME_LENGTH} characters`);
    }
    return n;
  };
  if (!Array.isArray(v.features) || v.features.length === 0) {
    throw bad("features", v.features, "a non-empty array of column encodings");
  }
  let inputs = 0;
  const features = v.features.map((f: unknown, i: number): ColumnEncoding => {
    const field = `features[${i}]`;
    if (f === null || typeof f !== "object" || Array.isArray(f)) {
      throw bad(field, f, '{ column, kind: "number" } or { column, kind: "oneHot", levels }');
    }
    const e = f as Record<string, unknown>;
    const column = name(`${field}.column`, e.column);
    if (e.kind === "number" && Object.keys(e).length === 2) {
      inputs++;
      return { column, kind: "number" };
    }
    if (e.kind === "oneHot" && Object.keys(e).length === 3) {
      const levels = names(`${field}.levels`, e.levels, 1);
      inputs += levels.length;
      if (inputs > MAX_PREPROCESSING_ITEMS) {
        throw bad(field, `${inputs} inputs`, `at most ${MAX_PREPROCESSING_ITEMS} inputs`);
      }
      return { column, kind: "oneHot", levels };
    }
    throw bad(field, f, '{ column, kind: "number" } or { column, kind: "oneHot", levels }');
  });
  const columns = features.map((f) => f.column);
  if (new Set(columns).size !== columns.length) {
    throw bad("features", columns, "each column once");
  }
  const featureNames = names("featureNames", v.featureNames, 1);
  const expected = features.flatMap((f) =>
    f.kind === "number" ? [f.column] : f.levels.map((l) => `${f.column}=${l}`)
  );
  if (expected.join("\u0000") !== featureNames.join("\u0000")) {
    throw bad("featureNames", featureNames, `the features' inputs in order (${inputs} names)`);
  }
  const target = name("target", v.target);
  if (columns.includes(target)) throw bad("target", target, "a column that is not a feature");
  if (v.task !== "classification" && v.task !== "regression") {
    throw bad("task", v.task, '"classification" or "regression"');
  }
  const task: Task = v.task;
  let classNames: string[] | null = null;
  if (task === "classification") classNames = names("classNames", v.classNames, 1);
  else if (v.classNames !== null) throw bad("classNames", v.classNames, "null for regression");
  if (v.missing !== "error" && v.missing !== "drop") {
    throw bad("missing", v.missing, '"error" or "drop"');
  }
  const otherColumns = names("otherColumns", v.otherColumns, 0);
  if (otherColumns.some((c) => columns.includes(c))) {
    throw bad("otherColumns", otherColumns, "columns that are not features");
  }
  let scaler: ScalerParams | null = null;
  if (v.scaler !== null) {
    const s = v.scaler as Partial<ScalerParams> | undefined;
    try {
      const rebuilt = scalerFrom(s as ScalerParams);
      scaler = rebuilt.toJSON();
    } catch (e) {
      throw bad("scaler", s, `{ mean, std } of finite numbers (${(e as Error).message})`);
    }
    if (scaler.mean.length !== featureNames.length) {
      throw bad(
        "scaler",
        counted(scaler.mean.length, "column"),
        `${counted(featureNames.length, "column")}, one per input`,
      );
    }
  }
  return {
    format: "dlnb-preprocessing",
    version: 1,
    features,
    featureNames,
    target,
    task,
    classNames,
    missing: v.missing,
    otherColumns,
    scaler,
  };
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/**
 * Turns `rows` (records with the training columns, or rows of feature values in raw units,
 * in `featureNames` order) into the model's inputs: one-hot, then scaled, as float32 values
 * row after row. Every row is checked before any is returned.
 *
 * @example
 * ```ts
 * import { encodeRows, parsePreprocessing } from "./preprocessing.ts";
 * const p = parsePreprocessing("demo", "p", {
 *   format: "dlnb-preprocessing", version: 1, target: "y", task: "regression", classNames: null,
 *   features: [{ column: "a", kind: "number" }, { column: "b", kind: "oneHot", levels: ["x", "z"] }],
 *   featureNames: ["a", "b=x", "b=z"], missing: "error", otherColumns: ["y"],
 *   scaler: { mean: [1, 0, 0], std: [2, 1, 1] },
 * });
 * Array.from(encodeRows("demo", p, [{ a: 5, b: "z", y: 7 }, [3, 1, 0]])); // [2, 0, 1, 1, 1, 0]
 * ```
 */
export function encodeRows(
  fn: string,
  p: Preprocessing,
  rows: readonly (Readonly<Record<string, unknown>> | readonly number[])[],
  argument = "rows",
): Float32Array {
  const width = p.featureNames.length;
  const out = new Float32Array(rows.length * width);
  const scaler = p.scaler ? scalerFrom(p.scaler) : undefined;
  rows.forEach((row, i) => {
    const raw = encodeRaw(fn, p, row, `${argument}[${i}]`);
    out.set(scaler ? scaler.transform(raw) : raw, i * width);
  });
  return out;
}

/**
 * One row (a record with the training columns, or feature values in raw units) as the
 * table's `x` row: one-hot, not scaled, in float64. Messages name the row `where`.
 *
 * @example
 * ```ts
 * import { encodeRaw, parsePreprocessing } from "./preprocessing.ts";
 * const p = parsePreprocessing("demo", "p", {
 *   format: "dlnb-preprocessing", version: 1, target: "y", task: "regression", classNames: null,
 *   features: [{ column: "a", kind: "number" }, { column: "b", kind: "oneHot", levels: ["x", "z"] }],
 *   featureNames: ["a", "b=x", "b=z"], missing: "error", otherColumns: ["y"], scaler: null,
 * });
 * encodeRaw("demo", p, { a: 39.1, b: "z" }, "instance"); // [39.1, 0, 1]
 * ```
 */
export function encodeRaw(
  fn: string,
  p: Preprocessing,
  row: Readonly<Record<string, unknown>> | readonly number[],
  where: string,
): number[] {
  if (Array.isArray(row) || ArrayBuffer.isView(row)) {
    const numbers = Array.from(row as ArrayLike<unknown>); // a Float32Array row too
    const values = checkNumberRow(fn, where, numbers, p.featureNames.length, p.featureNames);
    checkOneHot(fn, where, p, values);
    return values;
  }
  const record = row as Readonly<Record<string, unknown>>;
  const known = new Set([...p.features.map((f) => f.column), ...p.otherColumns]);
  for (const key of Object.keys(record)) {
    if (known.has(key)) continue;
    const allColumns = [...known];
    const missing = p.features.map((f) => f.column).filter((c) => !Object.hasOwn(record, c));
    const guess = closestName(key, missing.length > 0 ? missing : allColumns);
    throw ArgumentError.because(
      fn,
      where,
      `${where} has a column ${describe(key)} the model was not trained on${
        guess ? ` (did you mean ${describe(guess)}?)` : ""
      }; its columns are ${listColumns(allColumns)}`,
    );
  }
  return p.features.flatMap((f) => encodeValue(fn, where, f, record));
}

/**
 * A row in raw units has 0 or 1 in each one-hot column, one 1 per column of the table: other
 * values are most likely rows already scaled (the model scales them itself), which would
 * otherwise give wrong numbers without a word.
 */
function checkOneHot(fn: string, where: string, p: Preprocessing, values: readonly number[]): void {
  for (const { column, start, width } of oneHotSpans(p)) {
    const group = values.slice(start, start + width);
    const bad = group.findIndex((v) => v !== 0 && v !== 1);
    const ones = group.filter((v) => v === 1).length;
    if (bad >= 0 || ones !== 1) {
      throw ArgumentError.because(
        fn,
        `${where}[${start + Math.max(bad, 0)}]`,
        `${where} has ${bad >= 0 ? String(group[bad]) : plural(ones, "one")} in the one-hot ` +
          `columns of ${describe(column)} (${
            listColumns(p.featureNames.slice(start, start + width))
          }), which hold one 1 and 0s in the table's units: this model scales its rows itself, ` +
          "so pass rows as fromRecords gave them (not scaler.transform(...)), or records",
      );
    }
  }
}

/**
 * Where each one-hot column of the table sits among the model's inputs.
 *
 * @example
 * ```ts
 * import { oneHotSpans, parsePreprocessing } from "./preprocessing.ts";
 * const p = parsePreprocessing("demo", "p", {
 *   format: "dlnb-preprocessing", version: 1, target: "y", task: "regression", classNames: null,
 *   features: [{ column: "a", kind: "number" }, { column: "b", kind: "oneHot", levels: ["x", "z"] }],
 *   featureNames: ["a", "b=x", "b=z"], missing: "error", otherColumns: ["y"], scaler: null,
 * });
 * oneHotSpans(p); // [{ column: "b", start: 1, width: 2 }]
 * ```
 */
export function oneHotSpans(p: Preprocessing): { column: string; start: number; width: number }[] {
  const spans: { column: string; start: number; width: number }[] = [];
  let at = 0;
  for (const f of p.features) {
    const width = f.kind === "oneHot" ? f.levels.length : 1;
    if (f.kind === "oneHot") spans.push({ column: f.column, start: at, width });
    at += width;
  }
  return spans;
}

function checkNumberRow(
  fn: string,
  where: string,
  row: readonly unknown[],
  width: number,
  featureNames: readonly string[],
): number[] {
  if (row.length !== width) {
    throw ArgumentError.because(
      fn,
      where,
      `${where} has ${counted(row.length, "value")}, but the model takes ${width}` +
        (featureNames.length > 0 ? ` (${listColumns(featureNames)})` : ""),
    );
  }
  return row.map((v, c) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      const what = featureNames.length > 0 ? ` (${describe(featureNames[c])})` : "";
      throw new ArgumentError(fn, `${where}[${c}]${what}`, v, "a finite number");
    }
    return v;
  });
}

function encodeValue(
  fn: string,
  where: string,
  f: ColumnEncoding,
  record: Readonly<Record<string, unknown>>,
): number[] {
  const v = Object.hasOwn(record, f.column) ? record[f.column] : undefined;
  if (isMissing(v)) {
    throw ArgumentError.because(
      fn,
      where,
      `${where} has no value for ${describe(f.column)} (${
        describe(v)
      }); the model needs every feature column to predict a row`,
    );
  }
  if (f.kind === "number") {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw ArgumentError.because(
        fn,
        where,
        `${where}[${describe(f.column)}] must be a finite number, as in training, got ${
          describe(v)
        }`,
      );
    }
    return [v];
  }
  const level = String(v);
  const at = f.levels.indexOf(level);
  if (at < 0) {
    throw ArgumentError.because(
      fn,
      where,
      `${where}[${describe(f.column)}] is ${
        describe(v)
      }, a category the model was not trained on; ` +
        `it knows ${listColumns(f.levels)}`,
    );
  }
  return f.levels.map((_, k) => (k === at ? 1 : 0));
}

function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => describe(n)).join(", ");
  return names.length > 12 ? `${shown} and ${names.length - 12} more` : shown;
}
