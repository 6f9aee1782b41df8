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

/** The jobs of peers.py in each set, and the peer each belongs to. */
const JOBS: Record<"debian" | "pip", [job: string, peer: string][]> = {
  debian: [["torch-1thread", "torch"], ["torch", "torch"], ["sklearn", "sklearn"]],
  pip: [["sklearn", "sklearn"], ["torch", "torch"], ["keras", "keras"]],
};

const DEBIAN_PACKAGES: Record<string, string> = {
  torch: "python3-torch",
  sklearn: "python3-sklearn",
};

/** One peers.py job in a process of its own (a crash or a timeout loses only that job). */
async function runJob(
  r: Run,
  reps: number,
  dir: string,
  python: string,
  set: "debian" | "pip",
  [job, peer]: [string, string],
): Promise<PeerResult> {
  const failed = (error: string) => ({ engine: `${job} (${set})`, peer, set, error });
  try {
    const out = await new Deno.Command(python, {
      args: [join(HERE, "peers.py"), JSON.stringify(r), "--data", dir, "--reps", String(reps)]
        .concat(["--set", set, "--job", job]),
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      env: { KERAS_BACKEND: "tensorflow", TF_CPP_MIN_LOG_LEVEL: "3" },
      signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
    }).output();
    const line = new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean).at(-1);
    if (!line) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
      const why = out.signal === "SIGTERM"
        ? `no result within ${PEER_TIMEOUT_MS / 60_000} min`
        : `exited with ${out.signal ?? out.code}: ${err}`;
      return failed(`no result: ${why}`.slice(0, 200));
    }
    const p = JSON.parse(line) as Omit<PeerResult, "set" | "seconds"> & { seconds?: number[] };
    return { ...p, set, seconds: p.seconds ? median(p.seconds) : undefined };
  } catch (e) {
    return failed(`not run: ${(e as Error).message}`);
  }
}

/**
 * Every peer's result on run `r`, whose data files are in `dir`. Debian's peers that are not
 * installed give one row each; pip's that pip could not install say why.
 */
export async function runPeers(r: Run, reps: number, dir: string): Promise<PeerResult[]> {
  const results: PeerResult[] = [];
  for (const job of JOBS.debian) {
    const p = await runJob(r, reps, dir, "/usr/bin/python3", "debian", job);
    if (p.error !== "not installed") results.push(p);
    else if (!results.some((q) => q.peer === p.peer && q.error)) {
      results.push({ ...p, error: `not installed (apt-get install ${DEBIAN_PACKAGES[p.peer]})` });
    }
  }
  const pip = await peerPython();
  for (const job of JOBS.pip) {
    const why = pip.missing.get(job[1]);
    if (!pip.python) {
      results.push({ engine: `${job[1]} (pip)`, peer: job[1], set: "pip", error: why });
      continue;
    }
    const p = await runJob(r, reps, dir, pip.python, "pip", job);
    results.push(p.error === "not installed" && why ? { ...p, error: why } : p);
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
    name: `FLOPs (lib and ${timed.length} peers: their layers x rows seen)`,
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
    name: "pip peers with a figure (scikit-learn, PyTorch, Keras)",
    value: timed.length,
    unit: `of ${PIP_PEERS.length}`,
    target: "all pip can install",
    met: timed.length === PIP_PEERS.length || (pip.length > 0 && unexplained.length === 0),
    note: unexplained.length
      ? `failed: ${unexplained.map((p) => `${p.engine}: ${p.error}`).join("; ")}`
      : undefined,
  };
}
