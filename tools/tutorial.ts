/**
 * The main job: executes every notebook in `notebooks/` through the Deno kernel and writes
 * the rendered tutorial into `site/`: the executed notebooks, one HTML page each, and an
 * `index.html` that follows the article's table of contents.
 *
 * Usage: `deno run -A tools/tutorial.ts [--out site] [--only 01,02]`
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { escapeXml } from "../lib/core/escape.ts";
import { executeNotebook, type Notebook, problems, python, ROOT, text } from "./jupyter.ts";

/** The article's table of contents, and which notebooks cover each part. */
export const CONTENTS: { title: string; about: string; notebooks: string[] }[] = [
  {
    title: "Introduction",
    about: "Deep learning and neural networks: unit cells that pass signals and learn from data.",
    notebooks: [],
  },
  {
    title: "Artificial Neural Networks",
    about: "Input, hidden and output layers; the perceptron, its weights and activation.",
    notebooks: ["01-perceptron"],
  },
  {
    title: "Deep Neural Networks",
    about: "Two or more hidden layers, the neuron-count rule, Sequential and functional styles.",
    notebooks: ["02-deep-neural-networks"],
  },
  {
    title: "Model Design",
    about: "Building the perceptron and the DeepNN, with Keras-style summaries.",
    notebooks: ["01-perceptron", "02-deep-neural-networks"],
  },
  {
    title: "Visualization",
    about: "The neuron diagram and the layer graph.",
    notebooks: ["03-visualization"],
  },
  {
    title: "Training and Testing",
    about: "Adam, custom metrics, live progress and the training/validation curves.",
    notebooks: ["04-training-classification", "05-training-regression"],
  },
  {
    title: "Explanation",
    about: "Which features pushed one prediction up or down: Shapley values.",
    notebooks: ["06-explain-shap"],
  },
  {
    title: "Real data",
    about:
      "From a table to explained predictions: penguin species (three classes) and car mileage.",
    notebooks: ["07-real-data"],
  },
];

// Without an icon link, browsers request /favicon.ico, a 404 in the console of every page.
const NO_ICON = '<link rel="icon" href="data:,">';

/** The notebook's first markdown heading, used as the page title. */
export function notebookTitle(nb: Notebook, fallback: string): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const m = text(cell.source).match(/^#\s+(.+)$/m);
    if (m) return m[1].trim();
  }
  return fallback;
}

/**
 * Makes an nbconvert page stand alone: no scripts from file:// or CDN URLs (no page needs
 * JavaScript: every figure is static SVG), the notebook's title, and a link to the index.
 */
export function finishPage(html: string, title: string): string {
  return html
    .replace(/<script[^>]*\bsrc="(?:file:|https?:)[^"]*"[^>]*>\s*<\/script>/g, "")
    .replace(/<script type="text\/x-mathjax-config">[\s\S]*?<\/script>/g, "")
    // Replacements are functions: a `$` in a notebook's heading is text, not a pattern.
    .replace(/<title>[\s\S]*?<\/title>/, () => `<title>${escapeXml(title)}</title>${NO_ICON}`)
    .replace(
      /<body([^>]*)>/,
      (_, attributes: string) =>
        `<body${attributes}>\n<nav class="dlnb-nav" style="padding:8px 16px;font-family:sans-serif">` +
        `<a href="index.html">&larr; Tutorial index</a></nav>`,
    );
}

/**
 * The index page: the article's contents with a link to each executed notebook, once. A section
 * whose notebooks an earlier section links names them (by title) instead of linking them again.
 */
export function indexPage(pages: { name: string; title: string }[]): string {
  const byName = new Map(pages.map((p) => [p.name, p]));
  const listed = new Set(CONTENTS.flatMap((c) => c.notebooks));
  const linked = new Set<string>();
  const sections = CONTENTS.map((c) => {
    const present = c.notebooks.filter((n) => byName.has(n));
    const again = present.filter((n) => linked.has(n));
    const links = present.filter((n) => !linked.has(n)).map((n) => {
      linked.add(n);
      return `<li><a href="${escapeXml(n)}.html">${escapeXml(byName.get(n)!.title)}</a></li>`;
    });
    const above = again.length
      ? `<p>In the notebook${again.length > 1 ? "s" : ""} above: ${
        again.map((n) => `<em>${escapeXml(byName.get(n)!.title)}</em>`).join(", ")
      }.</p>`
      : "";
    return `<section><h2>${escapeXml(c.title)}</h2><p>${escapeXml(c.about)}</p>` + above +
      (links.length ? `<ul>${links.join("")}</ul>` : "") + `</section>`;
  });
  const extra = pages.filter((p) => !listed.has(p.name)).map((p) =>
    `<li><a href="${escapeXml(p.name)}.html">${escapeXml(p.title)}</a></li>`
  );
  if (extra.length) {
    sections.push(`<section><h2>More notebooks</h2><ul>${extra.join("")}</ul></section>`);
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">${NO_ICON}
<title>Neural Networks and Deep Learning, in Deno</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em;line-height:1.5}
h1{font-size:1.8em}h2{font-size:1.2em;margin-top:1.5em}</style></head>
<body><h1>Neural Networks and Deep Learning, in Deno</h1>
<p>The tutorial "Neural Networks and Deep Learning with Python" rebuilt with TensorFlow.js in Deno's
Jupyter kernel. Each page is an executed notebook; every figure is static SVG.</p>
${sections.join("\n")}
</body></html>
`;
}

async function toHTML(ipynb: string, outDir: string): Promise<string> {
  const html = join(outDir, basename(ipynb).replace(/\.ipynb$/, ".html"));
  const r = await new Deno.Command(python(), {
    args: [join(ROOT, "tools", "to_html.py"), ipynb, html],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(`converting ${ipynb} to HTML failed:\n${new TextDecoder().decode(r.stderr)}`);
  }
  return html;
}

/** Builds the tutorial site and returns the path of its index. */
export async function buildTutorial(out = join(ROOT, "site"), only?: string[]): Promise<string> {
  const outDir = resolve(out);
  await Deno.mkdir(outDir, { recursive: true });
  const names = [...Deno.readDirSync(join(ROOT, "notebooks"))]
    .map((e) => e.name).filter((n) => n.endsWith(".ipynb")).sort()
    .filter((n) => !only || only.some((o) => n.startsWith(o)));
  const pages: { name: string; title: string }[] = [];
  for (const file of names) {
    const name = file.replace(/\.ipynb$/, "");
    const t0 = performance.now();
    console.log(`[tutorial] executing notebooks/${file} through the deno kernel`);
    const nb = await executeNotebook(join(ROOT, "notebooks", file), { outDir });
    const issues = problems(nb);
    if (issues.length) {
      throw new Error(`notebooks/${file} has error or stderr output:\n${issues.join("\n")}`);
    }
    const title = notebookTitle(nb, name);
    const html = await toHTML(join(outDir, file), outDir);
    Deno.writeTextFileSync(html, finishPage(Deno.readTextFileSync(html), title));
    pages.push({ name, title });
    console.log(`[tutorial]   -> ${html} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const index = join(outDir, "index.html");
  Deno.writeTextFileSync(index, indexPage(pages));
  return index;
}

if (import.meta.main) {
  const outAt = Deno.args.indexOf("--out");
  const onlyAt = Deno.args.indexOf("--only");
  const index = await buildTutorial(
    outAt >= 0 ? Deno.args[outAt + 1] : undefined,
    onlyAt >= 0 ? Deno.args[onlyAt + 1].split(",") : undefined,
  );
  console.log(`[tutorial] done: open ${index}`);
}
