/**
 * Peak memory of one `train` of a bench run, in a fresh process (garbage of earlier runs would
 * blur it). With the lib loaded and the model built, it notes the resident set (`bare`), reads
 * the run's data files (one float32 buffer each: the data as a user holding real-sized data
 * would), notes the resident set again (`base`), resets the kernel's resident-set high-water
 * mark (`/proc/self/clear_refs`), trains on rows that are views of that buffer, and reads the
 * high-water mark (`VmHWM`): what the run held at once above a process that holds the data, at
 * the kernel's own accounting (issue 21's "peak memory / (data + model)" counts that growth).
 *
 * Usage: `deno run -A bench/memory_train.ts large|mnist <data dir>` (run by the bench). Prints
 * one JSON line: `{"bare": bytes, "base": bytes, "peak": bytes, "engine": name}`.
 *
 * @module
 */
import * as lib from "../lib/mod.ts";
import { readData, rowViews, RUNS } from "./runs.ts";
import { buildModel } from "./models.ts";

/** A field of /proc/self/status in bytes (the kernel reports kB). */
function status(field: "VmRSS" | "VmHWM"): number {
  const m = Deno.readTextFileSync("/proc/self/status").match(new RegExp(`${field}:\\s*(\\d+)`));
  if (!m) throw new Error(`bench: no ${field} in /proc/self/status`);
  return Number(m[1]) * 1024;
}

const run = RUNS[Deno.args[0] as keyof typeof RUNS];
if (!run || !Deno.args[1]) throw new Error("usage: memory_train.ts large|mnist <data dir>");
const model = buildModel(run);
const bare = status("VmRSS");
const { x, y } = readData(Deno.args[1], run);
const rows = rowViews(run, x);
const base = status("VmRSS");
// "5" resets the peak resident set to the current one (Linux >= 4.0).
Deno.writeTextFileSync("/proc/self/clear_refs", "5");
const h = await lib.train(model, rows, y, {
  batchSize: run.batch,
  epochs: run.epochs,
  validationSplit: 0,
  live: false,
  verbose: false,
  seed: 1,
});
console.log(JSON.stringify({ bare, base, peak: status("VmHWM"), engine: h.engine }));
