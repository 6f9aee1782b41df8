import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { tf } from "../lib/core/tf.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { type Figure, JUPYTER_DISPLAY } from "../lib/display/display.ts";
import { type ExplanationData, SHAP_COLORS, topContributions } from "../lib/plot/shap_rows.ts";
import { waterfallPlot, waterfallRows } from "../lib/plot/waterfall_plot.ts";
import { decisionPlot, decisionRows } from "../lib/plot/decision_plot.ts";
import { barPlot, barRows } from "../lib/plot/bar_plot.ts";
import { parseXml } from "./svg_xml.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const HOSTILE = "<script>alert(1)</script>";
const QUOTED = 'a&b "c"';

/** Seven features, two with hostile names; values chosen to make every sum exact in binary. */
function example(link: "identity" | "logit" = "identity"): ExplanationData {
  const values = [0.25, -0.125, 0.0625, -0.5, 0.03125, 1, -0.75];
  return {
    values,
    baseValue: 0.5,
    output: 0.5 + values.reduce((a, b) => a + b, 0),
    featureNames: ["age", HOSTILE, QUOTED, "income", "x5", "x6", "x7"],
    instance: [1, 2, 3.14159, 4, 5, 0.001234, -3],
    link,
  };
}

interface Node {
  textContent: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<Node>;
}

