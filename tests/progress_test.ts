import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import {
  epochLine,
  formatDuration,
  formatLogs,
  formatPerStep,
  LineProgress,
  LiveProgress,
  progressBar,
  progressBundle,
  progressPlain,
  type ProgressState,
} from "../lib/train/progress.ts";
import type { MimeBundle } from "../lib/display/display.ts";
import { parseXml } from "./svg_xml.ts";

const state = (epoch: number, logs: Record<string, number> = {}): ProgressState => ({
  epoch,
  epochs: 100,
  steps: 24,
  elapsedMs: epoch * 80,
  epochMs: 72,
  logs,
});

Deno.test("Keras-style pieces: durations, time per step, log values, the bar", () => {
  assert.deepEqual([0, 7400, 65_000, 3_723_000].map(formatDuration), [
    "0s",
    "7s",
    "1:05",
    "1:02:03",
  ]);
  assert.deepEqual([2.6, 1500, 0.25].map(formatPerStep), ["3ms/step", "2s/step", "250us/step"]);
  assert.equal(
    formatLogs({ loss: 0.693147, F1: 0.00001, R2: -2.5, val_loss: 0 }),
    "loss: 0.6931 - F1: 1.0000e-5 - R2: -2.5000 - val_loss: 0.0000",
  );
  assert.equal(progressBar(0, 100), "[" + ".".repeat(30) + "]");
  assert.equal(progressBar(37, 100), "[" + "=".repeat(10) + ">" + ".".repeat(19) + "]");
  assert.equal(progressBar(100, 100), "[" + "=".repeat(30) + "]");
});

Deno.test("the live text: Epoch n/N, bar, percent, ETA, ms/step, then training and validation values", () => {
  const logs = { loss: 0.69123, accuracy: 0.53141, val_loss: 0.70312, val_accuracy: 0.48333 };
  assert.equal(
    progressPlain(state(37, logs)),
    [
      "Epoch 37/100 [==========>...................] 37% - ETA: 5s - 3ms/step",
      "loss: 0.6912 - accuracy: 0.5314",
      "val_loss: 0.7031 - val_accuracy: 0.4833",
    ].join("\n"),
  );
  assert.equal(
    progressPlain(state(0)),
    "Epoch 0/100 [..............................] 0% - starting",
  );
  assert.match(progressPlain(state(100, logs)), /^Epoch 100\/100 \[=+\] 100% - 8s - 3ms\/step\n/);
  assert.match(
    progressPlain({ ...state(40, logs), stopped: "boom" }),
    /^Epoch 40\/100 .* stopped - 3s - 3ms\/step\n[^]*stopped: boom$/,
  );
});

Deno.test("outside the kernel: one line per epoch, as Keras's verbose=2", () => {
  assert.equal(
    epochLine(state(3, { loss: 0.69123, val_loss: 0.7 })),
    "Epoch 3/100 - 24/24 - 0s - loss: 0.6912 - val_loss: 0.7000 - 72ms/epoch - 3ms/step",
  );
});

Deno.test("LineProgress prints exactly one line per epoch and nothing else on success", async () => {
  const lines: string[] = [];
  let t = 0;
  const p = new LineProgress((l) => lines.push(l), () => t);
  await p.start(3, 24);
  for (let e = 0; e < 3; e++) {
    t += 50;
    await p.epochEnd(e, { loss: 1 / (e + 1) });
  }
  await p.end();
  assert.deepEqual(lines, [
    "Epoch 1/3 - 24/24 - 0s - loss: 1.0000 - 50ms/epoch - 2ms/step",
    "Epoch 2/3 - 24/24 - 0s - loss: 0.5000 - 50ms/epoch - 2ms/step",
    "Epoch 3/3 - 24/24 - 0s - loss: 0.3333 - 50ms/epoch - 2ms/step",
  ]);
});

