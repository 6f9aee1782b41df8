import assert from "node:assert/strict";
import { join } from "node:path";
import { cellText, executeNotebook, findCell, problems, ROOT, text } from "../tools/jupyter.ts";
import { assertHistoryPlot, assertOneLiveDisplay } from "./notebook_asserts.ts";

Deno.test("notebook 05-training-regression runs through the deno kernel: MAE loss, R2, plot, evaluation", async () => {
  const nb = await executeNotebook(join(ROOT, "notebooks/05-training-regression.ipynb"));
  assert.deepEqual(problems(nb), []);
  assert.equal(cellText(findCell(nb, "r2(tf.tensor1d([1, 2, 3, 4])")).trim(), "R2: 0.8500");

  assert.match(
    assertOneLiveDisplay(findCell(nb, "const training = await train("), 100),
    /\nloss: 0\.\d{4} - R2: \S+\nval_loss: 0\.\d{4} - val_R2: \S+\nengine: fused$/,
  );
  assert.match(
    text(assertHistoryPlot(findCell(nb, "await plotHistory(training)"))["text/plain"]),
    /loss on the left axis \(black\) and R2 on the right axis/,
  );
  const noise = cellText(findCell(nb, "evaluate(model, data.x.slice(700)"));
  assert.match(noise, /^Evaluation: regression, 300 rows\n\nmetric +value\nMAE +0\.\d{4}\nMSE/);
  const r2Noise = Number(noise.match(/R2 +(-?\d\.\d+)/)![1]);
  assert.ok(r2Noise < 0.05, `nothing to learn in noise: R2 ${r2Noise}`);

  assertOneLiveDisplay(findCell(nb, "const ruleTraining = await train("), 100);
  assertHistoryPlot(findCell(nb, "await plotHistory(ruleTraining)"));
  const r2Rule = Number(cellText(findCell(nb, "evaluate(ruleModel")).match(/R2 +(-?\d\.\d+)/)![1]);
  assert.ok(r2Rule > 0.5, `a learnable target: R2 ${r2Rule}`);
});
