// The notebooks as a learner runs them: JupyterLab 4 (dark theme) in Chromium, Run All, then the DOM.
import { assertReports, frontendStatus, runFrontend } from "./frontend_asserts.ts";

const status = frontendStatus("jupyterlab");
// On CI JupyterLab must run (the test task's setup installs it with pip): not running is a failure.
const required = Deno.env.get("CI") === "true";

Deno.test({
  name: status.run || required
    ? "frontend jupyterlab: Run All on every notebook shows every output, no error, live training in place"
    : `frontend jupyterlab: SKIPPED (${status.why})`,
  ignore: !status.run && !required,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    if (!status.run) throw new Error(`jupyterlab cannot run: ${status.why}`);
    console.log("[jupyterlab] running: JupyterLab 4 (dark theme)");
    assertReports("jupyterlab", await runFrontend("jupyterlab"));
  },
});
