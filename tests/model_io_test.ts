import assert from "node:assert/strict";
import { join } from "node:path";
import { binaryStep, deepNN, loadModel, perceptron, saveModel, tf } from "../lib/mod.ts";

function predict(model: tf.LayersModel, x: number[][]): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync()));
}

Deno.test("saveModel/loadModel: a trained DeepNN predicts the same after a round trip", async () => {
  const dir = join(await Deno.makeTempDir(), "deep");
  const model = deepNN({ features: 4, seed: 3 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const xs = tf.tensor2d([[0, 1, 0, 1], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1]]);
  const ys = tf.tensor2d([[1], [0], [1], [0]]);
  await model.fit(xs, ys, { epochs: 3, verbose: 0 });
  tf.dispose([xs, ys]);
  const before = tf.memory().numTensors;
  assert.equal(await saveModel(model, dir), dir);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "model.json",
    "weights.bin",
  ]);
  assert.equal(Deno.statSync(join(dir, "weights.bin")).size, model.countParams() * 4);
  const loaded = await loadModel(dir);
  const rows = [[0.1, 0.2, 0.3, 0.4], [1, 0, 0.5, 0.2]];
  assert.deepEqual(predict(loaded, rows), predict(model, rows));
  assert.equal(loaded.name, model.name);
  assert.deepEqual(loaded.layers.map((l) => l.name), model.layers.map((l) => l.name));
  loaded.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("saveModel/loadModel: binaryStep survives, and a second save replaces the first", async () => {
  const dir = join(await Deno.makeTempDir(), "step");
  await saveModel(perceptron({ inputs: 2 }), dir);
  const model = perceptron({
    inputs: 3,
    activation: binaryStep,
    initializer: "ones",
    style: "functional",
  });
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  assert.deepEqual(predict(loaded, [[1, 1, 1], [-1, -1, 0.5]]), [1, 0]);
  assert.equal(loaded.inputs[0].shape[1], 3);
  const siblings = [...Deno.readDirSync(join(dir, ".."))].map((e) => e.name);
  assert.deepEqual(siblings, ["step"], "no temporary folders left behind");
});

Deno.test("loadModel: a missing folder, a corrupt model.json or wrong-size weights name the file", async () => {
  const root = await Deno.makeTempDir();
  await assert.rejects(
    loadModel(join(root, "nothing")),
    /loadModel: .*nothing\/model\.json not found/,
  );
  const dir = join(root, "m");
  await saveModel(perceptron(), dir);
  const json = Deno.readTextFileSync(join(dir, "model.json"));
  Deno.writeFileSync(join(dir, "weights.bin"), new Uint8Array(12));
  await assert.rejects(
    loadModel(dir),
    /weights\.bin holds 12 bytes, but .*model\.json describes 16 bytes/,
  );
  Deno.writeTextFileSync(join(dir, "model.json"), json.slice(0, 40));
  await assert.rejects(loadModel(dir), /loadModel: .*m\/model\.json is not valid JSON/);
  Deno.writeTextFileSync(join(dir, "model.json"), "{}");
  await assert.rejects(loadModel(dir), /model\.json is not a tfjs Layers model/);
  await assert.rejects(loadModel(""), /loadModel: dir must be a folder path, got ""/);
});

Deno.test("saveModel: a failing save leaves nothing behind", async () => {
  const root = await Deno.makeTempDir();
  await assert.rejects(
    saveModel(tf.sequential(), join(root, "x")),
    /saveModel: model "sequential_\d+" is not built/,
  );
  assert.deepEqual([...Deno.readDirSync(root)], []);
});
