/**
 * Property tests across the public API (issue 8, item 1): random architectures, random
 * names, random explanation problems and random training data, each with a fixed seed and a
 * bounded number of runs. Output size (item 5): the largest models the generators make, and
 * a 10,000-neuron layer, give diagrams under 1 MB.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseHTML } from "linkedom";
import {
  type ActivationName,
  ACTIVATIONS,
  ArgumentError,
  barPlot,
  decisionPlot,
  deepNN,
  evaluate,
  explain,
  explainerShapData,
  type ExplanationData,
  f1,
  layerTable,
  perceptron,
  plotHistory,
  plotModel,
  r2,
  type Style,
  summary,
  summaryData,
  tf,
  train,
  visualizeNN,
  waterfallPlot,
} from "../lib/mod.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";
import { dense } from "../lib/build/activations.ts";
import { axisLabel, topContributions } from "../lib/plot/shap_rows.ts";
import { rng } from "../lib/core/random.ts";
import { countBy, parseXml, select, type XmlElement } from "./svg_xml.ts";

const SEED = 42;

// ---------------------------------------------------------------- architectures

interface DenseSpec {
  kind: "dense";
  units: number;
  activation: ActivationName;
}
interface DropoutSpec {
  kind: "dropout";
  rate: number;
}
type LayerSpec = DenseSpec | DropoutSpec;
/** A chain of Dense/Dropout layers over `inputs` features, built in `style`. */
interface Arch {
  style: Style;
  inputs: number;
  layers: LayerSpec[];
}

/** Mostly narrow layers (cheap to build many times), sometimes up to `max`. */
const widthArb = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: Math.min(16, max) }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max }) },
  );

const layerArb = (maxWidth: number): fc.Arbitrary<LayerSpec> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("dense" as const),
        units: widthArb(maxWidth),
        activation: fc.constantFrom(...ACTIVATIONS),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("dropout" as const),
        rate: fc.double({ min: 0, max: 0.9, noNaN: true }),
      }),
    },
  );

const archArb = (maxWidth = 300, maxDepth = 6): fc.Arbitrary<Arch> =>
  fc.record({
    style: fc.constantFrom<Style>("sequential", "functional"),
    inputs: widthArb(maxWidth),
    layers: fc.array(layerArb(maxWidth), { minLength: 1, maxLength: maxDepth }),
  });

/** Builds `a` with layers named `l0`, `l1`, ... (the functional input is `input`). */
function build(a: Arch, name = "M"): tf.LayersModel {
  const make = (l: LayerSpec, i: number, inputShape?: number[]) =>
    l.kind === "dense"
      ? dense({
        name: `l${i}`,
        units: l.units,
        activation: l.activation,
        inputShape,
        kernelInitializer: tf.initializers.glorotUniform({ seed: i }),
      })
      : tf.layers.dropout({ name: `l${i}`, rate: l.rate, inputShape });
  if (a.style === "sequential") {
    return tf.sequential({
      name,
      layers: a.layers.map((l, i) => make(l, i, i === 0 ? [a.inputs] : undefined)),
    });
  }
  const input = tf.input({ name: "input", shape: [a.inputs] });
  let x: tf.SymbolicTensor = input;
  a.layers.forEach((l, i) => (x = make(l, i).apply(x) as tf.SymbolicTensor));
  return tf.model({ name, inputs: input, outputs: x });
}

/** Output width of each column: the input, then each layer (Dropout keeps its input's). */
function widths(a: Arch): number[] {
  const w = [a.inputs];
  for (const l of a.layers) w.push(l.kind === "dense" ? l.units : w[w.length - 1]);
  return w;
}

/** Closed form: each Dense layer has (inputs + 1) * units parameters, Dropout none. */
function paramCount(a: Arch): number {
  const w = widths(a);
  return a.layers.reduce((n, l, i) => n + (l.kind === "dense" ? (w[i] + 1) * l.units : 0), 0);
}

/** The documented collapse rule: at most `max` neurons, the first ceil(max/2) and the last. */
function drawnNeurons(size: number, max: number): number[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [
    ...Array.from({ length: head }, (_, i) => i),
    ...Array.from({ length: tail }, (_, i) => size - tail + i),
  ];
}

/** Runs `body` with the model of `a` and disposes it afterwards. */
async function withModel<T>(
  a: Arch,
  body: (m: tf.LayersModel) => T | Promise<T>,
  name?: string,
): Promise<T> {
  const model = build(a, name);
  try {
    return await body(model);
  } finally {
    model.dispose();
  }
}

/** Checks circle, link and collapsed-marker counts of a neuron diagram against `a`. */
function checkNetwork(all: XmlElement[], a: Arch, maxNeurons: number): void {
  const circles = select(all, "circle", "neuron");
  const links = select(all, "line", "link");
  const w = widths(a);
  const picks = w.map((s) => drawnNeurons(s, maxNeurons));
  assert.deepEqual(
    countBy(circles, "data-column"),
    Object.fromEntries(picks.map((p, c) => [`${c}`, p.length])),
  );
  picks.forEach((p, c) => {
    const drawn = circles.filter((e) => e.attrs["data-column"] === `${c}`)
      .map((e) => Number(e.attrs["data-neuron"]));
    assert.deepEqual(drawn, p, `column ${c}`);
  });
  const expectedLinks = Object.fromEntries(a.layers.map((l, i) => [
    `${i + 1}`,
    l.kind === "dense" ? picks[i].length * picks[i + 1].length : picks[i + 1].length,
  ]));
  assert.deepEqual(countBy(links, "data-column"), expectedLinks);
  assert.deepEqual(
    select(all, "g", "collapsed").map((m) => [m.attrs["data-column"], m.attrs["data-hidden"]]),
    w.flatMap((s, c) => (s > maxNeurons ? [[`${c}`, `${s - maxNeurons}`]] : [])),
  );
}

/** Checks a layer graph has one node per layer (plus the input) and one edge per link. */
function checkLayerGraph(all: XmlElement[], layerNames: string[]): void {
  const nodes = select(all, "g", "node");
  const edges = select(all, "g", "edge");
  assert.equal(nodes.length, layerNames.length);
  assert.equal(edges.length, layerNames.length - 1);
  assert.deepEqual(nodes.map((n) => n.attrs["data-layer"]), layerNames.map(attributeText));
  assert.deepEqual(
    edges.map((e) => [e.attrs["data-from"], e.attrs["data-to"]]),
    layerNames.slice(1).map((to, i) => [attributeText(layerNames[i]), attributeText(to)]),
  );
}

