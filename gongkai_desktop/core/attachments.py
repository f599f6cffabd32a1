"""附件 (attachments) on any record: PDF, images and Office files kept in the database.

The same bytes are stored once (SHA-256); each record links to them under its own file
name (issue 7 §1; DESIGN.md: Attachments). A PDF's page count is read with pypdf. Each
write is one transaction with an audit row; removing the last link deletes the bytes.

Hostile input (issue 9): a file over the configured size (settings ``attachments.max_mb``,
default 50 MB) is refused with a message; a PDF that pypdf cannot read is still stored,
flagged ``unreadable``, and :func:`readable_pdf` gives None for it so a volume or binder
skips it with a note instead of failing.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import sqlite_utils

from . import audit, profile
from .db import transaction
from .errors import ValidationError

MAX_MB_KEY = "attachments.max_mb"  # settings key
DEFAULT_MAX_MB = 50
MAX_MB_LIMIT = 2000  # a SQLite blob is at most 1 GB by default; keep the setting sane
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls (Compound File)
ZIP = b"PK\x03\x04"  # .docx/.xlsx (Office Open XML)
# extension -> (mime, magic bytes at the start)
TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".doc": ("application/msword", OLE),
    ".xls": ("application/vnd.ms-excel", OLE),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
}
LINK_COLUMNS = ("id", "attachment_id", "record_table", "record_id", "file_name", "added_at")
COLUMNS = (*LINK_COLUMNS, "sha256", "mime", "size", "pages", "unreadable")
# Records an attachment may hang on (issue 7 §1), table -> primary key.
RECORD_TABLES = {
    "items": "id", "item_steps": "id", "applications": "id", "app_letters": "id",
    "complaints": "id", "meetings": "id", "patrols": "id", "key_inspections": "id",
    "self_inspections": "id", "annual_reports": "year", "recognitions": "id",
}  # fmt: skip


def _op(db: sqlite_utils.Database, who: str | None) -> str:
    return who or profile.operator(db)


def pdf_pages(data: bytes) -> int | None:
    """Page count of a PDF, or None when pypdf cannot read it."""
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # noqa: BLE001 - a damaged PDF is refused by the caller
        return None


def _check_record(db: sqlite_utils.Database, table: str, record_id: int) -> None:
    key = RECORD_TABLES.get(table)
    if key is None or not db[table].exists():
        raise ValidationError(f"不能给“{table}”中的记录添加附件。")
    if db.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", [record_id]).fetchone() is None:
        raise ValidationError("要添加附件的记录已被删除，请刷新后重新选择。")


def max_mb(db: sqlite_utils.Database | None) -> int:
    """The largest attachment accepted, in MB (settings ``attachments.max_mb``)."""
    if db is None or not db["settings"].exists():
        return DEFAULT_MAX_MB
    row = db.execute("SELECT value FROM settings WHERE key = ?", [MAX_MB_KEY]).fetchone()
    try:
        mb = int(row[0]) if row else DEFAULT_MAX_MB
    except (TypeError, ValueError):  # a hand-edited value must not block every attachment
        return DEFAULT_MAX_MB
    return mb if 1 <= mb <= MAX_MB_LIMIT else DEFAULT_MAX_MB


def set_max_mb(db: sqlite_utils.Database, mb, who: str | None = None) -> int:
    """Save the largest attachment accepted (whole MB, 1 … 2000); audited."""
    try:
        value = int(str(mb).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_MB_LIMIT:
        raise ValidationError(
            f"附件大小上限“{mb}”无效，请填 1 到 {MAX_MB_LIMIT} 之间的整数（单位 MB）。"
        )
    before = db.execute("SELECT value FROM settings WHERE key = ?", [MAX_MB_KEY]).fetchone()
    with transaction(db):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [MAX_MB_KEY, str(value)],
        )
        audit.record(
            db,
            _op(db, who),
            "settings",
            MAX_MB_KEY,
            "update" if before else "insert",
            {"value": before[0]} if before else None,
            {"value": str(value)},
        )
    return value


def read_checked(
    path: str | os.PathLike, limit_mb: int = DEFAULT_MAX_MB
) -> tuple[bytes, str, int | None]:
    """The file's bytes, mime and PDF page count (None: a PDF pypdf cannot read, stored
    but flagged); ValidationError for a wrong type, a wrong content or a file too large."""
    p = Path(path)
    kind = TYPES.get(p.suffix.lower())
    if kind is None:
        raise ValidationError(
            f"文件“{p.name}”的类型不支持。可以添加 PDF、图片（PNG、JPG）和 Office 文件"
            "（DOC、DOCX、XLS、XLSX）。"
        )
    if not p.is_file():
        raise ValidationError(f"找不到文件“{p}”，请重新选择。")
    size = p.stat().st_size
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(
            f"文件“{p.name}”有 {size / 2**20:.1f} MB，超过附件大小上限 {limit_mb} MB。"
            "请压缩或拆分后再添加（上限可在设置中修改）。"
        )
    if size == 0:
        raise ValidationError(f"文件“{p.name}”是空的（0 字节），请重新导出后再添加。")
    data = p.read_bytes()
    if not data.startswith(kind[1]):
        raise ValidationError(f"文件“{p.name}”的内容与扩展名不符或已损坏，请重新导出后再添加。")
    pages = None
    if kind[0] == "application/pdf":
        pages = pdf_pages(data)  # None: kept, flagged unreadable (issue 9)
    elif kind[0].startswith("image/"):
        pages = 1  # an image is placed on one page of the archive volume
    return data, kind[0], pages


def add(
    db: sqlite_utils.Database, record_table: str, record_id: int, path: str | os.PathLike,
    who: str | None = None,
) -> int:  # fmt: skip
    """Attach the file at *path* to a record; return the link id. Same bytes are stored once."""
    _check_record(db, record_table, record_id)
    data, mime, pages = read_checked(path, max_mb(db))
    unreadable = int(mime == "application/pdf" and pages is None)
    sha = hashlib.sha256(data).hexdigest()
    now = audit.now_iso()
    who = _op(db, who)
    with transaction(db):
        row = db.execute("SELECT id FROM attachments WHERE sha256 = ?", [sha]).fetchone()
        if row:
            att_id = row[0]
        else:
            att_id = db.execute(
                "INSERT INTO attachments(sha256, mime, size, pages, data, created_at, unreadable)"
                " VALUES (?,?,?,?,?,?,?)",
                [sha, mime, len(data), pages, data, now, unreadable],
            ).lastrowid
            meta = {"sha256": sha, "mime": mime, "size": len(data), "pages": pages,
                    "unreadable": unreadable}  # fmt: skip
            audit.record(db, who, "attachments", att_id, "insert", None, meta)
        link = {"attachment_id": att_id, "record_table": record_table, "record_id": int(record_id),
                "file_name": Path(path).name, "added_at": now}  # fmt: skip
        link_id = db.execute(
            "INSERT INTO attachment_links(attachment_id, record_table, record_id, file_name,"
            " added_at) VALUES (?,?,?,?,?)",
            list(link.values()),
        ).lastrowid
        audit.record(db, who, "attachment_links", link_id, "insert", None, link)
    return link_id


def _select(db: sqlite_utils.Database, where: str, params: list) -> list[dict]:
    cols = (", ".join(f"l.{c}" for c in LINK_COLUMNS)
            + ", a.sha256, a.mime, a.size, a.pages, a.unreadable")  # fmt: skip
    rows = db.execute(
        f"SELECT {cols} FROM attachment_links l JOIN attachments a ON a.id = l.attachment_id"
        f" WHERE {where} ORDER BY l.id",
        params,
    ).fetchall()
    return [dict(zip(COLUMNS, r, strict=True)) for r in rows]


def links(db: sqlite_utils.Database, record_table: str, record_id: int) -> list[dict]:
    """The record's attachments in the order added (no bytes; see :func:`data`)."""
    return _select(db, "l.record_table = ? AND l.record_id = ?", [record_table, int(record_id)])


