// The @example blocks of lib/ run (deno test --doc) and assert what their comments claimed; any
// file an example writes goes to a temporary folder, never the working folder.
import assert from "node:assert/strict";
import { ROOT } from "../tools/jupyter.ts";

/** The repository's top-level names, which an example must not add to. */
const topLevel = () => [...Deno.readDirSync(ROOT)].map((e) => e.name).sort();

Deno.test({
  name:
    "doc examples: every @example in lib/ runs and its asserts hold; none writes into the working folder",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const before = topLevel();
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-q", "-A", "--doc", "--parallel", "lib/"],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
    const failed = out.split("\n").filter((l) => /FAILED|error:/.test(l));
    assert.ok(r.success, `${failed.join("\n")}\n${out.slice(-4000)}`);
    const summary = out.match(/ok \| (\d+) passed \| 0 failed/);
    assert.ok(summary, out.slice(-2000));
    // One test per @example block: lib/ has more than 180.
    assert.ok(Number(summary[1]) >= 180, `${summary[1]} examples ran`);
    const asserted = new Deno.Command("grep", {
      args: ["-rlE", String.raw`^\s*\* .*assert\.`, "lib/"],
      cwd: ROOT,
      stdout: "piped",
    }).outputSync();
    const files = new TextDecoder().decode(asserted.stdout).trim().split("\n").length;
    assert.ok(files >= 50, `${files} lib modules' examples assert their claims`);
    // Other tests running alongside make site/ and hidden folders here; examples would add
    // plain names ("diagram.svg", "model").
    const added = topLevel().filter((n) =>
      !before.includes(n) && !n.startsWith(".") && n !== "site"
    );
    assert.deepEqual(added, [], "no file written into the working folder");
  },
});
