"""案卷 data (GB/T 9705-2008) and the pieces' 页数 as bound (RULES.md §8, issue 7 §2–§3).

A piece's 页数 is first estimated at filing (its record page plus its PDF pages). The
pages a piece really takes are known only once it is rendered (record, attachments,
letters, step history: exports/archive_volume.piece_pages), so building a volume or
printing the 归档文件目录 writes the rendered counts back here (set_pages): the
catalogue's 页数 then equals the pages in the bound volume.
"""

from __future__ import annotations

import sqlite_utils

from . import archive, audit, profile
from .archive_numbers import archive_no
from .db import transaction
from .errors import ValidationError


def volume_dict(db: sqlite_utils.Database, box_id: int) -> tuple[dict, list[dict]]:
    """A box as one 案卷 and its pieces as 卷内文件, in exports.archive_volume_scheme's dicts.

    档号 = 全宗号-WS·年度-保管期限代码-卷号 (4 digits, the 盒号): GB/T 9705-2008 puts the 档号 on
    the cover but leaves its structure to the unit, so it follows DA/T 22 with 卷号 in place
    of 件号, plus the 机构（问题）code when used (盒号 are counted per 机构). 页数 are the
    pieces' own; archive_volume replaces them with the bound pages.
    """
    b = archive.box(db, box_id)
    ps = sorted(archive.pieces(db, box_id=box_id), key=lambda p: p["piece_no"])
    dates = sorted(str(p["doc_date"]) for p in ps if p["doc_date"])
    prof = profile.load(db)
    title = b["contents_note"] or f"{b['year']}年度{b['retention']}文书档案第{b['box_no']}卷"
    pages = sum(int(p["pages"] or 0) for p in ps)
    fonds = prof.fonds_no if prof else ""
    volume = {"fonds_name": prof.unit_name if prof else "", "category": b["org_code"] or "文书",
              "title": title, "start": dates[0] if dates else "", "end": dates[-1] if dates else "",
              "retention": b["retention"], "pieces": len(ps), "pages": pages, "filing_no": "",
              "archive_no": archive_no(fonds, b["year"], b["retention"], b["box_no"],
                                       b["org_code"]),
              "note": f"本卷共 {len(ps)} 件，{pages} 页。", "maker": b["arranger"] or "",
              "checker": b["checker"] or "", "made_date": b["arranged_date"] or ""}  # fmt: skip
    docs = [{"doc_no": p["doc_no"], "responsible": p["responsible"], "title": p["title"],
             "doc_date": p["doc_date"], "pages": p["pages"], "note": p["note"]} for p in ps]  # fmt: skip
    return volume, docs


def set_pages(
    db: sqlite_utils.Database, counts: dict[int, int], who: str | None = None
) -> dict[int, tuple[int, int]]:
    """Write the rendered 页数 of pieces {piece id: pages}; {id: (old, new)} of those changed.

    Allowed in sealed boxes too: it corrects a count, it does not renumber (RULES.md §8).
    """
    changed: dict[int, tuple[int, int]] = {}
    for pid, n in counts.items():
        if int(n) < 1:
            raise ValidationError(f"归档件的页数 {n} 无效，至少为 1 页。")
        old = int(archive.piece(db, pid)["pages"] or 0)
        if old != int(n):
            changed[int(pid)] = (old, int(n))
    if not changed:
        return changed
    who = who or profile.operator(db)
    with transaction(db):
        for pid, (old, new) in changed.items():
            db.execute("UPDATE archive_pieces SET pages = ? WHERE id = ?", [new, pid])
            audit.record(db, who, "archive_pieces", pid, "update", {"pages": old}, {"pages": new})
    return changed
