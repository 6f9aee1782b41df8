import assert from "node:assert/strict";
import { type BackendName, tf, useBackend } from "../lib/core/tf.ts";
import { train, TrainingHistory } from "../lib/train/train.ts";
import type { EpochCallback, TrainEngine, TrainJob } from "../lib/train/engine.ts";
import { deepNN, perceptron } from "../lib/build/models.ts";
import { randomData } from "../lib/data/random_data.ts";
import { f1, r2 } from "../lib/train/metrics.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { tfjsEngine } from "../lib/train/tfjs/engine.ts";
import { LiveProgress } from "../lib/train/progress.ts";
import { evaluate } from "../lib/evaluate/evaluate.ts";
import { explain } from "../lib/explain/explain.ts";
import { saveModel } from "../lib/save/model_io.ts";
import { fusedEngineWith } from "../lib/train/fused/engine.ts";
import { makePlan } from "../lib/train/plan.ts";
import { compiledMetrics } from "../lib/train/engine.ts";
import { fromRecords } from "../lib/data/records.ts";
import { standardize } from "../lib/data/scale.ts";
import { readCSV } from "../lib/data/read.ts";
import { attachPreprocessing } from "../lib/predict/attach.ts";

function classifier(seed = 42): tf.LayersModel {
  const model = deepNN({ features: 10, seed });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
  return model;
}

const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

Deno.test("train: Keras's history keys (accuracy, not acc), one value per epoch, fused engine by default", async () => {
  const { x, y } = randomData({ rows: 200, seed: 1 });
  const h = await train(classifier(), x, y, { epochs: 3, seed: 1, live: false });
  assert.ok(h instanceof TrainingHistory);
  assert.deepEqual(Object.keys(h.history), [
    "loss",
    "accuracy",
    "F1",
    "val_loss",
    "val_accuracy",
    "val_F1",
  ]);
  assert.ok(Object.values(h.history).every((v) => v.length === 3 && v.every(Number.isFinite)));
  assert.deepEqual(h.epoch, [0, 1, 2]);
  assert.equal(h.engine, "fused");
  assert.equal(h.fallback, null);
  assert.deepEqual(h.params, {
    epochs: 3,
    batchSize: 30,
    steps: 5, // 140 training rows in batches of 30
    trainRows: 140,
    valRows: 60,
    validationSplit: 0.3,
    shuffle: true,
    seed: 1,
  });
  assert.match(
    String(h),
    /^History: 3 epochs on 140 rows \(60 validation\), batch 30, seed 1, engine fused, /,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(h)).history, h.history);
});

