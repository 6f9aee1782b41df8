// Every kind of figure the lib draws, for the layout check (tests/layout_test.ts): the
// notebooks' figures (same models, synthetic histories and explanations of the same shape)
// and hard cases: long names, many layers, LR layouts, every optional row, hostile text.
import { tf } from "../lib/core/tf.ts";
import { deepNN, perceptron } from "../lib/build/models.ts";
import { visualizeNN } from "../lib/describe/visualize_nn.ts";
import { plotModel } from "../lib/describe/plot_model.ts";
import { plotHistory } from "../lib/plot/plot_history.ts";
import { waterfallPlot } from "../lib/plot/waterfall_plot.ts";
import { barPlot } from "../lib/plot/bar_plot.ts";
import { decisionPlot } from "../lib/plot/decision_plot.ts";
import { progressBundle, type ProgressState } from "../lib/train/progress.ts";
import type { ExplanationData } from "../lib/plot/shap_rows.ts";

/** One figure to check: its name (also the screenshot's file name) and its SVG. */
export interface LayoutFigure {
  name: string;
  svg: string;
}

const LONG = "a_rather_long_layer_name_that_keeps_going_and_going";

function sequential(name: string, sizes: number[], names?: string[]): tf.LayersModel {
  return tf.sequential({
    name,
    layers: sizes.slice(1).map((units, i) =>
      tf.layers.dense({
        name: names?.[i],
        units,
        activation: i === sizes.length - 2 ? "sigmoid" : "relu",
        inputShape: i === 0 ? [sizes[0]] : undefined,
      })
    ),
  });
}

function twoHeads(): tf.LayersModel {
  const numeric = tf.input({ name: "numeric", shape: [8] });
  const text = tf.input({ name: "text", shape: [16] });
  const dense = (name: string, units: number, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    tf.layers.dense({ name, units, activation: "relu" }).apply(x) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: "merge" })
    .apply([dense("numeric_dense", 8, numeric), dense("text_dense", 8, text)]) as tf.SymbolicTensor;
  const trunk = dense("trunk", 12, merged);
  const price = tf.layers.dense({ name: "price", units: 1 }).apply(trunk) as tf.SymbolicTensor;
  const category = tf.layers.dense({ name: "category", units: 3, activation: "softmax" })
    .apply(trunk) as tf.SymbolicTensor;
  return tf.model({ name: "TwoHeads", inputs: [numeric, text], outputs: [price, category] });
}

function history(epochs: number, keys: string[], validation = true): Record<string, number[]> {
  const h: Record<string, number[]> = {};
  const curve = (k: number, i: number) =>
    k === 0 ? 0.7 * Math.exp(-i / (epochs / 3)) + 0.05 : 0.5 + 0.45 * (1 - Math.exp(-i / 20)) +
      0.01 * Math.sin(i * k);
  for (const prefix of validation ? ["", "val_"] : [""]) {
    ["loss", ...keys].forEach((key, k) => {
      h[prefix + key] = Array.from({ length: epochs }, (_, i) => curve(k, i) * (prefix ? 1.05 : 1));
    });
  }
  return h;
}

function explanation(values: number[], names?: string[], logit = true): ExplanationData {
  const featureNames = names ?? values.map((_, i) => `x${i + 1}`);
  const baseValue = logit ? -0.2 : 1.5;
  return {
    values,
    baseValue,
    output: baseValue + values.reduce((a, b) => a + b, 0),
    featureNames,
    instance: values.map((_, i) => Math.round((0.25 + i * 0.137) * 100) / 100),
    link: logit ? "logit" : "identity",
  };
}

function progressFrame(state: Partial<ProgressState>, h: Record<string, number[]>): string {
  const s: ProgressState = {
    epoch: 0,
    epochs: 100,
    steps: 24,
    elapsedMs: 0,
    epochMs: 0,
    logs: {},
    ...state,
  };
  return progressBundle(s, h)["image/svg+xml"] as string;
}

const last = (h: Record<string, number[]>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v[v.length - 1]]));

