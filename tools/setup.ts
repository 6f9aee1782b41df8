/**
 * Installs what running the notebooks needs, saying what it does: Jupyter's nbconvert and
 * nbclient, a `deno` kernelspec when there is none that starts (an existing one is left alone),
 * and the npm dependencies (cached up front so the kernel never prints download progress into a
 * notebook).
 *
 * Usage: `deno run -A tools/setup.ts [--browser | --kernelspec]` (`--browser` also installs
 * Chromium and the frontends the browser tests drive: Debian's classic notebook, and JupyterLab 4
 * with pip into a venv of its own; `--kernelspec` does only the kernelspec step, and with
 * `--launcher` it also gives a kernelspec the lib did not write the launcher, see
 * tools/kernel_launcher.py).
 *
 * @module
 */
import { dirname } from "node:path";
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

/** The launcher the lib's kernelspec starts (tools/kernel_launcher.py), copied beside kernel.json. */
const LAUNCHER = "kernel_launcher.py";
const launcherSource = () => Deno.readTextFileSync(`${ROOT}/tools/${LAUNCHER}`);

interface Kernelspec {
  argv?: string[];
  metadata?: { dlnb?: unknown };
}

/** The Deno a kernelspec starts: argv[0], or the launcher's `--deno` argument. */
function specDeno(spec: Kernelspec | undefined): string {
  const argv = spec?.argv ?? [];
  const i = argv.indexOf("--deno");
  return (i >= 0 ? argv[i + 1] : argv[0]) ?? "";
}

/**
 * Writes the lib's kernelspec in `dir`: the launcher (one execute request at a time, so Run All
 * keeps every output in its cell, and an interrupt or error aborts the queued cells) starting
 * `deno`. `python3` as argv[0] is replaced by Jupyter with its own Python, which has pyzmq.
 * The frontend tests write it into a private `JUPYTER_DATA_DIR` with this function.
 *
 * @example
 * ```ts ignore
 * const data = await Deno.makeTempDir();
 * writeKernelspec(`${data}/kernels/deno`, Deno.execPath());
 * // JUPYTER_DATA_DIR=data: Jupyter's "deno" kernel is now the lib's, with the launcher.
 * ```
 */
