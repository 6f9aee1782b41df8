"""Test driver: Run All as frontends do it, against the `deno` kernelspec Jupyter finds.

Queues every cell at once (one execute_request each, before any reply), then reads iopub and
records, per cell, which request's header each output came with. Prints a JSON report.

  python3 run_all_placement.py REPO_ROOT CELLS ROUNDS
      synthetic cells: each prints a line, displays (awaited) and ends with a value that names it,
      so a misplaced output is known by its text.
  python3 run_all_placement.py REPO_ROOT --notebooks ROUNDS NOTEBOOK...
      the real notebooks: each is first run one cell at a time (the reference: what each cell
      shows), then Run All ROUNDS times in one kernel each; an output a cell shows beyond its
      reference (by kind: stream lines, display and result MIME types, errors) is misplaced.

"late" counts outputs that came after their cell's "idle": JupyterLab has stopped listening for
that cell then and drops them. "seconds" is the time from queueing to the last "idle".
"""
import collections
import json
import os
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

GRACE = 1.0  # outputs can come after the last idle: listen this long after it


def collect(kc, ids, deadline_s):
    """Outputs per queued request until every one is idle and a grace second has passed."""
    owner = {m: i for i, m in enumerate(ids)}
    seen = {i: [] for i in range(len(ids))}
    idle, late, replies = set(), 0, {}
    started = time.time()
    last_idle = None
    while time.time() - started < deadline_s:
        try:
            m = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            if last_idle and len(idle) == len(ids) and time.time() - last_idle > GRACE:
                break
            continue
        cell = owner.get(m["parent_header"].get("msg_id"))
        if cell is None:
            continue
        t = m["msg_type"]
        if t == "status" and m["content"]["execution_state"] == "idle":
            idle.add(cell)
            last_idle = time.time()
        elif t in ("stream", "execute_result", "display_data", "error"):
            seen[cell].append(m)
            if cell in idle:
                late += 1
    seconds = (last_idle or time.time()) - started
    while True:
        try:
            r = kc.get_shell_msg(timeout=0.01)
        except queue.Empty:
            break
        if r["parent_header"].get("msg_id") in owner:
            replies[owner[r["parent_header"]["msg_id"]]] = r["content"]["status"]
    return seen, late, round(seconds, 2), replies


def text_of(m):
    c = m["content"]
    return c.get("text") or c.get("data", {}).get("text/plain", "") or c.get("evalue", "")


def synthetic(root, cells, rounds):
    km, kc = start_new_kernel(kernel_name="deno", cwd=root)
    report = {"outputs": 0, "misplaced": [], "missing": 0, "late": 0, "seconds": []}
    try:
        kc.execute_interactive('import "./lib/mod.ts"; "ready"', timeout=120, output_hook=lambda m: None)
        for r in range(rounds):
            # Like the notebooks' cells: some awaited work, printed text, a result and a display.
            codes = [
                f'await new Promise((resolve) => setTimeout(resolve, {(i * 7) % 5}));\n'
                f'console.log("out r{r}c{i}");\n'
                f'await Deno.jupyter.display({{ "text/plain": "display r{r}c{i}" }}, {{ raw: true }});\n'
                f'"result r{r}c{i}"'
                for i in range(cells)
            ]
            seen, late, seconds, _ = collect(kc, [kc.execute(c) for c in codes], 60)
            report["late"] += late
            report["seconds"].append(seconds)
            for i in range(cells):
                for m in seen[i]:
                    for line in text_of(m).strip().splitlines():
                        report["outputs"] += 1
                        if f"r{r}c{i}" not in line:
                            report["misplaced"].append(f"round {r}: {line.strip()!r} under cell {i}")
            got = sum(len(text_of(m).strip().splitlines()) for v in seen.values() for m in v)
            report["missing"] += max(0, 3 * cells - got)
    finally:
        km.shutdown_kernel(now=True)
    return report


def kinds(msgs):
    """What a cell shows, by kind: one entry per stream line, display, result or error."""
    out = collections.Counter()
    for m in msgs:
        t = m["msg_type"]
        if t == "stream":
            for _ in m["content"]["text"].rstrip("\n").split("\n"):
                out[f"stream:{m['content']['name']}"] += 1
        elif t == "error":
            out[f"error:{m['content']['ename']}"] += 1
        else:
            out[f"{t}:{','.join(sorted(m['content'].get('data', {})))}"] += 1
    return out


def notebook_cells(path):
    with open(path) as f:
        nb = json.load(f)
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


def run_notebook(folder, codes, one_by_one):
    km, kc = start_new_kernel(kernel_name="deno", cwd=folder)
    try:
        if one_by_one:
            seen = {}
            for i, code in enumerate(codes):
                s, _, _, _ = collect(kc, [kc.execute(code)], 600)
                seen[i] = s[0]
            return seen, 0, 0
        seen, late, seconds, _ = collect(kc, [kc.execute(c) for c in codes], 900)
        return seen, late, seconds
    finally:
        km.shutdown_kernel(now=True)


def notebooks(root, rounds, names):
    report = {}
    for name in names:
        path = os.path.join(root, "notebooks", name)
        codes = notebook_cells(path)
        ref, _, _ = run_notebook(os.path.dirname(path), codes, True)
        want = [kinds(ref[i]) for i in range(len(codes))]
        entry = {"cells": len(codes), "outputs": sum(sum(w.values()) for w in want),
                 "misplaced": [], "late": 0, "seconds": []}
        for r in range(rounds):
            seen, late, seconds = run_notebook(os.path.dirname(path), codes, False)
            entry["late"] += late
            entry["seconds"].append(seconds)
            for i in range(len(codes)):
                extra = kinds(seen[i]) - want[i]
                for kind, n in extra.items():
                    entry["misplaced"].append(f"round {r}: {n} x {kind} under cell {i + 1}")
        report[name] = entry
    return report


if __name__ == "__main__":
    if sys.argv[2] == "--notebooks":
        print(json.dumps(notebooks(sys.argv[1], int(sys.argv[3]), sys.argv[4:])))
    else:
        print(json.dumps(synthetic(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
