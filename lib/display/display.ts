/**
 * The display protocol: every value the lib returns for looking at renders itself in
 * Deno's Jupyter kernel through `Symbol.for("Jupyter.display")`, prints as text under
 * `deno run`, and figures can be saved to a file.
 *
 * @module
 */
import { ArgumentError, fileError } from "../core/errors.ts";

/** A Jupyter MIME bundle: MIME type -> content. */
export type MimeBundle = { "text/plain": string } & Record<string, unknown>;

/**
 * The symbol Deno's kernel looks for to render a value richly.
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY } from "./display.ts";
 * const value = { [JUPYTER_DISPLAY]: () => ({ "text/plain": "hello" }) };
 * value[JUPYTER_DISPLAY]()["text/plain"]; // "hello"
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/**
 * Anything that renders in the kernel and prints as text elsewhere: every value the lib
 * returns for looking at. Deno's kernel calls its `Symbol.for("Jupyter.display")` method for
 * the {@linkcode MimeBundle} to render.
 */
export interface Displayable {
  /**
   * The MIME bundle the kernel renders. Hidden from the public docs: the key is Deno's
   * protocol, not part of the lib's API.
   *
   * @ignore
   */
  [JUPYTER_DISPLAY](): MimeBundle;
  /** Readable text, used outside the kernel. */
  toString(): string;
}

interface JupyterApi {
  display(bundle: Record<string, unknown>, options?: Record<string, unknown>): Promise<void>;
}

/**
 * The kernel's `Deno.jupyter` API, or `undefined` outside the kernel (where reading it throws).
 *
 * @example
 * ```ts
 * import { jupyter } from "./display.ts";
 * if (!jupyter()) console.log("not in a notebook");
 * ```
 */
export function jupyter(): JupyterApi | undefined {
  try {
    // Outside `deno jupyter`, reading Deno.jupyter throws.
    return (Deno as unknown as { jupyter: JupyterApi }).jupyter;
  } catch {
    return undefined;
  }
}

/**
 * True when running inside Deno's Jupyter kernel.
 *
 * @example
 * ```ts
 * import { inKernel } from "./display.ts";
 * console.log(inKernel() ? "notebook" : "script");
 * ```
 */
export function inKernel(): boolean {
  return jupyter() !== undefined;
}

/**
 * Checks a text argument of a displayable's constructor.
 *
 * @example
 * ```ts
 * import { checkText } from "./display.ts";
 * checkText("TextTable", "text", "a | 1"); // fine
 * ```
 */
export function checkText(fn: string, argument: string, value: unknown): void {
  if (typeof value !== "string") throw new ArgumentError(fn, argument, value, "a string");
}

/**
 * Checks an SVG argument: a string holding an `<svg` element.
 *
 * @example
 * ```ts
 * import { checkSvg } from "./display.ts";
 * checkSvg("Figure", '<svg xmlns="http://www.w3.org/2000/svg"/>'); // fine
 * ```
 */
export function checkSvg(fn: string, value: unknown): void {
  if (typeof value !== "string" || !/<svg[\s>/]/.test(value)) {
    throw new ArgumentError(fn, "svg", value, "an SVG document (a string with an <svg> element)");
  }
}

/**
 * A value that renders as an SVG figure: `toSVG()`, `save(path)`, inline display.
 *
 * @example
 * ```ts
 * import { Figure } from "./display.ts";
 * import assert from "node:assert/strict";
 * const fig = new Figure('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', "a dot");
 * assert.ok(fig.toSVG().startsWith("<svg"));
 * ```
 */
