/**
 * The neuron diagram as SVG: {@linkcode renderNetworkSVG} draws a {@linkcode NetworkGeometry}
 * (computed by `networkGeometry` in lib/describe) as a standalone document.
 *
 * @module
 */
import { ArgumentError } from "../core/errors.ts";
import { escapeXml } from "../core/escape.ts";
import { textWidth } from "../core/text_width.ts";
import type { NetworkGeometry, TextLine } from "./network_types.ts";
import { fitSvg } from "./fit_svg.ts";

const round = (v: number) => Math.round(v * 100) / 100;

function textElement(t: TextLine, cls: string, extra = ""): string {
  return `<text class="${cls}"${extra} x="${t.x}" y="${t.y}" fill="${
    escapeXml(t.color)
  }" font-size="${t.size}" text-anchor="${escapeXml(t.anchor)}">${escapeXml(t.text)}</text>`;
}

/** `X12` as `X` with a subscript `12`. */
function neuronLabel(label: string, size: number): string {
  const m = /^([A-Za-z]+)(\d+)$/.exec(label);
  if (!m) return escapeXml(label);
  return `${m[1]}<tspan font-size="${round(size * 0.75)}" dy="${round(size * 0.3)}">${
    m[2]
  }</tspan>`;
}

/** Left and right of a neuron label (`X12`: `X`, then `12` as a subscript). */
function labelSpan(label: string, size: number, x: number, anchor: string): [number, number] {
  const m = /^([A-Za-z]+)(\d+)$/.exec(label);
  const w = m ? textWidth(m[1], size) + textWidth(m[2], size * 0.75) : textWidth(label, size);
  return anchor === "end" ? [x - w, x] : [x, x + w];
}

/** A white chip behind text from `left` to `right` on `baseline` (room for a subscript). */
function chip(left: number, right: number, baseline: number, size: number): string {
  const x = round(left - 1.5), y = round(baseline - size * 0.85);
  return `<rect class="label-bg" x="${x}" y="${y}" width="${round(right - left + 3)}" height="${
    round(size * 1.3)
  }" rx="2"/>`;
}

/**
 * Renders a {@linkcode NetworkGeometry} as a standalone SVG document. Elements carry stable
 * markers: `circle.neuron`, `line.link`, `text.neuron-label`, `text.description`,
 * `g.collapsed` and `g.legend`, with `data-column` and `data-neuron`; `g.column` elements map
 * each `data-column` to its layer's name (`data-layer`).
 *
 * @example
 * ```ts
 * import { networkGeometry } from "../describe/visualize_nn.ts";
 * import { renderNetworkSVG } from "./network_svg.ts";
 * import { perceptron } from "../build/models.ts";
 * const svg = renderNetworkSVG(networkGeometry(perceptron()));
 * svg.match(/class="neuron"/g)?.length; // 4
 * ```
 */