Deno.test("property: summary totals equal the closed-form parameter count", async () => {
  await fc.assert(
    fc.asyncProperty(archArb(), async (a) => {
      await withModel(a, (model) => {
        const d = summaryData(model);
        const params = paramCount(a);
        assert.equal(d.totalParams, params);
        assert.equal(d.trainableParams, params);
        assert.equal(d.nonTrainableParams, 0);
        assert.equal(d.totalBytes, 4 * params);
        assert.equal(d.rows.length, a.layers.length + (a.style === "functional" ? 1 : 0));
        assert.equal(d.showConnections, false, "a chain has no Connected to column");
        const w = widths(a);
        assert.deepEqual(
          d.rows.slice(-a.layers.length).map((r) => [r.outputShape, r.params]),
          a.layers.map((l, i) => [
            `(None, ${w[i + 1]})`,
            l.kind === "dense" ? (w[i] + 1) * l.units : 0,
          ]),
        );
        assert.ok(
          String(summary(model)).includes(`Total params: ${params.toLocaleString("en-US")} (`),
        );
      });
    }),
    { seed: SEED, numRuns: 100 },
  );
});

Deno.test("property: visualizeNN circles, links and collapsed columns match the model", async () => {
  await fc.assert(
    fc.asyncProperty(
      archArb(),
      fc.integer({ min: 2, max: 20 }),
      fc.boolean(),
      async (a, maxNeurons, extras) => {
        const svg = await withModel(
          a,
          (m) => visualizeNN(m, { maxNeurons, description: extras, weights: extras }).toSVG(),
        );
        const all = await parseXml(svg); // strict XML
        assert.equal(all[0].tag, "svg");
        checkNetwork(all, a, maxNeurons);
      },
    ),
    { seed: SEED, numRuns: 40 },
  );
});

Deno.test("property: plotModel draws one node per layer and one edge per connection", async () => {
  await fc.assert(
    fc.asyncProperty(archArb(), async (a) => {
      const svg = await withModel(a, async (m) => (await plotModel(m)).toSVG());
      const all = await parseXml(svg);
      assert.equal(all[0].tag, "svg");
      checkLayerGraph(all, ["input", ...a.layers.map((_, i) => `l${i}`)]);
    }),
    { seed: SEED, numRuns: 40 },
  );
});

Deno.test("property: layerTable gives every shape, and a model rebuilt from it has the same table", async () => {
  await fc.assert(
    fc.asyncProperty(archArb(), async (a) => {
      await withModel(a, async (model) => {
        const rows = layerTable(model);
        const w = widths(a);
        assert.deepEqual(rows.map((r) => r.outputs), w);
        assert.deepEqual(rows.slice(1).map((r) => r.inputs), w.slice(0, -1));
        assert.deepEqual(
          rows.slice(1).map((r) => [r.className, r.neurons, r.activation]),
          a.layers.map((l) =>
            l.kind === "dense" ? ["Dense", l.units, l.activation] : ["Dropout", 0, null]
          ),
        );
        for (const [i, r] of rows.entries()) {
          if (r.neurons === 0) {
            assert.equal(r.weights, null);
            continue;
          }
          assert.equal(r.weights!.length, w[i - 1]);
          assert.ok(r.weights!.every((row) => row.length === r.neurons));
          assert.equal(r.bias!.length, r.neurons);
        }
        // Round trip: the records are enough to rebuild the model.
        const rebuilt = tf.sequential({
          name: model.name,
          layers: rows.slice(1).map((r, i) =>
            r.neurons > 0
              ? dense({
                name: r.name,
                units: r.neurons,
                activation: r.activation as ActivationName,
                inputShape: i === 0 ? [r.inputs] : undefined,
                weights: [tf.tensor2d(r.weights!), tf.tensor1d(r.bias!)],
              })
              : tf.layers.dropout({
                name: r.name,
                rate: 0.5,
                inputShape: i === 0 ? [r.inputs] : undefined,
              })
          ),
        });
        try {
          const again = layerTable(rebuilt);
          assert.deepEqual(again.slice(1), rows.slice(1));
          assert.deepEqual([again[0].inputs, again[0].outputs], [rows[0].inputs, rows[0].outputs]);
        } finally {
          rebuilt.dispose();
        }
        await Promise.resolve();
      });
    }),
    { seed: SEED, numRuns: 60 },
  );
});

// ---------------------------------------------------------------- names

/** Pieces that break naive markup: tags, entities, quotes, control and non-XML characters. */
const HOSTILE = [
  "<script>alert(1)</script>",
  '<g class="injected">',
  '<rect class="injected"/>',
  "</text>",
  "</svg>",
  "</td></tr></table>",
  "<br>",
  "<b>",
  '" onload="alert(1)',
  "' onerror='alert(1)",
  "javascript:",
  "&",
  "&amp;",
  "&#0;",
  "&lt;",
  "]]>",
  "<![CDATA[",
  "<!--",
  "-->",
  "<?xml?>",
  '"',
  "'",
  "`",
  "\\",
  "\u0000",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r",
  "\u000B",
  "\u000C",
  "\u001F",
  "\u007F",
  "\u0085",
  "\u00A0",
  "\u2028",
  "\u202E",
  "\uFEFF",
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uFFFE",
  "\uFFFF",
  "😀",
  "e\u0301",
  "{x}",
  "${x}",
  "[0]",
  ".",
  "%s",
  "  ",
];

const pieceArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 6 }) },
);

/** Any text: hostile pieces and arbitrary UTF-16 (lone surrogates included), or very long. */
const nameArb = fc.oneof(
  { weight: 9, arbitrary: fc.array(pieceArb, { maxLength: 8 }).map((p) => p.join("")) },
  {
    weight: 1,
    arbitrary: fc.tuple(pieceArb, fc.integer({ min: 300, max: 3000 })).map(([p, n]) =>
      (p || "x").repeat(Math.ceil(n / Math.max(1, p.length))).slice(0, n)
    ),
  },
);

