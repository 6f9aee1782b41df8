/**
 * Keras's `plot_model` drawn: a {@linkcode ModelDiagram} (computed by `modelDiagram` in
 * lib/describe) written as Graphviz DOT ({@linkcode modelDot}), laid out by Graphviz
 * (`@viz-js/viz`, Graphviz compiled to WebAssembly) and finished as a standalone SVG
 * ({@linkcode renderModelGraph}).
 *
 * @module
 */
import type { Viz } from "../deps/viz.ts";
import { ArgumentError } from "../core/errors.ts";
import { escapeXml } from "../core/escape.ts";
import { once } from "../core/once.ts";
import { shorten, textWidth } from "../core/text_width.ts";
import { fitSvg } from "./fit_svg.ts";

/** Direction of the layout: top to bottom or left to right. */
export type RankDir = "TB" | "LR";

/** One node of the diagram: a layer drawn as a small table. */
export interface DiagramNode {
  /** Position in the model's topological order, from 0. */
  index: number;
  /** Layer name. */
  name: string;
  /** Layer class. */
  className: string;
  /** Header text: `name (Class)`, or `Class` without layer names. */
  header: string;
  /** Table rows below the header, each one or two cells of text. */
  rows: string[][];
  /** Header background colour. */
  fill: string;
}

/** One connection, by node index. */
export interface DiagramEdge {
  /** Index of the layer the tensor comes from. */
  from: number;
  /** Index of the layer it goes to. */
  to: number;
}

/** The layer diagram as plain data, before layout. */
export interface ModelDiagram {
  /** Model name. */
  name: string;
  /** Title above the graph (may be empty). */
  title: string;
  /** Layout direction. */
  rankdir: RankDir;
  /** One node per layer (Sequential models get their input node, as Keras draws it). */
  nodes: DiagramNode[];
  /** One edge per connection. */
  edges: DiagramEdge[];
}

const FONT_FAMILY = "Helvetica, Arial, sans-serif";
// Graphviz sizes text with Helvetica/Arial metrics only when the font is named alone; the
// fallback list is put back into the SVG afterwards.
const DOT_FONT = "Helvetica";

/** Longest layer name and title drawn; the node's tooltip keeps the whole name. */
const MAX_NAME = 40;
const MAX_TITLE = 80;
const FONT_SIZE = 11;
const TITLE_SIZE = 14;
// A cell's width holds its text in DejaVu Sans (wider than the Helvetica Graphviz measures
// with), plus cellpadding and border on both sides.
const CELL_PADDING = 4;
// Room on each side beyond the padding, so text never touches a border in any fallback font.
const cellWidth = (textPx: number) => Math.ceil(textPx + 2 * CELL_PADDING + 16);

/** The header of a node, the layer name in bold as Keras draws it, and its width. */
function header(node: DiagramNode): { html: string; width: number } {
  const suffix = ` (${node.className})`;
  if (node.header.endsWith(suffix) && node.header.length > suffix.length) {
    const name = shorten(node.header.slice(0, -suffix.length), MAX_NAME);
    return {
      html: `<b>${escapeXml(name)}</b>${escapeXml(suffix)}`,
      width: textWidth(name, FONT_SIZE, true) + textWidth(suffix, FONT_SIZE),
    };
  }
  const text = shorten(node.header, MAX_NAME);
  return { html: `<b>${escapeXml(text)}</b>`, width: textWidth(text, FONT_SIZE, true) };
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
 * import assert from "node:assert/strict";
 * assert.ok(modelDot(modelDiagram(perceptron())).startsWith("digraph model {"));
 * ```
 */
export function modelDot(diagram: ModelDiagram): string {
  if (!Array.isArray(diagram?.nodes) || !Array.isArray(diagram?.edges)) {
    throw new ArgumentError("modelDot", "diagram", diagram, "what modelDiagram() returns");
  }
  const lines = [
    "digraph model {",
    `  graph [rankdir=${
      dotValue(diagram.rankdir)
    } fontname="${DOT_FONT}" fontsize=${TITLE_SIZE} nodesep=0.35 ranksep=0.45 bgcolor="white" labelloc=t${
      diagram.title ? ` label=<${titleHtml(diagram.title)}>` : ""
    }];`,
    `  node [shape=plain fontname="${DOT_FONT}" fontsize=${FONT_SIZE}];`,
    `  edge [color="#555555" arrowsize=0.7];`,
  ];
  for (const node of diagram.nodes) {
    const width = node.rows.reduce((w, r) => Math.max(w, r.length), 1);
    const cells = node.rows.map((row) =>
      "<tr>" +
      row.map((cell, k) => {
        const span = k === row.length - 1 && row.length < width ? ` colspan="${width - k}"` : "";
        const text = shorten(cell, 2 * MAX_NAME);
        return `<td${span} width="${cellWidth(textWidth(text, FONT_SIZE))}">${
          escapeXml(text)
        }</td>`;
      }).join("") +
      "</tr>"
    );
    const head = header(node);
    const headerRow = `<tr><td colspan="${width}" width="${cellWidth(head.width)}" bgcolor="${
      escapeXml(node.fill)
    }">${head.html}</td></tr>`;
    lines.push(
      `  n${node.index} [id="layer_${node.index}" class="layer" label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="${CELL_PADDING}">${headerRow}${
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

/** The title in bold, in a borderless cell as wide as the title is in DejaVu Sans Bold. */
function titleHtml(title: string): string {
  const text = shorten(title, MAX_TITLE);
  return `<table border="0" cellborder="0" cellpadding="2"><tr><td width="${
    cellWidth(textWidth(text, TITLE_SIZE, true))
  }"><b>${escapeXml(text)}</b></td></tr></table>`;
}

