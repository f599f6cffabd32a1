"""`gongkai letter APP_NO --db FILE --kind KIND -o FILE.pdf`: one 依申请公开文书 as PDF.

KIND is receipt (登记回执), supplement (补正告知书), extension (延期答复告知书),
consultation (征求意见书), fee (收费通知书) or answer (the 答复告知书 of the
application's answer type). The letter gets the next 文号 and is kept with the
application, as when it is made in the window.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core import applications
from ..core.application_letters import KINDS
from ..core.errors import UserError
from .common import opened_db


def register(sub) -> None:
    p = sub.add_parser("letter", help="生成依申请公开文书（PDF）")
    p.add_argument("app_no", metavar="APP_NO", help="申请编号，如 2026-0007")
    p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")
    p.add_argument(
        "--kind", required=True, choices=KINDS, metavar="KIND", help="文书种类：" + "|".join(KINDS)
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="保存为该文件")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..exports.letters import LETTER_KINDS, render_letter
    from ..exports.official_doc import write_atomic

    out = Path(args.output)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    if out.is_dir() or not out.parent.is_dir():
        raise UserError(
            f"保存位置“{out}”无效：请给出已存在的文件夹中的文件名，例如 补正告知书.pdf。"
        )
    with opened_db(getattr(args, "db", None)) as db:
        app = applications.get_by_no(db, args.app_no)
        if app is None:
            raise UserError(
                f"找不到申请编号“{args.app_no}”。请核对编号，或先用 --db 指定正确的数据库。"
            )
        kind = applications.resolve_kind(app, args.kind)
        ctx = applications.letter_context(db, app["id"], kind)
        pdf = render_letter(kind, ctx)
        write_atomic(out, pdf)  # first: a letter that could not be saved takes no 文号
        applications.store_letter(db, app["id"], kind, ctx["doc_no"], ctx["letter_date"], pdf)
    print(f"已生成《{LETTER_KINDS[kind]}》（{ctx['doc_no']}）：{out}")
    return 0
