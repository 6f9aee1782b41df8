import assert from "node:assert/strict";
import { tf } from "../lib/core/tf.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { Figure } from "../lib/display/display.ts";
import { deepNN, perceptron } from "../lib/build/models.ts";
import { rng } from "../lib/core/random.ts";
import {
  explain,
  type ExplainOptions,
  type Explanation,
  type PredictFn,
} from "../lib/explain/explain.ts";
import { explainerShap, explainerShapData } from "../lib/explain/explainer_shap.ts";

function uniformRows(rows: number, features: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: features }, () => r.next()));
}

const sum = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);

function assertEfficient(e: Explanation, tolerance = 1e-5): void {
  const gap = Math.abs(sum(e.values) - (e.output - e.baseValue));
  assert.ok(gap < tolerance, `sum of values misses f(x) - E[f(X)] by ${gap}`);
}

/** Runs `body` and checks it leaves no tensors behind. */
function noLeak<T>(body: () => T): T {
  const before = tf.memory().numTensors;
  const result = body();
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  return result;
}

/** A perceptron computing w·x + b exactly as given. */
function linearModel(w: number[], b: number): tf.LayersModel {
  const model = perceptron({ inputs: w.length });
  model.layers[0].setWeights([tf.tensor2d(w, [w.length, 1]), tf.tensor1d([b])]);
  return model;
}

/** The model's outputs for `rows`, with nothing left behind. */
function predictRows(model: tf.LayersModel, rows: number[][]): number[] {
  const y = tf.tidy(() => model.predict(tf.tensor2d(rows)) as tf.Tensor);
  const values = Array.from(y.dataSync());
  y.dispose();
  return values;
}

function columnMeans(rows: number[][]): number[] {
  return rows[0].map((_, k) => sum(rows.map((r) => r[k])) / rows.length);
}

/** Every coalition's value in float64, and Shapley values by their definition over orderings. */
function shapleyByPermutations(v: (inS: boolean[]) => number, M: number): number[] {
  const phi = new Array(M).fill(0);
  let orderings = 0;
  const permute = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) {
      orderings++;
      const inS = new Array(M).fill(false);
      let previous = v(inS);
      for (const i of prefix) {
        inS[i] = true;
        const now = v(inS);
        phi[i] += now - previous;
        previous = now;
      }
      return;
    }
    rest.forEach((i, k) => permute([...prefix, i], [...rest.slice(0, k), ...rest.slice(k + 1)]));
  };
  permute([], Array.from({ length: M }, (_, i) => i));
  return phi.map((p) => p / orderings);
}

Deno.test("exact values match the Shapley definition over all orderings", () => {
  // f(x) = x0 x1 + sin(x2) + x3^2 - x0 x3: interactions make every weight matter.
  const f = (x: number[]) => x[0] * x[1] + Math.sin(x[2]) + x[3] * x[3] - x[0] * x[3];
  const predict: PredictFn = (t) => {
    const [a, b, c, d] = tf.split(t, 4, 1);
    return a.mul(b).add(c.sin()).add(d.square()).sub(a.mul(d));
  };
  const background = uniformRows(7, 4, 3);
  const instance = [0.9, -1.2, 2.0, 0.4];
  const v = (inS: boolean[]) =>
    sum(background.map((row) => f(row.map((value, k) => (inS[k] ? instance[k] : value))))) /
    background.length;
  const expected = shapleyByPermutations(v, 4);
  const e = noLeak(() => explain(predict, { instance, background }));
  assert.equal(e.method, "exact");
  assert.equal(e.coalitions, 16);
  assert.equal(e.modelRows, 16 * 7);
  e.values.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) < 1e-5, `${i}`));
  assert.ok(Math.abs(e.output - f(instance)) < 1e-5);
  assert.ok(Math.abs(e.baseValue - v([false, false, false, false])) < 1e-5);
  assertEfficient(e);
});

Deno.test("efficiency: values add up to f(x) - E[f(X)] for exact and Kernel SHAP", () => {
  for (const [features, method] of [[10, "exact"], [24, "kernel"]] as const) {
    const model = deepNN({ features, seed: 5 });
    const background = uniformRows(60, features, 11);
    const instance = uniformRows(1, features, 12)[0];
    for (const link of ["identity", "logit"] as const) {
      const e = noLeak(() => explain(model, { instance, background, link }));
      assert.equal(e.method, method);
      assertEfficient(e);
      const p = predictRows(model, [instance])[0];
      const expected = link === "logit" ? Math.log(p / (1 - p)) : p;
      assert.ok(Math.abs(e.output - expected) < 1e-5, `${link} output`);
    }
    model.dispose();
  }
});

