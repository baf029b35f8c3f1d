"""Opening input files so that nothing blocks: regular files only, reads that cannot stall.

A folder nobody checked may hold a named pipe, a socket or a device with an article's name.
Opening a FIFO waits for a writer for ever, a device such as `/dev/zero` never ends, and a
read from a dead network mount can hang just as long. So:

- only regular files (and symlinks to them) are read: anything else is refused by its
  `stat`, before any `open`; the file is then opened non-blocking and checked again with
  `fstat`, in case it was swapped meanwhile;
- `stat`, `open` and every read run on a helper thread and are given `read_timeout`
  seconds (`KG_READ_TIMEOUT_SECONDS`) to answer; one that does not is a `TimeoutError`
  naming the file. The stuck thread is abandoned (a daemon, it cannot hold up exit) and
  the next file gets a fresh one.
"""

from __future__ import annotations

import errno
import io
import os
import queue
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}
# Reads are handed to the helper thread in pieces this large: a handoff costs microseconds.
_READ_CHUNK = 1 << 16


def not_regular_reason(mode: int) -> str | None:
    """Why a file of this `st_mode` is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return f"not a regular file but {kind}; only regular files are read (use - for a stream)"


class _Helper:
    """One daemon thread that runs blocking calls, so the caller can stop waiting."""

    def __init__(self) -> None:
        self.calls: queue.SimpleQueue[tuple[Callable[[], Any], list[Any], threading.Event]] = (
            queue.SimpleQueue())
        threading.Thread(target=self._serve, name="kg-file-reads", daemon=True).start()

    def _serve(self) -> None:
        while True:
            call, result, done = self.calls.get()
            try:
                result.append((True, call()))
            except BaseException as exc:  # handed back to the caller, whatever it is
                result.append((False, exc))
            done.set()


_helper: _Helper | None = None
_helper_lock = threading.Lock()


def _forget_helper() -> None:
    global _helper, _helper_lock
    _helper, _helper_lock = None, threading.Lock()  # a forked child has no helper thread


os.register_at_fork(after_in_child=_forget_helper)


def timed(call: Callable[[], T], timeout: float, what: str) -> T:
    """`call()` on the helper thread; `TimeoutError` when it gives no answer in `timeout` s."""
    global _helper
    with _helper_lock:
        if _helper is None:
            _helper = _Helper()
        helper = _helper
    result: list[Any] = []
    done = threading.Event()
    helper.calls.put((call, result, done))
    if not done.wait(timeout):
        with _helper_lock:
            if _helper is helper:
                _helper = None  # stuck in the kernel: leave it, later calls get a new thread
        raise TimeoutError(errno.ETIMEDOUT, f"{what} stalled: no answer in {timeout:g} s")
    ok, value = result[0]
    if not ok:
        raise value
    return value


class _StallGuardedFile(io.RawIOBase):
    """A file descriptor whose every read is `timed`."""

    def __init__(self, fd: int, timeout: float) -> None:
        self._fd = fd
        self._timeout = timeout

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        # Read into new bytes, then copy: a read abandoned on timeout must not write later
        # into a buffer its caller has since freed.
        fd, size = self._fd, min(len(view), _READ_CHUNK)
        data = timed(lambda: os.read(fd, size), self._timeout, "read")
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            fd, self._fd = self._fd, -1
            try:
                os.close(fd)
            finally:
                super().close()


def stat_input(path: Path, timeout: float) -> os.stat_result:
    """`stat` of `path` (following symlinks), in at most `timeout` seconds."""
    return timed(lambda: path.stat(), timeout, "stat")


def open_regular(path: Path, timeout: float) -> IO[bytes]:
    """`path` open for reading, as a buffered stream whose reads time out.

    `OSError` when it cannot be opened, is not a regular file, or stalls (`TimeoutError`).
    """

    def checked_open() -> int:
        # O_NONBLOCK: a FIFO put in the file's place since its stat must not block the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            reason = not_regular_reason(os.fstat(fd).st_mode)
            if reason is not None:
                raise OSError(errno.EINVAL, reason)
            os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return fd

    return stall_guarded(timed(checked_open, timeout, "open"), timeout)


def stall_guarded(fd: int, timeout: float) -> IO[bytes]:
    """A buffered stream over `fd` (which it closes) whose reads time out after `timeout` s."""
    return io.BufferedReader(_StallGuardedFile(fd, timeout), buffer_size=_READ_CHUNK)
