"""The 收费 tab of the 办理 dialog (see ui/application_actions.py): 条例第四十二条 and
国办函〔2020〕109号 — one method, progressive tiers, free by default; the 按件 count is the
applicant's applications in that calendar month (applications.monthly_application_count).
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)

from ..core import applications, fees
from ..core.application_answers import FEE_PAYMENT_WORKING_DAYS
from ..core.deadlines import add_working_days
from ..core.errors import UserError
from .application_actions import ActionTab, Snapshot, pydate, qdate


class FeeTab(ActionTab):
    """收费 (条例第四十二条; 国办函〔2020〕109号): one method, progressive tiers."""

    FORM, TITLE = "app_action_fee", "收费"

    def __init__(self, dlg) -> None:
        super().__init__(dlg)
        self.status: QLabel = self.w(QLabel, "statusLabel")
        self.method: QComboBox = self.w(QComboBox, "methodCombo")
        self.method.addItems(tuple(applications.FEE_METHODS))
        self.count: QSpinBox = self.w(QSpinBox, "countSpin")
        self.notice_date: QDateEdit = self.w(QDateEdit, "noticeDate")
        self.pay_by: QDateEdit = self.w(QDateEdit, "payByDate")
        self.pay_by.setMaximumDate(QDate(9999, 12, 31))
        self.explain: QPlainTextEdit = self.w(QPlainTextEdit, "feeExplain")
        self.paid_date: QDateEdit = self.w(QDateEdit, "paidDate")
        self.month_count = 1
        self.method.currentIndexChanged.connect(self._method_changed)
        self.count.valueChanged.connect(self._explain)
        self.notice_date.dateChanged.connect(self._default_pay_by)
        self._default_pay_by()
        self.w(QPushButton, "issueButton").clicked.connect(self.issue)
        self.w(QPushButton, "paidButton").clicked.connect(self.paid)
        self.w(QPushButton, "unpaidButton").clicked.connect(self.unpaid)

    def _default_pay_by(self) -> None:
        start = pydate(self.notice_date.date())
        self.pay_by.setDate(
            qdate(add_working_days(start, FEE_PAYMENT_WORKING_DAYS, self.dlg.cal).due)
        )

    def _method_changed(self) -> None:
        piece = self.method.currentText() == "按件"
        self.count.setSuffix(" 件" if piece else " 页")
        if piece:
            self.count.setValue(self.month_count)
        self._explain()

    def _explain(self) -> None:
        try:
            r = fees.fee(applications.FEE_METHODS[self.method.currentText()], self.count.value())
        except UserError as e:
            self.explain.setPlainText(str(e))
            return
        self.explain.setPlainText(r.explain())

    def refresh(self, s: Snapshot) -> None:
        a = s.app
        first = self.month_count == 1 and self.count.value() == 1
        self.month_count = max(
            1,
            applications.monthly_application_count(
                self.dlg.db, a["applicant_name"], a["received_date"]
            ),
        )
        if first:
            self._method_changed()
        month = a["received_date"][:7]
        if not a["fee_notice_date"]:
            self.status.setText(
                f"信息处理费仅在申请数量、频次明显超过合理范围时收取（条例第四十二条）。"
                f"{a['applicant_name']}在 {month} 共申请 {self.month_count} 件（按件计收的件数）。"
            )
        else:
            unit = "件" if a["fee_method"] == "按件" else "页"
            text = (
                f"已于 {a['fee_notice_date']} 发出收费通知：{a['fee_method']} {a['fee_count']}{unit}，"
                f"{a['fee_total']:,} 元，缴费期限 {a['fee_payment_deadline']}。"
            )
            text += f"已于 {a['fee_paid_date']} 缴费。" if a["fee_paid_date"] else "尚未缴费。"
            self.status.setText(text)
        open_fee = bool(a["fee_notice_date"] and not a["fee_paid_date"])
        self.w(QGroupBox, "noticeBox").setEnabled(
            not s.closed and not a["fee_notice_date"] and not s.awaiting_supplement
        )
        for n in ("paidButton", "unpaidButton"):
            self.w(QPushButton, n).setEnabled(not s.closed and open_fee)
        self.paid_date.setEnabled(not s.closed and open_fee)

    def issue(self) -> None:
        d = self.dlg
        method, count = self.method.currentText(), self.count.value()
        notice, pay_by = pydate(self.notice_date.date()), pydate(self.pay_by.date())
        d.step("收费通知", applications.issue_fee_notice, d.app_id, method, count, notice, pay_by)

    def paid(self) -> None:
        d = self.dlg
        d.step("已缴费", applications.record_fee_paid, d.app_id, pydate(self.paid_date.date()))

    def unpaid(self) -> None:
        d = self.dlg
        when = pydate(self.paid_date.date())
        d.step("逾期未缴费，已办结（其他处理）", applications.close_fee_unpaid, d.app_id, when)
