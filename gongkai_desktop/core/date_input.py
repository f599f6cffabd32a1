"""A date typed or imported into a form field: a date, ISO text, or empty."""

from __future__ import annotations

from datetime import date
from typing import Any

from .errors import ValidationError


def as_date(
    value: Any, label: str, required: bool = True, *, example: str = "2026-03-15"
) -> date | None:
    """A date from a date or ISO text; ValidationError naming *label* otherwise (the fix
    shown as *example*). Empty is None, or refused when *required*."""
    if value in (None, ""):
        if required:
            raise ValidationError(f"请填写“{label}”。")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"“{label}”的日期“{value}”无法识别，请写成 {example} 这样的格式。"
        ) from None


def as_iso(
    value: Any, label: str, required: bool = True, *, example: str = "2026-03-15"
) -> str | None:
    """as_date as ISO text (None when empty and not required)."""
    d = as_date(value, label, required, example=example)
    return d.isoformat() if d else None