Deno.test("train: records (objects) instead of rows point at fromRecords and say what the model takes", () => {
  const records = Array.from({ length: 178 }, (_, i) => ({ alcohol: i, ash: i % 3, label: i % 2 }));
  const rows = records.map((r) => [r.alcohol, r.ash]);
  const y = records.map((r) => r.label);
  const model = deepNN({ features: 2, hidden: [4], seed: 1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const withTable = deepNN({ features: 2, hidden: [4], seed: 1 });
  withTable.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  attachPreprocessing(withTable, { table: fromRecords(records, { target: "label" }) });
  const hint = "is a record (an object): turn records into rows with fromRecords(records, " +
    "{ target })";
  const cases: [() => unknown, string][] = [
    [
      () => train(model, records as never, y),
      `train: x[0] ${hint} and pass its x and y; this model carries no preprocessing, so it ` +
      "takes rows of 2 numbers",
    ],
    [
      () => train(model, [...rows.slice(0, 7), records[7]] as never, y.slice(0, 8)),
      `train: x[7] ${hint} and pass its x and y; this model carries no preprocessing, so it ` +
      "takes rows of 2 numbers",
    ],
    [
      () => train(withTable, records as never, y),
      `train: x[0] ${hint} and pass its x and y; this model carries its preprocessing, but ` +
      "train takes the model's own inputs, rows of 2 numbers scaled as in training (predict, " +
      "evaluate and explain read records)",
    ],
    [
      () => train(model, rows, records as never),
      `train: y[0] ${hint}, whose y holds one target per row`,
    ],
    [
      () => train(model, rows.slice(0, 2), [1, records[1]] as never),
      `train: y[1] ${hint}, whose y holds one target per row`,
    ],
    [
      () => train(model, [[1, 2], [3]] as never, [0, 1]),
      "train: x rows must all have 2 values, as x[0]; x[1] has 1",
    ],
    [
      () => train(model, [[1], [2, 3]] as never, [0, 1]),
      "train: x rows must all have 1 value, as x[0]; x[1] has 2",
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e: Error) => {
      assert.ok(e instanceof ArgumentError, `${e.name}: ${e.message}`);
      assert.equal(e.message, message);
      return true;
    });
  }
  model.dispose();
  withTable.dispose();
});

Deno.test("train: a count of one reads singular (1 epoch, 1 row, 1 feature, 1 output)", async () => {
  const model = deepNN({ features: 2, hidden: [4], seed: 1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const h = await train(model, [[0, 1], [1, 0]], [1, 0], {
    epochs: 1,
    validationSplit: 0.5,
    seed: 1,
    live: false,
  });
  assert.match(String(h), /^History: 1 epoch on 1 row \(1 validation\), batch /);
  const messages: [() => unknown, string][] = [
    [
      () => train(model, [[1], [2]], [1, 0]),
      "train: x has 1 feature per row but the model takes 2",
    ],
    [
      () => train(model, [[1, 2]], [1, 0]),
      "train: x and y must have the same number of rows, got 1 row in x and 2 in y",
    ],
    [
      () => train(model, [[1, 2]], [[1, 0]]),
      "train: y has 2 values per row but the model gives 1 output",
    ],
  ];
  for (const [call, message] of messages) {
    assert.throws(call, (e: Error) => e instanceof ArgumentError && e.message === message, message);
  }
  model.dispose();
});

Deno.test("train: regression with MAE and R2; validationSplit 0 means no val_ keys", async () => {
  const { x, y } = randomData({ rows: 120, task: "regression", seed: 2 });
  const model = deepNN({ features: 10, task: "regression", seed: 2 });
  model.compile({ optimizer: "adam", loss: "meanAbsoluteError", metrics: [r2] });
  const h = await train(model, x, y, { epochs: 2, seed: 2, live: false });
  assert.deepEqual(Object.keys(h.history), ["loss", "R2", "val_loss", "val_R2"]);
  const h0 = await train(model, x, y, { epochs: 2, validationSplit: 0, live: false });
  assert.deepEqual(Object.keys(h0.history), ["loss", "R2"]);
  assert.equal(h0.params.valRows, 0);
});

Deno.test("train: same seed, identical histories and weights; another seed differs", async () => {
  const { x, y } = randomData({ rows: 300, seed: 7 });
  const run = async (seed: number, modelSeed = 42) => {
    const model = classifier(modelSeed);
    const h = await train(model, x, y, { epochs: 4, seed, live: false });
    return { history: h.history, weights: weights(model) };
  };
  const a = await run(5), b = await run(5);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.weights, b.weights);
  assert.notDeepEqual((await run(6)).history, a.history);
  // On each backend (the numbers may differ between backends, not between runs).
  const initial = tf.getBackend() as BackendName;
  try {
    for (const backend of ["cpu", "wasm"] as const) {
      await useBackend(backend);
      assert.deepEqual((await run(5)).history, (await run(5)).history, backend);
    }
  } finally {
    await useBackend(initial);
  }
});

Deno.test("train: with a seed, dropout masks come from it (fresh each step, reproducible)", async () => {
  // No shuffling and the same initial weights: only the dropout masks depend on the seed.
  const { x, y } = randomData({ rows: 200, seed: 3 });
  const run = async (seed: number) => {
    const h = await train(classifier(), x, y, { epochs: 2, seed, shuffle: false, live: false });
    return h.history.loss;
  };
  assert.deepEqual(await run(1), await run(1));
  assert.notDeepEqual(await run(1), await run(2));
  // Math.random is the real one again afterwards.
  const original = Math.random;
  await train(classifier(), x, y, { epochs: 1, seed: 1, live: false });
  assert.equal(Math.random, original);
});

Deno.test("train: the LAST validationSplit of the rows validates (Keras), before shuffling", async () => {
  const { x, y } = randomData({ rows: 100, seed: 9 });
  const model = classifier();
  const h = await train(model, x, y, { epochs: 1, seed: 9, live: false });
  // val_loss is the loss of the trained model on rows 70..99, in batches of 30.
  const xs = tf.tensor2d(x.slice(70)), ys = tf.tensor2d(y.slice(70), [30, 1]);
  const [loss] = model.evaluate(xs, ys, { batchSize: 30 }) as tf.Scalar[];
  assert.ok(Math.abs(loss.dataSync()[0] - h.history.val_loss[0]) < 1e-6);
  tf.dispose([xs, ys, loss]);
});

Deno.test("train: tensors or arrays give the same run; no tensor is left behind", async () => {
  const { x, y } = randomData({ rows: 150, seed: 4 });
  const fromArrays = await train(classifier(), x, y, { epochs: 2, seed: 4, live: false });
  const xt = tf.tensor2d(x), yt = tf.tensor1d(y);
  const model = classifier();
  const fromTensors = await train(model, xt, yt, { epochs: 2, seed: 4, live: false });
  assert.deepEqual(fromTensors.history, fromArrays.history);
  // The first run created Adam's slots (part of the model); a second run adds nothing.
  const before = tf.memory().numTensors;
  await train(model, xt, yt, { epochs: 2, seed: 4, live: false });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([xt, yt]);
});

Deno.test("train: every bad input throws before training, names the problem, leaks nothing", () => {
  const { x, y } = randomData({ rows: 50, seed: 5 });
  const model = classifier();
  const uncompiled = deepNN({ features: 10, seed: 1 });
  const x3 = tf.tensor3d([[[1]]]);
  const disposed = tf.tensor2d([[1]]);
  disposed.dispose();
  const before = tf.memory().numTensors;
  const w0 = weights(model);
  const withNaN = x.map((r, i) => (i === 4 ? r.map((v, j) => (j === 2 ? NaN : v)) : r));
  const yInf = y.map((v, i) => (i === 7 ? Infinity : v));
  const bad: [() => unknown, RegExp][] = [
    [
      () => train(model, x.slice(1), y),
      /train: x and y must have the same number of rows, got 49 rows in x and 50 in y/,
    ],
    [
      () => train(model, x.map((r) => r.slice(1)), y),
      /train: x has 9 features per row but the model takes 10/,
    ],
    [
      () => train(model, withNaN, y),
      /train: x must contain only finite numbers, got NaN at row 4, column 2/,
    ],
    [
      () => train(model, x, yInf),
      /train: y must contain only finite numbers, got Infinity at row 7/,
    ],
    [
      () => train(model, x, y.map((v) => v * 2)),
      /train: y must hold only 0\/1 labels with a binaryCrossentropy loss, got 2 at row \d+/,
    ],
    [() => train(model, x, y, { epochs: 0 }), /train: epochs must be a positive integer, got 0/],
    [
      () => train(model, x, y, { epochs: 1e308 }),
      /train: epochs must be a positive integer up to 2\^53 - 1 \(Number.MAX_SAFE_INTEGER\), got 1e\+308/,
    ],
    [
      () => train(model, x, y, { batchSize: 2 ** 60 }),
      /train: batchSize must be a positive integer up to 2\^53 - 1/,
    ],
    [
      () => train(model, x, y, { batchSize: 0 }),
      /train: batchSize must be a positive integer, got 0/,
    ],
    [
      () => train(model, x, y, { validationSplit: 1 }),
      /train: validationSplit must be a number in \[0, 1\), got 1/,
    ],
    [
      () => train(model, x, y, { validationSplit: -0.1 }),
      /train: validationSplit must be a number in \[0, 1\), got -0.1/,
    ],
    [
      () => train(model, x, y, { batch_size: 30 } as never),
      /train: unknown option "batch_size" \(did you mean "batchSize"\?\)/,
    ],
    [
      () => train(model, x, y, { live: "yes" as never }),
      /train: live must be true or false, got "yes"/,
    ],
    [
      () => train(model, x, y, { verbose: 3 as never }),
      /train: verbose must be 0, 1, 2, true or false, got 3/,
    ],
    [
      () => train(model, x, y, { engine: "torch" }),
      /train: engine must be one of "fused", "tfjs" or a TrainEngine, got "torch"/,
    ],
    [
      () => train(model, x, y, { seed: 1.5 }),
      /train: seed must be an integer from 0 to 4294967295, got 1.5/,
    ],
    [() => train(uncompiled, x, y), /train: model "DeepNN" is not compiled: call model.compile/],
    [
      () => train(model, x3, y),
      /train: x must be a 2-D tensor \[rows, features\], got a tensor of shape \[1, 1, 1\]$/,
    ],
    [() => train(model, disposed, y), /train: x is a disposed tensor/],
    [
      () => train(model, [], y),
      /train: x must be a 2-D tensor \[rows, features\] or a non-empty array of rows/,
    ],
    [
      () => train(model, [[1, 2], [3]] as never, y),
      /train: x rows must all have 2 values, as x\[0\]; x\[1\] has 1/,
    ],
    [() => train(model, x, ["1", "0"] as never), /train: y\[0\] must be a number, got "1"/],
    [
      () => train(model, x.map(() => [1e39, ...Array(9).fill(0)]), y),
      /got 1e\+39 at row 0, column 0 \(too large for float32\)/,
    ],
  ];
  for (const [call, message] of bad) {
    assert.throws( // at the call, not in the promise
      call,
      (e: Error) => e instanceof ArgumentError && message.test(e.message),
      String(message),
    );
  }
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(weights(model), w0); // nothing trained
  x3.dispose();
});

Deno.test("train: an engine plugs in behind the same train(); it gets the plan and reports Keras keys", async () => {
  const { x, y } = randomData({ rows: 40, features: 10, seed: 6 });
  let seen: TrainJob | undefined;
  const fake: TrainEngine = {
    name: "fake",
    unsupported: () => null,
    async run(job: TrainJob, onEpochEnd: EpochCallback) {
      seen = job;
      for (let e = 0; e < job.plan.epochs; e++) {
        await onEpochEnd(e, {
          loss: e,
          accuracy: 0.5,
          F1: 0.25,
          val_loss: e + 1,
          val_accuracy: 0.4,
          val_F1: 0.2,
        });
      }
    },
  };
  const h = await train(classifier(), x, y, {
    epochs: 3,
    batchSize: 8,
    seed: 1,
    engine: fake,
    live: false,
  });
  assert.equal(h.engine, "fake");
  assert.deepEqual(h.history.loss, [0, 1, 2]);
  assert.deepEqual(h.history.val_F1, [0.2, 0.2, 0.2]);
  assert.ok(seen);
  assert.deepEqual(
    [seen.rows, seen.features, seen.outputs, seen.plan.trainRows, seen.plan.valRows],
    [40, 10, 1, 28, 12],
  );
  assert.deepEqual(seen.metrics.map((m) => [m.key, m.tfjsName]), [["accuracy", "acc"], [
    "F1",
    "F1",
  ]]);
  assert.equal(seen.x[10], Math.fround(x[1][0])); // row-major, data order
  assert.equal(seen.plan.stepsPerEpoch, 4);

  const picky: TrainEngine = {
    ...fake,
    name: "picky",
    unsupported: () => "it only trains Dense layers",
  };
  assert.throws(
    () => train(classifier(), x, y, { engine: picky, live: false }),
    /train: engine "picky" cannot train this model: it only trains Dense layers/,
  );
  const failing: TrainEngine = {
    ...fake,
    name: "failing",
    run: () => Promise.reject(new Error("device lost")),
  };
  await assert.rejects(
    () => train(classifier(), x, y, { engine: failing, live: false }),
    /device lost/,
  );
});

Deno.test("train: outside the kernel, live prints one line per epoch (Keras verbose=2)", async () => {
  const { x, y } = randomData({ rows: 60, seed: 8 });
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    await train(classifier(), x, y, { epochs: 3, seed: 8 });
  } finally {
    console.log = log;
  }
  // Keras's verbose: 0 (or live: false) is silent, 2 prints the same lines.
  const count = lines.length;
  const log2 = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    await train(classifier(), x, y, { epochs: 2, verbose: 0 });
    await train(classifier(), x, y, { epochs: 2, verbose: false });
    await train(classifier(), x, y, { epochs: 2, live: false, verbose: 2 });
    assert.equal(lines.length, count);
    await train(classifier(), x, y, { epochs: 2, verbose: 2 });
    assert.equal(lines.length, count + 3); // the engine line, then one line per epoch
  } finally {
    console.log = log2;
  }
  lines.length = count;
  assert.equal(lines.shift(), "Training with engine: fused");
  assert.equal(lines.length, 3);
  lines.forEach((l, i) =>
    assert.match(
      l,
      new RegExp(
        `^Epoch ${
          i + 1
        }/3 - 2/2 - \\d+s - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4} - F1: \\S+ - val_loss: \\S+ - val_accuracy: \\S+ - val_F1: \\S+ - \\d+ms/epoch - \\d+(ms|us)/step$`,
      ),
    )
  );
});