/**
 * What a viewer sees for `text`: characters XML 1.0 cannot carry (most C0 controls, lone
 * surrogates, U+FFFE/U+FFFF) replaced by U+FFFD, as the lib documents.
 */
function shown(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    out += ok ? ch : "\uFFFD";
  }
  return out;
}
/** Text compared without whitespace: parsers and layout engines normalise it. */
const squeeze = (text: string) => text.replace(/\s+/g, "");
/** An attribute value as a strict parser returns it (each whitespace character a space). */
const attributeText = (text: string) => shown(text).replace(/\r\n|[\t\n\r]/g, " ");

const SAFE_SVG_TAGS = new Set([
  "svg",
  "g",
  "title",
  "desc",
  "style",
  "defs",
  "clipPath",
  "rect",
  "circle",
  "ellipse",
  "line",
  "polyline",
  "polygon",
  "path",
  "text",
  "tspan",
]);

/** No element or attribute came from user text: only drawing tags, no handlers, no injected class. */
function assertNoMarkupFromText(all: XmlElement[], where: string): void {
  for (const e of all) {
    assert.ok(SAFE_SVG_TAGS.has(e.tag), `${where}: unexpected <${e.tag}>`);
    assert.ok(!e.classes.includes("injected"), `${where}: an injected element`);
    for (const attr of Object.keys(e.attrs)) {
      assert.ok(!/^on/i.test(attr), `${where}: an event attribute ${attr}`);
    }
  }
}

/** Asserts `expected` is the text of some `<text>` element (whitespace aside). */
function assertShownAsText(all: XmlElement[], expected: string, where: string): void {
  const want = squeeze(shown(expected));
  const texts = [...select(all, "text"), ...select(all, "tspan")].map((t) => squeeze(t.text));
  assert.ok(
    texts.some((t) => sameOrShortened(t, want)),
    `${where}: ${JSON.stringify(want)} is not shown as text`,
  );
}

/**
 * `shown` is `want`, or `want` shortened to fit its figure: its start, an ellipsis, its end
 * (long names are shortened in every figure; the SVG's attributes and titles keep them whole).
 */
function sameOrShortened(shown: string, want: string): boolean {
  if (shown === want) return true;
  const cut = shown.indexOf("…");
  if (cut < 0) return false;
  const head = shown.slice(0, cut), tail = shown.slice(shown.lastIndexOf("…") + 1);
  return head.length + tail.length <= want.length && want.startsWith(head) &&
    want.endsWith(tail);
}

/** Layer names for a model: unique, and never the names the lib gives the Sequential input. */
const layerNamesArb = (n: number) =>
  fc.uniqueArray(nameArb, { minLength: n, maxLength: n }).filter((names) =>
    names.every((s) => s !== "input" && !s.endsWith("_input"))
  );

const smallArchArb = archArb(5, 4);

/** Builds `a`, then renames the model and every layer (tfjs rejects most names when building). */
async function withNamedModel<T>(
  a: Arch,
  modelName: string,
  layerNames: string[],
  body: (m: tf.LayersModel) => T | Promise<T>,
): Promise<T> {
  return await withModel(a, (model) => {
    (model as { name: string }).name = modelName;
    const layers = a.style === "functional" ? model.layers.slice(1) : model.layers;
    layers.forEach((layer, i) => ((layer as { name: string }).name = layerNames[i]));
    return body(model);
  });
}

const namedArchArb = smallArchArb.chain((a) =>
  fc.record({ a: fc.constant(a), modelName: nameArb, layerNames: layerNamesArb(a.layers.length) })
);

/** The part of linkedom's DOM the HTML checks read. */
interface HtmlElement {
  localName: string;
  className: string;
  textContent: string;
  attributes: ArrayLike<{ name: string }>;
  firstChild: HtmlElement;
  querySelector(selector: string): HtmlElement | null;
  querySelectorAll(selector: string): ArrayLike<HtmlElement>;
}

Deno.test("property: any model and layer name is escaped in summary text and HTML", async () => {
  const allowed = new Set(["div", "p", "b", "table", "thead", "tbody", "tr", "th", "td", "br"]);
  await fc.assert(
    fc.asyncProperty(namedArchArb, async ({ a, modelName, layerNames }) => {
      const table = await withNamedModel(a, modelName, layerNames, (m) => summary(m));
      const text = String(table);
      assert.ok(text.startsWith(`Model: "${modelName}"`));
      // Keras's fixed columns: every line of the box is 76 characters; a name's words show
      // whole when they fit the first column, else cut with "…" (the HTML keeps names whole).
      const lines = text.split("\n");
      const top = lines.findIndex((l) => l.startsWith("┏"));
      const bottom = lines.findIndex((l) => l.startsWith("└"));
      for (const l of lines.slice(top, bottom + 1)) assert.equal([...l].length, 76, l);
      const width = text.includes("Connected to") ? 19 : 31;
      for (const word of layerNames.flatMap((n) => n.split(/\s+/)).filter((w) => w)) {
        const cp = [...word];
        assert.ok(text.includes(cp.length <= width ? word : cp.slice(0, width - 1).join("") + "…"));
      }
      const { document } = parseHTML(
        `<!DOCTYPE html><html><body>${table.toHTML()}</body></html>`,
      ) as unknown as { document: { body: HtmlElement } };
      const body = document.body;
      for (const e of Array.from(body.querySelectorAll("*"))) {
        assert.ok(allowed.has(e.localName), `unexpected <${e.localName}>`);
        assert.ok(!e.className.includes("injected"));
        assert.ok(
          Array.from(e.attributes).every((at) => at.name === "style" || at.name === "class"),
        );
      }
      const rows = Array.from(body.querySelectorAll("tbody tr"));
      // Functional models list their InputLayer, as Keras does.
      const listed = a.style === "functional" ? ["input (InputLayer)"] : [];
      assert.equal(rows.length, listed.length + layerNames.length);
      const b = body.querySelector("b")!;
      assert.equal(squeeze(b.textContent), squeeze(shown(`Model: "${modelName}"`)));
      assert.deepEqual(
        rows.map((row) => squeeze(row.firstChild.textContent)),
        [
          ...listed,
          ...layerNames.map((n, i) =>
            shown(`${n} (${a.layers[i].kind === "dense" ? "Dense" : "Dropout"})`)
          ),
        ].map(squeeze),
      );
    }),
    { seed: SEED, numRuns: 100 },
  );
});

