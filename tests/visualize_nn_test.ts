import assert from "node:assert/strict";
import { tf } from "../lib/core/tf.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";
import { deepNN, perceptron } from "../lib/build/models.ts";
import {
  describeNetwork,
  NETWORK_COLORS,
  networkGeometry,
  visualizeNN,
} from "../lib/describe/visualize_nn.ts";
import { renderNetworkSVG } from "../lib/plot/network_svg.ts";
import { textWidth } from "../lib/core/text_width.ts";
import { countBy, parseXml, select, type XmlElement } from "./svg_xml.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

function mlp(sizes: number[], name = "MLP"): tf.LayersModel {
  return tf.sequential({
    name,
    layers: sizes.slice(1).map((units, i) =>
      tf.layers.dense({
        units,
        activation: i === sizes.length - 2 ? "softmax" : "relu",
        inputShape: i === 0 ? [sizes[0]] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 7 + i }),
      })
    ),
  });
}

async function parsed(
  svg: string,
): Promise<{ all: XmlElement[]; circles: XmlElement[]; links: XmlElement[] }> {
  const all = await parseXml(svg);
  return { all, circles: select(all, "circle", "neuron"), links: select(all, "line", "link") };
}

function labelsOf(all: XmlElement[], column: number): string[] {
  return select(all, "text", "neuron-label").filter((e) => e.attrs["data-column"] === `${column}`)
    .map((e) => e.text);
}

/** The layer name of each column, from the diagram's g.column elements. */
function columnLayers(all: XmlElement[]): string[] {
  return select(all, "g", "column").map((g) => g.attrs["data-layer"]);
}

Deno.test("perceptron: 4 circles, 3 links, X1..X3 and y1, green input and output", async () => {
  for (const style of ["sequential", "functional"] as const) {
    const svg = visualizeNN(perceptron({ style, initializer: "ones" })).toSVG();
    const { all, circles, links } = await parsed(svg);
    assert.equal(circles.length, 4, style);
    assert.equal(links.length, 3, style);
    assert.deepEqual(countBy(circles, "data-column"), { "0": 3, "1": 1 });
    assert.deepEqual(labelsOf(all, 0), ["X1", "X2", "X3"]);
    assert.deepEqual(labelsOf(all, 1), ["y1"]);
    assert.ok(circles.every((c) => c.attrs.fill === "limegreen"));
    assert.ok(
      links.every((l) => l.attrs.stroke === "green" && l.attrs["stroke-opacity"] === "0.5"),
    );
    assert.deepEqual(links.map((l) => l.attrs["data-from"]), ["0", "1", "2"]);
  }
});

Deno.test("DeepNN-10: the article's figure, 10-6-6-3-3-1 circles and 60+6+18+3+3 links", async () => {
  for (const style of ["sequential", "functional"] as const) {
    const model = deepNN({ features: 10, style, seed: 3 });
    const { all, circles, links } = await parsed(visualizeNN(model).toSVG());
    assert.deepEqual(countBy(circles, "data-column"), {
      "0": 10,
      "1": 6,
      "2": 6,
      "3": 3,
      "4": 3,
      "5": 1,
    });
    assert.deepEqual(countBy(links, "data-column"), { "1": 60, "2": 6, "3": 18, "4": 3, "5": 3 });
    assert.equal(links.length, 90);
    // Each column's layer name is written once, in g.column.
    const layerOf = columnLayers(all);
    assert.deepEqual(layerOf, ["input", "h1", "drop1", "h2", "drop2", "output"]);
    const perLayer: Record<string, number> = {};
    for (const c of circles) {
      perLayer[layerOf[Number(c.attrs["data-column"])]] =
        (perLayer[layerOf[Number(c.attrs["data-column"])]] ?? 0) + 1;
    }
    assert.deepEqual(perLayer, { input: 10, h1: 6, drop1: 6, h2: 3, drop2: 3, output: 1 });
    // Colours per column: green input/output, blue hidden, red for Dropout.
    const fills = [0, 1, 2, 3, 4, 5].map((c) => [
      ...new Set(circles.filter((e) => e.attrs["data-column"] === `${c}`).map((e) => e.attrs.fill)),
    ]);
    assert.deepEqual(fills, [["limegreen"], ["blue"], ["red"], ["blue"], ["red"], ["limegreen"]]);
    const strokes = [1, 2, 3, 4, 5].map((c) => [
      ...new Set(links.filter((e) => e.attrs["data-column"] === `${c}`).map((e) => e.attrs.stroke)),
    ]);
    assert.deepEqual(strokes, [["blue"], ["red"], ["blue"], ["red"], ["green"]]);
    // Dropout columns are linked one-to-one.
    for (
      const l of links.filter((e) => layerOf[Number(e.attrs["data-column"])].startsWith("drop"))
    ) {
      assert.equal(l.attrs["data-from"], l.attrs["data-to"]);
    }
    assert.deepEqual(labelsOf(all, 0), Array.from({ length: 10 }, (_, i) => `X${i + 1}`));
    assert.deepEqual(labelsOf(all, 1), ["H1", "H2", "H3", "H4", "H5", "H6"]);
    assert.deepEqual(labelsOf(all, 4), ["H1", "H2", "H3"]);
    assert.deepEqual(labelsOf(all, 5), ["y1"]);
  }
});