Deno.test("train: a model the fused engine cannot run falls back to tfjs and says why; engine: tfjs forces it", async () => {
  const { x, y } = randomData({ rows: 90, seed: 3 });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 4, activation: "relu", inputShape: [10], name: "h" }),
      tf.layers.batchNormalization({ name: "bn" }),
      tf.layers.dense({ units: 1, activation: "sigmoid", name: "out" }),
    ],
  });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const h = await train(model, x, y, { epochs: 2, seed: 3, verbose: 2 });
    assert.equal(h.engine, "tfjs");
    assert.match(
      h.fallback!,
      /^layer "bn" \(BatchNormalization\): the fused engine runs Dense and Dropout layers only$/,
    );
    assert.match(
      String(h),
      /engine tfjs \(fused engine not used: layer "bn" \(BatchNormalization\)/,
    );
  } finally {
    console.log = log;
  }
  assert.match(lines[0], /^Training with engine: tfjs \(fused engine not used: layer "bn"/);
  const forced = await train(classifier(), x, y, { epochs: 1, engine: "tfjs", live: false });
  assert.equal(forced.engine, "tfjs");
  assert.equal(forced.fallback, null);
});

Deno.test("train: a run that blows up stops naming the epoch and keeps the last good weights (both engines)", async () => {
  for (const engine of ["fused", "tfjs"] as const) {
    const model = perceptron({ inputs: 1, initializer: "ones" });
    model.compile({ optimizer: tf.train.sgd(1e30), loss: "meanSquaredError" });
    const start = weights(model);
    await assert.rejects(
      train(model, [[1], [2], [3], [4]], [5, -3, 8, 0], {
        epochs: 5,
        batchSize: 1,
        validationSplit: 0,
        live: false,
        engine,
      }),
      /^Error: train: the loss became (NaN|-?Infinity) in epoch 1\/5; try a lower learning rate, or check the data for extreme values$/,
    );
    // Epoch 1 failed, so the last good weights are the initial ones, and the optimizer's
    // state is finite too: the next run starts clean.
    assert.deepEqual(weights(model), start, engine);
    const state = await model.optimizer.getWeights();
    assert.ok(state.every((w) => Array.from(w.tensor.dataSync()).every(Number.isFinite)), engine);
    tf.dispose(state.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
    model.dispose();
  }
});

Deno.test("train: seeded runs at the same time each get their own stream and leave Math.random alone", async () => {
  const original = Math.random;
  const { x, y } = randomData({ rows: 90, seed: 5 });
  const run = () => train(classifier(5), x, y, { epochs: 3, seed: 5, live: false, engine: "tfjs" });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(Math.random, original);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.history, (await run()).history);
});

