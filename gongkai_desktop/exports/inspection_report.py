"""半年重点检查报告 (half-yearly key inspection report) as PDF, from resources/reports/key_inspection.txt.

Seed item 30: the supervisory group inspects the office every half year and writes a
report. The template has the letters' format (exports/letters.py): a JSON header
(title lines, signature, optional fields with defaults), a line ``---``, then one
paragraph per line with ``{field}``, ``{?field}`` and ``{!field}``. The title, the
signature (监督小组) and the date are laid out by official_doc after GB/T 9704-2012.

The context (core.inspections.report_context): unit_name, year, half (1/2),
inspection_date (or on_date), team, scope, findings, conclusion, rectifications (dicts
with problem, responsible, measure, due_date and optionally done_date), report_date
(成文日期; default the inspection date), the unit's public channels (consult_phone,
complaint_phone, report_phone, opinion_box, online_channel, or a ``channels`` dict), and
the half-year's figures (``patrols`` list, ``complaints`` and ``opinions`` dicts) when given.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.errors import UserError, ValidationError
from ..core.text_templates import read_template, titles
from ..paths import resource
from . import official_doc
from .letters import CONDITION, FIELD
from .official_doc import HEADING_1, OfficialDoc, chinese_date
from .pdf_fonts import FontSet

HALF_NAMES = {1: "上半年", 2: "下半年"}
REPORT_NAME = "半年重点检查报告"
# Fields the report cannot be made without (issue 4: findings and conclusion required).
REQUIRED = {
    "unit_name": "单位名称",
    "year": "年度",
    "half": "上半年或下半年",
    "inspection_date": "检查日期",
    "team": "检查组成员",
    "findings": "发现的问题",
    "conclusion": "检查结论",
}
NO_PROBLEM = ("", "无", "未发现问题")
CHANNELS = (  # seed item 24: published consultation, complaint and report channels
    ("consult_phone", "咨询电话"),
    ("complaint_phone", "投诉电话"),
    ("report_phone", "举报电话"),
    ("opinion_box", "意见箱（{}）"),
    ("online_channel", "网上渠道（{}）"),
)


@dataclass
class ReportTemplate:
    title: list[str]
    signature: str
    optional: dict[str, str]
    lines: list[str]


def template_path() -> Path:
    return resource("reports", "key_inspection.txt")


def load_template() -> ReportTemplate:
    return read_template(
        template_path(),
        "报告模板",
        lambda meta, lines: ReportTemplate(
            title=titles(meta),
            signature=str(meta.get("signature", "政务公开监督小组")),
            optional={str(k): str(v) for k, v in meta.get("optional", {}).items()},
            lines=lines,
        ),
    )


def render_key_inspection_report(
    context: dict,
    out_path: str | os.PathLike | None = None,
    fontset: FontSet | None = None,
) -> bytes:
    """The report's PDF for *context*; also written atomically to *out_path* if given.

    Raises ValidationError (Chinese, naming each missing item) before anything is written.
    """
    data = official_doc.render_to_bytes(build_report(context), fontset)
    if out_path is not None:
        official_doc.write_atomic(out_path, data)
    return data


def report_title(unit_name: str, year: int, half: int) -> str:
    """e.g. 厦门市人力资源和社会保障局政务公开工作2026年上半年重点检查报告"""
    return f"{unit_name}政务公开工作{year}年{HALF_NAMES.get(half, '')}重点检查报告"


def build_report(context: dict) -> OfficialDoc:
    """The report as an OfficialDoc (placeholders filled, conditions applied)."""
    t = load_template()
    values = dict(t.optional)
    for key, value in _prepare(context).items():
        text = _format(value)
        if text or key not in values:
            values[key] = text
    missing = [label for key, label in REQUIRED.items() if not values.get(key)]
    if missing:
        raise ValidationError(
            f"无法生成《{REPORT_NAME}》：缺少" + "、".join(f"“{m}”" for m in missing) + "。"
            "请先在“监督检查”中把这次重点检查的记录填写完整，再生成报告。"
        )
    unknown: list[str] = []

    def fill(line: str) -> str | None:
        while m := CONDITION.match(line):
            if bool(values.get(m.group(2))) != (m.group(1) == "?"):
                return None
            line = line[m.end() :]
        for name in FIELD.findall(line):
            if name not in values and name not in unknown:
                unknown.append(name)
        text = FIELD.sub(lambda m: values.get(m.group(1), ""), line)
        return text.replace("。。", "。").replace("：：", "：")

    title = [x for x in (fill(s) for s in t.title) if x]
    body: list[str] = []
    for line in t.lines:
        text = fill(line)
        if text is not None:
            body += [p.strip() for p in text.split("\n") if p.strip()]
    body = _renumber(body)
    if unknown:
        raise UserError(
            f"报告模板“{template_path().name}”里有不认识的字段："
            + "、".join("{" + n + "}" for n in unknown)
            + "。请改正模板，可用的字段见模板开头的说明。"
        )
    signature = fill(t.signature) or ""
    return OfficialDoc(
        title=title,
        body=body,
        signature=signature,
        date=values.get("report_date") or values["inspection_date"],
        subject=REPORT_NAME,
    )


def _prepare(context: dict) -> dict:
    """The template's fields from a report context (dates as dates, lists as paragraphs)."""
    ctx = dict(context)
    if not ctx.get("inspection_date") and ctx.get("on_date"):
        ctx["inspection_date"] = ctx["on_date"]
    when = _as_date(ctx.get("inspection_date"), "检查日期")
    ctx["inspection_date"] = when
    if ctx.get("report_date"):
        ctx["report_date"] = _as_date(ctx["report_date"], "报告日期")
    half = ctx.get("half")
    if half in (None, "") and when:
        half = 1 if when.month <= 6 else 2
    try:
        half = int(half) if half not in (None, "") else None
    except (TypeError, ValueError):
        half = None
    if half is not None and half not in HALF_NAMES:
        raise ValidationError(f"半年只能是 1（上半年）或 2（下半年），现在是“{ctx.get('half')}”。")
    ctx["half"] = half
    ctx["half_name"] = HALF_NAMES.get(half, "")
    if not ctx.get("year") and when:
        ctx["year"] = when.year
    ctx["year"] = str(ctx["year"]) if ctx.get("year") else ""
    rects = [r for r in ctx.get("rectifications") or [] if r]
    ctx["rectifications"] = "\n".join(
        _rectification_line(i, r) for i, r in enumerate(rects, start=1)
    )
    ctx["rect_count"] = str(len(rects)) if rects else ""
    for key in ("findings", "conclusion", "team", "scope"):
        v = ctx.get(key)
        if isinstance(v, list | tuple):
            ctx[key] = "\n".join(str(x) for x in v if str(x).strip())
    channels = ctx.get("channels")
    if isinstance(channels, dict):  # report_context gives the profile's channels as a dict
        ctx |= {k: v for k, v in channels.items() if not ctx.get(k)}
        channels = ""
    ctx["channels"] = channels or "；".join(
        label.format(str(ctx[k]).strip()) if "{}" in label else f"{label}{str(ctx[k]).strip()}"
        for k, label in CHANNELS
        if str(ctx.get(k) or "").strip()
    )
    ctx |= _summaries(ctx)
    return ctx


