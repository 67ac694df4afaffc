"""One command-line writer of the torture test (``tests/reliability/test_torture.py``).

Run as ``python -m tests.helpers.cli_writer CONFIG.json`` from the repository. For a
bounded time it runs the real command, one ``python -m planner --db FILE …`` process
per write, the way a person or a script at a terminal does: ``log`` and ``note`` with
a unique marker (``w2-#17``: writer 2, its 17th write) and ``contacts move`` of its
own people between rings. Each step is one JSON line on stdout:

* ``start``   — the ``planner`` process runs (its pid: the test may SIGKILL it);
* ``ack``     — it exited 0: an acknowledged write, which must never be lost;
* ``refused`` — a move into a full ring (exit 1, "full"): nothing was written;
* ``killed``  — it died by SIGKILL: its write may or may not be there;
* ``fail``    — anything else (exit code and stderr): the test reports it;
* ``probe``   — after a killed move, where the person really is now (``contacts show``);
* ``done``    — the time is up (on a slow machine: once ``min_acks`` writes were
  acknowledged, or at twice the time).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

KINDS = ("coffee", "call", "im", "video", "email", "meal")
RINGS = ("inner", "middle", "outer", "none")
OPS = ("log", "note", "move")
WEIGHTS = (35, 35, 30)


def emit(event: str, **fields) -> None:
    print(json.dumps({"ev": event, "t": time.time(), **fields}), flush=True)


class Writer:
    def __init__(self, config: dict):
        self.tag = config["tag"]
        self.rng = random.Random(config["seed"])
        self.passphrase = config.get("passphrase")
        self.base = [sys.executable, "-m", "planner", "--db", config["db"]]
        if self.passphrase:
            self.base.append("--passphrase-stdin")
        self.targets = [int(c) for c in config["targets"]]
        #: my own people (only I move them) → the ring I believe they are on
        self.ring_of = {int(c): ring for c, ring in config["movers"].items()}
        self.seconds = float(config["seconds"])
        #: on a slow machine, go on (up to twice the time) until this many were acknowledged
        self.min_acks = int(config.get("min_acks", 0))
        self.acks = 0

    def run_planner(self, args: list[str], *, announce: dict | None = None):
        proc = subprocess.Popen(
            self.base + args,
            stdin=subprocess.PIPE if self.passphrase else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        if announce is not None:
            emit("start", pid=proc.pid, **announce)
        out, err = proc.communicate(
            self.passphrase + "\n" if self.passphrase else None, timeout=120)
        return proc.returncode, out, err

    def probe(self, mover: int) -> str:
        """Where a person is after a killed move (a read: never announced, never killed)."""
        for _ in range(20):
            rc, out, _err = self.run_planner(["contacts", "show", f"#{mover}", "--json"])
            if rc == 0:
                return json.loads(out)["ring"] or "none"
            time.sleep(0.1)
        raise SystemExit(f"{self.tag}: cannot read #{mover} after a killed move")

    def step(self, seq: int) -> None:
        op = self.rng.choices(OPS, WEIGHTS)[0]
        marker = f"{self.tag}-#{seq}"
        event: dict = {"seq": seq, "op": op, "marker": marker}
        if op == "log":
            contact = self.rng.choice(self.targets)
            args = ["log", f"#{contact}", self.rng.choice(KINDS), "--note", marker]
        elif op == "note":
            contact = self.rng.choice(self.targets)
            args = ["note", f"#{contact}", marker]
        else:
            contact = self.rng.choice(sorted(self.ring_of))
            # never where they already are: every acknowledged move changes the ring
            target = self.rng.choice([r for r in RINGS if r != self.ring_of[contact]])
            event["ring"] = target
            args = ["contacts", "move", f"#{contact}", target]
        event["contact"] = contact
        rc, _out, err = self.run_planner(args, announce=event)
        if rc == 0:
            if op == "move":
                self.ring_of[contact] = event["ring"]
            self.acks += 1
            emit("ack", **event)
        elif rc == -signal.SIGKILL:
            emit("killed", **event)
            if op == "move":
                self.ring_of[contact] = self.probe(contact)
                emit("probe", seq=seq, contact=contact, ring=self.ring_of[contact])
        elif rc == 1 and op == "move" and "full" in err:
            emit("refused", **event)
        else:
            emit("fail", rc=rc, stderr=err.strip()[-500:], **event)

    def run(self) -> None:
        start = time.monotonic()
        seq = 0
        while (elapsed := time.monotonic() - start) < self.seconds or (
                self.acks < self.min_acks and elapsed < 2 * self.seconds):
            seq += 1
            self.step(seq)
        emit("done", seq=seq)


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    Writer(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
