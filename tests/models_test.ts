import assert from "node:assert/strict";
import {
  ArgumentError,
  binaryStep,
  deepNN,
  hiddenUnits,
  layerTable,
  perceptron,
  summary,
  summaryData,
  tf,
} from "../lib/mod.ts";

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

Deno.test("perceptron: one Dense unit over 3 inputs, as in the article", () => {
  for (const style of ["sequential", "functional"] as const) {
    const model = perceptron({ style, initializer: "ones" });
    assert.equal(model.name, "Perceptron");
    assert.equal(model.countParams(), 4);
    const dense = model.layers.at(-1)!;
    assert.equal(dense.getClassName(), "Dense");
    assert.equal(dense.name, style === "sequential" ? "dense" : "output");
    assert.deepEqual(weightsOf(model), [[1, 1, 1], [0]]);
    const y = tf.tidy(() => (model.predict(tf.tensor2d([[1, 2, 3]])) as tf.Tensor).dataSync()[0]);
    assert.equal(y, 6);
  }
  assert.equal(perceptron({ inputs: 7 }).countParams(), 8);
  assert.equal(perceptron({ style: "functional" }).layers[0].getClassName(), "InputLayer");
});

Deno.test("binaryStep: 1 where x > 0, else 0, as an activation of the perceptron", () => {
  const out = tf.tidy(() => Array.from(binaryStep(tf.tensor1d([-2, -0, 0, 1e-7, 3])).dataSync()));
  assert.deepEqual(out, [0, 0, 0, 1, 1]);
  for (const activation of [binaryStep, "binaryStep"] as const) {
    const model = perceptron({ activation, initializer: "ones" });
    const y = tf.tidy(() =>
      Array.from(
        (model.predict(tf.tensor2d([[1, 1, 1], [-1, -1, -1], [1, -2, 0.5]])) as tf.Tensor)
          .dataSync(),
      )
    );
    assert.deepEqual(y, [1, 0, 0]);
  }
});

Deno.test("binaryStep survives toJSON and reload", async () => {
  const model = perceptron({ activation: binaryStep, initializer: "ones" });
  const json = JSON.parse(model.toJSON(null, true) as string);
  // tfjs writes Keras's snake_case name, and maps it back on load.
  assert.equal(json.config.layers[0].config.activation, "binary_step");
  const reloaded = await tf.models.modelFromJSON({ modelTopology: json });
  reloaded.setWeights(model.getWeights());
  const x = tf.tensor2d([[1, 1, 1], [-3, 1, 1]]);
  const a = model.predict(x) as tf.Tensor, b = reloaded.predict(x) as tf.Tensor;
  assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
  assert.deepEqual(Array.from(b.dataSync()), [1, 0]);
  tf.dispose([x, a, b]);
});

Deno.test("hiddenUnits: round((n+1)/2) and round((n+1)/4) with Python's rounding, at least 1", () => {
  assert.deepEqual(hiddenUnits(10), [6, 3]);
  assert.deepEqual(hiddenUnits(4), [2, 1]); // round(2.5) == 2, round(1.25) == 1
  assert.deepEqual(hiddenUnits(9), [5, 2]); // round(2.5) == 2
  assert.deepEqual(hiddenUnits(6), [4, 2]); // round(3.5) == 4, round(1.75) == 2
  assert.deepEqual(hiddenUnits(1), [1, 1]); // round(0.5) == 0, kept at 1
});

