/// <reference lib="dom" />
/**
 * Test helper: the notebooks run as a user runs them, in a real frontend in Chromium. One
 * server per frontend for all notebooks; each notebook is opened, Run All queues every cell at
 * once, and once the kernel is idle the DOM is read: what each cell shows, whether the training
 * display was updated in place, and (JupyterLab) whether the history charts have tooltips.
 *
 * The server runs the lib's kernelspec (the launcher, written by tools/setup.ts's
 * `writeKernelspec` into a private `JUPYTER_DATA_DIR`), whatever `deno` kernelspec the user has:
 * the product is tested, not the machine. So every output must be in its own cell on every
 * Run All (Deno's kernel alone moves outputs to the next cell, see the README's "Known issues"),
 * besides no error or stderr, every chart rendered, the live display one output updated in place.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import {
  findFrontend,
  type FrontendName,
  type FrontendServer,
  startFrontend,
} from "../tools/frontends.ts";
import { ROOT } from "../tools/jupyter.ts";
import { writeKernelspec } from "../tools/setup.ts";

const CHROMIUM = "/usr/bin/chromium";

/**
 * What each code cell shows, in order: `out` stdout, `text` a plain result, `html` a table,
 * `svg` a figure, `vega` a vega-lite chart (an SVG in the classic notebook), `live` the
 * training display (an SVG updated in place).
 */
export const EXPECTED: Record<string, string[][]> = {
  "01-perceptron.ipynb": [[], ["html"], ["html"], ["out"], ["html"], ["out"]],
  "02-deep-neural-networks.ipynb": [[], ["out"], ["html"], ["html"], ["html"], ["out"], ["text"], [
    "text",
  ]],
  "03-visualization.ipynb": [
    [],
    ["html"],
    ["html"],
    ["svg"],
    ["svg"],
    ["svg"],
    ["svg"],
    ["svg"],
    ["svg"],
    ["text"],
    ["text"],
    ["svg"],
  ],
  "04-training-classification.ipynb": [
    [],
    ["out"],
    ["out"],
    ["html"],
    ["live"],
    ["text"],
    ["vega"],
    ["html"],
    ["live"],
    ["vega"],
    ["html"],
  ],
  "05-training-regression.ipynb": [
    [],
    ["out"],
    ["out", "html"],
    ["live"],
    ["vega"],
    ["html"],
    ["live"],
    ["vega"],
    ["html"],
  ],
  "06-explain-shap.ipynb": [
    [],
    ["out"],
    ["live", "out"],
    ["svg"],
    ["svg"],
    ["out"],
    ["svg"],
    ["out", "svg"],
    ["out"],
    ["out"],
  ],
  "07-real-data.ipynb": [
    [],
    ["out", "text"],
    ["out"],
    ["out"],
    ["out"],
    ["html"],
    ["live"],
    ["html"],
    ["out"],
    ["out"],
    ["svg"],
    ["svg"],
    ["svg"],
    ["out", "html"], // predict after save and load
    ["out"],
    ["live"],
    ["html"],
    ["out", "svg"],
  ],
};

/** What one notebook showed after Run All. */
export interface NotebookReport {
  notebook: string;
  /** Output kinds per code cell, as in {@linkcode EXPECTED} (`err` for errors and stderr). */
  cells: string[][];
  /** Texts of error and stderr outputs. */
  problems: string[];
  /** Per live cell: most figures it held at once, and distinct frames seen. */
  live: { cell: number; maxFigures: number; frames: number }[];
  /** Vega charts: how many, and how many have drawn content (a canvas or SVG with marks). */
  vega: { total: number; drawn: number; backgrounds: string[] };
  /** Contrast ratios (WCAG) of the confusion matrices' cells: text against background. */
  contrasts: number[];
  /** History charts whose tooltip appeared on hover (JupyterLab), with its text. */
  tooltips: string[];
  /** Cells whose outputs differ from what they should show (Run All misplacement). */
  misplaced: string[];
  /** Per window width (JupyterLab): outputs that scroll sideways, and the smallest text. */
  fit: FigureFit[];
  /** Which Run All of this notebook in the session (1, then 2 for a repeat). */
  run: number;
  seconds: number;
}

