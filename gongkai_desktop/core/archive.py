"""归档 (filing) by pieces and 档案盒 (boxes), DA/T 22-2015 (RULES.md §8, issue 7 §2).

A piece (件) is one record with its attachments. Its 件号 is the next of a counter per
year, retention and 机构（问题） kept in settings, so a number is never reused, not even
after renumbering. A box never mixes year, retention or 机构; once sealed, its pieces
can no longer be renumbered. Each write is one transaction with audit rows.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlite_utils

from . import attachments, audit, profile
from .archive_numbers import RETENTIONS, archive_no, check_org_code, check_retention  # noqa: F401
from .db import transaction
from .errors import ValidationError
from .index_numbers import next_serial

SETTINGS_KEY = "archive_settings"
KINDS = {"items": "公开事项", "applications": "依申请公开", "complaints": "投诉与意见",
         "meetings": "会议", "key_inspections": "重点检查"}  # fmt: skip
DEFAULT_SETTINGS: dict[str, Any] = {
    "use_org_codes": False,
    "org_codes": [],  # e.g. ["BGS", "ZCFGK"]
    "default_org_code": "",
    "retention": {
        "items": "定期30年",
        "applications": "定期10年",
        "complaints": "定期10年",
        "meetings": "定期30年",
        "key_inspections": "定期30年",
    },  # fmt: skip
    "scheme": "件",  # 件 (DA/T 22-2015, default) or 卷 (GB/T 9705-2008): RULES.md §8
}
SCHEMES = ("件", "卷")
PIECE_COLUMNS = (
    "id", "record_table", "record_id", "year", "retention", "org_code", "piece_no",
    "archive_no", "title", "doc_no", "responsible", "doc_date", "secrecy", "pages", "note",
    "box_id", "filed_at",
)  # fmt: skip
BOX_COLUMNS = (
    "id", "year", "retention", "org_code", "box_no", "spine_mm", "sealed_at", "contents_note",
    "arranger", "arranged_date", "checker", "checked_date", "created_at",
)  # fmt: skip
SPINE_WIDTHS = (20, 30, 40, 50)  # mm, RULES.md §8


def _op(db: sqlite_utils.Database, who: str | None) -> str:
    return who or profile.operator(db)


# -- settings ------------------------------------------------------------------------------


def archive_settings(db: sqlite_utils.Database) -> dict:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]).fetchone()
    saved = json.loads(row[0]) if row else {}
    out = DEFAULT_SETTINGS | saved
    out["retention"] = DEFAULT_SETTINGS["retention"] | saved.get("retention", {})
    return out


def save_archive_settings(
    db: sqlite_utils.Database, settings: dict, who: str | None = None
) -> dict:
    before = archive_settings(db)
    new = before | settings
    new["retention"] = before["retention"] | settings.get("retention", {})
    for kind, ret in new["retention"].items():
        if kind not in KINDS:
            raise ValidationError(f"不认识的记录类别“{kind}”。")
        check_retention(ret)
    new["org_codes"] = list(dict.fromkeys(check_org_code(c) for c in new["org_codes"] if c))
    new["use_org_codes"] = bool(new["use_org_codes"])
    if new["scheme"] not in SCHEMES:
        raise ValidationError(
            f"整理方式“{new['scheme']}”无效，应为“件”（按件整理）或“卷”（按卷整理）。"
        )
    new["default_org_code"] = check_org_code(new["default_org_code"])
    if new["use_org_codes"] and not new["org_codes"]:
        raise ValidationError("启用机构（问题）代码时，请至少填写一个代码，例如 BGS。")
    if new["default_org_code"] and new["default_org_code"] not in new["org_codes"]:
        raise ValidationError(f"默认机构（问题）代码“{new['default_org_code']}”不在代码列表中。")
    with transaction(db):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [SETTINGS_KEY, json.dumps(new, ensure_ascii=False)],
        )
        audit.record(db, _op(db, who), "settings", SETTINGS_KEY, "update", before, new)
    return new


def _org(settings: dict, org_code: str) -> str:
    code = check_org_code(org_code)
    if not settings["use_org_codes"]:
        if code:
            raise ValidationError(
                f"本单位未启用机构（问题）代码，不能按“{code}”归档。请先在归档设置中启用并添加该代码。"
            )
        return ""
    code = code or settings["default_org_code"]
    if not code:
        raise ValidationError("本单位按机构（问题）分类归档，请选择机构（问题）代码。")
    if code not in settings["org_codes"]:
        raise ValidationError(
            f"机构（问题）代码“{code}”不在归档设置的列表中（"
            + "、".join(settings["org_codes"])
            + "）。"
        )
    return code


# -- pieces --------------------------------------------------------------------------------


def _row(db, table: str, record_id: int) -> dict:
    cur = db.execute(f"SELECT * FROM {table} WHERE id = ?", [int(record_id)])
    r = cur.fetchone()
    if r is None:
        raise ValidationError("要归档的记录已被删除，请刷新后重新选择。")
    return dict(zip([d[0] for d in cur.description], r, strict=True))


def describe(db: sqlite_utils.Database, table: str, record_id: int) -> dict:
    """Year, 题名, 文号, 责任者 and 日期 of a record. Titles the office writes itself are in [ ]."""
    if table not in KINDS:
        raise ValidationError(
            f"“{table}”中的记录不能归档。可以归档：" + "、".join(KINDS.values()) + "。"
        )
    r = _row(db, table, record_id)
    prof = profile.load(db)
    unit = prof.unit_name if prof else ""
    if table == "items":
        d = {"title": r["title"], "doc_no": r["doc_no"], "responsible": r["issuer"] or unit,
             "doc_date": r["formed_date"], "year": r["year"]}  # fmt: skip
    elif table == "applications":
        d = {"title": f"[{r['applicant_name']}政府信息公开申请（{r['app_no']}）及答复]",
             "doc_no": "", "responsible": unit, "doc_date": r["closed_date"] or r["received_date"],
             "year": r["year"]}  # fmt: skip
    elif table == "complaints":
        d = {"title": f"[{r['kind']}（{r['no']}）办理记录]", "doc_no": "", "responsible": unit,
             "doc_date": r["closed_date"] or r["received_date"], "year": r["year"]}  # fmt: skip
    elif table == "meetings":
        d = {"title": f"[{r['kind']}：{r['subject']}]", "doc_no": "", "responsible": r["body"] or unit,
             "doc_date": r["on_date"], "year": int(r["on_date"][:4])}  # fmt: skip
    else:
        half = "上半年" if int(r["half"]) == 1 else "下半年"
        d = {"title": f"[{r['year']}年{half}重点检查报告]", "doc_no": "", "responsible": unit,
             "doc_date": r["on_date"], "year": r["year"]}  # fmt: skip
    return d


def _next_piece_no(db, year: int, retention: str, org: str) -> int:
    n = next_serial(db, year, f"archive_piece:{retention}:{org}")
    if n > 9999:
        raise ValidationError(f"{year}年{retention}的件号已用完（最多 9999 件）。")
    return n


def _fonds(db) -> str:
    prof = profile.load(db)
    return prof.fonds_no if prof else ""


def _select(db, where: str = "1", params: list | None = None) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(PIECE_COLUMNS)} FROM archive_pieces WHERE {where}"
        " ORDER BY year, retention, org_code, piece_no",
        params or [],
    ).fetchall()
    return [dict(zip(PIECE_COLUMNS, r, strict=True)) for r in rows]


def piece(db: sqlite_utils.Database, piece_id: int) -> dict:
    found = _select(db, "id = ?", [int(piece_id)])
    if not found:
        raise ValidationError("该归档件已不存在，请刷新后重试。")
    return found[0]


def piece_of(db: sqlite_utils.Database, table: str, record_id: int) -> dict | None:
    found = _select(db, "record_table = ? AND record_id = ?", [table, int(record_id)])
    return found[0] if found else None


def pieces(
    db: sqlite_utils.Database, year: int | None = None, box_id: int | None = None
) -> list[dict]:
    """Filed pieces by year, retention, 机构 and 件号."""
    where, params = ["1"], []
    if year is not None:
        where, params = [*where, "year = ?"], [*params, int(year)]
    if box_id is not None:
        where, params = [*where, "box_id = ?"], [*params, int(box_id)]
    return _select(db, " AND ".join(where), params)


def file_record(
    db: sqlite_utils.Database, table: str, record_id: int, retention: str | None = None,
    org_code: str = "", who: str | None = None,
) -> dict:  # fmt: skip
    """File one record as a piece; return the piece with its 档号."""
    info = describe(db, table, record_id)
    done = piece_of(db, table, record_id)
    if done:
        raise ValidationError(f"该记录已经归档，档号为 {done['archive_no']}。")
    settings = archive_settings(db)
    retention = check_retention(retention or settings["retention"][table])
    org = _org(settings, org_code)
    fonds = _fonds(db)
    pages = attachments.pages(db, table, record_id) + 1  # the record's own rendering: one page
    with transaction(db):
        n = _next_piece_no(db, info["year"], retention, org)
        row = {"record_table": table, "record_id": int(record_id), "year": info["year"],
               "retention": retention, "org_code": org, "piece_no": n,
               "archive_no": archive_no(fonds, info["year"], retention, n, org),
               "title": info["title"], "doc_no": info["doc_no"] or "",
               "responsible": info["responsible"] or "", "doc_date": info["doc_date"],
               "secrecy": "", "pages": pages, "note": "", "filed_at": audit.now_iso()}  # fmt: skip
        cur = db.execute(
            f"INSERT INTO archive_pieces({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        audit.record(db, _op(db, who), "archive_pieces", cur.lastrowid, "insert", None, row)
    return piece(db, cur.lastrowid)


def ready(db: sqlite_utils.Database, year: int) -> list[tuple[str, int]]:
    """(table, id) of the year's records ready to file and not filed yet."""
    unfiled = "AND id NOT IN (SELECT record_id FROM archive_pieces WHERE record_table = '{}')"
    sql = [
        ("items", "SELECT id FROM items WHERE year = ? AND stage IN ('建档', '已建档') "),
        ("applications", "SELECT id FROM applications WHERE year = ? AND closed_date IS NOT NULL "),
        ("complaints", "SELECT id FROM complaints WHERE year = ? AND closed_date IS NOT NULL "),
    ]
    out = []
    for table, q in sql:
        rows = db.execute(q + unfiled.format(table) + " ORDER BY id", [int(year)]).fetchall()
        out += [(table, r[0]) for r in rows]
    return out


