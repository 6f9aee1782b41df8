/**
 * What `fromRecords` checks in a table's columns, and the advice its errors give: column
 * names (with "did you mean", and the delimiter a one-column header was really split by),
 * missing cells, and why a column that should hold numbers does not.
 *
 * @module
 */
import { ArgumentError, describe } from "../core/errors.ts";
import type { Value } from "./csv.ts";
import { numberOf } from "./csv.ts";
import { counted } from "../core/words.ts";

// pandas' default missing-value words: text a user most likely meant as "missing".
const NA_WORDS = new Set([
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);

/**
 * Whether a cell is missing: `null`, `undefined`, `NaN` or the empty string.
 *
 * @example
 * ```ts
 * import { isMissing } from "./columns.ts";
 * [isMissing(null), isMissing(""), isMissing(NaN), isMissing(0), isMissing(" ")]; // [true, true, true, false, false]
 * ```
 */
export function isMissing(v: unknown): boolean {
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

/**
 * `name` if it is one of `columns`; otherwise an error naming `argument`, with the closest
 * column and, for a header that holds the whole line (`"a;b;label"`), the delimiter to read
 * the file with.
 *
 * @example
 * ```ts
 * import { checkColumn } from "./columns.ts";
 * try {
 *   checkColumn("fromRecords", "target", "label", ["a;b;label"]);
 * } catch (e) {
 *   (e as Error).message; // '... the header looks separated by ";", not commas: read the file with readCSV(path, { delimiter: ";" })'
 * }
 * ```
 */
export function checkColumn(
  fn: string,
  argument: string,
  name: unknown,
  columns: string[],
): string {
  if (typeof name !== "string") throw new ArgumentError(fn, argument, name, "a column name");
  if (!columns.includes(name)) {
    const guess = closest(name, columns);
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} names no column: ${describe(name)}${
        guess ? ` (did you mean ${describe(guess)}?)` : ""
      }; the columns are ${columns.map((c) => describe(c)).join(", ")}${
        delimiterAdvice(name, columns)
      }`,
    );
  }
  return name;
}

// Separators other than the comma that a CSV file may use, as readCSV's delimiter option.
const OTHER_DELIMITERS = [";", "\t", "|"];

/**
 * A file of another separator read with commas gives one column whose name holds the whole
 * header (`"a;b;label"`): say which delimiter to read it with.
 */
function delimiterAdvice(name: string, columns: readonly string[]): string {
  for (const d of OTHER_DELIMITERS) {
    const joined = columns.find((c) => c.includes(d) && (columns.length === 1 || c.includes(name)));
    if (joined !== undefined) {
      return `; the header looks separated by ${describe(d)}, not commas: read the file with ` +
        `readCSV(path, { delimiter: ${JSON.stringify(d)} })`;
    }
  }
  return "";
}

/**
 * Each name of `value` (an array, or `undefined` for none) checked by {@linkcode checkColumn}.
 *
 * @example
 * ```ts
 * import { checkColumns } from "./columns.ts";
 * checkColumns("fromRecords", "drop", ["b"], ["a", "b"]); // ["b"]
 * ```
 */
export function checkColumns(
  fn: string,
  argument: string,
  value: unknown,
  columns: string[],
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new ArgumentError(fn, argument, value, "an array of column names");
  }
  return value.map((name, i) => checkColumn(fn, `${argument}[${i}]`, name, columns));
}

/**
 * Column names in order of first appearance over all records; anything but a non-empty
 * array of objects is an error.
 *
 * @example
 * ```ts
 * import { columnsOf } from "./columns.ts";
 * columnsOf("fromRecords", [{ a: 1 }, { a: 2, b: 3 }]); // ["a", "b"]
 * ```
 */
export function columnsOf(fn: string, records: unknown): string[] {
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

/**
 * Why a column that should hold numbers does not, and what to do: text that means
 * "missing" (point at readCSV's `na`: a known missing-value word, or a few odd words in a
 * column of numbers), an ID-like text column (leave it out), or categories (declare it
 * categorical).
 *
 * @example
 * ```ts
 * import { notNumbersAdvice } from "./columns.ts";
 * notNumbersAdvice("b", ["2", "?", "5"], ["a", "b"]);
 * // '; it holds numbers and the text "?": if that means missing, read the file with readCSV(path, { na: ["?"] }) ...'
 * ```
 */
export function notNumbersAdvice(
  column: string,
  values: Value[],
  features: string[],
  categorical: readonly string[] = [],
): string {
  // The categorical list to suggest keeps the columns already declared.
  const declare = `{ categorical: [${
    [...categorical.filter((c) => c !== column), column].map((c) => describe(c)).join(", ")
  }] }`;
  const present = values.filter((v) => !isMissing(v));
  const words = [
    ...new Set(
      present.filter((v): v is string => typeof v === "string" && numberOf(v) === undefined),
    ),
  ];
  const numbers =
    present.filter((v) =>
      typeof v === "number" || (typeof v === "string" && numberOf(v) !== undefined)
    ).length;
  const naWords = words.length > 0 && words.every((w) => NA_WORDS.has(w.trim()) || w.trim() === "");
  // A column of numbers with a few odd words ("?", "-", "n.a."): almost surely missing values.
  const fewOdd = words.length > 0 && words.length <= 3 && numbers >= 0.5 * present.length;
  if (naWords || fewOdd) {
    const na = words.map((w) => describe(w)).join(", ");
    return `; it holds numbers and the text ${na}: if that means missing, read the file with ` +
      `readCSV(path, { na: [${na}] }) (then missing: "drop" drops those rows)` +
      (naWords ? "" : `; if the column is categories, declare it categorical: ${declare}`);
  }
  const distinct = new Set(present.map((v) => String(v))).size;
  if (distinct >= 20 && distinct >= 0.5 * present.length) {
    const others = features.filter((f) => f !== column);
    const list = others.length > 0 && others.length <= 8
      ? others.map((f) => describe(f)).join(", ")
      : "...";
    return `; it looks like an ID or free text (${distinct.toLocaleString("en-US")} distinct ` +
      `values in ${counted(present.length, "row")}), which one-hot encoding ` +
      `would turn into as many columns: leave it out with features: [${list}] (or drop: [${
        describe(column)
      }])`;
  }
  return `; declare it categorical: ${declare}`;
}

/**
 * The first cell of a numeric feature column that is not a finite number, preferring one
 * that does not read as a number (`"?"`, not the `"2"` of a column readCSV kept as text
 * because of that `"?"`); `-1` when every cell is a finite number.
 *
 * @example
 * ```ts
 * import { firstNonNumber } from "./columns.ts";
 * [firstNonNumber(["2", "?"]), firstNonNumber([1, Infinity]), firstNonNumber([1, 2])]; // [1, 1, -1]
 * ```
 */
export function firstNonNumber(values: readonly (Value | undefined)[]): number {
  const notText = values.findIndex((v) =>
    typeof v !== "number" && !(typeof v === "string" && numberOf(v) !== undefined)
  );
  if (notText >= 0) return notText;
  return values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
}
