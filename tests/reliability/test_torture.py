"""Torture: a window and three command lines write to one database at once (issue 17).

The real main window (offscreen) does what a person does, one action after another,
through its actions and dialogs: log a touchpoint, write a note, promote / demote,
swap two people, edit a person, undo, open Preferences → Security, export This week
(md, csv, html, ics, json), export the dashboard as PNG, back up now. Meanwhile three
``tests/helpers/cli_writer.py`` processes run the real ``planner`` command over and
over on the same file: ``log`` and ``note`` with unique markers (``w2-#17``) and
``contacts move`` of their own people (a move into a full ring is refused, exit 1:
counted, not acknowledged).

At the end, with the window closed and every process gone:

* every acknowledged write (command: exit 0; window: the action said it was done)
  is in the file, in the order each writer made it; ``integrity_check`` is ok;
* each writer's own people are where its acknowledged moves left them, with one
  ring_move row per acknowledged move; the window's people are as the window last
  read them back after its own changes; what the window undid stays undone;
* no command failed for any other reason ("database is locked" is a failure), and
  the window saved every log, note, swap, edit, export and backup it was asked for;
* the window showed every acknowledged command-line write within 2 s.

Round 2 SIGKILLs a random ``planner`` process at random moments while it has the
database open (its write may be lost; nothing acknowledged may). Round 3 does the
same on a SQLCipher database, the commands getting the recovery passphrase with
``--passphrase-stdin``. The last test is a bug the torture found, on its own.

The test process never touches the database file itself (closing any descriptor of
it would drop the window's POSIX locks — the very bug this test is about): the checks
read it in a fresh process, before the window opens and after every process closed it.
``PLANNER_TORTURE_SECONDS`` (default 20) is the length of each round.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from planner.domain.rings import Ring
from tests.gui.helpers import back_up_now, open_window, populate, quick_animations

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks and SIGKILL"),
]

REPO = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("PLANNER_TORTURE_SECONDS", "20"))
WRITERS = 3
VISIBLE_WITHIN = 2.0  # seconds from a command's exit 0 to the window showing its write
SEED = int(os.environ.get("PLANNER_TORTURE_SEED", "17"))

#: round → figures, for the README's Reliability section (printed at the end of each round)
FIGURES: dict[str, dict] = {}

WINDOW_PEOPLE = {"Win One": Ring.INNER, "Win Two": Ring.MIDDLE, "Win Three": Ring.OUTER,
                 "Win Four": None}
SHARED_PEOPLE = {f"Shared {n}": (Ring.MIDDLE if n % 2 else Ring.OUTER) for n in range(1, 6)}


@pytest.fixture(autouse=True)
def _quick_glides(monkeypatch):
    quick_animations(monkeypatch)


@pytest.fixture(scope="module", autouse=True)
def _summary():
    """One line for the README's Reliability section, after the rounds (``pytest -s``)."""
    yield
    if not FIGURES:
        return
    rounds = list(FIGURES.values())
    cli = sum(sum(f["cli_acknowledged"].values()) for f in rounds)
    checked = sum(f["acknowledged_checked"] for f in rounds)
    seen = [f["visibility"] for f in rounds]
    print(f"\nreliability (torture): {len(rounds)} rounds of 1 window + {WRITERS} command "
          f"lines, {checked} acknowledged writes checked ({cli} by command lines, "
          f"{checked - cli} by the window), lost: {sum(f['lost'] for f in rounds)}; "
          f"SIGKILLs {sum(f['sigkills_sent'] for f in rounds)}, refused moves "
          f"{sum(f['cli_refused_moves'] for f in rounds)}; shown in the window: "
          f"{sum(v['checked'] for v in seen)} checked, median "
          f"{max((v['median_s'] or 0) for v in seen)} s at worst, max "
          f"{max((v['max_s'] or 0) for v in seen)} s")


