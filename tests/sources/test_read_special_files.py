"""Inputs that would block: FIFOs, sockets, devices and reads that stall (issue 20).

Each is one failure naming the file, given within a second, and the files around it are
read. The FIFO, socket and device are real (a device through a symlink to /dev/zero, as a
mount or a careless `ln -s` puts one in a folder); the stalled read is a real pipe that
never receives data.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.models import Article
from kg.sources import ReadFailure, read_paths
from kg.sources.base import Input, ReadContext
from kg.sources.files import open_regular, stall_guarded
from kg.sources.text import read_text

Write = Callable[[str, str | bytes], Path]

BODY = "Gunmen attacked a police post near the town on Monday, killing two officers, officials said."
# A refusal is a stat, not a wait; a second leaves room for a loaded machine.
REFUSAL_SECONDS = 1.0


@pytest.fixture
def hostile_folder(write: Write, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "in"
    write("in/a_first.txt", "First Report\n\n" + BODY)
    os.mkfifo(folder / "b_pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "c_socket.jsonl"))
    (folder / "d_zero.txt").symlink_to("/dev/zero")
    write("in/e_last.json", json.dumps({"id": "last", "text": BODY}))
    os.mkfifo(folder / "g_sidecar.txt.meta.json")  # a FIFO sidecar must not block its article
    write("in/g_sidecar.txt", "Sidecar Report\n\n" + BODY)
    try:
        yield folder
    finally:
        server.close()


def test_fifo_socket_and_device_each_fail_alone_within_a_second(hostile_folder: Path) -> None:
    start = time.monotonic()
    items = list(read_paths([hostile_folder]))
    elapsed = time.monotonic() - start

    failures = {Path(i.origin).name: i.reason for i in items if isinstance(i, ReadFailure)}
    articles = [i for i in items if isinstance(i, Article)]
    assert set(failures) == {"b_pipe.txt", "c_socket.jsonl", "d_zero.txt"}
    assert "named pipe (FIFO)" in failures["b_pipe.txt"]
    assert "a socket" in failures["c_socket.jsonl"]
    assert "a character device" in failures["d_zero.txt"]
    assert [a.origin and Path(a.origin).name for a in articles] == [
        "a_first.txt", "e_last.json", "g_sidecar.txt"]
    sidecar_article = articles[-1]
    assert "named pipe" in sidecar_article.metadata["read_warnings"][0]
    assert elapsed < REFUSAL_SECONDS + 1.0  # the three refusals and three small reads


def test_a_named_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "named.txt"
    os.mkfifo(pipe)
    start = time.monotonic()
    items = list(read_paths([pipe]))
    assert time.monotonic() - start < REFUSAL_SECONDS
    assert len(items) == 1 and isinstance(items[0], ReadFailure)
    assert items[0].message.startswith(f"{pipe}: not a regular file but a named pipe")


def test_a_read_that_stalls_times_out_with_one_failure_naming_the_file(tmp_path: Path) -> None:
    # The read end of a pipe whose writer stays open and silent: a read blocks, as one from a
    # dead network mount does. Opened by its name it is refused (not a regular file), so the
    # stream every file is read through is put over the descriptor directly.
    read_fd, write_fd = os.pipe()
    try:
        stalled = Path(f"/proc/self/fd/{read_fd}")
        with pytest.raises(OSError, match="not a regular file"):
            open_regular(stalled, timeout=0.5)  # refused, not read, even when named this way

        source = Input(origin="slow-mount/report.txt",
                       open=lambda: stall_guarded(os.dup(read_fd), 0.5))
        start = time.monotonic()
        items = list(read_text(source, ReadContext(max_bytes=100_000)))
        elapsed = time.monotonic() - start
    finally:
        os.close(write_fd)
        os.close(read_fd)
    assert len(items) == 1 and isinstance(items[0], ReadFailure), items
    assert items[0].message == "slow-mount/report.txt: cannot read: read stalled: no answer in 0.5 s"
    assert 0.4 < elapsed < 3.0


def test_after_a_stall_the_next_file_is_read(tmp_path: Path, write: Write) -> None:
    read_fd, write_fd = os.pipe()
    try:
        stalled = Input(origin="stalled.txt", open=lambda: stall_guarded(os.dup(read_fd), 0.3))
        assert isinstance(list(read_text(stalled, ReadContext(max_bytes=100_000)))[0], ReadFailure)
    finally:
        os.close(write_fd)
        os.close(read_fd)
    good = write("good.txt", "Good Report\n\n" + BODY)
    items = list(read_paths([good]))
    assert len(items) == 1 and isinstance(items[0], Article)
