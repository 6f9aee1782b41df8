import assert from "node:assert/strict";
import { ArgumentError, Figure, inKernel, LiveOutput, show, TextTable } from "../lib/mod.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";

Deno.test("display: outside the kernel, Deno.jupyter is guarded and values print as text", async () => {
  assert.equal(inKernel(), false);
  const fig = new Figure(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>',
    "a tiny figure",
  );
  assert.equal(String(fig), "a tiny figure");
  assert.deepEqual(fig[JUPYTER_DISPLAY](), {
    "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>',
    "text/plain": "a tiny figure",
  });
  const live = new LiveOutput();
  assert.equal(live.live, false);
  await live.update({ "text/plain": "nothing happens outside the kernel" });
  const logged: unknown[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => logged.push(...args);
  try {
    await show(new TextTable("a | 1", "<table></table>"));
  } finally {
    console.log = log;
  }
  assert.deepEqual(logged, ["a | 1"]);
});

Deno.test("display: Figure.save writes the SVG and returns the path", () => {
  const path = Deno.makeTempFileSync({ suffix: ".svg" });
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle r="1"/></svg>';
  assert.equal(new Figure(svg, "circle").save(path), path);
  assert.equal(Deno.readTextFileSync(path), svg);
  Deno.removeSync(path);
});

Deno.test("display: Figure.save rejects a path that is not a non-empty string, before writing", () => {
  const fig = new Figure("<svg/>", "x");
  for (const [path, given] of [["", '""'], [undefined, "undefined"], [42, "42"]] as const) {
    assert.throws(
      () => fig.save(path as never),
      (e: unknown) =>
        e instanceof ArgumentError &&
        e.message === `Figure.save: path must be a non-empty file path, got ${given}`,
    );
  }
});

Deno.test("display: a chart bundle never carries text/html (it would shadow the SVG in JupyterLab)", () => {
  const bundle = new Figure("<svg/>", "x")[JUPYTER_DISPLAY]();
  assert.ok(!("text/html" in bundle));
});
