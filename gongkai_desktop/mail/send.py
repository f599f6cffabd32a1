"""发送 (sending): SMTP, .eml drafts and the 发送记录 (mail_log).

Issue 8 §3: every failure (认证失败, 连接被拒绝, 超时, 收件人被拒绝, SSL …) becomes a
:class:`MailError` whose Chinese message names the cause and what to do; the attachment
files are never touched. Every attempt, sent or failed, and every saved draft is one
mail_log row written in its own transaction with an audit row.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import smtplib
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import getaddresses
from pathlib import Path

import sqlite_utils

from ..core import audit, profile
from ..core.db import transaction
from ..core.errors import UserError
from .settings import PASSWORD_ENV, SECURITY, SmtpSettings

KEEP = "附件文件没有改动，可以稍后重试，或点“存为草稿(.eml)”用 Outlook、Foxmail 等邮件客户端发送。"


class MailError(UserError):
    """A send or connection failure; str() is the clerk's message, ``cause`` a short tag."""

    def __init__(self, message: str, cause: str = "") -> None:
        super().__init__(message)
        self.cause = cause


# -- what the log keeps ---------------------------------------------------------------------


def recipients_of(message: EmailMessage) -> list[str]:
    fields = [v for h in ("To", "Cc", "Bcc") for v in message.get_all(h, [])]
    return list(dict.fromkeys(a for _n, a in getaddresses(fields) if a))