export class Figure implements Displayable {
  readonly #svg: string;
  readonly #description: string;
  /**
   * Creates a figure from a standalone SVG document and a text description.
   * @param svg a standalone SVG document
   * @param description the `text/plain` description shown where SVG is not rendered
   *
   * @example
   * ```ts
   * import { Figure } from "./display.ts";
   * import assert from "node:assert/strict";
   * const fig = new Figure('<svg xmlns="http://www.w3.org/2000/svg"/>', "an empty figure");
   * assert.deepEqual(fig.toString(), "an empty figure");
   * ```
   */
  constructor(svg: string, description: string) {
    checkSvg("Figure", svg);
    checkText("Figure", "description", description);
    this.#svg = svg;
    this.#description = description;
  }
  /** The standalone SVG document. */
  toSVG(): string {
    return this.#svg;
  }
  /** Writes the SVG to `path` and returns the path. */
  save(path: string): string {
    if (typeof path !== "string" || path === "") {
      throw new ArgumentError("Figure.save", "path", path, "a non-empty file path");
    }
    try {
      Deno.writeTextFileSync(path, this.#svg);
    } catch (error) {
      throw fileError("Figure.save", "write", path, error);
    }
    return path;
  }
  /** The text description. */
  toString(): string {
    return this.#description;
  }
  /** The MIME bundle: SVG plus a text description (no `text/html`, which would shadow richer renderers). */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.#svg, "text/plain": this.#description };
  }
}

/**
 * A value shown as text and an HTML table (model summaries, evaluation reports).
 *
 * @example
 * ```ts
 * import { TextTable } from "./display.ts";
 * String(new TextTable("a | 1", "<table></table>")); // "a | 1"
 * ```
 */
export class TextTable implements Displayable {
  readonly #text: string;
  readonly #html: string;
  /**
   * Creates a table from its text and HTML renderings.
   * @example
   * ```ts
   * import { TextTable } from "./display.ts";
   * import assert from "node:assert/strict";
   * const t = new TextTable("a | 1", "<table><tr><td>a</td><td>1</td></tr></table>");
   * assert.deepEqual(String(t), "a | 1");
   * ```
   */
  constructor(text: string, html: string) {
    checkText("TextTable", "text", text);
    checkText("TextTable", "html", html);
    this.#text = text;
    this.#html = html;
  }
  /** The HTML rendering. */
  toHTML(): string {
    return this.#html;
  }
  /** The plain text rendering. */
  toString(): string {
    return this.#text;
  }
  /** The MIME bundle: text and HTML. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.#text, "text/html": this.#html };
  }
}

let liveCounter = 0;

/**
 * One notebook output updated in place (a `display_id` with `update: true`); outside the
 * kernel, updates do nothing.
 *
 * @example
 * ```ts
 * import { LiveOutput } from "./display.ts";
 * import assert from "node:assert/strict";
 * const out = new LiveOutput("demo");
 * assert.ok(out.id.startsWith("demo-"));
 * ```
 */
export class LiveOutput {
  /** The Jupyter display id this output updates. */
  readonly id: string;
  #shown = false;
  /**
   * Creates an output with a unique display id.
   * @example
   * ```ts
   * import { LiveOutput } from "./display.ts";
   * const out = new LiveOutput();
   * await out.update({ "text/plain": "Epoch 1/3" });
   * ```
   */
  constructor(prefix = "dlnb") {
    if (typeof prefix !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(prefix)) {
      throw new ArgumentError(
        "LiveOutput",
        "prefix",
        prefix,
        "1 to 64 letters, digits, _ or - (a display id's prefix)",
      );
    }
    this.id = `${prefix}-${Date.now().toString(36)}-${++liveCounter}`;
  }
  /** True in the kernel, where updates replace the output instead of printing. */
  get live(): boolean {
    return jupyter() !== undefined;
  }
  /** Shows `bundle`, replacing what this output showed before. */
  async update(bundle: MimeBundle): Promise<void> {
    const api = jupyter();
    if (!api) return;
    await api.display(bundle, { raw: true, display_id: this.id, update: this.#shown });
    this.#shown = true;
  }
}

/**
 * Shows a value now, in the kernel, without ending the cell with it (prints its text outside).
 *
 * @example
 * ```ts
 * import { Figure, show } from "./display.ts";
 * await show(new Figure('<svg xmlns="http://www.w3.org/2000/svg"/>', "empty"));
 * ```
 */
export function show(value: Displayable): Promise<void> {
  // Not async: a bad argument throws at the call.
  if (typeof (value as Partial<Displayable> | null)?.[JUPYTER_DISPLAY] !== "function") {
    throw new ArgumentError("show", "value", value, "a figure, table or other Displayable");
  }
  return display(value);
}

async function display(value: Displayable): Promise<void> {
  const api = jupyter();
  if (api) await api.display(value[JUPYTER_DISPLAY](), { raw: true });
  else console.log(value.toString());
}
