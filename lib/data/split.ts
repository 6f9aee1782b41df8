/**
 * Holding rows out: `trainTestSplit` shuffles the rows with a seed and sets a share of them
 * aside for testing, keeping each class's share the same in both parts when stratified.
 *
 * @module
 */
import {
  ArgumentError,
  checkBoolean,
  checkNumber,
  checkOptions,
  checkSeed,
  describe,
} from "../core/errors.ts";
import { rng } from "../core/random.ts";
import { withText } from "../core/text.ts";
import type { Task } from "../build/models.ts";
import { counted } from "../core/words.ts";
import { isTensor, notRows } from "./rows_input.ts";

/** Rows and their targets. */
export interface Rows {
  /** Feature rows. */
  x: number[][];
  /** One target per row. */
  y: number[];
}

/** What {@linkcode trainTestSplit} splits: rows, targets and (optionally) the task. */
export interface SplitInput extends Rows {
  /** `"classification"` makes stratifying the default. */
  task?: Task;
}

/** Options of {@linkcode trainTestSplit}. */
export interface SplitOptions {
  /** The share of rows held out for testing, in (0, 1). Default 0.2. */
  testSize?: number;
  /** Seed of the shuffle. Default 0: the same call gives the same split. */
  seed?: number;
  /**
   * Keep each class's share of rows the same in both parts (y holds class indices). Default:
   * true when `task` is `"classification"`, else false.
   */
  stratify?: boolean;
}

/** One part of a split: its rows, targets, and which input rows they are. */
export interface SplitPart extends Rows {
  /** Indices of these rows in the input, in the part's (shuffled) order. */
  indices: number[];
}

/** The two parts of {@linkcode trainTestSplit}. */
export interface Split {
  /** Rows to train on. */
  train: SplitPart;
  /** Rows held out to test on. */
  test: SplitPart;
}

function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Gives every class at least one test row and one training row, moving a row from the class
 * whose rounding favoured it most; refuses (as scikit-learn) a split with fewer test or
 * training rows than classes, where that cannot be done.
 */
function ensureEachPart(
  fn: string,
  sizes: number[],
  counts: number[],
  exact: number[],
  split: { classes: number[]; nTest: number; rows: number; testSize: number },
): void {
  const { classes, nTest, rows, testSize } = split;
  for (const [part, n] of [["test", nTest], ["training", rows - nTest]] as const) {
    if (n < classes.length) {
      throw ArgumentError.because(
        fn,
        "testSize",
        `testSize ${testSize} of ${counted(rows, "row")} leaves ${counted(n, `${part} row`)} for ` +
          `${classes.length} classes: stratifying needs at least one ${part} row per class; ` +
          `pass a ${part === "test" ? "larger" : "smaller"} testSize, or stratify: false`,
      );
    }
  }
  const surplus = (k: number) => counts[k] - exact[k];
  sizes.forEach((size, k) => {
    if (counts[k] === 0) {
      // Take a test row from the class with the most rounded up (and a test row to spare).
      const from = sizes.map((_, j) => j).filter((j) => counts[j] > 1)
        .sort((a, b) => surplus(b) - surplus(a) || a - b)[0];
      counts[k] = 1;
      counts[from]--;
    } else if (counts[k] === size) {
      // Give a test row to the class with the most rounded down (and a training row to spare).
      const to = sizes.map((_, j) => j).filter((j) => counts[j] < sizes[j] - 1)
        .sort((a, b) => surplus(a) - surplus(b) || a - b)[0];
      counts[k] = size - 1;
      counts[to]++;
    }
  });
}

/**
 * Splits rows into a training and a test part: `ceil(testSize * rows)` rows are held out
 * (as scikit-learn's `train_test_split`). Stratified, each class gives its share of test
 * rows (largest remainders) so the class shares match in both parts, and every class has at
 * least one row in each part (a small class's share is rounded up to one row); a split with
 * fewer test (or training) rows than classes is an error, as in scikit-learn.
 *
 * @example
 * ```ts
 * import { trainTestSplit } from "./split.ts";
 * const x = Array.from({ length: 10 }, (_, i) => [i]);
 * const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
 * const { train, test } = trainTestSplit({ x, y }, { testSize: 0.2, seed: 1, stratify: true });
 * [train.x.length, test.x.length, test.y.toSorted()]; // [8, 2, [0, 1]]
 * ```
 */
