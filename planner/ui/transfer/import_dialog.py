"""File → Import…: which column is what (any CSV), then the preview, then Import.

The dialog only shows and asks; it never reads the file or writes the
database. :class:`planner.ui.transfer.import_flow.ImportFlow` runs the
preview and the import off the GUI thread and feeds the results back:

* a generic CSV opens on the **mapping** page: one combo box per field of
  ours, pre-filled by ``guess_mapping`` (with the same sample values as ``planner
  import``, so left as it is the file is read as the command line reads it), and a
  box to read every other e-mail and phone column too (ticked); *Preview* emits
  :attr:`ImportDialog.preview_requested` with ``{field: column}``;
* the **preview** page shows every card or line as new, duplicate or invalid
  (a :class:`~planner.ui.transfer.import_model.PreviewModel` in a table), the counts,
  and what to do with duplicates (skip, merge, add); *Import* emits
  :attr:`ImportDialog.import_requested` with that choice.

Open it with ``open()``; the controller closes it (``accept()``) once the
import is written.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.formatting import plural
from planner.importers import MAPPING_FIELDS, guess_mapping
from planner.importers.column_kinds import column_kind
from planner.services.importing import ImportPreview
from planner.ui.common.validation import inline_error
from planner.ui.transfer.import_model import (
    EMAIL,
    NAME,
    STATUS,
    STATUS_COLORS,
    WHERE,
    PreviewFilter,
    PreviewModel,
)

FIELD_LABELS = {
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "organization": "Organisation",
    "title": "Job title",
    "notes": "Notes",
    "tags": "Tags",
    "birthday": "Birthday",
    "timezone": "Time zone",
}
FORMAT_LABELS = {
    "vcard": "vCard",
    "jcard": "jCard",
    "google": "Google Contacts CSV",
    "outlook": "Outlook CSV",
    "linkedin": "LinkedIn connections CSV",
    "thunderbird": "Thunderbird CSV",
    "roundcube": "Roundcube CSV",
    "csv": "CSV",
}
#: (codec, what people call it) offered when the detected encoding looks wrong
ENCODINGS = (
    ("utf-8", "UTF-8"),
    ("cp1252", "Windows-1252 (Western)"),
    ("iso8859-15", "ISO-8859-15 (Western)"),
    ("cp1250", "Windows-1250 (Central European)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
    ("koi8-r", "KOI8-R (Russian)"),
    ("cp1253", "Windows-1253 (Greek)"),
    ("cp1254", "Windows-1254 (Turkish)"),
    ("cp1255", "Windows-1255 (Hebrew)"),
    ("cp1256", "Windows-1256 (Arabic)"),
    ("cp932", "Shift_JIS (Japanese)"),
    ("euc-jp", "EUC-JP (Japanese)"),
    ("cp949", "EUC-KR (Korean)"),
    ("gb18030", "GB18030 (Simplified Chinese)"),
    ("big5", "Big5 (Traditional Chinese)"),
    ("utf-16", "UTF-16"),
    ("mac-roman", "Mac Roman"),
)
CHOICES = (
    ("skip", "&Skip them", "leave the people you already have as they are"),
    ("merge", "&Merge them", "fill their empty fields (nothing is overwritten)"),
    ("add", "&Add them again", "as separate people"),
)
NOT_MAPPED = ""
MIN_COLUMN = 80  # no preview column narrower (a column collapsed to nothing could not be read)
MAPPING_PAGE, PREVIEW_PAGE = 0, 1


class ImportDialog(QDialog):
    """Mapping (generic CSV only) → preview → Import. Open with ``open()``."""

    #: the column mapping chosen on the mapping page ({field: column})
    preview_requested = Signal(dict)
    #: Import was pressed: "skip", "merge" or "add"
    import_requested = Signal(str)
    #: another encoding was chosen for the file (a Python codec name)
    encoding_requested = Signal(str)

    def __init__(
        self,
        parent,
        file_name: str,
        *,
        columns: list[str] | None = None,
        samples: dict[str, str] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import")  # (the file is named in the dialog: a title cut it)
        self.file_name = file_name
        self.columns = list(columns or [])
        self.samples = dict(samples or {})
        self.resize(960, 580)  # room for the Reason column's words
        self.mapping_combos: dict[str, QComboBox] = {}
        self.model = PreviewModel(self)
        self.proxy = PreviewFilter(self)
        self.proxy.setSourceModel(self.model)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._mapping_page(samples or {}))
        self.pages.addWidget(self._preview_page())

        self.error = inline_error(self)
        self.error.setVisible(False)

        self.back_button = QPushButton("< &Back", self)
        self.back_button.setToolTip("Choose the columns again")
        self.buttons = QDialogButtonBox(self)
        self.preview_button = self.buttons.addButton(
            "&Preview", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.back_button, self.preview_button, self.import_button):
            button.setAutoDefault(False)
        self.back_button.clicked.connect(lambda: self._show_page(MAPPING_PAGE))
        self.preview_button.clicked.connect(self._request_preview)
        # buttons.accepted is left unconnected: the controller accepts once the import is written
        self.import_button.clicked.connect(self._request_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.buttons, 1)
        layout.addLayout(bottom)
        self._show_page(MAPPING_PAGE if self.columns else PREVIEW_PAGE)
        self._update_mapping_state()

    # -- the mapping page ----------------------------------------------------------------------
    def _mapping_page(self, samples: dict[str, str]) -> QWidget:
        page = QWidget(self)
        # the same guess as planner import's (the same samples): left as it is, the window
        # reads the file as the command line does
        guessed = guess_mapping(self.columns, samples) if self.columns else {}
        self.guessed = guessed
        self.intro = QLabel(_intro_text(self.file_name, guessed), page)
        self.intro.setObjectName("importMappingIntro")
        self.intro.setWordWrap(True)
        form_host = QWidget(page)
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        keys = list(MAPPING_FIELDS) + sorted(k for k in guessed if k.startswith("handle:"))
        for key in keys:
            combo = QComboBox(form_host)
            combo.setMinimumContentsLength(36)
            label = FIELD_LABELS.get(key) or f"{key[7:].capitalize()} (handle)"
            combo.setAccessibleName(f"Column for {label}")
            combo.setObjectName(f"map_{key}")
            combo.addItem("— not in the file —", NOT_MAPPED)
            for column in self.columns:
                sample = samples.get(column, "")
                text = f"{column}   (e.g. {_shorten(sample)})" if sample else column
                combo.addItem(text, column)
            combo.setCurrentIndex(max(0, combo.findData(guessed.get(key, NOT_MAPPED))))
            combo.currentIndexChanged.connect(self._update_mapping_state)
            self.mapping_combos[key] = combo
            form.addRow(f"{label}:", combo)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_host)
        # a file has several e-mail and phone columns (a German Outlook file eleven phone
        # ones): one box each chose one of them, and the window lost the numbers planner
        # import reads (review C #4)
        self.read_others = QCheckBox(page)
        self.read_others.setObjectName("importReadOthers")
        self.read_others.setChecked(True)
        self.read_others.setToolTip(
            "The columns chosen above come first; every other e-mail and phone column of "
            "the file is read too, and web pages and chat names, as planner import does. "
            "Untick to read only the columns chosen above.")
        self.read_others.toggled.connect(self._update_mapping_state)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.read_others)
        return page

    def mapping(self) -> dict[str, str]:
        """{field: column} for every field given a column."""
        return {
            key: combo.currentData()
            for key, combo in self.mapping_combos.items()
            if combo.currentData()
        }

    def reads_others(self) -> bool:
        """Every other e-mail and phone column is read too (the box under the fields)."""
        return self.read_others.isChecked()

    def requested_mapping(self) -> dict[str, str]:
        """What Preview asks for: :meth:`mapping`, and — when the other columns are read
        too — ``""`` for a field that was matched and then set to "not in the file", so
        that nothing is read for it (not even another column of its kind)."""
        chosen = self.mapping()
        if self.reads_others():
            chosen.update({key: NOT_MAPPED for key in self.guessed
                           if key in self.mapping_combos and key not in chosen})
        return chosen

    def other_columns(self) -> list[str]:
        """The e-mail and phone columns read besides the ones chosen above."""
        chosen = set(self.mapping().values())
        others = [c for c in self.columns
                  if c not in chosen and column_kind(c) in ("email", "phone")]
        return sorted(others, key=lambda c: not self.samples.get(c))  # ones with values first

    def set_column(self, key: str, column: str) -> None:
        """Choose ``column`` for ``key`` (what a person does with the combo box)."""
        combo = self.mapping_combos[key]
        combo.setCurrentIndex(max(0, combo.findData(column or NOT_MAPPED)))

    def _update_mapping_state(self, *_args) -> None:
        if not self.columns or self.pages.currentIndex() != MAPPING_PAGE:
            return
        others = self.other_columns()
        shown = ", ".join(f"“{c}”" for c in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        self.read_others.setText(
            f"Also &read the other e-mail and phone columns ({shown}{more}), web pages and "
            "chat names" if others else "Also &read the other columns Mentorship Planner "
            "recognises (web pages, chat names)")
        chosen = self.mapping()
        ok = bool({"name", "first_name", "last_name", "email"} & set(chosen))
        self.preview_button.setEnabled(ok)
        self.show_error("" if ok else "Choose the column with the name or the email address.")

    def _request_preview(self) -> None:
        self.show_error("")
        self.preview_requested.emit(self.requested_mapping())

    # -- the preview page ----------------------------------------------------------------------
    def _preview_page(self) -> QWidget:
        page = QWidget(self)
        self.summary = QLabel(page)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.show_filter = QComboBox(page)
        self.show_filter.setAccessibleName("Show rows")
        for text, status in (
            ("All rows", ""),
            ("New", "new"),
            ("Duplicates", "duplicate"),
            ("Invalid", "invalid"),
        ):
            self.show_filter.addItem(text, status)
        self.show_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.show_filter.currentData())
        )
        show_label = QLabel("S&how:", page)
        show_label.setBuddy(self.show_filter)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(show_label)
        top.addWidget(self.show_filter)

        self.encoding_combo = QComboBox(page)
        self.encoding_combo.setObjectName("importEncoding")
        self.encoding_combo.setAccessibleName("Encoding of the file")
        self.encoding_combo.setToolTip(
            "If names look wrong, choose the encoding the file was written in"
        )
        self.encoding_combo.activated.connect(self._encoding_chosen)
        self.encoding_label = QLabel("&Encoding:", page)
        self.encoding_label.setBuddy(self.encoding_combo)
        self.file_notes = QLabel(page)
        self.file_notes.setObjectName("importFileNotes")
        self.file_notes.setWordWrap(True)
        self.file_notes.setTextFormat(Qt.TextFormat.PlainText)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(self.encoding_label)
        # the box beside its label; the room left to the file's notes or, with none, to
        # nothing (the box was stretched to the middle of the dialog)
        self.encoding_combo.setSizePolicy(QSizePolicy.Policy.Maximum,
                                          QSizePolicy.Policy.Fixed)
        encoding_row.addWidget(self.encoding_combo)
        encoding_row.addWidget(self.file_notes, 1)
        encoding_row.addStretch(0)

        self.table = QTableView(page)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; the arrows move in it
        self.table.setObjectName("importPreviewTable")
        self.table.setAccessibleName("Import preview")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 110, 210, 210)):
            self.table.setColumnWidth(column, width)

        self.duplicates_box = QGroupBox("People you already have (duplicates)", page)
        self.choice_group = QButtonGroup(self)
        self.choice_buttons: dict[str, QRadioButton] = {}
        box_layout = QHBoxLayout(self.duplicates_box)
        for value, text, tip in CHOICES:
            button = QRadioButton(text, self.duplicates_box)
            button.setToolTip(tip)
            button.setAccessibleDescription(tip)
            self.choice_group.addButton(button)
            self.choice_buttons[value] = button
            box_layout.addWidget(button)
        box_layout.addStretch(1)
        self.choice_buttons["skip"].setChecked(True)
        self.choice_group.buttonToggled.connect(self._choice_toggled)

        self.note = QLabel(
            "Imported people arrive unplaced, ready to drag onto a ring. The database is "
            "backed up first, and nothing is written unless everything is.",
            page,
        )
        self.note.setWordWrap(True)
        self.note.setObjectName("importNote")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(encoding_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.duplicates_box)
        layout.addWidget(self.note)
        return page

    def show_preview(self, preview: ImportPreview) -> None:
        """Fill the preview page and go there."""
        self._show_encoding(preview)
        self.model.set_preview(preview)
        self.model.set_choice(self.choice())
        self._fit_columns()
        self.show_filter.setCurrentIndex(0)
        self.duplicates_box.setVisible(preview.duplicates > 0)
        self._show_page(PREVIEW_PAGE)
        self._update_preview_state()
        (self.import_button if self.import_button.isEnabled() else self.table).setFocus()

    def _fit_columns(self) -> None:
        """Status and Where as wide as their words, Name and Email up to a limit, and the
        rest to Reason (it was cut off — "same email as #203 Arnold …" — while the other
        columns had room to spare)."""
        table = self.table
        for column, most in ((STATUS, 190), (WHERE, 160), (NAME, 220), (EMAIL, 220)):
            table.resizeColumnToContents(column)
            table.setColumnWidth(column, max(MIN_COLUMN, min(table.columnWidth(column) + 8,
                                                             most)))

    def _show_encoding(self, preview: ImportPreview) -> None:
        """The file's encoding, never guessed silently: detected ones say so, and any
        other can be chosen; plus what the file holds that is not imported."""
        has_encoding = bool(preview.encoding)
        self.encoding_combo.setVisible(has_encoding)
        self.encoding_label.setVisible(has_encoding)
        self.encoding_combo.clear()
        if has_encoding:
            how = {"detected": "detected", "chosen": "chosen"}.get(preview.encoding_how, "")
            current = f"{preview.encoding} ({how})" if how else preview.encoding
            self.encoding_combo.addItem(current, "")
            for codec, label in ENCODINGS:
                if not label.startswith(preview.encoding):
                    self.encoding_combo.addItem(label, codec)
            self.encoding_combo.setCurrentIndex(0)
        lines = [preview.encoding_warning(), *preview.notes]
        self.file_notes.setText("\n".join(f"{line[:1].upper()}{line[1:]}." for line in lines
                                          if line))
        self.file_notes.setVisible(any(lines))

    def encoding(self) -> str:
        """The codec chosen in the combo box, or "" for the file's own."""
        return self.encoding_combo.currentData() or ""

    def choose_encoding(self, codec: str) -> None:
        """Pick ``codec`` as a person does with the combo box (and ask for a new preview)."""
        index = self.encoding_combo.findData(codec)
        if index >= 0:
            self.encoding_combo.setCurrentIndex(index)
            self._encoding_chosen(index)

    def _encoding_chosen(self, index: int) -> None:
        codec = self.encoding_combo.itemData(index)
        if codec:
            self.show_error("")
            self.encoding_requested.emit(codec)

    def choice(self) -> str:
        for value, button in self.choice_buttons.items():
            if button.isChecked():
                return value
        return "skip"

    def set_choice(self, choice: str) -> None:
        self.choice_buttons[choice].setChecked(True)

    def _choice_toggled(self, _button, checked: bool) -> None:
        if checked:
            self.model.set_choice(self.choice())
            self._fit_columns()  # "Duplicate — merged" is wider than "Duplicate — added"
            self._update_preview_state()

    def will_store(self) -> tuple[int, int]:
        """(people added, people merged) if Import is pressed now."""
        preview = self.model.preview
        if preview is None:
            return 0, 0
        choice = self.choice()
        added = preview.new + (preview.duplicates if choice == "add" else 0)
        merged = preview.duplicates if choice == "merge" else 0
        return added, merged

    def _update_preview_state(self) -> None:
        preview = self.model.preview
        if preview is None or self.pages.currentIndex() != PREVIEW_PAGE:
            return
        counts = self.model.counts()
        kind = FORMAT_LABELS.get(preview.format, preview.format)
        parts = [
            f"<span style='color:{STATUS_COLORS['new']}'>●</span> {counts['new']} new",
            f"<span style='color:{STATUS_COLORS['duplicate']}'>●</span> "
            f"{plural(counts['duplicate'], 'duplicate')}",
            f"<span style='color:{STATUS_COLORS['invalid']}'>●</span> {counts['invalid']} invalid",
        ]
        left_out = preview.left_out  # (a person named after the phone lost nothing)
        extra = f" · {plural(left_out, 'value')} left out" if left_out else ""
        self.summary.setText(
            f"<b>{_escape(self.file_name)}</b> ({_escape(kind)}): " + " &nbsp; ".join(parts) + extra
        )
        added, merged = self.will_store()
        if added and merged:
            text = f"&Import {added} and merge {merged}"
        elif merged:
            text = f"&Merge {merged}"
        elif added:
            text = f"&Import {added} {'person' if added == 1 else 'people'}"
        else:
            text = "&Import"
        self.import_button.setText(text)
        self.import_button.setEnabled(bool(added or merged))
        if added or merged:
            self.show_error("")
        else:
            self.show_error(
                "There is nobody new to import"
                + (" (choose Merge or Add for the duplicates)." if counts["duplicate"] else ".")
            )

    def _request_import(self) -> None:
        if self.import_button.isEnabled():
            self.import_requested.emit(self.choice())

    # -- both ----------------------------------------------------------------------------------
    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        on_mapping = page == MAPPING_PAGE
        self.back_button.setVisible(bool(self.columns) and not on_mapping)
        self.preview_button.setVisible(on_mapping)
        self.import_button.setVisible(not on_mapping)
        self.import_button.setDefault(not on_mapping)
        self.preview_button.setDefault(on_mapping)
        if on_mapping:
            self._update_mapping_state()
        else:
            self._update_preview_state()

    def on_mapping_page(self) -> bool:
        return self.pages.currentIndex() == MAPPING_PAGE

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        """While the controller works: no second Preview or Import."""
        for button in (self.back_button, self.preview_button, self.import_button):
            button.setEnabled(not busy)
        if not busy:
            self._show_page(self.pages.currentIndex())


def _intro_text(file_name: str, guessed: dict[str, str]) -> str:
    """The mapping page's heading, true to what was matched: it said "not ones Mentorship
    Planner knows" when every field was already filled in from recognised columns."""
    name = f"<b>{_escape(file_name)}</b>"
    if {"name", "first_name", "last_name", "email"} & set(guessed):
        return (f"Mentorship Planner matched the columns of {name} to its fields as shown "
                "below, as <i>planner import</i> reads them. Check them, or choose other "
                "columns; at least a name or an email is needed.")
    if guessed:
        return (f"Mentorship Planner matched only some columns of {name} (below). Choose "
                "which column holds the name or the email address, and check the others.")
    return (f"The columns of {name} are not ones Mentorship Planner knows. Choose which of "
            "them holds each field; at least a name or an email is needed.")


def _shorten(text: str, limit: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
