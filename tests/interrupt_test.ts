// A script's Ctrl+C during train(): real SIGINTs sent to a child Deno, each sent when the child
// has printed the line that shows it is where the test wants it (events, not sleeps).
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../tools/jupyter.ts";

const SCRIPT = `
import { deepNN, randomData, train } from ${
  JSON.stringify(pathToFileURL(join(ROOT, "lib/mod.ts")).href)
};
const [engine, mode] = Deno.args;
let heard = 0;
if (mode === "listener") {
  // The user's own listener: it must still run, and it decides what a later Ctrl+C does.
  Deno.addSignalListener("SIGINT", () => {
    console.log(\`user listener \${++heard}\`);
    if (heard === 2) Deno.exit(7);
  });
}
const data = randomData({ rows: 3000, features: 10, seed: 1 });
const model = deepNN({ features: 10, seed: 1 });
model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
let training = false, ticks = 0;
const timer = setInterval(() => {
  if (training && ++ticks === 1) console.log("tick during train");
}, 10);
training = true;
const history = await train(model, data.x, data.y, { epochs: 100000, seed: 1, engine, live: false });
training = false;
clearInterval(timer);
console.log(\`returned: \${history.stopped} | epochs \${history.epoch.length}\`);
console.log("waiting");
await new Promise((resolve) => setTimeout(resolve, 600_000));
console.log("not ended");
`;

/** Runs the script, sending a SIGINT each time a line matching the next pattern is printed. */
async function interruptScript(engine: string, mode: string, sendOn: RegExp[]) {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-sigint-" });
  const file = join(dir, "train.ts");
  await Deno.writeTextFile(file, SCRIPT);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", file, engine, mode],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // A watchdog for a broken build only: no assertion depends on time.
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 180_000);
  const stderr = new Response(child.stderr).text();
  const lines: string[] = [];
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    pending += decoder.decode(chunk, { stream: true });
    const parts = pending.split("\n");
    pending = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (sendOn.length && sendOn[0].test(line)) {
        sendOn.shift();
        child.kill("SIGINT");
      }
    }
  }
  const status = await child.status;
  clearTimeout(watchdog);
  await Deno.remove(dir, { recursive: true });
  return { lines, stderr: await stderr, code: status.code, signal: status.signal };
}

for (const engine of ["fused", "tfjs"]) {
  Deno.test(`interrupt (${engine}): a script's first Ctrl+C returns train's history, the second ends it (130)`, async () => {
    const run = await interruptScript(engine, "plain", [/^tick during train$/, /^waiting$/]);
    const report = JSON.stringify(run);
    // The interval fired while train ran: the engine gives the event loop turns.
    assert.equal(run.lines[0], "tick during train", report);
    const returned = run.lines[1].match(
      /^returned: interrupted after epoch (\d+)\/100000 \| epochs (\d+)$/,
    );
    assert.ok(returned, report);
    assert.equal(returned[1], returned[2], "the history holds the epochs that finished");
    assert.match(
      run.stderr,
      new RegExp(`train: interrupted after epoch ${returned[1]}/100000 \\(Ctrl\\+C\\); returning`),
    );
    assert.deepEqual(run.lines.slice(2), ["waiting"], report);
    // The second Ctrl+C: Deno's default, the process ends as by SIGINT.
    assert.ok(run.code === 130 || run.signal === "SIGINT", report);
  });
}

Deno.test("interrupt: a script's own SIGINT listener still runs, and train stops on the first Ctrl+C", async () => {
  const run = await interruptScript("fused", "listener", [/^tick during train$/, /^waiting$/]);
  const report = JSON.stringify(run);
  assert.equal(run.lines[0], "tick during train", report);
  assert.equal(run.lines[1], "user listener 1", report);
  assert.match(
    run.lines[2],
    /^returned: interrupted after epoch (\d+)\/100000 \| epochs \1$/,
    report,
  );
  assert.deepEqual(run.lines.slice(3), ["waiting", "user listener 2"], report);
  assert.equal(run.code, 7, "after train, the user's listener decides what Ctrl+C does");
});

Deno.test("lastHistory and Interrupted: the last run's history; bad input is the lib's error", async () => {
  const { deepNN, Interrupted, lastHistory, randomData, train } = await import("../lib/mod.ts");
  const model = deepNN({ features: 10, seed: 1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  assert.equal(lastHistory(model), undefined);
  const { x, y } = randomData({ rows: 100, seed: 1 });
  const history = await train(model, x, y, { epochs: 2, seed: 1, live: false });
  assert.equal(lastHistory(model), history);
  assert.equal(history.stopped, null);
  assert.throws(() => lastHistory(null as never), /^ArgumentError: lastHistory: model must be/);
  assert.throws(() => new Interrupted({} as never), /^ArgumentError: Interrupted: history must be/);
  const error = new Interrupted(history);
  assert.equal(error.name, "Interrupted");
  assert.equal(error.history, history);
  assert.doesNotMatch(error.stack ?? "", /lib\/train/, "no lib frames in the stack");
});