# -- the database --------------------------------------------------------------------------
def make_people(db: Path) -> dict[str, int]:
    """Inner ring 2/3 (one seat for everybody to fight over); the window's own people;
    people everyone logs with; two people per writer that only that writer moves."""
    extra = {name: (ring, {}) for name, ring in {**WINDOW_PEOPLE, **SHARED_PEOPLE}.items()}
    for w in range(1, WRITERS + 1):
        for letter in "ab":
            extra[f"Mover w{w} {letter}"] = (Ring.OUTER, {})
    return populate(db, inner=1, extra=extra)


#: run in a fresh process: what any other program finds in the file (nothing of this
#: process's SQLite state can get in the way), as JSON
READ_FILE = r"""
import json, sqlite3, sys
args = json.loads(sys.stdin.read())
if args["key"] is None:
    conn = sqlite3.connect(args["db"])
else:
    from planner.storage.sqlite import encryption
    conn = encryption.open_verified(args["db"], args["key"])
out = {"integrity": conn.execute("PRAGMA integrity_check").fetchone()[0], "entries": []}
for table, column in (("touchpoint", "note"), ("note", "text")):
    for row in conn.execute(f"SELECT id, contact_id, {column}, created_at FROM {table}"):
        out["entries"].append([table, *row])
out["moves"] = conn.execute("SELECT id, contact_id, to_ring FROM ring_move ORDER BY id").fetchall()
out["places"] = conn.execute("SELECT contact_id, ring FROM placement WHERE owner = ''").fetchall()
out["orgs"] = conn.execute("SELECT id, organization FROM contact").fetchall()
conn.close()
print(json.dumps(out))
"""


def read_file(db: Path, key: str | None) -> dict:
    """The file as a fresh process reads it (sqlite3, or SQLCipher with ``key``), only
    while no process has it open."""
    result = subprocess.run([sys.executable, "-c", READ_FILE], cwd=REPO, capture_output=True,
                            text=True, input=json.dumps({"db": str(db), "key": key}),
                            timeout=120)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout)


def last_move_id(db: Path, key: str | None) -> int:
    return max((row[0] for row in read_file(db, key)["moves"]), default=0)


# -- the command-line writers ------------------------------------------------------------------
class CliWriter:
    """One ``tests.helpers.cli_writer`` process, its events read by a thread."""

    def __init__(self, n: int, db: Path, folder: Path, people: dict[str, int],
                 passphrase: str | None, acks: queue.Queue):
        self.tag = f"w{n}"
        self.movers = {people[f"Mover w{n} {x}"]: "outer" for x in "ab"}
        config = {
            "tag": self.tag, "db": str(db), "seed": SEED * 100 + n, "seconds": SECONDS,
            "min_acks": 5,
            "passphrase": passphrase,
            "targets": [people[name] for name in SHARED_PEOPLE],
            "movers": self.movers,
        }
        path = folder / f"{self.tag}.json"
        path.write_text(json.dumps(config), encoding="utf-8")
        self.events: list[dict] = []
        self.running: dict | None = None  # the "start" event of the planner process now running
        self.acks = acks
        self.stderr = ""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.cli_writer", str(path)],
            cwd=REPO,  # python -m: this checkout's planner (the lock guard's PYTHONPATH kept)
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            event = json.loads(line)
            event["seen"] = time.monotonic()
            event["writer"] = self.tag
            self.events.append(event)
            if event["ev"] == "start":
                self.running = event
            elif event["ev"] in ("ack", "killed", "refused", "fail"):
                self.running = None
                if event["ev"] == "ack" or (event["ev"] == "killed" and event["op"] == "move"):
                    self.acks.put(event)  # (a killed move may have been made: see take)

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e["ev"] == kind]

    def finish(self) -> None:
        try:
            self.proc.wait(timeout=120)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.reader.join(timeout=10)
            self.err_reader.join(timeout=10)
            self.proc.stdout.close()
            self.proc.stderr.close()


