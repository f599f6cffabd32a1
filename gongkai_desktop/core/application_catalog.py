"""依申请公开的固定清单: applicant types, channels (art. 31), answer types (art. 36),
annual-report results (国办公开办函〔2021〕30号 表三) and appeal outcomes.

Data lives in resources/applications.json; this module loads and checks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from ..paths import resource
from .errors import UserError, ValidationError

RESULT_SEP = "/"  # ledger form: 不予公开/属于国家秘密


@dataclass(frozen=True)
class ApplicationCatalog:
    applicant_types: tuple[str, ...]
    applicant_groups: dict[str, str]  # type → 自然人 / 法人或其他组织
    channels: tuple[str, ...]
    receipt_rules: dict[str, str]
    needs_confirmation: frozenset[str]
    answer_types: dict[int, str]  # art. 36 item → short name
    answer_texts: dict[int, str]
    results: dict[str, tuple[str, ...]]  # result → its reasons (may be empty)
    appeal_outcomes: tuple[str, ...]
    litigation_routes: tuple[str, ...]

    def check_result(self, result: str, reason: str = "") -> None:
        """Raise UserError unless (result, reason) is a row of the annual report's table 3."""
        if result not in self.results:
            raise ValidationError(f"办理结果“{result}”无法识别，应为：" + "、".join(self.results) + "。")
        reasons = self.results[result]
        if reasons and reason not in reasons:
            raise ValidationError(f"“{result}”须选择一项理由：" + "、".join(reasons) + "。")
        if not reasons and reason:
            raise ValidationError(f"“{result}”不需要理由，请清空理由。")

    def result_label(self, result: str, reason: str = "") -> str:
        return f"{result}{RESULT_SEP}{reason}" if reason else result

    def parse_result_label(self, label: str) -> tuple[str, str]:
        """'不予公开/属于国家秘密' → ('不予公开', '属于国家秘密'); checks it exists."""
        text = _normalize_quotes(label.strip())
        result, _, reason = text.partition(RESULT_SEP)
        result, reason = result.strip(), reason.strip()
        self.check_result(result, reason)
        return result, reason


def _normalize_quotes(text: str) -> str:
    # 危及"三安全一稳定" is written with straight or curly quotes; the list uses “”.
    if '"' in text:
        parts = text.split('"')
        text = "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1])) + parts[-1]
    return text


@cache
def load() -> ApplicationCatalog:
    path = resource("applications.json")
    try:
        d = json.loads(path.read_text("utf-8"))
        cat = ApplicationCatalog(
            applicant_types=tuple(t["name"] for t in d["applicant_types"]),
            applicant_groups={t["name"]: t["group"] for t in d["applicant_types"]},
            channels=tuple(c["name"] for c in d["channels"]),
            receipt_rules={c["name"]: c["receipt_rule"] for c in d["channels"]},
            needs_confirmation=frozenset(c["name"] for c in d["channels"] if c["needs_confirmation"]),
            answer_types={int(a["code"]): a["name"] for a in d["answer_types"]},
            answer_texts={int(a["code"]): a["text"] for a in d["answer_types"]},
            results={r["name"]: tuple(r["reasons"]) for r in d["results"]},
            appeal_outcomes=tuple(d["appeal_outcomes"]),
            litigation_routes=tuple(d["litigation_routes"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"程序数据文件 {path.name} 已损坏（{e}），请重新安装本软件。") from e
    if len(cat.results) != 6 or sorted(cat.answer_types) != list(range(1, 8)):
        raise UserError(f"程序数据文件 {path.name} 内容不完整：应有 6 种办理结果和 7 种答复类型。")
    return cat
