import assert from "node:assert/strict";
import { deepNN, perceptron, summary, summaryData, tf, train } from "../lib/mod.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";
import { readableSize } from "../lib/core/numeric.ts";

Deno.test("summary: DeepNN-10 has Keras's counts, 66 + 21 + 4 = 91", () => {
  const d = summaryData(deepNN({ features: 10 }));
  assert.deepEqual(d.rows.map((r) => [r.layer, r.outputShape, r.params]), [
    ["h1 (Dense)", "(None, 6)", 66],
    ["drop1 (Dropout)", "(None, 6)", 0],
    ["h2 (Dense)", "(None, 3)", 21],
    ["drop2 (Dropout)", "(None, 3)", 0],
    ["output (Dense)", "(None, 1)", 4],
  ]);
  assert.equal(d.totalParams, 91);
  assert.equal(d.trainableParams, 91);
  assert.equal(d.nonTrainableParams, 0);
  assert.equal(d.totalBytes, 364);
  assert.equal(d.showConnections, false);
});

Deno.test("summary: exact Keras 3 text layout for the Sequential DeepNN", () => {
  const text = String(summary(deepNN({ features: 10 })));
  const expected = [
    'Model: "DeepNN"',
    "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
    "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
    "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
    "│ h1 (Dense)                      │ (None, 6)              │            66 │",
    "├─────────────────────────────────┼────────────────────────┼───────────────┤",
    "│ drop1 (Dropout)                 │ (None, 6)              │             0 │",
    "├─────────────────────────────────┼────────────────────────┼───────────────┤",
    "│ h2 (Dense)                      │ (None, 3)              │            21 │",
    "├─────────────────────────────────┼────────────────────────┼───────────────┤",
    "│ drop2 (Dropout)                 │ (None, 3)              │             0 │",
    "├─────────────────────────────────┼────────────────────────┼───────────────┤",
    "│ output (Dense)                  │ (None, 1)              │             4 │",
    "└─────────────────────────────────┴────────────────────────┴───────────────┘",
    " Total params: 91 (364.00 B)",
    " Trainable params: 91 (364.00 B)",
    " Non-trainable params: 0 (0.00 B)",
  ].join("\n");
  assert.equal(text, expected);
});

Deno.test("summary: functional models list their InputLayer; the perceptron has 4 params", () => {
  const d = summaryData(deepNN({ features: 10, style: "functional" }));
  assert.equal(d.rows[0].layer, "input (InputLayer)");
  assert.equal(d.rows[0].outputShape, "(None, 10)");
  assert.equal(d.totalParams, 91);
  assert.equal(summaryData(perceptron()).totalParams, 4);
  assert.match(String(summary(perceptron())), / Total params: 4 \(16\.00 B\)/);
});

Deno.test("summary: a branching graph gets a Connected to column, connections on one line", () => {
  const a = tf.input({ shape: [3], name: "a" }), b = tf.input({ shape: [2], name: "b" });
  const cat = tf.layers.concatenate({ name: "cat" }).apply([a, b]) as tf.SymbolicTensor;
  const o1 = tf.layers.dense({ units: 1, name: "o1" }).apply(cat) as tf.SymbolicTensor;
  const o2 = tf.layers.dense({ units: 2, name: "o2" }).apply(cat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [a, b], outputs: [o1, o2], name: "Branching" });
  const d = summaryData(model);
  assert.equal(d.showConnections, true);
  assert.deepEqual(d.rows.map((r) => r.connectedTo), [
    [],
    [],
    ["a[0][0]", "b[0][0]"],
    ["cat[0][0]"],
    ["cat[0][0]"],
  ]);
  assert.equal(d.totalParams, 6 + 12);
  const lines = String(summary(model)).split("\n");
  assert.match(lines[2], /┃ Layer \(type\) +┃ Output Shape +┃ +Param # ┃ Connected to +┃/);
  const catLine = lines.findIndex((l) => l.includes("cat (Concatenate)"));
  assert.match(lines[catLine], /│ a\[0\]\[0\], b\[0\]\[0\] +│$/);
  assert.match(lines[catLine + 1], /^├/);
});

Deno.test("summary: sizes in B/KB/MB of 1024, as Keras prints them", () => {
  assert.equal(readableSize(0), "0.00 B");
  assert.equal(readableSize(1023), "1023.00 B");
  assert.equal(readableSize(1024), "1.00 KB");
  assert.equal(readableSize(1536 * 1024), "1.50 MB");
  const big = tf.sequential({ layers: [tf.layers.dense({ units: 512, inputShape: [784] })] });
  assert.match(String(summary(big)), /Total params: 401,920 \(1\.53 MB\)/);
});