def link(db: sqlite_utils.Database, link_id: int) -> dict:
    found = _select(db, "l.id = ?", [int(link_id)])
    if not found:
        raise ValidationError("该附件已被删除，请刷新后重试。")
    return found[0]


def pages(db: sqlite_utils.Database, record_table: str, record_id: int) -> int:
    """Pages of the record's attachments (PDF pages, one per image; Office files count 0)."""
    return sum(a["pages"] or 0 for a in links(db, record_table, record_id))


def data(db: sqlite_utils.Database, link_id: int) -> bytes:
    row = db.execute(
        "SELECT a.data FROM attachment_links l JOIN attachments a ON a.id = l.attachment_id"
        " WHERE l.id = ?",
        [int(link_id)],
    ).fetchone()
    if row is None:
        raise ValidationError("该附件已被删除，请刷新后重试。")
    return bytes(row[0])


def readable_pdf(db: sqlite_utils.Database, link_id: int) -> bytes | None:
    """The attachment's PDF bytes, or None when it is not a PDF or pypdf cannot read it
    (flagged at add, or damaged since): a volume or binder then prints a note instead."""
    a = link(db, link_id)
    if a["mime"] != "application/pdf" or a["unreadable"]:
        return None
    blob = data(db, link_id)
    return blob if pdf_pages(blob) is not None else None


def unreadable_note(a: dict) -> str:
    """The line a volume or binder prints in place of an unreadable PDF."""
    return (
        f"附件“{a['file_name']}”是无法读取的 PDF（已损坏或加密），未能装入；"
        "请在程序中打开该附件核对，或换一份完好的文件。"
    )


def export(db: sqlite_utils.Database, link_id: int, out_path: str | os.PathLike) -> Path:
    """Write the attachment's bytes to *out_path* (complete or not at all; issue 9)."""
    from .atomic_file import write_bytes

    out = Path(out_path)
    if out.is_dir() or not out.parent.is_dir():
        raise ValidationError(f"保存位置“{out}”无效：请给出已存在的文件夹中的文件名。")
    return write_bytes(out, data(db, link_id))


def remove(db: sqlite_utils.Database, link_id: int, who: str | None = None) -> None:
    """Remove one attachment from its record (audited); the bytes go with the last link."""
    before = link(db, link_id)
    who = _op(db, who)
    with transaction(db):
        db.execute("DELETE FROM attachment_links WHERE id = ?", [int(link_id)])
        audit.record(db, who, "attachment_links", link_id, "delete", before, None)
        att_id = before["attachment_id"]
        used = db.execute(
            "SELECT 1 FROM attachment_links WHERE attachment_id = ?", [att_id]
        ).fetchone()
        if used is None:
            db.execute("DELETE FROM attachments WHERE id = ?", [att_id])
            meta = {k: before[k] for k in ("sha256", "mime", "size", "pages")}
            audit.record(db, who, "attachments", att_id, "delete", meta, None)
