"""`gongkai report key-inspection --db FILE --year 2026 --half 1 -o 报告.pdf`.

The half-year's key inspection report (半年重点检查报告, 考核表第30项) as PDF, from
resources/reports/key_inspection.txt. The report is also kept with the inspection,
as when it is made in the window. When a half-year has several key inspections, the
latest one is reported.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import UserError
from .common import opened_db

HALVES = {1: "上半年", 2: "下半年"}


def register(sub) -> None:
    p = sub.add_parser("report", help="生成报告（PDF）")
    kinds = p.add_subparsers(dest="report", metavar="报告", required=True)
    k = kinds.add_parser("key-inspection", help="半年重点检查报告")
    k.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    k.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    k.add_argument(
        "--half", type=int, required=True, choices=(1, 2), metavar="1|2", help="1 上半年，2 下半年"
    )
    k.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="保存为该文件")
    k.set_defaults(run=run_key_inspection)


def _pdf_path(text: str) -> Path:
    out = Path(text)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    if out.is_dir() or not out.parent.is_dir():
        raise UserError(
            f"保存位置“{out}”无效：请给出已存在的文件夹中的文件名，例如 重点检查报告.pdf。"
        )
    return out


def run_key_inspection(args) -> int:
    from ..core import inspections
    from ..exports.inspection_report import render_key_inspection_report
    from ..exports.official_doc import write_atomic
    from ..exports.registry_ledger import check_year

    year = check_year(args.year)
    out = _pdf_path(args.output)
    with opened_db(getattr(args, "db", None)) as db:
        found = [k for k in inspections.key_inspections(db, year) if int(k["half"]) == args.half]
        if not found:
            raise UserError(
                f"{year}年{HALVES[args.half]}没有重点检查记录。请先在“监督检查”中登记这次"
                "重点检查（检查日期、检查组、发现问题和检查结论），再生成报告。"
            )
        latest = max(found, key=lambda k: (str(k["on_date"]), k["id"]))
        pdf = render_key_inspection_report(inspections.report_context(db, latest["id"]))
        write_atomic(out, pdf)  # first: a report that could not be saved is not stored
        inspections.store_report(db, latest["id"], pdf)
    print(f"已生成{year}年{HALVES[args.half]}重点检查报告（检查日期 {latest['on_date']}）：{out}")
    return 0
