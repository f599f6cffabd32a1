"""邮件设置 (SMTP settings): server, port, encryption, account; the password in the keyring.

Issue 8 §3: the password is kept in the operating system's keyring (``keyring``), never
in the database or a plain file. ``GONGKAI_SMTP_PASSWORD`` overrides it (scripts, CI).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, fields

import sqlite_utils

from ..core import audit, profile
from ..core.db import transaction
from ..core.errors import UserError, ValidationError

KEY_PREFIX = "mail."
KEYRING_SERVICE = "gongkai_desktop"
PASSWORD_ENV = "GONGKAI_SMTP_PASSWORD"
SECURITY = {"ssl": "SSL", "starttls": "STARTTLS", "none": "不加密"}
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")


@dataclass
class SmtpSettings:
    host: str = ""
    port: int = 465
    security: str = "ssl"  # 'ssl' | 'starttls' | 'none'
    user: str = ""
    sender: str = ""
    size_limit_mb: float = 20.0  # issue 8 §3: default 20 MB
    timeout: float = 20.0  # seconds

    @property
    def account(self) -> str:
        """The keyring user name: user@host (one password per account and server)."""
        return f"{self.user or self.sender}@{self.host}"

    @property
    def from_address(self) -> str:
        return self.sender or (self.user if "@" in self.user else "")

    def describe(self) -> str:
        """Chinese one-liner, e.g. 'smtp.xm.gov.cn:465（SSL），账号 gk@xm.gov.cn'."""
        if not self.host:
            return "尚未设置邮件服务器"
        who = f"，账号 {self.user}" if self.user else "，不登录"
        return f"{self.host}:{self.port}（{SECURITY.get(self.security, self.security)}）{who}"


def is_email(text: str) -> bool:
    return bool(_EMAIL.fullmatch((text or "").strip()))


def validate(s: SmtpSettings) -> SmtpSettings:
    """Normalised copy of *s*, or ValidationError saying which field is wrong."""
    host = (s.host or "").strip()
    if not host or " " in host or ":" in host:
        raise ValidationError("请填写邮件服务器地址，例如 smtp.xm.gov.cn（不要带端口号）。")
    try:
        port = int(s.port)
    except (TypeError, ValueError):
        raise ValidationError(
            f"端口“{s.port}”不是数字：SSL 一般为 465，STARTTLS 为 587。"
        ) from None
    if not 1 <= port <= 65535:
        raise ValidationError(
            f"端口 {port} 不对：应在 1–65535 之间，SSL 一般为 465，STARTTLS 为 587。"
        )
    if s.security not in SECURITY:
        raise ValidationError("加密方式只能是 SSL、STARTTLS 或不加密。")
    sender = (s.sender or "").strip()
    if sender and not is_email(sender):
        raise ValidationError(f"发件人地址“{sender}”格式不对，请写成 name@example.gov.cn。")
    out = SmtpSettings(host, port, s.security, (s.user or "").strip(), sender,
                       float(s.size_limit_mb), float(s.timeout))  # fmt: skip
    if not out.from_address:
        raise ValidationError("请填写发件人地址（或用邮箱地址作账号），例如 gongkai@xm.gov.cn。")
    if not 0 < out.size_limit_mb <= 1024:
        raise ValidationError("邮件大小上限应在 1–1024 MB 之间，常见邮箱为 20 或 50 MB。")
    if not 1 <= out.timeout <= 600:
        raise ValidationError("超时应在 1–600 秒之间，一般填 20 秒。")
    return out


def load(db: sqlite_utils.Database) -> SmtpSettings:
    """The saved settings (defaults for what was never saved)."""
    rows = db.execute("SELECT key, value FROM settings WHERE key LIKE 'mail.%'").fetchall()
    saved = {k[len(KEY_PREFIX) :]: v for k, v in rows}
    s = SmtpSettings()
    for f in fields(SmtpSettings):
        if f.name in saved:
            raw = saved[f.name]
            try:
                setattr(s, f.name, type(getattr(s, f.name))(raw))
            except ValueError:
                pass  # a damaged value falls back to the default
    return s


def save(db: sqlite_utils.Database, s: SmtpSettings, who: str | None = None) -> SmtpSettings:
    """Validate and save (one transaction, one audit row). The password is not saved here."""
    s = validate(s)
    before = load(db)
    after = asdict(s)
    with transaction(db):
        for k, v in after.items():
            db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [KEY_PREFIX + k, str(v)],
            )
        audit.record(db, who or profile.operator(db), "settings", "mail", "update",
                     asdict(before), after)  # fmt: skip
    return s


# -- password (keyring) ---------------------------------------------------------------------


def get_password(s: SmtpSettings) -> str | None:
    """GONGKAI_SMTP_PASSWORD first, then the keyring; None when neither has one."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, s.account)
    except Exception:  # no backend, locked keyring, D-Bus missing …
        return None


def set_password(s: SmtpSettings, password: str) -> None:
    """Keep *password* in the system keyring for s.account ('' deletes it)."""
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            raise RuntimeError("no backend")
        if password:
            keyring.set_password(KEYRING_SERVICE, s.account, password)
        else:
            try:
                keyring.delete_password(KEYRING_SERVICE, s.account)
            except keyring.errors.PasswordDeleteError:
                pass
    except Exception as e:
        raise UserError(
            "无法把密码保存到系统钥匙串（Windows 凭据管理器 / 钥匙串）：本机没有可用的钥匙串"
            f"（{type(e).__name__}）。本软件不会把密码写进数据库或普通文件。请在发送时输入密码，"
            f"或设置环境变量 {PASSWORD_ENV}。"
        ) from e
