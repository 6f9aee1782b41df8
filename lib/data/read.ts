/**
 * Tables in: `readCSV` parses a CSV (or TSV) file or URL (quoted fields, embedded commas and
 * newlines, a header row; ragged rows and unclosed quotes are errors naming the line) and
 * `readJSON` reads an array of flat records. Both read at most `maxBytes` (256 MiB unless
 * raised), honour a UTF-8 or UTF-16 byte-order mark, and give records whose values are
 * numbers, strings, booleans or `null` (missing), ready for {@linkcode fromRecords}. A record
 * inherits nothing: a column may be named `__proto__` or `constructor`.
 *
 * @module
 */
import { ArgumentError, checkOptions, describe } from "../core/errors.ts";
import { columnValues, splitCSV, type Value } from "./csv.ts";
import { checkMaxBytes, checkSource, decodeText, describePath, readBounded } from "./source.ts";

export type { Value } from "./csv.ts";
/** One row of a table, by column name. */
export type DataRecord = Record<string, Value>;

// The records' shared prototype: no string keys at all (so `record.constructor` of a table
// without that column is undefined, and `__proto__` is an ordinary column), but printing as
// a plain object and reading well in a template string.
const RECORD_PROTOTYPE: object = Object.create(null, {
  [Symbol.toStringTag]: { value: "DataRecord" },
  [Symbol.toPrimitive]: {
    value: function (this: DataRecord): string {
      // JSON's text, but an infinite number shows as itself (JSON would write null: missing).
      const cells = Object.entries(this).map(([k, v]) =>
        `${JSON.stringify(k)}:${
          typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v)
        }`
      );
      return `{${cells.join(",")}}`;
    },
  },
  [Symbol.for("Deno.customInspect")]: {
    value: function (
      this: DataRecord,
      inspect: (value: unknown, options: unknown) => string,
      options: unknown,
    ): string {
      return inspect({ ...this }, options);
    },
  },
});

/**
 * A record that inherits no column: its own keys are the given columns, whatever their names.
 *
 * @example
 * ```ts
 * import { dataRecord } from "./read.ts";
 * const r = dataRecord([["__proto__", 1], ["b", "x"]]);
 * [Object.keys(r), r["__proto__"], r["constructor"]]; // [["__proto__", "b"], 1, undefined]
 * ```
 */
