"""The wider network as a Qt table model: everyone, their ring and last touch.

A page at a time (issue 23): the order and the filters are SQL
(``contacts.people_ids``: the ids of the people shown, in order, in one
query that walks the name-order index), and the rows themselves are read
``PAGE`` at a time through ``canFetchMore``/``fetchMore`` as the list is
scrolled — the window no longer reads 100,000 people before its first frame.
Nor their 100,000 ids: a fill by name with no filter (start-up) reads the first
ones and takes the count from the document (:class:`FirstIds`), reads on from the
last of them by keyset as the list is scrolled past them, and reads the rest in steps
once the window's first frame is painted.
``data()`` reads the rows fetched so far (and, for the placed, the document's
cached people); it never touches the database.

Orders: by name (case ignored, then id); by ring, last touch or status first with
the name order among equals (descending turns the first key round only, as the
stable sort of the earlier model did). Status is a cadence status of the placed
only: the unplaced all sort as one (below every status), and the placed, whom the
document holds, are ranked in Python.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from enum import IntEnum
from functools import cache

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QWidget

from planner.domain.cadence import urgency
from planner.domain.contact import initials as initials_of
from planner.domain.rings import RING_ORDER, Ring
from planner.services import contacts as contact_svc
from planner.services import people_index
from planner.ui.common import avatars
from planner.ui.common.dates import date_text
from planner.ui.common.mime import CONTACT_MIME, encode_contact_ids
from planner.ui.common.palette import NEUTRAL_HALO, RING_COLORS, STATUS_COLORS, ink_on


class Role(IntEnum):
    CONTACT_ID = Qt.ItemDataRole.UserRole + 1
    SORT = Qt.ItemDataRole.UserRole + 2
    SEARCH = Qt.ItemDataRole.UserRole + 3
    PLACED = Qt.ItemDataRole.UserRole + 4


COLUMNS = ("Name", "Ring", "Status", "Last touch")
NAME, RING, STATUS, LAST = range(4)


STATUS_DOT = 12  # pixels


@cache
def status_dot(color: str) -> QPixmap:
    """A small filled circle in a status colour (cached: one per colour)."""
    pixmap = QPixmap(STATUS_DOT, STATUS_DOT)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return pixmap


AVATAR = 18  # pixels


@cache
def avatar(initials: str, color: str, size: int = AVATAR) -> QPixmap:
    """A round avatar: the initials on the ring's colour (cached). Small in the list; a
    node's size as the list's drag image."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    border = max(1, size // 16)
    painter.setPen(QPen(QColor("white"), border) if size > AVATAR else Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(QRectF(border / 2, border / 2, size - border, size - border))
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(7, int(size * (0.38 if len(initials) > 2 else 0.45))))
    painter.setFont(font)
    painter.setPen(QColor(ink_on(color)))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, initials)
    painter.end()
    return pixmap


log = logging.getLogger(__name__)

#: rows read per fetchMore (a screenful is about 30)
PAGE = 100
#: rows read when the list is filled afresh (a search typed, the order changed): a
#: screenful and some; the view asks for more (fetchMore) when its last row shows
FIRST = 50
#: initials remembered per name (forgotten all at once beyond this): names repeat, and
#: working them out (whole characters, see domain/initials.py) is some 50 µs a row
_INITIALS_KEPT = 20_000
#: a row of the list is a plain tuple (id, name, email, ring value or None, last touch as
#: stored): Python's garbage collector leaves tuples of plain values alone, where 100,000
#: row objects made every full collection a 50–70 ms pause while scrolling
_ID, _NAME, _EMAIL, _RING, _LAST_STORED = range(5)
_RINGS = {ring.value: ring for ring in Ring}


def _ring(row) -> Ring | None:
    return _RINGS.get(row[_RING]) if row[_RING] else None


def _last(row):
    """The last touch as a UTC datetime (converted when shown)."""
    return contact_svc.stored_time(row[_LAST_STORED])


def _last_touch_text(row) -> str:
    last = _last(row)
    return "never" if last is None else date_text(last)


