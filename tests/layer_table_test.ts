import assert from "node:assert/strict";
import { deepNN, LayerTable, layerTable, perceptron } from "../lib/mod.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";

Deno.test("layerTable: the perceptron's records, shown as a text table and an HTML table", () => {
  const table = layerTable(perceptron({ initializer: "ones" }));
  assert.ok(table instanceof LayerTable && Array.isArray(table));
  assert.deepEqual(table.map((r) => [r.name, r.inputs, r.neurons, r.outputs, r.activation]), [
    ["input", 3, 0, 3, null],
    ["dense", 3, 1, 1, "linear"],
  ]);
  assert.deepEqual(table[1].weights, [[1], [1], [1]]);
  assert.equal(
    String(table),
    [
      "name   class       inputs  neurons  outputs  activation  weights        bias",
      "input  InputLayer       3        0        3  -           -              -",
      "dense  Dense            3        1        1  linear      [[1],[1],[1]]  [0]",
    ].join("\n"),
  );
  const bundle = table[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/plain"], String(table));
  const html = bundle["text/html"] as string;
  assert.equal((html.match(/<tr>/g) ?? []).length, 3);
  assert.match(html, /<td style="text-align:right">3<\/td>/);
  assert.doesNotMatch(html + String(table), /undefined|null/);
});

Deno.test("layerTable: big kernels show their shape; derived arrays are plain", () => {
  const table = layerTable(deepNN({ features: 10, seed: 42 }));
  assert.match(String(table), /^h1 +Dense +10 +6 +6 +relu +10 × 6 +\[0,0,0,0,0,0\]$/m);
  assert.match(String(table), /^drop2 +Dropout +3 +0 +3 +- +- +-$/m);
  assert.equal(table.slice(1).constructor, Array);
  assert.equal(table.map((r) => r.name).constructor, Array);
});
