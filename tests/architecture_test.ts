/**
 * The rules of ARCHITECTURE.md, as data, checked against the code: every import of every
 * `lib/` module and of the notebooks' code cells (static, dynamic, type-only and re-exports,
 * read from Deno's own module graph with `deno info`, so comments and strings never count),
 * one door per folder, files small enough to read, and the README's API list.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Notebook, ROOT, text } from "../tools/jupyter.ts";

// ---------------------------------------------------------------------------------------
// The rules, as data (ARCHITECTURE.md says the same in words).
// ---------------------------------------------------------------------------------------

/** The folders of lib/ and the other folders each one's modules may import. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  display: ["core"],
  plot: ["core", "display"],
  build: ["core", "display"], // display: tables such as layerTable show in the kernel
  data: ["core", "build"],
  describe: ["core", "display", "build"],
  train: ["core", "display", "build", "data"],
  evaluate: ["core", "display", "build", "data", "train"],
  predict: ["core", "display", "build", "data"], // display: Predictions render as a table
  explain: ["core", "display", "build", "data", "train", "evaluate"],
  save: ["core", "build", "data"], // data: the preprocessing a model carries
};

/**
 * Composite helpers: they take a model and return a figure, so besides their own step they
 * may import the renderers (lib/plot). Every other computing module imports no renderer.
 */
const COMPOSITES: Readonly<Record<string, string>> = {
  "lib/describe/visualize_nn.ts": "visualizeNN: the neuron diagram's geometry, drawn",
  "lib/describe/plot_model.ts": "plotModel: the layer graph, laid out and drawn",
  "lib/explain/explainer_shap.ts": "explainerShap: one explanation, drawn as a SHAP plot",
  "lib/train/progress.ts": "train's live progress: the chart redrawn each epoch",
};

/** npm packages lib/ may use, and the folders that may import each. */
const PACKAGES: Readonly<Record<string, readonly string[]>> = {
  "@tensorflow/tfjs": ["core"],
  "@tensorflow/tfjs-backend-wasm": ["core"],
  "@observablehq/plot": ["plot"],
  "linkedom": ["plot"],
  "@viz-js/viz": ["plot"],
  "vega": ["display", "plot"],
  "vega-lite": ["display", "plot"],
};

/** Modules that load TensorFlow.js: renderers and display import none of them. */
const TFJS_MODULES = ["lib/core/tf.ts", "lib/core/wasm.ts"];

/**
 * lib/deps/: one module per npm package, the only place its `npm:name@version` is written, so
 * the lib imports by path or URL with no import map. Importing `lib/deps/x.ts` counts as
 * importing that package, under the package rules above.
 */
const DEPS: Readonly<Record<string, string>> = Object.fromEntries(
  [...Deno.readDirSync(join(ROOT, "lib", "deps"))].filter((e) => e.name.endsWith(".ts")).map(
    (e) => {
      const text = Deno.readTextFileSync(join(ROOT, "lib", "deps", e.name));
      const m = /from "(npm:[^"]+)"/.exec(text);
      if (!m) throw new Error(`lib/deps/${e.name} pins no npm: package`);
      return [`lib/deps/${e.name}`, packageName(m[1])];
    },
  ),
);

/** Longest lib module, in lines. */
const MAX_LINES = 500;

/** An import that breaks a rule today, kept until its owner fixes it. */
interface Exception {
  file: string;
  /** The import as written. */
  import: string;
  /** Who fixes it. */
  owner: string;
  why: string;
}

/** Known exceptions, listed in ARCHITECTURE.md too. A fixed one must be removed here. */
const EXCEPTIONS: readonly Exception[] = [];

// ---------------------------------------------------------------------------------------
// Reading the imports.
// ---------------------------------------------------------------------------------------

/** One import: where it is written, what it says, what it resolves to. */
interface Import {
  /** Repository-relative file (a notebook for notebook cells). */
  file: string;
  /** Where, for messages: `line 12` or `cell 3, line 1`. */
  at: string;
  /** The specifier as written. */
  specifier: string;
  /** Repository-relative path for a local file, else null. */
  path: string | null;
  /** The npm package name (`@tensorflow/tfjs`), else null. */
  pkg: string | null;
  /** `node:` builtin. */
  node: boolean;
  /** An `npm:` specifier written in a lib module outside lib/deps (packages are pinned there). */
  direct?: boolean;
  dynamic: boolean;
  typeOnly: boolean;
}

