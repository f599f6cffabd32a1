"""Export centre at scale: every kind for a year on the large database. Not a test.

    python3 benchmarks/export_centre.py                  # 20,000 items / 2,000 applications
    python3 benchmarks/export_centre.py --items 5000 --applications 500 --repeat 2

Times exports.export_centre.run (all 13 files of CATALOGUE for Period.year, masked,
with a progress callback that splits the time per file) beside bare baselines of the
same output in the same run: every .xlsx the centre wrote is read back (not timed)
and its cell values written again by a bare openpyxl write-only loop (no styles, no
title merge, no widths); every .pdf is read back with pypdf and its text drawn again,
page for page, on a bare reportlab canvas in the same CJK font (no layout, no
attachments merged: a floor, not a twin). Each side runs in its own child process,
imports and font registration done before its clock starts; its memory is ru_maxrss
growth during the run (the bare side's read-back content is already in memory, so
counted before). --trace adds a tracemalloc run of each side (about 6x slower).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_db  # noqa: E402
from bench_db import pad, rss_mb, traced  # noqa: E402

from gongkai_desktop.exports import export_centre as E  # noqa: E402


def app_run(path: Path, out: Path, year: int, today) -> tuple[float, dict, E.ExportResult, dict]:
    """export_centre.run of every kind; (seconds, {file: seconds}, result, {file: ru_maxrss
    growth in MB while it was written})."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    period = E.Period.year(year)
    planned = E.plan(list(E.KINDS), None, period)
    marks: list[tuple[float, int, float]] = []

    def progress(done: int, _total: int, _text: str) -> bool:
        if not marks or marks[-1][1] != done:
            marks.append((time.perf_counter(), done, rss_mb()))
        return True

    t = time.perf_counter()
    res = E.run(path, planned, out, period=period, progress=progress, today=today)
    seconds = time.perf_counter() - t
    per, grew = {}, {}
    for (t0, i, m0), (t1, _j, m1) in zip(marks, marks[1:], strict=False):
        if i < len(planned):
            per[planned[i].name], grew[planned[i].name] = t1 - t0, m1 - m0
    per["（打开数据库、最后改名）"] = seconds - sum(per.values())
    return seconds, per, res, grew


