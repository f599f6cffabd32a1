"""The annual report's tables 二、三、四 drawn like the official form (国办公开办函〔2021〕30号):
header and row-label cells are spanned table cells, not Qt headers. Tables 三 and 四 are
read-only; table 二's 行政许可/处罚/强制 and 收费金额 cells are the clerk's (yellow)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QDoubleValidator, QFont, QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
)

from ..core import annual_tables as at

HEAD_BG, LABEL_BG, MANUAL_BG = QColor("#eef1f4"), QColor("#f7f8fa"), QColor("#fff6cc")
MISSING_FG, BAD_BG = QColor("#b3261e"), QColor("#fdecea")
CELL = Qt.ItemDataRole.UserRole  # (row, column) of a table-2 figure
RO = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDIT = RO | Qt.ItemFlag.ItemIsEditable


def _grid(table: QTableWidget, rows: int, cols: int) -> None:
    table.clearSpans()
    table.clear()
    table.setRowCount(rows)
    table.setColumnCount(cols)
    table.horizontalHeader().setVisible(False)
    table.verticalHeader().setVisible(False)


def _put(table, r, c, text, *, span=(1, 1), bg=None, bold=False, align=None, flags=RO):
    it = QTableWidgetItem(str(text))
    it.setFlags(flags)
    it.setTextAlignment(align or (Qt.AlignmentFlag.AlignCenter))
    if bg is not None:
        it.setBackground(QBrush(bg))
    if bold:
        f = QFont(table.font())
        f.setBold(True)
        it.setFont(f)
    table.setItem(r, c, it)
    if span != (1, 1):
        table.setSpan(r, c, *span)
    return it


def _label(table, r, c, text, span=(1, 1)):
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    return _put(table, r, c, text, span=span, bg=LABEL_BG, align=left)


def _fit(table: QTableWidget, widths: tuple[int, ...], header_lines: dict[int, int]) -> None:
    """The first len(*widths*) columns fixed, the rest share the width. Row heights are
    set, not measured by Qt (which sizes spanned cells badly): one line, more where a
    label cell wraps, *header_lines* for header rows whose cells sit in shared columns."""
    h = table.horizontalHeader()
    for c in range(table.columnCount()):
        fixed = c < len(widths)
        mode = QHeaderView.ResizeMode.Interactive if fixed else QHeaderView.ResizeMode.Stretch
        h.setSectionResizeMode(c, mode)
        if fixed:
            table.setColumnWidth(c, widths[c])
    fm = table.fontMetrics()
    line, pad = fm.height(), 10
    for r in range(table.rowCount()):
        height = line * header_lines.get(r, 1) + pad
        for c in range(len(widths)):
            it = table.item(r, c)
            if it is None or table.rowSpan(r, c) != 1:
                continue
            span = min(table.columnSpan(r, c), len(widths) - c)
            w = sum(widths[c : c + span]) - 2 * pad
            rect = fm.boundingRect(0, 0, max(w, 10), 10000, Qt.TextFlag.TextWordWrap, it.text())
            height = max(height, rect.height() + pad)
        table.setRowHeight(r, height)


# -- 表三 ---------------------------------------------------------------------------------


def fill_table3(table: QTableWidget, t3: at.Table3) -> None:
    """3 header rows, then 一、二、三（一）…（七）、四 with 3 label columns and 7 numbers."""
    labels = at.display_labels()
    ncols = len(t3.columns)
    first = 3  # first number column
    _grid(table, 3 + 2 + len(labels) + 2, first + ncols)
    _put(table, 0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
         span=(3, first), bg=HEAD_BG)  # fmt: skip
    _put(table, 0, first, "申请人情况", span=(1, ncols), bg=HEAD_BG, bold=True)
    _put(table, 1, first, t3.columns[0], span=(2, 1), bg=HEAD_BG)
    _put(table, 1, first + 1, "法人或其他组织", span=(1, ncols - 2), bg=HEAD_BG)
    for i, c in enumerate(t3.columns[1:-1]):
        _put(table, 2, first + 1 + i, c, bg=HEAD_BG)
    _put(table, 1, first + ncols - 1, t3.columns[-1], span=(2, 1), bg=HEAD_BG)
    r = 3

    def numbers(row: int, key: str) -> None:
        for i, v in enumerate(t3.rows[key]):
            _put(table, row, first + i, v, bold=i == ncols - 1)

    _label(table, r, 0, "一、本年新收政府信息公开申请数量", (1, first))
    numbers(r, at.NEW)
    _label(table, r + 1, 0, "二、上年结转政府信息公开申请数量", (1, first))
    numbers(r + 1, at.CARRIED_IN)
    r += 2
    _label(table, r, 0, "三、本年度办理结果", (len(labels) + 1, 1))
    start = r
    for i, (head, text, key) in enumerate(labels):
        if not text:
            _label(table, r, 1, head, (1, 2))
        else:
            if i == 0 or labels[i - 1][0] != head:
                n = sum(1 for h, _t, _k in labels if h == head)
                _label(table, r, 1, head, (n, 1))
            _label(table, r, 2, text)
        numbers(r, key)
        r += 1
    _label(table, r, 1, "（七）总计", (1, 2))
    numbers(r, at.TOTAL)
    _label(table, r + 1, 0, "四、结转下年度继续办理", (1, first))
    numbers(r + 1, at.CARRIED_OUT)
    assert r - start == len(labels)
    _fit(table, (112, 128, 236), {2: 2})  # 社会公益组织 may wrap


# -- 表四 ---------------------------------------------------------------------------------


def fill_table4(table: QTableWidget, t4: at.Table4) -> None:
    """行政复议 (5) | 行政诉讼: 未经复议直接起诉 (5), 复议后起诉 (5); one row of numbers."""
    groups = at.table4_groups()
    n = len(t4.values) // len(groups)
    _grid(table, 4, len(t4.values))
    _put(table, 0, 0, groups[0], span=(2, n), bg=HEAD_BG, bold=True)
    _put(table, 0, n, at.LITIGATION, span=(1, n * (len(groups) - 1)), bg=HEAD_BG, bold=True)
    for g, name in enumerate(groups[1:], 1):
        _put(table, 1, g * n, name.split("·", 1)[1], span=(1, n), bg=HEAD_BG)
    for c, col in enumerate(t4.columns):
        _put(table, 2, c, col.rsplit("·", 1)[1], bg=HEAD_BG)
        _put(table, 3, c, t4.values[c], bold=col.endswith(at.TOTAL_COLUMN))
    _fit(table, (), {})


# -- 表二 ---------------------------------------------------------------------------------


class _FigureDelegate(QStyledItemDelegate):
    """Counts take whole numbers, the fee amount up to four decimals (万元)."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt API)
        editor = QLineEdit(parent)
        row, _col = index.data(CELL) or ("", "")
        if row == "行政事业性收费":
            v = QDoubleValidator(0.0, 1e9, 4, editor)
            v.setNotation(QDoubleValidator.Notation.StandardNotation)
        else:
            v = QIntValidator(0, 10**9, editor)
        editor.setValidator(v)
        editor.setPlaceholderText("未填报")
        return editor

    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        cell = index.data(CELL)
        if cell and cell[0] in at.MANUAL_ROWS and not str(index.data() or "").strip():
            painter.save()
            painter.setPen(MISSING_FG)
            painter.drawText(option.rect, Qt.AlignmentFlag.AlignCenter, "未填报，请填写")
            painter.restore()