interface InfoDependency {
  specifier: string;
  code?: { specifier?: string; span?: { start: { line: number } } };
  type?: { specifier?: string; span?: { start: { line: number } } };
  isDynamic?: boolean;
}

interface InfoModule {
  specifier: string;
  dependencies?: InfoDependency[];
}

/** `npm:@scope/name@1.2.3/sub` or `@scope/name/sub` -> `@scope/name`. */
function packageName(specifier: string): string {
  const s = specifier.replace(/^npm:\/?/, "");
  const parts = s.split("/");
  const name = s.startsWith("@") ? `${parts[0]}/${parts[1] ?? ""}` : parts[0];
  return name.replace(/(.)@.*$/, "$1");
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) walk(p, out);
    else if (e.isFile && e.name.endsWith(".ts")) out.push(p);
  }
  return out.sort();
}

/** Every lib module, repository-relative. */
function libFiles(): string[] {
  return walk(join(ROOT, "lib")).map((p) => relative(ROOT, p));
}

/** Code cells of a notebook as one module, with the cell and line of each module line. */
function notebookModule(file: string): { code: string; where: string[] } {
  const nb: Notebook = JSON.parse(Deno.readTextFileSync(join(ROOT, file)));
  const lines: string[] = [];
  const where: string[] = [];
  nb.cells.filter((c) => c.cell_type === "code").forEach((c, i) => {
    text(c.source).split("\n").forEach((line, j) => {
      lines.push(line);
      where.push(`cell ${i + 1}, line ${j + 1}`);
    });
    lines.push(";");
    where.push(`cell ${i + 1}`);
  });
  return { code: lines.join("\n") + "\nexport {};\n", where };
}

/**
 * Every import of lib/**\/*.ts and of notebooks/*.ipynb code cells, from one `deno info`
 * over a root module that imports them all. `--no-npm --no-remote --no-lock`: packages are
 * named, never fetched, and the lock file is not touched.
 */