Deno.test("property: any model and layer name is text in visualizeNN, never markup", async () => {
  await fc.assert(
    fc.asyncProperty(namedArchArb, async ({ a, modelName, layerNames }) => {
      const svg = await withNamedModel(
        a,
        modelName,
        layerNames,
        (m) => visualizeNN(m, { description: true, weights: true }).toSVG(),
      );
      const all = await parseXml(svg);
      assertNoMarkupFromText(all, "visualizeNN");
      checkNetwork(all, a, 12);
      if (modelName) assertShownAsText(all, modelName, "title");
      const columns = ["input", ...layerNames];
      const descriptions = select(all, "text", "description");
      columns.forEach((name, c) => {
        const first = descriptions.find((t) => t.attrs["data-column"] === `${c}`);
        const text = squeeze(first?.text ?? "");
        assert.ok(sameOrShortened(text, squeeze(shown(name))), `column ${c}: ${text}`);
      });
      assert.deepEqual(
        select(all, "g", "column").map((g) => g.attrs["data-layer"]),
        columns.map(attributeText),
      );
    }),
    { seed: SEED, numRuns: 40 },
  );
});

Deno.test("property: any model and layer name is text in plotModel, never markup", async () => {
  await fc.assert(
    fc.asyncProperty(namedArchArb, async ({ a, modelName, layerNames }) => {
      const svg = await withNamedModel(
        a,
        modelName,
        layerNames,
        async (m) =>
          (await plotModel(m, {
            showDtype: true,
            showLayerActivations: true,
            showTrainable: true,
          })).toSVG(),
      );
      const all = await parseXml(svg);
      assertNoMarkupFromText(all, "plotModel");
      checkLayerGraph(all, ["input", ...layerNames]);
      if (modelName) assertShownAsText(all, modelName, "title");
      for (const name of layerNames) {
        if (name.trim()) assertShownAsText(all, name, "node header");
      }
    }),
    { seed: SEED, numRuns: 40 },
  );
});

/** A random explanation with unique, hostile feature names. */
const explanationArb: fc.Arbitrary<{ e: ExplanationData; top: number }> = fc
  .integer({ min: 1, max: 7 })
  .chain((n) =>
    fc.record({
      e: fc.record({
        values: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), {
          minLength: n,
          maxLength: n,
        }),
        baseValue: fc.double({ min: -3, max: 3, noNaN: true }),
        featureNames: fc.uniqueArray(nameArb, { minLength: n, maxLength: n }),
        instance: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
          minLength: n,
          maxLength: n,
        }),
        link: fc.constantFrom("identity" as const, "logit" as const),
      }).map((e) => ({ ...e, output: e.baseValue + e.values.reduce((s, v) => s + v, 0) })),
      top: fc.integer({ min: 1, max: n + 1 }),
    })
  );

Deno.test("property: any feature name is text in the waterfall, decision and bar plots", async () => {
  await fc.assert(
    fc.asyncProperty(explanationArb, async ({ e, top }) => {
      const labels = topContributions(e, top).map((r) => axisLabel(r));
      const figures = {
        waterfallPlot: waterfallPlot(e, { top }),
        decisionPlot: decisionPlot(e, { top }),
        barPlot: barPlot(e, { top }),
      };
      const parsed = await Promise.all(
        Object.values(figures).map((f) => parseXml(f.toSVG())),
      );
      Object.keys(figures).forEach((fn, i) => {
        assertNoMarkupFromText(parsed[i], fn);
        for (const label of labels) assertShownAsText(parsed[i], label, fn);
      });
      for (const [fn, figure] of Object.entries(figures)) {
        const text = String(figure);
        for (const r of topContributions(e, top)) assert.ok(text.includes(r.label), fn);
        assert.deepEqual(Object.keys(figure[JUPYTER_DISPLAY]()).sort(), [
          "image/svg+xml",
          "text/plain",
        ]);
      }
    }),
    { seed: SEED, numRuns: 30 },
  );
});

Deno.test("property: explainerShap draws any feature names as text", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }).chain((n) =>
        fc.tuple(
          fc.uniqueArray(nameArb, { minLength: n, maxLength: n }),
          fc.constantFrom("classification" as const, "regression" as const),
        )
      ),
      async ([featureNames, task]) => {
        const n = featureNames.length;
        const model = tf.sequential({
          layers: [
            tf.layers.dense({
              units: 1,
              inputShape: [n],
              activation: task === "classification" ? "sigmoid" : "linear",
              kernelInitializer: tf.initializers.glorotUniform({ seed: n }),
            }),
          ],
        });
        try {
          const train = Array.from({ length: 6 }, (_, j) => featureNames.map((_, k) => j - k));
          const { explanation, figure } = explainerShapData(model, {
            instance: train[0].map((v) => v + 1),
            train,
            featureNames,
            task,
          });
          assert.deepEqual(explanation.featureNames, featureNames);
          const all = await parseXml(figure.toSVG());
          assertNoMarkupFromText(all, "explainerShap");
          for (const r of topContributions(explanation, 10)) {
            assertShownAsText(all, axisLabel(r), "explainerShap");
          }
        } finally {
          model.dispose();
        }
      },
    ),
    { seed: SEED, numRuns: 20 },
  );
});

/** Checks plotHistory draws `metrics` (unique names) as text in valid XML. */
async function checkHistoryNames(metrics: string[]): Promise<void> {
  const history: Record<string, number[]> = { loss: [0.9, 0.7, 0.6], val_loss: [1, 0.8, 0.75] };
  metrics.forEach((m, i) => {
    history[m] = [0.1, 0.2, 0.3 + i / 10];
    history[`val_${m}`] = [0.05, 0.15, 0.25 + i / 10];
  });
  const figure = await plotHistory(history);
  const all = await parseXml(figure.toSVG());
  assertNoMarkupFromText(all, "plotHistory");
  const spec = figure.toSpec() as unknown as { data: { values: { metric: string }[] } };
  const plotted = new Set(spec.data.values.map((v) => v.metric));
  for (const m of metrics) assert.ok(plotted.has(shown(m)), `metric ${JSON.stringify(m)} plotted`);
  for (const m of metrics) assert.ok(String(figure).includes(m));
}

