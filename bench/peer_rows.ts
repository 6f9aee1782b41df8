/**
 * Runs bench/peers.py on one run (Debian's python3, then the bench venv's pip peers) and turns
 * what it prints into table rows, checking that every peer did the work the lib did: the same
 * layer widths and rows seen, read from each peer's trained model, hence the same FLOPs.
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "./paths.ts";
import { type BenchRow, median } from "./common.ts";
import { type Run, steps, trainFlops, widths } from "./runs.ts";
import { ensurePeerPython, type PeerPython, PIP_PEERS } from "./peer_venv.ts";

const HERE = dirname(fromFileUrl(import.meta.url));

/** What peers.py prints for one peer. */
export interface PeerResult {
  engine: string;
  /** "torch", "sklearn" or "keras". */
  peer: string;
  /** "debian" or "pip". */
  set: string;
  /** Median seconds of the timed runs. */
  seconds?: number;
  steps?: number;
  samples?: number;
  layers?: number[][];
  dtype?: string;
  error?: string;
}

/** Minutes the Python peers of one run may take (a loaded machine can stall them). */
const PEER_TIMEOUT_MS = 15 * 60_000;

let pipPeers: Promise<PeerPython> | undefined;

/** The pip peers' python, set up once per bench process. */
export function peerPython(): Promise<PeerPython> {
  return pipPeers ??= ensurePeerPython();
}

async function runSet(
  r: Run,
  reps: number,
  dir: string,
  python: string,
  set: "debian" | "pip",
): Promise<PeerResult[]> {
  const failed = (error: string) => [{ engine: `python peers (${set})`, peer: "", set, error }];
  try {
    const out = await new Deno.Command(python, {
      args: [join(HERE, "peers.py"), JSON.stringify(r), "--data", dir, "--reps", String(reps)]
        .concat(["--set", set]),
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      env: { KERAS_BACKEND: "tensorflow", TF_CPP_MIN_LOG_LEVEL: "3" },
      signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
    }).output();
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean);
    if (lines.length === 0) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
      return failed(`no result: ${err || `nothing within ${PEER_TIMEOUT_MS / 60_000} min`}`);
    }
    return lines.map((line) => {
      const p = JSON.parse(line) as Omit<PeerResult, "set" | "seconds"> & { seconds?: number[] };
      return { ...p, set, seconds: p.seconds ? median(p.seconds) : undefined };
    });
  } catch (e) {
    return failed(`not run: ${(e as Error).message}`);
  }
}

/** Every peer's result on run `r`, whose data files are in `dir`. */
export async function runPeers(r: Run, reps: number, dir: string): Promise<PeerResult[]> {
  const results = await runSet(r, reps, dir, "/usr/bin/python3", "debian");
  const pip = await peerPython();
  if (pip.python) {
    for (const p of await runSet(r, reps, dir, pip.python, "pip")) {
      const why = pip.missing.get(p.peer);
      results.push(p.error === "not installed" && why ? { ...p, error: why } : p);
    }
  } else {
    for (const [peer, why] of pip.missing) {
      results.push({ engine: `${peer} (pip)`, peer, set: "pip", error: why });
    }
  }
  return results;
}

/** FLOPs of a peer's run, from the layers and rows it reports. */
export function peerFlops(p: PeerResult): number | undefined {
  if (!p.layers?.length || p.samples === undefined) return undefined;
  return trainFlops([p.layers[0][0], ...p.layers.map((l) => l[1])], p.samples);
}

/** The run's FLOPs as the bench defines it (every row seen once per epoch). */
export const runFlops = (r: Run): number => trainFlops(widths(r), r.rows * r.epochs);

/** A peer's rows: time per step and in total, or why it has no figure. */
export function peerRows(r: Run, results: PeerResult[]): BenchRow[] {
  const want = runFlops(r);
  return results.flatMap((p): BenchRow[] => {
    if (p.seconds === undefined) {
      const note = `n/a: ${p.error ?? "no figure"}`;
      return [{ group: r.group, name: p.engine, value: NaN, unit: "us/step", peer: true, note }];
    }
    const flops = peerFlops(p);
    const notes = [];
    if (flops !== want) {
      notes.push(
        `NOT the same work: ${flops ? (flops / 1e9).toFixed(1) : "?"} GFLOP ` +
          `(layers ${JSON.stringify(p.layers)}, ${p.samples} rows seen, ${p.steps} steps) vs ` +
          `${(want / 1e9).toFixed(1)}`,
      );
    }
    if (p.dtype && p.dtype !== "float32") notes.push(`computes in ${p.dtype}`);
    return [
      {
        group: r.group,
        name: p.engine,
        value: (p.seconds / steps(r)) * 1e6,
        unit: "us/step",
        peer: true,
        note: notes.join("; ") || undefined,
      },
      { group: r.group, name: `${p.engine} total`, value: p.seconds, unit: "s" },
    ];
  });
}

/** One row saying whether every peer with a figure did the run's FLOPs (and how many). */
export function flopsRow(r: Run, results: PeerResult[], libFlops: number): BenchRow {
  const want = runFlops(r);
  const timed = results.filter((p) => p.seconds !== undefined);
  const odd = timed.filter((p) => peerFlops(p) !== want).map((p) => p.engine);
  const same = libFlops === want && odd.length === 0;
  return {
    group: r.group,
    name: `FLOPs of the run (lib and ${timed.length} peers: layers, rows seen)`,
    value: want / 1e9,
    unit: "GFLOP",
    target: "same for all",
    met: same,
    note: same ? undefined : `differ: ${libFlops === want ? "" : "lib "}${odd.join(", ")}`,
  };
}

/**
 * Whether the pip peers are in the table: each has a figure, or pip could not install it (the
 * reason is in its row). Issue 21: "always present where pip can install them".
 */
export function pipPeersRow(r: Run, results: PeerResult[]): BenchRow {
  const pip = results.filter((p) => p.set === "pip");
  const timed = pip.filter((p) => p.seconds !== undefined);
  const unexplained = pip.filter((p) =>
    p.seconds === undefined && !/^(pip could not|no venv)/.test(p.error ?? "")
  );
  return {
    group: r.group,
    name: "pip peers with a figure (scikit-learn, PyTorch, Keras 3 + TensorFlow)",
    value: timed.length,
    unit: `of ${PIP_PEERS.length}`,
    target: "all that pip can install",
    met: timed.length === PIP_PEERS.length || (pip.length > 0 && unexplained.length === 0),
    note: unexplained.length
      ? `failed: ${unexplained.map((p) => `${p.engine}: ${p.error}`).join("; ")}`
      : undefined,
  };
}
