import assert from "node:assert/strict";
import { trainTestSplit } from "../lib/data/split.ts";
import { standardize } from "../lib/data/scale.ts";
import { tf } from "../lib/core/tf.ts";
import { readCSV } from "../lib/data/read.ts";
import { fromRecords } from "../lib/data/records.ts";
import { throwsArg } from "./arg_asserts.ts";

// 100 rows: 50 of class 0, 30 of class 1, 20 of class 2; x[i] = [i] so rows can be traced.
const y = [...Array(50).fill(0), ...Array(30).fill(1), ...Array(20).fill(2)];
const x = y.map((_, i) => [i, i * 2]);
const share = (ys: number[], c: number) => ys.filter((v) => v === c).length;

Deno.test("trainTestSplit: sizes, class shares, disjoint parts covering every row, seeded", () => {
  const { train, test } = trainTestSplit({ x, y, task: "classification" }, { seed: 3 });
  assert.equal(test.x.length, 20);
  assert.equal(train.x.length, 80);
  assert.deepEqual([0, 1, 2].map((c) => share(test.y, c)), [10, 6, 4]);
  assert.deepEqual([0, 1, 2].map((c) => share(train.y, c)), [40, 24, 16]);
  assert.deepEqual([...train.indices, ...test.indices].sort((a, b) => a - b), x.map((_, i) => i));
  test.indices.forEach((i, k) => {
    assert.deepEqual(test.x[k], x[i]);
    assert.equal(test.y[k], y[i]);
  });
  assert.deepEqual(trainTestSplit({ x, y, task: "classification" }, { seed: 3 }).test, test);
  assert.notDeepEqual(
    trainTestSplit({ x, y }, { seed: 4, stratify: true }).test.indices,
    test.indices,
  );
});

Deno.test("trainTestSplit: ceil(testSize * rows) held out; largest remainders per class", () => {
  // 0.25 of 10 rows = 2.5 → 3 test rows; 6 and 4 rows give 1.8 and 1.2 → 2 and 1.
  const yy = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
  const xx = yy.map((_, i) => [i]);
  const { train, test } = trainTestSplit({ x: xx, y: yy }, { testSize: 0.25, stratify: true });
  assert.equal(test.y.length, 3);
  assert.deepEqual([share(test.y, 0), share(test.y, 1)], [2, 1]);
  assert.equal(train.y.length, 7);
  const plain = trainTestSplit({ x: xx, y: yy }, { testSize: 0.25, seed: 9 });
  assert.equal(plain.test.y.length, 3);
});

Deno.test("trainTestSplit: bad input names the argument", () => {
  throwsArg(() => trainTestSplit({ x, y }, { testSize: 0 }), "testSize", /in \(0, 1\)/);
  throwsArg(() => trainTestSplit({ x, y }, { testSize: 1 }), "testSize", /in \(0, 1\)/);
  throwsArg(() => trainTestSplit({ x, y }, { testSize: 20 }), "testSize", /got 20/);
  throwsArg(
    () => trainTestSplit({ x: [[1], [2], [3], [4]], y: [0, 0, 0, 1] }, { stratify: true }),
    "stratify",
    /class 1 has only one row/,
  );
  throwsArg(
    () => trainTestSplit({ x, y: y.slice(1) }),
    "data.y",
    /one target per row of data.x \(100\), got 99/,
  );
  throwsArg(
    () => trainTestSplit({ x: [[1], [2]], y: [0, 1] }, { testSize: 0.9 }),
    "testSize",
    /no row to train/,
  );
});

Deno.test("standardize: means and population standard deviations by hand", () => {
  // Column 0: 2, 4, 4, 4, 5, 5, 7, 9 → mean 5, std 2 (the textbook example); column 1 constant.
  const rows = [2, 4, 4, 4, 5, 5, 7, 9].map((v) => [v, 3, v / 2]);
  const s = standardize(rows);
  assert.deepEqual(s.mean, [5, 3, 2.5]);
  assert.deepEqual(s.std, [2, 1, 1]);
  assert.deepEqual(s.transform([[9, 3, 4.5], [1, 4, 0.5]]), [[2, 0, 2], [-2, 1, -2]]);
  assert.deepEqual(s.transform([5, 3, 2.5]), [0, 0, 0]);
  const scaled = s.transform(rows);
  const mean0 = scaled.reduce((a, r) => a + r[0], 0) / rows.length;
  assert.equal(mean0, 0);
});

Deno.test("standardize: a table with other columns is an error naming it", () => {
  const s = standardize([[1, 2], [3, 4]]);
  throwsArg(
    () => s.transform([[1, 2, 3]]),
    "x[0]",
    /must have 2 columns, as the rows the scaler was fitted on, got 3/,
  );
  throwsArg(() => s.transform([1]), "x", /must have 2 columns/);
  throwsArg(() => s.transform([[1, 2], [1]]), "x[1]", /got 1/);
  throwsArg(() => standardize([]), "x", /non-empty/);
  throwsArg(
    () => standardize([[1, "a" as unknown as number]]),
    "x",
    /x\[0\]\[1\] must be a finite number, got "a"/,
  );
  throwsArg(() => standardize([[1, 2], [3]]), "x", /x\[1\] has 1/);
});

