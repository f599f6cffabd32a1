"""Totals of a scored assessment table (pure; RULES.md §7).

- An item counts from 0 to its own maximum; a group subtotal never exceeds the group maximum.
- Bonus (seed 备注): an experience qualifying under several of the ``exclusive`` items
  (39–43) counts once, at the highest value; ``additive`` items (44, 45) are added; the
  bonus is capped (10).
- Total = base + counted bonus. Unset items (None) count nothing and are listed as such.
Every number carries its explanation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .assessment_template import Template


def fmt(x: float) -> str:
    """2, 2.5 — no trailing .0."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


@dataclass(frozen=True)
class GroupTotal:
    name: str
    max: float
    score: float
    explain: str


@dataclass(frozen=True)
class Totals:
    groups: list[GroupTotal]  # the base groups
    bonus_raw: float  # bonus items as scored, before the once-only rule and the cap
    bonus_counted: float
    base: float
    total: float
    bonus_explain: str = ""
    unset: list[int] = field(default_factory=list)

    def explain(self) -> str:
        lines = [f"{g.name}：{g.explain}" for g in self.groups]
        lines.append(f"基本分 = {' + '.join(fmt(g.score) for g in self.groups)} = {fmt(self.base)}")
        lines.append(f"加分：{self.bonus_explain}")
        lines.append(
            f"总分 = 基本分 {fmt(self.base)} + 加分 {fmt(self.bonus_counted)} = {fmt(self.total)}"
        )
        if self.unset:
            lines.append(f"未评分的项目（不计分）：第{'、'.join(map(str, self.unset))}项")
        return "\n".join(lines)


def _item_score(no: int, max_: float, scores: dict, notes: list[str]) -> float | None:
    s = scores.get(no)
    if s is None:
        return None
    if s > max_:
        notes.append(f"第{no}项 {fmt(s)} 分超过该项满分，按 {fmt(max_)} 分计")
        return max_
    if s < 0:
        notes.append(f"第{no}项得分为负，按 0 分计")
        return 0
    return s


def totals(
    template: Template,
    scores: dict[int, float | None],
    bonus_experiences: dict[int, str] | None = None,
) -> Totals:
    """*bonus_experiences*: item no → experience key; exclusive items sharing a key are one
    experience (counted once at the highest). Items without a key are separate experiences."""
    groups: list[GroupTotal] = []
    unset: list[int] = []
    for g in template.base_groups:
        notes: list[str] = []
        parts = []
        for it in template.group_items(g.name):
            s = _item_score(it.no, it.max, scores, notes)
            if s is None:
                unset.append(it.no)
            else:
                parts.append((it.no, s))
        raw = sum(s for _, s in parts)
        score = min(raw, g.max)  # RULES.md §7: never above the group maximum
        text = " + ".join(f"第{n}项 {fmt(s)}" for n, s in parts) or "尚未评分"
        text += f" = {fmt(raw)} 分（满分 {fmt(g.max)} 分）"
        if raw > g.max:
            notes.append(f"超过项目满分，按 {fmt(g.max)} 分计")
        if notes:
            text += "；" + "；".join(notes)
        groups.append(GroupTotal(g.name, g.max, score, text))

    rule = template.bonus_rule
    exp = bonus_experiences or {}
    notes = []
    scored: dict[int, float] = {}
    for g in template.bonus_groups:
        for it in template.group_items(g.name):
            s = _item_score(it.no, it.max, scores, notes)
            if s is None:
                unset.append(it.no)
            elif s > 0:
                scored[it.no] = s
    raw = sum(scored.values())
    kept: dict[int, float] = {}
    by_key: dict[str, list[int]] = {}
    for no, s in scored.items():
        key = exp.get(no) if no in rule.exclusive else None
        if key:
            by_key.setdefault(key.strip(), []).append(no)
        else:
            kept[no] = s
    for key, nos in by_key.items():
        best = max(nos, key=lambda n: (scored[n], -n))
        kept[best] = scored[best]
        if len(nos) > 1:
            others = "、".join(f"第{n}项" for n in nos if n != best)
            notes.append(
                f"“{key}”同时符合第{'、'.join(map(str, sorted(nos)))}项，"
                f"以最高加分值计一次（第{best}项 {fmt(scored[best])} 分），{others}不重复加分"
            )
    once = sum(kept.values())
    counted = min(once, rule.cap)
    text = " + ".join(f"第{n}项 {fmt(s)}" for n, s in sorted(kept.items())) or "无"
    text += f" = {fmt(once)} 分"
    if once > rule.cap:
        notes.append(f"加分累计不超过 {fmt(rule.cap)} 分，按 {fmt(rule.cap)} 分计")
    if notes:
        text += "；" + "；".join(notes)
    base = sum(g.score for g in groups)
    return Totals(groups, raw, counted, base, base + counted, text, sorted(unset))