Deno.test("summary: non-trainable layers are counted apart", () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 4, inputShape: [3], name: "frozen", trainable: false }),
      tf.layers.dense({ units: 1, name: "head" }),
    ],
  });
  const d = summaryData(model);
  assert.equal(d.totalParams, 16 + 5);
  assert.equal(d.trainableParams, 5);
  assert.equal(d.nonTrainableParams, 16);
  assert.match(String(summary(model)), /Non-trainable params: 16 \(64\.00 B\)/);
});

Deno.test("summary: renders as text/plain and an escaped text/html table", () => {
  const model = tf.sequential({
    name: "<b>model</b>",
    layers: [tf.layers.dense({ units: 1, inputShape: [2], name: "d" })],
  });
  // tfjs only accepts [A-Za-z0-9._/-] in new layer names; names can still arrive from JSON.
  (model.layers[0] as { name: string }).name = 'a&b"c';
  const bundle = summary(model)[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  const html = bundle["text/html"] as string;
  assert.ok(html.includes("&lt;b&gt;model&lt;/b&gt;"));
  assert.ok(html.includes("a&amp;b&quot;c (Dense)"));
  assert.ok(!html.includes("<b>model</b>"));
  assert.equal((html.match(/<tr>/g) ?? []).length, 2);
});

Deno.test("summary: a model that is not built says so", () => {
  assert.throws(
    () => summary(tf.sequential({ name: "empty" })),
    /^ArgumentError: summary: model "empty" is not built: it has no layers/,
  );
  assert.throws(
    () => summary({} as tf.LayersModel),
    /^ArgumentError: summary: model must be a tfjs LayersModel/,
  );
});

// Text captured from Keras 3.15 itself by tools/keras_summary.py, for the same models.
const keras = new Map(
  Deno.readTextFileSync(new URL("./fixtures/keras_summary.txt", import.meta.url))
    .split(/^=== /m).slice(1).map((block) => {
      const [name, ...rest] = block.split("\n");
      return [name, rest.join("\n").trimEnd()] as const;
    }),
);

function kerasDeepNN(optimizer: "adam" | "sgd"): tf.LayersModel {
  const model = deepNN({ features: 10, seed: 1 });
  model.compile({ optimizer, loss: "binaryCrossentropy" });
  return model;
}

Deno.test("summary: matches Keras 3.15's text for the DeepNN, compiled, before training", () => {
  assert.equal(String(summary(kerasDeepNN("adam"))), keras.get("deepnn"));
});

for (const optimizer of ["adam", "sgd"] as const) {
  Deno.test(`summary: after training with ${optimizer}, Optimizer params as Keras 3.15 prints them`, async () => {
    const model = kerasDeepNN(optimizer);
    const x = Array.from(
      { length: 30 },
      (_, i) => Array.from({ length: 10 }, (_, j) => ((i * 7 + j * 3) % 10) / 10),
    );
    const y = x.map((row) => (row[0] > 0.5 ? 1 : 0));
    await train(model, x, y, { epochs: 1, batchSize: 10, live: false, seed: 1 });
    assert.equal(String(summary(model)), keras.get(`deepnn-${optimizer}-trained`));
    const d = summaryData(model);
    assert.deepEqual(
      d.optimizer,
      optimizer === "adam" ? { params: 184, bytes: 740 } : { params: 2, bytes: 12 },
    );
    model.dispose();
  });
}

Deno.test("summary: a branching model matches Keras 3.15: fixed columns, long names cut with …", () => {
  const numeric = tf.input({ shape: [8], name: "numeric" });
  const category = tf.input({ shape: [4], name: "category" });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer.apply(x) as tf.SymbolicTensor;
  const a = apply(
    tf.layers.dense({ units: 16, activation: "relu", name: "numeric_features_dense_layer" }),
    numeric,
  );
  const b = apply(tf.layers.dense({ units: 4, name: "category_embedding" }), category);
  const merged = apply(tf.layers.concatenate({ name: "merge" }), [a, b]);
  const hidden = apply(tf.layers.dense({ units: 8, activation: "relu", name: "hidden" }), merged);
  const churn = apply(tf.layers.dense({ units: 1, activation: "sigmoid", name: "churn" }), hidden);
  const spend = apply(tf.layers.dense({ units: 1, name: "spend" }), hidden);
  const model = tf.model({
    inputs: [numeric, category],
    outputs: [churn, spend],
    name: "two_heads",
  });
  assert.equal(String(summary(model)), keras.get("two-heads"));
  model.dispose();
});

Deno.test("summary: connections wrap at word breaks as in Keras 3.15", () => {
  const inputs = ["left", "middle", "right"].map((name) => tf.input({ shape: [2], name }));
  const merged = tf.layers.concatenate({ name: "all_three" }).apply(inputs) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, name: "out" }).apply(merged) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs: out, name: "three_way" });
  assert.equal(String(summary(model)), keras.get("three-way"));
  model.dispose();
});