const metricNamesArb = (name: fc.Arbitrary<string>) =>
  fc.uniqueArray(
    name.filter((s) => s.length < 200 && !s.includes("loss") && !s.startsWith("val_")),
    { minLength: 1, maxLength: 3 },
  );

Deno.test("property: any metric name made of XML characters is escaped in plotHistory", async () => {
  await fc.assert(
    fc.asyncProperty(metricNamesArb(nameArb.filter((s) => shown(s) === s)), checkHistoryNames),
    { seed: SEED, numRuns: 20 },
  );
});

Deno.test({
  // Guards a fixed bug (vega.ts / plot_history.ts): vega wrote metric names into the SVG as they
  // were, so a name with a character XML cannot carry (U+0000-U+001F except tab/LF/CR, U+FFFE,
  // U+FFFF) gave an SVG that did not parse: plotHistory({ loss: [1, 0.5], "m\u0007": [0.1, 0.2] }).
  // Such characters now become U+FFFD there too, as escapeXml does everywhere else.
  name: "property: any metric name is escaped in plotHistory",
  fn: async () => {
    await fc.assert(fc.asyncProperty(metricNamesArb(nameArb), checkHistoryNames), {
      seed: SEED,
      numRuns: 20,
    });
  },
});

// ---------------------------------------------------------------- explanations

/** A random small MLP with one output, its background and an instance. */
interface ShapProblem {
  features: number;
  hidden: { units: number; activation: ActivationName }[];
  sigmoid: boolean;
  seed: number;
  background: number[][];
  instance: number[];
}

const SMOOTH: ActivationName[] = ["linear", "relu", "elu", "tanh", "sigmoid", "softplus", "swish"];

const modelPartsArb = fc.record({
  hidden: fc.array(
    fc.record({ units: fc.integer({ min: 1, max: 8 }), activation: fc.constantFrom(...SMOOTH) }),
    { maxLength: 2 },
  ),
  sigmoid: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1000 }),
});

/** Values drawn by fast-check: edge values repeat, so some features tie with the instance. */
const shapProblemArb = (maxFeatures: number): fc.Arbitrary<ShapProblem> =>
  fc.integer({ min: 1, max: maxFeatures }).chain((features) => {
    const row = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
      minLength: features,
      maxLength: features,
    });
    return fc.record({
      features: fc.constant(features),
      background: fc.array(row, { minLength: 1, maxLength: 12 }),
      instance: row,
    }).chain((data) => modelPartsArb.map((parts) => ({ ...data, ...parts })));
  });

/**
 * Continuous values from a seed, so every feature varies unless it is chosen as a dummy
 * (equal to the instance in every background row).
 */
const varyingProblemArb = (features: fc.Arbitrary<number>) =>
  features.chain((features) =>
    fc.record({
      parts: modelPartsArb,
      rows: fc.integer({ min: 1, max: 12 }),
      dataSeed: fc.integer({ min: 0, max: 2 ** 31 }),
      dummies: fc.array(fc.integer({ min: 0, max: 9 }).map((d) => d === 0), {
        minLength: features,
        maxLength: features,
      }),
    }).map(({ parts, rows, dataSeed, dummies }) => {
      const r = rng(dataSeed);
      const draw = () => Array.from({ length: features }, () => 4 * r.next() - 2);
      const instance = draw();
      const background = Array.from(
        { length: rows },
        () => draw().map((v, k) => (dummies[k] ? instance[k] : v)),
      );
      return { problem: { features, background, instance, ...parts }, dummies };
    })
  );

function shapModel(p: ShapProblem): tf.LayersModel {
  const init = (i: number) => tf.initializers.randomNormal({ stddev: 1, seed: p.seed + i });
  return tf.sequential({
    layers: [
      ...p.hidden.map((h, i) =>
        tf.layers.dense({
          units: h.units,
          activation: h.activation as "relu",
          inputShape: i === 0 ? [p.features] : undefined,
          kernelInitializer: init(i),
        })
      ),
      tf.layers.dense({
        units: 1,
        activation: p.sigmoid ? "sigmoid" : "linear",
        inputShape: p.hidden.length === 0 ? [p.features] : undefined,
        kernelInitializer: init(9),
      }),
    ],
  });
}

function predictRows(model: tf.LayersModel, rows: number[][]): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d(rows)) as tf.Tensor).dataSync()));
}

const sum = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
const logit = (p: number) => {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
};

Deno.test("property: explanations are efficient and start from the background's mean output", async () => {
  await fc.assert(
    fc.asyncProperty(shapProblemArb(8), async (p) => {
      const model = shapModel(p);
      try {
        const link = p.sigmoid ? "logit" as const : "identity" as const;
        const before = tf.memory().numTensors;
        const e = explain(model, { instance: p.instance, background: p.background, link });
        assert.equal(tf.memory().numTensors, before, "explain leaves no tensor behind");
        const gap = Math.abs(sum(e.values) - (e.output - e.baseValue));
        assert.ok(gap <= 1e-9 * (1 + Math.abs(e.output) + Math.abs(e.baseValue)), `gap ${gap}`);
        const toLink = p.sigmoid ? logit : (v: number) => v;
        const [fx] = predictRows(model, [p.instance]);
        const bg = predictRows(model, p.background);
        const tol = (v: number) => 1e-4 * (1 + Math.abs(v));
        assert.ok(Math.abs(e.output - toLink(fx)) <= tol(e.output), `f(x) ${e.output}`);
        const mean = toLink(sum(bg) / bg.length);
        assert.ok(Math.abs(e.baseValue - mean) <= tol(mean), `E[f(X)] ${e.baseValue} vs ${mean}`);
        assert.ok(e.values.every(Number.isFinite));
        await Promise.resolve();
      } finally {
        model.dispose();
      }
    }),
    { seed: SEED, numRuns: 100 },
  );
});

