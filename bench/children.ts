/**
 * The bench figures measured in a fresh Deno process: peak memory of a run against its data +
 * model (memory_train.ts), and the article run's first call against warm ones (cold_train.ts).
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "./paths.ts";
import { type BenchRow, median } from "./common.ts";
import { dataModelBytes, type Run } from "./runs.ts";

const HERE = dirname(fromFileUrl(import.meta.url));
const MiB = 2 ** 20;

async function child(args: string[]): Promise<{ out?: unknown; error?: string }> {
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...args],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    if (!out.success || !text) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" ");
      return { error: `child failed: ${err.slice(0, 160)}` };
    }
    return { out: JSON.parse(text.split("\n").at(-1)!) };
  } catch (e) {
    return { error: `child not run: ${(e as Error).message}` };
  }
}

/**
 * Rows of the peak memory of one `train` of run `r` (data files in `dir`) in a fresh process:
 * the high-water mark above the process holding the data (issue 21's measure), data + model as
 * float32, and their ratio.
 */
export async function memoryRows(r: Run, dir: string): Promise<BenchRow[]> {
  const { data, model } = dataModelBytes(r);
  const got = await child([join(HERE, "memory_train.ts"), r.key, dir]);
  const p = got.out as { bare: number; base: number; peak: number; engine: string } | undefined;
  const above = p ? p.peak - p.base : NaN;
  const ratio = above / (data + model);
  return [
    {
      group: r.group,
      name: `lib train: peak RSS growth, fresh process (${p?.engine ?? "?"}, VmHWM)`,
      value: above / MiB,
      unit: "MiB",
      note: got.error ??
        `above the process holding the data (one float32 buffer, trained on row views); ` +
          `above the bare process: ${((p!.peak - p!.bare) / MiB).toFixed(0)} MiB`,
    },
    {
      group: r.group,
      name: "data + model as float32 (x, y, weights, Adam)",
      value: (data + model) / MiB,
      unit: "MiB",
      note: `data ${(data / MiB).toFixed(1)} MiB, model ${(model / MiB).toFixed(1)} MiB`,
    },
    {
      group: r.group,
      name: "peak memory / (data + model)",
      value: ratio,
      unit: "x",
      target: "<= 1.5x",
      met: ratio <= 1.5,
    },
  ];
}

/** The article run's first `train` in a fresh process, and the median of warm ones after it. */
export async function coldStart(): Promise<{ first: number; warm: number } | string> {
  const got = await child([join(HERE, "cold_train.ts"), "5"]);
  const p = got.out as { first: number; warm: number[] } | undefined;
  return p ? { first: p.first, warm: median(p.warm) } : got.error!;
}
