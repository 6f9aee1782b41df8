import assert from "node:assert/strict";
import { join } from "node:path";
import { cellText, executeNotebook, findCell, problems, ROOT, text } from "../tools/jupyter.ts";
import { assertHistoryPlot, assertOneLiveDisplay } from "./notebook_asserts.ts";

Deno.test("notebook 04-training-classification runs through the deno kernel: live training, plot, evaluation", async () => {
  const nb = await executeNotebook(join(ROOT, "notebooks/04-training-classification.ipynb"));
  assert.deepEqual(problems(nb), []);

  assert.equal(
    cellText(findCell(nb, "for (const metric of [precision, recall, f1])")).trim(),
    "Precision: 0.6667\nRecall: 0.5000\nF1: 0.5714",
  );
  assert.match(
    cellText(findCell(nb, "const data = randomData(")),
    /x: 1000 rows of 10 features; y: \d+ ones and \d+ zeros/,
  );

  const live = assertOneLiveDisplay(findCell(nb, "const training = await train("), 100);
  assert.match(
    live,
    /\nloss: 0\.\d{4} - accuracy: 0\.\d{4} - F1: \S+\nval_loss: 0\.\d{4} - val_accuracy: 0\.\d{4} - val_F1: \S+\nengine: fused$/,
  );
  assert.match(
    cellText(
      nb.cells.find((c) =>
        c.cell_type === "code" && text(c.source).trim().replace(/;$/, "") === "training"
      )!,
    ),
    /History: 100 epochs on 700 rows \(300 validation\), batch 30, seed 42, engine fused/,
  );
  assertHistoryPlot(findCell(nb, "await plotHistory(training)"));

  const evaluation = findCell(nb, "evaluate(model, data.x.slice(700)");
  assert.match(
    cellText(evaluation),
    /^Evaluation: classification, 300 rows, predicted 1 when score > 0.5/,
  );
  assert.match(text(evaluation.outputs![0].data!["text/html"]), /class="dlnb-confusion"/);

  // The contrast run learns: its evaluation is well above chance.
  assertOneLiveDisplay(findCell(nb, "const ruleTraining = await train("), 100);
  assertHistoryPlot(findCell(nb, "await plotHistory(ruleTraining)"));
  const accuracy = Number(
    cellText(findCell(nb, "evaluate(ruleModel")).match(/accuracy +(\d\.\d+)/)![1],
  );
  assert.ok(accuracy > 0.85, `accuracy ${accuracy}`);
});