Deno.test("property: Kernel SHAP stays close to the exact Shapley values; dummies get 0", async () => {
  let sampled = 0;
  await fc.assert(
    fc.asyncProperty(
      varyingProblemArb(fc.oneof(
        fc.integer({ min: 2, max: 11 }),
        fc.integer({ min: 12, max: 14 }), // Kernel SHAP samples coalitions here
      )),
      async ({ problem: p, dummies }) => {
        const model = shapModel(p);
        try {
          const link = p.sigmoid ? "logit" as const : "identity" as const;
          const options = { instance: p.instance, background: p.background, link };
          const exact = explain(model, { ...options, method: "exact" });
          const kernel = explain(model, { ...options, method: "kernel" });
          assert.equal(kernel.baseValue, exact.baseValue);
          assert.equal(kernel.output, exact.output);
          dummies.forEach((dummy, k) => {
            if (dummy) assert.deepEqual([exact.values[k], kernel.values[k]], [0, 0], `dummy ${k}`);
          });
          // The scale of the values: the spread of the model's outputs over the data, or the
          // size of the exact values when large contributions cancel out.
          const toLink = p.sigmoid ? logit : (v: number) => v;
          const outputs = predictRows(model, [...p.background, p.instance]).map(toLink);
          const range = Math.max(...outputs) - Math.min(...outputs);
          const scale = Math.max(range, sum(exact.values.map(Math.abs))) + 1e-6;
          const worst = Math.max(...exact.values.map((v, i) => Math.abs(v - kernel.values[i])));
          // All 2^M - 2 coalitions of the M varying features fit the default budget up to 11
          // features: then Kernel SHAP is exact; above, it samples.
          const M = dummies.filter((d) => !d).length;
          const enumerated = 2 ** M - 2 <= 2 * M + 2048;
          if (!enumerated) sampled++;
          const bound = enumerated ? 1e-9 * scale : 2e-2 * scale;
          assert.ok(worst <= bound, `worst ${worst}, scale ${scale}, M ${M}`);
          await Promise.resolve();
        } finally {
          model.dispose();
        }
      },
    ),
    { seed: SEED, numRuns: 50 },
  );
  assert.ok(sampled >= 3, `only ${sampled} runs sampled coalitions`);
});

// ---------------------------------------------------------------- training data

/** Ordinary feature values. */
const ordinaryArb = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1) },
);
/** Ordinary values, and sometimes anything float32 holds (up to ±3e38). */
const extremeArb = fc.oneof(
  { weight: 8, arbitrary: ordinaryArb },
  { weight: 1, arbitrary: fc.double({ min: -3e38, max: 3e38, noNaN: true }) },
);
/** What no feature or target may hold. */
const nonFiniteArb = fc.constantFrom(NaN, Infinity, -Infinity, 1e39, -1e300);
const GARBAGE = [
  null,
  undefined,
  "x",
  3,
  {},
  [],
  [1, 2, 3],
  [[]],
  [["1", "2"]],
  new Float32Array(3),
];

/** One thing wrong with otherwise good data (or nothing). */
type Mutation =
  | { kind: "none" | "dropYRow" | "addYRow" | "yAsRows" | "xTensor3d" }
  | { kind: "xValue" | "yValue"; row: number; col: number; value: number }
  | { kind: "label"; row: number; value: number }
  | { kind: "rowLength"; row: number; length: number }
  | { kind: "features"; length: number }
  | { kind: "xGarbage" | "yGarbage"; value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: "none" as const }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...(["dropYRow", "addYRow", "yAsRows", "xTensor3d"] as const).map((kind) => ({ kind })),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom("xValue" as const, "yValue" as const),
      row: fc.nat(),
      col: fc.nat(),
      value: nonFiniteArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("label" as const),
      row: fc.nat(),
      value: fc.oneof(fc.constantFrom(0.5, 2, -1), fc.double({ min: -10, max: 10, noNaN: true })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("rowLength" as const),
      row: fc.nat(),
      length: fc.integer({ min: 0, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("features" as const),
      length: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("xGarbage" as const, "yGarbage" as const),
      value: fc.constantFrom(...GARBAGE),
    }),
  },
);

/** Good data for a model of `features` inputs, one mutation, and whether to pass tensors. */
interface DataCase {
  x: number[][];
  y: number[];
  mutation: Mutation;
  xTensor: boolean;
  yTensor: boolean;
}

const dataArb = (
  features: number,
  task: string,
  value: fc.Arbitrary<number>,
): fc.Arbitrary<DataCase> =>
  fc.integer({ min: 1, max: 8 }).chain((rows) =>
    fc.record({
      x: fc.array(fc.array(value, { minLength: features, maxLength: features }), {
        minLength: rows,
        maxLength: rows,
      }),
      y: fc.array(
        task === "classification" ? fc.constantFrom(0, 1) : fc.double({
          min: -100,
          max: 100,
          noNaN: true,
        }),
        { minLength: rows, maxLength: rows },
      ),
      mutation: mutationArb,
      xTensor: fc.boolean(),
      yTensor: fc.boolean(),
    })
  );

/** A model (which builder, its width and task) and data for it. */
const fitSetupArb = (value: fc.Arbitrary<number>) =>
  fc.record({
    builder: fc.constantFrom("deepNN" as const, "perceptron" as const),
    features: fc.integer({ min: 1, max: 4 }),
    task: fc.constantFrom("classification" as const, "regression" as const),
  }).chain((setup) =>
    fc.record({ setup: fc.constant(setup), data: dataArb(setup.features, setup.task, value) })
  );

