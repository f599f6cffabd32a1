"""档号 (archive numbers) by DA/T 22-2015, pure functions (RULES.md §8).

档号 = 全宗号-WS·年度-保管期限代码-机构（问题）代码-件号, for example
``X001-WS·2026-D30-BGS-0007``. The 机构（问题）code is left out when the unit does
not classify by it: ``X001-WS·2026-D30-0007``. 件号 has four digits.
"""

from __future__ import annotations

import re

from .errors import ValidationError

RETENTIONS = ("永久", "定期30年", "定期10年")
RETENTION_CODES = {"永久": "Y", "定期30年": "D30", "定期10年": "D10"}  # DA/T 22-2015
DOC_CLASS = "WS"  # 文书
_ORG_CODE = re.compile(r"^[A-Z0-9]{1,10}$")


def check_retention(retention: str) -> str:
    if retention not in RETENTION_CODES:
        raise ValidationError(f"保管期限“{retention}”无效，应为：" + "、".join(RETENTIONS) + "。")
    return retention


def check_org_code(code: str) -> str:
    """A 机构（问题）code: capital letters or digits, e.g. BGS; '' when codes are not used."""
    code = str(code or "").strip().upper()
    if code and not _ORG_CODE.match(code):
        raise ValidationError(
            f"机构（问题）代码“{code}”无效：请用 1 到 10 位大写字母或数字，例如 BGS（办公室）。"
        )
    return code


def archive_no(fonds_no: str, year: int, retention: str, piece_no: int, org_code: str = "") -> str:
    """The 档号 of one piece.

    >>> archive_no("X001", 2026, "定期30年", 7, "BGS")
    'X001-WS·2026-D30-BGS-0007'
    >>> archive_no("X001", 2026, "永久", 12)
    'X001-WS·2026-Y-0012'
    """
    fonds_no = str(fonds_no or "").strip()
    if not fonds_no:
        raise ValidationError("请先在“单位信息”中填写全宗号，档号以全宗号开头。")
    if not 1 <= int(piece_no) <= 9999:
        raise ValidationError(f"件号 {piece_no} 超出范围：件号为四位数字（0001—9999）。")
    parts = [fonds_no, f"{DOC_CLASS}·{int(year)}", RETENTION_CODES[check_retention(retention)]]
    org = check_org_code(org_code)
    if org:
        parts.append(org)
    parts.append(f"{int(piece_no):04d}")
    return "-".join(parts)


def explain(fonds_no: str, year: int, retention: str, piece_no: int, org_code: str = "") -> str:
    """How the 档号 is built, in words for the clerk."""
    org = check_org_code(org_code)
    parts = [f"全宗号 {fonds_no}", f"文书 WS·年度 {year}",
             f"保管期限 {retention}（{RETENTION_CODES[check_retention(retention)]}）"]  # fmt: skip
    if org:
        parts.append(f"机构（问题）{org}")
    parts.append(f"件号 {int(piece_no):04d}")
    return (
        f"档号 {archive_no(fonds_no, year, retention, piece_no, org)} = "
        + " - ".join(parts)
        + "（DA/T 22-2015）"
    )
