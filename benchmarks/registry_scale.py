"""Registry at scale: 1,000,000 items, timed against raw baselines. Not a test; not run in CI.

    python3 benchmarks/registry_scale.py                 # build (or --reuse) 1,000,000 rows
    python3 benchmarks/registry_scale.py --rows 20000    # a quick run
    python3 benchmarks/registry_scale.py --reuse --dir /tmp/gongkai_bench

Every figure is printed beside a raw baseline from the same run:

1. open (core.db.connect) + first screen of ui.registry_model.RegistryModel
   (40 rows × all columns) vs plain sqlite3 count(*) + ORDER BY formed_date LIMIT 40;
2. keyword search through registry_query / the model vs the same MATCH in plain
   sqlite3, and a LIKE '%…%' scan;
3. sort by 公开日期 vs the same ORDER BY … LIMIT in plain sqlite3;
4. a year's ledger (~100,000 rows) with exports.registry_ledger vs a bare openpyxl
   write-only loop of the same rows × columns;
5. peak memory: ru_maxrss, and tracemalloc peaks of the query steps.

The database is built in a child process (core.demo.bulk_items, with synchronous=OFF
on that connection only) so the parent's peak memory is the application's, not the
build's. Timings are with a warm OS page cache (the file was just written or read)
but a fresh SQLite connection for every run.
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gongkai_desktop.core import profile, registry_query, search  # noqa: E402
from gongkai_desktop.core.calendar import WorkCalendar  # noqa: E402
from gongkai_desktop.core.db import connect  # noqa: E402
from gongkai_desktop.core.registry_query import LIST_COLUMNS, RegistryFilter  # noqa: E402

TARGETS = {"first": 0.3, "search": 0.2, "export": 1.3, "rss_mb": 300}
SCREEN_ROWS = 40
WORDS = ("预算", "人才引进实施办法")


def build(path: Path, rows: int, years: int, today: date) -> None:
    """Run in a child process: a fresh database of *rows* items over *years* years."""
    from gongkai_desktop.core.demo import bulk_items
    from gongkai_desktop.core.demo_data import PROFILE

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = connect(path)
    profile.save(db, PROFILE)
    db.execute("PRAGMA synchronous = OFF")  # this build only; the app keeps NORMAL
    db.execute("PRAGMA cache_size = -262144")
    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        rate = done / (time.perf_counter() - t0)
        print(f"\r  生成 {done:,}/{total:,}（{rate:,.0f} 条/秒）", end="", flush=True)

    bulk_items(db, rows, today.year - years + 1, today.year, progress, today=today)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    size = path.stat().st_size / 2**20
    print(f"\n  建库 {time.perf_counter() - t0:.1f} s，文件 {size:,.0f} MB")


# -- measurements ----------------------------------------------------------------------


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(first run, median of all runs, last result) in seconds."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times[0], statistics.median(times), result


def raw(path: Path, *queries: tuple[str, list]) -> list:
    """Plain sqlite3: a fresh connection, each query fetched in full; the first's rows."""
    c = sqlite3.connect(str(path))
    try:
        return [c.execute(sql, params).fetchall() for sql, params in queries][0]
    finally:
        c.close()


COLS = ", ".join(LIST_COLUMNS)
FTS = "id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)"
LIKE = "title LIKE ? OR doc_no LIKE ? OR keywords LIKE ?"


def model_class():
    """ui.registry_model.RegistryModel, with a QApplication (offscreen)."""
    from PySide6.QtWidgets import QApplication

    from gongkai_desktop.ui.registry_model import RegistryModel

    QApplication.instance() or QApplication([])
    return RegistryModel


def screen(model) -> int:
    """What a QTableView asks for when it paints the first screen."""
    from PySide6.QtCore import Qt

    roles = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
    )
    cols = model.columnCount()
    for c in range(cols):
        model.headerData(c, Qt.Orientation.Horizontal)
    for r in range(min(SCREEN_ROWS, model.rowCount())):
        for c in range(cols):
            for role in roles:
                model.data(model.index(r, c), role)
    return model.rowCount()


def app_screen(path: Path, today: date, Model, text: str = "", order: str = "") -> int:
    """connect + RegistryModel (+ filter / sort) + the first screen's data()."""
    from PySide6.QtCore import Qt

    from gongkai_desktop.ui.registry_model import COLUMNS

    db = connect(path)
    try:
        m = Model(db, today=today)
        if text:
            m.set_filter(RegistryFilter(text=text))
        if order:
            m.sort(
                next(i for i, c in enumerate(COLUMNS) if c.sort == order),
                Qt.SortOrder.DescendingOrder,
            )
        return screen(m)
    finally:
        db.conn.close()


def query_search(path: Path, today: date, word: str) -> int:
    """registry_query alone: count + one page of 200, as the model asks."""
    db = connect(path)
    try:
        cal, f = WorkCalendar.from_db(db), RegistryFilter(text=word)
        registry_query.page(db, f, today, cal, limit=200)
        return registry_query.count(db, f, today, cal)
    finally:
        db.conn.close()


