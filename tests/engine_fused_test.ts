import assert from "node:assert/strict";
import { tf } from "../lib/core/tf.ts";
import { deepNN } from "../lib/build/models.ts";
import { f1, precision, r2, recall } from "../lib/train/metrics.ts";
import { randomData } from "../lib/data/random_data.ts";
import { train } from "../lib/train/train.ts";
import { fusedEngine, fusedEngineWith } from "../lib/train/fused/engine.ts";
import { tfjsEngine } from "../lib/train/tfjs/engine.ts";
import { makePlan } from "../lib/train/plan.ts";
import {
  compiledMetrics,
  type EpochLogs,
  type TrainEngine,
  type TrainJob,
} from "../lib/train/engine.ts";
import { rng } from "../lib/core/random.ts";

type Rows = number[][];

/** The largest relative difference between two histories (same keys, same epochs). */
function historyGap(a: Record<string, number[]>, b: Record<string, number[]>): number {
  assert.deepEqual(Object.keys(b), Object.keys(a));
  let worst = 0;
  for (const key of Object.keys(a)) {
    assert.equal(b[key].length, a[key].length, key);
    a[key].forEach((v, e) => {
      assert.ok(Number.isFinite(v) && Number.isFinite(b[key][e]), `${key}[${e}]`);
      worst = Math.max(worst, Math.abs(v - b[key][e]) / Math.max(Math.abs(v), 1e-3));
    });
  }
  return worst;
}

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

function weightGap(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((w, i) =>
    w.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - b[i][j]) / Math.max(Math.abs(v), 1e-2));
    })
  );
  return worst;
}

/**
 * Trains two identical models (same builder, same seed) on tfjs `fit` and on the fused
 * engine with the same plan, and returns both histories and final weights.
 */
async function bothEngines(
  build: () => tf.LayersModel,
  x: Rows,
  y: number[] | Rows,
  epochs = 10,
  batchSize = 30,
) {
  const runs = [];
  for (const engine of [tfjsEngine, fusedEngine]) {
    const model = build();
    const history = await train(model, x, y, { epochs, batchSize, seed: 3, live: false, engine });
    assert.equal(history.engine, engine.name);
    runs.push({ history: history.history, weights: weightsOf(model) });
  }
  return runs;
}

function regressionRows(rows: number, features: number, seed: number): { x: Rows; y: number[] } {
  const r = rng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: features }, () => r.normal()));
  const y = x.map((row) => row.reduce((s, v, j) => s + v * (j % 3 - 1), 0) + 0.1 * r.normal());
  return { x, y };
}

Deno.test("fused matches tfjs fit: the article's DeepNN classification (adam, accuracy, F1)", async () => {
  const { x, y } = randomData({ seed: 42 });
  const [tfjs, fused] = await bothEngines(
    () => {
      const model = deepNN({ features: 10, seed: 7, dropout: 0 });
      model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
      return model;
    },
    x,
    y,
  );
  assert.deepEqual(Object.keys(fused.history), [
    "loss",
    "accuracy",
    "F1",
    "val_loss",
    "val_accuracy",
    "val_F1",
  ]);
  assert.ok(historyGap(tfjs.history, fused.history) < 1e-4);
  assert.ok(weightGap(tfjs.weights, fused.weights) < 1e-4);
});

Deno.test("fused matches tfjs fit: DeepNN regression (functional, meanAbsoluteError, R2)", async () => {
  const { x, y } = randomData({ seed: 5, task: "regression" });
  const [tfjs, fused] = await bothEngines(
    () => {
      const model = deepNN({
        features: 10,
        seed: 11,
        dropout: 0,
        task: "regression",
        style: "functional",
      });
      model.compile({ optimizer: "adam", loss: "meanAbsoluteError", metrics: [r2] });
      return model;
    },
    x,
    y,
  );
  assert.deepEqual(Object.keys(fused.history), ["loss", "R2", "val_loss", "val_R2"]);
  assert.ok(historyGap(tfjs.history, fused.history) < 1e-4);
  assert.ok(weightGap(tfjs.weights, fused.weights) < 1e-4);
});