Deno.test("closed form: a linear model's values are w_i (x_i - mean_i), for both methods", () => {
  for (const [features, method] of [[6, "exact"], [20, "kernel"]] as const) {
    const r = rng(features);
    const w = Array.from({ length: features }, () => r.normal());
    const model = linearModel(w, 0.25);
    const background = uniformRows(100, features, 21);
    const instance = uniformRows(1, features, 22)[0].map((v) => 2 * v - 0.5);
    const mean = columnMeans(background);
    const e = noLeak(() => explain(model, { instance, background, method }));
    assert.equal(e.method, method);
    if (method === "kernel") assert.ok(e.coalitions < 2 ** features, "kernel sampled");
    e.values.forEach((value, i) => {
      const expected = w[i] * (instance[i] - mean[i]);
      assert.ok(
        Math.abs(value - expected) < 1e-5,
        `${method} feature ${i}: ${value} vs ${expected}`,
      );
    });
    assertEfficient(e);
  }
});

Deno.test("symmetry and dummy: identical features get equal values, an ignored one gets 0", () => {
  const features = 6;
  const model = deepNN({ features, seed: 9 });
  const [kernel, bias] = model.layers[0].getWeights();
  const k = kernel.arraySync() as number[][];
  k[1] = [...k[0]]; // feature 1 enters exactly as feature 0
  k[2] = k[2].map(() => 0); // feature 2 is ignored
  model.layers[0].setWeights([tf.tensor2d(k), bias]);
  const background = uniformRows(40, features, 31).map((row) => {
    row[1] = row[0];
    return row;
  });
  const instance = [0.8, 0.8, 0.3, 0.1, 0.9, 0.5];
  for (const method of ["exact", "kernel"] as const) {
    const e = noLeak(() => explain(model, { instance, background, method, link: "logit" }));
    assert.ok(Math.abs(e.values[0] - e.values[1]) < 1e-6, `${method} symmetry`);
    assert.ok(Math.abs(e.values[0]) > 1e-4, "the symmetric features matter");
    assert.ok(Math.abs(e.values[2]) < 1e-6, `${method} dummy: ${e.values[2]}`);
  }
  assert.equal(explain(model, { instance, background }).values[2], 0);
});

Deno.test("Kernel SHAP agrees with exact on a 12-feature MLP within 1e-2 of the output range", () => {
  const features = 12;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 16,
        activation: "tanh",
        inputShape: [features],
        kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 1 }),
      }),
      tf.layers.dense({
        units: 1,
        kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 2 }),
      }),
    ],
  });
  const background = uniformRows(100, features, 41);
  const instance = uniformRows(1, features, 42)[0];
  const outputs = predictRows(model, [...background, instance]);
  const range = Math.max(...outputs) - Math.min(...outputs);
  const exact = explain(model, { instance, background, method: "exact" });
  const kernel = explain(model, { instance, background, method: "kernel" });
  assert.equal(kernel.coalitions, 2 * features + 2048 + 2); // default nsamples, plus ∅ and all
  const worst = Math.max(...exact.values.map((v, i) => Math.abs(v - kernel.values[i])));
  assert.ok(worst < 1e-2 * range, `worst difference ${worst}, output range ${range}`);
  assert.ok(Math.abs(exact.baseValue - kernel.baseValue) < 1e-9);
  assert.ok(Math.abs(exact.output - kernel.output) < 1e-9);
  assertEfficient(kernel);
});

Deno.test("the same seed gives the same numbers; another seed samples differently", () => {
  const features = 20;
  const model = deepNN({ features, seed: 3 });
  const background = uniformRows(150, features, 51);
  const instance = uniformRows(1, features, 52)[0];
  const run = (seed: number, summarize: "sample" | "kmeans" = "sample") =>
    explain(model, { instance, background, seed, summarize, nsamples: 300 });
  assert.deepEqual(run(7).values, run(7).values);
  assert.notDeepEqual(run(7).values, run(8).values);
  assert.deepEqual(run(7, "kmeans").values, run(7, "kmeans").values);
});

