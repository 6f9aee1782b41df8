"""Launcher for Deno's Jupyter kernel: one execute request at a time, outputs kept in their cell.

Deno's kernel (2.9.6) stamps printed text, displays and even a cell's result with the request that
is current when they are *sent*, and a queued request becomes current as soon as the previous reply
is out; so on Run All an output still in flight lands under the next cell, or arrives after "idle"
where a frontend no longer listens. This launcher sits between the frontend and the kernel (the
kernelspec starts it; it starts `deno jupyter --kernel` on ports of its own) and forwards every
message unchanged, except that:

- shell requests go to the kernel in order, and the next one only after the current execute
  request has finished: its reply and "idle" have arrived, and then everything it printed. For
  that the launcher sends a silent request of its own that prints a marker: the kernel sends
  printed text in order, so once the marker is out nothing printed before it is still on its way.
  Whatever the kernel stamps with that request goes out as the cell's, the marker and the
  request's own status messages are dropped. The cell's "idle" is held back until then, so every
  output comes before it, however late the kernel's output thread gets the CPU. (Should the marker
  never come, say `console.log` was replaced, the kernel quiet for QUIET_MS after the request
  ends is taken instead.)
- an execute request that ends in an error (with stop_on_error, as frontends send on Run All),
  or that was interrupted, aborts the execute requests queued behind it before its reply: each
  gets an "aborted" reply, as a Python kernel does, so the stop button stops Run All.
- interrupts: SIGINT to this process and `interrupt_request` on the control channel both become
  one SIGINT to the kernel (Deno's kernel does not handle interrupt_request).
- `shutdown_request` is answered (Deno's kernel exits without a reply); when the kernel exits,
  the launcher exits with its code.

Messages are forwarded as raw frames (same key on both sides, so signatures stay valid); only the
launcher's own replies are signed here. Needs only pyzmq (a dependency of jupyter_client); without
it the launcher becomes the plain kernel (exec), so the kernelspec always starts.

Usage: python3 kernel_launcher.py --deno PATH CONNECTION_FILE
"""
import datetime
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

# Only when the flush's marker never comes (console.log replaced): the kernel quiet this long
# after the flush ended. Long, because the marker normally comes after the flush's own "idle",
# behind the cell's text, and a loaded machine can hold the kernel's output thread for a while.
QUIET_MS = float(os.environ.get("DLNB_KERNEL_QUIET_MS", "2000"))
DELIM = b"<IDS|MSG>"
IOPUB_HWM = 50_000  # output messages queued towards a frontend (ZeroMQ drops past it)


def main(argv):
    if len(argv) != 3 or argv[0] != "--deno":
        sys.exit("usage: kernel_launcher.py --deno PATH CONNECTION_FILE")
    deno, connection_file = argv[1], argv[2]
    plain = [deno, "jupyter", "--kernel", "--conn", connection_file]
    try:
        import zmq  # noqa: F401
    except ImportError:
        os.execv(deno, plain)  # no pyzmq: the plain kernel, as without the launcher
    Launcher(deno, connection_file).run()


def free_port(ip):
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def parse(frames):
    """(identities, header, parent header, content) of a message's frames."""
    i = frames.index(DELIM)
    return frames[:i], json.loads(frames[i + 2]), json.loads(frames[i + 3]), frames[i + 5]


