/**
 * Display: values that render themselves in Deno's Jupyter kernel and print as text
 * elsewhere. A {@linkcode Figure} is SVG (and can be saved), a {@linkcode TextTable} is an
 * HTML table, a {@linkcode VegaLiteFigure} is an interactive chart with a static SVG beside
 * it, and a {@linkcode LiveOutput} is one output updated in place. Nothing here knows about
 * models.
 *
 * @example
 * ```ts
 * import { Figure, inKernel, show } from "./mod.ts";
 * const fig = new Figure('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', "a dot");
 * if (inKernel()) await show(fig); // rendered as SVG in the notebook
 * else console.log(String(fig)); // "a dot"
 * ```
 *
 * @module
 */
export {
  type Displayable,
  Figure,
  inKernel,
  LiveOutput,
  type MimeBundle,
  show,
  TextTable,
} from "./display.ts";
export { VegaLiteFigure, type VegaLiteSpec } from "./vega.ts";
