"""Test driver: Run All as frontends do it, against a raw deno kernel.

Queues every cell at once (one execute_request each, before any reply), then reads iopub and
records, per cell, which request's header each output came with. Each cell prints a line and
ends with a value that names it, so a misplaced output is known by its text. Prints a JSON report.
Usage: python3 run_all_placement.py REPO_ROOT CELLS ROUNDS
"""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

root, cells, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
km, kc = start_new_kernel(kernel_name="deno", cwd=root)
report = {"outputs": 0, "misplaced": [], "missing": 0}
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
        ids = [kc.execute(c) for c in codes]
        owner = {m: i for i, m in enumerate(ids)}
        seen = {i: [] for i in range(cells)}
        idle = set()
        deadline = time.time() + 60
        last_idle = None
        while time.time() < deadline:
            try:
                m = kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                # Outputs can come after the last idle: wait a grace second.
                if last_idle and len(idle) == cells and time.time() - last_idle > 1.0:
                    break
                continue
            cell = owner.get(m["parent_header"].get("msg_id"))
            if cell is None:
                continue
            t = m["msg_type"]
            if t == "status" and m["content"]["execution_state"] == "idle":
                idle.add(cell)
                last_idle = time.time()
            c = m["content"]
            text = c.get("text") or c.get("data", {}).get("text/plain", "")
            if t in ("stream", "execute_result", "display_data"):
                seen[cell].append(text)
        for i in range(cells):
            for text in seen[i]:
                for line in text.strip().splitlines():
                    report["outputs"] += 1
                    if f"r{r}c{i}" not in line:
                        report["misplaced"].append(f"round {r}: {line.strip()!r} under cell {i}")
        want = 3 * cells
        got = sum(len(t.strip().splitlines()) for v in seen.values() for t in v)
        report["missing"] += max(0, want - got)
finally:
    km.shutdown_kernel(now=True)
print(json.dumps(report))