def attachments_of(message: EmailMessage) -> list[dict]:
    """[{name, size, sha256}] of the bytes actually in the message."""
    out = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        out.append({"name": part.get_filename() or "", "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest()})  # fmt: skip
    return out


def _log(db, method: str, message: EmailMessage, status: str, error: str, who: str | None) -> int:
    row = {
        "at": audit.now_iso(),
        "method": method,
        "recipients": json.dumps(recipients_of(message), ensure_ascii=False),
        "subject": str(message.get("Subject", "")),
        "attachments": json.dumps(attachments_of(message), ensure_ascii=False),
        "status": status,
        "error": error,
        "operator": who or profile.operator(db),
    }
    with transaction(db):
        cur = db.execute(
            f"INSERT INTO mail_log({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        log_id = cur.lastrowid
        audit.record(db, row["operator"], "mail_log", log_id, "insert", None, row)
    return log_id


def sent_log(db: sqlite_utils.Database, limit: int = 200) -> list[dict]:
    """Newest first; recipients and attachments decoded from JSON."""
    cur = db.execute("SELECT * FROM mail_log ORDER BY id DESC LIMIT ?", [int(limit)])
    cols = [c[0] for c in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        r["recipients"] = json.loads(r["recipients"] or "[]")
        r["attachments"] = json.loads(r["attachments"] or "[]")
    return rows


# -- SMTP -----------------------------------------------------------------------------------


def _where(s: SmtpSettings) -> str:
    return f"{s.host}:{s.port}（{SECURITY.get(s.security, s.security)}）"


def explain(exc: BaseException, s: SmtpSettings) -> MailError:
    """The clerk's message for a failed connection, login or send."""
    where = _where(s)
    code = getattr(exc, "smtp_code", None)
    said = getattr(exc, "smtp_error", b"")
    said = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said or "")
    server = f"（服务器答复 {code} {said.strip()}）" if code else ""
    if isinstance(exc, MailError):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError(
            f"认证失败：服务器 {where} 不接受账号“{s.user}”的密码{server}。请在 工具 → 邮件设置 "
            "中核对账号和密码（很多邮箱要填“授权码”而不是登录密码）。" + KEEP,
            "auth",
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        bad = "、".join(exc.recipients)
        first = next(iter(exc.recipients.values()), (None, b""))
        why = first[1].decode("utf-8", "replace") if isinstance(first[1], bytes) else first[1]
        return MailError(
            f"收件人被拒绝：服务器不接受 {bad}（{first[0]} {why.strip()}），邮件没有发出。"
            "请核对这些地址是否写错、是否为本单位邮件系统能投递的地址。" + KEEP,
            "recipients",
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailError(
            f"发件人被拒绝：服务器不接受发件人“{exc.sender}”{server}。发件人地址一般须与登录账号"
            "相同，请在 工具 → 邮件设置 中核对。" + KEEP,
            "sender",
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if s.user:
            return MailError(
                f"服务器 {where} 不提供登录（AUTH）：很多服务器只在加密连接后才允许登录。请在 "
                "工具 → 邮件设置 中改用 SSL（端口 465）或 STARTTLS（端口 587）；如本单位服务器"
                "不需要登录，请清空账号。" + KEEP,
                "auth",
            )
        return MailError(f"服务器 {where} 不支持所需的功能（{exc}）。请换用 SSL 或 STARTTLS。" + KEEP,
                         "unsupported")  # fmt: skip
    if isinstance(exc, smtplib.SMTPDataError):
        big = code in (552, 554) or "size" in said.lower()
        hint = ("邮件可能超过服务器的大小限制，请“压缩为zip”或“分开发送”。" if big
                else "请稍后重试，或把附件压缩后再发。")  # fmt: skip
        return MailError(f"服务器拒收邮件内容{server}。{hint}" + KEEP, "data")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailError(
            f"SSL 证书验证失败：{s.host} 的证书不可信或已过期（{exc.verify_message}）。请核对服务器"
            "地址（须与证书上的名称一致），或请网络管理员安装单位根证书。" + KEEP,
            "ssl",
        )
    if isinstance(exc, ssl.SSLError):
        return MailError(
            f"SSL 错误：与 {where} 无法建立加密连接（{exc.reason or exc}）。多半是加密方式和端口"
            "不配：465 端口用 SSL，587 端口用 STARTTLS，25 端口一般不加密。请在 工具 → 邮件设置 "
            "中核对。" + KEEP,
            "ssl",
        )
    if isinstance(exc, ConnectionRefusedError):
        return MailError(
            f"连接被拒绝：{s.host} 的 {s.port} 端口没有邮件服务。请核对服务器地址和端口（SSL 一般为 "
            "465，STARTTLS 为 587），或询问网络管理员是否屏蔽了邮件端口。" + KEEP,
            "refused",
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
        exc.__context__, (socket.timeout, TimeoutError)
    ):
        exc = exc.__context__  # smtplib wraps a read timeout as a disconnect
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return MailError(
            f"超时：{s.timeout:g} 秒内 {where} 没有响应。请检查网络是否连通、服务器地址和端口是否"
            "正确（内网常屏蔽外网邮箱）；网络慢时可在 工具 → 邮件设置 中加大超时。" + KEEP,
            "timeout",
        )
    if isinstance(exc, socket.gaierror):
        return MailError(
            f"找不到邮件服务器“{s.host}”：地址写错，或本机网络无法解析这个域名（内网常见）。请核对"
            "服务器地址，或改填 IP 地址。" + KEEP,
            "dns",
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return MailError(
            f"服务器 {where} 中途断开了连接（{exc}）。多半是加密方式和端口不配（465 用 SSL，587 用"
            " STARTTLS），或服务器繁忙，请核对设置后重试。" + KEEP,
            "disconnected",
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailError(f"邮件服务器报错{server}。请稍后重试，或联系邮箱管理员。" + KEEP, "smtp")
    if isinstance(exc, OSError):
        return MailError(
            f"无法连接邮件服务器 {where}：{exc.strerror or exc}。请检查网络和服务器设置。" + KEEP,
            "network",
        )
    return MailError(f"发送没有完成（{type(exc).__name__}: {exc}）。" + KEEP, "other")  # fmt: skip


def _login(conn: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login() encodes ASCII only; a Chinese password goes as UTF-8 AUTH PLAIN."""
    if (user + password).isascii():
        conn.login(user, password)
        return
    if "plain" not in conn.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN not offered")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, resp = conn.docmd("AUTH", "PLAIN " + token)  # RFC 4616: UTF-8
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, resp)


def _open(s: SmtpSettings, password: str | None) -> smtplib.SMTP:
    """Connected, encrypted as configured and logged in (when an account is set)."""
    if s.user and not password:
        raise MailError(
            f"没有邮箱密码：请在 工具 → 邮件设置 中为账号“{s.user}”输入密码（保存在系统钥匙串），"
            f"或设置环境变量 {PASSWORD_ENV}。" + KEEP, "auth")  # fmt: skip
    ctx = ssl.create_default_context()
    if s.security == "ssl":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ctx)
    else:
        conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
    try:
        conn.ehlo()
        if s.security == "starttls":
            if not conn.has_extn("starttls"):
                raise MailError(f"SSL 错误：服务器 {_where(s)} 不支持 STARTTLS。请改用 SSL（端口 "
                                "465），或向邮箱管理员确认加密方式。" + KEEP, "ssl")  # fmt: skip
            conn.starttls(context=ctx)
            conn.ehlo()
        if s.user:
            _login(conn, s.user, password or "")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def _session(s: SmtpSettings, password: str | None) -> Iterator[smtplib.SMTP]:
    """An open, logged-in connection, said goodbye to (or closed) on leaving."""
    conn = _open(s, password)
    try:
        yield conn
    finally:
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()


def test_connection(settings: SmtpSettings, password: str | None) -> str:
    """Connect, encrypt and log in; a Chinese OK text, or MailError."""
    try:
        with _session(settings, password) as conn:
            conn.noop()
    except Exception as e:
        raise explain(e, settings) from e
    who = f"，账号“{settings.user}”登录成功" if settings.user else "（未登录）"
    return f"连接成功：{_where(settings)}{who}。"


def send_smtp(db: sqlite_utils.Database, settings: SmtpSettings, message: EmailMessage,
              password: str | None, who: str | None = None) -> int:  # fmt: skip
    """Send *message*; returns its mail_log id. A failure is logged, then raised as MailError.

    When the server accepts some recipients and refuses others the mail counts as sent
    and the refused addresses are written into the log row's ``error``.
    """
    try:
        if not message.get("From"):
            raise MailError("没有发件人：请在 工具 → 邮件设置 中填写发件人邮箱。" + KEEP, "sender")
        with _session(settings, password) as conn:
            refused = conn.send_message(message)
    except Exception as e:
        err = explain(e, settings)
        err.log_id = _log(db, "smtp", message, "failed", str(err), who)
        raise err from e
    note = ""
    if refused:
        note = ("邮件已发出，但服务器拒收以下收件人：" + "、".join(refused)
                + "。请核对这些地址后单独重发。")  # fmt: skip
    return _log(db, "smtp", message, "sent", note, who)


# -- .eml draft -----------------------------------------------------------------------------


def save_eml(db: sqlite_utils.Database, message: EmailMessage, out_path: str | Path,
             who: str | None = None) -> Path:  # fmt: skip
    """Write *message* as an unsent draft (X-Unsent: 1) that Outlook/Foxmail open for editing."""
    out = Path(out_path)
    if out.suffix.lower() != ".eml":
        out = out.with_name(out.name + ".eml")
    draft = copy.deepcopy(message)
    del draft["X-Unsent"]
    draft["X-Unsent"] = "1"  # Outlook opens it as a draft with a 发送 button
    data = draft.as_bytes(policy=SMTP)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".eml.part", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise UserError(
            f"无法写入草稿“{out}”：{e.strerror or e}。请换一个文件夹，或检查磁盘空间和权限。"
        ) from e
    _log(db, "eml", draft, "saved", "", who)
    return out
