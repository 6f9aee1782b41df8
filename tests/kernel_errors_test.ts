// In the real Deno kernel, a bad argument to train() or plotModel() called without `await`
// shows in the cell that made the call (issue 12, item 9): the error is thrown at the call,
// not in a promise nobody awaits.
import assert from "node:assert/strict";
import { join } from "node:path";
import { executeNotebook, makeNotebook, problems, ROOT, writeNotebook } from "../tools/jupyter.ts";

Deno.test("kernel: train() and plotModel() without await show their argument error in their cell", async () => {
  const dir = await Deno.makeTempDir({ dir: join(ROOT, "tests"), prefix: ".nb-" });
  const path = join(dir, "no_await.ipynb");
  writeNotebook(
    path,
    makeNotebook([
      { code: `import { deepNN, plotModel, randomData, train } from "../../lib/mod.ts";` },
      {
        code: `const model = deepNN({ features: 10, seed: 1 });
model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
const { x, y } = randomData({ rows: 20, seed: 1 });`,
      },
      { code: `train(model, x, y, { epoch: 5 } as never);` },
      { code: `plotModel(model, { rankdir: "XY" as never });` },
      { code: `"after the errors"` },
    ]),
  );
  try {
    const nb = await executeNotebook(path, { allowErrors: true });
    const found = problems(nb);
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(
      found[0],
      /^cell 2: ArgumentError: train: unknown option "epoch" \(did you mean "epochs"\?\)/,
    );
    assert.match(found[1], /^cell 3: ArgumentError: plotModel: rankdir must be one of "TB", "LR"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