export function renderNetworkSVG(geometry: NetworkGeometry): string {
  checkGeometry("renderNetworkSVG", geometry);
  const g = geometry;
  const layer = (column: number) => escapeXml(g.columns[column]?.name ?? "");
  const out: string[] = [];
  const label = g.title?.text ?? g.name;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" font-family="${
      escapeXml(g.fontFamily)
    }" role="img" aria-label="${escapeXml(`Neural network diagram: ${label}`)}">`,
    `<title>${escapeXml(`Neural network diagram: ${label}`)}</title>`,
    `<rect width="${g.width}" height="${g.height}" fill="white"/>`,
  );
  if (g.title) out.push(textElement(g.title, "title", ' font-weight="bold"'));
  if (g.note) out.push(textElement(g.note, "note"));
  if (g.descriptions.length > 0) {
    out.push(`<g class="descriptions">`);
    for (const t of g.descriptions) {
      const col = t.column ?? 0;
      out.push(textElement(t, "description", ` data-column="${col}" data-layer="${layer(col)}"`));
    }
    out.push(`</g>`);
  }
  // Each column's layer name once: neurons and links refer to it by data-column (a name on
  // every element made long names cost megabytes on wide networks).
  out.push(`<g class="columns">`);
  g.columns.forEach((_, i) =>
    out.push(`<g class="column" data-column="${i}" data-layer="${layer(i)}"/>`)
  );
  out.push(`</g>`, `<g class="links" stroke-linecap="round">`);
  for (const l of g.links) {
    const weight = l.weight === null ? "" : ` data-weight="${Number(l.weight.toPrecision(4))}"`;
    out.push(
      `<line class="link" data-column="${l.toColumn}" data-from="${l.fromNeuron}" data-to="${l.toNeuron}"${weight} x1="${l.x1}" y1="${l.y1}" x2="${l.x2}" y2="${l.y2}" stroke="${
        escapeXml(l.color)
      }" stroke-width="${l.width}" stroke-opacity="${l.opacity}"/>`,
    );
  }
  // Labels sit on white chips drawn over the links (and under the circles), so no link
  // crosses a label; the chips are sized for DejaVu Sans, the widest usual fallback.
  out.push(`</g>`, `<g class="label-bgs" fill="white" fill-opacity="0.92">`);
  for (const c of g.circles) {
    const [left, right] = labelSpan(c.label, c.labelSize, c.labelX, c.labelAnchor);
    out.push(chip(left, right, c.labelY, c.labelSize));
  }
  for (const m of g.collapsed) {
    const y = round(m.y + m.size * 0.35);
    out.push(chip(m.x - m.size * 0.3, m.labelX + textWidth(m.label, m.size), y, m.size));
  }
  out.push(`</g>`, `<g class="neurons" stroke="black" stroke-width="0.8">`);
  for (const c of g.circles) {
    out.push(
      `<circle class="neuron" data-column="${c.column}" data-neuron="${c.neuron}" cx="${c.x}" cy="${c.y}" r="${c.r}" fill="${
        escapeXml(c.fill)
      }"/>`,
    );
  }
  // A white halo keeps labels readable where they cross links.
  out.push(
    `</g>`,
    `<g class="neuron-labels" fill="#222222" stroke="white" stroke-width="2.5" stroke-linejoin="round" paint-order="stroke">`,
  );
  for (const c of g.circles) {
    out.push(
      `<text class="neuron-label" data-column="${c.column}" x="${c.labelX}" y="${c.labelY}" font-size="${c.labelSize}" text-anchor="${
        escapeXml(c.labelAnchor)
      }">${neuronLabel(c.label, c.labelSize)}</text>`,
    );
  }
  out.push(`</g>`);
  for (const m of g.collapsed) {
    out.push(
      `<g class="collapsed" data-column="${m.column}" data-layer="${
        layer(m.column)
      }" data-hidden="${m.hidden}" fill="#444444" font-size="${m.size}" stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke">`,
      `<text x="${m.x}" y="${round(m.y + m.size * 0.35)}" text-anchor="middle">⋮</text>`,
      `<text class="collapsed-count" x="${m.labelX}" y="${round(m.y + m.size * 0.35)}">${
        escapeXml(m.label)
      }</text>`,
      `</g>`,
    );
  }
  if (g.legend) {
    out.push(`<g class="legend" font-size="10" fill="#333333">`);
    for (const item of g.legend.items) {
      out.push(
        `<line x1="${item.x1}" y1="${item.y}" x2="${item.x2}" y2="${item.y}" stroke="${
          escapeXml(item.color)
        }" stroke-width="${item.width}" stroke-opacity="${item.opacity}"/>`,
        `<text x="${item.x2 + 6}" y="${round(item.y + 3.5)}">${escapeXml(item.label)}</text>`,
      );
    }
    out.push(textElement(g.legend.note, "legend-note"), `</g>`);
  }
  out.push(`</svg>`);
  return fitSvg(out.join("\n"));
}

/**
 * Refuses anything but what `networkGeometry()` returns, naming `fn`, the public function called.
 *
 * @example
 * ```ts
 * import { checkGeometry } from "./network_svg.ts";
 * import assert from "node:assert/strict";
 * try {
 *   checkGeometry("renderNetworkSVG", {});
 * } catch (e) {
 *   assert.ok((e as Error).message.startsWith("renderNetworkSVG: geometry"));
 * }
 * ```
 */
export function checkGeometry(fn: string, g: unknown): void {
  const ok = g !== null && typeof g === "object" &&
    ["columns", "circles", "links", "descriptions", "collapsed"].every((k) =>
      Array.isArray((g as Record<string, unknown>)[k])
    );
  if (!ok) throw new ArgumentError(fn, "geometry", g, "what networkGeometry() returns");
}
