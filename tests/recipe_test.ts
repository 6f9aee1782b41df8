/**
 * The README's "Your own data" recipe, run as written (issue 19): once verbatim from a folder
 * outside the repository, as a user would, and then, with only the table-specific lines
 * changed, on tables the notebooks do not use (iris; Seattle's weather, 4 features and 5
 * classes) and on the penguins, ten seeds each: the test accuracy must be well above always
 * answering the most common class for at least 9 of the 10.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../tools/jupyter.ts";
import type { Evaluation, Split, TableData } from "../lib/mod.ts";

const LIB = new URL("../lib/mod.ts", import.meta.url).href;

/** The first ```ts block under the README's "### Your own data". */
function recipe(): string {
  const readme = Deno.readTextFileSync(join(ROOT, "README.md"));
  const section = readme.slice(readme.indexOf("### Your own data"));
  const code = section.match(/```ts\n([\s\S]*?)```/)?.[1];
  assert.ok(code, "README has a ts block under ### Your own data");
  return code;
}

/** Replaces `from` (which must occur) in the recipe. */
function swap(code: string, from: string | RegExp, to: string): string {
  assert.ok(typeof from === "string" ? code.includes(from) : from.test(code), `recipe has ${from}`);
  return typeof from === "string" ? code.split(from).join(to) : code.replace(from, () => to);
}

const RECORDS_LINE =
  'const records = await readJSON(packageFile("vega-datasets", "data/penguins.json"));';
const OPTIONS = /const table = fromRecords\(records, \{[\s\S]*?\n\}\);/;

Deno.test("recipe: the README's code runs as written from a user's own folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-recipe-" });
  try {
    assert.ok(!dir.startsWith(ROOT), dir);
    // What `npm install vega-datasets` leaves in the user's folder.
    await Deno.mkdir(join(dir, "node_modules"));
    await Deno.symlink(
      join(ROOT, "node_modules/vega-datasets"),
      join(dir, "node_modules/vega-datasets"),
    );
    await Deno.writeTextFile(join(dir, "recipe.ts"), swap(recipe(), '"./lib/mod.ts"', `"${LIB}"`));
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", "recipe.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.stdout);
    const err = new TextDecoder().decode(r.stderr);
    assert.ok(r.success, err.slice(-3000));
    assert.equal(err, "", "no warning: the recipe's sizes are its own");
    // One line per epoch, then the evaluation and the explanation as text.
    assert.equal(out.match(/^Epoch \d+\/100 /gm)?.length, 100, out.slice(0, 500));
    assert.match(out, /^Evaluation: 3 classes, 67 rows/m);
    const accuracy = Number(out.match(/^ +accuracy +([\d.]+) +67$/m)?.[1]);
    assert.ok(accuracy >= 0.9, `accuracy ${accuracy}`);
    assert.match(
      out,
      /^Explanation: exact Shapley values of 10 features, explaining output "\w+"/m,
    );
    assert.doesNotMatch(out, /\[object /);
    const svg = await Deno.readTextFile(join(dir, "waterfall.svg"));
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

interface Run {
  table: TableData;
  test: Split["test"];
  evaluation: Evaluation;
}

/**
 * The recipe as a module with `seed` for 42 and this table's lines: imported in this process
 * (the same code; quiet, and its figure written to a temp folder).
 */
async function runRecipe(
  dir: string,
  name: string,
  seed: number,
  records: string,
  options: string,
): Promise<Run> {
  let code = swap(recipe(), '"./lib/mod.ts"', `"${LIB}"`);
  code = swap(code, RECORDS_LINE, records);
  code = swap(code, OPTIONS, `const table = fromRecords(records, ${options});`);
  code = swap(code, "seed: 42", `seed: ${seed}`);
  code = swap(code, '.save("waterfall.svg")', `.save(${JSON.stringify(join(dir, "w.svg"))})`);
  code += "\nexport { evaluation, table, test };\n";
  const path = join(dir, `${name}-${seed}.ts`);
  await Deno.writeTextFile(path, code);
  const log = console.log;
  console.log = () => {};
  try {
    return await import(new URL(`file://${path}`).href) as Run;
  } finally {
    console.log = log;
  }
}

const TABLES: { name: string; records: string; options: string; majority: [number, number] }[] = [
  {
    name: "iris",
    records: `const records = await readCSV(${
      JSON.stringify(join(ROOT, "tests/fixtures/iris.csv"))
    });`,
    options: '{ target: "species" }',
    majority: [0.33, 0.34],
  },
  {
    name: "seattle-weather",
    records:
      `const records = await readCSV(packageFile("vega-datasets", "data/seattle-weather.csv"));`,
    options: '{ target: "weather", drop: ["date"] }',
    majority: [0.43, 0.45],
  },
  { name: "penguins", records: RECORDS_LINE, options: "", majority: [0.43, 0.44] },
];

for (const t of TABLES) {
  Deno.test(`recipe: ${t.name}, ten seeds, test accuracy well above the majority class`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "dlnb-recipe-" });
    try {
      const results: string[] = [];
      let good = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const options = t.options ||
          '{ target: "Species", categorical: ["Island", "Sex"], missing: "drop" }';
        const { table, test, evaluation } = await runRecipe(dir, t.name, seed, t.records, options);
        if (seed === 1) assert.equal(table.featureNames.length, t.name === "penguins" ? 10 : 4);
        const classes = table.classNames!.length;
        const counts = Array.from(
          { length: classes },
          (_, c) => test.y.filter((y) => y === c).length,
        );
        const majority = Math.max(...counts) / test.y.length;
        assert.ok(majority >= t.majority[0] && majority <= t.majority[1], `majority ${majority}`);
        const accuracy = (evaluation.scores as { accuracy: number }).accuracy;
        if (accuracy >= majority + 0.3) good++;
        results.push(accuracy.toFixed(3));
      }
      assert.ok(good >= 9, `${t.name}: ${good} of 10 seeds well above the majority: ${results}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
