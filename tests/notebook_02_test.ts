import assert from "node:assert/strict";
import { join } from "node:path";
import { cellText, executeNotebook, findCell, problems, ROOT } from "../tools/jupyter.ts";

Deno.test("notebook 02-deep-neural-networks runs through the deno kernel with Keras's counts", async () => {
  const nb = await executeNotebook(join(ROOT, "notebooks/02-deep-neural-networks.ipynb"));
  assert.deepEqual(problems(nb), []);
  assert.match(cellText(findCell(nb, "hiddenUnits(features)")), /│ +3 │ +10 │ +6 │ +3 │/);
  const sequential = cellText(
    findCell(nb, `deepNN({ features: 10, task: "classification", seed: 42 })`),
  );
  for (
    const row of [
      /h1 \(Dense\) +│ \(None, 6\) +│ +66 │/,
      /h2 \(Dense\) +│ \(None, 3\) +│ +21 │/,
      /output \(Dense\) +│ \(None, 1\) +│ +4 │/,
    ]
  ) {
    assert.match(sequential, row);
  }
  assert.match(sequential, /Total params: 91 \(364\.00 B\)/);
  const functional = cellText(findCell(nb, `style: "functional", seed: 42`));
  assert.match(functional, /input \(InputLayer\) +│ \(None, 10\) +│ +0 │/);
  assert.match(functional, /Total params: 91 \(364\.00 B\)/);
  assert.match(
    cellText(findCell(nb, `perceptron({ inputs: 3, style: "functional" })`)),
    /Total params: 4 /,
  );
  const same = cellText(findCell(nb, "sameWeights"));
  assert.equal((same.match(/│ true +│/g) ?? []).length, 5);
  assert.match(cellText(findCell(nb, `task: "regression"`)), /"linear"/);
  assert.match(
    cellText(findCell(nb, "features: 2.5")),
    /deepNN: features must be a positive integer, got 2\.5/,
  );
});
