"""监督检查 tab: 日常巡查, 半年重点检查 (with its report PDF), 定期自查 and 整改事项 for
a year, the half-year status (考核表第30项) and the ledgers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from ..core import complaint_rules as rules
from ..core import inspections
from . import signals, supervision_jobs, workers
from .attachments_panel import AttachmentsPanel
from .form_tab import FormTab
from .inspection_dialogs import KeyInspectionDialog, PatrolDialog, SelfInspectionDialog
from .rectifications_view import RectificationsView, host
from .supervision_indicator import HalfYearBanner

# half-year state → (text colour, background)
HALF_STYLE = {
    rules.CHECKED: ("#ffffff", "#2e6b2e"),
    rules.NOT_CHECKED: ("#3a3f45", "#e3e6ea"),
    rules.ENDING: ("#5a3600", "#ffd08a"),
    rules.MISSED: ("#ffffff", "#c62828"),
}
SECTIONS = ("日常巡查", "半年重点检查", "定期自查", "整改事项")


def _cell(text, row_id: int | None = None, tip: bool = False) -> QTableWidgetItem:
    text = "" if text is None else str(text)
    it = QTableWidgetItem(text.replace("\n", " "))
    if row_id is not None:
        it.setData(Qt.ItemDataRole.UserRole, row_id)
    if tip and text:
        it.setToolTip(text)
    return it


class SupervisionTab(FormTab):
    """The 监督检查 screen. ``message`` carries status-bar text for the main window;
    ``banner`` is the half-year warning the main window shows above the tabs."""

    FORM = "supervision_tab"

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        w = self._w
        self.year_combo: QComboBox = w(QComboBox, "yearCombo")
        self.half_labels = {1: w(QLabel, "h1Label"), 2: w(QLabel, "h2Label")}
        self.reason: QLabel = w(QLabel, "reasonLabel")
        self.sections: QTabWidget = w(QTabWidget, "sectionTabs")
        self.patrol_table: QTableWidget = w(QTableWidget, "patrolTable")
        self.key_table: QTableWidget = w(QTableWidget, "keyTable")
        self.self_table: QTableWidget = w(QTableWidget, "selfTable")
        names = ("addPatrol", "addKey", "report", "viewReport", "addSelf",
                 "exportInspections", "exportRectifications")  # fmt: skip
        self.buttons = {n: w(QPushButton, f"{n}Button") for n in names}
        self.rect_view = RectificationsView(db, today=today)
        host(self.rect_view, w(QWidget, "rectHost"))
        self.banner = HalfYearBanner(db, today=today)
        self.dialog = None  # the open add dialog, if any
        self.job: workers.Job | None = None
        self.last_message = ""
        self._disposed = False
        self.key_rows: list[dict] = []
        for t in (self.patrol_table, self.key_table, self.self_table):
            t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 10)
            t.horizontalHeader().setStretchLastSection(False)
        self.attachments: dict[str, AttachmentsPanel] = {}  # 附件 of the selected row (issue 7 §1)
        for table, record_table in ((self.patrol_table, "patrols"),
                                    (self.key_table, "key_inspections"),
                                    (self.self_table, "self_inspections")):  # fmt: skip
            panel = AttachmentsPanel(db, record_table)
            panel.setMaximumHeight(170)
            panel.message.connect(self._say)
            table.parentWidget().layout().addWidget(panel)
            table.itemSelectionChanged.connect(
                lambda t=table, p=panel: self._show_attachments(t, p)
            )
            self.attachments[record_table] = panel
        self._fill_years()
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        b = self.buttons
        b["addPatrol"].clicked.connect(lambda: self.add(PatrolDialog))
        b["addKey"].clicked.connect(lambda: self.add(KeyInspectionDialog))
        b["addSelf"].clicked.connect(lambda: self.add(SelfInspectionDialog))
        b["report"].clicked.connect(lambda: self.generate_report())
        b["viewReport"].clicked.connect(self.view_report)
        b["exportInspections"].clicked.connect(lambda: self.export_ledger("inspections"))
        b["exportRectifications"].clicked.connect(lambda: self.export_ledger("rectifications"))
        self.key_table.itemSelectionChanged.connect(self._update_buttons)
        self.key_table.doubleClicked.connect(lambda _i: self.view_report())
        signals.changes().changed.connect(self._on_changed)
        self.reload()

    def dispose(self) -> None:
        if self._disposed:
            return
        self._disposed = True
        signals.changes().changed.disconnect(self._on_changed)
        self.rect_view.dispose()
        self.banner.dispose()
        if self.dialog is not None:
            self.dialog.close()

    @property
    def year(self) -> int:
        return self.year_combo.currentData() or self.today.year

    def _fill_years(self) -> None:
        self.year_combo.blockSignals(True)
        for y in supervision_jobs.year_choices(self.db, self.today, None):
            self.year_combo.addItem(f"{y}年", y)
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(self.today.year), 0))
        self.year_combo.blockSignals(False)

    def show_section(self, title: str) -> None:
        self.sections.setCurrentIndex(SECTIONS.index(title))

    # -- drawing -----------------------------------------------------------------------

    def reload(self) -> None:
        year = self.year
        self._show_halves(year)
        patrols = inspections.patrols(self.db, year)
        self._fill(self.patrol_table, patrols,
                   ("on_date", "who", "target", "checked", "findings"))  # fmt: skip
        for r, row in enumerate(patrols):  # a patrol that found something stands out
            if row["findings"] and row["findings"] != inspections.NO_FINDINGS:
                self.patrol_table.item(r, 4).setForeground(QBrush(QColor("#a15c00")))
        self.key_rows = inspections.key_inspections(self.db, year)
        for r in self.key_rows:
            r["half_label"] = f"{rules.HALF_LABELS[r['half']]}"
            r["report"] = "已生成" if r["has_report"] else "未生成"
        self._fill(self.key_table, self.key_rows,
                   ("on_date", "half_label", "team", "scope", "findings", "conclusion",
                    "rectifications", "report"))  # fmt: skip
        for r, row in enumerate(self.key_rows):
            if not row["has_report"]:
                self.key_table.item(r, 7).setForeground(QBrush(QColor("#a15c00")))
        rows = inspections.self_inspections(self.db, year)
        self._fill(self.self_table, rows,
                   ("on_date", "findings", "meeting_kind", "meeting_date", "rectifications"))  # fmt: skip
        self.rect_view.set_year(year)
        self._update_buttons()

    def _fill(self, table: QTableWidget, rows: list[dict], keys: tuple[str, ...]) -> None:
        keep = self._selected(table)
        table.setRowCount(len(rows))
        long = {"checked", "findings", "scope", "conclusion", "team"}
        for r, row in enumerate(rows):
            for c, key in enumerate(keys):
                table.setItem(r, c, _cell(row.get(key), row["id"], tip=key in long))
        h = table.horizontalHeader()
        for c, key in enumerate(keys):  # long texts share the width, the rest fit
            mode = (
                QHeaderView.ResizeMode.Stretch
                if key in long
                else QHeaderView.ResizeMode.ResizeToContents
            )
            h.setSectionResizeMode(c, mode)
        if keep is not None:
            for r, row in enumerate(rows):
                if row["id"] == keep:
                    table.selectRow(r)

    def _show_halves(self, year: int) -> None:
        checks = inspections.half_year_checks(self.db, year, self.today)
        for s in checks:
            lab = self.half_labels[s.half]
            fg, bg = HALF_STYLE.get(s.state, HALF_STYLE[rules.NOT_CHECKED])
            lab.setText(f"{rules.HALF_LABELS[s.half]}：{s.state}")
            lab.setToolTip(s.explain())
            lab.setStyleSheet(
                f"font-weight: bold; padding: 2px 8px; border-radius: 3px; color: {fg};"
                f" background: {bg};"
            )
        attention = [s for s in checks if s.needs_attention] or checks
        self.reason.setText("　".join(s.explain() for s in attention))
        missed = any(s.state == rules.MISSED for s in checks)
        ending = any(s.state == rules.ENDING for s in checks)
        colour = "#c62828" if missed else ("#a15c00" if ending else "#4d5660")
        self.reason.setStyleSheet(f"color: {colour};")
        self.half_checks = checks

    @staticmethod
    def _selected(table: QTableWidget) -> int | None:
        items = table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def selected_key(self) -> dict | None:
        kid = self._selected(self.key_table)
        return next((r for r in self.key_rows if r["id"] == kid), None)

    def _show_attachments(self, table: QTableWidget, panel: AttachmentsPanel) -> None:
        rid = self._selected(table)
        if rid != panel.record_id:
            panel.set_record(panel.record_table, rid)

    def _update_buttons(self) -> None:
        row = self.selected_key()
        running = self.job is not None and not self.job.is_done
        self.buttons["report"].setEnabled(row is not None and not running)
        self.buttons["viewReport"].setEnabled(row is not None and row["has_report"])

    def _on_changed(self, kind: str) -> None:
        if kind in (signals.SUPERVISION, signals.COMPLAINTS):
            self.reload()

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    # -- actions ---------------------------------------------------------------------

    def add(self, cls) -> None:
        """Open one of the 登记 forms (巡查 / 重点检查 / 自查), window-modal."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()
        dlg = cls(self.db, self, today=self.fixed_today)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._closed(d))
        self.dialog = dlg
        dlg.open()

    def _closed(self, dlg) -> None:
        if dlg.record_id is not None:
            self._say(f"已{dlg.windowTitle()}。")
        if self.dialog is dlg:
            self.dialog = None

    def generate_report(self, inspection_id: int | None = None) -> workers.Job | None:
        """生成报告 for the selected key inspection: PDF rendered off the GUI thread,
        stored with the inspection, then opened in the system viewer."""
        if inspection_id is None:
            row = self.selected_key()
            if row is None:
                return None
            inspection_id = row["id"]
        row = next((r for r in self.key_rows if r["id"] == inspection_id), {})
        name = supervision_jobs.report_file_name(row)
        self.job = (
            supervision_jobs.generate_report(
                self,
                self.db,
                inspection_id,
                on_stored=lambda pdf: self._open_pdf(pdf, name),
                say=self._say,
                disable=[self.buttons["report"]],
            )
            or self.job
        )
        return self.job

    def view_report(self) -> Path | None:
        row = self.selected_key()
        if row is None:
            return None
        pdf = inspections.report_pdf(self.db, row["id"])
        if pdf is None:
            QMessageBox.information(
                self, "查看报告", "这次重点检查还没有生成报告，请先点“生成报告”。"
            )
            return None
        return self._open_pdf(pdf, supervision_jobs.report_file_name(row))

    def _open_pdf(self, pdf: bytes, name: str) -> Path:
        from .letters_dialog import open_pdf

        path = open_pdf(pdf, name)
        self._say(f"已打开检查报告：{path}")
        return path

    def export_ledger(self, which: str, year: int | None = None, out_path=None):
        self.job = (
            supervision_jobs.export_ledger(
                self,
                self.db,
                which,
                year=year,
                out_path=out_path,
                today=self.fixed_today,
                preferred_year=self.year,
                say=self._say,
                disable=[self.buttons["exportInspections"], self.buttons["exportRectifications"]],
            )
            or self.job
        )
        return self.job
