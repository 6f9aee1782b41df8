/**
 * A helper process for tests/io_test.ts: saves two different models into one folder, in
 * turn, forever (or `count` times), printing "saved" after each save. The test kills it with
 * SIGKILL at random moments, or loads the folder while it saves.
 *
 * Usage: deno run -A tests/save_loop.ts DIR [count]
 */
import { deepNN } from "../lib/build/models.ts";
import { saveModel } from "../lib/save/model_io.ts";

const [dir, count] = Deno.args;
const models = [deepNN({ features: 3, seed: 1 }), deepNN({ features: 5, seed: 2 })];
const encoder = new TextEncoder();
const limit = count === undefined ? Infinity : Number(count);
for (let i = 0; i < limit; i++) {
  await saveModel(models[i % 2], dir);
  await Deno.stdout.write(encoder.encode("saved\n"));
}
