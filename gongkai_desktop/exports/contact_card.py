"""公开工作机构信息 (contact card) as a PDF notice for the bulletin board.

Seed 三(一)5 and 考核表第3项: the working body's name, head, address, office hours,
phone, fax and e-mail are published, with the consultation and complaint lines and the
opinion box (seed item 24). The card dict is core/unit_records' (CARD_FIELDS); the
notice is laid out by exports/official_doc after GB/T 9704-2012, signed by the unit and
dated the day it is published.
"""

from __future__ import annotations

import os
from datetime import date

from ..core.errors import ValidationError
from ..core.unit_records import CARD_FIELDS, CARD_TITLE
from . import official_doc
from .official_doc import OfficialDoc, Paragraph
from .pdf_fonts import FontSet

INTRO = (
    "为方便公民、法人和其他组织获取政府信息，咨询、监督政务公开工作，"
    "现将本单位政务公开工作机构的有关信息公布如下："
)
CLOSING = "欢迎社会各界通过以上方式咨询政务公开事项、提出意见和建议。"


def build_notice(card: dict, unit_name: str, on: date | None = None) -> OfficialDoc:
    """The notice as an OfficialDoc: one line per filled field of the card."""
    if not str(card.get("name") or "").strip():
        raise ValidationError(
            "公开工作机构信息还没有填写机构名称，请先在“机构与会议”中填写后再生成告示。"
        )
    published = card.get("published_date")
    day = on or (date.fromisoformat(published) if published else date.today())
    body: list[str | Paragraph] = [INTRO]
    for key, label in CARD_FIELDS.items():
        value = str(card.get(key) or "").strip()
        if value:
            body.append(Paragraph(f"{label}：{value}"))
    body.append(CLOSING)
    return OfficialDoc(
        title=[unit_name, CARD_TITLE] if unit_name else [CARD_TITLE],
        body=body,
        signature=unit_name,
        date=day,
        subject=CARD_TITLE,
    )


def render_contact_card(
    card: dict,
    unit_name: str,
    out_path: str | os.PathLike | None = None,
    *,
    on: date | None = None,
    fontset: FontSet | None = None,
) -> bytes:
    """The notice's PDF; also written atomically to *out_path* if given. Dated *on*, else
    the card's published_date, else today."""
    data = official_doc.render_to_bytes(build_notice(card, unit_name, on), fontset)
    if out_path is not None:
        official_doc.write_atomic(out_path, data)
    return data
