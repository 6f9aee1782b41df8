// The notebooks as a learner runs them: JupyterLab 4 (dark theme) in Chromium, Run All, then the DOM.
import { assertReports, frontendStatus, runFrontend } from "./frontend_asserts.ts";

const status = frontendStatus("jupyterlab");
// On CI the classic notebook must run (.ci/run installs it from Debian).
const required = false;

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
