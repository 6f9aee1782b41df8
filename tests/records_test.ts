import assert from "node:assert/strict";
import { fromRecords } from "../lib/data/records.ts";
import { cellValue, packageFile, readCSV, readJSON } from "../lib/data/read.ts";
import { trainTestSplit } from "../lib/data/split.ts";
import { throwsArg } from "./arg_asserts.ts";

const penguins = [
  { species: "Gentoo", island: "Biscoe", bill: 47.5, flipper: 217, sex: "FEMALE" },
  { species: "Adelie", island: "Torgersen", bill: 39.1, flipper: 181, sex: "MALE" },
  { species: "Chinstrap", island: "Dream", bill: 46.5, flipper: 192, sex: "FEMALE" },
  { species: "Adelie", island: "Dream", bill: null, flipper: 190, sex: "MALE" },
  { species: "Adelie", island: "Biscoe", bill: 37.8, flipper: 185, sex: null },
];

/** Records as plain objects, to compare with literals (the lib's records inherit nothing). */
const plain = (records: object[]) => records.map((r) => ({ ...r }));

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
  // The suggestion keeps the columns already declared categorical.
  throwsArg(
    () =>
      fromRecords(penguins.map((r) => ({ ...r, sex: r.species === "Adelie" ? "m" : "f" })), {
        target: "species",
        categorical: ["sex"],
        missing: "drop",
      }),
    "categorical",
    /declare it categorical: \{ categorical: \["sex", "island"\] \}$/,
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
    /regression target must be finite numbers, got "Biscoe" in "island" at records\[0\]; use task: "classification" for classes$/,
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
      /column "rating" must hold numbers, got "NA" at records\[1\]; it holds numbers and the text "NA": if that means missing, read the file with readCSV\(path, \{ na: \["NA"\] \}\)/,
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

// scikit-learn's breast-cancer table as pandas writes it (its first 10 rows and 2 of its
// columns): the target is the integers 0 and 1.
const CANCER_CSV = "mean radius,mean texture,target\n17.99,10.38,0\n20.57,17.77,0\n" +
  "19.69,21.25,0\n11.42,20.38,0\n20.29,14.34,0\n12.45,15.7,0\n18.25,19.98,0\n" +
  "13.71,20.83,0\n13.0,21.82,1\n12.46,24.04,0\n16.02,23.24,0\n15.78,17.89,0\n" +
  "19.17,24.8,0\n15.85,23.95,0\n13.73,22.61,0\n14.54,27.54,0\n14.68,20.13,0\n" +
  "16.13,20.68,0\n19.81,22.15,0\n13.54,14.36,1\n13.08,15.71,1\n9.504,12.44,1\n" +
  "15.34,14.26,0\n21.16,23.04,0\n16.65,21.38,0\n17.14,16.4,0\n14.58,21.53,0\n" +
  "18.61,20.25,0\n15.3,25.27,0\n17.57,15.05,0\n18.63,25.11,0\n11.84,18.7,0\n" +
  "17.02,23.98,0\n19.27,26.47,0\n16.13,17.88,0\n16.74,21.59,0\n14.25,21.72,0\n" +
  "13.03,18.42,1\n14.99,25.2,0\n13.48,20.82,0\n";

Deno.test("fromRecords: a numeric 0/1 target is binary classification, as scikit-learn's type_of_target", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, CANCER_CSV);
    const records = await readCSV(path);
    const table = fromRecords(records, { target: "target" });
    const targets = records.map((r) => r.target);
    assert.equal(table.task, "classification");
    assert.deepEqual(table.classNames, ["0", "1"]);
    assert.deepEqual(table.y, targets, 'y holds class indices: 0 is class "0", 1 is "1"');
    assert.equal(
      String(table),
      "Table: 40 rows x 2 features (mean radius, mean texture); target " +
        '"target" (classification, 2 classes: 0, 1)',
    );
    // The split is stratified by default: 5 of the 40 rows are class 1, so 1 of the 8 test rows.
    const split = trainTestSplit(table, { testSize: 0.2, seed: 3 });
    assert.deepEqual(split, trainTestSplit(table, { testSize: 0.2, seed: 3, stratify: true }));
    assert.deepEqual(
      [split.test.y.filter((c) => c === 1).length, split.train.y.filter((c) => c === 1).length],
      [1, 4],
    );
    // An explicit task keeps the numbers.
    const numbers = fromRecords(records, { target: "target", task: "regression" });
    assert.deepEqual([numbers.task, numbers.classNames, numbers.y], [
      "regression",
      undefined,
      targets,
    ]);
  } finally {
    await Deno.remove(path);
  }
  // Class names in numeric order, as strings; y indexes them.
  const signs = fromRecords([{ a: 1, y: 1 }, { a: 2, y: -1 }, { a: 3, y: 1 }], { target: "y" });
  assert.deepEqual([signs.task, signs.classNames, signs.y], ["classification", ["-1", "1"], [
    1,
    0,
    1,
  ]]);
  const tens = fromRecords([{ a: 1, y: 10 }, { a: 2, y: 9 }], { target: "y" });
  assert.deepEqual([tens.classNames, tens.y], [["9", "10"], [1, 0]]);
  // Two values that are not whole numbers stay a number to predict.
  const halves = fromRecords([{ a: 1, y: 0.5 }, { a: 2, y: 1.5 }], { target: "y" });
  assert.deepEqual([halves.task, halves.y], ["regression", [0.5, 1.5]]);
});