async function readImports(): Promise<Import[]> {
  const tmp = await Deno.makeTempDir({ prefix: "architecture_test_" });
  try {
    const lib = libFiles();
    const notebooks = [...Deno.readDirSync(join(ROOT, "notebooks"))]
      .filter((e) => e.isFile && e.name.endsWith(".ipynb")).map((e) => `notebooks/${e.name}`)
      .sort();
    // Each notebook's cells become a module in tmp; its own relative imports are resolved
    // below from the notebook's folder, not from tmp.
    const cells = new Map<string, { file: string; where: string[] }>();
    notebooks.forEach((file, i) => {
      const { code, where } = notebookModule(file);
      const path = join(tmp, `notebook_${i}.ts`);
      Deno.writeTextFileSync(path, code);
      cells.set(pathToFileURL(path).href, { file, where });
    });
    const roots = [
      ...lib.map((f) => join(ROOT, f)),
      ...[...cells.keys()].map((u) => fileURLToPath(u)),
    ];
    const root = join(tmp, "root.ts");
    Deno.writeTextFileSync(
      root,
      roots.map((p) => `import ${JSON.stringify(pathToFileURL(p).href)};`).join("\n") + "\n",
    );
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "info",
        "--json",
        "--no-npm",
        "--no-remote",
        "--no-lock",
        "--config",
        join(ROOT, "deno.json"),
        root,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.stdout);
    assert.ok(r.success, new TextDecoder().decode(r.stderr).slice(0, 2000));
    const modules = (JSON.parse(out) as { modules: InfoModule[] }).modules;
    const libUrls = new Set(lib.map((f) => pathToFileURL(join(ROOT, f)).href));
    const imports: Import[] = [];
    for (const m of modules) {
      const cell = cells.get(m.specifier);
      if (!cell && !libUrls.has(m.specifier)) continue;
      const file = cell ? cell.file : relative(ROOT, fileURLToPath(m.specifier));
      for (const d of m.dependencies ?? []) {
        const resolved = d.code?.specifier ?? d.type?.specifier ?? d.specifier;
        const line = (d.code ?? d.type)?.span?.start.line ?? 0;
        const raw = d.specifier;
        const relativeSpec = raw.startsWith("./") || raw.startsWith("../");
        let path: string | null = null;
        if (relativeSpec) {
          path = relative(ROOT, resolve(dirname(join(ROOT, file)), raw));
        } else if (resolved.startsWith("file:")) {
          path = relative(ROOT, fileURLToPath(resolved));
        }
        // An import of lib/deps/x.ts is an import of the package x pins.
        const viaDeps =
          path !== null && path.startsWith("lib/deps/") && !file.startsWith("lib/deps/")
            ? DEPS[path] ?? null
            : null;
        if (viaDeps !== null) path = null;
        imports.push({
          file,
          at: cell ? cell.where[line] ?? `line ${line + 1}` : `line ${line + 1}`,
          specifier: raw,
          path,
          pkg: viaDeps ??
            (path === null && resolved.startsWith("npm:") ? packageName(resolved) : null),
          direct: viaDeps === null && raw.startsWith("npm:") && !file.startsWith("lib/deps/"),
          node: resolved.startsWith("node:"),
          dynamic: d.isDynamic === true,
          typeOnly: d.code === undefined && d.type !== undefined,
        });
      }
    }
    return imports;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

// ---------------------------------------------------------------------------------------
// Judging them.
// ---------------------------------------------------------------------------------------

/** A rule broken by one import. */
interface Violation {
  file: string;
  at: string;
  specifier: string;
  rule: string;
}

function folderOf(path: string): string | null {
  const m = /^lib\/([^/]+)\//.exec(path);
  return m ? m[1] : null;
}

const isDoor = (path: string) => path === "lib/mod.ts" || /^lib\/[^/]+\/mod\.ts$/.test(path);

/** The rule an import breaks, or null. */
function ruleBroken(i: Import): string | null {
  if (i.file.startsWith("notebooks/")) {
    return i.path === "lib/mod.ts"
      ? null
      : "notebooks import only ../lib/mod.ts (the public surface)";
  }
  const from = folderOf(i.file); // null for lib/mod.ts
  if (i.node) return null;
  if (from === "deps") {
    return i.pkg !== null
      ? null
      : "lib/deps modules pin one npm package each and import nothing else";
  }
  if (i.direct) return `npm packages are pinned once, in lib/deps/: import ${i.pkg} from there`;
  if (i.pkg !== null) {
    const allowed = PACKAGES[i.pkg];
    if (!allowed) {
      return `lib/ uses only the packages listed in the rules (${
        Object.keys(PACKAGES).join(", ")
      }); ${i.pkg} is not one`;
    }
    if (from !== null && allowed.includes(from)) return null;
    if (i.pkg.startsWith("@tensorflow/")) {
      return "only lib/core loads TensorFlow.js (core/tf.ts); every other module imports tf from it";
    }
    return `${i.pkg} is a renderer's package: only lib/${allowed.join(", lib/")} may import it`;
  }
  if (i.path === null) {
    return "no remote imports (jsr:, https:): dependencies are pinned in deno.json's imports";
  }
  if (!i.path.startsWith("lib/")) return "lib/ imports nothing outside lib/ except packages";
  const to = folderOf(i.path);
  if (i.file === "lib/mod.ts") {
    return to !== null && i.path === `lib/${to}/mod.ts`
      ? null
      : "lib/mod.ts re-exports from the folder doors (lib/<step>/mod.ts) only";
  }
  if (isDoor(i.file)) {
    return to === from && !isDoor(i.path)
      ? null
      : `a door exports its own folder only (lib/${from})`;
  }
  if (isDoor(i.path)) {
    return "lib modules import modules, not doors (doors are for users; they would make cycles easy)";
  }
  if (to === null || from === null) return "lib modules live in a step folder";
  if ((from === "plot" || from === "display") && TFJS_MODULES.includes(i.path)) {
    return from === "plot"
      ? "renderers (lib/plot) know no tfjs: they draw plain data"
      : "display knows no model (no tfjs)";
  }
  if (to === from) return null;
  const allowed = LAYERS[from] ?? [];
  if (allowed.includes(to)) return null;
  // The types of the data a renderer draws live with the renderer; importing them carries
  // no drawing code.
  if (to === "plot" && (i.typeOnly || COMPOSITES[i.file])) return null;
  if (to === "plot") {
    return "computing modules import no renderer (lib/plot); only the composite helpers do";
  }
  if (from === "core") return "core imports no other lib folder";
  if (from === "display") return "display knows no model: it imports only lib/core";
  if (from === "plot") return "renderers (lib/plot) import only lib/core and lib/display";
  return `lib/${from} may import only ${
    allowed.length ? allowed.map((f) => `lib/${f}`).join(", ") : "its own folder"
  } (pipeline order), not lib/${to}`;
}

const isException = (v: Violation) =>
  EXCEPTIONS.some((e) => e.file === v.file && e.import === v.specifier);

function report(vs: Violation[]): string {
  return vs.map((v) => `${v.file} (${v.at}) imports "${v.specifier}": ${v.rule}`).join("\n");
}

// ---------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------

const imports = await readImports();
const violations: Violation[] = imports.flatMap((i) => {
  const rule = ruleBroken(i);
  return rule ? [{ file: i.file, at: i.at, specifier: i.specifier, rule }] : [];
});

Deno.test("architecture: the import reader sees static, dynamic, type-only and notebook imports", () => {
  const find = (file: string, specifier: string) =>
    imports.find((i) => i.file === file && i.specifier === specifier);
  assert.equal(find("lib/core/tf.ts", "./wasm.ts")?.dynamic, true);
  assert.equal(find("lib/core/tf.ts", "../deps/tfjs.ts")?.pkg, "@tensorflow/tfjs");
  assert.equal(find("lib/build/layer_table.ts", "../core/tf.ts")?.typeOnly, true);
  assert.equal(find("lib/mod.ts", "./core/mod.ts")?.path, "lib/core/mod.ts");
  const nb = imports.filter((i) => i.file.startsWith("notebooks/"));
  assert.ok(nb.length >= 6, `${nb.length} notebook imports`);
  // JSDoc examples are comments, not imports.
  assert.equal(find("lib/build/graph.ts", "./models.ts"), undefined);
  assert.equal(packageName("npm:@tensorflow/tfjs@4.22.0/dist/x.js"), "@tensorflow/tfjs");
  assert.equal(packageName("npm:/vega@5.33.1"), "vega");
  assert.equal(packageName("linkedom"), "linkedom");
});

Deno.test("architecture: the rules catch what they are for", () => {
  const base = { at: "line 1", pkg: null, node: false, dynamic: false, typeOnly: false };
  const broken = (file: string, specifier: string, path: string | null, pkg: string | null) =>
    ruleBroken({ ...base, file, specifier, path, pkg });
  assert.match(broken("lib/plot/a.ts", "../core/tf.ts", "lib/core/tf.ts", null)!, /know no tfjs/);
  assert.match(broken("lib/plot/a.ts", "@tensorflow/tfjs", null, "@tensorflow/tfjs")!, /core/);
  assert.match(broken("lib/display/a.ts", "../build/x.ts", "lib/build/x.ts", null)!, /no model/);
  assert.match(broken("lib/evaluate/a.ts", "../plot/x.ts", "lib/plot/x.ts", null)!, /renderer/);
  assert.equal(broken("lib/train/progress.ts", "../plot/x.ts", "lib/plot/x.ts", null), null);
  const typeImport = { ...base, file: "lib/describe/a.ts", specifier: "../plot/x.ts" };
  assert.equal(ruleBroken({ ...typeImport, path: "lib/plot/x.ts", typeOnly: true }), null);
  assert.match(
    ruleBroken({ ...typeImport, path: "lib/plot/x.ts", typeOnly: false })!,
    /renderer/,
  );
  assert.match(broken("lib/core/a.ts", "../build/x.ts", "lib/build/x.ts", null)!, /core imports/);
  assert.match(broken("lib/build/a.ts", "../train/x.ts", "lib/train/x.ts", null)!, /pipeline/);
  assert.match(broken("lib/build/a.ts", "../core/mod.ts", "lib/core/mod.ts", null)!, /not doors/);
  assert.match(broken("lib/mod.ts", "./core/tf.ts", "lib/core/tf.ts", null)!, /doors/);
  assert.match(broken("lib/build/a.ts", "x", null, "playwright-core")!, /packages/);
  assert.match(
    ruleBroken({
      ...base,
      file: "lib/data/a.ts",
      specifier: "npm:x@1",
      path: null,
      pkg: "x",
      direct: true,
    })!,
    /pinned once, in lib\/deps/,
  );
  assert.equal(broken("lib/deps/x.ts", "npm:vega@5", null, "vega"), null);
  assert.match(
    broken("notebooks/a.ipynb", "../lib/build/models.ts", "lib/build/models.ts", null)!,
    /notebooks/,
  );
  assert.equal(broken("notebooks/a.ipynb", "../lib/mod.ts", "lib/mod.ts", null), null);
});

Deno.test("architecture: every import of lib/ and of the notebooks keeps the rules", () => {
  const broken = violations.filter((v) => !isException(v));
  assert.equal(broken.length, 0, `\n${report(broken)}\nSee ARCHITECTURE.md.`);
});

Deno.test("architecture: every known exception is still needed (remove fixed ones here and in ARCHITECTURE.md)", () => {
  const stale = EXCEPTIONS.filter((e) =>
    !violations.some((v) => v.file === e.file && v.specifier === e.import)
  );
  assert.deepEqual(stale, []);
});

Deno.test("architecture: every lib folder is a pipeline step with a mod.ts door", () => {
  const folders = [...Deno.readDirSync(join(ROOT, "lib"))].filter((e) => e.isDirectory)
    .map((e) => e.name).filter((f) => f !== "deps").sort(); // deps: pinned packages, no step
  assert.deepEqual(folders, Object.keys(LAYERS).sort(), "lib/ folders vs LAYERS");
  const missing = folders.filter((f) => {
    try {
      return !Deno.statSync(join(ROOT, "lib", f, "mod.ts")).isFile;
    } catch {
      return true;
    }
  });
  assert.deepEqual(missing, [], "folders without mod.ts");
  const loose = libFiles().filter((f) => f !== "lib/mod.ts" && folderOf(f) === null);
  assert.deepEqual(loose, [], "lib/ modules outside a step folder");
  const composites = Object.keys(COMPOSITES).filter((f) => !libFiles().includes(f));
  assert.deepEqual(composites, [], "COMPOSITES names files that do not exist");
});

Deno.test("architecture: doors and lib/mod.ts name what they export (no export *)", () => {
  const doors = libFiles().filter(isDoor);
  const star = doors.filter((f) => /^\s*export\s*\*/m.test(Deno.readTextFileSync(join(ROOT, f))));
  assert.deepEqual(star, []);
});

Deno.test(`architecture: no lib module is over ${MAX_LINES} lines`, () => {
  const long = libFiles().map((f) => ({
    f,
    lines: Deno.readTextFileSync(join(ROOT, f)).split("\n").length - 1,
  })).filter((x) => x.lines > MAX_LINES).map((x) => `${x.f}: ${x.lines} lines`);
  assert.deepEqual(long, []);
});

/** Export names of each door and of lib/mod.ts, from `deno doc --json`. */
async function exportsOf(files: string[]): Promise<Map<string, string[]>> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...files],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr).slice(0, 2000));
  const doc = JSON.parse(new TextDecoder().decode(r.stdout)) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  };
  return new Map(
    Object.entries(doc.nodes).map((
      [url, n],
    ) => [relative(ROOT, fileURLToPath(url)), n.symbols.map((s) => s.name).sort()]),
  );
}

Deno.test("architecture: lib/mod.ts re-exports each door whole, and the README's API at a glance lists exactly lib/mod.ts", async () => {
  const doors = libFiles().filter(isDoor);
  const exported = await exportsOf(doors);
  const surface = exported.get("lib/mod.ts") ?? [];
  const fromDoors = [...exported].filter(([f]) => f !== "lib/mod.ts").flatMap(([, n]) => n).sort();
  assert.deepEqual(surface, fromDoors, "lib/mod.ts vs the union of the doors");

  const readme = Deno.readTextFileSync(join(ROOT, "README.md"));
  const start = readme.indexOf("## The API at a glance");
  assert.ok(start >= 0, "README has no 'The API at a glance' section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  // The list items (and their wrapped lines) name the API; the prose around them is free.
  const items = section.split("\n").filter((l) => l.startsWith("- ") || l.startsWith("  "))
    .join("\n");
  const listed = [...new Set([...items.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]))].sort();
  assert.deepEqual(
    {
      missing: surface.filter((n) => !listed.includes(n)),
      unknown: listed.filter((n) => !surface.includes(n)),
    },
    { missing: [], unknown: [] },
  );
});