class Killer(threading.Thread):
    """Every 1.2–2.8 s, SIGKILL the ``planner`` process of a random writer in the middle of
    its work on the database: once it has the file open (seen in /proc/PID/fd, which
    opens nothing), 0–50 ms later — before, during or just after its commit. A writer
    is killed again only after two more acknowledged writes (progress on a slow machine)."""

    def __init__(self, writers: list[CliWriter], db: Path, rng: random.Random):
        super().__init__(daemon=True)
        self.writers, self.rng = writers, rng
        self.db = os.path.realpath(db)
        self.stop = threading.Event()
        self.kills = 0
        self.acks_at_kill = {w.tag: -2 for w in writers}

    def has_database_open(self, pid: int) -> bool:
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:  # gone, or no /proc (then: killed at a random moment)
            return not os.path.isdir("/proc")
        return any(link == self.db or link.startswith(self.db + "-") for link in links)

    def run(self) -> None:
        while not self.stop.wait(self.rng.uniform(1.2, 2.8)):
            ready = [w for w in self.writers
                     if len(w.of("ack")) >= self.acks_at_kill[w.tag] + 2]
            if not ready:
                continue
            writer = self.rng.choice(ready)
            # a command that ended before the kill was sent is followed by the writer's
            # next one (a command runs ~0.1 s on a quick machine: one try often missed,
            # and CI once saw a single kill in a 21-second round)
            for _ in range(20):
                if self.stop.is_set() or self.kill_one(writer):
                    break

    def kill_one(self, writer: CliWriter) -> bool:
        """SIGKILL the writer's running (or next) command 0–50 ms after it opened the
        database; False if it ended first."""
        deadline = time.monotonic() + 10
        started = writer.running
        while started is None and time.monotonic() < deadline and not self.stop.is_set():
            time.sleep(0.002)
            started = writer.running
        if started is None:
            return False
        while (writer.running is started and time.monotonic() < deadline
               and not self.has_database_open(started["pid"])):
            time.sleep(0.002)
        time.sleep(self.rng.uniform(0.0, 0.05))
        if writer.running is not started:  # that invocation is over
            return False
        try:
            os.kill(started["pid"], signal.SIGKILL)
        except ProcessLookupError:
            return False
        self.kills += 1
        self.acks_at_kill[writer.tag] = len(writer.of("ack"))
        return True


# -- the window ------------------------------------------------------------------------------
def entry_texts(model) -> set[str]:
    """The texts of the entries a timeline model has loaded (what the list shows)."""
    from planner.ui.timeline.timeline_model import Role

    texts = set()
    for row in range(model.rowCount()):
        entry = model.index(row).data(Role.ENTRY)
        if entry is not None and not isinstance(entry, str):
            texts.add(getattr(entry, "text", ""))
    return texts


