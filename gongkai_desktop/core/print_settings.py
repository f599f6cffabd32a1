"""打印设置 (print settings): the chosen PDF font and the 套打 offsets per printer.

Issue 7 §3–§4: a font the user chose comes first in the font order (exports/pdf_fonts.py);
overprinting on pre-printed forms (套打) is corrected by an X/Y offset in millimetres,
saved per printer after one calibration print. Both live in the settings table; each
save is one transaction with an audit row.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from . import audit, profile
from .db import transaction
from .errors import ValidationError

FONT_KEY = "pdf_font"
OFFSETS_KEY = "print_offsets"
DEFAULT_PRINTER = "默认打印机"
MAX_OFFSET_MM = 30.0  # a larger shift means the wrong form or paper, not a printer drift


def _get(db: sqlite_utils.Database, key: str):
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else None


def _put(db: sqlite_utils.Database, key: str, value, who: str | None) -> None:
    before = _get(db, key)
    with transaction(db):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value, ensure_ascii=False)],
        )
        audit.record(db, who or profile.operator(db), "settings", key,
                     "update" if before is not None else "insert", before, value)  # fmt: skip


# -- the chosen font -----------------------------------------------------------------------


def font_path(db: sqlite_utils.Database) -> str:
    """The TrueType file the clerk chose, or "" for automatic choice."""
    return str(_get(db, FONT_KEY) or "")


def save_font(db: sqlite_utils.Database, path: str | Path | None, who: str | None = None) -> str:
    """Save the chosen font file ("" or None: choose automatically again)."""
    text = str(path or "").strip()
    if text:
        p = Path(text)
        if p.suffix.lower() not in (".ttf", ".ttc"):
            raise ValidationError(f"字体文件“{p.name}”不是 TrueType 字体（.ttf 或 .ttc），"
                                  "请选择宋体、仿宋等 .ttf/.ttc 文件。")  # fmt: skip
        if not p.is_file():
            raise ValidationError(f"找不到字体文件“{text}”，请重新选择。")
        text = str(p.resolve())
    _put(db, FONT_KEY, text, who)
    return text


# -- 套打 offsets --------------------------------------------------------------------------


def offsets(db: sqlite_utils.Database) -> dict[str, tuple[float, float]]:
    """Printer name -> (x_mm, y_mm); x to the right, y downwards on the sheet."""
    saved = _get(db, OFFSETS_KEY) or {}
    return {k: (float(v["x_mm"]), float(v["y_mm"])) for k, v in saved.items()}


def offset(db: sqlite_utils.Database, printer: str | None = None) -> tuple[float, float]:
    """The saved offset for *printer*, (0, 0) when none was saved."""
    return offsets(db).get((printer or "").strip() or DEFAULT_PRINTER, (0.0, 0.0))


def _mm(value, label: str) -> float:
    try:
        v = round(float(str(value).strip() or 0), 1)
    except ValueError:
        raise ValidationError(f"{label}“{value}”不是数字，请填写毫米数，例如 1.5 或 -2。") from None
    if abs(v) > MAX_OFFSET_MM:
        raise ValidationError(f"{label} {v} 毫米太大（最多 ±{MAX_OFFSET_MM:g} 毫米），"
                              "请检查纸张和表格是否放对，再打印校准页重新量。")  # fmt: skip
    return v


def save_offset(db: sqlite_utils.Database, printer: str | None, x_mm, y_mm,
                who: str | None = None) -> tuple[float, float]:  # fmt: skip
    """Save the 套打 offset of *printer*; positive x moves right, positive y moves down."""
    name = (printer or "").strip() or DEFAULT_PRINTER
    value = (_mm(x_mm, "左右偏移"), _mm(y_mm, "上下偏移"))
    saved = dict(_get(db, OFFSETS_KEY) or {})
    saved[name] = {"x_mm": value[0], "y_mm": value[1]}
    _put(db, OFFSETS_KEY, saved, who)
    return value
