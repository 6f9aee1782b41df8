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
import { countBy, parseXml, select, type XmlElement } from "./svg_xml.ts";

/** The one SVG a cell shows, parsed strictly. */
async function svgOf(cell: NotebookCell): Promise<XmlElement[]> {
  const svgs = (cell.outputs ?? []).map((o) => text(o.data?.["image/svg+xml"])).filter((s) => s);
  assert.equal(svgs.length, 1, `expected one SVG in: ${text(cell.source).slice(0, 80)}`);
  for (const o of cell.outputs ?? []) assert.equal(o.data?.["text/html"], undefined);
  return await parseXml(svgs[0]);
}

const neurons = (all: XmlElement[]) => countBy(select(all, "circle", "neuron"), "data-column");
const links = (all: XmlElement[]) => countBy(select(all, "line", "link"), "data-column");

Deno.test("notebook 03-visualization runs through the deno kernel and draws the article's figures", async () => {
  const nb = await executeNotebook(join(ROOT, "notebooks/03-visualization.ipynb"));
  assert.deepEqual(problems(nb), []);

  // Layer tables.
  const perceptronTable = cellText(findCell(nb, "const perceptronModel"));
  assert.match(perceptronTable, /^input +InputLayer +3 +0 +3 +- +- +-$/m);
  assert.match(perceptronTable, /^output +Dense +3 +1 +1 +linear +\[\[1\],\[1\],\[1\]\] +\[0\]$/m);
  const deepTable = cellText(findCell(nb, "layerTable(deep);"));
  assert.match(deepTable, /^h1 +Dense +10 +6 +6 +relu +10 × 6 +\[0,0,0,0,0,0\]$/m);
  assert.match(deepTable, /^drop2 +Dropout +3 +0 +3 +- +- +-$/m);

  // The article's two neuron diagrams, with descriptions.
  const perceptronSvg = await svgOf(findCell(nb, "visualizeNN(perceptronModel"));
  assert.deepEqual(neurons(perceptronSvg), { "0": 3, "1": 1 });
  assert.deepEqual(links(perceptronSvg), { "1": 3 });
  assert.deepEqual(
    select(perceptronSvg, "text", "description").map((t) => t.text),
    ["input", "output", "linear (", "Σ3[X*w]+b", ") = 1 Y"],
  );
  const deepSvg = await svgOf(findCell(nb, "visualizeNN(deep,"));
  assert.deepEqual(neurons(deepSvg), { "0": 10, "1": 6, "2": 6, "3": 3, "4": 3, "5": 1 });
  assert.deepEqual(links(deepSvg), { "1": 60, "2": 6, "3": 18, "4": 3, "5": 3 });
  assert.ok(select(deepSvg, "text", "description").some((t) => t.text === "Σ10[X*w]+b"));

  // Keras's plot_model for both.
  const perceptronPlot = await svgOf(findCell(nb, "await plotModel(perceptronModel)"));
  assert.equal(select(perceptronPlot, "g", "node").length, 2);
  assert.equal(select(perceptronPlot, "g", "edge").length, 1);
  const deepPlot = await svgOf(findCell(nb, "await plotModel(deep)"));
  assert.deepEqual(
    select(deepPlot, "g", "node").map((n) => n.attrs["data-layer"]),
    ["input", "h1", "drop1", "h2", "drop2", "output"],
  );
  assert.equal(select(deepPlot, "g", "edge").length, 5);
  assert.ok(select(deepPlot, "text").some((t) => t.text === "Output shape: (None, 6)"));

  // A wide network, collapsed.
  const wide = findCell(nb, "visualizeNN(mnistMLP");
  const wideSvg = await svgOf(wide);
  assert.deepEqual(neurons(wideSvg), { "0": 12, "1": 12, "2": 12, "3": 10 });
  assert.deepEqual(
    select(wideSvg, "text", "collapsed-count").map((t) => t.text),
    ["+772", "+500", "+244"],
  );
  assert.match(cellText(wide), /784 inputs, 12 drawn \(X1\.\.X784, \+772 collapsed\)/);

  // The branching model: one node per layer, one edge per connection.
  const branching = findCell(nb, "await plotModel(twoHeads");
  const branchingSvg = await svgOf(branching);
  assert.equal(select(branchingSvg, "g", "node").length, 8);
  assert.equal(select(branchingSvg, "g", "edge").length, 7);
  assert.match(cellText(branching), /merge \(Concatenate\): .* <- numeric_dense, text_dense/);
  assert.match(
    cellText(findCell(nb, "visualizeNN(twoHeads)")),
    /visualizeNN: model "TwoHeads" is not a single chain of layers.*plotModel\(model\)/,
  );

  // Trained weights on the diagram.
  assert.match(
    cellText(findCell(nb, "small.fit(")),
    /training accuracy after 30 epochs: 0\.9\d\d/,
  );
  const trained = findCell(nb, "visualizeNN(small");
  const trainedSvg = await svgOf(trained);
  const weighted = select(trainedSvg, "line", "link");
  assert.equal(weighted.length, 16);
  assert.ok(weighted.every((l) => l.attrs["data-weight"] !== undefined));
  assert.deepEqual(
    [...new Set(weighted.map((l) => l.attrs.stroke))].sort(),
    ["#0877bd", "#e8710a"],
  );
  assert.equal(select(trainedSvg, "g", "legend").length, 1);
  // What the markdown reads off the diagram: X3's link has the opposite sign to X2's in every
  // hidden neuron, X2's is the widest in three of four, H2/H3 feed the output positively.
  const w = (column: number, from: number, to: number) =>
    Number(
      weighted.find((l) =>
        l.attrs["data-column"] === `${column}` && l.attrs["data-from"] === `${from}` &&
        l.attrs["data-to"] === `${to}`
      )!.attrs["data-weight"],
    );
  for (let h = 0; h < 4; h++) assert.ok(Math.sign(w(1, 2, h)) === -Math.sign(w(1, 1, h)));
  const widestFromX2 = [0, 1, 2, 3].filter((h) =>
    Math.abs(w(1, 1, h)) > Math.max(Math.abs(w(1, 0, h)), Math.abs(w(1, 2, h)))
  );
  assert.equal(widestFromX2.length, 3);
  assert.deepEqual([0, 1, 2, 3].map((h) => Math.sign(w(2, h, 0))), [-1, 1, 1, -1]);
  assert.deepEqual([1, 2].map((h) => Math.sign(w(1, 1, h))), [1, 1]);
  assert.deepEqual([0, 3].map((h) => Math.sign(w(1, 1, h))), [-1, -1]);
  assert.match(cellText(trained), /Links show weights: blue positive, orange negative/);
});