export function writeKernelspec(dir: string, deno: string): void {
  Deno.mkdirSync(dir, { recursive: true });
  const launcher = `${dir}/${LAUNCHER}`;
  const spec = {
    argv: ["python3", launcher, "--deno", deno, "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
    // Marks the spec as the lib's: a later setup may upgrade it; a user's own it never rewrites.
    metadata: { dlnb: { launcher: LAUNCHER } },
  };
  for (
    const [file, text] of [[launcher, launcherSource()], [
      `${dir}/kernel.json`,
      JSON.stringify(spec, null, 2) + "\n",
    ]]
  ) {
    Deno.writeTextFileSync(`${file}.tmp`, text);
    Deno.renameSync(`${file}.tmp`, file);
  }
}

/**
 * Leaves a `deno` kernelspec that starts alone (whatever Deno it points at); registers one only
 * when none exists or the existing one cannot start. A kernelspec the lib wrote (marked in its
 * metadata) gets the current launcher; a user's own is kept unless `upgrade` (`--launcher`) asks
 * for the launcher, and then its file is kept as `kernel.json.orig`. `deno jupyter --install`
 * is not used: it ignores JUPYTER_DATA_DIR and overwrites with `--force`. Returns what it did.
 */
export async function ensureKernelspec(
  env: Record<string, string> = Deno.env.toObject(),
  upgrade = false,
): Promise<"kept" | "registered" | "replaced" | "upgraded"> {
  const { found, user } = await kernelspecDirs(env);
  let broken = "";
  if (found) {
    let spec: Kernelspec | undefined;
    try {
      spec = JSON.parse(Deno.readTextFileSync(`${found}/kernel.json`));
    } catch { /* unreadable: treated as broken */ }
    const deno = specDeno(spec);
    const version = deno ? await denoVersion(deno) : undefined;
    if (version) {
      const ours = spec?.metadata?.dlnb !== undefined;
      let current = false;
      try {
        current = ours && Deno.readTextFileSync(`${found}/${LAUNCHER}`) === launcherSource();
      } catch { /* no launcher there */ }
      if (ours && !current) {
        writeKernelspec(found, deno);
        say(`deno kernelspec: upgraded the launcher of ${found} (starts ${deno}, ${version})`);
        return "upgraded";
      }
      if (!ours && upgrade) {
        const dir = found === user ? found : user;
        if (found === user) Deno.renameSync(`${found}/kernel.json`, `${found}/kernel.json.orig`);
        writeKernelspec(dir, deno);
        const kept = found === user ? ` (old file kept as ${found}/kernel.json.orig)` : "";
        say(`deno kernelspec: registered ${dir}/kernel.json with the launcher for ${deno}${kept}`);
        return "replaced";
      }
      const old = /^deno (\d+)\.(\d+)/.exec(version);
      const note = old && (+old[1] < 2 || (+old[1] === 2 && +old[2] < 9))
        ? "; Deno >= 2.9 is needed for cell errors to show, update that Deno"
        : "";
      const plain = ours ? "" : "; without the lib's launcher Run All can put outputs under " +
        "the next cell and the stop button does not stop the queue: " +
        "`deno run -A tools/setup.ts --kernelspec --launcher` adds it";
      say(`deno kernelspec: kept ${found} (starts ${deno}, ${version})${note}${plain}`);
      return "kept";
    }
    broken = `${found}/kernel.json cannot start ${JSON.stringify(deno)}`;
  }
  const deno = await stableDeno(env.HOME ?? Deno.env.get("HOME") ?? "/root");
  const file = `${user}/kernel.json`;
  if (broken && found === user) {
    // Not ours to delete: the old file stays beside the new one.
    Deno.renameSync(file, `${file}.broken`);
  }
  writeKernelspec(user, deno);
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
      "chromium not available: browser checks are skipped, and fail with CI=true (apt-get install chromium)",
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
  if (!present()) {
    say("fonts-liberation2 not available: the layout check is skipped, and fails with CI=true");
  }
}

async function ensureClassicNotebook(): Promise<void> {
  if (!("missing" in findFrontend("classic"))) return say("classic notebook: present");
  if (isRoot() && hasApt()) {
    say("classic notebook missing: installing Debian package jupyter-notebook");
    await aptInstall(["jupyter-notebook"]);
  }
  const found = findFrontend("classic");
  if ("missing" in found) {
    say(`${found.missing}: its browser test is skipped, and fails with CI=true`);
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Written into the venv folder as soon as setup makes it: the folder is this setup's. */
const VENV_MINE = ".dlnb-setup";
/** Written last, once `install` succeeded (tools/frontends.ts looks for it). */
const VENV_DONE = ".dlnb-ok";

/**
 * Makes `venv`'s folder for setup, or recognises one setup made before and did not finish (it
 * holds {@link VENV_MINE}, or {@link VENV_DONE} as a finished one of an older setup does; an
 * empty folder, which older setups left, counts too: there is nothing in it to lose). Returns false for anything else at that path, which stays as it is.
 */
function claimVenvFolder(venv: string): boolean {
  try {
    Deno.mkdirSync(venv); // not recursive: an existing folder is an error, never reused blindly
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    // Ours: the marker, or the done mark a finished venv of an earlier setup carries.
    if (exists(`${venv}/${VENV_MINE}`) || exists(`${venv}/${VENV_DONE}`)) return true;
    let empty = false;
    try {
      empty = Deno.statSync(venv).isDirectory && [...Deno.readDirSync(venv)].length === 0;
    } catch { /* unreadable: not ours */ }
    if (!empty) return false;
  }
  Deno.writeTextFileSync(`${venv}/${VENV_MINE}`, "made by tools/setup.ts\n");
  return true;
}

/** Runs a command quietly; on failure, the last lines it printed. */
export async function runCaptured(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    if (out.success) return undefined;
    const text = new TextDecoder().decode(out.stderr).trim() ||
      new TextDecoder().decode(out.stdout).trim();
    return text.split("\n").slice(-3).join("\n  ") || `exit code ${out.code}`;
  } catch (e) {
    return String(e);
  }
}

/**
 * Makes a venv of our own at `venv` (once) and runs `install` in it, under a lock that keeps
 * parallel setups apart; {@link VENV_DONE} is written once `install` succeeds. Returns null
 * then, else why not (a sentence). A venv left half-made (pip interrupted or offline) is
 * finished by the next run, never deleted; anything at that path setup did not make stays as
 * it is. Used for JupyterLab here and for the bench's pip peers (bench/peer_venv.ts).
 */
export async function ensureVenv(
  venv: string,
  install: (venv: string) => Promise<string | null>,
): Promise<string | null> {
  const lock = `${venv}.lock`;
  Deno.mkdirSync(dirname(venv), { recursive: true }); // the parent only
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
    if (!claimVenvFolder(venv)) {
      return `${venv} exists and was not made by this setup; left alone (remove it to let ` +
        "setup make it)";
    }
    // venv fills the existing folder (our marker stays); it also finishes a half-made venv.
    const venvWith = (py: string) => runCaptured(py, ["-m", "venv", venv]);
    let failed = await venvWith("python3") && await venvWith("/usr/bin/python3");
    if (failed && isRoot() && hasApt()) {
      say("python3 -m venv failed: installing Debian package python3-venv");
      await aptInstall(["python3-venv"]);
      failed = await venvWith("/usr/bin/python3");
    }
    if (failed) return `python3 -m venv ${venv} failed:\n  ${failed}`;
    const why = await install(venv);
    if (!why) Deno.writeTextFileSync(`${venv}/${VENV_DONE}`, "");
    return why;
  } finally {
    Deno.removeSync(lock);
  }
}

/** JupyterLab 4 into its own venv with pip (once). */
async function ensureJupyterLab(): Promise<void> {
  if (!("missing" in findFrontend("jupyterlab"))) return say("JupyterLab: present");
  const venv = jupyterLabVenv();
  say(`JupyterLab missing: python3 -m venv ${venv}; pip install --retries 0 jupyterlab`);
  const failed = await ensureVenv(venv, async (v) => {
    const why = await runCaptured(`${v}/bin/pip`, [
      "install",
      "-q",
      "--retries",
      "0",
      "jupyterlab",
    ]);
    return why ? `pip install failed:\n  ${why}` : null;
  });
  if (failed) {
    return say(
      "JupyterLab: could not install it here, its browser test is skipped (and fails with " +
        `CI=true); DLNB_JUPYTERLAB may point at a jupyter-lab. ${failed}`,
    );
  }
  say(`JupyterLab: installed in ${venv}`);
}

// `--jupyterlab` does only the JupyterLab step (tests/setup_test.ts runs it in a private HOME).
if (import.meta.main && Deno.args.includes("--jupyterlab")) {
  await ensureJupyterLab();
  Deno.exit(0);
}

if (import.meta.main && Deno.args.includes("--kernelspec")) {
  await ensureKernelspec(Deno.env.toObject(), Deno.args.includes("--launcher"));
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