Deno.test("fused matches tfjs fit: MSE with SGD, tanh hidden layer, a layer without bias", async () => {
  const { x, y } = regressionRows(400, 6, 9);
  const [tfjs, fused] = await bothEngines(
    () => {
      const init = (seed: number) => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 8,
            activation: "tanh",
            inputShape: [6],
            kernelInitializer: init(1),
          }),
          tf.layers.dense({ units: 4, useBias: false, kernelInitializer: init(2) }),
          tf.layers.dense({ units: 1, kernelInitializer: init(3) }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError", metrics: ["mae"] });
      return model;
    },
    x,
    y,
    10,
    32,
  );
  assert.deepEqual(Object.keys(fused.history), ["loss", "mae", "val_loss", "val_mae"]);
  assert.ok(historyGap(tfjs.history, fused.history) < 1e-4);
  assert.ok(weightGap(tfjs.weights, fused.weights) < 1e-4);
});

Deno.test("fused matches tfjs fit: softmax with categoricalCrossentropy and categorical accuracy", async () => {
  const r = rng(21);
  const x = Array.from({ length: 300 }, () => Array.from({ length: 4 }, () => r.normal()));
  const y = x.map((row) => {
    const c = row[0] + row[1] > 0.5 ? 0 : row[2] > 0 ? 1 : 2;
    return [0, 1, 2].map((k) => (k === c ? 1 : 0));
  });
  const [tfjs, fused] = await bothEngines(
    () => {
      const init = (seed: number) => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 8,
            activation: "sigmoid",
            inputShape: [4],
            kernelInitializer: init(4),
          }),
          tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(5) }),
        ],
      });
      model.compile({
        optimizer: tf.train.adam(0.01, 0.8, 0.99),
        loss: "categoricalCrossentropy",
        metrics: ["accuracy"],
      });
      return model;
    },
    x,
    y,
    10,
    25,
  );
  assert.deepEqual(Object.keys(fused.history), ["loss", "accuracy", "val_loss", "val_accuracy"]);
  assert.ok(historyGap(tfjs.history, fused.history) < 1e-4);
  assert.ok(weightGap(tfjs.weights, fused.weights) < 1e-4);
});

Deno.test("fused matches tfjs fit: softmax with sparseCategoricalCrossentropy (integer labels), relu, dropout-free", async () => {
  const r = rng(22);
  const x = Array.from({ length: 400 }, () => Array.from({ length: 6 }, () => r.normal()));
  // Four classes from the features; labels as integers, one per row.
  const y = x.map((row) => (row[0] > 0 ? 0 : 1) + (row[1] + row[2] > 0 ? 2 : 0));
  const [tfjs, fused] = await bothEngines(
    () => {
      const init = (seed: number) => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 24,
            activation: "relu",
            inputShape: [6],
            kernelInitializer: init(6),
          }),
          tf.layers.dense({ units: 16, activation: "relu", kernelInitializer: init(7) }),
          tf.layers.dense({ units: 4, activation: "softmax", kernelInitializer: init(8) }),
        ],
      });
      model.compile({
        optimizer: tf.train.adam(0.01),
        loss: "sparseCategoricalCrossentropy",
        metrics: ["accuracy"],
      });
      return model;
    },
    x,
    y,
    8,
    32,
  );
  assert.deepEqual(Object.keys(fused.history), ["loss", "accuracy", "val_loss", "val_accuracy"]);
  assert.ok(historyGap(tfjs.history, fused.history) < 1e-4);
  assert.ok(weightGap(tfjs.weights, fused.weights) < 1e-4);
  // It learned: better than the 4-class chance level on the validation rows.
  assert.ok(fused.history.val_accuracy[7] > 0.6, `${fused.history.val_accuracy}`);
});

Deno.test("fused on 1 or 2 threads: same seed, same history and weights, bit for bit", async () => {
  const r = rng(8);
  const x = Array.from({ length: 600 }, () => Array.from({ length: 64 }, () => r.normal()));
  const y = x.map((row) => (row[0] + row[5] - row[9] > 0 ? 1 : 0));
  const runs = [];
  for (const threads of [1, 2] as const) {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 96,
          activation: "relu",
          inputShape: [64],
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({
          units: 48,
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
        tf.layers.dense({
          units: 1,
          activation: "sigmoid",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        }),
      ],
    });
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
    const engine = fusedEngineWith({ threads });
    const history = await train(model, x, y, {
      epochs: 3,
      batchSize: 64,
      seed: 5,
      live: false,
      engine,
    });
    runs.push({ history: history.history, weights: weightsOf(model) });
    model.dispose();
  }
  assert.deepEqual(runs[1].history, runs[0].history);
  assert.deepEqual(runs[1].weights, runs[0].weights);
});

