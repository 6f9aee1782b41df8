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

/** The SVG a cell displays (throws if it shows none). */
function svgOf(cell: NotebookCell): string {
  const output = (cell.outputs ?? []).find((o) => o.data?.["image/svg+xml"] !== undefined);
  assert.ok(output, "the cell shows an SVG figure");
  assert.equal(output.data?.["text/html"], undefined, "figures carry no text/html");
  return text(output.data?.["image/svg+xml"]);
}

/** A number printed after `label` in `output`. */
function numberAfter(output: string, label: RegExp): number {
  const match = output.match(new RegExp(label.source + String.raw`\s+(-?[\d.]+(?:e[-+]?\d+)?)`));
  assert.ok(match, `no number after ${label}`);
  return Number(match[1]);
}

Deno.test("notebook 06-explain-shap explains predictions through the deno kernel", async () => {
  // Not timed: explanation speed is the bench's (bench/explain_bench.ts), not a test's.
  const nb = await executeNotebook(join(ROOT, "notebooks/06-explain-shap.ipynb"));
  assert.deepEqual(problems(nb), []);

  // The article's call: a decision plot in probability over the top 10 features.
  const decision = findCell(nb, "explainerShap(classifier");
  assert.match(
    cellText(decision),
    /^Decision plot \(probability axis, contributions in log-odds\)/,
  );
  assert.equal(cellText(decision).match(/^ {2}x\d+ = /gm)?.length, 10);
  // Training is seeded, so the explanation is the same every run: it finds the label's rule
  // (x1 + x2 - x3 > 0.5) and ranks those three features first.
  const ranked = (cell: NotebookCell) =>
    [...cellText(cell).matchAll(/^ {2}(x\d+) = /gm)].map((m) => m[1]);
  assert.deepEqual(ranked(decision).slice(0, 3).sort(), ["x1", "x2", "x3"]);
  const decisionSvg = svgOf(decision);
  assert.match(decisionSvg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(decisionSvg, /model output \(probability\)/);
  assert.equal(decisionSvg.match(/<path stroke="#(ff0051|008bfb)"/g)?.length, 10);

  // Regression: a waterfall from E[f(X)] to f(x).
  const waterfall = findCell(nb, "explainerShap(regressor");
  assert.match(cellText(waterfall), /^Waterfall plot \(model output\): E\[f\(X\)\] = /);
  assert.match(svgOf(waterfall), /class="shap-bar"/);
  // The target is 2 x1 - x2 + x3 x4: those four features come first.
  assert.deepEqual(ranked(waterfall).slice(0, 4).sort(), ["x1", "x2", "x3", "x4"]);

  // Efficiency, printed by the notebook.
  const efficiency = cellText(findCell(nb, "sum of SHAP values"));
  assert.match(efficiency, /method +exact \(1024 coalitions, 102400 model rows\)/);
  const gap = numberAfter(efficiency, /f\(x\) - E\[f\(X\)\]/);
  const total = numberAfter(efficiency, /sum of SHAP values/);
  assert.ok(Math.abs(gap - total) < 1e-5);
  assert.ok(numberAfter(efficiency, /difference/) < 1e-5);

  assert.match(cellText(findCell(nb, "barPlot(e")), /^Bar plot \(SHAP value \(log-odds\)\)/);

  // 30 features go to Kernel SHAP with the default budget (2M + 2048, plus ∅ and all).
  const wide = cellText(findCell(nb, "features: 30"));
  assert.match(wide, /^kernel: 2110 coalitions for 30 features/m);
  assert.match(wide, /20 other features: /);

  // Kernel SHAP agrees with exact values on 12 features within 1% of the output range.
  const agreement = cellText(findCell(nb, "exact12"));
  assert.match(agreement, /exact: 4096 coalitions, kernel: 2074/);
  const share = agreement.match(/= ([\d.]+)% of the output range/);
  assert.ok(share && Number(share[1]) < 1, agreement);

  const leak = cellText(findCell(nb, "tensorsBefore"));
  const [, before, after] = leak.match(/tensors before explain: (\d+), after: (\d+)/) ?? [];
  assert.equal(after, before);
});
