import assert from "node:assert/strict";
import { tf } from "../lib/core/tf.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";
import { deepNN, perceptron } from "../lib/build/models.ts";
import { modelDiagram, plotModel, type RankDir } from "../lib/describe/plot_model.ts";
import { layoutDot, modelDot } from "../lib/plot/model_graph.ts";
import { textWidth } from "../lib/core/text_width.ts";
import { parseXml, select, type XmlElement } from "./svg_xml.ts";

/** Two inputs, a branch each, a concatenate, a shared trunk and two output heads. */
function branching(name = "TwoHeads"): tf.LayersModel {
  const numeric = tf.input({ name: "numeric", shape: [8] });
  const text = tf.input({ name: "text", shape: [16] });
  const dense = (n: string, units: number, activation: "relu" | "linear" | "softmax") =>
    tf.layers.dense({ name: n, units, activation });
  const a = dense("num_dense", 8, "relu").apply(numeric) as tf.SymbolicTensor;
  const b = dense("text_dense", 8, "relu").apply(text) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: "merge" }).apply([a, b]) as tf.SymbolicTensor;
  const trunk = dense("trunk", 12, "relu").apply(merged) as tf.SymbolicTensor;
  const price = dense("price", 1, "linear").apply(trunk) as tf.SymbolicTensor;
  const category = dense("category", 3, "softmax").apply(trunk) as tf.SymbolicTensor;
  return tf.model({ name, inputs: [numeric, text], outputs: [price, category] });
}

const nodesOf = (all: XmlElement[]) => select(all, "g", "node");
const edgesOf = (all: XmlElement[]) => select(all, "g", "edge");

Deno.test("branching model: one node per layer, one edge per connection", async () => {
  const fig = await plotModel(branching());
  const all = await parseXml(fig.toSVG());
  const nodes = nodesOf(all);
  assert.deepEqual(nodes.map((n) => n.attrs["data-layer"]).sort(), [
    "category",
    "merge",
    "num_dense",
    "numeric",
    "price",
    "text",
    "text_dense",
    "trunk",
  ]);
  assert.deepEqual(
    edgesOf(all).map((e) => `${e.attrs["data-from"]}->${e.attrs["data-to"]}`).sort(),
    [
      "merge->trunk",
      "num_dense->merge",
      "numeric->num_dense",
      "text->text_dense",
      "text_dense->merge",
      "trunk->category",
      "trunk->price",
    ],
  );
  // Each edge is drawn: a path and an arrowhead.
  for (const edge of edgesOf(all)) assert.ok(edge.text.includes("→"));
  assert.equal(select(all, "path").length, 7);
  const merge = nodes.find((n) => n.attrs["data-layer"] === "merge")!;
  assert.equal(merge.attrs["data-class"], "Concatenate");
  assert.match(merge.text, /merge \(Concatenate\)/);
  assert.match(merge.text, /Input shape: \[\(None, 8\), \(None, 8\)\]/);
  assert.match(merge.text, /Output shape: \(None, 16\)/);
  assert.match(
    String(fig),
    /^Layer graph of "TwoHeads": 8 layers, 7 connections \(TB\)\n/,
  );
  assert.match(String(fig), /merge \(Concatenate\): .* <- num_dense, text_dense/);
});

Deno.test("Graphviz lays the branches side by side and the layers top to bottom", async () => {
  const all = await parseXml((await plotModel(branching())).toSVG());
  // Header polygons give each node's box; Graphviz's y grows upwards (negative values).
  const top = (layer: string) => {
    const node = nodesOf(all).find((n) => n.attrs["data-layer"] === layer)!;
    const index = all.indexOf(node);
    const polygon = all.slice(index).find((e) => e.tag === "polygon")!;
    const points = polygon.attrs.points.split(" ").map((p) => p.split(",").map(Number));
    return { x: Math.min(...points.map((p) => p[0])), y: Math.min(...points.map((p) => p[1])) };
  };
  assert.equal(top("numeric").y, top("text").y);
  assert.ok(top("numeric").x !== top("text").x);
  assert.ok(top("numeric").y < top("num_dense").y);
  assert.ok(top("num_dense").y < top("merge").y);
  assert.ok(top("merge").y < top("trunk").y);
  assert.ok(top("trunk").y < top("price").y);
  assert.equal(top("price").y, top("category").y);
});

