"""`gongkai score --db FILE --year 2026 [--template ID] --json`: the self-assessment (自评打分)
with the clerk's scores, the suggested scores and their reasons, group subtotals, bonus and
total (RULES.md §7; issue 6). Without --json a short table in Chinese."""

from __future__ import annotations

import argparse
import json

from .common import opened_db


def register(sub) -> None:
    p = sub.add_parser("score", help="自评打分：得分、建议分与总分")
    p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    p.add_argument("--template", default="fujian", metavar="ID", help="评估表编号（默认 fujian）")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.set_defaults(run=run)


def _n(x) -> str:
    return "—" if x is None else f"{x:g}"


def run(args) -> int:
    from ..core.assessment import summary

    with opened_db(getattr(args, "db", None)) as db:
        data = summary(db, args.year, args.template)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"{args.year}年自评打分（{data['template']}）")
    for it in data["items"]:
        print(f"第{it['no']}项 满分{_n(it['max'])} 得分{_n(it['score'])} 建议{_n(it['suggested'])}"
              f"  {it['reason']}")  # fmt: skip
    for g in data["groups"]:
        print(f"{g['name']}：{_n(g['score'])} / {_n(g['max'])}")
    b = data["bonus"]
    print(f"加分：{_n(b['counted'])}（各项合计 {_n(b['raw'])}）")
    print(f"总分：{_n(data['total'])}")
    return 0