Deno.test("a background over 100 rows is summarized, and the result says how", () => {
  const features = 4;
  const w = [1, -2, 0.5, 3];
  const model = linearModel(w, 0);
  const background = uniformRows(500, features, 61);
  const instance = [1, 1, 1, 1];
  const sampled = noLeak(() => explain(model, { instance, background }));
  const { indices, weights, ...info } = sampled.background;
  assert.deepEqual(info, { givenRows: 500, rows: 100, summarized: "sample", weighted: false });
  assert.equal(new Set(indices).size, 100);
  assert.ok(
    indices.every((j, i) =>
      Number.isInteger(j) && j >= 0 && j < 500 && (i === 0 || j > indices[i - 1])
    ),
  );
  assert.deepEqual(weights, new Array(100).fill(1 / 100));
  assert.match(String(sampled), /over 100 background rows \(sampled from 500\), identity link\n/);
  // The sampled rows' mean is the base value (a linear model, identity link).
  const picked = indices.map((j) => background[j]);
  const pickedMean = sum(columnMeans(picked).map((m, i) => m * w[i]));
  assert.ok(Math.abs(sampled.baseValue - pickedMean) < 1e-5);
  const kmeans = noLeak(() => explain(model, { instance, background, summarize: "kmeans" }));
  assert.equal(kmeans.background.summarized, "kmeans");
  assert.match(String(kmeans), /over \d+ background rows \(k-means of 500\), identity link\n/);
  assert.equal(kmeans.background.weighted, true);
  assert.ok(kmeans.background.rows <= 100 && kmeans.background.rows > 50);
  assert.ok(Math.abs(sum(kmeans.background.weights) - 1) < 1e-12);
  // Centres are snapped to real rows: the base value is the weighted mean of given rows.
  const snapped = sum(
    kmeans.background.indices.map((j, r) =>
      kmeans.background.weights[r] * sum(background[j].map((v, i) => v * w[i]))
    ),
  );
  assert.ok(Math.abs(kmeans.baseValue - snapped) < 1e-5);
  assertEfficient(kmeans);
  // Both summaries keep the base value near the full background's mean output.
  const fullMean = sum(columnMeans(background).map((m, i) => m * w[i]));
  assert.ok(Math.abs(sampled.baseValue - fullMean) < 0.25);
  assert.ok(Math.abs(kmeans.baseValue - fullMean) < 0.1, `${kmeans.baseValue} vs ${fullMean}`);
  const small = explain(model, { instance, background: background.slice(0, 100) });
  assert.equal(small.background.summarized, null);
  assert.equal(small.background.rows, 100);
  assert.deepEqual(small.background.indices, Array.from({ length: 100 }, (_, j) => j));
});

Deno.test("instance and background as Float32Array rows and tensors give the same values", () => {
  const model = deepNN({ features: 5, seed: 2 });
  const background = uniformRows(30, 5, 81);
  const instance = [0.1, 0.2, 0.3, 0.4, 0.5];
  const base = explain(model, { instance, background });
  const typed = explain(model, {
    instance: Float32Array.from(instance),
    background: background.map((r) => Float64Array.from(r)),
  });
  const x = tf.tensor1d(instance);
  const bg = tf.tensor2d(background);
  const fromTensors = noLeak(() => explain(model, { instance: x, background: bg }));
  assert.deepEqual(typed.values, base.values);
  assert.deepEqual(fromTensors.values, base.values);
  assert.equal(x.isDisposed, false, "the caller's tensors are left alone");
  tf.dispose([x, bg]);
});

Deno.test("the result is plain data that describes itself", () => {
  const model = deepNN({ features: 3, seed: 2 });
  const e = explain(model, {
    instance: [1, 2, 3],
    background: [[0, 0, 0], [1, 1, 1]],
    featureNames: ["a", "b", "c"],
    link: "logit",
    seed: 4,
  });
  assert.deepEqual(e.featureNames, ["a", "b", "c"]);
  assert.deepEqual(e.instance, [1, 2, 3]);
  assert.equal(e.link, "logit");
  assert.equal(e.seed, 4);
  assert.equal(e.coalitions, 8);
  assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
  assert.deepEqual(
    explain(model, { instance: [1, 2, 3], background: [[0, 0, 0]] }).featureNames,
    ["x1", "x2", "x3"],
  );
});