class FirstIds:
    """Everyone by name, as a fill with no filter first knows them: the first ``HEAD``
    ids (read with LIMIT) and how many people there are (the document's count), as
    reading all 100,000 ids costs some 30 ms before the window's first frame. It answers
    ``len()`` and slices of the ids it holds, and reads on after the last of them by
    keyset (:meth:`read_on`: a page scrolled past them, or the rest a step at a time
    after the first frame; reading all 100,000 at once in the frame that first went past
    them made it 30-110 ms long); a lookup or ``in`` asks the model for the whole list
    (``ContactTableModel._everyone``), which checks that it agrees with these."""

    __slots__ = ("after", "count", "ended", "head")

    def __init__(self, head: list[int], count: int):
        self.head = head
        self.count = max(count, len(head))
        self.after = head[-1] if head else None  # the last id read: read on after it
        self.ended = False  # read on to the end of the list: the head is everyone

    def read_on(self, stop: int | None) -> None:
        """Read the ids after the last one held until the first ``stop`` are held (None:
        all), ``COMPLETE_STEP`` at a time at most, or the list ends."""
        while not self.ended and (stop is None or len(self.head) < stop):
            wanted = COMPLETE_STEP if stop is None else min(COMPLETE_STEP,
                                                           stop - len(self.head))
            more = contact_svc.people_ids(limit=wanted, after=self.after)
            self.head.extend(more)
            self.after = more[-1] if more else self.after
            self.ended = len(more) < wanted

    def __len__(self) -> int:
        return self.count

    def holds(self, stop: int) -> bool:
        """Whether the first ``stop`` ids are known."""
        return min(stop, self.count) <= len(self.head)

    def __getitem__(self, key: slice) -> list[int]:
        if key.step not in (None, 1) or not self.holds(key.indices(self.count)[1]):
            raise IndexError("beyond the first ids: read the whole list (_everyone)")
        return self.head[key]

    def without(self, gone: set[int]) -> FirstIds:
        """These less people found gone when their rows were read (the list still reads
        on after the last id read)."""
        head = [cid for cid in self.head if cid not in gone]
        self.count -= len(self.head) - len(head)
        self.head = head
        return self


#: ids a fill with no filter reads first: its rows and the first page the view asks for
HEAD = FIRST + PAGE
#: ids read on at a time after the first frame (one turn of the event loop each: some
#: 3 ms), and at most per statement
COMPLETE_STEP = 5000

_ORDER = {NAME: "name", RING: "ring", LAST: "last", STATUS: "name"}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_CONTACT_ID, _PLACED, _SORT = int(Role.CONTACT_ID), int(Role.PLACED), int(Role.SORT)
_ROLES = frozenset((_DISPLAY, _DECORATION, _TOOLTIP, _CONTACT_ID, _PLACED, _SORT))
_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
          | Qt.ItemFlag.ItemIsDragEnabled)


#: how often the GUI thread looks for a search index built on a worker thread (ms)
INDEX_POLL_MS = 25
#: the search index's build (a worker thread) waits while the list moves, and this long
#: after (seconds): beside it the slowest scrolled frames took 12-44 ms, not 5-10
#: (planner.storage.people_search)
INDEX_HOLD_S = 0.3