/** Builds every figure (tfjs models are disposed before returning). */
export async function layoutFigures(): Promise<LayoutFigure[]> {
  const figures: LayoutFigure[] = [];
  const add = (name: string, svg: string) => figures.push({ name, svg });
  const models: tf.LayersModel[] = [];
  const keep = <M extends tf.LayersModel>(m: M) => (models.push(m), m);
  try {
    // Notebook 03.
    const perc = keep(perceptron({ inputs: 3, style: "functional", initializer: "ones" }));
    const deep = keep(deepNN({ features: 10, seed: 42 }));
    const mnist = keep(sequential("MNIST-MLP", [784, 512, 256, 10], ["h1", "h2", "digits"]));
    const heads = keep(twoHeads());
    const small = keep(sequential("Trained", [3, 4, 1], ["hidden", "output"]));
    add("nn-perceptron", visualizeNN(perc, { description: true }).toSVG());
    add("nn-deep", visualizeNN(deep, { description: true }).toSVG());
    add("nn-mnist", visualizeNN(mnist, { description: true }).toSVG());
    add("nn-trained-weights", visualizeNN(small, { description: true, weights: true }).toSVG());
    add("graph-perceptron", (await plotModel(perc)).toSVG());
    add("graph-deep", (await plotModel(deep)).toSVG());
    add("graph-two-heads", (await plotModel(heads, { showLayerActivations: true })).toSVG());
    // Hard cases: the neuron diagram.
    add("nn-perceptron-weights", visualizeNN(keep(perceptron()), { weights: true }).toSVG());
    add("nn-mnist-weights", visualizeNN(mnist, { weights: true, description: true }).toSVG());
    const wide = keep(sequential("Wide", [40, 64, 64, 32, 2]));
    add("nn-wide-weights", visualizeNN(wide, { weights: true }).toSVG());
    const longNames = keep(
      sequential(`Model ${LONG}`, [5, 4, 3, 1], [LONG, `${LONG}_2`, `${LONG}_out`]),
    );
    add("nn-long-names", visualizeNN(longNames, { description: true }).toSVG());
    const many = keep(sequential("Many", [4, ...Array.from({ length: 14 }, () => 5), 1]));
    add("nn-many-layers", visualizeNN(many, { description: true }).toSVG());
    add("nn-no-title", visualizeNN(deep, { title: "", description: true }).toSVG());
    // Hard cases: the layer graph.
    add("graph-long-names", (await plotModel(longNames)).toSVG());
    add(
      "graph-all-rows",
      (await plotModel(deep, {
        showDtype: true,
        showLayerActivations: true,
        showTrainable: true,
        title: 'Revenue in US$\'000 <model> & "more"',
      })).toSVG(),
    );
    add(
      "graph-lr",
      (await plotModel(heads, { rankdir: "LR", showLayerActivations: true })).toSVG(),
    );
    add("graph-lr-long", (await plotModel(longNames, { rankdir: "LR" })).toSVG());
    add("graph-many-layers", (await plotModel(many, { showLayerNames: false })).toSVG());
    add("graph-mnist", (await plotModel(mnist, { showTrainable: true })).toSVG());
    add("graph-no-shapes", (await plotModel(heads, { showShapes: false })).toSVG());
    add(
      "nn-narrow-weights",
      visualizeNN(small, { weights: true, width: 200, height: 220 }).toSVG(),
    );
    // Class counts and widths the notebooks do not ship: 2 and 7 classes, very wide layers.
    const twoClass = keep(sequential("TwoClass", [6, 8, 2], ["hidden", "classes"]));
    const sevenClass = keep(sequential("SevenClass", [12, 16, 7], ["hidden", "classes"]));
    const veryWide = keep(sequential("VeryWide", [3000, 2048, 1024, 7]));
    add("nn-two-class", visualizeNN(twoClass, { description: true }).toSVG());
    add("nn-seven-class", visualizeNN(sevenClass, { description: true, weights: true }).toSVG());
    add("nn-very-wide", visualizeNN(veryWide, { description: true }).toSVG());
    add("graph-seven-class", (await plotModel(sevenClass, { showLayerActivations: true })).toSVG());
  } finally {
    for (const m of models) m.dispose();
  }

  // Notebooks 04 and 05: history charts.
  add("history-classification", (await plotHistory(history(100, ["accuracy", "F1"]))).toSVG());
  add("history-regression", (await plotHistory(history(100, ["R2"]))).toSVG());
  add("history-no-validation", (await plotHistory(history(30, ["accuracy"], false))).toSVG());
  add("history-long", (await plotHistory(history(20000, ["accuracy", "F1"]))).toSVG());
  add(
    "history-long-names",
    (await plotHistory(history(50, [`Cohen's "kappa" \\ ${LONG}`, "balanced.accuracy[0]"])))
      .toSVG(),
  );
  add("history-one-epoch", (await plotHistory(history(1, ["accuracy"]))).toSVG());

  // Notebook 06: SHAP plots, then large values and long names.
  const nb06 = [0.91, -0.62, 0.35, -0.21, 0.12, 0.05, -0.04, 0.02, -0.01, 0.005];
  add("waterfall", waterfallPlot(explanation(nb06)).toSVG());
  add("bar", barPlot(explanation(nb06), { top: 10 }).toSVG());
  add("decision", decisionPlot(explanation(nb06)).toSVG());
  add("decision-regression", decisionPlot(explanation(nb06, undefined, false)).toSVG());
  // Notebook 06's collision: a large negative first step puts its label by the row labels.
  const leftmost = [-4.34, 0.41, 0.22, -0.15, 0.08];
  add("decision-negative-first", decisionPlot(explanation(leftmost)).toSVG());
  add("waterfall-negative-first", waterfallPlot(explanation(leftmost)).toSVG());
  const big = [1234.5, -987.25, 456.75, -2345.5, 12.5, -0.25, 88.125, -3.5];
  const longFeatures = big.map((_, i) => `${i % 2 ? "customer" : "account"}_${LONG}_${i}`);
  add("waterfall-large", waterfallPlot(explanation(big, undefined, false)).toSVG());
  add("bar-large", barPlot(explanation(big, undefined, false)).toSVG());
  add("decision-large", decisionPlot(explanation(big, undefined, false)).toSVG());
  add("waterfall-long-names", waterfallPlot(explanation(big, longFeatures, false)).toSVG());
  add("bar-long-names", barPlot(explanation(big, longFeatures, false)).toSVG());
  add("decision-long-names", decisionPlot(explanation(nb06.slice(0, 8), longFeatures)).toSVG());
  // Few features, only negative contributions, and seeded random explanations: steps that end
  // near the base value or turn back put labels where the path and the rules run.
  const three = [0.8, -0.3, 0.1];
  add("waterfall-three", waterfallPlot(explanation(three)).toSVG());
  add("decision-three", decisionPlot(explanation(three)).toSVG());
  add("bar-three", barPlot(explanation(three)).toSVG());
  const negative = [-1.2, -0.6, -0.35, -0.2, -0.1, -0.05];
  add("waterfall-negative", waterfallPlot(explanation(negative)).toSVG());
  add("decision-negative", decisionPlot(explanation(negative)).toSVG());
  add("bar-negative", barPlot(explanation(negative)).toSVG());
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let k = 0; k < 6; k++) {
    const n = 4 + Math.floor(random() * 9);
    const values = Array.from({ length: n }, () => (random() - 0.5) * 3 * random() ** 2);
    add(
      `waterfall-random-${k}`,
      waterfallPlot(explanation(values, undefined, k % 2 === 0)).toSVG(),
    );
    add(`decision-random-${k}`, decisionPlot(explanation(values, undefined, k % 2 === 0)).toSVG());
  }
  const manyValues = Array.from({ length: 40 }, (_, i) => (i % 2 ? -1 : 1) * (2 - i * 0.05));
  add("waterfall-many", waterfallPlot(explanation(manyValues), { top: 30 }).toSVG());
  add("decision-many", decisionPlot(explanation(manyValues), { top: 30 }).toSVG());

  // The live progress chart: first frame, mid-run, last epoch, interrupted, long runs.
  const h2 = history(1, ["accuracy", "F1"]);
  add("progress-start", progressFrame({}, {}));
  add("progress-first", progressFrame({ epoch: 1, epochMs: 72, logs: last(h2) }, h2));
  // A loss that barely moves: both ends of the y axis must not read the same.
  const flat = { loss: [0.69314, 0.69309, 0.69301], accuracy: [0.5, 0.5, 0.5] };
  add("progress-flat", progressFrame({ epoch: 3, epochMs: 72, logs: last(flat) }, flat));
  const h37 = history(37, ["accuracy", "F1"]);
  add(
    "progress-mid",
    progressFrame({ epoch: 37, elapsedMs: 3700, epochMs: 72, logs: last(h37) }, h37),
  );
  const h1500 = history(1500, ["accuracy", "F1"]);
  add(
    "progress-done",
    progressFrame(
      { epoch: 1500, epochs: 1500, elapsedMs: 3_723_000, epochMs: 72, logs: last(h1500) },
      h1500,
    ),
  );
  add(
    "progress-stopped",
    progressFrame({
      epoch: 1200,
      epochs: 1500,
      elapsedMs: 93_000,
      epochMs: 72,
      logs: last(h1500),
      stopped: "interrupted by the user (KeyboardInterrupt) after epoch 1200 of 1500; the " +
        "weights are those of the last finished epoch",
      engine: "tfjs (fused engine not used: the model has a layer the fused engine does not run)",
    }, Object.fromEntries(Object.entries(h1500).map(([k, v]) => [k, v.slice(0, 1200)]))),
  );
  const hNames = history(12, [`Cohen's kappa ${LONG}`, "balanced_accuracy", "matthews_corr"]);
  add(
    "progress-long-names",
    progressFrame({ epoch: 12, elapsedMs: 1200, epochMs: 72, logs: last(hNames) }, hNames),
  );
  const hLong = history(100_000, ["accuracy"]);
  add(
    "progress-100k",
    progressFrame(
      { epoch: 100_000, epochs: 100_000, elapsedMs: 9_000_000, epochMs: 9, logs: last(hLong) },
      hLong,
    ),
  );
  // The README's figures as committed (examples/readme_figures.ts writes them), or as freshly
  // written to LAYOUT_README_FIGURES (to check them before committing them).
  const own = Deno.env.get("LAYOUT_README_FIGURES");
  const dir = own
    ? new URL(`file://${own.replace(/\/?$/, "/")}`)
    : new URL("../examples/figures/", import.meta.url);
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile && entry.name.endsWith(".svg")) {
      add(
        `readme-${entry.name.replace(/\.svg$/, "")}`,
        Deno.readTextFileSync(new URL(entry.name, dir)),
      );
    }
  }
  return figures;
}