Deno.test("description: name, activation, Σn[X*w]+b and ') = k out' per layer, in the column's colour", async () => {
  const model = deepNN({ features: 10, seed: 1 });
  const { all } = await parsed(visualizeNN(model, { description: true }).toSVG());
  const texts = select(all, "text", "description");
  const byColumn = (c: number) => texts.filter((t) => t.attrs["data-column"] === `${c}`);
  assert.deepEqual(byColumn(0).map((t) => t.text), ["input"]);
  assert.deepEqual(byColumn(1).map((t) => t.text), ["h1", "relu (", "Σ10[X*w]+b", ") = 6 out"]);
  assert.deepEqual(byColumn(2).map((t) => t.text), ["drop1"]);
  assert.deepEqual(byColumn(3).map((t) => t.text), ["h2", "relu (", "Σ6[X*w]+b", ") = 3 out"]);
  assert.deepEqual(byColumn(5).map((t) => t.text), ["output", "sigmoid (", "Σ3[X*w]+b", ") = 1 Y"]);
  assert.deepEqual(
    [0, 1, 2, 5].map((c) => byColumn(c)[0].attrs.fill),
    ["green", "blue", "red", "green"],
  );
  // Without description there is no description text.
  const plain = await parseXml(visualizeNN(model).toSVG());
  assert.equal(select(plain, "text", "description").length, 0);
});

Deno.test("title: the model name by default, custom or none", async () => {
  const model = deepNN({ features: 4 });
  const titles = async (svg: string) =>
    select(await parseXml(svg), "text", "title").map((t) => t.text);
  assert.deepEqual(await titles(visualizeNN(model).toSVG()), ["DeepNN"]);
  assert.deepEqual(await titles(visualizeNN(model, { title: "Mine" }).toSVG()), ["Mine"]);
  assert.deepEqual(await titles(visualizeNN(model, { title: "" }).toSVG()), []);
});

