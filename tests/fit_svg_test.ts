import assert from "node:assert/strict";
import { fitSvg, FIXED_MAX_WIDTH, naturalWidth } from "../lib/plot/fit_svg.ts";
import { waterfallPlot } from "../lib/plot/waterfall_plot.ts";
import { progressChartGeometry, progressChartSVG } from "../lib/plot/progress_chart.ts";
import { parseXml } from "./svg_xml.ts";

Deno.test("fitSvg: a wide figure keeps its viewBox, loses width and height, caps at its natural width", () => {
  assert.equal(
    fitSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="720" height="300" viewBox="0 0 720 300"><rect width="720" height="300"/></svg>',
    ),
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 300" style="max-width: 720px; height: auto"><rect width="720" height="300"/></svg>',
  );
  // Its own style is kept; a missing viewBox is added; Graphviz's points are CSS px * 3/4.
  assert.equal(
    fitSvg('<svg style="background: white" width="600" height="100">'),
    '<svg viewBox="0 0 600 100" style="background: white; max-width: 600px; height: auto">',
  );
  assert.equal(
    fitSvg('<svg width="664pt" height="470pt" viewBox="0.00 0.00 664.00 470.00">'),
    '<svg viewBox="0.00 0.00 664.00 470.00" style="max-width: 885.33px; height: auto">',
  );
});

Deno.test("fitSvg: a figure that fits every output area from a 600 px window up keeps its size", () => {
  const small =
    `<svg width="${FIXED_MAX_WIDTH}" height="200" viewBox="0 0 ${FIXED_MAX_WIDTH} 200"></svg>`;
  assert.equal(fitSvg(small), small);
  assert.equal(fitSvg("not an svg"), "not an svg");
  assert.equal(naturalWidth(small), FIXED_MAX_WIDTH);
  assert.equal(naturalWidth(fitSvg(small.replace(/480/g, "720"))), 720);
});

Deno.test("fitSvg: the lib's wide figures come out fitted, still valid XML", async () => {
  const e = {
    values: [0.3, -0.1],
    baseValue: 0.5,
    output: 0.7,
    featureNames: ["a", "b"],
    instance: [1, 2],
    link: "identity" as const,
  };
  const progress = progressChartSVG(
    progressChartGeometry({ loss: [0.7] }, 5, { title: "Epoch 1/5", status: "", lines: [] }, 0.2),
  );
  for (const svg of [waterfallPlot(e).toSVG(), progress]) {
    const [root] = await parseXml(svg);
    assert.equal(root.attrs.width, undefined);
    assert.match(root.attrs.style, /max-width: \d+px; height: auto$/);
    assert.match(root.attrs.viewBox, /^0 0 \d+ \d+$/);
  }
});
