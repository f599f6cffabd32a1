"""自评打分 (self-assessment): one assessment per year and table, its scores, notes and
evidence (RULES.md §7; issue 6). Every write is one transaction with an audit row.

Scores run from 0 to the item's maximum in steps of 0.5. Evidence is either a link to a
record in the app or an attached PDF/image kept in the database (bytes and sha256). A file
is checked as an attachment is (core/attachments: the size limit set in 归档设置, the
content matching its name); a PDF pypdf cannot read is kept, and the binder prints a note
in its place (issue 9).
The experience behind a bonus item (39–43, counted once at the highest) is the title of the
recognition linked to it as evidence.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils

from . import attachments, audit, profile
from .assessment_template import DEFAULT, Template, load
from .assessment_totals import Totals, totals
from .complaint_rules import as_date
from .db import transaction
from .errors import ValidationError

# record table → its key column (evidence links; issue 6 "links to records in the app")
RECORD_TABLES = {
    "items": "id", "applications": "id", "complaints": "id", "meetings": "id",
    "patrols": "id", "key_inspections": "id", "self_inspections": "id",
    "annual_reports": "year", "recognitions": "id", "contact_cards": "id",
    "rules_register": "id", "budgets": "year", "rectifications": "id", "memberships": "id",
}  # fmt: skip
FILE_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")  # evidence is a PDF or an image
EVIDENCE_COLUMNS = ("id", "assessment_id", "item_no", "kind", "record_table", "record_id",
                    "title", "file_name", "mime", "sha256", "created_at")  # fmt: skip


def _op(db: sqlite_utils.Database, who: str | None) -> str:
    return who or profile.operator(db)


def _year(year: Any) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = 0
    if not 2000 <= y <= 2100:
        raise ValidationError(f"年度“{year}”无效，请填写 4 位年份，如 2026。")
    return y


def get(db: sqlite_utils.Database, assessment_id: int) -> dict:
    r = db.execute(
        "SELECT id, year, template, inspection_date, created_at, updated_at FROM assessments"
        " WHERE id = ?",
        [assessment_id],
    ).fetchone()
    if r is None:
        raise ValidationError("该自评记录已不存在，请重新打开自评打分。")
    keys = ("id", "year", "template", "inspection_date", "created_at", "updated_at")
    return dict(zip(keys, r, strict=True))


def template_of(db: sqlite_utils.Database, assessment_id: int) -> Template:
    return load(get(db, assessment_id)["template"], db)


def find(db: sqlite_utils.Database, year: Any, template: str = DEFAULT) -> int | None:
    r = db.execute(
        "SELECT id FROM assessments WHERE year = ? AND template = ?", [_year(year), template]
    ).fetchone()
    return r[0] if r else None


def open_assessment(
    db: sqlite_utils.Database, year: Any, template: str = DEFAULT, who: str | None = None
) -> int:
    """The year's assessment on *template*; created (empty) if missing."""
    y = _year(year)
    load(template, db)  # an unknown table is refused before anything is written
    found = find(db, y, template)
    if found:
        return found
    now = audit.now_iso()
    row = {"year": y, "template": template, "created_at": now, "updated_at": now}
    with transaction(db):
        cur = db.execute(
            "INSERT INTO assessments(year, template, created_at, updated_at) VALUES (?,?,?,?)",
            list(row.values()),
        )
        audit.record(db, _op(db, who), "assessments", cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def scores(db: sqlite_utils.Database, assessment_id: int) -> dict[int, dict]:
    """item no → {score, accepted, note, updated_at} for the items scored or noted."""
    rows = db.execute(
        "SELECT item_no, score, accepted, note, updated_at FROM assessment_scores"
        " WHERE assessment_id = ? ORDER BY item_no",
        [assessment_id],
    ).fetchall()
    return {
        r[0]: {"score": r[1], "accepted": bool(r[2]), "note": r[3], "updated_at": r[4]}
        for r in rows
    }


def check_score(template: Template, item_no: int, score: Any) -> float | None:
    """0..the item's maximum in steps of 0.5; None clears the score."""
    it = template.item(item_no)
    if score is None or score == "":
        return None
    try:
        s = float(score)
    except (TypeError, ValueError):
        raise ValidationError(
            f"第{item_no}项的得分“{score}”不是数字，请填写如 1.5 这样的分数。"
        ) from None
    if not 0 <= s <= it.max:
        raise ValidationError(
            f"第{item_no}项的得分 {s:g} 超出范围：该项满分 {it.max:g} 分，请填写 0 至 {it.max:g} 之间的分数。"
        )
    if (s * 2) % 1:
        raise ValidationError(f"第{item_no}项的得分 {s:g} 不是 0.5 的整数倍，请按 0.5 分一档打分。")
    return s


def set_score(
    db: sqlite_utils.Database, assessment_id: int, item_no: int, score: Any, note: str = "",
    accepted: bool = False, who: str | None = None,
) -> None:  # fmt: skip
    """The clerk's score and deduction note for one item (accepted: taken from the suggestion)."""
    a = get(db, assessment_id)
    s = check_score(load(a["template"], db), int(item_no), score)
    before = scores(db, assessment_id).get(int(item_no))
    now = audit.now_iso()
    after = {"score": s, "accepted": bool(accepted), "note": str(note or "").strip()}
    if before and {k: before[k] for k in after} == after:
        return
    with transaction(db):
        db.execute(
            "INSERT INTO assessment_scores(assessment_id, item_no, score, accepted, note, updated_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(assessment_id, item_no) DO UPDATE SET"
            " score = excluded.score, accepted = excluded.accepted, note = excluded.note,"
            " updated_at = excluded.updated_at",
            [assessment_id, int(item_no), s, int(bool(accepted)), after["note"], now],
        )
        db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [now, assessment_id])
        audit.record(
            db, _op(db, who), "assessment_scores", f"{assessment_id}:{item_no}",
            "update" if before else "insert", before, after | {"item_no": int(item_no)},
        )  # fmt: skip