Deno.test("DeepNN: Keras's tables, name (Class) with input and output shapes", async () => {
  const model = deepNN({ features: 10 });
  const d = modelDiagram(model);
  assert.deepEqual(d.nodes.map((n) => n.header), [
    "input (InputLayer)",
    "h1 (Dense)",
    "drop1 (Dropout)",
    "h2 (Dense)",
    "drop2 (Dropout)",
    "output (Dense)",
  ]);
  assert.deepEqual(d.nodes[1].rows, [["Input shape: (None, 10)", "Output shape: (None, 6)"]]);
  assert.deepEqual(d.edges, [
    { from: 0, to: 1 },
    { from: 1, to: 2 },
    { from: 2, to: 3 },
    { from: 3, to: 4 },
    { from: 4, to: 5 },
  ]);
  const all = await parseXml((await plotModel(model)).toSVG());
  assert.equal(nodesOf(all).length, 6);
  assert.equal(edgesOf(all).length, 5);
  const texts = select(all, "text").map((t) => t.text);
  for (const t of ["h1 (Dense)", "Input shape: (None, 10)", "Output shape: (None, 6)"]) {
    assert.ok(texts.includes(t), t);
  }
  // The name in bold and the class as runs of one text, laid out by the browser's font.
  const runs = select(all, "tspan").map((t) => [t.text, t.attrs["font-weight"] ?? "normal"]);
  assert.ok(runs.some(([t, w]) => t === "h1" && w === "bold"));
  assert.ok(runs.some(([t, w]) => t === " (Dense)" && w === "normal"));
  // The functional perceptron: its InputLayer is the model's own, not added again.
  const p = modelDiagram(perceptron({ style: "functional" }));
  assert.deepEqual(p.nodes.map((n) => n.header), ["input (InputLayer)", "output (Dense)"]);
});

Deno.test("options: shapes, names, dtype, activations, trainable and direction", async () => {
  const model = deepNN({ features: 10 });
  const rows = (o: Parameters<typeof modelDiagram>[1]) => modelDiagram(model, o).nodes[1].rows;
  assert.deepEqual(rows({ showShapes: false }), []);
  assert.equal(modelDiagram(model, { showLayerNames: false }).nodes[1].header, "Dense");
  assert.deepEqual(rows({ showShapes: false, showDtype: true }), [["dtype: float32"]]);
  assert.deepEqual(rows({ showShapes: false, showLayerActivations: true }), [["Activation: relu"]]);
  assert.deepEqual(
    modelDiagram(model, { showShapes: false, showLayerActivations: true }).nodes[2].rows,
    [],
  );
  assert.deepEqual(rows({ showShapes: false, showTrainable: true }), [["Trainable: true"]]);
  assert.deepEqual(
    modelDiagram(model, { showShapes: false, showTrainable: true }).nodes[0].rows,
    [["Trainable: false"]],
  );
  // A one-cell row spans the two shape columns.
  const dot = modelDot(modelDiagram(model, { showLayerActivations: true }));
  assert.match(dot, /<tr><td colspan="2" width="\d+">Activation: relu<\/td><\/tr>/);
  assert.match(dot, /rankdir=TB/);
  const svgSize = async (rankdir: "TB" | "LR") => {
    const [root] = await parseXml((await plotModel(model, { rankdir })).toSVG());
    const [, , w, h] = root.attrs.viewBox.split(" ").map(Number);
    return { w, h };
  };
  const tb = await svgSize("TB");
  const lr = await svgSize("LR");
  assert.ok(tb.h > tb.w);
  assert.ok(lr.w > lr.h);
  const noNames = await parseXml((await plotModel(model, { showLayerNames: false })).toSVG());
  assert.ok(!select(noNames, "text").some((t) => t.text === "h1"));
  assert.equal(nodesOf(noNames)[1].attrs["data-layer"], "h1");
});