Deno.test("bad input: a clear error before any work, and no tensors left behind", () => {
  const model = deepNN({ features: 4, seed: 1 });
  const regression = deepNN({ features: 4, task: "regression", seed: 1 });
  const background = uniformRows(10, 4, 91);
  const ok: ExplainOptions = { instance: [1, 2, 3, 4], background };
  const cases: [tf.LayersModel, Partial<ExplainOptions>, RegExp][] = [
    [
      model,
      { instance: [1, 2, 3] },
      /^explain: instance must be 4 numbers .*got an array of length 3$/,
    ],
    [
      model,
      { featureNames: ["a", "b", "c"] },
      /^explain: featureNames must be an array of 4 names .*got an array of length 3$/,
    ],
    [
      model,
      { featureNames: ["a", "b", "a", "d"] },
      /^explain: featureNames must be unique, got "a" at positions 0 and 2/,
    ],
    [
      model,
      { background: [] },
      /^explain: background must be a non-empty array of rows of 4 numbers/,
    ],
    [
      model,
      { instance: [1, NaN, 3, 4] },
      /^explain: instance\[1\] must be a finite number, got NaN$/,
    ],
    [
      model,
      { background: [[1, 2, 3, 4], [1, 2, Infinity, 4]] },
      /^explain: background\[1\]\[2\] must be a finite number, got Infinity$/,
    ],
    [model, { background: [[1, 2, 3]] }, /^explain: background\[0\] must be a row of 4 numbers/],
    [model, { link: "probit" as "logit" }, /^explain: link must be one of "identity", "logit"/],
    [
      model,
      { method: "fast" as "exact" },
      /^explain: method must be one of "auto", "exact", "kernel"/,
    ],
    [model, { nsamples: 0 }, /^explain: nsamples must be an integer >= 5, got 0$/],
    [model, { seed: -1 }, /^explain: seed must be an integer from 0 to 4294967295, got -1$/],
    // A regression model's outputs are not probabilities: found after the first model call.
    [regression, { link: "logit" }, /^explain: link "logit" needs probability outputs in \[0, 1\]/],
  ];
  for (const [m, change, message] of cases) {
    const before = tf.memory().numTensors;
    assert.throws(
      () => explain(m, { ...ok, ...change } as ExplainOptions),
      (e: Error) => e instanceof ArgumentError && message.test(e.message) || assert.fail(e.message),
    );
    assert.equal(tf.memory().numTensors, before, `tensors leaked: ${message}`);
  }
});

