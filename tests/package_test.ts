// The lib as a package: documented exports, a publishable package.
import assert from "node:assert/strict";
import { ROOT } from "../tools/jupyter.ts";

async function deno(args: string[]): Promise<{ ok: boolean; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { ok: r.success, out: text.decode(r.stdout) + text.decode(r.stderr) };
}

interface DocSymbol {
  name: string;
  declarations: { kind: string; jsDoc?: { doc?: string; tags?: { kind: string }[] } }[];
}

Deno.test("package: deno doc --lint lib/mod.ts passes", async () => {
  const r = await deno(["doc", "--lint", "lib/mod.ts"]);
  assert.ok(r.ok, r.out.slice(0, 3000));
});

Deno.test("package: every exported function, class and constant is documented with an @example", async () => {
  const r = await deno(["doc", "--json", "lib/mod.ts"]);
  assert.ok(r.ok, r.out.slice(0, 2000));
  const doc = JSON.parse(r.out) as { nodes: Record<string, { symbols: DocSymbol[] }> };
  const symbols = Object.values(doc.nodes).flatMap((n) => n.symbols);
  assert.ok(symbols.length > 80, `${symbols.length} exports`);
  const missing = symbols.filter((s) =>
    s.declarations.some((d) =>
      ["function", "class", "variable"].includes(d.kind) &&
      !(d.jsDoc?.tags ?? []).some((t) => t.kind === "example")
    )
  ).map((s) => s.name);
  assert.deepEqual(missing, []);
});

Deno.test("package: deno publish --dry-run passes", async () => {
  const r = await deno(["publish", "--dry-run", "--allow-dirty"]);
  assert.ok(r.ok, r.out.slice(-3000));
  assert.match(r.out, /Dry run complete/);
});

// A script in a folder with no deno.json, outside the repository: the lib must import by path and
// by file:// URL with no import map (its npm dependencies are pinned in lib/deps/).
const outsideScript = (specifier: string) => `
import { decisionPlot, deepNN, explain, randomData, train } from ${JSON.stringify(specifier)};
const model = deepNN({ features: 4, seed: 1 });
model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
const data = randomData({ rows: 60, features: 4, seed: 1 });
const history = await train(model, data.x, data.y, { epochs: 2, seed: 1, live: false });
const e = explain(model, { instance: data.x[0], background: data.x.slice(0, 10), featureNames: data.featureNames });
const path = decisionPlot(e).save("figure.svg");
console.log(JSON.stringify({ epochs: history.epoch.length, method: e.method, path }));
`;

for (
  const [how, specifier] of [
    ["absolute path", new URL("../lib/mod.ts", import.meta.url).pathname],
    ["file:// URL", new URL("../lib/mod.ts", import.meta.url).href],
  ]
) {
  Deno.test(`package: a script outside the repository imports lib/mod.ts by ${how}, trains, explains, saves a figure`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "dlnb-outside-" });
    try {
      assert.ok(!dir.startsWith(ROOT), dir);
      await Deno.writeTextFile(`${dir}/script.ts`, outsideScript(specifier));
      const r = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", "script.ts"],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      assert.ok(r.success, text.decode(r.stderr).slice(-3000));
      const last = text.decode(r.stdout).trim().split("\n").at(-1)!;
      assert.deepEqual(JSON.parse(last), { epochs: 2, method: "exact", path: "figure.svg" });
      const svg = await Deno.readTextFile(`${dir}/figure.svg`);
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, />x1 = /); // a feature label of the decision plot
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("package: lib/ imports npm packages only through lib/deps/ (full npm: specifiers, no bare names)", async () => {
  const bad: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (path.endsWith(".ts")) {
        const code = (await Deno.readTextFile(path)).split("\n").filter((l) =>
          !/^\s*(\*|\/\/)/.test(l)
        );
        for (const l of code) {
          for (const m of l.matchAll(/(?:from\s+|import\(\s*)"([^"]+)"/g)) {
            const s = m[1];
            const ok = s.startsWith(".") || s.startsWith("node:") ||
              (path.includes("/lib/deps/") && /^npm:(@[^/]+\/)?[^@/]+@\d+\.\d+\.\d+$/.test(s));
            if (!ok) bad.push(`${path.slice(ROOT.length + 1)}: ${s}`);
          }
        }
      }
    }
  };
  await walk(`${ROOT}/lib`);
  assert.deepEqual(bad, []);
});

// The README's deno.json for a user's project: its first run prints nothing on stderr (without
// it, Deno warns about core-js's ignored install script, once per project).
Deno.test("package: a user's project with the README's deno.json runs the lib with no warning on its first run", async () => {
  const readme = await Deno.readTextFile(`${ROOT}/README.md`);
  const section = readme.slice(readme.indexOf("## Using the library from a Deno script"));
  const config = /```json\n([^`]+)```/.exec(section)?.[1];
  assert.ok(config, "the README's deno.json for a user's project");
  const script = `import { deepNN, summary } from ${
    JSON.stringify(new URL("../lib/mod.ts", import.meta.url).href)
  };\nconsole.log(String(summary(deepNN({ features: 10, seed: 42 }))).match(/Total params: \\d+/)![0]);\n`;
  const firstRun = async (withConfig: boolean) => {
    // A new folder each time: Deno warns once per project, so every run here is a first run.
    const dir = await Deno.makeTempDir({ prefix: "dlnb-userproj-" });
    try {
      await Deno.writeTextFile(`${dir}/main.ts`, script);
      if (withConfig) await Deno.writeTextFile(`${dir}/deno.json`, config);
      const r = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "main.ts"], // no --quiet: it would hide the warning
        cwd: dir,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      return { ok: r.success, out: text.decode(r.stdout), err: text.decode(r.stderr) };
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  };
  const bare = await firstRun(false);
  assert.ok(bare.ok, bare.err.slice(-2000));
  assert.match(
    bare.err,
    /Ignored build scripts[\s\S]*npm:core-js@/,
    "the warning the README fixes",
  );
  const configured = await firstRun(true);
  assert.ok(configured.ok, configured.err.slice(-2000));
  assert.equal(configured.out, "Total params: 91\n");
  assert.equal(configured.err, "", "nothing on stderr");
});