Deno.test("fused matches tfjs fit: a wider network (SIMD products), SGD, Precision and Recall", async () => {
  const r = rng(33);
  const x = Array.from({ length: 1200 }, () => Array.from({ length: 32 }, () => r.normal()));
  const y = x.map((row) => (row[0] - row[5] + 0.5 * row[9] > 0 ? 1 : 0));
  const [tfjs, fused] = await bothEngines(
    () => {
      const init = (seed: number) => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 64,
            activation: "relu",
            inputShape: [32],
            kernelInitializer: init(6),
          }),
          tf.layers.dense({ units: 33, activation: "tanh", kernelInitializer: init(7) }),
          tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: init(8) }),
        ],
      });
      model.compile({
        optimizer: tf.train.sgd(0.1),
        loss: "binaryCrossentropy",
        metrics: [precision, recall, "binaryAccuracy"],
      });
      return model;
    },
    x,
    y,
    10,
    64,
  );
  assert.deepEqual(Object.keys(fused.history), [
    "loss",
    "Precision",
    "Recall",
    "binaryAccuracy",
    "val_loss",
    "val_Precision",
    "val_Recall",
    "val_binaryAccuracy",
  ]);
  assert.ok(historyGap(tfjs.history, fused.history) < 1e-4);
  assert.ok(weightGap(tfjs.weights, fused.weights) < 1e-4);
});

Deno.test("fused continues tfjs's Adam state and hands its own back", async () => {
  const { x, y } = randomData({ seed: 8, rows: 300 });
  const build = () => {
    const model = deepNN({ features: 10, seed: 2, dropout: 0 });
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
    return model;
  };
  const options = { batchSize: 30, shuffle: false, live: false } as const;
  const reference = build();
  const whole = await train(reference, x, y, { ...options, epochs: 6, engine: "tfjs" });
  for (const [first, second] of [[tfjsEngine, fusedEngine], [fusedEngine, tfjsEngine]]) {
    const model = build();
    const a = await train(model, x, y, { ...options, epochs: 3, engine: first });
    const b = await train(model, x, y, { ...options, epochs: 3, engine: second });
    const joined = Object.fromEntries(
      Object.keys(a.history).map((k) => [k, [...a.history[k], ...b.history[k]]]),
    );
    assert.ok(historyGap(whole.history, joined) < 1e-4, `${first.name} then ${second.name}`);
    assert.ok(weightGap(weightsOf(reference), weightsOf(model)) < 1e-4);
    assert.equal(model.optimizer.iterations, 6 * 7);
  }
});

Deno.test("fused with dropout: the same seed gives identical runs, another seed differs", async () => {
  const { x, y } = randomData({ seed: 1, rows: 400 });
  const run = async (seed: number) => {
    const model = deepNN({ features: 10, seed: 4, dropout: 0.2 });
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
    const h = await train(model, x, y, { epochs: 5, seed, live: false, engine: fusedEngine });
    return { history: h.history, weights: weightsOf(model) };
  };
  const a = await run(10), b = await run(10), c = await run(11);
  assert.deepEqual(b, a);
  assert.notDeepEqual(c.history.loss, a.history.loss);
});

