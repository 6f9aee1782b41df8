// docs/ holds the executed notebooks a GitHub reader sees: they must be the current notebooks,
// executed, and free of machine paths and timings (tools/docs.ts, `deno task docs`).
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Notebook, problems, ROOT, text } from "../tools/jupyter.ts";
import { DOCS, notebookNames, scrubNotebook, scrubText } from "../tools/docs.ts";

const read = (path: string): Notebook => JSON.parse(Deno.readTextFileSync(path));
const cells = (nb: Notebook) =>
  nb.cells.map((c) => ({ type: c.cell_type, source: text(c.source) }));

for (const file of notebookNames()) {
  Deno.test(`docs: docs/${file} is notebooks/${file} executed (run deno task docs if not)`, () => {
    let executed: Notebook;
    try {
      executed = read(join(DOCS, file));
    } catch {
      throw new Error(`docs/${file} is missing: run deno task docs`);
    }
    assert.deepEqual(cells(executed), cells(read(join(ROOT, "notebooks", file))));
    const code = executed.cells.filter((c) => c.cell_type === "code");
    assert.ok(
      code.length > 0 && code.every((c) => c.execution_count != null),
      "every code cell ran",
    );
    assert.ok(code.some((c) => (c.outputs ?? []).length > 0), "outputs are kept");
    assert.deepEqual(problems(executed), []);
    // Scrubbed: scrubbing again changes nothing, and no machine path is left.
    assert.deepEqual(scrubNotebook(executed), executed);
    const outputs = JSON.stringify(code.map((c) => c.outputs));
    for (const path of [ROOT, "/tmp/", Deno.env.get("HOME") ?? "/root"]) {
      assert.ok(!outputs.includes(path), `docs/${file} contains ${path}`);
    }
  });
}

Deno.test("docs: no executed notebook without its source notebook; the README lists them all", () => {
  const names = notebookNames();
  const docs = [...Deno.readDirSync(DOCS)].map((e) => e.name).filter((n) => n.endsWith(".ipynb"));
  assert.deepEqual(docs.filter((n) => !names.includes(n)), []);
  const readme = Deno.readTextFileSync(join(DOCS, "README.md"));
  for (const n of names) assert.ok(readme.includes(`](${n})`), `docs/README.md lists ${n}`);
});

Deno.test("docs: scrubbing makes paths relative and hides durations only", () => {
  assert.equal(
    scrubText(
      "Epoch 3/100 - 24/24 - 0s - loss: 0.6912 - 71ms/epoch - 3ms/step; 100% - 1:05 - 250us/step",
    ),
    "Epoch 3/100 - 24/24 - …s - loss: 0.6912 - …ms/epoch - …ms/step; 100% - … - …us/step",
  );
  assert.equal(
    scrubText(`saved ${ROOT}/out/a.svg, file://${ROOT}/lib/mod.ts and /tmp/dlnb-x1/y.svg`),
    "saved out/a.svg, lib/mod.ts and <tmp>",
  );
  assert.equal(
    scrubText("10 epochs, 3 rows, 2 features, in 1.5 s"),
    "10 epochs, 3 rows, 2 features, in … s",
  );
});
