/**
 * Jupyter frontends for the browser tests: finds JupyterLab 4 (a venv that `tools/setup.ts
 * --browser` fills with pip) and Debian's classic notebook, and starts one server of either on
 * a copy of the notebooks, with private config, runtime and settings folders, and optionally a
 * private data folder (`JUPYTER_DATA_DIR`) holding the kernelspec the tests want; the user's own
 * Jupyter files are only read.
 *
 * @module
 */
import { join } from "node:path";
import { ROOT } from "./jupyter.ts";

/** The frontends the browser tests drive. */
export type FrontendName = "jupyterlab" | "classic";

/** Where setup installs JupyterLab (a venv); `DLNB_JUPYTERLAB` may name another `jupyter-lab`. */
export function jupyterLabVenv(): string {
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache");
  return join(cache, "dlnb", "jupyterlab-venv");
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The server command of a frontend, or why it is missing. */
export function findFrontend(name: FrontendName): { command: string } | { missing: string } {
  if (name === "classic") {
    return isFile("/usr/bin/jupyter-notebook")
      ? { command: "/usr/bin/jupyter-notebook" }
      : { missing: "the classic notebook is not installed (apt-get install jupyter-notebook)" };
  }
  // The venv counts once setup finished installing into it (it writes .dlnb-ok last).
  const own = Deno.env.get("DLNB_JUPYTERLAB");
  const venv = jupyterLabVenv();
  const found = own && isFile(own)
    ? own
    : isFile(join(venv, ".dlnb-ok")) && isFile(join(venv, "bin", "jupyter-lab"))
    ? join(venv, "bin", "jupyter-lab")
    : undefined;
  return found ? { command: found } : {
    missing:
      `JupyterLab is not installed (tools/setup.ts --browser installs it with pip into ${jupyterLabVenv()}; or set DLNB_JUPYTERLAB to a jupyter-lab)`,
  };
}

/** A running Jupyter server on a copy of the notebooks. */
export interface FrontendServer {
  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  base: string;
  /** The token to append as `?token=`. */
  token: string;
  /** The folder the server serves: `ROOT/.frontend-*`, so `../lib/mod.ts` resolves. */
  dir: string;
  /** Stops the server and its kernels, and removes the copy. */
  stop(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Options of {@linkcode startFrontend}. */
export interface FrontendOptions {
  /** JupyterLab opens in its dark theme. */
  dark?: boolean;
  /**
   * The server's `JUPYTER_DATA_DIR` (its kernelspecs come first; lab extensions and the system's
   * kernelspecs are still found in the venv's and the system's share/jupyter). Default: the user's.
   */
  dataDir?: string;
}

/**
 * Starts a frontend's server on copies of `notebooks` (names in `ROOT/notebooks`). JupyterLab
 * opens in the dark theme when `dark` is set, with its app exposed as `window.jupyterapp`.
 */
export async function startFrontend(
  name: FrontendName,
  notebooks: string[],
  options: FrontendOptions = {},
): Promise<FrontendServer> {
  const found = findFrontend(name);
  if ("missing" in found) throw new Error(found.missing);
  // A sibling of notebooks/ so the notebooks' "../lib/mod.ts" imports resolve; removed on stop.
  const dir = await Deno.makeTempDir({ dir: ROOT, prefix: ".frontend-" });
  const home = await Deno.makeTempDir({ prefix: "dlnb-frontend-" });
  for (const nb of notebooks) await Deno.copyFile(join(ROOT, "notebooks", nb), join(dir, nb));
  const settings = join(home, "settings");
  if (name === "jupyterlab") {
    const put = (path: string, value: unknown) => {
      Deno.mkdirSync(join(settings, path, ".."), { recursive: true });
      Deno.writeTextFileSync(join(settings, path), JSON.stringify(value));
    };
    put("@jupyterlab/apputils-extension/themes.jupyterlab-settings", {
      theme: options.dark ? "JupyterLab Dark" : "JupyterLab Light",
    });
    // Every cell stays in the DOM (JupyterLab 4 otherwise detaches cells scrolled out of view).
    put("@jupyterlab/notebook-extension/tracker.jupyterlab-settings", { windowingMode: "none" });
    put("@jupyterlab/apputils-extension/notification.jupyterlab-settings", {
      fetchNews: "false",
      checkForUpdates: false,
    });
  }
  const token = crypto.randomUUID().replaceAll("-", "");
  const port = freePort();
  const app = name === "jupyterlab" ? "ServerApp" : "NotebookApp";
  const args = [
    "--no-browser",
    `--${app}.ip=127.0.0.1`,
    `--${app}.port=${port}`,
    `--${app}.port_retries=10`,
    name === "jupyterlab" ? `--IdentityProvider.token=${token}` : `--NotebookApp.token=${token}`,
    ...(Deno.uid?.() === 0 ? ["--allow-root"] : []),
    ...(name === "jupyterlab"
      ? [`--ServerApp.root_dir=${dir}`, "--LabApp.expose_app_in_browser=True"]
      : [`--NotebookApp.notebook_dir=${dir}`]),
  ];
  const child = new Deno.Command(found.command, {
    args,
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: {
      JUPYTER_CONFIG_DIR: join(home, "config"),
      JUPYTER_RUNTIME_DIR: join(home, "runtime"),
      JUPYTERLAB_SETTINGS_DIR: settings,
      JUPYTERLAB_WORKSPACES_DIR: join(home, "workspaces"),
      ...(options.dataDir ? { JUPYTER_DATA_DIR: options.dataDir } : {}),
      NO_COLOR: "1",
    },
  }).spawn();
  // The server logs its URL (with the port it took) when it listens.
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  let base = "";
  // A timeout, not a check: a loaded machine can take minutes to start JupyterLab.
  const deadline = Date.now() + 300_000;
  while (!base && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
    const m = log.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) base = `http://127.0.0.1:${m[1]}`;
  }
  // Keep draining the log so the server never blocks on a full pipe.
  (async () => {
    try {
      while (!(await reader.read()).done) { /* drop */ }
    } catch { /* closed */ }
  })();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 5000);
    await child.status;
    clearTimeout(timer);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.remove(home, { recursive: true }).catch(() => {});
  };
  if (!base) {
    await stop();
    throw new Error(`${name} server did not start:\n${log.slice(-2000)}`);
  }
  return { base, token, dir, stop };
}
