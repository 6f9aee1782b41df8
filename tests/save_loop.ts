/**
 * A helper process for tests/model_io_test.ts: saves two different models into one folder, in
 * turn, forever (or `count` times), printing "saved" after each save. The test loads the
 * folder while it saves, or (with `killAt`) has it kill itself with SIGKILL just before file
 * step `killAt` of its second save: every moment between two file steps, one run each.
 *
 * Usage: deno run -A tests/save_loop.ts DIR [count] [killAt]
 */
import { deepNN } from "../lib/build/models.ts";
import { saveModel } from "../lib/save/model_io.ts";

const [dir, count, killAt] = Deno.args;
// Sized as the article's rule sizes them, without its warning about the one-unit layer.
const models = [
  deepNN({ features: 3, hidden: [2, 1], seed: 1 }),
  deepNN({ features: 5, hidden: [3, 2], seed: 2 }),
];
const encoder = new TextEncoder();
const limit = count === undefined ? Infinity : Number(count);

/** Counts the file steps a save takes (the async calls that change files or their state). */
let step = -1; // -1: not counting (the first save)
function beforeStep(name: string): void {
  if (step < 0) return;
  if (step === Number(killAt)) {
    Deno.stderr.writeSync(encoder.encode(`killed before step ${step}: ${name}\n`));
    Deno.kill(Deno.pid, "SIGKILL");
  }
  step++;
}
if (killAt !== undefined) {
  const deno = Deno as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ["open", "mkdir", "rename", "remove"]) {
    const real = deno[name];
    deno[name] = (...args: unknown[]) => (beforeStep(name), real(...args));
  }
  const file = Deno.FsFile.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ["write", "syncData", "sync", "lock", "unlock"]) {
    const real = file[name];
    file[name] = function (this: unknown, ...args: unknown[]) {
      beforeStep(`file.${name}`);
      return real.apply(this, args);
    };
  }
}

for (let i = 0; i < limit; i++) {
  await saveModel(models[i % 2], dir);
  await Deno.stdout.write(encoder.encode("saved\n"));
  if (i === 0 && killAt !== undefined) step = 0;
}
