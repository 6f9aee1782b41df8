/**
 * Installs what running the notebooks needs, saying what it does: Jupyter's nbconvert and
 * nbclient, a `deno` kernelspec when there is none that starts (an existing one is left alone),
 * and the npm dependencies (cached up front so the kernel never prints download progress into a
 * notebook).
 *
 * Usage: `deno run -A tools/setup.ts [--browser | --kernelspec]` (`--browser` also installs
 * Chromium and the frontends the browser tests drive: Debian's classic notebook, and JupyterLab 4
 * with pip into a venv of its own; `--kernelspec` does only the kernelspec step).
 *
 * @module
 */
import { python, ROOT } from "./jupyter.ts";
import { dirname } from "node:path";
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

/** Where Jupyter finds a `deno` kernelspec, and the folder where a user's own kernelspecs go. */
async function kernelspecDirs(
  env: Record<string, string>,
): Promise<{ found?: string; user: string }> {
  const code = "import json; from jupyter_client.kernelspec import KernelSpecManager as M; " +
    "from jupyter_core.paths import jupyter_data_dir as d; " +
    "print(json.dumps([M().find_kernel_specs().get('deno'), d()]))";
  const out = await new Deno.Command(python(), {
    args: ["-c", code],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      "finding kernelspecs needs Jupyter's jupyter_client (run `deno run -A tools/setup.ts`):\n" +
        new TextDecoder().decode(out.stderr).trim().split("\n").at(-1),
    );
  }
  const [found, data] = JSON.parse(new TextDecoder().decode(out.stdout)) as [string | null, string];
  return { found: found ?? undefined, user: `${data}/kernels/deno` };
}

