"""发送给领导小组 (issue 8 §3): recipients (default: the current leading group), subject
and body from the template, the attachments with their sizes and the size limit (压缩为zip
/ 分开发送), 发送 off the GUI thread, and 存为草稿(.eml). On failure the Chinese message
stays in the dialog with both ways still open; the attachment files are never touched.

Also the entry points the main window calls: ``open_mail_settings`` and ``open_sent_log``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core.db import connect
from ..core.errors import UserError
from ..mail import compose, send, settings
from ..mail.send import MailError
from . import workers
from .forms import embed_form
from .ledger_jobs import database_file
from .mail_settings_dialog import MailSettingsDialog, open_mail_settings
from .sent_log_dialog import open_sent_log

__all__ = ["MailDialog", "open_mail_settings", "open_sent_log"]


def _ask_password(parent: QWidget, account: str) -> str | None:
    text, ok = QInputDialog.getText(parent, "邮箱密码",
                                    f"请输入 {account} 的密码（本次使用，不保存）：",
                                    QLineEdit.EchoMode.Password)  # fmt: skip
    return text if ok and text else None


def _save_name(parent: QWidget, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "存为邮件草稿", suggested, "邮件草稿 (*.eml)")
    return path


# Replaced in tests (no modal dialogs offscreen).
ask_password: Callable[[QWidget, str], str | None] = _ask_password
ask_save_path: Callable[[QWidget, str], str] = _save_name


class MailDialog(QDialog):
    """``job`` is the last send job; ``sent`` carries the mail_log ids of a finished send."""

    sent = Signal(list)

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None, *,
                 attachments: list[Path] | tuple = (), period_label: str = "",
                 summary: dict | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.db = db
        self.period_label = period_label
        self.paths: list[Path] = [Path(p) for p in attachments]
        self.groups: list[list[Path]] | None = None  # after 分开发送
        self.done_groups: set[int] = set()  # groups already sent (a retry sends the rest)
        self.job: workers.Job | None = None
        self.ui = embed_form("mail_dialog", self)
        f = self.ui.findChild
        self.recipients: QLineEdit = f(QLineEdit, "recipientsEdit")
        self.subject: QLineEdit = f(QLineEdit, "subjectEdit")
        self.body: QPlainTextEdit = f(QPlainTextEdit, "bodyEdit")
        self.tree: QTreeWidget = f(QTreeWidget, "attachmentsTree")
        self.size_label: QLabel = f(QLabel, "sizeLabel")
        self.server_label: QLabel = f(QLabel, "serverLabel")
        self.status: QLabel = f(QLabel, "statusLabel")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.buttons: dict[str, QPushButton] = {
            n: f(QPushButton, f"{n}Button")
            for n in ("defaultRecipients", "add", "remove", "zip", "split", "settings", "eml",
                      "send", "close")
        }  # fmt: skip
        b = self.buttons
        b["defaultRecipients"].clicked.connect(lambda: self.use_leading_group())
        b["add"].clicked.connect(lambda: self.add_files())
        b["remove"].clicked.connect(lambda: self.remove_selected())
        b["zip"].clicked.connect(lambda: self.zip())
        b["split"].clicked.connect(lambda: self.split())
        b["settings"].clicked.connect(lambda: self.edit_settings())
        b["eml"].clicked.connect(lambda: self.save_draft())
        b["send"].clicked.connect(lambda: self.send())
        b["close"].clicked.connect(self.reject)
        self.use_leading_group()
        self.subject.setText(compose.render_template(db, period_label, summary)[0])
        self.body.setPlainText(
            compose.render_template(db, period_label, summary, attachments=self.paths)[1]
        )
        self._show_server()
        self._show_attachments()
        self.resize(760, 660)

    # -- fields ---------------------------------------------------------------------------

    def use_leading_group(self) -> None:
        to = compose.default_recipients(self.db)
        self.recipients.setText("; ".join(to))
        if not to:
            self.recipients.setPlaceholderText(
                "领导小组现任成员都没有登记邮箱：请在“机构与会议”中填写，或在这里直接输入地址"
            )

    def _settings(self) -> settings.SmtpSettings:
        return settings.load(self.db)

    def _show_server(self) -> None:
        s = self._settings()
        self.server_label.setText(
            f"通过 {s.describe()} 发送。" if s.host else
            "尚未设置邮件服务器：请点“邮件设置…”，或“存为草稿(.eml)”后用 Outlook、Foxmail 发送。"
        )  # fmt: skip
        self._show_attachments()

    def _say(self, status: str = "", error: str = "") -> None:
        self.status.setText(status)
        self.error.setText(error)

    # -- attachments ----------------------------------------------------------------------

    def _show_attachments(self) -> None:
        self.tree.clear()
        self.tree.setRootIsDecorated(bool(self.groups))
        limit = self._settings().size_limit_mb

        def row(p: Path) -> QTreeWidgetItem:
            size = compose.human_size(p.stat().st_size) if p.exists() else "（找不到）"
            return QTreeWidgetItem([p.name, size, str(p.parent)])

        if self.groups:
            for i, g in enumerate(self.groups, 1):
                done = "（已发出）" if i - 1 in self.done_groups else ""
                top = QTreeWidgetItem([f"第 {i}/{len(self.groups)} 封{done}",
                                       compose.human_size(compose.total_size(g)), ""])  # fmt: skip
                top.addChildren([row(p) for p in g])
                self.tree.addTopLevelItem(top)
            self.tree.expandAll()
        else:
            self.tree.addTopLevelItems([row(p) for p in self.paths])
        for col, width in ((0, 380), (1, 80)):
            self.tree.resizeColumnToContents(col)
            self.tree.setColumnWidth(col, min(self.tree.columnWidth(col), width))
        self.over_limit = False
        try:
            total = compose.total_size(self.paths)
        except OSError:
            self.size_label.setText("有附件找不到了：请移除它，或重新导出。")
            return
        text = f"共 {len(self.paths)} 个附件，{compose.human_size(total)}（上限 {limit:g} MB）。"
        if self.groups:
            text = f"已分成 {len(self.groups)} 封邮件，每封都在上限 {limit:g} MB 以内。"
        else:
            try:
                compose.check_size(self.paths, limit)
            except UserError as e:
                self.over_limit = True
                text = str(e)
        self.size_label.setText(text)
        self.size_label.setStyleSheet("color: #b00020;" if self.over_limit else "")
        self.buttons["split"].setEnabled(self.over_limit and len(self.paths) > 1)
        self.buttons["zip"].setEnabled(len(self.paths) > 1 or self.over_limit)

    def _set_paths(self, paths: list[Path]) -> None:
        self.paths, self.groups, self.done_groups = list(paths), None, set()
        self._show_attachments()

    def add_files(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, "添加附件", "", "所有文件 (*)")
        self._set_paths(self.paths + [Path(p) for p in paths if Path(p) not in self.paths])

    def remove_selected(self) -> None:
        names = {i.text(2) + "/" + i.text(0) for i in self.tree.selectedItems()}
        self._set_paths([p for p in self.paths if f"{p.parent}/{p.name}" not in names])

    def _zip_name(self) -> Path:
        stem = re.sub(r'[\\/:*?"<>|]', "_", self.subject.text().strip() or "附件")
        return self.paths[0].parent / f"{stem}.zip"

    def zip(self) -> workers.Job | None:
        """压缩为zip: one archive next to the files; the files themselves stay."""
        if not self.paths:
            return None
        paths, out = list(self.paths), self._zip_name()
        self._say("正在压缩……")

        def done(zipped: Path) -> None:
            self._set_paths([zipped])
            self._say(f"已压缩为“{zipped.name}”（{compose.human_size(zipped.stat().st_size)}），"
                      "原文件保留不动。")  # fmt: skip

        self.job = workers.run_job(
            self, lambda _p: compose.zip_attachments(paths, out), label="正在压缩附件……",
            on_success=done, on_error=lambda m: self._say(error=m),
            disable=self._action_buttons(), cancellable=False,
        )  # fmt: skip
        return self.job

    def split(self) -> None:
        """分开发送: several mails, each under the size limit."""
        try:
            self.groups = compose.split_attachments(self.paths, self._settings().size_limit_mb)
        except UserError as e:
            self._say(error=str(e))
            return
        self.done_groups = set()
        self._show_attachments()
        self._say(f"将分成 {len(self.groups)} 封邮件发送，主题后加（1/{len(self.groups)}）等。")

    # -- send and draft -------------------------------------------------------------------

    def _action_buttons(self) -> list[QPushButton]:
        return [self.buttons[n] for n in ("send", "eml", "zip", "split", "add", "remove")]

    def _messages(self, sender: str) -> list[tuple[int, object]]:
        """(group index, message) for every group not yet sent. Reads the files."""
        groups = self.groups or [self.paths]
        n = len(groups)
        subject = self.subject.text().strip()
        out = []
        for i, g in enumerate(groups):
            if i in self.done_groups:
                continue
            title = f"{subject}（{i + 1}/{n}）" if n > 1 else subject
            out.append((i, compose.build_message(sender, [self.recipients.text()], title,
                                                 self.body.toPlainText(), g)))  # fmt: skip
        return out

    def send(self) -> workers.Job | None:
        """发送 through the configured SMTP server, off the GUI thread."""
        s = self._settings()
        if not s.host:
            self._say(error="尚未设置邮件服务器：请点“邮件设置…”填写，或点“存为草稿(.eml)”。")
            return None
        try:
            if not compose.parse_recipients(self.recipients.text()):
                raise UserError("请至少填写一个收件人，或点“领导小组”填入现任成员的邮箱。")
            if not self.groups:
                compose.check_size(self.paths, s.size_limit_mb)
            messages = self._messages(s.from_address)
        except UserError as e:
            self._say(error=str(e))
            return None
        password = settings.get_password(s) if s.user else None
        if s.user and not password:
            password = ask_password(self, s.user)
            if not password:
                self._say(
                    error="没有输入密码，邮件没有发出。可在“邮件设置…”中把密码存入系统钥匙串。"
                )
                return None
        db_file, total = database_file(self.db), len(self.groups or [self.paths])

        def work(progress) -> list[int]:
            d = connect(db_file)  # the worker's own connection
            ids = []
            try:
                for k, (i, msg) in enumerate(messages):
                    progress(k, len(messages))
                    try:
                        ids.append(send.send_smtp(d, s, msg, password))
                    except MailError as e:
                        if total > 1:
                            raise MailError(f"第 {i + 1}/{total} 封没有发出：{e}"
                                            f"（已发出的 {len(self.done_groups)} 封不会重发）",
                                            e.cause) from e  # fmt: skip
                        raise
                    self.done_groups.add(i)  # plain set; read in the GUI thread after done
                progress(len(messages), len(messages))
            finally:
                d.conn.close()
            return ids

        def ok(ids: list[int]) -> None:
            n = len(compose.parse_recipients(self.recipients.text()))
            mails = f"{len(ids)} 封邮件" if len(ids) > 1 else "邮件"
            notes = [
                r["error"] for r in send.sent_log(self.db, 20) if r["id"] in ids and r["error"]
            ]
            self._say(f"已把{mails}发送给 {n} 位收件人（发送记录 #{', #'.join(map(str, ids))}）。"
                      + "".join(notes))  # fmt: skip
            self._show_attachments()
            self.sent.emit(ids)

        def failed(msg: str) -> None:
            self._say(error=msg)
            self._show_attachments()

        self._say(f"正在发送到 {s.host} ……")
        self.job = workers.run_job(self, work, label="正在发送邮件……", on_success=ok,
                                   on_error=failed, disable=self._action_buttons(),
                                   cancellable=False)  # fmt: skip
        return self.job

    def save_draft(self, path: str | None = None) -> list[Path]:
        """存为草稿(.eml): one file, or one per mail after 分开发送."""
        s = self._settings()
        stem = re.sub(r'[\\/:*?"<>|]', "_", self.subject.text().strip() or "邮件草稿")
        folder = self.paths[0].parent if self.paths else Path.home()
        path = path or ask_save_path(self, str(folder / f"{stem}.eml"))
        if not path:
            return []
        try:
            messages = self._messages(s.from_address)
            n = len(messages)
            out = Path(path)
            written = []
            for k, (_i, msg) in enumerate(messages, 1):
                target = out.with_name(f"{out.stem}_{k}.eml") if n > 1 else out
                written.append(send.save_eml(self.db, msg, target))
        except UserError as e:
            self._say(error=str(e))
            return []
        names = "、".join(p.name for p in written)
        self._say(
            f"已存为草稿：{names}（在 {written[0].parent}）。用 Outlook、Foxmail 打开后即可发送。"
        )
        return written

    def edit_settings(self) -> MailSettingsDialog:
        dlg = open_mail_settings(self, self.db)
        dlg.finished.connect(lambda _r: self._show_server())
        return dlg