/** The Graphviz engine, started once (the WebAssembly module loads on first use). */
const graphviz: () => Promise<Viz> = once(() => import("../deps/viz.ts").then((m) => m.instance()));

/**
 * Lays out a DOT graph with Graphviz and returns its SVG as Graphviz writes it.
 *
 * @example
 * ```ts
 * import { layoutDot } from "./model_graph.ts";
 * import assert from "node:assert/strict";
 * const svg = await layoutDot("digraph { a -> b }");
 * assert.ok(svg.includes("<svg"));
 * ```
 */
export function layoutDot(dot: string): Promise<string> {
  // Not async: a bad argument throws at the call.
  if (typeof dot !== "string") throw new ArgumentError("layoutDot", "dot", dot, "a DOT string");
  return renderDot(dot);
}

async function renderDot(dot: string): Promise<string> {
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
const TEXT_LINE =
  /^<text xml:space="preserve" text-anchor="start" x="([-\d.]+)" y="([-\d.]+)"( font-family="[^"]*")?( font-weight="bold")?( font-size="[^"]*")?>(.*)<\/text>$/;
const POLYGON_LINE = /^<polygon [^>]*points="([^"]*)"/;

/** The horizontal extent of a Graphviz polygon's points. */
function spanOf(points: string): [number, number] {
  const xs = points.trim().split(/\s+/).map((p) => Number(p.split(",")[0]));
  return [xs.reduce((a, b) => Math.min(a, b)), xs.reduce((a, b) => Math.max(a, b))];
}

/**
 * Graphviz places each run of text at an x computed with Helvetica's widths, so a wider
 * fallback font runs over the next run and out of its cell. Each line of runs (the bold
 * layer name and its class, a shape) becomes one text centred in its cell (the title: in the
 * picture), so the browser lays the runs out with whatever font it has.
 */
function centreTexts(svg: string): string {
  const lines = svg.split("\n");
  const out: string[] = [];
  let cell: [number, number] | null = null;
  let picture: [number, number] | null = null;
  let run: RegExpExecArray[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const [left, right] = cell ?? picture ?? [0, 0];
    const first = run[0];
    const body = run.length === 1 && !first[4]
      ? first[6]
      : run.map((m) => `<tspan${m[4] ?? ""}>${m[6]}</tspan>`).join("");
    out.push(
      `<text xml:space="preserve" text-anchor="middle" x="${
        Math.round(((left + right) / 2) * 100) / 100
      }" y="${first[2]}"${first[3] ?? ""}${first[5] ?? ""}>${body}</text>`,
    );
    run = [];
  };
  for (const line of lines) {
    const text = TEXT_LINE.exec(line);
    if (text && (run.length === 0 || run[0][2] === text[2])) {
      run.push(text);
      continue;
    }
    flush();
    if (text) {
      run.push(text);
      continue;
    }
    const polygon = POLYGON_LINE.exec(line);
    if (polygon) {
      if (picture === null) picture = spanOf(polygon[1]);
      else cell = spanOf(polygon[1]);
    } else if (line.startsWith("<g ") || line === "</g>") {
      cell = null;
    }
    out.push(line);
  }
  flush();
  return out.join("\n");
}

function finishSvg(svg: string, diagram: ModelDiagram): string {
  const name = (i: number) => escapeXml(diagram.nodes[i]?.name ?? "");
  const label = escapeXml(`Layer graph: ${diagram.title || diagram.name}`);
  let out = centreTexts(svg.slice(svg.indexOf("<svg")))
    .replace(/<!--[\s\S]*?-->\n?/g, "")
    .replace(
      /^<svg /,
      // A function, so a `$` in the user's title is not read as a replacement pattern.
      () => `<svg font-family="${FONT_FAMILY}" role="img" aria-label="${label}" `,
    )
    .replace(/font-family="[^"]*"/g, `font-family="${FONT_FAMILY}"`)
    .replace(/<g id="graph0" class="graph"/, `<g class="graph"`)
    .replace(/<title>model<\/title>/, () => `<title>${label}</title>`)
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
  return fitSvg(out);
}

/**
 * Lays out a {@linkcode ModelDiagram} with Graphviz and returns it as a standalone SVG: fonts
 * named, text centred in its cells, `data-layer`/`data-from`/`data-to` markers on nodes and
 * edges, all user text escaped.
 *
 * @example
 * ```ts
 * import { modelDiagram } from "../describe/plot_model.ts";
 * import { renderModelGraph } from "./model_graph.ts";
 * import { perceptron } from "../build/models.ts";
 * (await renderModelGraph(modelDiagram(perceptron()))).includes('data-layer="output"'); // true
 * ```
 */
export async function renderModelGraph(diagram: ModelDiagram): Promise<string> {
  return finishSvg(await layoutDot(modelDot(diagram)), diagram);
}