Deno.test("bad input: exact with 30 features says how many coalitions and suggests kernel", () => {
  const model = deepNN({ features: 30, seed: 1 });
  const background = uniformRows(5, 30, 92);
  const before = tf.memory().numTensors;
  assert.throws(
    () => explain(model, { instance: background[0], background, method: "exact" }),
    (e: Error) =>
      e instanceof ArgumentError &&
      e.message ===
        'explain: method "exact" would need 2^30 = 1,073,741,824 coalitions for 30 features ' +
          "(exact enumeration is limited to 16 features); " +
          'use method: "kernel" (Kernel SHAP) or "auto"',
  );
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("explainerShap: the article's function, decision plot or waterfall", () => {
  const features = 10;
  const train = uniformRows(300, features, 101);
  const names = Array.from({ length: features }, (_, k) => `feature_${k}`);
  const classifier = deepNN({ features, seed: 1 });
  const before = tf.memory().numTensors;
  const { explanation, figure } = explainerShapData(classifier, {
    featureNames: names,
    instance: train[1],
    train,
    task: "classification",
    top: 10,
  });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(explanation.link, "logit");
  assert.equal(explanation.method, "exact");
  assert.equal(explanation.background.givenRows, 100);
  assert.equal(explanation.background.summarized, null);
  // The base value is the first 100 rows' mean probability, in log-odds.
  const p = predictRows(classifier, train.slice(0, 100));
  const mean = sum(p) / 100;
  assert.ok(Math.abs(explanation.baseValue - Math.log(mean / (1 - mean))) < 1e-5);
  assert.ok(figure instanceof Figure);
  assert.match(String(figure), /^Decision plot \(probability axis/);
  assert.match(figure.toSVG(), /^<svg /);

  const regressor = deepNN({ features, task: "regression", seed: 1 });
  const trainTensor = tf.tensor2d(train);
  const waterfall = noLeak(() =>
    explainerShap(regressor, {
      featureNames: names,
      instance: train[1],
      train: trainTensor,
      task: "regression",
      top: 5,
    })
  );
  trainTensor.dispose();
  regressor.dispose();
  assert.match(String(waterfall), /^Waterfall plot \(model output\)/);
  assert.match(String(waterfall), /5 other features/);

  assert.throws(
    () => explainerShap(classifier, { instance: train[1], train, top: 0 }),
    /^ArgumentError: explainerShap: top must be a positive integer, got 0$/,
  );
  assert.throws(
    () => explainerShap(classifier, { instance: train[1], train: [] }),
    /explainerShap: train must be a non-empty array of rows, got an array of length 0/,
  );
  assert.throws(
    () => explainerShap(classifier, { instance: train[1].slice(1), train }),
    /explainerShap: instance must be 10 numbers/,
  );
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("explain: values float32 cannot hold are rejected, and explainerShap names train", () => {
  const model = deepNN({ features: 3, seed: 2 });
  const before = tf.memory().numTensors;
  assert.throws(
    () => explain(model, { instance: [1, 2, 3], background: [[0, 0, 0], [0, 1e39, 0]] }),
    /^ArgumentError: explain: background\[1\]\[1\] must be a number float32 can hold \(\|x\| <= 3\.4e38\), got 1e\+39$/,
  );
  assert.throws(
    () => explain(model, { instance: [1e39, 2, 3], background: [[0, 0, 0]] }),
    /^ArgumentError: explain: instance\[0\] must be a number float32 can hold/,
  );
  assert.throws(
    () => explainerShap(model, { instance: [1, 2, 3], train: [[0, 0, 0], [0, NaN, 0]] }),
    /^ArgumentError: explainerShap: train\[1\]\[1\] must be a finite number, got NaN$/,
  );
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("several outputs: explain one class's probability, the predicted one by default", async () => {
  const { waterfallPlot } = await import("../lib/plot/waterfall_plot.ts");
  const { decisionPlot } = await import("../lib/plot/decision_plot.ts");
  const { barPlot } = await import("../lib/plot/bar_plot.ts");
  const model = deepNN({ features: 4, classes: 3, seed: 3, dropout: 0 });
  const background = uniformRows(20, 4, 8);
  const instance = [0.9, 0.1, 0.4, 0.7];
  const classNames = ["Adelie", "Chin<strap>", "Gentoo"];
  const probabilities = predictRows(model, [instance]);
  const full = Array.from(
    tf.tidy(() => (model.predict(tf.tensor2d([instance])) as tf.Tensor).dataSync()),
  );
  assert.equal(probabilities.length, 3);
  const predicted = full.indexOf(Math.max(...full));
  noLeak(() => {
    const byDefault = explain(model, { instance, background, classNames });
    assert.deepEqual(byDefault.explained, { index: predicted, name: classNames[predicted], of: 3 });
    for (const [c, output] of [[0, 0], [1, "Chin<strap>"], [2, 2]] as const) {
      const e = explain(model, { instance, background, classNames, output });
      assert.deepEqual(e.explained, { index: c, name: classNames[c], of: 3 });
      // The same numbers as explaining a function that returns that column.
      const column: PredictFn = (x) => (model.predict(x) as tf.Tensor).slice([0, c], [-1, 1]);
      const reference = explain(column, { instance, background });
      assert.deepEqual(e.values, reference.values);
      assert.equal(e.output, reference.output);
      assert.ok(Math.abs(e.output - full[c]) < 1e-6, "output is the class's probability");
      assertEfficient(e);
    }
  });
  const e = explain(model, { instance, background, classNames, output: "Chin<strap>" });
  for (const figure of [waterfallPlot(e), decisionPlot(e), barPlot(e)]) {
    assert.match(String(figure), /explaining P\(Chin<strap>\)/);
    const svg = figure.toSVG();
    assert.ok(svg.includes("explaining P(Chin&lt;strap&gt;)"), "the axis says which class");
    assert.ok(!svg.includes("Chin<strap>"));
  }
  assert.equal(
    explain(perceptron({ inputs: 2 }), { instance: [1, 1], background: [[0, 0]] }).explained,
    null,
  );
  const bad: [ExplainOptions, string, RegExp][] = [
    [
      { instance, background, output: "Emperor", classNames },
      "output",
      /one of the classNames "Adelie", "Chin<strap>", "Gentoo", got "Emperor"/,
    ],
    [{ instance, background, output: 3 }, "output", /an integer from 0 to 2, got 3/],
    [{ instance, background, classNames: ["a", "b"] }, "classNames", /an array of 3 names/],
  ];
  for (const [options, argument, pattern] of bad) {
    assert.throws(() => explain(model, options), (err: unknown) => {
      assert.ok(err instanceof ArgumentError);
      assert.equal(err.argument, argument);
      assert.match(err.message, pattern);
      return true;
    });
  }
  assert.throws(
    () => explain(perceptron({ inputs: 2 }), { instance: [1, 1], background: [[0, 0]], output: 0 }),
    /explain: output is for a model with several outputs/,
  );
  model.dispose();
});

Deno.test("classNames: a one-output sigmoid model takes exactly 2, a regression none", () => {
  const sigmoid = perceptron({ inputs: 2, activation: "sigmoid", initializer: "ones" });
  const linear = perceptron({ inputs: 2, initializer: "ones" });
  const options = { instance: [1, 2], background: [[0, 0], [1, -1]] };
  noLeak(() => {
    // Two names are taken and change no number: the output is P(class 1).
    const plain = explain(sigmoid, options);
    const named = explain(sigmoid, { ...options, classNames: ["no", "yes"] });
    assert.deepEqual(named.values, plain.values);
    assert.equal(named.output, plain.output);
    assert.equal(named.explained, null);
  });
  const bad: [tf.LayersModel | PredictFn, unknown, RegExp][] = [
    [sigmoid, ["a", "b", "c"], /classNames must be an array of 2 names \(class 0, then class 1\)/],
    [sigmoid, ["yes"], /an array of 2 names .*got an array of length 1/],
    [sigmoid, "no,yes", /an array of 2 names/],
    [linear, ["no", "yes"], /one output that is not a sigmoid \(a regression\)/],
    // A function's kind is unknown: one output takes 2 names, as a sigmoid.
    [(x) => sigmoid.predict(x) as tf.Tensor, ["a", "b", "c"], /an array of 2 names/],
  ];
  for (const [model, classNames, pattern] of bad) {
    assert.throws(
      () => explain(model, { ...options, classNames: classNames as string[] }),
      (err: unknown) => {
        assert.ok(err instanceof ArgumentError, String(err));
        assert.equal(err.argument, "classNames");
        assert.match(err.message, pattern);
        return true;
      },
    );
  }
  const fn: PredictFn = (x) => sigmoid.predict(x) as tf.Tensor;
  assert.deepEqual(
    explain(fn, { ...options, classNames: ["no", "yes"] }).values,
    explain(sigmoid, options).values,
  );
  sigmoid.dispose();
  linear.dispose();
});

Deno.test("several outputs: a function returning [rows, k] explains one column by output", () => {
  const model = deepNN({ features: 2, classes: 3, seed: 4, dropout: 0 });
  const background = uniformRows(10, 2, 2).map((r) => [r[0] * 10, r[1] * 10]);
  // A model trained on standardized rows, explained in the raw units: scale inside the function.
  const scaled: PredictFn = (x) => model.predict(x.sub(5).div(2)) as tf.Tensor;
  noLeak(() => {
    const e = explain(scaled, {
      instance: [8, 1],
      background,
      output: "b",
      classNames: ["a", "b", "c"],
    });
    assert.deepEqual(e.explained, { index: 1, name: "b", of: 3 });
    const direct = explain(model, {
      instance: [1.5, -2],
      background: background.map((r) => [(r[0] - 5) / 2, (r[1] - 5) / 2]),
      output: 1,
    });
    e.values.forEach((v, k) => assert.ok(Math.abs(v - direct.values[k]) < 1e-6));
    assert.deepEqual(e.instance, [8, 1]);
  });
  assert.throws(
    () => explain((x) => x.sum(1), { instance: [1, 1], background: [[0, 0]], output: 0 }),
    /explain: output is for a model with several outputs/,
  );
  model.dispose();
});
