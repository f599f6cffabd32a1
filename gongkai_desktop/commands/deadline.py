"""`gongkai deadline START --working-days N [--json] [--db FILE]`."""

from __future__ import annotations

import json

from ..core.calendar import WorkCalendar
from ..core.deadlines import add_working_days
from ..core.errors import UserError
from .common import open_db, parse_date


def register(sub) -> None:
    p = sub.add_parser("deadline", help="计算 N 个工作日后的到期日")
    p.add_argument("start", help="起算日期，如 2026-09-25（当天不计入）")
    p.add_argument("--working-days", type=int, required=True, metavar="N", help="工作日数")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.add_argument("--db", metavar="FILE", help="使用该数据库里的自定义节假日安排")
    p.set_defaults(run=run)


def run(args) -> int:
    start = parse_date(args.start, "起算日期")
    if args.working_days < 1 or args.working_days > 1000:
        raise UserError("--working-days 应为 1 到 1000 之间的整数。")
    cal = WorkCalendar.from_db(open_db(args.db)) if args.db else WorkCalendar()
    d = add_working_days(start, args.working_days, cal)
    if args.json:
        print(json.dumps(d.to_json(), ensure_ascii=False))
    else:
        print(d.explain())
    return 0
