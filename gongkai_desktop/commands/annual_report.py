"""`gongkai annual-report`: the year's 政府信息公开工作年度报告.

    gongkai annual-report --db FILE --year 2026 -o 年度报告.xlsx   (tables 2, 3, 4 and checks)
    gongkai annual-report --db FILE --year 2026 -o 年度报告.pdf    (the whole report)
    gongkai annual-report --db FILE --year 2026 -o 年度报告.pdf --draft
    gongkai annual-report --db FILE --year 2026 --json

A report that fails a check is exported only with --draft (marked 草稿); without it the
command stops and lists the failed checks. --json prints the tables and checks as one
JSON object (issue 5 §6).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..core.errors import UserError
from .common import opened_db

SUFFIXES = (".xlsx", ".pdf")


def register(sub) -> None:
    p = sub.add_parser(
        "annual-report", help="政府信息公开工作年度报告（Excel 表格、PDF 全文或 JSON）"
    )
    p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="报告年度，如 2026")
    # -o or --json, checked in run(): argparse's own messages for a group are English
    p.add_argument("-o", "--output", metavar="FILE.xlsx|FILE.pdf",
                   help="保存为 .xlsx（表二、表三、表四）或 .pdf（报告全文）")  # fmt: skip
    p.add_argument("--json", action="store_true", help="以 JSON 输出表格和校验结果")
    p.add_argument(
        "--draft", action="store_true", help="导出草稿（标注“草稿”，校验未通过时也可导出）"
    )
    p.set_defaults(run=run)


def _out_path(text: str) -> Path:
    out = Path(text)
    if out.suffix.lower() not in SUFFIXES:
        raise UserError(
            f"“{out.name}”：年度报告只能导出为 .xlsx（表格）或 .pdf（全文），请改文件扩展名。"
        )
    if out.is_dir() or not out.parent.is_dir():
        raise UserError(f"保存位置“{out}”无效：请给出已存在的文件夹中的文件名，例如 年度报告.pdf。")
    return out


def run(args) -> int:
    from ..core import annual_report as R
    from ..exports.registry_ledger import check_year

    if bool(args.json) == bool(args.output):
        raise UserError(
            "请用 -o 指定保存的文件（.xlsx 表格或 .pdf 全文），或用 --json 输出数据，二者选一。"
        )
    year = check_year(args.year)
    out = None if args.json else _out_path(args.output)
    with opened_db(getattr(args, "db", None)) as db:
        rep = R.report(db, year)
    if args.json:
        print(json.dumps(rep.to_json(), ensure_ascii=False))
        return 0
    if out.suffix.lower() == ".pdf":
        from ..exports.annual_report_pdf import write_report_pdf as write
    else:
        from ..exports.annual_report_xlsx import write_report_xlsx as write
    write(rep, out, draft=args.draft)
    kind = "草稿" if args.draft else "正式稿"
    print(f"已导出{rep.title}（{kind}）到 {out}")
    for c in rep.failed():
        print(f"未通过的校验：{c.name}（{c.detail}）")
    return 0
