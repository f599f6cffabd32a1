"""The large database the export, backup and workbench benchmarks share. Not a test.

    python3 benchmarks/bench_db.py                       # build it and print its size
    python3 benchmarks/bench_db.py --items 5000 --applications 500

demo (core.demo.build_demo: one year of a real-looking office) + core.demo.bulk_items
(default 20,000 registry items, all in the demo year, so a year's export is the
largest it can be) + applications cloned from the demo's own rows (default: the year
holds 2,000), each clone with its events, pauses and appeals, so every clock and
ledger column reads real values. Built in a child process (synchronous=OFF on that
connection only) so the parent's peak memory is the application's, not the build's;
kept under /tmp/gongkai_bench and reused while its parameters match.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import unicodedata
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkai_desktop.core.db import connect  # noqa: E402

DIR = Path(tempfile.gettempdir()) / "gongkai_bench"
ITEMS, APPLICATIONS = 20_000, 2_000
_APP_CHILDREN = ("app_events", "app_pauses", "appeals")


def db_path(folder: Path, items: int, applications: int, today: date) -> Path:
    return folder / f"large_{items}_{applications}_{today:%Y%m%d}.db"


def ensure(
    items: int = ITEMS,
    applications: int = APPLICATIONS,
    today: date | None = None,
    folder: Path = DIR,
    *,
    rebuild: bool = False,
) -> Path:
    """The database for these parameters, built (in a child process) if missing."""
    today = today or date.today()
    folder.mkdir(parents=True, exist_ok=True)
    path = db_path(folder, items, applications, today)
    if rebuild or not path.exists():
        print(f"建库：演示数据 + {items:,} 条事项 + {applications:,} 件申请 → {path}")
        child = [sys.executable, __file__, "--build-only", "--items", str(items),
                 "--applications", str(applications), "--today", today.isoformat(),
                 "--dir", str(folder)]  # fmt: skip
        subprocess.run(child, check=True)
    return path


def build(path: Path, items: int, applications: int, today: date) -> None:
    """Run in a child process: demo + bulk items + cloned applications, then checkpoint."""
    from gongkai_desktop.core.demo import build_demo, bulk_items

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    build_demo(path, today=today)
    db = connect(path)
    db.execute("PRAGMA synchronous = OFF")  # this build only; the app keeps NORMAL
    bulk_items(db, items, today.year, today.year, today=today)
    clone_applications(db, applications, today.year)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    size = path.stat().st_size / 2**20
    print(f"  建库 {time.perf_counter() - t0:.1f} s，文件 {size:,.1f} MB")


def clone_applications(db, target: int, year: int) -> int:
    """Copy the year's demo applications (with their children) until the year holds
    *target*. Bench setup only: one audit row for the lot, as bulk_items does."""
    from gongkai_desktop.core import audit
    from gongkai_desktop.core.application_store import fts_tokens
    from gongkai_desktop.core.db import transaction

    cols = [r[1] for r in db.execute("PRAGMA table_info(applications)").fetchall()]
    src = [dict(zip(cols, r, strict=True)) for r in db.execute(
        "SELECT * FROM applications WHERE year = ? ORDER BY id", [year]).fetchall()]  # fmt: skip
    need = target - len(src)
    if need <= 0 or not src:
        return 0
    kids = {}
    for t in _APP_CHILDREN:
        kc = [r[1] for r in db.execute(f"PRAGMA table_info({t})").fetchall()]
        kids[t] = (kc, {})
        for r in db.execute(f"SELECT * FROM {t}").fetchall():
            row = dict(zip(kc, r, strict=True))
            kids[t][1].setdefault(row["app_id"], []).append(row)
    with transaction(db):
        next_id = db.execute("SELECT max(id) + 1 FROM applications").fetchone()[0]
        serial = len(src) + 1000  # app_no 2026-1043…, clear of the demo's 2026-0001…
        for k in range(need):
            row = dict(src[k % len(src)], id=next_id + k, app_no=f"{year}-{serial + k:04d}")
            db.execute(f"INSERT INTO applications({', '.join(cols)}) VALUES "
                       f"({', '.join('?' * len(cols))})", [row[c] for c in cols])  # fmt: skip
            db.execute("INSERT INTO applications_fts(rowid, tokens) VALUES (?, ?)",
                       [row["id"], fts_tokens(row)])  # fmt: skip
            for t, (kc, by_app) in kids.items():
                for child in by_app.get(src[k % len(src)]["id"], []):
                    vals = [row["id"] if c == "app_id" else child[c] for c in kc if c != "id"]
                    db.execute(f"INSERT INTO {t}({', '.join(c for c in kc if c != 'id')}) "
                               f"VALUES ({', '.join('?' * (len(kc) - 1))})", vals)  # fmt: skip
        audit.record(db, "批量载入", "applications", f"{next_id}-{next_id + need - 1}", "insert",
                     None, {"批量载入": need, "用途": "基准测试的合成数据（复制演示申请）"})  # fmt: skip
    return need


def describe(path: Path, year: int) -> str:
    c = sqlite3.connect(str(path))
    try:
        n = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("items", "applications", "complaints", "archive_pieces")}  # fmt: skip
        open_items = c.execute(
            "SELECT count(*) FROM items WHERE published_date IS NULL").fetchone()[0]  # fmt: skip
        open_apps = c.execute(
            "SELECT count(*) FROM applications WHERE closed_date IS NULL").fetchone()[0]  # fmt: skip
    finally:
        c.close()
    size = path.stat().st_size / 2**20
    return (f"数据库 {path.name}（{size:,.1f} MB）：事项 {n['items']:,}（未公开 {open_items:,}），"
            f"申请 {n['applications']:,}（未办结 {open_apps:,}），投诉 {n['complaints']:,}，"
            f"归档件 {n['archive_pieces']:,}；年份 {year}")  # fmt: skip


# -- shared measuring helpers ---------------------------------------------------------------


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(first run, median of all runs, last result) in seconds."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times[0], statistics.median(times), result


def traced(fn) -> float:
    """Peak Python allocation of fn() in MB (tracemalloc; slows fn, so timed apart)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pad(text: str, width: int) -> str:
    """Left-justify in terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def table(head: list[tuple[str, int]], rows: list[list[str]]) -> None:
    print("".join(pad(h, w) for h, w in head))
    for r in rows:
        print("".join(pad(c, w) for c, (_h, w) in zip(r, head, strict=True)))


def add_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--items", type=int, default=ITEMS)
    ap.add_argument("--applications", type=int, default=APPLICATIONS)
    ap.add_argument("--today", type=date.fromisoformat, default=date.today())
    ap.add_argument("--dir", type=Path, default=DIR)
    ap.add_argument("--rebuild", action="store_true", help="build the database again")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_args(ap)
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.build_only:
        a.dir.mkdir(parents=True, exist_ok=True)
        build(db_path(a.dir, a.items, a.applications, a.today), a.items, a.applications, a.today)
        return 0
    path = ensure(a.items, a.applications, a.today, a.dir, rebuild=a.rebuild)
    print(describe(path, a.today.year))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