Deno.test("train: a model already training refuses a second train(), then trains again", async () => {
  const { x, y } = randomData({ rows: 300, seed: 5 });
  const model = classifier(7);
  const first = train(model, x, y, { epochs: 3, seed: 1, live: false });
  assert.throws( // at the call
    () => train(model, x, y, { epochs: 1, live: false }),
    (e: Error) =>
      e instanceof ArgumentError &&
      /train: model ".*" is already training \(an earlier train\(\) on it has not finished\)/
        .test(e.message),
  );
  assert.equal((await first).epoch.length, 3);
  // The same run on a fresh model gives the same weights: the refused call changed nothing.
  const twin = classifier(7);
  await train(twin, x, y, { epochs: 3, seed: 1, live: false });
  assert.deepEqual(weights(model), weights(twin));
  assert.equal((await train(model, x, y, { epochs: 1, live: false })).epoch.length, 1);
});

Deno.test("train: a seeded tfjs run with dropout is reproducible while an unseeded run trains beside it", async () => {
  const { x, y } = randomData({ rows: 120, seed: 5 });
  const build = () => {
    const m = deepNN({ features: 10, seed: 3, dropout: 0.3 });
    m.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
    return m;
  };
  const seeded = () => train(build(), x, y, { epochs: 3, seed: 9, live: false, engine: "tfjs" });
  const alone = await seeded();
  const [beside] = await Promise.all([
    seeded(),
    train(build(), x, y, { epochs: 3, live: false, engine: "tfjs" }),
  ]);
  assert.deepEqual(beside.history, alone.history);
});

