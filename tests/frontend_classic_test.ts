// The notebooks as a learner runs them: the classic notebook in Chromium, Run All, then the DOM.
import { assertReports, frontendStatus, runFrontend } from "./frontend_asserts.ts";

const status = frontendStatus("classic");
// On CI the classic notebook must run (.ci/run installs it from Debian).
const required = Deno.env.get("CI") === "true";

Deno.test({
  name: status.run || required
    ? "frontend classic: Run All on every notebook shows every output, no error, live training in place"
    : `frontend classic: SKIPPED (${status.why})`,
  ignore: !status.run && !required,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    if (!status.run) throw new Error(`classic cannot run: ${status.why}`);
    console.log("[classic] running: the classic notebook");
    assertReports("classic", await runFrontend("classic"));
  },
});
