/**
 * Figures that fit the output area. A figure wider than {@linkcode FIXED_MAX_WIDTH} loses its
 * `width` and `height` attributes and keeps its viewBox, with `max-width` at its natural width
 * in its own `style`: shown inline (classic notebook, nbconvert HTML, a browser opening the
 * file) it keeps its natural size when there is room and scales down with its text otherwise.
 * JupyterLab 4 shows `image/svg+xml` in an `<img>` with no CSS of its own; there the figure
 * has only an aspect ratio and fills the output's width, since nothing inside an SVG image can
 * cap the `<img>` (a fixed `width` would overflow a narrow output with a scrollbar instead).
 * Narrower figures keep their fixed size: they fit every output from a 600 px window up.
 *
 * @module
 */

/**
 * Widest figure drawn at a fixed size: JupyterLab's output area in a 600 px window (484 px).
 *
 * @example
 * ```ts
 * import { FIXED_MAX_WIDTH } from "./fit_svg.ts";
 * FIXED_MAX_WIDTH; // 480
 * ```
 */
export const FIXED_MAX_WIDTH = 480;

const ROOT = /<svg\b[^>]*>/;

/** A root attribute's value, or undefined. */
function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** A length in CSS px: plain numbers and `px` as they are, `pt` as 4/3 px. */
function pixels(length: string | undefined): number | undefined {
  const m = /^\s*([\d.]+)\s*(px|pt)?\s*$/.exec(length ?? "");
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === "pt" ? 4 / 3 : 1);
}

/**
 * The natural width of a standalone SVG in CSS px: its `width` attribute, else the `max-width`
 * in its style (what {@linkcode fitSvg} leaves), else its viewBox width.
 *
 * @example
 * ```ts
 * import { naturalWidth } from "./fit_svg.ts";
 * naturalWidth('<svg width="664pt" height="10pt" viewBox="0 0 664 10"/>'); // 885.3333333333334
 * ```
 */
export function naturalWidth(svg: string): number | undefined {
  const tag = ROOT.exec(svg)?.[0] ?? "";
  const fromStyle = /max-width:\s*([\d.]+)px/.exec(attribute(tag, "style") ?? "")?.[1];
  const box = attribute(tag, "viewBox")?.trim().split(/[\s,]+/).map(Number);
  return pixels(attribute(tag, "width")) ?? (fromStyle ? Number(fromStyle) : undefined) ??
    (box && box.length === 4 ? box[2] : undefined);
}

/**
 * A standalone SVG that fits its output area: wider than {@linkcode FIXED_MAX_WIDTH}, its root
 * loses `width` and `height` and gains a viewBox (if it had none) and `max-width` at its
 * natural width; narrower ones are returned as they are. Only the root start tag changes.
 *
 * @example
 * ```ts
 * import { fitSvg } from "./fit_svg.ts";
 * fitSvg('<svg width="720" height="300" viewBox="0 0 720 300"></svg>');
 * // '<svg viewBox="0 0 720 300" style="max-width: 720px; height: auto"></svg>'
 * fitSvg('<svg width="200" height="100"></svg>'); // unchanged
 * ```
 */
export function fitSvg(svg: string): string {
  const match = ROOT.exec(svg);
  if (!match) return svg;
  const tag = match[0];
  const width = pixels(attribute(tag, "width"));
  const height = pixels(attribute(tag, "height"));
  if (width === undefined || height === undefined || width <= FIXED_MAX_WIDTH) return svg;
  const round = (v: number) => Math.round(v * 100) / 100;
  let root = tag.replace(/\s(width|height)="[^"]*"/g, "");
  if (attribute(root, "viewBox") === undefined) {
    root = root.replace(/^<svg\b/, `<svg viewBox="0 0 ${round(width)} ${round(height)}"`);
  }
  const own = (attribute(root, "style") ?? "").trim().replace(/;?$/, "");
  const style = `${own ? `${own}; ` : ""}max-width: ${round(width)}px; height: auto`;
  root = attribute(root, "style") === undefined
    ? root.replace(/\s*(\/?)>$/, ` style="${style}"$1>`)
    : root.replace(/\sstyle="[^"]*"/, ` style="${style}"`);
  return svg.slice(0, match.index) + root + svg.slice(match.index + tag.length);
}
