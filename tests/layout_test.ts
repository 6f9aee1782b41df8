/// <reference lib="dom" />
// The layout check: every figure the lib draws (tests/layout_figures.ts), rendered in Chromium
// with two font setups, measured in the page. A defect is a text label that leaves the
// picture or its table cell, overlaps another label, is touched by a mark (a line, path, rect
// or circle: its stroke sampled along its real geometry, its fill by area), is crossed by a
// link of the neuron diagram, touches the progress bar, repeats a tick label, or a panel title
// out of line.
//
// Font setups: each browser launch gets its own fontconfig configuration (FONTCONFIG_FILE):
// "dejavu" has only DejaVu fonts (a usual Linux machine: Helvetica and Arial fall back to the
// wider DejaVu Sans), "liberation" only Liberation fonts (Helvetica- and Arial-compatible
// metrics, as on macOS or Windows). The page checks which font it got before measuring.
// Screenshots go to site/screenshots/layout/<setup>/<figure>.png: of the figures with defects,
// or of every figure with LAYOUT_SHOTS=1.
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "../tools/jupyter.ts";
import { type LayoutFigure, layoutFigures } from "./layout_figures.ts";
import { naturalWidth } from "../lib/plot/fit_svg.ts";

const CHROMIUM = "/usr/bin/chromium";
const exists = (path: string) => {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
};

const SETUPS = {
  dejavu: {
    dirs: ["/usr/share/fonts/truetype/dejavu"],
    sans: "DejaVu Sans",
    serif: "DejaVu Serif",
    mono: "DejaVu Sans Mono",
  },
  liberation: {
    dirs: ["/usr/share/fonts/truetype/liberation2"],
    sans: "Liberation Sans",
    serif: "Liberation Serif",
    mono: "Liberation Mono",
  },
} as const;
type Setup = keyof typeof SETUPS;

