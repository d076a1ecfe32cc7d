"""A socket guard: every attempt to reach another machine is recorded and refused.

Unix sockets (asyncio's and Qt's internal pipes) pass; TCP/UDP connections and name
lookups go through the guard, and only the addresses a test allows get through.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

_INET = (socket.AF_INET, socket.AF_INET6)


@contextlib.contextmanager
def network_guard(allowed: set[tuple[str, int]] | None = None) -> Iterator[list[Any]]:
    """Yield the list of refused attempts (host, port) or ("lookup", name)."""
    allowed = allowed or set()
    attempts: list[Any] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def allowed_address(address: Any) -> bool:
        return isinstance(address, tuple) and (address[0], address[1]) in allowed

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in _INET and not allowed_address(address):
            attempts.append(address[:2] if isinstance(address, tuple) else address)
            raise OSError("network blocked by the test's guard")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if self.family in _INET and not allowed_address(address):
            attempts.append(address[:2] if isinstance(address, tuple) else address)
            return 111  # ECONNREFUSED
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if (host, port) not in allowed and host not in {h for h, _ in allowed}:
            attempts.append(("lookup", host))
            raise socket.gaierror(socket.EAI_NONAME, "name lookups blocked by the test's guard")
        return real_getaddrinfo(host, port, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = real_getaddrinfo