def file_ready(db: sqlite_utils.Database, year: int, who: str | None = None) -> list[dict]:
    """File every ready record of *year* (all or none); return the new pieces."""
    with transaction(db):
        return [file_record(db, t, i, who=who) for t, i in ready(db, year)]


def _sealed_in(db, where: str, params: list) -> dict | None:
    r = db.execute(
        "SELECT b.box_no FROM archive_pieces p JOIN archive_boxes b ON b.id = p.box_id"
        f" WHERE b.sealed_at IS NOT NULL AND {where} LIMIT 1",
        params,
    ).fetchone()
    return r and {"box_no": r[0]}


def renumber(
    db: sqlite_utils.Database, year: int, retention: str, org_code: str = "", who: str | None = None
) -> list[dict]:
    """Give the pieces of one year/retention/机构 new 件号 in date order, from the counter
    (old numbers are never given out again). Refused once any of them is in a sealed box."""
    retention, org = check_retention(retention), check_org_code(org_code)
    key = "p.year = ? AND p.retention = ? AND p.org_code = ?"
    sealed = _sealed_in(db, key, [int(year), retention, org])
    if sealed:
        raise ValidationError(
            f"{year}年{retention}的文件已装入第 {sealed['box_no']} 号盒并已封盒，不能重新编号。"
        )
    rows = db.execute(
        "SELECT id FROM archive_pieces WHERE year = ? AND retention = ? AND org_code = ?"
        " ORDER BY doc_date, id",
        [int(year), retention, org],
    ).fetchall()
    fonds, who = _fonds(db), _op(db, who)
    with transaction(db):
        for (pid,) in rows:
            before = piece(db, pid)
            n = _next_piece_no(db, int(year), retention, org)
            after = {"piece_no": n, "archive_no": archive_no(fonds, int(year), retention, n, org)}
            db.execute(
                "UPDATE archive_pieces SET piece_no = ?, archive_no = ? WHERE id = ?",
                [n, after["archive_no"], pid],
            )
            old = {k: before[k] for k in after}
            audit.record(db, who, "archive_pieces", pid, "update", old, after)
    return [piece(db, pid) for (pid,) in rows]