/** A job for `model` on `rows` random rows, as train() makes it. */
function jobFor(model: tf.LayersModel, rows: number, epochs: number, batchSize: number): TrainJob {
  const { x, y } = randomData({ rows, seed: 4 });
  return {
    model,
    x: Float32Array.from(x.flat()),
    y: Float32Array.from(y),
    rows,
    features: 10,
    outputs: 1,
    plan: makePlan("test", { rows, batchSize, epochs, validationSplit: 0, shuffle: true, seed: 2 }),
    metrics: compiledMetrics(model),
  };
}

Deno.test("train: the tfjs engine reports every batch, and a stop between batches keeps the last epoch", async () => {
  const model = classifier(3);
  const job = jobFor(model, 100, 3, 20); // 5 batches per epoch
  const batches: string[] = [];
  let afterFirst: number[][] = [];
  await assert.rejects(
    () =>
      tfjsEngine.run(
        job,
        () => void (afterFirst = weights(model)),
        (epoch, done) => {
          batches.push(`${epoch}:${done}`);
          if (epoch === 1 && done === 2) throw new Error("stop");
        },
      ),
    /stop/,
  );
  assert.deepEqual(batches, ["0:1", "0:2", "0:3", "0:4", "0:5", "1:1", "1:2"]);
  assert.deepEqual(weights(model), afterFirst, "the weights of epoch 1, not half of epoch 2");
  model.dispose();
});

