// The rendered tutorial as a reader sees it: every page opened in headless Chromium.
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { buildTutorial } from "../tools/tutorial.ts";
import { type Notebook, outputs, ROOT, text } from "../tools/jupyter.ts";

const CHROMIUM = "/usr/bin/chromium";
const SITE = join(ROOT, "site");
const available = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  png: "image/png",
  svg: "image/svg+xml",
  css: "text/css",
  js: "text/javascript",
};

function serve(dir: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "") || "index.html";
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    try {
      const body = await Deno.readFile(join(dir, path));
      return new Response(body, {
        headers: { "content-type": TYPES[path.split(".").pop()!] ?? "application/octet-stream" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

/** Figure outputs of a notebook: displays and results carrying an image. */
function figureCount(nb: Notebook): number {
  return outputs(nb).filter(({ output }) =>
    output.data && ("image/svg+xml" in output.data || "image/png" in output.data)
  ).length;
}

function headings(nb: Notebook): string[] {
  return nb.cells.filter((c) => c.cell_type === "markdown").flatMap((c) =>
    [...text(c.source).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1].trim())
  );
}

Deno.test({
  name:
    "browser: every tutorial page renders its figures, headings and links, with no console errors",
  ignore: !available && Deno.env.get("CI") !== "true",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert.ok(available, `${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)`);
    await buildTutorial(SITE);
    const shots = join(SITE, "screenshots");
    await Deno.mkdir(shots, { recursive: true });
    const server = serve(SITE);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const base = `http://127.0.0.1:${server.addr.port}`;
      const names = [...Deno.readDirSync(join(ROOT, "notebooks"))].map((e) => e.name)
        .filter((n) => n.endsWith(".ipynb")).map((n) => n.replace(/\.ipynb$/, "")).sort();
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(`${page.url()}: ${m.text()}`));
      page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
      page.on("requestfailed", (r) => errors.push(`${page.url()}: failed to load ${r.url()}`));

      await page.goto(`${base}/index.html`);
      const links = await page.$$eval("a", (as) => as.map((a) => a.getAttribute("href")));
      for (const name of names) {
        assert.ok(links.includes(`${name}.html`), `index links ${name}.html`);
      }
      const sections = await page.$$eval("h2", (hs) => hs.map((h) => h.textContent));
      for (
        const s of [
          "Introduction",
          "Artificial Neural Networks",
          "Deep Neural Networks",
          "Model Design",
          "Visualization",
          "Training and Testing",
          "Explanation",
        ]
      ) {
        assert.ok(sections.includes(s), `index has the article's section ${s}`);
      }
      await page.screenshot({ path: join(shots, "index.png"), fullPage: true });

      for (const name of names) {
        const raw = Deno.readTextFileSync(join(SITE, `${name}.ipynb`));
        const nb: Notebook = JSON.parse(raw);
        // Output size: a notebook stays small enough to open and diff.
        assert.ok(
          raw.length < 5 * 2 ** 20,
          `${name}: the executed notebook is ${raw.length} bytes (limit 5 MB)`,
        );
        for (const { cell, output } of outputs(nb)) {
          const size = JSON.stringify(output).length;
          assert.ok(
            size < 2 ** 20,
            `${name}: cell ${cell} has an output of ${size} bytes (limit 1 MB)`,
          );
        }
        await page.goto(`${base}/${name}.html`);
        assert.equal(
          await page.title(),
          headings(nb)[0],
          `${name}: the page title is the notebook's first heading`,
        );
        assert.equal(
          await page.$$eval('nav a[href="index.html"]', (a) => a.length),
          1,
          `${name}: a link back to the index`,
        );
        const shown = await page.$$eval(
          "h1, h2, h3, h4, h5, h6",
          (hs) => hs.map((h) => (h.textContent ?? "").replace(/¶$/, "").trim()),
        );
        for (const h of headings(nb)) {
          assert.ok(shown.includes(h), `${name}: heading "${h}" is on the page`);
        }
        const sizes = await page.$$eval(
          ".jp-RenderedSVG img, .jp-RenderedSVG > svg, .jp-RenderedImage > img",
          (els) =>
            els.map((e) => {
              const r = e.getBoundingClientRect();
              // An <img> whose SVG does not parse keeps naturalWidth 0.
              const natural = (e as unknown as { naturalWidth?: number }).naturalWidth ?? r.width;
              return [r.width, r.height, natural];
            }),
        );
        assert.equal(
          sizes.length,
          figureCount(nb),
          `${name}: one rendered figure per figure output`,
        );
        for (const [i, [w, h, natural]] of sizes.entries()) {
          assert.ok(
            w > 0 && h > 0 && natural > 0,
            `${name}: figure ${i} is visible (${w}x${h}, natural ${natural})`,
          );
        }
        await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});