/** Checks the SVG is strict, standalone XML and returns its root for structural queries. */
async function svgRoot(figure: Figure): Promise<Node> {
  const svg = figure.toSVG();
  const elements = await parseXml(svg); // throws unless well-formed
  assert.equal(elements[0].tag, "svg");
  assert.equal(elements[0].ns, SVG_NS);
  assert.match(elements[0].attrs.viewBox, /^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
  assert.match(elements[0].attrs["font-family"], /Helvetica/);
  assert.ok(!svg.includes("<script"), "user text is escaped");
  const bundle = figure[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/plain"]);
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml") as unknown as {
    documentElement: Node;
  };
  return doc.documentElement;
}

const all = (root: Node, selector: string): Node[] => Array.from(root.querySelectorAll(selector));
const texts = (root: Node, selector: string) => all(root, selector).map((n) => n.textContent);

Deno.test("topContributions: largest |value| first, then one row for the rest", () => {
  const rows = topContributions(example(), 3);
  assert.deepEqual(rows.map((r) => r.label), [
    "x6 = 0.00123",
    "x7 = -3",
    "income = 4",
    "4 other features",
  ]);
  assert.deepEqual(rows.map((r) => r.key), ["f5", "f6", "f3", "others"]);
  assert.equal(rows[3].value, 0.25 - 0.125 + 0.0625 + 0.03125);
  assert.equal(rows[3].features, 4);
  assert.equal(topContributions(example(), 7).length, 7, "no extra row when all fit");
  assert.equal(topContributions(example(), 6).at(-1)!.label, "1 other feature");
});

Deno.test("waterfallRows: bars chain from the base value up to the prediction", () => {
  const e = example();
  const { rows, baseValue, output } = waterfallRows(e, { top: 3 });
  assert.deepEqual(rows.map((r) => [r.key, r.start, r.end]), [
    ["f5", -0.53125, 0.46875],
    ["f6", 0.21875, -0.53125],
    ["f3", 0.71875, 0.21875],
    ["others", 0.5, 0.71875],
  ]);
  assert.equal(rows.at(-1)!.start, baseValue);
  assert.equal(rows[0].end, output);
});

Deno.test("waterfallPlot: one bar per row, colours by sign, escaped labels, valid XML", async () => {
  const figure = waterfallPlot(example(), { top: 5 });
  const root = await svgRoot(figure);
  const bars = all(root, ".shap-bar rect");
  assert.equal(bars.length, 6, "5 features + 1 other-features bar");
  const fills = bars.map((b) => b.getAttribute("fill"));
  // Rows: x6 +1, x7 -0.75, income -0.5, age +0.25, <script> -0.125, others +0.09375.
  assert.deepEqual(fills, [
    SHAP_COLORS.positive,
    SHAP_COLORS.negative,
    SHAP_COLORS.negative,
    SHAP_COLORS.positive,
    SHAP_COLORS.negative,
    SHAP_COLORS.positive,
  ]);
  const labels = texts(root, '[aria-label="y-axis tick label"] text');
  assert.deepEqual(
    new Set(labels),
    new Set([
      "x6 = 0.00123",
      "x7 = -3",
      "income = 4",
      "age = 1",
      `${HOSTILE} = 2`,
      "2 other features",
    ]),
  );
  assert.deepEqual(
    texts(root, ".shap-value-label text").sort(),
    ["+0.0938", "+0.25", "+1", "\u22120.125", "\u22120.5", "\u22120.75"].sort(),
  );
  assert.deepEqual(texts(root, ".shap-output text"), ["f(x) = 0.469"]);
  assert.deepEqual(texts(root, ".shap-base text"), ["E[f(X)] = 0.5"]);
  assert.match(
    String(figure),
    /^Waterfall plot \(model output\): E\[f\(X\)\] = 0\.5 -> f\(x\) = 0\.469/,
  );
  // The quoted name appears once all 7 are shown.
  const full = await svgRoot(waterfallPlot(example(), { top: 7 }));
  assert.ok(texts(full, "text").includes(`${QUOTED} = 3.14`));
  assert.equal(all(full, ".shap-bar rect").length, 7);
});

Deno.test("decisionRows: the path starts at the base value, least important step first", () => {
  const e = example("logit");
  const d = decisionRows(e, { top: 2 });
  assert.equal(d.axis, "probability");
  assert.deepEqual(d.steps.map((s) => [s.key, s.level, s.before, s.after]), [
    ["others", 1, 0.5, 0.21875],
    ["f6", 2, 0.21875, -0.53125],
    ["f5", 3, -0.53125, 0.46875],
  ]);
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  assert.equal(d.axisBase, sigmoid(0.5));
  assert.equal(d.steps[2].axisAfter, sigmoid(0.46875));
  assert.equal(decisionRows(e, { link: "identity" }).axis, "log-odds");
  assert.equal(decisionRows(example()).axis, "raw");
});

Deno.test("decisionPlot: one step and one point per row, probability axis for logit", async () => {
  const figure = decisionPlot(example("logit"), { top: 4 });
  const root = await svgRoot(figure);
  const steps = all(root, ".shap-step path");
  assert.equal(steps.length, 5, "4 features + other features");
  assert.equal(all(root, ".shap-point circle").length, 5);
  const strokes = steps.map((s) => s.getAttribute("stroke"));
  // Bottom to top: others (-0.03125), age +0.25, income -0.5, x7 -0.75, x6 +1.
  assert.deepEqual(strokes, [
    SHAP_COLORS.negative,
    SHAP_COLORS.positive,
    SHAP_COLORS.negative,
    SHAP_COLORS.negative,
    SHAP_COLORS.positive,
  ]);
  assert.ok(texts(root, "text").includes("model output (probability) →"));
  const p = 1 / (1 + Math.exp(-example().output));
  assert.deepEqual(texts(root, ".shap-output text"), [`f(x) = ${Number(p.toPrecision(3))}`]);
  assert.match(String(figure), /^Decision plot \(probability axis, contributions in log-odds\)/);
  const raw = await svgRoot(decisionPlot(example(), { top: 7 }));
  assert.ok(texts(raw, "text").includes(`${HOSTILE} = 2`));
  assert.ok(texts(raw, "text").includes(`${QUOTED} = 3.14`));
  assert.equal(all(raw, ".shap-step path").length, 7);
});

Deno.test("barPlot: bars from zero, sign colours, other-features bar", async () => {
  assert.deepEqual(barRows(example(), { top: 2 }).map((r) => r.value), [1, -0.75, 0.21875 - 0.5]);
  const figure = barPlot(example("logit"), { top: 3 });
  const root = await svgRoot(figure);
  const bars = all(root, ".shap-bar rect");
  assert.equal(bars.length, 4);
  assert.deepEqual(bars.map((b) => b.getAttribute("fill")), [
    SHAP_COLORS.positive,
    SHAP_COLORS.negative,
    SHAP_COLORS.negative,
    SHAP_COLORS.positive,
  ]);
  assert.ok(texts(root, "text").includes("4 other features"));
  assert.ok(texts(root, "text").includes("SHAP value (log-odds) →"));
  assert.equal(all(root, ".shap-zero-rule line").length, 1);
});

Deno.test("names XML cannot carry and very long names still give valid, readable SVG", async () => {
  const e = example();
  e.featureNames = ["ctl\u0001\u0008name", "a".repeat(200), "x3", "x4", "x5", "x6", "x7"];
  for (const figure of [waterfallPlot(e, { top: 7 }), decisionPlot(e), barPlot(e)]) {
    const root = await svgRoot(figure);
    const shown = texts(root, "text");
    assert.ok(shown.includes("ctl\uFFFD\uFFFDname = 1"));
    assert.ok(shown.includes("a".repeat(31) + "… = 2"), "long names are shortened");
  }
});

Deno.test("bad input: top <= 0, mismatched or non-finite explanations, unknown link", () => {
  const before = tf.memory().numTensors;
  const e = example();
  const cases: [() => unknown, RegExp][] = [
    [() => waterfallPlot(e, { top: 0 }), /^waterfallPlot: top must be a positive integer, got 0$/],
    [() => decisionPlot(e, { top: -1 }), /^decisionPlot: top must be a positive integer, got -1$/],
    [() => barPlot(e, { top: 2.5 }), /^barPlot: top must be a positive integer, got 2.5$/],
    [() => waterfallRows(e, { top: 0 }), /^waterfallRows: top must be a positive integer/],
    [
      () => barPlot({ ...e, featureNames: ["a"] }),
      /^barPlot: explanation.featureNames must be an array of 7 entries, got an array of length 1$/,
    ],
    [
      () => waterfallPlot({ ...e, values: [NaN, ...e.values.slice(1)] }),
      /^waterfallPlot: explanation.values\[0\] must be a finite number, got NaN$/,
    ],
    [
      () => decisionPlot(e, { link: "probit" as "logit" }),
      /^decisionPlot: link must be one of "identity", "logit"/,
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (err: Error) => err instanceof ArgumentError && message.test(err.message));
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("figures save to a file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".svg" });
  try {
    assert.equal(waterfallPlot(example()).save(path), path);
    await parseXml(await Deno.readTextFile(path));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("waterfallPlot with top: 150000 on 150,000 features: no stack overflow, 100 features drawn, the rest summed", () => {
  const n = 150_000;
  const values = Array.from({ length: n }, (_, i) => Math.sin(i + 1) / (i + 1));
  const e: ExplanationData = {
    values,
    baseValue: 0.5,
    output: 0.5 + values.reduce((a, b) => a + b, 0),
    featureNames: values.map((_, i) => `f${i}`),
    instance: values.map(() => 1),
    link: "identity",
  };
  const fig = waterfallPlot(e, { top: 150_000 });
  const svg = fig.toSVG();
  assert.ok(svg.length < 2 ** 20, `${svg.length} bytes`);
  assert.equal((svg.match(/class="shap-bar"/g) ?? []).length > 0, true);
  const lines = String(fig).split("\n");
  assert.equal(lines.length, 1 + 100 + 1); // heading, 100 features, the rest
  assert.equal(lines.at(-1)!.startsWith("  149900 other features: "), true, lines.at(-1));
  // The data function still gives every row asked for.
  assert.equal(waterfallRows(e, { top: 2000 }).rows.length, 2001);
});

Deno.test("waterfallPlot: a value label the E[f(X)] or f(x) rule would cross goes to the other end of its bar, beside it", async () => {
  // The README's explanation: the small +0.000929 bar ends just left of E[f(X)], so its label
  // right of the bar would cross the rule; it sat past f(x), far from its bar.
  const values = [
    0.0063,
    -0.00385,
    0.00148,
    -0.00142,
    -0.00112,
    0.000929,
    -0.0004,
    -0.0004,
    -0.0004,
    -0.00035,
  ];
  const root = await svgRoot(waterfallPlot({
    values,
    baseValue: -0.089,
    output: -0.089 + values.reduce((a, b) => a + b, 0),
    featureNames: values.map((_, i) => `x${i}`),
    instance: values.map(() => 1),
    link: "identity",
  }, { top: 6 }));
  const bars = all(root, ".shap-bar rect").map((r) => ({
    x: Number(r.getAttribute("x")),
    end: Number(r.getAttribute("x")) + Number(r.getAttribute("width")),
    y: Number(r.getAttribute("y")) + Number(r.getAttribute("height")) / 2,
  }));
  const labels = all(root, ".shap-value-label text").map((t) => {
    const [x, y] = (t.getAttribute("transform")?.match(/[-\d.]+/g) ?? []).map(Number);
    return { text: t.textContent, x, y };
  });
  assert.equal(labels.length, 7);
  for (const label of labels) {
    const bar = bars.find((b) => Math.abs(b.y - label.y) < 15); // rows are 30 px apart
    assert.ok(bar, `${label.text} has a bar in its row`);
    const distance = Math.min(Math.abs(label.x - bar.x), Math.abs(label.x - bar.end));
    assert.ok(Math.abs(distance - 4) < 0.01, `${label.text} is ${distance} px from its bar`);
  }
});
