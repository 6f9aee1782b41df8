/**
 * Formats the notebooks, or with `--check` checks them, by comparing each file with what
 * `deno fmt` makes of it. deno.json excludes notebooks/ from `deno fmt` itself.
 *
 * Why not `deno fmt --check`: Deno 2.9's notebook formatter (dprint-plugin-jupyter) reports every
 * cell whose source does not end in a newline as changed, then trims that newline off again, so
 * `--check` lists formatted notebooks as "not formatted" with an empty diff. Only its incremental
 * cache hides this after one `deno fmt`, which is why the check passed locally and failed on a fresh
 * clone. Formatting from stdin returns the formatted text itself, which compares byte for byte.
 *
 * Usage: `deno run -A tools/fmt_notebooks.ts [--check] [folder...]` (default: notebooks), or
 * `deno task fmt` for the whole repository.
 *
 * @module
 */
import { join, relative } from "node:path";
import { ROOT } from "./jupyter.ts";

/** What `deno fmt` makes of a notebook's text, with the project's fmt options (deno.json). */
export async function formatNotebook(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "ipynb", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const rest = Deno.args.filter((a) => a !== "--check");
  const folders = rest.length > 0 ? rest : ["notebooks"];
  const bad: string[] = [];
  let count = 0;
  for (const folder of folders) {
    const dir = join(ROOT, folder);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
      .sort();
    for (const name of names) {
      const file = join(dir, name);
      const text = Deno.readTextFileSync(file);
      count++;
      const formatted = await formatNotebook(text);
      if (formatted === text) continue;
      bad.push(relative(ROOT, file));
      if (!check) Deno.writeTextFileSync(file, formatted);
    }
  }
  if (!check) {
    console.log(
      `notebooks: formatted ${bad.length} of ${count}${bad.length ? `: ${bad.join(", ")}` : ""}`,
    );
  } else if (bad.length > 0) {
    console.error(`notebooks not formatted (run deno task fmt):\n  ${bad.join("\n  ")}`);
    Deno.exitCode = 1;
  } else {
    console.log(`notebooks: ${count} formatted`);
  }
}
