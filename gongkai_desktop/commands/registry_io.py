"""`gongkai export …` and `gongkai import …`: the ledgers (台账) as .xlsx.

    gongkai export registry --db FILE --year 2026 -o 台账.xlsx
    gongkai import registry --db FILE 台账.xlsx
    gongkai export applications --db FILE --year 2026 -o 依申请公开台账.xlsx
    gongkai import applications --db FILE 依申请公开台账.xlsx
    gongkai export complaints|inspections|rectifications --db FILE --year 2026 -o 台账.xlsx
    gongkai export meetings --db FILE --year 2026 -o 会议台账.xlsx
    gongkai export assessment --db FILE --year 2026 -o 自评表.xlsx|自评表.pdf
    gongkai export archive --db FILE --year 2026 -o 归档文件目录.xlsx

`export` and `import` take a ledger name: registry (公开事项登记台账) or
applications (依申请公开登记台账); `export` also complaints (投诉与意见台账),
inspections (监督检查台账: 日常巡查、半年重点检查、定期自查), rectifications (整改台账)
and meetings (会议台账); `export assessment` writes the 自评打分表 (commands/assessment_io.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core import backup
from ..exports.applications_ledger import import_applications_ledger, write_applications_ledger
from ..exports.registry_ledger import check_year, import_registry_ledger, write_registry_ledger
from ..exports.supervision_ledgers import (
    write_complaints_ledger,
    write_inspections_ledger,
    write_rectifications_ledger,
)
from .assessment_io import add_export
from .common import opened_db


def _ledgers(sub, name: str, help_text: str):
    p = sub.add_parser(name, help=help_text)
    return p.add_subparsers(dest="ledger", metavar="台账", required=True)


def _db_arg(p) -> None:
    # SUPPRESS: `gongkai --db F export registry` keeps the top-level value
    p.add_argument(
        "--db",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="数据库文件（不存在则新建一个空数据库）",
    )


def register_export(sub) -> None:
    ledgers = _ledgers(sub, "export", "导出台账（Excel）")
    p = ledgers.add_parser("registry", help="公开事项登记台账")
    _db_arg(p)
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="保存为该文件")
    p.set_defaults(run=run_export)
    p = ledgers.add_parser("applications", help="依申请公开登记台账")
    _db_arg(p)
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="保存为该文件")
    p.set_defaults(run=run_export_applications)
    for name, help_text, run in (
        ("complaints", "投诉与意见台账", run_export_complaints),
        ("inspections", "监督检查台账（日常巡查、半年重点检查、定期自查）", run_export_inspections),
        ("rectifications", "整改台账", run_export_rectifications),
        ("meetings", "会议台账（领导小组专题会议、局务会、全体人员大会）", run_export_meetings),
        ("archive", "归档文件目录（DA/T 22-2015）", run_export_archive),
    ):
        p = ledgers.add_parser(name, help=help_text)
        _db_arg(p)
        p.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
        p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="保存为该文件")
        p.set_defaults(run=run)
    add_export(ledgers)
    from . import export_all

    export_all.add_to(ledgers)  # 导出中心 (issue 8)


def register_import(sub) -> None:
    ledgers = _ledgers(sub, "import", "从 Excel 导入台账")
    p = ledgers.add_parser("registry", help="公开事项登记台账（全部导入，或有错时一条也不导入）")
    _db_arg(p)
    p.add_argument("file", metavar="FILE.xlsx", help="要导入的台账文件")
    p.set_defaults(run=run_import)
    p = ledgers.add_parser(
        "applications", help="依申请公开登记台账（全部导入，或有错时一条也不导入）"
    )
    _db_arg(p)
    p.add_argument("file", metavar="FILE.xlsx", help="要导入的台账文件")
    p.set_defaults(run=run_import_applications)


def _xlsx(path: str) -> Path:
    out = Path(path)
    return out if out.suffix.lower() == ".xlsx" else out.with_name(out.name + ".xlsx")


def run_export(args) -> int:
    year = check_year(args.year)
    out = _xlsx(args.output)
    with opened_db(args.db) as db:
        n = write_registry_ledger(db, year, out)
    print(f"已导出 {year} 年 {n} 条事项到 {out}")
    return 0


def run_import(args) -> int:
    with opened_db(args.db) as db:
        backup.before(db, "import")  # issue 9: a backup before every import
        ids = import_registry_ledger(db, args.file)
    print(f"已从 {Path(args.file).name} 导入 {len(ids)} 条事项（索引号已按本单位规则重新编号）。")
    return 0


def run_export_applications(args) -> int:
    year = check_year(args.year)
    out = _xlsx(args.output)
    with opened_db(args.db) as db:
        n = write_applications_ledger(db, year, out)
    print(f"已导出 {year} 年 {n} 件依申请公开申请到 {out}")
    return 0


def run_import_applications(args) -> int:
    with opened_db(args.db) as db:
        backup.before(db, "import")  # issue 9: a backup before every import
        ids = import_applications_ledger(db, args.file)
    print(
        f"已从 {Path(args.file).name} 导入 {len(ids)} 件依申请公开申请（保留原申请编号，期限和状态已重新计算）。"
    )
    return 0


def _export_supervision(args, write, summary) -> int:
    """Shared by the three supervision ledgers; *summary(db, year, result)* gives the lines."""
    year = check_year(args.year)
    out = _xlsx(args.output)
    with opened_db(getattr(args, "db", None)) as db:
        lines = summary(db, year, write(db, year, out))
    print(f"已导出 {year} 年{lines[0]}到 {out}")
    for line in lines[1:]:
        print(line)
    return 0


def run_export_complaints(args) -> int:
    return _export_supervision(
        args, write_complaints_ledger, lambda db, y, n: [f" {n} 件投诉与意见（投诉与意见台账）"]
    )


def run_export_rectifications(args) -> int:
    return _export_supervision(
        args, write_rectifications_ledger, lambda db, y, n: [f" {n} 项整改事项（整改台账）"]
    )


def run_export_inspections(args) -> int:
    from ..core.supervision_io import count_key_inspections, half_years_without_inspection

    def summary(db, year, counts) -> list[str]:
        patrols, _rows, selfs = counts
        keys = count_key_inspections(db, year)
        lines = [
            f"监督检查台账（日常巡查 {patrols} 次，半年重点检查 {keys} 次，定期自查 {selfs} 次）"
        ]
        return lines + [
            f"提示：{s.label}没有重点检查记录（{s.state}）。"
            for s in half_years_without_inspection(db, year)
        ]

    return _export_supervision(args, write_inspections_ledger, summary)


def run_export_meetings(args) -> int:
    from ..core.meetings import TARGET
    from ..core.meetings_io import count_special
    from ..exports.meetings_ledger import write_meetings_ledger

    def summary(db, year, n) -> list[str]:
        special = count_special(db, year)
        line = f" {n} 次会议（会议台账，其中领导小组专题会议 {special} 次）"
        if special >= TARGET:
            return [line]
        return [
            line,
            f"提示：{year}年领导小组专题会议少于每年{TARGET}次的要求（实施方案三（一）2）。",
        ]

    return _export_supervision(args, write_meetings_ledger, summary)


def run_export_archive(args) -> int:
    from ..exports.archive_catalog import write_catalog_xlsx

    return _export_supervision(
        args, write_catalog_xlsx, lambda db, y, n: [f" {n} 件归档文件（归档文件目录）"]
    )