Deno.test("wide layers collapse: 784-512-256-10 draws 12-12-12-10 neurons and links only among them", async () => {
  const model = mlp([784, 512, 256, 10]);
  const { all, circles, links } = await parsed(visualizeNN(model).toSVG());
  assert.deepEqual(countBy(circles, "data-column"), { "0": 12, "1": 12, "2": 12, "3": 10 });
  assert.deepEqual(countBy(links, "data-column"), { "1": 144, "2": 144, "3": 120 });
  const markers = select(all, "g", "collapsed");
  assert.deepEqual(markers.map((m) => m.attrs["data-hidden"]), ["772", "500", "244"]);
  assert.deepEqual(select(all, "text", "collapsed-count").map((t) => t.text), [
    "+772",
    "+500",
    "+244",
  ]);
  assert.ok(markers.every((m) => m.text.includes("⋮")));
  assert.deepEqual(
    circles.filter((c) => c.attrs["data-column"] === "0").map((c) =>
      Number(c.attrs["data-neuron"])
    ),
    [0, 1, 2, 3, 4, 5, 778, 779, 780, 781, 782, 783],
  );
  assert.deepEqual(labelsOf(all, 0), [
    "X1",
    "X2",
    "X3",
    "X4",
    "X5",
    "X6",
    "X779",
    "X780",
    "X781",
    "X782",
    "X783",
    "X784",
  ]);
  const drawn = new Set(circles.map((c) => `${c.attrs["data-column"]}:${c.attrs["data-neuron"]}`));
  for (const l of links) {
    const to = Number(l.attrs["data-column"]);
    assert.ok(
      drawn.has(`${to - 1}:${l.attrs["data-from"]}`) && drawn.has(`${to}:${l.attrs["data-to"]}`),
    );
  }
  // The ellipsis sits between the head and the tail of the column.
  const g = networkGeometry(model);
  const ys = g.circles.filter((c) => c.column === 1).map((c) => c.y);
  const marker = g.collapsed.find((m) => m.column === 1)!;
  assert.ok(ys[5] < marker.y && marker.y < ys[6]);
  assert.ok(Math.abs((marker.y - ys[5]) - (ys[6] - marker.y)) < 0.02);
});

Deno.test("maxNeurons: odd values keep one more head neuron; one-to-one links survive collapsing", () => {
  const g = networkGeometry(mlp([30, 4]), { maxNeurons: 5 });
  assert.deepEqual(g.circles.filter((c) => c.column === 0).map((c) => c.neuron), [0, 1, 2, 28, 29]);
  assert.equal(g.collapsed[0].label, "+25");
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 20, inputShape: [5], name: "wide" }),
      tf.layers.dropout({ rate: 0.5, name: "drop" }),
      tf.layers.dense({ units: 1, name: "out" }),
    ],
  });
  const d = networkGeometry(model, { maxNeurons: 6 });
  assert.deepEqual(d.columns.map((c) => [c.drawn, c.hidden, c.connection]), [
    [5, 0, "none"],
    [6, 14, "dense"],
    [6, 14, "oneToOne"],
    [1, 0, "dense"],
  ]);
  const oneToOne = d.links.filter((l) => l.toColumn === 2);
  assert.deepEqual(oneToOne.map((l) => [l.fromNeuron, l.toNeuron]), [
    [0, 0],
    [1, 1],
    [2, 2],
    [17, 17],
    [18, 18],
    [19, 19],
  ]);
  assert.equal(d.links.length, 5 * 6 + 6 + 6);
});

Deno.test("a 10,000-neuron layer renders collapsed", async () => {
  const model = mlp([4, 10000, 1], "Huge");
  const fig = visualizeNN(model, { description: true, weights: true });
  const { circles, links } = await parsed(fig.toSVG());
  assert.deepEqual(countBy(circles, "data-column"), { "0": 4, "1": 12, "2": 1 });
  assert.equal(links.length, 4 * 12 + 12);
  assert.match(
    String(fig),
    /10000 neurons, relu, fully connected, 12 drawn \(H1\.\.H10000, \+9988 collapsed\)/,
  );
  assert.ok(fig.toSVG().length < 60_000);
});