class Visibility:
    """Does the window show each acknowledged command-line write within 2 s?

    Checked for every acknowledged write, on the window's own data only (its document
    and its All activity list; no SQL): when the window reports another program's
    change, after each of the window's actions, and at the end. A move overtaken by
    the same writer's next move before the window showed it cannot be told apart, and
    is counted as overtaken, not checked — also when that next move was killed before
    it answered (it may have been made)."""

    def __init__(self, window, acks: queue.Queue):
        self.window, self.acks = window, acks
        self.pending: list[dict] = []
        self.latencies: list[float] = []
        self.slow: list[str] = []  # over 2 s: which, and how long
        self.late: list[dict] = []  # never shown
        self.overtaken = 0
        window.document.external_change.connect(self.check)

    def take(self) -> None:
        while True:
            try:
                event = self.acks.get_nowait()
            except queue.Empty:
                return
            if event["op"] == "move":
                before = len(self.pending)
                self.pending = [p for p in self.pending
                                if not (p["op"] == "move" and p["contact"] == event["contact"])]
                self.overtaken += before - len(self.pending)
            if event["ev"] == "killed":
                # a move killed before it answered may have been made all the same (the
                # file check allows for it): it overtakes that person's earlier move, and
                # is not itself a write to show (it was never acknowledged)
                continue
            self.pending.append(event)

    def shown(self, event: dict) -> bool:
        if event["op"] == "move":
            contact = self.window.document.contact(event["contact"])
            ring = contact.ring.value if contact is not None and contact.ring else "none"
            return ring == event["ring"]
        return event["marker"] in entry_texts(self.window.activity.model)

    def check(self) -> None:
        self.take()
        now = time.monotonic()
        still = []
        texts = None
        for event in self.pending:
            if event["op"] == "move":
                seen = self.shown(event)
            else:
                texts = entry_texts(self.window.activity.model) if texts is None else texts
                seen = event["marker"] in texts
            if seen:
                self.latencies.append(now - event["seen"])
                if now - event["seen"] > VISIBLE_WITHIN:
                    self.slow.append(f"{event['op']} {event['marker']} "
                                     f"{event.get('ring', '')}: {now - event['seen']:.2f} s")
            elif now - event["seen"] > VISIBLE_WITHIN + 3:
                self.late.append(event)
            else:
                still.append(event)
        self.pending = still

    def drain(self, qtbot) -> None:
        """After the writers: wait for the last ones (up to 5 s, to measure)."""
        self.check()
        deadline = time.monotonic() + VISIBLE_WITHIN + 3
        while self.pending and time.monotonic() < deadline:
            qtbot.wait(20)
            self.check()
        self.late += self.pending
        self.pending = []

    def figures(self) -> dict:
        slow = [t for t in self.latencies if t > VISIBLE_WITHIN]
        return {
            "checked": len(self.latencies) + len(self.late),
            "overtaken": self.overtaken,
            "median_s": round(statistics.median(self.latencies), 3) if self.latencies else None,
            "max_s": round(max(self.latencies), 3) if self.latencies else None,
            "over_2s": len(slow),
            "never_shown": len(self.late),
        }