Deno.test("fromRecords: a target of a few whole numbers stays regression, with a note printed once", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
  try {
    const records = Array.from(
      { length: 30 },
      (_, i) => ({ alcohol: 9 + i / 10, quality: 3 + (i % 6) }),
    );
    const note =
      'fromRecords: target "quality" holds 6 distinct whole numbers (3, 4, 5, 6, 7, 8), ' +
      'read as a number to predict (regression); if they are classes, pass task: "classification"';
    const table = fromRecords(records, { target: "quality" });
    assert.equal(table.task, "regression");
    assert.deepEqual(table.y, records.map((r) => r.quality));
    assert.equal(
      String(table),
      `Table: 30 rows x 1 feature (alcohol); target "quality" (regression)\nNote: ${note}`,
    );
    fromRecords(records, { target: "quality" }); // a second table of the same target: quiet
    assert.deepEqual(warnings, [`Note: ${note}`]);
    // Saying the task (either one) silences the note.
    const classes = fromRecords(records, { target: "quality", task: "classification" });
    assert.deepEqual(classes.classNames, ["3", "4", "5", "6", "7", "8"]);
    assert.doesNotMatch(
      String(fromRecords(records, { target: "quality", task: "regression" })),
      /Note/,
    );
    // Many distinct values (cars' mpg) or more than 10 whole numbers: no note.
    const many = records.map((r, i) => ({ ...r, quality: i }));
    assert.doesNotMatch(String(fromRecords(many, { target: "quality" })), /Note/);
    assert.equal(warnings.length, 1);
  } finally {
    console.warn = warn;
  }
});

Deno.test("fromRecords: a column of numbers with odd tokens quotes the first odd cell and points at na", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, "a,b,label\n1,2,x\n3,?,y\n4,5,z\n");
    const records = await readCSV(path);
    throwsArg(
      () => fromRecords(records, { target: "label" }),
      "categorical",
      /^fromRecords: column "b" must hold numbers, got "\?" at records\[1\]; it holds numbers and the text "\?": if that means missing, read the file with readCSV\(path, \{ na: \["\?"\] \}\) \(then missing: "drop" drops those rows\); if the column is categories, declare it categorical: \{ categorical: \["b"\] \}$/,
    );
    const t = fromRecords(await readCSV(path, { na: ["?"] }), { target: "label", missing: "drop" });
    assert.deepEqual([t.x, t.dropped], [[[1, 2], [4, 5]], [1]]);
  } finally {
    await Deno.remove(path);
  }
  // Records of a script (numbers and text mixed): the first text is quoted.
  throwsArg(
    () => fromRecords([{ b: 2, y: "p" }, { b: 3, y: "q" }, { b: "-", y: "p" }], { target: "y" }),
    "categorical",
    /got "-" at records\[2\]; it holds numbers and the text "-": .*na: \["-"\]/,
  );
});

Deno.test("fromRecords: a file read with the wrong delimiter gets readCSV's delimiter option", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/semi.csv`, "a;b;label\r\n1;2;x\r\n3;4;y\r\n");
    await Deno.writeTextFile(`${dir}/tabs.csv`, "a\tb\tlabel\n1\t2\tx\n");
    const semi = await readCSV(`${dir}/semi.csv`);
    throwsArg(
      () => fromRecords(semi, { target: "label" }),
      "target",
      /^fromRecords: target names no column: "label"; the columns are "a;b;label"; the header looks separated by ";", not commas: read the file with readCSV\(path, \{ delimiter: ";" \}\)$/,
    );
    const tabs = await readCSV(`${dir}/tabs.csv`);
    throwsArg(
      () => fromRecords(tabs, { target: "label", features: ["a"] }),
      "target",
      /separated by "\\t", not commas: read the file with readCSV\(path, \{ delimiter: "\\t" \}\)$/,
    );
    const t = fromRecords(await readCSV(`${dir}/semi.csv`, { delimiter: ";" }), {
      target: "label",
    });
    assert.deepEqual([t.x, t.classNames], [[[1, 2], [3, 4]], ["x", "y"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // An ordinary typo gets no delimiter advice.
  throwsArg(
    () => fromRecords(penguins, { target: "specis" }),
    "target",
    /did you mean "species"\?\); the columns are [^;]*$/,
  );
});

Deno.test("fromRecords: an infinite feature or target is refused naming the column and row", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, "a,b,label\n1,2,x\n2,Infinity,y\n3,-inf,x\n");
    const records = await readCSV(path);
    assert.deepEqual(records.map((r) => r.b), [2, Infinity, -Infinity]);
    assert.equal(String(records[1]), '{"a":2,"b":Infinity,"label":"y"}');
    throwsArg(
      () => fromRecords(records, { target: "label" }),
      "records",
      /^fromRecords: column "b" holds Infinity at records\[1\], not a finite number: a model cannot train on it; /,
    );
    throwsArg(
      () => fromRecords(records, { target: "b", features: ["a"] }),
      "task",
      /^fromRecords: a regression target must be finite numbers, got Infinity in "b" at records\[1\]$/,
    );
    // Read as missing, the rows drop.
    const t = fromRecords(await readCSV(path, { na: ["Infinity", "-inf"] }), {
      target: "label",
      missing: "drop",
    });
    assert.deepEqual([t.x, t.dropped], [[[1, 2]], [1, 2]]);
  } finally {
    await Deno.remove(path);
  }
});
