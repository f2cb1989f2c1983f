"""Serving the web app inside our own event loop and TaskGroup.

uvicorn is run without its signal handling (the command line owns Ctrl-C for every part) and
on a socket we bind ourselves, so a port in use is an ``OSError`` we can name, not an exit.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Generator

import uvicorn
from fastapi import FastAPI


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def serve(app: FastAPI, sock: socket.socket) -> None:
    """Serve until cancelled."""
    server = _Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                    ws_ping_interval=20, access_log=False))
    try:
        await server.serve(sockets=[sock])
    finally:
        server.should_exit = True
        sock.close()
