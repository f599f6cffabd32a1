"""`gongkai export all`: the export centre (导出中心) without the window (issue 8 §4).

    gongkai export all --db FILE --year 2026 [--half 1|2 | --month M] -o DIR [--zip]
                       [--only registry,applications,...] [--unmask]

Writes every ledger and report into DIR/<今天>_<期间>/ (or only the kinds named), with
applicants' ID and phone numbers masked unless --unmask (which is audited), and prints
each file written with its size.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.atomic_file import os_error_message
from ..core.errors import UserError


def add_to(ledgers) -> None:
    """`export all`, added to the export subparsers of commands/registry_io.py."""
    from ..exports.export_centre import KINDS

    p = ledgers.add_parser("all", help="导出中心：一次导出全部台账和报告到按日期命名的文件夹")
    p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    p.add_argument("--half", type=int, metavar="1|2", help="只导出上半年（1）或下半年（2）的台账")
    p.add_argument("--month", type=int, metavar="M", help="只导出该月（1-12）的台账")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="保存到该文件夹（其中新建 日期_期间 子文件夹）")  # fmt: skip
    p.add_argument("--zip", action="store_true", help="另外打包为一个 .zip 文件")
    p.add_argument("--only", metavar="项目,…",
                   help="只导出这些项目，用逗号分隔：" + "、".join(KINDS))  # fmt: skip
    p.add_argument("--unmask", action="store_true",
                   help="不隐去身份证号和电话号码（会记入修改记录）")  # fmt: skip
    p.set_defaults(run=run)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def run(args) -> int:
    from ..core import profile
    from ..exports import export_centre as E
    from .common import opened_db

    if args.half is not None and args.month is not None:
        raise UserError("--half 和 --month 只能选一个：按半年或按月导出。")
    if args.month is not None:
        period = E.Period.month(args.year, args.month)
    elif args.half is not None:
        period = E.Period.half(args.year, args.half)
    else:
        period = E.Period.year(args.year)
    kinds = [k.strip() for k in (args.only or "").replace("，", ",").split(",") if k.strip()]
    planned = E.plan(kinds or list(E.KINDS), None, period)
    db_path = getattr(args, "db", None)
    with opened_db(db_path) as db:  # checks and migrates the file, applies the chosen PDF font
        who = profile.operator(db)
    out = Path(args.output)
    try:
        out.mkdir(parents=True, exist_ok=True)  # -o DIR: made if missing, as a shell user expects
    except OSError as e:
        raise UserError(os_error_message(e, out / "x")) from e
    zip_name = f"政务公开台账_{period.label}" if args.zip else None
    res = E.run(db_path, planned, out, period=period, zip_name=zip_name, unmask=args.unmask,
                who=who)  # fmt: skip
    for f in res.files:
        print(f"{f}（{_size(f.stat().st_size)}）")
    if res.zip_path:
        print(f"{res.zip_path}（{_size(res.zip_path.stat().st_size)}）")
    for note in res.notes:
        print(f"提示：{note}")
    state = (
        "已隐去身份证号和电话号码" if res.masked else "未隐去身份证号和电话号码（已记入修改记录）"
    )
    print(f"已导出{period.label} {len(res.files)} 个文件到 {res.folder}（{state}）。")
    sys.stdout.flush()
    return 0
