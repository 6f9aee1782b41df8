"""Test driver: interrupts a long train() in a live deno kernel, then runs the next cell.

Prints a JSON report. Usage: python3 interrupt_kernel.py REPO_ROOT ENGINE
"""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

root, engine = sys.argv[1], sys.argv[2]
km, kc = start_new_kernel(kernel_name="deno", cwd=root)
report = {}


GRACE = 1.0  # Deno's kernel can publish a cell's output after reporting idle.


def run(code, timeout=60):
    msg_id = kc.execute(code)
    outs = []
    deadline = time.time() + timeout
    idle_at = None
    while time.time() < deadline and (idle_at is None or time.time() - idle_at < GRACE):
        try:
            m = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        t = m["msg_type"]
        if t == "status" and m["content"]["execution_state"] == "idle":
            idle_at = time.time()
        if t in ("stream", "execute_result", "error", "display_data", "update_display_data"):
            c = m["content"]
            outs.append({"type": t, "text": c.get("text") or c.get("evalue") or c.get("data", {}).get("text/plain", "")})
    return outs if idle_at is not None else outs + [{"type": "timeout"}]


try:
    report["setup"] = run(
        'import { deepNN, randomData, train } from "./lib/mod.ts";\n'
        "const data = randomData({ rows: 3000, features: 10, seed: 1 });\n"
        "const model = deepNN({ features: 10, seed: 1 });\n"
        'model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });\n'
        '"ready"',
        timeout=120,
    )
    msg_id = kc.execute(
        f'const history = await train(model, data.x, data.y, {{ epochs: 100000, seed: 1, engine: "{engine}" }});'
    )
    # Interrupt once the run has shown progress, so it is surely training.
    updates, started, interrupted_at = 0, time.time(), None
    idle = False
    while time.time() - started < 120:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] in ("display_data", "update_display_data"):
            updates += 1
            if interrupted_at is None and updates >= 2:
                km.interrupt_kernel()
                interrupted_at = time.time()
        if m["msg_type"] == "error":
            report["error"] = m["content"]["evalue"]
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            idle = True
            break
    report["updates"] = updates
    report["interrupted"] = interrupted_at is not None
    report["idle_after_interrupt"] = idle
    report["seconds_to_stop"] = round(time.time() - interrupted_at, 2) if interrupted_at and idle else None
    report["next_cell"] = run('`${history.stopped} | epochs run: ${history.epoch.length}`', timeout=30)
finally:
    km.shutdown_kernel(now=True)
print(json.dumps(report))
