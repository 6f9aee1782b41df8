/**
 * The article's whole pipeline as a plain Deno script: build the DeepNN, describe it, train
 * it on random data, evaluate it, explain one prediction, and write the figures as SVG.
 *
 * Run from the repository root: `deno run -A examples/article.ts [out-dir]`
 * (default out-dir: examples/output).
 *
 * @module
 */
import {
  decisionPlot,
  deepNN,
  evaluate,
  explain,
  f1,
  plotHistory,
  randomData,
  saveModel,
  summary,
  train,
  visualizeNN,
  waterfallPlot,
} from "../lib/mod.ts";
import { join } from "node:path";

const outDir = Deno.args[0] ?? "examples/output";
await Deno.mkdir(outDir, { recursive: true });

// 1. Build: the article's DeepNN for 10 features (6 and 3 relu units, dropout 0.2, sigmoid output).
const model = deepNN({ features: 10, task: "classification", seed: 42 });
model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });

// 2. Describe: the Keras-style summary and the neuron diagram.
console.log(String(summary(model)));
visualizeNN(model, { description: true }).save(`${outDir}/diagram.svg`);

// 3. Train on the article's random data: 1,000 rows, batch 30, 100 epochs, 30% for validation.
const data = randomData({ rows: 1000, features: 10, task: "classification", seed: 42 });
const history = await train(model, data.x, data.y, {
  batchSize: 30,
  epochs: 100,
  seed: 42,
  live: false,
});
console.log(String(history));
(await plotHistory(history)).save(`${outDir}/history.svg`);

// 4. Evaluate on all rows: confusion matrix, accuracy, precision, recall, F1.
console.log(String(evaluate(model, data.x, data.y, { task: "classification" })));

// 5. Explain row i = 1, as the article does: the first 100 rows as background, logit link.
const explanation = explain(model, {
  instance: data.x[1],
  background: data.x.slice(0, 100),
  featureNames: data.featureNames,
  link: "logit",
});
decisionPlot(explanation, { top: 10 }).save(`${outDir}/explanation.svg`);
waterfallPlot(explanation, { top: 6 }).save(`${outDir}/waterfall.svg`);
const total = explanation.values.reduce((a, b) => a + b, 0);
console.log(
  `explanation (${explanation.method}): base ${explanation.baseValue.toFixed(4)} + ` +
    `sum of values ${total.toFixed(4)} = output ${explanation.output.toFixed(4)} (log-odds)`,
);

// 6. Keep the trained model for other scripts: loadModel(`${outDir}/model`).
await saveModel(model, `${outDir}/model`);
// join() so that "out/" prints as out/diagram.svg, not out//diagram.svg.
console.log(
  `wrote ${join(outDir, "diagram.svg")}, history.svg, explanation.svg, waterfall.svg and model/`,
);