Deno.test("weights: colour by sign, width and opacity by magnitude, legend", async () => {
  const model = tf.sequential({
    name: "W",
    layers: [tf.layers.dense({ units: 2, inputShape: [2], useBias: false, name: "out" })],
  });
  const kernel = tf.tensor2d([[4, -4], [2, -1]]);
  model.layers[0].setWeights([kernel]);
  kernel.dispose();
  const g = networkGeometry(model, { weights: true });
  const byPair = Object.fromEntries(g.links.map((l) => [`${l.fromNeuron}${l.toNeuron}`, l]));
  assert.deepEqual(
    ["00", "01", "10", "11"].map((k) => byPair[k].weight),
    [4, -4, 2, -1],
  );
  assert.deepEqual(["00", "01", "10", "11"].map((k) => byPair[k].color), [
    NETWORK_COLORS.positive,
    NETWORK_COLORS.negative,
    NETWORK_COLORS.positive,
    NETWORK_COLORS.negative,
  ]);
  assert.deepEqual(["00", "01", "10", "11"].map((k) => byPair[k].width), [3, 3, 1.65, 0.98]);
  assert.deepEqual(["00", "01", "10", "11"].map((k) => byPair[k].opacity), [0.9, 0.9, 0.55, 0.38]);
  assert.equal(g.legend?.maxAbsWeight, 4);
  assert.deepEqual(g.legend?.items.map((i) => i.label), [
    "positive weight",
    "negative weight",
    "small |w|",
  ]);
  const all = await parseXml(renderNetworkSVG(g));
  assert.deepEqual(select(all, "line", "link").map((l) => l.attrs["data-weight"]), [
    "4",
    "2",
    "-4",
    "-1",
  ]);
  const legend = select(all, "g", "legend");
  assert.equal(legend.length, 1);
  assert.match(legend[0].text, /positive weight.*negative weight.*\|w\| = 4\.00/s);
  assert.match(describeNetwork(g), /Links show weights: blue positive, orange negative.*max 4\.00/);
  // Without weights: the article's colours, no legend, no weight data.
  const plain = networkGeometry(model);
  assert.equal(plain.legend, null);
  assert.ok(plain.links.every((l) => l.weight === null && l.color === "green" && l.width === 1));
});

Deno.test("weights: Dropout links stay one-to-one and unweighted; trained weights are the model's", () => {
  const model = deepNN({ features: 6, seed: 5 });
  const g = networkGeometry(model, { weights: true });
  const kernel = model.getLayer("h1").getWeights()[0].arraySync() as number[][];
  for (const l of g.links.filter((l) => l.toColumn === 1)) {
    assert.equal(l.weight, kernel[l.fromNeuron][l.toNeuron]);
  }
  assert.ok(
    g.links.filter((l) => l.toColumn === 2).every((l) => l.weight === null && l.color === "red"),
  );
  assert.ok(g.legend!.maxAbsWeight > 0);
});

Deno.test("escaping: layer and model names show as text, never as markup", async () => {
  const model = tf.sequential({
    name: `<b>M</b> & "q"`,
    layers: [
      tf.layers.dense({ units: 2, inputShape: [3], name: "first", activation: "relu" }),
      tf.layers.dense({ units: 1, name: "second" }),
    ],
  });
  // tfjs refuses such names when building weights, so rename after building.
  (model.layers[0] as unknown as { name: string }).name = "<script>alert(1)</script>";
  (model.layers[1] as unknown as { name: string }).name = `a&b "c"`;
  const fig = visualizeNN(model, { description: true, weights: true });
  const svg = fig.toSVG();
  assert.ok(!svg.includes("<script"));
  assert.ok(!svg.includes("<b>"));
  const all = await parseXml(svg);
  const names = select(all, "text", "description").map((t) => t.text);
  assert.ok(names.includes("<script>alert(1)</script>"));
  assert.ok(names.includes(`a&b "c"`));
  assert.deepEqual(select(all, "text", "title").map((t) => t.text), [`<b>M</b> & "q"`]);
  assert.deepEqual(columnLayers(all), ["input", "<script>alert(1)</script>", `a&b "c"`]);
  assert.equal(select(all, "title")[0].text, `Neural network diagram: <b>M</b> & "q"`);
  assert.equal(select(all, "script").length, 0);
  assert.match(String(fig), /<script>alert\(1\)<\/script> \(Dense\)/);
});

