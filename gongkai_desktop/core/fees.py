"""信息处理费 (information processing fee) by the progressive tiers of 国办函〔2020〕109号.

The fee is free by default and charged only when the quantity or frequency of
applications is clearly unreasonable (条例第四十二条). Two methods, exactly one per
application: 按件 (applications by one applicant in one calendar month) and 按量 (pages).
Each tier's rate applies only to the units inside it (超额累进). The tiers are data in
``resources/fees.json``; this module loads, checks and applies them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import resource
from .errors import UserError, ValidationError

FEES_FILE = "fees.json"
METHOD_PIECE = "piece"
METHOD_PAGE = "page"
# Accepted spellings of the method on the command line and in imports.
METHOD_ALIASES = {
    "piece": METHOD_PIECE,
    "按件": METHOD_PIECE,
    "page": METHOD_PAGE,
    "按量": METHOD_PAGE,
}
# Guard against a typo like 1000000000 generating millions of 按件 tiers.
MAX_COUNT = 1_000_000
FEE_NOTE = "信息处理费仅在申请数量、频次明显超过合理范围时收取（条例第四十二条）；每件申请只能选用按件或按量一种计收方式。"


@dataclass(frozen=True)
class Tier:
    """One tier: units ``first``..``last`` (inclusive; ``last`` None = no upper bound)."""

    first: int
    last: int | None
    rate: int  # 元 per unit

    @property
    def range(self) -> str:
        return f"{self.first}–{self.last}" if self.last is not None else f"{self.first}及以上"

    def label(self, unit: str) -> str:
        """ "11–30件" / "201页及以上"."""
        return (
            f"{self.first}–{self.last}{unit}"
            if self.last is not None
            else f"{self.first}{unit}及以上"
        )


@dataclass(frozen=True)
class FeeMethod:
    key: str  # "piece" / "page"
    label: str  # 按件计收 / 按量计收
    unit: str  # 件 / 页
    basis: str  # what is counted
    tiers: tuple[Tier, ...]
    step: int | None = None  # after the last tier: every `step` more units is a new tier
    rate_increase: int | None = None  # ... whose rate is this much higher

    def iter_tiers(self) -> Iterator[Tier]:
        """The listed tiers, then (if ``step`` is set) generated ones without end."""
        yield from self.tiers
        if self.step:
            last = self.tiers[-1]
            while True:
                assert last.last is not None
                last = Tier(last.last + 1, last.last + self.step, last.rate + self.rate_increase)
                yield last


@dataclass(frozen=True)
class FeeSchedule:
    source: str
    methods: dict[str, FeeMethod]


@dataclass(frozen=True)
class TierCharge:
    """The part of the count that falls in one tier."""

    tier: Tier
    count: int
    subtotal: int

    @property
    def range(self) -> str:
        return self.tier.range

    @property
    def rate(self) -> int:
        return self.tier.rate

    def to_json(self) -> dict:
        return {
            "range": self.range,
            "from": self.tier.first,
            "to": self.tier.last,
            "count": self.count,
            "rate": self.rate,
            "subtotal": self.subtotal,
        }


@dataclass(frozen=True)
class FeeResult:
    by: str  # "piece" / "page"
    count: int
    total: int  # 元
    tiers: tuple[TierCharge, ...]  # only tiers the count reaches
    method: FeeMethod
    source: str

    def explain(self) -> str:
        m = self.method
        lines = [
            f"信息处理费（{m.label}，{self.source}，超额累进）",
            f"计费数量：{self.count}{m.unit}",
        ]
        if m.basis:
            lines.append(f"计费依据：{m.basis}")
        for t in self.tiers:
            line = f"  {t.tier.label(m.unit)}：{t.count}{m.unit} × {t.rate}元 = {t.subtotal}元"
            lines.append(line + ("（免费）" if t.rate == 0 else ""))
        lines.append(f"合计：{self.total}元")
        lines.append(f"说明：{FEE_NOTE}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "by": self.by,
            "count": self.count,
            "total": self.total,
            "tiers": [t.to_json() for t in self.tiers],
        }


def fee(by: str, count: int, tiers: FeeSchedule | Mapping | None = None) -> FeeResult:
    """Fee for ``count`` units by method ``by`` ("piece"/"page", or 按件/按量).

    ``tiers`` is a schedule (or its raw JSON data); default: resources/fees.json.
    """
    key = METHOD_ALIASES.get(str(by).strip())
    if key is None:
        raise ValidationError(f"计收方式“{by}”无效，应为 piece（按件）或 page（按量）。")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        unit = "件数" if key == METHOD_PIECE else "页数"
        raise ValidationError(f"{unit}“{count}”无效，应为不小于 1 的整数。")
    if count > MAX_COUNT:
        raise ValidationError(f"数量 {count} 过大（超过 {MAX_COUNT}），请核对。")
    if tiers is None:
        schedule = load_schedule()
    elif isinstance(tiers, FeeSchedule):
        schedule = tiers
    else:
        schedule = parse_schedule(tiers)
    method = schedule.methods.get(key)
    if method is None:
        raise UserError(f"收费标准中没有“{key}”计收方式，请检查 {FEES_FILE}。")

    charges: list[TierCharge] = []
    for tier in method.iter_tiers():
        if tier.first > count:
            break
        top = count if tier.last is None else min(tier.last, count)
        n = top - tier.first + 1
        charges.append(TierCharge(tier, n, n * tier.rate))
    total = sum(c.subtotal for c in charges)
    return FeeResult(key, count, total, tuple(charges), method, schedule.source)


# -- Loading and checking the data file ----------------------------------------------


@cache
def _default_schedule() -> FeeSchedule:
    return load_schedule(resource(FEES_FILE))


def load_schedule(path: Path | None = None) -> FeeSchedule:
    """Read and check a fee file; default resources/fees.json (cached)."""
    if path is None:
        return _default_schedule()
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError as e:
        raise UserError(
            f"无法读取收费标准文件 {path}：{e.strerror or e}。请重新安装本软件。"
        ) from e
    except ValueError as e:
        raise UserError(
            f"收费标准文件 {Path(path).name} 不是有效的 JSON（{e}），请修正或重新安装本软件。"
        ) from e
    return parse_schedule(data, Path(path).name)


def parse_schedule(data: Mapping, name: str = FEES_FILE) -> FeeSchedule:
    """Check the fee data: both methods, tiers starting at 1, ascending and contiguous,
    whole non-negative rates that never fall; either an open last tier or a ``then`` rule."""

    def bad(where: str, what: str) -> UserError:
        return UserError(f"收费标准文件 {name} 有误：{where}{what}。请修正该文件或重新安装本软件。")

    if not isinstance(data, Mapping) or not isinstance(data.get("methods"), Mapping):
        raise bad("", "缺少 methods")
    methods: dict[str, FeeMethod] = {}
    for key in (METHOD_PIECE, METHOD_PAGE):
        m = data["methods"].get(key)
        if not isinstance(m, Mapping):
            raise bad("", f"缺少计收方式 {key}")
        where = f"{key} 的"
        raw = m.get("tiers")
        if not isinstance(raw, list) or not raw:
            raise bad(where, "tiers 为空")
        tiers: list[Tier] = []
        for i, t in enumerate(raw, 1):
            at = f"{where}第{i}档"
            if not isinstance(t, Mapping):
                raise bad(at, "不是对象")
            first, last, rate = t.get("from"), t.get("to"), t.get("rate")
            if not _whole(first) or not _whole(rate) or (last is not None and not _whole(last)):
                raise bad(at, "的 from/to/rate 应为非负整数（to 可为 null）")
            expected = tiers[-1].last + 1 if tiers else 1
            if first != expected:
                raise bad(at, f"应从 {expected} 开始（各档须从 1 起依次衔接），实为 {first}")
            if last is not None and last < first:
                raise bad(at, f"的 to（{last}）小于 from（{first}）")
            if tiers and rate < tiers[-1].rate:
                raise bad(at, "的单价低于上一档（超额累进，单价不应下降）")
            if tiers and tiers[-1].last is None:
                raise bad(at, "之前已有不设上限的档，不能再有后续档")
            tiers.append(Tier(first, last, rate))
        then = m.get("then")
        step = increase = None
        if then is not None:
            if tiers[-1].last is None:
                raise bad(where, "最后一档不设上限，不能再有 then 规则")
            if not isinstance(then, Mapping):
                raise bad(where, "then 规则应为对象")
            step, increase = then.get("step"), then.get("rate_increase")
            if not _whole(step) or step < 1 or not _whole(increase):
                raise bad(where, "then 规则的 step 应为正整数、rate_increase 应为非负整数")
        elif tiers[-1].last is not None:
            raise bad(where, "最后一档有上限，又没有 then 规则，超出部分无法计费")
        methods[key] = FeeMethod(
            key=key,
            label=str(m.get("label") or key),
            unit=str(m.get("unit") or ""),
            basis=str(m.get("basis") or ""),
            tiers=tuple(tiers),
            step=step,
            rate_increase=increase,
        )
    return FeeSchedule(source=str(data.get("source") or ""), methods=methods)


def _whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0