/** Runs a LiveProgress over `epochs` epochs of `epochMs` each on a fake clock. */
async function liveRun(epochs: number, epochMs: number, minIntervalMs = 200) {
  const shown: MimeBundle[] = [];
  let t = 0;
  const live = new LiveProgress({ update: (b) => Promise.resolve(void shown.push(b)) }, {
    minIntervalMs,
    now: () => t,
  });
  await live.start(epochs, 24);
  const history: Record<string, number[]> = { loss: [], F1: [], val_loss: [], val_F1: [] };
  for (let e = 0; e < epochs; e++) {
    t += epochMs;
    const logs = { loss: 0.7 - e / 1000, F1: e / epochs, val_loss: 0.71, val_F1: 0.5 };
    for (const [k, v] of Object.entries(logs)) history[k].push(v);
    await live.epochEnd(e, logs, history);
  }
  await live.end();
  return { shown, live };
}

Deno.test("LiveProgress: throttled updates of one output, the final state always written last", async () => {
  // 100 epochs of 10 ms = 1 s; at most one redraw per 200 ms.
  const { shown, live } = await liveRun(100, 10);
  assert.equal(live.updates, shown.length);
  // start, epoch 1, then every 200 ms (about 5), then the final state.
  assert.ok(shown.length >= 5 && shown.length <= 9, `${shown.length} updates`);
  assert.match(shown[0]["text/plain"], /^Epoch 0\/100 .* 0% - starting$/);
  assert.match(shown[1]["text/plain"], /^Epoch 1\/100 /);
  assert.match(
    shown.at(-1)!["text/plain"],
    /^Epoch 100\/100 \[=+\] 100% - 1s - 0ms\/step|^Epoch 100\/100 \[=+\] 100% - 1s - \d+us\/step/,
  );
  // Slow epochs: every epoch is shown (each takes longer than the interval), and the end adds nothing.
  const slow = await liveRun(5, 300);
  assert.deepEqual(slow.shown.map((b) => b["text/plain"].split(" ")[1]), [
    "0/5",
    "1/5",
    "2/5",
    "3/5",
    "4/5",
    "5/5",
  ]);
});

Deno.test("LiveProgress: every update is SVG + text (no HTML), well-formed, the same size throughout", async () => {
  const { shown } = await liveRun(30, 50);
  const sizes = new Set<string>();
  for (const b of shown) {
    assert.deepEqual(Object.keys(b).sort(), ["image/svg+xml", "text/plain"]);
    const svg = b["image/svg+xml"] as string;
    const [root] = await parseXml(svg);
    assert.equal(root.tag, "svg");
    assert.equal(root.ns, "http://www.w3.org/2000/svg");
    assert.match(root.attrs["font-family"], /monospace/);
    sizes.add(`${root.attrs.width}x${root.attrs.height} ${root.attrs.viewBox}`);
  }
  assert.equal(sizes.size, 1, [...sizes].join(" | "));
  // The last update draws every series with all 30 epochs and names it in the legend.
  const doc = new DOMParser().parseFromString(
    shown.at(-1)!["image/svg+xml"] as string,
    "image/svg+xml",
  );
  const lines = [...doc.querySelectorAll("polyline")];
  assert.equal(lines.length, 4);
  assert.ok(lines.every((l) => l.getAttribute("points")!.split(" ").length === 30));
  assert.equal(lines.filter((l) => l.getAttribute("stroke-dasharray")).length, 2); // val_ dashed
  const texts = [...doc.querySelectorAll("text")].map((t) => t.textContent);
  for (const k of ["loss", "F1", "val_loss", "val_F1", "Epoch 30/30"]) {
    assert.ok(texts.includes(k), k);
  }
});

Deno.test("LiveProgress: a run that fails writes a stopped state", async () => {
  const shown: MimeBundle[] = [];
  const live = new LiveProgress({ update: (b) => Promise.resolve(void shown.push(b)) });
  await live.start(10, 5);
  await live.epochEnd(0, { loss: 1 }, { loss: [1] });
  await live.end("out of memory");
  assert.match(
    shown.at(-1)!["text/plain"],
    /^Epoch 1\/10 .* stopped - .*\nloss: 1.0000\nstopped: out of memory$/,
  );
});

Deno.test("progressBundle escapes user metric names in the SVG", async () => {
  const logs = { loss: 1, "<F1&>": 0.5 };
  const b = progressBundle({ ...state(1, logs), epochs: 2 }, { loss: [1], "<F1&>": [0.5] });
  await parseXml(b["image/svg+xml"] as string);
  assert.ok((b["image/svg+xml"] as string).includes("&lt;F1&amp;&gt;"));
});
