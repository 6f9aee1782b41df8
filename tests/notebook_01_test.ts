import assert from "node:assert/strict";
import { join } from "node:path";
import { cellText, executeNotebook, findCell, problems, ROOT } from "../tools/jupyter.ts";

Deno.test("notebook 01-perceptron runs through the deno kernel and shows the article's results", async () => {
  const nb = await executeNotebook(join(ROOT, "notebooks/01-perceptron.ipynb"));
  assert.deepEqual(problems(nb), []);
  const summaryCell = findCell(
    nb,
    `perceptron({ inputs: 3, activation: "linear", initializer: "ones" })`,
  );
  assert.match(cellText(summaryCell), /│ dense \(Dense\) +│ \(None, 1\) +│ +4 │/);
  assert.match(cellText(summaryCell), /Total params: 4 \(16\.00 B\)/);
  assert.ok(
    summaryCell.outputs!.some((o) => o.data?.["text/html"]),
    "the summary renders as an HTML table",
  );
  const layers = findCell(nb, "layerTable(model)");
  assert.match(cellText(layers), /^dense +Dense +3 +1 +1 +linear +\[\[1\],\[1\],\[1\]\] +\[0\]$/m);
  assert.ok(layers.outputs!.some((o) => o.data?.["text/html"]), "the layer table renders as HTML");
  assert.equal(
    cellText(findCell(nb, "const predictions")).trim(),
    "1 + 2 + 3 = 6\n0.5 + -1 + 2 = 1.5\n-1 + -2 + 0.5 = -2.5",
  );
  assert.equal(
    cellText(findCell(nb, "const steps")).trim(),
    "sum 6 -> step 1\nsum 1.5 -> step 1\nsum -2.5 -> step 0",
  );
});
