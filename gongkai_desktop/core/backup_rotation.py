"""备份文件夹 (the backup folder): backup names, the list, and 7/4/12 rotation.

Issue 9: the folder keeps the last 7 daily, 4 weekly and 12 monthly copies. A backup is
named ``<db stem>_<YYYYmmdd-HHMMSS>_<reason>.db``, so the folder itself is the catalogue.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
REASONS = {
    "daily": "每日自动备份",
    "manual": "手动备份",
    "migration": "升级前自动备份",
    "import": "导入前自动备份",
    "restore": "恢复前自动备份",
    "command": "命令行备份",
}
KEPT_BY_HAND = ("manual", "command")  # the clerk's own copies: rotation never deletes them
_NAME = re.compile(r"^(?P<stem>.+)_(?P<ts>\d{8}-\d{6})_(?P<code>[^_.]+)(?:\.(?P<n>\d+))?\.db$")
_TS = "%Y%m%d-%H%M%S"


def _parse(path: Path) -> tuple[str, datetime, str] | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        taken = datetime.strptime(m["ts"], _TS)
    except ValueError:
        return None
    return m["stem"], taken, m["code"]


def list_backups(folder: str | Path, stem: str | None = None) -> list[dict]:
    """The backups in *folder*, newest first: path, taken_at, size, reason (Chinese), code."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.iterdir():
        parsed = _parse(p)
        if parsed is None or not p.is_file() or (stem is not None and parsed[0] != stem):
            continue
        code = parsed[2]
        out.append({"path": p, "taken_at": parsed[1], "size": p.stat().st_size,
                    "reason": REASONS.get(code, code), "code": code})  # fmt: skip
    out.sort(key=lambda b: (b["taken_at"], b["path"].name), reverse=True)
    return out


_PERIODS = (
    ("daily", KEEP_DAILY, lambda t: t.date()),
    ("weekly", KEEP_WEEKLY, lambda t: t.isocalendar()[:2]),
    ("monthly", KEEP_MONTHLY, lambda t: (t.year, t.month)),
)


def retention(backups: list[dict]) -> dict[Path, str]:
    """Which backups rotation keeps, and by which rule (after `borg prune`).

    Newest first, each rule keeps the newest backup of each period not already kept by
    an earlier rule, until it has its count: 7 days, then 4 weeks, then 12 months. All
    of the newest day's backups stay until a later day has one (the one just restored
    from, the one before an import). Manual and command-line copies are always kept.
    """
    ordered = sorted(backups, key=lambda b: (b["taken_at"], b["path"].name), reverse=True)
    kept: dict[Path, str] = {b["path"]: "manual" for b in ordered if b["code"] in KEPT_BY_HAND}
    auto = [b for b in ordered if b["code"] not in KEPT_BY_HAND]
    for rule, count, period in _PERIODS:
        last, n = None, 0
        for b in auto:
            if n >= count:
                break
            key = period(b["taken_at"])
            if key == last:
                continue
            last = key
            if b["path"] not in kept:
                kept[b["path"]] = rule
                n += 1
    if auto:
        newest_day = auto[0]["taken_at"].date()
        for b in auto:
            if b["taken_at"].date() == newest_day:
                kept.setdefault(b["path"], "daily")
    return kept


def rotate(folder: str | Path) -> list[Path]:
    """Delete the automatic backups the 7/4/12 rule no longer keeps; returns them.

    Only files named like our backups are touched, each database stem on its own. The
    rule counts periods that have a backup, so a PC left off for a month loses nothing.
    """
    removed: list[Path] = []
    backups = list_backups(folder)
    for stem in {_parse(b["path"])[0] for b in backups}:
        mine = [b for b in backups if _parse(b["path"])[0] == stem]
        keep = retention(mine)
        for b in mine:
            if b["path"] not in keep:
                try:
                    b["path"].unlink()
                    removed.append(b["path"])
                except OSError:
                    pass  # a copy open elsewhere stays until next time
    return removed
