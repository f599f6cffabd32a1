"""`gongkai archive file|catalog|spines|volume --db FILE --year 2026 …`: filing and its printouts.

Files the year's items at the 建档 step and the closed applications and complaints
(DA/T 22-2015, RULES.md §8) and prints each 档号 assigned. The 归档文件目录 as a
spreadsheet is `gongkai export archive` (commands/registry_io.py).
"""

from __future__ import annotations

import argparse

from .common import opened_db


def register(sub) -> None:
    p = sub.add_parser("archive", help="归档（按件整理，DA/T 22-2015）")
    acts = p.add_subparsers(dest="archive", metavar="操作", required=True)
    f = acts.add_parser("file", help="将本年度已办结、已建档的记录归档，并列出分配的档号")
    f.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    f.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    f.set_defaults(run=run_file)
    for name, helptext, runner in (("catalog", "打印归档文件目录（PDF）", run_catalog),
                                   ("spines", "打印档案盒盒脊（PDF，按实际尺寸）", run_spines)):
        c = acts.add_parser(name, help=helptext)
        c.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
        c.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
        c.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出文件")
        if name == "spines":
            c.add_argument("--width", type=int, choices=(20, 30, 40, 50), metavar="MM",
                           help="盒脊宽度（20/30/40/50 毫米），默认用各盒登记的宽度")
        c.set_defaults(run=runner)
    v = acts.add_parser("volume", help="生成一个档案盒的案卷 PDF（封面、目录、各件及附件、备考表；"
                        "归档设置为按卷整理时用 GB/T 9705 案卷封面、卷内文件目录、卷内备考表）")  # fmt: skip
    v.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    v.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    v.add_argument("--box", type=int, required=True, metavar="N", help="盒号（该年度内）")
    v.add_argument("--retention", metavar="期限", help="保管期限（永久/定期30年/定期10年），"
                   "同一年度多个期限都有该盒号时必填")  # fmt: skip
    v.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出文件")
    v.set_defaults(run=run_volume)


def run_catalog(args) -> int:
    from ..exports.archive_catalog import fonds_meta, synced_pieces
    from ..exports.archive_pdf import catalog_pdf
    from ..exports.xlsx_ledger import check_year

    year = check_year(args.year)
    with opened_db(getattr(args, "db", None)) as db:
        pieces, _fixed = synced_pieces(db, year)  # 页数 as bound in the volume
        out = catalog_pdf(pieces, fonds_meta(db), args.output)
    print(f"已生成 {year} 年归档文件目录（{len(pieces)} 件）：{out}")
    return 0


def run_spines(args) -> int:
    from ..core import archive
    from ..core.errors import UserError
    from ..exports.archive_catalog import fonds_meta
    from ..exports.archive_labels import spines_pdf
    from ..exports.xlsx_ledger import check_year

    year = check_year(args.year)
    with opened_db(getattr(args, "db", None)) as db:
        boxes = [b | {"first_piece_no": b["first_piece"], "last_piece_no": b["last_piece"],
                      "spine_mm": args.width or b["spine_mm"]}
                 for b in archive.boxes(db, year=year)]
        if not boxes:
            raise UserError(f"{year}年还没有档案盒。请先归档并装盒。")
        out = spines_pdf(boxes, fonds_meta(db), args.output)
    print(f"已生成 {year} 年 {len(boxes)} 个档案盒的盒脊：{out}（请按100%比例打印）")
    return 0


def run_file(args) -> int:
    from ..core import archive
    from ..exports.xlsx_ledger import check_year

    year = check_year(args.year)
    with opened_db(getattr(args, "db", None)) as db:
        filed = archive.file_ready(db, year)
    if not filed:
        print(f"{year}年没有待归档的记录（事项需到“建档”环节，申请和投诉需已办结）。")
        return 0
    for p in filed:
        print(f"{p['archive_no']}  {p['title']}")
    print(f"已归档 {year} 年 {len(filed)} 件。")
    return 0


def _pick_box(db, year: int, box_no: int, retention: str | None) -> dict:
    """The box numbered *box_no* in *year*; --retention (or the 机构) when several match."""
    from ..core import archive
    from ..core.errors import UserError

    found = [b for b in archive.boxes(db, year=year) if b["box_no"] == box_no]
    if retention:
        found = [b for b in found if b["retention"] == archive.check_retention(retention)]
    if not found:
        raise UserError(f"{year}年没有第 {box_no} 号档案盒" + (f"（{retention}）" if retention else "")
                        + "。请先建盒并装入文件，或检查盒号。")  # fmt: skip
    if len(found) > 1:
        names = "、".join(f"{b['retention']}{b['org_code'] and ' ' + b['org_code']}" for b in found)
        raise UserError(
            f"{year}年有多个第 {box_no} 号盒（{names}），请用 --retention 指明保管期限。"
        )
    return found[0]


def run_volume(args) -> int:
    from ..exports.archive_volume import build_volume
    from ..exports.xlsx_ledger import check_year

    year = check_year(args.year)
    with opened_db(getattr(args, "db", None)) as db:
        b = _pick_box(db, year, args.box, args.retention)
        result = build_volume(db, b["id"], args.output)
    kind = "（按卷整理，GB/T 9705-2008）" if result.parts[0][0] == "案卷封面" else ""
    print(f"已生成 {year} 年{b['retention']}第 {b['box_no']} 号盒的案卷{kind}：{result.path}"
          f"（{len(result.bookmarks)} 件，{result.pages} 页；请按100%比例打印）")  # fmt: skip
    return 0