NUMERALS = "一二三四五六七八九十"


def _renumber(body: list[str]) -> list[str]:
    """一、二、… in the order the headings are printed (a section left out leaves no gap)."""
    out, n = [], 0
    for text in body:
        m = HEADING_1.match(text)
        if m:
            n += 1
            numeral = NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]
            text = f"{numeral}、{text[m.end() :]}"
        out.append(text)
    return out


def _summaries(ctx: dict) -> dict:
    """patrol_summary, complaint_summary, opinion_summary: the half-year's figures
    (report_context's patrols, complaints and opinions) as sentences; "" when absent."""
    out = {}
    half = ctx.get("half_name") or "本半年"
    if isinstance(ctx.get("patrols"), list | tuple):
        found = [
            p for p in ctx["patrols"] if str(p.get("findings") or "").strip() not in NO_PROBLEM
        ]
        n = len(ctx["patrols"])
        out["patrol_summary"] = (
            f"{half}开展日常巡查{n}次，其中{len(found)}次发现问题。"
            if n
            else f"{half}没有日常巡查记录。"
        )
    c = ctx.get("complaints")
    if isinstance(c, dict):
        if not c.get("received"):
            out["complaint_summary"] = f"{half}未收到咨询、投诉、举报和意见建议。"
        else:
            kinds = "、".join(f"{k}{n}件" for k, n in (c.get("by_kind") or {}).items() if n)
            text = f"{half}共收到咨询、投诉、举报和意见建议{c['received']}件"
            text += f"（{kinds}）" if kinds else ""
            text += f"，已答复{c.get('replied', 0)}件，其中按时答复{c.get('on_time', 0)}件"
            text += f"、逾期答复{c.get('late', 0)}件" if c.get("late") else ""
            if c.get("pending"):
                text += f"；尚未答复{c['pending']}件"
                text += f"，其中超过30日答复期限{c['overdue']}件" if c.get("overdue") else ""
            out["complaint_summary"] = text + "。"
    o = ctx.get("opinions")
    if isinstance(o, dict) and o.get("forwarded"):
        text = f"转送主要负责人的意见建议{o['forwarded']}件，主要负责人已答复或说明{o.get('answered', 0)}件"
        text += f"（其中超过30日{o['answered_late']}件）" if o.get("answered_late") else ""
        text += f"，待答复{o['pending']}件" if o.get("pending") else ""
        out["opinion_summary"] = text + "。"
    out["work_summary"] = "\n".join(out.values())
    return out


def _rectification_line(n: int, r: dict) -> str:
    """1.问题。整改措施：…；责任人：…；完成时限：2026年7月31日。"""
    problem = str(r.get("problem", "")).strip().rstrip("。；;")
    parts = []
    if str(r.get("measure", "")).strip():
        parts.append(f"整改措施：{str(r['measure']).strip().rstrip('。；;')}")
    parts.append(f"责任人：{str(r.get('responsible', '')).strip()}")
    due = r.get("due_date")
    if due:
        parts.append(f"完成时限：{chinese_date(_as_date(due, '整改期限'))}")
    done = r.get("done_date")
    if done:
        parts.append(f"已于{chinese_date(_as_date(done, '完成日期'))}完成")
    return f"{n}.{problem}。" + "；".join(parts) + "。"


def _as_date(value, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if not m:
            raise ValueError(text)
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as e:
        raise ValidationError(f"{label}“{text}”不是有效日期，请写成 2026-06-20 这样的格式。") from e


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return chinese_date(value.date())
    if isinstance(value, date):
        return chinese_date(value)
    return str(value).strip()