Deno.test("train: the fused engine gives timers a turn between batches and can stop there", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, activation: "relu", inputShape: [10] }),
      tf.layers.dense({ units: 256, activation: "relu" }),
      tf.layers.dense({ units: 1, activation: "sigmoid" }),
    ],
  });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const job = jobFor(model, 2000, 400, 16);
  // Not timed: a 0 ms timer set at one batch callback must have run by the next one (the
  // engine gives the event loop a macrotask turn before each); the run stops at the third
  // callback after the first epoch ended, and the model keeps the last finished epoch's weights.
  let calls = 0;
  let inSecond = 0;
  let fired = 0;
  let epochs = 0;
  let saved: number[][] = [];
  await assert.rejects(
    () =>
      fusedEngineWith({ threads: 1 }).run(
        job,
        () => {
          epochs++;
          saved = weights(model);
        },
        (epoch, batches) => {
          calls++;
          if (calls > 1) assert.equal(fired, calls - 1, "a timer ran between batch callbacks");
          assert.ok(batches < job.plan.batches.length, "called between batches, not at the end");
          // Callbacks come per batch or every few tens of ms: count from the first epoch's end.
          if (epochs >= 1 && epoch >= 1 && ++inSecond === 3) throw new Error("stop");
          setTimeout(() => fired++, 0);
        },
      ),
    /stop/,
  );
  assert.ok(epochs >= 1 && epochs < 400, `stopped after ${epochs} epochs`);
  assert.ok(calls >= 3, `${calls} batch callbacks`);
  assert.deepEqual(weights(model), saved, "the last finished epoch's weights, not a partial one");
  model.dispose();
});

Deno.test("train: an engine that cannot hold the model says so before any work", () => {
  const { x, y } = randomData({ rows: 50, seed: 5 });
  const model = classifier(3);
  const before = weights(model);
  const small = fusedEngineWith({ maxBytes: 1000 });
  const why = small.unsupported(jobFor(model, 50, 1, 30));
  assert.match(
    why ?? "",
    /^the model needs \d+ KB of training buffers \(weights, gradients, optimizer state, activations for a batch of 30\), more than the 1 KB the engine takes on/,
  );
  assert.throws( // at the call, before any work
    () => train(model, x, y, { epochs: 1, live: false, engine: small }),
    (e: Error) =>
      e instanceof ArgumentError &&
      /engine "fused" cannot train this model: the model needs/.test(e.message),
  );
  assert.deepEqual(weights(model), before);
});