/** Applies the mutation and makes tensors where asked; `made` collects them for disposal. */
function makeData(d: DataCase, made: tf.Tensor[]): { x: unknown; y: unknown } {
  let x: unknown = d.x.map((row) => [...row]);
  let y: unknown = [...d.y];
  const xs = x as number[][];
  const ys = y as number[];
  const m = d.mutation;
  switch (m.kind) {
    case "xValue":
      xs[m.row % xs.length][m.col % xs[0].length] = m.value;
      break;
    case "yValue":
      ys[m.row % ys.length] = m.value;
      break;
    case "label":
      ys[m.row % ys.length] = m.value;
      break;
    case "rowLength":
      xs[m.row % xs.length] = xs[m.row % xs.length].concat(new Array(6).fill(0.5))
        .slice(0, m.length);
      break;
    case "features":
      x = xs.map((row) => row.concat(new Array(6).fill(0.5)).slice(0, m.length));
      break;
    case "dropYRow":
      ys.pop();
      break;
    case "addYRow":
      ys.push(0);
      break;
    case "yAsRows":
      y = ys.map((v) => [v, v]);
      break;
    case "xGarbage":
      x = m.value;
      break;
    case "yGarbage":
      y = m.value;
      break;
  }
  const tensorOf = (rows: unknown, rank3 = false) => {
    const t = tf.tensor(rows as number[][]);
    made.push(t);
    if (!rank3) return t;
    const r = t.expandDims(2);
    made.push(r);
    return r;
  };
  const rectangular = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((r) => Array.isArray(r)) &&
    v.every((r) => r.length === v[0].length && r.length > 0);
  if (m.kind === "xTensor3d") x = tensorOf(x, true);
  else if (d.xTensor && rectangular(x)) x = tensorOf(x);
  if (d.yTensor && Array.isArray(y) && y.length > 0 && (rectangular(y) || !Array.isArray(y[0]))) {
    y = tensorOf(y);
  }
  return { x, y };
}

function fitModel(setup: { builder: string; features: number; task: string }): tf.LayersModel {
  const classification = setup.task === "classification";
  const model = setup.builder === "deepNN"
    ? deepNN({ features: setup.features, seed: 1, task: setup.task as "regression" })
    : perceptron({
      inputs: setup.features,
      activation: classification ? "sigmoid" : "linear",
      seed: 1,
    });
  model.compile({
    optimizer: "adam",
    loss: classification ? "binaryCrossentropy" : "meanSquaredError",
    metrics: classification ? ["accuracy", f1] : [r2],
  });
  return model;
}

/** How runs of a random-data property ended. */
interface Outcomes {
  results: number;
  errors: Map<string, number>;
}
const outcomes = (): Outcomes => ({ results: 0, errors: new Map() });

/**
 * Runs `call`; it must give finite numbers or an ArgumentError of `fn` (or an error
 * `documented` accepts), and a rejected call leaves no tensor behind.
 */
async function finiteOrArgumentError(
  fn: string,
  tally: Outcomes,
  call: () => Promise<Record<string, unknown>>,
  documented: (e: Error) => boolean = () => false,
): Promise<void> {
  const before = tf.memory().numTensors;
  let numbers: Record<string, unknown>;
  try {
    numbers = await call();
  } catch (e) {
    const error = e as Error;
    const argumentError = error instanceof ArgumentError && error.fn === fn &&
      error.message.startsWith(`${fn}: `);
    if (!argumentError && !documented(error)) throw error;
    // An ArgumentError comes before any work: nothing may be left. A documented stop during a
    // run (train's overflow) leaves the optimizer's state, as a finished run does; the caller
    // checks that disposing the model frees it.
    if (argumentError) {
      assert.equal(tf.memory().numTensors, before, `${fn} leaves no tensor behind`);
    }
    const argument = error instanceof ArgumentError ? error.argument : error.message.slice(0, 30);
    tally.errors.set(argument, (tally.errors.get(argument) ?? 0) + 1);
    return;
  }
  for (const [key, value] of Object.entries(numbers)) {
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) {
      if (typeof v === "number") assert.ok(Number.isFinite(v), `${fn}: ${key} is ${v}`);
    }
  }
  tally.results++;
}

/** Both outcomes must be common, or the property tests little. */
function assertBothOutcomes(fn: string, tally: Outcomes, runs: number): void {
  const errors = [...tally.errors.values()].reduce((a, b) => a + b, 0);
  const summary = `${tally.results} results, errors ${JSON.stringify([...tally.errors])}`;
  assert.ok(tally.results >= runs / 5, `${fn}: too few results: ${summary}`);
  assert.ok(errors >= runs / 5, `${fn}: too few errors: ${summary}`);
}

/** evaluate on random data: finite scores or an ArgumentError. */
async function evaluateProperty(value: fc.Arbitrary<number>, runs: number): Promise<void> {
  const evaluations = outcomes();
  await fc.assert(
    fc.asyncProperty(
      fitSetupArb(value),
      fc.option(fc.double({ min: -1, max: 2, noNaN: true })),
      async ({ setup, data }, threshold) => {
        const model = fitModel(setup);
        const made: tf.Tensor[] = [];
        try {
          const { x, y } = makeData(data, made);
          const [xs, ys] = [x as number[][], y as number[]];
          await finiteOrArgumentError("evaluate", evaluations, async () => {
            const result = evaluate(model, xs, ys, threshold === null ? {} : { threshold });
            await Promise.resolve();
            const scores = result.scores as unknown as Record<string, unknown>;
            const confusion = (scores.confusion ?? {}) as Record<string, unknown>;
            // R2 of one row is NaN, as scikit-learn's r2_score (the heading says why).
            if (scores.rows === 1 && Number.isNaN(scores.r2)) {
              assert.match(String(result), /R2 is NaN: not defined for fewer than two rows/);
              return { ...scores, r2: 0 };
            }
            return { ...scores, ...confusion };
          });
        } finally {
          tf.dispose(made);
          model.dispose();
        }
      },
    ),
    { seed: SEED, numRuns: runs },
  );
  assertBothOutcomes("evaluate", evaluations, runs);
}

Deno.test("property: evaluate on random data gives finite scores or an ArgumentError", async () => {
  await evaluateProperty(ordinaryArb, 150);
});

Deno.test({
  // Guards a fixed bug (evaluate.ts): x values float32 holds can overflow the model's float32
  // output, and evaluate reported the overflow as a score instead of an error naming x. (The
  // property above with float32's extremes finds it only for some seeds, so the case is pinned
  // here.)
  name: "evaluate: an output that overflows float32 gives an error, not an infinite score",
  fn: async () => {
    const model = perceptron({ inputs: 2, initializer: "ones" });
    try {
      await finiteOrArgumentError("evaluate", outcomes(), async () => {
        await Promise.resolve();
        return { ...evaluate(model, [[3e38, 3e38]], [0], { task: "regression" }).scores };
      }); // today: scores.mae = mse = rmse = Infinity
    } finally {
      model.dispose();
    }
  },
});

