// The notebooks as a learner runs them: JupyterLab 4 (dark theme) in Chromium, Run All, then the
// DOM; and the stop button during Run All.
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "../tools/jupyter.ts";
import {
  assertReports,
  frontendStatus,
  openNotebook,
  runFrontend,
  withFrontend,
} from "./frontend_asserts.ts";

const status = frontendStatus("jupyterlab");
// On CI JupyterLab must run (the test task's setup installs it with pip): not running is a failure.
const required = Deno.env.get("CI") === "true";
const skip = !status.run && !required;
const named = (what: string) =>
  status.run || required
    ? `frontend jupyterlab: ${what}`
    : `frontend jupyterlab: SKIPPED (${status.why})`;

// The notebooks Run All moved outputs in most (5 of 6 Run Alls without the launcher) get a second
// Run All in a new kernel: all seven twice would add about two minutes to the suite.
const AGAIN = ["06-explain-shap.ipynb", "07-real-data.ipynb"];

Deno.test({
  name: named(
    "Run All on every notebook (06 and 07 twice) shows every output in its cell, no error, live training in place",
  ),
  ignore: skip,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    if (!status.run) throw new Error(`jupyterlab cannot run: ${status.why}`);
    console.log("[jupyterlab] running: JupyterLab 4 (dark theme)");
    assertReports("jupyterlab", await runFrontend("jupyterlab", AGAIN));
  },
});

const NOTEBOOK = "04-training-classification.ipynb";
/** Notebook 04's first `train()` cell (code cells counted from 0). */
const TRAIN_CELL = 4;

// In the page: each code cell's prompt, output kinds (by MIME type) and text.
function codeCells(): { prompt: string; mimes: string[]; text: string }[] {
  return [...document.querySelectorAll(".jp-Notebook .jp-CodeCell")].map((cell) => ({
    prompt: (cell.querySelector(".jp-InputPrompt")?.textContent ?? "").trim(),
    mimes: [...cell.querySelectorAll(".jp-OutputArea-output")].map((o) =>
      o.getAttribute("data-mime-type") ?? ""
    ),
    text: [...cell.querySelectorAll(".jp-OutputArea-output")].map((o) => o.textContent ?? "")
      .join(""),
  }));
}

function kernelId(page: Page): Promise<string> {
  return page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.id as string
  );
}

Deno.test({
  name: named("the stop button during Run All ends train() with Interrupted and stops the queue"),
  ignore: skip,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    if (!status.run) throw new Error(`jupyterlab cannot run: ${status.why}`);
    await withFrontend("jupyterlab", [NOTEBOOK], async (page, server) => {
      // The served copy's first train() runs 100,000 epochs, so it is still running when the
      // stop button is clicked however fast the machine (100 epochs take ~50 ms).
      const copy = join(server.dir, NOTEBOOK);
      const nb = JSON.parse(await Deno.readTextFile(copy));
      const source = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code")[
        TRAIN_CELL
      ];
      const text = (source.source as string[]).join("");
      assert.match(text, /epochs: 100,/, "notebook 04's first train() runs 100 epochs");
      source.source = [text.replace("epochs: 100,", "epochs: 100000,")];
      await Deno.writeTextFile(copy, JSON.stringify(nb));
      await openNotebook(page, "jupyterlab", server, NOTEBOOK);
      const kernel = await kernelId(page);
      // Run All, not awaited (its promise settles when every cell has run).
      await page.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        void (globalThis as any).jupyterapp.commands.execute("notebook:run-all-cells");
      });
      // train() is running: its live display is on the page (and the cell is still busy).
      await page.waitForFunction(
        (cell) => {
          const c = document.querySelectorAll(".jp-Notebook .jp-CodeCell")[cell];
          return !!c?.querySelector('.jp-OutputArea-output[data-mime-type="image/svg+xml"]') &&
            (c.querySelector(".jp-InputPrompt")?.textContent ?? "").includes("*");
        },
        TRAIN_CELL,
        { timeout: 300_000, polling: 100 },
      );
      // The stop button of the notebook's toolbar, as a learner clicks it.
      // force: no wait for the toolbar to be "stable" while the cells above redraw (up to seconds
      // under load, and train() takes only a few); it is still a mouse click on the button.
      await page.click('.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"]', {
        force: true,
      });
      // Settled: the kernel idle, no cell running or queued.
      await page.waitForFunction(
        () => {
          // deno-lint-ignore no-explicit-any
          const w = (globalThis as any).jupyterapp.shell.currentWidget;
          const prompts = [
            ...document.querySelectorAll(".jp-Notebook .jp-CodeCell .jp-InputPrompt"),
          ]
            .map((p) => p.textContent ?? "");
          return w.sessionContext.session?.kernel?.status === "idle" &&
            prompts.every((p) => !p.includes("*"));
        },
        undefined,
        { timeout: 120_000, polling: 250 },
      );
      const cells = await page.evaluate(codeCells);
      const train = cells[TRAIN_CELL];
      assert.match(train.prompt, /\[\d+\]/, `the train() cell ran: ${train.prompt}`);
      assert.ok(
        train.mimes.includes("application/vnd.jupyter.stderr"),
        `the train() cell shows an error: ${JSON.stringify(train.mimes)}`,
      );
      assert.match(train.text, /Interrupted/, "the train() cell ends with Interrupted");
      assert.ok(cells.length > TRAIN_CELL + 1, "notebook 04 has cells after the first train()");
      for (const [i, cell] of cells.entries()) {
        if (i <= TRAIN_CELL) continue;
        assert.doesNotMatch(cell.prompt, /\d/, `cell ${i} did not run after the interrupt`);
        assert.deepEqual(cell.mimes, [], `cell ${i} has no outputs after the interrupt`);
      }
      // The kernel lives on (the same one, not restarted): a new cell runs in it.
      await page.evaluate(async () => {
        // deno-lint-ignore no-explicit-any
        const app = (globalThis as any).jupyterapp;
        const notebook = app.shell.currentWidget.content;
        notebook.activeCellIndex = notebook.widgets.length - 1;
        await app.commands.execute("notebook:insert-cell-below");
        notebook.activeCell.model.sharedModel.setSource("1 + 1");
        await app.commands.execute("notebook:run-cell");
      });
      await page.waitForFunction(
        () => {
          const cells = document.querySelectorAll(".jp-Notebook .jp-CodeCell");
          const last = cells[cells.length - 1];
          return /\[\d+\]/.test(last?.querySelector(".jp-InputPrompt")?.textContent ?? "");
        },
        undefined,
        { timeout: 60_000, polling: 250 },
      );
      const last = (await page.evaluate(codeCells)).at(-1)!;
      assert.deepEqual(last.mimes, ["text/plain"], "1 + 1 shows one result");
      assert.equal(last.text.trim(), "2");
      assert.equal(await kernelId(page), kernel, "the same kernel, not a restarted one");
      const shots = join(ROOT, "site", "screenshots", "jupyterlab");
      await Deno.mkdir(shots, { recursive: true });
      // The interrupted cell and the ones that did not run after it, to look at.
      await page.evaluate(
        (cell) => document.querySelectorAll(".jp-Notebook .jp-CodeCell")[cell].scrollIntoView(),
        TRAIN_CELL,
      );
      await page.screenshot({ path: join(shots, "interrupt-04.png") });
    });
  },
});
