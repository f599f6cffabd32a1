"""隐去身份证号和电话 (masking): applicants' ID and phone numbers in ledgers sent upward.

A ledger e-mailed to the leading group shows ``3502**********1234`` for an ID number
and ``138****5678`` for a mobile number (issue 8 §2, 个人信息保护法第五十一条). The
clerk's own copy in the program is never changed; only the exported text is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

# 18-digit resident ID (GB 11643: last character may be X), or the old 15-digit one;
# not part of a longer run of digits (an index number or a credit code stays as it is).
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mainland mobile numbers, optionally +86/86 in front; landlines with an area code.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<![\d-])(0\d{2,3}[- ]?\d{7,8})(?![\d-])")


def _stars(text: str, keep_head: int, keep_tail: int) -> str:
    if len(text) <= keep_head + keep_tail:
        return "*" * len(text)
    return text[:keep_head] + "*" * (len(text) - keep_head - keep_tail) + text[-keep_tail:]


def mask_id(s: str) -> str:
    """'350203199001011234' → '3502**********1234' (first 4 and last 4 kept)."""
    s = (s or "").strip()
    return _stars(s, 4, 4) if s else s


def mask_phone(s: str) -> str:
    """'13812345678' → '138****5678': the first 3 and last 4 digits kept, separators dropped."""
    s = (s or "").strip()
    digits = re.sub(r"[^\d]", "", s)
    if not digits:
        return s
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return _stars(digits, 3, 4)


def mask_text(s: str | None) -> str | None:
    """Every ID number and phone number found inside free text, masked; the rest unchanged."""
    if not s or not isinstance(s, str):
        return s
    out = _ID.sub(lambda m: mask_id(m.group(1)), s)
    out = _MOBILE.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + mask_phone(m.group(1)), out)
    return _LANDLINE.sub(lambda m: mask_phone(m.group(1)), out)


def has_unmasked(s: str | None) -> bool:
    """True when *s* still holds a full ID or phone number (for checks and tests)."""
    if not s or not isinstance(s, str):
        return False
    return bool(_ID.search(s) or _MOBILE.search(s) or _LANDLINE.search(s))


def mask_rows(rows: Iterable[Sequence]) -> Iterator[tuple]:
    """Ledger rows with every text cell passed through mask_text (dates and numbers kept)."""
    for row in rows:
        yield tuple(mask_text(v) if isinstance(v, str) else v for v in row)