function fontConfig(setup: Setup, cache: string): string {
  const s = SETUPS[setup];
  const alias = (family: string, prefer: string) =>
    `<alias binding="same"><family>${family}</family><prefer><family>${prefer}</family></prefer></alias>`;
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
${s.dirs.map((d) => `<dir>${d}</dir>`).join("\n")}
<cachedir>${cache}</cachedir>
${alias("sans-serif", s.sans)}
${alias("system-ui", s.sans)}
${alias("serif", s.serif)}
${alias("monospace", s.mono)}
${setup === "liberation" ? alias("Helvetica", s.sans) + alias("Arial", s.sans) : ""}
</fontconfig>
`;
}

/** One defect found in the page. */
interface Defect {
  figure: string;
  kind: string;
  detail: string;
}

// Runs in the page: measures every figure and returns its defects.
function measure(): { defects: Defect[]; fonts: Record<string, number> } {
  type Box = { left: number; top: number; right: number; bottom: number };
  const defects: Defect[] = [];
  const T = 0.5; // tolerance in px
  // Text boxes are the font's line box; the ink sits inside it, so trim a little vertically.
  const textBox = (t: Element): Box => {
    const r = t.getBoundingClientRect();
    const trim = r.height * 0.12;
    return { left: r.left, right: r.right, top: r.top + trim, bottom: r.bottom - trim };
  };
  const overlap = (a: Box, b: Box) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > T &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > T;
  const inside = (a: Box, b: Box) =>
    a.left >= b.left - T && a.right <= b.right + T && a.top >= b.top - T &&
    a.bottom <= b.bottom + T;
  const shown = (e: Element) => {
    for (let x: Element | null = e; x && x.tagName !== "svg"; x = x.parentElement) {
      const st = getComputedStyle(x);
      if (st.display === "none" || st.visibility === "hidden" || Number(st.opacity) === 0) {
        return false;
      }
    }
    return true;
  };
  const label = (t: Element) => JSON.stringify((t.textContent ?? "").slice(0, 40));
  // Segment against box, Liang-Barsky.
  const crosses = (x1: number, y1: number, x2: number, y2: number, b: Box) => {
    let t0 = 0, t1 = 1;
    const dx = x2 - x1, dy = y2 - y1;
    for (
      const [p, q] of [[-dx, x1 - b.left], [dx, b.right - x1], [-dy, y1 - b.top], [
        dy,
        b.bottom - y1,
      ]]
    ) {
      if (p === 0) {
        if (q < 0) return false;
      } else {
        const r = q / p;
        if (p < 0) t0 = Math.max(t0, r);
        else t1 = Math.min(t1, r);
        if (t0 > t1) return false;
      }
    }
    return true;
  };
  // Marks against text. A stroke is sampled along the element's real geometry (a label beside a
  // diagonal is clear of it even when their boxes overlap); a fill counts by area: text partly
  // on a filled shape, or under one drawn after it, is a defect; text wholly on a shape drawn
  // before it sits on a chip or in a cell. A mark under an opaque chip that holds the text is
  // hidden there. Grid lines and invisible marks are left out.
  function markDefects(
    svg: SVGSVGElement,
    texts: SVGTextElement[],
    boxes: Box[],
    add: (kind: string, detail: string) => void,
  ) {
    const geometry = [...svg.querySelectorAll<SVGGeometryElement>(
      "path, line, polyline, polygon, rect, circle, ellipse",
    )].filter((m) =>
      shown(m) && !m.closest('[aria-label$="grid"], .role-axis-grid, .role-frame, defs, clipPath')
    );
    const paint = (m: Element, what: "fill" | "stroke") => {
      const st = getComputedStyle(m);
      const color = what === "fill" ? st.fill : st.stroke;
      const opacity = Number(what === "fill" ? st.fillOpacity : st.strokeOpacity) *
        Number(st.opacity);
      return color !== "none" && !/rgba\(.*,\s*0\)$/.test(color) && opacity > 0.05 ? opacity : 0;
    };
    const after = (a: Element, b: Element) =>
      (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
    const chips = geometry.filter((m) => m.tagName === "rect" && paint(m, "fill") >= 0.9)
      .map((m) => ({ el: m as Element, box: m.getBoundingClientRect() }));
    // Per text, the marks that touch it and how many: one defect per text.
    const hits = new Map<number, Map<string, number>>();
    const hit = (i: number, what: string) => {
      const marks = hits.get(i) ?? new Map<string, number>();
      marks.set(what, (marks.get(what) ?? 0) + 1);
      hits.set(i, marks);
    };
    const hiddenUnderChip = (mark: Element, text: Element, b: Box) =>
      chips.some((c) =>
        c.el !== mark && after(c.el, mark) && !after(c.el, text) && inside(b, c.box)
      );
    for (const m of geometry) {
      const r = m.getBoundingClientRect();
      const near = boxes.flatMap((b, i) =>
        Math.min(b.right, r.right + 4) - Math.max(b.left, r.left - 4) > 0 &&
          Math.min(b.bottom, r.bottom + 4) - Math.max(b.top, r.top - 4) > 0
          ? [i]
          : []
      );
      if (near.length === 0) continue;
      const stroke = paint(m, "stroke");
      if (stroke > 0) {
        const ctm = m.getScreenCTM()!;
        const scale = Math.hypot(ctm.a, ctm.b);
        const half = (Number.parseFloat(getComputedStyle(m).strokeWidth) || 1) * scale / 2;
        const length = m.getTotalLength();
        const step = Math.max(0.5, length / 4000);
        const points: [number, number][] = [];
        for (let s = 0; s <= length; s += step / scale) {
          const p = m.getPointAtLength(s).matrixTransform(ctm);
          points.push([p.x, p.y]);
        }
        for (const i of near) {
          const b = boxes[i];
          const touch = points.some(([x, y]) =>
            x > b.left - half + T && x < b.right + half - T && y > b.top - half + T &&
            y < b.bottom + half - T
          );
          if (touch && !hiddenUnderChip(m, texts[i], b)) hit(i, `stroke of ${describeMark(m)}`);
        }
      }
      // Lines have no area; a white fill on the white picture (a chip, a table cell) is not seen.
      const fill = getComputedStyle(m).fill;
      if (
        paint(m, "fill") > 0 && !["path", "polyline", "line"].includes(m.tagName) &&
        !/^rgb\(255, 255, 255\)$|^white$|^#fff/.test(fill)
      ) {
        for (const i of near) {
          const b = boxes[i];
          const box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
          const covers = m.tagName === "circle" || m.tagName === "ellipse"
            ? discOverlap(r, b)
            : overlap(b, box);
          if (!covers) continue;
          const before = after(texts[i], m);
          if ((before && inside(b, box)) || hiddenUnderChip(m, texts[i], b)) continue;
          hit(i, `fill of ${describeMark(m)}`);
        }
      }
    }
    for (const [i, marks] of hits) {
      const list = [...marks].map(([what, n]) => n > 1 ? `${what} x${n}` : what).join(", ");
      add("mark-touches-text", `${label(texts[i])}: ${list}`);
    }
  }
  // A disc (its bounding rect) against a box.
  const discOverlap = (r: DOMRect, b: Box) => {
    const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2, rad = r.width / 2;
    const dx = Math.max(b.left - cx, 0, cx - b.right), dy = Math.max(b.top - cy, 0, cy - b.bottom);
    return Math.hypot(dx, dy) < rad - T;
  };
  const describeMark = (m: Element) =>
    `${m.tagName}${m.getAttribute("class") ? "." + m.getAttribute("class")!.split(" ")[0] : ""}${
      m.parentElement?.getAttribute("aria-label")
        ? `[${m.parentElement.getAttribute("aria-label")}]`
        : ""
    }`;
  for (const fig of document.querySelectorAll<HTMLElement>("figure[data-name]")) {
    const name = fig.dataset.name!;
    const svg = fig.querySelector("svg")!;
    const add = (kind: string, detail: string) => defects.push({ figure: name, kind, detail });
    const frame = svg.getBoundingClientRect();
    const picture = { left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom };
    const texts = [...svg.querySelectorAll("text")].filter((t) =>
      (t.textContent ?? "").trim() !== "" && shown(t)
    );
    const boxes = texts.map(textBox);
    texts.forEach((t, i) => {
      if (!inside(boxes[i], picture)) add("outside-picture", label(t));
    });
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (overlap(boxes[i], boxes[j])) add("overlap", `${label(texts[i])} / ${label(texts[j])}`);
      }
    }
    markDefects(svg, texts, boxes, add);
    // Graphviz tables: each text inside the smallest cell that holds its centre.
    for (const node of svg.querySelectorAll("g.node")) {
      const cells = [...node.querySelectorAll("polygon, path")].map((p) => {
        const r = p.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      });
      for (const t of node.querySelectorAll("text")) {
        const b = textBox(t);
        const cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2;
        const around = cells.filter((c) =>
          c.left <= cx && cx <= c.right && c.top <= cy && cy <= c.bottom
        ).sort((a, c) =>
          (a.right - a.left) * (a.bottom - a.top) - (c.right - c.left) * (c.bottom - c.top)
        );
        if (around.length === 0 || !inside(b, around[0])) add("outside-cell", label(t));
      }
    }
    // Neuron diagram: no link through a neuron label or a collapsed column's count.
    const links = [...svg.querySelectorAll("line.link")];
    if (links.length > 0) {
      const ctm = svg.getScreenCTM()!;
      const at = (x: number, y: number) => {
        const p = new DOMPoint(x, y).matrixTransform(ctm);
        return [p.x, p.y];
      };
      const segments = links.map((l) => {
        const n = (a: string) => Number(l.getAttribute(a));
        return [...at(n("x1"), n("y1")), ...at(n("x2"), n("y2"))];
      });
      // A label on an opaque chip drawn after every link is not crossed: links pass under it.
      const lastLink = links[links.length - 1];
      const chips = [...svg.querySelectorAll(".label-bg")].filter((c) =>
        lastLink.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING
      ).map((c) => c.getBoundingClientRect());
      for (const t of svg.querySelectorAll(".neuron-label, .collapsed-count")) {
        const b = textBox(t);
        if (chips.some((c) => inside(b, c))) continue;
        const hit = segments.filter(([x1, y1, x2, y2]) => crosses(x1, y1, x2, y2, b)).length;
        if (hit > 0) add("link-over-label", `${label(t)} crossed by ${hit} links`);
      }
    }
    // Progress chart: text clear of the bar; no axis with the same label at both ends.
    for (const bar of svg.querySelectorAll("rect.bar")) {
      // At least 3 px of air on each side: text that touches the bar reads as part of it.
      const r = bar.getBoundingClientRect();
      const around = { left: r.left - 3, top: r.top, right: r.right + 3, bottom: r.bottom };
      texts.forEach((t, i) => {
        if (overlap(boxes[i], around)) {
          add("text-on-bar", label(t));
        }
      });
    }
    for (const axis of ["left", "right"]) {
      const ticks = [...svg.querySelectorAll(`text.tick-${axis}`)].map((t) => t.textContent);
      if (new Set(ticks).size < ticks.length) {
        add("same-tick-labels", `${axis}: ${ticks.join(", ")}`);
      }
    }
    // vega panels: their titles on one line (side by side) or in one column (stacked).
    const titles = [...svg.querySelectorAll(".role-title-text text, .role-title text")]
      .filter(shown).map((t) => t.getBoundingClientRect());
    const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
    if (
      titles.length > 1 && spread(titles.map((r) => r.top)) > T &&
      spread(titles.map((r) => r.left + r.width / 2)) > T
    ) {
      add(
        "titles-not-aligned",
        titles.map((r) => `${(r.left + r.width / 2).toFixed(1)},${r.top.toFixed(1)}`).join(" "),
      );
    }
  }
  const c = document.createElement("canvas").getContext("2d")!;
  const width = (font: string) => {
    c.font = `100px ${font}`;
    return c.measureText("Output shape: (None, 10)").width;
  };
  const fonts = Object.fromEntries(
    ["Helvetica, Arial, sans-serif", "'DejaVu Sans'", "'Liberation Sans'", "sans-serif"].map((
      f,
    ) => [f, width(f)]),
  );
  return { defects, fonts };
}

function page(figures: LayoutFigure[]): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body { margin: 8px; background: #fff; }
figure { margin: 0 0 12px 0; padding: 4px; }
figure > svg { display: block; width: 100%; }
</style></head><body>${
    // Each figure at its natural width (a wide one has no width attribute, only a max-width).
    figures.map((f) =>
      `<figure data-name="${f.name}" style="width: ${naturalWidth(f.svg)}px">${
        f.svg.replace(/^<\?xml[^>]*>/, "")
      }</figure>`
    )
      .join("\n")}</body></html>`;
}

