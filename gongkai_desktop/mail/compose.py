"""邮件内容 (composing the mail to the leading group).

Issue 8 §3: recipients default to the current leading group; subject and body come from
resources/mail_template.json; Chinese subjects are RFC 2047 encoded and Chinese file names
RFC 2231 (email.policy.SMTP does both); a size limit (default 20 MB) with zip or split.
"""

from __future__ import annotations

import json
import math
import mimetypes
import os
import tempfile
import zipfile
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

import sqlite_utils

from ..core import organisation, profile
from ..core.errors import UserError, ValidationError
from ..paths import resource
from .settings import is_email

MB = 1024 * 1024
# Office files are missing from some systems' mimetypes tables (Windows registry, 3.11).
MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".doc": "application/msword",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".ofd": "application/ofd",
}


def default_recipients(db: sqlite_utils.Database, today: date | None = None) -> list[str]:
    """The current leading-group members' e-mail addresses (机构与会议 tab)."""
    return organisation.leading_group_emails(db, today or date.today())


def recipient_pairs(text: str | list[str]) -> list[tuple[str, str]]:
    """'a@x.cn; 张三 <b@x.cn>，c@x.cn' -> [(name, address)]; ValidationError naming a bad one."""
    if isinstance(text, str):
        text = [text]
    raw = ",".join(t.replace(";", ",").replace("；", ",").replace("，", ",") for t in text)
    out: dict[str, str] = {}
    for name, addr in getaddresses([raw]):
        if not addr and not name:
            continue
        if not is_email(addr):
            raise ValidationError(f"收件人“{(name or addr).strip()}”不是有效的邮箱地址，"
                                  "请写成 name@example.gov.cn，多个地址用逗号或分号分开。")  # fmt: skip
        out.setdefault(addr, name.strip())
    return [(n, a) for a, n in out.items()]


def parse_recipients(text: str | list[str]) -> list[str]:
    """The addresses only, in order, without repeats."""
    return [a for _n, a in recipient_pairs(text)]


def human_size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def _template() -> dict:
    return json.loads(resource("mail_template.json").read_text("utf-8"))


def render_template(db: sqlite_utils.Database, period_label: str, summary: dict | None,
                    *, attachments: list[Path] | None = None,
                    today: date | None = None) -> tuple[str, str]:  # fmt: skip
    """(subject, body) from resources/mail_template.json."""
    t = _template()
    p = profile.load(db)
    unit = p.unit_name if p else ""
    labels = t.get("summary_labels", {})
    lines = ""
    summary = summary or {}
    if isinstance(summary.get("lines"), list):  # export centre's own Chinese lines
        for text in summary["lines"]:
            label, _, value = str(text).partition("：")
            lines += t["summary_line"].format(label=label, value=value)
    else:
        for key, value in summary.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                lines += t["summary_line"].format(label=labels.get(key, key), value=value)
    summary_text = t["summary_title"] + lines if lines else ""
    att = ""
    for n, path in enumerate(attachments or [], 1):
        size = human_size(Path(path).stat().st_size) if Path(path).exists() else "?"
        att += t["attachment_line"].format(n=n, name=Path(path).name, size=size)
    att_text = t["attachments_title"] + att if att else ""
    subject = t["subject"] if period_label else t["subject_no_period"]
    values = {"period": period_label, "unit": unit, "operator": profile.operator(db),
              "date": f"{(today or date.today()):%Y年%m月%d日}", "summary": summary_text,
              "attachments": att_text}  # fmt: skip
    return subject.format(**values), t["body"].format(**values)


def mime_type(path: Path) -> tuple[str, str]:
    kind = MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    main, _, sub = kind.partition("/")
    return main, sub


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(
            f"找不到附件“{path}”：文件可能已被移动或删除，请重新导出或重新选择附件。"
        ) from None
    except OSError as e:
        raise UserError(
            f"无法读取附件“{path.name}”：{e.strerror}。请关闭正在使用它的程序后重试。"
        ) from e


