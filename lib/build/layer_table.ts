/**
 * The article's `utils_nn_config` as typed plain data: one record per layer, the input
 * included, with the layer's weights and biases; shown as a table in a notebook.
 *
 * @module
 */
import { maxOf } from "../core/extent.ts";
import type { tf } from "../core/tf.ts";
import { graphFor, type ModelGraph } from "./graph.ts";
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/display.ts";
import { escapeXml } from "../core/escape.ts";
import { ArgumentError } from "../core/errors.ts";
import { plural } from "../core/words.ts";

/** One layer, as the article's `utils_nn_config` describes it. */
export interface LayerRecord {
  /** Layer name. */
  name: string;
  /** Layer class, e.g. `Dense`. */
  className: string;
  /** Size of the layer's input (last dimension; summed over several inputs). */
  inputs: number;
  /** Units of a Dense layer, else 0. */
  neurons: number;
  /** Size of the layer's output (last dimension). */
  outputs: number;
  /** Activation name, or `null` for layers without one. */
  activation: string | null;
  /** Kernel as `inputs` rows of `neurons` values, or `null`. */
  weights: number[][] | null;
  /** Bias, one value per neuron, or `null`. */
  bias: number[] | null;
}

function lastDim(shape: (number | null)[] | undefined): number {
  return shape && shape.length > 0 ? (shape[shape.length - 1] ?? 0) : 0;
}

const COLUMNS = ["name", "class", "inputs", "neurons", "outputs", "activation", "weights", "bias"];

/** A kernel or bias in a cell: its values (4 significant digits) when few, else its shape. */
function valuesCell(values: number[][] | number[] | null): string {
  if (values === null) return "-";
  const count = values.flat().length;
  if (count <= 12) {
    return JSON.stringify(values, (_, v) => typeof v === "number" ? +v.toPrecision(4) : v);
  }
  return Array.isArray(values[0])
    ? `${values.length} × ${values[0].length}`
    : plural(count, "value");
}

function cellsOf(r: LayerRecord): string[] {
  return [
    r.name,
    r.className,
    String(r.inputs),
    String(r.neurons),
    String(r.outputs),
    r.activation ?? "-",
    valuesCell(r.weights),
    valuesCell(r.bias),
  ];
}

/**
 * The records of {@linkcode layerTable}: an array of {@linkcode LayerRecord} that a notebook
 * shows as a table. `map`, `filter` and `slice` return plain arrays.
 *
 * @example
 * ```ts
 * import { layerTable } from "./layer_table.ts";
 * import { perceptron } from "./models.ts";
 * const table = layerTable(perceptron({ initializer: "ones" }));
 * console.log(String(table)); // name  class  inputs ... with one row per layer
 * ```
 */
export class LayerTable extends Array<LayerRecord> implements Displayable {
  /** Derived arrays (`map`, `slice`, ...) are plain arrays: their items need not be layers. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  /**
   * A table of the given layer records (what {@linkcode layerTable} returns holds one per
   * layer); anything but records is refused, including Array's `new Array(n)` length form.
   *
   * @example
   * ```ts
   * import { LayerTable, layerTable } from "./layer_table.ts";
   * import { perceptron } from "./models.ts";
   * new LayerTable(...layerTable(perceptron())).length; // 2
   * ```
   */
  constructor(...records: LayerRecord[]) {
    super();
    records.forEach((r, i) => {
      if (r === null || typeof r !== "object" || typeof r.name !== "string") {
        throw new ArgumentError(
          "LayerTable",
          `records[${i}]`,
          r,
          "a layer record, as layerTable(model) gives",
        );
      }
    });
    for (const r of records) this.push(r); // not push(...records): no bound on the count
  }
  /** Aligned text columns, one row per layer. */
  override toString(): string {
    const rows = [COLUMNS, ...this.map(cellsOf)];
    const numeric = (c: number) => c >= 2 && c <= 4;
    const widths = COLUMNS.map((_, c) => maxOf(rows, (r) => r[c].length, 0));
    return rows.map((r) =>
      r.map((v, c) => numeric(c) ? v.padStart(widths[c]) : v.padEnd(widths[c])).join("  ")
        .trimEnd()
    ).join("\n");
  }
  /** An HTML table, one row per layer. */
  toHTML(): string {
    const align = (c: number) => c >= 2 && c <= 4 ? "right" : "left";
    const head = COLUMNS.map((h, c) => `<th style="text-align:${align(c)}">${h}</th>`).join("");
    const body = this.map((r) =>
      "<tr>" + cellsOf(r).map((v, c) => `<td style="text-align:${align(c)}">${escapeXml(v)}</td>`)
        .join("") +
      "</tr>"
    ).join("");
    return `<table class="dlnb-layers"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }
  /** The MIME bundle: text and HTML. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHTML() };
  }
}

/**
 * Describes a model layer by layer, as the article's `utils_nn_config` does. A notebook
 * cell ending with it shows a table; the records are plain data.
 *
 * @example
 * ```ts
 * import { layerTable } from "./layer_table.ts";
 * import { perceptron } from "./models.ts";
 * const rows = layerTable(perceptron({ initializer: "ones" }));
 * rows.map((r) => [r.name, r.inputs, r.neurons, r.outputs]); // [["input", 3, 0, 3], ["dense", 3, 1, 1]]
 * rows[1].weights; // [[1], [1], [1]]
 * ```
 */
export function layerTable(model: tf.LayersModel): LayerTable {
  const table = new LayerTable();
  for (const r of layerRecords(graphFor("layerTable", model), model, true)) table.push(r);
  return table;
}

/**
 * The records of an already computed graph; without `withWeights`, weights and bias stay
 * `null` (copying a 10,000 x 10,000 kernel into arrays takes seconds a diagram may not need).
 */
export function layerRecords(
  graph: ModelGraph,
  model: tf.LayersModel,
  withWeights: boolean,
): LayerRecord[] {
  const layers = new Map(model.layers.map((l) => [l.name, l]));
  return graph.nodes.map((node) => {
    const layer = layers.get(node.name);
    let weights: number[][] | null = null;
    let bias: number[] | null = null;
    if (withWeights && layer && node.units > 0 && layer.weights.length > 0) {
      const [kernel, b] = layer.getWeights();
      const [rows, cols] = kernel.shape;
      const flat = kernel.dataSync();
      weights = Array.from(
        { length: rows },
        (_, r) => Array.from(flat.subarray(r * cols, (r + 1) * cols)),
      );
      bias = b ? Array.from(b.dataSync()) : null;
    }
    return {
      name: node.name,
      className: node.className,
      inputs: node.inputShapes.reduce((n, s) => n + lastDim(s), 0),
      neurons: node.units,
      outputs: lastDim(node.outputShapes[0]),
      activation: node.activation,
      weights,
      bias,
    };
  });
}