Deno.test("escaping: plain geometry with markup in its attributes stays an attribute value", async () => {
  const evil = `red" onload="alert(1)`;
  const g = networkGeometry(perceptron({ inputs: 40 }), {
    description: true,
    weights: true,
    maxNeurons: 4,
  });
  // Users can build or edit the geometry by hand before rendering it.
  g.fontFamily = evil;
  g.circles[0].fill = evil;
  g.circles[0].labelAnchor = evil as "start";
  g.links[0].color = evil;
  g.descriptions[0].color = evil;
  g.descriptions[0].anchor = evil as "middle";
  g.title!.color = evil;
  g.legend!.items[0].color = evil;
  g.collapsed[0].label = `<script>alert(1)</script>`;
  const svg = renderNetworkSVG(g);
  assert.ok(!svg.includes(evil));
  assert.ok(!svg.includes("<script"));
  const { all, circles, links } = await parsed(svg);
  assert.ok(all.every((e) => !("onload" in e.attrs)));
  assert.equal(all[0].attrs["font-family"], evil);
  assert.equal(circles[0].attrs.fill, evil);
  assert.equal(links[0].attrs.stroke, evil);
  assert.equal(select(all, "text", "title")[0].attrs.fill, evil);
  assert.equal(select(all, "text", "description")[0].attrs["text-anchor"], evil);
  assert.equal(select(all, "text", "neuron-label")[0].attrs["text-anchor"], evil);
  assert.equal(select(all, "text", "collapsed-count")[0].text, "<script>alert(1)</script>");
  assert.equal(select(all, "script").length, 0);
});

Deno.test("the SVG is standalone and valid XML in every mode", async () => {
  const models = [perceptron(), deepNN({ features: 10 }), mlp([40, 30, 3])];
  for (const model of models) {
    for (const options of [{}, { description: true }, { weights: true, maxNeurons: 4 }]) {
      const svg = visualizeNN(model, options).toSVG();
      const [root] = await parseXml(svg);
      assert.equal(root.tag, "svg");
      assert.equal(root.ns, SVG_NS);
      assert.match(root.attrs.viewBox, /^0 0 \d+ \d+$/);
      assert.equal(root.attrs["font-family"], "Helvetica, Arial, sans-serif");
      // Its natural width: the width attribute, or (wider than fits every output area, so it
      // may shrink) the max-width in its style.
      const natural = root.attrs.width ?? /max-width: (\d+)px/.exec(root.attrs.style ?? "")?.[1];
      assert.equal(natural, root.attrs.viewBox.split(" ")[2]);
    }
  }
});

Deno.test("geometry is plain, deterministic data inside the canvas; width and height are honoured", () => {
  const model = deepNN({ features: 10, seed: 9 });
  const g = networkGeometry(model, { description: true, weights: true });
  assert.deepEqual(JSON.parse(JSON.stringify(g)), g);
  assert.deepEqual(networkGeometry(model, { description: true, weights: true }), g);
  assert.equal(
    visualizeNN(model, { description: true }).toSVG(),
    visualizeNN(model, { description: true }).toSVG(),
  );
  for (const c of g.circles) {
    assert.ok(c.x - c.r >= 0 && c.x + c.r <= g.width && c.y - c.r >= 0 && c.y + c.r <= g.height);
  }
  const xs = g.columns.map((c) => c.x);
  assert.deepEqual([...xs].sort((a, b) => a - b), xs);
  const sized = networkGeometry(model, { width: 640, height: 480 });
  assert.deepEqual([sized.width, sized.height], [640, 480]);
  for (const c of sized.circles) assert.ok(c.x <= 640 && c.y <= 480);
  assert.match(visualizeNN(model, { width: 640, height: 480 }).toSVG(), /viewBox="0 0 640 480"/);
});