class Launcher:
    def __init__(self, deno, connection_file):
        import zmq

        self.zmq = zmq
        with open(connection_file) as f:
            outer = json.load(f)
        self.key = outer.get("key", "").encode()
        self.scheme = outer.get("signature_scheme", "hmac-sha256").split("-", 1)[-1]
        self.session = str(uuid.uuid4())
        ip, transport = outer.get("ip", "127.0.0.1"), outer.get("transport", "tcp")
        if transport != "tcp":
            os.execv(deno, [deno, "jupyter", "--kernel", "--conn", connection_file])
        inner = dict(outer)
        inner["ip"] = "127.0.0.1"
        for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
            inner[name] = free_port("127.0.0.1")
        self.tmp = tempfile.mkdtemp(prefix="dlnb-kernel-")
        inner_file = os.path.join(self.tmp, "kernel.json")
        with open(inner_file, "w") as f:
            json.dump(inner, f)

        # The kernel gets its own process group so that an interrupt reaches it once, through
        # this launcher, and dies with the launcher (PDEATHSIG) even when the launcher is killed.
        linux = sys.platform.startswith("linux")
        self.forward_sigint = linux
        self.child = subprocess.Popen(
            [deno, "jupyter", "--kernel", "--conn", inner_file],
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent if linux else None,
            start_new_session=linux,
        )

        ctx = zmq.Context.instance()
        url = lambda port: f"tcp://{ip}:{port}"  # noqa: E731
        kurl = lambda name: f"tcp://127.0.0.1:{inner[name]}"  # noqa: E731
        self.f_shell = ctx.socket(zmq.ROUTER)
        self.f_control = ctx.socket(zmq.ROUTER)
        self.f_stdin = ctx.socket(zmq.ROUTER)
        self.f_iopub = ctx.socket(zmq.PUB)
        # A cell that prints thousands of lines sends one message a line, and past ZeroMQ's
        # default of 1,000 queued a slow frontend would lose them; a bound stays (IOPUB_HWM), so
        # a stalled frontend cannot make the launcher's memory grow without end.
        self.f_iopub.sndhwm = IOPUB_HWM
        self.f_hb = ctx.socket(zmq.REP)
        for sock, name in ((self.f_shell, "shell_port"), (self.f_control, "control_port"),
                           (self.f_stdin, "stdin_port"), (self.f_iopub, "iopub_port"),
                           (self.f_hb, "hb_port")):
            sock.linger = 0
            sock.bind(url(outer[name]))
        identity = uuid.uuid4().hex.encode()
        self.k_shell = ctx.socket(zmq.DEALER)
        self.k_stdin = ctx.socket(zmq.DEALER)
        self.k_control = ctx.socket(zmq.DEALER)
        # The kernel answers an input request to the identity of the shell request.
        self.k_shell.identity = identity
        self.k_stdin.identity = identity
        self.k_iopub = ctx.socket(zmq.SUB)
        self.k_iopub.rcvhwm = IOPUB_HWM
        self.k_iopub.setsockopt(zmq.SUBSCRIBE, b"")
        for sock, name in ((self.k_shell, "shell_port"), (self.k_stdin, "stdin_port"),
                           (self.k_control, "control_port"), (self.k_iopub, "iopub_port")):
            sock.linger = 0
            sock.connect(kurl(name))

        self.routes = {}  # request msg_id -> frontend identities (shell, stdin and control)
        self.queue = []  # shell requests not yet sent to the kernel: (identities, frames, header, content)
        self.current = None  # the execute request the kernel is running
        self.last_io = 0.0
        # The launcher's flush requests -> (header of the request whose outputs they carry, marker).
        self.adopted = {}

    # --- messages of the launcher's own ---

    def sign(self, parts):
        if not self.key:
            return b""
        h = hmac.new(self.key, digestmod=getattr(hashlib, self.scheme))
        for p in parts:
            h.update(p)
        return h.hexdigest().encode()

    def message(self, msg_type, parent, content, identities=()):
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "kernel",
            "session": self.session,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "version": "5.3",
        }
        parts = [json.dumps(x).encode() for x in (header, parent, {}, content)]
        return list(identities) + [DELIM, self.sign(parts)] + parts

    def status(self, state, parent):
        return [b"kernel.status"] + self.message("status", parent, {"execution_state": state})

    def restamp(self, frames, parent, content=None):
        """The kernel's message as a child of `parent` (optionally with new content), signed again."""
        i = frames.index(DELIM)
        parts = [frames[i + 2], json.dumps(parent).encode(), frames[i + 4],
                 frames[i + 5] if content is None else content]
        return frames[:i] + [DELIM, self.sign(parts)] + parts + frames[i + 6:]

    # --- shell ---

    def from_frontend_shell(self, frames):
        ids, header, _, content = parse(frames)
        self.routes[header["msg_id"]] = ids
        self.queue.append((ids, frames, header, content))
        self.dispatch()

    def dispatch(self):
        """Sends queued shell requests to the kernel up to and including the next execute request."""
        while self.current is None and self.queue:
            ids, frames, header, content = self.queue.pop(0)
            self.k_shell.send_multipart(frames[len(ids):])
            if header["msg_type"] == "execute_request":
                request = json.loads(content)
                self.current = {
                    "id": header["msg_id"],
                    "header": header,
                    "stop_on_error": request.get("stop_on_error", True) and not request.get("silent"),
                    "status": None,
                    "idle": None,
                    "interrupted": False,
                    "queued": set(),
                    "flush": None,
                }
                self.last_io = time.monotonic()

    def from_kernel_shell(self, frames):
        _, header, parent, content = parse(frames)
        cur = self.current
        running = cur is not None and parent.get("msg_id") == cur["id"]
        # An execute request's route is kept until it is finished (its input requests use it).
        ids = self.routes.get(parent.get("msg_id")) if running else self.routes.pop(parent.get("msg_id"), None)
        if ids is None:
            return
        self.f_shell.send_multipart(ids + frames[frames.index(DELIM):])
        if cur and header["msg_type"] == "execute_reply" and parent.get("msg_id") == cur["id"]:
            cur["status"] = json.loads(content).get("status", "ok")
            # What a failure aborts: the requests queued before its reply went out, as in
            # ipykernel; one sent after seeing the reply runs.
            cur["queued"] = {h["msg_id"] for _, _, h, _ in self.queue}
            self.last_io = time.monotonic()

    def send_flush(self, cur):
        """After the cell's reply and "idle": a silent request that prints a marker (see above)."""
        token = f"dlnb-flush-{uuid.uuid4().hex}"
        request = {"code": f'console.log("{token}")', "silent": True, "store_history": False,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}
        frames = self.message("execute_request", {}, request)
        flush_id = json.loads(frames[2])["msg_id"]
        cur["flush"] = {"id": flush_id, "seen": False, "ended": False}
        self.adopted[flush_id] = (cur["header"], token)
        while len(self.adopted) > 64:
            self.adopted.pop(next(iter(self.adopted)))
        self.k_shell.send_multipart(frames)

    def from_flush(self, frames, header, content, flush_id):
        """A message the kernel stamped with a flush request: the cell's output, or the flush's own."""
        owner, token = self.adopted[flush_id]
        cur = self.current
        flush = cur.get("flush") if cur is not None else None
        flush = flush if flush is not None and flush["id"] == flush_id else None
        kind = header["msg_type"]
        if kind == "status":
            if flush is not None and json.loads(content).get("execution_state") == "idle":
                flush["ended"] = True
            return
        if kind in ("execute_input", "error"):
            return  # the flush's own (it has no result: console.log gives undefined)
        if kind == "stream":
            body = json.loads(content)
            text = body.get("text", "")
            if token in text:
                before, _, after = text.partition(token)
                text = before + (after[1:] if after.startswith("\n") else after)
                if flush is not None:
                    flush["seen"] = True
                if not text:
                    return
                body["text"] = text
                content = json.dumps(body).encode()
            else:
                content = None
        else:
            content = None
        self.f_iopub.send_multipart(self.restamp(frames, owner, content))

    def finish_current(self):
        """Releases the held "idle" once the kernel is quiet; aborts the queue after a failure."""
        cur = self.current
        self.f_iopub.send_multipart(cur["idle"])
        self.routes.pop(cur["id"], None)
        self.current = None
        if cur["interrupted"] or (cur["status"] == "error" and cur["stop_on_error"]):
            self.abort_queue(cur["queued"])
        self.dispatch()

    def abort_queue(self, msg_ids):
        kept = []
        for ids, frames, header, content in self.queue:
            if header["msg_type"] != "execute_request" or header["msg_id"] not in msg_ids:
                kept.append((ids, frames, header, content))
                continue
            self.f_iopub.send_multipart(self.status("busy", header))
            self.f_shell.send_multipart(self.message("execute_reply", header, {"status": "aborted"}, ids))
            self.f_iopub.send_multipart(self.status("idle", header))
            self.routes.pop(header["msg_id"], None)
        self.queue = kept

    # --- iopub, stdin, control ---

    def from_kernel_iopub(self, frames):
        self.last_io = time.monotonic()
        _, header, parent, content = parse(frames)
        parent_id = parent.get("msg_id")
        cur = self.current
        if (cur is not None and parent_id == cur["id"] and header["msg_type"] == "status"
                and json.loads(content).get("execution_state") == "idle"):
            cur["idle"] = frames
            return
        if parent_id in self.adopted:
            self.from_flush(frames, header, content, parent_id)
            return
        self.f_iopub.send_multipart(frames)

    def from_kernel_stdin(self, frames):
        _, _, parent, _ = parse(frames)
        ids = self.routes.get(parent.get("msg_id"))
        if ids is not None:
            self.f_stdin.send_multipart(ids + frames[frames.index(DELIM):])

    def from_frontend_stdin(self, frames):
        ids, _, _, _ = parse(frames)
        self.k_stdin.send_multipart(frames[len(ids):])

    def from_frontend_control(self, frames):
        ids, header, _, _ = parse(frames)
        kind = header["msg_type"]
        if kind == "interrupt_request":
            self.interrupt()
            self.f_control.send_multipart(self.message("interrupt_reply", header, {"status": "ok"}, ids))
            return
        if kind == "shutdown_request":
            restart = json.loads(parse(frames)[3]).get("restart", False)
            reply = {"status": "ok", "restart": restart}
            self.f_control.send_multipart(self.message("shutdown_reply", header, reply, ids))
            self.f_iopub.send_multipart([b"kernel.shutdown_reply"] + self.message("shutdown_reply", header, reply))
        self.routes[header["msg_id"]] = ids
        self.k_control.send_multipart(frames[len(ids):])

    def from_kernel_control(self, frames):
        _, _, parent, _ = parse(frames)
        ids = self.routes.pop(parent.get("msg_id"), None)
        if ids is not None:
            self.f_control.send_multipart(ids + frames[frames.index(DELIM):])

    def interrupt(self, *_):
        if self.current is not None:
            self.current["interrupted"] = True
        if self.forward_sigint and self.child.poll() is None:
            self.child.send_signal(signal.SIGINT)

    # --- the loop ---

    def run(self):
        zmq = self.zmq
        signal.signal(signal.SIGINT, self.interrupt)
        signal.signal(signal.SIGTERM, lambda *_: self.stop(143))
        handlers = {
            self.f_shell: self.from_frontend_shell,
            self.f_control: self.from_frontend_control,
            self.f_stdin: self.from_frontend_stdin,
            self.f_hb: lambda frames: self.f_hb.send_multipart(frames),
            self.k_shell: self.from_kernel_shell,
            self.k_control: self.from_kernel_control,
            self.k_stdin: self.from_kernel_stdin,
            self.k_iopub: self.from_kernel_iopub,
        }
        poller = zmq.Poller()
        for sock in handlers:
            poller.register(sock, zmq.POLLIN)
        while True:
            code = self.child.poll()
            if code is not None:
                self.stop(code)
            timeout = 200
            cur = self.current
            if cur and cur["status"] is not None and cur["idle"] is not None:
                flush = cur["flush"]
                if flush is None:
                    self.send_flush(cur)
                elif flush["seen"]:
                    self.finish_current()
                    continue
                elif flush["ended"]:  # no marker came: the kernel quiet for QUIET_MS will do
                    left = QUIET_MS - (time.monotonic() - self.last_io) * 1000
                    if left <= 0:
                        self.finish_current()
                        continue
                    timeout = left
            try:
                ready = dict(poller.poll(timeout))
            except zmq.ZMQError:
                continue  # interrupted by a signal
            for sock in ready:
                frames = sock.recv_multipart()
                try:
                    handlers[sock](frames)
                except (ValueError, KeyError, IndexError, TypeError) as error:
                    # Not a Jupyter message (a stray connection): dropped, the kernel goes on.
                    print(f"kernel_launcher: dropped a malformed message: {error!r}", file=sys.stderr)

    def stop(self, code):
        if self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(5)
            except subprocess.TimeoutExpired:
                self.child.kill()
        try:
            for name in os.listdir(self.tmp):
                os.remove(os.path.join(self.tmp, name))
            os.rmdir(self.tmp)
        except OSError:
            pass
        os._exit(code if code >= 0 else 128 - code)


def die_with_parent():
    """Linux: the kernel gets SIGKILL when the launcher dies, however it dies."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


if __name__ == "__main__":
    main(sys.argv[1:])
