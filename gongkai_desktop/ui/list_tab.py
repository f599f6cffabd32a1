"""The base of the three list screens (公开登记, 依申请公开, 投诉与意见).

A list tab is a Designer form with a search box, filter combos, a count label, a virtual
table (ui/paged_model.py) and a row of buttons. The base wires what they share: search
debounce and filter combos, sorting by header, the count, selection → buttons, refresh
on change notices, disposal, and launching export/import jobs. A subclass names its form,
combos, buttons and columns, and supplies its actions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from ..core.errors import UserError
from . import signals, workers
from .forms import form_child, host, load_form
from .list_table import setup_list_table
from .paged_model import column_index

SEARCH_DEBOUNCE_MS = 250
DUE_CHOICES = (("全部", None), ("已逾期", "overdue"), ("即将到期", "soon"))


def qt_order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


class ListTab(QWidget):
    """``message`` carries status-bar text for the main window.

    A subclass sets the class attributes below and supplies ``_fill_filters``,
    ``_refill_years``, ``delete_selected`` and its actions.
    """

    message = Signal(str)

    FORM = ""  # the .ui form under ui/forms/
    MODEL: type | None = None  # the PagedSqlModel subclass: MODEL(db, parent, today=…)
    INDICATOR: type | None = None  # a due indicator for the status bar: show_due on click
    WINDOWS: Sequence[str] = ()  # attributes holding the tab's open dialogs (or None)
    COMBOS: Sequence[str] = ()  # "year" → self.year_combo ("yearCombo"), a FILTER field
    FILTER: type = object  # the core filter dataclass: text= plus one field per combo
    BUTTONS: Mapping[str, str] = {}  # "new" → "newButton", clicked → self.<method name>
    SELECTION_BUTTONS: Sequence[str] = ()  # enabled only while a row is selected
    WATCH: Sequence[str] = ()  # signals kinds that refresh the list
    KEEP_SELECTION = True  # reselect the selected record after a refresh
    COUNT_UNIT = "件"
    SORT_HINT = ""  # why a computed column cannot be sorted
    SORT_COLUMN = ""  # column key sorted by at start (descending)
    SAMPLES: Mapping[str, str] = {}  # column key → widest typical text
    STRETCH: tuple[str, str] = ("", "")  # (column key, minimum sample) taking the rest
    OPEN_ACTION = "handle_selected"  # Enter / double-click

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.fixed_today = db, today
        self.ui = load_form(self.FORM, self)
        host(self.ui, self)
        w = self._w
        self.search: QLineEdit = w(QLineEdit, "searchEdit")
        for n in self.COMBOS:
            setattr(self, f"{n}_combo", w(QComboBox, f"{n}Combo"))
        self.count_label: QLabel = w(QLabel, "countLabel")
        self.table: QTableView = w(QTableView, "tableView")
        self.buttons = {n: w(QPushButton, f"{n}Button") for n in self.BUTTONS}
        self.job: workers.Job | None = None  # the last background job
        self.last_message = ""
        self._disposed = False
        for attr in self.WINDOWS:
            setattr(self, attr, None)
        self.indicator = self.INDICATOR(db, today=today) if self.INDICATOR else None
        self.model = self.MODEL(db, self, today=today)
        self._setup_table()
        self._fill_filters()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self.apply_filter)
        for n, method in self.BUTTONS.items():
            self.buttons[n].clicked.connect(lambda *_a, m=method: getattr(self, m)())
        if self.indicator is not None:
            self.indicator.linkActivated.connect(self.show_due)
        signals.changes().changed.connect(self._on_changed)
        self._update_count()
        self._update_buttons()

    def dispose(self) -> None:
        """Stop listening before the database behind this tab is closed."""
        if self._disposed:
            return
        self._disposed = True
        signals.changes().changed.disconnect(self._on_changed)
        if self.indicator is not None:
            self.indicator.dispose()
        for attr in self.WINDOWS:
            if getattr(self, attr) is not None:
                getattr(self, attr).close()
        self._close_more()

    def _close_more(self) -> None:
        """Close whatever else the tab has open (on dispose)."""

    def _w(self, cls, name):
        return form_child(self.ui, cls, name, self.FORM)

    def _combos(self) -> list[QComboBox]:
        return [getattr(self, f"{n}_combo") for n in self.COMBOS]

    # -- setup -------------------------------------------------------------------------

    def _setup_table(self) -> None:
        col = column_index(self.model.COLUMNS)
        stretch, sample = self.STRETCH
        setup_list_table(
            self.table, self.model, sort_column=col[self.SORT_COLUMN],
            samples={col[k]: v for k, v in self.SAMPLES.items()},
            stretch_column=col[stretch], stretch_sample=sample,
            on_header=self._header_clicked, on_open=getattr(self, self.OPEN_ACTION),
            on_delete=self.delete_selected, on_selection=self._update_buttons)  # fmt: skip

    def _fill_filters(self) -> None:
        raise NotImplementedError

    def _refill_years(self) -> None:
        raise NotImplementedError

    def _refill(self, kind: str) -> None:
        """Refill the filter choices a change of *kind* may have altered."""
        self._refill_years()

    def delete_selected(self) -> None:
        raise NotImplementedError

    # -- filtering, sorting, refreshing -------------------------------------------

    def current_filter(self):
        return self.FILTER(
            text=self.search.text().strip(),
            **{n: c.currentData() for n, c in zip(self.COMBOS, self._combos(), strict=True)},
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def show_due(self, which: str) -> None:
        """Show only overdue (“overdue”) or due-soon (“soon”) records, the other filters
        cleared (the main window brings this tab to the front)."""
        for n, combo in zip(self.COMBOS, self._combos(), strict=True):
            if n != "due":
                combo.setCurrentIndex(0)
        self.search.clear()
        self.due_combo.setCurrentIndex(max(self.due_combo.findData(which), 0))
        self.apply_filter()

    def _header_clicked(self, column: int) -> None:
        h = self.table.horizontalHeader()
        order_key, desc = self.model.sort_key
        current = next(i for i, c in enumerate(self.model.COLUMNS) if c.sort == order_key)
        if not self.model.column_sortable(column):
            h.setSortIndicator(current, qt_order(desc))
            self.message.emit(self.SORT_HINT)
            return
        new_desc = (not desc) if column == current else False
        h.setSortIndicator(column, qt_order(new_desc))
        self.model.sort(column, qt_order(new_desc))

    def _on_changed(self, kind: str) -> None:
        if kind not in self.WATCH:
            return
        keep = self.selected_id() if self.KEEP_SELECTION else None
        self._refill(kind)
        self.model.set_filter(self.current_filter())
        self.model.refresh()
        self._update_count()
        if keep is not None:
            self.select_id(keep)

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount():,} {self.COUNT_UNIT}")

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for n in self.SELECTION_BUTTONS:
            self.buttons[n].setEnabled(has)

    def selected_row(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        r = self.selected_row()
        return r["id"] if r else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def select_id(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    # -- dialogs and deleting ---------------------------------------------------------

    def _raise_open(self, attr: str) -> bool:
        """Bring the tab's open *attr* window to the front; False when there is none."""
        dlg = getattr(self, attr)
        if dlg is None or not dlg.isVisible():
            return False
        dlg.raise_()
        dlg.activateWindow()
        return True

    def _open_window(self, attr: str, dlg, on_finished: Callable | None = None) -> None:
        """Open *dlg* (window-modal) as the tab's *attr*; it deletes itself when closed,
        after ``on_finished(dlg)`` has run, and *attr* is cleared."""
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_finished is not None:
            dlg.finished.connect(lambda _r, d=dlg: on_finished(d))
        dlg.finished.connect(lambda _r, d=dlg: self._closed(attr, d))
        setattr(self, attr, dlg)
        dlg.open()

    def _open_record(self, attr: str, id_attr: str, record_id: int, make: Callable,
                     prepare: Callable = lambda _d: None) -> None:  # fmt: skip
        """Show record *record_id* in the tab's *attr* dialog: the open one when it shows
        that record already (``dlg.<id_attr>``), else a new ``make()`` (replacing any
        other); ``prepare(dlg)`` runs before it is shown. A UserError is shown instead."""
        dlg = getattr(self, attr)
        if dlg is not None and dlg.isVisible():
            if getattr(dlg, id_attr) == record_id:
                prepare(dlg)
                self._raise_open(attr)
                return
            dlg.close()
        try:
            dlg = make()
        except UserError as e:
            QMessageBox.warning(self, "无法打开", str(e))
            return
        prepare(dlg)
        self._open_window(attr, dlg)

    def _closed(self, attr: str, dlg) -> None:
        if getattr(self, attr) is dlg:
            setattr(self, attr, None)

    def _confirm_delete(self, title: str, question: str, delete: Callable[[], object]) -> bool:
        """Ask *question* (No is the default), then run *delete*; False when the clerk
        says no or the delete is refused (the reason is shown)."""
        answer = QMessageBox.question(
            self,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete()
        except UserError as e:
            QMessageBox.warning(self, "无法删除", str(e))
            return False
        return True

    # -- export / import (off the GUI thread) --------------------------------------

    def _launch(self, start: Callable[..., workers.Job | None], *args, **kw):
        """Start a job with ``start(self, db, *args, say=…, disable=…, **kw)``; the export
        and import buttons stay disabled while it runs. Keeps the last job on ``job``."""
        disable = [self.buttons[n] for n in ("export", "import") if n in self.buttons]
        job = start(self, self.db, *args, say=self._say, disable=disable, **kw)
        self.job = job or self.job
        return self.job