class AtTheWindow:
    """A person at the window: one action at a time, through the window's own actions,
    buttons and dialogs (a swap through the document's undo command)."""

    ACTIONS = ("log", "note", "move", "swap", "edit", "undo", "preferences", "export_focus",
               "export_png", "backup", "log", "note", "move", "edit")
    FOCUS_FORMATS = ("md", "csv", "html", "ics", "json")

    def __init__(self, qtbot, window, people: dict[str, int], exports: Path,
                 rng: random.Random, encrypted: bool):
        self.qtbot, self.window, self.rng = qtbot, window, rng
        self.exports = exports
        self.encrypted = encrypted
        self.own = [people[name] for name in WINDOW_PEOPLE]
        self.loggable = self.own + [people[name] for name in SHARED_PEOPLE]
        self.messages: list[str] = []
        window.document.message.connect(self.messages.append)
        self.problems: list[str] = []  # what the window got wrong (the round goes on)
        self.seq = 0
        self.acked: list[tuple[str, int]] = []  # (marker, contact id), in order
        self.undone: set[str] = set()
        self.done = Counter()  # what was acknowledged, by action
        self.tried = Counter()
        self.expected: dict[int, tuple[str | None, str]] = {}
        self.read_back()
        self._plan: list[str] = []

    # the window's own connection says what it committed (only the window changes these)
    def read_back(self) -> None:
        from planner.services import contacts as contact_svc

        for cid in self.own:
            c = contact_svc.get_contact(cid)
            self.expected[cid] = (c.ring.value if c.ring else None, c.organization)

    def said(self, since: int, needle: str) -> bool:
        return any(needle in m for m in self.messages[since:])

    def next_action(self) -> str:
        if not self._plan:
            self._plan = list(self.ACTIONS)
            self.rng.shuffle(self._plan)
        return self._plan.pop()

    def act(self) -> str:
        action = self.next_action()
        self.tried[action] += 1
        getattr(self, action)()
        return action

    # -- writing ---------------------------------------------------------------------------
    def _log(self, kind: str) -> None:
        window = self.window
        cid = self.rng.choice(self.loggable)
        window.select(cid)
        self.seq += 1
        marker = f"win-#{self.seq}"
        since = len(self.messages)
        a = window.window_actions
        action = a.log_note if kind == "note" else a.log_kind[kind]
        action.trigger()
        dialog = window.history.dialog
        assert dialog is not None and dialog.isVisible(), "the log dialog did not open"
        QTest.keyClicks(dialog.note, marker)
        QTest.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
        assert not dialog.isVisible()
        if self.said(since, "Wrote a note about " if kind == "note" else "Logged "):
            self.acked.append((marker, cid))
            self.done[kind if kind == "note" else "log"] += 1
        else:  # nothing may refuse a log (a busy database is waited for)
            self.problems.append(f"the window did not save {marker}: {self.messages[since:]}")
        self._maybe_undo()

    def log(self) -> None:
        self._log(self.rng.choice(("coffee", "call", "im", "video")))

    def note(self) -> None:
        self._log("note")

    def move(self) -> None:
        window = self.window
        window.select(self.rng.choice(self.own))
        self.rng.choice((window.window_actions.promote, window.window_actions.demote)).trigger()
        self._after_change("move")
        self._maybe_undo()

    def swap(self) -> None:
        document = self.window.document
        placed = [c for c in (document.contact(cid) for cid in self.own) if c and c.ring]
        self.rng.shuffle(placed)
        pairs = [(a, b) for a in placed for b in placed if a.ring != b.ring]
        if pairs:
            a, b = pairs[0]
            since = len(self.messages)
            if not document.move(a.id, b.ring, swap_with=b.id):  # only the window moves them
                self.problems.append(f"the window could not swap #{a.id} and #{b.id}: "
                                     f"{self.messages[since:]}")
        self._after_change("swap")
        self._maybe_undo()

    def edit(self) -> None:
        window = self.window
        cid = self.rng.choice(self.own)
        window.select(cid)
        window.window_actions.edit_contact.trigger()
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "contactDialog", dialog
        self.seq += 1
        since = len(self.messages)
        dialog.organization.clear()
        QTest.keyClicks(dialog.organization, f"org-{self.seq}")
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        assert not dialog.isVisible()
        self._after_change("edit")
        if self.expected[cid][1] != f"org-{self.seq}":  # only the window edits them
            self.problems.append(f"the window did not save the edit of #{cid}: "
                                 f"{self.messages[since:]}")
        self._maybe_undo()

    def undo(self) -> None:
        stack = self.window.document.undo_stack
        before = stack.index()
        self.window.window_actions.undo.trigger()
        if stack.index() != before:
            self.done["undo"] += 1
        if self.acked:  # only the last command can have been undone
            from planner.services import touchpoints as tp_svc

            marker, cid = self.acked[-1]
            if marker not in {e.text for e in tp_svc.timeline(cid, limit=500)}:
                self.undone.add(marker)
        self.read_back()

    def _after_change(self, what: str) -> None:
        before = dict(self.expected)
        self.read_back()
        if self.expected != before:
            self.done[what] += 1

    def _maybe_undo(self) -> None:
        if self.rng.random() < 0.25:  # a change of mind at once (often refused: others wrote)
            self.tried["undo"] += 1
            self.undo()

    # -- looking, exporting, backing up ----------------------------------------------------------
    def preferences(self) -> None:
        self.window.window_actions.preferences.trigger()
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and hasattr(dialog, "tabs"), dialog
        tabs = dialog.tabs
        security = next(i for i in range(tabs.count()) if "Security" in tabs.tabText(i))
        tabs.setCurrentIndex(security)
        self.qtbot.wait(10)
        expected = "Encrypted: yes" if self.encrypted else "Encrypted: no"
        assert expected in dialog.security_status.text(), dialog.security_status.text()
        dialog.reject()
        self.done["preferences"] += 1

    def _save_dialog(self, owner, name: str, name_filter: str | None = None) -> Path:
        dialogs = [d for d in owner.findChildren(QFileDialog) if d.isVisible()]
        assert len(dialogs) == 1, dialogs
        dialog = dialogs[0]
        if name_filter is not None:
            dialog.selectNameFilter(name_filter)
        target = self.exports / name
        dialog.selectFile(str(target))
        dialog.accept()  # what the Save button does
        assert not dialog.isVisible()
        return target

    def export_focus(self) -> None:
        from planner.ui.focus.focus_panel import FILTERS

        fmt = self.FOCUS_FORMATS[self.tried["export_focus"] % len(self.FOCUS_FORMATS)]
        panel = self.window.focus
        if not panel.export_button.isEnabled():  # nobody due: nothing to write out
            return
        panel.export_button.click()
        target = self._save_dialog(panel, f"focus-{self.tried['export_focus']}.{fmt}",
                                   FILTERS[fmt])
        self._check_written(target, "export_focus")

    def export_png(self) -> None:
        board = self.window.dashboard
        board.export_button.click()
        target = self._save_dialog(board, f"dashboard-{self.tried['export_png']}.png")
        self._check_written(target, "export_png")

    def _check_written(self, target: Path, what: str) -> None:
        if target.exists():
            self.done[what] += 1
        else:
            self.problems.append(f"{what}: {target.name} was not written: {self.messages[-2:]}")
        self._dismiss_warnings()

    def _dismiss_warnings(self, record: bool = True) -> None:
        """A failure opens a warning box (open(), not exec()): read it and press OK."""
        from PySide6.QtWidgets import QMessageBox

        for box in self.window.findChildren(QMessageBox):
            if box.isVisible():
                if record:
                    self.problems.append(f"the window warned: {box.text()}")
                box.accept()

    def backup(self) -> None:
        """Back Up Now copies on a worker thread: the person waits for it to say so (the
        window goes on showing the command lines' writes meanwhile)."""
        transfer = self.window.transfer
        transfer.last_message = ""
        if back_up_now(self.qtbot, self.window) is not None:
            self.done["backup"] += 1
        else:
            self.problems.append(f"Back Up Now: {transfer.last_message}")
        self._dismiss_warnings(record=False)


