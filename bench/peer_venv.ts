/**
 * The bench's pip peers in a venv of their own (`~/.cache/dlnb/bench-venv`, made the way the
 * test task makes JupyterLab's: tools/setup.ts `ensureVenv`): scikit-learn, a current PyTorch,
 * and Keras 3 with TensorFlow CPU, each installed with `pip install --retries 0` once, so a
 * machine whose pip cannot reach them says why instead of waiting. `PEERS_PYTHON` names another
 * python to use as is.
 *
 * @module
 */
import { dirname, join } from "./paths.ts";
import { ensureVenv } from "../tools/setup.ts";
import { jupyterLabVenv } from "../tools/frontends.ts";

/** A peer of the bench's table and the pip packages it needs. */
export interface PipPeer {
  /** The name peers.py knows it by. */
  name: "sklearn" | "torch" | "keras";
  /** What pip installs. */
  packages: string[];
}

/** Every pip peer, in the order they are installed. */
export const PIP_PEERS: PipPeer[] = [
  { name: "sklearn", packages: ["scikit-learn"] },
  { name: "torch", packages: ["torch"] },
  { name: "keras", packages: ["tensorflow-cpu", "keras"] },
];

/** The venv's python, and why each peer that is missing could not be installed. */
export interface PeerPython {
  /** The python with the peers (undefined when no venv could be made). */
  python?: string;
  /** Peer name -> the reason pip could not install it. */
  missing: Map<string, string>;
}

/** Where the bench's venv lives: next to JupyterLab's. */
export function benchVenv(): string {
  return join(dirname(jupyterLabVenv()), "bench-venv");
}

const say = (msg: string) => console.error(`[bench] ${msg}`);

/** pip's own words for a failure: its ERROR lines, else its last line. */
function pipReason(stderr: string): string {
  const lines = stderr.trim().split("\n").map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => l.startsWith("ERROR:")).map((l) => l.slice(6).trim());
  return (errors.length ? errors.join(" ") : lines.at(-1) ?? "no output").slice(0, 200);
}

/** Installs the peers not yet installed (a marker per peer), returning the failures. */
async function installPeers(venv: string, missing: Map<string, string>): Promise<null> {
  for (const peer of PIP_PEERS) {
    const marker = join(venv, `.dlnb-peer-${peer.name}`);
    try {
      Deno.statSync(marker);
      continue;
    } catch { /* not installed yet */ }
    say(`pip peers: pip install --retries 0 ${peer.packages.join(" ")} (into ${venv})`);
    const out = await new Deno.Command(join(venv, "bin", "pip"), {
      args: ["install", "-q", "--retries", "0", ...peer.packages],
      stdout: "null",
      stderr: "piped",
      stdin: "null",
    }).output();
    if (out.success) Deno.writeTextFileSync(marker, peer.packages.join(" ") + "\n");
    else {
      const reason = pipReason(new TextDecoder().decode(out.stderr));
      missing.set(peer.name, `pip could not install ${peer.packages.join(" + ")}: ${reason}`);
      say(`pip peers: ${missing.get(peer.name)}`);
    }
  }
  // The venv itself is sound even when a peer failed: the next run tries that peer again.
  return null;
}

/**
 * The python that runs bench/peers.py's pip set: `PEERS_PYTHON`, else the bench's venv, made
 * and filled here when pip can reach the packages. Says what it installs on `[bench]` lines.
 */
export async function ensurePeerPython(): Promise<PeerPython> {
  const own = Deno.env.get("PEERS_PYTHON");
  if (own) {
    say(`pip peers: PEERS_PYTHON=${own} (as is)`);
    return { python: own, missing: new Map() };
  }
  const venv = benchVenv();
  const missing = new Map<string, string>();
  const failed = await ensureVenv(venv, (v) => installPeers(v, missing));
  if (failed) {
    say(`pip peers: ${failed}`);
    for (const peer of PIP_PEERS) missing.set(peer.name, `no venv: ${failed}`);
    return { missing };
  }
  const have = PIP_PEERS.filter((p) => !missing.has(p.name)).map((p) => p.packages.join(" + "));
  say(`pip peers: ${have.length ? have.join(", ") : "none"} in ${venv}`);
  return { python: join(venv, "bin", "python"), missing };
}
