/**
 * `deno task bench`: one table of speed and memory figures, every row measured in this run
 * (median of several repetitions after a warm-up), with ratios to the fastest peer where a
 * row has peers. Also written to bench/results.json (git-ignored) for comparing changes.
 *
 * Ends with issue 21's targets, each measured in this run as a ratio and marked met or NOT met.
 *
 * Usage: `deno task bench [--quick] [--reps N] [--no-tfjs] [--only training,mnist,fused,...]`
 * (`--no-tfjs` leaves out tfjs's own `fit` rows; each section's rows are also printed to stderr
 * as it ends, so a run cut short keeps what it measured).
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "./paths.ts";
import { type BenchRow, median, peakRss, resetPeak } from "./common.ts";
import { removeDataFiles } from "./runs.ts";

const HERE = dirname(fromFileUrl(import.meta.url));
const quick = Deno.args.includes("--quick");
const noTfjs = Deno.args.includes("--no-tfjs");
const onlyAt = Deno.args.indexOf("--only");
const only = onlyAt >= 0 ? Deno.args[onlyAt + 1].split(",") : undefined;
const repsAt = Deno.args.indexOf("--reps");
const reps = repsAt >= 0 ? Number(Deno.args[repsAt + 1]) : undefined;

/** Modules contributing rows: each exports `bench(options): Promise<BenchRow[]>`. */
const SECTIONS = ["training", "mnist", "fused", "backend", "visualize", "explain"];
if (only) {
  const unknown = only.filter((s) => !SECTIONS.includes(s));
  if (unknown.length) {
    throw new Error(`bench --only: unknown section ${unknown.join(", ")}; ${SECTIONS.join(", ")}`);
  }
}

function ratio(r: BenchRow, fastestPeer: Map<string, number>): string {
  const best = fastestPeer.get(r.group);
  return best && r.unit === "us/step" && Number.isFinite(r.value)
    ? `${(r.value / best).toFixed(2)}x`
    : "";
}

function formatValue(r: BenchRow): string {
  if (!Number.isFinite(r.value)) return "n/a";
  return r.value >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3);
}

/**
 * The table, readable in 120 columns: one heading line per group, then its rows (row,
 * value, unit, vs fastest peer, target); a note goes on its own indented line.
 */
function table(rows: BenchRow[]): string {
  const fastestPeer = new Map<string, number>();
  for (const r of rows) {
    if (r.peer && r.unit === "us/step" && Number.isFinite(r.value)) {
      fastestPeer.set(r.group, Math.min(fastestPeer.get(r.group) ?? Infinity, r.value));
    }
  }
  const met = (r: BenchRow) => r.met === undefined ? "" : r.met ? "met" : "NOT met";
  const cells = rows.map((
    r,
  ) => [r.name, formatValue(r), r.unit, ratio(r, fastestPeer), r.target ?? "", met(r)]);
  const header = ["row", "value", "unit", "vs peer", "target", "met"];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c].length)));
  widths[0] = Math.min(widths[0], 120 - 2 * 5 - widths.slice(1).reduce((a, b) => a + b, 0));
  const line = (r: string[]) =>
    r.map((s, c) => {
      const cell = s.length > widths[c] ? `${s.slice(0, widths[c] - 1)}~` : s;
      return c === 1 || c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]);
    }).join("  ").trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  let group = "";
  rows.forEach((r, i) => {
    if (r.group !== group) {
      group = r.group;
      out.push(`[${group}]`);
    }
    out.push(line(cells[i]));
    if (r.note) out.push(`    note: ${r.note}`.slice(0, 120));
  });
  return out.join("\n");
}

/** Issue 21's figures, gathered at the end: every row that says whether its target is met. */
function targets(rows: BenchRow[]): BenchRow[] {
  return rows.filter((r) => r.met !== undefined).map((r) => ({
    ...r,
    group: "issue 21 targets (ratios measured in this run; the machine is shared and noisy)",
    name: `${r.group.split(":")[0]}: ${r.name}`,
    note: undefined,
  }));
}

const started = performance.now();
const rows: BenchRow[] = [];
// The data files go with the run, also when it is interrupted.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    removeDataFiles();
    Deno.exit(130);
  });
}
try {
  await runSections();
} finally {
  removeDataFiles();
}

async function runSections() {
  for (const section of SECTIONS) {
    if (only && !only.includes(section)) continue;
    const file = join(HERE, `${section}_bench.ts`);
    try {
      Deno.statSync(file);
    } catch {
      continue;
    }
    console.error(`[bench] ${section} ...`);
    resetPeak();
    const mod = await import(`./${section}_bench.ts`);
    const got: BenchRow[] = await mod.bench({ quick, reps, noTfjs });
    const peak = {
      group: section,
      name: "peak memory (rss)",
      value: peakRss() / 2 ** 20,
      unit: "MiB",
    };
    rows.push(...got, peak);
    console.error(table([...got, peak]));
  }
}

rows.push(...targets(rows));
console.log(table(rows));
console.error(`[bench] took ${((performance.now() - started) / 60_000).toFixed(1)} min`);
const out = join(HERE, "results.json");
Deno.writeTextFileSync(
  out,
  JSON.stringify({ date: new Date().toISOString(), deno: Deno.version.deno, rows }, null, 2),
);
console.error(`[bench] wrote ${out}`);
export { median };