Deno.test("data functions refuse misspelt options with a did-you-mean hint, before any work", async () => {
  const { fromRecords, readCSV } = await import("../lib/mod.ts");
  assert.throws(
    () => trainTestSplit({ x: [[1], [2], [3]], y: [0, 1, 0] }, { tesSize: 0.3 } as never),
    /trainTestSplit: unknown option "tesSize" \(did you mean "testSize"\?\)/,
  );
  assert.throws(
    () => fromRecords([{ a: 1, b: 2 }], { target: "b", categoricals: ["a"] } as never),
    /fromRecords: unknown option "categoricals" \(did you mean "categorical"\?\)/,
  );
  assert.throws(
    () => readCSV("never-read.csv", { delimeter: ";" } as never),
    /readCSV: unknown option "delimeter" \(did you mean "delimiter"\?\)/,
  );
});

Deno.test("trainTestSplit (stratified): no class is left without test or training rows", () => {
  // 96 rows of class 0 and 2 each of classes 1 and 2: 20% of a 2-row class rounds to 0 test
  // rows; it gets one, taken from the class whose share rounded up most.
  const yy = [...Array(96).fill(0), 1, 1, 2, 2];
  const xx = yy.map((_, i) => [i]);
  const { train, test } = trainTestSplit({ x: xx, y: yy }, { stratify: true, testSize: 0.2 });
  assert.deepEqual([0, 1, 2].map((c) => share(test.y, c)), [18, 1, 1]);
  assert.deepEqual([0, 1, 2].map((c) => share(train.y, c)), [78, 1, 1]);
  // At 90% a 2-row class would give both rows to the test part; one stays to train on.
  const big = trainTestSplit({ x: xx, y: yy }, { stratify: true, testSize: 0.9 });
  assert.deepEqual([0, 1, 2].map((c) => share(big.test.y, c)), [88, 1, 1]);
  assert.deepEqual([0, 1, 2].map((c) => share(big.train.y, c)), [8, 1, 1]);
  // Fewer test (or training) rows than classes cannot be stratified: an error, as scikit-learn.
  throwsArg(
    () => trainTestSplit({ x: xx, y: yy }, { stratify: true, testSize: 0.02 }),
    "testSize",
    /^trainTestSplit: testSize 0\.02 of 100 rows leaves 2 test rows for 3 classes: stratifying needs at least one test row per class; pass a larger testSize, or stratify: false$/,
  );
  throwsArg(
    () => trainTestSplit({ x: xx, y: yy }, { stratify: true, testSize: 0.98 }),
    "testSize",
    /leaves 2 training rows for 3 classes: .* pass a smaller testSize, or stratify: false$/,
  );
  // Every seed of a small imbalanced table keeps each class in both parts.
  const small = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
  for (let seed = 0; seed < 20; seed++) {
    const s = trainTestSplit({ x: small.map((v) => [v]), y: small }, { stratify: true, seed });
    for (const c of [0, 1, 2]) {
      assert.ok(share(s.test.y, c) >= 1 && share(s.train.y, c) >= 1, `seed ${seed} class ${c}`);
    }
  }
});

Deno.test("trainTestSplit: records or a tensor where rows are expected say what to pass", async () => {
  const records = await readCSV(new URL("fixtures/iris.csv", import.meta.url));
  const table = fromRecords(records, { target: "species" });
  const tensor = tf.tensor2d(table.x);
  try {
    throwsArg(
      () => trainTestSplit(tensor as never, { testSize: 0.2 }),
      "data",
      /^trainTestSplit: data must be an object \{ x, y \} of rows and targets, got a Tensor; pass a table from fromRecords or \{ x, y \} arrays$/,
    );
    throwsArg(
      () => trainTestSplit({ x: tensor as never, y: table.y }),
      "data.x",
      /^trainTestSplit: data\.x must be rows of numbers \(arrays\), got a Tensor; pass the arrays/,
    );
  } finally {
    tensor.dispose();
  }
  throwsArg(
    () => trainTestSplit(records as never),
    "data",
    /^trainTestSplit: data\[0\] is a record \(an object\), not a row of numbers: turn records into rows with fromRecords/,
  );
  throwsArg(
    () => trainTestSplit({ x: records as never, y: table.y }),
    "data.x",
    /^trainTestSplit: data\.x\[0\] is a record/,
  );
  throwsArg(
    () => trainTestSplit(table.x as never),
    "data",
    /got an array of length 150; pass a table from fromRecords or \{ x, y \} arrays$/,
  );
  // Counts read as words: one row is "1 row".
  throwsArg(
    () => trainTestSplit({ x: [[1], [2], [3]], y: [0, 1, 1] }, { testSize: 0.2, stratify: true }),
    "stratify",
    /class 0 has only one row/,
  );
  throwsArg(
    () =>
      trainTestSplit({ x: [[1], [2], [3], [4]], y: [0, 0, 1, 1] }, {
        testSize: 0.25,
        stratify: true,
      }),
    "testSize",
    /^trainTestSplit: testSize 0\.25 of 4 rows leaves 1 test row for 2 classes/,
  );
});
