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
