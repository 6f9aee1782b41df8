// The notebook harness itself: a throwing cell or stderr output must fail a notebook test.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cellText,
  executeNotebook,
  makeNotebook,
  problems,
  ROOT,
  writeNotebook,
} from "../tools/jupyter.ts";
import { writeKernelspec } from "../tools/setup.ts";

async function tempNotebook(cells: { code: string }[]): Promise<string> {
  // Inside the repo so the kernel finds deno.json's import map.
  const dir = await Deno.makeTempDir({ dir: join(ROOT, "tests"), prefix: ".nb-" });
  const path = join(dir, "probe.ipynb");
  writeNotebook(path, makeNotebook(cells));
  return path;
}

Deno.test("notebook harness: a cell that throws fails the run, and is reported with errors allowed", async () => {
  const path = await tempNotebook([
    { code: `import { deepNN } from "../../lib/mod.ts";` },
    { code: `deepNN({ features: -1 });` },
    { code: `"after the error"` },
  ]);
  try {
    await assert.rejects(
      executeNotebook(path),
      /executing probe\.ipynb failed[\s\S]*ArgumentError: deepNN: features must be a positive integer/,
    );
    const nb = await executeNotebook(path, { allowErrors: true });
    const found = problems(nb);
    assert.equal(found.length, 1);
    assert.match(
      found[0],
      /^cell 1: ArgumentError: deepNN: features must be a positive integer, got -1/,
    );
    assert.match(cellText(nb.cells[2]), /after the error/);
  } finally {
    await Deno.remove(join(path, ".."), { recursive: true });
  }
});

Deno.test("notebook harness: stderr output is a problem; the tfjs banner never appears", async () => {
  const path = await tempNotebook([
    { code: `import { perceptron, tf } from "../../lib/mod.ts";` },
    { code: `tf.tidy(() => (perceptron().predict(tf.ones([1, 3])) as tf.Tensor).shape)` },
    { code: `console.error("oops")` },
    { code: `1 + 1` },
  ]);
  try {
    const nb = await executeNotebook(path);
    assert.deepEqual(problems(nb), ["cell 2: stderr: oops\n"]);
    assert.doesNotMatch(JSON.stringify(nb), /tfjs-node/);
  } finally {
    await Deno.remove(join(path, ".."), { recursive: true });
  }
});

Deno.test("notebook harness: a cell's text still on its way when the cell ends stays in the cell, with or without the launcher", async () => {
  // Deno's kernel stamps text with the request current when the text is sent: 200 lines of 10,000
  // characters take it longer to send than the next cell takes to start, and without the
  // harness's flush about half of them went under the next cell. (Not thousands of short lines:
  // the kernel sends one message a line and drops them past ZeroMQ's 1,000 queued.)
  const cells = [
    ...[0, 1, 2].map((i) => ({
      code:
        `for (let k = 0; k < 200; k++) console.log("cell ${i} line " + k + " " + "x".repeat(10000));`,
    })),
    { code: '"the end"' },
  ];
  const path = await tempNotebook(cells);
  const data = await Deno.makeTempDir({ prefix: "dlnb-jupyter-data-" });
  const kernel = join(data, "kernels", "deno");
  try {
    for (const launcher of [false, true]) {
      await Deno.remove(kernel, { recursive: true }).catch(() => {});
      if (launcher) writeKernelspec(kernel, Deno.execPath());
      else {
        await Deno.mkdir(kernel, { recursive: true });
        const argv = [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"];
        await Deno.writeTextFile(
          join(kernel, "kernel.json"),
          JSON.stringify({ argv, language: "typescript", display_name: "Deno" }),
        );
      }
      const nb = await executeNotebook(path, { env: { JUPYTER_DATA_DIR: data } });
      nb.cells.forEach((cell, i) => {
        const lines = cellText(cell).split("\n").filter((l) => l.startsWith("cell "));
        const own = lines.filter((l) => l.startsWith(`cell ${i} line `)).length;
        const mine = i < 3 ? 200 : 0;
        assert.equal(
          own,
          mine,
          `launcher ${launcher}: cell ${i} shows ${own} of its ${mine} lines`,
        );
        assert.equal(
          lines.length,
          mine,
          `launcher ${launcher}: cell ${i} shows another cell's lines`,
        );
        assert.ok(!cellText(cell).includes("dlnb-flush"));
      });
      assert.match(cellText(nb.cells[3]), /^"the end"\n$/, `launcher ${launcher}: the last result`);
    }
  } finally {
    await Deno.remove(data, { recursive: true });
    await Deno.remove(join(path, ".."), { recursive: true });
  }
});