def raw_first_screen(path: Path) -> int:
    page = f"SELECT {COLS} FROM items ORDER BY formed_date DESC, id DESC LIMIT {SCREEN_ROWS}"
    return raw(path, ("SELECT count(*) FROM items", []), (page, []))[0][0]


def raw_match(path: Path, word: str) -> int:
    q = [search.match_query(word)]
    page = f"SELECT {COLS} FROM items WHERE {FTS} ORDER BY formed_date DESC, id DESC LIMIT 200"
    return raw(path, (f"SELECT count(*) FROM items WHERE {FTS}", q), (page, q))[0][0]


def raw_like(path: Path, word: str) -> int:
    p = [f"%{word}%"] * 3
    page = f"SELECT {COLS} FROM items WHERE {LIKE} ORDER BY formed_date DESC, id DESC LIMIT 200"
    return raw(path, (f"SELECT count(*) FROM items WHERE {LIKE}", p), (page, p))[0][0]


def raw_sort(path: Path, order: str = "published_date") -> int:
    sql = f"SELECT {COLS} FROM items ORDER BY {order} DESC, id DESC LIMIT {SCREEN_ROWS}"
    return len(raw(path, (sql, [])))


def model_sort_keys() -> list[str]:
    from gongkai_desktop.ui.registry_model import COLUMNS

    return [c.sort for c in COLUMNS if c.sort]


def app_export(path: Path, year: int, today: date, out: Path) -> int:
    from gongkai_desktop.exports.registry_ledger import write_registry_ledger

    db = connect(path)
    try:
        return write_registry_ledger(db, year, out, today=today)
    finally:
        db.conn.close()


def bare_export(path: Path, year: int, today: date, n: int, out: Path) -> float:
    """openpyxl write-only, no styles: the same rows × columns, values cycled from a sample."""
    from itertools import islice

    from openpyxl import Workbook

    from gongkai_desktop.core.registry_io import iter_ledger_rows

    db = connect(path)
    sample = list(islice(iter_ledger_rows(db, year, today=today), 1000))
    db.conn.close()
    t = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["表头"] * len(sample[0]))
    for i in range(n):
        ws.append(sample[i % len(sample)])
    wb.save(out)
    return time.perf_counter() - t


def raw_query_export(path: Path, year: int, out: Path) -> None:
    """Plain sqlite3 rows of the year straight into openpyxl (values not formatted)."""
    from openpyxl import Workbook

    c = sqlite3.connect(str(path))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    sql = "SELECT * FROM items WHERE formed_date >= ? AND formed_date < ? ORDER BY formed_date, id"
    for row in c.execute(sql, [f"{year}-01-01", f"{year + 1}-01-01"]):
        ws.append(row[:21])
    wb.save(out)
    c.close()


def measure_export(path: Path, today: date, folder: Path, repeat: int) -> tuple:
    """Alternate the ledger and the bare loop *repeat* times; keep each one's best."""
    import openpyxl  # imports are not part of either export's time

    from gongkai_desktop.exports import registry_ledger  # noqa: F401

    year, count = raw(
        path,
        (
            "SELECT year, count(*) AS n FROM items GROUP BY year ORDER BY abs(n - 100000) LIMIT 1",
            [],
        ),
    )[0]
    out = folder / f"ledger_{year}.xlsx"
    t_app, t_bare, t_raw, written = [], [], [], None
    for _ in range(repeat):
        t = time.perf_counter()
        written = app_export(path, year, today, out)
        t_app.append(time.perf_counter() - t)
        t_bare.append(bare_export(path, year, today, count, folder / "bare.xlsx"))
        t = time.perf_counter()
        raw_query_export(path, year, folder / "raw.xlsx")
        t_raw.append(time.perf_counter() - t)
    size = out.stat().st_size / 2**20 if out.exists() else 0
    return year, written, min(t_app), min(t_bare), min(t_raw), size, openpyxl.LXML


