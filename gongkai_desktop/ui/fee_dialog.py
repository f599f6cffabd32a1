"""信息处理费计算 (工具 menu): the progressive tiers of 国办函〔2020〕109号, explained.

The computation is core/fees.py; this dialog only shows it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import fees
from ..core.errors import UserError
from .forms import embed_form

# (label in the combo, core method key)
METHODS = (("按件计收", fees.METHOD_PIECE), ("按量计收", fees.METHOD_PAGE))
_UNITS = {fees.METHOD_PIECE: "件", fees.METHOD_PAGE: "页"}


def _cell(text: str, align_right: bool = False, bold: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    if align_right:
        it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        f = QFont()
        f.setBold(True)
        it.setFont(f)
    return it


class FeeDialog(QDialog):
    """Method + count → total, each tier (range, count, rate, subtotal) and the explanation."""

    def __init__(
        self, parent: QWidget | None = None, *, method: str = fees.METHOD_PIECE, count: int = 1
    ) -> None:
        super().__init__(parent)
        self.result: fees.FeeResult | None = None
        self.ui = embed_form("fee_dialog", self, margin=6)
        f = self.ui.findChild
        self.method: QComboBox = f(QComboBox, "methodCombo")
        self.count: QSpinBox = f(QSpinBox, "countSpin")
        self.basis: QLabel = f(QLabel, "basisLabel")
        self.total: QLabel = f(QLabel, "totalLabel")
        self.tiers: QTableWidget = f(QTableWidget, "tierTable")
        self.explain: QPlainTextEdit = f(QPlainTextEdit, "explainText")
        self.error: QLabel = f(QLabel, "errorLabel")
        for label, key in METHODS:
            self.method.addItem(label, key)
        self.tiers.verticalHeader().hide()
        head = self.tiers.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        f(QPushButton, "copyButton").clicked.connect(self.copy_explanation)
        self.method.setCurrentIndex(max(self.method.findData(fees.METHOD_ALIASES[method]), 0))
        self.count.setValue(count)
        self.method.currentIndexChanged.connect(self.compute)
        self.count.valueChanged.connect(self.compute)
        self.compute()

    def compute(self) -> None:
        key = self.method.currentData()
        unit = _UNITS[key]
        self.count.setSuffix(f" {unit}")
        try:
            r = fees.fee(key, self.count.value())
        except UserError as e:  # a broken fees.json: say so, keep the dialog usable
            self.result = None
            self.error.setText(str(e))
            self.total.setText("合计：—")
            self.tiers.setRowCount(0)
            self.explain.clear()
            return
        self.error.clear()
        self.result = r
        self.basis.setText(f"计费依据：{r.method.basis}（{r.source}，超额累进）")
        self.total.setText(f"合计：{r.total:,} 元")
        self.tiers.setRowCount(len(r.tiers) + 1)
        for row, t in enumerate(r.tiers):
            self.tiers.setItem(row, 0, _cell(t.tier.label(unit)))
            self.tiers.setItem(row, 1, _cell(f"{t.count}{unit}", True))
            self.tiers.setItem(row, 2, _cell("免费" if t.rate == 0 else f"{t.rate:,}", True))
            self.tiers.setItem(row, 3, _cell(f"{t.subtotal:,}", True))
        last = len(r.tiers)
        self.tiers.setItem(last, 0, _cell("合计", bold=True))
        self.tiers.setItem(last, 1, _cell(f"{r.count}{unit}", True, True))
        self.tiers.setItem(last, 2, _cell(""))
        self.tiers.setItem(last, 3, _cell(f"{r.total:,}", True, True))
        self.explain.setPlainText(r.explain())

    def tier_rows(self) -> list[tuple[str, ...]]:
        """The table as text (tests, copying)."""
        return [
            tuple(self.tiers.item(r, c).text() for c in range(self.tiers.columnCount()))
            for r in range(self.tiers.rowCount())
        ]

    def copy_explanation(self) -> None:
        if self.result is not None:
            QApplication.clipboard().setText(self.result.explain())


def open_fee_dialog(
    parent: QWidget | None, method: str = fees.METHOD_PIECE, count: int = 1
) -> None:
    FeeDialog(parent, method=method, count=count).exec()
