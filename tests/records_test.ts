import assert from "node:assert/strict";
import { fromRecords } from "../lib/data/records.ts";
import { cellValue, packageFile, readCSV, readJSON } from "../lib/data/read.ts";
import { ArgumentError } from "../lib/core/errors.ts";

const penguins = [
  { species: "Gentoo", island: "Biscoe", bill: 47.5, flipper: 217, sex: "FEMALE" },
  { species: "Adelie", island: "Torgersen", bill: 39.1, flipper: 181, sex: "MALE" },
  { species: "Chinstrap", island: "Dream", bill: 46.5, flipper: 192, sex: "FEMALE" },
  { species: "Adelie", island: "Dream", bill: null, flipper: 190, sex: "MALE" },
  { species: "Adelie", island: "Biscoe", bill: 37.8, flipper: 185, sex: null },
];

/** Records as plain objects, to compare with literals (the lib's records inherit nothing). */
const plain = (records: object[]) => records.map((r) => ({ ...r }));

function throwsArg(f: () => unknown, argument: string, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ArgumentError, String(e));
    assert.equal(e.argument, argument);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("fromRecords: one-hot names and values, class indices in sorted order, dropped rows", () => {
  const t = fromRecords(penguins, {
    target: "species",
    categorical: ["island", "sex"],
    missing: "drop",
  });
  assert.deepEqual(t.featureNames, [
    "island=Biscoe",
    "island=Dream",
    "island=Torgersen",
    "bill",
    "flipper",
    "sex=FEMALE",
    "sex=MALE",
  ]);
  assert.deepEqual(t.x, [
    [1, 0, 0, 47.5, 217, 1, 0],
    [0, 0, 1, 39.1, 181, 0, 1],
    [0, 1, 0, 46.5, 192, 1, 0],
  ]);
  assert.deepEqual(t.classNames, ["Adelie", "Chinstrap", "Gentoo"]);
  assert.deepEqual(t.y, [2, 0, 1]);
  assert.equal(t.task, "classification");
  assert.equal(t.target, "species");
  assert.deepEqual(t.dropped, [3, 4]);
  assert.deepEqual(t.rows, [0, 1, 2]);
});

Deno.test("fromRecords: features, drop, a numeric target is regression", () => {
  const t = fromRecords(penguins.slice(0, 3), { target: "flipper", features: ["bill"] });
  assert.deepEqual(t, {
    x: [[47.5], [39.1], [46.5]],
    y: [217, 181, 192],
    featureNames: ["bill"],
    target: "flipper",
    task: "regression",
    rows: [0, 1, 2],
    dropped: [],
  });
  const d = fromRecords(penguins.slice(0, 3), {
    target: "flipper",
    drop: ["species", "island", "sex"],
  });
  assert.deepEqual(d.featureNames, ["bill"]);
  const c = fromRecords([{ a: 1, b: 5 }, { a: 2, b: 3 }, { a: 3, b: 5 }], {
    target: "b",
    task: "classification",
  });
  assert.deepEqual([c.y, c.classNames], [[1, 0, 1], ["3", "5"]]);
});

Deno.test("fromRecords: a missing value is an error naming the column and the row", () => {
  throwsArg(
    () => fromRecords(penguins, { target: "species", categorical: ["island", "sex"] }),
    "records",
    /records\[3\] has no value for "bill" \(null\); .*missing: "drop"/,
  );
});

Deno.test("fromRecords: bad input names the argument before any work", () => {
  throwsArg(
    () => fromRecords(penguins, { target: "Species" }),
    "target",
    /target names no column: "Species" \(did you mean "species"\?\)/,
  );
  throwsArg(
    () => fromRecords(penguins, { target: "species", missing: "drop" }),
    "categorical",
    /column "island" must hold numbers, got "Biscoe" at records\[0\]; declare it categorical: \{ categorical: \["island"\] \}/,
  );
  throwsArg(
    () => fromRecords(penguins, { target: "species", categorical: ["islnd"] }),
    "categorical[0]",
    /did you mean "island"/,
  );
  throwsArg(() => fromRecords([], { target: "a" }), "records", /non-empty array/);
  throwsArg(
    // @ts-expect-error: target is required
    () => fromRecords(penguins, {}),
    "target",
    /target is required/,
  );
  throwsArg(
    () => fromRecords(penguins, { target: "species", missing: "fill" as "drop" }),
    "missing",
    /one of "error", "drop"/,
  );
  throwsArg(
    () =>
      fromRecords(penguins.slice(0, 3), {
        target: "island",
        task: "regression",
        features: ["bill"],
      }),
    "task",
    /regression target must be numbers, got "Biscoe"/,
  );
});

Deno.test("readCSV: quoted fields, embedded commas and newlines, numbers, missing cells", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(
      path,
      'name,size,note\n"Smith, J",3.5,"two\nlines"\nLee,,NA\n"say ""hi""",-2e3,0x10\n',
    );
    assert.deepEqual(plain(await readCSV(path)), [
      { name: "Smith, J", size: 3.5, note: "two\nlines" },
      { name: "Lee", size: null, note: "NA" },
      { name: 'say "hi"', size: -2000, note: "0x10" },
    ]);
    assert.equal((await readCSV(path, { na: ["NA"] }))[1].note, null);
    assert.deepEqual(await readCSV(new URL(`file://${path}`)), await readCSV(path));
    await Deno.writeTextFile(path, "\uFEFFid,v\n1,2\n");
    assert.deepEqual(plain(await readCSV(path)), [{ id: 1, v: 2 }]);
    await Deno.writeTextFile(path, "a\tb\n1\tx\n");
    assert.deepEqual(plain(await readCSV(path, { delimiter: "\t" })), [{ a: 1, b: "x" }]);
  } finally {
    await Deno.remove(path);
  }
  assert.deepEqual([cellValue(" 7 ", []), cellValue("Infinity", []), cellValue("", [])], [
    7,
    Infinity, // as pandas reads "Infinity"
    null,
  ]);
});

Deno.test("readCSV/readJSON: a missing file or bad JSON is an ArgumentError", async () => {
  await assert.rejects(
    () => readCSV("/no/such/file.csv"),
    /readCSV: could not read "\/no\/such\/file.csv": no such file/,
  );
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, '{"a": 1}');
    await assert.rejects(() => readJSON(path), /must hold an array of records/);
    await Deno.writeTextFile(path, '[{"a": 1}, {"a": null}]');
    assert.deepEqual(plain(await readJSON(path)), [{ a: 1 }, { a: null }]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("packageFile: a file inside an installed npm package; bad names are errors", async () => {
  const url = packageFile("vega-datasets", "data/penguins.json");
  assert.equal(url.protocol, "file:");
  assert.match(url.pathname, /\/vega-datasets\/data\/penguins\.json$/);
  const penguins = await readJSON(url);
  assert.equal(penguins.length, 344);
  assert.deepEqual(Object.keys(penguins[0]), [
    "Species",
    "Island",
    "Beak Length (mm)",
    "Beak Depth (mm)",
    "Flipper Length (mm)",
    "Body Mass (g)",
    "Sex",
  ]);
  throwsArg(() => packageFile("no-such-package-here", "x.json"), "name", /is not installed/);
  throwsArg(() => packageFile("../etc", "x"), "name", /an npm package name/);
  throwsArg(
    () => packageFile("vega-datasets", "../../secret"),
    "path",
    /a path inside the package/,
  );
});