/** How the outputs fit one window width: no sideways scrolling, text still legible. */
export interface FigureFit {
  /** Window width in px. */
  window: number;
  /** Outputs wider than their output area (`cell N: kind WxH`). */
  scrolling: string[];
  /** Smallest text of any SVG figure on screen, in px, and where. */
  smallestText: { px: number; where: string };
}

/** Window widths the JupyterLab test checks the figures at: a laptop with a side panel, a desktop. */
export const FIT_WIDTHS = [760, 1400];

/** Smallest legible text on screen, in px. */
export const MIN_TEXT_PX = 8.5;

// In the page: which outputs scroll sideways, and the smallest text of the SVG figures as
// drawn (font size times the figure's scale; JupyterLab shows SVG in an <img>).
function measureFit(): Omit<FigureFit, "window"> {
  const cells = [...document.querySelectorAll(".jp-Notebook .jp-CodeCell")];
  const scrolling: string[] = [];
  let smallest = { px: Infinity, where: "" };
  cells.forEach((cell, i) => {
    for (const out of cell.querySelectorAll<HTMLElement>(".jp-OutputArea-output")) {
      if (out.scrollWidth > out.clientWidth + 1) {
        scrolling.push(
          `cell ${i}: ${
            out.getAttribute("data-mime-type") ?? out.className
          } ${out.scrollWidth}>${out.clientWidth}`,
        );
      }
      const img = out.querySelector<HTMLImageElement>(".jp-RenderedSVG img");
      if (!img) continue;
      const source = decodeURIComponent(img.src.replace(/^data:image\/svg\+xml,/, ""));
      const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
      const box = (svg.getAttribute("viewBox") ?? "").trim().split(/[\s,]+/).map(Number);
      if (box.length !== 4 || !(box[2] > 0)) continue;
      const scale = img.getBoundingClientRect().width / box[2];
      const sizeOf = (el: Element | null): number => {
        for (let e = el; e; e = e.parentElement) {
          const style = /font-size:\s*([\d.]+)px/.exec(e.getAttribute("style") ?? "");
          if (style) return Number(style[1]);
          const attr = e.getAttribute("font-size");
          if (attr) return Number.parseFloat(attr);
        }
        return 16;
      };
      // Text and its runs, but not sub- and superscripts (a run moved by dy): they are
      // smaller by design (the neuron diagram's X₁ is 9 px, its 1 is 6.75 px).
      for (const t of svg.querySelectorAll("text, tspan")) {
        if ((t.textContent ?? "").trim() === "" || t.hasAttribute("dy")) continue;
        const px = sizeOf(t) * scale;
        if (px < smallest.px) {
          smallest = {
            px: Math.round(px * 10) / 10,
            where: `cell ${i}: "${t.textContent?.slice(0, 20)}"`,
          };
        }
      }
    }
  });
  return { scrolling, smallestText: smallest };
}

// In the page: the kinds of every code cell's outputs, for either frontend.
function readCells(): { kinds: string[][]; problems: string[]; prompts: string[] } {
  const lab = !!document.querySelector(".jp-Notebook");
  const cells = [
    ...document.querySelectorAll(lab ? ".jp-Notebook .jp-CodeCell" : ".cell.code_cell"),
  ];
  const problems: string[] = [];
  const kinds = cells.map((cell) => {
    const outs = [
      ...cell.querySelectorAll(lab ? ".jp-OutputArea-output" : ".output_area .output_subarea"),
    ];
    return outs.map((o) => {
      let kind = "other";
      if (lab) {
        const mime = o.getAttribute("data-mime-type") ?? "";
        if (o.classList.contains("jp-RenderedVegaLite")) kind = "vega";
        else if (mime === "application/vnd.jupyter.stdout") kind = "out";
        else if (mime === "application/vnd.jupyter.stderr") kind = "err";
        else if (mime === "text/plain") kind = "text";
        else if (mime === "text/html") kind = "html";
        else if (mime === "image/svg+xml") kind = "svg";
      } else {
        const c = o.classList;
        if (c.contains("output_stderr") || c.contains("output_error")) kind = "err";
        else if (c.contains("output_stdout")) kind = "out";
        else if (c.contains("output_svg")) kind = "svg";
        else if (c.contains("output_html")) kind = "html";
        else if (c.contains("output_text")) kind = "text";
      }
      if (kind === "err") problems.push((o.textContent ?? "").slice(0, 300));
      return kind;
    });
  });
  const prompts = cells.map((cell) =>
    (cell.querySelector(lab ? ".jp-InputPrompt" : ".input_prompt")?.textContent ?? "").trim()
  );
  return { kinds, problems, prompts };
}