# -- one round -------------------------------------------------------------------------------
def torture(qtbot, tmp_path: Path, label: str, *, kills: bool, key: str | None = None,
            passphrase: str | None = None, people: dict[str, int]) -> dict:
    db = tmp_path / "planner.db"
    exports = tmp_path / "exports"
    exports.mkdir()
    first_move = last_move_id(db, key)  # the file is still closed here
    rng = random.Random(f"{SEED}-{label}")

    window = open_window(qtbot, db, watch=True)
    acks: queue.Queue = queue.Queue()
    visibility = Visibility(window, acks)
    person = AtTheWindow(qtbot, window, people, exports, rng, encrypted=key is not None)
    writers = [CliWriter(n, db, tmp_path, people, passphrase, acks)
               for n in range(1, WRITERS + 1)]
    killer = Killer(writers, db, random.Random(f"{SEED}-kill-{label}")) if kills else None
    started = time.monotonic()
    try:
        if killer is not None:
            killer.start()
        while any(w.proc.poll() is None for w in writers):
            assert time.monotonic() - started < 2 * SECONDS + 90, "the writers did not stop"
            person.act()
            visibility.check()
            qtbot.wait(rng.randint(100, 300))  # a (quick) person's pause between two actions
        if killer is not None:
            killer.stop.set()
            killer.join(timeout=10)
        for w in writers:
            w.finish()
        visibility.drain(qtbot)
    finally:
        if killer is not None:
            killer.stop.set()
        for w in writers:  # (again after a failure: none left running, every pipe closed)
            if w.proc.poll() is None:
                w.proc.kill()
            w.finish()
        # the window closes: its connection (the last one) checkpoints into the file
        window.close()
        window.document.session.stop_watching()
        window.document.database.close()
    elapsed = time.monotonic() - started

    problems = check_file(db, key, first_move, writers, person) + person.problems
    for w in writers:
        for e in w.of("fail"):
            problems.append(f"{w.tag} {e['op']} {e['marker']} failed (exit {e['rc']}): "
                            f"{e['stderr']}")
        if w.proc.returncode != 0:
            problems.append(f"{w.tag} ended with {w.proc.returncode}: {w.stderr[-800:]}")
    seen = visibility.figures()
    for event in visibility.late:
        problems.append(f"the window never showed {event['writer']} {event['op']} "
                        f"{event.get('marker')} {event.get('ring', '')}")
    if seen["over_2s"]:
        problems.append(f"{seen['over_2s']} writes took more than {VISIBLE_WITHIN} s to show: "
                        + "; ".join(visibility.slow))

    acked = {w.tag: len(w.of("ack")) for w in writers}
    figures = {
        "round": label,
        "seconds": round(elapsed, 1),
        "processes": f"1 window + {WRITERS} command-line writers",
        "cli_acknowledged": acked,
        "cli_refused_moves": sum(len(w.of("refused")) for w in writers),
        "cli_killed": sum(len(w.of("killed")) for w in writers),
        "sigkills_sent": killer.kills if killer else 0,
        "cli_failed": sum(len(w.of("fail")) for w in writers),
        "window_actions": dict(person.tried),
        "window_acknowledged": dict(person.done),
        "window_markers": len(person.acked),
        "window_undone": len(person.undone),
        "acknowledged_checked": sum(acked.values()) + len(person.acked)
        + sum(person.done[k] for k in ("move", "swap", "edit")),
        "lost": sum(1 for p in problems if p.startswith("LOST")),
        "visibility": seen,
    }
    FIGURES[label] = figures
    print(f"\ntorture {label}: {json.dumps(figures)}")
    assert not problems, "\n".join(problems[:40])
    # the round really did what it says
    assert all(n >= 2 for n in acked.values()) and sum(acked.values()) >= 8, acked
    assert person.done["log"] + person.done["note"] >= 3, person.done
    for action in ("preferences", "export_focus", "export_png", "backup"):
        assert person.done[action] >= 1, (action, person.tried, person.done)
    if kills:
        assert figures["cli_killed"] >= 2, figures
    return figures


