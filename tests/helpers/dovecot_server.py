"""A real IMAP server for tests: a private Dovecot on 127.0.0.1 (IMAPS, and IMAP with
STARTTLS) on free ports, run as the current user with its own base_dir, a passwd-file with
one throwaway user, maildirs and a self-signed certificate (``openssl req -x509``), all in a
tmp folder. Mail is put there by the test with IMAP APPEND as that user.

Dovecot comes from Debian's ``dovecot-imapd`` (.ci/run installs it): without it a test
skips locally and fails under CI.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.servers import free_port, need, self_signed, wait_for_port

USER = "mentor@example.org"
PASSWORD = "s3cret-Dovecot-pw"

CONFIG = """\
protocols = imap
base_dir = {run}
state_dir = {run}/state
instance_name = planner-test-{imaps}
log_path = {run}/dovecot.log
info_log_path = {run}/dovecot.log
listen = 127.0.0.1
shutdown_clients = yes
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{run}/mail/%n
auth_mechanisms = plain login
disable_plaintext_auth = yes
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
login_trusted_networks =
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {run}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {run}/passwd
  default_fields = uid={uid} gid={gid} home={run}/home/%n
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
  process_min_avail = 0
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    user = {internal}
  }}
  unix_listener stats-writer {{
    user = {internal}
  }}
}}
"""


@dataclass
class Dovecot:
    root: Path
    imap: int = field(default_factory=free_port)
    imaps: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    fingerprint: str = ""
    sent_name: str = "Sent"
    special_use: bool = True  # False: the Sent folder is found by its name only

    def configure(self) -> Path:
        binary = need("dovecot", "dovecot-imapd")
        self.binary = binary
        cert, key, self.fingerprint = self_signed(self.root / "tls")
        uid, gid = os.getuid(), os.getgid()
        me, my_group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        # the sockets and the mail must be reachable by the server's users: not under
        # pytest's 0700 tmp folder
        self.run_dir = Path(tempfile.mkdtemp(prefix="planner-dovecot-"))
        self.run_dir.chmod(0o755)
        for sub in ("state", "mail", "home"):
            (self.run_dir / sub).mkdir()
        if uid == 0:  # as root: Dovecot's login and internal users, mail as nobody
            login, internal, internal_group = "dovenull", "dovecot", "dovecot"
            uid, gid = pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid
            for sub in ("mail", "home"):
                os.chown(self.run_dir / sub, uid, gid)
        else:  # an ordinary user runs the whole server as itself
            login, internal, internal_group = me, me, my_group
        (self.run_dir / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::"
                                          f"{self.run_dir / 'home'}::\n")
        config = self.root / "dovecot.conf"
        text = CONFIG.format(root=self.root, imap=self.imap, imaps=self.imaps, cert=cert,
                             key=key, uid=uid, gid=gid, run=self.run_dir, login=login,
                             internal=internal, internal_group=internal_group)
        if self.sent_name != "Sent":
            text = text.replace("mailbox Sent {", f"mailbox \"{self.sent_name}\" {{")
        if not self.special_use:
            text = text.replace("    special_use = \\Sent\n", "")
        config.write_text(text)
        return config

    def start(self) -> None:
        config = self.root / "dovecot.conf"
        if not config.exists():
            self.configure()
        self.process = subprocess.Popen([self.binary, "-F", "-c", str(config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        log = self.run_dir / "dovecot.log"
        try:
            wait_for_port(self.imaps, self.process, log=log)
            wait_for_port(self.imap, self.process, log=log)
        except RuntimeError as exc:
            err = self.process.stderr.read().decode(errors="replace") if self.process.stderr \
                else ""
            raise RuntimeError(f"{exc}\n{err}") from None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        run_dir = getattr(self, "run_dir", None)
        if run_dir is not None:
            shutil.rmtree(run_dir, ignore_errors=True)

    def log(self) -> str:
        path = self.run_dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""
