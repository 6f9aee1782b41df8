import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import {
  defaultMetrics,
  historyPoints,
  MAX_DRAWN_POINTS,
  plotHistory,
} from "../lib/plot/plot_history.ts";
import { deepNN, type HistoryLike, randomData, train } from "../lib/mod.ts";
import { VEGALITE_MIME, vegaLiteToSVG } from "../lib/display/vega.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { parseXml } from "./svg_xml.ts";

const EPOCHS = 12;
const series = (f: (i: number) => number) => Array.from({ length: EPOCHS }, (_, i) => f(i));
const HISTORY = {
  loss: series((i) => 0.7 - i / 100),
  accuracy: series((i) => 0.5 + i / 100),
  F1: series((i) => 0.3 + i / 50),
  val_loss: series((i) => 0.72 - i / 200),
  val_accuracy: series(() => 0.51),
  val_F1: series((i) => 0.2 + i / 80),
};

function svgDoc(svg: string) {
  return new DOMParser().parseFromString(svg, "image/svg+xml");
}

Deno.test("plotHistory: the bundle has the vega-lite v5 spec, SVG and text, and no HTML", async () => {
  const fig = await plotHistory({ history: HISTORY });
  const bundle = fig[JUPYTER_DISPLAY]();
  assert.deepEqual(
    Object.keys(bundle).sort(),
    [VEGALITE_MIME, "image/svg+xml", "text/plain"].sort(),
  );
  assert.equal(VEGALITE_MIME, "application/vnd.vegalite.v5+json");
  const spec = bundle[VEGALITE_MIME] as Record<string, unknown>;
  assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.equal(
    bundle["text/plain"],
    'Training history, 12 epochs: "Training" and "Validation" panels, loss on the left axis (black) and accuracy, F1 on the right axis. Last epoch: loss 0.5900, accuracy 0.6100, F1 0.5200, val_loss 0.6650, val_accuracy 0.5100, val_F1 0.3375.',
  );
  // The live spec (with its hover tooltips) compiles and renders too.
  assert.match(await vegaLiteToSVG(fig.toSpec()), /^<svg /);
});

Deno.test("plotHistory: the spec has the article's layout: two panels, loss left in black, metrics right", async () => {
  const spec = (await plotHistory(HISTORY)).toSpec() as unknown as {
    vconcat: {
      title: string;
      layer: {
        mark: { type: string; color?: string };
        encoding: Record<string, { axis?: { orient: string }; tooltip?: unknown }>;
      }[];
      resolve: unknown;
    }[];
  };
  // Stacked, so the chart fits a narrow output (vega-lite cannot fit concatenated panels).
  assert.deepEqual(spec.vconcat.map((p) => p.title), ["Training", "Validation"]);
  for (const panel of spec.vconcat) {
    const [loss, metrics, hover] = panel.layer;
    assert.deepEqual(loss.mark.color, "black");
    assert.equal(loss.encoding.y.axis!.orient, "left");
    assert.equal(metrics.encoding.y.axis!.orient, "right");
    assert.deepEqual(panel.resolve, { scale: { y: "independent" } });
    assert.equal(hover.mark.type, "rule");
    assert.ok(Array.isArray(hover.encoding.tooltip));
  }
});

Deno.test("plotHistory: the SVG is standalone, well-formed, with two panels and every series", async () => {
  const svg = (await plotHistory(HISTORY)).toSVG();
  const [root] = await parseXml(svg);
  assert.equal(root.tag, "svg");
  assert.equal(root.ns, "http://www.w3.org/2000/svg");
  assert.ok(root.attrs.viewBox);
  assert.match(root.attrs["font-family"], /sans-serif/);
  const doc = svgDoc(svg);
  const titles = [...doc.querySelectorAll(".role-title-text text")].map((t) => t.textContent);
  assert.deepEqual(titles, ["Training", "Validation"]);
  const axisTitles = [...doc.querySelectorAll(".role-axis-title text")].map((t) => t.textContent);
  assert.deepEqual(axisTitles.filter((t) => t === "Loss").length, 2);
  assert.deepEqual(axisTitles.filter((t) => t === "Score").length, 2);
  // Per panel: one black loss line, then one line per metric, each through all 12 epochs.
  for (const panel of [0, 1]) {
    const loss = [...doc.querySelectorAll(`.concat_${panel}_layer_0_marks path`)];
    const metrics = [...doc.querySelectorAll(`.concat_${panel}_layer_1_marks path`)];
    assert.equal(loss.length, 1);
    assert.equal(loss[0].getAttribute("stroke"), "black");
    assert.equal(metrics.length, 2);
    assert.deepEqual(metrics.map((p) => p.getAttribute("stroke")).sort(), ["#4682b4", "#e07b24"]);
    for (const p of [...loss, ...metrics]) {
      assert.equal(p.getAttribute("d")!.split("L").length, EPOCHS);
    }
  }
  const legend = [...doc.querySelectorAll(".role-legend-label text")].map((t) => t.textContent);
  assert.deepEqual(legend, ["accuracy", "F1"]);
});

