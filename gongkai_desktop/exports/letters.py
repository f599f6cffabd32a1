"""依申请公开文书 (letters on disclosure applications) as PDF, from templates in resources/letters/.

Each template is a UTF-8 text file: a JSON header (title lines, addressee, 附注 note,
optional fields with defaults), a line ``---``, then one paragraph per line. In any line
``{field}`` is replaced by the context value; a line that starts with ``{?field}`` is
printed only when the field has a value, one with ``{!field}`` only when it has none;
lines starting with ``#`` are comments. Dates become 2026年3月5日. The signature (unit
name), the date and the 文号 are laid out by official_doc after GB/T 9704-2012.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..core.errors import ValidationError
from ..core.text_templates import read_template, titles
from ..paths import resource
from . import official_doc
from .official_doc import OfficialDoc, chinese_date
from .pdf_fonts import FontSet

LETTER_KINDS = {
    "receipt": "登记回执",
    "supplement": "补正告知书",
    "extension": "延期答复告知书",
    "consultation": "征求第三方意见书",
    "fee": "收费通知书",
    "answer_public": "答复告知书（已主动公开）",  # 条例第三十六条第一项
    "answer_disclose": "答复告知书（予以公开／部分公开）",  # 第二项、第三十七条
    "answer_refuse": "答复告知书（不予公开）",  # 第三项
    "answer_not_exist": "答复告知书（信息不存在）",  # 第四项
    "answer_not_ours": "答复告知书（不属于本机关公开）",  # 第五项
    "answer_repeat": "答复告知书（重复申请）",  # 第六项
    "answer_special_law": "答复告知书（另有特别规定）",  # 第七项
}
ALWAYS = ("unit_name", "letter_date")  # signature and 成文日期, laid out by code
FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
CONDITION = re.compile(r"^\{([?!])([a-z_][a-z0-9_]*)\}")
FEE_METHODS = {"piece": "按件", "page": "按量", "按件计收": "按件", "按量计收": "按量"}
# 文号: 机关代字〔年份〕序号号, no 第, no leading zeros (GB/T 9704 7.2.4).
DOC_NO = re.compile(
    r"^(?P<prefix>.*?)[〔［\[（(【](?P<year>\d{4})[〕］\]）)】](?P<di>第?)(?P<seq>\d+)号$"
)


@dataclass
class Template:
    kind: str
    title: list[str]
    addressee: str
    note: str
    optional: dict[str, str]
    lines: list[str]


def template_path(kind: str) -> Path:
    return resource("letters", f"{kind}.txt")


def load_template(kind: str) -> Template:
    if kind not in LETTER_KINDS:
        raise ValidationError(f"没有“{kind}”这种文书。可选：" + "、".join(LETTER_KINDS) + "。")
    return read_template(
        template_path(kind),
        "文书模板",
        lambda meta, lines: Template(
            kind=kind,
            title=titles(meta),
            addressee=str(meta.get("addressee", "")),
            note=str(meta.get("note", "")),
            optional={str(k): str(v) for k, v in meta.get("optional", {}).items()},
            lines=lines,
        ),
    )


def required_fields(kind: str) -> list[str]:
    """Context keys the letter cannot be made without, in the order they appear."""
    t = load_template(kind)
    seen: list[str] = []
    for line in [*t.title, t.addressee, t.note, *t.lines]:
        if CONDITION.match(line):
            continue  # its fields are needed only when the line is printed
        for name in FIELD.findall(line):
            if name not in seen and name not in t.optional:
                seen.append(name)
    return seen + [f for f in ALWAYS if f not in seen]


def field_labels() -> dict[str, str]:
    try:
        return json.loads(resource("letters", "fields.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}


def render_letter(
    kind: str,
    context: dict,
    out_path: str | os.PathLike | None = None,
    fontset: FontSet | None = None,
) -> bytes:
    """The PDF of letter *kind* for *context*; also written atomically to *out_path* if given.

    Raises ValidationError (Chinese, naming the letter and each missing field) before
    anything is written.
    """
    doc = build_document(kind, context)
    data = official_doc.render_to_bytes(doc, fontset)
    if out_path is not None:
        official_doc.write_atomic(out_path, data)
    return data


def build_document(kind: str, context: dict) -> OfficialDoc:
    """The letter as an OfficialDoc (placeholders filled, conditions applied)."""
    t = load_template(kind)
    values = {**t.optional}
    for key, value in context.items():
        text = _format(key, value)
        if text or key not in values:
            values[key] = text
    missing: list[str] = []

    def fill(line: str) -> str | None:
        while m := CONDITION.match(line):
            has = bool(values.get(m.group(2), ""))
            if has != (m.group(1) == "?"):
                return None
            line = line[m.end() :]
        for name in FIELD.findall(line):
            if not values.get(name) and name not in missing:
                missing.append(name)
        text = FIELD.sub(lambda m: values.get(m.group(1), ""), line)
        return text.replace("。。", "。").replace("：：", "：")

    title = [x for x in (fill(s) for s in t.title) if x is not None]
    addressee = fill(t.addressee) or ""
    note = fill(t.note) or ""
    body: list[str] = []
    for line in t.lines:
        text = fill(line)
        if text is not None:
            body += [p.strip() for p in text.split("\n") if p.strip()]
    for name in ALWAYS:
        if not values.get(name) and name not in missing:
            missing.append(name)
    if missing:
        labels = field_labels()
        names = "、".join(f"“{labels.get(n, n)}”（{n}）" for n in missing)
        raise ValidationError(
            f"无法生成《{LETTER_KINDS[kind]}》：缺少{names}。请先在申请的办理记录中填写，再生成文书。"
        )
    _check(kind, context)
    return OfficialDoc(
        title=[line for s in title for line in s.split("\n")],
        body=body,
        doc_no=normalise_doc_no(values.get("doc_no", "")),
        addressee=addressee,
        signature=values["unit_name"],
        date=values["letter_date"],
        note=note,
        subject=LETTER_KINDS[kind],
    )


def _check(kind: str, context: dict) -> None:
    if kind == "extension":
        try:
            days = int(context.get("extension_days"))
        except (TypeError, ValueError) as e:
            raise ValidationError("延长的工作日数应为整数，例如 10。") from e
        if not 1 <= days <= 20:  # 条例第三十三条第二款
            raise ValidationError(
                f"延长答复期限为{days}个工作日，不符合规定：延长的期限最长不得超过20个工作日"
                "（政府信息公开条例第三十三条）。"
            )


def normalise_doc_no(doc_no: str) -> str:
    """厦人社依申[2026]12号 -> 厦人社依申〔2026〕12号; 第 and leading zeros are refused."""
    doc_no = (doc_no or "").strip()
    if not doc_no:
        return ""
    m = DOC_NO.match(doc_no)
    if not m:
        return doc_no  # a form we do not recognise is printed as the clerk wrote it
    right = f"{m['prefix']}〔{m['year']}〕{int(m['seq'])}号"
    if m["di"] or m["seq"].startswith("0"):
        raise ValidationError(
            f"文号“{doc_no}”不符合公文格式：年份用六角括号“〔〕”，序号不加“第”字、"
            f"不编虚位（不写前导0）。应写成“{right}”。"
        )
    return right


def _format(key: str, value) -> str:
    """A context value as printed text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return chinese_date(value.date())
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal, float)):
        return _number(value)
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value if str(v).strip()]
        if len(items) == 1:
            return items[0]
        return "\n".join(f"（{i}）{item}" for i, item in enumerate(items, start=1))
    text = str(value).strip()
    if key == "fee_method":
        return FEE_METHODS.get(text, text)
    if _is_date_key(key) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            return chinese_date(date.fromisoformat(_pad_iso(text)))
        except ValueError as e:
            raise ValidationError(
                f"日期“{text}”不存在，请检查后重新填写（例如 2026-03-05）。"
            ) from e
    return text


def _is_date_key(key: str) -> bool:
    return key.endswith(("_date", "_due", "_deadline"))


def _pad_iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _number(value) -> str:
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return f"{d.quantize(Decimal('0.01'))}"