Deno.test("deepNN: the article's layers, same in both styles, Keras parameter counts", () => {
  for (const style of ["sequential", "functional"] as const) {
    const model = deepNN({ features: 10, style });
    const rows = layerTable(model);
    assert.deepEqual(
      rows.map((r) => [r.name, r.className, r.inputs, r.neurons, r.outputs, r.activation]),
      [
        ["input", "InputLayer", 10, 0, 10, null],
        ["h1", "Dense", 10, 6, 6, "relu"],
        ["drop1", "Dropout", 6, 0, 6, null],
        ["h2", "Dense", 6, 3, 3, "relu"],
        ["drop2", "Dropout", 3, 0, 3, null],
        ["output", "Dense", 3, 1, 1, "sigmoid"],
      ],
    );
    assert.equal(model.countParams(), 91);
    assert.equal(
      (model.layers.find((l) => l.name === "drop1")!.getConfig() as { rate: number }).rate,
      0.2,
    );
  }
  const reg = deepNN({ features: 20, task: "regression", dropout: 0.5, name: "Reg" });
  assert.equal(reg.name, "Reg");
  assert.equal(layerTable(reg).at(-1)!.activation, "linear");
  // 20 -> 10 -> 5 -> 1: (20*10+10) + (10*5+5) + (5+1)
  assert.equal(reg.countParams(), 210 + 55 + 6);
});

