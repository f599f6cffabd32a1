"""The 工作台 (first tab) at scale, on the large database. Not a test; not run in CI.

    python3 benchmarks/workbench.py                      # 20,000 items / 2,000 applications
    python3 benchmarks/workbench.py --items 5000 --applications 500 --profile

Times, in ms, every core call ui.workbench_tab.WorkbenchTab.refresh() makes on the GUI
thread (core.workbench.due_items / requirements / charts / inspection_countdown,
core.work_plan.for_year / reminders) and core.workbench.calendar_warning (the banner),
on one open connection as the app has it, beside raw SQL: a count of open items, and
the same open rows due_items reads fetched in plain sqlite3 (no rules applied). Then
the real tab offscreen: WorkbenchTab(...) (its first refresh) and refresh() with the
tab shown and painted. A refresh over the budget (200 ms) blocks the GUI: the script
says so and prints a cProfile top 10 of the slow call (--profile: always).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sqlite3
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_db  # noqa: E402
from bench_db import rss_mb, table, timed, traced  # noqa: E402

from gongkai_desktop.core import work_plan, workbench  # noqa: E402
from gongkai_desktop.core.calendar import WorkCalendar  # noqa: E402
from gongkai_desktop.core.db import connect  # noqa: E402
from gongkai_desktop.core.deadlines import add_working_days  # noqa: E402

BUDGET_MS = 200  # above this a refresh on the GUI thread is felt (no spinner, no input)


def raw_open_count(path: Path) -> int:
    c = sqlite3.connect(str(path))
    try:
        return c.execute("SELECT count(*) FROM items WHERE published_date IS NULL").fetchone()[0]
    finally:
        c.close()


def raw_due_rows(path: Path, cutoff: str) -> int:
    """The open rows due_items reads, fetched whole, without any rule applied."""
    c = sqlite3.connect(str(path))
    try:
        sqls = [
            ("SELECT id, index_no, title, formed_date FROM items"
             " WHERE published_date IS NULL AND publish_due <= ? ORDER BY publish_due, id",
             [cutoff]),
            ("SELECT * FROM applications WHERE closed_date IS NULL ORDER BY id", []),
            ("SELECT * FROM complaints WHERE closed_date IS NULL ORDER BY id", []),
            ("SELECT * FROM rectifications WHERE done_date IS NULL", []),
        ]  # fmt: skip
        return sum(len(c.execute(sql, p).fetchall()) for sql, p in sqls)
    finally:
        c.close()


def profile_top(fn, n: int = 10, key: str = "cumulative") -> str:
    pr = cProfile.Profile()
    pr.enable()
    fn()
    pr.disable()
    out = io.StringIO()
    pstats.Stats(pr, stream=out).strip_dirs().sort_stats(key).print_stats(n)
    text = out.getvalue()
    return text[text.index("   ncalls") :].rstrip()


def tab_timings(db, today: date, R: int) -> tuple[float, tuple, object]:
    """WorkbenchTab construction (with its first refresh), then refresh() shown and painted."""
    import time

    from PySide6.QtWidgets import QApplication

    from gongkai_desktop.ui.workbench_tab import WorkbenchTab

    app = QApplication.instance() or QApplication([])
    t = time.perf_counter()
    tab = WorkbenchTab(db, today=today)  # its __init__ ends with refresh()
    built = time.perf_counter() - t
    tab.resize(1280, 800)
    tab.show()
    app.processEvents()

    def refresh():
        tab.refresh()
        app.processEvents()  # layout and paint
        return len(tab.lines)

    return built, timed(refresh, R), (tab, refresh)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench_db.add_args(ap)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="cProfile top 10 even when fast")
    ap.add_argument("--no-gui", action="store_true", help="skip the offscreen WorkbenchTab")
    a = ap.parse_args(argv)
    path = bench_db.ensure(a.items, a.applications, a.today, a.dir, rebuild=a.rebuild)
    today, year, R = a.today, a.today.year, a.repeat
    print(bench_db.describe(path, year))
    db = connect(path)
    cal = WorkCalendar.from_db(db)
    cutoff = add_working_days(today, workbench.HORIZON_WORKING_DAYS, cal).due.isoformat()
    calls = {
        "due_items（待办到期）": lambda: workbench.due_items(db, today),
        "requirements（年度要求）": lambda: workbench.requirements(db, year, today),
        "charts（图表）": lambda: workbench.charts(db, year),
        "inspection_countdown（迎检倒计时）": lambda: workbench.inspection_countdown(
            db, today, year
        ),
        "work_plan.for_year + reminders": lambda: (
            work_plan.for_year(db, year),
            work_plan.reminders(db, today),
        ),
        "calendar_warning（横幅）": lambda: workbench.calendar_warning(db, today),
    }
    res = {k: timed(fn, R) for k, fn in calls.items()}
    lines = res["due_items（待办到期）"][2]
    late = sum(ln.overdue for ln in lines)
    by_kind = {k: sum(ln.kind == k for ln in lines) for k in workbench.KINDS}
    base_count = timed(lambda: raw_open_count(path), R)
    base_rows = timed(lambda: raw_due_rows(path, cutoff), R)

    def ms(t: tuple) -> str:
        return f"{t[0] * 1000:.1f} / {t[1] * 1000:.1f}"

    rows = []
    for k, t in res.items():
        rows.append([k, ms(t), f"{t[1] / base_count[1]:.0f}", f"{t[1] / base_rows[1]:.1f}"])
    total = tuple(sum(t[i] for t in res.values()) for i in range(2))
    rows.append(["合计（refresh 的核心部分）", ms(total), f"{total[1] / base_count[1]:.0f}",
                 f"{total[1] / base_rows[1]:.1f}"])  # fmt: skip
    rows.append([f"基线 A：裸 count(*) 未公开事项（{base_count[2]:,}）", ms(base_count), "1", ""])
    rows.append(
        [f"基线 B：裸取 due_items 读的未办结行（{base_rows[2]:,}）", ms(base_rows), "", "1"]
    )
    print(f"\n今天 = {today}，年份 {year}，期限截止 {cutoff}；每项 {R} 次，同一连接；单位 ms")
    print(f"due_items：{len(lines):,} 行（逾期 {late:,}）："
          + "，".join(f"{k} {n:,}" for k, n in by_kind.items() if n))  # fmt: skip
    table([("调用", 46), ("首次 / 中位 ms", 18), ("对基线A 倍", 12), ("对基线B 倍", 10)], rows)

    gui = None
    if not a.no_gui:
        built, refresh, gui = tab_timings(db, today, R)
        print(f"WorkbenchTab 离屏：新建 + 首次刷新 {built * 1000:.0f} ms；"
              f"显示后 refresh() + 绘制 首次/中位 {ms(refresh)} ms")  # fmt: skip
        total = (max(total[0], refresh[0]), max(total[1], refresh[1]))

    mem = traced(lambda: workbench.due_items(db, today))
    print(f"内存：due_items 的 Python 分配峰值 {mem:.1f} MB（tracemalloc）；"
          f"进程 ru_maxrss {rss_mb():.0f} MB")  # fmt: skip
    slow = total[1] * 1000 > BUDGET_MS
    if slow:
        print(f"\n⚠ 慢：工作台刷新中位 {total[1] * 1000:.0f} ms，超过 {BUDGET_MS} ms 预算，"
              "在界面线程上会卡顿，应移到后台线程（ui/workers.py）或减少逐行计算。")  # fmt: skip
    else:
        print(f"\n工作台刷新中位 {total[1] * 1000:.0f} ms，在 {BUDGET_MS} ms 预算之内。")
    if slow or a.profile:
        worst = max(res, key=lambda k: res[k][1])
        print(f"\ncProfile 前 10（按累计时间）：{worst}")
        print(profile_top(calls[worst]))
        if gui is not None:
            print("\ncProfile 前 10（按自身时间）：WorkbenchTab.refresh() + 绘制")
            print(profile_top(gui[1], key="tottime"))
    db.conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
