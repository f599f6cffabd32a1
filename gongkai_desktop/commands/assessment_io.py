"""`gongkai export assessment` and `gongkai binder` (issue 6 §3–4).

    gongkai export assessment --db FILE --year 2026 -o 自评表.xlsx   (or 自评表.pdf)
    gongkai binder --db FILE --year 2026 -o 迎检材料汇编.pdf

The scored table (自评打分表) in the official layout, and the evidence binder
(迎检材料汇编): cover, contents, the table, then each item's evidence.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import UserError
from .common import opened_db


def _common(p) -> None:
    p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    p.add_argument("--template", default="fujian", metavar="ID",
                   help="评估表编号（默认 fujian：福建省政务公开评估考核表）")  # fmt: skip


def add_export(ledgers) -> None:
    """`export assessment`, added to the export subparsers of commands/registry_io.py."""
    p = ledgers.add_parser("assessment", help="自评打分表（Excel 或 PDF）")
    _common(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx|OUT.pdf",
                   help="保存为该文件（按扩展名导出 Excel 或 PDF）")  # fmt: skip
    p.set_defaults(run=run_export)


def register(sub) -> None:
    p = sub.add_parser("binder", help="生成迎检材料汇编（PDF）")
    _common(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="保存为该文件")
    p.set_defaults(run=run_binder)


def _out(text: str, suffixes: tuple[str, ...], example: str) -> Path:
    out = Path(text)
    if out.suffix.lower() not in suffixes:
        if len(suffixes) > 1:
            raise UserError(f"文件“{out.name}”的扩展名应为 .xlsx 或 .pdf，例如 {example}。")
        out = out.with_name(out.name + suffixes[0])
    if out.is_dir() or not out.parent.is_dir():
        raise UserError(f"保存位置“{out}”无效：请给出已存在的文件夹中的文件名，例如 {example}。")
    return out


def run_export(args) -> int:
    from ..exports.assessment_pdf import write_assessment_pdf
    from ..exports.assessment_xlsx import num, scored_table, write_assessment_xlsx
    from ..exports.registry_ledger import check_year

    year = check_year(args.year)
    out = _out(args.output, (".xlsx", ".pdf"), "自评表.xlsx")
    with opened_db(getattr(args, "db", None)) as db:
        t = scored_table(db, year, args.template)
    (write_assessment_pdf if out.suffix.lower() == ".pdf" else write_assessment_xlsx)(t, out)
    unset = sum(r.score is None for r in t.rows)
    print(f"已导出{year}年度{t.title}（自评总分 {num(t.total)} 分）到 {out}")
    if unset:
        print(f"提示：还有 {unset} 项未评分，未评分的项目不计分。")
    return 0


def run_binder(args) -> int:
    from ..exports.binder import write_binder
    from ..exports.registry_ledger import check_year

    year = check_year(args.year)
    out = _out(args.output, (".pdf",), "迎检材料汇编.pdf")
    with opened_db(getattr(args, "db", None)) as db:
        res = write_binder(db, year, out, template=args.template)
    print(f"已生成{year}年度迎检材料汇编，共 {res.pages} 页、{res.bookmarks} 个评估项目书签：{out}")
    return 0