Deno.test("fused writes the weights back before each epoch callback", async () => {
  const { x, y } = randomData({ seed: 6, rows: 200 });
  const model = deepNN({ features: 10, seed: 6, dropout: 0.1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
  const rows = 200, features = 10;
  const job: TrainJob = {
    model,
    x: Float32Array.from(x.flat()),
    y: Float32Array.from(y),
    rows,
    features,
    outputs: 1,
    plan: makePlan("test", {
      rows,
      batchSize: 16,
      epochs: 3,
      validationSplit: 0,
      shuffle: true,
      seed: 5,
    }),
    metrics: compiledMetrics(model),
  };
  assert.equal(fusedEngine.unsupported(job), null);
  const seen: number[][][] = [];
  const logs: EpochLogs[] = [];
  const before = weightsOf(model);
  await fusedEngine.run(job, (_epoch, l) => {
    seen.push(weightsOf(model));
    logs.push(l);
  });
  assert.equal(seen.length, 3);
  assert.deepEqual(Object.keys(logs[0]), ["loss", "accuracy"]);
  assert.notDeepEqual(seen[0], before);
  assert.notDeepEqual(seen[1], seen[0]);
  assert.deepEqual(weightsOf(model), seen[2]);
});

function jobFor(model: tf.LayersModel, features = 4): TrainJob {
  return {
    model,
    x: new Float32Array(20 * features),
    y: new Float32Array(20),
    rows: 20,
    features,
    outputs: 1,
    plan: makePlan("test", {
      rows: 20,
      batchSize: 5,
      epochs: 1,
      validationSplit: 0,
      shuffle: false,
      seed: 1,
    }),
    metrics: compiledMetrics(model),
  };
}

function oneLine(reason: string | null): string {
  assert.equal(typeof reason, "string");
  assert.ok(!(reason as string).includes("\n"), reason as string);
  return reason as string;
}

Deno.test("fused says in one line why it cannot run a model", () => {
  const withBatchNorm = tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [4], name: "h" }),
      tf.layers.batchNormalization({ name: "bn" }),
      tf.layers.dense({ units: 1, activation: "sigmoid" }),
    ],
  });
  withBatchNorm.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  assert.equal(
    oneLine(fusedEngine.unsupported(jobFor(withBatchNorm))),
    'layer "bn" (BatchNormalization): the fused engine runs Dense and Dropout layers only',
  );

  const build = (activation: "sigmoid" | "elu" = "sigmoid") =>
    tf.sequential({
      layers: [tf.layers.dense({ units: 1, inputShape: [4], activation, name: "out" })],
    });
  const hinge = build();
  hinge.compile({ optimizer: "adam", loss: "hinge" });
  assert.match(oneLine(fusedEngine.unsupported(jobFor(hinge))), /^the loss "hinge" is not one of/);

  const custom = build();
  custom.compile({ optimizer: "adam", loss: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b) });
  assert.match(oneLine(fusedEngine.unsupported(jobFor(custom))), /^the loss is a custom function/);

  const rmsprop = build();
  rmsprop.compile({ optimizer: "rmsprop", loss: "binaryCrossentropy" });
  assert.equal(
    oneLine(fusedEngine.unsupported(jobFor(rmsprop))),
    "the optimizer is RMSProp; the fused engine runs Adam and SGD",
  );

  const momentum = build();
  momentum.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: "binaryCrossentropy" });
  assert.match(oneLine(fusedEngine.unsupported(jobFor(momentum))), /optimizer is Momentum/);

  const elu = build("elu");
  elu.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  assert.match(
    oneLine(fusedEngine.unsupported(jobFor(elu))),
    /^Dense layer "out" has activation "elu"/,
  );

  const tfjsPrecision = build();
  tfjsPrecision.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["precision"] });
  assert.equal(
    oneLine(fusedEngine.unsupported(jobFor(tfjsPrecision))),
    'the metric "precision" is computed by tfjs only',
  );

  const regularized = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 1,
        inputShape: [4],
        name: "l2",
        kernelRegularizer: tf.regularizers.l2(),
      }),
    ],
  });
  regularized.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  assert.match(
    oneLine(fusedEngine.unsupported(jobFor(regularized))),
    /"l2" has a kernel regularizer/,
  );

  const fine = build();
  fine.compile({ optimizer: "sgd", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
  assert.equal(fusedEngine.unsupported(jobFor(fine)), null);
  const functional = deepNN({ features: 4, style: "functional" });
  functional.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
  assert.equal(fusedEngine.unsupported(jobFor(functional)), null);
});

Deno.test("fused stops with the epoch when the weights become NaN, keeping the last good epoch", async () => {
  const { x, y } = regressionRows(200, 6, 3);
  const build = (learningRate: number) => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 8,
          activation: "relu",
          inputShape: [6],
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dense({
          units: 1,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(learningRate), loss: "meanSquaredError" });
    return model;
  };
  // SGD at 0.5 overflows this regression in its second epoch.
  const exploding = build(0.5);
  const epochsDone: number[] = [];
  let lastGood: number[][] = [];
  const job: TrainJob = {
    model: exploding,
    x: Float32Array.from(x.flat()),
    y: Float32Array.from(y),
    rows: 200,
    features: 6,
    outputs: 1,
    plan: makePlan("test", {
      rows: 200,
      batchSize: 30,
      epochs: 50,
      validationSplit: 0.3,
      shuffle: true,
      seed: 1,
    }),
    metrics: [],
  };
  const before = tf.memory().numTensors;
  await assert.rejects(
    fusedEngine.run(job, (epoch) => {
      epochsDone.push(epoch);
      lastGood = weightsOf(exploding);
    }),
    (e: Error) => {
      const m =
        /^train: the (weights|loss) became (NaN|-?Infinity) in epoch (\d+)\/50; try a lower /
          .exec(e.message);
      assert.ok(m, e.message);
      assert.equal(Number(m[3]), epochsDone.length + 1);
      return true;
    },
  );
  assert.deepEqual(epochsDone, [0]);
  assert.ok(weightsOf(exploding).flat().every(Number.isFinite));
  assert.deepEqual(weightsOf(exploding), lastGood);
  assert.equal(tf.memory().numTensors, before);

  const poisoned = build(0.01);
  const [kernel, bias] = poisoned.layers[0].getWeights();
  const values = kernel.dataSync().slice();
  values[3] = NaN;
  const nanKernel = tf.tensor2d(values, [6, 8]);
  poisoned.layers[0].setWeights([nanKernel, bias]);
  nanKernel.dispose();
  await assert.rejects(
    train(poisoned, x, y, { epochs: 3, live: false, engine: fusedEngine }),
    /^Error: train: the weights became NaN in epoch 1\/3; try a lower learning rate, or check/,
  );
});

