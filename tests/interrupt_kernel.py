"""Test driver: interrupts cells in a live deno kernel and checks that it survives.

Runs on the `deno` kernelspec Jupyter finds (the tests give it the lib's launcher). Prints a JSON
report. Usage:
  python3 interrupt_kernel.py REPO_ROOT train ENGINE   a long train() stops after the current batch
                                                       and the cell ends in an Interrupted error
  python3 interrupt_kernel.py REPO_ROOT survive        a timer await, a busy loop, explain()
                                                       and an idle kernel, each interrupted
  python3 interrupt_kernel.py REPO_ROOT queue          Run All of notebook 04, interrupted during
                                                       its first train(): the queue stops
"""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

root, mode = sys.argv[1], sys.argv[2]
# The notebook's cells import "../lib/mod.ts": queue mode runs where the notebooks are.
km, kc = start_new_kernel(kernel_name="deno", cwd=f"{root}/notebooks" if mode == "queue" else root)
report = {}


GRACE = 1.0  # Deno's kernel can publish a cell's output after reporting idle.


def collect(msg_id, timeout, interrupt=False):
    """The outputs of one cell; with interrupt, interrupts it as soon as it has started."""
    outs = []
    deadline = time.time() + timeout
    idle_at = None
    while time.time() < deadline and (idle_at is None or time.time() - idle_at < GRACE):
        try:
            m = kc.get_iopub_msg(timeout=0.05)
        except queue.Empty:
            if not km.is_alive():
                break  # the kernel died: no output will come
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        t = m["msg_type"]
        if t == "execute_input" and interrupt:
            km.interrupt_kernel()
        if t == "status" and m["content"]["execution_state"] == "idle":
            idle_at = time.time()
        if t in ("stream", "execute_result", "error", "display_data", "update_display_data"):
            c = m["content"]
            outs.append({"type": t, "text": c.get("text") or c.get("evalue") or c.get("data", {}).get("text/plain", "")})
    return outs if idle_at is not None else outs + [{"type": "timeout"}]


def run(code, timeout=60, interrupt=False):
    return collect(kc.execute(code), timeout, interrupt)


def texts(outs):
    return "".join(o["text"] for o in outs)


def train_mode(engine):
    report["setup"] = run(
        'import { deepNN, lastHistory, randomData, train } from "./lib/mod.ts";\n'
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
    last_text = ""
    while time.time() - started < 120:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] in ("display_data", "update_display_data"):
            updates += 1
            last_text = m["content"].get("data", {}).get("text/plain", last_text)
            if interrupted_at is None and updates >= 2:
                km.interrupt_kernel()
                interrupted_at = time.time()
        if m["msg_type"] == "error":
            report["error"] = m["content"]["evalue"]
            report["ename"] = m["content"]["ename"]
            report["traceback"] = m["content"]["traceback"]
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            idle = True
            break
    # The final frame may come just after idle.
    end = time.time() + GRACE
    while time.time() < end:
        try:
            m = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] in ("display_data", "update_display_data"):
            last_text = m["content"].get("data", {}).get("text/plain", last_text)
    report["updates"] = updates
    report["last_frame"] = last_text
    report["interrupted"] = interrupted_at is not None
    report["idle_after_interrupt"] = idle
    report["seconds_to_stop"] = round(time.time() - interrupted_at - GRACE, 2) if interrupted_at and idle else None
    report["next_cell"] = run(
        "const h = lastHistory(model);\n`${h.stopped} | epochs run: ${h.epoch.length}`", timeout=30)


def survive_mode():
    # The case: a train() has run in this kernel before (it adds and removes a listener).
    report["setup"] = texts(run(
        'import { deepNN, explain, randomData, train } from "./lib/mod.ts";\n'
        "const data = randomData({ rows: 200, features: 10, seed: 1 });\n"
        "const model = deepNN({ features: 10, seed: 1 });\n"
        'model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });\n'
        "await train(model, data.x, data.y, { epochs: 2, seed: 1, live: false });\n"
        "let kept = 41; kept += 1;\n"
        "`pid ${Deno.pid}`",
        timeout=120,
    ))
    cells = {
        "timer": ("await new Promise((resolve) => setTimeout(resolve, 3000));", True),
        "busy_loop": ("const t0 = Date.now(); while (Date.now() - t0 < 3000) {}", True),
        "explain": (
            "const wide = randomData({ rows: 100, features: 30, seed: 1 });\n"
            "explain(deepNN({ features: 30, seed: 1 }), { instance: wide.x[0], background: wide.x, nsamples: 40000 })"
            ".values.length",
            True,
        ),
        "idle": (None, None),
    }
    for name, (code, interrupt) in cells.items():
        entry = {}
        if code is None:
            km.interrupt_kernel()
            time.sleep(1.5)  # time for the kernel to die if it would (it must not)
        else:
            entry["cell"] = run(code, timeout=60, interrupt=interrupt)
        entry["alive"] = km.is_alive()
        entry["next_cell"] = texts(run("`pid ${Deno.pid}, kept ${kept}`", timeout=20)) if entry["alive"] else ""
        report[name] = entry


def queue_mode():
    """Run All of notebook 04 (every cell queued at once), interrupted during its first train()."""
    with open(f"{root}/notebooks/04-training-classification.ipynb") as f:
        nb = json.load(f)
    codes = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    first_train = next(i for i, c in enumerate(codes) if "await train(" in c)
    ids = [kc.execute(c) for c in codes]
    owner = {m: i for i, m in enumerate(ids)}
    statuses, ran, interrupted, errors, idle = {}, set(), False, [], set()
    end = time.time() + 300
    # Until every cell has its reply and its "idle" (a cell's error comes on iopub, which can be
    # read after the last reply on shell).
    while (len(statuses) < len(ids) or len(idle) < len(ids)) and time.time() < end:
        try:
            m = kc.get_iopub_msg(timeout=0.05)
            cell = owner.get(m["parent_header"].get("msg_id"))
            if cell is not None:
                if m["msg_type"] == "execute_input":
                    ran.add(cell)
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    idle.add(cell)
                # The training progress is showing: the run is under way.
                if cell == first_train and not interrupted and m["msg_type"] in ("display_data", "update_display_data"):
                    km.interrupt_kernel()
                    interrupted = True
                if m["msg_type"] == "error":
                    errors.append({"cell": cell, "ename": m["content"]["ename"], "evalue": m["content"]["evalue"]})
        except queue.Empty:
            pass
        try:
            while True:
                r = kc.get_shell_msg(timeout=0)
                cell = owner.get(r["parent_header"].get("msg_id"))
                if cell is not None:
                    statuses[cell] = r["content"]["status"]
        except queue.Empty:
            pass
    report["first_train"] = first_train
    report["statuses"] = [statuses.get(i, "none") for i in range(len(ids))]
    report["ran"] = sorted(ran)
    report["errors"] = errors
    report["next_cell"] = texts(run("`${lastHistory(model).stopped} | ${lastHistory(model).epoch.length}`"))


try:
    if mode == "queue":
        run('import { lastHistory } from "../lib/mod.ts"; "ready"', timeout=120)
        queue_mode()
    elif mode == "train":
        train_mode(sys.argv[3])
    else:
        survive_mode()
finally:
    km.shutdown_kernel(now=True)
print(json.dumps(report))
