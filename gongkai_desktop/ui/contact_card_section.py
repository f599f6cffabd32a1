"""公开工作机构信息 (contact card, 实施方案三（一）5, 考核表第3项): the form with 保存,
发布 (records the date), 生成公告PDF (rendered off the GUI thread, opened in the system
viewer) and 复制网页代码 (an HTML fragment for the website's disclosure column)."""

from __future__ import annotations

import importlib
from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QWidget,
)

from ..core import profile, unit_records
from ..core.errors import UserError
from . import signals, workers
from .form_tab import FormTab
from .org_dialogs import FormDialog
from .rectifications_view import pydate

# card key → line edit name in contact_card_section.ui
EDITS = {
    "name": "nameEdit",
    "head": "headEdit",
    "address": "addressEdit",
    "hours": "hoursEdit",
    "phone": "phoneEdit",
    "fax": "faxEdit",
    "email": "emailEdit",
    "consult_phone": "consultPhoneEdit",
    "complaint_phone": "complaintPhoneEdit",
    "opinion_box": "opinionBoxEdit",
}


class CardPublishDialog(FormDialog):
    """Asks for the day the card was published; the card is published on 保存."""

    FORM = "card_publish_dialog"

    def __init__(self, db, card_id: int, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.card_id = card_id
        self.publish_date: QDateEdit = self.f(QDateEdit, "publishDate")

    def save(self) -> bool:
        d = pydate(self.publish_date.date())
        return self._save(
            lambda: unit_records.publish_card(self.db, self.card_id, d, today=self.today)
        )


class ContactCardSection(FormTab):
    """``message`` carries status-bar text; ``last_pdf`` is the notice last opened."""

    FORM = "contact_card_section"

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        f = self.ui.findChild
        self.edits: dict[str, QLineEdit] = {k: f(QLineEdit, n) for k, n in EDITS.items()}
        self.published: QLabel = f(QLabel, "publishedLabel")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.preview: QTextBrowser = f(QTextBrowser, "previewBrowser")
        self.buttons = {n: f(QPushButton, f"{n}Button") for n in ("save", "publish", "pdf", "html")}
        self.dialog: CardPublishDialog | None = None
        self.job: workers.Job | None = None
        self.last_pdf = None
        b = self.buttons
        b["save"].clicked.connect(lambda: self.save())
        b["publish"].clicked.connect(lambda: self.publish())
        b["pdf"].clicked.connect(lambda: self.generate_pdf())
        b["html"].clicked.connect(lambda: self.copy_html())
        for e in self.edits.values():
            e.textChanged.connect(lambda _t: self._show_state())
        self.reload()

    def dispose(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    # -- drawing -----------------------------------------------------------------------

    def reload(self) -> None:
        """Fill the form from the newest saved version, or from 单位信息 before the first."""
        card = unit_records.current_card(self.db)
        if card is None:
            p = profile.load(self.db)
            card = {
                "name": f"{p.unit_name}政务公开办公室" if p and p.unit_name else "",
                "consult_phone": p.consult_phone if p else "",
                "complaint_phone": p.complaint_phone if p else "",
                "opinion_box": p.opinion_box if p else "",
            }
        self.saved = unit_records.current_card(self.db)
        for k, e in self.edits.items():
            e.blockSignals(True)
            e.setText(str(card.get(k) or ""))
            e.blockSignals(False)
        self._show_state()

    def card(self) -> dict:
        return {k: e.text().strip() for k, e in self.edits.items()}

    def dirty(self) -> bool:
        saved = self.saved or {}
        return any(str(saved.get(k) or "") != v for k, v in self.card().items())

    def _show_state(self) -> None:
        saved, last = self.saved, unit_records.published_card(self.db)
        if saved is None:
            text, colour = "尚未保存，也未发布。", "#a15c00"
        elif self.dirty():
            text, colour = "有未保存的修改。", "#a15c00"
        elif saved["published_date"]:
            text, colour = (
                f"已于 {saved['published_date']} 发布（当前显示的就是已发布的版本）。",
                "#1b5e20",
            )
        elif last is not None:
            text = f"已保存，尚未发布；公众看到的仍是 {last['published_date']} 发布的版本。"
            colour = "#a15c00"
        else:
            text, colour = (
                "已保存，尚未发布。请在网站专栏和公开栏发布后点“发布…”记录发布日期。",
                "#a15c00",
            )
        dates = [c["published_date"] for c in unit_records.cards(self.db) if c["published_date"]]
        if dates:  # the assessment asks when it was published (考核表第3项)
            text += "\n历次发布：" + "、".join(sorted(dates))
        self.published.setText(text)
        self.published.setStyleSheet(f"color: {colour}; font-weight: bold;")
        done = saved is not None and bool(saved["published_date"]) and not self.dirty()
        self.buttons["publish"].setEnabled(not done)
        self.buttons["publish"].setToolTip(
            "这一版已经发布；内容有变化时修改保存后再发布" if done else "记录本信息的公开发布日期"
        )
        card = self.card() | {"published_date": None}
        if saved is not None and not self.dirty():
            card["published_date"] = saved["published_date"]
        self.preview.setHtml(unit_records.card_html(card))

    # -- actions -----------------------------------------------------------------------

    def save(self) -> int | None:
        """保存: the card's id, or None with core's message in the form."""
        try:
            card_id = unit_records.save_card(self.db, self.card())
        except UserError as e:
            self.error.setText(str(e))
            return None
        self.error.clear()
        self.saved = unit_records.current_card(self.db)
        signals.notify(signals.ORGANISATION)
        self.message.emit("已保存公开工作机构信息。")
        self._show_state()
        return card_id

    def publish(self) -> CardPublishDialog | None:
        """发布…: save what is in the form, then ask for the publish date."""
        if self.dirty() or self.saved is None:
            if self.save() is None:
                return None
        card = self.saved
        if card["published_date"]:
            QMessageBox.information(
                self,
                "发布公开工作机构信息",
                f"这一版已于 {card['published_date']} 发布。内容有变化的，请修改并保存后再发布。",
            )
            return None
        missing = unit_records.missing_for_publication(card)
        if missing:
            self.error.setText(
                "发布前请填写：" + "、".join(missing) + "（考核表第3项要求公开这些信息）。"
            )
            return None
        dlg = CardPublishDialog(self.db, card["id"], self, today=self.fixed_today)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._published(d))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _published(self, dlg: CardPublishDialog) -> None:
        if self.dialog is dlg:
            self.dialog = None
        if dlg.record_id is None:
            return
        self.saved = unit_records.current_card(self.db)
        self._show_state()
        self.message.emit(f"已记录公开工作机构信息的发布日期：{self.saved['published_date']}。")

    def copy_html(self) -> str:
        """复制网页代码: the HTML fragment as text, to paste into the source view of the
        website's disclosure column. (Plain text only: a QMimeData handed to the clipboard
        is freed twice at exit by this PySide6 build.)"""
        card = self.card() | {"published_date": None}
        if self.saved is not None and not self.dirty():
            card["published_date"] = self.saved["published_date"]
        fragment = unit_records.card_html(card)
        QApplication.clipboard().setText(fragment)
        self.message.emit("已复制网页代码，可粘贴到网站政务公开专栏（源代码模式）。")
        return fragment

    def generate_pdf(self) -> workers.Job | None:
        """生成公告PDF from the saved card (saved first), rendered off the GUI thread and
        opened in the system viewer."""
        try:
            notice = importlib.import_module("gongkai_desktop.exports.contact_card")
        except ImportError:
            QMessageBox.information(
                self, "功能尚未安装", "“生成公告PDF”功能尚未安装，请升级本软件。"
            )
            return None
        if self.dirty() or self.saved is None:
            if self.save() is None:
                return None
        card = dict(self.saved)
        p = profile.load(self.db)
        unit = p.unit_name if p else ""
        on = None if card["published_date"] else self.today  # the notice's date

        def work(_progress):
            return notice.render_contact_card(card, unit, on=on)

        self.job = workers.run_job(
            self.window(),
            work,
            label="正在生成公开工作机构信息公告……",
            on_success=self._open_pdf,
            on_error=lambda msg: QMessageBox.warning(self, "无法生成公告", msg),
            disable=[self.buttons["pdf"]],
            cancellable=False,
        )
        return self.job

    def _open_pdf(self, pdf: bytes) -> None:
        from .letters_dialog import open_pdf

        self.last_pdf = open_pdf(pdf, f"{unit_records.CARD_TITLE}公告.pdf")
        self.message.emit(f"已生成并打开公告：{self.last_pdf}")