def traced(fn) -> float:
    """Peak Python allocation of fn() in MB (tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- report ------------------------------------------------------------------------------


def measure(path: Path, today: date, R: int, Model) -> tuple[list, dict]:
    """[(label, app (first, median), baseline (first, median), target)], ru_maxrss per step."""

    def app(**kw):
        return lambda: app_screen(path, today, Model, **kw)

    def base(fn, *args):
        return lambda: fn(path, *args)

    first, fast = f"< {TARGETS['first']} s", f"< {TARGETS['search']} s"
    n = raw_first_screen(path)  # warms the OS cache for both sides alike
    specs = [(f"打开+首屏（{n:,} 条）", app(), base(raw_first_screen), first, "first")]
    for w in WORDS:
        hits = query_search(path, today, w)
        specs += [
            (f"检索“{w}”（{hits:,} 条）模型", app(text=w), base(raw_match, w), fast, ""),
            (
                f"检索“{w}” registry_query",
                lambda w=w: query_search(path, today, w),
                base(raw_match, w),
                "",
                "",
            ),
            (
                f"检索“{w}” 对比 LIKE 扫描",
                base(raw_match, w),
                base(raw_like, w),
                "(基线=LIKE)",
                "search",
            ),
        ]
    specs.append(
        ("按公开日期排序（首屏）", app(order="published_date"), base(raw_sort), fast, "sort")
    )
    for o in model_sort_keys():  # the other sortable columns, for the record
        if o not in ("published_date", "formed_date"):
            specs.append((f"  按 {o} 排序（首屏）", app(order=o), base(raw_sort, o), "", ""))
    results, rss = [], {"start": rss_mb()}
    for label, app, base, target, step in specs:
        results.append((label, timed(app, R), timed(base, R), target))
        if step:
            rss[step] = rss_mb()
    return results, rss


def report(path: Path, today: date, R: int, results, rss, export, mem) -> None:
    size = path.stat().st_size / 2**20
    print(
        f"\n数据库：{path}（{size:,.0f} MB），今天 = {today}，每项运行 {R} 次，各用新连接；"
        "操作系统缓存为热"
    )
    print(
        pad("项目", 40)
        + pad("本程序 首次/中位 s", 20)
        + pad("基线 首次/中位 s", 20)
        + pad("倍数", 7)
        + "目标"
    )
    for label, app, base, target in results:
        ratio = app[1] / base[1] if base[1] else float("nan")
        print(
            pad(label, 40)
            + pad(f"{app[0]:.3f} / {app[1]:.3f}", 20)
            + pad(f"{base[0]:.3f} / {base[1]:.3f}", 20)
            + pad(f"{ratio:.1f}", 7)
            + target
            + verdict(app[1], target)
        )
    if export:
        year, written, t_app, t_bare, t_raw, xlsx_mb, lxml, repeat = export
        print(f"导出（各 {repeat} 次取最快；openpyxl {'用' if lxml else '未用'} lxml）")
        r = t_app / t_bare
        ok = "达标" if r <= TARGETS["export"] else "未达标"
        print(
            f"导出台账 {year} 年 {written:,} 行 × 21 列（{xlsx_mb:.1f} MB）：{t_app:.2f} s；"
            f"裸 openpyxl 循环 {t_bare:.2f} s → {r:.2f} 倍（目标 ≤ {TARGETS['export']}，{ok}）；"
            f"裸 sqlite3+openpyxl {t_raw:.2f} s → {t_app / t_raw:.2f} 倍"
        )
    peak = rss_mb()
    ok = "达标" if peak < TARGETS["rss_mb"] else "未达标"
    steps = "，".join(f"{k} {v:.0f}" for k, v in rss.items())
    print(
        f"内存峰值 ru_maxrss：{peak:.0f} MB（目标 < {TARGETS['rss_mb']}，{ok}）；"
        f"各步之后：{steps} MB"
    )
    print("Python 分配峰值 tracemalloc：" + "，".join(f"{k} {v:.1f} MB" for k, v in mem.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gongkai_bench")
    ap.add_argument("--reuse", action="store_true", help="keep an existing database of that size")
    ap.add_argument("--today", type=date.fromisoformat, default=date.today())
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--export-repeat", type=int, default=2)
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    a.dir.mkdir(parents=True, exist_ok=True)
    path = a.dir / f"registry_{a.rows}.db"
    if a.build_only:
        build(path, a.rows, a.years, a.today)
        return 0
    if not (a.reuse and path.exists()):
        print(f"建库：{a.rows:,} 条，{a.years} 年 → {path}")
        child = [
            sys.executable,
            __file__,
            "--build-only",
            "--rows",
            str(a.rows),
            "--years",
            str(a.years),
            "--dir",
            str(a.dir),
            "--today",
            a.today.isoformat(),
        ]
        subprocess.run(child, check=True)
    Model = model_class()
    results, rss = measure(path, a.today, a.repeat, Model)
    export = None
    if not a.no_export:
        export = (*measure_export(path, a.today, a.dir, a.export_repeat), a.export_repeat)
        rss["export"] = rss_mb()
    steps = (
        ("首屏", lambda: app_screen(path, a.today, Model)),
        ("检索", lambda: app_screen(path, a.today, Model, text=WORDS[0])),
        ("长词检索", lambda: app_screen(path, a.today, Model, text=WORDS[1])),
        ("排序", lambda: app_screen(path, a.today, Model, order="published_date")),
    )
    mem = {name: traced(fn) for name, fn in steps}
    report(path, a.today, a.repeat, results, rss, export, mem)
    return 0


def pad(text: str, width: int) -> str:
    """Left-justify in terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def verdict(seconds: float, target: str) -> str:
    if not target.startswith("<"):
        return ""
    return "  达标" if seconds < float(target.split()[1]) else "  未达标"


if __name__ == "__main__":
    sys.exit(main())
