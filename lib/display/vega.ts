/**
 * Vega-Lite charts that render everywhere: the bundle carries the vega-lite v5 spec (live,
 * with tooltips, in JupyterLab and VS Code) and an SVG rendered headless by vega from the
 * same spec (GitHub, nbconvert, static viewers), plus a text description.
 *
 * @module
 */
import process from "node:process";
import type * as Vega from "../deps/vega.ts";
import type * as VegaLite from "../deps/vega_lite.ts";
import { ArgumentError, fileError } from "../core/errors.ts";
import {
  checkSvg,
  checkText,
  type Displayable,
  JUPYTER_DISPLAY,
  type MimeBundle,
} from "./display.ts";
import { once } from "../core/once.ts";

/** A vega-lite v5 top-level spec. */
export type VegaLiteSpec = VegaLite.TopLevelSpec;

/**
 * The MIME type JupyterLab and VS Code render as a live vega-lite v5 chart.
 *
 * @example
 * ```ts
 * import { VEGALITE_MIME } from "./vega.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(VEGALITE_MIME, "application/vnd.vegalite.v5+json");
 * ```
 */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** The font the SVG names (vega measures text without a canvas, so any sans font fits). */
export const CHART_FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

/**
 * Explicit colours for every chart: a white background with dark text, so a chart reads the
 * same under a dark theme (JupyterLab Dark gives vega-embed its "dark" theme, whose light text
 * and grey background would otherwise meet the spec's black lines). The spec's own config wins.
 */
const CHART_COLOURS = {
  background: "#ffffff",
  title: { color: "#222222", subtitleColor: "#444444" },
  axis: {
    labelColor: "#333333",
    titleColor: "#222222",
    domainColor: "#888888",
    tickColor: "#888888",
    gridColor: "#e6e6e6",
  },
  legend: { labelColor: "#333333", titleColor: "#222222" },
  header: { labelColor: "#333333", titleColor: "#222222" },
  view: { stroke: "#dddddd" },
} as const;

/** `spec` with {@linkcode CHART_COLOURS} under its own config (one level deep). */
function withColours(spec: VegaLiteSpec): VegaLiteSpec {
  const own = (spec as { config?: Record<string, unknown> }).config ?? {};
  const config: Record<string, unknown> = { ...CHART_COLOURS };
  for (const [k, v] of Object.entries(own)) {
    const base = config[k];
    config[k] = base && typeof base === "object" && v && typeof v === "object"
      ? { ...base, ...v }
      : v;
  }
  return { ...spec, config } as VegaLiteSpec;
}

/** Loads vega and vega-lite once, on first use (they take a while to import). */
const load: () => Promise<[typeof Vega, typeof VegaLite]> = once(async () => {
  // vega's node-fetch pulls in whatwg-url, which requires node's deprecated `punycode`;
  // the DEP0040 warning would land on a notebook's stderr. Silence it for this import only.
  const flags = process as unknown as { noDeprecation?: boolean };
  const before = flags.noDeprecation;
  flags.noDeprecation = true;
  try {
    return await Promise.all([import("../deps/vega.ts"), import("../deps/vega_lite.ts")]);
  } finally {
    flags.noDeprecation = before;
  }
});

/**
 * Renders a vega-lite spec to a standalone SVG (xmlns, viewBox, font named), headless.
 *
 * @example
 * ```ts
 * import { vegaLiteToSVG } from "./vega.ts";
 * import assert from "node:assert/strict";
 * const svg = await vegaLiteToSVG({
 *   data: { values: [{ a: 1, b: 2 }] },
 *   mark: "point",
 *   encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } },
 * });
 * assert.ok(svg.startsWith("<svg"));
 * ```
 */
export async function vegaLiteToSVG(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await load();
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    // Name the font on the root too, so text without its own font-family is not left to the viewer's serif default.
    return svg.replace(/^<svg /, `<svg font-family="${CHART_FONT}" `);
  } finally {
    view.finalize();
  }
}

