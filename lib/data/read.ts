/**
 * Tables in: `readCSV` parses a CSV (or TSV) file or URL with d3-dsv (quoted fields,
 * embedded commas and newlines, a header row) and `readJSON` reads an array of records.
 * Either gives plain records whose values are numbers, strings or `null` (missing), ready for
 * {@linkcode fromRecords}.
 *
 * @module
 */
import { dsvFormat } from "../deps/d3_dsv.ts";
import { ArgumentError, checkOptions, describe } from "../core/errors.ts";

/** One cell of a table: a number, a string, a boolean, or `null` when missing. */
export type Value = number | string | boolean | null;
/** One row of a table, by column name. */
export type DataRecord = Record<string, Value>;

/** Options of {@linkcode readCSV}. */
export interface ReadCSVOptions {
  /** The field separator. Default `","`; `"\t"` for TSV. */
  delimiter?: string;
  /** Cell texts that mean "missing" (read as `null`) besides the empty cell, e.g. `["NA"]`. */
  na?: readonly string[];
}

// A decimal number as a CSV writes one: no hex, no "Infinity", no leading/trailing junk.
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A cell's text as a value: empty or listed in `na` → `null`, a decimal number → number,
 * anything else stays text.
 *
 * @example
 * ```ts
 * import { cellValue } from "./read.ts";
 * [cellValue("3.5", []), cellValue(" 7 ", []), cellValue("", []), cellValue("NA", ["NA"]), cellValue("0x1", [])];
 * // [3.5, 7, null, null, "0x1"]
 * ```
 */
export function cellValue(text: string, na: readonly string[]): Value {
  const t = text.trim();
  if (t === "" || na.includes(t)) return null;
  return NUMBER.test(t) ? Number(t) : text;
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
    `the npm package ${describe(name)} is not installed in a node_modules folder at or above ` +
      `${describe(Deno.cwd())}; add it to deno.json's imports and run deno install`,
  );
}

/** Reads a local path, a `file:` URL or an `http(s):` URL as text. */
/** Refuses what is neither a path nor a URL, at the call. */
function checkSource(fn: string, pathOrUrl: unknown): void {
  if (pathOrUrl instanceof URL || (typeof pathOrUrl === "string" && pathOrUrl !== "")) return;
  throw new ArgumentError(fn, "pathOrUrl", pathOrUrl, "a file path or a URL");
}

async function readText(fn: string, pathOrUrl: unknown): Promise<string> {
  let url: URL | null = null;
  if (pathOrUrl instanceof URL) url = pathOrUrl;
  else if (typeof pathOrUrl === "string" && /^(https?|file):\/\//i.test(pathOrUrl)) {
    url = new URL(pathOrUrl);
  } else if (typeof pathOrUrl !== "string" || pathOrUrl === "") {
    throw new ArgumentError(fn, "pathOrUrl", pathOrUrl, "a file path or a URL");
  }
  if (url && url.protocol !== "file:") {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ArgumentError(
        fn,
        "pathOrUrl",
        url.href,
        "a file path, a file: URL or an http(s): URL",
      );
    }
    const response = await fetch(url);
    if (!response.ok) {
      await response.body?.cancel();
      throw ArgumentError.because(
        fn,
        "pathOrUrl",
        `could not read ${describe(url.href)}: HTTP ${response.status} ${response.statusText}`,
      );
    }
    return await response.text();
  }
  const path = url ?? (pathOrUrl as string);
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "no such file" : String(error);
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `could not read ${describe(String(path))}: ${why}`,
    );
  }
}

/**
 * Reads a CSV file (or URL) with a header row into records; numbers become numbers, empty
 * cells (and any listed in `na`) become `null`, other text stays text.
 *
 * @example
 * ```ts
 * import { readCSV } from "./read.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, 'name,size\n"Smith, J",3\nLee,\n');
 * assert.deepEqual(await readCSV(path), [{ name: "Smith, J", size: 3 }, { name: "Lee", size: null }]);
 * ```
 */
export function readCSV(
  pathOrUrl: string | URL,
  options?: ReadCSVOptions,
): Promise<DataRecord[]> {
  // Not async: bad arguments throw at the call, before any reading.
  const fn = "readCSV";
  checkSource(fn, pathOrUrl);
  const o = checkOptions(fn, options, { delimiter: true, na: true });
  const delimiter = o.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"') {
    throw new ArgumentError(fn, "delimiter", delimiter, "one character other than '\"'");
  }
  const na = o.na ?? [];
  if (!Array.isArray(na) || na.some((s) => typeof s !== "string")) {
    throw new ArgumentError(fn, "na", na, "an array of strings");
  }
  return parseCSV(fn, pathOrUrl, delimiter, na);
}

async function parseCSV(
  fn: string,
  pathOrUrl: string | URL,
  delimiter: string,
  na: readonly string[],
): Promise<DataRecord[]> {
  // A byte-order mark (spreadsheet exports) would otherwise stick to the first column's name.
  const text = (await readText(fn, pathOrUrl)).replace(/^\uFEFF/, "");
  const parsed = dsvFormat(delimiter).parse(text);
  const columns = parsed.columns;
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) {
      throw ArgumentError.because(
        fn,
        "pathOrUrl",
        `the header of ${describe(String(pathOrUrl))} names the column ${describe(c)} twice`,
      );
    }
    seen.add(c);
  }
  return parsed.map((row) => {
    const record: DataRecord = {};
    for (const c of columns) record[c] = cellValue(row[c] ?? "", na);
    return record;
  });
}

/**
 * Reads a JSON file (or URL) holding an array of records (objects of numbers, strings,
 * booleans or null), as vega-datasets ships its tables.
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
export function readJSON(pathOrUrl: string | URL): Promise<DataRecord[]> {
  checkSource("readJSON", pathOrUrl); // at the call, before any reading
  return parseJSON("readJSON", pathOrUrl);
}

async function parseJSON(fn: string, pathOrUrl: string | URL): Promise<DataRecord[]> {
  const text = await readText(fn, pathOrUrl);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `${describe(String(pathOrUrl))} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(data)) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `${describe(String(pathOrUrl))} must hold an array of records, got ${describe(data)}`,
    );
  }
  data.forEach((r: unknown, i: number) => {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw ArgumentError.because(
        fn,
        "pathOrUrl",
        `${describe(String(pathOrUrl))}: item ${i} must be a record (an object), got ${
          describe(r)
        }`,
      );
    }
  });
  return data as DataRecord[];
}
