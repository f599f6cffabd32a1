"""`gongkai demo FILE [--today YYYY-MM-DD]`: create a demo database (演示数据库)."""

from __future__ import annotations

from pathlib import Path

from ..core import workflow
from ..core.demo import build_demo
from ..core.demo_data import PROFILE
from .common import parse_date


def register(sub) -> None:
    p = sub.add_parser("demo", help="创建一个演示数据库（一个单位一年的公开工作）")
    p.add_argument("file", metavar="FILE", help="新数据库文件，如 演示.db（不会覆盖已有文件）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="把这一天当作“今天”（默认今天）")
    p.set_defaults(run=run)


def run(args) -> int:
    today = parse_date(args.today, "--today 的日期") if args.today else None
    s = build_demo(Path(args.file), today=today)
    stages = "、".join(f"{workflow.stage_label(k)} {v}" for k, v in s["stages"].items())
    print(f"已创建演示数据库：{s['path']}")
    print(f"单位：{PROFILE.unit_name}（全宗号 {PROFILE.fonds_no}），经办人 {PROFILE.operator}")
    print(f"年度：{s['year']} 年，截至 {s['today']}")
    print(f"公开事项：{s['items']} 条（{stages}）")
    print(
        f"已逾期未公开 {s['overdue']} 条，逾期公开 {s['published_late']} 条，"
        f"曾被退回 {s['returned']} 条，长期公开 {s['long_term']} 条，"
        f"重大决策 {s['major_decisions']} 条"
    )
    print(f"依申请公开：{s['applications']} 件，其中办理中 {s['applications_open']} 件")
    print(
        f"投诉与意见：{s['complaints']} 件（逾期答复 {s['complaints_late']} 件）；"
        f"重点检查 {s['key_inspections']} 次；未完成整改 {s['rectifications_open']} 项"
        f"（已逾期 {s['rectifications_overdue']} 项）"
    )
    print(
        f"机构：在任成员 {s['members']} 人；今年领导小组专题会议 {s['special_meetings']} 次；"
        f"上年结转申请 {s['carried_over']} 件"
    )
    print(f"档案：已归档 {s['archive_pieces']} 件，已封盒 {s['sealed_boxes']} 盒，附件 {s['attachments']} 个")
    print(f"办理环节记录 {s['steps']} 条，修改记录 {s['audit_rows']} 条")
    return 0