/**
 * A vega-lite chart: live spec, static SVG and text in one bundle; `save()` writes SVG or the spec.
 *
 * @example
 * ```ts
 * import { plotHistory } from "../plot/plot_history.ts";
 * const chart = await plotHistory({ loss: [0.7, 0.6], accuracy: [0.5, 0.6] });
 * const dir = await Deno.makeTempDir(); // not the working folder
 * chart.save(`${dir}/history.svg`);
 * ```
 */
export class VegaLiteFigure implements Displayable {
  readonly #spec: VegaLiteSpec;
  readonly #svg: string;
  readonly #description: string;
  /**
   * Creates a figure from a vega-lite spec, its SVG rendering and a text description.
   * @param spec the vega-lite v5 spec (kept as JSON)
   * @param svg the same chart rendered as a standalone SVG
   * @param description the `text/plain` description
   *
   * @example
   * ```ts
   * import { VegaLiteFigure } from "./vega.ts";
   * import assert from "node:assert/strict";
   * const spec = { data: { values: [] }, mark: "point" } as const;
   * const fig = new VegaLiteFigure(spec, '<svg xmlns="http://www.w3.org/2000/svg"/>', "empty");
   * assert.deepEqual(String(fig), "empty");
   * ```
   */
  constructor(spec: VegaLiteSpec, svg: string, description: string) {
    if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
      throw new ArgumentError("VegaLiteFigure", "spec", spec, "a vega-lite spec (an object)");
    }
    checkSvg("VegaLiteFigure", svg);
    checkText("VegaLiteFigure", "description", description);
    this.#spec = JSON.parse(JSON.stringify(spec));
    this.#svg = svg;
    this.#description = description;
  }
  /** The standalone SVG. */
  toSVG(): string {
    return this.#svg;
  }
  /** A copy of the vega-lite spec. */
  toSpec(): VegaLiteSpec {
    return JSON.parse(JSON.stringify(this.#spec));
  }
  /** Writes the SVG (`.svg`) or the vega-lite spec (`.json`, `.vl.json`) and returns the path. */
  save(path: string): string {
    const write = (text: string) => {
      try {
        Deno.writeTextFileSync(path, text);
      } catch (error) {
        throw fileError("VegaLiteFigure.save", "write", path, error);
      }
    };
    if (typeof path === "string" && /\.svg$/i.test(path)) {
      write(this.#svg);
    } else if (typeof path === "string" && /\.json$/i.test(path)) {
      write(JSON.stringify(this.#spec, null, 2) + "\n");
    } else {
      throw new ArgumentError(
        "VegaLiteFigure.save",
        "path",
        path,
        "a file name ending in .svg or .json",
      );
    }
    return path;
  }
  /** The text description. */
  toString(): string {
    return this.#description;
  }
  /** vega-lite spec, SVG and text; no `text/html`, which would shadow the richer renderers. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      [VEGALITE_MIME]: this.toSpec(),
      "image/svg+xml": this.#svg,
      "text/plain": this.#description,
    };
  }
}

/**
 * Renders `spec` and wraps it as a {@linkcode VegaLiteFigure}. The SVG is drawn from
 * `staticSpec` when given: the same chart without layers that only matter interactively.
 *
 * @example
 * ```ts
 * import { vegaLiteFigure } from "./vega.ts";
 * import assert from "node:assert/strict";
 * const fig = await vegaLiteFigure({ data: { values: [{ a: 1 }] }, mark: "tick", encoding: { x: { field: "a", type: "quantitative" } } }, "one tick");
 * assert.ok(fig.toSVG().includes("<svg"));
 * ```
 */
export async function vegaLiteFigure(
  spec: VegaLiteSpec,
  description: string,
  staticSpec: VegaLiteSpec = spec,
): Promise<VegaLiteFigure> {
  const full = withColours({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...spec,
  } as VegaLiteSpec);
  return new VegaLiteFigure(full, await vegaLiteToSVG(withColours(staticSpec)), description);
}
