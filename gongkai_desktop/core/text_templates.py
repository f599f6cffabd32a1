"""Text templates under resources/ (letters, reports): a JSON header with "title", a line
``---``, then one paragraph per line (blank lines and ``#`` comments skipped)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import UserError

T = TypeVar("T")


def titles(meta: dict) -> list[str]:
    """The header's "title": one string, or one string per title line."""
    title = meta["title"]
    return [title] if isinstance(title, str) else [str(t) for t in title]


def read_template(
    path: Path, what: str, build: Callable[[dict, list[str]], T], *, hint: str = ""
) -> T:
    """``build(meta, lines)`` of the template at *path* (*what* names it in messages); a
    header *build* cannot read is refused with the expected layout (and *hint*)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise UserError(f"找不到{what}“{path}”（{e.strerror}），请重新安装本软件。") from e
    head, sep, body = text.partition("\n---")
    lines = [ln.strip() for ln in body.partition("\n")[2].splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    try:
        if not sep:
            raise ValueError("缺少分隔行“---”")
        return build(json.loads(head), lines)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise UserError(
            f"{what}“{path.name}”的开头部分有误（{e}）。开头应是含“title”的 JSON，"
            f"其后一行“---”，再写正文{hint}。"
        ) from e
