"""A TCP link to a server that can go silent: ``SilentLink(port)`` forwards
127.0.0.1:``link.port`` to 127.0.0.1:``port`` until ``link.silent = True``, from when on
nothing is forwarded either way and nothing is closed — a network that drops packets
(a VPN gone, Wi-Fi asleep) as the client sees it. New connections are accepted and
never answered meanwhile. ``silent = False`` forwards again; ``close()`` ends it all."""

from __future__ import annotations

import select
import socket
import threading


class SilentLink:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.silent = False
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self._sockets.append(client)
            if self.silent:
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._sockets.append(upstream)
            threading.Thread(target=self._forward, args=(client, upstream), daemon=True).start()

    def _forward(self, a: socket.socket, b: socket.socket) -> None:
        while not self._closed:
            ready, _, _ = select.select([a, b], [], [], 0.05)
            if self.silent:
                continue
            for source in ready:
                try:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
                except OSError:
                    return

    def close(self) -> None:
        self._closed = True
        self._server.close()
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass
