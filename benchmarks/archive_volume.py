"""Archive volume at scale: one box of 500 pieces (~1,500 pages). Not a test; not run in CI.

    python3 benchmarks/archive_volume.py                 # 500 pieces, 2-page PDF each
    python3 benchmarks/archive_volume.py --pieces 100    # a quick run

Builds a temporary database with *pieces* filed items, each with its own 2-page PDF
attachment (so record page + 2 = 3 pages per piece), puts them all in one sealed box,
then times exports.archive_volume.build_volume beside a bare baseline of the same
work: a reportlab canvas drawing one text page per piece plus a pypdf PdfWriter merging
those pages and the same attachments, written to a file. Each is run once for time
(no tracing) and once under tracemalloc for its peak Python memory; ru_maxrss is the
process high-water mark at the end.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader, PdfWriter  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from gongkai_desktop.core import archive, attachments, items, profile  # noqa: E402
from gongkai_desktop.core.calendar import WorkCalendar  # noqa: E402
from gongkai_desktop.core.db import connect  # noqa: E402
from gongkai_desktop.exports.archive_volume import build_volume  # noqa: E402
from gongkai_desktop.exports.pdf_fonts import fonts  # noqa: E402


def attachment_pdf(path: Path, n: int, pages: int) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    for k in range(pages):
        c.setFont("Helvetica", 12)
        for line in range(40):
            c.drawString(
                60, 780 - line * 18, f"Attachment {n} page {k + 1} line {line} " + "x" * 50
            )
        c.showPage()
    c.save()


def build_db(root: Path, n: int, att_pages: int) -> tuple:
    db = connect(root / "bench.db")
    profile.save(db, profile.UnitProfile(unit_name="厦门市人力资源和社会保障局", fonds_no="X001",
                                         operator="张三"))  # fmt: skip
    cal = WorkCalendar()
    files = []
    for k in range(n):
        i = items.create(db, {"title": f"关于第{k + 1}批政府信息公开事项的通知",
                              "doc_no": f"厦人社〔2026〕{k + 1}号", "formed_date": "2026-03-15",
                              "category": "预算决算"}, cal=cal)  # fmt: skip
        db.execute("UPDATE items SET stage = '已建档' WHERE id = ?", [i])  # bench setup
        db.conn.commit()
        f = root / f"att{k}.pdf"
        attachment_pdf(f, k, att_pages)
        attachments.add(db, "items", i, f)
        files.append(f)
    pieces = archive.file_ready(db, 2026)
    box = archive.create_box(db, 2026, "定期30年")
    archive.put_in_box(db, box["id"], [p["id"] for p in pieces])
    archive.seal_box(db, box["id"], arranger="张三", checker="李四")
    return db, box["id"], files


def baseline(n: int, files: list[Path], out: Path) -> int:
    """Bare reportlab: one page per piece; bare pypdf: merge those and the attachments."""
    f = fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, initialFontName=f.fangsong)
    for k in range(n):
        c.setFont(f.fangsong, 16)
        c.drawString(80, 700, f"关于第{k + 1}批政府信息公开事项的通知")
        c.showPage()
    c.save()
    own = PdfReader(io.BytesIO(buf.getvalue()))
    w = PdfWriter()
    for k in range(n):
        w.add_page(own.pages[k])
        for page in PdfReader(files[k]).pages:
            w.add_page(page)
    with open(out, "wb") as fh:
        w.write(fh)
    return len(w.pages)


def measure(fn) -> tuple[float, float, object]:
    t = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pieces", type=int, default=500)
    ap.add_argument("--attachment-pages", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        db, box_id, files = build_db(root, a.pieces, a.attachment_pages)
        print(f"setup: {a.pieces} pieces in one box, {time.perf_counter() - t:.1f} s")
        print(f"fonts: {fonts().describe()}")
        vs, vpeak, res = measure(lambda: build_volume(db, box_id, root / "volume.pdf"))
        size = (root / "volume.pdf").stat().st_size / 2**20
        bs, bpeak, bpages = measure(lambda: baseline(a.pieces, files, root / "base.pdf"))
        bsize = (root / "base.pdf").stat().st_size / 2**20
        print(f"build_volume : {res.pages:5d} pages  {vs:6.1f} s  peak {vpeak:6.1f} MiB  "
              f"file {size:.1f} MiB  ({len(res.bookmarks)} bookmarks)")  # fmt: skip
        print(f"baseline     : {bpages:5d} pages  {bs:6.1f} s  peak {bpeak:6.1f} MiB  "
              f"file {bsize:.1f} MiB  (reportlab canvas + pypdf merge)")  # fmt: skip
        print(f"ratio        : {vs / bs:.1f}× time, {vpeak / bpeak:.1f}× memory")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"ru_maxrss    : {rss:.0f} MiB (process high-water mark)")
        db.conn.close()


if __name__ == "__main__":
    main()