Deno.test("train: live progress shows the batch within an epoch (per-batch hook)", async () => {
  const shown: string[] = [];
  let now = 0;
  const live = new LiveProgress({
    update: (b) => Promise.resolve(void shown.push(b["text/plain"])),
  }, {
    minIntervalMs: 100,
    now: () => now,
  });
  await live.start(5, 10);
  await live.epochEnd(0, { loss: 0.5 }, { loss: [0.5] });
  now = 1000;
  await live.batchEnd(1, 3);
  assert.match(shown[shown.length - 1], /^Epoch 2\/5 - 3\/10 \[.*\] 26% - ETA: /);
  now = 1050;
  await live.batchEnd(1, 4); // within minIntervalMs: not redrawn
  assert.equal(shown.length, 3);
  now = 2000;
  await live.epochEnd(1, { loss: 0.4 }, { loss: [0.5, 0.4] });
  assert.match(shown[shown.length - 1], /^Epoch 2\/5 \[/);
});

Deno.test("train without await: evaluate, explain and saveModel refuse the model until it finishes", async () => {
  const { x, y } = randomData({ rows: 60, seed: 4 });
  const model = deepNN({ features: 10, seed: 4 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const pending = train(model, x, y, { epochs: 3, live: false });
  const still = (e: Error) =>
    e instanceof ArgumentError &&
    /is still training .*: await train\(\.\.\.\) first/.test(e.message);
  assert.throws(() => evaluate(model, x, y), still);
  assert.throws(() => explain(model, { instance: x[0], background: x.slice(0, 5) }), still);
  assert.throws(() => saveModel(model, "never-written"), still);
  await pending;
  assert.doesNotThrow(() => evaluate(model, x, y)); // once trained, all is well
  model.dispose();
});

Deno.test("train: a model carrying a scaler refuses rows in the table's units, and trains on scaled ones", async () => {
  const records = Array.from({ length: 40 }, (_, i) => ({
    size: 10 + (i % 7),
    colour: ["red", "green", "blue"][i % 3],
    label: i % 2,
  }));
  const table = fromRecords(records, { target: "label", categorical: ["colour"] });
  const scaler = standardize(table.x);
  const model = deepNN({ features: 4, hidden: [4], seed: 1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  attachPreprocessing(model, { table, scaler });
  assert.throws(
    () => train(model, table.x, table.y, { epochs: 1, verbose: 0 }),
    new RegExp(
      "^ArgumentError: train: x holds rows in the table's units \\(its one-hot columns are 0s " +
        "and 1s\\), but train takes the model's own inputs and this model carries a scaler: " +
        "pass scaler\\.transform\\(x\\)",
    ),
  );
  assert.throws(
    () => train(model, tf.tensor2d(table.x), table.y, { epochs: 1, verbose: 0 }),
    /table's units/,
  );
  const h = await train(model, scaler.transform(table.x), table.y, { epochs: 2, verbose: 0 });
  assert.equal(h.history.loss.length, 2);
  // Without a scaler the table's rows are the model's inputs.
  const plain = deepNN({ features: 4, hidden: [4], seed: 1 });
  plain.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  attachPreprocessing(plain, { table });
  await train(plain, table.x, table.y, { epochs: 1, verbose: 0 });
  model.dispose();
  plain.dispose();
});

Deno.test("train, standardize: records readCSV gives are records too", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-train-csv-" });
  try {
    await Deno.writeTextFile(`${dir}/t.csv`, "a,b,label\n1,2,0\n3,4,1\n");
    const records = await readCSV(`${dir}/t.csv`);
    const model = deepNN({ features: 2, hidden: [2], seed: 1 });
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
    assert.throws(
      () => train(model, records as never, [0, 1]),
      /^ArgumentError: train: x\[0\] is a record \(an object\): turn records into rows with fromRecords/,
    );
    assert.throws(() => standardize(records as never), /x\[0\] is a record \(an object\)/);
    model.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