def suggestions(db: sqlite_utils.Database, assessment_id: int, today: date | None = None) -> dict:
    from .assessment_suggest import suggest  # Engineer S's module; loaded when needed

    a = get(db, assessment_id)
    return suggest(db, a["year"], load(a["template"], db), today)


def accept_suggestion(
    db: sqlite_utils.Database, assessment_id: int, item_no: int, who: str | None = None,
    *, today: date | None = None,
) -> float:  # fmt: skip
    """Store the suggested score for one item (its note is kept); returns the score."""
    s = suggestions(db, assessment_id, today).get(int(item_no))
    if s is None or s.score is None:
        why = f"（{s.reason}）" if s is not None and s.reason else ""
        raise ValidationError(f"第{item_no}项没有建议得分{why}，请对照实际情况人工打分。")
    note = (scores(db, assessment_id).get(int(item_no)) or {}).get("note", "")
    set_score(db, assessment_id, item_no, s.score, note=note, accepted=True, who=who)
    return s.score


def set_inspection_date(
    db: sqlite_utils.Database, assessment_id: int, value: Any, who: str | None = None
) -> None:
    """迎检日期; None or "" clears it."""
    before = get(db, assessment_id)
    d = None if value in (None, "") else as_date(value, "迎检日期").isoformat()
    if d == before["inspection_date"]:
        return
    now = audit.now_iso()
    with transaction(db):
        db.execute(
            "UPDATE assessments SET inspection_date = ?, updated_at = ? WHERE id = ?",
            [d, now, assessment_id],
        )
        audit.record(db, _op(db, who), "assessments", assessment_id, "update", before,
                     before | {"inspection_date": d, "updated_at": now})  # fmt: skip


# -- evidence (佐证) ---------------------------------------------------------------------------


