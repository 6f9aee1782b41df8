import assert from "node:assert/strict";
import {
  progressChartGeometry,
  progressChartSVG,
  summarised,
  wrapLines,
} from "../lib/plot/progress_chart.ts";
import { progressBundle } from "../lib/train/progress.ts";
import { parseXml, select } from "./svg_xml.ts";

const text = (title: string, lines: string[] = []) => ({ title, status: "50%", lines });

Deno.test("progress chart: 100,000 epochs draw a small SVG with the curve's extremes (no spread over the history)", async () => {
  const n = 100_000;
  const h = {
    loss: Array.from({ length: n }, (_, i) => (i === 54_321 ? 9 : 1 / (i + 1))),
    accuracy: Array.from({ length: n }, (_, i) => (i === 12_345 ? -1 : 0.5)),
    val_loss: Array.from({ length: n }, (_, i) => 2 / (i + 1)),
  };
  const state = { epoch: n, epochs: n, steps: 1, elapsedMs: 1, epochMs: 1, logs: { loss: 0.1 } };
  const svg = progressBundle(state, h)["image/svg+xml"] as string;
  assert.ok(svg.length < 100_000, `${svg.length} bytes`);
  const g = progressChartGeometry(h, n, text(`Epoch ${n}/${n}`), 1);
  for (const s of g.series) assert.ok(s.points.length <= 4 * g.plot.width, `${s.key}`);
  const lossTop = g.series.find((s) => s.key === "loss")!.points.reduce(
    (m, p) => Math.min(m, p[1]),
    Infinity,
  );
  assert.equal(lossTop, g.plot.y); // the spike reaches the top of the plot
  assert.deepEqual(g.leftTicks.map((t) => t[0]), ["9", "1.0e-5"]);
  assert.deepEqual(g.rightTicks.map((t) => t[0]), ["0.5", "-1"]);
  await parseXml(svg);
});

Deno.test("summarised keeps every point of a short series and first, lowest, highest, last per column of a long one", () => {
  assert.deepEqual(summarised([3, NaN, 1, 2], 10), [[0, 3], [2, 1], [3, 2]]);
  const long = Array.from({ length: 1000 }, (_, i) => (i === 503 ? 100 : i % 7));
  const s = summarised(long, 10);
  assert.ok(s.length <= 40);
  assert.ok(s.some(([i, v]) => i === 503 && v === 100));
  assert.deepEqual(s[0], [0, 0]);
  assert.deepEqual(s[s.length - 1], [999, long[999]]);
  for (let k = 1; k < s.length; k++) assert.ok(s[k][0] > s[k - 1][0]); // in order
});

Deno.test("progress chart: the two ends of an axis never read the same", () => {
  const flat = { loss: [0.69314, 0.69309, 0.69301] };
  const g = progressChartGeometry(flat, 100, text("Epoch 3/100"), 0.03);
  assert.deepEqual(g.leftTicks.map((t) => t[0]), ["0.6931", "0.693"]);
  const one = progressChartGeometry({ loss: [0.6931] }, 100, text("Epoch 1/100"), 0.01);
  assert.notEqual(one.leftTicks[0][0], one.leftTicks[1][0]);
});

Deno.test("progress chart: the bar starts after the run's longest title; long lines wrap inside the width", async () => {
  const g = progressChartGeometry({}, 1500, text("Epoch 1500/1500"), 1);
  // 15 monospace characters at 12 px (0.602 em) from x = 8, then air.
  assert.ok(g.bar.x >= 8 + 15 * 12 * 0.602 + 6, `bar at ${g.bar.x}`);
  const stopped = "stopped: " + "interrupted by the user ".repeat(6).trim();
  const w = progressChartGeometry({}, 10, text("Epoch 1/10", ["loss: 0.1", stopped]), 0.1);
  assert.ok(w.lines.length >= 3);
  for (const line of w.lines) assert.ok(line.length * 7.3 <= w.width - 16, line);
  assert.equal(w.lines.join(" ").replace(/\s+/g, " "), ["loss: 0.1", stopped].join(" "));
  const all = await parseXml(progressChartSVG(w));
  assert.equal(select(all, "rect", "bar").length, 2);
});

Deno.test("wrapLines breaks between values, then at spaces, then anywhere", () => {
  assert.deepEqual(wrapLines(["loss: 0.1 - acc: 0.5 - F1: 0.4"], 20), [
    "loss: 0.1 - acc: 0.5",
    "F1: 0.4",
  ]);
  assert.deepEqual(wrapLines(["aaaa bbbb"], 6), ["aaaa", "bbbb"]);
  assert.deepEqual(wrapLines(["abcdefgh"], 3), ["abc", "def", "gh"]);
  assert.deepEqual(wrapLines(["short"], 20), ["short"]);
});

Deno.test("progress chart: the right scale's title only when a metric is drawn on it", () => {
  const title = (h: Record<string, number[]>) =>
    progressChartSVG(progressChartGeometry(h, 10, text("Epoch 2/10"), 0.2)).includes(">score<");
  assert.equal(title({ loss: [0.7, 0.6], val_loss: [0.8, 0.7] }), false);
  assert.equal(title({ loss: [0.7, 0.6], accuracy: [0.5, 0.6] }), true);
});
