"""投诉与意见 tab: the list of complaints, reports, consultations and opinions with
filters and search, and its actions (登记, 办理, 转主要负责人, 导出台账, 删除)."""

from __future__ import annotations

from pathlib import Path

from ..core import complaint_query, complaints
from ..core import complaint_rules as rules
from ..core.complaint_query import ComplaintFilter
from . import signals, supervision_jobs
from .complaints_model import ComplaintsModel
from .list_tab import DUE_CHOICES as _DUE_CHOICES
from .list_tab import SEARCH_DEBOUNCE_MS, ListTab  # noqa: F401
from .list_table import refill_years
from .supervision_indicator import ComplaintsDueIndicator

_SAMPLES = {
    "no": "2026-123",
    "kind": "意见建议",
    "source": "网站留言",
    "person": "厦门市民王先生",
    "received_date": "2026-12-25",
    "state": "已办结（逾期答复）",
    "due": "2026-12-25（推算）",
    "days_left": "剩余天数",
    "reply_date": "2026-12-25",
}
DUE_CHOICES = (*_DUE_CHOICES, ("逾期答复", "late"))


class ComplaintsTab(ListTab):
    """The 投诉与意见 screen (ui/list_tab.py does the list, this tab its actions)."""

    FORM = "complaints_tab"
    MODEL = ComplaintsModel
    INDICATOR = ComplaintsDueIndicator
    WINDOWS = ("dialog", "new_dialog")  # the open 办理 dialog and 登记 form, if any
    COMBOS = ("kind", "year", "state", "due")
    FILTER = ComplaintFilter
    BUTTONS = {
        "new": "new_complaint",
        "handle": "handle_selected",
        "forward": "forward_selected",
        "delete": "delete_selected",
        "export": "export_ledger",
    }
    SELECTION_BUTTONS = ("handle", "delete")
    WATCH = (signals.COMPLAINTS, signals.CALENDAR)
    SORT_HINT = "这一列不能排序；剩余天数请按“答复期限”排序。"
    SORT_COLUMN = "received_date"
    SAMPLES = _SAMPLES
    STRETCH = ("principal", "逾期答复（2026-12-25）")

    # -- filters -----------------------------------------------------------------------

    def _fill_filters(self) -> None:
        self.kind_combo.addItem("全部类别", None)
        for k in rules.KINDS:
            self.kind_combo.addItem(k, k)
        self._refill_years()
        self.state_combo.addItem("全部状态", None)
        for s in rules.STATES:
            self.state_combo.addItem(s, s)
        for label, value in DUE_CHOICES:
            self.due_combo.addItem(label, value)
        self.due_combo.setToolTip(
            "已逾期、即将到期（剩余不超过5日）包括答复期限和转主要负责人后的答复期限；"
            "逾期答复：已答复但晚于期限"
        )

    def _refill_years(self) -> None:
        refill_years(self.year_combo, complaint_query.years(self.db))

    def _update_buttons(self) -> None:
        super()._update_buttons()
        r = self.selected_row()
        self.buttons["forward"].setEnabled(r is not None and r["kind"] == "意见建议")

    # -- actions ---------------------------------------------------------------------

    def new_complaint(self) -> None:
        from .complaint_intake import ComplaintNewDialog

        if self._raise_open("new_dialog"):
            return
        dlg = ComplaintNewDialog(self.db, self, today=self.fixed_today)
        self._open_window("new_dialog", dlg, self._new_closed)

    def _new_closed(self, dlg) -> None:
        if dlg.complaint_id is not None:
            row = complaints.get(self.db, dlg.complaint_id)
            if row is not None:
                self._say(f"已登记{row['kind']} {row['no']}，答复期限 {row['reply_due']}")
                self.select_id(row["id"])

    def handle_selected(self) -> None:
        cid = self.selected_id()
        if cid is not None:
            self.open_dialog(cid)

    def forward_selected(self) -> None:
        r = self.selected_row()
        if r is not None and r["kind"] == "意见建议":
            self.open_dialog(r["id"], tab="主要负责人")

    def open_dialog(self, complaint_id: int, tab: str | None = None) -> None:
        from .complaint_dialog import ComplaintDialog

        self._open_record(
            "dialog", "complaint_id", complaint_id,
            lambda: ComplaintDialog(self.db, complaint_id, self, today=self.fixed_today),
            lambda d: d.show_tab(tab) if tab else None,
        )  # fmt: skip

    def delete_selected(self) -> None:
        cid = self.selected_id()
        row = complaints.get(self.db, cid) if cid is not None else None
        if row is None:
            return
        person = "匿名" if row["anonymous"] else row["person"]
        question = (
            f"确定删除{row['kind']} {row['no']}（{person}）吗？\n\n"
            "它的办理记录和由它产生的整改事项会一并删除，不能恢复；"
            "修改记录中仍保留删除前的内容。"
        )
        if not self._confirm_delete("删除记录", question, lambda: complaints.delete(self.db, cid)):
            return
        signals.notify(signals.COMPLAINTS)
        signals.notify(signals.SUPERVISION)  # its rectifications are gone too
        self._say(f"已删除{row['kind']} {row['no']}")

    def export_ledger(self, year: int | None = None, out_path: str | Path | None = None):
        return self._launch(
            supervision_jobs.export_ledger,
            "complaints",
            year=year,
            out_path=out_path,
            today=self.fixed_today,
            preferred_year=self.year_combo.currentData(),
        )
