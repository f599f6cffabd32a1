"""`gongkai fee --by piece|page --count N [--json]`: 信息处理费 (国办函〔2020〕109号)."""

from __future__ import annotations

import json

from ..core.fees import fee


def register(sub) -> None:
    p = sub.add_parser("fee", help="计算信息处理费（按件或按量，超额累进）")
    p.add_argument(
        "--by",
        required=True,
        metavar="piece|page",
        help="计收方式：piece 按件（同一申请人当月累计件数），page 按量（页数）",
    )
    p.add_argument("--count", type=int, required=True, metavar="N", help="件数或页数")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.set_defaults(run=run)


def run(args) -> int:
    result = fee(args.by, args.count)  # bad --by or count raise ValidationError (exit 2)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(result.explain())
    return 0