/** `deno --version`'s first line if `path` starts, else undefined. */
async function denoVersion(path: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(path, {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).split(" (")[0].trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Paths that a cache cleaner may remove: npx's package cache (`npx -y deno@...` runs from it). */
const inCache = (path: string) => /\/_npx\/|\/\.cache\//.test(path);

/**
 * A Deno for a kernelspec to start that stays put: this Deno when it is installed somewhere stable,
 * else `~/.deno/bin/deno` (where Deno's own installer puts it), copied from this one if absent.
 */
async function stableDeno(home: string): Promise<string> {
  const self = Deno.execPath();
  if (!inCache(Deno.realPathSync(self))) return self;
  const target = `${home}/.deno/bin/deno`;
  let exists = false;
  try {
    exists = Deno.statSync(target).isFile;
  } catch { /* absent */ }
  if (exists) {
    const version = await denoVersion(target);
    if (version) {
      say(`using the Deno already at ${target} (${version})`);
      return target;
    }
    throw new Error(`${target} exists but does not start; fix or remove it, then run setup again`);
  }
  Deno.mkdirSync(`${home}/.deno/bin`, { recursive: true });
  const tmp = `${target}.setup-${Deno.pid}`;
  Deno.copyFileSync(self, tmp);
  Deno.chmodSync(tmp, 0o755);
  Deno.renameSync(tmp, target);
  say(`copied this Deno (${Deno.version.deno}) out of npx's cache to ${target}`);
  return target;
}

/**
 * Leaves a `deno` kernelspec that starts alone (whatever Deno it points at); registers one only
 * when none exists or the existing one cannot start. `deno jupyter --install` is not used: it
 * ignores JUPYTER_DATA_DIR and overwrites with `--force`. Returns what it did.
 */
export async function ensureKernelspec(
  env: Record<string, string> = Deno.env.toObject(),
): Promise<"kept" | "registered" | "replaced"> {
  const { found, user } = await kernelspecDirs(env);
  let broken = "";
  if (found) {
    let argv0 = "";
    try {
      argv0 = JSON.parse(Deno.readTextFileSync(`${found}/kernel.json`)).argv?.[0] ?? "";
    } catch { /* unreadable: treated as broken */ }
    const version = argv0 ? await denoVersion(argv0) : undefined;
    if (version) {
      const old = /^deno (\d+)\.(\d+)/.exec(version);
      const note = old && (+old[1] < 2 || (+old[1] === 2 && +old[2] < 9))
        ? "; Deno >= 2.9 is needed for cell errors to show, update that Deno"
        : "";
      say(`deno kernelspec: kept ${found} (starts ${argv0}, ${version})${note}`);
      return "kept";
    }
    broken = `${found}/kernel.json cannot start ${JSON.stringify(argv0)}`;
  }
  const deno = await stableDeno(env.HOME ?? Deno.env.get("HOME") ?? "/root");
  const spec = {
    argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
  };
  Deno.mkdirSync(user, { recursive: true });
  const file = `${user}/kernel.json`;
  if (broken && found === user) {
    // Not ours to delete: the old file stays beside the new one.
    Deno.renameSync(file, `${file}.broken`);
  }
  Deno.writeTextFileSync(`${file}.tmp`, JSON.stringify(spec, null, 2) + "\n");
  Deno.renameSync(`${file}.tmp`, file);
  if (broken) {
    const kept = found === user ? ` (old file kept as ${file}.broken)` : "";
    say(`deno kernelspec: ${broken}; registered ${file} for ${deno}${kept}`);
    return "replaced";
  }
  say(`deno kernelspec: none found; registered ${file} for ${deno}`);
  return "registered";
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

/** Helvetica/Arial-compatible fonts: the layout check draws every figure with them and DejaVu. */
async function ensureLiberationFonts(): Promise<void> {
  const font = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf";
  const present = () => {
    try {
      return Deno.statSync(font).isFile;
    } catch {
      return false;
    }
  };
  if (present()) return say("fonts-liberation2: present");
  if (isRoot() && hasApt()) {
    say("fonts-liberation2 missing: installing Debian package fonts-liberation2");
    await aptInstall(["fonts-liberation2"]);
  }
  if (!present()) say("fonts-liberation2 not available: the layout check will say so and fail");
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

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes a venv of our own at `venv` (once) and runs `install` in it, under a lock that keeps
 * parallel setups apart; `.dlnb-ok` is written once `install` succeeds. Returns null then, else
 * why not (a sentence). Only a half-made venv of ours is cleared (a pyvenv.cfg, no .dlnb-ok);
 * anything else at that path is not ours and stays. Used for JupyterLab here and for the bench's
 * pip peers (bench/peer_venv.ts).
 */
export async function ensureVenv(
  venv: string,
  install: (venv: string) => Promise<string | null>,
): Promise<string | null> {
  const lock = `${venv}.lock`;
  Deno.mkdirSync(dirname(venv), { recursive: true });
  try {
    // A lock left by a setup that died (older than 15 minutes) does not count.
    const age = Date.now() - (Deno.statSync(lock).mtime?.getTime() ?? 0);
    if (age > 15 * 60_000) Deno.removeSync(lock);
  } catch { /* no lock */ }
  try {
    Deno.writeTextFileSync(lock, String(Deno.pid), { createNew: true });
  } catch {
    return `another setup is installing into ${venv} (${lock})`;
  }
  try {
    const made = exists(`${venv}/pyvenv.cfg`);
    if (exists(venv) && !made) return `${venv} exists and is not a venv; left alone`;
    if (made && !exists(`${venv}/.dlnb-ok`)) await Deno.remove(venv, { recursive: true });
    if (!exists(venv)) {
      const venvWith = (py: string) => run(py, ["-m", "venv", venv], true);
      let ok = await venvWith("python3") || await venvWith("/usr/bin/python3");
      if (!ok && isRoot() && hasApt()) {
        say("python3 -m venv failed: installing Debian package python3-venv");
        await aptInstall(["python3-venv"]);
        ok = await venvWith("/usr/bin/python3");
      }
      if (!ok) return `python3 -m venv ${venv} failed (apt-get install python3-venv)`;
    }
    const failed = await install(venv);
    if (!failed) Deno.writeTextFileSync(`${venv}/.dlnb-ok`, "");
    return failed;
  } finally {
    Deno.removeSync(lock);
  }
}

/** JupyterLab 4 into its own venv with pip (once). */
async function ensureJupyterLab(): Promise<void> {
  if (!("missing" in findFrontend("jupyterlab"))) return say("JupyterLab: present");
  const venv = jupyterLabVenv();
  say(`JupyterLab missing: python3 -m venv ${venv}; pip install --retries 0 jupyterlab`);
  const failed = await ensureVenv(venv, async () => {
    const ok = await run(
      `${venv}/bin/pip`,
      ["install", "-q", "--retries", "0", "jupyterlab"],
      true,
    );
    return ok ? null : "pip could not install it here";
  });
  if (failed) say(`JupyterLab: ${failed}; its browser test will be skipped`);
}

if (import.meta.main && Deno.args.includes("--kernelspec")) {
  await ensureKernelspec();
} else if (import.meta.main) {
  await ensureDependencies();
  await ensureJupyter();
  await ensureKernelspec();
  if (Deno.args.includes("--browser")) {
    await ensureChromium();
    await ensureLiberationFonts();
    await ensureClassicNotebook();
    await ensureJupyterLab();
  }
}
