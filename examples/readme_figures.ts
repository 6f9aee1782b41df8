/**
 * Writes the README's figures to examples/figures: the article's pipeline
 * (examples/article.ts: diagram, history, explanation, waterfall), then the collapsed
 * 784-512-256-10 network and the layer graph of a model with two inputs and two outputs.
 *
 * Run from the repository root: `deno run -A examples/readme_figures.ts`
 *
 * @module
 */
import { plotModel, tf, visualizeNN } from "../lib/mod.ts";

const outDir = "examples/figures";
const article = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "examples/article.ts", outDir],
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!article.success) throw new Error("examples/article.ts failed");

const mnist = tf.sequential({
  name: "MNIST-MLP",
  layers: [
    tf.layers.dense({ name: "h1", units: 512, activation: "relu", inputShape: [784] }),
    tf.layers.dense({ name: "h2", units: 256, activation: "relu" }),
    tf.layers.dense({ name: "digits", units: 10, activation: "softmax" }),
  ],
});
visualizeNN(mnist, { description: true }).save(`${outDir}/wide-network.svg`);

const numeric = tf.input({ name: "numeric", shape: [8] });
const text = tf.input({ name: "text", shape: [16] });
const dense = (name: string, units: number, x: tf.SymbolicTensor, activation?: "relu") =>
  tf.layers.dense({ name, units, activation }).apply(x) as tf.SymbolicTensor;
const merged = tf.layers.concatenate({ name: "merge" })
  .apply([dense("numeric_dense", 8, numeric, "relu"), dense("text_dense", 8, text, "relu")]);
const trunk = dense("trunk", 12, merged as tf.SymbolicTensor, "relu");
const price = dense("price", 1, trunk);
const category = tf.layers.dense({ name: "category", units: 3, activation: "softmax" })
  .apply(trunk) as tf.SymbolicTensor;
const twoHeads = tf.model({
  name: "TwoHeads",
  inputs: [numeric, text],
  outputs: [price, category],
});
(await plotModel(twoHeads, { showLayerActivations: true })).save(`${outDir}/layer-graph.svg`);
console.log(`wrote ${outDir}/wide-network.svg and layer-graph.svg`);
