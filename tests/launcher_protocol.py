"""Test driver: what a frontend needs from the kernel, through the `deno` kernelspec Jupyter finds
(the lib's launcher in the tests): kernel_info, completion, stdin (prompt), comms, interrupts as
a message and as a signal, shutdown, and a killed launcher taking its kernel with it.

Prints a JSON report. Usage: python3 launcher_protocol.py REPO_ROOT
"""
import json
import os
import queue
import sys
import time

import zmq

from jupyter_client.manager import start_new_kernel

root = sys.argv[1]
report = {}


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def gone(pid, limit=20.0):
    """Waits (polling) until `pid` has exited; False if it is still there after `limit` s."""
    end = time.time() + limit
    while time.time() < end:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def execute(kc, code, timeout=60, on_output=None):
    """(reply status, outputs) of one cell; on_output(msg) is called for each output."""
    msg_id = kc.execute(code, allow_stdin=True)
    outs = []
    end = time.time() + timeout
    idle = False
    while time.time() < end and not idle:
        try:
            m = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            idle = True
        elif m["msg_type"] in ("stream", "execute_result", "display_data", "update_display_data", "error"):
            c = m["content"]
            outs.append({"type": m["msg_type"], "ename": c.get("ename"),
                         "text": c.get("text") or c.get("evalue") or c.get("data", {}).get("text/plain", "")})
            if on_output:
                on_output(m)
    reply = kc.get_shell_msg(timeout=10)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=10)
    return reply["content"]["status"], outs