def fill_table2(table: QTableWidget, t2: at.Table2, editable: bool) -> None:
    """The four blocks; the clerk's cells are yellow and editable unless *editable* is False
    (a locked year). Each figure cell carries (row, column) in CELL."""
    rows = sum(2 + len(r) for _b, _c, r in at.TABLE2_BLOCKS)
    width = max(len(c) for _b, c, _r in at.TABLE2_BLOCKS)
    _grid(table, rows, 1 + width)
    table.setItemDelegate(_FigureDelegate(table))
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    r = 0
    for block, cols, names in at.TABLE2_BLOCKS:
        _put(table, r, 0, block, span=(1, 1 + width), bg=HEAD_BG, bold=True)
        _put(table, r + 1, 0, "信息内容", bg=HEAD_BG)
        col_span = width // len(cols)
        for i, c in enumerate(cols):
            _put(table, r + 1, 1 + i * col_span, c, span=(1, col_span), bg=HEAD_BG)
        r += 2
        for name in names:
            _label(table, r, 0, name)
            for i, c in enumerate(cols):
                value, source = t2.values[name][c], t2.sources[name][c]
                manual = name in at.MANUAL_ROWS
                text = "" if value is None else _figure(value)
                it = _put(table, r, 1 + i * col_span, text, span=(1, col_span),
                          bg=MANUAL_BG if manual else None,
                          flags=EDIT if manual and editable else RO)  # fmt: skip
                it.setData(CELL, (name, c))
                it.setToolTip(_source_tip(source, manual))
            r += 1
    _fit(table, (170,), {})


def _figure(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(int(value)) if isinstance(value, float) else str(value)


def _source_tip(source: str, manual: bool) -> str:
    if manual:
        return "请填写本年度的数字（没有的填 0），填写后点“保存”。"
    if source == at.MANUAL:
        return "此数字为手工填报，替代了登记簿统计。"
    return "由主动公开登记簿统计（法规文件类：文号含“令”的计为规章，其余计为行政规范性文件）。"


def table2_entries(table: QTableWidget) -> dict[str, dict[str, float | int | None]]:
    """The clerk's figures as typed: row → column → number, None where left empty."""
    out: dict[str, dict] = {}
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            it = table.item(r, c)
            cell = it.data(CELL) if it is not None else None
            if not cell or cell[0] not in at.MANUAL_ROWS:
                continue
            text = it.text().strip().replace(",", "")
            if not text:
                value = None
            elif cell[0] == "行政事业性收费":
                value = float(text)
            else:
                value = int(float(text))
            out.setdefault(cell[0], {})[cell[1]] = value
    return out
