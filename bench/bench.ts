/**
 * `deno task bench`: one table of speed and memory figures, every row measured in this run
 * (median of several repetitions after a warm-up), with ratios to the fastest peer where a
 * row has peers. Also written to bench/results.json (git-ignored) for comparing changes.
 *
 * Usage: `deno task bench [--quick] [--only training,visualize,explain]`
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "./paths.ts";
import { type BenchRow, median, peakRss, resetPeak } from "./common.ts";

const HERE = dirname(fromFileUrl(import.meta.url));
const quick = Deno.args.includes("--quick");
const onlyAt = Deno.args.indexOf("--only");
const only = onlyAt >= 0 ? Deno.args[onlyAt + 1].split(",") : undefined;

/** Modules contributing rows: each exports `bench(options): Promise<BenchRow[]>`. */
const SECTIONS = ["training", "fused", "backend", "visualize", "explain"];

function ratioColumn(rows: BenchRow[]): (string | number)[][] {
  const fastestPeer = new Map<string, number>();
  for (const r of rows) {
    if (r.peer && r.unit === "us/step") {
      fastestPeer.set(r.group, Math.min(fastestPeer.get(r.group) ?? Infinity, r.value));
    }
  }
  return rows.map((r) => {
    const best = fastestPeer.get(r.group);
    const ratio = best && r.unit === "us/step" && Number.isFinite(r.value)
      ? `${(r.value / best).toFixed(2)}x`
      : "";
    const value = Number.isFinite(r.value)
      ? (r.value >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3))
      : r.note ?? "n/a";
    return [
      r.group,
      r.name,
      value,
      r.unit,
      ratio,
      r.target ?? "",
      r.note && Number.isFinite(r.value) ? r.note : "",
    ];
  });
}

function table(rows: (string | number)[][], header: string[]): string {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((s, c) => (c === 2 || c === 4 ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join("  ");
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)]
    .join("\n");
}

const rows: BenchRow[] = [];
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
  const got: BenchRow[] = await mod.bench({ quick });
  rows.push(...got, {
    group: section,
    name: "peak memory (rss)",
    value: peakRss() / 2 ** 20,
    unit: "MiB",
  });
}

const header = ["group", "row", "value", "unit", "vs fastest peer", "target", "note"];
console.log(table(ratioColumn(rows), header));
const out = join(HERE, "results.json");
Deno.writeTextFileSync(
  out,
  JSON.stringify({ date: new Date().toISOString(), deno: Deno.version.deno, rows }, null, 2),
);
console.error(`[bench] wrote ${out}`);
export { median };