km, kc = start_new_kernel(kernel_name="deno", cwd=root)
try:
    report["kernel_info"] = kc.kernel_info(reply=True, timeout=30)["content"]["implementation"]
    report["complete"] = kc.complete("Deno.vers", 9, reply=True, timeout=30)["content"]["matches"]

    # stdin: prompt() asks the frontend.
    msg_id = kc.execute('const answer = prompt("name?"); `hi ${answer}`', allow_stdin=True)
    ask = kc.get_stdin_msg(timeout=30)
    report["input_request"] = ask["content"]["prompt"]
    kc.input("Ada")
    status, outs = "", []
    while True:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "execute_result":
            outs.append(m["content"]["data"]["text/plain"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    report["prompt_result"] = "".join(outs)

    # comms: a frontend opens, messages and closes one; the kernel answers comm_info throughout.
    kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": "c1", "target_name": "dlnb", "data": {}}))
    kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": "c1", "data": {"x": 1}}))
    kc.shell_channel.send(kc.session.msg("comm_close", {"comm_id": "c1", "data": {}}))
    report["comm_info"] = kc.comm_info(reply=True, timeout=30)["content"]["status"]

    # The launcher's flush after each cell is invisible: a frontend sees, per cell, one busy, one
    # execute_input and one idle with the cell's own header, consecutive execution counts, and
    # no message with another parent or the marker's text.
    try:  # the comm requests' status messages
        while True:
            kc.get_iopub_msg(timeout=0.5)
    except queue.Empty:
        pass
    # The first cell floods: its text is still on its way long after its reply.
    flood = 'for (let k = 0; k < 3000; k++) console.log("one " + k + " " + "x".repeat(200)); 1'
    ids = [kc.execute(code) for code in (flood, "2", 'console.log("three")')]
    seen, idle = [], set()
    while len(idle) < len(ids):
        m = kc.get_iopub_msg(timeout=30)
        seen.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            idle.add(m["parent_header"].get("msg_id"))
    try:
        while True:
            seen.append(kc.get_iopub_msg(timeout=0.5))
    except queue.Empty:
        pass
    replies = {}
    while len(replies) < len(ids):
        r = kc.get_shell_msg(timeout=30)
        replies[r["parent_header"].get("msg_id")] = r["content"].get("execution_count")
    def kinds(i):  # the kinds of a cell's messages but text, in order
        return [m["msg_type"] + (":" + m["content"]["execution_state"] if m["msg_type"] == "status" else "")
                for m in seen if m["parent_header"].get("msg_id") == i and m["msg_type"] != "stream"]

    def lines(i):  # the lines of text with the cell's header before its "idle"
        out = []
        for m in seen:
            if m["parent_header"].get("msg_id") != i:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return out
            if m["msg_type"] == "stream":
                out += m["content"]["text"].splitlines()
        return out

    report["flush"] = {
        "per_cell": [kinds(i) for i in ids],
        "lines": [len(lines(i)) for i in ids],
        "own_lines": [lines(ids[0])[k].startswith(f"one {k} ") for k in (0, 2999)] if len(lines(ids[0])) == 3000 else [],
        "all_lines": sum(len(m["content"]["text"].splitlines()) for m in seen if m["msg_type"] == "stream"),
        "others": sorted({m["msg_type"] for m in seen if m["parent_header"].get("msg_id") not in ids}),
        "marker": any("dlnb-flush" in json.dumps(m["content"]) for m in seen),
        "counts": [replies.get(i) for i in ids],
    }

    # The lib loaded (its SIGINT listener keeps the kernel alive), a pid and a variable to find again.
    status, outs = execute(kc, 'import { deepNN, lastHistory, randomData, train } from "./lib/mod.ts";\n'
                           "let kept = 42; Deno.pid", timeout=120)
    pid = int("".join(o["text"] for o in outs).strip().strip("\x1b[33m").split("\x1b")[0])
    report["pid"] = pid

    # interrupt_request on the control channel (Deno's kernel alone ignores it) during a train().
    sent = []

    control = zmq.Context.instance().socket(zmq.DEALER)
    control.linger = 0
    control.connect(f"{kc.transport}://{kc.ip}:{kc.control_port}")

    def interrupt_by_message(m):
        if not sent and m["msg_type"] in ("display_data", "update_display_data"):
            kc.session.send(control, "interrupt_request", {})
            if control.poll(10000):
                sent.append(kc.session.recv(control)[1]["content"]["status"])

    status, outs = execute(
        kc,
        "const data = randomData({ rows: 3000, features: 10, seed: 1 });\n"
        "const model = deepNN({ features: 10, seed: 1 });\n"
        'model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });\n'
        "await train(model, data.x, data.y, { epochs: 100000, seed: 1 });",
        timeout=120, on_output=interrupt_by_message)
    control.close()
    report["message_interrupt"] = {
        "reply": sent, "status": status,
        "errors": [o["text"] for o in outs if o["type"] == "error"],
        "enames": [o["ename"] for o in outs if o["type"] == "error"],
    }

    # A signal interrupt (the kernelspec's default mode) during a timer: the kernel survives.
    msg_id = kc.execute("await new Promise((resolve) => setTimeout(resolve, 1500)); kept")
    while True:  # interrupt once the cell runs
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            break
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    # Deno cannot abort the cell: it ends normally, and a cell queued behind it would be aborted.
    report["timer_cell"] = reply["content"]["status"]
    status, outs = execute(kc, "`${kept} ${lastHistory(model).stopped}`")
    report["after_signal"] = {"status": status, "text": "".join(o["text"] for o in outs)}
    report["same_pid"] = execute(kc, "Deno.pid")[1][0]["text"].find(str(pid)) >= 0

    # shutdown: answered, and the kernel process ends.
    km.shutdown_kernel(now=False)
    report["shutdown_alive"] = km.is_alive()
    report["kernel_gone_after_shutdown"] = gone(pid)

    # A launcher killed outright (SIGKILL to its process group) takes its kernel with it.
    km, kc = start_new_kernel(kernel_name="deno", cwd=root)
    status, outs = execute(kc, "Deno.pid")
    pid2 = int("".join(ch for ch in outs[0]["text"].split("m", 1)[-1] if ch.isdigit()))
    km.shutdown_kernel(now=True)  # SIGKILL, no shutdown request
    report["kernel_gone_after_kill"] = gone(pid2)
finally:
    if km.has_kernel:
        km.shutdown_kernel(now=True)
print(json.dumps(report))
