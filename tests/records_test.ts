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

Deno.test("fromRecords: only a record's own values count; __proto__ and constructor are columns", async () => {
  // A record without a constructor column: missing, not Object's inherited function.
  const t = fromRecords(
    [{ a: "x", y: 1 }, { a: "y", y: 2 }, { constructor: "k", a: "x", y: 1 }],
    { target: "y", categorical: ["constructor", "a"], missing: "drop" },
  );
  assert.deepEqual([t.featureNames, t.x, t.dropped], [["a=x", "constructor=k"], [[1, 1]], [0, 1]]);
  throwsArg(
    () =>
      fromRecords([{ a: 1, y: 1 }, { a: 2, y: 2, constructor: 3 }], {
        target: "y",
        features: ["a", "constructor"],
      }),
    "records",
    /records\[0\] has no value for "constructor" \(undefined\)/,
  );
  // A CSV whose columns are named __proto__ and constructor, through to x.
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, "__proto__,constructor,y\n1,a,p\n2,b,q\n3,a,p\n");
    const table = fromRecords(await readCSV(path), { target: "y", categorical: ["constructor"] });
    assert.deepEqual(table.featureNames, ["__proto__", "constructor=a", "constructor=b"]);
    assert.deepEqual(table.x, [[1, 1, 0], [2, 0, 1], [3, 1, 0]]);
    assert.deepEqual([table.y, table.classNames], [[0, 1, 0], ["p", "q"]]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test('fromRecords: 1 and "1" (or true and "true") in one column are refused, not merged', () => {
  throwsArg(
    () => fromRecords([{ a: 1, y: 1 }, { a: 2, y: "1" }, { a: 3, y: "2" }], { target: "y" }),
    "target",
    /column "y" holds both 1 \(number\) and "1" \(string\), which would be one category/,
  );
  throwsArg(
    () =>
      fromRecords([{ a: true, y: 1 }, { a: "true", y: 2 }], { target: "y", categorical: ["a"] }),
    "categorical",
    /column "a" holds both true \(boolean\) and "true" \(string\)/,
  );
  // Distinct texts of one type stay distinct classes.
  const t = fromRecords([{ a: 1, y: "1" }, { a: 2, y: "01" }], { target: "y" });
  assert.deepEqual(t.classNames, ["01", "1"]);
});

Deno.test("fromRecords: NA-like text points at readCSV's na, an ID-like column at features", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, "rating,votes,y\n7.5,10,a\nNA,12,b\n6.1,NaN,a\n");
    const records = await readCSV(path);
    throwsArg(
      () => fromRecords(records, { target: "y" }),
      "categorical",
      /column "rating" must hold numbers, got "7\.5" at records\[0\]; it holds numbers and the text "NA": if that means missing, read the file with readCSV\(path, \{ na: \["NA"\] \}\)/,
    );
    // With na, the table reads, and missing: "drop" drops those rows.
    const t = fromRecords(await readCSV(path, { na: ["NA", "NaN"] }), {
      target: "y",
      missing: "drop",
    });
    assert.deepEqual([t.x, t.dropped], [[[7.5, 10]], [1, 2]]);
  } finally {
    await Deno.remove(path);
  }
  // A movies-like table: "Title" has 3,000 distinct values in 3,201 rows.
  const movies = Array.from({ length: 3201 }, (_, i) => ({
    Title: `Movie ${i % 3000}`,
    Votes: i,
    Genre: ["Drama", "Comedy"][i % 2],
    Rating: i % 10,
  }));
  throwsArg(
    () => fromRecords(movies, { target: "Rating", categorical: ["Genre"] }),
    "categorical",
    /column "Title" must hold numbers, got "Movie 0" at records\[0\]; it looks like an ID or free text \(3,000 distinct values in 3,201 rows\), which one-hot encoding would turn into as many columns: leave it out with features: \["Votes", "Genre"\] \(or drop: \["Title"\]\)/,
  );
  // A few categories still get the advice to declare the column categorical.
  throwsArg(
    () => fromRecords(movies, { target: "Rating", features: ["Genre"] }),
    "categorical",
    /declare it categorical: \{ categorical: \["Genre"\] \}/,
  );
});

Deno.test("fromRecords: a one-hot table past maxBytes is refused before x is built", () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ id: `r${i}`, v: i, y: i % 2 }));
  throwsArg(
    () => fromRecords(rows, { target: "y", categorical: ["id"], maxBytes: 1e6 }),
    "maxBytes",
    /^fromRecords: 1,000 rows x 1,001 feature columns makes 1,001,000 cells \(7\.64 MB as numbers\), more than the 976\.56 KB \(maxBytes 1000000\) a table may take; the widest one-hot columns are "id" \(1,000 categories\): leave ID-like columns out with features: \[\.\.\.\] or drop: \[\.\.\.\], or pass a larger maxBytes if you mean it$/,
  );
  assert.equal(
    fromRecords(rows, { target: "y", categorical: ["id"], maxBytes: 8_008_000 }).x[0].length,
    1001,
  );
  throwsArg(() => fromRecords(rows, { target: "y", maxBytes: -1 }), "maxBytes", /positive whole/);
});

Deno.test("fromRecords: 100k rows x 100k categories is a clear error in a child capped at 256 MB", async () => {
  const module = new URL("../lib/data/records.ts", import.meta.url).href;
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      script,
      `import { fromRecords } from ${JSON.stringify(module)};
const rss0 = Deno.memoryUsage().rss;
const records = Array.from({ length: 100_000 }, (_, i) => ({ id: "m" + i, v: i % 7, y: i % 2 }));
let message = "no error";
try { fromRecords(records, { target: "y", categorical: ["id"] }); }
catch (e) { message = (e as Error).name + ": " + (e as Error).message; }
console.log(JSON.stringify({ message, rssGrowth: Deno.memoryUsage().rss - rss0 }));
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-lock", "--v8-flags=--max-old-space-size=256", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, `${stdout}\n${new TextDecoder().decode(out.stderr)}`);
    const { message, rssGrowth } = JSON.parse(stdout.trim().split("\n").at(-1) as string);
    assert.match(
      message,
      /^ArgumentError: fromRecords: 100,000 rows x 100,001 feature columns makes 10,000,100,000 cells \(74\.51 GB as numbers\), more than the 1\.00 GB \(maxBytes 1073741824\) a table may take; the widest one-hot columns are "id" \(100,000 categories\)/,
    );
    assert.ok(rssGrowth < 200 * 2 ** 20, `rss grew ${rssGrowth} bytes`);
  } finally {
    await Deno.remove(script);
  }
});