# -- boxes ---------------------------------------------------------------------------------


def box(db: sqlite_utils.Database, box_id: int) -> dict:
    """One box with first_piece/last_piece (件号 or None) and count."""
    r = db.execute(
        f"SELECT {', '.join(BOX_COLUMNS)} FROM archive_boxes WHERE id = ?", [int(box_id)]
    ).fetchone()
    if r is None:
        raise ValidationError("该档案盒已不存在，请刷新后重试。")
    out = dict(zip(BOX_COLUMNS, r, strict=True))
    lo, hi, n = db.execute(
        "SELECT min(piece_no), max(piece_no), count(*) FROM archive_pieces WHERE box_id = ?",
        [int(box_id)],
    ).fetchone()
    return out | {"first_piece": lo, "last_piece": hi, "count": n}


def boxes(db: sqlite_utils.Database, year: int | None = None) -> list[dict]:
    where, params = ("WHERE year = ?", [int(year)]) if year is not None else ("", [])
    ids = db.execute(
        f"SELECT id FROM archive_boxes {where} ORDER BY year, retention, org_code, box_no", params
    ).fetchall()
    return [box(db, i) for (i,) in ids]


def create_box(
    db: sqlite_utils.Database, year: int, retention: str, org_code: str = "", spine_mm: int = 30,
    who: str | None = None,
) -> dict:  # fmt: skip
    retention = check_retention(retention)
    org = _org(archive_settings(db), org_code)
    if int(spine_mm) not in SPINE_WIDTHS:
        raise ValidationError(f"盒脊厚度 {spine_mm} 毫米无效，应为 20、30、40 或 50 毫米。")
    with transaction(db):
        n = next_serial(db, int(year), f"archive_box:{retention}:{org}")
        row = {"year": int(year), "retention": retention, "org_code": org, "box_no": n,
               "spine_mm": int(spine_mm), "created_at": audit.now_iso()}  # fmt: skip
        cur = db.execute(
            f"INSERT INTO archive_boxes({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        audit.record(db, _op(db, who), "archive_boxes", cur.lastrowid, "insert", None, row)
    return box(db, cur.lastrowid)


def _box_label(b: dict) -> str:
    org = f"{b['org_code']} " if b["org_code"] else ""
    return f"{b['year']}年{b['retention']}{org}第 {b['box_no']} 号盒"


def put_in_box(
    db: sqlite_utils.Database, box_id: int, piece_ids: list[int], who: str | None = None
) -> dict:
    """Put pieces into a box; refuse a mix of year, retention or 机构 (RULES.md §8)."""
    b = box(db, box_id)
    if b["sealed_at"]:
        raise ValidationError(f"{_box_label(b)}已封盒，不能再放入文件。")
    todo = [piece(db, i) for i in piece_ids]
    for p in todo:
        for key, label in (
            ("year", "年度"),
            ("retention", "保管期限"),
            ("org_code", "机构（问题）"),
        ):
            if p[key] != b[key]:
                raise ValidationError(
                    f"件 {p['archive_no']} 的{label}是“{p[key] or '无'}”，而{_box_label(b)}的{label}是"
                    f"“{b[key] or '无'}”：一个档案盒不能混装不同{label}的文件。"
                )
        if p["box_id"] and p["box_id"] != b["id"] and box(db, p["box_id"])["sealed_at"]:
            raise ValidationError(f"件 {p['archive_no']} 所在的档案盒已封盒，不能移出。")
    who = _op(db, who)
    with transaction(db):
        for p in todo:
            db.execute("UPDATE archive_pieces SET box_id = ? WHERE id = ?", [b["id"], p["id"]])
            audit.record(db, who, "archive_pieces", p["id"], "update",
                         {"box_id": p["box_id"]}, {"box_id": b["id"]})  # fmt: skip
    return box(db, box_id)


def seal_box(
    db: sqlite_utils.Database, box_id: int, *, arranger: str = "", arranged_date: Any = None,
    checker: str = "", checked_date: Any = None, contents_note: str = "", who: str | None = None,
) -> dict:  # fmt: skip
    """Seal a box (备考表 fields: 整理人, 整理日期, 检查人, 检查日期, 盒内文件情况说明)."""
    b = box(db, box_id)
    if b["sealed_at"]:
        raise ValidationError(f"{_box_label(b)}已于 {b['sealed_at'][:10]} 封盒。")
    if not b["count"]:
        raise ValidationError(f"{_box_label(b)}是空盒，请先放入文件再封盒。")
    today = date.today().isoformat()
    changes = {"sealed_at": audit.now_iso(), "contents_note": str(contents_note or "").strip(),
               "arranger": str(arranger or "").strip() or _op(db, who),
               "arranged_date": str(arranged_date or today), "checker": str(checker or "").strip(),
               "checked_date": checked_date and str(checked_date)}  # fmt: skip
    with transaction(db):
        db.execute(
            f"UPDATE archive_boxes SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
            [*changes.values(), b["id"]],
        )
        old = {k: b[k] for k in changes}
        audit.record(db, _op(db, who), "archive_boxes", b["id"], "update", old, changes)
    return box(db, box_id)


# -- 归档文件目录 rows -------------------------------------------------------------------

CATALOG_HEADERS = ("序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注")


def catalog_rows(db: sqlite_utils.Database, year: int) -> list[tuple]:
    """The 归档文件目录 of *year* (RULES.md §8): 日期 as 8 digits, e.g. 20260315."""
    return [
        (i, p["archive_no"], p["doc_no"], p["responsible"], p["title"],
         str(p["doc_date"]).replace("-", "")[:8], p["secrecy"], p["pages"], p["note"])
        for i, p in enumerate(pieces(db, year), 1)
    ]  # fmt: skip


# -- 案卷 and 页数: core/archive_volumes.py ------------------------------------------


def volume_dict(db: sqlite_utils.Database, box_id: int) -> tuple[dict, list[dict]]:
    """A box as one 案卷 (GB/T 9705-2008); see core/archive_volumes.volume_dict."""
    from .archive_volumes import volume_dict as build

    return build(db, box_id)