Deno.test("escaping: layer and model names show as text in DOT labels and in the SVG", async () => {
  const model = branching(`a&b "c" <i>`);
  (model.getLayer("num_dense") as unknown as { name: string }).name = "<script>alert(1)</script>";
  (model.getLayer("trunk") as unknown as { name: string }).name = `a&b "c"`;
  const d = modelDiagram(model);
  const dot = modelDot(d);
  assert.ok(!dot.includes("<script>"));
  assert.match(dot, /<b>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/b> \(Dense\)/);
  assert.match(dot, /<b>a&amp;b &quot;c&quot;<\/b> \(Dense\)/);
  const fig = await plotModel(model);
  const svg = fig.toSVG();
  assert.ok(!svg.includes("<script"));
  assert.ok(!svg.includes("<i>"));
  const all = await parseXml(svg);
  const texts = select(all, "tspan").map((t) => t.text);
  assert.ok(texts.includes("<script>alert(1)</script>"));
  assert.ok(texts.includes(`a&b "c"`));
  assert.ok(texts.includes(`a&b "c" <i>`));
  assert.equal(select(all, "script").length, 0);
  assert.equal(select(all, "i").length, 0);
  const layers = nodesOf(all).map((n) => n.attrs["data-layer"]);
  assert.ok(layers.includes("<script>alert(1)</script>"));
  assert.ok(layers.includes(`a&b "c"`));
  assert.ok(
    edgesOf(all).some((e) =>
      e.attrs["data-from"] === "<script>alert(1)</script>" && e.attrs["data-to"] === "merge"
    ),
  );
  assert.ok(select(all, "title").some((t) => t.text === "<script>alert(1)</script> (Dense)"));
  assert.equal(all[0].attrs["aria-label"], `Layer graph: a&b "c" <i>`);
  assert.match(String(fig), /<script>alert\(1\)<\/script> \(Dense\)/);
});

Deno.test("escaping: plain diagram data with markup in its attributes stays an attribute value", async () => {
  const evil = `red" onload="alert(1)`;
  const d = modelDiagram(perceptron());
  d.nodes[0].fill = evil;
  d.rankdir = `LR" onload="alert(1)` as RankDir; // users can build the data by hand
  const dot = modelDot(d);
  assert.ok(!dot.includes(evil));
  assert.match(dot, /bgcolor="red&quot; onload=&quot;alert\(1\)"/);
  assert.match(dot, /rankdir="LR&quot; onload=&quot;alert\(1\)"/);
  const all = await parseXml(await layoutDot(dot));
  assert.ok(all.every((e) => !("onload" in e.attrs)));
  // A backslash cannot escape the closing quote of a DOT string.
  d.rankdir = "TB\\" as RankDir;
  assert.match(modelDot(d), /rankdir="TB&#92;"/);
  await layoutDot(modelDot(d));
});

Deno.test("the SVG is standalone, valid XML, with fonts named and Graphviz's ids removed", async () => {
  for (const model of [perceptron(), deepNN({ features: 10 }), branching()]) {
    const fig = await plotModel(model, { showDtype: true, showTrainable: true, rankdir: "LR" });
    const svg = fig.toSVG();
    assert.ok(svg.startsWith("<svg "));
    assert.ok(!svg.includes("<!DOCTYPE") && !svg.includes("<!--") && !svg.includes("<?xml"));
    const all = await parseXml(svg);
    const root = all[0];
    assert.equal(root.ns, "http://www.w3.org/2000/svg");
    assert.match(root.attrs.viewBox, /^0\.00 0\.00 [\d.]+ [\d.]+$/);
    assert.equal(root.attrs["font-family"], "Helvetica, Arial, sans-serif");
    for (const t of select(all, "text")) {
      assert.equal(t.attrs["font-family"], "Helvetica, Arial, sans-serif");
    }
    assert.ok(all.every((e) => e.attrs.id === undefined));
    const bundle = fig[JUPYTER_DISPLAY]();
    assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/plain"]);
  }
});

