/**
 * Installs what running the notebooks needs, saying what it does: Jupyter's nbconvert and
 * nbclient, the `deno` kernelspec pointing at this Deno, and the npm dependencies (cached
 * up front so the kernel never prints download progress into a notebook).
 *
 * Usage: `deno run -A tools/setup.ts [--browser]` (`--browser` also installs Chromium and the
 * frontends the browser tests drive: Debian's classic notebook, and JupyterLab 4 with pip into a
 * venv of its own).
 *
 * @module
 */
import { python, ROOT } from "./jupyter.ts";
import { findFrontend, jupyterLabVenv } from "./frontends.ts";

const say = (msg: string) => console.log(`[setup] ${msg}`);

async function run(cmd: string, args: string[], quiet = false): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdout: quiet ? "null" : "inherit",
      stderr: quiet ? "null" : "inherit",
      stdin: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

const isRoot = () => Deno.uid?.() === 0;
const hasApt = () => {
  try {
    return Deno.statSync("/usr/bin/apt-get").isFile;
  } catch {
    return false;
  }
};

let aptUpdated = false;
async function aptInstall(packages: string[]): Promise<boolean> {
  if (!aptUpdated) {
    say("apt-get update");
    aptUpdated = await run("apt-get", ["update", "-q"], true);
  }
  say(`apt-get install -y ${packages.join(" ")}`);
  return await run(
    "apt-get",
    ["install", "-y", "-q", "--no-install-recommends", ...packages],
    true,
  );
}

async function ensureJupyter(): Promise<void> {
  const check = () => run(python(), ["-c", "import nbclient, nbconvert, jupyter_client"], true);
  if (await check()) return say("Jupyter nbconvert/nbclient: present");
  const debs = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client"];
  if (isRoot() && hasApt()) {
    say("Jupyter nbconvert/nbclient missing: installing Debian packages");
    await aptInstall(debs);
  } else if (await run(python(), ["-m", "pip", "--version"], true)) {
    say("Jupyter nbconvert/nbclient missing: pip install --user nbclient nbconvert");
    await run(python(), ["-m", "pip", "install", "--user", "-q", "nbclient", "nbconvert"]);
  }
  if (!(await check())) {
    throw new Error(
      "Jupyter's nbconvert and nbclient are needed to run the notebooks. Install them with:\n" +
        `  sudo apt-get install -y ${debs.join(" ")}\n` +
        "or: python3 -m pip install --user nbclient nbconvert",
    );
  }
}

/** The kernelspec must start this Deno (>= 2.9: older kernels drop cell errors). */
async function ensureKernelspec(): Promise<void> {
  const home = Deno.env.get("HOME") ?? "/root";
  const dataDir = Deno.env.get("JUPYTER_DATA_DIR") ?? `${home}/.local/share/jupyter`;
  let current = "";
  try {
    const spec = JSON.parse(Deno.readTextFileSync(`${dataDir}/kernels/deno/kernel.json`));
    current = spec.argv?.[0] ?? "";
  } catch { /* not installed */ }
  if (current === Deno.execPath()) return say(`deno kernelspec: present (${current})`);
  say(`registering the deno kernelspec for ${Deno.execPath()} (deno jupyter --install --force)`);
  if (!(await run(Deno.execPath(), ["jupyter", "--install", "--force"], true))) {
    throw new Error("`deno jupyter --install --force` failed");
  }
}

async function ensureDependencies(): Promise<void> {
  say("caching npm dependencies (deno install)");
  const ok = await new Deno.Command(Deno.execPath(), {
    args: ["install", "--quiet"],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!ok.success) throw new Error(`deno install failed:\n${new TextDecoder().decode(ok.stderr)}`);
}

async function ensureChromium(): Promise<void> {
  const path = "/usr/bin/chromium";
  try {
    if (Deno.statSync(path).isFile) return say(`chromium: present (${path})`);
  } catch { /* missing */ }
  if (isRoot() && hasApt()) {
    say("chromium missing: installing Debian package chromium");
    await aptInstall(["chromium"]);
  }
  try {
    Deno.statSync(path);
  } catch {
    say(
      "chromium not available: browser checks will be skipped (install: apt-get install chromium)",
    );
  }
}

async function ensureClassicNotebook(): Promise<void> {
  if (!("missing" in findFrontend("classic"))) return say("classic notebook: present");
  if (isRoot() && hasApt()) {
    say("classic notebook missing: installing Debian package jupyter-notebook");
    await aptInstall(["jupyter-notebook"]);
  }
  const found = findFrontend("classic");
  if ("missing" in found) say(`${found.missing}: its browser test will be skipped`);
}

/** JupyterLab 4 into its own venv with pip (once; a lock keeps parallel setups apart). */
async function ensureJupyterLab(): Promise<void> {
  if (!("missing" in findFrontend("jupyterlab"))) return say("JupyterLab: present");
  const venv = jupyterLabVenv();
  const lock = `${venv}.lock`;
  Deno.mkdirSync(`${venv}/..`, { recursive: true });
  try {
    // A lock left by a setup that died (older than 15 minutes) does not count.
    const age = Date.now() - (Deno.statSync(lock).mtime?.getTime() ?? 0);
    if (age > 15 * 60_000) Deno.removeSync(lock);
  } catch { /* no lock */ }
  try {
    Deno.writeTextFileSync(lock, String(Deno.pid), { createNew: true });
  } catch {
    return say(`JupyterLab: another setup is installing it (${lock}); its browser test may skip`);
  }
  try {
    say(`JupyterLab missing: python3 -m venv ${venv}; pip install --retries 0 jupyterlab`);
    await Deno.remove(venv, { recursive: true }).catch(() => {});
    const venvWith = (py: string) => run(py, ["-m", "venv", venv], true);
    let made = await venvWith("python3") || await venvWith("/usr/bin/python3");
    if (!made && isRoot() && hasApt()) {
      say("python3 -m venv failed: installing Debian package python3-venv");
      await aptInstall(["python3-venv"]);
      made = await venvWith("/usr/bin/python3");
    }
    const ok = made &&
      await run(`${venv}/bin/pip`, ["install", "-q", "--retries", "0", "jupyterlab"], true);
    if (ok) Deno.writeTextFileSync(`${venv}/.dlnb-ok`, "");
    else say("JupyterLab: pip could not install it here; its browser test will be skipped");
  } finally {
    Deno.removeSync(lock);
  }
}

if (import.meta.main) {
  await ensureDependencies();
  await ensureJupyter();
  await ensureKernelspec();
  if (Deno.args.includes("--browser")) {
    await ensureChromium();
    await ensureClassicNotebook();
    await ensureJupyterLab();
  }
}