// In the page: watches the live cells' figures while the notebook runs (only those cells, so
// the watch costs the kernel next to nothing).
function watchLive(live: number[]): void {
  const lab = !!document.querySelector(".jp-Notebook");
  const state = { maxFigures: [] as number[], frames: [] as Set<string>[] };
  (globalThis as unknown as { __dlnbLive: typeof state }).__dlnbLive = state;
  const hash = (text: string) => {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return `${text.length}:${h >>> 0}`;
  };
  const scan = () => {
    const cells = [
      ...document.querySelectorAll(lab ? ".jp-Notebook .jp-CodeCell" : ".cell.code_cell"),
    ];
    for (const i of live) {
      const figures = [
        ...(cells[i]?.querySelectorAll(
          lab ? '.jp-OutputArea-output[data-mime-type="image/svg+xml"]' : ".output_svg",
        ) ?? []),
      ];
      state.maxFigures[i] = Math.max(state.maxFigures[i] ?? 0, figures.length);
      state.frames[i] ??= new Set();
      // A frame: the figure's content (an img's data URI, or inline SVG).
      for (const f of figures) {
        state.frames[i].add(hash(f.querySelector("img")?.getAttribute("src") ?? f.innerHTML));
      }
    }
  };
  new MutationObserver(scan).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  scan();
}

