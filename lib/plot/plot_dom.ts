/**
 * Renders an Observable Plot figure without a browser: Plot draws into a linkedom document,
 * and the SVG is serialized here as standalone XML (xmlns, viewBox, a named font family),
 * with every text and attribute escaped, so user text such as feature names is safe.
 *
 * @module
 */
import * as Plot from "../deps/plot.ts";
import { parseHTML } from "../deps/linkedom.ts";
import { escapeXml } from "../core/escape.ts";
import { fitSvg } from "./fit_svg.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
/**
 * The font the figures name, with generic fallbacks.
 *
 * @example
 * ```ts
 * import { FONT_FAMILY, plotToSvg } from "./plot_dom.ts";
 * plotToSvg({ marks: [] }).includes(`font-family="${FONT_FAMILY}"`); // true
 * ```
 */
export const FONT_FAMILY = "Helvetica, Arial, sans-serif";

type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;
let shared: PlotDocument | undefined;

/** One linkedom document for all figures (Plot only creates detached elements in it). */
function plotDocument(): PlotDocument {
  shared ??= (parseHTML("<!DOCTYPE html><html><head></head><body></body></html>") as unknown as {
    document: PlotDocument;
  }).document;
  return shared;
}

/** The minimal DOM surface used here (Deno has no DOM types). */
interface DomNode {
  getAttribute?(name: string): string | null;
  setAttribute?(name: string, value: string): void;
  nodeType: number;
  nodeValue: string | null;
  localName?: string;
  attributes?: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<DomNode>;
}

/** Serializes an element as XML: names as created, every text and attribute escaped. */
function toXml(node: DomNode): string {
  if (node.nodeType === 3) return escapeXml(node.nodeValue ?? "");
  if (node.nodeType !== 1) return ""; // comments and the like carry nothing to draw
  const name = node.localName!;
  let attributes = "";
  for (const a of Array.from(node.attributes ?? [])) {
    attributes += ` ${a.name}="${escapeXml(a.value)}"`;
  }
  const children = Array.from(node.childNodes).map(toXml).join("");
  return children === ""
    ? `<${name}${attributes}/>`
    : `<${name}${attributes}>${children}</${name}>`;
}

/**
 * Draws `options` with Observable Plot and returns a standalone SVG document.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { plotToSvg } from "./plot_dom.ts";
 * import assert from "node:assert/strict";
 * const svg = plotToSvg({ marks: [Plot.barX([1, 2, 3])] });
 * assert.ok(svg.startsWith("<svg"));
 * ```
 */
export function plotToSvg(options: Plot.PlotOptions): string {
  const element = Plot.plot({ className: "dlnb-plot", ...options, document: plotDocument() });
  const svg = element as unknown as Required<DomNode>;
  if (svg.localName !== "svg") {
    // Titles, captions and legends make Plot wrap the SVG in a <figure>; the figures here
    // draw those as marks instead.
    throw new Error(`plotToSvg: expected an <svg> from Plot, got <${svg.localName}>`);
  }
  const width = Number(svg.getAttribute("width") ?? 640);
  const height = Number(svg.getAttribute("height") ?? 400);
  svg.setAttribute("xmlns", SVG_NS);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("font-family", FONT_FAMILY);
  // Plot's `currentColor` needs a CSS colour to inherit from; a standalone file has none.
  svg.setAttribute("color", "black");
  svg.setAttribute("style", "background: white");
  return fitSvg(toXml(svg));
}
