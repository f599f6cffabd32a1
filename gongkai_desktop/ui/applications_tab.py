"""依申请公开 tab: the applications list with filters and search, and its actions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from ..core import application_catalog, application_query, applications
from ..core.application_query import ApplicationFilter
from . import application_jobs, signals
from .applications_model import ApplicationsModel
from .due_indicator import DueIndicator
from .list_tab import DUE_CHOICES, SEARCH_DEBOUNCE_MS, ListTab  # noqa: F401
from .list_table import refill_years

NEW_SHORTCUT = "Ctrl+Shift+N"
_SAMPLES = {
    "app_no": "2026-0123",
    "applicant_name": "厦门大学公共政策研究院",
    "applicant_type": "社会公益组织",
    "received_date": "2026-12-25",
    "state": "征求意见中（暂停计时）",
    "due": "2026-12-25（推算）",
    "days_left": "剩余工作日",
}


class ApplicationsTab(ListTab):
    """The 依申请公开 screen (ui/list_tab.py does the list, this tab its actions)."""

    FORM = "applications_tab"
    MODEL = ApplicationsModel
    INDICATOR = DueIndicator
    WINDOWS = ("dialog", "letters_dialog")  # the open handling and letters dialogs, if any
    COMBOS = ("year", "state", "due", "result")
    FILTER = ApplicationFilter
    BUTTONS = {
        "new": "new_application",
        "handle": "handle_selected",
        "letters": "open_letters",
        "delete": "delete_selected",
        "export": "export_ledger",
        "import": "import_ledger",
    }
    SELECTION_BUTTONS = ("handle", "letters", "delete")
    WATCH = (signals.APPLICATIONS, signals.CALENDAR)
    SORT_HINT = "这一列不能排序；剩余工作日请按“答复期限”排序。"
    SORT_COLUMN = "received_date"
    SAMPLES = _SAMPLES
    STRETCH = ("result", "不予公开/属于国家秘密")
    wizard = None  # the open ApplicationWizard, if any

    def _close_more(self) -> None:
        if self.wizard is not None:
            self.wizard.wizard.close()

    # -- filters -----------------------------------------------------------------------

    def _fill_filters(self) -> None:
        self._refill_years()
        self.state_combo.addItem("全部状态", None)
        for s in applications.STATES:
            self.state_combo.addItem(s, s)
        for label, value in DUE_CHOICES:
            self.due_combo.addItem(label, value)
        self.result_combo.addItem("全部结果", None)
        for r in application_catalog.load().results:
            self.result_combo.addItem(r, r)

    def _refill_years(self) -> None:
        refill_years(self.year_combo, application_query.years(self.db))

    # -- actions ---------------------------------------------------------------------

    def new_application(self) -> None:
        from .application_wizard import ApplicationWizard

        if self.wizard is not None and self.wizard.wizard.isVisible():
            self.wizard.wizard.raise_()
            self.wizard.wizard.activateWindow()
            return
        wiz = ApplicationWizard(self, self.db, today=self.fixed_today)
        wiz.on_handle = self.open_dialog
        wiz.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wiz.wizard.finished.connect(lambda _r, w=wiz: self._wizard_closed(w))
        self.wizard = wiz
        wiz.wizard.open()

    def _wizard_closed(self, wiz) -> None:
        if wiz.app_id is not None:
            app = applications.get(self.db, wiz.app_id)
            if app is not None:
                self._say(f"已登记申请 {app['app_no']}（{app['applicant_name']}）")
        if self.wizard is wiz:
            self.wizard = None

    def handle_selected(self) -> None:
        app_id = self.selected_id()
        if app_id is not None:
            self.open_dialog(app_id)

    def open_dialog(self, app_id: int) -> None:
        from .application_dialog import ApplicationDialog

        self._open_record(
            "dialog", "app_id", app_id,
            lambda: ApplicationDialog(self.db, app_id, self, today=self.fixed_today),
        )  # fmt: skip

    def open_letters(self) -> None:
        from .letters_dialog import LettersDialog

        app_id = self.selected_id()
        if app_id is None:
            return
        if self.letters_dialog is not None and self.letters_dialog.isVisible():
            self.letters_dialog.close()
        self._open_window(
            "letters_dialog", LettersDialog(self.db, app_id, self, today=self.fixed_today)
        )

    def delete_selected(self) -> None:
        app_id = self.selected_id()
        app = applications.get(self.db, app_id) if app_id is not None else None
        if app is None:
            return
        question = (
            f"确定删除申请 {app['app_no']}（{app['applicant_name']}）吗？\n\n"
            "它的办理记录、征求意见、文书和复议诉讼记录会一并删除，不能恢复；"
            "修改记录中仍保留删除前的内容。"
        )
        if not self._confirm_delete(
            "删除申请", question, lambda: applications.delete(self.db, app_id)
        ):
            return
        signals.notify(signals.APPLICATIONS)
        self._say(f"已删除申请 {app['app_no']}")

    # -- export / import (off the GUI thread, ui/application_jobs.py) ------------------

    def export_ledger(self, year: int | None = None, out_path: str | Path | None = None):
        return self._launch(
            application_jobs.export_applications,
            year=year,
            out_path=out_path,
            today=self.fixed_today,
            preferred_year=self.year_combo.currentData(),
        )

    def import_ledger(self, in_path: str | Path | None = None, on_report=None):
        return self._launch(
            application_jobs.import_applications,
            in_path=in_path,
            today=self.fixed_today,
            on_report=on_report,
        )
