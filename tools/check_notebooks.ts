/**
 * Type-checks the notebooks' code: each notebook's code cells, joined in order as the
 * kernel runs them, are written to a temporary module beside it and checked with
 * `deno check` (which does not read .ipynb files itself).
 *
 * Usage: `deno run -A tools/check_notebooks.ts`
 *
 * @module
 */
import { join } from "node:path";
import { type Notebook, ROOT, text } from "./jupyter.ts";

const dir = join(ROOT, "notebooks");
const written: string[] = [];
try {
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const nb: Notebook = JSON.parse(Deno.readTextFileSync(join(dir, entry.name)));
    const code = nb.cells.filter((c) => c.cell_type === "code").map((c, i) =>
      `// cell ${i + 1}\n${text(c.source)}`
    );
    const file = join(dir, `.check-${entry.name.replace(/\.ipynb$/, ".ts")}`);
    // The kernel shows a cell's last expression; in a module it is just an unused expression.
    Deno.writeTextFileSync(
      file,
      `// Generated from ${entry.name} for type-checking.\n${code.join("\n;\n")}\nexport {};\n`,
    );
    written.push(file);
  }
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", ...written],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  // exitCode, not Deno.exit(): the generated files must still be removed below.
  if (result.success) console.log(`notebooks: type-checked ${written.length} notebooks`);
  else Deno.exitCode = 1;
} finally {
  for (const f of written) Deno.removeSync(f);
}