def read_back(files: list[Path]) -> dict[str, tuple[str, list]]:
    """{name: ("xlsx", rows of values) | ("pdf", [page text])}; not timed."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    out = {}
    for f in files:
        if f.suffix == ".xlsx":
            wb = load_workbook(f, read_only=True)
            sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
                      for ws in wb.worksheets]  # fmt: skip
            wb.close()
            out[f.name] = ("xlsx", sheets)
        else:
            out[f.name] = ("pdf", [p.extract_text() or "" for p in PdfReader(f).pages])
    return out


def bare_xlsx(sheets: list, target: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(target)


def bare_pdf(pages: list[str], target: Path, font: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, initialFontName=font)
    for text in pages:
        c.setFont(font, 10)
        y = 800
        for line in text.splitlines()[:70]:
            c.drawString(40, y, line[:60])
            y -= 11
        c.showPage()
    c.save()
    target.write_bytes(buf.getvalue())


def bare_run(content: dict, out: Path, font: str) -> tuple[float, dict]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    per, t = {}, time.perf_counter()
    for name, (kind, data) in content.items():
        t0 = time.perf_counter()
        if kind == "xlsx":
            bare_xlsx(data, out / name)
        else:
            bare_pdf(data, out / name, font)
        per[name] = time.perf_counter() - t0
    return time.perf_counter() - t, per


def volume(kind: str, data: list) -> str:
    if kind == "xlsx":
        rows = sum(len(r) for _t, r in data)
        cols = max((len(x) for _t, rs in data for x in rs), default=0)
        return f"{rows:,} 行 × {cols}"
    return f"{len(data):,} 页"


def side(a, path: Path, work: Path) -> dict:
    """One side in this (child) process: imports and fonts first, then the clock."""
    import openpyxl  # noqa: F401
    import reportlab.pdfgen.canvas  # noqa: F401

    from gongkai_desktop.exports import export_writers  # noqa: F401
    from gongkai_desktop.exports.pdf_fonts import fonts

    font, year = fonts().fangsong, a.today.year
    if a.side == "app":
        rss0 = rss_mb()
        t, per, res, grew = min(
            (app_run(path, work / "app", year, a.today) for _ in range(a.repeat)),
            key=lambda r: r[0],
        )
        out = {"t": t, "per": per, "grew": grew, "files": [str(f) for f in res.files], "rss0": rss0,
               "rss1": rss_mb(), "mb": res.total_bytes() / 2**20, "notes": res.notes,
               "fonts": fonts().describe()}  # fmt: skip
        if a.trace:
            out["traced"] = traced(lambda: app_run(path, work / "app_t", year, a.today))
        return out
    content = read_back([Path(f) for f in a.files])  # not timed; counted in rss0
    rss0 = rss_mb()
    t, per = min((bare_run(content, work / "bare", font) for _ in range(a.repeat)),
                 key=lambda r: r[0])  # fmt: skip
    out = {"t": t, "per": per, "rss0": rss0, "rss1": rss_mb(),
           "volume": {n: volume(k, d) for n, (k, d) in content.items()}}  # fmt: skip
    if a.trace:
        out["traced"] = traced(lambda: bare_run(content, work / "bare_t", font))
    return out


def child(a, side_name: str, files: list[str] | None = None) -> dict:
    cmd = [sys.executable, __file__, "--side", side_name, "--items", str(a.items),
           "--applications", str(a.applications), "--today", a.today.isoformat(),
           "--dir", str(a.dir), "--repeat", str(a.repeat)]  # fmt: skip
    if a.trace:
        cmd.append("--trace")
    for f in files or []:
        cmd += ["--file", f]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def row(cells: list[str], head: list[tuple[str, int]]) -> None:
    print("".join(pad(c, w) for c, (_h, w) in zip(cells, head, strict=True)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench_db.add_args(ap)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each side; the best is kept")
    ap.add_argument("--trace", action="store_true",
                    help="also a tracemalloc run of each side (about 6× slower)")  # fmt: skip
    ap.add_argument("--side", choices=("app", "bare"), help=argparse.SUPPRESS)
    ap.add_argument("--file", dest="files", action="append", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    path = bench_db.ensure(a.items, a.applications, a.today, a.dir, rebuild=a.rebuild)
    work = a.dir / "export_centre"
    if a.side:
        print(json.dumps(side(a, path, work), ensure_ascii=False))
        return 0
    year = a.today.year
    print(bench_db.describe(path, year))
    app = child(a, "app")
    bare = child(a, "bare", app["files"])
    print(f"字体：{app['fonts']}")
    print(f"\n导出中心 run()：{year} 年全部 {len(app['files'])} 个文件（隐去身份证号和电话），"
          f"各 {a.repeat} 次取最快，各在新进程中；共 {app['mb']:.1f} MB")  # fmt: skip
    head = [("文件", 40), ("内容", 20), ("本程序 s", 10), ("裸基线 s", 10), ("倍数", 6),
            ("本程序 RSS 增长 MB", 18)]  # fmt: skip
    row([h for h, _w in head], head)
    for name, s in app["per"].items():
        base = bare["per"].get(name)
        grew = app["grew"].get(name)
        row([name, bare["volume"].get(name, ""), f"{s:.2f}", f"{base:.2f}" if base else "",
             f"{s / base:.1f}" if base else "", f"+{grew:.0f}" if grew is not None else ""],
            head)  # fmt: skip
    for label, ext, note in (("xlsx 合计", ".xlsx", "裸 openpyxl 只写"),
                             ("pdf 合计", ".pdf", "裸 reportlab 画布")):  # fmt: skip
        names = [n for n in bare["per"] if n.endswith(ext)]
        s, b = sum(app["per"][n] for n in names), sum(bare["per"][n] for n in names)
        row([label, note, f"{s:.2f}", f"{b:.2f}", f"{s / b:.1f}", ""], head)
    row(["总计", "", f"{app['t']:.2f}", f"{bare['t']:.2f}", f"{app['t'] / bare['t']:.1f}",
         f"+{app['rss1'] - app['rss0']:.0f}"], head)  # fmt: skip
    if app["notes"]:
        print("提示：" + "；".join(app["notes"]))
    print(f"内存 ru_maxrss（各自进程）：导出中心 导入后 {app['rss0']:.0f} → 峰值 {app['rss1']:.0f} MB"
          f"（+{app['rss1'] - app['rss0']:.0f}）；裸基线 读回内容后 {bare['rss0']:.0f} → 峰值 "
          f"{bare['rss1']:.0f} MB（+{bare['rss1'] - bare['rss0']:.0f}）")  # fmt: skip
    if a.trace:
        print(f"Python 分配峰值 tracemalloc：导出中心 {app['traced']:.1f} MB，"
              f"裸基线 {bare['traced']:.1f} MB")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
