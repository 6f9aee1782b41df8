import assert from "node:assert/strict";
import { scalerFrom, standardize } from "../lib/data/scale.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { tf } from "../lib/core/tf.ts";
import { readCSV } from "../lib/data/read.ts";
import { fromRecords } from "../lib/data/records.ts";
import { throwsArg } from "./arg_asserts.ts";

const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/sklearn_scaler.json", import.meta.url)),
) as { cases: { x: number[][]; mean: number[]; std: number[]; transformed: number[][] }[] };

Deno.test("standardize: scikit-learn's StandardScaler, bit for bit (tiny, huge, constant columns)", () => {
  assert.equal(fixture.cases.length, 4);
  for (const c of fixture.cases) {
    const s = standardize(c.x);
    assert.deepEqual(s.mean, c.mean);
    assert.deepEqual(s.std, c.std);
    assert.deepEqual(s.transform(c.x), c.transformed);
  }
});

Deno.test("standardize: values near the float limits: scale first, then square", () => {
  // scikit-learn gives mean inf and NaN here (its sums overflow).
  const same = standardize([[1e308], [1e308]]);
  assert.deepEqual([same.mean, same.std], [[1e308], [1]]);
  assert.deepEqual(same.transform([[1e308], [0]]), [[0], [-1e308]]);
  // scikit-learn squares 1e200 to inf, calls the column constant and leaves it unscaled.
  const wide = standardize([[1e200], [-1e200]]);
  assert.deepEqual([wide.mean, wide.std], [[0], [1e200]]);
  assert.deepEqual(wide.transform([[1e200], [-1e200], [5e199]]), [[1], [-1], [0.5]]);
  const top = standardize([[1.7e308], [-1.7e308]]);
  assert.deepEqual([top.mean, top.std], [[0], [1.7e308]]);
  assert.deepEqual(top.transform([[1.7e308], [-1.7e308]]), [[1], [-1]]);
  // v - mean overflows: still finite.
  const shifted = standardize([[1.5e308], [1.7e308]]);
  const [[lo], [hi]] = shifted.transform([[-1.7e308], [1.7e308]]);
  assert.ok(Number.isFinite(lo) && Number.isFinite(hi), `${lo} ${hi}`);
  assert.deepEqual(standardize([[5e-324], [1e-323]]).std, [1], "a spread that underflows");
});

Deno.test("scalerFrom: rebuilt from JSON, it scales bit for bit as the fitted scaler", () => {
  const rows = [[0.1, 200, -3], [0.7, 150, 4], [0.3, 171, 1e-3]];
  const fitted = standardize(rows);
  const rebuilt = scalerFrom(JSON.parse(JSON.stringify(fitted)));
  assert.deepEqual(rebuilt.transform(rows), fitted.transform(rows));
  assert.deepEqual(JSON.parse(JSON.stringify(rebuilt)), { mean: fitted.mean, std: fitted.std });
  assert.equal(
    String(standardize([[1, 10], [3, 10]])),
    "Scaler of 2 columns: mean [2, 10], std [1, 1]",
  );
  const bad = (params: unknown, argument: string, pattern: RegExp) =>
    assert.throws(() => scalerFrom(params as never), (e: unknown) => {
      assert.ok(e instanceof ArgumentError, String(e));
      assert.equal(e.argument, argument);
      assert.match(e.message, pattern);
      return true;
    });
  bad(null, "params", /scalerFrom: params must be an object \{ mean, std \}/);
  bad({ mean: [1], std: [0] }, "std[0]", /must be a finite number > 0, got 0/);
  bad({ mean: [1, NaN], std: [1, 1] }, "mean[1]", /finite number, got NaN/);
  bad({ mean: [1, 2], std: [1] }, "std", /std has 1 value and mean 2/);
  bad({ mean: [1], std: [1], scale: [1] }, "params", /params has "scale"/);
  bad({ mean: [], std: [] }, "mean", /non-empty/);
});

Deno.test("standardize and transform: records or a tensor where rows are expected say what to pass", async () => {
  const records = await readCSV(new URL("fixtures/iris.csv", import.meta.url));
  const table = fromRecords(records, { target: "species" });
  const scaler = standardize(table.x);
  throwsArg(
    () => scaler.transform(records as never),
    "x",
    /^scaler\.transform: x\[0\] is a record \(an object\), not a row of numbers: turn records into rows with fromRecords\(records, \{ target \}\)$/,
  );
  throwsArg(
    () => standardize(records as never),
    "x",
    /^standardize: x\[0\] is a record \(an object\), not a row of numbers: turn records into rows/,
  );
  const tensor = tf.tensor2d(table.x);
  try {
    throwsArg(
      () => scaler.transform(tensor as never),
      "x",
      /^scaler\.transform: x must be rows of numbers \(arrays\), got a Tensor; pass the arrays \(table\.x, or await tensor\.array\(\)\)$/,
    );
    throwsArg(
      () => standardize(tensor as never),
      "x",
      /^standardize: x must be rows of numbers \(arrays\), got a Tensor/,
    );
  } finally {
    tensor.dispose();
  }
  // Counts read as words.
  throwsArg(
    () => standardize([[1, 2]]).transform([[1]]),
    "x[0]",
    /must have 2 columns, as the rows/,
  );
  throwsArg(
    () => standardize([[1]]).transform([[1, 2]]),
    "x[0]",
    /must have 1 column, as the rows/,
  );
  assert.equal(String(standardize([[1], [3]])), "Scaler of 1 column: mean [2], std [1]");
});
