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
  // The display first showed "Epoch 0/100 ... starting"; it now shows the end of the run.
  assert.match(plain, /^Epoch 100\/100 \[={30}\] 100% - \d+s - \d+(ms|us)\/step\n/);
  assert.match(
    text(outs[0].data!["image/svg+xml"]),
    /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>.*Epoch 100\/100/s,
  );
  return plain;
}

function assertPlot(cell: NotebookCell): void {
  const outs = cell.outputs ?? [];
  assert.equal(outs.length, 1);
  const data = outs[0].data ?? {};
  assert.deepEqual(Object.keys(data).sort(), [VEGALITE, "image/svg+xml", "text/plain"].sort()); // no text/html
  const spec = data[VEGALITE] as { hconcat: { title: string }[] };
  assert.deepEqual(spec.hconcat.map((p) => p.title), ["Training", "Validation"]);
  const svg = text(data["image/svg+xml"]);
  assert.ok(svg.includes(">Training</text>") && svg.includes(">Validation</text>"));
}

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

  const live = assertOneLiveDisplay(findCell(nb, "const training = await train("));
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
  assertPlot(findCell(nb, "await plotHistory(training)"));

  const evaluation = findCell(nb, "evaluate(model, data.x.slice(700)");
  assert.match(
    cellText(evaluation),
    /^Evaluation: classification, 300 rows, predicted 1 when score > 0.5/,
  );
  assert.match(text(evaluation.outputs![0].data!["text/html"]), /class="dlnb-confusion"/);

  // The contrast run learns: its evaluation is well above chance.
  assertOneLiveDisplay(findCell(nb, "const ruleTraining = await train("));
  assertPlot(findCell(nb, "await plotHistory(ruleTraining)"));
  const accuracy = Number(
    cellText(findCell(nb, "evaluate(ruleModel")).match(/accuracy +(\d\.\d+)/)![1],
  );
  assert.ok(accuracy > 0.85, `accuracy ${accuracy}`);
});