/** train on random data: a finite history (every epoch run) or a documented error. */
async function trainProperty(value: fc.Arbitrary<number>, runs: number): Promise<void> {
  // train's one documented error that is not an ArgumentError: a loss that overflowed.
  const lossOverflow = (e: Error) => /^train: the (loss|metric \S+) became /.test(e.message);
  const trainings = outcomes();
  await fc.assert(
    fc.asyncProperty(
      fitSetupArb(value),
      fc.record({
        epochs: fc.integer({ min: 1, max: 2 }),
        batchSize: fc.integer({ min: 1, max: 5 }),
        validationSplit: fc.constantFrom(0, 0.2, 0.5),
        shuffle: fc.boolean(),
        engine: fc.constantFrom(undefined, "tfjs"),
      }),
      async ({ setup, data }, options) => {
        const baseline = tf.memory().numTensors;
        const model = fitModel(setup);
        const made: tf.Tensor[] = [];
        try {
          const { x, y } = makeData(data, made);
          const [xs, ys] = [x as number[][], y as number[]];
          await finiteOrArgumentError("train", trainings, async () => {
            const h = await train(model, xs, ys, { ...options, live: false, seed: 1 });
            assert.equal(h.epoch.length, options.epochs);
            return h.history;
          }, lossOverflow);
        } finally {
          tf.dispose(made);
          model.dispose();
        }
        assert.equal(tf.memory().numTensors, baseline, "model, optimizer and data all freed");
      },
    ),
    { seed: SEED, numRuns: runs },
  );
  assertBothOutcomes("train", trainings, runs);
}

Deno.test("property: train on random data gives a finite history or a documented error", async () => {
  await trainProperty(ordinaryArb, 120);
});

Deno.test({
  // Guards a fixed bug (metrics.ts / train.ts): a per-batch metric can overflow float32 while the
  // loss stays finite, and train returned it as it was (it checked only the loss). The minimal
  // case, both engines:
  // p = perceptron({ inputs: 1, initializer: "ones" });
  // p.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: [r2] });
  // train(p, [[1e17]], [0], { epochs: 1, batchSize: 1, validationSplit: 0, live: false })
  // -> history.loss = [1e34], history.R2 = [-Infinity] (1 - SS_res / (0 + 1e-7) in float32).
  name: "property: train on data with float32's extreme values gives finite numbers or an error",
  fn: async () => {
    await trainProperty(extremeArb, 120);
  },
});

// ---------------------------------------------------------------- output size

const ONE_MB = 1_000_000;

/** Bytes of a notebook output: the MIME bundle as JSON, UTF-8. */
function outputBytes(value: { [JUPYTER_DISPLAY](): Record<string, unknown> }): number {
  return new TextEncoder().encode(JSON.stringify(value[JUPYTER_DISPLAY]())).length;
}

async function assertDiagramsSmall(model: tf.LayersModel, what: string): Promise<void> {
  for (const options of [{}, { description: true, weights: true }]) {
    const bytes = outputBytes(visualizeNN(model, options));
    assert.ok(bytes < ONE_MB, `${what}: visualizeNN ${JSON.stringify(options)} is ${bytes} bytes`);
  }
  const figure = await plotModel(model, {
    showDtype: true,
    showLayerActivations: true,
    showTrainable: true,
  });
  const bytes = outputBytes(figure);
  assert.ok(bytes < ONE_MB, `${what}: plotModel is ${bytes} bytes`);
}

Deno.test("output size: the largest generated models draw in under 1 MB", async () => {
  const widest = (style: Style): Arch => ({
    style,
    inputs: 300,
    layers: Array.from({ length: 6 }, () => ({
      kind: "dense" as const,
      units: 300,
      activation: "relu" as const,
    })),
  });
  for (const style of ["sequential", "functional"] as const) {
    await withModel(widest(style), (m) => assertDiagramsSmall(m, `6 x 300 ${style}`));
  }
  // 10,000 neurons in the input column and in a hidden layer.
  for (
    const a of [
      { style: "sequential", inputs: 10_000, layers: [{ kind: "dense", units: 1 }] },
      {
        style: "functional",
        inputs: 3,
        layers: [{ kind: "dense", units: 10_000 }, { kind: "dropout", rate: 0.5 }, {
          kind: "dense",
          units: 1,
        }],
      },
    ] as Arch[]
  ) {
    for (const l of a.layers) if (l.kind === "dense") l.activation = "relu";
    await withModel(a, (m) => assertDiagramsSmall(m, `${widths(a).join("-")}`));
  }
});

/** Deep and wide: 4 to 6 layers of 100 to 300. */
const largeArchArb: fc.Arbitrary<Arch> = fc.record({
  style: fc.constantFrom<Style>("sequential", "functional"),
  inputs: fc.integer({ min: 100, max: 300 }),
  layers: fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant("dense" as const),
        units: fc.integer({ min: 100, max: 300 }),
        activation: fc.constantFrom(...ACTIVATIONS),
      }),
      fc.record({ kind: fc.constant("dropout" as const), rate: fc.constant(0.5) }),
    ),
    { minLength: 4, maxLength: 6 },
  ),
});

Deno.test("output size: random large models stay under 1 MB", async () => {
  await fc.assert(
    fc.asyncProperty(largeArchArb, async (a) => {
      await withModel(a, (m) => assertDiagramsSmall(m, widths(a).join("-")));
    }),
    { seed: SEED, numRuns: 12 },
  );
});

Deno.test({
  // Guards a fixed bug (visualize_nn.ts): every circle and link repeated its layer's name in a
  // data-layer attribute, so the SVG grew with name length x links: six 300-wide layers with
  // 1,000-character names gave a 1.15 MB output (3.2 MB with CJK names, 3 bytes each in UTF-8).
  // The name is now written once per column.
  name: "output size: long layer names keep the neuron diagram under 1 MB",
  fn: async () => {
    const a: Arch = {
      style: "sequential",
      inputs: 300,
      layers: Array.from({ length: 6 }, () => ({
        kind: "dense" as const,
        units: 300,
        activation: "relu" as const,
      })),
    };
    await withModel(a, async (m) => {
      (m as { name: string }).name = "M".repeat(1000);
      m.layers.forEach((l, i) => ((l as { name: string }).name = `${i}`.repeat(1000)));
      await assertDiagramsSmall(m, "6 x 300, 1,000-character names");
    });
  },
});