Deno.test("fused leaves no tensor behind once the optimizer has its state", async () => {
  const { x, y } = randomData({ seed: 3, rows: 100 });
  const model = deepNN({ features: 10, seed: 3 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
  const start = tf.memory().numTensors;
  await train(model, x, y, { epochs: 2, seed: 1, live: false, engine: fusedEngine });
  // The first run creates Adam's two moments per weight, as tfjs's first fit does.
  assert.equal(tf.memory().numTensors, start + 2 * model.trainableWeights.length);
  const again = tf.memory().numTensors;
  await train(model, x, y, { epochs: 2, seed: 1, live: false, engine: fusedEngine });
  assert.equal(tf.memory().numTensors, again);
});

Deno.test("fused reads batches from the caller's rows: the data is never copied whole", async () => {
  const { x, y } = randomData({ seed: 4 });
  let copied = false;
  let rowsGiven = false;
  const watching: TrainEngine = {
    name: "fused",
    unsupported: (job) => fusedEngine.unsupported(job),
    run(job, onEpochEnd, onBatch) {
      rowsGiven = job.xRows === x;
      const watched = new Proxy(job, {
        get(target, key) {
          if (key === "x") copied = true;
          return Reflect.get(target, key);
        },
      });
      return fusedEngine.run(watched, onEpochEnd, onBatch);
    },
  };
  const runs = [];
  for (const engine of [watching, fusedEngine]) {
    const model = deepNN({ features: 10, seed: 2 });
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
    const h = await train(model, x, y, {
      epochs: 2,
      validationSplit: 0.2,
      seed: 1,
      live: false,
      engine,
    });
    runs.push({ history: h.history, weights: weightsOf(model) });
    model.dispose();
  }
  assert.ok(rowsGiven, "the job carries the caller's rows");
  assert.equal(copied, false, "job.x was never read");
  // A tensor gives the same numbers (its values, not rows).
  const model = deepNN({ features: 10, seed: 2 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
  const xt = tf.tensor2d(x), yt = tf.tensor1d(y);
  const h = await train(model, xt, yt, { epochs: 2, validationSplit: 0.2, seed: 1, live: false });
  tf.dispose([xt, yt]);
  assert.deepEqual(h.history, runs[0].history);
  assert.deepEqual(weightsOf(model), runs[0].weights);
  assert.deepEqual(runs[1].weights, runs[0].weights);
  model.dispose();
});

Deno.test("fused with weightsEachEpoch false writes the weights once, at the end or the stop", async () => {
  const { x, y } = randomData({ seed: 6, rows: 200 });
  const run = async (weightsEachEpoch: boolean, stopAfter: number | null) => {
    const model = deepNN({ features: 10, seed: 6, dropout: 0.1 });
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
    const plan = makePlan("test", {
      rows: 200,
      batchSize: 16,
      epochs: 3,
      validationSplit: 0,
      shuffle: true,
      seed: 5,
    });
    const job: TrainJob = {
      model,
      x: Float32Array.from(x.flat()),
      y: Float32Array.from(y),
      rows: 200,
      features: 10,
      outputs: 1,
      plan,
      metrics: compiledMetrics(model),
      weightsEachEpoch,
    };
    const before = weightsOf(model);
    const seen: number[][][] = [];
    await fusedEngine.run(job, (epoch) => {
      seen.push(weightsOf(model));
      if (epoch + 1 === stopAfter) throw new Error("stop");
    }).catch((e) => assert.equal(e.message, "stop"));
    const after = weightsOf(model);
    model.dispose();
    return { before, seen, after };
  };
  const each = await run(true, null);
  const once = await run(false, null);
  assert.deepEqual(
    once.seen,
    [once.before, once.before, once.before],
    "not written during the run",
  );
  assert.deepEqual(once.after, each.after, "the same final weights");
  const stopped = await run(false, 2);
  assert.deepEqual(stopped.after, each.seen[1], "a stop keeps the last complete epoch");
});
