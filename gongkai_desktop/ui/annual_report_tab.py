"""年度报告 tab (政府信息公开工作年度报告, 国办公开办函〔2021〕30号; 条例第四十九条).

A tab rather than a wizard: the clerk writes the report over several days and goes back
and forth between the texts, the tables and the checks. Pick the year; tables 二、三、四
are computed from the records (table 二's 许可/处罚/强制 and 收费金额 are the clerk's);
sections 一、五、六 start from drafts; the checks are listed with ✔/✘; export xlsx/PDF
(only 草稿 while a check fails); 发布并锁定, 解锁 with a reason, 重新锁定.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from ..core import annual_report
from ..core.errors import UserError
from ..core.record_attachments import record_exists
from . import annual_report_actions as actions
from . import signals
from .annual_report_grids import fill_table2, fill_table3, fill_table4, table2_entries
from .attachments_panel import AttachmentsPanel
from .form_tab import FormTab

YEARS_BACK = 6
EDITORS = {"section1": "section1Edit", "section5": "section5Edit", "section6": "section6Edit"}
# the records each report number is counted from: a change there redraws tables and checks
WATCHED = (signals.ANNUAL_REPORT, signals.APPLICATIONS, signals.ITEMS, signals.ORGANISATION,
           signals.SUPERVISION, signals.COMPLAINTS, signals.PROFILE)  # fmt: skip
GREEN, RED = QColor("#1b5e20"), QColor("#c62828")


class AnnualReportTab(FormTab):
    """``message`` carries status-bar text; ``rep`` is the AnnualReport shown; ``job`` the
    last export; ``dialog`` the open publish/unlock form."""

    FORM = "annual_report_tab"

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        w = self._w
        self.year_combo: QComboBox = w(QComboBox, "yearCombo")
        self.status: QLabel = w(QLabel, "statusLabel")
        self.deadline: QLabel = w(QLabel, "deadlineLabel")
        self.changed: QLabel = w(QLabel, "changedLabel")
        self.error: QLabel = w(QLabel, "errorLabel")
        self.export_hint: QLabel = w(QLabel, "exportHint")
        self.draft: QCheckBox = w(QCheckBox, "draftCheck")
        self.parts: QTabWidget = w(QTabWidget, "partTabs")
        self.checks_list: QListWidget = w(QListWidget, "checksList")
        self.grids = {n: w(QTableWidget, f"table{n}Grid") for n in (2, 3, 4)}
        self.editors: dict[str, QPlainTextEdit] = {
            k: w(QPlainTextEdit, n) for k, n in EDITORS.items()
        }
        names = ("redraft", "save", "exportXlsx", "exportPdf", "publish", "unlock", "relock")
        self.buttons = {n: w(QPushButton, f"{n}Button") for n in names}
        splitter: QSplitter = w(QSplitter, "splitter")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 260])
        self.error.hide()
        self.rep: annual_report.AnnualReport | None = None
        self.dirty = False
        self.job = None
        self.dialog = None
        self.last_message = ""
        self._disposed = False
        for y in range(self.today.year, self.today.year - YEARS_BACK, -1):
            self.year_combo.addItem(f"{y}年", y)
        self.year_combo.setCurrentIndex(1)  # last year's report is the one due
        self._shown_year = self.year
        self.year_combo.currentIndexChanged.connect(lambda _i: self._year_changed())
        for e in self.editors.values():
            e.textChanged.connect(self._edited)
        self.grids[2].itemChanged.connect(lambda _it: self._edited())
        b = self.buttons
        b["save"].clicked.connect(lambda: self.save())
        b["redraft"].clicked.connect(lambda: self.redraft())
        b["exportXlsx"].clicked.connect(lambda: self.export("xlsx"))
        b["exportPdf"].clicked.connect(lambda: self.export("pdf"))
        b["publish"].clicked.connect(lambda: self.publish())
        b["unlock"].clicked.connect(lambda: self.unlock())
        b["relock"].clicked.connect(lambda: self.relock())
        # 附件 of the year's report (issue 7 §1; core/attachments keys annual_reports by year)
        self.attachments = AttachmentsPanel(db, "annual_reports", None, self)
        self.parts.addTab(self.attachments, "附件")
        signals.changes().changed.connect(self._on_changed)
        self.reload()

    def dispose(self) -> None:
        if self._disposed:
            return
        self._disposed = True
        signals.changes().changed.disconnect(self._on_changed)
        if self.dialog is not None:
            self.dialog.close()

    @property
    def year(self) -> int:
        return self.year_combo.currentData() or self.today.year - 1

    def set_year(self, year: int) -> None:
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(year), 0))

    # -- drawing -----------------------------------------------------------------------

    def reload(self, keep_edits: bool = False) -> None:
        """Recompute the report; the clerk's unsaved texts and figures stay when *keep_edits*."""
        try:
            rep = annual_report.report(self.db, self.year, today=self.today)
        except UserError as e:
            self.show_error(str(e))
            return
        self.rep = rep
        editable = not rep.locked
        if not keep_edits:
            self.grids[2].blockSignals(True)
            fill_table2(self.grids[2], rep.table2, editable)
            self.grids[2].blockSignals(False)
            for key, e in self.editors.items():
                e.blockSignals(True)
                e.setPlainText(rep.sections[key])
                e.setReadOnly(not editable)
                e.blockSignals(False)
                self._show_draft_note(key, key in rep.drafted)
            self._set_dirty(False)
        fill_table3(self.grids[3], rep.table3)
        fill_table4(self.grids[4], rep.table4)
        self._show_checks(rep)
        self._show_state(rep)
        self._show_attachments()

    def _show_attachments(self) -> None:
        """The report's 附件 once its row exists (saved at least once)."""
        saved = record_exists(self.db, "annual_reports", self.year)
        hint = f"{self.year}年年度报告尚未保存。请先点“保存”，再添加附件（如发布截图、审批件）。"
        self.attachments.set_record("annual_reports", self.year if saved else None, hint)

    def _show_checks(self, rep: annual_report.AnnualReport) -> None:
        self.checks_list.clear()
        for c in rep.checks:
            it = QListWidgetItem(
                f"{'✔' if c.ok else '✘'} {c.name}" + (f"\n    {c.detail}" if c.detail else "")
            )
            it.setForeground(QBrush(GREEN if c.ok else RED))
            it.setToolTip(c.detail)
            self.checks_list.addItem(it)
        failed = rep.failed()
        self.draft.setEnabled(not failed)
        if failed:
            self.draft.setChecked(True)
            self.export_hint.setText(
                f"有 {len(failed)} 项校验未通过，只能导出草稿（标注“草稿”），也不能发布："
                + "；".join(c.name for c in failed)
                + "。请先核对台账中的数据"
                + ("，并在“二、主动公开”中填写表二。" if rep.table2.missing() else "。")
            )
            self.export_hint.setStyleSheet("color: #c62828;")
        else:
            self.export_hint.setText(
                "全部校验通过，可导出正式稿。" + ("" if rep.published_date else "可以发布。")
            )
            self.export_hint.setStyleSheet("color: #1b5e20;")

    def _show_state(self, rep: annual_report.AnnualReport) -> None:
        if not rep.published_date:
            state, colour = "未发布", "#4d5660"
        elif rep.locked:
            state, colour = f"已于 {rep.published_date} 发布，已锁定", "#1b5e20"
        else:
            why = rep.unlocks[-1]["reason"] if rep.unlocks else ""
            state, colour = f"已于 {rep.published_date} 发布，已解锁（{why}）", "#a15c00"
        self.status.setText(state)
        self.status.setStyleSheet(f"font-weight: bold; color: {colour}; padding: 0 8px;")
        due = rep.deadline
        late = due is not None and not rep.published_date and self.today > due
        if late and rep.year == self.today.year - 1:  # a file not in use last year owes none
            late = annual_report.deadline_status(self.db, self.today).state == "fail"
        self.deadline.setText(f"发布期限：{due}" + ("（已逾期）" if late else "") if due else "")
        self.deadline.setStyleSheet(f"color: {'#c62828' if late else '#4d5660'};")
        self.deadline.setToolTip(
            "条例第四十九条：政府部门1月31日前、人民政府3月31日前发布上一年度的年度报告"
        )
        if rep.changed_after_publish:
            reasons = "；".join(f"{u['unlocked_at'][:10]} {u['reason']}" for u in rep.unlocks)
            self.changed.setText(
                f"⚠ 本报告于 {rep.published_date} 发布后，{rep.year}年的记录有改动"
                + (f"（解锁：{reasons}）" if reasons else "")
                + "。下面的数字是按现在的记录统计的，可能与已发布的报告不同；导出的报告会注明发布后有改动。"
            )
            self.changed.setStyleSheet(
                "color: #5a3600; background: #fff4e0; border: 1px solid #f0c987; padding: 4px 8px;"
            )
            self.changed.show()
        else:
            self.changed.hide()
        b = self.buttons
        published, locked = bool(rep.published_date), rep.locked
        b["publish"].setEnabled(not published)
        b["publish"].setToolTip(
            "记录发布日期并锁定该年度"
            if rep.ok
            else "有未通过的校验，不能发布：" + annual_report.failed_text(rep)
        )
        b["unlock"].setVisible(published and locked)
        b["relock"].setVisible(published and not locked)
        b["redraft"].setEnabled(not locked)
        self._update_save()

    def _show_draft_note(self, key: str, drafted: bool) -> None:
        """The page hint says whether its text is still the generated draft."""
        hint = self.ui.findChild(QLabel, f"{EDITORS[key]}Hint")
        if hint is None:
            return
        base = hint.property("baseText") or hint.text()
        hint.setProperty("baseText", base)
        note = "（当前是程序按本年度数字生成的草稿，尚未保存。）" if drafted else ""
        hint.setText(base + note)

    def _edited(self) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self._update_save()

    def _update_save(self) -> None:
        locked = self.rep is not None and self.rep.locked
        self.buttons["save"].setEnabled(self.dirty and not locked)
        self.buttons["save"].setText("保存*" if self.dirty else "保存")

    def _on_changed(self, kind: str) -> None:
        if kind in WATCHED:
            self.reload(keep_edits=self.dirty)

    def _year_changed(self) -> None:
        if self.dirty and self._shown_year != self.year:
            answer = QMessageBox.question(
                self, "年度报告", f"{self._shown_year}年报告有未保存的修改，要先保存吗？"
            )
            if answer == QMessageBox.StandardButton.Yes:
                year = self.year
                self.set_year_silently(self._shown_year)
                if not self.save():
                    return
                self.set_year_silently(year)
        self._shown_year = self.year
        self.show_error("")
        self.reload()

    def set_year_silently(self, year: int) -> None:
        self.year_combo.blockSignals(True)
        self.set_year(year)
        self.year_combo.blockSignals(False)

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- actions -----------------------------------------------------------------------

    def sections(self) -> dict[str, str]:
        return {k: e.toPlainText() for k, e in self.editors.items()}

    def save(self) -> bool:
        """保存 the texts of 一、五、六 and table 二's figures; core's message on error."""
        try:
            figures = table2_entries(self.grids[2])
        except ValueError:
            self.show_error("表二中填写的数字无法识别，请只填写数字（收费金额以万元为单位）。")
            return False
        try:
            annual_report.save_table2_manual(self.db, self.year, figures)
            annual_report.save_sections(self.db, self.year, self.sections())
        except UserError as e:
            self.show_error(str(e))
            return False
        self.show_error("")
        self._set_dirty(False)
        signals.notify(signals.ANNUAL_REPORT)
        self._say(f"已保存{self.year}年年度报告。")
        return True

    def redraft(self, confirm: bool = True) -> bool:
        """重新生成草稿: sections 一、五、六 from the year's figures, replacing the text
        shown (saved on 保存)."""
        from ..core.annual_drafts import draft_sections

        if (
            confirm
            and QMessageBox.question(
                self,
                "重新生成草稿",
                "用本年度的最新数字重新生成第一、五、六部分，替换当前的文字吗？",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return False
        drafts = draft_sections(self.db, self.year, today=self.today)
        for key, e in self.editors.items():
            e.setPlainText(drafts[key])
        self._say("已重新生成草稿，核对修改后请点“保存”。")
        return True

    def export(self, kind: str, out_path=None, *, draft: bool | None = None):
        """导出 xlsx / pdf off the GUI thread; a report failing a check exports only as 草稿."""
        if self.dirty and not self.save():
            return None
        draft = self.draft.isChecked() if draft is None else draft
        self.job = actions.export_report(
            self, self.db, self.year, kind, out_path=out_path, draft=draft,
            today=self.fixed_today, say=self._say,
            disable=[self.buttons["exportXlsx"], self.buttons["exportPdf"]],
        ) or self.job  # fmt: skip
        return self.job

    def publish(self):
        """发布并锁定…: the publish-date form, refused with the reason while a check fails."""
        if self.dirty and not self.save():
            return None
        return self._hold(actions.open_publish(self, self.db, self.rep, today=self.fixed_today))

    def unlock(self):
        """解锁…: the reason form."""
        return self._hold(actions.open_unlock(self, self.db, self.year, today=self.fixed_today))

    def _hold(self, dlg):
        if dlg is not None:
            self.dialog = dlg
            dlg.finished.connect(lambda _r, d=dlg: self._released(d))
        return dlg

    def _released(self, dlg) -> None:
        if self.dialog is dlg:
            self.dialog = None

    def relock(self) -> bool:
        return actions.relock(self, self.db, self.year, say=self._say)