Deno.test("title: the model name by default, custom or none", async () => {
  const model = deepNN({ features: 4 });
  const header = async (title?: string) => {
    const all = await parseXml((await plotModel(model, { title })).toSVG());
    return select(all, "text").filter((t) => t.attrs["font-size"] === "14.00").map((t) => t.text);
  };
  assert.deepEqual(await header(), ["DeepNN"]);
  assert.deepEqual(await header("Mine"), ["Mine"]);
  assert.deepEqual(await header(""), []);
});

Deno.test("layoutDot reports Graphviz errors", async () => {
  await assert.rejects(
    layoutDot("digraph { a -> }"),
    /plotModel: Graphviz could not lay out the graph/,
  );
});

Deno.test("bad input: ArgumentErrors naming plotModel, no leaked tensors", async () => {
  const model = deepNN({ features: 4 });
  const before = tf.memory().numTensors;
  const cases: [() => unknown, RegExp][] = [
    [() => plotModel(tf.sequential({ name: "empty" })), /^plotModel: model "empty" is not built/],
    [
      () => plotModel(42 as unknown as tf.LayersModel),
      /^plotModel: model must be a tfjs LayersModel.*got 42/,
    ],
    [
      () => plotModel(model, { rankdir: "BT" as "TB" }),
      /^plotModel: rankdir must be one of "TB", "LR", got "BT"$/,
    ],
    [
      () => plotModel(model, { showShapes: "yes" as unknown as boolean }),
      /^plotModel: showShapes must be true or false, got "yes"$/,
    ],
    [
      () => plotModel(model, { showTrainable: 0 as unknown as boolean }),
      /^plotModel: showTrainable must be true or false, got 0$/,
    ],
    [
      () => plotModel(model, { title: 1 as unknown as string }),
      /^plotModel: title must be a string, got 1$/,
    ],
    [
      () => plotModel(model, [] as unknown as object),
      /^plotModel: options must be an object, got an array of length 0$/,
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws( // at the call, not in the promise
      call,
      (e: unknown) => e instanceof ArgumentError && message.test(e.message),
    );
  }
  assert.throws(() => modelDiagram(model, { rankdir: "RL" as "LR" }), ArgumentError);
  await plotModel(model, { showDtype: true });
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("a $ in the title is text: well-formed SVG with the title as given", async () => {
  const model = perceptron();
  for (const title of ["Revenue in US$'000", "$& $1 $$ $` $'"]) {
    const svg = (await plotModel(model, { title })).toSVG();
    const all = await parseXml(svg); // throws on malformed XML
    assert.equal(all[0].attrs["aria-label"], `Layer graph: ${title}`);
    assert.ok(select(all, "title").some((t) => t.text === `Layer graph: ${title}`));
    assert.ok(select(all, "text").some((t) => t.text === title));
  }
  model.dispose();
});

Deno.test("cells are sized for DejaVu Sans: each cell's width holds its text at 11 px", () => {
  const dot = modelDot(modelDiagram(deepNN({ features: 10 }), { showLayerActivations: true }));
  const cells = [...dot.matchAll(/<td(?: colspan="\d+")? width="(\d+)"[^>]*>([^<]*)<\/td>/g)];
  assert.ok(cells.length >= 12);
  for (const [, width, text] of cells) {
    const plain = text.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    assert.ok(Number(width) >= textWidth(plain, 11) + 8, `${plain}: ${width}`);
  }
});