Deno.test("plotHistory: chosen metrics only; no validation -> only the Training panel", async () => {
  const f1Only = svgDoc((await plotHistory(HISTORY, { metrics: ["F1"] })).toSVG());
  assert.equal(f1Only.querySelectorAll(".concat_0_layer_1_marks path").length, 1);
  const train = { loss: HISTORY.loss, R2: series((i) => i / 10) };
  const fig = await plotHistory(train);
  const doc = svgDoc(fig.toSVG());
  assert.deepEqual([...doc.querySelectorAll(".role-title-text text")].map((t) => t.textContent), [
    "Training",
  ]);
  assert.match(String(fig), /a "Training" panel \(no validation\)/);
  assert.deepEqual(defaultMetrics(HISTORY), ["accuracy", "F1"]);
  assert.equal(historyPoints(HISTORY, ["F1"]).length, 4 * EPOCHS);
  assert.equal(historyPoints({ loss: [1, NaN, 2] }, []).length, 2); // non-finite values left out
});

Deno.test("plotHistory: save() writes the SVG or the spec", async () => {
  const fig = await plotHistory(HISTORY);
  const dir = await Deno.makeTempDir();
  assert.equal(fig.save(`${dir}/h.svg`), `${dir}/h.svg`);
  assert.equal(Deno.readTextFileSync(`${dir}/h.svg`), fig.toSVG());
  fig.save(`${dir}/h.json`);
  assert.deepEqual(JSON.parse(Deno.readTextFileSync(`${dir}/h.json`)), fig.toSpec());
  assert.throws(
    () => fig.save(`${dir}/h.png`),
    (e: unknown) =>
      e instanceof ArgumentError &&
      /^VegaLiteFigure\.save: path must be a file name ending in \.svg or \.json, got ".*h\.png"$/
        .test(e.message),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("plotHistory: bad input is an ArgumentError", () => {
  const bad: [unknown, unknown, RegExp][] = [
    [
      { accuracy: [1] },
      undefined,
      /plotHistory: history has no "loss" values; its keys are accuracy/,
    ],
    [{ loss: [1, "2"] }, undefined, /plotHistory: history.loss must be an array of numbers/],
    [42, undefined, /plotHistory: history must be what train\(\) returns/],
    [
      HISTORY,
      { metrics: ["precision"] },
      /plotHistory: metrics must be one of the history's metrics \("accuracy", "F1"\), got "precision"/,
    ],
    [HISTORY, { metrics: "F1" }, /plotHistory: metrics must be an array of metric names/],
    [HISTORY, { width: 10 }, /plotHistory: width must be an integer from 50 to 2000, got 10/],
  ];
  for (const [history, options, message] of bad) {
    assert.throws( // at the call, not in the promise
      () => plotHistory(history as never, options as never),
      (e: Error) => e instanceof ArgumentError && message.test(e.message),
      String(message),
    );
  }
});

Deno.test("plotHistory: 100,000 epochs are summarised: spec and SVG together under 1 MB, extremes kept", async () => {
  const n = 100_000;
  const h = {
    loss: Array.from({ length: n }, (_, i) => 1 / (i + 1) + (i === 61_234 ? 5 : 0)),
    accuracy: Array.from({ length: n }, (_, i) => (i === 77_777 ? -3 : 0.5 + 0.4 * Math.sin(i))),
    val_loss: Array.from({ length: n }, (_, i) => 2 / (i + 1)),
    val_accuracy: Array.from({ length: n }, () => 0.5),
  };
  const fig = await plotHistory(h);
  const size = JSON.stringify(fig.toSpec()).length + fig.toSVG().length;
  assert.match(String(fig), / Drawn from \d+ of 400000 points: per stretch of epochs/);
  assert.ok(size < 2 ** 20, `spec + SVG = ${size} bytes`);
  const points = historyPoints(h, ["accuracy"], MAX_DRAWN_POINTS);
  assert.ok(points.length <= MAX_DRAWN_POINTS, `${points.length} points`);
  const at = (key: string, epoch: number) =>
    points.find((p) => p.key === key && p.epoch === epoch)?.value;
  assert.equal(at("loss", 61_235), h.loss[61_234]); // the spike is drawn
  assert.equal(at("accuracy", 77_778), -3); // so is the dip
  assert.equal(at("loss", 1), 1);
  assert.equal(at("val_loss", n), 2 / n); // and the last epoch
  // A short history is drawn whole.
  assert.equal(historyPoints(HISTORY, ["F1"], MAX_DRAWN_POINTS).length, 4 * EPOCHS);
});

Deno.test("plotHistory: metric names with quotes, backslashes, newlines, dots and brackets work in vega", async () => {
  const names = [`Cohen's kappa`, `say "hi"`, "back\\slash", "two\nlines", "a.b[0]", "$&"];
  const h: Record<string, number[]> = { loss: [0.7, 0.6, 0.5], val_loss: [0.8, 0.7, 0.6] };
  names.forEach((name, k) => {
    h[name] = [0.1 * k, 0.2 * k, 0.3 * k];
    h[`val_${name}`] = [0.01 * k, 0.02 * k, 0.03 * k];
  });
  const fig = await plotHistory(h);
  const vega = await import("vega");
  const vl = await import("vega-lite");
  const errors: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => (errors.push(a.join(" ")), logger),
    warn: (...a: unknown[]) => (errors.push(a.join(" ")), logger),
    info: () => logger,
    debug: () => logger,
  };
  const view = new vega.View(vega.parse(vl.compile(fig.toSpec()).spec), {
    renderer: "none",
    logger: logger as never,
  });
  await view.runAsync();
  // Every hover rule's tooltip lists each series by its name with its value at that epoch.
  const tooltips: Record<string, string>[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { items?: unknown[]; tooltip?: Record<string, string> };
    if (n.tooltip) tooltips.push(n.tooltip);
    for (const item of n.items ?? []) walk(item);
  };
  walk((view.scenegraph() as unknown as { root: unknown }).root);
  view.finalize();
  assert.deepEqual(errors, []);
  // (vega gives the rule and its hover cell the same tooltip.)
  const epoch3 = [...new Set(tooltips.filter((t) => t.epoch === "3").map((t) => JSON.stringify(t)))]
    .map((t) => JSON.parse(t) as Record<string, string>);
  assert.equal(epoch3.length, 2, "one tooltip per panel at epoch 3");
  const training = epoch3.find((t) => "loss" in t)!;
  const validation = epoch3.find((t) => "val_loss" in t)!;
  names.forEach((name, k) => {
    assert.equal(training[name], (0.3 * k).toFixed(4), name);
    assert.equal(validation[`val_${name}`], (0.03 * k).toFixed(4), `val_${name}`);
  });
  assert.equal(training.loss, "0.5000");
});

Deno.test("plotHistory: a history still in its Promise (train() without await) says to await it", async () => {
  const { x, y } = randomData({ rows: 40, seed: 3 });
  const model = deepNN({ features: 10, seed: 3 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const pending = train(model, x, y, { epochs: 2, live: false });
  assert.throws(
    () => plotHistory(pending as unknown as HistoryLike),
    (e: Error) =>
      e instanceof ArgumentError &&
      /plotHistory: history is a Promise: await train\(\.\.\.\) first/.test(e.message),
  );
  await pending;
  model.dispose();
});
