/**
 * Runs notebooks through the real Deno Jupyter kernel (nbconvert + nbclient) and reads
 * their outputs. Used by the tutorial build and the notebook tests.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One output of a code cell, as nbformat stores it. */
export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error" | "update_display_data";
  name?: "stdout" | "stderr";
  text?: string | string[];
  data?: Record<string, string | string[] | unknown>;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** One cell, as nbformat stores it. */
export interface NotebookCell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** The repository root. */
export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..");
/**
 * The Python that has nbclient: Debian's /usr/bin/python3 when present (pyenv's python3 may
 * come first on PATH without it). Resolved on each call: setup may have just installed it.
 */
export function python(): string {
  try {
    if (Deno.statSync("/usr/bin/python3").isFile) return "/usr/bin/python3";
  } catch { /* not Debian's layout */ }
  return "python3";
}

/** Joins a multi-line nbformat string. */
export function text(value: string | string[] | unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

/** Options of {@linkcode executeNotebook}. */
export interface ExecuteOptions {
  /** Keep running after a cell errors (nbconvert `--allow-errors`). Default false. */
  allowErrors?: boolean;
  /** Per-cell timeout in seconds. Default 600. */
  timeoutSeconds?: number;
  /** Where the executed notebook is written. Default: a temporary folder. */
  outDir?: string;
  /** Environment variables for the executor and the kernel, e.g. `JUPYTER_DATA_DIR`. */
  env?: Record<string, string>;
}

/**
 * Executes a notebook through the `deno` kernel (tools/execute.py, nbclient keeping late
 * outputs) and returns the executed notebook. Throws with the failing cell's error if a cell
 * errors without `allowErrors`.
 */
export async function executeNotebook(
  path: string,
  options: ExecuteOptions = {},
): Promise<Notebook> {
  // The executor runs in the notebook's folder, so every path it gets is absolute.
  const source = resolve(path);
  const outDir = resolve(options.outDir ?? await Deno.makeTempDir({ prefix: "dlnb-nb-" }));
  await Deno.mkdir(outDir, { recursive: true });
  const name = basename(source);
  const args = [
    join(ROOT, "tools", "execute.py"),
    source,
    join(outDir, name),
    "--kernel",
    "deno",
    "--timeout",
    String(options.timeoutSeconds ?? 600),
    ...(options.allowErrors ? ["--allow-errors"] : []),
  ];
  const result = await new Deno.Command(python(), {
    args,
    cwd: dirname(source),
    stdout: "piped",
    stderr: "piped",
    env: { ...options.env, NO_COLOR: "1" },
  }).output();
  if (!result.success) {
    const err = new TextDecoder().decode(result.stderr);
    throw new Error(`executing ${name} failed:\n${err.split("\n").slice(-40).join("\n")}`);
  }
  return JSON.parse(await Deno.readTextFile(join(outDir, name)));
}

/** Every output of every code cell, with the index of its cell. */
export function outputs(nb: Notebook): { cell: number; output: NotebookOutput }[] {
  return nb.cells.flatMap((c, cell) => (c.outputs ?? []).map((output) => ({ cell, output })));
}

/** What must not be in a tutorial notebook: error outputs and anything written to stderr. */
export function problems(nb: Notebook): string[] {
  return outputs(nb).flatMap(({ cell, output }) => {
    if (output.output_type === "error") return [`cell ${cell}: ${output.ename}: ${output.evalue}`];
    if (output.output_type === "stream" && output.name === "stderr") {
      return [`cell ${cell}: stderr: ${text(output.text).slice(0, 300)}`];
    }
    return [];
  });
}

/** All text a cell shows: streams and `text/plain` of displays and results. */
export function cellText(cell: NotebookCell): string {
  return (cell.outputs ?? []).map((o) =>
    o.output_type === "stream" ? text(o.text) : `${text(o.data?.["text/plain"])}${o.evalue ?? ""}\n`
  ).join("");
}

/** The code cell whose source contains `marker` (throws if none). */
export function findCell(nb: Notebook, marker: string): NotebookCell {
  const cell = nb.cells.find((c) => c.cell_type === "code" && text(c.source).includes(marker));
  if (!cell) throw new Error(`no code cell contains ${JSON.stringify(marker)}`);
  return cell;
}

/** A cell for {@linkcode makeNotebook}: markdown or code text. */
export type CellSource = { md: string } | { code: string };

/**
 * Builds an output-free nbformat 4.5 notebook for the `deno` kernel from cell texts.
 */
export function makeNotebook(cells: CellSource[]): Notebook {
  const lines = (s: string) => {
    const parts = s.replace(/^\n+|\s+$/g, "").split("\n");
    return parts.map((l, i) => (i < parts.length - 1 ? l + "\n" : l));
  };
  return {
    cells: cells.map((c, i) =>
      "md" in c ? { id: `cell-${i}`, cell_type: "markdown", metadata: {}, source: lines(c.md) } : {
        id: `cell-${i}`,
        cell_type: "code",
        metadata: {},
        source: lines(c.code),
        outputs: [],
        execution_count: null,
      }
    ),
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
      language_info: {
        name: "typescript",
        file_extension: ".ts",
        mimetype: "text/x.typescript",
        codemirror_mode: "typescript",
        nbconvert_exporter: "script",
        pygments_lexer: "typescript",
        version: "5",
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Writes a notebook as nbformat JSON (one-space indent, as Jupyter writes it). */
export function writeNotebook(path: string, nb: Notebook): void {
  Deno.writeTextFileSync(path, JSON.stringify(nb, null, 1) + "\n");
}
