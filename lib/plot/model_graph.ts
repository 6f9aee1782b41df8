/**
 * Keras's `plot_model` drawn: a {@linkcode ModelDiagram} (lib/describe) written as Graphviz
 * DOT ({@linkcode modelDot}), laid out by Graphviz (`@viz-js/viz`, Graphviz compiled to
 * WebAssembly) and finished as a standalone SVG; {@linkcode plotModel} does it all and returns
 * a {@linkcode Figure}. No tfjs here: the model is only handed on to the diagram.
 *
 * @module
 */
import type { Viz } from "@viz-js/viz";
import { Figure } from "../display/display.ts";
import { escapeXml } from "../core/escape.ts";
import { once } from "../core/once.ts";
import {
  describeDiagram,
  type DiagramNode,
  type ModelDiagram,
  modelDiagramFor,
  type PlotModelOptions,
} from "../describe/plot_model.ts";

const FONT_FAMILY = "Helvetica, Arial, sans-serif";
// Graphviz sizes text with Helvetica/Arial metrics only when the font is named alone; the
// fallback list is put back into the SVG afterwards.
const DOT_FONT = "Helvetica";

/** The header of a node: the layer name in bold, as Keras draws it. */
function headerHtml(node: DiagramNode): string {
  const suffix = ` (${node.className})`;
  return node.header.endsWith(suffix) && node.header.length > suffix.length
    ? `<b>${escapeXml(node.header.slice(0, -suffix.length))}</b>${escapeXml(suffix)}`
    : `<b>${escapeXml(node.header)}</b>`;
}

/**
 * A DOT attribute value: a plain identifier as is, anything else as a quoted string,
 * XML-escaped so no `"` ends it early and with backslashes as a character reference so
 * none escapes the closing quote.
 */
function dotValue(text: string): string {
  const plain = escapeXml(text);
  return /^[A-Za-z_][A-Za-z_0-9]*$/.test(plain) ? plain : `"${plain.replaceAll("\\", "&#92;")}"`;
}

/**
 * Writes a {@linkcode ModelDiagram} as Graphviz DOT with HTML-like table labels; all user
 * text is escaped, and nodes get the ids `layer_<index>`, edges `edge_<index>`.
 *
 * @example
 * ```ts
 * import { modelDiagram } from "../describe/plot_model.ts";
 * import { modelDot } from "./model_graph.ts";
 * import { perceptron } from "../build/models.ts";
 * modelDot(modelDiagram(perceptron())).startsWith("digraph model {"); // true
 * ```
 */
export function modelDot(diagram: ModelDiagram): string {
  const lines = [
    "digraph model {",
    `  graph [rankdir=${
      dotValue(diagram.rankdir)
    } fontname="${DOT_FONT}" fontsize=14 nodesep=0.35 ranksep=0.45 bgcolor="white" labelloc=t${
      diagram.title ? ` label=<<b>${escapeXml(diagram.title)}</b>>` : ""
    }];`,
    `  node [shape=plain fontname="${DOT_FONT}" fontsize=11];`,
    `  edge [color="#555555" arrowsize=0.7];`,
  ];
  for (const node of diagram.nodes) {
    const width = Math.max(1, ...node.rows.map((r) => r.length));
    const cells = node.rows.map((row) =>
      "<tr>" +
      row.map((cell, k) => {
        const span = k === row.length - 1 && row.length < width ? ` colspan="${width - k}"` : "";
        return `<td${span}>${escapeXml(cell)}</td>`;
      }).join("") +
      "</tr>"
    );
    const header = `<tr><td colspan="${width}" bgcolor="${escapeXml(node.fill)}">${
      headerHtml(node)
    }</td></tr>`;
    lines.push(
      `  n${node.index} [id="layer_${node.index}" class="layer" label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">${header}${
        cells.join("")
      }</table>>];`,
    );
  }
  diagram.edges.forEach((e, i) => {
    lines.push(`  n${e.from} -> n${e.to} [id="edge_${i}" class="connection"];`);
  });
  lines.push("}");
  return lines.join("\n");
}

