/**
 * CSV text to columns, strictly: quoted fields (RFC 4180: `""` is a quote, commas and
 * newlines inside quotes are data), `\n`, `\r\n` or `\r` line ends, blank lines skipped.
 * A row whose cell count differs from the header's, a quote that is never closed and text
 * right after a closing quote are errors naming the line. Each column's type is decided
 * for the whole column, as pandas does: numbers only when every present cell is a number.
 *
 * @module
 */
import { ArgumentError, describe } from "../core/errors.ts";
import { describePath } from "./source.ts";
import { counted } from "../core/words.ts";

/** One cell of a table: a number, a string, a boolean, or `null` when missing. */
export type Value = number | string | boolean | null;

/** The cells of a CSV text: the header's names, and each row's texts with its line. */
export interface CSVCells {
  /** Column names from the header (an empty name becomes `Unnamed: k`, as in pandas). */
  columns: string[];
  /** Each row's cell texts, one per column. */
  rows: string[][];
}

// A decimal number as a CSV writes one (no hex, no `1_000`), or an infinity as pandas reads it.
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INFINITY = /^([-+]?)(inf|infinity)$/i;
const INTEGER = /^[-+]?\d+$/;

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

function lineError(fn: string, name: string, line: number, what: string): ArgumentError {
  return ArgumentError.because(fn, "pathOrUrl", `${describePath(name)}, line ${line}: ${what}`);
}

/**
 * Splits CSV text into a header and rows of cell texts. `name` names the file in errors.
 *
 * @example
 * ```ts
 * import { splitCSV } from "./csv.ts";
 * splitCSV("readCSV", "t.csv", 'a,b\n1,"x, ""y"""\n', ",");
 * // { columns: ["a", "b"], rows: [["1", 'x, "y"']] }
 * ```
 */
export function splitCSV(fn: string, name: string, text: string, delimiter: string): CSVCells {
  const sep = delimiter.charCodeAt(0);
  const n = text.length;
  const records: string[][] = [];
  const starts: number[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const rowLine = line;
    const row: string[] = [];
    let quotedAny = false;
    while (true) {
      if (text.charCodeAt(i) === QUOTE) {
        quotedAny = true;
        const opened = line;
        let field = "";
        let from = i + 1;
        while (true) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            throw lineError(
              fn,
              name,
              opened,
              "a quoted cell is never closed (the quote opens here and the file ends inside it)",
            );
          }
          for (let k = from; k < close; k++) {
            const c = text.charCodeAt(k);
            if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) line++;
          }
          field += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            field += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        const after = text.charCodeAt(i);
        if (i < n && after !== sep && after !== LF && after !== CR) {
          throw lineError(
            fn,
            name,
            line,
            `text ${
              describe(text.slice(i, i + 12).split(/[\r\n]/)[0])
            } follows a closing quote; a quote inside ` +
              'a quoted cell is written twice ("")',
          );
        }
        row.push(field);
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === sep || c === LF || c === CR) break;
          k++;
        }
        row.push(text.slice(i, k));
        i = k;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === sep) {
        i++;
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    // A blank (or whitespace-only) line is skipped, as pandas does.
    if (row.length === 1 && !quotedAny && row[0].trim() === "") continue;
    records.push(row);
    starts.push(rowLine);
  }
  if (records.length === 0) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `${describePath(name)} is empty: a table needs a header row and at least one row`,
    );
  }
  if (records.length === 1) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      `${describePath(name)} has a header (line ${starts[0]}) but no rows`,
    );
  }
  const columns = records[0].map((c, k) => (c === "" ? `Unnamed: ${k}` : c));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) {
      throw lineError(fn, name, starts[0], `the header names the column ${describe(c)} twice`);
    }
    seen.add(c);
  }
  const rows = records.slice(1);
  rows.forEach((row, r) => {
    if (row.length !== columns.length) {
      throw lineError(
        fn,
        name,
        starts[r + 1],
        `${counted(row.length, "cell")}, but the header (line ${starts[0]}) names ${
          counted(columns.length, "column")
        }; quote cells that hold the delimiter`,
      );
    }
  });
  return { columns, rows };
}

/**
 * A cell's text as a number, or `undefined` when it is not one: decimals (`3.5`, ` 7 `,
 * `1e-3`; `1e999` is `Infinity`) and `inf`/`infinity` in any case, as pandas reads them; a
 * whole number a float cannot hold exactly (past 2^53, such as a 20-digit ID) is not one.
 *
 * @example
 * ```ts
 * import { numberOf } from "./csv.ts";
 * [numberOf(" 7 "), numberOf("1e999"), numberOf("-Inf"), numberOf("0x1"), numberOf("12345678901234567890")];
 * // [7, Infinity, -Infinity, undefined, undefined]
 * ```
 */
export function numberOf(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) {
    const n = Number(t);
    // A whole number past 2^53 (a 20-digit ID) would change its value as a float: text.
    return INTEGER.test(t) && !Number.isSafeInteger(n) ? undefined : n;
  }
  const inf = INFINITY.exec(t);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  return undefined;
}

/**
 * One column's values from its cell texts, its type decided for the whole column (as
 * pandas): an empty cell or one listed in `na` is `null`; if every other cell is a number
 * they are numbers, otherwise every cell stays text as written.
 *
 * @example
 * ```ts
 * import { columnValues } from "./csv.ts";
 * columnValues(["1", "", "2.5"], []); // [1, null, 2.5]
 * columnValues(["0E0", "0E8", "LAX"], []); // ["0E0", "0E8", "LAX"]
 * ```
 */
export function columnValues(texts: readonly string[], na: readonly string[]): Value[] {
  const missing = texts.map((t) => t === "" || na.includes(t));
  const numbers: (number | undefined)[] = texts.map((t, r) => missing[r] ? 0 : numberOf(t));
  const numeric = numbers.every((v) => v !== undefined);
  return texts.map((t, r) => missing[r] ? null : numeric ? numbers[r] as number : t);
}