export function dataRecord(entries: Iterable<readonly [string, Value]>): DataRecord {
  const record = Object.create(RECORD_PROTOTYPE) as DataRecord;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** Options of {@linkcode readCSV}. */
export interface ReadCSVOptions {
  /** The field separator. Default `","`; `"\t"` for TSV. */
  delimiter?: string;
  /** Cell texts that mean "missing" (read as `null`) besides the empty cell, e.g. `["NA"]`. */
  na?: readonly string[];
  /** Most bytes the file or download may hold. Default 256 MiB (`MAX_TABLE_BYTES`). */
  maxBytes?: number;
}

/** Options of {@linkcode readJSON}. */
export interface ReadJSONOptions {
  /** Most bytes the file or download may hold. Default 256 MiB (`MAX_TABLE_BYTES`). */
  maxBytes?: number;
}

/**
 * A cell's text as a value on its own: empty or listed in `na` → `null`, a decimal number
 * → number, anything else stays text. (`readCSV` decides a type per column, not per cell.)
 *
 * @example
 * ```ts
 * import { cellValue } from "./read.ts";
 * [cellValue("3.5", []), cellValue(" 7 ", []), cellValue("", []), cellValue("NA", ["NA"]), cellValue("0x1", [])];
 * // [3.5, 7, null, null, "0x1"]
 * ```
 */
export function cellValue(text: string, na: readonly string[]): Value {
  return columnValues([text], na)[0];
}

/**
 * The `file:` URL of a file shipped inside an installed npm package: the package is looked
 * up as Node does, in `node_modules/<name>` of the working folder or the nearest folder above
 * it (`deno install` puts this project's pinned packages there). Notebooks use it for data
 * packages such as `vega-datasets`, since a notebook cell has no `import.meta` of its own.
 *
 * @example
 * ```ts
 * import { packageFile, readJSON } from "./read.ts";
 * import assert from "node:assert/strict";
 * const penguins = await readJSON(packageFile("vega-datasets", "data/penguins.json"));
 * assert.deepEqual(penguins.length, 344);
 * ```
 */
export function packageFile(name: string, path: string): URL {
  const fn = "packageFile";
  if (typeof name !== "string" || !/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) {
    throw new ArgumentError(fn, "name", name, 'an npm package name, e.g. "vega-datasets"');
  }
  if (
    typeof path !== "string" || path === "" || path.startsWith("/") ||
    path.split("/").includes("..")
  ) {
    throw new ArgumentError(fn, "path", path, 'a path inside the package, e.g. "data/cars.json"');
  }
  let dir = Deno.cwd();
  while (true) {
    const root = `${dir}/node_modules/${name}`;
    try {
      if (Deno.statSync(`${root}/package.json`).isFile) {
        return new URL(`file://${encodeURI(`${Deno.realPathSync(root)}/${path}`)}`);
      }
    } catch { /* not here: look one folder up */ }
    const up = dir.replace(/\/[^/]*$/, "");
    if (up === dir || up === "") break;
    dir = up;
  }
  throw ArgumentError.because(
    fn,
    "name",
    `the npm package ${describePath(name)} is not installed in a node_modules folder at or above ` +
      `${describe(Deno.cwd())}; add it to deno.json's imports and run deno install`,
  );
}

/**
 * Reads a CSV file (or URL) with a header row into records. Each column's type is decided
 * for the whole column, as pandas does: numbers when every present cell is a number (`1e999`
 * is `Infinity`), otherwise text as written (so codes such as `0E8` stay text; so do whole
 * numbers past 2^53, which a float would change, where pandas keeps them as 64-bit integers). Empty cells
 * (and any listed in `na`) are `null`. Blank lines are skipped; a row with more or fewer
 * cells than the header, or a quote never closed, is an error naming the line. An empty or
 * header-only file is an error. At most `maxBytes` are read (256 MiB unless raised), and only
 * a regular file: a device or FIFO is refused before it is opened.
 *
 * @example
 * ```ts
 * import { readCSV } from "./read.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, 'name,size\n"Smith, J",3\nLee,\n');
 * // Records inherit nothing (a column may be named "constructor"): compare plain copies.
 * const plain = (await readCSV(path)).map((r) => ({ ...r }));
 * assert.deepEqual(plain, [{ name: "Smith, J", size: 3 }, { name: "Lee", size: null }]);
 * ```
 */
export function readCSV(
  pathOrUrl: string | URL,
  options?: ReadCSVOptions,
): Promise<DataRecord[]> {
  // Not async: bad arguments throw at the call, before any reading.
  const fn = "readCSV";
  checkSource(fn, pathOrUrl);
  const o = checkOptions(fn, options, { delimiter: true, na: true, maxBytes: true });
  const delimiter = o.delimiter ?? ",";
  if (
    typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' ||
    delimiter === "\n" || delimiter === "\r"
  ) {
    throw new ArgumentError(
      fn,
      "delimiter",
      delimiter,
      "one character other than '\"' or a line end",
    );
  }
  const na = o.na ?? [];
  if (!Array.isArray(na) || na.some((s) => typeof s !== "string")) {
    throw new ArgumentError(fn, "na", na, "an array of strings");
  }
  const maxBytes = checkMaxBytes(fn, o.maxBytes);
  return parseCSV(fn, pathOrUrl, delimiter, na, maxBytes);
}

async function parseCSV(
  fn: string,
  pathOrUrl: string | URL,
  delimiter: string,
  na: readonly string[],
  maxBytes: number,
): Promise<DataRecord[]> {
  const name = String(pathOrUrl);
  const text = decodeText(fn, name, await readBounded(fn, pathOrUrl, maxBytes));
  const { columns, rows } = splitCSV(fn, name, text, delimiter);
  const values = columns.map((_, k) => columnValues(rows.map((row) => row[k]), na));
  return rows.map((_, r) => dataRecord(columns.map((c, k) => [c, values[k][r]] as const)));
}

/**
 * Reads a JSON file (or URL) holding an array of flat records (objects of numbers, strings,
 * booleans or null), as vega-datasets ships its tables. Values stay as the file has them
 * (`1` and `"1"` differ); a number too large for a float is `Infinity`, as in Python's
 * `json`. An empty array, a nested value or a non-object item is an error. At most
 * `maxBytes` are read (256 MiB unless raised).
 *
 * @example
 * ```ts
 * import { readJSON } from "./read.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, '[{"a": 1, "b": "x"}, {"a": null, "b": "y"}]');
 * assert.deepEqual((await readJSON(path)).length, 2);
 * ```
 */
export function readJSON(
  pathOrUrl: string | URL,
  options?: ReadJSONOptions,
): Promise<DataRecord[]> {
  const fn = "readJSON";
  checkSource(fn, pathOrUrl); // at the call, before any reading
  const o = checkOptions(fn, options, { maxBytes: true });
  return parseJSON(fn, pathOrUrl, checkMaxBytes(fn, o.maxBytes));
}

async function parseJSON(
  fn: string,
  pathOrUrl: string | URL,
  maxBytes: number,
): Promise<DataRecord[]> {
  const name = String(pathOrUrl);
  const text = decodeText(fn, name, await readBounded(fn, pathOrUrl, maxBytes));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `${describePath(name)} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(data)) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `${describePath(name)} must hold an array of records, got ${describe(data)}`,
    );
  }
  if (data.length === 0) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `${describePath(name)} holds no records (an empty array)`,
    );
  }
  return data.map((r: unknown, i: number) => {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw ArgumentError.because(
        fn,
        "pathOrUrl",
        `${describePath(name)}: item ${i} must be a record (an object), got ${describe(r)}`,
      );
    }
    // JSON.parse makes every key an own property, `__proto__` included.
    const entries = Object.entries(r);
    for (const [key, value] of entries) {
      if (value !== null && typeof value === "object") {
        throw ArgumentError.because(
          fn,
          "pathOrUrl",
          `${describePath(name)}: item ${i}'s ${describe(key)} is ${
            Array.isArray(value) ? "an array" : "an object"
          }; readJSON reads flat records (numbers, strings, booleans, null)`,
        );
      }
    }
    return dataRecord(entries as [string, Value][]);
  });
}
