"""How every big list (公开登记, 依申请公开, 投诉与意见) sets up its QTableView.

Sortable headers that sort in SQL, column widths from sample text, one column that takes
the room left over, fixed row heights (no measuring a million rows), whole-row selection,
Enter to open and Delete to remove.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class _Stretch(QObject):
    """Gives *column* whatever width the viewport has left, but never less than *minimum*."""

    def __init__(self, table: QTableView, column: int, minimum: int) -> None:
        super().__init__(table)
        self.table, self.column, self.minimum = table, column, minimum
        table.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize and obj is self.table.viewport():
            self.fit()
        return False

    def fit(self) -> None:
        t = self.table
        n = t.model().columnCount()
        others = sum(t.columnWidth(c) for c in range(n) if c != self.column)
        t.setColumnWidth(self.column, max(self.minimum, t.viewport().width() - others - 2))


def setup_list_table(
    table: QTableView,
    model,
    *,
    sort_column: int,
    samples: dict[int, str],
    stretch_column: int,
    stretch_sample: str,
    on_header: Callable[[int], None],
    on_open: Callable[[], None],
    on_delete: Callable[[], None],
    on_selection: Callable[[], None],
) -> None:
    table.setModel(model)
    h = table.horizontalHeader()
    h.setSectionsClickable(True)
    h.setSortIndicatorShown(True)
    h.setSortIndicator(sort_column, Qt.SortOrder.DescendingOrder)
    h.sectionClicked.connect(on_header)
    h.setHighlightSections(False)
    fm = h.fontMetrics()
    for col, sample in samples.items():
        table.setColumnWidth(col, fm.horizontalAdvance(sample) + 18)
    h.setMinimumSectionSize(60)
    minimum = fm.horizontalAdvance(stretch_sample) + 18
    table.setColumnWidth(stretch_column, minimum)
    _Stretch(table, stretch_column, minimum)
    v = table.verticalHeader()
    v.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    v.setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.doubleClicked.connect(lambda _i: on_open())
    table.selectionModel().selectionChanged.connect(lambda *_: on_selection())
    model.modelReset.connect(on_selection)
    for key, slot in (
        (Qt.Key.Key_Return, on_open),
        (Qt.Key.Key_Enter, on_open),
        (Qt.Key.Key_Delete, on_delete),
    ):
        sc = QShortcut(QKeySequence(key), table)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(slot)


def refill_combo(combo, all_label: str, choices) -> None:
    """Refill a filter combo with ("全部…", None) and (text, value) *choices*, keeping the
    current choice when it still exists and without firing a filter change."""
    keep = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, None)
    for text, value in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(keep), 0))
    combo.blockSignals(False)


def refill_years(combo, years) -> None:
    refill_combo(combo, "全部年度", ((f"{y}年", y) for y in years))
