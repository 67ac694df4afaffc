"""A throwaway PostgreSQL cluster that speaks German: initdb in a tmp folder, password
(SCRAM) authentication on 127.0.0.1, ``lc_messages = 'de_DE.UTF-8'`` in its own
postgresql.conf — so even the messages sent before a session exists (a refused password)
are German — on a free port, stopped and removed afterwards. The machine's own cluster
is never touched.

The German locale is made with ``localedef`` into a folder of its own (``LOCPATH`` for the
server only; nothing is installed on the machine) and kept for the next run. As root,
initdb and the server run as the ``postgres`` user (PostgreSQL refuses root).
A missing program skips the test locally and fails it under CI (``need``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers.servers import free_port, need

SUPERUSER, PASSWORD = "postgres", "s3cret-Postgres-pw"
LOCALE = "de_DE.UTF-8"
LOCALES = Path(tempfile.gettempdir()) / "planner-test-locales"  # kept between runs


@dataclass
class GermanCluster:
    port: int
    folder: Path
    #: how pg_ctl runs (as the postgres user when the tests run as root) and its environment
    run_as: list[str] = field(default_factory=list)
    env: dict = field(default_factory=dict)

    def pg_ctl(self, *args: str) -> None:
        """``pg_ctl -D <data> -w ARGS`` on this cluster (stop -m fast, start, restart …)."""
        data, log = self.folder / "data", self.folder / "server.log"
        subprocess.run([*self.run_as, need("pg_ctl", "postgresql"), "-D", str(data), "-l",
                        str(log), "-w", "-t", "30", *args], check=True, capture_output=True,
                       env=self.env)

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode)

    def start(self) -> None:
        self.pg_ctl("start")

    def restart(self, mode: str = "fast") -> None:
        self.pg_ctl("restart", "-m", mode)

    def url(self, user: str = SUPERUSER, password: str | None = PASSWORD,
            dbname: str = "postgres") -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def sql(self, statement: str) -> None:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                                password=PASSWORD, dbname="postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(statement)
        finally:
            conn.close()


def german_locale() -> Path:
    """The folder (for LOCPATH) holding a compiled de_DE.UTF-8 locale."""
    localedef = need("localedef", "locales")
    if (LOCALES / LOCALE / "LC_MESSAGES").exists():
        return LOCALES
    if not Path("/usr/share/i18n/locales/de_DE").exists():
        if os.environ.get("CI"):
            pytest.fail("the locale sources are missing (apt-get install locales)")
        pytest.skip("the locale sources are missing (apt-get install locales)")
    LOCALES.mkdir(exist_ok=True)
    LOCALES.chmod(0o755)
    staged = Path(tempfile.mkdtemp(dir=LOCALES))
    subprocess.run([localedef, "-i", "de_DE", "-f", "UTF-8", str(staged / LOCALE)],
                   check=True, capture_output=True)
    try:
        os.rename(staged / LOCALE, LOCALES / LOCALE)  # another run may have been quicker
    except OSError:
        pass
    shutil.rmtree(staged, ignore_errors=True)
    for folder, dirs, files in os.walk(LOCALES):  # the server's user reads it
        for name in dirs + files:
            (Path(folder) / name).chmod(0o755)
    return LOCALES


@contextmanager
def german_cluster() -> Iterator[GermanCluster]:
    initdb, pg_ctl = need("initdb", "postgresql"), need("pg_ctl", "postgresql")
    locales = german_locale()
    run_as: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="planner-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        run_as = [need("runuser", "util-linux"), "-u", "postgres", "--"]
    env = {**os.environ, "LOCPATH": str(locales), "LC_ALL": "C"}
    password_file = folder / "password"
    password_file.write_text(PASSWORD)
    if run_as:
        os.chown(password_file, account.pw_uid, account.pw_gid)
    data, log = folder / "data", folder / "server.log"
    port = free_port()
    subprocess.run([*run_as, initdb, "-D", str(data), "-U", SUPERUSER, "--pwfile",
                    str(password_file), "--auth-local=trust", "--auth-host=scram-sha-256",
                    "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                   check=True, capture_output=True, env=env)
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                   f"unix_socket_directories = '{folder}'\nlc_messages = '{LOCALE}'\n"
                   "fsync = off\nshared_buffers = 16MB\nmax_connections = 20\n")
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "30",
                    "start"], check=True, capture_output=True, env=env)
    try:
        yield GermanCluster(port, folder, run_as, env)
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, env=env)
        shutil.rmtree(folder, ignore_errors=True)
