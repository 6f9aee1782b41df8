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