export function trainTestSplit(data: SplitInput, options?: SplitOptions): Split {
  const fn = "trainTestSplit";
  if (isTensor(data)) {
    throw ArgumentError.because(
      fn,
      "data",
      "data must be an object { x, y } of rows and targets, got a Tensor; pass a table from " +
        "fromRecords or { x, y } arrays",
    );
  }
  if (Array.isArray(data)) {
    notRows(fn, data, "data");
    throw ArgumentError.because(
      fn,
      "data",
      `data must be an object { x, y } of rows and targets, got ${describe(data)}; pass a ` +
        "table from fromRecords or { x, y } arrays",
    );
  }
  if (data === null || typeof data !== "object") {
    throw new ArgumentError(fn, "data", data, "an object { x, y } of rows and targets");
  }
  const o = checkOptions(fn, options, { testSize: true, seed: true, stratify: true });
  const testSize = o.testSize ?? 0.2;
  if (typeof testSize !== "number" || !(testSize > 0 && testSize < 1)) {
    throw new ArgumentError(fn, "testSize", testSize, "a share of the rows in (0, 1), e.g. 0.2");
  }
  checkNumber(fn, "testSize", testSize);
  const seed = checkSeed(fn, o.seed) ?? 0;
  const stratify = checkBoolean(fn, "stratify", o.stratify, data.task === "classification");
  const { x, y } = data;
  notRows(fn, x, "data.x");
  if (!Array.isArray(x) || x.length === 0) {
    throw new ArgumentError(fn, "data.x", x, "a non-empty array of rows");
  }
  if (!Array.isArray(y) || y.length !== x.length) {
    throw ArgumentError.because(
      fn,
      "data.y",
      `data.y must have one target per row of data.x (${x.length}), got ${
        Array.isArray(y) ? `${y.length}` : typeof y
      }`,
    );
  }
  const rows = x.length;
  const nTest = Math.ceil(testSize * rows);
  if (nTest >= rows) {
    throw ArgumentError.because(
      fn,
      "testSize",
      `testSize ${testSize} of ${
        counted(rows, "row")
      } holds out ${nTest}, leaving no row to train on`,
    );
  }
  const r = rng(seed);
  const next = () => r.next();
  let testIdx: number[];
  let trainIdx: number[];
  if (!stratify) {
    const order = shuffle(Array.from({ length: rows }, (_, i) => i), next);
    testIdx = order.slice(0, nTest);
    trainIdx = order.slice(nTest);
  } else {
    const byClass = new Map<number, number[]>();
    y.forEach((c, i) => {
      if (!Number.isInteger(c) || c < 0) {
        throw ArgumentError.because(
          fn,
          "stratify",
          `stratify needs class indices in data.y, got ${c} at row ${i}`,
        );
      }
      byClass.get(c)?.push(i) ?? byClass.set(c, [i]);
    });
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const lonely = classes.find((c) => (byClass.get(c) as number[]).length < 2);
    if (lonely !== undefined) {
      throw ArgumentError.because(
        fn,
        "stratify",
        `class ${lonely} has only one row: stratifying needs at least 2 per class ` +
          `(one to train, one to test); drop that row or pass stratify: false`,
      );
    }
    // Each class's share of the test rows, by largest remainder; ties go to the larger class.
    const exact = classes.map((c) => (nTest * (byClass.get(c) as number[]).length) / rows);
    const counts = exact.map(Math.floor);
    let left = nTest - counts.reduce((a, b) => a + b, 0);
    const order = classes.map((_, k) => k).sort((a, b) =>
      (exact[b] - counts[b]) - (exact[a] - counts[a]) || exact[b] - exact[a] || a - b
    );
    for (const k of order) {
      if (left === 0) break;
      counts[k]++;
      left--;
    }
    ensureEachPart(fn, classes.map((c) => (byClass.get(c) as number[]).length), counts, exact, {
      classes,
      nTest,
      rows,
      testSize,
    });
    testIdx = [];
    trainIdx = [];
    classes.forEach((c, k) => {
      const members = shuffle([...(byClass.get(c) as number[])], next);
      // A loop, not push(...members): a class may hold more rows than a call takes arguments.
      members.forEach((row, i) => (i < counts[k] ? testIdx : trainIdx).push(row));
    });
    shuffle(testIdx, next);
    shuffle(trainIdx, next);
  }
  const part = (indices: number[]): SplitPart => ({
    x: indices.map((i) => [...x[i]]),
    y: indices.map((i) => y[i]),
    indices,
  });
  const rowsOf = (p: SplitPart) => `${p.x.length} row${p.x.length === 1 ? "" : "s"}`;
  return withText(
    { train: part(trainIdx), test: part(testIdx) },
    (s) => `Split: train ${rowsOf(s.train)}, test ${rowsOf(s.test)}`,
  );
}