/** The Graphviz engine, started once (the WebAssembly module loads on first use). */
const graphviz: () => Promise<Viz> = once(() => import("@viz-js/viz").then((m) => m.instance()));

/**
 * Lays out a DOT graph with Graphviz and returns its SVG as Graphviz writes it.
 *
 * @example
 * ```ts
 * import { layoutDot } from "./model_graph.ts";
 * const svg = await layoutDot("digraph { a -> b }");
 * svg.includes("<svg"); // true
 * ```
 */
export async function layoutDot(dot: string): Promise<string> {
  const viz = await graphviz();
  const result = viz.render(dot, { format: "svg" });
  if (result.status !== "success") {
    const messages = result.errors.map((e) => e.message).join("; ");
    throw new Error(`plotModel: Graphviz could not lay out the graph: ${messages}`);
  }
  return result.output;
}

/**
 * Turns Graphviz's SVG into a standalone, self-describing document: no DOCTYPE or
 * comments, fonts named on the root, and `data-layer`/`data-from`/`data-to` markers on
 * nodes and edges in place of Graphviz's ids.
 */
function finishSvg(svg: string, diagram: ModelDiagram): string {
  const name = (i: number) => escapeXml(diagram.nodes[i]?.name ?? "");
  const label = escapeXml(`Layer graph: ${diagram.title || diagram.name}`);
  let out = svg.slice(svg.indexOf("<svg"))
    .replace(/<!--[\s\S]*?-->\n?/g, "")
    .replace(
      /^<svg /,
      `<svg font-family="${FONT_FAMILY}" role="img" aria-label="${label}" `,
    )
    .replace(/font-family="[^"]*"/g, `font-family="${FONT_FAMILY}"`)
    .replace(/<g id="graph0" class="graph"/, `<g class="graph"`)
    .replace(/<title>model<\/title>/, `<title>${label}</title>`)
    .replace(/<g id="layer_(\d+)" class="([^"]*)">\n<title>n\d+<\/title>/g, (_, i, cls) => {
      const node = diagram.nodes[Number(i)];
      return `<g class="${cls}" data-index="${i}" data-layer="${name(Number(i))}" data-class="${
        escapeXml(node.className)
      }">\n<title>${escapeXml(`${node.name} (${node.className})`)}</title>`;
    })
    .replace(/<g id="edge_(\d+)" class="([^"]*)">\n<title>[^<]*<\/title>/g, (_, i, cls) => {
      const e = diagram.edges[Number(i)];
      return `<g class="${cls}" data-from="${name(e.from)}" data-to="${name(e.to)}">\n<title>${
        escapeXml(`${diagram.nodes[e.from].name} → ${diagram.nodes[e.to].name}`)
      }</title>`;
    });
  if (!out.endsWith("\n")) out += "\n";
  return out;
}

/**
 * Draws a model's layer graph, as Keras's `plot_model` does: one node per layer with its
 * name, class and shapes (plus optional dtype, activation and trainable rows) and one edge
 * per connection, laid out by Graphviz so branching models come out clean. Async because
 * the layout engine loads on first use: `await plotModel(model)`.
 *
 * @example
 * ```ts
 * import { plotModel } from "./model_graph.ts";
 * import { deepNN } from "../build/models.ts";
 * const fig = await plotModel(deepNN({ features: 10 }), { showLayerActivations: true });
 * fig.toSVG().match(/class="node layer"/g)?.length; // 6
 * fig.save("model.svg");
 * ```
 */
export async function plotModel(
  model: Parameters<typeof modelDiagramFor>[1],
  options?: PlotModelOptions,
): Promise<Figure> {
  const diagram = modelDiagramFor("plotModel", model, options);
  const svg = await layoutDot(modelDot(diagram));
  return new Figure(finishSvg(svg, diagram), describeDiagram(diagram));
}
