// examples/article.ts, the pipeline as a plain Deno script, run as a user would run it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel } from "../lib/mod.ts";
import { ROOT } from "../tools/jupyter.ts";
import { parseXml } from "./svg_xml.ts";

Deno.test("examples/article.ts builds, trains, evaluates, explains and writes SVG figures", async () => {
  const out = await Deno.makeTempDir({ prefix: "dlnb-example-" });
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "examples/article.ts", out],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(run.stdout);
  assert.ok(run.success, new TextDecoder().decode(run.stderr));
  assert.equal(new TextDecoder().decode(run.stderr), "", "nothing on stderr (no tfjs banner)");
  assert.match(stdout, /Total params: 91 \(364\.00 B\)/);
  assert.match(stdout, /History: 100 epochs on 700 rows \(300 validation\), batch 30, seed 42/);
  assert.match(stdout, /Confusion matrix/);
  assert.match(
    stdout,
    /explanation \(exact\): base -?\d\.\d{4} \+ sum of values -?\d\.\d{4} = output -?\d\.\d{4}/,
  );
  const [, base, sum, output] = stdout.match(
    /base (-?[\d.]+) \+ sum of values (-?[\d.]+) = output (-?[\d.]+)/,
  )!;
  assert.ok(
    Math.abs(Number(base) + Number(sum) - Number(output)) < 2e-4,
    "efficiency holds in the printout",
  );
  for (const name of ["diagram.svg", "history.svg", "explanation.svg"]) {
    const svg = Deno.readTextFileSync(join(out, name));
    const elements = await parseXml(svg);
    assert.equal(elements[0].tag, "svg", `${name} is an SVG document`);
    assert.ok(elements.length > 10, `${name} draws something`);
  }
  const model = await loadModel(join(out, "model"));
  assert.equal(model.countParams(), 91);
  await Deno.remove(out, { recursive: true });
});
