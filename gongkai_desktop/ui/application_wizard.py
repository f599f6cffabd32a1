"""登记申请向导: a new disclosure application, from the applicant to its 申请编号.

Page 1 the applicant (条例第二十九条), page 2 the channel and how it fixes the receipt
date (第三十一条), page 3 the request, saved with ``applications.create`` when the clerk
presses 登记并编号 (a commit page); page 4 shows the number, the answer deadline and
the 7-day supplement notice deadline with the clock's explanation, and makes the
登记回执. A ValidationError from core stays on the page that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..core import application_catalog, applications, profile
from ..core.application_clock import ClockInput, answer_clock
from ..core.calendar import WorkCalendar
from ..core.errors import UserError
from . import signals
from .clock_panel import day_text
from .forms import load_form

PAGE_APPLICANT, PAGE_CHANNEL, PAGE_REQUEST, PAGE_SUMMARY = range(4)

# The single date of channels without confirmation, named as the clerk knows it.
_DATE_LABELS = {"当面": "提交日期：", "邮寄": "签收日期："}
# The first date of channels with confirmation (the confirmation day is the receipt day).
_SUBMITTED_LABELS = {
    "平信": "收到信件日期：",
    "网络": "提交日期：",
    "传真": "收到传真日期：",
    "电子邮件": "收到邮件日期：",
}
_FILLER = {"channel": "当面", "content": "（待填写）"}  # lets a page be checked on its own


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


@dataclass
class _Context:
    db: object
    today: date
    cal: WorkCalendar
    app_id: int | None = None
    owner: ApplicationWizard | None = None


class _Page(QWizardPage):
    """A page made of one form from forms/, with the form's errorLabel."""

    FORM = ""

    def __init__(self, ctx: _Context, title: str, subtitle: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = load_form(self.FORM, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form)
        self.error: QLabel | None = self.form.findChild(QLabel, "errorLabel")

    def w(self, cls, name):
        found = self.form.findChild(cls, name)
        if found is None:
            raise RuntimeError(f"{self.FORM}.ui lacks {name}")
        return found

    def show_error(self, message: str) -> None:
        if self.error is not None:
            self.error.setText(message)

    def check(self, data: dict) -> bool:
        """Run core's intake check on *data*; keep its message on the page."""
        try:
            applications.normalize(data, self.ctx.today)
        except UserError as e:
            self.show_error(str(e))
            return False
        self.show_error("")
        return True

    def others(self) -> dict:
        return self.ctx.owner.data()


class ApplicantPage(_Page):
    FORM = "app_page_applicant"

    def __init__(self, ctx: _Context) -> None:
        super().__init__(ctx, "第1步：申请人", "按条例第二十九条登记申请人的身份和联系方式。")
        cat = application_catalog.load()
        self.kind: QComboBox = self.w(QComboBox, "typeCombo")
        for t in cat.applicant_types:
            group = cat.applicant_groups[t]
            self.kind.addItem(t if t == group else f"{group}：{t}", t)
        self.name: QLineEdit = self.w(QLineEdit, "nameEdit")
        self.id_type: QComboBox = self.w(QComboBox, "idTypeCombo")
        self.id_type.addItems(applications.ID_TYPES)
        self.id_number: QLineEdit = self.w(QLineEdit, "idNumberEdit")
        self.phone: QLineEdit = self.w(QLineEdit, "phoneEdit")
        self.email: QLineEdit = self.w(QLineEdit, "emailEdit")
        self.address: QLineEdit = self.w(QLineEdit, "addressEdit")
        self.kind.currentIndexChanged.connect(self._kind_changed)

    def _kind_changed(self) -> None:
        person = self.kind.currentData() == "自然人"
        self.id_type.setCurrentText(applications.ID_TYPES[0 if person else 1])

    def data(self) -> dict:
        return {
            "applicant_type": self.kind.currentData(),
            "applicant_name": self.name.text().strip(),
            "id_type": self.id_type.currentText().strip(),
            "id_number": self.id_number.text().strip(),
            "phone": self.phone.text().strip(),
            "email": self.email.text().strip(),
            "address": self.address.text().strip(),
        }

    def validatePage(self) -> bool:
        return self.check(self.data() | _FILLER | {"received_date": self.ctx.today})


class ChannelPage(_Page):
    FORM = "app_page_channel"

    def __init__(self, ctx: _Context) -> None:
        super().__init__(
            ctx,
            "第2步：申请方式与收到日期",
            "申请方式决定以哪一天为收到申请之日（条例第三十一条）。",
        )
        self.cat = application_catalog.load()
        self.channel: QComboBox = self.w(QComboBox, "channelCombo")
        self.channel.addItems(self.cat.channels)
        self.rule: QLabel = self.w(QLabel, "ruleLabel")
        self.submitted: QDateEdit = self.w(QDateEdit, "submittedDate")
        self.confirmed: QDateEdit = self.w(QDateEdit, "confirmedDate")
        self.submitted_label: QLabel = self.w(QLabel, "submittedLabel")
        self.confirmed_label: QLabel = self.w(QLabel, "confirmedLabel")
        self.received: QLabel = self.w(QLabel, "receivedLabel")
        self.preview: QLabel = self.w(QLabel, "previewLabel")
        today = _qdate(ctx.today)
        for d in (self.submitted, self.confirmed):
            d.setMaximumDate(today)
            d.setDate(today)
            d.dateChanged.connect(self._update)
        self.channel.currentIndexChanged.connect(self._update)
        self._update()

    @property
    def needs_confirmation(self) -> bool:
        return self.channel.currentText() in self.cat.needs_confirmation

    def received_date(self) -> date:
        box = self.confirmed if self.needs_confirmation else self.submitted
        return box.date().toPython()

    def data(self) -> dict:
        ch = self.channel.currentText()
        if self.needs_confirmation:
            return {
                "channel": ch,
                "submitted_date": self.submitted.date().toPython(),
                "confirmed_date": self.confirmed.date().toPython(),
            }
        return {"channel": ch, "received_date": self.submitted.date().toPython()}

    def _update(self) -> None:
        ch = self.channel.currentText()
        self.rule.setText(self.cat.receipt_rules.get(ch, ""))
        confirm = self.needs_confirmation
        self.confirmed.setVisible(confirm)
        self.confirmed_label.setVisible(confirm)
        if confirm:
            self.submitted_label.setText(_SUBMITTED_LABELS.get(ch, "提交日期："))
            self.confirmed_label.setText("双方确认日期：" if ch != "平信" else "与申请人确认日期：")
        else:
            self.submitted_label.setText(_DATE_LABELS.get(ch, "收到日期："))
        received = self.received_date()
        self.received.setText(f"收到申请之日：{day_text(received)}")
        c = answer_clock(ClockInput(received=received), self.ctx.cal, self.ctx.today)
        tag = "（推算）" if c.provisional else ""
        lines = [
            f"答复期限：{day_text(c.due)}{tag}（自收到申请之日起20个工作日，条例第三十三条）",
            f"需要补正的，应于 {day_text(c.supplement_notice_due)}前一次性告知（条例第三十条）",
        ]
        gap = (received - self.submitted.date().toPython()).days if confirm else 0
        if ch == "平信" and gap > 0:  # 条例第三十一条: confirm on the day the letter arrives
            lines.insert(
                0,
                f"<span style='color:#a15c00'>注意：应于收到信件当日与申请人确认，"
                f"现确认日晚了 {gap} 天。</span>",
            )
        self.preview.setText("<br>".join(lines))
        self.preview.setToolTip(c.explain())

    def validatePage(self) -> bool:
        if self.needs_confirmation and self.confirmed.date() < self.submitted.date():
            self.show_error(
                f"确认日期 {self.confirmed.date().toPython()} 早于{self.submitted_label.text().rstrip('：')}"
                f" {self.submitted.date().toPython()}，请核对。"
            )
            return False
        return self.check(self.others() | {"content": _FILLER["content"]})


class RequestPage(_Page):
    FORM = "app_page_request"

    def __init__(self, ctx: _Context) -> None:
        super().__init__(
            ctx, "第3步：申请内容", "申请公开的政府信息，以及申请人要求的形式和获取方式。"
        )
        self.setCommitPage(True)  # saved: the number is taken
        self.content: QPlainTextEdit = self.w(QPlainTextEdit, "contentEdit")
        self.purpose: QLineEdit = self.w(QLineEdit, "purposeEdit")
        self.form_wanted: QComboBox = self.w(QComboBox, "formCombo")
        self.form_wanted.addItems(applications.FORMS_WANTED)
        self.delivery: QComboBox = self.w(QComboBox, "deliveryCombo")
        self.delivery.addItems(applications.DELIVERIES)

    def data(self) -> dict:
        return {
            "content": self.content.toPlainText().strip(),
            "purpose": self.purpose.text().strip(),
            "form_wanted": self.form_wanted.currentText(),
            "delivery": self.delivery.currentText().strip(),
        }

    def validatePage(self) -> bool:
        if self.ctx.app_id is not None:  # already saved (the page is shown again)
            return True
        try:
            self.ctx.app_id = applications.create(
                self.ctx.db, self.others(), today=self.ctx.today, cal=self.ctx.cal
            )
        except UserError as e:
            self.show_error(str(e))
            return False
        self.show_error("")
        signals.notify(signals.APPLICATIONS)
        return True


class SummaryPage(_Page):
    FORM = "app_page_summary"

    def __init__(self, ctx: _Context) -> None:
        super().__init__(ctx, "登记完成", "申请已保存。请把登记回执交给申请人，并在期限内办理。")
        self.app_no: QLabel = self.w(QLabel, "appNoLabel")
        self.summary: QLabel = self.w(QLabel, "summaryLabel")
        self.due: QLabel = self.w(QLabel, "dueLabel")
        self.notice: QLabel = self.w(QLabel, "noticeLabel")
        self.provisional: QLabel = self.w(QLabel, "provisionalLabel")
        self.explain: QPlainTextEdit = self.w(QPlainTextEdit, "explainText")
        self.receipt_button: QPushButton = self.w(QPushButton, "receiptButton")
        self.handle_button: QPushButton = self.w(QPushButton, "handleButton")
        self.receipt_status: QLabel = self.w(QLabel, "receiptStatus")
        self.receipt_button.clicked.connect(self.make_receipt)
        self.handle_button.clicked.connect(self._handle)
        self.job = None

    def initializePage(self) -> None:
        app = applications.get(self.ctx.db, self.ctx.app_id)
        c = applications.clock(self.ctx.db, app, self.ctx.cal, self.ctx.today)
        self.app_no.setText(f"申请编号：{app['app_no']}")
        self.summary.setText(
            f"申请人：{app['applicant_name']}（{app['applicant_type']}）　申请方式：{app['channel']}"
            f"　收到申请之日：{day_text(c.received)}\n{app['receipt_note']}"
        )
        tag = "（推算）" if c.provisional else ""
        self.due.setText(f"答复期限：{day_text(c.due)}{tag}")
        late = self.ctx.today > c.supplement_notice_due
        self.notice.setText(
            f"补正告知期限：需要补正的，应于 {day_text(c.supplement_notice_due)}前一次性告知申请人"
            "（条例第三十条）" + ("——已过此期限。" if late else "。")
        )
        self.notice.setStyleSheet("color: #b3261e;" if late else "")
        self.provisional.setVisible(c.provisional)
        if c.provisional:
            years = "、".join(f"{y} 年" for y in c.provisional_years)
            self.provisional.setText(f"⚠ 推算：{years}尚无国务院放假安排，期限按法定节假日推算。")
        self.explain.setPlainText(c.explain())
        self.handle_button.setVisible(self.ctx.owner.on_handle is not None)

    def make_receipt(self):
        """登记回执: generated in the background, kept with the application, then opened."""
        from .letters_dialog import generate_letter, prepare_letter

        try:
            prepared = prepare_letter(
                self.wizard(), self.ctx.db, self.ctx.app_id, "receipt", self.ctx.today
            )
        except UserError as e:
            self.receipt_status.setText(str(e))
            return None
        if prepared is None:
            return None
        self.receipt_status.setText("正在生成登记回执……")
        self.job = generate_letter(
            self.wizard(),
            self.ctx.db,
            self.ctx.app_id,
            "receipt",
            today=self.ctx.today,
            extra=prepared[1],
            on_done=self._receipt_done,
            on_error=self.receipt_status.setText,
            open_after=True,
            disable=[self.receipt_button],
        )
        return self.job

    def _receipt_done(self, result) -> None:
        self.receipt_status.setText(
            f"已生成登记回执 {result.doc_no}，已随申请保存，并已在 PDF 阅读器中打开。"
        )

    def _handle(self) -> None:
        owner = self.ctx.owner
        owner.wizard.accept()
        if owner.on_handle is not None:
            owner.on_handle(self.ctx.app_id)


class ApplicationWizard:
    """Builds the wizard from forms/application_wizard.ui; ``wizard`` is the QWizard,
    ``app_id`` the saved application (None until page 3 is committed). ``on_handle(id)``
    is called when the clerk goes on to 办理 from the last page."""

    def __init__(self, parent: QWidget | None, db, *, today: date | None = None) -> None:
        self.ctx = _Context(db, today or date.today(), WorkCalendar.from_db(db))
        self.ctx.owner = self
        self.on_handle = None
        self.wizard: QWizard = load_form("application_wizard", parent)
        w = self.wizard
        w.setButtonText(QWizard.WizardButton.CommitButton, "登记并编号 >")
        w.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        w.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        w.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        w.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.applicant = ApplicantPage(self.ctx)
        self.channel = ChannelPage(self.ctx)
        self.request = RequestPage(self.ctx)
        self.summary = SummaryPage(self.ctx)
        for pid, page in enumerate((self.applicant, self.channel, self.request, self.summary)):
            w.setPage(pid, page)
        prof = profile.load(db)
        if prof is None or not prof.unit_name:
            self.applicant.show_error(
                "尚未填写单位信息，申请编号将使用默认规则。可在“编辑 → 单位信息”中设置。"
            )

    @property
    def app_id(self) -> int | None:
        return self.ctx.app_id

    def data(self) -> dict:
        return self.applicant.data() | self.channel.data() | self.request.data()

    def current_page(self) -> QWizardPage:
        return self.wizard.currentPage()


__all__ = ["ApplicationWizard", "PAGE_APPLICANT", "PAGE_CHANNEL", "PAGE_REQUEST", "PAGE_SUMMARY"]
