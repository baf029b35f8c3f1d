"""A loopback TCP proxy between the Neo4j driver and the server that breaks Bolt connections on cue.

The driver connects to `proxy.uri`; every connection is relayed to the server. The proxy
follows the client's Bolt messages (handshake, then chunked messages: a 2-byte size before
each chunk, `00 00` after the last one of a message, the message a PackStream structure
whose tag byte follows the marker) and can, a given number of times:

- `cut_writes(after_runs=n)`: cut the connection when a write transaction sends its n-th RUN
  (that RUN is not forwarded): the server rolls the transaction back, the driver sees a dead
  connection and retries.
- `lose_commit_replies()`: forward a write transaction's COMMIT (`00 02 B0 12 00 00`, see the
  driver's `_bolt5.py`: signature 0x12, no fields), let the server answer, drop the answer and
  cut the connection. The transaction is committed and the driver cannot know it:
  `IncompleteCommit`.

It listens on 127.0.0.1 only, uses daemon threads, and stops by itself after `lifetime`
seconds if the test does not stop it first.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

BEGIN, RUN, COMMIT, ROLLBACK, RESET = 0x11, 0x10, 0x12, 0x13, 0x0F
_READ_MODE = b"\x84mode\x81r"  # BEGIN's extra {"mode": "r"}: a read transaction
_POLL = 0.5  # socket timeout: how often the threads look at the stop flag


class _Closed(Exception):
    pass


class _Reader:
    """Exact reads from a socket, giving up when the proxy stops."""

    def __init__(self, sock: socket.socket, stopped: Callable[[], bool]) -> None:
        self.sock = sock
        self.stopped = stopped
        self.buffer = bytearray()

    def read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self.buffer += self._recv()
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    def some(self) -> bytes:
        """What is buffered, or else what the socket gives next."""
        if self.buffer:
            data = bytes(self.buffer)
            self.buffer.clear()
            return data
        return self._recv()

    def _recv(self) -> bytes:
        while not self.stopped():
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError as exc:
                raise _Closed from exc
            if not data:
                raise _Closed
            return data
        raise _Closed

    def varint(self) -> bytes:
        out = self.read(1)
        while out[-1] & 0x80:
            out += self.read(1)
        return out

    def message(self) -> bytes:
        """One Bolt message with its chunk headers and end marker, as sent."""
        out = bytearray()
        while True:
            header = self.read(2)
            size = int.from_bytes(header, "big")
            if size == 0 and not out:
                continue  # a NOOP chunk (keep-alive) between messages: not forwarded
            out += header
            if size == 0:
                return bytes(out)
            out += self.read(size)


class FaultProxy:
    """See the module docstring. Use as a context manager; `events` lists what it did."""

    def __init__(self, target_port: int, *, lifetime: float = 600.0) -> None:
        self.target = ("127.0.0.1", target_port)
        self.lifetime = lifetime
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.events: list[str] = []
        self.cuts_left = 0
        self.after_runs = 0
        self.lost_replies_left = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(_POLL)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        self.listener.close()

    def cut_writes(self, *, after_runs: int, times: int = 1) -> None:
        with self.lock:
            self.after_runs, self.cuts_left = after_runs, times

    def lose_commit_replies(self, times: int = 1) -> None:
        with self.lock:
            self.lost_replies_left = times

    def count(self, prefix: str) -> int:
        with self.lock:
            return sum(1 for e in self.events if e.startswith(prefix))

    def _event(self, text: str) -> None:
        with self.lock:
            self.events.append(text)

    def _take(self, name: str) -> bool:
        """Use up one fault of a kind, if any is left."""
        with self.lock:
            left = getattr(self, name)
            if left > 0:
                setattr(self, name, left - 1)
                return True
            return False

    # -- the relay -------------------------------------------------------------------------

    def _accept(self) -> None:
        deadline = time.monotonic() + self.lifetime
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            try:
                server = socket.create_connection(self.target, timeout=30)
            except OSError:
                client.close()
                continue
            _Link(self, client, server).start()
        self.stop.set()


class _Link:
    """One relayed connection: a thread per direction."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client, self.server = client, server
        for sock in (client, server):
            sock.settimeout(_POLL)
        self.closed = threading.Event()
        self.handshake = threading.Event()
        self.manifest = False
        self.drop_reply = False

    def start(self) -> None:
        for target in (self._upstream, self._downstream):
            threading.Thread(target=self._guard, args=(target,), daemon=True).start()

    def cut(self) -> None:
        self.closed.set()
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _guard(self, pump: Callable[[], None]) -> None:
        try:
            pump()
        except (_Closed, OSError):
            pass  # either side went away, or the proxy cut it: the other pump follows
        finally:
            self.cut()

    def _stopped(self) -> bool:
        return self.closed.is_set() or self.proxy.stop.is_set()

    def _upstream(self) -> None:
        """Client → server, message by message."""
        reader = _Reader(self.client, self._stopped)
        self.server.sendall(reader.read(20))  # magic + four version proposals
        if not self.handshake.wait(30):
            raise _Closed
        if self.manifest:  # the chosen version, then the chosen capabilities
            self.server.sendall(reader.read(4) + reader.varint())
        writing = in_tx = False
        runs = 0
        while not self.proxy.stop.is_set():
            message = reader.message()
            tag = message[3]
            if tag == BEGIN:
                in_tx, writing, runs = True, _READ_MODE not in message, 0
            elif tag == RUN and in_tx and writing:
                runs += 1
                if runs == self.proxy.after_runs and self.proxy._take("cuts_left"):
                    self.proxy._event(f"cut a write transaction at RUN {runs}")
                    return
            elif tag == COMMIT and in_tx:
                in_tx = False
                if writing and self.proxy._take("lost_replies_left"):
                    self.drop_reply = True
                    self.server.sendall(message)
                    self.proxy._event("forwarded a COMMIT, its reply will be dropped")
                    continue
            elif tag in (ROLLBACK, RESET):
                in_tx = False
            self.server.sendall(message)

    def _downstream(self) -> None:
        """Server → client: the handshake reply, then bytes as they come."""
        reader = _Reader(self.server, self._stopped)
        reply = reader.read(4)
        if reply[3] == 0xFF:  # manifest handshake: offers and capabilities follow
            self.manifest = True
            count_bytes = reader.varint()
            count = sum((b & 0x7F) << (7 * i) for i, b in enumerate(count_bytes))
            reply += count_bytes + reader.read(4 * count) + reader.varint()
        self.client.sendall(reply)
        self.handshake.set()
        while True:
            data = reader.some()
            if self.drop_reply:  # the COMMIT's answer: the commit happened, the client never learns
                self.proxy._event("dropped a COMMIT reply and cut the connection")
                return
            self.client.sendall(data)