Deno.test("figure: SVG and text/plain bundle, no HTML; text describes each column; save writes the file", async () => {
  const fig = visualizeNN(deepNN({ features: 10 }));
  const bundle = fig[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/plain"]);
  assert.equal(
    String(fig),
    [
      `Neural network diagram of "DeepNN": 6 columns, 29 neurons, 90 links`,
      "  input (InputLayer)  10 inputs, X1..X10",
      "  h1 (Dense)          6 neurons, relu, fully connected, H1..H6",
      "  drop1 (Dropout)     6 outputs, linked one-to-one, H1..H6",
      "  h2 (Dense)          3 neurons, relu, fully connected, H1..H3",
      "  drop2 (Dropout)     3 outputs, linked one-to-one, H1..H3",
      "  output (Dense)      1 neuron, sigmoid, fully connected, y1",
    ].join("\n"),
  );
  const dir = await Deno.makeTempDir();
  const path = fig.save(`${dir}/nn.svg`);
  assert.equal(await Deno.readTextFile(path), fig.toSVG());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("models that are not one chain are sent to plotModel", () => {
  const a = tf.input({ shape: [3], name: "a" });
  const b = tf.input({ shape: [2], name: "b" });
  const merged = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1 }).apply(merged) as tf.SymbolicTensor;
  const model = tf.model({ name: "Two", inputs: [a, b], outputs: out });
  assert.throws(
    () => visualizeNN(model),
    (e: unknown) =>
      e instanceof ArgumentError && e.fn === "visualizeNN" && e.argument === "model" &&
      /model "Two" is not a single chain of layers/.test(e.message) &&
      /plotModel\(model\)/.test(e.message),
  );
});

Deno.test("bad input: clear ArgumentErrors before any work, no leaked tensors", () => {
  const model = deepNN({ features: 4 });
  const before = tf.memory().numTensors;
  const cases: [() => unknown, RegExp][] = [
    [
      () => visualizeNN(tf.sequential({ name: "empty" })),
      /^visualizeNN: model "empty" is not built/,
    ],
    [
      () => visualizeNN({} as tf.LayersModel),
      /^visualizeNN: model must be a tfjs LayersModel.*got an object/,
    ],
    [
      () => visualizeNN(model, { maxNeurons: 1 }),
      /^visualizeNN: maxNeurons must be an integer >= 2, got 1$/,
    ],
    [
      () => visualizeNN(model, { maxNeurons: 2.5 }),
      /^visualizeNN: maxNeurons must be an integer >= 2, got 2\.5$/,
    ],
    [
      () => visualizeNN(model, { width: -5 }),
      /^visualizeNN: width must be a number in \[100, 20000\], got -5$/,
    ],
    [
      () => visualizeNN(model, { height: NaN }),
      /^visualizeNN: height must be a number in \[100, 20000\], got NaN$/,
    ],
    [
      () => visualizeNN(model, { description: "yes" as unknown as boolean }),
      /^visualizeNN: description must be true or false, got "yes"$/,
    ],
    [
      () => visualizeNN(model, { weights: 1 as unknown as boolean }),
      /^visualizeNN: weights must be true or false, got 1$/,
    ],
    [
      () => visualizeNN(model, { title: 3 as unknown as string }),
      /^visualizeNN: title must be a string, got 3$/,
    ],
    [
      () => visualizeNN(model, null as unknown as object),
      /^visualizeNN: options must be an object, got null$/,
    ],
    [
      () => networkGeometry(model, { maxNeurons: 0 }),
      /^networkGeometry: maxNeurons must be an integer >= 2, got 0$/,
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e: unknown) => e instanceof ArgumentError && message.test(e.message));
  }
  visualizeNN(model, { weights: true, description: true });
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("output size: a large maxNeurons is lowered to keep the output under 1 MB, and the figure says so", async () => {
  const model = tf.sequential({
    name: "wide",
    layers: Array.from(
      { length: 6 },
      (_, i) =>
        tf.layers.dense({ units: 300, inputShape: i === 0 ? [300] : undefined, name: `d${i}` }),
    ),
  });
  const figure = visualizeNN(model, { maxNeurons: 100, description: true, weights: true });
  const bytes = new TextEncoder().encode(JSON.stringify(figure[JUPYTER_DISPLAY]())).length;
  assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  assert.match(String(figure), /note: maxNeurons lowered from 100 to \d+ to keep the figure small/);
  const all = await parseXml(figure.toSVG());
  assert.match(select(all, "text", "note")[0].text, /^maxNeurons lowered from 100 to \d+/);
  // Within the budget nothing is lowered and no note is drawn.
  assert.equal(select(await parseXml(visualizeNN(model).toSVG()), "text", "note").length, 0);
});

Deno.test("output size: a model too deep to draw as neurons gets a clear error pointing to summary", () => {
  const deep = tf.sequential({
    name: "deep",
    layers: Array.from(
      { length: 800 },
      (_, i) => tf.layers.dense({ units: 2, inputShape: i === 0 ? [2] : undefined }),
    ),
  });
  assert.throws(
    () => visualizeNN(deep),
    /^ArgumentError: visualizeNN: model "deep" has 801 layers: its neuron diagram would draw \d+ units even with maxNeurons 2 \(the limit is 4500, to keep the output under 1 MB\); use summary\(model\) to see its layers$/,
  );
});

Deno.test("non-dense models are refused with a pointer to plotModel: Conv2D, RNN", () => {
  const conv = tf.sequential({
    name: "Digits",
    layers: [
      tf.layers.conv2d({ name: "conv", filters: 4, kernelSize: 3, inputShape: [28, 28, 1] }),
      tf.layers.flatten({ name: "flat" }),
      tf.layers.dense({ name: "out", units: 10 }),
    ],
  });
  const rnn = tf.sequential({
    name: "Seq",
    layers: [
      tf.layers.simpleRNN({ name: "rnn", units: 8, inputShape: [5, 3] }),
      tf.layers.dense({ name: "out", units: 1 }),
    ],
  });
  try {
    for (
      const [model, layer] of [
        [conv, /model "Digits" has layer "conv" \(Conv2D, output shape \[null, 26, 26, 4\]\)/],
        [rnn, /model "Seq" has layer "rnn" \(SimpleRNN, output shape \[null, 8\]\)/],
      ] as const
    ) {
      for (const call of [() => visualizeNN(model), () => networkGeometry(model)]) {
        assert.throws(
          call,
          (e: unknown) =>
            e instanceof ArgumentError && e.argument === "model" && layer.test(e.message) &&
            /draws dense networks only/.test(e.message) && /plotModel\(model\)/.test(e.message),
        );
      }
    }
  } finally {
    conv.dispose();
    rnn.dispose();
  }
});

Deno.test("weights legend: inside the picture on a perceptron, on two rows in a narrow picture", () => {
  const model = perceptron();
  const fits = (g: ReturnType<typeof networkGeometry>) => {
    for (const item of g.legend!.items) {
      const right = item.x2 + 6 + textWidth(item.label, 10);
      assert.ok(right <= g.width - 8, `${item.label} ends at ${right} of ${g.width}`);
      assert.ok(item.y + 4 <= g.height, `${item.label} at y ${item.y}`);
    }
    const note = g.legend!.note;
    assert.ok(note.x + textWidth(note.text, 10) <= g.width - 8, note.text);
    assert.ok(note.y + 3 <= g.height);
  };
  const wide = networkGeometry(model, { weights: true });
  fits(wide);
  assert.equal(new Set(wide.legend!.items.map((i) => i.y)).size, 1); // one row
  const narrow = networkGeometry(model, { weights: true, width: 200 });
  fits(narrow);
  assert.ok(new Set(narrow.legend!.items.map((i) => i.y)).size > 1); // wrapped
  model.dispose();
});

Deno.test("long names are shortened in descriptions and the title, whole in data-layer", async () => {
  const name = "layer_" + "x".repeat(80);
  const model = mlp([3, 2, 1], "M" + "y".repeat(300));
  (model.layers[0] as unknown as { name: string }).name = name;
  const g = networkGeometry(model, { description: true });
  const title = g.title!.text;
  assert.ok(title.includes("…") && textWidth(title, 15, true) <= g.width - 16, title);
  const shown = g.descriptions.filter((d) => d.column === 1).map((d) => d.text)[0];
  assert.ok(shown.length <= 32 && shown.startsWith("layer_x") && shown.includes("…"), shown);
  const all = await parseXml(renderNetworkSVG(g));
  assert.ok(columnLayers(all).includes(name));
  model.dispose();
});
