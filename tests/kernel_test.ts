// The live kernel survives the lib's errors: a failing cell reports one clear line and the
// notebook goes on in the same kernel.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cellText,
  executeNotebook,
  makeNotebook,
  type NotebookOutput,
  problems,
  python,
  ROOT,
  writeNotebook,
} from "../tools/jupyter.ts";

async function withNotebook(
  cells: { code: string }[],
  fn: (path: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ dir: join(ROOT, "tests"), prefix: ".nb-" });
  try {
    const path = join(dir, "kernel.ipynb");
    writeNotebook(path, makeNotebook(cells));
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("kernel: a lib error is one line naming the problem, and later cells still run", async () => {
  await withNotebook([
    {
      code:
        `import { deepNN, explain, summary } from "../../lib/mod.ts";\nconst model = deepNN({ features: 3, seed: 1 });`,
    },
    { code: `explain(model, { instance: [1, 2], background: [[1, 2, 3]] })` },
    { code: `deepNN({ features: 0 })` },
    { code: `summary(model)` },
  ], async (path) => {
    const nb = await executeNotebook(path, { allowErrors: true });
    const errors = nb.cells.flatMap((c) =>
      (c.outputs ?? []).filter((o) => o.output_type === "error")
    ) as NotebookOutput[];
    assert.equal(errors.length, 2);
    assert.equal(errors[0].ename, "ArgumentError");
    assert.equal(
      errors[0].evalue,
      "explain: instance must be 3 numbers (one per model input feature), got an array of length 2",
    );
    assert.equal(errors[1].evalue, "deepNN: features must be a positive integer, got 0");
    for (const e of errors) {
      // The message, then only the user's own line: no lib internals, no tfjs stack.
      assert.equal(e.traceback!.length, 2, e.traceback!.join("\n"));
      assert.doesNotMatch(e.traceback!.join("\n"), /node_modules|lib\/|tfjs/);
    }
    assert.match(cellText(nb.cells[3]), /Total params: 13 /);
    assert.equal(problems(nb).length, 2);
  });
});

for (const engine of ["fused", "tfjs"]) {
  Deno.test(`kernel: interrupting a long train() (${engine} engine) stops it at the next epoch; the next cell runs`, async () => {
    // nbclient cannot interrupt, so a jupyter_client driver does: it starts a 100,000-epoch
    // run, interrupts once progress shows, and runs one more cell in the same kernel.
    const run = await new Deno.Command(python(), {
      args: [join(ROOT, "tests", "interrupt_kernel.py"), ROOT, "train", engine],
      stdout: "piped",
      stderr: "null",
    }).output();
    const report = JSON.parse(new TextDecoder().decode(run.stdout));
    assert.equal(report.interrupted, true, JSON.stringify(report));
    assert.equal(report.idle_after_interrupt, true, "the cell ends after the interrupt");
    assert.ok(report.seconds_to_stop < 10, `stopped in ${report.seconds_to_stop} s`);
    assert.equal(report.error, undefined, "stopping is not an error");
    const next = report.next_cell.map((o: { text: string }) => o.text).join("");
    assert.match(next, /interrupted after epoch (\d+)\/100000 \| epochs run: \1/);
    // The live display says why once: "stopped: interrupted after epoch ...", not "stopped: Stopped:".
    assert.match(
      report.last_frame,
      /\nstopped: interrupted after epoch \d+\/100000; the model keeps/,
    );
    assert.doesNotMatch(report.last_frame, /stopped: stopped/i);
  });
}

Deno.test("kernel: interrupting a timer await, a busy loop, explain() or an idle kernel never kills it", async () => {
  // Deno's kernel exits on SIGINT unless a listener is installed (denoland/deno#24491); the lib
  // installs a permanent no-op one when it loads. Each interrupt is followed by a cell that reads
  // a variable set before: same process, same state.
  const run = await new Deno.Command(python(), {
    args: [join(ROOT, "tests", "interrupt_kernel.py"), ROOT, "survive"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const report = JSON.parse(new TextDecoder().decode(run.stdout));
  const pid = String(report.setup).match(/pid (\d+)/)?.[1];
  assert.ok(pid, JSON.stringify(report));
  for (const name of ["timer", "busy_loop", "explain", "idle"]) {
    const entry = report[name];
    assert.equal(entry.alive, true, `${name}: the kernel died: ${JSON.stringify(entry)}`);
    assert.match(entry.next_cell, new RegExp(`pid ${pid}, kept 42`), name);
    if (entry.cell) {
      assert.ok(!entry.cell.some((o: { type: string }) => o.type === "timeout"), name);
      assert.ok(!entry.cell.some((o: { type: string }) => o.type === "error"), name);
    }
  }
  // The cells ran on past the interrupt (Deno cannot abort a cell), so each was surely interrupted
  // while running.
  assert.ok(report.timer.seconds >= 2.5, JSON.stringify(report.timer));
  assert.ok(report.busy_loop.seconds >= 2.5, JSON.stringify(report.busy_loop));
  assert.ok(report.explain.seconds >= 1, JSON.stringify(report.explain));
  assert.match(report.explain.cell.map((o: { text: string }) => o.text).join(""), /30/);
});

Deno.test("kernel: Run All placement tracker (queued cells; misplacement is upstream, reported)", async () => {
  // Every cell queued at once, as frontends do on Run All, against a raw kernel: each cell prints,
  // displays (awaited) and returns a text naming it. Deno's kernel sometimes sends a cell's result
  // or display with the next request's header; that is reported here, not failed on (README,
  // "Known issues"). What must hold: every output arrives, exactly once.
  const cells = 15, rounds = 3;
  const run = await new Deno.Command(python(), {
    args: [join(ROOT, "tests", "run_all_placement.py"), ROOT, String(cells), String(rounds)],
    stdout: "piped",
    stderr: "null",
  }).output();
  const report = JSON.parse(new TextDecoder().decode(run.stdout));
  assert.equal(report.missing, 0, JSON.stringify(report));
  assert.equal(report.outputs, 3 * cells * rounds, "each print, display and result once");
  const rate = (100 * report.misplaced.length / report.outputs).toFixed(1);
  console.log(
    `Run All placement: ${report.misplaced.length} of ${report.outputs} outputs under the next ` +
      `cell (${rate}%)${report.misplaced.length ? `, e.g. ${report.misplaced[0]}` : ""}`,
  );
});