def check_file(db: Path, key: str | None, first_move: int, writers: list[CliWriter],
               person: AtTheWindow) -> list[str]:
    """Everything acknowledged is in the file, in each writer's order. Problems, as text
    (a lost write starts with LOST)."""
    problems: list[str] = []
    found = read_file(db, key)
    if "error" in found:
        return [f"LOST: the file cannot be read: {found['error']}"]
    if found["integrity"] != "ok":
        problems.append(f"integrity_check: {found['integrity']}")
    stored: dict[str, list[tuple]] = {}
    for table, row_id, contact, text, created in found["entries"]:
        stored.setdefault(text, []).append((table, row_id, contact, created))
    moves: dict[int, list[str | None]] = {}
    for move_id, contact, to_ring in found["moves"]:
        if move_id > first_move:
            moves.setdefault(contact, []).append(to_ring)
    places = dict(map(tuple, found["places"]))
    orgs = dict(map(tuple, found["orgs"]))

    def in_order(who: str, markers: list[tuple[str, int]]) -> None:
        previous = None
        for marker, contact in markers:
            rows = stored.get(marker, [])
            if not rows:
                problems.append(f"LOST: {who}'s acknowledged {marker} is not in the file")
                continue
            if len(rows) > 1 or rows[0][2] != contact:
                problems.append(f"{who}'s {marker}: stored as {rows}")
            table, row_id, _contact, created = rows[0]
            if previous is not None:
                p_table, p_id, p_created, p_marker = previous
                if created <= p_created or (table == p_table and row_id <= p_id):
                    problems.append(f"{who}: {marker} ({table} {row_id}, {created}) is not "
                                    f"after {p_marker} ({p_table} {p_id}, {p_created})")
            previous = (table, row_id, created, marker)

    for w in writers:
        in_order(w.tag, [(e["marker"], e["contact"]) for e in w.of("ack")
                         if e["op"] in ("log", "note")])
        for mover, ring in w.movers.items():
            possible = {ring}
            wanted: list[str | None] = []
            for e in w.events:
                if e.get("contact") != mover:
                    continue
                target = None if e.get("ring") == "none" else e.get("ring")
                if e["ev"] == "ack":
                    possible = {target}
                    wanted.append(target)
                elif e["ev"] == "killed" and e["op"] == "move":
                    possible.add(target)
                elif e["ev"] == "probe":
                    possible = {None if e["ring"] == "none" else e["ring"]}
            history = moves.get(mover, [])
            if not _subsequence(wanted, history):
                problems.append(f"LOST: {w.tag}'s acknowledged moves of #{mover} {wanted} "
                                f"are not all in its history {history}")
            elif not any(e["ev"] == "killed" for e in w.events) and wanted != history:
                problems.append(f"{w.tag}'s #{mover}: history {history}, moves made {wanted}")
            if places.get(mover) not in possible:
                problems.append(f"LOST: {w.tag}'s #{mover} is on {places.get(mover)}, "
                                f"its last acknowledged move put it on {possible}")
    in_order("the window", [(m, c) for m, c in person.acked if m not in person.undone])
    for marker in person.undone:
        if marker in stored:
            problems.append(f"the window undid {marker}, but it is in the file")
    for cid, (ring, org) in person.expected.items():
        if (places.get(cid), orgs.get(cid)) != (ring, org):
            problems.append(f"LOST: the window's person #{cid} is ({places.get(cid)}, "
                            f"{orgs.get(cid)!r}) in the file, the window left ({ring}, {org!r})")
    return problems