def build_message(sender: str, to: list[str], subject: str, body: str,
                  attachments: list[Path]) -> EmailMessage:  # fmt: skip
    """A multipart message ready for SMTP or a .eml draft."""
    if sender and not is_email(sender):  # "" only for a draft: the mail client fills it in
        raise ValidationError(f"发件人地址“{sender}”不对，请在 工具 → 邮件设置 中填写发件人邮箱。")
    pairs = recipient_pairs(to)
    if not pairs:
        raise ValidationError(
            "请至少填写一个收件人。没有收件人时，请先在“机构与会议”中登记领导小组成员的邮箱。"
        )
    if not (subject or "").strip():
        raise ValidationError("请填写邮件主题。")
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = subject.strip()  # RFC 2047 by the policy
    if sender:
        msg["From"] = sender
    msg["To"] = [Address(display_name=n, addr_spec=a) for n, a in pairs]
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(body or "", cte="base64")  # base64: safe through any relay (no 8BITMIME)
    for p in map(Path, attachments):
        main, sub = mime_type(p)
        msg.add_attachment(_read(p), maintype=main, subtype=sub, filename=p.name)  # RFC 2231
    return msg


# -- size limit -----------------------------------------------------------------------------


def encoded_size(nbytes: int) -> int:
    """Bytes after base64 with 76-character lines (what the server counts)."""
    return math.ceil(nbytes / 57) * 78


def total_size(paths: list[Path]) -> int:
    return sum(Path(p).stat().st_size for p in paths)


def check_size(attachments: list[Path], limit_mb: float) -> None:
    """UserError when the attachments would make a mail larger than *limit_mb*."""
    raw = total_size(attachments)
    enc = encoded_size(raw) + 64 * 1024  # headers and body
    if enc > limit_mb * MB:
        raise UserError(
            f"附件共 {human_size(raw)}，编码后邮件约 {human_size(enc)}，超过邮件大小上限 "
            f"{limit_mb:g} MB。请选择“压缩为zip”（表格压缩后通常小很多），或“分开发送”分成几封邮件；"
            "也可在 工具 → 邮件设置 中调整上限（须与邮箱服务商的限制一致）。"
        )


def _unique(path: Path) -> Path:
    n, cand = 1, path
    while cand.exists():
        n += 1
        cand = path.with_name(f"{path.stem}（{n}）{path.suffix}")
    return cand


def zip_attachments(paths: list[Path], out: Path) -> Path:
    """Write one .zip of *paths* (UTF-8 names) atomically; an existing *out* is not replaced."""
    out = _unique(Path(out))
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".zip.part", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            names: set[str] = set()
            for p in map(Path, paths):
                name = p.name
                while name in names:
                    name = f"{Path(name).stem}_{len(names)}{p.suffix}"
                names.add(name)
                z.writestr(name, _read(p))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def split_attachments(paths: list[Path], limit_mb: float) -> list[list[Path]]:
    """Groups that each fit under *limit_mb* (first fit, largest first; order kept inside)."""
    budget = limit_mb * MB - 64 * 1024
    paths = [Path(p) for p in paths]
    sizes = {p: encoded_size(p.stat().st_size) for p in paths}
    too_big = [p for p in paths if sizes[p] > budget]
    if too_big:
        p = too_big[0]
        raise UserError(
            f"附件“{p.name}”一个文件编码后就有 {human_size(sizes[p])}，超过上限 {limit_mb:g} MB，"
            "无法分开发送。请先“压缩为zip”，或缩小导出期间（例如按月导出），或存为草稿(.eml)后用"
            "其他方式传送。"
        )
    groups: list[list[Path]] = []
    used: list[int] = []
    for p in sorted(paths, key=lambda q: -sizes[q]):
        for i, u in enumerate(used):
            if u + sizes[p] <= budget:
                groups[i].append(p)
                used[i] += sizes[p]
                break
        else:
            groups.append([p])
            used.append(sizes[p])
    order = {p: i for i, p in enumerate(paths)}
    groups = [sorted(g, key=order.__getitem__) for g in groups]
    return sorted(groups, key=lambda g: order[g[0]])