async function waitIdle(page: Page, timeoutMs: number): Promise<void> {
  // Done: every code cell has an execution count (none queued, none running), twice over a
  // grace period, since Deno's kernel can publish outputs after it reports idle.
  const done = () =>
    page.evaluate(readCells).then(({ prompts }) =>
      prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p))
    );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) {
      await new Promise((r) => setTimeout(r, 2000));
      if (await done()) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Run All did not finish in ${timeoutMs / 1000} s`);
}

/** Lab: hovers across each history chart until vega's tooltip shows; returns the texts. */
async function historyTooltips(page: Page): Promise<string[]> {
  const texts: string[] = [];
  const charts = await page.$$(".jp-RenderedVegaLite .vega-embed");
  for (const chart of charts) {
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    if (!box) continue;
    let found = "";
    // The hover layer's rules span each panel's height: sweep across the first (top) panel.
    for (let x = box.x + 60; x < box.x + box.width / 2 && !found; x += 12) {
      await page.mouse.move(x, box.y + box.height * 0.25);
      found = await page.evaluate(() => {
        const el = document.getElementById("vg-tooltip-element");
        return el && el.classList.contains("visible") ? el.textContent ?? "" : "";
      });
    }
    texts.push(found);
    await page.mouse.move(0, 0);
  }
  return texts;
}

function compare(
  expected: string[][],
  seen: string[][],
  frontend: FrontendName,
): { misplaced: string[]; missing: string[] } {
  const want = expected.map((kinds) =>
    kinds.map((k) => k === "live" ? "svg" : k === "vega" && frontend === "classic" ? "svg" : k)
  );
  const misplaced = want.flatMap((w, i) =>
    JSON.stringify(w) === JSON.stringify(seen[i] ?? [])
      ? []
      : [`cell ${i}: expected [${w}], shows [${seen[i] ?? []}]`]
  );
  // The notebook as a whole must show every expected output, wherever it landed.
  const count = (list: string[][]) => {
    const m = new Map<string, number>();
    for (const k of list.flat()) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const have = count(seen);
  const missing = [...count(want)].flatMap(([k, n]) =>
    (have.get(k) ?? 0) < n ? [`${n - (have.get(k) ?? 0)} x ${k}`] : []
  );
  return { misplaced, missing };
}

/** Opens `notebook` (JupyterLab: in the running app) and waits until its kernel is idle. */
export async function openNotebook(
  page: Page,
  frontend: FrontendName,
  server: FrontendServer,
  notebook: string,
): Promise<void> {
  if (frontend === "jupyterlab") {
    await page.evaluate(
      (path) =>
        (globalThis as unknown as {
          jupyterapp: { commands: { execute(c: string, a: unknown): Promise<unknown> } };
        }).jupyterapp.commands.execute("docmanager:open", { path }).then(() => undefined),
      notebook,
    );
  } else {
    await page.goto(`${server.base}/notebooks/${notebook}?token=${server.token}`);
  }
  // The kernel is up and the notebook's cells are on the page.
  await page.waitForFunction(
    (lab) => {
      // deno-lint-ignore no-explicit-any
      const g = globalThis as any;
      if (lab) {
        const w = g.jupyterapp?.shell?.currentWidget;
        return w?.sessionContext?.session?.kernel?.status === "idle" &&
          document.querySelectorAll(".jp-Notebook .jp-CodeCell").length > 0;
      }
      return g.Jupyter?.notebook?.kernel?.is_connected?.() &&
        g.Jupyter.notebook.kernel_busy === false;
    },
    frontend === "jupyterlab",
    { timeout: 120_000 },
  );
}

async function runNotebook(
  page: Page,
  frontend: FrontendName,
  server: FrontendServer,
  notebook: string,
  shots: string,
  run: number,
): Promise<NotebookReport> {
  const started = Date.now();
  await openNotebook(page, frontend, server, notebook);
  const expected = EXPECTED[notebook];
  const liveCells = expected.flatMap((kinds, cell) => kinds.includes("live") ? [cell] : []);
  await page.evaluate(watchLive, liveCells);
  // Run All, as the menu does: every cell queued at once.
  await page.evaluate((lab) => {
    // deno-lint-ignore no-explicit-any
    const g = globalThis as any;
    if (lab) return g.jupyterapp.commands.execute("notebook:run-all-cells").then(() => undefined);
    g.Jupyter.actions.call("jupyter-notebook:run-all-cells");
  }, frontend === "jupyterlab");
  await waitIdle(page, 300_000);

  const { kinds, problems } = await page.evaluate(readCells);
  const liveState = await page.evaluate(() => {
    const s = (globalThis as unknown as {
      __dlnbLive: { maxFigures: number[]; frames: Set<string>[] };
    }).__dlnbLive;
    return { maxFigures: s.maxFigures, frames: s.frames.map((f) => f.size) };
  });
  const live = liveCells.map((cell) => ({
    cell,
    maxFigures: liveState.maxFigures[cell] ?? 0,
    frames: liveState.frames[cell] ?? 0,
  }));
  const vega = await page.evaluate(() => {
    const charts = [...document.querySelectorAll(".jp-RenderedVegaLite .vega-embed")];
    const drawn = charts.filter((c) => {
      const canvas = c.querySelector("canvas");
      const svg = c.querySelector("svg.marks");
      const el = canvas ?? svg;
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.width > 100 && r.height > 100 &&
        (svg ? svg.querySelectorAll("path").length > 0 : true);
    });
    // The chart's own background (its top-left pixel), whatever the theme around it.
    const backgrounds = charts.map((c) => {
      const canvas = c.querySelector("canvas");
      if (!canvas) return "svg";
      const [r, g, b] = canvas.getContext("2d")!.getImageData(1, 1, 1, 1).data;
      return `rgb(${r},${g},${b})`;
    });
    return { total: charts.length, drawn: drawn.length, backgrounds };
  });
  // Legibility of the tables whose cells carry their own colours (the confusion matrix), under
  // the page's theme: WCAG contrast of text colour against the cell's background.
  const contrasts = await page.evaluate(() => {
    const lum = (css: string) => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return [...document.querySelectorAll("table.dlnb-confusion td")].map((td) => {
      const style = getComputedStyle(td);
      // A translucent cell takes the theme's background: its contrast depends on the theme.
      const alpha = Number((style.backgroundColor.match(/[\d.]+/g) ?? [])[3] ?? 1);
      if (alpha < 1) return 0;
      const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
      return Math.round(((a + 0.05) / (b + 0.05)) * 10) / 10;
    });
  });
  const tooltips = frontend === "jupyterlab" ? await historyTooltips(page) : [];
  const { misplaced, missing } = compare(expected, kinds, frontend);

  // Figures fit the output area: at each window width, nothing scrolls sideways and the
  // figures' text stays legible (JupyterLab, its file browser collapsed).
  // (Once per notebook: a repeated Run All is there for the placement of outputs.)
  const fit: FigureFit[] = [];
  if (frontend === "jupyterlab" && run === 1) {
    for (const window of FIT_WIDTHS) {
      await page.setViewportSize({ width: window, height: 900 });
      await new Promise((r) => setTimeout(r, 1500));
      fit.push({ window, ...await page.evaluate(measureFit) });
      // Each figure as drawn at this width (to look at): <notebook>-<width>-cell<N>.png.
      const cells = await page.$$(".jp-Notebook .jp-CodeCell");
      for (const [i, cell] of cells.entries()) {
        const figures = await cell.$$(
          ".jp-RenderedSVG, .jp-RenderedVegaLite",
        );
        for (const [k, figure] of figures.entries()) {
          await figure.scrollIntoViewIfNeeded();
          await figure.screenshot({
            path: join(
              shots,
              `${notebook.replace(/\.ipynb$/, "")}-${window}-cell${i}${k ? `-${k}` : ""}.png`,
            ),
          });
        }
      }
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  }

  // A screenshot of the whole notebook: the viewport grows to the notebook's height.
  const height = await page.evaluate((lab) => {
    const els = lab
      ? [...document.querySelectorAll(".jp-Notebook, .jp-Notebook .jp-WindowedPanel-outer")]
      : [document.querySelector("#notebook-container")];
    return Math.max(900, ...els.map((el) => (el?.scrollHeight ?? 0) + 200));
  }, frontend === "jupyterlab");
  await page.setViewportSize({ width: 1400, height: Math.min(height, 16000) });
  await page.evaluate(() => {
    for (const el of document.querySelectorAll(".jp-Notebook, .jp-WindowedPanel-outer")) {
      el.scrollTo(0, 0);
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  const suffix = run === 1 ? "" : `-run${run}`;
  await page.screenshot({ path: join(shots, notebook.replace(/\.ipynb$/, `${suffix}.png`)) });
  await page.setViewportSize({ width: 1400, height: 900 });

  // Close the notebook and end its kernel before the next one.
  await page.evaluate(async (lab) => {
    // deno-lint-ignore no-explicit-any
    const g = globalThis as any;
    if (lab) {
      const w = g.jupyterapp.shell.currentWidget;
      await w.sessionContext.shutdown();
      w.dispose();
    } else {
      await new Promise<void>((resolve) => g.Jupyter.notebook.session.delete(resolve, resolve));
    }
  }, frontend === "jupyterlab");

  if (missing.length > 0) problems.push(`missing outputs: ${missing.join(", ")}`);
  return {
    notebook,
    cells: kinds,
    problems,
    live,
    vega,
    contrasts,
    tooltips,
    misplaced,
    fit,
    run,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** Whether the frontend test runs, or why it is skipped (said in the test's name). */
export function frontendStatus(frontend: FrontendName): { run: boolean; why: string } {
  let chromium = false;
  try {
    chromium = Deno.statSync(CHROMIUM).isFile;
  } catch { /* missing */ }
  if (!chromium) return { run: false, why: `${CHROMIUM} is missing` };
  const found = findFrontend(frontend);
  return "missing" in found ? { run: false, why: found.missing } : { run: true, why: "" };
}

/** The server's kernelspecs (it may log its URL a moment before it accepts connections). */
async function kernelspecsOf(server: FrontendServer) {
  for (let attempt = 0;; attempt++) {
    try {
      const res = await fetch(`${server.base}/api/kernelspecs?token=${server.token}`);
      return await res.json();
    } catch (e) {
      if (attempt >= 120) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Starts `frontend` on copies of `notebooks` with the lib's kernelspec (the launcher, written by
 * setup's own `writeKernelspec` into a private `JUPYTER_DATA_DIR`: the user's `deno` kernelspec,
 * whatever it is, is not used, and none of the user's Jupyter files is touched), checks that the
 * server offers that kernelspec, opens Chromium on it (JupyterLab: the app, file browser
 * collapsed), runs `fn`, and stops everything.
 */
export async function withFrontend<T>(
  frontend: FrontendName,
  notebooks: string[],
  fn: (page: Page, server: FrontendServer) => Promise<T>,
): Promise<T> {
  const data = await Deno.makeTempDir({ prefix: "dlnb-frontend-data-" });
  let server: FrontendServer | undefined;
  let browser: Browser | undefined;
  try {
    writeKernelspec(join(data, "kernels", "deno"), Deno.execPath());
    server = await startFrontend(frontend, notebooks, {
      dark: frontend === "jupyterlab",
      dataDir: data,
    });
    // The server's "deno" kernel is the one just written: the launcher, from the private folder.
    const specs = await kernelspecsOf(server);
    const deno = specs.kernelspecs?.deno;
    assert.ok(deno, `${frontend}: no deno kernelspec offered: ${JSON.stringify(specs)}`);
    assert.match(deno.spec.argv.join(" "), /kernel_launcher\.py --deno /);
    assert.ok(
      deno.spec.argv.some((a: string) => a.startsWith(data)),
      `${frontend}: the deno kernelspec is not the private one: ${deno.spec.argv.join(" ")}`,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    if (frontend === "jupyterlab") {
      await page.goto(`${server.base}/lab?reset&token=${server.token}`);
      await page.waitForFunction(
        () =>
          // deno-lint-ignore no-explicit-any
          (globalThis as any).jupyterapp?.shell?.isAttached === true,
        undefined,
        { timeout: 120_000 },
      );
      // The notebook gets the width: no file browser beside it.
      await page.evaluate(() =>
        // deno-lint-ignore no-explicit-any
        (globalThis as any).jupyterapp.shell.collapseLeft()
      );
    }
    return await fn(page, server);
  } finally {
    await browser?.close();
    await server?.stop();
    await Deno.remove(data, { recursive: true }).catch(() => {});
  }
}

/**
 * Runs every notebook in `frontend` (JupyterLab in its dark theme), then a second Run All of
 * each notebook in `again` (a new kernel each time), writes screenshots and a JSON report to
 * `site/screenshots/<frontend>/`, and returns the reports.
 */
export async function runFrontend(
  frontend: FrontendName,
  again: string[] = [],
): Promise<NotebookReport[]> {
  const notebooks = Object.keys(EXPECTED);
  // Every notebook a user can open is run: a new notebook needs its expected outputs here.
  const present = [...Deno.readDirSync(join(ROOT, "notebooks"))]
    .filter((e) => e.isFile && e.name.endsWith(".ipynb")).map((e) => e.name).sort();
  assert.deepEqual(notebooks.toSorted(), present, "EXPECTED lists every notebook in notebooks/");
  for (const nb of again) assert.ok(notebooks.includes(nb), `no notebook ${nb}`);
  const shots = join(ROOT, "site", "screenshots", frontend);
  await Deno.mkdir(shots, { recursive: true });
  return await withFrontend(frontend, notebooks, async (page, server) => {
    const reports: NotebookReport[] = [];
    for (const nb of notebooks) {
      reports.push(await runNotebook(page, frontend, server, nb, shots, 1));
    }
    for (const nb of again) {
      reports.push(await runNotebook(page, frontend, server, nb, shots, 2));
    }
    Deno.writeTextFileSync(join(shots, "report.json"), JSON.stringify(reports, null, 1) + "\n");
    return reports;
  });
}

/** The assertions every Run All must pass, and a log line per notebook. */
export function assertReports(frontend: FrontendName, reports: NotebookReport[]): void {
  const misplacedRuns = reports.filter((r) => r.misplaced.length > 0).length;
  for (const r of reports) {
    console.log(
      `[${frontend}] ${r.notebook}${r.run > 1 ? ` (Run All ${r.run})` : ""}: ${r.seconds} s, ` +
        `${r.cells.flat().length} outputs` +
        (r.vega.total ? `, ${r.vega.drawn}/${r.vega.total} vega charts drawn` : "") +
        (r.live.length ? `, live frames ${r.live.map((l) => l.frames).join("/")}` : "") +
        (r.tooltips.length ? `, tooltips ${r.tooltips.filter((t) => t).length}` : "") +
        (r.contrasts.length ? `, confusion contrast >= ${Math.min(...r.contrasts)}` : "") +
        r.fit.map((f) =>
          Number.isFinite(f.smallestText.px)
            ? `, at ${f.window} px text >= ${f.smallestText.px} px`
            : `, at ${f.window} px no SVG figure`
        ).join("") +
        (r.misplaced.length ? `; MISPLACED: ${r.misplaced.join("; ")}` : ""),
    );
  }
  console.log(
    `[${frontend}] Run All misplaced outputs in ${misplacedRuns} of ${reports.length} Run Alls`,
  );
  // Through the launcher every output stays in its cell, on every Run All.
  assert.deepEqual(
    reports.flatMap((r) => r.misplaced.map((m) => `${r.notebook} (Run All ${r.run}) ${m}`)),
    [],
    `${frontend}: outputs under the wrong cell after Run All`,
  );
  for (const r of reports) {
    assert.deepEqual(
      r.problems,
      [],
      `${frontend} ${r.notebook}: errors, stderr or missing outputs`,
    );
    const vegaWanted = frontend === "jupyterlab"
      ? EXPECTED[r.notebook].flat().filter((k) => k === "vega").length
      : 0;
    assert.equal(r.vega.total, vegaWanted, `${frontend} ${r.notebook}: vega-lite charts`);
    assert.equal(r.vega.drawn, vegaWanted, `${frontend} ${r.notebook}: every chart drawn`);
    for (const bg of r.vega.backgrounds) {
      assert.equal(
        bg,
        "rgb(255,255,255)",
        `${frontend} ${r.notebook}: a chart's own white background`,
      );
    }
    for (const c of r.contrasts) {
      assert.ok(c >= 4.5, `${frontend} ${r.notebook}: confusion matrix cell contrast ${c} < 4.5`);
    }
    for (const l of r.live) {
      assert.equal(l.maxFigures, 1, `${frontend} ${r.notebook} cell ${l.cell}: one live display`);
      assert.ok(
        l.frames >= 2,
        `${frontend} ${r.notebook} cell ${l.cell}: the display was updated in place (${l.frames} frames)`,
      );
    }
    for (const f of r.fit) {
      assert.deepEqual(
        f.scrolling,
        [],
        `${frontend} ${r.notebook}: outputs scroll sideways in a ${f.window} px window`,
      );
      assert.ok(
        f.smallestText.px >= MIN_TEXT_PX,
        `${frontend} ${r.notebook}: text of ${f.smallestText.px} px in a ${f.window} px window (${f.smallestText.where})`,
      );
    }
    for (const t of r.tooltips) {
      assert.match(t, /epoch/, `${frontend} ${r.notebook}: a history chart's tooltip on hover`);
      assert.match(t, /loss/);
    }
  }
}