Deno.test("deepNN: the same seed gives the same weights in both styles, another seed others", () => {
  const a = weightsOf(deepNN({ features: 10, seed: 7 }));
  const b = weightsOf(deepNN({ features: 10, seed: 7, style: "functional" }));
  const c = weightsOf(deepNN({ features: 10, seed: 8 }));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("layerTable: weights as rows of inputs x neurons, bias per neuron", () => {
  const model = deepNN({ features: 4, seed: 1 });
  const h1 = layerTable(model)[1];
  assert.equal(h1.weights!.length, 4);
  assert.equal(h1.weights![0].length, 2);
  assert.deepEqual(h1.bias, [0, 0]);
  const kernel = Array.from(model.layers[0].getWeights()[0].dataSync());
  assert.deepEqual(h1.weights!.flat(), kernel);
});

Deno.test("builders: bad input names the argument, the value and what is allowed", () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => perceptron({ inputs: 0 }),
      /^ArgumentError: perceptron: inputs must be a positive integer, got 0$/,
    ],
    [
      () => deepNN({ features: -1 }),
      /^ArgumentError: deepNN: features must be a positive integer, got -1$/,
    ],
    [
      () => deepNN({ features: 2.5 }),
      /^ArgumentError: deepNN: features must be a positive integer, got 2\.5$/,
    ],
    [
      () => deepNN({} as never),
      /^ArgumentError: deepNN: features must be a positive integer, got undefined$/,
    ],
    [
      () => perceptron({ activation: "swishy" as never }),
      /^ArgumentError: perceptron: activation must be an activation: binaryStep or one of "linear", .*got "swishy"$/,
    ],
    [
      () => deepNN({ features: 3, task: "ranking" as never }),
      /^ArgumentError: deepNN: task must be one of "classification", "regression", got "ranking"$/,
    ],
    [
      () => deepNN({ features: 3, style: "graph" as never }),
      /^ArgumentError: deepNN: style must be one of "sequential", "functional", got "graph"$/,
    ],
    [() => perceptron({ style: "x" as never }), /^ArgumentError: perceptron: style must be one of/],
    [
      () => deepNN({ features: 3, dropout: 1 }),
      /^ArgumentError: deepNN: dropout must be a number in \[0, 1\), got 1$/,
    ],
    [
      () => deepNN({ features: 3, name: "" }),
      /^ArgumentError: deepNN: name must be a non-empty string, got ""$/,
    ],
    [
      () => deepNN({ features: 3, seed: -1 }),
      /^ArgumentError: deepNN: seed must be an integer from 0 to 4294967295, got -1$/,
    ],
  ];
  const before = tf.memory().numTensors;
  for (const [call, message] of cases) assert.throws(call, message);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("deepNN: hidden sizes the layers, any number of them, in both styles", () => {
  for (const style of ["sequential", "functional"] as const) {
    const model = deepNN({ features: 4, classes: 3, hidden: [16, 8], style, seed: 1 });
    assert.deepEqual(
      layerTable(model).map((r) => [r.name, r.neurons, r.activation]),
      [
        ["input", 0, null],
        ["h1", 16, "relu"],
        ["drop1", 0, null],
        ["h2", 8, "relu"],
        ["drop2", 0, null],
        ["output", 3, "softmax"],
      ],
    );
    // Keras: (4*16+16) + (16*8+8) + (8*3+3)
    assert.equal(model.countParams(), 80 + 136 + 27);
  }
  const three = deepNN({ features: 5, task: "regression", hidden: [7, 5, 3], dropout: 0 });
  assert.deepEqual(
    layerTable(three).map((r) => r.name),
    ["input", "h1", "drop1", "h2", "drop2", "h3", "drop3", "output"],
  );
  assert.equal(three.countParams(), 6 * 7 + 8 * 5 + 6 * 3 + 4 * 1);
  // The article's own call gives the same weights as before: hidden defaults to the rule.
  assert.deepEqual(
    weightsOf(deepNN({ features: 10, seed: 42 })),
    weightsOf(deepNN({ features: 10, seed: 42, hidden: [6, 3] })),
  );
});

Deno.test("deepNN: hidden is checked, and the names users reach for get a did-you-mean", () => {
  const cases: [unknown, RegExp][] = [
    [{ hidden: [16, 0] }, /^deepNN: hidden\[1\] must be a positive integer, got 0$/],
    [{ hidden: [16, 2.5] }, /^deepNN: hidden\[1\] must be a positive integer, got 2\.5$/],
    [{ hidden: ["16"] }, /^deepNN: hidden\[0\] must be a positive integer, got "16"$/],
    [{ hidden: 16 }, /^deepNN: hidden must be an array of positive integers, .* got 16$/],
    [{ hidden: [] }, /^deepNN: hidden must be .*\(e\.g\. \[16, 8\]\), got an array of length 0$/],
    [{ hiden: [16] }, /^deepNN: unknown option "hiden" \(did you mean "hidden"\?\)/],
    [
      { hidden_layer_sizes: [16] },
      /^deepNN: unknown option "hidden_layer_sizes" \(did you mean "hidden"\?\)/,
    ],
    [{ units: [16] }, /^deepNN: unknown option "units" \(did you mean "hidden"\?\)/],
    [{ hidden: [1e6, 1e6] }, /^deepNN: features 4, hidden \[1000000,1000000\] makes a model of /],
  ];
  for (const [extra, message] of cases) {
    assert.throws(
      () => deepNN({ features: 4, ...(extra as object) } as never),
      (e: Error) => e instanceof ArgumentError && message.test(e.message),
      JSON.stringify(extra),
    );
  }
});

Deno.test("deepNN: a rule layer too narrow to learn is said once, and under the summary", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    const narrow = deepNN({ features: 4, classes: 3, seed: 1 });
    deepNN({ features: 4, classes: 3, seed: 2 }); // the same note again: not printed twice
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /^Warning: deepNN: the article's neuron rule gives 4 features hidden layers of 2 and 1 units; h1 \(2 units\) is narrower than the 3 classes and h2 has 1 unit, which often fails to learn .* deepNN\(\{ features: 4, classes: 3, hidden: \[16, 8\] \}\)$/,
    );
    assert.match(String(summary(narrow)), /\n Note: the article's neuron rule gives 4 features/);
    assert.equal(summaryData(narrow).note, warnings[0].replace(/^Warning: /, ""));
    // A binary model on 3 features: h2 has one unit.
    deepNN({ features: 3, seed: 1 });
    assert.match(warnings[1], /hidden layers of 2 and 1 units; h2 has 1 unit, .* one value /);
    // The article's networks, sizes of the user's own, and a user's tfjs model: nothing to say.
    const quiet = [
      deepNN({ features: 10, seed: 42 }),
      deepNN({ features: 30, task: "regression" }),
      deepNN({ features: 9, classes: 2 }),
      deepNN({ features: 4, classes: 3, hidden: [2, 1] }),
    ];
    assert.equal(warnings.length, 2);
    for (const m of quiet) assert.equal(summaryData(m).note, undefined);
    assert.doesNotMatch(String(summary(quiet[0])), /Note:/);
  } finally {
    console.warn = warn;
  }
});