async function check(setup: Setup, html: string, shots: string): Promise<Defect[]> {
  const dir = await Deno.makeTempDir({ prefix: `layout-${setup}-` });
  try {
    const conf = join(dir, "fonts.conf");
    await Deno.writeTextFile(conf, fontConfig(setup, join(dir, "cache")));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"],
      env: { ...Deno.env.toObject(), FONTCONFIG_FILE: conf },
    });
    try {
      const p = await browser.newPage({ viewport: { width: 2600, height: 900 } });
      await p.setContent(html);
      const { defects, fonts } = await p.evaluate(measure);
      // The setup is in effect: the lib's font list draws in the setup's sans font.
      const expected = setup === "dejavu" ? fonts["'DejaVu Sans'"] : fonts["'Liberation Sans'"];
      assert.ok(
        Math.abs(fonts["Helvetica, Arial, sans-serif"] - expected) < 0.5,
        `${setup}: Helvetica, Arial, sans-serif draws in ${SETUPS[setup].sans} (${
          JSON.stringify(fonts)
        })`,
      );
      // Screenshots of the figures with defects, or of all with LAYOUT_SHOTS=1 (to look at).
      const all = Deno.env.get("LAYOUT_SHOTS") === "1";
      const failing = new Set(defects.map((d) => d.figure));
      if (all || failing.size > 0) await Deno.mkdir(shots, { recursive: true });
      for (const el of await p.$$("figure[data-name]")) {
        const name = (await el.getAttribute("data-name"))!;
        if (all || failing.has(name)) await el.screenshot({ path: join(shots, `${name}.png`) });
      }
      return defects;
    } finally {
      await browser.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const ready = exists(CHROMIUM) && Object.values(SETUPS).every((s) => s.dirs.every(exists));

Deno.test({
  name:
    "layout: no label of any figure overlaps, leaves its picture or its box (DejaVu only, and Liberation)",
  ignore: !ready && Deno.env.get("CI") !== "true",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert.ok(
      ready,
      `${CHROMIUM} and fonts-liberation2 are needed: apt-get install chromium fonts-liberation2`,
    );
    const figures = await layoutFigures();
    const html = page(figures);
    const report: string[] = [];
    let total = 0;
    for (const setup of Object.keys(SETUPS) as Setup[]) {
      const defects = await check(setup, html, join(ROOT, "site", "screenshots", "layout", setup));
      total += defects.length;
      report.push(`${setup}: ${figures.length} figures, ${defects.length} defects`);
      for (const d of defects) report.push(`  ${d.figure}: ${d.kind}: ${d.detail}`);
    }
    console.log(report.join("\n"));
    assert.equal(total, 0, report.join("\n"));
  },
});
