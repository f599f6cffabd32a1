"""邮件设置 (issue 8 §3): the SMTP server and account; the password goes to the system
keyring (mail/settings.set_password), never into the database. 测试连接 runs off the GUI
thread (a dead server can block for the whole timeout)."""

from __future__ import annotations

import sqlite_utils
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..core.errors import UserError
from ..mail import send, settings
from ..mail.settings import DEFAULT_PORTS, SECURITY, SmtpSettings
from . import workers
from .forms import embed_form


class MailSettingsDialog(QDialog):
    """``job`` is the last 测试连接 job (tests wait on it)."""

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ui = embed_form("mail_settings_dialog", self)
        f = self.ui.findChild
        self.host: QLineEdit = f(QLineEdit, "hostEdit")
        self.security: QComboBox = f(QComboBox, "securityCombo")
        self.port: QSpinBox = f(QSpinBox, "portSpin")
        self.user: QLineEdit = f(QLineEdit, "userEdit")
        self.password: QLineEdit = f(QLineEdit, "passwordEdit")
        self.sender: QLineEdit = f(QLineEdit, "senderEdit")
        self.size_limit: QDoubleSpinBox = f(QDoubleSpinBox, "sizeLimitSpin")
        self.timeout: QSpinBox = f(QSpinBox, "timeoutSpin")
        self.test_button: QPushButton = f(QPushButton, "testButton")
        self.status: QLabel = f(QLabel, "statusLabel")
        self.error: QLabel = f(QLabel, "errorLabel")
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        self.save_button = box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(lambda: self.save())
        box.rejected.connect(self.reject)
        for key, label in SECURITY.items():
            self.security.addItem(label, key)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.test_button.clicked.connect(lambda: self.test())
        self.job: workers.Job | None = None
        self._show(settings.load(db))

    def _show(self, s: SmtpSettings) -> None:
        self.host.setText(s.host)
        self.security.blockSignals(True)
        self.security.setCurrentIndex(max(0, self.security.findData(s.security)))
        self.security.blockSignals(False)
        self.port.setValue(s.port)
        self.user.setText(s.user)
        self.sender.setText(s.sender)
        self.size_limit.setValue(s.size_limit_mb)
        self.timeout.setValue(int(s.timeout))
        saved = s.host and settings.get_password(s)
        self.password.setPlaceholderText(
            "已保存在系统钥匙串（要更改请重新输入）" if saved else "保存在系统钥匙串，不写进数据库"
        )

    def _security_changed(self) -> None:
        if self.port.value() in DEFAULT_PORTS.values():  # follow the usual port
            self.port.setValue(DEFAULT_PORTS[self.security.currentData()])

    def current(self) -> SmtpSettings:
        """What the fields say (not yet validated)."""
        return SmtpSettings(self.host.text(), self.port.value(), self.security.currentData(),
                            self.user.text(), self.sender.text(), self.size_limit.value(),
                            float(self.timeout.value()))  # fmt: skip

    def _say(self, status: str = "", error: str = "") -> None:
        self.status.setText(status)
        self.error.setText(error)

    def save(self) -> bool:
        """Save the settings, then the password (if typed) into the keyring."""
        try:
            s = settings.save(self.db, self.current())
        except UserError as e:
            self._say(error=str(e))
            return False
        if self.password.text():
            try:
                settings.set_password(s, self.password.text())
            except UserError as e:  # settings are saved; only the password is not
                self._say(error="服务器设置已保存，但密码没有保存：" + str(e))
                return False
        self.accept()
        return True

    def test(self) -> workers.Job | None:
        """测试连接 with the fields as typed (password typed, else the saved one)."""
        try:
            s = settings.validate(self.current())
        except UserError as e:
            self._say(error=str(e))
            return None
        password = self.password.text() or (settings.get_password(s) if s.user else None)
        self._say(status=f"正在连接 {s.host}:{s.port} ……")
        self.job = workers.run_job(
            self,
            lambda _progress: send.test_connection(s, password),
            label=f"正在连接 {s.host} ……",
            on_success=lambda text: self._say(status=text),
            on_error=lambda msg: self._say(error=msg),
            disable=[self.test_button, self.save_button],
            cancellable=False,
        )
        return self.job


def open_mail_settings(parent: QWidget | None, db: sqlite_utils.Database) -> MailSettingsDialog:
    """工具 → 邮件设置…: shows the dialog (window-modal) and returns it."""
    dlg = MailSettingsDialog(db, parent)
    dlg.open()
    return dlg