def _subsequence(wanted: list, history: list) -> bool:
    it = iter(history)
    return all(any(h == w for h in it) for w in wanted)


# -- the rounds -------------------------------------------------------------------------------
def test_window_and_three_command_lines_lose_nothing(qtbot, tmp_path, record_property):
    people = make_people(tmp_path / "planner.db")
    figures = torture(qtbot, tmp_path, "plain", kills=False, people=people)
    record_property("torture_plain", json.dumps(figures))


def test_sigkilled_command_lines_lose_nothing_acknowledged(qtbot, tmp_path, record_property):
    people = make_people(tmp_path / "planner.db")
    figures = torture(qtbot, tmp_path, "plain+sigkill", kills=True, people=people)
    record_property("torture_sigkill", json.dumps(figures))


def test_encrypted_database_loses_nothing(qtbot, tmp_path, memory_keyring, record_property):
    from planner.services.security import encrypt_database, new_key

    db = tmp_path / "planner.db"
    people = make_people(db)
    fresh = new_key()
    encrypt_database(str(db), fresh)  # the key goes to the (in-memory) keyring: the window
    assert memory_keyring.store  # opens it as it would on a desktop
    figures = torture(qtbot, tmp_path, "sqlcipher+sigkill", kills=True, key=fresh.key,
                      passphrase=fresh.recovery, people=people)
    record_property("torture_sqlcipher", json.dumps(figures))


# -- what the torture found, on its own ----------------------------------------------------------
def test_a_command_line_move_just_before_a_window_write_is_shown(qtbot, tmp_path):
    """The window notices other programs by polling ``PRAGMA data_version`` once a second.
    A command that commits between two polls, followed by the person's own action in the
    window (here: logging a coffee with someone else), must still show up: the window's
    own write may not take the other program's change for its own."""
    from tests.helpers.cli import ok, run_cli

    db = tmp_path / "planner.db"
    ids = populate(db, extra={"Ada Lovelace": (None, {}), "Bob Kahn": (Ring.OUTER, {})})
    window = open_window(qtbot, db, watch=True)
    ok(run_cli("contacts", "move", "Ada", "middle", db=db))  # (no poll can run meanwhile)
    window.select(ids["Bob Kahn"])
    window.window_actions.log_kind["coffee"].trigger()
    dialog = window.history.dialog
    QTest.keyClick(dialog.note, Qt.Key.Key_Return)
    assert window.document.contact(ids["Bob Kahn"]).last_touch is not None
    qtbot.waitUntil(lambda: window.document.contact(ids["Ada Lovelace"]).ring == Ring.MIDDLE,
                    timeout=int(VISIBLE_WITHIN * 1000))
