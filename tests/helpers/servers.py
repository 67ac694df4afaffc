"""Shared bits of the real servers the capture tests start (Radicale, Dovecot): a free
port on 127.0.0.1, a self-signed certificate, waiting for a port to listen, and the rule
that a missing server program skips the test locally but fails it under CI."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def need(tool: str, package: str) -> str:
    """The path of ``tool``; without it the test skips, or fails under CI (.ci/run
    installs it)."""
    found = shutil.which(tool) or next(
        (str(p) for p in (Path("/usr/sbin") / tool, Path("/usr/local/sbin") / tool)
         if p.exists()), None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing: .ci/run installs it (apt-get install {package})")
        pytest.skip(f"{tool} is not installed (apt-get install {package})")
    return found


def wait_for_port(port: int, process: subprocess.Popen | None = None,
                  timeout: float = 20.0, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            text = log.read_text(errors="replace") if log and log.exists() else ""
            raise RuntimeError(f"the server exited ({process.returncode}):\n{text[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def self_signed(folder: Path, name: str = "localhost") -> tuple[Path, Path, str]:
    """(certificate, key, SHA-256 fingerprint as hex) of a fresh self-signed certificate
    for ``name`` and 127.0.0.1, made with ``openssl req -x509``."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name},IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    return cert, key, hashlib.sha256(der).hexdigest()


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 in front of a server that, once ``cut_after`` bytes have
    come back from the server on a connection, closes it — a server that drops the
    connection halfway — or with ``stall`` keeps it open and sends nothing more (a server
    that hangs). ``cut_after = None`` passes everything."""

    def __init__(self, port: int, cut_after: int | None = None, stall: bool = False):
        import threading

        self.target, self.cut_after, self.stall = port, cut_after, stall
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.cuts = 0
        self.served: list[int] = []  # bytes the server sent, per finished connection
        self._threads: list = []
        self._stop = False
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    def _accept(self) -> None:
        import threading

        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            limit = [self.cut_after]
            pair = (client, server)
            for src, dst, count in ((client, server, False), (server, client, True)):
                thread = threading.Thread(target=self._pump, args=(src, dst, count, limit, pair),
                                          daemon=True)
                thread.start()
                self._threads.append(thread)

    def _pump(self, src, dst, count: bool, limit: list, pair) -> None:
        served = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                served += len(data)
                if count and limit[0] is not None:
                    if len(data) >= limit[0]:
                        dst.sendall(data[:limit[0]])
                        self.cuts += 1
                        while self.stall and not self._stop:  # a server that hangs
                            time.sleep(0.05)
                        break
                    limit[0] -= len(data)
                dst.sendall(data)
        except OSError:
            pass
        if count:
            self.served.append(served)
        for sock in pair:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def wait_for(self, connections: int, timeout: float = 10.0) -> None:
        """Until ``connections`` connections have ended (``served`` has their bytes)."""
        deadline = time.monotonic() + timeout
        while len(self.served) < connections:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.served)} of {connections} connections ended")
            time.sleep(0.01)

    def close(self) -> None:
        self._stop = True
        self.listener.close()