def _insert_evidence(db, who: str | None, row: dict) -> int:
    row = row | {"created_at": audit.now_iso()}
    with transaction(db):
        cur = db.execute(
            f"INSERT INTO assessment_evidence({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        logged = {k: v for k, v in row.items() if k != "data"}  # the bytes stay out of the log
        audit.record(db, _op(db, who), "assessment_evidence", cur.lastrowid, "insert", None, logged)
    return cur.lastrowid


def add_record_evidence(
    db: sqlite_utils.Database, assessment_id: int, item_no: int, table: str, record_id: Any,
    title: str, who: str | None = None,
) -> int:  # fmt: skip
    """Link a record in the app (a registry item, application, meeting…) to an item."""
    template_of(db, assessment_id).item(int(item_no))
    key = RECORD_TABLES.get(table)
    if key is None:
        raise ValidationError(f"不能链接“{table}”中的记录作为佐证。")
    if db.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", [record_id]).fetchone() is None:
        raise ValidationError("要链接的记录已被删除，请刷新后重新选择。")
    title = str(title or "").strip()
    if not title:
        raise ValidationError("请填写佐证的名称，便于迎检时查找。")
    row = {"assessment_id": assessment_id, "item_no": int(item_no), "kind": "record",
           "record_table": table, "record_id": int(record_id), "title": title}  # fmt: skip
    return _insert_evidence(db, who, row)


def add_file_evidence(
    db: sqlite_utils.Database, assessment_id: int, item_no: int, path: Path | str,
    title: str = "", who: str | None = None,
) -> int:  # fmt: skip
    """Attach a PDF or image (PNG/JPEG); its bytes are kept in the database. Checked by
    core/attachments (size limit ``attachments.max_mb``, type, content); a PDF pypdf cannot
    read is kept (see :func:`evidence_unreadable`)."""
    template_of(db, assessment_id).item(int(item_no))
    p = Path(path)
    if p.suffix.lower() not in FILE_SUFFIXES:
        raise ValidationError(f"文件“{p.name}”不是 PDF 或图片（PNG、JPG），请先转换为 PDF 再添加。")
    data, mime, _pages = attachments.read_checked(p, attachments.max_mb(db))
    row = {"assessment_id": assessment_id, "item_no": int(item_no), "kind": "file",
           "title": str(title or "").strip() or p.stem, "file_name": p.name, "mime": mime,
           "data": data, "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
    return _insert_evidence(db, who, row)


def evidence(
    db: sqlite_utils.Database, assessment_id: int, item_no: int | None = None
) -> list[dict]:
    """Evidence rows (without the file bytes; see evidence_data), by item then order added."""
    where, params = "WHERE assessment_id = ?", [assessment_id]
    if item_no is not None:
        where, params = where + " AND item_no = ?", [*params, int(item_no)]
    rows = db.execute(
        f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM assessment_evidence {where} ORDER BY item_no, id",
        params,
    ).fetchall()
    return [dict(zip(EVIDENCE_COLUMNS, r, strict=True)) for r in rows]


def evidence_data(db: sqlite_utils.Database, evidence_id: int) -> bytes:
    r = db.execute("SELECT data FROM assessment_evidence WHERE id = ?", [evidence_id]).fetchone()
    if r is None or r[0] is None:
        raise ValidationError("该佐证没有附件或已被删除。")
    return bytes(r[0])


def evidence_unreadable(db: sqlite_utils.Database, evidence_id: int) -> bool:
    """True for a PDF that pypdf cannot read (damaged or encrypted): the binder prints a
    note instead of its pages (issue 9; the check is core/attachments.pdf_pages)."""
    r = db.execute(
        "SELECT mime, data FROM assessment_evidence WHERE id = ?", [evidence_id]
    ).fetchone()
    if r is None or r[0] != "application/pdf" or r[1] is None:
        return False
    return attachments.pdf_pages(bytes(r[1])) is None


def remove_evidence(db: sqlite_utils.Database, evidence_id: int, who: str | None = None) -> None:
    rows = db.execute(
        f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM assessment_evidence WHERE id = ?", [evidence_id]
    ).fetchall()
    if not rows:
        return
    before = dict(zip(EVIDENCE_COLUMNS, rows[0], strict=True))
    with transaction(db):
        db.execute("DELETE FROM assessment_evidence WHERE id = ?", [evidence_id])
        audit.record(db, _op(db, who), "assessment_evidence", evidence_id, "delete", before, None)


# -- totals and the summary --------------------------------------------------------------------


def experiences(db: sqlite_utils.Database, assessment_id: int) -> dict[int, str]:
    """Bonus item → the experience behind it: the title of the first recognition linked to it."""
    rows = db.execute(
        "SELECT e.item_no, r.title FROM assessment_evidence e JOIN recognitions r"
        " ON e.record_table = 'recognitions' AND r.id = e.record_id"
        " WHERE e.assessment_id = ? ORDER BY e.id",
        [assessment_id],
    ).fetchall()
    out: dict[int, str] = {}
    for no, title in rows:
        out.setdefault(no, title)
    return out


def assessment_totals(db: sqlite_utils.Database, assessment_id: int) -> Totals:
    """Totals of the clerk's scores (unset items count nothing)."""
    got = {n: s["score"] for n, s in scores(db, assessment_id).items()}
    return totals(template_of(db, assessment_id), got, experiences(db, assessment_id))


def summary(
    db: sqlite_utils.Database, year: Any, template: str = DEFAULT, today: date | None = None
) -> dict:
    """The `gongkai score --json` object (read-only: a missing assessment reads as empty)."""
    from .assessment_suggest import suggest

    t = load(template, db)
    aid = find(db, year, template)
    got = {n: s["score"] for n, s in scores(db, aid).items()} if aid else {}
    sugg = suggest(db, _year(year), t, today)
    tot = totals(t, got, experiences(db, aid) if aid else {})
    items = []
    for it in t.items:
        s = sugg.get(it.no)
        items.append({"no": it.no, "group": it.group, "max": it.max, "score": got.get(it.no),
                      "suggested": s.score if s else None, "reason": s.reason if s else ""})  # fmt: skip
    return {
        "template": t.id,
        "items": items,
        "groups": [{"name": g.name, "max": g.max, "score": g.score} for g in tot.groups],
        "bonus": {"raw": tot.bonus_raw, "counted": tot.bonus_counted},
        "total": tot.total,
    }
