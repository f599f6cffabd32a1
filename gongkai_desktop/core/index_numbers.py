"""索引号 generation from the unit's pattern (RULES.md §2: 索引号 from a configurable pattern).

Placeholders: {全宗号}, {年}, {分类} (category code), {序号} (serial in the year,
5 digits) or {序号:N} for N digits. The serial is never reused: the last one
issued per year is kept in settings.
"""

from __future__ import annotations

import re

import sqlite_utils

from .errors import ValidationError

_TOKEN = re.compile(r"\{([^{}:]+)(?::(\d+))?\}")
KNOWN = ("全宗号", "年", "分类", "序号")


def check_pattern(pattern: str, label: str = "索引号规则") -> None:
    names = [m.group(1) for m in _TOKEN.finditer(pattern)]
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        raise ValidationError(
            f"{label}里有不认识的占位符 {{{unknown[0]}}}。可用的有：" + "、".join(f"{{{k}}}" for k in KNOWN) + "。"
        )
    if "序号" not in names:
        raise ValidationError(f"{label}必须包含 {{序号}}，否则编号会重复。例如：{{全宗号}}-{{分类}}-{{年}}-{{序号}}")


def render(pattern: str, *, fonds_no: str, year: int, category_code: str, serial: int) -> str:
    def sub(m: re.Match) -> str:
        name, width = m.group(1), m.group(2)
        if name == "序号":
            return str(serial).zfill(int(width or 5))
        return {"全宗号": fonds_no, "年": str(year), "分类": category_code}[name]

    return _TOKEN.sub(sub, pattern)


def next_serial(db: sqlite_utils.Database, year: int, counter: str = "index_serial") -> int:
    """Reserve the next serial of *counter* for *year*. Call inside the insert's transaction."""
    key = f"{counter}:{year}"
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    n = int(row[0]) + 1 if row else 1
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, str(n)],
    )
    return n
