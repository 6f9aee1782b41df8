/**
 * Test helper: assertions on what the training notebooks show.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type NotebookCell, text } from "../tools/jupyter.ts";

const VEGALITE = "application/vnd.vegalite.v5+json";

/**
 * The training cell shows ONE display, updated in place to the final epoch (not one output
 * per epoch): SVG and text, no HTML. Returns its text.
 */
export function assertOneLiveDisplay(cell: NotebookCell, epochs: number): string {
  const outs = cell.outputs ?? [];
  assert.equal(outs.length, 1, `one output, got ${outs.map((o) => o.output_type).join(", ")}`);
  assert.equal(outs[0].output_type, "display_data");
  assert.deepEqual(Object.keys(outs[0].data ?? {}).sort(), ["image/svg+xml", "text/plain"]);
  const plain = text(outs[0].data!["text/plain"]);
  // The display first showed "Epoch 0/N ... starting"; it now shows the end of the run.
  assert.match(
    plain,
    new RegExp(`^Epoch ${epochs}/${epochs} \\[={30}\\] 100% - \\d+s - \\d+(ms|us)/step\\n`),
  );
  assert.match(
    text(outs[0].data!["image/svg+xml"]),
    new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg"[^>]*>.*Epoch ${epochs}/${epochs}`, "s"),
  );
  return plain;
}

/**
 * A plotHistory cell: one output with the vega-lite spec, its SVG and text (no HTML), two
 * panels "Training" and "Validation". Returns the bundle.
 */
export function assertHistoryPlot(cell: NotebookCell): Record<string, unknown> {
  const outs = cell.outputs ?? [];
  assert.equal(outs.length, 1);
  const data = outs[0].data ?? {};
  assert.deepEqual(Object.keys(data).sort(), [VEGALITE, "image/svg+xml", "text/plain"].sort());
  const spec = data[VEGALITE] as { vconcat: { title: string }[] };
  assert.deepEqual(spec.vconcat.map((p) => p.title), ["Training", "Validation"]);
  const svg = text(data["image/svg+xml"]);
  assert.ok(svg.includes(">Training</text>") && svg.includes(">Validation</text>"));
  return data;
}
