"""A real CalDAV server for tests: Radicale on 127.0.0.1 on a free port, htpasswd auth
(one throwaway user), its collections in a tmp folder; plain HTTP or HTTPS with a
self-signed certificate. Started as a child process (``python -m radicale``), so a test
can stop it halfway (``stop()``) and start it again on the same port and data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.servers import free_port, self_signed, wait_for_port

USER = "mentor"
PASSWORD = "s3cret-Radicale-pw"


@dataclass
class Radicale:
    folder: Path
    tls: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    fingerprint: str = ""  # SHA-256 hex of the server's certificate (tls only)
    log_level: str = "warning"  # "info" logs every request (see requests())

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def calendar_url(self, name: str = "work") -> str:
        return f"{self.base}/{USER}/{name}/"

    def configure(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "users").write_text(f"{USER}:{PASSWORD}\n")
        server = [f"hosts = 127.0.0.1:{self.port}"]
        if self.tls:
            cert, key, self.fingerprint = self_signed(self.folder / "tls")
            server += ["ssl = True", f"certificate = {cert}", f"key = {key}"]
        config = self.folder / "config"
        config.write_text("\n".join([
            "[server]", *server,
            "[auth]", "type = htpasswd", f"htpasswd_filename = {self.folder / 'users'}",
            "htpasswd_encryption = plain", "delay = 0",
            "[storage]", f"filesystem_folder = {self.folder / 'collections'}",
            "[rights]", "type = owner_only",
            "[logging]", f"level = {self.log_level}", "mask_passwords = True",
            "[web]", "type = none", ""]))
        return config

    def start(self) -> None:
        config = self.folder / "config"
        if not config.exists():
            self.configure()
        log = self.folder / "radicale.log"
        # the server is not ours: without the tests' lock guard (tests/conftest.py puts it
        # on PYTHONPATH for our own child processes), which would audit its every file open
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "radicale", "--config", str(config)],
                stdout=out, stderr=subprocess.STDOUT, env=env)
        wait_for_port(self.port, self.process, log=log)

    def log(self) -> str:
        path = self.folder / "radicale.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def requests(self) -> list[str]:
        """The requests logged so far (log_level "info"), as "METHOD path"."""
        return re.findall(r"(\w+) request for '([^']*)'", self.log())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None
