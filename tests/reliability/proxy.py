"""A TCP proxy on loopback that the fault tests put between the portal and PostgreSQL or Redis,
to make the network between them fail in the ways a real one does:

- ``slow(ms)``: every chunk of bytes, either way, waits ``ms`` milliseconds before it is passed on
  (a loaded or distant server: one query and its answer take twice that longer);
- ``black_hole()``: connections are accepted but nothing is passed on either way (a partition,
  or a server that stopped answering: the client's kernel still acknowledges what it sends, so
  only a timeout in the client can notice). ``heal()`` passes on again what was held, as TCP
  does when a partition ends; clients that gave up meanwhile have closed their end;
- ``cut()``: every open connection is reset at once (a firewall or a restart in between); new
  connections work.

Threads, no third-party tool. Only loopback addresses: ``127.0.0.1`` on both sides.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time

CHUNK = 65536


class Proxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        """``target_host`` may be a directory of Unix sockets, as PostgreSQL's ``host``."""
        self.target: tuple[str, int] | str = (target_host, target_port)
        if target_host.startswith("/"):
            self.target = f"{target_host}/.s.PGSQL.{target_port}"
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = int(self.listener.getsockname()[1])
        self.delay = 0.0
        self.open = threading.Event()  # cleared: black hole
        self.open.set()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._threads: list[threading.Thread] = []

    # --- faults -------------------------------------------------------------------------------
    def slow(self, milliseconds: float) -> None:
        self.delay = milliseconds / 1000

    def black_hole(self) -> None:
        self.open.clear()

    def heal(self) -> None:
        self.delay = 0.0
        self.open.set()

    def cut(self) -> int:
        """Reset every open connection; return how many there were."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                _reset(sock)
        return len(pairs)

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    # --- running ------------------------------------------------------------------------------
    def start(self) -> Proxy:
        self._spawn(self._accept)
        return self

    def stop(self) -> None:
        self._closed.set()
        self.open.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        self.cut()

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self._spawn(self._connect, client)

    def _connect(self, client: socket.socket) -> None:
        # A black hole accepts (the kernel does) but does not even reach the server.
        while not self.open.is_set() and not self._closed.is_set():
            if _peer_gone(client):
                client.close()
                return
            time.sleep(0.05)
        try:
            if isinstance(self.target, str):
                server = socket.socket(socket.AF_UNIX)
                server.settimeout(5)
                server.connect(self.target)
            else:
                server = socket.create_connection(self.target, timeout=5)
        except OSError:
            _reset(client)
            return
        server.settimeout(None)
        with self._lock:
            self._pairs.append((client, server))
        self._spawn(self._pump, client, server)
        self._spawn(self._pump, server, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not self._closed.is_set():
                if not self.open.is_set():
                    time.sleep(0.05)  # hold everything: nothing read, nothing passed on
                    continue
                ready, _, _ = select.select([source], [], [], 0.1)
                if not ready:
                    continue
                data = source.recv(CHUNK)
                if not data:
                    break
                if self.delay:
                    time.sleep(self.delay)
                while not self.open.is_set() and not self._closed.is_set():
                    time.sleep(0.05)
                sink.sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            self._forget(source, sink)

    def _forget(self, one: socket.socket, other: socket.socket) -> None:
        with self._lock:
            self._pairs = [p for p in self._pairs if one not in p and other not in p]
        for sock in (one, other):
            with contextlib.suppress(OSError):
                sock.close()


def _reset(sock: socket.socket) -> None:
    """Close with RST rather than FIN, as a cut connection looks to its ends."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


def _peer_gone(sock: socket.socket) -> bool:
    """The client closed its end while it waited in the black hole."""
    try:
        ready, _, _ = select.select([sock], [], [], 0)
        return bool(ready) and sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True