class ContactTableModel(QAbstractTableModel):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        # search as you type: an in-memory index (planner.services.people_index) built off
        # the GUI thread after the first frame; until it is there, the search is SQL
        self._index: people_index.PeopleIndex | None = None
        self._index_generation = 0
        self._index_waiting: list[tuple[list, int]] = []  # (the worker's hand-over, generation)
        self._index_pace: people_index.BuildPace | None = None  # the build under way
        self._moving_until = 0.0  # (time.monotonic) the list counts as moving till then
        self._index_poll = QTimer(self)
        self._index_poll.setInterval(INDEX_POLL_MS)
        self._index_poll.timeout.connect(self._pick_up_index)
        document.reset.connect(self._rebuild_index)
        QTimer.singleShot(0, self, self._index_after_first_frame)
        # everyone shown, in order (fetched or not); FirstIds until the whole list is read
        self._ids: list[int] | people_index.Hits | FirstIds = []
        self._rows: list[tuple] = []  # the first len(_rows) of them, read (see _ID…)
        self._initials: dict[str, str] = {}
        self._row_of: dict[int, int] = {}  # id → row of the first len() rows: _rows_by_id
        self._inserting = False  # between beginInsertRows and endInsertRows (fetchMore)
        self._needle = ""
        self._unplaced_only = False
        self._sort_column, self._sort_order = NAME, Qt.SortOrder.AscendingOrder
        self._sorted_by: tuple | None = None  # (column, order) the rows are in
        self._plain_ids: list[int] | None = None  # everyone by name (no filter), kept
        document.reset.connect(self._reset)
        document.contacts_changed.connect(self._contacts_changed)
        self.reload()

    # -- reading ---------------------------------------------------------------------------------
    def _plain(self) -> bool:
        """By name, A to Z, with no filter: everyone (how the window starts)."""
        column = self._sort_column if 0 <= self._sort_column < len(COLUMNS) else NAME
        return not self._needle and not self._unplaced_only and column == NAME and \
            self._sort_order != Qt.SortOrder.DescendingOrder

    def _query(self) -> list[int] | people_index.Hits:
        """The ids shown, in order (SQL; the placed ranked by status here)."""
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        column = self._sort_column if 0 <= self._sort_column < len(COLUMNS) else NAME
        if self._needle and self._index is not None and (
                column == STATUS or (column == NAME and not descending)):
            # name order, as people_ids gives it: counted, and read as the list scrolls
            hits = self._index.hits(self._needle, exclude=self.document.placed_contacts()
                                    if self._unplaced_only else ())
            return self._by_status(list(hits), descending) if column == STATUS else hits
        plain = self._plain()
        if plain and self._plain_ids is not None:  # e.g. the search box cleared
            return self._plain_ids
        ids = contact_svc.people_ids(
            _ORDER[column], descending=descending and column != STATUS,
            needle=self._needle, unplaced_only=self._unplaced_only)
        if column == STATUS:
            ids = self._by_status(ids, descending)
        if plain:
            self._plain_ids = ids
        return ids

    def _by_status(self, ids: list[int], descending: bool) -> list[int]:
        """Name order in, status order out: the unplaced (one key, below every status)
        keep their order; the placed are ranked by urgency, ties in name order."""
        placed = self.document.placed_contacts()
        now = datetime.now(UTC)  # one clock for every row of this sort
        keys = {cid: self._urgency(c, now) for cid, c in placed.items()}
        ranked = sorted((cid for cid in ids if cid in keys), key=keys.__getitem__,
                        reverse=descending)
        others = [cid for cid in ids if cid not in keys]
        return ranked + others if descending else others + ranked

    def _read(self, ids: list[int]) -> list[tuple]:
        found = contact_svc.people_rows(ids)
        return [(cid, *found[cid]) for cid in ids if cid in found]

    def _reset(self) -> None:
        self._plain_ids = None  # the people changed
        self.reload()

    def reload(self) -> None:
        """Everything afresh (the document was reloaded, a filter or the order changed)."""
        self.beginResetModel()
        ids = self._first_ids() if self._plain() and self._plain_ids is None else \
            self._query()
        self._sorted_by = (self._sort_column, self._sort_order)
        self._rows = self._read(ids[:FIRST])
        if len(self._rows) < min(FIRST, len(ids)):  # gone between the two queries
            if isinstance(ids, FirstIds):
                ids = ids.without(set(ids[:FIRST]) - {r[_ID] for r in self._rows})
            else:
                ids = [r[_ID] for r in self._rows] + ids[FIRST:]
        self._ids = ids
        self._row_of = {}
        # the pictures before the rows are shown: data() never reads them, and the view's
        # items keep what it gave (an imported person's picture showed only once the row
        # changed, and an import or another program's change brought the initials back)
        avatars.load()
        self.endResetModel()
        if isinstance(ids, FirstIds):  # the rest once the window's first frame is painted
            QTimer.singleShot(0, self, lambda: self._after_first_frame(
                lambda: self._complete_later(ids)))

    def _first_ids(self) -> list[int] | FirstIds:
        """Everyone by name, as a fill first needs them (see FirstIds)."""
        head = contact_svc.people_ids(limit=HEAD)
        if len(head) < HEAD:  # everyone already
            self._plain_ids = head
            return head
        return FirstIds(head, self.document.count())

    def _everyone(self) -> list[int] | people_index.Hits:
        """The ids shown, all of them (the first ids of a fill completed now if need be)."""
        ids = self._ids
        return self._complete(ids) if isinstance(ids, FirstIds) else ids

    def _complete_later(self, first: FirstIds) -> None:
        """The rest of ``first`` read on ``COMPLETE_STEP`` at a time, a turn of the event
        loop each (the list may be being scrolled meanwhile), then checked."""
        if self._ids is not first:  # another fill came meanwhile
            return
        first.read_on(len(first.head) + COMPLETE_STEP)
        if first.ended:
            self._complete(first)
        else:
            QTimer.singleShot(0, self, lambda: self._complete_later(first))

    def _complete(self, first: FirstIds) -> list[int]:
        """Everyone by name in place of ``first``, which is shown: as expected (the same
        first ids, as many as counted), or as after a change (someone came or went
        since, or the count was not up to date: see _requery). Read on to its end, the
        ids it holds are everyone when as many as SQL counts now; otherwise (changed
        meanwhile unannounced, or not read on yet) the whole list is read at once."""
        if first.ended and len(first.head) == contact_svc.count_contacts():
            ids = list(first.head)
        else:
            ids = contact_svc.people_ids()
        self._plain_ids = ids
        if len(ids) == len(first) and ids[:len(first.head)] == first.head:
            self._ids = ids
        else:
            self._requery(ids)
        return ids

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._inserting and len(self._rows) < len(self._ids)

    def fetchMore(self, parent=QModelIndex(), count: int = PAGE) -> None:  # noqa: B008
        if parent.isValid() or self._inserting:  # asked again by a view told of this page:
            return  # it would read the same page again, and show it twice
        count = max(count, PAGE)
        ids = self._ids
        if isinstance(ids, FirstIds) and not ids.holds(len(self._rows) + count):
            ids.read_on(len(self._rows) + count)  # the next page's ids, not everyone's
            if ids.ended or not ids.holds(len(self._rows) + count):
                ids = self._complete(ids)  # at the end: checked, a plain list from now on
        start = len(self._rows)
        wanted = ids[start:start + count]
        rows = self._read(wanted)
        if len(rows) < len(wanted):  # gone meanwhile: not shown
            read = {r[_ID] for r in rows}
            if isinstance(ids, FirstIds):
                self._ids = ids.without(set(wanted) - read)
            else:
                self._ids = ids[:start] + [cid for cid in wanted if cid in read] + \
                    ids[start + len(wanted):]
        if not rows:
            return
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        finally:
            self._inserting = False

    def _rows_by_id(self) -> dict[int, int]:
        """id → row of the people read so far, brought up to date when asked (a change,
        a reveal, the selection), not as pages are read: a dict grown a page at a time
        doubles under a scrolled frame, 10–15 ms at 43,690 and 87,381 people (issue 23)."""
        index, rows = self._row_of, self._rows
        for i in range(len(index), len(rows)):
            index[rows[i][_ID]] = i
        return index

    def reveal(self, contact_id: int) -> int | None:
        """The row of a person shown by the filters, reading pages down to it if need be
        (a person selected on the canvas); None if the list does not show them."""
        row = self._rows_by_id().get(contact_id)
        if row is not None:
            return row
        try:
            position = self._everyone().index(contact_id)
        except ValueError:
            return None
        self.fetchMore(count=position + 1 - len(self._rows))
        return self._rows_by_id().get(contact_id)

    def matching_ids(self) -> set[int]:
        """The placed people the filters let through, read or not (what the canvas
        highlights), without reading everyone the search found."""
        placed = self.document.placed_contacts()
        ids = self._everyone()
        if isinstance(ids, people_index.Hits):
            return ids.among(placed)
        return placed.keys() & ids

    def total(self) -> int:
        """How many people the filters let through (fetched or not)."""
        return len(self._ids)

    # -- the search index ---------------------------------------------------------------------
    def _index_after_first_frame(self) -> None:
        """The index is built on a thread that competes with the GUI thread for the
        interpreter: it starts once the window's first frame is painted (a posted call
        runs before it; measured 3.7x -> 3.1x a bare window's start-up, paired runs)."""
        self._after_first_frame(self._rebuild_index)

    def _after_first_frame(self, task) -> None:
        """Run ``task`` once the window's first frame is painted (now for a model on its
        own: there is no window to wait for)."""
        from planner.ui.common.first_frame import after_first_frame

        parent = self.parent()
        window = parent.window() if isinstance(parent, QWidget) else None
        if window is None:
            task()
        else:
            after_first_frame(window, task)

    def _rebuild_index(self) -> None:
        """Forget the index and build it afresh on a worker thread (a file only: on a team
        database the SQL search is kept)."""
        self._index = None
        self._index_generation += 1
        if self._index_pace is not None:  # an earlier build is not wanted any more
            self._index_pace.stop()
            self._index_pace = None
        if self.document.database.target.kind != "sqlite":
            return
        generation = self._index_generation
        pace = self._index_pace = people_index.BuildPace()
        pace.hold_until(self._moving_until)  # (the list may be moving now)
        # The worker hands its index over in a plain list, and a timer of this model (on
        # the GUI thread) picks it up: the worker touches no Qt object. (It emitted this
        # model's signal, and a window closing at that moment crashed the process.)
        built: list = []

        def work() -> None:
            index = None
            try:  # the file is left alone once the lines are read
                index = people_index.build_off_thread(pace)
            except people_index.BuildStopped:  # a newer build replaces it
                pass
            except Exception:  # the window may be closing (or memory short): SQL search stays
                log.info("the people search index was not built", exc_info=True)
            built.append(index)

        threading.Thread(target=work, name="people-search-index", daemon=True).start()
        self._index_waiting.append((built, generation))
        self._index_poll.start()

    def _pick_up_index(self) -> None:
        """(GUI thread, on the poll timer) Take the indexes the workers have finished."""
        for entry in list(self._index_waiting):
            built, generation = entry
            if built:
                self._index_waiting.remove(entry)
                self._index_arrived(built[0], generation)
        if not self._index_waiting:
            self._index_poll.stop()

    def _index_arrived(self, index, generation: int) -> None:
        if generation == self._index_generation:
            self._index_pace = None
            if index is not None:
                self._index = index

    def list_moved(self, *_args) -> None:
        """The list is being scrolled: a build of the search index under way waits till it
        has stood still for ``INDEX_HOLD_S`` (until then a search is SQL's, as before the
        index is there)."""
        self._moving_until = time.monotonic() + INDEX_HOLD_S
        if self._index_pace is not None:
            self._index_pace.hold_until(self._moving_until)

    def search_index_ready(self) -> bool:
        return self._index is not None

    # -- changes --------------------------------------------------------------------------------
    def _contacts_changed(self, ids: list) -> None:
        if self._index is not None and ids and self._index.stale(list(ids)):
            self._rebuild_index()  # a name, email, organisation or tags changed
        shown = self._everyone()
        read = self._rows_by_id()
        changed = [cid for cid in ids if cid in read]
        fresh = contact_svc.people_rows(changed) if changed else {}
        reorder = self._sort_column in (STATUS, LAST) or bool(self._needle) or \
            self._unplaced_only
        for cid in changed:
            row = read[cid]
            old = self._rows[row]
            new = fresh.get(cid)
            if new is None:  # removed meanwhile
                self.reload()
                return
            new = (cid, *new)
            self._rows[row] = new
            key = {RING: _RING, LAST: _LAST_STORED}.get(self._sort_column, _NAME)
            if old[_NAME] != new[_NAME] or old[key] != new[key]:
                reorder = True
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        unknown = [cid for cid in ids if cid not in read and cid not in shown]
        if reorder or unknown:
            self._requery()

    def _requery(self, everyone: list[int] | None = None) -> None:
        """The order or the filtered set may have changed: keep the rows read so far (and
        the selection) where possible, as a dynamically sorted proxy did. ``everyone``:
        the ids to show, if read already (by name, no filter: see _complete)."""
        if everyone is None:
            self._plain_ids = None  # names, rings or last touches changed
        ids = self._query() if everyone is None else everyone
        count = len(self._rows)
        rows = self._read(ids[:max(count, FIRST)])
        if len(rows) != count:
            self.beginResetModel()
            self._ids, self._rows = ids, rows
            self._row_of = {}
            self.endResetModel()
            return
        if [r[_ID] for r in rows] == [r[_ID] for r in self._rows] and \
                len(ids) == len(self._ids):
            self._ids = ids  # nobody shown moved (those not read yet are read from here)
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [r[_ID] for r in self._rows]
        self._ids, self._rows = ids, rows
        self._row_of = {}
        now = self._rows_by_id()
        persistent = self.persistentIndexList()
        moved = [self.index(now[old_ids[i.row()]], i.column())
                 if 0 <= i.row() < len(old_ids) and old_ids[i.row()] in now
                 else QModelIndex() for i in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # -- sorting and filtering ----------------------------------------------------------------
    def sort_key(self, row, column: int):
        """What a column sorts by (also served as Role.SORT)."""
        if column == NAME:
            return row[_NAME].casefold()
        if column == RING:
            ring = _ring(row)
            return ring.depth if ring else 9
        if column == STATUS:
            contact = self.document.cached(row[_ID]) if row[_RING] else None
            return self._urgency(contact) if contact is not None else -1.0
        last = _last(row)
        return last.timestamp() if last else 0.0

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sorted_by:
            return  # already in that order (the view asks again as it is set up)
        self._sort_column, self._sort_order = column, order
        self._requery()
        self._sorted_by = (column, order)

    def set_filter(self, needle: str | None = None, unplaced_only: bool | None = None) -> None:
        """The search text (case-folded) and the "unplaced only" filter, applied in SQL."""
        if needle is not None:
            self._needle = needle
        if unplaced_only is not None:
            self._unplaced_only = unplaced_only
        self.reload()

    def column_texts(self, column: int) -> set[str]:
        """The texts a short column can show now, for sizing it to its contents without
        reading every row (see ContactTable): cheap, as it runs on every change."""
        if column == RING:
            return {*(ring.label for ring in RING_ORDER), "—"}
        if column == STATUS:
            placed = self.document.placed_contacts().values()
            return {s.label for s in map(self.document.status_of, placed) if s}
        if column == LAST:
            return {"never", *(date_text(datetime(2000, m, 28)) for m in range(1, 13))}
        return set()

    def contact_at(self, row: int):
        """The person on a row: the document's (read on demand) for a whole Contact."""
        return self.document.contact(self._rows[row][_ID])

    def row_of(self, contact_id: int) -> int | None:
        """The row of a person among those read so far (see reveal)."""
        return self._rows_by_id().get(contact_id)

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def _status(self, row):
        if not row[_RING]:
            return None
        contact = self.document.cached(row[_ID])  # the placed are all in the document
        return self.document.status_of(contact) if contact is not None else None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # called about a thousand times per scrolled frame: roles the list never shows
        # leave at once, and roles are compared as plain ints
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        c = self._rows[row]
        col = index.column()
        if role == _DISPLAY:
            if col == NAME:
                return c[_NAME]
            if col == RING:
                return c[_RING].capitalize() if c[_RING] else "—"
            if col == STATUS:
                status = self._status(c)
                return status.label if status else ""
            return _last_touch_text(c)
        if role == _DECORATION:
            if col == STATUS:
                status = self._status(c)
                return status_dot(STATUS_COLORS[status.value]) if status else None
            if col == NAME:
                return self._face(c)
            return None
        if role == _TOOLTIP:
            if col == STATUS:
                status = self._status(c)
                return status.label if status else "Not on a ring"
            return f"{c[_NAME]}\n{c[_EMAIL]}" if c[_EMAIL] else c[_NAME]
        if role == _CONTACT_ID:
            return c[_ID]
        if role == _PLACED:
            return bool(c[_RING])
        if role == _SORT:
            return self.sort_key(c, col)
        return None

    def _face(self, c: tuple):
        """The person's picture, else their initials on their ring's colour (the
        initials kept per name: a name's are worked out once)."""
        initials = self._initials.get(c[_NAME])
        if initials is None:
            if len(self._initials) > _INITIALS_KEPT:
                self._initials.clear()
            initials = self._initials[c[_NAME]] = initials_of(c[_NAME])
        ring = _ring(c)
        return avatars.photo_pixmap(c[_ID], AVATAR, load=False) or avatar(
            initials, RING_COLORS[ring] if ring else NEUTRAL_HALO)

    def cells(self, row: int) -> list[dict[int, object]]:
        """The values the view shows of a row, per column and role (what data() answers;
        the person's id and whether placed on the first column only): the view's model
        holds them as Qt items (see ContactFilterModel)."""
        c = self._rows[row]
        cid, placed = c[_ID], bool(c[_RING])
        tip = f"{c[_NAME]}\n{c[_EMAIL]}" if c[_EMAIL] else c[_NAME]
        status = self._status(c)
        face = self._face(c)
        return [
            {_DISPLAY: c[_NAME], _DECORATION: face, _TOOLTIP: tip, _CONTACT_ID: cid,
             _PLACED: placed},
            {_DISPLAY: c[_RING].capitalize() if c[_RING] else "—", _TOOLTIP: tip},
            {_DISPLAY: status.label if status else "",
             _DECORATION: status_dot(STATUS_COLORS[status.value]) if status else None,
             _TOOLTIP: status.label if status else "Not on a ring"},
            {_DISPLAY: _last_touch_text(c), _TOOLTIP: tip},
        ]

    def id_at(self, row: int) -> int | None:
        """The person on a row read so far."""
        return self._rows[row][_ID] if 0 <= row < len(self._rows) else None

    def _urgency(self, c, now: datetime | None = None) -> float:
        """Most urgent sorts last ascending (first when sorted descending)."""
        if c.ring is None:
            return -1.0
        days = c.cadence_days or self.document.cadence(c.ring)
        value = urgency(c.last_touch, days, now or datetime.now(UTC))
        return 1e9 if value == float("inf") else value

    def flags(self, index):
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mimeTypes(self) -> list[str]:
        return [CONTACT_MIME]

    def mimeData(self, indexes):
        ids = []
        for index in indexes:
            cid = self.data(index, Role.CONTACT_ID)
            if cid is not None and cid not in ids:
                ids.append(cid)
        return encode_contact_ids(ids)

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction


#: rows of the view's model holding their values at a time (see ContactFilterModel)
HELD = 300
#: rows given their values as soon as they are read (a screenful): the others when
#: first painted
EAGER = 32


class ContactFilterModel(QStandardItemModel):
    """The view's model: the rows of the source model (which reads them a page at a time,
    applies the search and the "unplaced only" filter in SQL and sorts) held as Qt's own
    items, so that painting the list calls no Python: a Python ``data()`` is called
    seven times per cell painted (every role the delegate asks for), about 1,000 calls
    and half the GUI thread's time of a scrolled frame.

    Row for row the source's rows, but only some hold their values: the first ``EAGER``
    as soon as they are read, the others when the view paints them (:meth:`hold`, called
    by ContactTable before each paint), at most ``HELD`` at a time (those painted longest
    ago let go), so 100,000 rows scrolled through cost no more memory than 300 (Qt items
    for every row were some 1.5 kB a row). Changes follow the source's signals (reset,
    rows read, data changed, reordered). Read the person on a row from the source
    (``ContactTableModel.id_at``): a row not painted yet holds nothing."""

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        prototype = QStandardItem()
        prototype.setFlags(_FLAGS)
        self.setItemPrototype(prototype)
        self._source: ContactTableModel | None = None
        self._held: dict[int, None] = {}  # rows holding values, the last painted last
        self._moving: list = []  # (persistent index, contact id) across a reorder

    # -- following the source --------------------------------------------------------------
    def setSourceModel(self, source: ContactTableModel) -> None:
        self._source = source
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._reset)
        source.rowsInserted.connect(self._inserted)
        source.dataChanged.connect(self._changed)
        source.layoutAboutToBeChanged.connect(self._layout_about)
        source.layoutChanged.connect(self._layout_done)
        self.beginResetModel()
        self._reset()

    def sourceModel(self) -> ContactTableModel | None:
        return self._source

    def _fill(self, rows) -> None:
        """Give these rows their values (quietly: the view is told by the caller)."""
        source = self._source
        if source is None:
            return
        blocked = self.blockSignals(True)
        try:
            for row in rows:
                for column, values in enumerate(source.cells(row)):
                    self.setItemData(self.index(row, column), values)
                self._held[row] = None
        finally:
            self.blockSignals(blocked)

    def _let_go(self, rows, keep_items: bool = False) -> None:
        """These rows hold nothing any more (quietly). Their items are taken away unless
        a persistent index (the selection, the current row) points at them or
        ``keep_items``: taking an item away invalidates the indexes on it."""
        kept = {index.row() for index in self.persistentIndexList()}
        blocked = self.blockSignals(True)
        try:
            for row in rows:
                self._held.pop(row, None)
                for column in range(len(COLUMNS)):
                    if keep_items or row in kept:
                        item = self.item(row, column)
                        if item is not None:
                            item.clearData()
                    else:
                        self.takeItem(row, column)
        finally:
            self.blockSignals(blocked)

    def _reset(self) -> None:
        """(After beginResetModel.) As many rows as the source has read, the first held."""
        self._held.clear()  # (the items go with their rows)
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(0)
            self.setRowCount(self._source.rowCount() if self._source is not None else 0)
        finally:
            self.blockSignals(blocked)
        self._fill(range(min(self.rowCount(), EAGER)))
        self.endResetModel()

    def _inserted(self, parent, first: int, last: int) -> None:
        self.insertRows(first, last - first + 1)  # the view is told
        if first < EAGER:
            self._fill(range(first, min(last + 1, EAGER)))

    def _changed(self, top_left, bottom_right, roles=()) -> None:
        source = self._source
        if source is None:  # (connected by setSourceModel: there is one)
            return
        rows = [r for r in range(top_left.row(), bottom_right.row() + 1) if r in self._held]
        for row in rows:
            for column, values in enumerate(source.cells(row)):
                self.setItemData(self.index(row, column), values)  # the view repaints

    def _layout_about(self, *args) -> None:
        self.layoutAboutToBeChanged.emit()
        source = self._source
        self._moving = [(index, source.id_at(index.row()) if source is not None else None)
                        for index in self.persistentIndexList()]

    def _layout_done(self, *args) -> None:
        source = self._source
        self._let_go(list(self._held), keep_items=True)  # the persistent indexes move
        count = source.rowCount() if source is not None else 0
        blocked = self.blockSignals(True)
        try:
            if self.rowCount() != count:  # (a reorder keeps the count)
                self.setRowCount(count)
        finally:
            self.blockSignals(blocked)
        self._fill(range(min(self.rowCount(), EAGER)))
        old = [index for index, _cid in self._moving]
        new = []
        for index, cid in self._moving:
            row = source.row_of(cid) if source is not None and cid is not None else None
            new.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self._moving = []
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def hold(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` are about to be painted: give those that hold nothing
        their values, and let the rows painted longest ago go beyond ``HELD``."""
        last = min(last, self.rowCount() - 1)
        missing = [row for row in range(max(first, 0), last + 1) if row not in self._held]
        if missing:
            self._fill(missing)
        for row in range(max(first, 0), last + 1):  # painted now: kept longest
            self._held.pop(row, None)
            self._held[row] = None
        excess = len(self._held) - HELD
        if excess > 0:
            self._let_go(list(self._held)[:excess])

    # -- the source's API ----------------------------------------------------------------------
    def mapFromSource(self, index):
        return self.index(index.row(), index.column()) if index.isValid() else QModelIndex()

    def mapToSource(self, index):
        if not index.isValid() or self._source is None:
            return QModelIndex()
        return self._source.index(index.row(), index.column())

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return self._source is not None and self._source.canFetchMore(parent)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if self._source is not None:
            self._source.fetchMore(parent)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts (in SQL)."""
        if self._source is not None:
            self._source.sort(column, order)

    def mimeTypes(self) -> list[str]:
        return [CONTACT_MIME]

    def mimeData(self, indexes):
        if self._source is None:
            return None
        return self._source.mimeData([self.mapToSource(i) for i in indexes])

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        """The status column is a dot wide: its header is a dot too (the word is its tip)."""
        if orientation == Qt.Orientation.Horizontal and section == STATUS:
            if role == Qt.ItemDataRole.DisplayRole:
                return "●"
            if role == Qt.ItemDataRole.ToolTipRole:
                return COLUMNS[STATUS]
        if self._source is None:
            return None
        return self._source.headerData(section, orientation, role)

    def set_search(self, text: str) -> None:
        if self._source is not None:
            self._source.set_filter(needle=text.strip().casefold())

    def set_unplaced_only(self, on: bool) -> None:
        if self._source is not None:
            self._source.set_filter(unplaced_only=on)
