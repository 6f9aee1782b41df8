import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cellText,
  executeNotebook,
  findCell,
  type NotebookCell,
  problems,
  ROOT,
  text,
} from "../tools/jupyter.ts";

const VEGALITE = "application/vnd.vegalite.v5+json";

/** The training cell shows ONE display, updated in place to the final epoch (not one output per epoch). */
function assertOneLiveDisplay(cell: NotebookCell): string {
  const outs = cell.outputs ?? [];
  assert.equal(outs.length, 1, `one output, got ${outs.map((o) => o.output_type).join(", ")}`);
  assert.equal(outs[0].output_type, "display_data");
  assert.deepEqual(Object.keys(outs[0].data ?? {}).sort(), ["image/svg+xml", "text/plain"]);
  const plain = text(outs[0].data!["text/plain"]);
  assert.match(
    plain,
    /^Epoch 100\/100 \[={30}\] 100% - \d+s - \d+(ms|us)\/step\nloss: 0\.\d{4} - R2: \S+\nval_loss: 0\.\d{4} - val_R2: \S+\nengine: fused$/,
  );
  return plain;
}

function assertPlot(cell: NotebookCell): void {
  const data = (cell.outputs ?? [])[0]?.data ?? {};
  assert.equal((cell.outputs ?? []).length, 1);
  assert.deepEqual(Object.keys(data).sort(), [VEGALITE, "image/svg+xml", "text/plain"].sort()); // no text/html
  const spec = data[VEGALITE] as { hconcat: { title: string }[] };
  assert.deepEqual(spec.hconcat.map((p) => p.title), ["Training", "Validation"]);
  assert.match(
    text(data["text/plain"]),
    /loss on the left axis \(black\) and R2 on the right axis/,
  );
}

Deno.test("notebook 05-training-regression runs through the deno kernel: MAE loss, R2, plot, evaluation", async () => {
  const nb = await executeNotebook(join(ROOT, "notebooks/05-training-regression.ipynb"));
  assert.deepEqual(problems(nb), []);
  assert.equal(cellText(findCell(nb, "r2(tf.tensor1d([1, 2, 3, 4])")).trim(), "R2: 0.8500");

  assertOneLiveDisplay(findCell(nb, "const training = await train("));
  assertPlot(findCell(nb, "await plotHistory(training)"));
  const noise = cellText(findCell(nb, "evaluate(model, data.x.slice(700)"));
  assert.match(noise, /^Evaluation: regression, 300 rows\n\nmetric +value\nMAE +0\.\d{4}\nMSE/);
  const r2Noise = Number(noise.match(/R2 +(-?\d\.\d+)/)![1]);
  assert.ok(r2Noise < 0.05, `nothing to learn in noise: R2 ${r2Noise}`);

  assertOneLiveDisplay(findCell(nb, "const ruleTraining = await train("));
  assertPlot(findCell(nb, "await plotHistory(ruleTraining)"));
  const r2Rule = Number(cellText(findCell(nb, "evaluate(ruleModel")).match(/R2 +(-?\d\.\d+)/)![1]);
  assert.ok(r2Rule > 0.5, `a learnable target: R2 ${r2Rule}`);
});
