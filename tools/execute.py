"""Executes a notebook through a Jupyter kernel, keeping late outputs.

nbclient drops every iopub message whose parent is not the cell now running. Deno's
kernel can publish a cell's stdout (and, under load, even its result) after reporting
idle, so those outputs vanished. This client files late messages under the cell they
belong to, and drains the channel briefly after the last cell.

Deno's kernel also stamps printed text with the request that is current when the text is
*sent*, so text still on its way when the next cell starts went under that cell (seen on a
loaded 2-core machine). After each cell this client sends a silent request that prints a
marker, as the lib's kernel launcher does: printed text goes out in order, so once the
marker has arrived the cell's text has too, and what the kernel stamped with that request
is the cell's. Without the launcher (a kernelspec of the user's own) it is the same.

Usage: python3 execute.py IN.ipynb OUT.ipynb [--kernel deno] [--timeout 600] [--allow-errors]
"""
import argparse
import asyncio
import os
import sys
import time
import uuid

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

GRACE_SECONDS = 0.5
# How long to wait for the flush's marker; it only runs out if console.log was replaced.
FLUSH_SECONDS = 30
# After the flush ended without its marker: how long the kernel must be quiet.
QUIET_SECONDS = 2.0
# The flush's own messages, never outputs of the cell. It has no result (console.log gives
# undefined): a result stamped with it is the cell's, sent late.
FLUSH_OWN = ("status", "execute_input", "error")


def merge_streams(cell):
    """Joins consecutive outputs of one stream, as a live notebook shows them."""
    merged = []
    for out in cell.get("outputs", []):
        last = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and last is not None
                and last.get("output_type") == "stream" and last.get("name") == out.get("name")):
            last["text"] += out["text"]
        else:
            merged.append(out)
    if "outputs" in cell:
        cell["outputs"] = merged


class LateOutputClient(NotebookClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cells_by_msg = {}
        self._flush_markers = {}  # flush request msg_id -> its marker

    def _file_late(self, msg):
        """Files a message under its cell; True if it carried a flush's marker."""
        parent = msg["parent_header"].get("msg_id")
        owner = self._cells_by_msg.get(parent)
        if owner is None:
            return False
        marker = self._flush_markers.get(parent)
        seen = False
        if marker is not None:
            if msg["msg_type"] in FLUSH_OWN:
                return False
            text = msg["content"].get("text", "") if msg["msg_type"] == "stream" else ""
            if marker in text:
                before, _, after = text.partition(marker)
                text = before + (after[1:] if after.startswith("\n") else after)
                seen = True
                if not text:
                    return True
                msg["content"]["text"] = text
        try:
            self.process_message(msg, owner[0], owner[1])
        except CellExecutionComplete:
            pass
        return seen

    async def async_execute_cell(self, cell, cell_index, **kwargs):
        cell = await super().async_execute_cell(cell, cell_index, **kwargs)
        if cell.cell_type == "code" and cell.source.strip():
            await self.flush(cell, cell_index)
        return cell

    async def flush(self, cell, cell_index):
        """Waits until everything the cell printed has arrived (see above)."""
        marker = f"dlnb-flush-{uuid.uuid4().hex}"
        msg_id = await ensure_async(self.kc.execute(
            f'console.log("{marker}")', silent=True, store_history=False, allow_stdin=False,
            stop_on_error=False))
        self._cells_by_msg[msg_id] = (cell, cell_index)
        self._flush_markers[msg_id] = marker
        cap = deadline = time.monotonic() + FLUSH_SECONDS
        ended = False
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=left))
            except Exception:  # queue.Empty
                return
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"):
                ended = True
            elif self._file_late(msg):
                return
            if ended:
                # The marker comes after the flush's "idle", behind the cell's text: wait while
                # text still comes; only a kernel quiet this long has no marker to send.
                deadline = min(cap, time.monotonic() + QUIET_SECONDS)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self._cells_by_msg[parent_msg_id] = (cell, cell_index)
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return
            else:
                self._file_late(msg)

    async def drain(self, seconds):
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=left))
            except Exception:  # queue.Empty: nothing more arrived
                return
            self._file_late(msg)

    async def run(self):
        async with self.async_setup_kernel():
            msg_id = await ensure_async(self.kc.kernel_info())
            info = await self.async_wait_for_reply(msg_id)
            if info is not None and "language_info" in info["content"]:
                self.nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(self.nb.cells):
                await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
            await self.drain(GRACE_SECONDS)
        for cell in self.nb.cells:
            merge_streams(cell)
        return self.nb


def main():
    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--kernel", default="deno")
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("--allow-errors", action="store_true")
    a = p.parse_args()
    nb = nbformat.read(a.input, as_version=4)
    client = LateOutputClient(
        nb,
        kernel_name=a.kernel,
        timeout=a.timeout,
        allow_errors=a.allow_errors,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(a.input))}},
    )
    try:
        asyncio.run(client.run())
    except CellExecutionError as e:
        print(str(e), file=sys.stderr)
        for cell in client.nb.cells:
            merge_streams(cell)
        nbformat.write(client.nb, a.output)
        sys.exit(1)
    nbformat.write(client.nb, a.output)


if __name__ == "__main__":
    main()
