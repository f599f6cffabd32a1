"""年度报告 actions: export (xlsx / PDF) off the GUI thread, 发布并锁定 (asks for the
publish date), 解锁 (asks for a reason, audited) and 重新锁定 (core/annual_report,
core/year_lock)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QLabel, QMessageBox, QPlainTextEdit, QWidget

from ..core import annual_report, year_lock
from ..core.errors import UserError
from . import signals, workers
from .ledger_jobs import on_own_connection, save_file_path, show_file_box
from .org_dialogs import FormDialog
from .rectifications_view import pydate, qdate

# kind → (module in exports/, function, file filter, what)
EXPORTS = {
    "xlsx": ("annual_report_xlsx", "write_report_xlsx", "Excel 文件 (*.xlsx)", "表格"),
    "pdf": ("annual_report_pdf", "write_report_pdf", "PDF 文件 (*.pdf)", "PDF"),
}


def file_name(unit: str, year: int, kind: str, draft: bool) -> str:
    return f"{unit}{year}年政府信息公开工作年度报告{'（草稿）' if draft else ''}.{kind}"


def export_report(
    parent: QWidget,
    db: sqlite_utils.Database,
    year: int,
    kind: str,
    *,
    out_path: str | Path | None = None,
    draft: bool = False,
    today: date | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """导出 the year's report as *kind* (xlsx / pdf). A report failing a check is exported
    only as 草稿: the clerk is told why and asked first."""
    mod_name, fn_name, file_filter, what = EXPORTS[kind]
    try:
        writer = getattr(importlib.import_module(f"gongkai_desktop.exports.{mod_name}"), fn_name)
    except (ImportError, AttributeError):
        QMessageBox.information(
            parent, "功能尚未安装", f"“导出年度报告{what}”功能尚未安装，请升级本软件。"
        )
        return None
    rep = annual_report.report(db, year, today=today)
    if not rep.ok and not draft:
        answer = QMessageBox.question(
            parent,
            "只能导出草稿",
            f"{year}年年度报告有未通过的校验：{annual_report.failed_text(rep)}。\n\n"
            "未通过校验的报告不能作为正式稿导出。要导出标注“草稿”的版本吗？",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        draft = True
    out = save_file_path(
        parent,
        "导出年度报告",
        file_name(rep.unit_name, year, kind, draft),
        out_path,
        f".{kind}",
        file_filter,
    )
    if out is None:
        return None

    def _work(conn, progress):
        progress(0, 2)
        rep = annual_report.report(conn, year, today=today)
        progress(1, 2)
        return writer(rep, out, draft=draft)

    work = on_own_connection(db, _work)

    label = f"{year}年年度报告{'（草稿）' if draft else ''}"

    def done(_result) -> None:
        say(f"已导出{label}：{out}")
        show_file_box(parent, "导出完成", f"已导出{label}：\n{out}", out)

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在导出{label}……",
        on_success=done,
        on_error=lambda msg: QMessageBox.warning(parent, "导出失败", msg),
        on_cancel=lambda: say("已取消导出。"),
        disable=disable,
    )


class PublishDialog(FormDialog):
    """发布并锁定: the day the report was published (after 31 December of its year)."""

    FORM = "annual_report_publish"
    KIND = signals.ANNUAL_REPORT

    def __init__(self, db, year: int, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.year = year
        self.publish_date: QDateEdit = self.f(QDateEdit, "publishDate")
        self.publish_date.setMinimumDate(qdate(date(year + 1, 1, 1)))
        due = annual_report.deadline(db, year)
        self.f(QLabel, "introLabel").setText(
            f"记录{year}年政府信息公开工作年度报告的发布日期。发布期限：{due}（条例第四十九条）。"
        )

    def save(self) -> bool:
        d = pydate(self.publish_date.date())
        return self._save(lambda: annual_report.publish(self.db, self.year, d, today=self.today))


class UnlockDialog(FormDialog):
    """解锁: why a published year must be changed; recorded in the audit log."""

    FORM = "annual_report_unlock"
    KIND = signals.ANNUAL_REPORT

    def __init__(self, db, year: int, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.year = year
        self.reason: QPlainTextEdit = self.f(QPlainTextEdit, "reasonEdit")
        self.f(QLabel, "introLabel").setText(
            f"解锁{year}年：解锁后可以修改{year}年登记的申请和主动公开事项。改正后请点“重新锁定”。"
        )

    def save(self) -> bool:
        reason = self.reason.toPlainText().strip()
        return self._save(lambda: year_lock.unlock(self.db, self.year, reason))


def _open(parent: QWidget, dlg: FormDialog, done: str, say: Callable[[str], None]) -> FormDialog:
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.finished.connect(lambda _r: dlg.record_id is not None and say(done))
    dlg.open()
    return dlg


def open_publish(parent, db, rep: annual_report.AnnualReport, *, today=None) -> FormDialog | None:
    """发布并锁定…, refused with the reason while a check fails."""
    if rep is None:
        return None
    if not rep.ok:
        QMessageBox.warning(
            parent,
            "不能发布",
            f"{rep.year}年年度报告有未通过的校验，不能发布：{annual_report.failed_text(rep)}。"
            "请先核对台账中的数据。",
        )
        return None
    say = getattr(parent, "_say", lambda _t: None)
    dlg = PublishDialog(db, rep.year, parent, today=today)
    return _open(parent, dlg, f"已发布{rep.year}年年度报告，{rep.year}年已锁定。", say)


def open_unlock(parent, db, year: int, *, today=None) -> FormDialog:
    say = getattr(parent, "_say", lambda _t: None)
    return _open(parent, UnlockDialog(db, year, parent, today=today), f"已解锁{year}年。", say)


def relock(parent: QWidget, db, year: int, *, say: Callable[[str], None]) -> bool:
    try:
        year_lock.relock(db, year)
    except UserError as e:
        QMessageBox.warning(parent, "重新锁定", str(e))
        return False
    signals.notify(signals.ANNUAL_REPORT)
    say(f"已重新锁定{year}年。")
    return True
