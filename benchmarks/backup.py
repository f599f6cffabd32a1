"""Backups, checks and opening at scale, on the large database. Not a test; not run in CI.

    python3 benchmarks/backup.py                         # 20,000 items / 2,000 applications
    python3 benchmarks/backup.py --items 200000 --repeat 3

Every figure is printed beside a raw baseline from the same run:

1. core.backup.take (online backup API + journal_mode DELETE + integrity_check +
   rename + rotate), each run into an empty folder, vs bare
   ``sqlite3.Connection.backup`` alone, vs that plus ``PRAGMA integrity_check`` (the
   same work without the app's wrapping), vs a plain file copy (shutil.copyfile);
2. core.db_check.check (`gongkai check`: integrity_check, foreign_key_check, version,
   backups) vs raw ``PRAGMA integrity_check``, and vs integrity + foreign_key_check;
3. core.db.connect (quick_check, test query, pragmas, migrate check) vs raw
   sqlite3.connect + ``SELECT count(*) FROM items``, and vs that plus quick_check.
   connect() remembers a file that passed quick_check in this process (workers reopen
   it); that cache is cleared before each cold run and reported as its own row.

Warm OS page cache (the file was just written or read); a fresh connection every run.
Memory: ru_maxrss after each part (SQLite's page cache is C memory, which tracemalloc
does not see, so the high-water mark is the figure that counts).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_db  # noqa: E402
from bench_db import rss_mb, table, timed  # noqa: E402

from gongkai_desktop.core import backup, db_check  # noqa: E402
from gongkai_desktop.core import db as core_db  # noqa: E402


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def app_take(path: Path, folder: Path) -> Path:
    return backup.take(path, fresh(folder), reason="manual")


def raw_backup(path: Path, folder: Path, check: bool = False) -> Path:
    out = fresh(folder) / "raw.db"
    src, dst = sqlite3.connect(str(path)), sqlite3.connect(str(out))
    try:
        src.backup(dst)
        if check:
            assert dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        dst.close()
        src.close()
    return out


def file_copy(path: Path, folder: Path) -> Path:
    out = fresh(folder) / "copy.db"
    shutil.copyfile(path, out)
    return out


def raw_pragma(path: Path, *pragmas: str) -> list:
    c = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [c.execute(f"PRAGMA {p}").fetchall() for p in pragmas]
    finally:
        c.close()


def app_open(path: Path, cold: bool = True) -> int:
    if cold:
        core_db._checked.clear()  # what a fresh process sees; see the module doc
    db = core_db.connect(path)
    try:
        return db.execute("SELECT count(*) FROM items").fetchone()[0]
    finally:
        db.conn.close()


def raw_open(path: Path, quick: bool = False) -> int:
    c = sqlite3.connect(str(path))
    try:
        if quick:
            c.execute("PRAGMA quick_check").fetchall()
        return c.execute("SELECT count(*) FROM items").fetchone()[0]
    finally:
        c.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench_db.add_args(ap)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    path = bench_db.ensure(a.items, a.applications, a.today, a.dir, rebuild=a.rebuild)
    work, R = a.dir / "backup_bench", a.repeat
    print(bench_db.describe(path, a.today.year))
    app_open(path)  # migrate check and imports once, outside every clock; warms the cache
    size = path.stat().st_size / 2**20

    specs = [
        ("备份 backup.take", lambda: app_take(path, work / "take"), [
            ("裸 Connection.backup", lambda: raw_backup(path, work / "raw")),
            ("裸 backup + integrity_check", lambda: raw_backup(path, work / "raw", True)),
            ("复制文件 shutil.copyfile", lambda: file_copy(path, work / "copy")),
        ]),
        ("检查 db_check.check", lambda: db_check.check(path), [
            ("裸 integrity_check", lambda: raw_pragma(path, "integrity_check")),
            ("裸 integrity + foreign_key_check",
             lambda: raw_pragma(path, "integrity_check", "foreign_key_check")),
        ]),
        ("打开 connect()（冷：含 quick_check）", lambda: app_open(path), [
            ("裸 connect + count(*)", lambda: raw_open(path)),
            ("裸 connect + quick_check + count(*)", lambda: raw_open(path, True)),
        ]),
        ("打开 connect()（本进程已检查过）", lambda: app_open(path, cold=False), [
            ("裸 connect + count(*)", lambda: raw_open(path)),
        ]),
    ]  # fmt: skip
    rows, rss = [], {"开始": rss_mb()}
    for label, app, bases in specs:
        first, med, _r = timed(app, R)
        rss[label.split()[0]] = rss_mb()
        for i, (blabel, base) in enumerate(bases):
            bfirst, bmed, _r = timed(base, R)
            mine = f"{first * 1000:.0f} / {med * 1000:.0f}" if i == 0 else "〃"
            rows.append([label if i == 0 else "", mine, blabel, f"{bfirst * 1000:.0f} / {bmed * 1000:.0f}",
                         f"{med / bmed:.1f}"])  # fmt: skip
    made = app_take(path, work / "take")
    print(f"\n数据库 {size:.1f} MB；备份文件 {made.stat().st_size / 2**20:.1f} MB；"
          f"每项 {R} 次，各用新连接；操作系统缓存为热；单位 ms（首次 / 中位）")  # fmt: skip
    table([("本程序", 38), ("首次/中位", 12), ("基线", 36), ("首次/中位", 12), ("倍数", 6)],
          rows)  # fmt: skip
    report = db_check.check(path)
    print(f"db_check 结论：{'正常' if report.ok else f'{report.problems} 个问题'}")
    print(
        "内存峰值 ru_maxrss（各部分之后）：" + "，".join(f"{k} {v:.0f} MB" for k, v in rss.items())
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
